//! The live progress of open repair orders' jobs (for the at-risk warning).

use super::{JobRef, Technicians};
use crate::engine::clockings;
use crate::engine::settings::WorkshopSettings;
use crate::events::{JobId, RepairOrderId, TechnicianId};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

impl Technicians {
    /// Progress of each job of the given repair orders: standard time, time
    /// clocked so far (closed intervals) and the instants of clock-ons still
    /// open. Reads only those jobs' clockings and each technician's last
    /// clock-on, not the clock histories.
    pub fn job_progress(
        &self,
        settings: &WorkshopSettings,
        ros: &BTreeSet<&RepairOrderId>,
    ) -> BTreeMap<RepairOrderId, Vec<JobProgress>> {
        // The clock-on each technician has open now, if any.
        let mut open: BTreeMap<&JobRef, (Vec<DateTime<FixedOffset>>, BTreeSet<&TechnicianId>)> =
            BTreeMap::new();
        for (t, clock) in &self.clocks {
            let last_on = clock.job.iter().rev().find(|(_, c)| c.on).map(|(k, _)| k);
            let Some(last_on) = last_on else { continue };
            let walk = clock.job.range(last_on..).iter().map(|(_, c)| c);
            let still_open = clockings::still_open(walk, |d| self.closing(settings, d));
            if let Some((since, Some(job))) = still_open
                && ros.contains(&job.0)
                && self.standard_minutes(job).is_some()
            {
                let entry = open.entry(job).or_default();
                entry.0.push(since);
                entry.1.insert(t);
            }
        }
        let mut out: BTreeMap<RepairOrderId, Vec<JobProgress>> = BTreeMap::new();
        for ro in ros {
            for (job, minutes) in self.jobs_of(ro) {
                let job = &job;
                let mut worked_s = 0;
                let mut technicians = BTreeSet::new();
                for (t, s) in self.worked_by(settings, job) {
                    worked_s += s;
                    technicians.insert(t);
                }
                let (mut open_since, open_technicians) = open.remove(job).unwrap_or_default();
                // Technicians come in hash order: the instants go out in time
                // order (and by offset, for one instant sent with two offsets).
                open_since.sort_by_key(|t| (*t, t.offset().local_minus_utc()));
                technicians.extend(open_technicians);
                if let Some((_, t)) = self.jobs.get(job).and_then(|j| j.dispatched.as_ref()) {
                    technicians.insert(t);
                }
                out.entry(job.0.clone()).or_default().push(JobProgress {
                    job_id: job.1.clone(),
                    standard_s: i64::from(minutes) * 60,
                    worked_s,
                    open_since,
                    technicians: technicians.len() as u32,
                });
            }
        }
        out
    }
}

/// One job's progress, for the live at-risk warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobProgress {
    /// The job.
    pub job_id: JobId,
    /// Its standard (flat-rate) time.
    pub standard_s: i64,
    /// Seconds clocked in closed intervals.
    pub worked_s: i64,
    /// Clock-ons still open on it (their time counts up to "now").
    pub open_since: Vec<DateTime<FixedOffset>>,
    /// Technicians who clocked on it or were dispatched to it.
    pub technicians: u32,
}
