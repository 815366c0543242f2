//! Raw message bytes → [`Event`], or a precise reason why not. Every check the
//! pipeline makes on input happens here, once, at the edge.

use super::Event;
use super::body::{EventBody, topic_of_type};
use super::ids::{EventId, WorkshopId};
use super::topic::Topic;
use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use serde_json::{Map, Value};
use std::fmt;

/// The only schema version this build understands.
pub const SCHEMA_VERSION: u16 = 1;

/// Messages larger than this are refused before parsing.
pub const MAX_EVENT_BYTES: usize = 64 * 1024;

/// Why a message was refused; the code is stored with every dead letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectReason {
    /// The bytes are not UTF-8.
    NotUtf8,
    /// The message exceeds [`MAX_EVENT_BYTES`].
    Oversized,
    /// The bytes are not JSON.
    NotJson,
    /// The JSON is not an object.
    NotAnObject,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong JSON type.
    WrongType,
    /// A field's value is impossible (negative money, bad id, bad time, …).
    InvalidValue,
    /// `schema` is not a version this build reads.
    UnsupportedSchema,
    /// `type` names no event type of the schema.
    UnknownType,
    /// A known type arrived on a topic it does not belong on.
    WrongTopic,
    /// The same `event_id` arrived earlier with different content.
    ConflictingDuplicate,
    /// The workshop is not configured and unknown workshops are refused.
    UnknownWorkshop,
    /// The Kafka key is absent or is not the event's `workshop_id`, so the event
    /// may sit in another partition than the rest of its workshop.
    KeyMismatch,
}

impl RejectReason {
    /// The stable code stored in `dead_letters.reason_code` and DLQ headers.
    pub fn code(self) -> &'static str {
        match self {
            RejectReason::NotUtf8 => "not_utf8",
            RejectReason::Oversized => "oversized",
            RejectReason::NotJson => "not_json",
            RejectReason::NotAnObject => "not_an_object",
            RejectReason::MissingField => "missing_field",
            RejectReason::WrongType => "wrong_type",
            RejectReason::InvalidValue => "invalid_value",
            RejectReason::UnsupportedSchema => "unsupported_schema",
            RejectReason::UnknownType => "unknown_type",
            RejectReason::WrongTopic => "wrong_topic",
            RejectReason::ConflictingDuplicate => "conflicting_duplicate",
            RejectReason::UnknownWorkshop => "unknown_workshop",
            RejectReason::KeyMismatch => "key_mismatch",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A refused message: the reason code and a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}: {detail}")]
pub struct DecodeError {
    /// The classified reason.
    pub reason: RejectReason,
    /// What exactly was wrong, naming the field.
    pub detail: String,
}

impl DecodeError {
    fn new(reason: RejectReason, detail: impl Into<String>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }
}

/// Decodes and validates one message read from `topic`.
pub fn decode(topic: Topic, bytes: &[u8]) -> Result<Event, DecodeError> {
    use RejectReason::*;
    if bytes.len() > MAX_EVENT_BYTES {
        return Err(DecodeError::new(
            Oversized,
            format!("{} bytes, the limit is {MAX_EVENT_BYTES}", bytes.len()),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        DecodeError::new(
            NotUtf8,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    match decode_valid(topic, text) {
        Some(event) => Ok(event),
        None => decode_checked(topic, text),
    }
}

/// The slow path: every check in order, each refusal with its exact reason.
/// Parses to a `Value` first so that it can name what is missing or mistyped.
pub(super) fn decode_checked(topic: Topic, text: &str) -> Result<Event, DecodeError> {
    use RejectReason::*;
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::new(NotJson, e.to_string()))?;
    let Value::Object(object) = value else {
        return Err(DecodeError::new(
            NotAnObject,
            format!("expected a JSON object, got {}", json_kind(&value)),
        ));
    };

    let schema = required(&object, "schema")?;
    match schema.as_u64() {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(DecodeError::new(
                UnsupportedSchema,
                format!("schema {v} is not supported; this build reads schema {SCHEMA_VERSION}"),
            ));
        }
        None => return Err(wrong_type("schema", "a positive integer", schema)),
    }
    let type_value = required(&object, "type")?;
    let type_name = type_value
        .as_str()
        .ok_or_else(|| wrong_type("type", "a string", type_value))?;
    let home = topic_of_type(type_name).ok_or_else(|| {
        DecodeError::new(
            UnknownType,
            format!("type {type_name:?} is not an event type of schema {SCHEMA_VERSION}"),
        )
    })?;
    if home != topic {
        return Err(DecodeError::new(
            WrongTopic,
            format!("type {type_name:?} belongs on {home}, not on {topic}"),
        ));
    }

    let event_id: EventId = field(&object, "event_id")?;
    let workshop_id: WorkshopId = field(&object, "workshop_id")?;
    let occurred_at = timestamp(&object, "occurred_at")?;
    let body: EventBody = serde_json::from_value(Value::Object(object))
        .map_err(|e| classify_serde_error(&e.to_string()))?;
    body.check_values()
        .map_err(|detail| DecodeError::new(InvalidValue, detail))?;
    Ok(Event {
        schema: SCHEMA_VERSION,
        event_id,
        workshop_id,
        occurred_at,
        body,
    })
}

/// The envelope and body in one typed pass over the text.
#[derive(serde::Deserialize)]
struct Wire {
    schema: u64,
    event_id: EventId,
    workshop_id: WorkshopId,
    occurred_at: String,
    #[serde(flatten)]
    body: EventBody,
}

/// The fast path for a message that passes every check: one typed pass over
/// the text, then the same checks as below. `None` for anything else — the
/// slow path then finds the exact reason — so the fast path never accepts what
/// the slow path refuses, and gives the same event for what both accept.
pub(super) fn decode_valid(topic: Topic, text: &str) -> Option<Event> {
    let wire: Wire = serde_json::from_str(text).ok()?;
    if wire.schema != u64::from(SCHEMA_VERSION) || wire.body.topic() != topic {
        return None;
    }
    let occurred_at = parse_timestamp("occurred_at", &wire.occurred_at).ok()?;
    wire.body.check_values().ok()?;
    Some(Event {
        schema: SCHEMA_VERSION,
        event_id: wire.event_id,
        workshop_id: wire.workshop_id,
        occurred_at,
        body: wire.body,
    })
}

fn required<'a>(object: &'a Map<String, Value>, name: &str) -> Result<&'a Value, DecodeError> {
    object.get(name).filter(|v| !v.is_null()).ok_or_else(|| {
        DecodeError::new(
            RejectReason::MissingField,
            format!("missing field `{name}`"),
        )
    })
}

fn field<T: serde::de::DeserializeOwned>(
    object: &Map<String, Value>,
    name: &str,
) -> Result<T, DecodeError> {
    let value = required(object, name)?;
    serde_json::from_value(value.clone())
        .map_err(|e| classify_serde_error(&format!("field `{name}`: {e}")))
}

/// RFC 3339 with an explicit offset, at most millisecond precision, years
/// 2000–2099 in UTC, no leap second.
fn timestamp(
    object: &Map<String, Value>,
    name: &str,
) -> Result<DateTime<FixedOffset>, DecodeError> {
    let value = required(object, name)?;
    let text = value
        .as_str()
        .ok_or_else(|| wrong_type(name, "an RFC 3339 timestamp string", value))?;
    parse_timestamp(name, text)
}

fn parse_timestamp(name: &str, text: &str) -> Result<DateTime<FixedOffset>, DecodeError> {
    let invalid = |why: String| {
        DecodeError::new(RejectReason::InvalidValue, format!("field `{name}`: {why}"))
    };
    let ts = DateTime::parse_from_rfc3339(text)
        .map_err(|e| invalid(format!("{text:?} is not RFC 3339 with an offset ({e})")))?;
    if ts.nanosecond() >= 1_000_000_000 {
        return Err(invalid(format!("{text:?} is a leap second")));
    }
    if ts.nanosecond() % 1_000_000 != 0 {
        return Err(invalid(format!(
            "{text:?} is more precise than milliseconds"
        )));
    }
    if !(2000..=2099).contains(&ts.naive_utc().year()) {
        return Err(invalid(format!(
            "{text:?} is outside the years 2000 to 2099"
        )));
    }
    Ok(ts)
}

fn wrong_type(name: &str, expected: &str, got: &Value) -> DecodeError {
    DecodeError::new(
        RejectReason::WrongType,
        format!(
            "field `{name}`: expected {expected}, got {}",
            json_kind(got)
        ),
    )
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json reports missing fields, wrong JSON types and refused values all as
/// data errors; its message says which, so the reason is read from it.
fn classify_serde_error(message: &str) -> DecodeError {
    let reason = if message.contains("missing field") {
        RejectReason::MissingField
    } else if message.contains("invalid type") {
        RejectReason::WrongType
    } else {
        RejectReason::InvalidValue
    };
    DecodeError::new(reason, message)
}
