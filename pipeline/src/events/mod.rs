//! Event schema v1: the envelope, the closed set of event types, newtype ids and
//! money types, and [`decode`], the one place raw Kafka bytes become typed events.

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
pub use money::{Amount, Fen, MAX_EVENT_AMOUNT_FEN, TaxRateBp};
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
    pub fn content_hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        self.hash(&mut hasher);
        hasher.finish()
    }

    /// Milliseconds since the Unix epoch.
    pub fn occurred_at_ms(&self) -> i64 {
        self.occurred_at.timestamp_millis()
    }
}

#[cfg(test)]
mod decode_tests;
#[cfg(test)]
mod docs_examples;
