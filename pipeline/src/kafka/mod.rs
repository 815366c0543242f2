//! The broker adapter: speaks the Kafka protocol through rdkafka (bundled
//! librdkafka). Clients are configured here and nowhere else; topics are created
//! from Rust ([`admin::ensure_topics`]) so no Java tool is needed at run time.
//!
//! Guarantees: consumers never auto-commit (ingest commits after ClickHouse
//! acknowledged); producers are idempotent with `acks=all`.

pub mod admin;

use crate::config::KafkaConfig;
use rdkafka::ClientConfig;

/// Errors from the broker.
#[derive(Debug, thiserror::Error)]
pub enum KafkaError {
    /// A client could not be created or a request failed.
    #[error("kafka at {brokers}: {source}")]
    Client {
        /// The bootstrap servers.
        brokers: String,
        /// rdkafka's error.
        source: rdkafka::error::KafkaError,
    },
    /// The broker did not answer as required in time.
    #[error(
        "kafka at {brokers} is not ready: {reason} (start it with `docker/local/services.sh start`)"
    )]
    NotReady {
        /// The bootstrap servers.
        brokers: String,
        /// What was missing.
        reason: String,
    },
    /// Topic creation was refused.
    #[error("creating topic {topic}: {reason}")]
    CreateTopic {
        /// The topic.
        topic: String,
        /// The broker's answer.
        reason: String,
    },
}

impl KafkaError {
    pub(crate) fn client(cfg: &KafkaConfig, source: rdkafka::error::KafkaError) -> Self {
        KafkaError::Client {
            brokers: cfg.brokers.clone(),
            source,
        }
    }
}

/// Settings shared by every client.
pub fn base_config(cfg: &KafkaConfig) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &cfg.brokers)
        .set("client.id", "workshop-pulse")
        .set("log_level", "4");
    c
}

/// Settings of the ingest consumer: manual commits, earliest on first start.
pub fn consumer_config(cfg: &KafkaConfig) -> ClientConfig {
    let mut c = base_config(cfg);
    c.set("group.id", &cfg.group_id)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("auto.offset.reset", "earliest")
        .set("enable.partition.eof", "false")
        .set("session.timeout.ms", "10000")
        .set("partition.assignment.strategy", "cooperative-sticky");
    c
}

/// Settings of producers (dead-letter topic, simulator): idempotent, acks=all.
pub fn producer_config(cfg: &KafkaConfig) -> ClientConfig {
    let mut c = base_config(cfg);
    c.set("enable.idempotence", "true")
        .set("acks", "all")
        .set("linger.ms", "5")
        .set("message.timeout.ms", "30000");
    c
}
