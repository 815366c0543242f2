//! Streaming equals batch: several simulated days for several workshops go
//! through the real broker and ClickHouse; the KPI table the pipeline streamed
//! must equal both `recompute` from `events_raw` and the engine run in memory
//! over the generated events — row for row, value for value. Hand-written
//! accident-repair steps of RO-ACC-1 ride along with the simulated accident
//! orders' steps, with a late, earlier finish that moves a step to another day;
//! two invoice corrections (a red-letter invoice, a copy with other figures)
//! ride along too.

use chrono::{NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use std::time::Duration;
use workshop_pulse::clock::FixedClock;
use workshop_pulse::engine::{Engine, KpiDay};
use workshop_pulse::events::{
    ClockKind, Event, EventBody, EventId, InvoiceAmount, InvoiceNo, RepairOrderId, TechnicianId,
    WorkshopId,
};
use workshop_pulse::store::{AccidentStepRow, BayDayRow, KpiDayRow, TechnicianDayRow};
use workshop_pulse_e2e::TestEnv;
use workshop_pulse_loadtest::produce::{Pace, produce};
use workshop_pulse_loadtest::simulate::{SimEvent, workshop_days};

/// Three days of W001–W003 as one stream from the first (orders left open
/// at a closing go on the next morning).
fn days() -> Vec<SimEvent> {
    let dates: Vec<NaiveDate> = (20..=22)
        .map(|day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default())
        .collect();
    workshop_days(2026, 3, &dates)
        .into_iter()
        .map(|event| SimEvent {
            topic: event.body.topic(),
            event,
        })
        .collect()
}

/// An instant written in RFC 3339.
fn instant(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Event `id` of workshop W001 at `at` (RFC 3339), on its topic.
fn w001_event(id: &str, at: &str, body: EventBody) -> SimEvent {
    SimEvent {
        topic: body.topic(),
        event: Event {
            schema: 1,
            event_id: EventId::new(id).unwrap_or_else(|e| panic!("{e}")),
            workshop_id: WorkshopId::new("W001").unwrap_or_else(|e| panic!("{e}")),
            occurred_at: instant(at),
            body,
        },
    }
}

/// Accident-repair steps of W001's RO-ACC-1 (standards: entry 30 min, parts
/// supply 1,440 min; `paint` has none), and a late `parts_supply` finish that
/// is earlier than the one already sent, so the step moves from the 21st to the
/// 20th.
fn accident_steps() -> (Vec<SimEvent>, SimEvent) {
    let step = |id: &str, at: &str, code: &str, started: bool| {
        let (ro_id, step) = (
            RepairOrderId::new("RO-ACC-1").unwrap_or_else(|e| panic!("{e}")),
            code.to_string(),
        );
        let body = if started {
            EventBody::AccidentStepStarted {
                ro_id,
                step,
                responsible: "张工".into(),
            }
        } else {
            EventBody::AccidentStepFinished {
                ro_id,
                step,
                signed_by: "李经理".into(),
            }
        };
        w001_event(id, at, body)
    };
    let steps = vec![
        step("acc-1", "2026-11-20T09:00:00+08:00", "entry", true),
        step("acc-2", "2026-11-20T09:40:00+08:00", "entry", false),
        step("acc-3", "2026-11-20T09:40:00+08:00", "parts_supply", true),
        step("acc-4", "2026-11-21T11:40:00+08:00", "parts_supply", false),
        step("acc-5", "2026-11-21T13:00:00+08:00", "paint", true),
        step("acc-6", "2026-11-21T17:00:00+08:00", "paint", false),
    ];
    let late = step("acc-7", "2026-11-20T17:40:00+08:00", "parts_supply", false);
    (steps, late)
}

/// Two corrections of W001's T01's shifts: the 20th's, made two days later,
/// and the 21st's, made that evening. The audit trail files each under the
/// day it corrects, not the day it was made.
fn clock_corrections() -> Vec<SimEvent> {
    let correction = |id: &str, made: &str, day: u32| {
        let body = EventBody::ClockAdjusted {
            technician_id: TechnicianId::new("T01").unwrap_or_else(|e| panic!("{e}")),
            adjusted_by: "王主管".into(),
            reason: "忘记打卡".into(),
            kind: ClockKind::Shift,
            ro_id: None,
            job_id: None,
            on_at: instant(&format!("2026-11-{day}T08:00:00+08:00")),
            off_at: instant(&format!("2026-11-{day}T17:30:00+08:00")),
        };
        w001_event(id, made, body)
    };
    vec![
        correction("clock-fix-20", "2026-11-22T09:00:00+08:00", 20),
        correction("clock-fix-21", "2026-11-21T18:30:00+08:00", 21),
    ]
}

/// Corrections of two of W001's invoices, a day after each: a red-letter
/// invoice (红字发票) reversing the first, and a copy of the second under its
/// own number with parts 10.00 higher (an invoice conflict).
fn invoice_corrections(events: &[SimEvent]) -> Vec<SimEvent> {
    let settled: Vec<&Event> = events
        .iter()
        .map(|e| &e.event)
        .filter(|e| e.workshop_id.as_str() == "W001" && matches!(e.body, EventBody::Settled { .. }))
        .take(2)
        .collect();
    let [first, second] = settled[..] else {
        panic!("W001 settles fewer than two invoices")
    };
    let next_day = |e: &Event, id: &str, body: EventBody| SimEvent {
        topic: body.topic(),
        event: Event {
            event_id: EventId::new(id).unwrap_or_else(|e| panic!("{e}")),
            occurred_at: e.occurred_at + chrono::Duration::days(1),
            body,
            ..e.clone()
        },
    };
    let EventBody::Settled {
        ro_id,
        invoice_no,
        payer,
        labour_fen,
        parts_fen,
        other_fen,
        discount_fen,
        tax_rate_bp,
    } = first.body.clone()
    else {
        unreachable!()
    };
    let negated =
        |a: InvoiceAmount| InvoiceAmount::new(-a.fen().0).unwrap_or_else(|e| panic!("{e}"));
    let reversal = EventBody::Settled {
        ro_id,
        invoice_no: InvoiceNo::new(format!("{invoice_no}-R")).unwrap_or_else(|e| panic!("{e}")),
        payer,
        labour_fen: negated(labour_fen),
        parts_fen: negated(parts_fen),
        other_fen: negated(other_fen),
        discount_fen: negated(discount_fen),
        tax_rate_bp,
    };
    let mut copy = second.body.clone();
    if let EventBody::Settled { parts_fen, .. } = &mut copy {
        *parts_fen =
            InvoiceAmount::new(parts_fen.fen().0 + 1_000).unwrap_or_else(|e| panic!("{e}"));
    }
    vec![
        next_day(first, "fix-reversal", reversal),
        next_day(second, "fix-copy", copy),
    ]
}

fn unversioned(rows: impl IntoIterator<Item = KpiDay>) -> Vec<KpiDay> {
    rows.into_iter()
        .map(|r| KpiDay { version: 0, ..r })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_kpis_equal_recompute_and_the_batch_engine() {
    let mut env = TestEnv::new("reconcile").await;
    // The dealer group reads 生产率 as worked ÷ attended (kpis.md §5.4), and
    // (for this test) 工时利用率 as sold ÷ attended, so every rate differs.
    let rates = &mut env.config.workshops.kpi.technician_rates;
    rates.productivity = Some("worked/attended".into());
    rates.utilisation = Some("sold/attended".into());
    let (steps, late_finish) = accident_steps();
    let mut events = days();
    let corrections = invoice_corrections(&events);
    events.extend(steps);
    events.extend(corrections);
    events.extend(clock_corrections());
    let (first, second) = events.split_at(events.len() / 2);
    let send = |part: &'static str, slice: &[workshop_pulse_loadtest::simulate::SimEvent]| {
        let kafka = env.config.kafka.clone();
        let slice = slice.to_vec();
        async move {
            let sent = produce(&kafka, &slice, Pace::Unpaced, |_, _| {})
                .await
                .unwrap_or_else(|e| panic!("producing the {part}: {e}"));
            assert_eq!(sent.acknowledged, slice.len() as u64, "{part}");
        }
    };
    // Half the events wait in Kafka before the pipeline starts, the other half
    // arrive while it runs, then the first half again (a producer replay): rows
    // are restated across many batches and every duplicate must change nothing.
    send("first half", first).await;
    let clock = Arc::new(FixedClock(
        Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0)
            .single()
            .unwrap_or_default(),
    ));
    let pipeline = env.start_pipeline(clock).await;
    send("second half", second).await;
    send("replayed first half", first).await;
    env.wait_until_committed(Duration::from_secs(120)).await;
    // The parts-supply step is stored on the 21st now; a late, earlier finish
    // must move it to the 20th, not leave a second row behind.
    let before_late: Vec<AccidentStepRow> = env
        .store()
        .accident_steps(None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        before_late.iter().any(|r| r.ro_id == "RO-ACC-1"
            && r.step == "parts_supply"
            && r.business_date.to_string() == "2026-11-21"),
        "{before_late:#?}"
    );
    send(
        "late accident-step finish",
        std::slice::from_ref(&late_finish),
    )
    .await;
    env.wait_until_committed(Duration::from_secs(120)).await;
    events.push(late_finish);

    let stored: Vec<KpiDay> = env
        .store()
        .kpi_days()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter_map(KpiDayRow::to_kpi_day)
        .collect();

    // The engine over the generated events, in memory, in one pass.
    let mut batch = Engine::new(
        env.config
            .workshop_directory()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    for e in &events {
        batch.apply(&e.event);
    }
    let expected = batch.all_rows();
    assert_eq!(expected.len(), 9, "3 workshops × 3 days");
    assert!(
        expected
            .iter()
            .all(|r| r.intake >= 20 && r.output_value_fen > 0),
        "{expected:#?}"
    );
    // Red-letter invoices: the scripted one and any the simulator corrected;
    // invoice conflicts: only the scripted copy (the simulator never re-sends).
    let red_letter = events
        .iter()
        .filter(|e| match &e.event.body {
            EventBody::Settled {
                labour_fen,
                parts_fen,
                other_fen,
                ..
            } => (labour_fen.fen() + parts_fen.fen() + other_fen.fen()).0 < 0,
            _ => false,
        })
        .count() as u32;
    assert!(red_letter >= 1);
    assert_eq!(
        (
            expected.iter().map(|r| r.reversals).sum::<u32>(),
            expected.iter().map(|r| r.invoice_conflicts).sum::<u32>()
        ),
        (red_letter, 1),
        "every red-letter invoice counted; the copy with other figures shown"
    );
    assert_eq!(unversioned(stored.clone()), unversioned(expected.clone()));

    // Technician time, likewise.
    let stored_technicians: Vec<TechnicianDayRow> = env
        .store()
        .technician_days()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(TechnicianDayRow::unversioned)
        .collect();
    let expected_technicians: Vec<TechnicianDayRow> = batch
        .all_technician_rows()
        .iter()
        .map(|(w, d, _, t)| TechnicianDayRow::new(w, *d, 0, t))
        .collect();
    assert_eq!(
        expected_technicians.len(),
        3 * 3 * 10,
        "10 technicians per workshop and day"
    );
    assert!(
        expected_technicians.iter().all(|t| t.attended_s > 8 * 3600),
        "{expected_technicians:#?}"
    );
    assert!(expected_technicians.iter().map(|t| t.sold_s).sum::<i64>() > 0);
    assert_eq!(stored_technicians, expected_technicians);

    // And bays.
    let stored_bays: Vec<BayDayRow> = env
        .store()
        .bay_days()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(BayDayRow::unversioned)
        .collect();
    let expected_bays: Vec<BayDayRow> = batch
        .all_bay_rows()
        .iter()
        .map(|(w, d, _, b)| BayDayRow::new(w, *d, 0, b))
        .collect();
    assert!(
        expected_bays.len() >= 3 * 3 * 6,
        "most of the 8 bays are used every day"
    );
    assert!(expected_bays.iter().map(|b| b.turns).sum::<u32>() > 100);
    assert_eq!(stored_bays, expected_bays);

    // The API serves the same rows with their rates.
    let technicians: serde_json::Value = pipeline
        .get_json("/api/v1/workshops/W001/technicians/days/2026-11-21")
        .await;
    let t01 = &technicians[0];
    let expected_t01 = expected_technicians
        .iter()
        .find(|t| {
            t.workshop_id == "W001"
                && t.business_date.to_string() == "2026-11-21"
                && t.technician_id == "T01"
        })
        .unwrap_or_else(|| panic!("T01"));
    assert_eq!(t01["technician_id"], "T01");
    assert_eq!(
        t01["business_date"], "2026-11-21",
        "dates read as dates, not ClickHouse day numbers"
    );
    assert_eq!(t01["attended_s"], expected_t01.attended_s);
    assert_eq!(t01["sold_s"], expected_t01.sold_s);
    // Tenths of a percent, half up (no tie at these figures).
    let tenths = |num: i64, den: i64| (num * 1000 + den / 2) / den;
    let rate = |name: &str| t01[name].as_f64().map(|p| (p * 10.0).round() as i64);
    assert_eq!(
        [rate("utilisation_pct"), rate("productivity_pct")],
        [
            Some(tenths(expected_t01.sold_s, expected_t01.attended_s)),
            Some(tenths(expected_t01.worked_s, expected_t01.attended_s))
        ],
        "the configured 工时利用率 sold ÷ attended and 生产率 worked ÷ attended"
    );
    assert_eq!(t01["rate_formulas"]["productivity"], "worked/attended");
    // The workshop's technician time over the three days, from ClickHouse.
    let totals: serde_json::Value = pipeline
        .get_json("/api/v1/workshops/W001/technicians/totals?from=2026-11-19&to=2026-11-22")
        .await;
    let w001: Vec<&TechnicianDayRow> = expected_technicians
        .iter()
        .filter(|t| t.workshop_id == "W001")
        .collect();
    let sum = |f: fn(&TechnicianDayRow) -> i64| w001.iter().map(|t| f(t)).sum::<i64>();
    let (attended, worked, sold) = (
        sum(|t| t.attended_s),
        sum(|t| t.worked_s),
        sum(|t| t.sold_s),
    );
    assert_eq!(totals["days"].as_array().map(Vec::len), Some(3), "{totals}");
    assert_eq!(totals["days"][0]["business_date"], "2026-11-20");
    assert_eq!(totals["total"]["technician_days"], 30);
    assert_eq!(
        [
            &totals["total"]["attended_s"],
            &totals["total"]["worked_s"],
            &totals["total"]["sold_s"]
        ],
        [attended, worked, sold]
            .map(serde_json::Value::from)
            .each_ref()
    );
    assert_eq!(
        totals["total"]["efficiency_pct"]
            .as_f64()
            .map(|p| (p * 10.0).round() as i64),
        Some((sold * 1000 + worked / 2) / worked),
        "sold ÷ worked of the summed seconds"
    );
    assert_eq!(
        totals["rate_formulas"],
        serde_json::json!({
            "utilisation": "sold/attended",
            "efficiency": "sold/worked",
            "productivity": "worked/attended",
        })
    );
    // The audit trail of clock corrections, for the 20th: every correction of
    // W001 sent whose corrected interval starts that day (where the technician
    // rows count it), as sent (replayed copies once), oldest first, with the
    // day it corrects and the day it was made. T01's correction of the 20th,
    // made on the 22nd, is among them; its correction of the 21st is not.
    let trail: serde_json::Value = pipeline
        .get_json("/api/v1/workshops/W001/clock-adjustments?from=2026-11-20&to=2026-11-20")
        .await;
    let settings = workshop_pulse::engine::WorkshopSettings::default();
    let corrected_day = |e: &Event| match &e.body {
        EventBody::ClockAdjusted { on_at, .. } => Some(settings.business_date(*on_at)),
        _ => None,
    };
    let w001_corrections = events
        .iter()
        .filter(|e| e.event.workshop_id.as_str() == "W001" && corrected_day(&e.event).is_some())
        .count();
    let mut sent: Vec<&Event> = events
        .iter()
        .map(|e| &e.event)
        .filter(|e| {
            e.workshop_id.as_str() == "W001"
                && corrected_day(e) == NaiveDate::from_ymd_opt(2026, 11, 20)
        })
        .collect();
    sent.sort_by_key(|e| (e.occurred_at.timestamp_millis(), e.event_id.clone()));
    assert!(
        sent.iter().any(|e| e.event_id.as_str() == "clock-fix-20") && sent.len() < w001_corrections,
        "the 20th has some of W001's {w001_corrections} corrections, not all"
    );
    let expected: Vec<serde_json::Value> = sent
        .iter()
        .map(|e| {
            let mut entry = serde_json::to_value(e).unwrap_or_default();
            if let Some(o) = entry.as_object_mut() {
                o.insert("corrected_date".into(), "2026-11-20".into());
                o.insert(
                    "business_date".into(),
                    settings.business_date(e.occurred_at).to_string().into(),
                );
            }
            entry
        })
        .collect();
    assert_eq!(trail, serde_json::Value::from(expected));
    let bays: serde_json::Value = pipeline
        .get_json("/api/v1/workshops/W002/bays/days/2026-11-20")
        .await;
    let expected_w2: Vec<&BayDayRow> = expected_bays
        .iter()
        .filter(|b| b.workshop_id == "W002" && b.business_date.to_string() == "2026-11-20")
        .collect();
    assert_eq!(bays.as_array().map(Vec::len), Some(expected_w2.len()));
    assert_eq!(bays[0]["turns"], expected_w2[0].turns);
    assert_eq!(bays[0]["business_date"], "2026-11-20");

    // And accident-repair steps: the time-control chart, in ClickHouse and the API.
    let stored_steps: Vec<AccidentStepRow> = env
        .store()
        .accident_steps(None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(AccidentStepRow::unversioned)
        .collect();
    let expected_steps: Vec<AccidentStepRow> = batch
        .all_accident_steps()
        .iter()
        .map(|(w, d, _, s)| AccidentStepRow::new(w, *d, 0, s))
        .collect();
    assert_eq!(stored_steps, expected_steps);
    assert!(
        expected_steps.iter().any(|r| r.ro_id != "RO-ACC-1"),
        "the simulated accident orders' steps are streamed and reconciled too"
    );
    let summary: Vec<(String, String, i64, u8, u32, i64)> = stored_steps
        .iter()
        .filter(|r| r.ro_id == "RO-ACC-1")
        .map(|r| {
            (
                r.step.clone(),
                r.business_date.to_string(),
                r.actual_minutes,
                r.has_standard,
                r.standard_minutes,
                r.over_minutes,
            )
        })
        .collect();
    let row = |step: &str, day: &str, actual, has, standard, over| {
        (
            step.to_string(),
            day.to_string(),
            actual,
            has,
            standard,
            over,
        )
    };
    assert_eq!(
        summary,
        vec![
            row("entry", "2026-11-20", 40, 1, 30, 10),
            row("parts_supply", "2026-11-20", 480, 1, 1440, 0),
            row("paint", "2026-11-21", 240, 0, 0, 0),
        ],
        "RO-ACC-1's steps, ordered by day and step"
    );
    let chart: serde_json::Value = pipeline
        .get_json("/api/v1/workshops/W001/accident-steps/days/2026-11-20")
        .await;
    let on_the_20th = |r: &&AccidentStepRow| {
        r.workshop_id == "W001" && r.business_date.to_string() == "2026-11-20"
    };
    assert_eq!(
        chart.as_array().map(Vec::len),
        Some(expected_steps.iter().filter(on_the_20th).count()),
        "{chart:#}"
    );
    let hand: Vec<&serde_json::Value> = chart
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["ro_id"] == "RO-ACC-1")
        .collect();
    assert_eq!(hand.len(), 2, "{chart:#}");
    assert_eq!(hand[1]["step"], "parts_supply");
    assert_eq!(hand[1]["responsible"], "张工");
    assert_eq!(hand[1]["signed_by"], "李经理");
    assert_eq!(hand[1]["started_at"], "2026-11-20T09:40:00+08:00");
    assert_eq!(hand[1]["finished_at"], "2026-11-20T17:40:00+08:00");
    assert_eq!(hand[1]["actual_minutes"], 480);
    assert_eq!(hand[1]["standard_minutes"], 1440);
    assert_eq!(hand[1]["over_minutes"], 0);
    let w001_20 = stored
        .iter()
        .find(|r| r.workshop_id.as_str() == "W001" && r.business_date.to_string() == "2026-11-20")
        .unwrap_or_else(|| panic!("W001 on the 20th"));
    assert_eq!(
        (
            w001_20.accident_steps_finished,
            w001_20.accident_steps_over_standard
        ),
        (
            expected_steps.iter().filter(on_the_20th).count() as u32,
            expected_steps
                .iter()
                .filter(on_the_20th)
                .filter(|r| r.has_standard == 1 && r.over_minutes > 0)
                .count() as u32
        ),
        "RO-ACC-1's entry (10 minutes over) and parts supply, and the simulated orders' steps"
    );

    let report = workshop_pulse::app::recompute(&env.config, Default::default(), true)
        .await
        .unwrap_or_else(|e| panic!("recompute: {e}"));
    assert_eq!(
        report.events,
        events.len(),
        "events_raw holds each event once"
    );
    assert!(report.mismatches.is_empty(), "{:#?}", report.mismatches);
    assert!(
        report.technician_mismatches.is_empty(),
        "{:#?}",
        report.technician_mismatches
    );
    assert!(
        report.bay_mismatches.is_empty(),
        "{:#?}",
        report.bay_mismatches
    );
    assert_eq!(report.accident_step_rows, expected_steps.len());
    assert!(
        report.accident_step_mismatches.is_empty(),
        "{:#?}",
        report.accident_step_mismatches
    );

    pipeline
        .stop()
        .await
        .unwrap_or_else(|e| panic!("pipeline: {e}"));
    env.cleanup().await;
}
