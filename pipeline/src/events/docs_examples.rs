//! Decodes every JSON example in docs/events.md, so the schema reference cannot
//! drift from the decoder: each example must be a valid event on its own topic,
//! every event type must have exactly one example, and event ids must be unique.

use super::{EVENT_TYPES, Event, decode, topic_of_type};
use serde_json::Value;
use std::collections::HashMap;

/// The schema reference, read at compile time.
const EVENTS_MD: &str = include_str!("../../../docs/events.md");

/// One ```json fenced block of the reference.
struct Example {
    /// 1-based line of the opening fence.
    line: usize,
    /// The nearest `### ` heading above the block.
    heading: String,
    /// The block's text, without the fences.
    text: String,
}

impl Example {
    /// How failure messages name the example.
    fn name(&self) -> String {
        format!(
            "docs/events.md example at line {} (under {:?})",
            self.line, self.heading
        )
    }

    /// The type name in the heading, e.g. `settled` for "### `settled`".
    fn heading_type(&self) -> Option<&str> {
        self.heading
            .strip_prefix("### `")
            .and_then(|rest| rest.strip_suffix('`'))
    }
}

/// The text of every ```json block of the reference (the other tests use it).
pub(super) fn all_example_texts() -> Vec<String> {
    examples().into_iter().map(|e| e.text).collect()
}

/// Every ```json block of the reference, in order.
fn examples() -> Vec<Example> {
    let mut examples = Vec::new();
    let mut heading = String::from("(no heading)");
    let mut open: Option<Example> = None;
    for (index, line) in EVENTS_MD.lines().enumerate() {
        let trimmed = line.trim();
        match open.as_mut() {
            Some(example) => {
                if trimmed == "```" {
                    examples.extend(open.take());
                } else {
                    example.text.push_str(line);
                    example.text.push('\n');
                }
            }
            None => {
                if trimmed.starts_with("### ") {
                    heading = trimmed.to_string();
                } else if trimmed
                    .strip_prefix("```")
                    .is_some_and(|info| info.split_whitespace().next() == Some("json"))
                {
                    open = Some(Example {
                        line: index + 1,
                        heading: heading.clone(),
                        text: String::new(),
                    });
                }
            }
        }
    }
    if let Some(example) = open {
        panic!("{}: the ```json fence is never closed", example.name());
    }
    examples
}

/// The example's `type` field, read without the decoder.
fn type_of(example: &Example) -> String {
    let value: Value = serde_json::from_str(&example.text)
        .unwrap_or_else(|e| panic!("{}: not JSON: {e}", example.name()));
    value
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| panic!("{}: no string field `type`", example.name()))
}

/// Decodes an example on the topic its type belongs on.
fn decode_example(example: &Example) -> Event {
    let type_name = type_of(example);
    let topic = topic_of_type(&type_name).unwrap_or_else(|| {
        panic!(
            "{}: type {type_name:?} is not in EVENT_TYPES",
            example.name()
        )
    });
    decode(topic, example.text.as_bytes())
        .unwrap_or_else(|e| panic!("{}: refused on {topic}: {e}", example.name()))
}

#[test]
fn every_example_decodes_on_its_topic() {
    let examples = examples();
    assert!(
        !examples.is_empty(),
        "docs/events.md has no ```json examples"
    );
    for example in &examples {
        let event = decode_example(example);
        assert_eq!(
            Some(event.body.type_name()),
            example.heading_type(),
            "{}: the example's type does not match its heading",
            example.name()
        );
    }
}

#[test]
fn every_event_type_has_exactly_one_example() {
    let mut count: HashMap<String, Vec<usize>> = HashMap::new();
    for example in examples() {
        count
            .entry(type_of(&example))
            .or_default()
            .push(example.line);
    }
    for (name, _) in EVENT_TYPES {
        match count.get(*name).map(Vec::as_slice) {
            Some([_]) => {}
            None | Some([]) => panic!("docs/events.md has no example of `{name}`"),
            Some(lines) => panic!(
                "docs/events.md has {} examples of `{name}`, at lines {lines:?}",
                lines.len()
            ),
        }
    }
    for (name, lines) in &count {
        assert!(
            topic_of_type(name).is_some(),
            "docs/events.md example(s) at lines {lines:?} have unknown type {name:?}"
        );
    }
}

#[test]
fn event_ids_are_unique_across_examples() {
    let mut seen: HashMap<String, String> = HashMap::new();
    for example in examples() {
        let event = decode_example(&example);
        if let Some(first) = seen.insert(event.event_id.to_string(), example.name()) {
            panic!(
                "{}: event_id {} is already used by {first}",
                example.name(),
                event.event_id
            );
        }
    }
}

#[test]
fn examples_survive_a_round_trip_through_to_json() {
    for example in examples() {
        let event = decode_example(&example);
        let json = event.to_json();
        let again = decode(event.body.topic(), json.as_bytes())
            .unwrap_or_else(|e| panic!("{}: its to_json() {json} is refused: {e}", example.name()));
        assert_eq!(
            again,
            event,
            "{}: to_json() {json} decodes to a different event",
            example.name()
        );
    }
}

#[test]
fn content_hash_is_xxh3_streamed_over_every_field() {
    use std::hash::{Hash, Hasher};
    let mut hashes = std::collections::HashSet::new();
    for example in examples() {
        let event = decode_example(&example);
        let mut streamed = xxhash_rust::xxh3::Xxh3::new();
        event.hash(&mut streamed);
        assert_eq!(
            event.content_hash(),
            streamed.finish(),
            "{}",
            example.name()
        );
        hashes.insert(event.content_hash());
    }
    assert_eq!(
        hashes.len(),
        examples().len(),
        "distinct events, distinct hashes"
    );
    // An event whose fields outgrow the stack buffer hashes the same way.
    let mut long = examples()
        .iter()
        .map(decode_example)
        .find(|e| matches!(e.body, super::EventBody::RoOpened { .. }))
        .expect("an ro_opened example");
    if let super::EventBody::RoOpened {
        complaint_codes, ..
    } = &mut long.body
    {
        complaint_codes.extend((0..100).map(|i| format!("C{i:04}")));
    }
    let mut streamed = xxhash_rust::xxh3::Xxh3::new();
    long.hash(&mut streamed);
    assert_eq!(long.content_hash(), streamed.finish());
}
