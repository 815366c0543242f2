//! Which business days a technician-side event can restate: the stretch of
//! clock a clocking can change, and the reach of a correction.

use super::{Clocking, Technicians};
use crate::engine::clockings;
use crate::engine::event_key::EventKey;
use crate::engine::settings::WorkshopSettings;
use crate::engine::timeline::partition_point_from_end;
use crate::events::{ClockKind, RepairOrderId, TechnicianId};
use chrono::NaiveDate;

impl Technicians {
    /// What the correction at `key` of `technician`'s clock can change
    /// ([`Reach`]): the corrected interval, and every same-kind correction it
    /// overlaps (it replaces them, or they replace it), widened to the raw
    /// intervals that can reach into them — from the clock-on at or before
    /// their start to the first clock-on at or after their end (an interval
    /// ends at the next clock-on at the latest, or at its own day's closing).
    pub fn reach(
        &self,
        technician: &TechnicianId,
        key: &EventKey,
        settings: &WorkshopSettings,
    ) -> Option<Reach> {
        let clock = self.clocks.get(technician)?;
        let adjustment = &clock.adjustments.range(key..=key).first()?.1;
        let (kind, job) = (adjustment.kind, &adjustment.job);
        let overlapping = clock
            .adjustments
            .values()
            .filter(|o| o.overlaps(adjustment));
        let (start, end) = overlapping.fold((adjustment.on_at, adjustment.off_at), |(s, e), o| {
            (s.min(o.on_at), e.max(o.off_at))
        });
        let clockings = clock.clockings(kind);
        let up_to_start = clockings.partition_point(|(_, c)| c.at <= start);
        let from_end = clockings.partition_point(|(_, c)| c.at < end);
        let on_before = clockings[..up_to_start].iter().rev().find(|(_, c)| c.on);
        let on_after = clockings[from_end..].iter().find(|(_, c)| c.on);
        let last = clockings.last().map(|(_, c)| c.day);
        let (start_day, end_day) = (settings.business_date(start), settings.business_date(end));
        Some(Reach {
            from: on_before.map_or(start_day, |(_, c)| c.day.min(start_day)),
            to: on_after
                .map(|(_, c)| c.day)
                .or(last)
                .map_or(end_day, |d| d.max(end_day)),
            sold: job
                .as_ref()
                .filter(|_| kind == ClockKind::Job)
                .map(|(ro, _)| ro.clone()),
        })
    }

    /// What a clocking at `key` on the `kind` clock can change, found with
    /// one lookup of the technician and one search from the end of its clock.
    pub fn span<'a>(
        &'a self,
        technician: &TechnicianId,
        key: &EventKey,
        kind: ClockKind,
        settings: &WorkshopSettings,
    ) -> Span<'a> {
        let Some(clock) = self.clocks.get(technician) else {
            return Span::default();
        };
        let clockings = clock.clockings(kind);
        let at = partition_point_from_end(clockings, |(k, _)| k < key);
        // The interval the clocking may end or split is the one still open
        // just before it. There is none if a clock-off ended the last
        // clock-on, or the close of an earlier day than the clocking's did
        // (the walk ends it at closing time whatever comes next day); then
        // nothing before the clocking changes.
        // (The clocking is filed already, at `at`.)
        let day = clockings.get(at).map(|(_, c)| c.day);
        let closed_earlier = |d| {
            day.is_some_and(|day| d < day)
                .then(|| self.closing(settings, d))
                .flatten()
        };
        let last_on_before = clockings[..at]
            .iter()
            .rposition(|(_, c)| c.on)
            .filter(|&i| {
                let before = clockings[i..at].iter().map(|(_, c)| c);
                clockings::still_open(before, closed_earlier).is_some()
            });
        let past_key = at + usize::from(clockings.get(at).is_some_and(|(k, _)| k == key));
        let next_on = clockings[past_key..]
            .iter()
            .position(|(_, c)| c.on)
            .map(|i| past_key + i);
        Span {
            from: last_on_before.map(|i| clockings[i].1.day),
            // Else the last clocking (the clocking itself if it is the last).
            to: next_on
                .map_or(clockings.last(), |i| clockings.get(i))
                .map(|(_, c)| c.day),
            clockings: &clockings[last_on_before.unwrap_or(at)..past_key],
        }
    }
}

/// The business days and the repair order a clock correction can restate
/// (see [`Technicians::reach`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The first business day whose technician rows can change.
    pub from: NaiveDate,
    /// The last.
    pub to: NaiveDate,
    /// For a job correction, the job's repair order: its sold-time split may move.
    pub sold: Option<RepairOrderId>,
}

/// The stretch of a technician's clock that one clocking can change: from
/// the last clock-on before it, if that is still open there (the interval it
/// may end or split starts there, however many unmatched clock-offs lie
/// between), through the first clock-on after it, or to the last clocking if
/// none follows (a matching clock-off may be far later).
#[derive(Debug, Default)]
pub struct Span<'a> {
    /// The business day of that open clock-on before, if any.
    pub from: Option<NaiveDate>,
    /// The business day of that first clock-on after, or else of the last
    /// clocking (the clocking itself if it is the last).
    pub to: Option<NaiveDate>,
    /// The clockings from that open clock-on (or the clocking itself, if
    /// none is open before it) through the clocking.
    clockings: &'a [(EventKey, Clocking)],
}

impl<'a> Span<'a> {
    /// The repair orders whose jobs' worked time may change: the open
    /// clock-on's (its interval now ends elsewhere) and the clocking's own (it
    /// starts, ends or leaves an interval of its job), and those of the
    /// unmatched clock-offs between them (no change, but cheaper kept than
    /// skipped). The clockings after it keep theirs: a clock-off of another
    /// job stays unmatched, and one of the open job only moves that job's
    /// time. Usually one or two, and one may come more than once.
    pub fn repair_orders(&self) -> impl Iterator<Item = &'a RepairOrderId> + 'a {
        self.clockings
            .iter()
            .filter_map(|(_, c)| c.job.as_ref().map(|(ro, _)| ro))
    }
}
