//! The business days an event restated: what ingest marks dirty for its next
//! live tick and flush.

use chrono::NaiveDate;
use smallvec::SmallVec;

/// Business days, oldest first, each once. Kept inline, without a heap
/// allocation per event, for up to eight days: an event in time order
/// restates one or two.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedDays(SmallVec<[NaiveDate; 8]>);

impl ChangedDays {
    /// Whether `day` is among them.
    pub fn contains(&self, day: &NaiveDate) -> bool {
        self.0.binary_search(day).is_ok()
    }

    /// How many days.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no day changed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The days, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.0.iter().copied()
    }
}

impl IntoIterator for ChangedDays {
    type Item = NaiveDate;
    type IntoIter = smallvec::IntoIter<[NaiveDate; 8]>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Days gathered while an event is absorbed, in any order and with
/// repetitions; [`Self::finish`] keeps those that have rows, sorted, once each.
#[derive(Debug, Default)]
pub(super) struct Gathered(SmallVec<[NaiveDate; 8]>);

impl Gathered {
    /// Adds a day.
    pub(super) fn insert(&mut self, day: NaiveDate) {
        self.0.push(day);
    }

    /// The days for which `has_row` holds, sorted and without repetitions.
    pub(super) fn finish(mut self, has_row: impl Fn(&NaiveDate) -> bool) -> ChangedDays {
        // Repeats go first: most events gather the same day several times.
        self.0.sort_unstable();
        self.0.dedup();
        self.0.retain(|d| has_row(d));
        ChangedDays(self.0)
    }
}

impl Extend<NaiveDate> for Gathered {
    fn extend<I: IntoIterator<Item = NaiveDate>>(&mut self, days: I) {
        self.0.extend(days);
    }
}

impl<'a> Extend<&'a NaiveDate> for Gathered {
    fn extend<I: IntoIterator<Item = &'a NaiveDate>>(&mut self, days: I) {
        self.0.extend(days.into_iter().copied());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date")
    }

    #[test]
    fn finish_sorts_drops_repeats_and_days_without_rows() {
        let mut g = Gathered::default();
        g.extend([d(20), d(3), d(20), d(9)]);
        g.insert(d(12));
        g.extend(&[d(3)]);
        let days = g.finish(|day| *day != d(9));
        assert_eq!(days.iter().collect::<Vec<_>>(), [d(3), d(12), d(20)]);
        assert_eq!(days.len(), 3);
        assert!(days.contains(&d(12)) && !days.contains(&d(9)));
        assert_eq!(days.into_iter().collect::<Vec<_>>(), [d(3), d(12), d(20)]);
    }

    #[test]
    fn more_days_than_fit_inline_are_kept() {
        let mut g = Gathered::default();
        g.extend((1..=30).rev().map(d));
        let days = g.finish(|_| true);
        assert_eq!(
            days.iter().collect::<Vec<_>>(),
            (1..=30).map(d).collect::<Vec<_>>()
        );
    }
}
