//! The state of one workshop: which events it has absorbed, what it knows of each
//! repair order, and the money settled per business day. Every KPI is a function
//! of this state alone, and the state is a function of the *set* of events, not
//! their order: where two events could disagree, the earliest `(occurred_at,
//! event_id)` wins, never the first to arrive.

use super::kpi_day::KpiDay;
use super::output_value::net_output_value;
use super::settings::WorkshopSettings;
use crate::events::{Event, EventBody, EventId, Fen, JobType, RepairOrderId, WorkshopId};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What absorbing one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Absorbed {
    /// New: these business days' rows changed.
    Changed(BTreeSet<NaiveDate>),
    /// Seen before with identical content: nothing changed.
    Duplicate,
    /// Seen before with different content: refused, nothing changed.
    Conflict,
}

/// An order-independent tiebreak: earlier occurrence first, then event id.
type EventKey = (i64, EventId);

#[derive(Debug, Clone, Default)]
struct RepairOrderFacts {
    /// The RO-opened event that counts (the earliest), its day and job type.
    opened: Option<(EventKey, NaiveDate, JobType)>,
    /// The earliest day it was delivered or cancelled.
    closed_day: Option<NaiveDate>,
    cancelled: bool,
}

#[derive(Debug, Clone, Default)]
struct DayMoney {
    output: Fen,
    gross: Fen,
    discount: Fen,
    labour: Fen,
    parts: Fen,
    other: Fen,
    settlements: u32,
    settled_ros: BTreeSet<RepairOrderId>,
}

/// One workshop's state.
#[derive(Debug, Clone)]
pub struct WorkshopState {
    id: WorkshopId,
    settings: WorkshopSettings,
    /// Content hash of every absorbed event, by id.
    seen: HashMap<EventId, u64>,
    /// Business days on which any event happened: the days that get a row.
    days: BTreeSet<NaiveDate>,
    ros: HashMap<RepairOrderId, RepairOrderFacts>,
    money: BTreeMap<NaiveDate, DayMoney>,
}

impl WorkshopState {
    /// An empty workshop.
    pub fn new(id: WorkshopId, settings: WorkshopSettings) -> Self {
        Self {
            id,
            settings,
            seen: HashMap::new(),
            days: BTreeSet::new(),
            ros: HashMap::new(),
            money: BTreeMap::new(),
        }
    }

    /// The workshop's settings.
    pub fn settings(&self) -> &WorkshopSettings {
        &self.settings
    }

    /// Distinct events absorbed so far; the version of rows computed now.
    pub fn version(&self) -> u64 {
        self.seen.len() as u64
    }

    /// Business days that have a row, oldest first.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days.iter().copied()
    }

    /// Absorbs one event of this workshop.
    pub fn absorb(&mut self, event: &Event) -> Absorbed {
        let hash = event.content_hash();
        if let Some(&known) = self.seen.get(&event.event_id) {
            return if known == hash {
                Absorbed::Duplicate
            } else {
                Absorbed::Conflict
            };
        }
        self.seen.insert(event.event_id.clone(), hash);
        let day = self.settings.business_date(event.occurred_at);
        let mut changed = BTreeSet::new();
        if self.days.insert(day) {
            changed.insert(day);
        }
        let key: EventKey = (event.occurred_at_ms(), event.event_id.clone());
        match &event.body {
            EventBody::RoOpened {
                ro_id, job_type, ..
            } => {
                let facts = self.ros.entry(ro_id.clone()).or_default();
                let earlier = facts.opened.as_ref().is_none_or(|(k, _, _)| key < *k);
                if earlier {
                    let old_day = facts.opened.as_ref().map(|(_, d, _)| *d);
                    facts.opened = Some((key, day, *job_type));
                    let from = old_day.map_or(day, |old| old.min(day));
                    changed.extend(self.days_from(from));
                }
            }
            EventBody::Delivered { ro_id } | EventBody::Cancelled { ro_id, .. } => {
                let facts = self.ros.entry(ro_id.clone()).or_default();
                if matches!(event.body, EventBody::Cancelled { .. }) && !facts.cancelled {
                    facts.cancelled = true;
                    if let Some((_, opened_day, _)) = facts.opened {
                        changed.insert(opened_day);
                    }
                }
                if facts.closed_day.is_none_or(|closed| day < closed) {
                    facts.closed_day = Some(day);
                    changed.extend(self.days_from(day));
                }
            }
            EventBody::Settled {
                ro_id,
                labour_fen,
                parts_fen,
                other_fen,
                discount_fen,
                tax_rate_bp,
                ..
            } => {
                let gross = labour_fen.fen() + parts_fen.fen() + other_fen.fen();
                let m = self.money.entry(day).or_default();
                m.output += net_output_value(gross, discount_fen.fen(), *tax_rate_bp);
                m.gross += gross;
                m.discount += discount_fen.fen();
                m.labour += labour_fen.fen();
                m.parts += parts_fen.fen();
                m.other += other_fen.fen();
                m.settlements += 1;
                m.settled_ros.insert(ro_id.clone());
                changed.insert(day);
            }
            // Stored in events_raw; the KPIs that read them come with the KPI engine issue.
            _ => {}
        }
        Absorbed::Changed(changed)
    }

    fn days_from(&self, from: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days.range(from..).copied()
    }

    /// The KPI row of a business day (also for a day without events: an empty
    /// day that carries the repair orders still open into it).
    pub fn row(&self, date: NaiveDate) -> KpiDay {
        let mut row = KpiDay::empty(self.id.clone(), date, 0, self.settings.daily_output_target);
        row.version = self.version();
        if let Some(m) = self.money.get(&date) {
            row.output_value_fen = m.output.0;
            row.gross_fen = m.gross.0;
            row.discount_fen = m.discount.0;
            row.labour_fen = m.labour.0;
            row.parts_fen = m.parts.0;
            row.other_fen = m.other.0;
            row.settlements = m.settlements;
            row.settled_ros = m.settled_ros.len() as u32;
        }
        for facts in self.ros.values() {
            let Some((_, opened_day, job_type)) = facts.opened else {
                continue;
            };
            if opened_day == date && !facts.cancelled && job_type != JobType::Internal {
                row.intake += 1;
            }
            if opened_day <= date && facts.closed_day.is_none_or(|closed| closed > date) {
                row.wip += 1;
            }
        }
        row
    }
}
