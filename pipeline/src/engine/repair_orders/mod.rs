//! What the engine knows of each repair order, and the KPIs of a business day that
//! come from repair orders: intake, work in progress, appointments, advisor load,
//! on-time completion, QC first pass and first-time fix.
//!
//! Facts are kept so that they are a function of the set of events, not of their
//! arrival order: where two events could disagree (two "opened" events for one
//! RO), the earliest `(occurred_at, event_id)` wins. Every KPI is computed from the
//! facts when a row is asked for; [`RepairOrders::absorb`] only records facts and
//! says which business days' rows changed. It also keeps each repair order filed
//! under the business days its facts fall on ([`Footprint`]), so a day's row reads
//! that day's repair orders, not the workshop's whole history.
//!
//! The facts and indexes are here, with what each event records; the rest:
//! - [`facts`]: how one order's facts are recorded and read;
//! - [`day_kpis`]: a business day's repair-order KPIs, first-time fix included;
//! - [`open`]: the orders still in the workshop, for the attention list.

mod day_kpis;
mod facts;
mod open;

pub use open::OpenOrder;

use super::changed_days::Gathered;
use super::days::Days;
use super::event_key::EventKey;
use super::timeline::Timeline;
use super::{HashMap, HashSet, shared_key};
use crate::engine::fact::Fact;
use crate::events::{AdvisorId, EventBody, JobType, RepairOrderId, Vin};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// A fact with the event that established it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamped {
    key: EventKey,
    at: DateTime<FixedOffset>,
    day: NaiveDate,
}

#[derive(Debug, Clone)]
struct Opened {
    stamp: Stamped,
    plate: String,
    job_type: JobType,
    advisor: AdvisorId,
    vin: Vin,
    /// Sorted, each once (a handful: a vector, not a tree of nodes).
    complaint_codes: Vec<String>,
    promised_at: Option<DateTime<FixedOffset>>,
    from_appointment: bool,
    flagged_comeback: bool,
}

/// Everything known of one repair order.
#[derive(Debug, Clone, Default)]
struct RepairOrder {
    opened: Option<Opened>,
    cancelled: Option<Stamped>,
    ready: Option<Stamped>,
    delivered: Option<Stamped>,
    /// Promise revisions: when made, and the new promise.
    revisions: Timeline<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
    /// QC results: passed or not.
    qc: Timeline<(NaiveDate, bool)>,
    /// Read from `qc` after every change and kept here, because rows and the
    /// day indexes ask for them for every order: the first inspection (day,
    /// passed) and the day of the first pass.
    first_qc: Option<(NaiveDate, bool)>,
    first_pass: Option<NaiveDate>,
    /// Days with a settlement of this RO (their output-by-type needs the job type).
    settlement_days: Days,
    /// Parts status changes, by event: waiting (true) or arrived (false), when, on
    /// which day. The latest is the live status; a waiting followed by an arrival is
    /// one completed wait.
    parts: Timeline<(bool, DateTime<FixedOffset>, NaiveDate)>,
}

/// Where a repair order's facts fall: the days a row must look at it, the
/// days it is in work in progress (from the opening day up to, not including,
/// the day it was delivered or cancelled), and whether it is still open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Footprint {
    /// Opened, ready, delivered, first inspected, first passed.
    days: [Option<NaiveDate>; 5],
    /// Days with a parts status change (not allocated when there are none).
    parts_days: Vec<NaiveDate>,
    wip: Option<(NaiveDate, Option<NaiveDate>)>,
    /// Still in the workshop: opened, not cancelled, ready or delivered.
    open: bool,
}

/// What a recorded fact means for the order's vehicle.
enum Vehicle {
    /// Nothing.
    Unchanged,
    /// The order was delivered or cancelled: the comeback chain of this
    /// vehicle may move.
    Changed(Vin),
    /// The order's opening (now) says it is of vehicle `to`; before, it was of
    /// `from`, if known.
    Filed { from: Option<Vin>, to: Vin },
}

/// The repair order a fact is about, if it is one of its facts.
fn repair_order_of(body: &EventBody) -> Option<&RepairOrderId> {
    match body {
        EventBody::RoOpened { ro_id, .. }
        | EventBody::Cancelled { ro_id, .. }
        | EventBody::Delivered { ro_id }
        | EventBody::ReadyForPickup { ro_id }
        | EventBody::PromiseRevised { ro_id, .. }
        | EventBody::QcPassed { ro_id }
        | EventBody::QcFailed { ro_id, .. }
        | EventBody::Settled { ro_id, .. }
        | EventBody::PartsWaiting { ro_id, .. }
        | EventBody::PartsArrived { ro_id } => Some(ro_id),
        _ => None,
    }
}

/// Whether a fact can move its repair order's footprint. (Settlements and
/// promise revisions do not.)
fn moves_footprint(body: &EventBody) -> bool {
    matches!(
        body,
        EventBody::RoOpened { .. }
            | EventBody::Cancelled { .. }
            | EventBody::Delivered { .. }
            | EventBody::ReadyForPickup { .. }
            | EventBody::QcPassed { .. }
            | EventBody::QcFailed { .. }
            | EventBody::PartsWaiting { .. }
            | EventBody::PartsArrived { .. }
    )
}

/// All repair orders of one workshop, with the indexes the KPIs need.
#[derive(Debug, Clone, Default)]
pub struct RepairOrders {
    /// Boxed: an order is 456 bytes, and the table moves every entry each
    /// time it doubles (a month-old workshop's order, job and invoice tables
    /// double within days of each other).
    ros: HashMap<RepairOrderId, Box<RepairOrder>>,
    by_vin: HashMap<Vin, BTreeSet<RepairOrderId>>,
    /// Appointments reported as no-shows, by day.
    no_shows: BTreeMap<NaiveDate, BTreeSet<String>>,
    /// Each repair order under the days of its footprint. A day's orders are
    /// a hash set: rows only sum over them, and filing an order in a B-tree
    /// compared its id's text with a handful of others.
    by_day: BTreeMap<NaiveDate, HashSet<RepairOrderId>>,
    /// Work in progress as changes: +1 on an opening day, −1 on a closing day.
    wip_changes: BTreeMap<NaiveDate, i64>,
    /// Repair orders still in the workshop (listed in id order by
    /// [`Self::open_orders`]).
    open: HashSet<RepairOrderId>,
}

impl RepairOrders {
    /// Records what `body` says about a repair order or appointment. `changed`
    /// receives every business day whose row may differ now; `days` are the days
    /// that have rows (a level such as work in progress changes on all later ones).
    pub fn absorb(&mut self, fact: &Fact, days: &Days, changed: &mut Gathered) {
        let Fact { key, at, day, body } = *fact;
        if let EventBody::AppointmentNoShow { appointment_id } = body {
            let new = self
                .no_shows
                .entry(day)
                .or_default()
                .insert(appointment_id.to_string());
            changed.extend(new.then_some(day));
            return;
        }
        let Some(ro_id) = repair_order_of(body) else {
            return;
        };
        // One lookup of the order: its footprint before and after, and the
        // fact, are read and written through it.
        let ro = slot!(self.ros, ro_id);
        let moves = moves_footprint(body);
        let before = moves.then(|| ro.footprint());
        let vehicle = ro.record(key, at, day, body, days, changed);
        let after = moves.then(|| ro.footprint());
        // The order's indexes keep the table's copy of its id, not this
        // event's.
        let shared_id = || shared_key(&self.ros, ro_id.clone());
        match vehicle {
            Vehicle::Unchanged => {}
            Vehicle::Changed(vin) => self.vin_changed(&vin, changed),
            Vehicle::Filed { from, to } => {
                if let Some(old_vin) = from.filter(|v| *v != to) {
                    // Two openings disagreed on the vehicle; the earlier one won.
                    if let Some(set) = self.by_vin.get_mut(&old_vin) {
                        set.remove(ro_id);
                    }
                    self.vin_changed(&old_vin, changed);
                }
                slot!(self.by_vin, &to).insert(shared_id());
                self.vin_changed(&to, changed);
            }
        }
        if let (Some(before), Some(after)) = (before, after)
            && before != after
        {
            let id = shared_id();
            self.refile(&id, &before, &after);
        }
    }

    /// Moves a repair order from its old footprint to its new one.
    fn refile(&mut self, id: &RepairOrderId, before: &Footprint, after: &Footprint) {
        for d in before.all_days().filter(|d| !after.has_day(*d)) {
            if let Some(set) = self.by_day.get_mut(&d) {
                set.remove(id);
                if set.is_empty() {
                    self.by_day.remove(&d);
                }
            }
        }
        for d in after.all_days().filter(|d| !before.has_day(*d)) {
            self.by_day.entry(d).or_default().insert(id.clone());
        }
        if after.open && !before.open {
            self.open.insert(id.clone());
        } else if before.open && !after.open {
            self.open.remove(id);
        }
        if before.wip != after.wip {
            for ((open, closed), sign) in before
                .wip
                .iter()
                .map(|w| (w, -1))
                .chain(after.wip.iter().map(|w| (w, 1)))
            {
                *self.wip_changes.entry(*open).or_default() += sign;
                if let Some(closed) = closed {
                    *self.wip_changes.entry(*closed).or_default() -= sign;
                }
            }
        }
    }

    /// A change to one of a VIN's repair orders can move which earlier order a
    /// comeback is charged to: every delivery day of that VIN's orders changes.
    fn vin_changed(&self, vin: &Vin, changed: &mut Gathered) {
        for id in self.by_vin.get(vin).into_iter().flatten() {
            if let Some(d) = self.ros.get(id).and_then(|r| r.delivered.as_ref()) {
                changed.insert(d.day);
            }
        }
    }

    /// Repair orders not cancelled that first passed QC on `date` (their jobs'
    /// standard time is sold that day).
    pub fn first_passed_on(&self, date: NaiveDate) -> Vec<&RepairOrderId> {
        self.by_day
            .get(&date)
            .into_iter()
            .flatten()
            .filter(|id| {
                self.ros
                    .get(*id)
                    .is_some_and(|r| r.cancelled.is_none() && r.first_pass_day() == Some(date))
            })
            .collect()
    }

    /// The day a repair order first passed QC, if it has.
    pub fn first_pass_day(&self, ro: &RepairOrderId) -> Option<NaiveDate> {
        self.ros.get(ro).and_then(|r| r.first_pass_day())
    }

    /// The job type of a repair order, if its opening is known.
    pub fn job_type(&self, ro: &RepairOrderId) -> Option<JobType> {
        self.ros
            .get(ro)
            .and_then(|r| r.opened.as_ref())
            .map(|o| o.job_type)
    }
}
