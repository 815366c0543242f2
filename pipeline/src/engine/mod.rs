//! The KPI engine: pure and synchronous. Events in, KPI rows out; no I/O, no
//! async, no clock. Streaming (`ingest`) and batch (`recompute`) both drive this
//! same code, which is why their results can be compared for equality.
//!
//! - [`Engine`] routes each event to its workshop's [`WorkshopState`].
//! - [`output_value`] holds the 产值 formula and its rounding.
//! - [`KpiDay`] is the row per workshop and business day.

/// `map`'s value for `key`, inserted as the default if missing. Unlike
/// `entry`, it clones the key only when it inserts: ids are shared strings,
/// and cloning one (then dropping the clone on a hit) is two atomic
/// reference-count updates.
macro_rules! slot {
    ($map:expr, $key:expr) => {
        match $map.get_mut($key) {
            Some(value) => value,
            None => $map.entry(($key).clone()).or_default(),
        }
    };
}

mod accident;
pub mod attention;
mod bays;
mod changed_days;
mod clockings;
mod day_memo;
mod day_window;
mod days;
mod elapsed;
mod event_key;
mod fact;
mod invoices;
mod kpi_day;
pub mod output_value;
mod repair_orders;
mod seen;
mod settings;
mod technician_rates;
mod technicians;
mod timeline;
mod workshop;

pub use accident::AccidentStep;
pub use attention::{Attention, Concern, OpenRepairOrder};
pub use bays::BayDay;
pub use changed_days::ChangedDays;
pub use kpi_day::{AdvisorIntake, KpiDay};
pub use repair_orders::OpenOrder;
pub use settings::{KpiSettings, OnTimeBasis, WorkshopDirectory, WorkshopSettings};
pub use technician_rates::{
    RateFormula, RateFormulaError, TechnicianRateFormulas, TechnicianSeconds, TechnicianTime,
};
pub use technicians::JobProgress;
pub use technicians::TechnicianDay;
pub use workshop::{Absorbed, WorkshopState};

use crate::events::{DecodeError, Event, RejectReason, WorkshopId};
use chrono::NaiveDate;

/// The engine's hash maps. Their keys (ids) come from the workshops' own
/// systems, not from the public, so a fast seeded hasher (foldhash) replaces
/// SipHash, which was a sixth of the per-event cost.
type HashMap<K, V> = foldhash::HashMap<K, V>;

/// A set of ids, hashed like [`HashMap`]'s keys.
type HashSet<T> = foldhash::HashSet<T>;

/// `map`'s own copy of `key` if it has the key, else `key` itself. Every
/// decoded event carries its own copy of each id (one allocation per id and
/// event); keeping the map's copy instead, where state stores an id per
/// event, shares one allocation per id.
fn shared_key<K: std::hash::Hash + Eq + Clone, V>(map: &HashMap<K, V>, key: K) -> K {
    map.get_key_value(&key)
        .map_or(key, |(shared, _)| shared.clone())
}

/// Every row of one workshop's business day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRows {
    /// The workshop row.
    pub kpi: KpiDay,
    /// One row per technician with a clocking on or before the day, or on
    /// the crew of an order that first passed QC on or before it.
    pub technicians: Vec<TechnicianDay>,
    /// One row per bay with an event on or before the day.
    pub bays: Vec<BayDay>,
    /// The accident-repair steps finished that day (the time-control chart).
    pub accident_steps: Vec<AccidentStep>,
}

/// The outcome of applying one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Absorbed: these days of the event's workshop have new rows.
    Changed(ChangedDays),
    /// Already absorbed with identical content; nothing to do.
    Duplicate,
    /// Refused by a rule that needs state (conflicting duplicate, unknown
    /// workshop); goes to the dead letters like a decode error.
    Refused(DecodeError),
}

/// All workshops' state.
#[derive(Debug, Clone)]
pub struct Engine {
    directory: WorkshopDirectory,
    workshops: HashMap<WorkshopId, WorkshopState>,
}

impl Engine {
    /// An engine with no events absorbed yet.
    pub fn new(directory: WorkshopDirectory) -> Self {
        Self {
            directory,
            workshops: HashMap::default(),
        }
    }

    /// Absorbs one valid event.
    pub fn apply(&mut self, event: &Event) -> Applied {
        self.apply_hashed(event, event.content_hash())
    }

    /// [`Engine::apply`] for a caller that has already computed the event's
    /// [`Event::content_hash`]: ingest computes it once per message for the
    /// `events_raw` row, and the duplicate check compares it too.
    pub fn apply_hashed(&mut self, event: &Event, content_hash: u64) -> Applied {
        let state = match self.workshops.get_mut(&event.workshop_id) {
            Some(state) => state,
            None => {
                let Some(settings) = self.directory.get(&event.workshop_id) else {
                    return Applied::Refused(DecodeError {
                        reason: RejectReason::UnknownWorkshop,
                        detail: format!(
                            "workshop {} is not configured and unknown workshops are refused",
                            event.workshop_id
                        ),
                    });
                };
                self.workshops
                    .entry(event.workshop_id.clone())
                    .or_insert_with(|| {
                        WorkshopState::new(event.workshop_id.clone(), settings.clone())
                    })
            }
        };
        match state.absorb(event, content_hash) {
            Absorbed::Changed(days) => Applied::Changed(days),
            Absorbed::Duplicate => Applied::Duplicate,
            Absorbed::Conflict => Applied::Refused(DecodeError {
                reason: RejectReason::ConflictingDuplicate,
                detail: format!(
                    "event_id {} was seen before with different content",
                    event.event_id
                ),
            }),
        }
    }

    /// The row of a workshop's business day, if the workshop has any events.
    pub fn row(&self, workshop: &WorkshopId, date: NaiveDate) -> Option<KpiDay> {
        self.workshops.get(workshop).map(|w| w.row(date))
    }

    /// All rows of a workshop's business day (what ingest writes per changed day).
    pub fn day_rows(&self, workshop: &WorkshopId, date: NaiveDate) -> Option<DayRows> {
        self.workshops.get(workshop).map(|w| w.day_rows(date))
    }

    /// The technician rows of a workshop's business day.
    pub fn technician_rows(&self, workshop: &WorkshopId, date: NaiveDate) -> Vec<TechnicianDay> {
        self.workshops
            .get(workshop)
            .map(|w| w.technician_rows(date))
            .unwrap_or_default()
    }

    /// Workshops with any absorbed event.
    pub fn workshop_ids(&self) -> Vec<WorkshopId> {
        let mut ids: Vec<WorkshopId> = self.workshops.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Repair orders still in a workshop, with their jobs' progress.
    pub fn open_repair_orders(&self, workshop: &WorkshopId) -> Vec<OpenRepairOrder> {
        self.workshops
            .get(workshop)
            .map(|w| w.open_repair_orders())
            .unwrap_or_default()
    }

    /// Accident-repair steps finished on a workshop's business day.
    pub fn accident_steps(&self, workshop: &WorkshopId, date: NaiveDate) -> Vec<AccidentStep> {
        self.workshops
            .get(workshop)
            .map(|w| w.accident_steps(date))
            .unwrap_or_default()
    }

    /// The bay rows of a workshop's business day.
    pub fn bay_rows(&self, workshop: &WorkshopId, date: NaiveDate) -> Vec<BayDay> {
        self.workshops
            .get(workshop)
            .map(|w| w.bay_rows(date))
            .unwrap_or_default()
    }

    /// Every bay row of every workshop: (workshop, day, version, row).
    pub fn all_bay_rows(&self) -> Vec<(WorkshopId, NaiveDate, u64, BayDay)> {
        self.every_day(WorkshopState::bay_rows)
    }

    /// Every finished accident-repair step of every workshop: (workshop, finish
    /// day, version, step).
    pub fn all_accident_steps(&self) -> Vec<(WorkshopId, NaiveDate, u64, AccidentStep)> {
        self.every_day(WorkshopState::accident_steps)
    }

    /// Every technician row of every workshop: (workshop, day, version, row).
    pub fn all_technician_rows(&self) -> Vec<(WorkshopId, NaiveDate, u64, TechnicianDay)> {
        self.every_day(WorkshopState::technician_rows)
    }

    /// `rows_of` on every day of every workshop, ordered by workshop and day.
    fn every_day<R>(
        &self,
        rows_of: impl Fn(&WorkshopState, NaiveDate) -> Vec<R>,
    ) -> Vec<(WorkshopId, NaiveDate, u64, R)> {
        let mut ids: Vec<&WorkshopId> = self.workshops.keys().collect();
        ids.sort();
        let mut out = Vec::new();
        for (id, w) in ids
            .into_iter()
            .filter_map(|id| self.workshops.get(id).map(|w| (id, w)))
        {
            for d in w.days() {
                out.extend(
                    rows_of(w, d)
                        .into_iter()
                        .map(|r| (id.clone(), d, w.version(), r)),
                );
            }
        }
        out
    }

    /// Every row of every workshop (a batch pass's output), ordered by workshop and day.
    pub fn all_rows(&self) -> Vec<KpiDay> {
        let mut rows: Vec<KpiDay> = self
            .workshops
            .values()
            .flat_map(|w| w.days().map(|d| w.row(d)).collect::<Vec<_>>())
            .collect();
        rows.sort_by(|a, b| {
            (&a.workshop_id, a.business_date).cmp(&(&b.workshop_id, b.business_date))
        });
        rows
    }

    /// The settings that apply to a workshop, if it is accepted.
    pub fn settings(&self, workshop: &WorkshopId) -> Option<&WorkshopSettings> {
        self.directory.get(workshop)
    }

    /// The workshop directory.
    pub fn directory(&self) -> &WorkshopDirectory {
        &self.directory
    }
}

/// An event of workshop `WA` at an RFC 3339 instant: what the golden fixtures
/// are written in.
/// A job clock-on (`on`) or clock-off of `tech` on `ro`'s `job`.
#[cfg(test)]
fn job_clocking(tech: &str, ro: &str, job: &str, on: bool) -> crate::events::EventBody {
    use crate::events::{EventBody, JobId, RepairOrderId, TechnicianId};
    let (technician_id, ro_id, job_id) = (
        TechnicianId::new(tech).expect("tech"),
        RepairOrderId::new(ro).expect("ro"),
        JobId::new(job).expect("job"),
    );
    if on {
        EventBody::JobOn {
            technician_id,
            ro_id,
            job_id,
        }
    } else {
        EventBody::JobOff {
            technician_id,
            ro_id,
            job_id,
        }
    }
}

#[cfg(test)]
fn wa_event(id: &str, at: &str, body: crate::events::EventBody) -> Event {
    Event {
        schema: 1,
        event_id: crate::events::EventId::new(id).expect("id"),
        workshop_id: WorkshopId::new("WA").expect("ws"),
        occurred_at: chrono::DateTime::parse_from_rfc3339(at).expect("time"),
        body,
    }
}

#[cfg(test)]
mod golden_bays;
#[cfg(test)]
mod golden_ro_kpis;
#[cfg(test)]
mod golden_technicians;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
