//! Compact records of jobs and their standards: a job has one or two
//! technicians, an order one to three jobs, so small vectors kept sorted
//! rather than maps.

use crate::engine::event_key::EventKey;
use crate::events::{JobId, TechnicianId};
use smallvec::SmallVec;

/// The technicians who clocked on or off a job (or had an interval corrected
/// on it), by id, each with the keys of their clock-ons on it in time order.
/// A job has one or two, with a clock-on or two each: kept inline, where
/// B-trees allocated two nodes per technician.
#[derive(Debug, Clone, Default)]
pub(super) struct JobClockers(SmallVec<[(TechnicianId, Clocker); 1]>);

/// One technician's clockings on a job, by key.
#[derive(Debug, Clone, Default)]
pub(super) struct Clocker {
    /// Their clock-ons on it (its intervals start there).
    pub(super) ons: SmallVec<[EventKey; 2]>,
    /// The corrections of their time on it (rare; without this, every job's
    /// worked time read every correction the technician ever had).
    pub(super) corrections: SmallVec<[EventKey; 0]>,
}

impl JobClockers {
    /// A technician's clockings, added (empty) if the technician is new to
    /// the job; and whether they were.
    pub(super) fn of(&mut self, technician: &TechnicianId) -> (&mut Clocker, bool) {
        let (at, new) = match self.0.binary_search_by(|(t, _)| t.cmp(technician)) {
            Ok(at) => (at, false),
            Err(at) => {
                self.0.insert(at, (technician.clone(), Clocker::default()));
                (at, true)
            }
        };
        (&mut self.0[at].1, new)
    }

    /// Each technician, by id, with their clockings.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&TechnicianId, &Clocker)> {
        self.0.iter().map(|(t, clocker)| (t, clocker))
    }
}

/// Inserts `key` into keys kept in order, unless it is there.
pub(super) fn insert_sorted<A: smallvec::Array<Item = EventKey>>(
    keys: &mut SmallVec<A>,
    key: &EventKey,
) {
    if let Err(at) = keys.binary_search(key) {
        keys.insert(at, key.clone());
    }
}

/// A repair order's jobs, by id, each with its standard minutes and the
/// event that set them (the earliest `job_added` or
/// `additional_work_approved`). An order has one to three jobs: a sorted
/// vector, where a B-tree allocated a node of eleven per order.
#[derive(Debug, Clone, Default)]
pub(super) struct JobStandards(Vec<(JobId, EventKey, u32)>);

impl JobStandards {
    /// Records a job's standard minutes; the earliest event wins.
    pub(super) fn record(&mut self, job: &JobId, key: &EventKey, minutes: u32) {
        match self.0.binary_search_by(|(j, ..)| j.cmp(job)) {
            Ok(at) => {
                let (_, earliest, known) = &mut self.0[at];
                if key < earliest {
                    (*earliest, *known) = (key.clone(), minutes);
                }
            }
            Err(at) => self.0.insert(at, (job.clone(), key.clone(), minutes)),
        }
    }

    /// A job's standard minutes, if known.
    pub(super) fn minutes(&self, job: &JobId) -> Option<u32> {
        let at = self.0.binary_search_by(|(j, ..)| j.cmp(job)).ok()?;
        Some(self.0[at].2)
    }

    /// Each job, by id, with its standard minutes.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&JobId, u32)> {
        self.0.iter().map(|(job, _, minutes)| (job, *minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventId;

    fn key(ms: i64, id: &str) -> EventKey {
        (ms, EventId::new(id).expect("id"))
    }

    fn job(id: &str) -> JobId {
        JobId::new(id).expect("job")
    }

    #[test]
    fn the_earliest_standard_of_each_job_wins_and_jobs_come_in_id_order() {
        let mut standards = JobStandards::default();
        standards.record(&job("J2"), &key(20, "b"), 90);
        standards.record(&job("J1"), &key(30, "c"), 60);
        standards.record(&job("J2"), &key(10, "a"), 45);
        standards.record(&job("J1"), &key(40, "d"), 75);
        assert_eq!(
            standards
                .iter()
                .map(|(j, m)| (j.as_str(), m))
                .collect::<Vec<_>>(),
            [("J1", 60), ("J2", 45)]
        );
        assert_eq!(standards.minutes(&job("J2")), Some(45));
        assert_eq!(standards.minutes(&job("J3")), None);
    }
}
