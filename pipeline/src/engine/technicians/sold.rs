//! Sold hours: a job's standard time, credited on the day its repair order
//! first passes QC and split between the technicians who worked on it.

use super::job_records::Clocker;
use super::{Clock, JobRef, Technicians};
use crate::engine::clockings::{self, Adjustment, Interval};
use crate::engine::elapsed::whole_seconds;
use crate::engine::event_key::EventKey;
use crate::engine::settings::WorkshopSettings;
use crate::events::{ClockKind, RepairOrderId, TechnicianId};
use std::collections::BTreeMap;

impl Technicians {
    /// Each technician with a closed interval on a job, by id, with the
    /// seconds worked on it over all time ([`Self::worked_on`]).
    pub(super) fn worked_by<'a>(
        &'a self,
        settings: &'a WorkshopSettings,
        job: &'a JobRef,
    ) -> impl Iterator<Item = (&'a TechnicianId, i64)> + 'a {
        self.jobs
            .get(job)
            .into_iter()
            .flat_map(|j| j.clockers.iter())
            .filter_map(move |(t, clocker)| {
                let clock = self.clocks.get(t)?;
                Some((t, self.worked_on(settings, clock, clocker, job)?))
            })
    }

    /// Seconds a technician worked on a job over all time, corrections applied;
    /// `None` if the technician has no closed interval on it.
    /// Each of the job's intervals starts at one of its clock-ons and is found
    /// by walking on from there to whatever ends it (the walk's state is reset
    /// by a clock-on, so nothing earlier matters).
    fn worked_on(
        &self,
        settings: &WorkshopSettings,
        clock: &Clock,
        clocker: &Clocker,
        job: &JobRef,
    ) -> Option<i64> {
        let first_interval = |key: &EventKey| {
            // Through the next clock-on, which ends the interval if nothing
            // else did first.
            let mut ons = 0;
            let walk = clock
                .job
                .range(key..)
                .iter()
                .map(|(_, c)| c)
                .take_while(|c| {
                    let take = ons < 2;
                    ons += u32::from(c.on);
                    take
                });
            clockings::first_interval(walk, |d| self.closing(settings, d))
        };
        let raw = clocker.ons.iter().filter_map(first_interval);
        if clocker.corrections.is_empty() {
            // Nothing replaces them: the intervals as they are found.
            return seconds_on_job(raw, job);
        }
        // Only corrections of this job replace its intervals or each other.
        let corrections: Vec<&Adjustment> = clocker
            .corrections
            .iter()
            .filter_map(|key| clock.adjustments.range(key..=key).first())
            .map(|(_, a)| a)
            .collect();
        let adjusted = clockings::adjusted(raw.collect(), &corrections, ClockKind::Job);
        seconds_on_job(adjusted.into_iter(), job)
    }

    /// Standard seconds sold with the repair orders in `passed`, per technician.
    pub(super) fn sold_on(
        &self,
        settings: &WorkshopSettings,
        passed: &[&RepairOrderId],
    ) -> BTreeMap<TechnicianId, i64> {
        let mut credit: BTreeMap<TechnicianId, i64> = BTreeMap::new();
        for ro in passed {
            for (job, minutes) in self.jobs_of(ro) {
                let job = &job;
                let total = i64::from(minutes) * 60;
                let worked: Vec<(&TechnicianId, i64)> = self
                    .worked_by(settings, job)
                    .filter(|(_, s)| *s > 0)
                    .collect();
                let sum: i64 = worked.iter().map(|(_, s)| s).sum();
                if sum == 0 {
                    if let Some((_, t)) = self.jobs.get(job).and_then(|j| j.dispatched.as_ref()) {
                        *credit.entry(t.clone()).or_default() += total;
                    }
                    continue;
                }
                // Largest remainder: floors first, then one second each to the
                // largest remainders (ties by technician id), so the parts sum
                // to `total`.
                let mut parts: Vec<(&TechnicianId, i64, i64)> = worked
                    .iter()
                    .map(|(t, s)| (*t, total * s / sum, total * s % sum))
                    .collect();
                let mut left = total - parts.iter().map(|p| p.1).sum::<i64>();
                parts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
                for p in parts.iter_mut() {
                    if left == 0 {
                        break;
                    }
                    p.1 += 1;
                    left -= 1;
                }
                for (t, s, _) in parts {
                    *credit.entry(t.clone()).or_default() += s;
                }
            }
        }
        credit
    }
}

/// Seconds of `intervals` on `job`; `None` if none of them is on it.
fn seconds_on_job<'a>(intervals: impl Iterator<Item = Interval<'a>>, job: &JobRef) -> Option<i64> {
    intervals
        .filter(|i| i.job == Some(job))
        .map(|i| whole_seconds(i.start, i.end))
        .reduce(|a, b| a + b)
}
