//! Each rejection reason of [`super::decode`], with the exact reason code and a
//! detail that names what was wrong.

use super::{EventBody, Fen, RejectReason, Topic, decode};
use serde_json::{Value, json};

fn settled() -> Value {
    json!({
        "schema": 1,
        "event_id": "W001-20261123-00042",
        "workshop_id": "W001",
        "occurred_at": "2026-11-23T16:40:00.000+08:00",
        "type": "settled",
        "ro_id": "RO-0007",
        "invoice_no": "INV-0007",
        "payer": "customer",
        "labour_fen": 40000,
        "parts_fen": 70000,
        "other_fen": 3000,
        "discount_fen": 3000,
        "tax_rate_bp": 1300
    })
}

fn refused(topic: Topic, bytes: &[u8]) -> (RejectReason, String) {
    match decode(topic, bytes) {
        Ok(event) => panic!("expected a refusal, decoded {event:?}"),
        Err(e) => (e.reason, e.detail),
    }
}

fn refused_json(value: &Value) -> (RejectReason, String) {
    refused(Topic::RepairOrders, value.to_string().as_bytes())
}

fn with(field: &str, value: Value) -> Value {
    let mut v = settled();
    v[field] = value;
    v
}

fn without(field: &str) -> Value {
    let mut v = settled();
    v.as_object_mut().expect("object").remove(field);
    v
}

#[test]
fn a_valid_settlement_decodes_with_exact_amounts() {
    let event = decode(Topic::RepairOrders, settled().to_string().as_bytes()).expect("valid");
    assert_eq!(event.workshop_id.as_str(), "W001");
    assert_eq!(event.occurred_at_ms(), 1_795_423_200_000);
    match event.body {
        EventBody::Settled {
            labour_fen,
            discount_fen,
            tax_rate_bp,
            ..
        } => {
            assert_eq!(labour_fen.fen(), Fen(40_000));
            assert_eq!(discount_fen.fen(), Fen(3_000));
            assert_eq!(tax_rate_bp.bp(), 1300);
        }
        other => panic!("decoded as {other:?}"),
    }
}

/// A red-letter invoice (红字发票) reversing the settlement above.
fn reversal() -> Value {
    let mut v = settled();
    v["invoice_no"] = json!("INV-0007-R");
    for (field, fen) in [
        ("labour_fen", -40_000),
        ("parts_fen", -70_000),
        ("other_fen", -3_000),
        ("discount_fen", -3_000),
    ] {
        v[field] = json!(fen);
    }
    v
}

#[test]
fn a_red_letter_invoice_decodes_with_negative_amounts_of_one_sign() {
    let event = decode(Topic::RepairOrders, reversal().to_string().as_bytes()).expect("valid");
    match event.body {
        EventBody::Settled {
            labour_fen,
            discount_fen,
            ..
        } => assert_eq!(
            (labour_fen.fen(), discount_fen.fen()),
            (Fen(-40_000), Fen(-3_000))
        ),
        other => panic!("decoded as {other:?}"),
    }
    let mut mixed = reversal();
    mixed["discount_fen"] = json!(3_000);
    let (reason, detail) = refused_json(&mixed);
    assert_eq!(reason, RejectReason::InvalidValue);
    assert!(detail.contains("never mixed"), "{detail}");
    let mut too_much_off = reversal();
    too_much_off["discount_fen"] = json!(-113_001);
    let (reason, detail) = refused_json(&too_much_off);
    assert_eq!(reason, RejectReason::InvalidValue);
    assert!(
        detail.contains("exceeds labour + parts + other"),
        "{detail}"
    );
}

#[test]
fn not_utf8() {
    let (reason, detail) = refused(Topic::RepairOrders, b"{\"schema\":1,\xff}");
    assert_eq!(reason, RejectReason::NotUtf8);
    assert!(detail.contains("byte 12"), "{detail}");
}

#[test]
fn oversized() {
    let big = vec![b' '; super::MAX_EVENT_BYTES + 1];
    assert_eq!(refused(Topic::Clock, &big).0, RejectReason::Oversized);
}

#[test]
fn not_json_and_not_an_object() {
    assert_eq!(
        refused(Topic::Bays, b"{\"schema\":1,").0,
        RejectReason::NotJson
    );
    assert_eq!(refused(Topic::Bays, b"").0, RejectReason::NotJson);
    let (reason, detail) = refused(Topic::Bays, b"[1,2]");
    assert_eq!(reason, RejectReason::NotAnObject);
    assert!(detail.contains("an array"), "{detail}");
}

#[test]
fn unsupported_schema_versions() {
    let (reason, detail) = refused_json(&with("schema", json!(2)));
    assert_eq!(reason, RejectReason::UnsupportedSchema);
    assert!(detail.contains("schema 2"), "{detail}");
    assert_eq!(
        refused_json(&with("schema", json!("1"))).0,
        RejectReason::WrongType
    );
    assert_eq!(
        refused_json(&without("schema")).0,
        RejectReason::MissingField
    );
}

#[test]
fn unknown_type_and_wrong_topic() {
    let (reason, detail) = refused_json(&with("type", json!("car_teleported")));
    assert_eq!(reason, RejectReason::UnknownType);
    assert!(detail.contains("car_teleported"), "{detail}");
    let (reason, detail) = refused(Topic::Bays, settled().to_string().as_bytes());
    assert_eq!(reason, RejectReason::WrongTopic);
    assert!(detail.contains("workshop.repair-orders"), "{detail}");
}

#[test]
fn missing_fields_are_named() {
    for field in [
        "event_id",
        "workshop_id",
        "occurred_at",
        "type",
        "ro_id",
        "tax_rate_bp",
    ] {
        let (reason, detail) = refused_json(&without(field));
        assert_eq!(reason, RejectReason::MissingField, "{field}: {detail}");
        assert!(detail.contains(field), "{field}: {detail}");
    }
}

#[test]
fn wrong_types_are_named() {
    let (reason, detail) = refused_json(&with("labour_fen", json!("400.00")));
    assert_eq!(reason, RejectReason::WrongType);
    assert!(detail.contains("invalid type"), "{detail}");
    assert_eq!(
        refused_json(&with("type", json!(7))).0,
        RejectReason::WrongType
    );
    assert_eq!(
        refused_json(&with("occurred_at", json!(1_795_423_200))).0,
        RejectReason::WrongType
    );
}

#[test]
fn impossible_values() {
    let cases = [
        (with("labour_fen", json!(-1)), "never mixed"),
        (with("parts_fen", json!(-10_000_000_001_i64)), "exceeds"),
        (with("parts_fen", json!(10_000_000_001_i64)), "exceeds"),
        (
            with("discount_fen", json!(113_001)),
            "exceeds labour + parts + other",
        ),
        (with("tax_rate_bp", json!(10_001)), "outside 0..=10000"),
        (with("payer", json!("aliens")), "unknown variant"),
        (with("workshop_id", json!("W 001")), "not allowed"),
        (with("event_id", json!("")), "empty"),
        (
            with("occurred_at", json!("2026-11-23T16:40:00")),
            "RFC 3339",
        ),
        (
            with("occurred_at", json!("2026-11-23T16:40:00.0001+08:00")),
            "milliseconds",
        ),
        (
            with("occurred_at", json!("1999-12-31T23:59:59Z")),
            "2000 to 2099",
        ),
    ];
    for (value, expected) in cases {
        let (reason, detail) = refused_json(&value);
        assert_eq!(reason, RejectReason::InvalidValue, "{value}: {detail}");
        assert!(detail.contains(expected), "{expected:?} not in {detail:?}");
    }
}

#[test]
fn payload_rules_beyond_types() {
    let base = json!({
        "schema": 1, "event_id": "e1", "workshop_id": "W001",
        "occurred_at": "2026-11-23T09:00:00+08:00", "type": "follow_up_recorded",
        "ro_id": "RO-1", "reached": true, "satisfaction": 6
    });
    let (reason, detail) = refused_json(&base);
    assert_eq!(reason, RejectReason::InvalidValue);
    assert!(detail.contains("satisfaction 6"), "{detail}");
    let job = json!({
        "schema": 1, "event_id": "e2", "workshop_id": "W001",
        "occurred_at": "2026-11-23T09:00:00+08:00", "type": "job_added",
        "ro_id": "RO-1", "job_id": "J1", "labour_operation": "OP1", "standard_minutes": 0
    });
    assert_eq!(refused_json(&job).0, RejectReason::InvalidValue);
    let vin = json!({
        "schema": 1, "event_id": "e3", "workshop_id": "W001",
        "occurred_at": "2026-11-23T09:00:00+08:00", "type": "bay_occupied",
        "bay_id": "B1", "ro_id": "RO-1", "vin": "NOT-A-VIN"
    });
    let (reason, detail) = refused(Topic::Bays, vin.to_string().as_bytes());
    assert_eq!(reason, RejectReason::InvalidValue);
    assert!(detail.contains("VIN"), "{detail}");
}

#[test]
fn reason_codes_are_stable() {
    let codes: Vec<&str> = [
        RejectReason::NotUtf8,
        RejectReason::Oversized,
        RejectReason::NotJson,
        RejectReason::NotAnObject,
        RejectReason::MissingField,
        RejectReason::WrongType,
        RejectReason::InvalidValue,
        RejectReason::UnsupportedSchema,
        RejectReason::UnknownType,
        RejectReason::WrongTopic,
        RejectReason::ConflictingDuplicate,
        RejectReason::UnknownWorkshop,
        RejectReason::KeyMismatch,
    ]
    .iter()
    .map(|r| r.code())
    .collect();
    assert_eq!(
        codes,
        [
            "not_utf8",
            "oversized",
            "not_json",
            "not_an_object",
            "missing_field",
            "wrong_type",
            "invalid_value",
            "unsupported_schema",
            "unknown_type",
            "wrong_topic",
            "conflicting_duplicate",
            "unknown_workshop",
            "key_mismatch"
        ]
    );
}

/// The one-pass fast path must never accept what the slow, checking path
/// refuses, and must give the same event for what both accept.
fn same_as_the_checking_path(topic: Topic, text: &str) -> bool {
    use super::decode::{decode_checked, decode_valid};
    let fast = decode_valid(topic, text);
    match decode_checked(topic, text) {
        Ok(slow) => {
            assert_eq!(decode(topic, text.as_bytes()), Ok(slow.clone()), "{text}");
            fast.is_none_or(|f| f == slow)
        }
        Err(_) => fast.is_none(),
    }
}

#[test]
fn the_fast_path_agrees_with_the_checking_path() {
    let base = settled().to_string();
    assert!(
        super::decode::decode_valid(Topic::RepairOrders, &base).is_some(),
        "a valid event takes the fast path"
    );
    let variants: Vec<String> = vec![
        base.clone(),
        // Duplicate keys, in the envelope and in the body: serde_json's map
        // keeps the last, a typed struct refuses — the slow path decides.
        base.replacen('{', r#"{"event_id":"X-1","#, 1),
        base.replacen('{', r#"{"ro_id":"RO-FIRST","#, 1),
        base.replacen('{', r#"{"labour_fen":1,"#, 1),
        base.replacen('{', r#"{"type":"delivered","#, 1),
        // Extra fields, nulls, wrong types, numbers written as floats or text.
        with("extra", json!({"a": 1})).to_string(),
        with("schema", json!(1.0)).to_string(),
        with("schema", json!("1")).to_string(),
        with("schema", json!(2)).to_string(),
        with("event_id", Value::Null).to_string(),
        with("occurred_at", json!("2026-11-23T16:40:00.0001+08:00")).to_string(),
        with("occurred_at", json!("2026-11-23 16:40:00")).to_string(),
        with("labour_fen", json!(100.0)).to_string(),
        with("labour_fen", json!(-1)).to_string(),
        with("labour_fen", json!(u64::MAX)).to_string(),
        with("tax_rate_bp", json!("1300")).to_string(),
        with("payer", json!("nobody")).to_string(),
        with("type", json!("no_such_type")).to_string(),
        with("ro_id", json!("RO 7")).to_string(),
        with("ro_id", json!("RO-\u{4e03}")).to_string(),
        with("ro_id", json!("RO\\u002D7")).to_string(),
    ];
    for text in &variants {
        for topic in Topic::ALL {
            assert!(same_as_the_checking_path(topic, text), "{topic:?} {text}");
        }
    }
}

#[test]
fn the_fast_path_agrees_on_every_documented_event() {
    for example in super::docs_examples::all_example_texts() {
        for topic in Topic::ALL {
            assert!(same_as_the_checking_path(topic, &example), "{example}");
        }
    }
}
