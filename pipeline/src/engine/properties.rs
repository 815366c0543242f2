//! Property tests: for generated workshop days, any arrival order, any
//! duplication and any split into batches give the KPI rows of one in-order
//! pass. The batch split replays what ingest does — write the rows of the days
//! an event changed, keep the highest version — so a day the engine forgot to
//! mark as changed would show up here as a stale row.

use super::*;
use crate::events::{
    AdvisorId, AppointmentId, BayId, ClockKind, EventBody, EventId, InvoiceAmount, InvoiceNo,
    JobId, JobType, Payer, RepairOrderId, TaxRateBp, TechnicianId, Vin, WorkshopId,
};
use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// What happens to one generated repair order.
#[derive(Debug, Clone)]
struct RoPlan {
    workshop: u8,
    opened_minute: i64,
    job_type: u8,
    settle_after: Option<i64>,
    deliver_after: Option<i64>,
    cancel_after: Option<i64>,
    amounts: [i64; 4],
    /// Shared among few vehicles, so comebacks happen.
    vin: u8,
    complaint: u8,
    advisor: u8,
    promise_after: Option<i64>,
    ready_after: Option<i64>,
    /// (made after opening, new promise after opening)
    revision: Option<(i64, i64)>,
    /// First QC result, then a pass after a failure.
    qc_after: Option<(i64, bool)>,
    from_appointment: bool,
    flagged_comeback: bool,
}

fn ro_plan() -> impl Strategy<Value = RoPlan> {
    let lifecycle = (
        0u8..2,
        0i64..(3 * 24 * 60),
        0u8..6,
        proptest::option::of(0i64..(2 * 24 * 60)),
        proptest::option::of(0i64..(2 * 24 * 60)),
        proptest::option::weighted(0.15, 0i64..600),
        [0i64..200_000, 0i64..400_000, 0i64..20_000, 0i64..10_000],
    );
    let details = (
        (0u8..4, 0u8..3, 0u8..3),
        proptest::option::of(0i64..(24 * 60)),
        proptest::option::of(0i64..(2 * 24 * 60)),
        proptest::option::weighted(0.3, (0i64..(24 * 60), 0i64..(2 * 24 * 60))),
        proptest::option::of((0i64..(2 * 24 * 60), any::<bool>())),
        any::<bool>(),
        proptest::bool::weighted(0.2),
    );
    (lifecycle, details).prop_map(|(lifecycle, details)| {
        let (workshop, opened_minute, job_type, settle_after, deliver_after, cancel_after, amounts) =
            lifecycle;
        let ((vin, complaint, advisor), promise_after, ready_after, revision, qc_after, from_appointment, flagged_comeback) =
            details;
        RoPlan {
            workshop,
            opened_minute,
            job_type,
            settle_after,
            deliver_after,
            cancel_after,
            amounts,
            vin,
            complaint,
            advisor,
            promise_after,
            ready_after,
            revision,
            qc_after,
            from_appointment,
            flagged_comeback,
        }
    })
}

/// One generated technician clocking: (workshop, technician, kind 0 shift / 1 job
/// / 2 adjusted shift / 3 adjusted job / 4 a dispatch of the job, on, minute,
/// repair order index).
type ClockPlan = (u8, u8, u8, bool, i64, usize);

fn clock_plan() -> impl Strategy<Value = ClockPlan> {
    (
        0u8..2,
        0u8..3,
        0u8..5,
        any::<bool>(),
        0i64..(3 * 24 * 60),
        0usize..40,
    )
}

fn clock_events(clocks: &[ClockPlan], closes: &[(u8, u8)]) -> Vec<Event> {
    let mut out = Vec::new();
    for (n, (workshop, tech, kind, on, minute, ro)) in clocks.iter().enumerate() {
        let technician_id = TechnicianId::new(format!("T{tech}")).expect("id");
        let ro_id = RepairOrderId::new(format!("RO{ro}")).expect("id");
        let job_id = JobId::new("J1").expect("id");
        let body = match (kind, on) {
            (0, true) => EventBody::ShiftOn { technician_id },
            (0, false) => EventBody::ShiftOff { technician_id },
            (1, on) => job_clocking(technician_id.as_str(), ro_id.as_str(), "J1", *on),
            (4, _) => EventBody::JobDispatched {
                ro_id,
                job_id,
                technician_id,
                bay_id: BayId::new("B0").expect("id"),
            },
            (2, _) => EventBody::ClockAdjusted {
                technician_id,
                adjusted_by: "foreman".into(),
                reason: "fix".into(),
                kind: ClockKind::Shift,
                ro_id: None,
                job_id: None,
                on_at: at(*minute),
                off_at: at(*minute + 240),
            },
            _ => EventBody::ClockAdjusted {
                technician_id,
                adjusted_by: "foreman".into(),
                reason: "fix".into(),
                kind: ClockKind::Job,
                ro_id: Some(ro_id),
                job_id: Some(job_id),
                on_at: at(*minute),
                off_at: at(*minute + 45),
            },
        };
        out.push(Event {
            schema: 1,
            event_id: EventId::new(format!("clock-{n}")).expect("id"),
            workshop_id: WorkshopId::new(format!("W{workshop}")).expect("id"),
            occurred_at: at(*minute),
            body,
        });
    }
    for (workshop, day) in closes {
        let business_date = at(i64::from(*day) * 24 * 60).date_naive();
        out.push(Event {
            schema: 1,
            event_id: EventId::new(format!("close-{workshop}-{day}")).expect("id"),
            workshop_id: WorkshopId::new(format!("W{workshop}")).expect("id"),
            occurred_at: at(i64::from(*day) * 24 * 60 + 23 * 60),
            body: EventBody::DayClosed { business_date },
        });
    }
    out
}

/// One generated bay event: (workshop, bay, kind 0 occupied / 1 released / 2 out
/// of service / 3 back, minute, repair order index).
type BayPlan = (u8, u8, u8, i64, u8);

fn bay_plan() -> impl Strategy<Value = BayPlan> {
    (0u8..2, 0u8..3, 0u8..4, 0i64..(3 * 24 * 60), 0u8..4)
}

fn bay_events(plans: &[BayPlan]) -> Vec<Event> {
    plans
        .iter()
        .enumerate()
        .map(|(n, (workshop, bay, kind, minute, ro))| {
            let bay_id = BayId::new(format!("B{bay}")).expect("id");
            let ro_id = RepairOrderId::new(format!("RO{ro}")).expect("id");
            let body = match kind {
                0 => EventBody::BayOccupied {
                    bay_id,
                    ro_id,
                    vin: Vin::new("LSVAU2180N2123450").expect("vin"),
                },
                1 => EventBody::BayReleased { bay_id, ro_id },
                2 => EventBody::BayOutOfService {
                    bay_id,
                    reason: "lift".into(),
                },
                _ => EventBody::BayBackInService { bay_id },
            };
            Event {
                schema: 1,
                event_id: EventId::new(format!("bay-{n}")).expect("id"),
                workshop_id: WorkshopId::new(format!("W{workshop}")).expect("id"),
                occurred_at: at(*minute),
                body,
            }
        })
        .collect()
}

fn at(minute: i64) -> DateTime<FixedOffset> {
    let start = FixedOffset::east_opt(8 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).single())
        .unwrap_or_default();
    start + Duration::minutes(minute)
}

fn events(plans: &[RoPlan]) -> Vec<Event> {
    let mut out = Vec::new();
    for (n, p) in plans.iter().enumerate() {
        let ws = WorkshopId::new(format!("W{}", p.workshop)).expect("id");
        let ro_id = RepairOrderId::new(format!("RO{n}")).expect("id");
        let mut push = |kind: &str, minute: i64, body: EventBody| {
            out.push(Event {
                schema: 1,
                event_id: EventId::new(format!("{kind}-{n}")).expect("id"),
                workshop_id: ws.clone(),
                occurred_at: at(minute),
                body,
            });
        };
        let job_type = [
            JobType::Maintenance,
            JobType::FirstService,
            JobType::Repair,
            JobType::Warranty,
            JobType::AccidentBodyshop,
            JobType::Internal,
        ][usize::from(p.job_type) % 6];
        push(
            "open",
            p.opened_minute,
            EventBody::RoOpened {
                ro_id: ro_id.clone(),
                vin: Vin::new(format!("LSVAU2180N212345{}", p.vin)).expect("vin"),
                plate: "沪A1".into(),
                advisor_id: AdvisorId::new(format!("SA{}", p.advisor)).expect("id"),
                job_type,
                complaint_codes: vec![format!("C{}", p.complaint)],
                promised_at: p.promise_after.map(|m| at(p.opened_minute + m)),
                appointment_id: p
                    .from_appointment
                    .then(|| AppointmentId::new(format!("AP{n}")).expect("id")),
                estimate_fen: None,
                comeback: p.flagged_comeback,
            },
        );
        if p.from_appointment && p.job_type == 0 && p.flagged_comeback {
            push(
                "noshow",
                p.opened_minute,
                EventBody::AppointmentNoShow {
                    appointment_id: AppointmentId::new(format!("NS{n}")).expect("id"),
                },
            );
        }
        push(
            "job",
            p.opened_minute + 1,
            EventBody::JobAdded {
                ro_id: ro_id.clone(),
                job_id: JobId::new("J1").expect("id"),
                labour_operation: "OP".into(),
                standard_minutes: 30 + u32::from(p.complaint) * 45,
            },
        );
        if let Some(after) = p.ready_after {
            push(
                "ready",
                p.opened_minute + after,
                EventBody::ReadyForPickup {
                    ro_id: ro_id.clone(),
                },
            );
        }
        if let Some((made, promise)) = p.revision {
            push(
                "revise",
                p.opened_minute + made,
                EventBody::PromiseRevised {
                    ro_id: ro_id.clone(),
                    promised_at: at(p.opened_minute + promise),
                    reason: "parts".into(),
                },
            );
        }
        if let Some((after, first_passed)) = p.qc_after {
            let first = if first_passed {
                EventBody::QcPassed {
                    ro_id: ro_id.clone(),
                }
            } else {
                EventBody::QcFailed {
                    ro_id: ro_id.clone(),
                    reason: "noise".into(),
                }
            };
            push("qc1", p.opened_minute + after, first);
            if !first_passed {
                push(
                    "qc2",
                    p.opened_minute + after + 30,
                    EventBody::QcPassed {
                        ro_id: ro_id.clone(),
                    },
                );
            }
        }
        // The settlement, and for complaint 2 the DMS re-sending the same invoice
        // under a new event id a day later; for complaint 0 a copy with other
        // parts amounts, before or after the first (an invoice conflict); for
        // some of complaint 1 a red-letter invoice reversing it.
        let [labour, parts, other, discount] = p.amounts;
        let invoice = |no: String, sign: i64, parts: i64| {
            let amount = |fen: i64| InvoiceAmount::new(sign * fen).expect("amount");
            EventBody::Settled {
                ro_id: ro_id.clone(),
                invoice_no: InvoiceNo::new(no).expect("id"),
                payer: Payer::Customer,
                labour_fen: amount(labour),
                parts_fen: amount(parts),
                other_fen: amount(other),
                discount_fen: amount(discount.min(labour + parts + other)),
                tax_rate_bp: TaxRateBp::new(1300).expect("rate"),
            }
        };
        let settled_with = |parts: i64| invoice(format!("I{n}"), 1, parts);
        let settled = || settled_with(parts);
        if let Some(after) = p.settle_after {
            push("settle", p.opened_minute + after, settled());
            if p.complaint == 2 {
                push("resend", p.opened_minute + after + 1500, settled());
            }
            if p.complaint == 1 && p.opened_minute % 3 == 0 {
                // A red-letter invoice reversing it the next day.
                push(
                    "reversal",
                    p.opened_minute + after + 1440,
                    invoice(format!("I{n}-R"), -1, parts),
                );
            }
            if p.complaint == 0 {
                let shift = if p.opened_minute % 2 == 0 { -30 } else { 600 };
                push(
                    "recopy",
                    p.opened_minute + after + shift,
                    settled_with(parts + 1_000),
                );
            }
        }
        if p.complaint == 1 {
            // A wait for parts, sometimes reported twice, sometimes never ended.
            let start = p.opened_minute + 10;
            push(
                "parts-wait",
                start,
                EventBody::PartsWaiting {
                    ro_id: ro_id.clone(),
                    part_numbers: vec![],
                },
            );
            if p.flagged_comeback {
                push(
                    "parts-wait-2",
                    start + 5,
                    EventBody::PartsWaiting {
                        ro_id: ro_id.clone(),
                        part_numbers: vec![],
                    },
                );
            }
            if let Some(after) = p.ready_after {
                push(
                    "parts-arrived",
                    start + after / 2,
                    EventBody::PartsArrived {
                        ro_id: ro_id.clone(),
                    },
                );
            }
        }
        if p.job_type == 4 {
            // Accident repairs report their steps; the start may come after the finish.
            let (start, finish) = (
                p.opened_minute + 5,
                p.opened_minute + 5 + p.amounts[2] / 100,
            );
            push(
                "step-start",
                start,
                EventBody::AccidentStepStarted {
                    ro_id: ro_id.clone(),
                    step: "entry".into(),
                    responsible: "A".into(),
                },
            );
            push(
                "step-finish",
                finish,
                EventBody::AccidentStepFinished {
                    ro_id: ro_id.clone(),
                    step: "entry".into(),
                    signed_by: "B".into(),
                },
            );
            if p.flagged_comeback {
                push(
                    "step-start-2",
                    start - 30,
                    EventBody::AccidentStepStarted {
                        ro_id: ro_id.clone(),
                        step: "entry".into(),
                        responsible: "C".into(),
                    },
                );
            }
        }
        if let Some(after) = p.deliver_after {
            push(
                "deliver",
                p.opened_minute + after,
                EventBody::Delivered {
                    ro_id: ro_id.clone(),
                },
            );
        }
        if let Some(after) = p.cancel_after {
            push(
                "cancel",
                p.opened_minute + after,
                EventBody::Cancelled {
                    ro_id,
                    reason: "x".into(),
                },
            );
        }
    }
    out.sort_by_key(|e| e.occurred_at);
    out
}

type TechRows = Vec<(WorkshopId, chrono::NaiveDate, TechnicianDay)>;
type BayRows = Vec<(WorkshopId, chrono::NaiveDate, BayDay)>;

fn single_pass_all(events: &[Event]) -> (Vec<KpiDay>, TechRows, BayRows) {
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in events {
        engine.apply(e);
    }
    let techs = engine
        .all_technician_rows()
        .into_iter()
        .map(|(w, d, _, r)| (w, d, r))
        .collect();
    let bays = engine
        .all_bay_rows()
        .into_iter()
        .map(|(w, d, _, r)| (w, d, r))
        .collect();
    (engine.all_rows(), techs, bays)
}

fn single_pass(events: &[Event]) -> Vec<KpiDay> {
    single_pass_all(events).0
}

/// What ingest leaves in the KPI table: after each batch, the rows of the days
/// that changed, the highest version winning. Its workshop rows come from
/// `day_rows`, as ingest writes them, and the single pass's from `row`, as
/// the live tick shows them, so the two ways of summing a day agree too.
fn streamed(events: &[Event], batch_sizes: &[usize]) -> (Vec<KpiDay>, TechRows, BayRows) {
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    let mut table: BTreeMap<(WorkshopId, chrono::NaiveDate), KpiDay> = BTreeMap::new();
    let mut techs: BTreeMap<(WorkshopId, chrono::NaiveDate, TechnicianId), TechnicianDay> =
        BTreeMap::new();
    let mut bays: BTreeMap<(WorkshopId, chrono::NaiveDate, BayId), BayDay> = BTreeMap::new();
    let mut rest = events;
    let mut sizes = batch_sizes.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap_or(&1)).clamp(1, rest.len());
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        let mut dirty = Vec::new();
        for e in batch {
            if let Applied::Changed(days) = engine.apply(e) {
                dirty.extend(days.into_iter().map(|d| (e.workshop_id.clone(), d)));
            }
        }
        for (w, d) in dirty {
            for t in engine.technician_rows(&w, d) {
                techs.insert((w.clone(), d, t.technician_id.clone()), t);
            }
            for b in engine.bay_rows(&w, d) {
                bays.insert((w.clone(), d, b.bay_id.clone()), b);
            }
            if let Some(row) = engine.day_rows(&w, d).map(|rows| rows.kpi) {
                let slot = table.entry((w, d)).or_insert_with(|| row.clone());
                if row.version >= slot.version {
                    *slot = row;
                }
            }
        }
    }
    let rows = table
        .into_values()
        .map(|r| KpiDay { version: 0, ..r })
        .collect();
    let techs = techs.into_iter().map(|((w, d, _), r)| (w, d, r)).collect();
    let bays = bays.into_iter().map(|((w, d, _), r)| (w, d, r)).collect();
    (rows, techs, bays)
}

fn unversioned(rows: Vec<KpiDay>) -> Vec<KpiDay> {
    rows.into_iter()
        .map(|r| KpiDay { version: 0, ..r })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_order_gives_the_same_rows(
        plans in proptest::collection::vec(ro_plan(), 1..40),
        seed in any::<u64>(),
    ) {
        let in_order = events(&plans);
        let shuffled = shuffled(in_order.clone(), seed);
        prop_assert_eq!(single_pass(&shuffled), single_pass(&in_order));
    }

    #[test]
    fn duplicates_change_nothing(
        plans in proptest::collection::vec(ro_plan(), 1..40),
        picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..30),
    ) {
        let in_order = events(&plans);
        let mut with_dupes = in_order.clone();
        for pick in &picks {
            let dupe = in_order[pick.index(in_order.len())].clone();
            with_dupes.insert(pick.index(with_dupes.len() + 1), dupe);
        }
        prop_assert_eq!(single_pass(&with_dupes), single_pass(&in_order));
    }

    #[test]
    fn any_batching_leaves_the_rows_of_one_pass(
        plans in proptest::collection::vec(ro_plan(), 1..40),
        clocks in proptest::collection::vec(clock_plan(), 0..40),
                closes in proptest::collection::vec((0u8..2, 0u8..3), 0..4),
        bay_plans in proptest::collection::vec(bay_plan(), 0..30),
        batch_sizes in proptest::collection::vec(1usize..20, 1..10),
        reverse in any::<bool>(),
    ) {
        let mut order = events(&plans);
        order.extend(clock_events(&clocks, &closes));
        order.extend(bay_events(&bay_plans));
        order.sort_by_key(|e| e.occurred_at);
        if reverse {
            order.reverse();
        }
                let (rows, techs, bays) = streamed(&order, &batch_sizes);
        let (expected_rows, expected_techs, expected_bays) = single_pass_all(&order);
        prop_assert_eq!(rows, unversioned(expected_rows));
        prop_assert_eq!(techs, expected_techs);
        prop_assert_eq!(bays, expected_bays);
    }

    #[test]
    fn any_order_gives_the_same_technician_and_bay_rows(
        plans in proptest::collection::vec(ro_plan(), 1..20),
        clocks in proptest::collection::vec(clock_plan(), 1..40),
                closes in proptest::collection::vec((0u8..2, 0u8..3), 0..4),
        bay_plans in proptest::collection::vec(bay_plan(), 0..30),
    ) {
        let mut order = events(&plans);
        order.extend(clock_events(&clocks, &closes));
        order.extend(bay_events(&bay_plans));
        let expected = single_pass_all(&order);
        order.reverse();
        prop_assert_eq!(single_pass_all(&order), expected);
    }
}

/// A dense mix for the any-arrival-order property: three technicians on two
/// orders of two jobs each, with every kind of technician, QC, cancellation,
/// day-close and bay event, corrections reaching up to 33 h back, in one of
/// four time zones (two around a clock change, one with a half-hour change).
mod dense {
    use super::*;

    /// One generated event: (technician, kind, flag, minute, order, job).
    pub(super) type Plan = (u8, u8, bool, i64, u8, u8);

    /// Kinds, weighted: 0 shift, 1 job clock, 2 dispatch, 3 shift correction,
    /// 4 job correction, 5 job added, 6 QC, 7 day close, 8 cancel, 9 bay
    /// occupancy, 10 bay service.
    pub(super) fn plan() -> impl Strategy<Value = Plan> {
        let kind = prop_oneof![
            3 => Just(0u8), 8 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8), 2 => Just(4u8),
            2 => Just(5u8), 2 => Just(6u8), 2 => Just(7u8), 1 => Just(8u8), 3 => Just(9u8),
            1 => Just(10u8),
        ];
        (
            0u8..3,
            kind,
            any::<bool>(),
            0i64..(4 * 24 * 60),
            0u8..2,
            0u8..2,
        )
    }

    /// The workshop's settings in zone `zone` (0–3), and the instant minute 0
    /// of the plans is.
    pub(super) fn zone(zone: u8) -> (WorkshopSettings, DateTime<FixedOffset>) {
        let mut s = WorkshopSettings::default();
        let hm = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).expect("time");
        let base = match zone {
            0 => "2026-11-20T00:00:00+08:00",
            1 => {
                // Opening before the spring-forward gap, closing late.
                s.time_zone = chrono_tz::Europe::Berlin;
                (s.opening_time, s.closing_time) = (hm(2, 15), hm(23, 45));
                "2026-03-27T00:00:00+01:00"
            }
            2 => {
                // Opening inside the repeated hour of the fall-back.
                s.time_zone = chrono_tz::America::New_York;
                s.opening_time = hm(1, 30);
                "2026-10-30T00:00:00-04:00"
            }
            _ => {
                s.time_zone = chrono_tz::Australia::Lord_Howe;
                s.closing_time = hm(23, 59);
                "2026-10-02T00:00:00+10:30"
            }
        };
        (s, DateTime::parse_from_rfc3339(base).expect("base"))
    }

    pub(super) fn events(
        settings: &WorkshopSettings,
        base: DateTime<FixedOffset>,
        plans: &[Plan],
    ) -> Vec<Event> {
        let at = |m: i64| base + Duration::minutes(m);
        let correction = |technician_id, kind, job: Option<(RepairOrderId, JobId)>, on, off| {
            EventBody::ClockAdjusted {
                technician_id,
                adjusted_by: "foreman".into(),
                reason: "fix".into(),
                kind,
                ro_id: job.as_ref().map(|(ro, _)| ro.clone()),
                job_id: job.map(|(_, j)| j),
                on_at: at(on),
                off_at: at(off),
            }
        };
        let mut out = Vec::new();
        for (n, &(tech, kind, flag, minute, ro, job)) in plans.iter().enumerate() {
            let technician_id = TechnicianId::new(format!("T{tech}")).expect("id");
            let ro_id = RepairOrderId::new(format!("RO{ro}")).expect("id");
            let job_id = JobId::new(format!("J{}", 1 + job)).expect("id");
            let bay_id = BayId::new(format!("B{}", tech % 2)).expect("id");
            let body = match (kind, flag) {
                (0, true) => EventBody::ShiftOn { technician_id },
                (0, false) => EventBody::ShiftOff { technician_id },
                (1, on) => {
                    job_clocking(technician_id.as_str(), ro_id.as_str(), job_id.as_str(), on)
                }
                (2, _) => EventBody::JobDispatched {
                    ro_id,
                    job_id,
                    technician_id,
                    bay_id,
                },
                (3, _) => correction(
                    technician_id,
                    ClockKind::Shift,
                    None,
                    minute - 600,
                    minute - 300,
                ),
                (4, _) => {
                    let on = minute - if flag { 2000 } else { 90 };
                    correction(
                        technician_id,
                        ClockKind::Job,
                        Some((ro_id, job_id)),
                        on,
                        minute - 30,
                    )
                }
                (5, _) => EventBody::JobAdded {
                    ro_id,
                    job_id,
                    labour_operation: "OP".into(),
                    standard_minutes: 60,
                },
                (6, true) => EventBody::QcPassed { ro_id },
                (6, false) => EventBody::QcFailed {
                    ro_id,
                    reason: "noise".into(),
                },
                (7, _) => EventBody::DayClosed {
                    business_date: settings.business_date(at(minute - if flag { 1440 } else { 0 })),
                },
                (8, _) => EventBody::Cancelled {
                    ro_id,
                    reason: "customer".into(),
                },
                (9, true) => EventBody::BayOccupied {
                    bay_id,
                    ro_id,
                    vin: Vin::new("LSVAU2180N2123450").expect("vin"),
                },
                (9, false) => EventBody::BayReleased { bay_id, ro_id },
                (_, true) => EventBody::BayOutOfService {
                    bay_id,
                    reason: "lift".into(),
                },
                (_, false) => EventBody::BayBackInService { bay_id },
            };
            out.push(Event {
                schema: 1,
                event_id: EventId::new(format!("e-{n}")).expect("id"),
                workshop_id: WorkshopId::new("W0").expect("id"),
                occurred_at: at(minute),
                body,
            });
        }
        out
    }

    /// The rows of `events` under `settings`: written after each event for
    /// the days it changed, as ingest writes them (`stream`), or of the final
    /// state; unversioned, and a row once written is never taken back.
    pub(super) fn rows(
        settings: &WorkshopSettings,
        events: &[Event],
        stream: bool,
    ) -> (Vec<KpiDay>, TechRows, BayRows) {
        let mut engine = Engine::new(WorkshopDirectory::open(settings.clone()));
        let ws = WorkshopId::new("W0").expect("id");
        let mut kpis = BTreeMap::new();
        let mut techs = BTreeMap::new();
        let mut bays = BTreeMap::new();
        for e in events {
            if let Applied::Changed(days) = engine.apply(e)
                && stream
            {
                for d in days {
                    for t in engine.technician_rows(&ws, d) {
                        techs.insert((d, t.technician_id.clone()), t);
                    }
                    for b in engine.bay_rows(&ws, d) {
                        bays.insert((d, b.bay_id.clone()), b);
                    }
                    if let Some(rows) = engine.day_rows(&ws, d) {
                        kpis.insert(
                            d,
                            KpiDay {
                                version: 0,
                                ..rows.kpi
                            },
                        );
                    }
                }
            }
        }
        if !stream {
            return (
                unversioned(engine.all_rows()),
                engine
                    .all_technician_rows()
                    .into_iter()
                    .map(|(w, d, _, r)| (w, d, r))
                    .collect(),
                engine
                    .all_bay_rows()
                    .into_iter()
                    .map(|(w, d, _, r)| (w, d, r))
                    .collect(),
            );
        }
        (
            kpis.into_values().collect(),
            techs
                .into_iter()
                .map(|((d, _), r)| (ws.clone(), d, r))
                .collect(),
            bays.into_iter()
                .map(|((d, _), r)| (ws.clone(), d, r))
                .collect(),
        )
    }
}

/// `events` in the deterministic shuffle of `seed` (proptest shrinks the seed too).
fn shuffled(mut events: Vec<Event>, seed: u64) -> Vec<Event> {
    let mut state = seed | 1;
    for i in (1..events.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        events.swap(i, (state % (i as u64 + 1)) as usize);
    }
    events
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any arrival order, streamed event by event as ingest writes rows (only
    /// the days each event says it changed), leaves the rows of one in-order
    /// pass: no day is missed, no row goes stale or disappears.
    #[test]
    fn any_arrival_order_streams_the_rows_of_one_pass_in_any_zone(
        zone in 0u8..4,
        plans in proptest::collection::vec(dense::plan(), 1..50),
        seed in any::<u64>(),
    ) {
        let (settings, base) = dense::zone(zone);
        let mut in_order = dense::events(&settings, base, &plans);
        in_order.sort_by_key(|e| e.occurred_at);
        let expected = dense::rows(&settings, &in_order, false);
        let streamed = dense::rows(&settings, &shuffled(in_order, seed), true);
        prop_assert_eq!(&streamed.1, &expected.1);
        prop_assert_eq!(&streamed.2, &expected.2);
        prop_assert_eq!(&streamed.0, &expected.0);
    }
}
