//! The foundation slice end to end, against the Apache Kafka broker and the
//! ClickHouse server the project's scripts start: a scripted day for two
//! workshops (with malformed messages) goes in through Kafka; the test asserts
//! the exact rows in `events_raw` and `dead_letters`, the dead-letter topic, the
//! exact KPI values from the HTTP API and the KPI table, a live SSE update, and
//! that the committed offsets reach the end of every partition.

use chrono::{TimeZone, Utc};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use workshop_pulse::clock::FixedClock;
use workshop_pulse::events::Topic;
use workshop_pulse_e2e::{TestEnv, check_services, state_dir};

fn event(id: &str, workshop: &str, at: &str, kind: &str, fields: Value) -> Vec<u8> {
    let mut v = json!({
        "schema": 1, "event_id": id, "workshop_id": workshop,
        "occurred_at": at, "type": kind,
    });
    if let (Some(o), Value::Object(extra)) = (v.as_object_mut(), fields) {
        o.extend(extra);
    }
    v.to_string().into_bytes()
}

fn opened(id: &str, ws: &str, at: &str, ro: &str, job_type: &str) -> Vec<u8> {
    event(
        id,
        ws,
        at,
        "ro_opened",
        json!({
            "ro_id": ro, "vin": "LSVAU2180N2123456", "plate": "沪A12345",
            "advisor_id": "SA1", "job_type": job_type, "complaint_codes": ["C012"],
            "promised_at": "2026-11-23T17:00:00.000+08:00"
        }),
    )
}

fn settled(id: &str, ws: &str, at: &str, ro: &str, amounts: [i64; 4]) -> Vec<u8> {
    let [labour, parts, other, discount] = amounts;
    event(
        id,
        ws,
        at,
        "settled",
        json!({
            "ro_id": ro, "invoice_no": format!("INV-{ro}"), "payer": "customer",
            "labour_fen": labour, "parts_fen": parts, "other_fen": other,
            "discount_fen": discount, "tax_rate_bp": 1300
        }),
    )
}

fn ro_event(id: &str, ws: &str, at: &str, kind: &str, ro: &str) -> Vec<u8> {
    event(
        id,
        ws,
        at,
        kind,
        json!({ "ro_id": ro, "reason": "customer declined" }),
    )
}

/// (topic, key, bytes) of the valid part of the day. Workshop WA is the engine's
/// golden day (see pipeline/src/engine/tests.rs for the hand computation).
fn valid_day() -> Vec<(Topic, &'static str, Vec<u8>)> {
    use Topic::*;
    vec![
        (
            RepairOrders,
            "WA",
            opened(
                "WA-01",
                "WA",
                "2026-11-22T17:00:00.000+08:00",
                "RO6",
                "maintenance",
            ),
        ),
        (
            RepairOrders,
            "WA",
            settled(
                "WA-02",
                "WA",
                "2026-11-23T08:40:00.000+08:00",
                "RO6",
                [10_000, 10_000, 0, 2_000],
            ),
        ),
        (
            RepairOrders,
            "WA",
            event(
                "WA-03",
                "WA",
                "2026-11-23T08:45:00.000+08:00",
                "delivered",
                json!({"ro_id": "RO6"}),
            ),
        ),
        (
            RepairOrders,
            "WA",
            opened(
                "WA-04",
                "WA",
                "2026-11-23T09:00:00.000+08:00",
                "RO1",
                "maintenance",
            ),
        ),
        (
            RepairOrders,
            "WA",
            opened(
                "WA-05",
                "WA",
                "2026-11-23T09:30:00.000+08:00",
                "RO2",
                "repair",
            ),
        ),
        (
            RepairOrders,
            "WA",
            opened(
                "WA-06",
                "WA",
                "2026-11-23T10:00:00.000+08:00",
                "RO3",
                "internal",
            ),
        ),
        (
            RepairOrders,
            "WA",
            opened(
                "WA-07",
                "WA",
                "2026-11-23T10:30:00.000+08:00",
                "RO4",
                "maintenance",
            ),
        ),
        (
            RepairOrders,
            "WA",
            ro_event(
                "WA-08",
                "WA",
                "2026-11-23T10:45:00.000+08:00",
                "cancelled",
                "RO4",
            ),
        ),
        (
            RepairOrders,
            "WA",
            settled(
                "WA-09",
                "WA",
                "2026-11-23T11:00:00.000+08:00",
                "RO1",
                [20_000, 36_500, 0, 0],
            ),
        ),
        (
            RepairOrders,
            "WA",
            event(
                "WA-10",
                "WA",
                "2026-11-23T11:10:00.000+08:00",
                "delivered",
                json!({"ro_id": "RO1"}),
            ),
        ),
        (
            RepairOrders,
            "WA",
            opened(
                "WA-11",
                "WA",
                "2026-11-23T14:00:00.000+08:00",
                "RO5",
                "accident_bodyshop",
            ),
        ),
        (
            RepairOrders,
            "WA",
            settled(
                "WA-12",
                "WA",
                "2026-11-23T15:00:00.000+08:00",
                "RO2",
                [40_000, 70_000, 3_000, 3_000],
            ),
        ),
        (
            RepairOrders,
            "WA",
            event(
                "WA-13",
                "WA",
                "2026-11-23T15:20:00.000+08:00",
                "delivered",
                json!({"ro_id": "RO2"}),
            ),
        ),
        (
            Clock,
            "WB",
            event(
                "WB-01",
                "WB",
                "2026-11-23T08:00:00.000+08:00",
                "shift_on",
                json!({"technician_id": "T01"}),
            ),
        ),
        (
            RepairOrders,
            "WB",
            opened(
                "WB-02",
                "WB",
                "2026-11-23T08:50:00.000+08:00",
                "RB1",
                "maintenance",
            ),
        ),
        (
            RepairOrders,
            "WB",
            settled(
                "WB-03",
                "WB",
                "2026-11-23T10:10:00.000+08:00",
                "RB1",
                [15_000, 30_000, 5_000, 5_000],
            ),
        ),
        (
            RepairOrders,
            "WB",
            event(
                "WB-04",
                "WB",
                "2026-11-23T10:20:00.000+08:00",
                "delivered",
                json!({"ro_id": "RB1"}),
            ),
        ),
        (
            RepairOrders,
            "WB",
            opened(
                "WB-05",
                "WB",
                "2026-11-23T13:00:00.000+08:00",
                "RB2",
                "repair",
            ),
        ),
        (
            Bays,
            "WB",
            event(
                "WB-06",
                "WB",
                "2026-11-23T13:10:00.000+08:00",
                "bay_occupied",
                json!({"bay_id": "B03", "ro_id": "RB2", "vin": "LSVAU2180N2123457"}),
            ),
        ),
    ]
}

/// (topic, key, bytes, expected reason code) of the malformed messages.
fn malformed() -> Vec<(Topic, &'static str, Vec<u8>, &'static str)> {
    use Topic::*;
    let mut missing_ro = serde_json::from_slice::<Value>(&settled(
        "BAD-04",
        "WA",
        "2026-11-23T12:00:00.000+08:00",
        "RO1",
        [1, 1, 0, 0],
    ))
    .unwrap_or(Value::Null);
    if let Some(o) = missing_ro.as_object_mut() {
        o.remove("ro_id");
    }
    vec![
        (RepairOrders, "WA", b"this is not json".to_vec(), "not_json"),
        (
            RepairOrders,
            "WA",
            String::from_utf8_lossy(&opened(
                "BAD-02",
                "WA",
                "2026-11-23T12:00:00.000+08:00",
                "RO7",
                "repair",
            ))
            .replace("\"schema\":1", "\"schema\":2")
            .into_bytes(),
            "unsupported_schema",
        ),
        (
            RepairOrders,
            "WA",
            event(
                "BAD-03",
                "WA",
                "2026-11-23T12:00:00.000+08:00",
                "ro_teleported",
                json!({"ro_id": "RO1"}),
            ),
            "unknown_type",
        ),
        (
            RepairOrders,
            "WA",
            missing_ro.to_string().into_bytes(),
            "missing_field",
        ),
        (
            RepairOrders,
            "WA",
            settled(
                "BAD-05",
                "WA",
                "2026-11-23T12:00:00.000+08:00",
                "RO1",
                [-5, 100, 0, 0], // mixed signs: neither an invoice nor a reversal
            ),
            "invalid_value",
        ),
        (Clock, "WB", b"\xff\xfe{}".to_vec(), "not_utf8"),
        (
            Bays,
            "WA",
            settled(
                "BAD-07",
                "WA",
                "2026-11-23T12:00:00.000+08:00",
                "RO1",
                [1, 0, 0, 0],
            ),
            "wrong_topic",
        ),
        (
            RepairOrders,
            "WB",
            settled(
                "BAD-08",
                "WA",
                "2026-11-23T12:00:00.000+08:00",
                "RO1",
                [1, 0, 0, 0],
            ),
            "key_mismatch",
        ),
        // Same id as WA-09, other amounts: produced after WA-09 on the same partition.
        (
            RepairOrders,
            "WA",
            settled(
                "WA-09",
                "WA",
                "2026-11-23T11:00:00.000+08:00",
                "RO1",
                [99_000, 0, 0, 0],
            ),
            "conflicting_duplicate",
        ),
    ]
}

fn kpis(v: &Value) -> [i64; 6] {
    [
        "output_value_fen",
        "intake",
        "wip",
        "settled_ros",
        "output_per_vehicle_fen",
        "output_target_fen",
    ]
    .map(|k| v[k].as_i64().unwrap_or(i64::MIN))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_day_travels_from_kafka_to_clickhouse_and_the_board() {
    let env = TestEnv::new("foundation").await;

    // It is the Apache Kafka the scripts started: broker 1, our cluster id.
    let identity =
        workshop_pulse::kafka::admin::wait_ready(&env.config.kafka, Duration::from_secs(10))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    let cluster_file = state_dir().join("kafka/cluster-id");
    let ours = std::fs::read_to_string(&cluster_file).unwrap_or_else(|e| {
        panic!(
            "{} ({e}); the broker must be started by docker/local/services.sh",
            cluster_file.display()
        )
    });
    assert_eq!(identity.broker_ids, vec![1]);
    assert_eq!(
        identity.cluster_id,
        ours.trim(),
        "the broker is not the one the project formatted"
    );

    // The day, interleaved with malformed messages and one exact duplicate.
    let valid = valid_day();
    for (topic, key, bytes) in &valid {
        env.produce(*topic, key, bytes).await;
    }
    env.produce(valid[11].0, valid[11].1, &valid[11].2).await; // WA-12 again, same bytes
    let bad = malformed();
    for (topic, key, bytes, _) in &bad {
        env.produce(*topic, key, bytes).await;
    }

    // 18:00 in Shanghai on the scripted day.
    let clock = Arc::new(FixedClock(
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
            .single()
            .unwrap_or_default(),
    ));
    let pipeline = env.start_pipeline(clock).await;
    env.wait_until_committed(Duration::from_secs(60)).await;

    // events_raw: exactly the valid events, once each, on their business days.
    let store = env.store();
    let rows: Vec<(String, String, String, String)> = store
        .client()
        .query("SELECT event_id, workshop_id, event_type, toString(business_date) FROM events_raw FINAL ORDER BY event_id")
        .fetch_all()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected_rows: Vec<(String, String, String, String)> = valid
        .iter()
        .map(|(_, _, bytes)| {
            let v: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
            let date = if v["event_id"] == "WA-01" {
                "2026-11-22"
            } else {
                "2026-11-23"
            };
            (
                v["event_id"].as_str().unwrap_or_default().to_string(),
                v["workshop_id"].as_str().unwrap_or_default().to_string(),
                v["type"].as_str().unwrap_or_default().to_string(),
                date.to_string(),
            )
        })
        .collect();
    expected_rows.sort();
    assert_eq!(rows, expected_rows);
    let physical: u64 = store
        .client()
        .query("SELECT count() FROM events_raw")
        .fetch_one()
        .await
        .unwrap_or(0);
    assert_eq!(
        physical,
        valid.len() as u64,
        "the duplicate was not inserted at all"
    );

    // dead_letters: every malformed message, its reason, its original bytes.
    let dead: Vec<(String, String, String)> = store
        .client()
        .query("SELECT reason_code, message_key, hex(payload) FROM dead_letters FINAL ORDER BY reason_code")
        .fetch_all()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected_dead: Vec<(String, String, String)> = bad
        .iter()
        .map(|(_, key, bytes, code)| (code.to_string(), key.to_string(), hex::encode_upper(bytes)))
        .collect();
    expected_dead.sort();
    assert_eq!(dead, expected_dead);

    // The dead-letter topic got each of them, with the reason in the headers.
    let mut dlq_reasons = dead_letter_topic_reasons(&env, bad.len()).await;
    dlq_reasons.sort();
    let mut expected_reasons: Vec<String> = bad.iter().map(|b| b.3.to_string()).collect();
    expected_reasons.sort();
    assert_eq!(dlq_reasons, expected_reasons);

    // The API: hand-computed values (engine tests show the arithmetic).
    let wa = pipeline.get_json("/api/v1/workshops/WA/kpis/today").await;
    assert_eq!(wa["business_date"], "2026-11-23");
    assert_eq!(kpis(&wa), [163_274, 3, 2, 3, 54_425, 4_000_000], "{wa}");
    let wb = pipeline.get_json("/api/v1/workshops/WB/kpis/today").await;
    // (150 + 300 + 50 − 50 yuan) ÷ 1.13 = 398.23 yuan.
    assert_eq!(kpis(&wb), [39_823, 2, 1, 1, 39_823, 4_000_000], "{wb}");

    // The KPI table holds the same numbers.
    let table: Vec<(String, String, i64, u32, u32, u32)> = store
        .client()
        .query("SELECT workshop_id, toString(business_date), output_value_fen, intake, wip, settled_ros FROM kpi_workshop_day FINAL ORDER BY workshop_id, business_date")
        .fetch_all()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        table,
        vec![
            ("WA".into(), "2026-11-22".into(), 0, 1, 1, 0),
            ("WA".into(), "2026-11-23".into(), 163_274, 3, 2, 3),
            ("WB".into(), "2026-11-23".into(), 39_823, 2, 1, 1),
        ]
    );

    // The attention list at 18:00: RO3 and RO5 were promised for 17:00.
    let attention = pipeline.get_json("/api/v1/workshops/WA/attention").await;
    let late: Vec<(&str, i64)> = attention["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    (
                        i["ro_id"].as_str().unwrap_or_default(),
                        i["concern"]["minutes_late"].as_i64().unwrap_or(-1),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(late, vec![("RO3", 60), ("RO5", 60)], "{attention}");
    assert_eq!(attention["open_repair_orders"], 2);

    // Readiness names the same broker.
    let ready = pipeline.get_json("/readyz").await;
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["kafka"]["cluster_id"], ours.trim());

    // Live: a new settlement reaches an open SSE stream without a reload.
    let response = reqwest::get(pipeline.url("/api/v1/workshops/WA/kpis/stream"))
        .await
        .unwrap_or_else(|e| panic!("SSE: {e}"));
    let mut sse = response.bytes_stream().eventsource();
    let first = next_kpi(&mut sse).await;
    assert_eq!(kpis(&first), kpis(&wa), "the stream opens with today's row");
    env.produce(
        Topic::RepairOrders,
        "WA",
        &settled(
            "WA-14",
            "WA",
            "2026-11-23T16:30:00.000+08:00",
            "RO5",
            [100_000, 200_000, 0, 0],
        ),
    )
    .await;
    // 3,000 yuan ÷ 1.13 = 2,654.87; 163,274 + 265,487 = 428,761; ÷ 4 = 107,190.25.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let update = tokio::time::timeout_at(deadline.into(), next_kpi(&mut sse))
            .await
            .unwrap_or_else(|_| panic!("no SSE update with the new settlement within 30 s"));
        if update["output_value_fen"] == 428_761 {
            assert_eq!(kpis(&update), [428_761, 3, 2, 4, 107_190, 4_000_000]);
            break;
        }
    }
    env.wait_until_committed(Duration::from_secs(30)).await;
    let stored: i64 = store
        .client()
        .query("SELECT output_value_fen FROM kpi_workshop_day FINAL WHERE workshop_id = 'WA' AND business_date = '2026-11-23'")
        .fetch_one()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored, 428_761);

    // A batch recomputation from events_raw gives exactly what streaming wrote.
    let report = workshop_pulse::app::recompute(&env.config, Default::default(), true)
        .await
        .unwrap_or_else(|e| panic!("recompute: {e}"));
    assert_eq!(
        report.events,
        valid.len() + 1,
        "the day plus the live settlement"
    );
    assert_eq!(report.rows, 3);
    assert!(report.mismatches.is_empty(), "{:#?}", report.mismatches);
    assert_eq!(report.technician_rows, 1, "WB's technician T01 on the 23rd");
    assert!(
        report.technician_mismatches.is_empty(),
        "{:#?}",
        report.technician_mismatches
    );
    assert_eq!(report.bay_rows, 1, "WB's bay B03 on the 23rd");
    assert!(
        report.bay_mismatches.is_empty(),
        "{:#?}",
        report.bay_mismatches
    );

    pipeline
        .stop()
        .await
        .unwrap_or_else(|e| panic!("pipeline: {e}"));
    // After a clean stop the committed offsets are still at the end.
    let partitions = env.committed_and_ends().unwrap_or_else(|e| panic!("{e}"));
    for (topic, partition, committed, high) in partitions {
        assert_eq!(committed, high, "{topic}/{partition}");
    }
    env.cleanup().await;
}

async fn next_kpi<S>(sse: &mut S) -> Value
where
    S: futures::Stream<
            Item = Result<
                eventsource_stream::Event,
                eventsource_stream::EventStreamError<reqwest::Error>,
            >,
        > + Unpin,
{
    loop {
        let event = sse
            .next()
            .await
            .unwrap_or_else(|| panic!("SSE stream ended"))
            .unwrap_or_else(|e| panic!("SSE: {e}"));
        if event.event == "kpi" {
            return serde_json::from_str(&event.data)
                .unwrap_or_else(|e| panic!("SSE data {}: {e}", event.data));
        }
    }
}

async fn dead_letter_topic_reasons(env: &TestEnv, expected: usize) -> Vec<String> {
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", &env.config.kafka.brokers)
        .set(
            "group.id",
            format!("{}-dlq-reader", env.config.kafka.group_id),
        )
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap_or_else(|e| panic!("{e}"));
    consumer
        .subscribe(&[&env.names.dead_letters()])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut reasons = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while reasons.len() < expected && Instant::now() < deadline {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(200)) {
            let headers: BTreeMap<String, String> = m
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|h| {
                            (
                                h.key.to_string(),
                                String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            assert!(headers.contains_key("reason"), "{headers:?}");
            assert!(headers.contains_key("source_offset"), "{headers:?}");
            reasons.push(headers.get("reason_code").cloned().unwrap_or_default());
        }
    }
    reasons
}

#[tokio::test]
async fn missing_services_fail_with_the_command_that_starts_them() {
    let kafka = workshop_pulse::config::KafkaConfig {
        brokers: "127.0.0.1:1".into(),
        ..Default::default()
    };
    let clickhouse = workshop_pulse::config::ClickHouseConfig {
        url: "http://127.0.0.1:1".into(),
        ..Default::default()
    };
    let message = check_services(&kafka, &clickhouse)
        .await
        .expect_err("nothing listens on port 1");
    assert!(
        message.contains("docker/local/services.sh start"),
        "{message}"
    );
    assert!(message.contains("Kafka at 127.0.0.1:1"), "{message}");
    assert!(
        message.contains("ClickHouse at http://127.0.0.1:1"),
        "{message}"
    );
}
