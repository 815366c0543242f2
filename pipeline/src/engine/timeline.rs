//! Entries in event order — a technician's clockings, a bay's marks — kept in
//! a vector sorted by [`EventKey`] rather than a B-tree.
//!
//! Every clocking and bay mark asks for its neighbours (the last clock-on
//! before it, the next after it), and walking a B-tree to them, comparing
//! keys node by node, was a fifth of `Engine::apply`. Here a neighbour is one
//! binary search away and a run of entries is a slice. Events arrive in time
//! order nearly always, so an entry is pushed at the end; one that arrives
//! late goes in near the end and moves only the entries after it.
//!
//! A repair order's QC results, parts status changes and promise revisions
//! are timelines too: one to three entries each, where a B-tree allocated a
//! node of eleven.

use super::repair_orders::EventKey;
use std::ops::{Bound, RangeBounds};

/// Entries sorted by key, each key once.
#[derive(Debug, Clone)]
pub(super) struct Timeline<V>(Vec<(EventKey, V)>);

impl<V> Default for Timeline<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> Timeline<V> {
    /// Files `value` under `key`, replacing what was there.
    pub(super) fn insert(&mut self, key: EventKey, value: V) {
        if self.0.last().is_none_or(|(last, _)| *last < key) {
            self.0.push((key, value));
            return;
        }
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(at) => self.0[at].1 = value,
            Err(at) => self.0.insert(at, (key, value)),
        }
    }

    /// Every entry, in key order.
    pub(super) fn iter(&self) -> std::slice::Iter<'_, (EventKey, V)> {
        self.0.iter()
    }

    /// Every entry, in key order, as a slice.
    pub(super) fn as_slice(&self) -> &[(EventKey, V)] {
        &self.0
    }

    /// Every value, in key order.
    pub(super) fn values(&self) -> impl DoubleEndedIterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// The entries whose keys lie in `range`, in key order.
    pub(super) fn range<'k>(&self, range: impl RangeBounds<&'k EventKey>) -> &[(EventKey, V)] {
        within(
            &self.0,
            |(k, _)| k,
            range.start_bound().map(|k| *k),
            range.end_bound().map(|k| *k),
        )
    }
}

/// The run of `items` (sorted by `key`) whose keys lie between `start` and
/// `end`: two binary searches. Empty if the bounds cross.
pub(super) fn within<'a, T, K: Ord>(
    items: &'a [T],
    key: impl Fn(&T) -> &K,
    start: Bound<&K>,
    end: Bound<&K>,
) -> &'a [T] {
    let from = match start {
        Bound::Included(s) => items.partition_point(|x| key(x) < s),
        Bound::Excluded(s) => items.partition_point(|x| key(x) <= s),
        Bound::Unbounded => 0,
    };
    let to = match end {
        Bound::Included(e) => items.partition_point(|x| key(x) <= e),
        Bound::Excluded(e) => items.partition_point(|x| key(x) < e),
        Bound::Unbounded => items.len(),
    };
    items.get(from..to.max(from)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventId;
    use std::collections::BTreeMap;

    fn key(ms: i64, id: &str) -> EventKey {
        (ms, EventId::new(id).expect("id"))
    }

    #[test]
    fn entries_in_any_order_come_out_in_key_order_and_a_key_is_replaced() {
        let mut t = Timeline::default();
        for (ms, id, v) in [
            (5, "b", 1),
            (9, "a", 2),
            (5, "a", 3),
            (1, "z", 4),
            (9, "a", 5),
        ] {
            t.insert(key(ms, id), v);
        }
        let got: Vec<(i64, &str, i32)> = t.iter().map(|(k, v)| (k.0, k.1.as_str(), *v)).collect();
        assert_eq!(got, [(1, "z", 4), (5, "a", 3), (5, "b", 1), (9, "a", 5)]);
        assert_eq!(t.values().rev().copied().collect::<Vec<_>>(), [5, 1, 3, 4]);
    }

    #[test]
    fn ranges_are_the_btree_maps_ranges() {
        let keys: Vec<EventKey> = [(2, "a"), (4, "a"), (4, "c"), (7, "b"), (9, "a")]
            .map(|(ms, id)| key(ms, id))
            .into();
        let mut t = Timeline::default();
        let mut map = BTreeMap::new();
        for (i, k) in keys.iter().enumerate() {
            t.insert(k.clone(), i);
            map.insert(k.clone(), i);
        }
        let probes: Vec<EventKey> = (1..=10)
            .flat_map(|ms| ["a", "b", "c", "d"].map(|id| key(ms, id)))
            .collect();
        let of = |slice: &[(EventKey, usize)]| slice.iter().map(|(_, v)| *v).collect::<Vec<_>>();
        let of_map = |it: std::collections::btree_map::Range<'_, EventKey, usize>| {
            it.map(|(_, v)| *v).collect::<Vec<_>>()
        };
        for a in &probes {
            assert_eq!(of(t.range(a..)), of_map(map.range(a..)));
            assert_eq!(of(t.range(..a)), of_map(map.range(..a)));
            for b in probes.iter().filter(|b| a <= *b) {
                assert_eq!(of(t.range(a..=b)), of_map(map.range(a..=b)));
                assert_eq!(of(t.range(a..b)), of_map(map.range(a..b)));
            }
        }
        assert_eq!(of(t.range(..)), of_map(map.range::<EventKey, _>(..)));
    }
}
