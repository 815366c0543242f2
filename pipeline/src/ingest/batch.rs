//! What accumulates between two writes: a batch of events and dead letters
//! with the workshop-days they changed ([`Batch`]), and the KPI rows owed
//! since rows were last written, with the offsets that may be committed once
//! they are ([`OwedRows`]). Pure bookkeeping; the loop in `mod.rs` does the I/O.

use super::process::{DeadLetter, Outcome};
use crate::events::WorkshopId;
use crate::store::{EventRow, KafkaPosition};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Workshop-days, in no order. A hash set: one is filed for nearly every
/// message, and a workshop id hashes as the number it carries, where a
/// B-tree compared workshop ids' text at every level.
pub type WorkshopDays = foldhash::HashSet<(WorkshopId, NaiveDate)>;

/// Next offset to commit per (topic, partition): the last offset read + 1.
pub type Offsets = BTreeMap<(String, i32), i64>;

/// Files `next` as a partition's offset to commit, unless a higher one is
/// filed: a partition read again from an earlier offset takes nothing back.
pub fn keep_highest(offsets: &mut Offsets, partition: (String, i32), next: i64) {
    let filed = offsets.entry(partition).or_insert(next);
    *filed = (*filed).max(next);
}

/// One batch.
#[derive(Debug, Default)]
pub struct Batch {
    /// New events for `events_raw`.
    pub events: Vec<EventRow>,
    /// Refused messages.
    pub dead_letters: Vec<DeadLetter>,
    /// Workshop-days whose KPI rows must be written.
    pub dirty: WorkshopDays,
    /// Next offset to commit per (topic, partition).
    pub offsets: Offsets,
    messages: usize,
    opened_at: Option<Instant>,
}

impl Batch {
    /// Records one processed message.
    pub fn record(&mut self, position: &KafkaPosition, outcome: Outcome) {
        self.opened_at.get_or_insert_with(Instant::now);
        self.messages += 1;
        keep_highest(
            &mut self.offsets,
            (position.topic.clone(), position.partition),
            position.offset + 1,
        );
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

    /// Messages recorded.
    pub fn messages(&self) -> usize {
        self.messages
    }

    /// Whether no message was recorded.
    pub fn is_empty(&self) -> bool {
        self.messages == 0
    }

    /// Whether the batch is due: `max_rows` messages, or older than `max_age`.
    pub fn is_due(&self, max_rows: usize, max_age: Duration) -> bool {
        self.messages >= max_rows || self.opened_at.is_some_and(|t| t.elapsed() >= max_age)
    }
}

/// KPI rows owed to ClickHouse: the workshop-days changed since rows were
/// last written, and the offsets of the batches whose events are durable but
/// whose rows are not yet (committed only once they are, so a committed
/// offset always has its rows).
///
/// Events are written every `batch_max_rows` messages, rows at most once per
/// `batch_max_ms`: at a million messages a second that is one row insert per
/// table a second instead of a hundred, as ClickHouse asks (about one insert
/// a second per table; each insert is a part to merge), and each changed
/// workshop-day's rows are computed once a second, not once per batch.
#[derive(Debug, Default)]
pub struct OwedRows {
    /// Workshop-days whose rows must be written.
    pub dirty: WorkshopDays,
    /// Next offset to commit per (topic, partition), once the rows are written.
    pub offsets: Offsets,
    /// When rows were last written; never, until the first write.
    written_at: Option<Instant>,
}

impl OwedRows {
    /// Takes on a durable batch's changed days and offsets.
    pub fn absorb(&mut self, batch: Batch) {
        self.dirty.extend(batch.dirty);
        for (partition, next) in batch.offsets {
            keep_highest(&mut self.offsets, partition, next);
        }
    }

    /// Marks a workshop-day's rows to be written without a message (after a
    /// rebuild).
    pub fn mark_dirty(&mut self, workshop: WorkshopId, date: NaiveDate) {
        self.dirty.insert((workshop, date));
    }

    /// Whether rows are owed and the last write is at least `max_age` ago.
    pub fn is_due(&self, max_age: Duration) -> bool {
        !(self.dirty.is_empty() && self.offsets.is_empty())
            && self.written_at.is_none_or(|t| t.elapsed() >= max_age)
    }

    /// What is owed, to be written now; the next write is due `max_age` later.
    pub fn take(&mut self) -> OwedRows {
        let owed = OwedRows {
            dirty: std::mem::take(&mut self.dirty),
            offsets: std::mem::take(&mut self.offsets),
            written_at: None,
        };
        self.written_at = Some(Instant::now());
        owed
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

    /// A batch of one message at `position` that changed `workshop`'s `day`.
    fn changed(batch: &mut Batch, position: KafkaPosition, workshop: &str, day: u32) {
        batch.record(&position, Outcome::Duplicate);
        let date = NaiveDate::from_ymd_opt(2026, 11, day).expect("date");
        batch
            .dirty
            .insert((WorkshopId::new(workshop).expect("id"), date));
    }

    #[test]
    fn rows_are_owed_for_every_batch_since_the_last_write_with_its_offsets() {
        let mut owed = OwedRows::default();
        assert!(!owed.is_due(Duration::ZERO), "nothing owed, nothing due");
        let mut first = Batch::default();
        changed(&mut first, at(0, 5), "W1", 16);
        changed(&mut first, at(1, 2), "W2", 16);
        let mut second = Batch::default();
        changed(&mut second, at(0, 9), "W1", 17);
        changed(&mut second, at(0, 3), "W1", 16);
        // A lower offset in a later batch (a partition read again) takes
        // nothing back.
        changed(&mut second, at(1, 1), "W2", 16);
        owed.absorb(first);
        owed.absorb(second);
        // Never written yet: due at once (the rows of a rebuilt engine too).
        assert!(owed.is_due(Duration::from_secs(60)));
        let taken = owed.take();
        assert_eq!(taken.dirty.len(), 3);
        assert_eq!(taken.offsets.get(&("t".into(), 0)), Some(&10));
        assert_eq!(taken.offsets.get(&("t".into(), 1)), Some(&3));
        assert!(owed.dirty.is_empty() && owed.offsets.is_empty());
    }

    #[test]
    fn rows_are_written_at_most_once_per_max_age() {
        let mut owed = OwedRows::default();
        owed.mark_dirty(WorkshopId::new("W1").expect("id"), NaiveDate::MIN);
        let _ = owed.take();
        // More batches right after a write wait for the next one.
        let mut batch = Batch::default();
        changed(&mut batch, at(0, 1), "W1", 18);
        owed.absorb(batch);
        assert!(!owed.is_due(Duration::from_secs(60)));
        assert!(owed.is_due(Duration::ZERO));
        // A batch of duplicates changes no day but still owes its offsets.
        let _ = owed.take();
        let mut duplicates = Batch::default();
        duplicates.record(&at(2, 7), Outcome::Duplicate);
        owed.absorb(duplicates);
        assert!(owed.dirty.is_empty());
        assert!(owed.is_due(Duration::ZERO));
    }
}
