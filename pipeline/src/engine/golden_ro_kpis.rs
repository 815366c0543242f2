//! Hand-computed repair-order KPIs: on-time completion and delivery with a promise
//! revision that counts and one that does not, QC first pass, first-time fix with
//! a comeback charged back to an earlier day, appointments, no-shows, advisor load
//! and output by job type; an order ready one evening and collected the next
//! morning. docs/kpis.md walks through the same numbers.

use super::*;
use crate::events::{
    AdvisorId, AppointmentId, EventBody, InvoiceAmount, InvoiceNo, JobType, Payer, RepairOrderId,
    TaxRateBp, Vin, WorkshopId,
};
use chrono::{DateTime, NaiveDate};

fn ro(id: &str) -> RepairOrderId {
    RepairOrderId::new(id).expect("ro")
}

fn ev(id: &str, at: &str, body: EventBody) -> Event {
    wa_event(id, at, body)
}

struct Open<'a> {
    id: &'a str,
    at: &'a str,
    ro: &'a str,
    job_type: JobType,
    advisor: &'a str,
    vin: &'a str,
    complaint: &'a str,
    promise: &'a str,
    appointment: bool,
}

fn open(o: Open<'_>) -> Event {
    ev(
        o.id,
        o.at,
        EventBody::RoOpened {
            ro_id: ro(o.ro),
            vin: Vin::new(o.vin).expect("vin"),
            plate: "沪A00001".into(),
            advisor_id: AdvisorId::new(o.advisor).expect("advisor"),
            job_type: o.job_type,
            complaint_codes: vec![o.complaint.into()],
            promised_at: Some(DateTime::parse_from_rfc3339(o.promise).expect("promise")),
            appointment_id: o
                .appointment
                .then(|| AppointmentId::new(format!("AP-{}", o.ro)).expect("ap")),
            estimate_fen: None,
            comeback: false,
        },
    )
}

fn settle(id: &str, at: &str, ro_id: &str, labour: i64) -> Event {
    let amount = |fen| InvoiceAmount::new(fen).expect("amount");
    ev(
        id,
        at,
        EventBody::Settled {
            ro_id: ro(ro_id),
            invoice_no: InvoiceNo::new(format!("I-{ro_id}")).expect("invoice"),
            payer: Payer::Customer,
            labour_fen: amount(labour),
            parts_fen: amount(0),
            other_fen: amount(0),
            discount_fen: amount(0),
            tax_rate_bp: TaxRateBp::new(1300).expect("rate"),
        },
    )
}

const V1: &str = "LSVAU2180N2000001";
const V2: &str = "LSVAU2180N2000002";

fn day() -> Vec<Event> {
    let at = |hm: &str| format!("2026-11-23T{hm}:00+08:00");
    let earlier = |hm: &str| format!("2026-11-10T{hm}:00+08:00");
    vec![
        // 10 Nov: R0, a repair of V1 for complaint C1, ready late, delivered late.
        open(Open {
            id: "r0-open",
            at: &earlier("09:00"),
            ro: "R0",
            job_type: JobType::Repair,
            advisor: "SA1",
            vin: V1,
            complaint: "C1",
            promise: &earlier("16:00"),
            appointment: false,
        }),
        ev(
            "r0-ready",
            &earlier("16:30"),
            EventBody::ReadyForPickup { ro_id: ro("R0") },
        ),
        ev(
            "r0-deliv",
            &earlier("17:00"),
            EventBody::Delivered { ro_id: ro("R0") },
        ),
        // 23 Nov.
        open(Open {
            id: "a-open",
            at: &at("09:00"),
            ro: "A",
            job_type: JobType::Maintenance,
            advisor: "SA1",
            vin: V2,
            complaint: "M1",
            promise: &at("12:00"),
            appointment: true,
        }),
        ev("a-qc", &at("11:00"), EventBody::QcPassed { ro_id: ro("A") }),
        ev(
            "a-ready",
            &at("11:30"),
            EventBody::ReadyForPickup { ro_id: ro("A") },
        ),
        ev(
            "a-deliv",
            &at("12:10"),
            EventBody::Delivered { ro_id: ro("A") },
        ),
        settle("a-settle", &at("12:05"), "A", 11_300),
        // B: V1 back with C1 thirteen days after R0's delivery: a comeback of R0.
        open(Open {
            id: "b-open",
            at: &at("09:30"),
            ro: "B",
            job_type: JobType::Repair,
            advisor: "SA1",
            vin: V1,
            complaint: "C1",
            promise: &at("15:00"),
            appointment: false,
        }),
        ev(
            "b-revise",
            &at("14:00"),
            EventBody::PromiseRevised {
                ro_id: ro("B"),
                promised_at: DateTime::parse_from_rfc3339(&at("17:00")).expect("t"),
                reason: "parts".into(),
            },
        ),
        ev(
            "b-qc1",
            &at("16:00"),
            EventBody::QcFailed {
                ro_id: ro("B"),
                reason: "leak".into(),
            },
        ),
        ev(
            "b-qc2",
            &at("16:30"),
            EventBody::QcPassed { ro_id: ro("B") },
        ),
        ev(
            "b-ready",
            &at("16:45"),
            EventBody::ReadyForPickup { ro_id: ro("B") },
        ),
        ev(
            "b-deliv",
            &at("17:30"),
            EventBody::Delivered { ro_id: ro("B") },
        ),
        settle("b-settle", &at("17:20"), "B", 22_600),
        // C: the revision comes after the promise had passed, so it does not count.
        open(Open {
            id: "c-open",
            at: &at("10:00"),
            ro: "C",
            job_type: JobType::Warranty,
            advisor: "SA2",
            vin: V2,
            complaint: "W1",
            promise: &at("13:00"),
            appointment: false,
        }),
        ev(
            "c-revise",
            &at("13:30"),
            EventBody::PromiseRevised {
                ro_id: ro("C"),
                promised_at: DateTime::parse_from_rfc3339(&at("18:00")).expect("t"),
                reason: "late".into(),
            },
        ),
        ev("c-qc", &at("13:50"), EventBody::QcPassed { ro_id: ro("C") }),
        ev(
            "c-ready",
            &at("14:00"),
            EventBody::ReadyForPickup { ro_id: ro("C") },
        ),
        // E: an appointment RO that was cancelled: counts nowhere.
        open(Open {
            id: "e-open",
            at: &at("10:30"),
            ro: "E",
            job_type: JobType::Maintenance,
            advisor: "SA2",
            vin: V2,
            complaint: "M1",
            promise: &at("12:00"),
            appointment: true,
        }),
        ev(
            "e-cancel",
            &at("10:40"),
            EventBody::Cancelled {
                ro_id: ro("E"),
                reason: "declined".into(),
            },
        ),
        ev(
            "noshow",
            &at("08:30"),
            EventBody::AppointmentNoShow {
                appointment_id: AppointmentId::new("AP9").expect("ap"),
            },
        ),
        // A settlement whose RO opening this workshop never saw.
        settle("z-settle", &at("15:00"), "Z", 1_130),
    ]
}

fn rows(kpi: KpiSettings) -> (KpiDay, KpiDay) {
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings {
        kpi,
        ..WorkshopSettings::default()
    }));
    for e in day() {
        assert!(matches!(engine.apply(&e), Applied::Changed(_)), "{e:?}");
    }
    let ws = WorkshopId::new("WA").expect("ws");
    let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).expect("date");
    (
        engine.row(&ws, d(10)).expect("row"),
        engine.row(&ws, d(23)).expect("row"),
    )
}

fn defaults_with_limit(limit: u32) -> KpiSettings {
    KpiSettings {
        advisor_daily_limit: limit,
        ..KpiSettings::default()
    }
}

#[test]
fn on_time_completion_and_delivery() {
    let (earlier, d) = rows(KpiSettings::default());
    assert_eq!(
        (
            (earlier.completed_with_promise, earlier.completed_on_time),
            (earlier.delivered_with_promise, earlier.delivered_on_time)
        ),
        ((1, 0), (1, 0)),
        "10 Nov: R0 ready 16:30 and delivered 17:00, both after its 16:00 promise"
    );
    assert_eq!(
        (d.completed_with_promise, d.completed_on_time),
        (3, 2),
        "A and B ready in time; C late"
    );
    assert_eq!(
        d.promise_revisions, 1,
        "B's revision counts, C's came after its promise had passed"
    );
    assert_eq!(
        (d.delivered_with_promise, d.delivered_on_time),
        (2, 0),
        "A 12:10 > 12:00, B 17:30 > 17:00"
    );

    let (_, graced) = rows(KpiSettings {
        on_time_grace_minutes: 15,
        ..KpiSettings::default()
    });
    assert_eq!(
        (graced.delivered_with_promise, graced.delivered_on_time),
        (2, 1),
        "A within 15 minutes"
    );
}

#[test]
fn completion_and_delivery_count_on_their_own_days() {
    // D is ready the evening of 24 Nov, within its promise, and collected
    // the next morning, after it: completion counts on the 24th (on time),
    // delivery and the repair delivered on the 25th (late).
    let at = |day: u32, hm: &str| format!("2026-11-{day}T{hm}:00+08:00");
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in [
        open(Open {
            id: "d-open",
            at: &at(24, "09:00"),
            ro: "D",
            job_type: JobType::Repair,
            advisor: "SA1",
            vin: V1,
            complaint: "C9",
            promise: &at(24, "18:00"),
            appointment: false,
        }),
        ev(
            "d-ready",
            &at(24, "17:30"),
            EventBody::ReadyForPickup { ro_id: ro("D") },
        ),
        ev(
            "d-deliv",
            &at(25, "08:45"),
            EventBody::Delivered { ro_id: ro("D") },
        ),
    ] {
        assert!(matches!(engine.apply(&e), Applied::Changed(_)), "{e:?}");
    }
    let ws = WorkshopId::new("WA").expect("ws");
    let row = |day| {
        let r = engine
            .row(&ws, NaiveDate::from_ymd_opt(2026, 11, day).expect("date"))
            .expect("row");
        (
            (r.completed_with_promise, r.completed_on_time),
            (r.delivered_with_promise, r.delivered_on_time),
            r.repairs_delivered,
        )
    };
    assert_eq!(row(24), ((1, 1), (0, 0), 0), "ready on the 24th, in time");
    assert_eq!(row(25), ((0, 0), (1, 0), 1), "delivered on the 25th, late");
}

#[test]
fn qc_first_pass() {
    let (_, d) = rows(KpiSettings::default());
    assert_eq!(
        (d.qc_first_inspections, d.qc_first_passed),
        (3, 2),
        "B failed its first QC"
    );
}

#[test]
fn an_order_opened_as_the_earlier_one_is_delivered_or_for_another_complaint_is_not_its_comeback() {
    // R7 (a repair of V1 for C1) is delivered at 10:00. R8, opened for the
    // same vehicle and complaint at 10:00 exactly, was not opened after the
    // delivery (a second order of the same visit); R10 at 10:05 is for
    // another complaint; R9 at 10:10 is R7's comeback.
    let at = |hm: &str| format!("2026-11-23T{hm}:00+08:00");
    let order = |id: &'static str, ro: &'static str, hm: &str, complaint: &'static str| {
        open(Open {
            id,
            at: &at(hm),
            ro,
            job_type: JobType::Repair,
            advisor: "SA1",
            vin: V1,
            complaint,
            promise: &at("17:00"),
            appointment: false,
        })
    };
    let mut events = vec![
        order("r7-open", "R7", "08:00", "C1"),
        ev(
            "r7-deliv",
            &at("10:00"),
            EventBody::Delivered { ro_id: ro("R7") },
        ),
        order("r8-open", "R8", "10:00", "C1"),
    ];
    let comebacks = |events: &[Event]| {
        let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
        for e in events {
            engine.apply(e);
        }
        let ws = WorkshopId::new("WA").expect("ws");
        let row = engine.row(&ws, NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"));
        row.map(|r| (r.repairs_delivered, r.comebacks))
    };
    assert_eq!(comebacks(&events), Some((1, 0)));
    events.push(order("r10-open", "R10", "10:05", "C2"));
    assert_eq!(comebacks(&events), Some((1, 0)), "another complaint");
    events.push(order("r9-open", "R9", "10:10", "C1"));
    assert_eq!(comebacks(&events), Some((1, 1)));
}

#[test]
fn an_order_the_advisor_flags_as_a_comeback_restates_the_earlier_delivery_day() {
    // R1, a repair of V1 for C1, is delivered on 1 Nov at 16:00. F brings V1
    // back for maintenance (M1: no complaint code in common), flagged by the
    // advisor as a comeback. Opened on 1 Dec at 16:00, 30 days × 24 h = 720 h
    // after the delivery, it is inside the 30-day window (≤): R1's comeback,
    // counted on R1's delivery day. A minute later, or without the flag, it
    // is not.
    let r1 = [
        open(Open {
            id: "r1-open",
            at: "2026-11-01T09:00:00+08:00",
            ro: "R1",
            job_type: JobType::Repair,
            advisor: "SA1",
            vin: V1,
            complaint: "C1",
            promise: "2026-11-01T17:00:00+08:00",
            appointment: false,
        }),
        ev(
            "r1-deliv",
            "2026-11-01T16:00:00+08:00",
            EventBody::Delivered { ro_id: ro("R1") },
        ),
    ];
    let flagged = |at: &str, flag: bool| {
        let mut f = open(Open {
            id: "f-open",
            at,
            ro: "F",
            job_type: JobType::Maintenance,
            advisor: "SA2",
            vin: V1,
            complaint: "M1",
            promise: "2026-12-01T18:00:00+08:00",
            appointment: false,
        });
        if let EventBody::RoOpened { comeback, .. } = &mut f.body {
            *comeback = flag;
        }
        f
    };
    let ws = WorkshopId::new("WA").expect("ws");
    let nov_1 = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let first_time_fix = |f: Event| {
        let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
        for e in &r1 {
            engine.apply(e);
        }
        let Applied::Changed(days) = engine.apply(&f) else {
            panic!("absorbed")
        };
        assert!(
            days.contains(&nov_1),
            "F's opening rewrites 1 Nov: {days:?}"
        );
        let r = engine.row(&ws, nov_1).expect("row");
        (r.repairs_delivered, r.comebacks)
    };
    assert_eq!(
        first_time_fix(flagged("2026-12-01T16:00:00+08:00", true)),
        (1, 1),
        "720 h after the delivery: within the window"
    );
    assert_eq!(
        first_time_fix(flagged("2026-12-01T16:01:00+08:00", true)),
        (1, 0),
        "720 h 1 min: outside the window"
    );
    assert_eq!(
        first_time_fix(flagged("2026-12-01T16:00:00+08:00", false)),
        (1, 0),
        "not flagged, and no complaint code in common"
    );
}

#[test]
fn comebacks_restate_the_original_day() {
    let (earlier, d) = rows(KpiSettings::default());
    assert_eq!(
        (earlier.repairs_delivered, earlier.comebacks),
        (1, 1),
        "R0 came back as B"
    );
    assert_eq!((earlier.version, d.version), (23, 23), "23 events");
    // Streamed in the listed order, the 10 Nov row is rewritten by R0's own
    // three events, then by B's opening (the 9th event: now a comeback) and
    // B's delivery (the 14th: same values).
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    let (ws, nov_10) = (
        WorkshopId::new("WA").expect("ws"),
        NaiveDate::from_ymd_opt(2026, 11, 10).expect("date"),
    );
    let mut writes = Vec::new();
    for e in day() {
        if let Applied::Changed(days) = engine.apply(&e)
            && days.contains(&nov_10)
        {
            let r = engine.row(&ws, nov_10).expect("row");
            writes.push((r.version, r.comebacks));
        }
    }
    assert_eq!(writes, [(1, 0), (2, 0), (3, 0), (9, 1), (14, 1)]);
    assert_eq!(
        (d.repairs_delivered, d.comebacks),
        (1, 0),
        "B itself has not come back"
    );

    let (short, _) = rows(KpiSettings {
        comeback_window_hours: 7 * 24,
        ..KpiSettings::default()
    });
    assert_eq!(short.comebacks, 0, "13 days is outside a 7-day window");
}

#[test]
fn intake_appointments_and_advisors() {
    let (_, d) = rows(defaults_with_limit(1));
    assert_eq!(d.intake, 3, "A, B, C; E was cancelled");
    assert_eq!(
        d.intake_from_appointment, 1,
        "A; E's appointment was cancelled"
    );
    assert_eq!(d.no_shows, 1);
    assert_eq!(
        d.wip, 1,
        "C, ready but not collected; A and B delivered, E cancelled"
    );
    assert_eq!(
        (
            d.advisors_active,
            d.advisor_max_intake,
            d.advisors_over_limit
        ),
        (2, 2, 1)
    );
    // SA1's two orders are at a limit of two, not over it.
    let (_, at_limit) = rows(defaults_with_limit(2));
    assert_eq!(at_limit.advisors_over_limit, 0);
    assert_eq!(advisor_intake(&d), [("SA1", 2), ("SA2", 1)], "E cancelled");
}

#[test]
fn the_rest_of_the_fixtures_table_in_kpis_md() {
    let (d10, d23) = rows(KpiSettings::default());
    // 10 Nov: R0 alone, opened, ready and delivered late, never settled.
    assert_eq!(
        (
            d10.output_value_fen,
            d10.settled_ros,
            d10.output_per_vehicle_fen()
        ),
        (0, 0, None)
    );
    assert_eq!(
        (
            d10.intake,
            d10.intake_from_appointment,
            d10.no_shows,
            d10.wip
        ),
        (1, 0, 0, 0)
    );
    assert_eq!(
        (
            d10.advisors_active,
            d10.advisor_max_intake,
            d10.advisors_over_limit
        ),
        (1, 1, 0)
    );
    assert_eq!(advisor_intake(&d10), [("SA1", 1)]);
    assert_eq!(
        (
            d10.promise_revisions,
            d10.qc_first_inspections,
            d10.qc_first_passed
        ),
        (0, 0, 0)
    );
    // 23 Nov: A, B and Z settled: 31,000 ÷ 3 = 10,333.33 → 10,333; labour
    // 11,300 + 22,600 + 1,130 = 35,030 and no parts, so 料工比 0.00.
    assert_eq!(
        (d23.settled_ros, d23.output_per_vehicle_fen()),
        (3, Some(10_333))
    );
    assert_eq!((d23.labour_fen, d23.parts_fen), (35_030, 0));
}

fn advisor_intake(row: &KpiDay) -> Vec<(&str, u32)> {
    row.advisor_intake
        .iter()
        .map(|a| (a.advisor_id.as_str(), a.intake))
        .collect()
}

#[test]
fn an_advisor_whose_only_order_is_cancelled_later_leaves_the_list() {
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in day() {
        engine.apply(&e);
    }
    // C, SA2's only intake order, is cancelled the next morning.
    let cancel = ev(
        "c-cancel",
        "2026-11-24T09:00:00+08:00",
        EventBody::Cancelled {
            ro_id: ro("C"),
            reason: "customer took the car".into(),
        },
    );
    let d23 = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    match engine.apply(&cancel) {
        Applied::Changed(days) => assert!(days.contains(&d23), "{days:?}"),
        other => panic!("{other:?}"),
    }
    let row = engine
        .row(&WorkshopId::new("WA").expect("ws"), d23)
        .expect("row");
    assert_eq!(advisor_intake(&row), [("SA1", 2)]);
    assert_eq!((row.advisors_active, row.advisor_max_intake), (1, 2));
}

#[test]
fn by_default_an_advisor_is_over_the_limit_at_thirteen_orders_a_day() {
    // kpis.md §4.9, §10.1: seed 001's limit of 12, the config file's default.
    // SA3 opens twelve maintenance orders on 24 Nov (at the limit), then a
    // thirteenth (over it).
    let directory = crate::config::Config::default()
        .workshop_directory()
        .expect("defaults");
    assert_eq!(directory.defaults.kpi.advisor_daily_limit, 12);
    let orders: Vec<Event> = (0..13)
        .map(|n| {
            let at = format!("2026-11-24T{:02}:{:02}:00+08:00", 8 + n / 6, n % 6 * 10);
            open(Open {
                id: &format!("o{n}"),
                at: &at,
                ro: &format!("M{n}"),
                job_type: JobType::Maintenance,
                advisor: "SA3",
                vin: V2,
                complaint: "M1",
                promise: "2026-11-24T18:00:00+08:00",
                appointment: false,
            })
        })
        .collect();
    let load = |n: usize| {
        let mut engine = Engine::new(directory.clone());
        for e in &orders[..n] {
            engine.apply(e);
        }
        let ws = WorkshopId::new("WA").expect("ws");
        let r = engine
            .row(&ws, NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"))
            .expect("row");
        (
            r.advisors_active,
            r.advisor_max_intake,
            r.advisors_over_limit,
        )
    };
    assert_eq!(load(12), (1, 12, 0), "12 is not more than 12");
    assert_eq!(load(13), (1, 13, 1), "13 is");
}

#[test]
fn output_by_job_type() {
    let (_, d) = rows(KpiSettings::default());
    assert_eq!(d.output_value_fen, 10_000 + 20_000 + 1_000);
    assert_eq!(d.output_maintenance_fen, 10_000);
    assert_eq!(d.output_repair_fen, 20_000);
    assert_eq!(d.output_unattributed_fen, 1_000);
    assert_eq!(
        d.output_warranty_fen
            + d.output_accident_fen
            + d.output_internal_fen
            + d.output_first_service_fen,
        0
    );
}

#[test]
fn open_orders_carry_promise_parts_and_job_progress_for_the_attention_list() {
    use crate::events::JobId;
    let at = |hm: &str| format!("2026-11-23T{hm}:00+08:00");
    let x = || ro("X");
    let j1 = || JobId::new("J1").expect("job");
    let events = vec![
        open(Open {
            id: "x-open",
            at: &at("09:00"),
            ro: "X",
            job_type: JobType::Repair,
            advisor: "SA1",
            vin: V1,
            complaint: "C1",
            promise: &at("12:00"),
            appointment: false,
        }),
        ev(
            "x-job",
            &at("09:05"),
            EventBody::JobAdded {
                ro_id: x(),
                job_id: j1(),
                labour_operation: "OP".into(),
                standard_minutes: 120,
            },
        ),
        ev(
            "x-on",
            &at("09:10"),
            job_clocking("T1", x().as_str(), j1().as_str(), true),
        ),
        ev(
            "x-parts",
            &at("09:30"),
            EventBody::PartsWaiting {
                ro_id: x(),
                part_numbers: vec!["P-1".into()],
            },
        ),
        ev(
            "x-revise",
            &at("09:40"),
            EventBody::PromiseRevised {
                ro_id: x(),
                promised_at: DateTime::parse_from_rfc3339(&at("10:30")).expect("t"),
                reason: "parts".into(),
            },
        ),
        // A repair order already ready is no longer watched.
        open(Open {
            id: "y-open",
            at: &at("09:00"),
            ro: "Y",
            job_type: JobType::Maintenance,
            advisor: "SA1",
            vin: V2,
            complaint: "M1",
            promise: &at("10:00"),
            appointment: false,
        }),
        ev(
            "y-ready",
            &at("09:50"),
            EventBody::ReadyForPickup { ro_id: ro("Y") },
        ),
    ];
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in &events {
        engine.apply(e);
    }
    let open = engine.open_repair_orders(&WorkshopId::new("WA").expect("ws"));
    assert_eq!(open.len(), 1);
    let o = &open[0];
    assert!(o.order.waiting_for_parts);
    assert_eq!(
        (
            o.order.promised_at.map(|p| p.to_rfc3339()),
            o.order.promise_revisions
        ),
        (Some(at("10:30")), 1)
    );
    assert_eq!(o.jobs.len(), 1);
    assert_eq!(
        (
            o.jobs[0].standard_s,
            o.jobs[0].worked_s,
            o.jobs[0].technicians
        ),
        (7200, 0, 1)
    );
    assert_eq!(
        o.jobs[0].open_since,
        vec![DateTime::parse_from_rfc3339(&at("09:10")).expect("t")]
    );

    // At 10:00, 50 min of 120 are done: 70 min needed, 10:30 − 10:00 − 15 = 15 min left.
    let now = DateTime::parse_from_rfc3339(&at("10:00"))
        .expect("t")
        .with_timezone(&chrono::Utc);
    let list = attention::assess(&open, now, &WorkshopSettings::default());
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].concern,
        Concern::AtRisk {
            minutes_needed: 70,
            minutes_left: 15
        }
    );
    assert_eq!(
        list[0].reason_zh,
        "剩余工时1小时10分，距承诺 10:30 仅余工作时间15分钟，待料"
    );
}

#[test]
fn an_accident_step_finished_right_on_its_standard_is_not_over_it() {
    // Repair service of A2 takes exactly its 2,880-minute (two-day) standard.
    let (ro_id, step) = (ro("A2"), "repair_service".to_string());
    let events = [
        ev(
            "s1",
            "2026-11-23T10:00:00+08:00",
            EventBody::AccidentStepStarted {
                ro_id: ro_id.clone(),
                step: step.clone(),
                responsible: "张工".into(),
            },
        ),
        ev(
            "f1",
            "2026-11-25T10:00:00+08:00",
            EventBody::AccidentStepFinished {
                ro_id,
                step,
                signed_by: "李主任".into(),
            },
        ),
    ];
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in &events {
        engine.apply(e);
    }
    let ws = WorkshopId::new("WA").expect("ws");
    let day = engine
        .row(&ws, NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"))
        .expect("row");
    assert_eq!(
        (
            day.accident_steps_finished,
            day.accident_steps_over_standard,
            day.accident_step_actual_minutes,
            day.accident_step_standard_minutes
        ),
        (1, 0, 2880, 2880)
    );
}

/// The start (`start`) or finish of accident-repair step `name` of A1.
fn step(id: &str, at: &str, name: &str, start: bool) -> Event {
    let (ro_id, step) = (ro("A1"), name.to_string());
    ev(
        id,
        at,
        if start {
            EventBody::AccidentStepStarted {
                ro_id,
                step,
                responsible: "张工".into(),
            }
        } else {
            EventBody::AccidentStepFinished {
                ro_id,
                step,
                signed_by: "李主任".into(),
            }
        },
    )
}

#[test]
fn accident_steps_against_their_standards() {
    let events = vec![
        step("s1", "2026-11-23T09:00:00+08:00", "entry", true),
        step("f1", "2026-11-23T09:40:00+08:00", "entry", false), // 40 min, standard 30
        step("s2", "2026-11-23T09:40:00+08:00", "parts_supply", true),
        step("f2", "2026-11-24T10:00:00+08:00", "parts_supply", false), // 1,460 min, standard 1,440
        step("s3", "2026-11-23T10:00:00+08:00", "paint", true),         // no standard configured
        step("f3", "2026-11-23T12:00:00+08:00", "paint", false),
        step("s4", "2026-11-24T10:00:00+08:00", "repair_service", true), // not finished
    ];
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for e in &events {
        engine.apply(e);
    }
    let ws = WorkshopId::new("WA").expect("ws");
    let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).expect("date");
    let first = engine.row(&ws, d(23)).expect("row");
    assert_eq!(
        (
            first.accident_steps_finished,
            first.accident_steps_over_standard
        ),
        (2, 1)
    );
    assert_eq!(
        (
            first.accident_step_actual_minutes,
            first.accident_step_standard_minutes
        ),
        (40, 30)
    );
    let second = engine.row(&ws, d(24)).expect("row");
    assert_eq!(
        (
            second.accident_steps_finished,
            second.accident_steps_over_standard
        ),
        (1, 1)
    );
    assert_eq!(
        (
            second.accident_step_actual_minutes,
            second.accident_step_standard_minutes
        ),
        (1460, 1440)
    );
    let chart = engine.accident_steps(&ws, d(23));
    let entry = chart.iter().find(|s| s.step == "entry").expect("entry");
    assert_eq!(
        (
            entry.responsible.as_str(),
            entry.signed_by.as_str(),
            entry.over_minutes
        ),
        ("张工", "李主任", Some(10))
    );
    let paint = chart.iter().find(|s| s.step == "paint").expect("paint");
    assert_eq!(
        (
            paint.actual_minutes,
            paint.standard_minutes,
            paint.over_minutes
        ),
        (120, None, None)
    );

    // A start reported late (an earlier one) restates the finish day.
    match engine.apply(&step(
        "s0",
        "2026-11-23T09:10:00+08:00",
        "parts_supply",
        true,
    )) {
        Applied::Changed(days) => assert!(days.contains(&d(24))),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        engine
            .row(&ws, d(24))
            .expect("row")
            .accident_step_actual_minutes,
        1490,
        "the earliest start counts"
    );

    // A finish reported late (an earlier one, on the 23rd) moves the step
    // to the 23rd: counted there, and no longer on the 24th.
    match engine.apply(&step(
        "f0",
        "2026-11-23T17:10:00+08:00",
        "parts_supply",
        false,
    )) {
        Applied::Changed(days) => assert!(days.contains(&d(23)) && days.contains(&d(24))),
        other => panic!("{other:?}"),
    }
    let finished = |day| {
        engine
            .row(&ws, d(day))
            .expect("row")
            .accident_steps_finished
    };
    assert_eq!((finished(23), finished(24)), (3, 0));
    assert_eq!(engine.accident_steps(&ws, d(24)), vec![]);
}

#[test]
fn finer_accident_steps_configured_in_the_config_file_reach_the_engine() {
    // kpis.md §11: a workshop times body work (钣金) at 240 min and paint
    // (喷漆) at 90 min. Its table replaces the default one, so entry, which
    // it does not list, has no standard any more.
    let config = crate::config::Config::from_toml(
        r#"
        [workshops.kpi.accident_steps]
        body = 240
        paint = 90
        "#,
    )
    .expect("parses");
    config.validate().expect("valid");
    let mut engine = Engine::new(config.workshop_directory().expect("workshops"));
    for e in [
        step("s1", "2026-11-23T07:30:00+08:00", "entry", true),
        step("f1", "2026-11-23T08:00:00+08:00", "entry", false), // 30 min, no standard
        step("s2", "2026-11-23T08:00:00+08:00", "body", true),
        step("f2", "2026-11-23T11:00:00+08:00", "body", false), // 180 min against 240
        step("s3", "2026-11-23T11:00:00+08:00", "paint", true),
        step("f3", "2026-11-23T13:00:00+08:00", "paint", false), // 120 min against 90
    ] {
        engine.apply(&e);
    }
    let ws = WorkshopId::new("WA").expect("ws");
    let d23 = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let row = engine.row(&ws, d23).expect("row");
    // 3 finished; paint over; body + paint = 180 + 120 = 300 actual against
    // 240 + 90 = 330 standard (entry, without a standard, is not compared).
    assert_eq!(
        (
            row.accident_steps_finished,
            row.accident_steps_over_standard,
            row.accident_step_actual_minutes,
            row.accident_step_standard_minutes
        ),
        (3, 1, 300, 330)
    );
    let chart = engine.accident_steps(&ws, d23);
    let times = |name: &str| {
        let s = chart.iter().find(|s| s.step == name).expect("step");
        (s.actual_minutes, s.standard_minutes, s.over_minutes)
    };
    assert_eq!(times("paint"), (120, Some(90), Some(30)));
    assert_eq!(times("body"), (180, Some(240), Some(0)));
    assert_eq!(times("entry"), (30, None, None));
}

#[test]
fn output_by_payer_and_waits_for_parts() {
    let at = |d: u32, hm: &str| format!("2026-11-{d}T{hm}:00+08:00");
    let settled_by = |id: &str, ro_id: &str, payer: Payer, labour: i64| {
        let amount = |fen| InvoiceAmount::new(fen).expect("amount");
        ev(
            id,
            &at(23, "16:00"),
            EventBody::Settled {
                ro_id: ro(ro_id),
                invoice_no: InvoiceNo::new(format!("I-{id}")).expect("invoice"),
                payer,
                labour_fen: amount(labour),
                parts_fen: amount(0),
                other_fen: amount(0),
                discount_fen: amount(0),
                tax_rate_bp: TaxRateBp::new(1300).expect("rate"),
            },
        )
    };
    let parts = |id: &str, when: &str, waiting: bool| {
        ev(
            id,
            when,
            if waiting {
                EventBody::PartsWaiting {
                    ro_id: ro("P"),
                    part_numbers: vec!["P-1".into()],
                }
            } else {
                EventBody::PartsArrived { ro_id: ro("P") }
            },
        )
    };
    let mut events = vec![
        settled_by("c", "A", Payer::Customer, 11_300),
        settled_by("w", "B", Payer::Warranty, 22_600),
        settled_by("i", "B", Payer::Insurance, 33_900),
        parts("p0", &at(23, "09:00"), false), // an arrival with no wait: ignored
        parts("p1", &at(23, "10:00"), true),
        parts("p2", &at(23, "13:30"), false), // 210 min, ends on the 23rd
        parts("p3", &at(23, "14:00"), true),
        parts("p4", &at(23, "14:30"), true), // still the same wait
        parts("p5", &at(24, "09:00"), false), // 1,140 min, ends on the 24th
    ];
    let rows = |events: &[Event]| {
        let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
        for e in events {
            engine.apply(e);
        }
        let ws = WorkshopId::new("WA").expect("ws");
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).expect("date");
        (
            engine.row(&ws, d(23)).expect("row"),
            engine.row(&ws, d(24)).expect("row"),
        )
    };
    let (d23, d24) = rows(&events);
    assert_eq!(
        (
            d23.output_payer_customer_fen,
            d23.output_payer_warranty_fen,
            d23.output_payer_insurance_fen,
            d23.output_payer_internal_fen
        ),
        (10_000, 20_000, 30_000, 0)
    );
    assert_eq!((d23.parts_waits_ended, d23.parts_wait_minutes), (1, 210));
    assert_eq!((d24.parts_waits_ended, d24.parts_wait_minutes), (1, 1140));
    events.reverse();
    assert_eq!(rows(&events), (d23, d24), "any order");
}
