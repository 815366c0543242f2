//! Schema migrations: numbered SQL files under `pipeline/migrations/`, applied in
//! order and recorded in `schema_migrations`. Each file is one statement.

use super::{Store, StoreError};
use clickhouse::Row;
use serde::{Deserialize, Serialize};

/// One migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its number; applied in ascending order.
    pub version: u32,
    /// A short name.
    pub name: &'static str,
    /// The statement.
    pub sql: &'static str,
}

/// Every migration this build knows.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "events_raw",
        sql: include_str!("../../migrations/0001_events_raw.sql"),
    },
    Migration {
        version: 2,
        name: "dead_letters",
        sql: include_str!("../../migrations/0002_dead_letters.sql"),
    },
    Migration {
        version: 3,
        name: "kpi_workshop_day",
        sql: include_str!("../../migrations/0003_kpi_workshop_day.sql"),
    },
    Migration {
        version: 4,
        name: "kpi_workshop_day_ro_kpis",
        sql: include_str!("../../migrations/0004_kpi_workshop_day_ro_kpis.sql"),
    },
    Migration {
        version: 5,
        name: "kpi_technician_day",
        sql: include_str!("../../migrations/0005_kpi_technician_day.sql"),
    },
    Migration {
        version: 6,
        name: "kpi_workshop_day_bays",
        sql: include_str!("../../migrations/0006_kpi_workshop_day_bays.sql"),
    },
    Migration {
        version: 7,
        name: "kpi_bay_day",
        sql: include_str!("../../migrations/0007_kpi_bay_day.sql"),
    },
    Migration {
        version: 8,
        name: "kpi_workshop_day_accident_steps",
        sql: include_str!("../../migrations/0008_kpi_workshop_day_accident_steps.sql"),
    },
    Migration {
        version: 9,
        name: "kpi_workshop_day_payers_parts",
        sql: include_str!("../../migrations/0009_kpi_workshop_day_payers_parts.sql"),
    },
    Migration {
        version: 10,
        name: "kpi_accident_step",
        sql: include_str!("../../migrations/0010_kpi_accident_step.sql"),
    },
    Migration {
        version: 11,
        name: "kpi_workshop_day_invoice_conflicts",
        sql: include_str!("../../migrations/0011_kpi_workshop_day_invoice_conflicts.sql"),
    },
    Migration {
        version: 12,
        name: "kpi_workshop_day_reversals",
        sql: include_str!("../../migrations/0012_kpi_workshop_day_reversals.sql"),
    },
    Migration {
        version: 13,
        name: "kpi_workshop_day_advisor_intake",
        sql: include_str!("../../migrations/0013_kpi_workshop_day_advisor_intake.sql"),
    },
];

#[derive(Row, Serialize, Deserialize)]
struct AppliedRow {
    version: u32,
    name: String,
    #[serde(with = "clickhouse::serde::chrono::datetime")]
    applied_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Creates the database if needed and applies the migrations not yet applied.
    /// Returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<u32>, StoreError> {
        let create_db = format!("CREATE DATABASE IF NOT EXISTS {}", self.database);
        self.server
            .query(&create_db)
            .execute()
            .await
            .map_err(self.error(create_db.clone()))?;
        let create_log = "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version UInt32, name String, applied_at DateTime) \
             ENGINE = MergeTree() ORDER BY version";
        self.client
            .query(create_log)
            .execute()
            .await
            .map_err(self.error("creating schema_migrations"))?;
        let done: Vec<u32> = self
            .client
            .query("SELECT version FROM schema_migrations")
            .fetch_all()
            .await
            .map_err(self.error("reading schema_migrations"))?;
        let mut applied = Vec::new();
        for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
            self.client
                .query(m.sql)
                .execute()
                .await
                .map_err(self.error(format!("migration {} ({})", m.version, m.name)))?;
            let mut insert = self
                .client
                .insert::<AppliedRow>("schema_migrations")
                .await
                .map_err(self.error("recording a migration"))?;
            insert
                .write(&AppliedRow {
                    version: m.version,
                    name: m.name.to_string(),
                    applied_at: chrono::Utc::now(),
                })
                .await
                .map_err(self.error("recording a migration"))?;
            insert
                .end()
                .await
                .map_err(self.error("recording a migration"))?;
            applied.push(m.version);
        }
        Ok(applied)
    }
}
