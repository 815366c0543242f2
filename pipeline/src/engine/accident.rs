//! Accident repair time control (事故车时间控制, seed 000): each step of an
//! accident repair order — entry, parts supply, repair service, or the finer
//! steps a workshop configures — with its start, finish, responsible person and
//! signer, its actual time against the configured standard, counted on the day
//! the step finished. The earliest start and the earliest finish of a step count.

use super::event_key::{EventKey, Keyed, keep_earliest};
use super::fact::Fact;
use crate::events::{EventBody, RepairOrderId};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A finished step, as the time-control chart shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccidentStep {
    /// The repair order.
    pub ro_id: RepairOrderId,
    /// The step code.
    pub step: String,
    /// Who was responsible.
    pub responsible: String,
    /// Who signed it off.
    pub signed_by: String,
    /// Start.
    pub started_at: DateTime<FixedOffset>,
    /// Finish.
    pub finished_at: DateTime<FixedOffset>,
    /// Minutes from start to finish.
    pub actual_minutes: i64,
    /// The configured standard, if the step has one.
    pub standard_minutes: Option<u32>,
    /// Minutes over the standard (0 when within it); `None` without a standard.
    pub over_minutes: Option<i64>,
}

type Stamp = (EventKey, DateTime<FixedOffset>, NaiveDate, String);

#[derive(Debug, Clone, Default)]
struct StepFacts {
    started: Option<Stamp>,
    finished: Option<Stamp>,
}

impl Keyed for Stamp {
    fn key(&self) -> &EventKey {
        &self.0
    }
}

/// A step of a repair order.
type StepRef = (RepairOrderId, String);

/// All accident steps of one workshop.
#[derive(Debug, Clone, Default)]
pub struct AccidentSteps {
    steps: BTreeMap<StepRef, StepFacts>,
    /// The finished steps by the day they count on, so a day's rows read
    /// that day's steps, not every step the workshop ever finished.
    by_finish_day: BTreeMap<NaiveDate, BTreeSet<StepRef>>,
}

impl AccidentSteps {
    /// Records a step event; returns the finish days whose rows changed.
    // Inlined into `WorkshopState::absorb`, its one caller, per event: left
    // to itself, LLVM moved it out of line when a row function was added to
    // this module, and `apply` took 2.5% more instructions.
    #[inline]
    pub fn absorb(&mut self, fact: &Fact) -> Vec<NaiveDate> {
        let Fact { key, at, day, body } = *fact;
        match body {
            EventBody::AccidentStepStarted {
                ro_id,
                step,
                responsible,
            } => {
                let facts = self.steps.entry((ro_id.clone(), step.clone())).or_default();
                if keep_earliest(
                    &mut facts.started,
                    (key.clone(), at, day, responsible.clone()),
                ) {
                    return facts.finished.iter().map(|f| f.2).collect();
                }
                Vec::new()
            }
            EventBody::AccidentStepFinished {
                ro_id,
                step,
                signed_by,
            } => {
                let step_ref = (ro_id.clone(), step.clone());
                let facts = self.steps.entry(step_ref.clone()).or_default();
                let old = facts.finished.as_ref().map(|f| f.2);
                if !keep_earliest(
                    &mut facts.finished,
                    (key.clone(), at, day, signed_by.clone()),
                ) {
                    return Vec::new();
                }
                if let Some(old) = old
                    && let Some(on_old) = self.by_finish_day.get_mut(&old)
                {
                    on_old.remove(&step_ref);
                }
                self.by_finish_day.entry(day).or_default().insert(step_ref);
                old.into_iter().chain([day]).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The steps that finished on `date` (and have a known start).
    pub fn finished_on(
        &self,
        date: NaiveDate,
        standards: &BTreeMap<String, u32>,
    ) -> Vec<AccidentStep> {
        self.finished_facts(date)
            .map(|((ro_id, step), started, finished)| {
                let times = StepTimes::of(started, finished, step, standards);
                let (_, started_at, _, responsible) = started;
                let (_, finished_at, _, signed_by) = finished;
                AccidentStep {
                    ro_id: ro_id.clone(),
                    step: step.clone(),
                    responsible: responsible.clone(),
                    signed_by: signed_by.clone(),
                    started_at: *started_at,
                    finished_at: *finished_at,
                    actual_minutes: times.actual_minutes,
                    standard_minutes: times.standard_minutes,
                    over_minutes: times.over_minutes(),
                }
            })
            .collect()
    }

    /// The times of the steps that finished on `date`, without copying their
    /// names and people: what the workshop row sums (every live tick).
    pub fn times_on<'a>(
        &'a self,
        date: NaiveDate,
        standards: &'a BTreeMap<String, u32>,
    ) -> impl Iterator<Item = StepTimes> + 'a {
        self.finished_facts(date)
            .map(|((_, step), started, finished)| StepTimes::of(started, finished, step, standards))
    }

    /// Each step that finished on `date` and has a known start, with its
    /// start and finish.
    fn finished_facts(
        &self,
        date: NaiveDate,
    ) -> impl Iterator<Item = (&StepRef, &Stamp, &Stamp)> + '_ {
        self.by_finish_day
            .get(&date)
            .into_iter()
            .flatten()
            .filter_map(|step_ref| {
                let f = self.steps.get(step_ref)?;
                Some((step_ref, f.started.as_ref()?, f.finished.as_ref()?))
            })
    }
}

/// A finished step's actual minutes and its standard, if configured.
#[derive(Debug, Clone, Copy)]
pub struct StepTimes {
    /// Start to finish, whole minutes.
    pub actual_minutes: i64,
    /// The configured standard.
    pub standard_minutes: Option<u32>,
}

impl StepTimes {
    fn of(
        started: &Stamp,
        finished: &Stamp,
        step: &str,
        standards: &BTreeMap<String, u32>,
    ) -> Self {
        let ((_, started_at, ..), (_, finished_at, ..)) = (started, finished);
        Self {
            actual_minutes: (*finished_at - *started_at).num_minutes().max(0),
            standard_minutes: standards.get(step).copied(),
        }
    }

    /// Minutes over the standard (none under it); `None` without a standard.
    pub fn over_minutes(&self) -> Option<i64> {
        self.standard_minutes
            .map(|s| (self.actual_minutes - i64::from(s)).max(0))
    }
}

impl AccidentStep {
    /// Its actual and standard minutes.
    pub fn times(&self) -> StepTimes {
        StepTimes {
            actual_minutes: self.actual_minutes,
            standard_minutes: self.standard_minutes,
        }
    }
}
