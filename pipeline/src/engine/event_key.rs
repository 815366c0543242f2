//! The order-independent tiebreak (docs/kpis.md §9.6). The engine files every
//! event under its key, `(occurred_at in milliseconds, event_id)`. Where two
//! events set the same fact (two openings of one order, two dispatches of one
//! job), the one with the smaller key wins, whatever order they arrive in.

use crate::events::EventId;

/// An event's key: earlier occurrence first, then event id (as text).
pub type EventKey = (i64, EventId);

/// A fact that knows the key of the event that set it.
pub(super) trait Keyed {
    /// The key of the event that set it.
    fn key(&self) -> &EventKey;
}

/// Keeps the earlier of the fact in `slot` and `new`; returns whether `new`
/// won (the slot was empty, or `new`'s event is earlier). A copy with the
/// same key loses: it is the same event.
pub(super) fn keep_earliest<T: Keyed>(slot: &mut Option<T>, new: T) -> bool {
    if slot.as_ref().is_none_or(|old| new.key() < old.key()) {
        *slot = Some(new);
        true
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tagged(EventKey, &'static str);

    impl Keyed for Tagged {
        fn key(&self) -> &EventKey {
            &self.0
        }
    }

    fn tagged(ms: i64, id: &str, what: &'static str) -> Tagged {
        Tagged((ms, EventId::new(id).expect("id")), what)
    }

    #[test]
    fn the_earliest_event_wins_whatever_the_arrival_order() {
        let mut slot = None;
        assert!(keep_earliest(&mut slot, tagged(20, "b", "second")));
        assert!(keep_earliest(&mut slot, tagged(10, "z", "first")));
        assert!(!keep_earliest(&mut slot, tagged(30, "a", "third")));
        assert_eq!(slot.as_ref().map(|f| f.1), Some("first"));
    }

    #[test]
    fn one_millisecond_is_broken_by_the_event_id_and_a_copy_loses() {
        let mut slot = None;
        assert!(keep_earliest(&mut slot, tagged(10, "e2", "later id")));
        assert!(keep_earliest(&mut slot, tagged(10, "e1", "earlier id")));
        assert!(!keep_earliest(&mut slot, tagged(10, "e1", "copy")));
        assert_eq!(slot.as_ref().map(|f| f.1), Some("earlier id"));
    }
}
