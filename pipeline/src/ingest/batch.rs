//! What accumulates between two flushes: rows to insert, dead letters, the KPI
//! rows that changed, and the offsets that may be committed once all of that is
//! durable. Pure bookkeeping; the loop in `mod.rs` does the I/O.

use super::process::{DeadLetter, Outcome};
use crate::events::WorkshopId;
use crate::store::{EventRow, KafkaPosition};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// One batch.
#[derive(Debug, Default)]
pub struct Batch {
    /// New events for `events_raw`.
    pub events: Vec<EventRow>,
    /// Refused messages.
    pub dead_letters: Vec<DeadLetter>,
    /// Workshop-days whose KPI rows must be written.
    pub dirty: BTreeSet<(WorkshopId, NaiveDate)>,
    /// Next offset to commit per (topic, partition): last offset seen + 1.
    pub offsets: BTreeMap<(String, i32), i64>,
    messages: usize,
    opened_at: Option<Instant>,
}

impl Batch {
    /// Records one processed message.
    pub fn record(&mut self, position: &KafkaPosition, outcome: Outcome) {
        self.opened_at.get_or_insert_with(Instant::now);
        self.messages += 1;
        let next = self
            .offsets
            .entry((position.topic.clone(), position.partition))
            .or_insert(0);
        *next = (*next).max(position.offset + 1);
        match outcome {
            Outcome::Accepted {
                row,
                workshop,
                days,
            } => {
                self.events.push(row);
                self.dirty
                    .extend(days.into_iter().map(|d| (workshop.clone(), d)));
            }
            Outcome::Duplicate => {}
            Outcome::Refused(dead) => self.dead_letters.push(dead),
        }
    }

    /// Marks KPI rows to be written without a message (after a rebuild).
    pub fn mark_dirty(&mut self, workshop: WorkshopId, date: NaiveDate) {
        self.opened_at.get_or_insert_with(Instant::now);
        self.dirty.insert((workshop, date));
    }

    /// Messages recorded.
    pub fn messages(&self) -> usize {
        self.messages
    }

    /// Whether nothing at all is pending.
    pub fn is_empty(&self) -> bool {
        self.messages == 0 && self.dirty.is_empty()
    }

    /// Whether the batch is due: `max_rows` messages, or older than `max_age`.
    pub fn is_due(&self, max_rows: usize, max_age: Duration) -> bool {
        self.messages >= max_rows || self.opened_at.is_some_and(|t| t.elapsed() >= max_age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(partition: i32, offset: i64) -> KafkaPosition {
        KafkaPosition {
            topic: "t".into(),
            partition,
            offset,
        }
    }

    #[test]
    fn commits_one_past_the_highest_offset_per_partition() {
        let mut batch = Batch::default();
        for (p, o) in [(0, 5), (0, 7), (0, 6), (1, 0)] {
            batch.record(&at(p, o), Outcome::Duplicate);
        }
        assert_eq!(batch.offsets.get(&("t".into(), 0)), Some(&8));
        assert_eq!(batch.offsets.get(&("t".into(), 1)), Some(&1));
        assert_eq!(batch.messages(), 4);
        assert!(batch.is_due(4, Duration::from_secs(60)));
        assert!(!batch.is_due(5, Duration::from_secs(60)));
    }

    #[test]
    fn an_empty_batch_is_never_due() {
        let batch = Batch::default();
        assert!(batch.is_empty());
        assert!(!batch.is_due(1, Duration::ZERO));
    }
}
