//! One repair order's facts: recording an event's fact (the earliest wins
//! where two disagree) and reading them back (promise, parts waits, footprint).

use super::{Footprint, Opened, RepairOrder, Stamped, Vehicle};
use crate::engine::changed_days::Gathered;
use crate::engine::days::Days;
use crate::engine::event_key::{EventKey, Keyed, keep_earliest};
use crate::events::{EventBody, JobType};
use chrono::{DateTime, FixedOffset, NaiveDate};

impl Keyed for Stamped {
    fn key(&self) -> &EventKey {
        &self.key
    }
}

impl RepairOrder {
    /// The earliest day it left work in progress: delivered or cancelled.
    fn closed_day(&self) -> Option<NaiveDate> {
        [&self.delivered, &self.cancelled]
            .into_iter()
            .flatten()
            .map(|s| s.day)
            .min()
    }

    /// The promise the customer was last given, and how many revisions counted.
    /// A revision counts only if made before the promise it replaces had passed
    /// (kpi-reference §7: no moving the goalposts afterwards).
    pub(super) fn effective_promise(&self) -> (Option<DateTime<FixedOffset>>, u32) {
        let mut promise = self.opened.as_ref().and_then(|o| o.promised_at);
        let mut counted = 0;
        for (made_at, new_promise) in self.revisions.values() {
            if promise.is_none_or(|p| *made_at <= p) {
                promise = Some(*new_promise);
                counted += 1;
            }
        }
        (promise, counted)
    }

    /// Completed waits for parts: (arrival day, minutes). A wait starts at the first
    /// `parts_waiting` after the last arrival and ends at the next `parts_arrived`.
    pub(super) fn parts_waits(&self) -> Vec<(NaiveDate, i64)> {
        let mut waits = Vec::new();
        let mut since: Option<DateTime<FixedOffset>> = None;
        for (waiting, at, day) in self.parts.values() {
            match (waiting, since) {
                (true, None) => since = Some(*at),
                (false, Some(start)) => {
                    waits.push((*day, (*at - start).num_minutes().max(0)));
                    since = None;
                }
                _ => {}
            }
        }
        waits
    }

    /// The day of the first passed QC (sold hours are credited then).
    pub(super) fn first_pass_day(&self) -> Option<NaiveDate> {
        self.first_pass
    }

    /// Records a QC result and refreshes the first inspection and first pass.
    fn record_qc(&mut self, key: EventKey, day: NaiveDate, passed: bool) {
        self.qc.insert(key, (day, passed));
        self.first_qc = self.qc.values().next().copied();
        self.first_pass = self
            .qc
            .values()
            .find(|(_, passed)| *passed)
            .map(|(d, _)| *d);
    }

    pub(super) fn is_repair(&self) -> bool {
        self.opened
            .as_ref()
            .is_some_and(|o| matches!(o.job_type, JobType::Repair | JobType::Warranty))
    }

    /// The business days this order counts on in [`RepairOrders::fill`](super::RepairOrders::fill), and
    /// its stay in work in progress.
    pub(super) fn footprint(&self) -> Footprint {
        let days = [
            self.opened.as_ref().map(|o| o.stamp.day),
            self.ready.as_ref().map(|s| s.day),
            self.delivered.as_ref().map(|s| s.day),
            self.first_qc.map(|(d, _)| d),
            self.first_pass,
        ];
        let parts_days = self.parts.values().map(|(_, _, d)| *d).collect();
        let wip = self.opened.as_ref().and_then(|o| {
            let open = o.stamp.day;
            match self.closed_day() {
                Some(closed) if closed <= open => None,
                closed => Some((open, closed)),
            }
        });
        let open = self.opened.is_some()
            && self.cancelled.is_none()
            && self.ready.is_none()
            && self.delivered.is_none();
        Footprint {
            days,
            parts_days,
            wip,
            open,
        }
    }

    /// The days it was ready for pickup and delivered, where on-time counts.
    fn completion_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.ready.iter().chain(&self.delivered).map(|s| s.day)
    }

    /// The days of its QC inspections.
    fn qc_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.qc.values().map(|(d, _)| *d)
    }

    /// Records a fact of this order; returns what it means for the order's
    /// vehicle (its comeback chain).
    pub(super) fn record(
        &mut self,
        key: &EventKey,
        at: DateTime<FixedOffset>,
        day: NaiveDate,
        body: &EventBody,
        days: &Days,
        changed: &mut Gathered,
    ) -> Vehicle {
        let stamp = || Stamped {
            key: key.clone(),
            at,
            day,
        };
        let from = |d: NaiveDate| days.range(d..);
        let vin = |ro: &Self| ro.opened.as_ref().map(|o| o.vin.clone());
        match body {
            EventBody::RoOpened {
                plate,
                vin: new_vin,
                advisor_id,
                job_type,
                complaint_codes,
                promised_at,
                appointment_id,
                comeback,
                ..
            } => {
                let old_day = self.opened.as_ref().map(|o| o.stamp.day);
                // The earliest opening wins.
                if self.opened.as_ref().is_some_and(|o| *key >= o.stamp.key) {
                    return Vehicle::Unchanged;
                }
                let old_vin = vin(self);
                self.opened = Some(Opened {
                    stamp: stamp(),
                    plate: plate.clone(),
                    job_type: *job_type,
                    advisor: advisor_id.clone(),
                    vin: new_vin.clone(),
                    complaint_codes: sorted_once(complaint_codes),
                    promised_at: *promised_at,
                    from_appointment: appointment_id.is_some(),
                    flagged_comeback: *comeback,
                });
                // Intake and WIP from the opening day on, output-by-type of its
                // settlement days, on-time and QC of its completion days.
                changed.extend(from(old_day.map_or(day, |d| d.min(day))));
                changed.extend(self.settlement_days.iter());
                changed.extend(self.completion_days());
                changed.extend(self.qc_days());
                Vehicle::Filed {
                    from: old_vin,
                    to: new_vin.clone(),
                }
            }
            EventBody::Cancelled { .. } => {
                if !keep_earliest(&mut self.cancelled, stamp()) {
                    return Vehicle::Unchanged;
                }
                changed.extend(from(day));
                changed.extend(self.opened.iter().map(|o| o.stamp.day));
                changed.extend(self.completion_days());
                changed.extend(self.qc_days());
                vin(self).map_or(Vehicle::Unchanged, Vehicle::Changed)
            }
            EventBody::Delivered { .. } => {
                let old = self.delivered.as_ref().map(|s| s.day);
                if !keep_earliest(&mut self.delivered, stamp()) {
                    return Vehicle::Unchanged;
                }
                changed.extend(from(day));
                changed.extend(old);
                vin(self).map_or(Vehicle::Unchanged, Vehicle::Changed)
            }
            EventBody::ReadyForPickup { .. } => {
                let old = self.ready.as_ref().map(|s| s.day);
                if keep_earliest(&mut self.ready, stamp()) {
                    changed.insert(day);
                    changed.extend(old);
                }
                Vehicle::Unchanged
            }
            EventBody::PromiseRevised { promised_at, .. } => {
                self.revisions.insert(key.clone(), (at, *promised_at));
                changed.extend(self.completion_days());
                Vehicle::Unchanged
            }
            EventBody::QcPassed { .. } | EventBody::QcFailed { .. } => {
                let passed = matches!(body, EventBody::QcPassed { .. });
                let old_first = self.first_qc.map(|(d, _)| d);
                let old_pass = self.first_pass;
                self.record_qc(key.clone(), day, passed);
                changed.insert(day);
                changed.extend(old_first);
                // Sold hours are credited on the first pass: that day may move.
                changed.extend(old_pass);
                Vehicle::Unchanged
            }
            EventBody::Settled { .. } => {
                self.settlement_days.insert(day);
                changed.insert(day);
                Vehicle::Unchanged
            }
            EventBody::PartsWaiting { .. } | EventBody::PartsArrived { .. } => {
                let waiting = matches!(body, EventBody::PartsWaiting { .. });
                self.parts.insert(key.clone(), (waiting, at, day));
                // Pairs of waiting → arrived may shift: every day with a parts event of
                // this repair order is restated.
                changed.extend(self.parts.values().map(|(_, _, d)| *d));
                Vehicle::Unchanged
            }
            _ => Vehicle::Unchanged,
        }
    }
}

impl Footprint {
    /// Every day in the footprint (a day may come more than once).
    pub(super) fn all_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days.iter().flatten().chain(&self.parts_days).copied()
    }

    pub(super) fn has_day(&self, day: NaiveDate) -> bool {
        self.all_days().any(|d| d == day)
    }
}

/// Complaint codes sorted, each once.
fn sorted_once(codes: &[String]) -> Vec<String> {
    let mut codes = codes.to_vec();
    codes.sort_unstable();
    codes.dedup();
    codes
}
