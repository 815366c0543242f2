//! The stretch of a time-ordered walk that decides one business day.
//!
//! Bay marks and clockings are paired by a walk in time order whose state is
//! reset by every opening entry (an occupancy, a clock-on): what came before
//! the last opening entry ahead of a day cannot change that day's spells or
//! intervals. So a day's row walks only from there to the first opening entry
//! after the day, and its cost does not grow with the history. Both ends are
//! widened by more than any UTC offset, so they need no time-zone arithmetic.

use super::event_key::EventKey;
use super::timeline::{Timeline, first_key_at};
use chrono::{NaiveDate, NaiveTime};

/// More than any UTC offset (−12 h … +14 h).
const MARGIN_MS: i64 = 15 * 3_600_000;

/// Keys bounding every entry that can fall on `date`, widened by the margin.
fn widened(date: NaiveDate) -> (EventKey, EventKey) {
    let midnight = date.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
    (
        first_key_at(midnight - MARGIN_MS),
        first_key_at(midnight + 24 * 3_600_000 + MARGIN_MS),
    )
}

/// The entries of `map` that decide `date`: from the last entry for which
/// `opens` holds before the day, through the first such entry after it.
pub(super) fn around<'a, V>(
    map: &'a Timeline<V>,
    date: NaiveDate,
    opens: impl Fn(&V) -> bool + 'a,
) -> impl Iterator<Item = &'a V> {
    let (before, after) = widened(date);
    let start = map
        .range(..&before)
        .iter()
        .rev()
        .find(|(_, v)| opens(v))
        .map(|(k, _)| k);
    let walk = match start {
        Some(k) => map.range(k..),
        None => map.range(..),
    };
    let mut past_end = false;
    walk.iter()
        .take_while(move |(k, v)| {
            let go_on = !past_end;
            past_end |= *k >= after && opens(v);
            go_on
        })
        .map(|(_, v)| v)
}

/// The entries of `map` whose business day (`day`) is `date`.
pub(super) fn on_day<'a, V>(
    map: &'a Timeline<V>,
    date: NaiveDate,
    day: impl Fn(&V) -> NaiveDate + 'a,
) -> impl Iterator<Item = &'a V> {
    let (before, after) = widened(date);
    map.range(&before..&after)
        .iter()
        .map(|(_, v)| v)
        .filter(move |v| day(v) == date)
}
