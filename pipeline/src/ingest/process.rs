//! One message → what to do with it. Pure: no I/O, so every path is unit-tested.

use crate::engine::{Applied, ChangedDays, Engine};
use crate::events::{DecodeError, RejectReason, Topic, WorkshopId, decode};
use crate::store::{EventRow, KafkaPosition};

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
        days: ChangedDays,
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
    // Hashed once: the events_raw row stores it, the duplicate check compares it.
    let content_hash = event.content_hash();
    match engine.apply_hashed(&event, content_hash) {
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
                row: EventRow::new(&event, content_hash, business_date, &text, msg.position),
                workshop: event.workshop_id,
                days,
            }
        }
        Applied::Duplicate => Outcome::Duplicate,
        Applied::Refused(error) => refuse(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{WorkshopDirectory, WorkshopSettings};

    const SETTLED: &str = r#"{"schema":1,"event_id":"e1","workshop_id":"W001","occurred_at":"2026-11-23T16:40:00.000+08:00","type":"settled","ro_id":"RO-1","invoice_no":"INV-1","payer":"customer","labour_fen":40000,"parts_fen":70000,"other_fen":3000,"discount_fen":3000,"tax_rate_bp":1300}"#;

    fn position(offset: i64) -> KafkaPosition {
        KafkaPosition {
            topic: "workshop.repair-orders".into(),
            partition: 2,
            offset,
        }
    }

    fn apply(engine: &mut Engine, key: &[u8], payload: &[u8], offset: i64) -> Outcome {
        let at = position(offset);
        process(
            engine,
            Incoming {
                topic: Topic::RepairOrders,
                position: &at,
                key: Some(key),
                payload: Some(payload),
            },
        )
    }

    fn engine() -> Engine {
        Engine::new(WorkshopDirectory::open(WorkshopSettings::default()))
    }

    #[test]
    fn a_valid_event_becomes_a_row_with_its_position_and_business_day() {
        let mut e = engine();
        match apply(&mut e, b"W001", SETTLED.as_bytes(), 7) {
            Outcome::Accepted {
                row,
                workshop,
                days,
            } => {
                assert_eq!(workshop.as_str(), "W001");
                assert_eq!(row.event_type, "settled");
                assert_eq!(row.payload, SETTLED, "the original bytes are kept");
                assert_eq!((row.kafka_partition, row.kafka_offset), (2, 7));
                assert_eq!(row.business_date.to_string(), "2026-11-23");
                assert_eq!(days.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            apply(&mut e, b"W001", SETTLED.as_bytes(), 8),
            Outcome::Duplicate
        );
    }

    #[test]
    fn bad_bytes_become_dead_letters_with_the_original_payload() {
        let mut e = engine();
        match apply(&mut e, b"W001", b"\xff\xfe not json", 3) {
            Outcome::Refused(dead) => {
                assert_eq!(dead.error.reason, RejectReason::NotUtf8);
                assert_eq!(dead.payload, b"\xff\xfe not json");
                assert_eq!(dead.key, b"W001");
                assert_eq!(dead.position, position(3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_key_other_than_the_workshop_is_refused() {
        let mut e = engine();
        match apply(&mut e, b"W002", SETTLED.as_bytes(), 1) {
            Outcome::Refused(dead) => assert_eq!(dead.error.reason, RejectReason::KeyMismatch),
            other => panic!("{other:?}"),
        }
        // Nothing was absorbed: the correctly keyed event is still new.
        assert!(matches!(
            apply(&mut e, b"W001", SETTLED.as_bytes(), 2),
            Outcome::Accepted { .. }
        ));
    }

    #[test]
    fn a_conflicting_duplicate_is_a_dead_letter() {
        let mut e = engine();
        apply(&mut e, b"W001", SETTLED.as_bytes(), 1);
        let forged = SETTLED.replace("40000", "41000");
        match apply(&mut e, b"W001", forged.as_bytes(), 2) {
            Outcome::Refused(dead) => {
                assert_eq!(dead.error.reason, RejectReason::ConflictingDuplicate)
            }
            other => panic!("{other:?}"),
        }
    }
}
