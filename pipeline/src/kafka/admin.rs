//! Readiness, identity and topic creation, from Rust.

use super::{KafkaError, base_config};
use crate::config::KafkaConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::types::RDKafkaErrorCode;
use std::time::{Duration, Instant};

/// Who answered: the facts that tell the project's Apache Kafka from anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerIdentity {
    /// The KRaft cluster id.
    pub cluster_id: String,
    /// Ids of the brokers registered in the metadata.
    pub broker_ids: Vec<i32>,
}

/// An admin client (also used for metadata requests).
pub fn admin_client(cfg: &KafkaConfig) -> Result<AdminClient<DefaultClientContext>, KafkaError> {
    base_config(cfg)
        .create()
        .map_err(|e| KafkaError::client(cfg, e))
}

/// Asks the broker for its cluster id and registered brokers. Blocking; run it
/// off the async threads.
pub fn broker_identity(
    admin: &AdminClient<DefaultClientContext>,
    cfg: &KafkaConfig,
    timeout: Duration,
) -> Result<BrokerIdentity, KafkaError> {
    let metadata = admin
        .inner()
        .fetch_metadata(None, timeout)
        .map_err(|e| KafkaError::client(cfg, e))?;
    let broker_ids: Vec<i32> = metadata.brokers().iter().map(|b| b.id()).collect();
    if broker_ids.is_empty() {
        return Err(KafkaError::NotReady {
            brokers: cfg.brokers.clone(),
            reason: "the metadata lists no registered broker".into(),
        });
    }
    let cluster_id =
        admin
            .inner()
            .fetch_cluster_id(timeout)
            .ok_or_else(|| KafkaError::NotReady {
                brokers: cfg.brokers.clone(),
                reason: "no cluster id in the metadata".into(),
            })?;
    Ok(BrokerIdentity {
        cluster_id,
        broker_ids,
    })
}

/// Waits until a broker is registered, or `wait` has passed.
pub async fn wait_ready(cfg: &KafkaConfig, wait: Duration) -> Result<BrokerIdentity, KafkaError> {
    let cfg = cfg.clone();
    tokio::task::spawn_blocking(move || {
        let admin = admin_client(&cfg)?;
        let deadline = Instant::now() + wait;
        loop {
            let attempt = broker_identity(&admin, &cfg, Duration::from_secs(2));
            match attempt {
                Ok(identity) => return Ok(identity),
                Err(e) if Instant::now() >= deadline => {
                    return Err(KafkaError::NotReady {
                        brokers: cfg.brokers.clone(),
                        reason: format!("no answer within {wait:?}: {e}"),
                    });
                }
                Err(_) => std::thread::sleep(Duration::from_millis(250)),
            }
        }
    })
    .await
    .unwrap_or_else(|join| {
        Err(KafkaError::NotReady {
            brokers: String::new(),
            reason: format!("readiness check panicked: {join}"),
        })
    })
}

/// Creates the topics that do not exist yet with the configured partitions and
/// replication. Retries for up to `wait` while the broker is still registering
/// ("0 broker(s) are registered" right after start-up). Returns the topics created.
pub async fn ensure_topics(
    cfg: &KafkaConfig,
    topics: &[String],
    wait: Duration,
) -> Result<Vec<String>, KafkaError> {
    let admin = admin_client(cfg)?;
    let deadline = Instant::now() + wait;
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let mut pending: Vec<String> = topics.to_vec();
    let mut created = Vec::new();
    loop {
        let new_topics: Vec<NewTopic> = pending
            .iter()
            .map(|t| NewTopic::new(t, cfg.partitions, TopicReplication::Fixed(cfg.replication)))
            .collect();
        let results = admin
            .create_topics(&new_topics, &options)
            .await
            .map_err(|e| KafkaError::client(cfg, e))?;
        let mut retry = Vec::new();
        for result in results {
            match result {
                Ok(topic) => created.push(topic),
                Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
                Err((topic, code)) if Instant::now() < deadline && is_transient(code) => {
                    retry.push(topic);
                }
                Err((topic, code)) => {
                    return Err(KafkaError::CreateTopic {
                        topic,
                        reason: code.to_string(),
                    });
                }
            }
        }
        if retry.is_empty() {
            return Ok(created);
        }
        pending = retry;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn is_transient(code: RDKafkaErrorCode) -> bool {
    matches!(
        code,
        RDKafkaErrorCode::InvalidReplicationFactor
            | RDKafkaErrorCode::BrokerNotAvailable
            | RDKafkaErrorCode::RequestTimedOut
            | RDKafkaErrorCode::NotController
            | RDKafkaErrorCode::OperationTimedOut
    )
}
