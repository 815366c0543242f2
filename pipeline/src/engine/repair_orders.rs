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

use super::changed_days::Gathered;
use super::days::Days;
use super::kpi_day::KpiDay;
use super::settings::KpiSettings;
use super::timeline::Timeline;
use super::{HashMap, HashSet, shared_key};
use crate::events::{AdvisorId, EventBody, EventId, JobType, RepairOrderId, Vin};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// An order-independent tiebreak: earlier occurrence first, then event id.
pub type EventKey = (i64, EventId);

/// A fact with the event that established it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamped {
    key: EventKey,
    at: DateTime<FixedOffset>,
    day: NaiveDate,
}

impl Stamped {
    /// Keeps the earlier of `slot` and `new`; returns whether `new` won.
    fn keep_earliest(slot: &mut Option<Stamped>, new: Stamped) -> bool {
        if slot.as_ref().is_none_or(|old| new.key < old.key) {
            *slot = Some(new);
            true
        } else {
            false
        }
    }
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
    fn effective_promise(&self) -> (Option<DateTime<FixedOffset>>, u32) {
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
    fn parts_waits(&self) -> Vec<(NaiveDate, i64)> {
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
    fn first_pass_day(&self) -> Option<NaiveDate> {
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

    fn is_repair(&self) -> bool {
        self.opened
            .as_ref()
            .is_some_and(|o| matches!(o.job_type, JobType::Repair | JobType::Warranty))
    }

    /// The business days this order counts on in [`RepairOrders::fill`], and
    /// its stay in work in progress.
    fn footprint(&self) -> Footprint {
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

    /// Records a fact of this order; returns what it means for the order's
    /// vehicle (its comeback chain).
    fn record(
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
                changed.extend(
                    self.ready
                        .iter()
                        .chain(self.delivered.iter())
                        .map(|s| s.day),
                );
                changed.extend(self.qc.values().map(|(d, _)| *d));
                Vehicle::Filed {
                    from: old_vin,
                    to: new_vin.clone(),
                }
            }
            EventBody::Cancelled { .. } => {
                if !Stamped::keep_earliest(&mut self.cancelled, stamp()) {
                    return Vehicle::Unchanged;
                }
                changed.extend(from(day));
                changed.extend(self.opened.iter().map(|o| o.stamp.day));
                changed.extend(
                    self.ready
                        .iter()
                        .chain(self.delivered.iter())
                        .map(|s| s.day),
                );
                changed.extend(self.qc.values().map(|(d, _)| *d));
                vin(self).map_or(Vehicle::Unchanged, Vehicle::Changed)
            }
            EventBody::Delivered { .. } => {
                let old = self.delivered.as_ref().map(|s| s.day);
                if !Stamped::keep_earliest(&mut self.delivered, stamp()) {
                    return Vehicle::Unchanged;
                }
                changed.extend(from(day));
                changed.extend(old);
                vin(self).map_or(Vehicle::Unchanged, Vehicle::Changed)
            }
            EventBody::ReadyForPickup { .. } => {
                let old = self.ready.as_ref().map(|s| s.day);
                if Stamped::keep_earliest(&mut self.ready, stamp()) {
                    changed.insert(day);
                    changed.extend(old);
                }
                Vehicle::Unchanged
            }
            EventBody::PromiseRevised { promised_at, .. } => {
                self.revisions.insert(key.clone(), (at, *promised_at));
                changed.extend(
                    self.ready
                        .iter()
                        .chain(self.delivered.iter())
                        .map(|s| s.day),
                );
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

impl Footprint {
    /// Every day in the footprint (a day may come more than once).
    fn all_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days.iter().flatten().chain(&self.parts_days).copied()
    }

    fn has_day(&self, day: NaiveDate) -> bool {
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
    pub fn absorb(
        &mut self,
        key: &EventKey,
        at: DateTime<FixedOffset>,
        day: NaiveDate,
        body: &EventBody,
        days: &Days,
        changed: &mut Gathered,
    ) {
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

    /// Repair orders still in the workshop: opened, not cancelled, not ready
    /// for pickup or delivered, in id order. (The live attention list watches
    /// these.)
    pub fn open_orders(&self) -> Vec<OpenOrder> {
        let mut ids: Vec<&RepairOrderId> = self.open.iter().collect();
        ids.sort_unstable();
        ids.into_iter()
            .filter_map(|id| self.ros.get(id).map(|r| (id, r)))
            .filter_map(|(id, r)| {
                let o = r.opened.as_ref()?;
                let (promised_at, promise_revisions) = r.effective_promise();
                Some(OpenOrder {
                    ro_id: id.clone(),
                    plate: o.plate.clone(),
                    job_type: o.job_type,
                    advisor_id: o.advisor.clone(),
                    opened_at: o.stamp.at,
                    promised_at,
                    promise_revisions,
                    waiting_for_parts: r
                        .parts
                        .values()
                        .next_back()
                        .is_some_and(|(waiting, _, _)| *waiting),
                })
            })
            .collect()
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

    /// The earlier repair order a comeback `x` is charged to: the latest one of
    /// the same vehicle delivered before `x` opened, within the window, of a
    /// repair job type, sharing a complaint code (or any, if `x` is flagged).
    fn original_of(
        &self,
        x_id: &RepairOrderId,
        x: &RepairOrder,
        window: Duration,
    ) -> Option<RepairOrderId> {
        let opened = x.opened.as_ref()?;
        if x.cancelled.is_some() {
            return None;
        }
        let candidates = self.by_vin.get(&opened.vin)?;
        candidates
            .iter()
            .filter(|id| *id != x_id)
            .filter_map(|id| self.ros.get(id).map(|r| (id, r)))
            .filter_map(|(id, r)| {
                let delivered = r.delivered.as_ref()?;
                let earlier = r.opened.as_ref()?;
                let in_window =
                    delivered.at < opened.stamp.at && opened.stamp.at - delivered.at <= window;
                let matches = opened.flagged_comeback
                    || earlier
                        .complaint_codes
                        .iter()
                        .any(|c| opened.complaint_codes.binary_search(c).is_ok());
                (in_window && matches && r.is_repair() && r.cancelled.is_none())
                    .then(|| (delivered.key.clone(), id.clone()))
            })
            .max()
            .map(|(_, id)| id)
    }

    /// Whether some later repair order of the same vehicle is a comeback
    /// charged to `id` (see [`Self::original_of`]).
    fn came_back(&self, id: &RepairOrderId, ro: &RepairOrder, window: Duration) -> bool {
        let Some(vin) = ro.opened.as_ref().map(|o| &o.vin) else {
            return false;
        };
        self.by_vin.get(vin).into_iter().flatten().any(|x_id| {
            x_id != id
                && self
                    .ros
                    .get(x_id)
                    .and_then(|x| self.original_of(x_id, x, window))
                    .is_some_and(|original| original == *id)
        })
    }

    /// Fills the repair-order KPIs of `row` (its business day) from the facts
    /// of the repair orders filed under that day.
    pub fn fill(&self, row: &mut KpiDay, kpi: &KpiSettings) {
        let date = row.business_date;
        let grace = Duration::minutes(kpi.on_time_grace_minutes);
        let window = Duration::hours(kpi.comeback_window_hours);
        let mut per_advisor: HashMap<&AdvisorId, u32> = HashMap::default();
        let wip: i64 = self.wip_changes.range(..=date).map(|(_, n)| n).sum();
        row.wip = u32::try_from(wip).unwrap_or(0);
        let filed = self.by_day.get(&date).into_iter().flatten();
        for (id, ro) in filed.filter_map(|id| self.ros.get(id).map(|ro| (id, ro))) {
            let live = ro.cancelled.is_none();
            for (waits_day, minutes) in ro.parts_waits() {
                if waits_day == date {
                    row.parts_waits_ended += 1;
                    row.parts_wait_minutes += minutes;
                }
            }
            if live
                && let Some((first_day, passed)) = ro.first_qc
                && first_day == date
            {
                row.qc_first_inspections += 1;
                row.qc_first_passed += u32::from(passed);
            }
            let Some(opened) = &ro.opened else { continue };
            if opened.stamp.day == date && live && opened.job_type != JobType::Internal {
                row.intake += 1;
                row.intake_from_appointment += u32::from(opened.from_appointment);
                *per_advisor.entry(&opened.advisor).or_default() += 1;
            }
            if !live {
                continue;
            }
            let ready = ro.ready.as_ref().filter(|r| r.day == date);
            let delivered = ro.delivered.as_ref().filter(|d| d.day == date);
            // The promise (and its deadline) only for an order ready or
            // delivered that day: most orders filed on a day are neither.
            if (ready.is_some() || delivered.is_some())
                && let (Some(promise), revisions) = ro.effective_promise()
            {
                let by = promise + grace;
                if let Some(ready) = ready {
                    row.completed_with_promise += 1;
                    row.completed_on_time += u32::from(ready.at <= by);
                    row.promise_revisions += revisions;
                }
                if let Some(delivered) = delivered {
                    row.delivered_with_promise += 1;
                    row.delivered_on_time += u32::from(delivered.at <= by);
                }
            }
            if delivered.is_some() && ro.is_repair() {
                row.repairs_delivered += 1;
                row.comebacks += u32::from(self.came_back(id, ro, window));
            }
        }
        row.advisors_active = per_advisor.len() as u32;
        row.advisor_max_intake = per_advisor.values().copied().max().unwrap_or(0);
        row.advisors_over_limit = per_advisor
            .values()
            .filter(|n| **n > kpi.advisor_daily_limit)
            .count() as u32;
        row.no_shows = self.no_shows.get(&date).map_or(0, |s| s.len() as u32);
    }
}

/// The facts of a repair order still in the workshop.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpenOrder {
    /// The repair order.
    pub ro_id: RepairOrderId,
    /// Licence plate.
    pub plate: String,
    /// Kind of work.
    pub job_type: JobType,
    /// Its service advisor.
    pub advisor_id: AdvisorId,
    /// When it was opened.
    pub opened_at: DateTime<FixedOffset>,
    /// The promise last given to the customer (revisions made in time count).
    pub promised_at: Option<DateTime<FixedOffset>>,
    /// Revisions that counted.
    pub promise_revisions: u32,
    /// Whether it is waiting for parts right now.
    pub waiting_for_parts: bool,
}
