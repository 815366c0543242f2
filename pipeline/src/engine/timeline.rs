//! Entries in event order — a technician's clockings, a bay's marks — kept in
//! a vector sorted by [`EventKey`] rather than a B-tree.
//!
//! Every clocking and bay mark asks for its neighbours (the last clock-on
//! before it, the next after it), and walking a B-tree to them, comparing
//! keys node by node, was a fifth of `Engine::apply`. Here a neighbour is one
//! search away, made from the end ([`partition_point_from_end`]), and a run of
//! entries is a slice. Events arrive in time
//! order nearly always, so an entry is pushed at the end; one that arrives
//! late goes in near the end and moves only the entries after it.
//!
//! A repair order's QC results, parts status changes and promise revisions
//! are timelines too: one to three entries each, where a B-tree allocated a
//! node of eleven.

use super::event_key::EventKey;
use crate::events::EventId;
use std::ops::{Bound, RangeBounds};

/// The lowest event id, for range bounds (made once: it is shared text).
static BEFORE_ALL: std::sync::LazyLock<EventId> = std::sync::LazyLock::new(EventId::before_all);

/// The first key at `ms`: every event at or after `ms` has a key at or after
/// it, every event before it a key before it.
pub(super) fn first_key_at(ms: i64) -> EventKey {
    (ms, BEFORE_ALL.clone())
}

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
        let at = partition_point_from_end(&self.0, |(k, _)| *k < key);
        match self.0.get_mut(at) {
            Some((k, v)) if *k == key => *v = value,
            _ => self.0.insert(at, (key, value)),
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
    pub(super) fn values(&self) -> impl DoubleEndedIterator<Item = &V> + Clone {
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
/// `end`: two searches from the end ([`partition_point_from_end`]). Empty if
/// the bounds cross.
pub(super) fn within<'a, T, K: Ord>(
    items: &'a [T],
    key: impl Fn(&T) -> &K,
    start: Bound<&K>,
    end: Bound<&K>,
) -> &'a [T] {
    let from = match start {
        Bound::Included(s) => partition_point_from_end(items, |x| key(x) < s),
        Bound::Excluded(s) => partition_point_from_end(items, |x| key(x) <= s),
        Bound::Unbounded => 0,
    };
    let to = match end {
        Bound::Included(e) => partition_point_from_end(items, |x| key(x) <= e),
        Bound::Excluded(e) => partition_point_from_end(items, |x| key(x) < e),
        Bound::Unbounded => items.len(),
    };
    items.get(from..to.max(from)).unwrap_or_default()
}

/// `items.partition_point(pred)` (`pred` holds for a prefix of `items`),
/// found by galloping back from the end: probes at 1, 2, 4, … from the end,
/// then a binary search inside the last gap.
///
/// Events arrive nearly in time order, so what an event looks for in a
/// timeline (its neighbours, its day) is almost always among the last few
/// entries. A binary search over a technician's month of clockings starts
/// in the middle of the history and touches a cold cache line at every
/// step; this touches the tail, which the previous events left warm, and
/// costs at most about twice the steps when the answer is far back.
pub(super) fn partition_point_from_end<T>(items: &[T], pred: impl Fn(&T) -> bool) -> usize {
    // `items[hi..]` are known to fail `pred`.
    let mut hi = items.len();
    let mut step = 1;
    let lo = loop {
        let Some(probe) = hi.checked_sub(step) else {
            break 0;
        };
        if pred(&items[probe]) {
            break probe + 1;
        }
        hi = probe;
        step *= 2;
    };
    lo + items[lo..hi].partition_point(pred)
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
    fn the_search_from_the_end_finds_the_partition_point() {
        for len in 0..70_usize {
            let items: Vec<usize> = (0..len).map(|i| i * 2).collect();
            for probe in 0..=2 * len + 1 {
                assert_eq!(
                    partition_point_from_end(&items, |x| *x < probe),
                    items.partition_point(|x| *x < probe),
                    "len {len}, probe {probe}"
                );
            }
        }
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
