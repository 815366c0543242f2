//! Engine tests on a hand-computed workshop day: exact values, order independence,
//! duplicates, conflicts, cancellations and business-day boundaries.

use super::*;
use crate::events::{
    AdvisorId, EventBody, EventId, Fen, InvoiceAmount, InvoiceNo, JobType, Payer, RepairOrderId,
    TaxRateBp, Vin, WorkshopId,
};
use chrono::{DateTime, NaiveDate};

fn ws(id: &str) -> WorkshopId {
    WorkshopId::new(id).expect("workshop id")
}

fn ro(id: &str) -> RepairOrderId {
    RepairOrderId::new(id).expect("ro id")
}

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
}

fn event(id: &str, at: &str, body: EventBody) -> Event {
    Event {
        schema: 1,
        event_id: EventId::new(id).expect("event id"),
        workshop_id: ws("WA"),
        occurred_at: DateTime::parse_from_rfc3339(at).expect("timestamp"),
        body,
    }
}

fn opened(id: &str, at: &str, ro_id: &str, job_type: JobType) -> Event {
    event(
        id,
        at,
        EventBody::RoOpened {
            ro_id: ro(ro_id),
            vin: Vin::new("LSVAU2180N2123456").expect("vin"),
            plate: "沪A12345".into(),
            advisor_id: AdvisorId::new("SA1").expect("advisor"),
            job_type,
            complaint_codes: vec![],
            promised_at: None,
            appointment_id: None,
            estimate_fen: None,
            comeback: false,
        },
    )
}

fn settled(
    id: &str,
    at: &str,
    ro_id: &str,
    labour: i64,
    parts: i64,
    other: i64,
    discount: i64,
) -> Event {
    let amount = |fen| InvoiceAmount::new(fen).expect("amount");
    event(
        id,
        at,
        EventBody::Settled {
            ro_id: ro(ro_id),
            invoice_no: InvoiceNo::new(format!("INV-{ro_id}")).expect("invoice"),
            payer: Payer::Customer,
            labour_fen: amount(labour),
            parts_fen: amount(parts),
            other_fen: amount(other),
            discount_fen: amount(discount),
            tax_rate_bp: TaxRateBp::new(1300).expect("rate"),
        },
    )
}

fn delivered(id: &str, at: &str, ro_id: &str) -> Event {
    event(id, at, EventBody::Delivered { ro_id: ro(ro_id) })
}

/// The golden day (Asia/Shanghai):
/// - RO6 maintenance opened 22 Nov 17:00, settled 23 Nov 08:40 (100+100 −20 yuan),
///   delivered 08:45 → output (20,000 − 2,000) ÷ 1.13 = 15,929.20 → 15,929 fen.
/// - RO1 maintenance 09:00, settled 11:00: 200 + 365 yuan → 56,500 ÷ 1.13 = 50,000 fen.
/// - RO2 repair 09:30, settled 15:00: 400 + 700 + 30 − 30 yuan → 110,000 ÷ 1.13
///   = 97,345.13 → 97,345 fen (the kpi-reference §4.1 example).
/// - RO3 internal 10:00, still open: not intake, but work in progress.
/// - RO4 maintenance 10:30, cancelled 10:45: neither intake nor WIP.
/// - RO5 accident 14:00, still open: intake and WIP.
fn golden_day() -> Vec<Event> {
    vec![
        opened(
            "e01",
            "2026-11-22T17:00:00+08:00",
            "RO6",
            JobType::Maintenance,
        ),
        settled(
            "e02",
            "2026-11-23T08:40:00+08:00",
            "RO6",
            10_000,
            10_000,
            0,
            2_000,
        ),
        delivered("e03", "2026-11-23T08:45:00+08:00", "RO6"),
        opened(
            "e04",
            "2026-11-23T09:00:00+08:00",
            "RO1",
            JobType::Maintenance,
        ),
        opened("e05", "2026-11-23T09:30:00+08:00", "RO2", JobType::Repair),
        opened("e06", "2026-11-23T10:00:00+08:00", "RO3", JobType::Internal),
        opened(
            "e07",
            "2026-11-23T10:30:00+08:00",
            "RO4",
            JobType::Maintenance,
        ),
        event(
            "e08",
            "2026-11-23T10:45:00+08:00",
            EventBody::Cancelled {
                ro_id: ro("RO4"),
                reason: "declined".into(),
            },
        ),
        settled(
            "e09",
            "2026-11-23T11:00:00+08:00",
            "RO1",
            20_000,
            36_500,
            0,
            0,
        ),
        delivered("e10", "2026-11-23T11:10:00+08:00", "RO1"),
        opened(
            "e11",
            "2026-11-23T14:00:00+08:00",
            "RO5",
            JobType::AccidentBodyshop,
        ),
        settled(
            "e12",
            "2026-11-23T15:00:00+08:00",
            "RO2",
            40_000,
            70_000,
            3_000,
            3_000,
        ),
        delivered("e13", "2026-11-23T15:20:00+08:00", "RO2"),
    ]
}

fn engine() -> Engine {
    Engine::new(WorkshopDirectory::open(WorkshopSettings {
        daily_output_target: Fen(200_000),
        ..WorkshopSettings::default()
    }))
}

fn run(events: &[Event]) -> Engine {
    let mut e = engine();
    for ev in events {
        e.apply(ev);
    }
    e
}

#[test]
fn golden_day_has_hand_computed_values() {
    let e = run(&golden_day());
    let day = e.row(&ws("WA"), date(23)).expect("workshop known");
    assert_eq!(day.output_value_fen, 15_929 + 50_000 + 97_345);
    assert_eq!(day.gross_fen, 20_000 + 56_500 + 113_000);
    assert_eq!(day.discount_fen, 5_000);
    assert_eq!(
        (day.labour_fen, day.parts_fen, day.other_fen),
        (70_000, 116_500, 3_000)
    );
    assert_eq!((day.settlements, day.settled_ros), (3, 3));
    // Maintenance RO6 15,929 + RO1 50,000; repair RO2 97,345.
    assert_eq!(
        (day.output_maintenance_fen, day.output_repair_fen),
        (65_929, 97_345)
    );
    assert_eq!(
        (day.repairs_delivered, day.comebacks),
        (1, 0),
        "RO2 delivered; no complaint codes, no flag: no comeback"
    );
    assert_eq!(
        day.intake, 3,
        "RO1, RO2, RO5; not internal RO3, not cancelled RO4"
    );
    assert_eq!(day.wip, 2, "RO3 and RO5 are still open");
    // 163,274 ÷ 3 = 54,424.67 → 54,425 fen.
    assert_eq!(day.output_per_vehicle_fen(), Some(54_425));
    assert_eq!(day.output_target_fen, 200_000);
    assert_eq!(day.version, 13);

    let before = e.row(&ws("WA"), date(22)).expect("workshop known");
    assert_eq!(
        (before.intake, before.wip, before.output_value_fen),
        (1, 1, 0)
    );
    assert_eq!(e.all_rows().len(), 2, "one row per day with events");
}

#[test]
fn arrival_order_does_not_change_any_row() {
    let events = golden_day();
    let expected = run(&events).all_rows();
    let mut reversed = events.clone();
    reversed.reverse();
    assert_eq!(run(&reversed).all_rows(), expected);
    for k in 1..events.len() {
        let mut rotated = events.clone();
        rotated.rotate_left(k);
        assert_eq!(run(&rotated).all_rows(), expected, "rotated by {k}");
    }
    // Interleaved: odd positions first, then even ones.
    let interleaved: Vec<Event> = events
        .iter()
        .step_by(2)
        .chain(events.iter().skip(1).step_by(2))
        .cloned()
        .collect();
    assert_eq!(run(&interleaved).all_rows(), expected);
}

#[test]
fn duplicates_change_nothing() {
    let events = golden_day();
    let mut e = run(&events);
    let before = e.all_rows();
    for ev in &events {
        assert_eq!(e.apply(ev), Applied::Duplicate);
    }
    assert_eq!(e.all_rows(), before);
}

#[test]
fn same_id_with_other_content_is_refused_and_changes_nothing() {
    let events = golden_day();
    let mut e = run(&events);
    let before = e.all_rows();
    let forged = settled("e09", "2026-11-23T11:00:00+08:00", "RO1", 99_000, 0, 0, 0);
    match e.apply(&forged) {
        Applied::Refused(err) => assert_eq!(
            err.reason,
            crate::events::RejectReason::ConflictingDuplicate
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(e.all_rows(), before);
}

#[test]
fn same_id_and_body_at_another_time_or_schema_is_refused() {
    let events = golden_day();
    let mut e = run(&events);
    let before = e.all_rows();
    let original = events.last().expect("a golden event");
    let mut later = original.clone();
    later.occurred_at += chrono::Duration::minutes(1);
    let mut other_schema = original.clone();
    other_schema.schema += 1;
    for forged in [later, other_schema] {
        assert!(
            matches!(e.apply(&forged), Applied::Refused(ref err)
                if err.reason == crate::events::RejectReason::ConflictingDuplicate),
            "{forged:?}"
        );
    }
    assert_eq!(e.all_rows(), before);
}

#[test]
fn a_fact_sent_again_under_another_id_counts_once_at_the_earliest() {
    // A DMS that re-sends a delivery or a cancellation with a new event id:
    // RO2 (repair) delivered again on the 24th, RO4 cancelled again on the
    // 24th, and RO5 (accident) delivered on the 24th and again on the 25th.
    // The earliest of each pair counts, in either arrival order.
    let cancelled = |id: &str, at: &str| {
        event(
            id,
            at,
            EventBody::Cancelled {
                ro_id: ro("RO4"),
                reason: "declined again".into(),
            },
        )
    };
    let mut events = golden_day();
    events.extend([
        delivered("e30", "2026-11-24T09:00:00+08:00", "RO2"),
        cancelled("e31", "2026-11-24T09:30:00+08:00"),
        delivered("e32", "2026-11-24T10:00:00+08:00", "RO5"),
        delivered("e33", "2026-11-25T09:00:00+08:00", "RO5"),
    ]);
    let rows = |events: &[Event]| {
        let e = run(events);
        [23, 24, 25].map(|d| {
            let r = e.row(&ws("WA"), date(d)).expect("row");
            (r.repairs_delivered, r.wip)
        })
    };
    // 23rd: RO2 delivered, a repair; RO3 and RO5 open (RO4 cancelled the
    // same day). 24th: RO5 delivered, RO3 still open. 25th: RO3.
    let expected = [(1, 2), (0, 1), (0, 1)];
    assert_eq!(rows(&events), expected);
    events.reverse();
    assert_eq!(rows(&events), expected);
}

#[test]
fn two_openings_of_one_order_the_earliest_wins() {
    // kpis.md §9.6's example: RO7 opened on the 22nd as a repair and on the
    // 23rd as internal work, settled on the 23rd for 113.00 (→ 10,000 fen).
    // Either way round it is a repair opened on the 22nd.
    let mut events = golden_day();
    events.extend([
        opened("x1", "2026-11-22T16:00:00+08:00", "RO7", JobType::Repair),
        opened("x2", "2026-11-23T09:15:00+08:00", "RO7", JobType::Internal),
        settled(
            "x3",
            "2026-11-23T16:00:00+08:00",
            "RO7",
            10_000,
            1_300,
            0,
            0,
        ),
    ]);
    let rows = |events: &[Event]| {
        let e = run(events);
        let row = |d| e.row(&ws("WA"), date(d)).expect("row");
        let (d22, d23) = (row(22), row(23));
        (
            (d22.intake, d22.wip),
            (d23.intake, d23.wip),
            (d23.output_repair_fen, d23.output_internal_fen),
        )
    };
    // The 22nd: RO6 and RO7 opened and open. The 23rd: the golden day's
    // three, and RO3, RO5, RO7 open; RO2's 97,345 and RO7's 10,000 are repair.
    let expected = ((2, 2), (3, 3), (97_345 + 10_000, 0));
    assert_eq!(rows(&events), expected);
    events.reverse();
    assert_eq!(rows(&events), expected);
}

#[test]
fn a_skewed_clock_delivering_an_order_before_its_opening_leaves_no_hole_in_wip() {
    // RO7's delivery is stamped the 23rd at 17:00 by a terminal whose clock is
    // wrong; its opening the 24th at 09:00. It is never in work in progress,
    // and the 23rd keeps the golden day's two.
    let mut events = golden_day();
    events.extend([
        delivered("y1", "2026-11-23T17:00:00+08:00", "RO7"),
        opened("y2", "2026-11-24T09:00:00+08:00", "RO7", JobType::Repair),
    ]);
    let e = run(&events);
    let wip = |d| e.row(&ws("WA"), date(d)).expect("row").wip;
    assert_eq!([wip(23), wip(24)], [2, 2]);
}

#[test]
fn a_late_opening_restates_its_settlement_day_even_an_earlier_one() {
    // RO8 is settled on the 22nd (its opening not yet seen: unattributed);
    // its opening arrives later, stamped the 23rd by a skewed terminal. The
    // 22nd's output now belongs to a repair, so the 22nd must be rewritten.
    let mut e = run(&golden_day());
    e.apply(&settled(
        "z1",
        "2026-11-22T17:30:00+08:00",
        "RO8",
        10_000,
        1_300,
        0,
        0,
    ));
    let d22 = |e: &Engine| e.row(&ws("WA"), date(22)).expect("row");
    assert_eq!(d22(&e).output_unattributed_fen, 10_000);
    let late = opened("z2", "2026-11-23T08:00:00+08:00", "RO8", JobType::Repair);
    let Applied::Changed(days) = e.apply(&late) else {
        panic!("absorbed")
    };
    assert!(days.contains(&date(22)), "{days:?}");
    assert_eq!(
        (d22(&e).output_unattributed_fen, d22(&e).output_repair_fen),
        (0, 10_000)
    );
}

#[test]
fn a_late_cancellation_restates_the_opening_day() {
    let mut e = run(&golden_day());
    let version_before = e.row(&ws("WA"), date(23)).expect("known").version;
    let late = event(
        "e20",
        "2026-11-24T09:00:00+08:00",
        EventBody::Cancelled {
            ro_id: ro("RO5"),
            reason: "insurer refused".into(),
        },
    );
    match e.apply(&late) {
        Applied::Changed(days) => {
            assert!(
                days.contains(&date(23)),
                "intake of the opening day changes: {days:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    let day = e.row(&ws("WA"), date(23)).expect("known");
    assert_eq!(
        (day.intake, day.wip),
        (2, 2),
        "RO5 no longer intake, but open at the end of the 23rd"
    );
    let next = e.row(&ws("WA"), date(24)).expect("known");
    assert_eq!(next.wip, 1, "only the internal RO3 is still open");
    assert_eq!(
        day.version,
        version_before + 1,
        "the restated row carries a higher version"
    );
}

#[test]
fn a_cancelled_orders_settlement_still_counts() {
    // kpis.md §9.1, §10.2: RO4 (maintenance, cancelled at 10:45, "declined")
    // is invoiced a 56.50 diagnosis fee at 11:30: 5,650 ÷ 1.13 = 5,000 fen of
    // 产值, in maintenance, and RO4 is a settled RO. It stays out of intake
    // and WIP.
    let mut events = golden_day();
    events.push(settled(
        "e40",
        "2026-11-23T11:30:00+08:00",
        "RO4",
        5_650,
        0,
        0,
        0,
    ));
    let day = run(&events).row(&ws("WA"), date(23)).expect("row");
    assert_eq!(day.output_value_fen, 163_274 + 5_000);
    assert_eq!((day.settlements, day.settled_ros), (4, 4));
    assert_eq!(day.output_maintenance_fen, 15_929 + 50_000 + 5_000);
    assert_eq!((day.intake, day.wip), (3, 2));
}

#[test]
fn business_days_follow_the_workshop_time_zone() {
    // 16:30 UTC on the 23rd is 00:30 on the 24th in Shanghai.
    let mut e = engine();
    e.apply(&settled(
        "x1",
        "2026-11-23T16:30:00Z",
        "RO9",
        11_300,
        0,
        0,
        0,
    ));
    e.apply(&settled(
        "x2",
        "2026-11-23T15:59:59.999Z",
        "RO8",
        11_300,
        0,
        0,
        0,
    ));
    let rows = e.all_rows();
    let dates: Vec<NaiveDate> = rows.iter().map(|r| r.business_date).collect();
    assert_eq!(dates, vec![date(23), date(24)]);
    assert!(rows.iter().all(|r| r.output_value_fen == 10_000));
}

#[test]
fn unknown_workshops_are_refused_when_configured_so() {
    let mut directory = WorkshopDirectory::open(WorkshopSettings::default());
    directory.accept_unknown = false;
    directory
        .workshops
        .insert(ws("WB"), WorkshopSettings::default());
    let mut e = Engine::new(directory);
    match e.apply(&golden_day()[0]) {
        Applied::Refused(err) => {
            assert_eq!(err.reason, crate::events::RejectReason::UnknownWorkshop)
        }
        other => panic!("{other:?}"),
    }
    assert!(e.all_rows().is_empty());
}

#[test]
fn an_invoice_sent_twice_counts_once_on_the_earlier_day() {
    let mut events = golden_day();
    // RO2's invoice again, under a new event id, the next morning.
    events.push(settled(
        "e30",
        "2026-11-24T09:00:00+08:00",
        "RO2",
        40_000,
        70_000,
        3_000,
        3_000,
    ));
    let expected = run(&golden_day());
    let day23 = |e: &Engine| e.row(&ws("WA"), date(23)).expect("row");
    let e = run(&events);
    assert_eq!(
        day23(&e).output_value_fen,
        day23(&expected).output_value_fen
    );
    assert_eq!(e.row(&ws("WA"), date(24)).expect("row").output_value_fen, 0);
    // Arriving in the other order: the earlier event still wins.
    events.reverse();
    let r = run(&events);
    assert_eq!(day23(&r).output_value_fen, 163_274);
    assert_eq!(r.row(&ws("WA"), date(24)).expect("row").settlements, 0);
}

#[test]
fn an_invoice_copy_with_other_amounts_is_shown_as_a_conflict_not_counted() {
    // RO2's invoice (labour 400.00, parts 700.00, other 30.00, discount
    // 30.00 on the 23rd) again on the 24th: once unchanged, once with parts
    // at 800.00, and on the 25th with the original figures again.
    let again =
        |id: &str, at: &str, parts: i64| settled(id, at, "RO2", 40_000, parts, 3_000, 3_000);
    let mut events = golden_day();
    events.extend([
        again("e30", "2026-11-24T09:00:00+08:00", 70_000),
        again("e31", "2026-11-24T10:00:00+08:00", 80_000),
        again("e32", "2026-11-25T09:00:00+08:00", 70_000),
    ]);
    let row = |e: &Engine, d| e.row(&ws("WA"), date(d)).expect("row");
    let e = run(&events);
    // The 23rd counts the original and no conflict; the 24th counts nothing
    // and shows the one copy that disagrees; the 25th's copy agrees.
    assert_eq!(row(&e, 23).output_value_fen, 163_274);
    assert_eq!(row(&e, 23).settlements, 3);
    assert_eq!(
        [23, 24, 25].map(|d| row(&e, d).invoice_conflicts),
        [0, 1, 0]
    );
    assert_eq!(
        [24, 25].map(|d| (row(&e, d).output_value_fen, row(&e, d).settlements)),
        [(0, 0), (0, 0)]
    );
    // Any arrival order gives the same rows (but for their versions).
    let rows = |e: &Engine| {
        [23, 24, 25].map(|d| KpiDay {
            version: 0,
            ..row(e, d)
        })
    };
    events.reverse();
    assert_eq!(rows(&run(&events)), rows(&e));

    // The disagreeing copy turns out to be the earliest (it arrives late,
    // dated the 22nd): it counts now, on the 22nd, and the three copies that
    // agree with each other are the conflicts, each on its own day.
    let mut e = e;
    let early = again("e29", "2026-11-22T17:00:00+08:00", 80_000);
    let Applied::Changed(days) = e.apply(&early) else {
        panic!("absorbed")
    };
    assert_eq!(days.iter().collect::<Vec<_>>(), [22, 23, 24, 25].map(date));
    assert_eq!(
        [22, 23, 24, 25].map(|d| row(&e, d).invoice_conflicts),
        [0, 1, 1, 1]
    );
    // 800.00 + 400.00 + 30.00 − 30.00 = 1,200.00 incl. 13% VAT → 1,061.95.
    assert_eq!(row(&e, 22).output_value_fen, 106_195);
    assert_eq!(row(&e, 23).settlements, 2);
}

#[test]
fn a_red_letter_invoice_counts_negatively_on_its_own_day() {
    // RO2's invoice of the 23rd (1,130.00 − 30.00 incl. 13% VAT → 973.45) is
    // reversed on the 24th by a red-letter invoice and issued again with
    // parts at 800.00 (1,200.00 → 1,061.95).
    let invoice = |id: &str, at: &str, no: &str, sign: i64, parts: i64| {
        let amount = |fen: i64| InvoiceAmount::new(sign * fen).expect("amount");
        event(
            id,
            at,
            EventBody::Settled {
                ro_id: ro("RO2"),
                invoice_no: InvoiceNo::new(no).expect("invoice"),
                payer: Payer::Customer,
                labour_fen: amount(40_000),
                parts_fen: amount(parts),
                other_fen: amount(3_000),
                discount_fen: amount(3_000),
                tax_rate_bp: TaxRateBp::new(1300).expect("rate"),
            },
        )
    };
    let mut events = golden_day();
    events.extend([
        invoice("e30", "2026-11-24T10:00:00+08:00", "INV-RO2-R", -1, 70_000),
        invoice("e31", "2026-11-24T10:05:00+08:00", "INV-RO2-2", 1, 80_000),
    ]);
    let row = |e: &Engine, d| KpiDay {
        version: 0,
        ..e.row(&ws("WA"), date(d)).expect("row")
    };
    let e = run(&events);
    // The 23rd is not edited: the reversal counts on its own day.
    assert_eq!(row(&e, 23), row(&run(&golden_day()), 23));
    let d24 = row(&e, 24);
    assert_eq!(d24.output_value_fen, -97_345 + 106_195);
    assert_eq!((d24.settlements, d24.settled_ros, d24.reversals), (1, 1, 1));
    assert_eq!(
        (
            d24.gross_fen,
            d24.labour_fen,
            d24.parts_fen,
            d24.discount_fen
        ),
        (10_000, 0, 10_000, 0)
    );
    assert_eq!(
        d24.invoice_conflicts, 0,
        "a reversal has a number of its own"
    );
    events.reverse();
    let r = run(&events);
    assert_eq!([23, 24].map(|d| row(&r, d)), [23, 24].map(|d| row(&e, d)));
}

#[test]
fn a_zero_invoice_is_a_settlement_and_a_negative_one_without_discount_a_reversal() {
    // On the 24th, RO3's internal check invoiced at 0.00: a settlement that
    // adds nothing. On the 25th, a red-letter invoice of RO5 of −100.00
    // labour with no discount: a reversal (−10,000 ÷ 1.13 = −8,849.56 →
    // −8,850 fen).
    let mut events = golden_day();
    events.extend([
        settled("e40", "2026-11-24T09:00:00+08:00", "RO3", 0, 0, 0, 0),
        settled("e41", "2026-11-25T10:00:00+08:00", "RO5", -10_000, 0, 0, 0),
    ]);
    let e = run(&events);
    let row = |d| e.row(&ws("WA"), date(d)).expect("row");
    let counts = |d| {
        let r = row(d);
        (
            r.settlements,
            r.settled_ros,
            r.reversals,
            r.output_value_fen,
        )
    };
    assert_eq!(counts(24), (1, 1, 0, 0));
    assert_eq!(counts(25), (0, 0, 1, -8_850));
}

#[test]
fn open_repair_orders_are_listed_in_id_order() {
    let ids = ["RO-9", "RO-1", "RO-5", "RO-10", "RO-2"];
    let events: Vec<Event> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let at = format!("2026-11-17T09:{:02}:00+08:00", n);
            opened(&format!("open-{id}"), &at, id, JobType::Repair)
        })
        .chain([delivered("gone", "2026-11-17T15:00:00+08:00", "RO-5")])
        .collect();
    let listed: Vec<String> = run(&events)
        .open_repair_orders(&ws("WA"))
        .iter()
        .map(|o| o.order.ro_id.to_string())
        .collect();
    assert_eq!(listed, ["RO-1", "RO-10", "RO-2", "RO-9"]);
}

#[test]
fn shared_key_hands_out_the_maps_own_copy_of_a_key() {
    let mut map: HashMap<std::sync::Arc<str>, u32> = HashMap::default();
    let held: std::sync::Arc<str> = "RO-1".into();
    map.insert(held.clone(), 1);
    // Equal text, another allocation: the map's copy comes back.
    let shared = shared_key(&map, std::sync::Arc::from("RO-1"));
    assert!(std::sync::Arc::ptr_eq(&shared, &held));
    // A key the map does not have comes back as it was given.
    let other: std::sync::Arc<str> = "RO-2".into();
    assert!(std::sync::Arc::ptr_eq(
        &shared_key(&map, other.clone()),
        &other
    ));
}
