//! The day-close scheduler end to end: `run` publishes `day_closed` through the
//! real broker once closing time plus grace has passed, and the engine ends a
//! forgotten shift clock-on at closing time — in the KPI table and in
//! `recompute` alike.

use chrono::{TimeZone, Utc};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use workshop_pulse::clock::FixedClock;
use workshop_pulse::events::Topic;
use workshop_pulse_e2e::TestEnv;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_clock_on_ends_at_closing_time_when_the_day_is_closed() {
    let mut env = TestEnv::new("dayclose").await;
    env.config.day_close.enabled = true;
    env.config.day_close.check_every_secs = 1;
    let shift_on = json!({
        "schema": 1, "event_id": "WB-shift-on", "workshop_id": "WB",
        "occurred_at": "2026-11-23T08:00:00.000+08:00", "type": "shift_on", "technician_id": "T01"
    });
    env.produce(Topic::Clock, "WB", shift_on.to_string().as_bytes())
        .await;

    // 20:00 in Shanghai: past closing (18:00) plus the default 60 minutes of grace.
    let clock = Arc::new(FixedClock(
        Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
            .single()
            .unwrap_or_default(),
    ));
    let pipeline = env.start_pipeline(clock).await;
    let store = env.store();
    let deadline = Instant::now() + Duration::from_secs(60);
    let closed = loop {
        let ids: Vec<String> = store
            .client()
            .query(
                "SELECT event_id FROM events_raw WHERE event_type = 'day_closed' ORDER BY event_id",
            )
            .fetch_all()
            .await
            .unwrap_or_default();
        if ids.len() == 2 {
            break ids;
        }
        assert!(
            Instant::now() < deadline,
            "no day_closed events after 60 s: {ids:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(closed, ["day-closed-WB-20261122", "day-closed-WB-20261123"]);
    env.wait_until_committed(Duration::from_secs(30)).await;

    let row: (i64, u32) = store
        .client()
        .query(
            "SELECT attended_s, auto_closed FROM kpi_technician_day FINAL \
             WHERE workshop_id = 'WB' AND technician_id = 'T01' AND business_date = '2026-11-23'",
        )
        .fetch_one()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        row,
        (10 * 3600, 1),
        "08:00 to the 18:00 closing time, flagged"
    );

    let report = workshop_pulse::app::recompute(&env.config, Default::default(), true)
        .await
        .unwrap_or_else(|e| panic!("recompute: {e}"));
    assert!(
        report.technician_mismatches.is_empty(),
        "{:#?}",
        report.technician_mismatches
    );
    assert!(report.mismatches.is_empty(), "{:#?}", report.mismatches);

    pipeline
        .stop()
        .await
        .unwrap_or_else(|e| panic!("pipeline: {e}"));
    env.cleanup().await;
}
