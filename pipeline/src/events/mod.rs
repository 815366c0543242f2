//! Event schema v1: the envelope, the closed set of event types, newtype ids and
//! money types, and [`decode()`](fn@decode), the one place raw Kafka bytes become typed events.

mod body;
mod decode;
mod ids;
mod money;
mod topic;

pub use body::{ClockKind, Dissatisfaction, EVENT_TYPES, EventBody, JobType, Payer, topic_of_type};
pub use decode::{DecodeError, MAX_EVENT_BYTES, RejectReason, SCHEMA_VERSION, decode};
pub use ids::{
    AdvisorId, AppointmentId, BayId, EventId, IdError, InvoiceNo, JobId, RepairOrderId,
    TechnicianId, Vin, WorkshopId,
};
pub use money::{Amount, Fen, InvoiceAmount, MAX_EVENT_AMOUNT_FEN, TaxRateBp};
pub use topic::{Topic, TopicNames};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// One valid event: the envelope fields plus the typed payload.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Event {
    /// Schema version; always [`SCHEMA_VERSION`] once decoded.
    pub schema: u16,
    /// Unique id; replays and duplicates carry the same one.
    pub event_id: EventId,
    /// The workshop; also the Kafka key, so a workshop's events share a partition.
    pub workshop_id: WorkshopId,
    /// When it happened, with the sender's UTC offset, millisecond precision.
    pub occurred_at: DateTime<FixedOffset>,
    /// What happened.
    #[serde(flatten)]
    pub body: EventBody,
}

impl Event {
    /// The canonical JSON of the event: what the simulator sends, and what
    /// [`Event::content_hash`] hashes. (`events_raw` keeps the original bytes.)
    pub fn to_json(&self) -> String {
        // Serialising these plain types cannot fail: no maps with non-string keys.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A hash of the decoded content, so "same id, different content" is caught
    /// while whitespace or key order in the original bytes is not. Hashes the
    /// typed fields directly (instants by their UTC value) instead of
    /// serialising: this runs for every event.
    ///
    /// The fields' bytes are gathered first and hashed in one call: the same
    /// value as feeding them to xxh3's streaming hasher one by one, for about
    /// 60% of the cost (a streaming update per field was most of it).
    pub fn content_hash(&self) -> u64 {
        use std::hash::Hash;
        let mut bytes = ContentBytes::default();
        self.hash(&mut bytes);
        xxhash_rust::xxh3::xxh3_64(bytes.bytes())
    }

    /// Milliseconds since the Unix epoch.
    pub fn occurred_at_ms(&self) -> i64 {
        self.occurred_at.timestamp_millis()
    }
}

/// The bytes `Hash` feeds a hasher, gathered on the stack (an ordinary
/// event's fields take a few hundred bytes; a longer one goes on in a vector).
struct ContentBytes {
    head: [u8; 512],
    len: usize,
    tail: Vec<u8>,
}

impl Default for ContentBytes {
    fn default() -> Self {
        Self {
            head: [0; 512],
            len: 0,
            tail: Vec::new(),
        }
    }
}

impl ContentBytes {
    fn push<const N: usize>(&mut self, bytes: [u8; N]) {
        match self.head.get_mut(self.len..self.len + N) {
            Some(slot) if self.tail.is_empty() => {
                slot.copy_from_slice(&bytes);
                self.len += N;
            }
            _ => self.write_slow(&bytes),
        }
    }

    fn write_slow(&mut self, bytes: &[u8]) {
        if self.tail.is_empty() {
            self.tail.extend_from_slice(&self.head[..self.len]);
        }
        self.tail.extend_from_slice(bytes);
    }

    fn bytes(&self) -> &[u8] {
        if self.tail.is_empty() {
            &self.head[..self.len]
        } else {
            &self.tail
        }
    }
}

impl std::hash::Hasher for ContentBytes {
    fn write(&mut self, bytes: &[u8]) {
        match self.head.get_mut(self.len..self.len + bytes.len()) {
            Some(slot) if self.tail.is_empty() => {
                slot.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            _ => self.write_slow(bytes),
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.push(n.to_ne_bytes());
    }

    fn write_u16(&mut self, n: u16) {
        self.push(n.to_ne_bytes());
    }

    fn write_u32(&mut self, n: u32) {
        self.push(n.to_ne_bytes());
    }

    fn write_u64(&mut self, n: u64) {
        self.push(n.to_ne_bytes());
    }

    fn write_usize(&mut self, n: usize) {
        self.push(n.to_ne_bytes());
    }

    fn write_i32(&mut self, n: i32) {
        self.push(n.to_ne_bytes());
    }

    fn write_i64(&mut self, n: i64) {
        self.push(n.to_ne_bytes());
    }

    fn write_isize(&mut self, n: isize) {
        self.push(n.to_ne_bytes());
    }

    fn finish(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(self.bytes())
    }
}

#[cfg(test)]
mod decode_tests;
#[cfg(test)]
mod docs_examples;
