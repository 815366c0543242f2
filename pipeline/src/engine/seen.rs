//! The events a workshop has absorbed: each event id with a fingerprint of
//! its content, for the duplicate check. The set only grows (every event ever
//! absorbed), so each id's hash is kept beside it: growing the table moves
//! entries without hashing every id again, which was a tenth of `apply`.

use crate::events::{Event, EventId};
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use std::hash::BuildHasher;

/// One absorbed event.
#[derive(Debug, Clone)]
struct Absorbed {
    /// Hash of `id`.
    hash: u64,
    id: EventId,
    fingerprint: u64,
}

/// What the duplicate check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// A new event id (now recorded).
    New,
    /// Seen before with identical content.
    Duplicate,
    /// Seen before with different content.
    Conflict,
}

/// Every absorbed event id, with its content's fingerprint.
#[derive(Debug, Clone, Default)]
pub(super) struct Seen {
    table: HashTable<Absorbed>,
    hasher: foldhash::fast::RandomState,
}

impl Seen {
    /// Records `event` if its id is new; otherwise says whether the content
    /// is the same as before.
    pub(super) fn check(&mut self, event: &Event) -> Check {
        let fingerprint = fingerprint(event);
        let hash = self.hasher.hash_one(event.event_id.as_str());
        let entry = self
            .table
            .entry(hash, |known| known.id == event.event_id, |known| known.hash);
        match entry {
            Entry::Occupied(known) if known.get().fingerprint == fingerprint => Check::Duplicate,
            Entry::Occupied(_) => Check::Conflict,
            Entry::Vacant(slot) => {
                slot.insert(Absorbed {
                    hash,
                    id: event.event_id.clone(),
                    fingerprint,
                });
                Check::New
            }
        }
    }

    /// Distinct events absorbed.
    pub(super) fn len(&self) -> usize {
        self.table.len()
    }
}

/// What the duplicate check compares: a 64-bit hash of the decoded content.
/// It lives only in memory, so it is foldhash (a third of xxh3's cost on our
/// events) rather than the stable [`Event::content_hash`] that `events_raw`
/// stores; a collision between two different contents of one event id has a
/// chance of 2⁻⁶⁴. The event id and workshop id are left out: events compared
/// by fingerprint share both (the id is the table's key, and each workshop
/// has its own table), and hashing the two long ids again was a third of it.
fn fingerprint(event: &Event) -> u64 {
    let Event {
        schema,
        event_id: _,
        workshop_id: _,
        occurred_at,
        body,
    } = event;
    foldhash::quality::FixedState::with_seed(0x5750_756c_7365).hash_one((schema, occurred_at, body))
}
