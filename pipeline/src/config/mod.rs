//! Typed configuration: a TOML file (optional), then environment variables and
//! flags on top (see [`Overrides`]). A bad value fails at start with its key and
//! the reason; nothing falls back silently.

mod kpi;

pub use kpi::{KpiConfig, RateFormulasConfig, SiteKpiConfig};

use crate::engine::{WorkshopDirectory, WorkshopSettings};
use crate::events::{Fen, WorkshopId};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, naming the key.
        message: String,
    },
    /// A value is out of range or malformed.
    #[error("config key `{key}`: {reason}")]
    Invalid {
        /// The dotted key.
        key: String,
        /// Why it was refused.
        reason: String,
    },
}

fn invalid(key: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        reason: reason.into(),
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Broker connection and topics.
    pub kafka: KafkaConfig,
    /// ClickHouse connection.
    pub clickhouse: ClickHouseConfig,
    /// The HTTP server.
    pub http: HttpConfig,
    /// Batching of the consumer.
    pub ingest: IngestConfig,
    /// The workshops and their settings.
    pub workshops: WorkshopsConfig,
    /// The day-close scheduler inside `run`.
    pub day_close: DayCloseConfig,
}

/// `[day_close]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DayCloseConfig {
    /// Publish `day_closed` events from `run`.
    pub enabled: bool,
    /// Minutes after closing time before a day is closed.
    pub grace_minutes: i64,
    /// Seconds between two looks at the clock.
    pub check_every_secs: u64,
    /// Days back that a day with events is still closed if it was missed (the
    /// process was down at its closing time).
    pub catch_up_days: u32,
}

impl Default for DayCloseConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            grace_minutes: 60,
            check_every_secs: 30,
            catch_up_days: 7,
        }
    }
}

/// `[kafka]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KafkaConfig {
    /// `bootstrap.servers`.
    pub brokers: String,
    /// Prefix for every topic name (tests use one per run); empty for none.
    pub topic_prefix: String,
    /// The consumer group of `ingest`.
    pub group_id: String,
    /// Partitions of topics created by `workshop-pulse topics`.
    pub partitions: i32,
    /// Replication factor of created topics (1 on a single broker).
    pub replication: i32,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        Self {
            brokers: "127.0.0.1:9092".into(),
            topic_prefix: String::new(),
            group_id: "workshop-pulse".into(),
            partitions: 6,
            replication: 1,
        }
    }
}

/// `[clickhouse]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClickHouseConfig {
    /// HTTP endpoint.
    pub url: String,
    /// Database holding the pipeline's tables.
    pub database: String,
    /// User name.
    pub user: String,
    /// Password (empty for none).
    pub password: String,
}

impl Default for ClickHouseConfig {
    fn default() -> Self {
        Self {
            url: "http://127.0.0.1:8123".into(),
            database: "workshop_pulse".into(),
            user: "default".into(),
            password: String::new(),
        }
    }
}

/// `[http]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Listen address of the API and boards.
    pub listen: String,
    /// Folder with the board's static files.
    pub dashboards_dir: PathBuf,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            dashboards_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboards"),
        }
    }
}

/// `[ingest]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// Write a batch of events at this many messages…
    pub batch_max_rows: usize,
    /// …or when its oldest message is this old, whichever comes first; and
    /// write the KPI rows changed since the last row write at most this often
    /// (offsets are committed with them).
    pub batch_max_ms: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            batch_max_rows: 10_000,
            batch_max_ms: 1_000,
        }
    }
}

/// `[workshops]`: defaults, then `[workshops.sites.<id>]` per workshop.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkshopsConfig {
    /// Accept events of workshops not listed under `sites` (with the defaults).
    pub accept_unknown: bool,
    /// Default IANA time zone.
    pub time_zone: String,
    /// Default daily output-value target, net of tax, in fen.
    pub daily_output_target_fen: i64,
    /// Default local opening time, `HH:MM`.
    pub opening_time: String,
    /// Default local closing time, `HH:MM` (forgotten clock-ons end here on day close).
    pub closing_time: String,
    /// KPI definition variants, for every workshop.
    pub kpi: KpiConfig,
    /// Listed workshops by id.
    pub sites: BTreeMap<String, SiteConfig>,
}

impl Default for WorkshopsConfig {
    fn default() -> Self {
        Self {
            accept_unknown: true,
            time_zone: "Asia/Shanghai".into(),
            daily_output_target_fen: 4_000_000,
            opening_time: "08:30".into(),
            closing_time: "18:00".into(),
            kpi: KpiConfig::default(),
            sites: BTreeMap::new(),
        }
    }
}

/// `[workshops.sites.<id>]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Display name.
    pub name: String,
    /// IANA time zone; the default if absent.
    pub time_zone: Option<String>,
    /// Daily output target in fen; the default if absent.
    pub daily_output_target_fen: Option<i64>,
    /// Opening time `HH:MM`; the default if absent.
    pub opening_time: Option<String>,
    /// Closing time `HH:MM`; the default if absent.
    pub closing_time: Option<String>,
    /// KPI variants of this site; each key absent takes `[workshops.kpi]`'s value.
    pub kpi: Option<SiteKpiConfig>,
}

/// Values from flags or the environment that override the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `kafka.brokers`
    pub kafka_brokers: Option<String>,
    /// `kafka.topic_prefix`
    pub topic_prefix: Option<String>,
    /// `kafka.group_id`
    pub group_id: Option<String>,
    /// `clickhouse.url`
    pub clickhouse_url: Option<String>,
    /// `clickhouse.database`
    pub clickhouse_database: Option<String>,
    /// `clickhouse.user`
    pub clickhouse_user: Option<String>,
    /// `clickhouse.password`
    pub clickhouse_password: Option<String>,
    /// `http.listen`
    pub listen: Option<String>,
    /// `http.dashboards_dir`
    pub dashboards_dir: Option<PathBuf>,
}

impl Config {
    /// Reads `path` (if given), applies `overrides`, and validates everything.
    pub fn load(path: Option<&Path>, overrides: &Overrides) -> Result<Self, ConfigError> {
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                Self::from_toml(&text).map_err(|message| ConfigError::Parse {
                    path: path.to_path_buf(),
                    message,
                })?
            }
            None => Config::default(),
        };
        config.apply(overrides);
        config.validate()?;
        Ok(config)
    }

    /// Parses TOML text (no overrides, no validation).
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    fn apply(&mut self, o: &Overrides) {
        let set = |target: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                target.clone_from(v);
            }
        };
        set(&mut self.kafka.brokers, &o.kafka_brokers);
        set(&mut self.kafka.topic_prefix, &o.topic_prefix);
        set(&mut self.kafka.group_id, &o.group_id);
        set(&mut self.clickhouse.url, &o.clickhouse_url);
        set(&mut self.clickhouse.database, &o.clickhouse_database);
        set(&mut self.clickhouse.user, &o.clickhouse_user);
        set(&mut self.clickhouse.password, &o.clickhouse_password);
        set(&mut self.http.listen, &o.listen);
        if let Some(dir) = &o.dashboards_dir {
            self.http.dashboards_dir.clone_from(dir);
        }
    }

    /// Checks every value; the first bad one is reported with its key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.kafka.brokers.trim().is_empty() {
            return Err(invalid("kafka.brokers", "must name at least one host:port"));
        }
        if !self
            .kafka
            .topic_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(invalid(
                "kafka.topic_prefix",
                "only A-Z a-z 0-9 - _ . are allowed in topic names",
            ));
        }
        if self.kafka.group_id.trim().is_empty() {
            return Err(invalid("kafka.group_id", "must not be empty"));
        }
        if !(1..=10_000).contains(&self.kafka.partitions) {
            return Err(invalid("kafka.partitions", "must be between 1 and 10000"));
        }
        if !(1..=16).contains(&self.kafka.replication) {
            return Err(invalid("kafka.replication", "must be between 1 and 16"));
        }
        if !(self.clickhouse.url.starts_with("http://")
            || self.clickhouse.url.starts_with("https://"))
        {
            return Err(invalid(
                "clickhouse.url",
                "must be an http:// or https:// URL",
            ));
        }
        let db = &self.clickhouse.database;
        if db.is_empty()
            || db.starts_with(|c: char| c.is_ascii_digit())
            || !db.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(invalid(
                "clickhouse.database",
                format!(
                    "{db:?} is not a plain identifier (A-Z a-z 0-9 _, not starting with a digit)"
                ),
            ));
        }
        self.http.listen.parse::<SocketAddr>().map_err(|e| {
            invalid(
                "http.listen",
                format!("{:?} is not host:port ({e})", self.http.listen),
            )
        })?;
        if !(1..=3600).contains(&self.day_close.check_every_secs) {
            return Err(invalid(
                "day_close.check_every_secs",
                "must be between 1 and 3600",
            ));
        }
        if !(0..=12 * 60).contains(&self.day_close.grace_minutes) {
            return Err(invalid(
                "day_close.grace_minutes",
                "must be between 0 and 720",
            ));
        }
        if !(1..=366).contains(&self.day_close.catch_up_days) {
            return Err(invalid(
                "day_close.catch_up_days",
                "must be between 1 and 366",
            ));
        }
        if self.ingest.batch_max_rows == 0 {
            return Err(invalid("ingest.batch_max_rows", "must be at least 1"));
        }
        if !(10..=60_000).contains(&self.ingest.batch_max_ms) {
            return Err(invalid(
                "ingest.batch_max_ms",
                "must be between 10 and 60000",
            ));
        }
        self.workshop_directory().map(|_| ())
    }

    /// The engine's view of the workshops.
    pub fn workshop_directory(&self) -> Result<WorkshopDirectory, ConfigError> {
        let w = &self.workshops;
        let tz = |key: &str, name: &str| -> Result<Tz, ConfigError> {
            name.parse::<Tz>().map_err(|_| {
                invalid(
                    key,
                    format!("{name:?} is not an IANA time zone (e.g. Asia/Shanghai)"),
                )
            })
        };
        let target = |key: &str, fen: i64| -> Result<Fen, ConfigError> {
            if fen < 0 {
                Err(invalid(key, "must not be negative"))
            } else {
                Ok(Fen(fen))
            }
        };
        let kpi = w.kpi.settings("workshops.kpi")?;
        let time = |key: &str, text: &str| -> Result<chrono::NaiveTime, ConfigError> {
            chrono::NaiveTime::parse_from_str(text, "%H:%M")
                .map_err(|_| invalid(key, format!("{text:?} is not a time HH:MM")))
        };
        let hours = |key: &str, open: &str, close: &str| {
            let (o, c) = (
                time(&format!("{key}opening_time"), open)?,
                time(&format!("{key}closing_time"), close)?,
            );
            if o >= c {
                return Err(invalid(
                    &format!("{key}closing_time"),
                    "must be after the opening time",
                ));
            }
            Ok((o, c))
        };
        let (opening_time, closing_time) = hours("workshops.", &w.opening_time, &w.closing_time)?;
        let defaults = WorkshopSettings {
            opening_time,
            closing_time,
            name: String::new(),
            time_zone: tz("workshops.time_zone", &w.time_zone)?,
            daily_output_target: target(
                "workshops.daily_output_target_fen",
                w.daily_output_target_fen,
            )?,
            kpi: kpi.clone(),
        };
        let mut directory = WorkshopDirectory::open(defaults.clone());
        directory.accept_unknown = w.accept_unknown;
        for (id, site) in &w.sites {
            let key = format!("workshops.sites.{id}");
            let workshop = WorkshopId::new(id.clone()).map_err(|e| invalid(&key, e.to_string()))?;
            let site_hours = hours(
                &format!("{key}."),
                site.opening_time.as_deref().unwrap_or(&w.opening_time),
                site.closing_time.as_deref().unwrap_or(&w.closing_time),
            )?;
            let settings = WorkshopSettings {
                name: if site.name.is_empty() {
                    id.clone()
                } else {
                    site.name.clone()
                },
                time_zone: match &site.time_zone {
                    Some(name) => tz(&format!("{key}.time_zone"), name)?,
                    None => defaults.time_zone,
                },
                daily_output_target: match site.daily_output_target_fen {
                    Some(fen) => target(&format!("{key}.daily_output_target_fen"), fen)?,
                    None => defaults.daily_output_target,
                },
                kpi: match &site.kpi {
                    Some(overrides) => overrides.over(&w.kpi).settings(&format!("{key}.kpi"))?,
                    None => kpi.clone(),
                },
                opening_time: site_hours.0,
                closing_time: site_hours.1,
            };
            directory.workshops.insert(workshop, settings);
        }
        Ok(directory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key `text` (a config file that parses) is refused for when
    /// validated; `None` if it is valid.
    pub(super) fn refused_key(text: &str) -> Option<String> {
        match Config::from_toml(text).expect("parses").validate() {
            Err(ConfigError::Invalid { key, .. }) => Some(key),
            Ok(()) => None,
            Err(other) => panic!("{text}: {other:?}"),
        }
    }

    /// The settings of listed workshop `id`.
    pub(super) fn site<'a>(dir: &'a WorkshopDirectory, id: &str) -> &'a WorkshopSettings {
        dir.get(&WorkshopId::new(id).expect("id")).expect("listed")
    }

    #[test]
    fn defaults_are_valid_and_local() {
        let config = Config::load(None, &Overrides::default()).expect("defaults load");
        assert_eq!(config.kafka.brokers, "127.0.0.1:9092");
        assert_eq!(config.kafka.partitions, 6);
        assert_eq!(config.http.listen, "127.0.0.1:8080");
    }

    #[test]
    fn sites_inherit_defaults_and_override_them() {
        let config = Config::from_toml(
            r#"
            [workshops]
            time_zone = "Asia/Shanghai"
            daily_output_target_fen = 100
            [workshops.sites.W001]
            name = "Pudong"
            [workshops.sites.W002]
            time_zone = "Asia/Urumqi"
            daily_output_target_fen = 250
            "#,
        )
        .expect("parses");
        let dir = config.workshop_directory().expect("valid");
        let w2 = site(&dir, "W002");
        assert_eq!(w2.time_zone, chrono_tz::Asia::Urumqi);
        assert_eq!(w2.daily_output_target, Fen(250));
        let w1 = site(&dir, "W001");
        assert_eq!(
            (w1.name.as_str(), w1.daily_output_target),
            ("Pudong", Fen(100))
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            (
                "[workshops]\ntime_zone = \"Mars/Olympus\"",
                "workshops.time_zone",
            ),
            ("[kafka]\npartitions = 0", "kafka.partitions"),
            (
                "[clickhouse]\ndatabase = \"drop table\"",
                "clickhouse.database",
            ),
            ("[http]\nlisten = \"localhost\"", "http.listen"),
            (
                "[workshops.sites.\"W 1\"]\nname = \"x\"",
                "workshops.sites.W 1",
            ),
        ];
        for (text, key) in cases {
            assert_eq!(refused_key(text).as_deref(), Some(key), "{text}");
        }
    }

    #[test]
    fn the_readme_example_is_a_valid_config() {
        let readme = include_str!("../../../README.md");
        let start = readme
            .find("```toml\n")
            .expect("a toml block in the README")
            + 8;
        let len = readme[start..].find("```").expect("closed block");
        let config = Config::from_toml(&readme[start..start + len]).expect("parses");
        config.validate().expect("valid");
        let dir = config.workshop_directory().expect("workshops");
        assert_eq!(dir.workshops.len(), 1);
        assert_eq!(config.day_close.grace_minutes, 60);
    }

    #[test]
    fn load_reads_the_file_then_puts_flags_and_environment_on_top() {
        let path = std::env::temp_dir().join(format!("wp-config-{}.toml", std::process::id()));
        std::fs::write(
            &path,
            "[kafka]\nbrokers = \"file:9092\"\ngroup_id = \"from-file\"\n",
        )
        .expect("write");
        let overrides = Overrides {
            kafka_brokers: Some("flag:9092".into()),
            ..Overrides::default()
        };
        let loaded = Config::load(Some(&path), &overrides);
        std::fs::remove_file(&path).expect("remove");
        let config = loaded.expect("loads");
        assert_eq!(
            (
                config.kafka.brokers.as_str(),
                config.kafka.group_id.as_str()
            ),
            ("flag:9092", "from-file")
        );
        let bad = Overrides {
            clickhouse_url: Some("ftp://x".into()),
            ..Overrides::default()
        };
        match Config::load(None, &bad) {
            Err(ConfigError::Invalid { key, .. }) => assert_eq!(key, "clickhouse.url"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn values_at_their_limits_are_accepted() {
        let config = Config::from_toml(
            r#"
            [kafka]
            topic_prefix = "team-a.pulse_1"
            [clickhouse]
            url = "https://ch.example:8443"
            database = "wp_2"
            [day_close]
            grace_minutes = 720
            [workshops]
            daily_output_target_fen = 0
            "#,
        )
        .expect("parses");
        config.validate().expect("valid");
        for (text, key) in [
            ("[clickhouse]\ndatabase = \"2wp\"", "clickhouse.database"),
            (
                "[day_close]\ngrace_minutes = 721",
                "day_close.grace_minutes",
            ),
            (
                "[workshops]\ndaily_output_target_fen = -1",
                "workshops.daily_output_target_fen",
            ),
        ] {
            assert_eq!(refused_key(text).as_deref(), Some(key), "{text}");
        }
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = Config::from_toml("[kafka]\nbrokerz = \"x\"").expect_err("typo refused");
        assert!(err.contains("brokerz"), "{err}");
    }
}
