//! Clock events → intervals: the walk that pairs clock-ons with clock-offs (a
//! clock-on closes the open one; a closed day ends a forgotten one at closing
//! time; an unmatched clock-off is counted), corrections that replace what they
//! overlap, and the split of intervals across business days. Used by
//! [`super::technicians`] for shift and job clocks alike.

use super::settings::WorkshopSettings;
use super::technicians::JobRef;
use super::timeline::{Timeline, first_key_at};
use crate::events::ClockKind;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// One clock-on or clock-off.
#[derive(Debug, Clone)]
pub(super) struct Clocking {
    pub(super) at: DateTime<FixedOffset>,
    /// The business day of `at` (read when rows pair clockings).
    pub(super) day: NaiveDate,
    pub(super) on: bool,
    pub(super) job: Option<JobRef>,
}

/// A corrected interval (`clock_adjusted`).
#[derive(Debug, Clone)]
pub(super) struct Adjustment {
    pub(super) kind: ClockKind,
    pub(super) job: Option<JobRef>,
    pub(super) on_at: DateTime<FixedOffset>,
    pub(super) off_at: DateTime<FixedOffset>,
    /// The business day of `on_at`, whose row counts the correction (found
    /// once: rows read it for every correction the technician ever had).
    pub(super) day: NaiveDate,
}

impl Adjustment {
    /// Whether `other` corrects the same clocking and overlaps this one in
    /// time: of the two, the later replaces the earlier.
    pub(super) fn overlaps(&self, other: &Adjustment) -> bool {
        self.kind == other.kind
            && (self.kind == ClockKind::Shift || self.job == other.job)
            && self.on_at < other.off_at
            && other.on_at < self.off_at
    }
}

/// A clock-on not closed yet: when, and on which job.
pub(super) type OpenClocking<'a> = (DateTime<FixedOffset>, Option<&'a JobRef>);

/// A closed interval of clocked time. Its job is borrowed from the clocking
/// or correction it comes from: rows make thousands of intervals, and
/// cloning a job's two shared ids and dropping them again is four atomic
/// reference-count updates per interval.
#[derive(Debug, Clone)]
pub(super) struct Interval<'a> {
    pub(super) start: DateTime<FixedOffset>,
    pub(super) end: DateTime<FixedOffset>,
    pub(super) job: Option<&'a JobRef>,
    pub(super) auto_closed: bool,
}

/// The closed intervals of `clockings` (in time order); unmatched clock-offs
/// are counted by day into `unmatched`. (A clock-on still open after them
/// makes no interval: [`still_open`] finds it.)
pub(super) fn intervals<'a>(
    clockings: impl IntoIterator<Item = &'a Clocking>,
    unmatched: &mut BTreeMap<NaiveDate, u32>,
    closing: impl Fn(NaiveDate) -> Option<DateTime<FixedOffset>>,
) -> Vec<Interval<'a>> {
    let mut out = Vec::new();
    let count = |day| *unmatched.entry(day).or_default() += 1;
    pair(clockings, count, closing, |i| {
        out.push(i);
        ControlFlow::Continue(())
    });
    out
}

/// The first interval of `clockings`, found without collecting the rest.
pub(super) fn first_interval<'a>(
    clockings: impl IntoIterator<Item = &'a Clocking>,
    closing: impl Fn(NaiveDate) -> Option<DateTime<FixedOffset>>,
) -> Option<Interval<'a>> {
    let mut first = None;
    pair(
        clockings,
        |_| {},
        closing,
        |i| {
            first = Some(i);
            ControlFlow::Break(())
        },
    );
    first
}

/// The clock-on of `clockings` still open after them, found without
/// collecting their intervals.
pub(super) fn still_open<'a>(
    clockings: impl IntoIterator<Item = &'a Clocking>,
    closing: impl Fn(NaiveDate) -> Option<DateTime<FixedOffset>>,
) -> Option<OpenClocking<'a>> {
    pair(clockings, |_| {}, closing, |_| ControlFlow::Continue(()))
}

/// The walk behind [`intervals`]: hands each interval to `emit` until it
/// breaks, and the day of each unmatched clock-off to `unmatched`; the
/// clock-on still open at the end, unless it broke.
fn pair<'a>(
    clockings: impl IntoIterator<Item = &'a Clocking>,
    mut unmatched: impl FnMut(NaiveDate),
    closing: impl Fn(NaiveDate) -> Option<DateTime<FixedOffset>>,
    mut emit: impl FnMut(Interval<'a>) -> ControlFlow<()>,
) -> Option<OpenClocking<'a>> {
    // The clock-on open now.
    let mut open: Option<&'a Clocking> = None;
    let auto_closed = |on: &'a Clocking, closing: DateTime<FixedOffset>| Interval {
        start: on.at,
        end: closing.max(on.at),
        job: on.job.as_ref(),
        auto_closed: true,
    };
    let closed = |on: &'a Clocking, end: DateTime<FixedOffset>| Interval {
        start: on.at,
        end,
        job: on.job.as_ref(),
        auto_closed: false,
    };
    for c in clockings {
        // A clock-on left open over a closed day (nothing on its business
        // day ended it) ends at that day's closing time, not at the next
        // morning's clock-on. A clock-off later that same day, after closing
        // time (overtime), is a real one and ends it instead.
        if let Some(on) = open
            && on.day < c.day
            && let Some(closing) = closing(on.day)
        {
            if emit(auto_closed(on, closing)).is_break() {
                return None;
            }
            open = None;
        }
        if c.on {
            if let Some(on) = open
                && emit(closed(on, c.at)).is_break()
            {
                return None;
            }
            open = Some(c);
        } else {
            match open {
                Some(on) if on.job == c.job => {
                    if emit(closed(on, c.at)).is_break() {
                        return None;
                    }
                    open = None;
                }
                _ => unmatched(c.day),
            }
        }
    }
    match open {
        Some(on) => match closing(on.day) {
            Some(closing) => {
                let _ = emit(auto_closed(on, closing));
                None
            }
            None => Some((on.at, on.job.as_ref())),
        },
        None => None,
    }
}

pub(super) fn adjusted<'a>(
    raw: Vec<Interval<'a>>,
    adjustments: &[&'a Adjustment],
    kind: ClockKind,
) -> Vec<Interval<'a>> {
    if adjustments.is_empty() {
        return raw;
    }
    // A later correction of the same clocking replaces an earlier one it overlaps.
    let mut mine: Vec<&'a Adjustment> = Vec::new();
    for a in adjustments.iter().filter(|a| a.kind == kind) {
        mine.retain(|kept| !kept.overlaps(a));
        mine.push(a);
    }
    let mut kept: Vec<Interval<'a>> = raw
        .into_iter()
        .filter(|i| {
            !mine.iter().any(|a| {
                (kind == ClockKind::Shift || a.job.as_ref() == i.job)
                    && a.on_at < i.end
                    && i.start < a.off_at
            })
        })
        .collect();
    kept.extend(mine.iter().map(|a| Interval {
        start: a.on_at,
        end: a.off_at,
        job: a.job.as_ref(),
        auto_closed: false,
    }));
    kept
}

/// The corrections among `adjustments` that [`adjusted`] needs to give
/// exactly the intervals of `raw` with time on the day `span`: those
/// overlapping the stretch of `raw` and the day, and those overlapping one of
/// these, in key order. A correction is replaced only by a later one it
/// overlaps, and replacing it is all a correction off the stretch can do to
/// it, so nothing further matters. A technician's corrections pile up over
/// the years; a day's row reads the few near it, and looks only at those
/// made since the stretch began. `made_after_off_ms` is at most the least
/// time any of them was made after the end of the interval it sets
/// ([`made_after_off_ms`]), so one on the stretch (ending at or after its
/// start `lo`) was made at `lo + made_after_off_ms` or later; and one off the
/// stretch changes the day only by replacing one on it, so it was made later
/// still.
pub(super) fn near<'a>(
    adjustments: &'a Timeline<Adjustment>,
    made_after_off_ms: i64,
    kind: ClockKind,
    raw: &[Interval],
    span: DaySpan,
) -> Vec<&'a Adjustment> {
    let bounds = raw
        .iter()
        .map(|i| (i.start, i.end))
        .chain(span)
        .reduce(|(lo, hi), (s, e)| (lo.min(s), hi.max(e)));
    let Some((lo, hi)) = bounds else {
        return Vec::new();
    };
    let made_from = first_key_at(lo.timestamp_millis().saturating_add(made_after_off_ms));
    let since = adjustments.range(&made_from..).iter().map(|(_, a)| a);
    let on_stretch = |a: &Adjustment| a.kind == kind && a.on_at <= hi && lo <= a.off_at;
    let stretch: Vec<&Adjustment> = since.clone().filter(|a| on_stretch(a)).collect();
    since
        .filter(|a| on_stretch(a) || stretch.iter().any(|b| b.overlaps(a)))
        .collect()
}

/// What [`near`] needs to know of when a clock's corrections were made: the
/// least of `made_at_ms` minus the end of the interval each sets, and never
/// above 0 (`so_far` is the value before this correction; 0 for none).
pub(super) fn made_after_off_ms(
    so_far: i64,
    made_at_ms: i64,
    off_at: DateTime<FixedOffset>,
) -> i64 {
    so_far.min(made_at_ms.saturating_sub(off_at.timestamp_millis()))
}

/// The instants a business day runs from and to (local midnight to midnight);
/// `None` if the time zone skips a midnight (no time then counts on the day).
pub(super) type DaySpan = Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>;

/// The span of business day `date`, computed once per row.
pub(super) fn day_span(settings: &WorkshopSettings, date: NaiveDate) -> DaySpan {
    let day_start = |d: NaiveDate| settings.local_instant(d, chrono::NaiveTime::MIN);
    Some((day_start(date)?, day_start(date.succ_opt()?)?))
}

/// Seconds of `interval` that fall within a business day's span.
pub(super) fn seconds_on(i: &Interval, span: DaySpan) -> i64 {
    let Some((lo, hi)) = span else { return 0 };
    super::elapsed::whole_seconds(i.start.max(lo), i.end.min(hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{JobId, RepairOrderId};
    use chrono::Duration;
    use proptest::prelude::*;

    fn start() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-20T00:00:00+08:00").expect("t")
    }

    fn job(n: u8) -> Option<JobRef> {
        Some((
            RepairOrderId::new("X").expect("ro"),
            JobId::new(format!("J{n}")).expect("job"),
        ))
    }

    /// (minute of five days, minutes long, job 0 or 1)
    fn stretch() -> impl Strategy<Value = (i64, i64, u8)> {
        (0i64..5 * 1440, 1i64..900, 0u8..2)
    }

    fn intervals_on(
        intervals: Vec<Interval<'_>>,
        span: DaySpan,
    ) -> Vec<(i64, i64, Option<JobRef>, bool)> {
        let mut on: Vec<_> = intervals
            .into_iter()
            .filter(|i| seconds_on(i, span) > 0)
            .map(|i| {
                (
                    i.start.timestamp(),
                    i.end.timestamp(),
                    i.job.cloned(),
                    i.auto_closed,
                )
            })
            .collect();
        on.sort();
        on
    }

    proptest! {
        /// The corrections near a day give that day the same intervals as
        /// all of them, whatever they overlap, in whichever order and however
        /// long after (or before) the end of what they set they were made.
        #[test]
        fn the_corrections_near_a_day_give_it_what_all_of_them_give(
            raw in proptest::collection::vec((stretch(), any::<bool>()), 0..12),
            corrections in proptest::collection::vec((stretch(), -3 * 1440i64..5 * 1440), 0..12),
            day in 0i64..5,
            job_clock in any::<bool>(),
        ) {
            let kind = if job_clock { ClockKind::Job } else { ClockKind::Shift };
            let job_of = |n: u8| if job_clock { job(n) } else { None };
            let jobs = [job_of(0), job_of(1)];
            let raw: Vec<Interval> = raw
                .into_iter()
                .map(|((at, len, j), auto_closed)| Interval {
                    start: start() + Duration::minutes(at),
                    end: start() + Duration::minutes(at + len),
                    job: jobs[usize::from(j)].as_ref(),
                    auto_closed,
                })
                .collect();
            // Each correction made `made_after` minutes after the end of the
            // interval it sets (before it, if negative).
            let mut timeline = Timeline::default();
            let mut made_after_off = 0;
            for (n, ((at, len, j), made_after)) in corrections.into_iter().enumerate() {
                let off_at = start() + Duration::minutes(at + len);
                let made_ms = (off_at + Duration::minutes(made_after)).timestamp_millis();
                made_after_off = made_after_off_ms(made_after_off, made_ms, off_at);
                let id = crate::events::EventId::new(format!("c{n}")).expect("id");
                timeline.insert(
                    (made_ms, id),
                    Adjustment {
                        kind,
                        job: job_of(j),
                        on_at: start() + Duration::minutes(at),
                        off_at,
                        day: (start() + Duration::minutes(at)).date_naive(),
                    },
                );
            }
            let span: DaySpan = Some((
                start() + Duration::days(day),
                start() + Duration::days(day + 1),
            ));
            let all: Vec<&Adjustment> = timeline.values().collect();
            let near = near(&timeline, made_after_off, kind, &raw, span);
            prop_assert!(near.len() <= all.len());
            prop_assert_eq!(
                intervals_on(adjusted(raw.clone(), &near, kind), span),
                intervals_on(adjusted(raw, &all, kind), span)
            );
        }
    }
}
