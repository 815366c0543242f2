//! Refused messages go to the dead-letter topic (original bytes as the value, the
//! reason in headers) and to the `dead_letters` table. Nothing is dropped.

use super::process::DeadLetter;
use crate::store::DeadLetterRow;
use chrono::{DateTime, Utc};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use std::time::Duration;

/// Produces every dead letter to `topic` and waits until the broker acknowledged all.
pub async fn produce(
    producer: &FutureProducer,
    topic: &str,
    letters: &[DeadLetter],
) -> Result<(), rdkafka::error::KafkaError> {
    let sends = letters.iter().map(|letter| {
        let partition = letter.position.partition.to_string();
        let offset = letter.position.offset.to_string();
        let headers = OwnedHeaders::new()
            .insert(Header {
                key: "reason_code",
                value: Some(letter.error.reason.code()),
            })
            .insert(Header {
                key: "reason",
                value: Some(letter.error.detail.as_str()),
            })
            .insert(Header {
                key: "source_topic",
                value: Some(letter.position.topic.as_str()),
            })
            .insert(Header {
                key: "source_partition",
                value: Some(partition.as_str()),
            })
            .insert(Header {
                key: "source_offset",
                value: Some(offset.as_str()),
            });
        let record = FutureRecord::to(topic)
            .key(&letter.key)
            .payload(&letter.payload)
            .headers(headers);
        producer.send(record, Duration::from_secs(30))
    });
    for result in futures::future::join_all(sends).await {
        result.map_err(|(e, _)| e)?;
    }
    Ok(())
}

/// The table row of a dead letter.
pub fn row(letter: &DeadLetter, received_at: DateTime<Utc>) -> DeadLetterRow {
    DeadLetterRow {
        kafka_topic: letter.position.topic.clone(),
        kafka_partition: letter.position.partition,
        kafka_offset: letter.position.offset,
        message_key: String::from_utf8_lossy(&letter.key).into_owned(),
        reason_code: letter.error.reason.code().to_string(),
        reason: letter.error.detail.clone(),
        payload: letter.payload.clone(),
        received_at,
    }
}
