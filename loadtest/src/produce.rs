//! Sends simulated events to Kafka: key = workshop id, value = the event's JSON,
//! on the topic of its type. Waits for every acknowledgement before returning.

use crate::simulate::SimEvent;
use rdkafka::producer::{FutureProducer, FutureRecord};
use std::time::{Duration, Instant};
use workshop_pulse::config::KafkaConfig;
use workshop_pulse::events::TopicNames;

/// How to pace the sending.
#[derive(Debug, Clone, Copy)]
pub enum Pace {
    /// As fast as the broker takes them.
    Unpaced,
    /// Replay the day's timeline sped up by this factor (60 = one hour a minute).
    Speedup(f64),
}

/// Progress and totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    /// Messages acknowledged by the broker.
    pub acknowledged: u64,
}

/// Produces `events` in order and returns when all are acknowledged.
/// `progress` is called about every 5 s with the count acknowledged so far.
pub async fn produce(
    config: &KafkaConfig,
    events: &[SimEvent],
    pace: Pace,
    mut progress: impl FnMut(u64, usize),
) -> Result<Sent, rdkafka::error::KafkaError> {
    let producer: FutureProducer = workshop_pulse::kafka::producer_config(config).create()?;
    let names = TopicNames::new(&config.topic_prefix);
    let start = Instant::now();
    let first = events.first().map(|e| e.event.occurred_at);
    let mut pending = Vec::new();
    let mut acknowledged = 0u64;
    let mut last_report = Instant::now();
    for e in events {
        if let (Pace::Speedup(factor), Some(first)) = (pace, first) {
            let offset = (e.event.occurred_at - first).num_milliseconds().max(0) as f64 / factor;
            let due = start + Duration::from_millis(offset as u64);
            tokio::time::sleep_until(due.into()).await;
        }
        let topic = names.source(e.topic);
        let payload = e.event.to_json();
        let key = e.event.workshop_id.to_string();
        let delivery = producer.send_result(FutureRecord::to(&topic).key(&key).payload(&payload));
        match delivery {
            Ok(future) => pending.push(future),
            Err((err, _)) => return Err(err),
        }
        if matches!(pace, Pace::Speedup(_)) || pending.len() >= 10_000 {
            for future in pending.drain(..) {
                match future.await {
                    Ok(Ok(_)) => acknowledged += 1,
                    Ok(Err((err, _))) => return Err(err),
                    Err(_) => return Err(rdkafka::error::KafkaError::Canceled),
                }
            }
        }
        if last_report.elapsed() >= Duration::from_secs(5) {
            progress(acknowledged, events.len());
            last_report = Instant::now();
        }
    }
    for future in pending {
        match future.await {
            Ok(Ok(_)) => acknowledged += 1,
            Ok(Err((err, _))) => return Err(err),
            Err(_) => return Err(rdkafka::error::KafkaError::Canceled),
        }
    }
    progress(acknowledged, events.len());
    Ok(Sent { acknowledged })
}
