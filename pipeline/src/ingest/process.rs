//! One message → what to do with it. Pure: no I/O, so every path is unit-tested.

use crate::engine::{Applied, Engine};
use crate::events::{DecodeError, RejectReason, Topic, WorkshopId, decode};
use crate::store::{EventRow, KafkaPosition};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// A message as read from Kafka.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The source topic it was read from.
    pub topic: Topic,
    /// Where it was read.
    pub position: &'a KafkaPosition,
    /// The message key.
    pub key: Option<&'a [u8]>,
    /// The message value (`None` for a tombstone).
    pub payload: Option<&'a [u8]>,
}

/// A refused message, with everything the dead-letter topic and table keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// Where it was read.
    pub position: KafkaPosition,
    /// Its key bytes.
    pub key: Vec<u8>,
    /// Its original bytes.
    pub payload: Vec<u8>,
    /// Why it was refused.
    pub error: DecodeError,
}

/// What processing one message decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new valid event: store this row; these days of the workshop changed.
    Accepted {
        /// The `events_raw` row.
        row: EventRow,
        /// The workshop.
        workshop: WorkshopId,
        /// Business days whose KPI rows changed.
        days: BTreeSet<NaiveDate>,
    },
    /// A repeat of an event already absorbed (a replay): nothing to store.
    Duplicate,
    /// Refused: to the dead letters.
    Refused(DeadLetter),
}

/// Decodes, validates and applies one message to the engine.
pub fn process(engine: &mut Engine, msg: Incoming<'_>) -> Outcome {
    let payload = msg.payload.unwrap_or_default();
    let refuse = |error: DecodeError| {
        Outcome::Refused(DeadLetter {
            position: msg.position.clone(),
            key: msg.key.unwrap_or_default().to_vec(),
            payload: payload.to_vec(),
            error,
        })
    };
    let event = match decode(msg.topic, payload) {
        Ok(event) => event,
        Err(error) => return refuse(error),
    };
    if msg.key != Some(event.workshop_id.as_str().as_bytes()) {
        return refuse(DecodeError {
            reason: RejectReason::KeyMismatch,
            detail: format!(
                "key {:?} is not the workshop_id {}; producers must key by workshop",
                String::from_utf8_lossy(msg.key.unwrap_or_default()),
                event.workshop_id
            ),
        });
    }
    match engine.apply(&event) {
        Applied::Changed(days) => {
            let Some(settings) = engine.settings(&event.workshop_id) else {
                // apply() accepted the workshop, so it has settings; keep the
                // message rather than panic if that ever changes.
                return refuse(DecodeError {
                    reason: RejectReason::UnknownWorkshop,
                    detail: format!("no settings for workshop {}", event.workshop_id),
                });
            };
            let business_date = settings.business_date(event.occurred_at);
            // The payload decoded, so it is UTF-8.
            let text = String::from_utf8_lossy(payload);
            Outcome::Accepted {
                row: EventRow::new(&event, business_date, &text, msg.position),
                workshop: event.workshop_id,
                days,
            }
        }
        Applied::Duplicate => Outcome::Duplicate,
        Applied::Refused(error) => refuse(error),
    }
}
