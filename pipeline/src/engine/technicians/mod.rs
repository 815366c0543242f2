//! Technician time: attended (shift clock), worked (job clock) and sold hours
//! (standard time of jobs whose repair order passed QC), per technician and
//! business day.
//!
//! Clock events are kept sorted by `(occurred_at, event_id)` and turned into
//! intervals when a row is asked for, so the result depends only on the set of
//! events. The rules (kpi-reference §7):
//! - a clock-on while one is open closes the open one at that instant;
//! - a clock-off with nothing open (or for another job) is counted as unmatched;
//! - a clock-on still open when its business day is closed (`day_closed`) ends at
//!   the workshop's closing time and is flagged as auto-closed — also when the
//!   next clocking comes only the next morning;
//! - a `clock_adjusted` interval replaces the raw intervals of its kind (and job)
//!   that it overlaps, and any earlier correction it overlaps; every correction
//!   is counted for the audit trail;
//! - intervals crossing midnight are split across business days;
//! - a job's standard time is credited on the day its RO first passes QC, split
//!   between technicians in proportion to their worked time on it (largest
//!   remainder, so the parts add up exactly); nobody clocked → the dispatched
//!   technician.
//!
//! The state and what each event records are here; the rest is split by
//! what is asked of it:
//! - [`rows`]: a business day's technician rows;
//! - [`sold`]: the sold-hours split between the technicians of a job;
//! - [`restated`]: which days an event can restate;
//! - [`progress`]: the live progress of open orders' jobs;
//! - [`job_records`]: the compact per-job and per-order records;
//! - [`crew`]: who can be credited an order's sold time, and their rows.

mod crew;
mod job_records;
mod progress;
mod restated;
mod rows;
mod sold;

pub use progress::JobProgress;
pub use rows::TechnicianDay;

use super::clockings::{self, Adjustment, Clocking};
use super::day_window;
use super::event_key::{EventKey, Keyed, keep_earliest};
use super::settings::WorkshopSettings;
use super::timeline::Timeline;
use super::{HashMap, shared_key};
use crate::engine::fact::Fact;
use crate::events::{ClockKind, EventBody, JobId, RepairOrderId, TechnicianId};
use chrono::{DateTime, FixedOffset, NaiveDate};
use job_records::{JobClockers, JobStandards, insert_sorted};
use std::collections::BTreeSet;

/// A job: its repair order and job id.
pub type JobRef = (RepairOrderId, JobId);

#[derive(Debug, Clone, Default)]
struct Clock {
    shift: Timeline<Clocking>,
    job: Timeline<Clocking>,
    adjustments: Timeline<Adjustment>,
    /// A bound on when its corrections were made (`clockings::made_after_off_ms`),
    /// so a row reads only the corrections made since its stretch began.
    made_after_off_ms: i64,
    /// The earliest first-pass day of an order the technician is on the crew
    /// of ([`crew`]): sold time can be credited to them from then on.
    crew_from: Option<NaiveDate>,
    /// The earliest day a correction corrects (kept as they come, so that
    /// [`Clock::first_day`] does not read every correction ever made).
    first_corrected: Option<NaiveDate>,
}

impl Clock {
    /// The first business day with a clocking or a corrected interval, or
    /// on which sold time can be credited ([`crew`]): rows start there.
    fn first_day(&self) -> Option<NaiveDate> {
        // Clockings are in time order: the first of each kind is the earliest.
        [self.shift.values().next(), self.job.values().next()]
            .into_iter()
            .flatten()
            .map(|c| c.day)
            .chain(self.first_corrected)
            .chain(self.crew_from)
            .min()
    }

    /// The clockings of the `kind` clock, in time order.
    fn clockings(&self, kind: ClockKind) -> &[(EventKey, Clocking)] {
        match kind {
            ClockKind::Shift => self.shift.as_slice(),
            ClockKind::Job => self.job.as_slice(),
        }
    }

    /// Files a clocking on the `kind` clock; the day the technician's rows
    /// now start on, if it moved them earlier.
    fn file_clocking(
        &mut self,
        kind: ClockKind,
        key: &EventKey,
        clocking: Clocking,
    ) -> Option<NaiveDate> {
        let (first, day) = (self.first_day(), clocking.day);
        match kind {
            ClockKind::Shift => &mut self.shift,
            ClockKind::Job => &mut self.job,
        }
        .insert(key.clone(), clocking);
        starts_rows(first, day)
    }

    /// Files a correction, made at `key`; the day the technician's rows now
    /// start on, if it moved them earlier (a correction counts on the day it
    /// corrects).
    fn file_correction(&mut self, key: &EventKey, correction: Adjustment) -> Option<NaiveDate> {
        let (first, day) = (self.first_day(), correction.day);
        self.made_after_off_ms =
            clockings::made_after_off_ms(self.made_after_off_ms, key.0, correction.off_at);
        self.adjustments.insert(key.clone(), correction);
        earliest(&mut self.first_corrected, Some(day));
        starts_rows(first, day)
    }
}

/// All technicians of one workshop. Its maps by id are hash maps, not
/// B-trees: lookups by id are per event, and a B-tree compares long ids with
/// shared prefixes at every level. Whatever lists them (rows) sorts by id itself.
#[derive(Debug, Clone, Default)]
pub struct Technicians {
    clocks: HashMap<TechnicianId, Clock>,
    /// What is known of each repair order's jobs as a whole.
    orders: HashMap<RepairOrderId, Order>,
    /// Business days closed by `day_closed`.
    closed_days: BTreeSet<NaiveDate>,
    /// Each job's dispatch and clockers: one map, so a job event looks its
    /// job up once. Boxed: the table moves every entry each time it doubles,
    /// and a job record with its clockers is over a hundred bytes.
    jobs: HashMap<JobRef, Box<Job>>,
}

/// What is known of one repair order's jobs as a whole.
#[derive(Debug, Clone, Default)]
struct Order {
    /// Standard minutes per job: the earliest `job_added` /
    /// `additional_work_approved` of each.
    standards: JobStandards,
    /// Who can be credited its sold time, and its first-pass day ([`crew`]).
    crew: crew::Crew,
}

/// A job's dispatch: the event's key and the technician.
impl Keyed for (EventKey, TechnicianId) {
    fn key(&self) -> &EventKey {
        &self.0
    }
}

/// What is known of one job besides its standard time.
#[derive(Debug, Clone, Default)]
struct Job {
    /// The earliest dispatch: its key and the technician.
    dispatched: Option<(EventKey, TechnicianId)>,
    /// Who clocked on or off it (or had an interval corrected on it), with
    /// the keys of their clock-ons on it (its intervals start there).
    clockers: JobClockers,
}

impl Technicians {
    /// Records a clock, job or day-close event and says what it touched; the
    /// caller turns that into the business days to restate.
    pub fn absorb(&mut self, settings: &WorkshopSettings, fact: &Fact) -> Touched {
        let mut rows_from = None;
        let what = self.record(settings, fact, &mut rows_from);
        Touched { what, rows_from }
    }

    /// [`Self::absorb`]'s recording; sets `rows_from` if the event moved a
    /// technician's first day earlier ([`Touched::rows_from`]).
    fn record(
        &mut self,
        settings: &WorkshopSettings,
        fact: &Fact,
        rows_from: &mut Option<NaiveDate>,
    ) -> Absorbed {
        let Fact { key, at, day, body } = *fact;
        let job = |ro: &RepairOrderId, j: &JobId| (ro.clone(), j.clone());
        match body {
            EventBody::ShiftOn { technician_id } | EventBody::ShiftOff { technician_id } => {
                let on = matches!(body, EventBody::ShiftOn { .. });
                let clocking = Clocking {
                    at,
                    day,
                    on,
                    job: None,
                };
                let clock = slot!(self.clocks, technician_id);
                earliest(
                    rows_from,
                    clock.file_clocking(ClockKind::Shift, key, clocking),
                );
                Absorbed::Clock(technician_id.clone(), ClockKind::Shift)
            }
            EventBody::JobOn {
                technician_id,
                ro_id,
                job_id,
            }
            | EventBody::JobOff {
                technician_id,
                ro_id,
                job_id,
            } => {
                let on = matches!(body, EventBody::JobOn { .. });
                // The clocking keeps the ids the job's record and the
                // technician's clock already hold, not this event's copies.
                let technician = shared_key(&self.clocks, technician_id.clone());
                let job = job(ro_id, job_id);
                let (clocker, new_on_job) = slot!(self.jobs, &job).clockers.of(&technician);
                if on {
                    insert_sorted(&mut clocker.ons, key);
                }
                if new_on_job {
                    earliest(rows_from, self.join_crew(ro_id, &technician));
                }
                let clocking = Clocking {
                    at,
                    day,
                    on,
                    job: Some(shared_key(&self.jobs, job)),
                };
                let clock = slot!(self.clocks, &technician);
                earliest(
                    rows_from,
                    clock.file_clocking(ClockKind::Job, key, clocking),
                );
                Absorbed::Clock(technician_id.clone(), ClockKind::Job)
            }
            EventBody::ClockAdjusted {
                technician_id,
                kind,
                ro_id,
                job_id,
                on_at,
                off_at,
                ..
            } => {
                let adjusted = match (ro_id, job_id) {
                    (Some(ro), Some(j)) => Some(job(ro, j)),
                    _ => None,
                };
                // Only a job correction puts time on its job (a shift
                // correction that names one does not).
                if let Some(adjusted) = &adjusted
                    && *kind == ClockKind::Job
                {
                    let (clocker, _) = slot!(self.jobs, adjusted).clockers.of(technician_id);
                    insert_sorted(&mut clocker.corrections, key);
                    earliest(rows_from, self.join_crew(&adjusted.0, technician_id));
                }
                let correction = Adjustment {
                    kind: *kind,
                    job: adjusted,
                    on_at: *on_at,
                    off_at: *off_at,
                    day: settings.business_date(*on_at),
                };
                let clock = slot!(self.clocks, technician_id);
                earliest(rows_from, clock.file_correction(key, correction));
                Absorbed::Adjusted(technician_id.clone())
            }
            EventBody::JobAdded {
                ro_id,
                job_id,
                standard_minutes,
                ..
            }
            | EventBody::AdditionalWorkApproved {
                ro_id,
                job_id,
                standard_minutes,
                ..
            } => {
                slot!(self.orders, ro_id)
                    .standards
                    .record(job_id, key, *standard_minutes);
                Absorbed::Job(ro_id.clone())
            }
            EventBody::JobDispatched {
                ro_id,
                job_id,
                technician_id,
                ..
            } => {
                // A new job's record keys it by the repair order id its
                // standards already hold, and keeps the technician's clock's
                // copy of their id.
                let ro_id = &shared_key(&self.orders, ro_id.clone());
                let technician = shared_key(&self.clocks, technician_id.clone());
                earliest(rows_from, self.join_crew(ro_id, &technician));
                let dispatched = &mut slot!(self.jobs, &job(ro_id, job_id)).dispatched;
                keep_earliest(dispatched, (key.clone(), technician));
                Absorbed::Job(ro_id.clone())
            }
            EventBody::DayClosed { business_date } => {
                self.closed_days.insert(*business_date);
                Absorbed::DayClosed(*business_date)
            }
            _ => Absorbed::Nothing,
        }
    }

    /// Repair orders with a job clocking on business day `date`, by anyone.
    pub fn ros_clocked_on(&self, date: NaiveDate) -> BTreeSet<RepairOrderId> {
        self.clocks
            .values()
            .flat_map(|clock| day_window::on_day(&clock.job, date, |c| c.day))
            .filter_map(|c| c.job.as_ref().map(|(ro, _)| ro.clone()))
            .collect()
    }

    /// The closing time of `day`, once `day_closed` has closed it.
    fn closing(
        &self,
        settings: &WorkshopSettings,
        day: NaiveDate,
    ) -> Option<DateTime<FixedOffset>> {
        self.closed_days
            .contains(&day)
            .then(|| settings.opening_hours(day).1)
    }

    /// The jobs of a repair order with their standard minutes, by job id.
    fn jobs_of<'a>(&'a self, ro: &'a RepairOrderId) -> impl Iterator<Item = (JobRef, u32)> + 'a {
        self.orders
            .get(ro)
            .into_iter()
            .flat_map(|order| order.standards.iter())
            .map(move |(job, minutes)| ((ro.clone(), job.clone()), minutes))
    }

    /// A job's standard minutes, if it is known.
    fn standard_minutes(&self, (ro, job): &JobRef) -> Option<u32> {
        self.orders.get(ro)?.standards.minutes(job)
    }
}

/// Keeps the earlier of `slot` and `day`.
fn earliest(slot: &mut Option<NaiveDate>, day: Option<NaiveDate>) {
    *slot = match (*slot, day) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
}

/// `day`, if a clocking or correction on it starts a clock whose first day
/// was `first` (none yet, or later): the technician's rows now start there.
fn starts_rows(first: Option<NaiveDate>, day: NaiveDate) -> Option<NaiveDate> {
    first.is_none_or(|first| day < first).then_some(day)
}

/// What a technician-side event touched ([`Technicians::absorb`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// The clock, job or day it touched.
    pub what: Absorbed,
    /// The day a technician's rows now start on, if the event moved it
    /// earlier (their first clocking or correction, or joining the crew of
    /// an order that has passed QC, [`crew`]): every stored day from there on
    /// gains a row.
    pub rows_from: Option<NaiveDate>,
}

/// What a technician-side event touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Absorbed {
    /// A clocking on a technician's shift or job clock.
    Clock(TechnicianId, ClockKind),
    /// A correction of a technician's clocking (`clock_adjusted`).
    Adjusted(TechnicianId),
    /// A job's standard time or dispatch, of this RO.
    Job(RepairOrderId),
    /// A business day was closed.
    DayClosed(NaiveDate),
    /// Not a technician event.
    Nothing,
}
