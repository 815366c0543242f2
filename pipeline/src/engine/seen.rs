//! The events a workshop has absorbed: each event id with a fingerprint of
//! its content, for the duplicate check. The set only grows (every event ever
//! absorbed); growing it hashes no id's text again, because an id hashes as
//! the hash it carries (`events::ids`).

use crate::events::{Event, EventId};
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use std::hash::BuildHasher;

/// One absorbed event.
#[derive(Debug, Clone)]
struct Absorbed {
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

/// Every absorbed event id, with its content's fingerprint. (A table rather
/// than a map, so a new id is looked up once and stored without a second
/// probe.)
#[derive(Debug, Clone, Default)]
pub(super) struct Seen {
    table: HashTable<Absorbed>,
    hasher: foldhash::fast::RandomState,
}

impl Seen {
    /// Records `event`, whose [`Event::content_hash`] is `fingerprint`, if
    /// its id is new; otherwise says whether the content is the same as
    /// before. (The content hash is the one `events_raw` stores, so ingest
    /// hashes each event's content once; a collision between two different
    /// contents of one event id has a chance of 2⁻⁶⁴.)
    pub(super) fn check(&mut self, event: &Event, fingerprint: u64) -> Check {
        let hasher = &self.hasher;
        let entry = self.table.entry(
            hasher.hash_one(&event.event_id),
            |known| known.id == event.event_id,
            |known| hasher.hash_one(&known.id),
        );
        match entry {
            Entry::Occupied(known) if known.get().fingerprint == fingerprint => Check::Duplicate,
            Entry::Occupied(_) => Check::Conflict,
            Entry::Vacant(slot) => {
                slot.insert(Absorbed {
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
