//! The state of one workshop: which events it has absorbed, its repair orders
//! ([`RepairOrders`]), technicians ([`Technicians`]) and settled invoices. Every KPI is a
//! function of this state alone, and the state is a function of the *set* of
//! events, not their order.

use super::accident::{AccidentStep, AccidentSteps, StepTimes};
use super::bays::{BayDay, Bays};
use super::changed_days::{ChangedDays, Gathered};
use super::day_memo::DayMemo;
use super::days::Days;
use super::event_key::EventKey;
use super::fact::Fact;
use super::invoices::Invoices;
use super::kpi_day::KpiDay;
use super::repair_orders::RepairOrders;
use super::seen::{Check, Seen};
use super::settings::WorkshopSettings;
use super::technicians::{self, TechnicianDay, Technicians};
use crate::events::{ClockKind, Event, EventBody, JobType, Payer, RepairOrderId, WorkshopId};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// What absorbing one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Absorbed {
    /// New: these business days' rows changed.
    Changed(ChangedDays),
    /// Seen before with identical content: nothing changed.
    Duplicate,
    /// Seen before with different content: refused, nothing changed.
    Conflict,
}

/// One workshop's state.
#[derive(Debug, Clone)]
pub struct WorkshopState {
    id: WorkshopId,
    settings: WorkshopSettings,
    /// Every absorbed event id, with its content's fingerprint.
    seen: Seen,
    /// Business days on which any event happened: the days that get a row.
    days: Days,
    /// The bounds of the business day last looked up.
    day_memo: DayMemo,
    repair_orders: RepairOrders,
    technicians: Technicians,
    bays: Bays,
    accident_steps: AccidentSteps,
    invoices: Invoices,
}

impl WorkshopState {
    /// An empty workshop.
    pub fn new(id: WorkshopId, settings: WorkshopSettings) -> Self {
        Self {
            id,
            settings,
            seen: Seen::default(),
            days: Days::default(),
            day_memo: DayMemo::default(),
            repair_orders: RepairOrders::default(),
            technicians: Technicians::default(),
            bays: Bays::default(),
            accident_steps: AccidentSteps::default(),
            invoices: Invoices::default(),
        }
    }

    /// Distinct events absorbed so far; the version of rows computed now.
    pub fn version(&self) -> u64 {
        self.seen.len() as u64
    }

    /// Business days that have a row, oldest first.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days.iter()
    }

    /// Absorbs one event of this workshop, whose [`Event::content_hash`] is
    /// `content_hash`.
    pub fn absorb(&mut self, event: &Event, content_hash: u64) -> Absorbed {
        match self.seen.check(event, content_hash) {
            Check::New => {}
            Check::Duplicate => return Absorbed::Duplicate,
            Check::Conflict => return Absorbed::Conflict,
        }
        let day = self
            .day_memo
            .business_date(&self.settings, event.occurred_at);
        let mut changed = Gathered::default();
        if self.days.insert(day) {
            changed.insert(day);
        }
        let key: EventKey = (event.occurred_at_ms(), event.event_id.clone());
        let fact = Fact {
            key: &key,
            at: event.occurred_at,
            day,
            body: &event.body,
        };
        self.repair_orders.absorb(&fact, &self.days, &mut changed);
        self.absorb_technician_event(&fact, &mut changed);
        changed.extend(self.accident_steps.absorb(&fact));
        if self.bays.absorb(&fact) {
            changed.extend(self.days.range(day..));
        }
        self.invoices.absorb(&fact, &mut changed);
        // Only days with events have rows (an adjusted interval may reach into
        // a day that has none).
        Absorbed::Changed(changed.finish(|d| self.days.contains(d)))
    }

    /// Records clock, job and day-close events and marks the days they restate:
    /// the span of the technician's clock around the event (intervals between
    /// neighbouring clockings change), the QC-pass days of every repair
    /// order whose sold-hours split may move, and every day from the one a
    /// technician's rows now start on, if the event moved it earlier.
    fn absorb_technician_event(&mut self, fact: &Fact, changed: &mut Gathered) {
        let Fact { key, day, body, .. } = *fact;
        let touched = self.technicians.absorb(&self.settings, fact);
        let last = self.days.last().unwrap_or(day);
        // The sold-hours day of a repair order whose split may move.
        let sold_day = |ro: &RepairOrderId| self.repair_orders.first_pass_day(ro);
        if let Some(from) = touched.rows_from {
            changed.extend(self.days.range(from..=last));
        }
        match touched.what {
            technicians::Absorbed::Clock(t, kind) => {
                // A shift clocking moves attended time only; a job clocking
                // moves worked time, and the sold-time split of the jobs
                // around it.
                let span = self.technicians.span(&t, key, kind, &self.settings);
                let from = span.from.map_or(day, |b| b.min(day));
                let to = span.to.map_or(day, |a| a.max(day));
                changed.extend(self.days.range(from..=to));
                if kind == ClockKind::Job {
                    changed.extend(span.repair_orders().filter_map(sold_day));
                }
            }
            technicians::Absorbed::Adjusted(t) => {
                // A correction restates the days its intervals and the raw
                // ones around them touch, and its job's sold-time split.
                if let Some(reach) = self.technicians.reach(&t, key, &self.settings) {
                    changed.extend(self.days.range(reach.from..=reach.to));
                    changed.extend(reach.sold.as_ref().and_then(sold_day));
                }
            }
            technicians::Absorbed::Job(ro) => changed.extend(sold_day(&ro)),
            technicians::Absorbed::DayClosed(closed) => {
                // An interval left open over the closed day now ends at its
                // closing time instead of at a later clocking.
                // Only a job clocked on that day can have been left open over it.
                changed.extend(self.days.range(closed..));
                let clocked = self.technicians.ros_clocked_on(closed);
                changed.extend(clocked.iter().filter_map(sold_day));
            }
            technicians::Absorbed::Nothing => {}
        }
        // The crew of a passed order can be credited sold time on its
        // first-pass day, clocked by then or not: they have rows from then on.
        if let EventBody::QcPassed { ro_id } = body
            && let Some(pass) = self.repair_orders.first_pass_day(ro_id)
            && let Some(from) = self.technicians.crew_passed(ro_id, pass)
        {
            changed.extend(self.days.range(from..=last));
        }
    }

    /// Repair orders still in the workshop, with their jobs' progress.
    pub fn open_repair_orders(&self) -> Vec<super::attention::OpenRepairOrder> {
        let orders = self.repair_orders.open_orders();
        let ids: BTreeSet<&RepairOrderId> = orders.iter().map(|o| &o.ro_id).collect();
        let mut progress = self.technicians.job_progress(&self.settings, &ids);
        orders
            .into_iter()
            .map(|order| super::attention::OpenRepairOrder {
                jobs: progress.remove(&order.ro_id).unwrap_or_default(),
                order,
            })
            .collect()
    }

    /// Accident-repair steps finished on a business day.
    pub fn accident_steps(&self, date: NaiveDate) -> Vec<AccidentStep> {
        self.accident_steps
            .finished_on(date, &self.settings.kpi.accident_steps)
    }

    /// The bay rows of a business day: every bay with an event on or before it.
    pub fn bay_rows(&self, date: NaiveDate) -> Vec<BayDay> {
        self.bays.rows(&self.settings, date)
    }

    /// The technician rows of a business day: every technician who has clocked
    /// anything on or before it, or is on the crew of an order that first
    /// passed QC on or before it (`technicians::crew`).
    pub fn technician_rows(&self, date: NaiveDate) -> Vec<TechnicianDay> {
        // A cancelled repair order sells no hours, even if it passed QC.
        let passed = self.repair_orders.first_passed_on(date);
        self.technicians.rows(&self.settings, date, &passed)
    }

    /// The KPI row of a business day (also for a day without events: an empty
    /// day that carries the repair orders still open into it).
    pub fn row(&self, date: NaiveDate) -> KpiDay {
        let steps = self
            .accident_steps
            .times_on(date, &self.settings.kpi.accident_steps);
        self.row_from(date, &self.bay_rows(date), steps)
    }

    /// Every row of a business day — workshop, technicians, bays, accident
    /// steps — with the bays and steps computed once for their own rows and the
    /// workshop totals.
    pub fn day_rows(&self, date: NaiveDate) -> super::DayRows {
        let bays = self.bay_rows(date);
        let accident_steps = self.accident_steps(date);
        super::DayRows {
            kpi: self.row_from(date, &bays, accident_steps.iter().map(AccidentStep::times)),
            technicians: self.technician_rows(date),
            bays,
            accident_steps,
        }
    }

    fn row_from(
        &self,
        date: NaiveDate,
        bays: &[BayDay],
        steps: impl IntoIterator<Item = StepTimes>,
    ) -> KpiDay {
        let mut row = KpiDay::empty(self.id.clone(), date, 0, self.settings.daily_output_target);
        row.version = self.version();
        // Distinct repair orders, in a hash set sized for a day's settlements:
        // ids hash as the number they carry, where a B-tree compared their
        // text at every level, and grown from empty it rehashed four times.
        let mut ros: super::HashSet<&RepairOrderId> =
            super::HashSet::with_capacity_and_hasher(32, Default::default());
        for settlement in self.invoices.counted_on(date) {
            row.output_value_fen += settlement.net.0;
            row.gross_fen += settlement.gross.0;
            row.discount_fen += settlement.discount.0;
            row.labour_fen += settlement.labour.0;
            row.parts_fen += settlement.parts.0;
            row.other_fen += settlement.other.0;
            if settlement.is_reversal() {
                row.reversals += 1;
            } else {
                row.settlements += 1;
                ros.insert(&settlement.ro_id);
            }
            let bucket = match self.repair_orders.job_type(&settlement.ro_id) {
                Some(JobType::Maintenance) => &mut row.output_maintenance_fen,
                Some(JobType::FirstService) => &mut row.output_first_service_fen,
                Some(JobType::Repair) => &mut row.output_repair_fen,
                Some(JobType::Warranty) => &mut row.output_warranty_fen,
                Some(JobType::AccidentBodyshop) => &mut row.output_accident_fen,
                Some(JobType::Internal) => &mut row.output_internal_fen,
                None => &mut row.output_unattributed_fen,
            };
            *bucket += settlement.net.0;
            *match settlement.payer {
                Payer::Customer => &mut row.output_payer_customer_fen,
                Payer::Warranty => &mut row.output_payer_warranty_fen,
                Payer::Insurance => &mut row.output_payer_insurance_fen,
                Payer::Internal => &mut row.output_payer_internal_fen,
            } += settlement.net.0;
        }
        row.settled_ros = ros.len() as u32;
        row.invoice_conflicts = self.invoices.conflicts_on(date);
        for step in steps {
            row.accident_steps_finished += 1;
            if let (Some(standard), Some(over)) = (step.standard_minutes, step.over_minutes()) {
                row.accident_steps_over_standard += u32::from(over > 0);
                row.accident_step_actual_minutes += step.actual_minutes;
                row.accident_step_standard_minutes += i64::from(standard);
            }
        }
        for bay in bays {
            row.bays_known += 1;
            row.bay_turns += bay.turns;
            row.bay_occupied_s += bay.occupied_s;
            row.bay_available_s += bay.available_s;
            row.bay_dwell_s += bay.dwell_s;
        }
        self.repair_orders.fill(&mut row, &self.settings.kpi);
        row
    }
}
