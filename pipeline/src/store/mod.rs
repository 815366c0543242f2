//! The ClickHouse adapter: HTTP to ClickHouse with the RowBinary format, through
//! the `clickhouse` crate with schema validation off (Debian's 18.16 server has no
//! `RowBinaryWithNamesAndTypes`). SQL stays in the subset that 18.16 and current
//! ClickHouse both accept (design.md §4).
//!
//! Guarantees: an insert that returned `Ok` is durable on the server; every table
//! is a ReplacingMergeTree, so writing the same rows again changes nothing.

mod migrations;
mod read;
mod rows;
mod write;

pub use migrations::{MIGRATIONS, Migration};
pub use rows::{
    AccidentStepRow, BayDayRow, DeadLetterRow, EventRow, KafkaPosition, KpiDayRow,
    TechnicianDayRow, TechnicianTotalsRow,
};

use crate::config::ClickHouseConfig;
use clickhouse::Client;

/// Errors from ClickHouse.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A query or insert failed.
    #[error("clickhouse at {url}, {what}: {source}")]
    Query {
        /// The server.
        url: String,
        /// What was being done.
        what: String,
        /// The client's error.
        source: clickhouse::error::Error,
    },
    /// A stored row could not be read back as an event.
    #[error("events_raw row {event_id}: {reason}")]
    CorruptRow {
        /// The event.
        event_id: String,
        /// Why.
        reason: String,
    },
}

/// A connection to the pipeline's database.
#[derive(Clone)]
pub struct Store {
    client: Client,
    server: Client,
    url: String,
    database: String,
}

impl Store {
    /// A client for `cfg` (no request is made yet).
    pub fn new(cfg: &ClickHouseConfig) -> Self {
        let server = Client::default()
            .with_url(&cfg.url)
            .with_user(&cfg.user)
            .with_password(&cfg.password)
            .with_validation(false)
            .with_compression(clickhouse::Compression::None);
        Self {
            client: server.clone().with_database(&cfg.database),
            server,
            url: cfg.url.clone(),
            database: cfg.database.clone(),
        }
    }

    /// The database name.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The underlying client, bound to the database (for tests and tools).
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn error(
        &self,
        what: impl Into<String>,
    ) -> impl FnOnce(clickhouse::error::Error) -> StoreError + '_ {
        let what = what.into();
        move |source| StoreError::Query {
            url: self.url.clone(),
            what,
            source,
        }
    }

    /// A real query against the server: `SELECT 1`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.server
            .query("SELECT 1")
            .fetch_one::<u8>()
            .await
            .map(|_| ())
            .map_err(
                self.error(
                    "SELECT 1 (is it running? start it with `docker/local/services.sh start`)",
                ),
            )
    }

    /// Drops the whole database (tests clean up with this).
    pub async fn drop_database(&self) -> Result<(), StoreError> {
        let sql = format!("DROP DATABASE IF EXISTS {}", self.database);
        self.server
            .query(&sql)
            .execute()
            .await
            .map_err(self.error(sql.clone()))
    }
}
