//! Handler tests with `tower::ServiceExt::oneshot`: no network, no services.
//! (Readiness against the real services is covered end to end in `tests/`.)

use super::*;
use crate::clock::FixedClock;
use crate::config::{ClickHouseConfig, KafkaConfig};
use crate::engine::{
    KpiDay, OnTimeBasis, TechnicianRateFormulas, TechnicianSeconds, WorkshopSettings,
};
use crate::events::{Fen, WorkshopId};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use tower::ServiceExt;

fn state() -> AppState {
    let mut directory = WorkshopDirectory::open(WorkshopSettings {
        name: String::new(),
        time_zone: chrono_tz::Asia::Shanghai,
        daily_output_target: Fen(300_000),
        ..WorkshopSettings::default()
    });
    directory.accept_unknown = false;
    directory.workshops.insert(
        WorkshopId::new("W001").expect("id"),
        WorkshopSettings {
            name: "浦东店".into(),
            time_zone: chrono_tz::Asia::Shanghai,
            daily_output_target: Fen(300_000),
            ..WorkshopSettings::default()
        },
    );
    let kafka = KafkaConfig::default();
    AppState {
        live: Arc::new(Live::default()),
        has_ingest: true,
        store: Store::new(&ClickHouseConfig::default()),
        kafka_admin: Arc::new(crate::kafka::admin::admin_client(&kafka).expect("admin client")),
        kafka,
        directory: Arc::new(directory),
        // 2026-11-23 17:30 UTC is already the 24th in Shanghai.
        clock: Arc::new(FixedClock(
            Utc.with_ymd_and_hms(2026, 11, 23, 17, 30, 0)
                .single()
                .unwrap_or_default(),
        )),
        dashboards_dir: std::path::PathBuf::from("../dashboards"),
        shutdown: tokio_util::sync::CancellationToken::new(),
    }
}

fn row(day: u32, output: i64, settled: u32, wip: u32) -> KpiDay {
    let mut r = KpiDay::empty(
        WorkshopId::new("W001").expect("id"),
        NaiveDate::from_ymd_opt(2026, 11, day).expect("date"),
        wip,
        Fen(300_000),
    );
    r.output_value_fen = output;
    r.settled_ros = settled;
    r.version = u64::from(day);
    r.completed_with_promise = 7;
    r.completed_on_time = 6;
    r.repairs_delivered = 3;
    r.comebacks = 1;
    r.labour_fen = 3;
    r.parts_fen = 5;
    r
}

async fn get(state: AppState, uri: &str) -> (StatusCode, Value) {
    let response = app(state)
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json)
}

#[tokio::test]
async fn healthz_answers() {
    let response = app(state())
        .oneshot(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn today_is_the_clock_date_in_the_workshop_time_zone() {
    let s = state();
    s.live.publish(row(23, 111, 1, 4));
    s.live.publish(row(24, 163_274, 3, 2));
    let (status, body) = get(s, "/api/v1/workshops/W001/kpis/today").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["business_date"], "2026-11-24");
    assert_eq!(body["output_value_fen"], 163_274);
    assert_eq!(body["output_per_vehicle_fen"], 54_425);
    assert_eq!(body["wip"], 2);
    assert_eq!(body["workshop_name"], "浦东店");
    assert_eq!(body["time_zone"], "Asia/Shanghai");
    assert_eq!(body["source"], "live");
    // 6 ÷ 7 = 85.714…%; 1 − 1 ÷ 3 = 66.666…%; 5 ÷ 3 = 1.666…; 163,274 ÷ 300,000 = 54.42%.
    assert_eq!(body["rates"]["on_time_completion_pct"], 85.7);
    assert_eq!(body["rates"]["first_time_fix_pct"], 66.7);
    assert_eq!(body["rates"]["parts_to_labour"], 1.67);
    assert_eq!(body["rates"]["output_target_pct"], 54.4);
    assert_eq!(body["rates"]["qc_first_pass_pct"], Value::Null);
    assert_eq!(
        body["first_time_fix_provisional"], true,
        "today is inside its own comeback window"
    );
    let (_, old) = get(state(), "/api/v1/workshops/W001/kpis/days/2026-10-24").await;
    assert_eq!(
        old["first_time_fix_provisional"], false,
        "31 days before the clock's 24 Nov"
    );
    let (_, edge) = get(state(), "/api/v1/workshops/W001/kpis/days/2026-10-25").await;
    assert_eq!(
        edge["first_time_fix_provisional"], true,
        "30 days: a comeback may still come today"
    );
}

#[test]
fn the_headline_on_time_rate_follows_the_workshops_basis() {
    // 6 of 7 ready on time (85.7 %), 1 of 4 delivered on time (25.0 %).
    let mut r = row(24, 0, 0, 0);
    (r.delivered_with_promise, r.delivered_on_time) = (4, 1);
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let view = |basis| {
        let mut settings = WorkshopSettings::default();
        settings.kpi.on_time_basis = basis;
        let json = serde_json::to_value(KpiView::new(r.clone(), &settings, today, "live"));
        json.expect("json")["on_time"].clone()
    };
    assert_eq!(
        view(WorkshopSettings::default().kpi.on_time_basis),
        serde_json::json!({"basis": "ready", "pct": 85.7}),
        "ready is the default"
    );
    assert_eq!(
        view(OnTimeBasis::Delivered),
        serde_json::json!({"basis": "delivered", "pct": 25.0})
    );
}

#[tokio::test]
async fn each_advisors_intake_is_served_with_the_limit() {
    let s = state();
    let mut r = row(24, 0, 0, 0);
    r.advisor_intake = vec![crate::engine::AdvisorIntake {
        advisor_id: crate::events::AdvisorId::new("SA1").expect("advisor"),
        intake: 13,
    }];
    s.live.publish(r.clone());
    let (status, body) = get(s, "/api/v1/workshops/W001/kpis/today").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["advisor_intake"], &body["advisor_daily_limit"]),
        (
            &serde_json::json!([{"advisor_id": "SA1", "intake": 13}]),
            &Value::from(12)
        ),
        "W001's limit is the default"
    );
    // The limit served is the workshop's setting.
    let mut settings = WorkshopSettings::default();
    settings.kpi.advisor_daily_limit = 5;
    let view = KpiView::new(r, &settings, NaiveDate::MIN, "live");
    assert_eq!(view.advisor_daily_limit, 5);
}

#[tokio::test]
async fn a_day_without_events_carries_the_open_repair_orders() {
    let s = state();
    s.live.publish(row(22, 500, 1, 6));
    let (status, body) = get(s, "/api/v1/workshops/W001/kpis/today").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["source"], "empty");
    assert_eq!(body["output_value_fen"], 0);
    assert_eq!(body["output_per_vehicle_fen"], Value::Null);
    assert_eq!(body["wip"], 6);
}

#[tokio::test]
async fn bad_input_gets_one_error_shape() {
    let (status, body) = get(state(), "/api/v1/workshops/W001/kpis/days/2026-13-01").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("YYYY-MM-DD")
    );

    let (status, body) = get(state(), "/api/v1/workshops/W%20001/kpis/today").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let (status, body) = get(state(), "/api/v1/workshops/W999/kpis/today").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn workshops_lists_configured_ones() {
    let (status, body) = get(state(), "/api/v1/workshops").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[0]["workshop_id"], "W001");
    assert_eq!(body[0]["daily_output_target_fen"], 300_000);
}

#[tokio::test]
async fn the_root_sends_browsers_to_the_board() {
    let response = app(state())
        .oneshot(Request::get("/").body(Body::empty()).expect("request"))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(response.headers()["location"], "/board/");
}

#[tokio::test]
async fn attention_lists_overdue_and_at_risk_orders_at_the_clock_instant() {
    use crate::engine::{JobProgress, OpenOrder, OpenRepairOrder};
    use crate::events::{AdvisorId, JobId, JobType, RepairOrderId};
    let s = state();
    // The clock is 2026-11-24 01:30 in Shanghai.
    let at = |text: &str| chrono::DateTime::parse_from_rfc3339(text).expect("time");
    let order = |ro: &str, promise: &str, standard_min: i64| OpenRepairOrder {
        order: OpenOrder {
            ro_id: RepairOrderId::new(ro).expect("ro"),
            plate: "沪A1".into(),
            job_type: JobType::AccidentBodyshop,
            advisor_id: AdvisorId::new("SA1").expect("sa"),
            opened_at: at("2026-11-23T09:00:00+08:00"),
            promised_at: Some(at(promise)),
            promise_revisions: 0,
            waiting_for_parts: false,
        },
        jobs: vec![JobProgress {
            job_id: JobId::new("J1").expect("job"),
            standard_s: standard_min * 60,
            worked_s: 0,
            open_since: vec![],
            technicians: 1,
        }],
    };
    s.live.publish_open_orders(
        WorkshopId::new("W001").expect("id"),
        vec![
            order("LATE", "2026-11-24T00:30:00+08:00", 30),
            order("RISKY", "2026-11-24T03:00:00+08:00", 120),
            order("FINE", "2026-11-24T12:00:00+08:00", 120),
        ],
    );
    let (status, body) = get(s, "/api/v1/workshops/W001/attention").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["open_repair_orders"], 3);
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["ro_id"], "LATE");
    assert_eq!(items[0]["concern"]["kind"], "overdue");
    assert_eq!(items[0]["concern"]["minutes_late"], 60);
    assert_eq!(items[0]["reason_zh"], "已超时1小时（承诺 00:30）");
    assert_eq!(items[1]["ro_id"], "RISKY");
    assert_eq!(items[1]["concern"]["kind"], "at_risk");
    // No opening hours (08:30–18:00) lie between 01:30 and the 03:00 promise:
    // no working time left, less the 15-minute buffer.
    assert_eq!(items[1]["concern"]["minutes_left"], -15);
}

#[test]
fn workshop_bay_rates_follow_the_bay_fixture_of_kpis_md() {
    // docs/kpis.md §6.2, 23 Nov: 3 turns on 4 bays, 77,400 s of dwell.
    let mut r = row(23, 0, 0, 0);
    (r.bays_known, r.bay_turns, r.bay_dwell_s) = (4, 3, 77_400);
    (r.bay_occupied_s, r.bay_available_s) = (34_200, 129_600);
    let rates = Rates::of(&r);
    assert_eq!(rates.bay_turns_per_bay, Some(0.75));
    assert_eq!(rates.average_dwell_s, Some(25_800));
    assert_eq!(rates.bay_utilisation_pct, Some(26.4));
    // Truncated like a bay's own average; nothing to average without a turn.
    (r.bay_turns, r.bay_dwell_s) = (2, 5_401);
    assert_eq!(Rates::of(&r).average_dwell_s, Some(2_700));
    r.bay_turns = 0;
    assert_eq!(Rates::of(&r).average_dwell_s, None);
    assert_eq!(Rates::of(&r).bay_turns_per_bay, Some(0.0));
    r.bays_known = 0;
    assert_eq!(Rates::of(&r).bay_turns_per_bay, None);
}

#[test]
fn output_per_bay_divides_the_days_output_by_its_bays_half_to_even() {
    // docs/kpis.md §6.2: the golden day's 产值, 163,274 fen, on the bay
    // fixture's 4 bays: 163,274 ÷ 4 = 40,818.5 → 40,818 (the tie goes to the
    // even fen, not up to 40,819).
    let mut r = row(23, 163_274, 3, 0);
    r.bays_known = 4;
    assert_eq!(Rates::of(&r).output_per_bay_fen, Some(40_818));
    // On 3 bays: 163,274 ÷ 3 = 54,424.67 → 54,425 (rounded, not cut to 54,424).
    r.bays_known = 3;
    assert_eq!(Rates::of(&r).output_per_bay_fen, Some(54_425));
    // No bay: nothing to divide by.
    r.bays_known = 0;
    assert_eq!(Rates::of(&r).output_per_bay_fen, None);
}

/// Attended, worked and sold seconds.
fn seconds(attended: i64, worked: i64, sold: i64) -> TechnicianSeconds {
    TechnicianSeconds {
        attended,
        worked,
        sold,
    }
}

#[test]
fn technician_totals_sum_the_seconds_then_divide() {
    use super::resources::TechnicianTotals;
    // The technician fixture's day (engine::golden_technicians, kpis.md §5.3):
    // 81,000 s attended, 18,000 worked, 10,800 sold over three technicians.
    let formulas = TechnicianRateFormulas::default();
    let day = |d, seconds| {
        TechnicianTotals::new(&formulas, NaiveDate::from_ymd_opt(2026, 11, d), 3, seconds)
    };
    let d23 = day(23, seconds(81_000, 18_000, 10_800));
    assert_eq!(
        (
            d23.rates.utilisation_pct,
            d23.rates.efficiency_pct,
            d23.rates.productivity_pct
        ),
        (Some(22.2), Some(60.0), Some(13.3))
    );
    // A second day with no job time: its efficiency is unknown (null), and
    // the period's is the summed seconds' (10,800 ÷ 18,000), not an average.
    let d24 = day(24, seconds(30_000, 0, 0));
    assert_eq!(d24.rates.efficiency_pct, None);
    let total = TechnicianTotals::sum(&formulas, &[d23, d24]);
    assert_eq!(
        (
            total.technician_days,
            total.attended_s,
            total.rates.efficiency_pct
        ),
        (6, 111_000, Some(60.0))
    );
    assert_eq!(total.rates.utilisation_pct, Some(16.2), "18,000 ÷ 111,000");
    assert_eq!(total.business_date, None);
}

#[test]
fn technician_rates_follow_the_workshops_formulas() {
    use super::resources::TechnicianRates;
    // A group where 生产率 means worked ÷ attended and 工时效率 sold ÷
    // attended (kpis.md §5.4), on the fixture day's seconds: 81,000 s
    // attended, 18,000 worked, 10,800 sold.
    let formulas = TechnicianRateFormulas {
        efficiency: "sold/attended".parse().expect("formula"),
        productivity: "worked/attended".parse().expect("formula"),
        ..TechnicianRateFormulas::default()
    };
    let rates = TechnicianRates::of(&formulas, seconds(81_000, 18_000, 10_800));
    assert_eq!(
        (
            rates.utilisation_pct,
            rates.efficiency_pct,
            rates.productivity_pct
        ),
        (Some(22.2), Some(13.3), Some(22.2)),
        "18,000 ÷ 81,000; 10,800 ÷ 81,000; 18,000 ÷ 81,000"
    );
    // Three different formulas, so no rate can borrow another's.
    let rotated = TechnicianRateFormulas {
        utilisation: "sold/worked".parse().expect("formula"),
        efficiency: "worked/attended".parse().expect("formula"),
        productivity: "attended/worked".parse().expect("formula"),
    };
    let rates = TechnicianRates::of(&rotated, seconds(81_000, 18_000, 10_800));
    assert_eq!(
        (
            rates.utilisation_pct,
            rates.efficiency_pct,
            rates.productivity_pct
        ),
        (Some(60.0), Some(22.2), Some(450.0)),
        "10,800 ÷ 18,000; 18,000 ÷ 81,000; 81,000 ÷ 18,000"
    );
    let period = super::resources::TechnicianTotals::sum(
        &formulas,
        &[super::resources::TechnicianTotals::new(
            &formulas,
            None,
            3,
            seconds(81_000, 0, 10_800),
        )],
    );
    assert_eq!(
        (period.rates.efficiency_pct, period.rates.productivity_pct),
        (Some(13.3), Some(0.0))
    );
}

#[tokio::test]
async fn period_endpoints_refuse_a_period_they_cannot_read() {
    for endpoint in ["technicians/totals", "clock-adjustments"] {
        for query in [
            "from=2026-11-24&to=2026-11-23",
            "from=2025-11-21&to=2026-11-23", // 368 days
            "from=2026-11-23&to=tomorrow",
            "from=2026-11-23",
        ] {
            let uri = format!("/api/v1/workshops/W001/{endpoint}?{query}");
            let (status, body) = get(state(), &uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        }
        // One day and 366 days are periods: they reach the store (which
        // answers, or is not running here: 503), not a 400.
        for query in [
            "from=2026-11-23&to=2026-11-23",
            "from=2025-11-23&to=2026-11-23",
        ] {
            let uri = format!("/api/v1/workshops/W001/{endpoint}?{query}");
            let (status, body) = get(state(), &uri).await;
            assert_ne!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        }
    }
}
