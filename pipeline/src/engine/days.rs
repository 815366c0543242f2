//! The business days on which a workshop has any event: the days that get a
//! row. Nearly every event asks for a run of them (a level such as work in
//! progress changes on every later day), so they are a sorted vector, where a
//! run is a slice found by a search from the end, rather than a B-tree, whose range
//! walk was an eighth of `Engine::apply`. Days arrive almost always in order
//! and there are a few hundred a year, so inserting one in the middle is rare
//! and cheap. (A repair order's settlement days are kept the same way: one
//! or two, where a B-tree allocated a node of eleven.)

use super::timeline::within;
use chrono::NaiveDate;
use std::ops::RangeBounds;

/// Distinct days, oldest first.
#[derive(Debug, Clone, Default)]
pub(super) struct Days(Vec<NaiveDate>);

impl Days {
    /// Adds a day; whether it was new.
    pub(super) fn insert(&mut self, day: NaiveDate) -> bool {
        if self.0.last().is_none_or(|last| *last < day) {
            self.0.push(day);
            return true;
        }
        match self.0.binary_search(&day) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, day);
                true
            }
        }
    }

    /// Whether `day` has a row.
    pub(super) fn contains(&self, day: &NaiveDate) -> bool {
        self.0.binary_search(day).is_ok()
    }

    /// The latest day.
    pub(super) fn last(&self) -> Option<NaiveDate> {
        self.0.last().copied()
    }

    /// Every day, oldest first.
    pub(super) fn iter(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.0.iter().copied()
    }

    /// The days within `range`, oldest first.
    pub(super) fn range(&self, range: impl RangeBounds<NaiveDate>) -> &[NaiveDate] {
        within(&self.0, |d| d, range.start_bound(), range.end_bound())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date")
    }

    #[test]
    fn days_inserted_in_any_order_are_sorted_once_each() {
        let mut days = Days::default();
        let inserted: Vec<bool> = [5, 9, 9, 2, 7, 12, 2].map(|n| days.insert(d(n))).into();
        assert_eq!(inserted, [true, true, false, true, true, true, false]);
        assert_eq!(days.iter().collect::<Vec<_>>(), [2, 5, 7, 9, 12].map(d));
        assert_eq!(days.last(), Some(d(12)));
        assert!(days.contains(&d(7)) && !days.contains(&d(8)));
    }

    #[test]
    fn ranges_are_the_btree_sets_ranges() {
        let picked = [2, 5, 7, 9, 12];
        let mut days = Days::default();
        for n in picked {
            days.insert(d(n));
        }
        let set: BTreeSet<NaiveDate> = picked.map(d).into();
        for a in 1..=13 {
            let from: Vec<NaiveDate> = set.range(d(a)..).copied().collect();
            assert_eq!(days.range(d(a)..), from.as_slice(), "{a}..");
            for b in a..=13 {
                let closed: Vec<NaiveDate> = set.range(d(a)..=d(b)).copied().collect();
                assert_eq!(days.range(d(a)..=d(b)), closed.as_slice(), "{a}..={b}");
                let open: Vec<NaiveDate> = set.range(d(a)..d(b)).copied().collect();
                assert_eq!(days.range(d(a)..d(b)), open.as_slice(), "{a}..{b}");
            }
        }
        assert_eq!(
            days.range(..),
            set.iter().copied().collect::<Vec<_>>().as_slice()
        );
        assert!(Days::default().range(d(1)..).is_empty());
    }
}
