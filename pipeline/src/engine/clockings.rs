//! Clock events → intervals: the walk that pairs clock-ons with clock-offs (a
//! clock-on closes the open one; a closed day ends a forgotten one at closing
//! time; an unmatched clock-off is counted), corrections that replace what they
//! overlap, and the split of intervals across business days. Used by
//! [`super::technicians`] for shift and job clocks alike.

use super::settings::WorkshopSettings;
use super::technicians::JobRef;
use crate::events::ClockKind;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::BTreeMap;

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
}

/// A clock-on not closed yet: when, and on which job.
pub(super) type OpenClocking = (DateTime<FixedOffset>, Option<JobRef>);

/// A closed interval of clocked time.
#[derive(Debug, Clone)]
pub(super) struct Interval {
    pub(super) start: DateTime<FixedOffset>,
    pub(super) end: DateTime<FixedOffset>,
    pub(super) job: Option<JobRef>,
    pub(super) auto_closed: bool,
}

pub(super) fn intervals<'a>(
    settings: &WorkshopSettings,
    clockings: impl IntoIterator<Item = &'a Clocking>,
    unmatched: &mut BTreeMap<NaiveDate, u32>,
    closing: impl Fn(NaiveDate) -> Option<DateTime<FixedOffset>>,
) -> (Vec<Interval>, Option<OpenClocking>) {
    let mut out = Vec::new();
    let mut open: Option<(DateTime<FixedOffset>, Option<JobRef>)> = None;
    for c in clockings {
        // A clock-on left open over a closed day ends at that day's closing
        // time, whatever comes next (not at the next morning's clock-on).
        if let Some((start, job)) = open.clone()
            && let Some(closing) = closing(settings.business_date(start))
            && closing < c.at
        {
            out.push(Interval {
                start,
                end: closing.max(start),
                job,
                auto_closed: true,
            });
            open = None;
        }
        if c.on {
            if let Some((start, job)) = open.take() {
                out.push(Interval {
                    start,
                    end: c.at,
                    job,
                    auto_closed: false,
                });
            }
            open = Some((c.at, c.job.clone()));
        } else {
            match open.take() {
                Some((start, job)) if job == c.job => {
                    out.push(Interval {
                        start,
                        end: c.at,
                        job,
                        auto_closed: false,
                    });
                }
                still_open => {
                    open = still_open;
                    *unmatched.entry(c.day).or_default() += 1;
                }
            }
        }
    }
    if let Some((start, job)) = open.clone()
        && let Some(closing) = closing(settings.business_date(start))
    {
        out.push(Interval {
            start,
            end: closing.max(start),
            job,
            auto_closed: true,
        });
        return (out, None);
    }
    (out, open)
}

pub(super) fn adjusted(
    raw: Vec<Interval>,
    adjustments: &[&Adjustment],
    kind: ClockKind,
) -> Vec<Interval> {
    // A later correction of the same clocking replaces an earlier one it overlaps.
    let mut mine: Vec<&Adjustment> = Vec::new();
    for a in adjustments.iter().filter(|a| a.kind == kind) {
        mine.retain(|kept| {
            !((kind == ClockKind::Shift || kept.job == a.job)
                && kept.on_at < a.off_at
                && a.on_at < kept.off_at)
        });
        mine.push(a);
    }
    let mut kept: Vec<Interval> = raw
        .into_iter()
        .filter(|i| {
            !mine.iter().any(|a| {
                (kind == ClockKind::Shift || a.job == i.job)
                    && a.on_at < i.end
                    && i.start < a.off_at
            })
        })
        .collect();
    kept.extend(mine.iter().map(|a| Interval {
        start: a.on_at,
        end: a.off_at,
        job: a.job.clone(),
        auto_closed: false,
    }));
    kept
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
    let start = i.start.max(lo);
    let end = i.end.min(hi);
    (end - start).num_seconds().max(0)
}
