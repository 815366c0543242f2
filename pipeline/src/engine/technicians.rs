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

use super::clockings::{self, Adjustment, Clocking, Interval};
use super::day_window;
use super::elapsed::whole_seconds;
use super::settings::WorkshopSettings;
use super::timeline::{Timeline, partition_point_from_end};
use super::{HashMap, shared_key};
use crate::events::{ClockKind, EventBody, JobId, RepairOrderId, TechnicianId};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use smallvec::SmallVec;
use std::collections::{BTreeMap, BTreeSet};

use super::repair_orders::EventKey;

/// A job: its repair order and job id.
pub type JobRef = (RepairOrderId, JobId);

/// One technician's time on one business day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TechnicianDay {
    /// The technician.
    pub technician_id: TechnicianId,
    /// Seconds on shift (出勤).
    pub attended_s: i64,
    /// Seconds clocked on jobs (实际工时).
    pub worked_s: i64,
    /// Seconds of standard time credited (已售工时).
    pub sold_s: i64,
    /// Distinct jobs clocked on that day.
    pub jobs_clocked: u32,
    /// Clock-ons closed by the day close (forgotten clock-offs).
    pub auto_closed: u32,
    /// Corrected clockings that day.
    pub adjustments: u32,
    /// Clock-offs with nothing matching open.
    pub unmatched_offs: u32,
}

#[derive(Debug, Clone, Default)]
struct Clock {
    shift: Timeline<Clocking>,
    job: Timeline<Clocking>,
    adjustments: Timeline<Adjustment>,
    /// A bound on when its corrections were made (`clockings::made_after_off_ms`),
    /// so a row reads only the corrections made since its stretch began.
    made_after_off_ms: i64,
}

impl Clock {
    /// The first business day with a clocking or a corrected interval.
    fn first_day(&self) -> Option<NaiveDate> {
        self.first_day_but(None)
    }

    /// [`Clock::first_day`] as if the correction at `skipped` were not there.
    fn first_day_but(&self, skipped: Option<&EventKey>) -> Option<NaiveDate> {
        // Clockings are in time order: the first of each kind is the earliest.
        [self.shift.values().next(), self.job.values().next()]
            .into_iter()
            .flatten()
            .map(|c| c.day)
            .chain(
                self.adjustments
                    .iter()
                    .filter(|(k, _)| Some(k) != skipped)
                    .map(|(_, a)| a.day),
            )
            .min()
    }
}

/// All technicians of one workshop. Its maps by id are hash maps, not
/// B-trees: lookups by id are per event, and a B-tree compares long ids with
/// shared prefixes at every level. Whatever lists them (rows) sorts by id itself.
#[derive(Debug, Clone, Default)]
pub struct Technicians {
    clocks: HashMap<TechnicianId, Clock>,
    /// Standard minutes per job: the earliest `job_added` / `additional_work_approved`,
    /// by repair order, then job.
    standard: HashMap<RepairOrderId, JobStandards>,
    /// Business days closed by `day_closed`.
    closed_days: BTreeSet<NaiveDate>,
    /// Each job's dispatch and clockers: one map, so a job event looks its
    /// job up once. Boxed: the table moves every entry each time it doubles,
    /// and a job record with its clockers is over a hundred bytes.
    jobs: HashMap<JobRef, Box<Job>>,
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
    pub fn absorb(
        &mut self,
        settings: &WorkshopSettings,
        key: &EventKey,
        at: DateTime<FixedOffset>,
        day: NaiveDate,
        body: &EventBody,
    ) -> Absorbed {
        let job = |ro: &RepairOrderId, j: &JobId| (ro.clone(), j.clone());
        match body {
            EventBody::ShiftOn { technician_id } | EventBody::ShiftOff { technician_id } => {
                let on = matches!(body, EventBody::ShiftOn { .. });
                slot!(self.clocks, technician_id).shift.insert(
                    key.clone(),
                    Clocking {
                        at,
                        day,
                        on,
                        job: None,
                    },
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
                let clocker = slot!(self.jobs, &job).clockers.of(&technician);
                if on {
                    insert_sorted(&mut clocker.ons, key);
                }
                let job = shared_key(&self.jobs, job);
                slot!(self.clocks, &technician).job.insert(
                    key.clone(),
                    Clocking {
                        at,
                        day,
                        on,
                        job: Some(job),
                    },
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
                if let Some(adjusted) = &adjusted {
                    let clocker = slot!(self.jobs, adjusted).clockers.of(technician_id);
                    if *kind == ClockKind::Job {
                        insert_sorted(&mut clocker.corrections, key);
                    }
                }
                let clock = slot!(self.clocks, technician_id);
                clock.made_after_off_ms =
                    clockings::made_after_off_ms(clock.made_after_off_ms, key.0, *off_at);
                clock.adjustments.insert(
                    key.clone(),
                    Adjustment {
                        kind: *kind,
                        job: adjusted,
                        on_at: *on_at,
                        off_at: *off_at,
                        day: settings.business_date(*on_at),
                    },
                );
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
                slot!(self.standard, ro_id).record(job_id, key, *standard_minutes);
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
                let ro_id = &shared_key(&self.standard, ro_id.clone());
                let technician = shared_key(&self.clocks, technician_id.clone());
                let dispatched = &mut slot!(self.jobs, &job(ro_id, job_id)).dispatched;
                if dispatched
                    .as_ref()
                    .is_none_or(|(earliest, _)| key < earliest)
                {
                    *dispatched = Some((key.clone(), technician));
                }
                Absorbed::Job(ro_id.clone())
            }
            EventBody::DayClosed { business_date } => {
                self.closed_days.insert(*business_date);
                Absorbed::DayClosed(*business_date)
            }
            _ => Absorbed::Nothing,
        }
    }

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
        let clockings = match kind {
            ClockKind::Shift => clock.shift.as_slice(),
            ClockKind::Job => clock.job.as_slice(),
        };
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
            sold: job.as_ref().map(|(ro, _)| ro.clone()),
            new_first_day: {
                let own = adjustment.day;
                let others = clock.first_day_but(Some(key));
                others.is_none_or(|first| own < first).then_some(own)
            },
        })
    }

    /// What a clocking at `key` on the `kind` clock can change, found with
    /// one lookup of the technician and one search from the end of its clock.
    pub fn span<'a>(
        &'a self,
        technician: &TechnicianId,
        key: &EventKey,
        kind: ClockKind,
    ) -> Span<'a> {
        let Some(clock) = self.clocks.get(technician) else {
            return Span::default();
        };
        let clockings = match kind {
            ClockKind::Shift => clock.shift.as_slice(),
            ClockKind::Job => clock.job.as_slice(),
        };
        let at = partition_point_from_end(clockings, |(k, _)| k < key);
        let last_on_before = clockings[..at].iter().rposition(|(_, c)| c.on);
        let past_key = at + usize::from(clockings.get(at).is_some_and(|(k, _)| k == key));
        let next_on = clockings[past_key..]
            .iter()
            .position(|(_, c)| c.on)
            .map(|i| past_key + i);
        let end = next_on.map_or(clockings.len(), |i| i + 1);
        Span {
            from: last_on_before.map(|i| clockings[i].1.day),
            to: next_on
                .or_else(|| (past_key < clockings.len()).then(|| clockings.len() - 1))
                .map(|i| clockings[i].1.day),
            clockings: &clockings[last_on_before.unwrap_or(at).min(end)..end],
        }
    }

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

    /// Repair orders with a job clocking on business day `date`, by anyone.
    pub fn ros_clocked_on(&self, date: NaiveDate) -> BTreeSet<RepairOrderId> {
        self.clocks
            .values()
            .flat_map(|clock| day_window::on_day(&clock.job, date, |c| c.day))
            .filter_map(|c| c.job.as_ref().map(|(ro, _)| ro.clone()))
            .collect()
    }

    fn closing(
        &self,
        settings: &WorkshopSettings,
        day: NaiveDate,
    ) -> Option<DateTime<FixedOffset>> {
        self.closed_days
            .contains(&day)
            .then(|| settings.opening_hours(day).1)
    }

    /// Each technician with a closed interval on a job, by id, with the
    /// seconds worked on it over all time ([`Self::worked_on`]).
    fn worked_by<'a>(
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

    /// The technician rows of a business day. `passed` are the repair orders
    /// that first passed QC that day (their jobs' standard time is sold then).
    pub fn rows(
        &self,
        settings: &WorkshopSettings,
        date: NaiveDate,
        passed: &[&RepairOrderId],
    ) -> Vec<TechnicianDay> {
        let sold = self.sold_on(settings, passed);
        let span = clockings::day_span(settings, date);
        let closing = |d| self.closing(settings, d);
        let mut rows = Vec::new();
        for (technician, clock) in &self.clocks {
            if clock.first_day().is_none_or(|first| first > date) {
                continue;
            }
            let mut unmatched = BTreeMap::new();
            let mut corrected = |clocks, kind| {
                let around = day_window::around(clocks, date, |c: &Clocking| c.on);
                let raw = clockings::intervals(around, &mut unmatched, closing);
                let near = clockings::near(
                    &clock.adjustments,
                    clock.made_after_off_ms,
                    kind,
                    &raw,
                    span,
                );
                clockings::adjusted(raw, &near, kind)
            };
            let mut row = TechnicianDay {
                technician_id: technician.clone(),
                attended_s: 0,
                worked_s: 0,
                sold_s: sold.get(technician).copied().unwrap_or(0),
                jobs_clocked: 0,
                auto_closed: 0,
                adjustments: clock.adjustments.values().filter(|a| a.day == date).count() as u32,
                unmatched_offs: 0,
            };
            // Each interval's time on the day, once.
            for i in &corrected(&clock.shift, ClockKind::Shift) {
                let on = clockings::seconds_on(i, span);
                row.attended_s += on;
                row.auto_closed += u32::from(on > 0 && i.auto_closed);
            }
            let job_list = corrected(&clock.job, ClockKind::Job);
            let mut jobs = Vec::new();
            for i in &job_list {
                let on = clockings::seconds_on(i, span);
                row.worked_s += on;
                if on > 0 {
                    jobs.extend(i.job);
                    row.auto_closed += u32::from(i.auto_closed);
                }
            }
            row.jobs_clocked = distinct(jobs);
            row.unmatched_offs = unmatched.get(&date).copied().unwrap_or(0);
            rows.push(row);
        }
        rows.sort_by(|a, b| a.technician_id.cmp(&b.technician_id));
        rows
    }

    /// The jobs of a repair order with their standard minutes, by job id.
    fn jobs_of<'a>(&'a self, ro: &'a RepairOrderId) -> impl Iterator<Item = (JobRef, u32)> + 'a {
        self.standard
            .get(ro)
            .into_iter()
            .flat_map(JobStandards::iter)
            .map(move |(job, minutes)| ((ro.clone(), job.clone()), minutes))
    }

    /// A job's standard minutes, if it is known.
    fn standard_minutes(&self, (ro, job): &JobRef) -> Option<u32> {
        self.standard.get(ro)?.minutes(job)
    }

    /// Standard seconds sold with the repair orders in `passed`, per technician.
    fn sold_on(
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

/// How many distinct jobs. A technician clocks a handful a day, so sorting
/// a small vector beats filing them in a set.
fn distinct(mut jobs: Vec<&JobRef>) -> u32 {
    jobs.sort_unstable();
    jobs.dedup();
    jobs.len() as u32
}

/// The technicians who clocked on or off a job (or had an interval corrected
/// on it), by id, each with the keys of their clock-ons on it in time order.
/// A job has one or two, with a clock-on or two each: kept inline, where
/// B-trees allocated two nodes per technician.
#[derive(Debug, Clone, Default)]
struct JobClockers(SmallVec<[(TechnicianId, Clocker); 1]>);

/// One technician's clockings on a job, by key.
#[derive(Debug, Clone, Default)]
struct Clocker {
    /// Their clock-ons on it (its intervals start there).
    ons: SmallVec<[EventKey; 2]>,
    /// The corrections of their time on it (rare; without this, every job's
    /// worked time read every correction the technician ever had).
    corrections: SmallVec<[EventKey; 0]>,
}

impl JobClockers {
    /// A technician's clockings, added (empty) if the technician is new.
    fn of(&mut self, technician: &TechnicianId) -> &mut Clocker {
        let at = match self.0.binary_search_by(|(t, _)| t.cmp(technician)) {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (technician.clone(), Clocker::default()));
                at
            }
        };
        &mut self.0[at].1
    }

    /// Each technician, by id, with their clockings.
    fn iter(&self) -> impl Iterator<Item = (&TechnicianId, &Clocker)> {
        self.0.iter().map(|(t, clocker)| (t, clocker))
    }
}

/// Inserts `key` into keys kept in order, unless it is there.
fn insert_sorted<A: smallvec::Array<Item = EventKey>>(keys: &mut SmallVec<A>, key: &EventKey) {
    if let Err(at) = keys.binary_search(key) {
        keys.insert(at, key.clone());
    }
}

/// A repair order's jobs, by id, each with its standard minutes and the
/// event that set them (the earliest `job_added` or
/// `additional_work_approved`). An order has one to three jobs: a sorted
/// vector, where a B-tree allocated a node of eleven per order.
#[derive(Debug, Clone, Default)]
struct JobStandards(Vec<(JobId, EventKey, u32)>);

impl JobStandards {
    /// Records a job's standard minutes; the earliest event wins.
    fn record(&mut self, job: &JobId, key: &EventKey, minutes: u32) {
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
    fn minutes(&self, job: &JobId) -> Option<u32> {
        let at = self.0.binary_search_by(|(j, ..)| j.cmp(job)).ok()?;
        Some(self.0[at].2)
    }

    /// Each job, by id, with its standard minutes.
    fn iter(&self) -> impl Iterator<Item = (&JobId, u32)> {
        self.0.iter().map(|(job, _, minutes)| (job, *minutes))
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
    /// The technician's first business day, if this correction moved it
    /// earlier (rows start there, so every day after it gains one).
    pub new_first_day: Option<NaiveDate>,
}

/// The stretch of a technician's clock that one clocking can change: from
/// the last clock-on before it (the interval it may close or split starts
/// there, however many unmatched clock-offs lie between) through the first
/// clock-on after it, or to the last clocking if none follows (a matching
/// clock-off may be far later).
#[derive(Debug, Default)]
pub struct Span<'a> {
    /// The business day of that last clock-on before, if any.
    pub from: Option<NaiveDate>,
    /// The business day of that first clock-on after, or of the last
    /// clocking after, if any.
    pub to: Option<NaiveDate>,
    /// The clockings of the stretch (from the clocking itself if no clock-on
    /// precedes it).
    clockings: &'a [(EventKey, Clocking)],
}

impl<'a> Span<'a> {
    /// The repair orders clocked in the stretch: those whose jobs' worked
    /// time may change. Usually one or two, and one may come more than once.
    pub fn repair_orders(&self) -> impl Iterator<Item = &'a RepairOrderId> + 'a {
        self.clockings
            .iter()
            .filter_map(|(_, c)| c.job.as_ref().map(|(ro, _)| ro))
    }
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
