//! The engine benchmark's inputs and the ingest-shaped work it measures,
//! shared by `benches/engine.rs` (timed by criterion) and
//! `examples/engine_instructions.rs` (counted by callgrind), so both measure
//! the same thing.

use crate::simulate::workshop_days;
use chrono::NaiveDate;
use foldhash::HashSet;
use std::hint::black_box;
use workshop_pulse::engine::{Applied, ChangedDays, Engine, WorkshopDirectory, WorkshopSettings};
use workshop_pulse::events::{Event, Topic, WorkshopId, decode};

/// Events per ingest batch: ingest's `batch_max_rows` default, the batch of
/// events it writes when it is busy (below 10,000 messages a second it writes
/// every second instead). Every path computes the live tick's KPI rows after
/// each batch: at a million events a second that is ten times as often as
/// ingest's tick (every 100 ms, so every 100,000 events).
pub const BATCH: usize = 10_000;

/// Events between two writes of KPI rows at the target rate of a million
/// events a second: ingest writes the rows owed at most once per
/// `batch_max_ms` (1 s by default, `OwedRows`). Longer than every scenario
/// (the longest has 51,897 events), so the rows are written once, after the
/// last batch: each scenario passes in well under a second at that rate.
pub const ROWS_EVERY: usize = 1_000_000;

/// When the benchmark writes every row of the changed days and the open
/// repair orders of their workshops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowWrites {
    /// Never: the live tick's KPI rows only.
    Never,
    /// Every [`ROWS_EVERY`] events and after the last: ingest at the
    /// target rate.
    AtTargetRate,
    /// After every batch of events, as ingest did before it owed rows
    /// (kept to measure what that cost).
    EveryBatch,
}

/// Seed of every simulated day.
pub const SEED: u64 = 42;

/// The scenarios, by name: workshops, days of history absorbed before the
/// measured days, measured days from 2026-11-16 on.
pub const SHAPES: [(&str, usize, u32, u32); 3] = [
    ("100ws_1d", 100, 0, 1),
    ("10ws_5d", 10, 0, 5),
    ("2ws_day31", 2, 30, 1),
];

/// A scenario for the instruction counter only (`examples/engine_instructions`):
/// the 366th day of two workshops, which shows what a year of history adds to
/// each path. Criterion would copy its year-old engine (about 70 MB) for every
/// run of a millisecond.
pub const A_YEAR_IN: (&str, usize, u32, u32) = ("2ws_day366", 2, 365, 1);

/// One benchmark input.
pub struct Scenario {
    /// Its name (the bench id suffix).
    pub name: &'static str,
    /// The engine the measured events are applied to (copied per run).
    pub base: Engine,
    /// Whether `base` has absorbed earlier days.
    pub has_history: bool,
    /// Measured workshop-days.
    pub workshop_days: usize,
    /// The measured events, in occurrence order, each decoded from its JSON
    /// (as ingest hands events over; the history was absorbed the same way).
    pub events: Vec<Event>,
    /// Each event's `Event::content_hash`, which ingest computes for the
    /// `events_raw` row before the engine sees the event (the
    /// `events/content_hash` bench times it).
    pub content_hashes: Vec<u64>,
}

/// The scenario named `name`, if there is one.
pub fn scenario(name: &str) -> Option<Scenario> {
    let &(name, workshops, history_days, days) =
        SHAPES.iter().chain([&A_YEAR_IN]).find(|s| s.0 == name)?;
    let first = NaiveDate::from_ymd_opt(2026, 11, 16)?;
    let mut base = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    let (history, measured) = history_then_days(SEED, workshops, first, history_days, days);
    for e in &history {
        absorb(&mut base, &as_decoded(e));
    }
    let events: Vec<Event> = measured.iter().map(as_decoded).collect();
    Some(Scenario {
        name,
        base,
        has_history: history_days > 0,
        workshop_days: workshops * days as usize,
        content_hashes: events.iter().map(Event::content_hash).collect(),
        events,
    })
}

/// The events of `workshops` simulated workshops as one stream from
/// `history_days` before `first` to `days` days from it on, split at
/// `first`: the history, then the measured days, which go on with the orders
/// the history left open.
pub fn history_then_days(
    seed: u64,
    workshops: usize,
    first: NaiveDate,
    history_days: u32,
    days: u32,
) -> (Vec<Event>, Vec<Event>) {
    let start = first - chrono::Duration::days(i64::from(history_days));
    let dates: Vec<NaiveDate> = start
        .iter_days()
        .take((history_days + days) as usize)
        .collect();
    workshop_days(seed, workshops, &dates)
        .into_iter()
        .partition(|e| e.occurred_at.date_naive() < first)
}

/// Measured events decoded ahead of each apply: few enough that they are
/// still in the core's cache when applied (ingest decodes and applies one
/// message at a time), enough that reading a clock around each apply costs
/// nothing.
pub const DECODED_AHEAD: usize = 64;

/// Hands `payloads` to `apply` as ingest would apply them: decoded just
/// before, [`DECODED_AHEAD`] at a time, with their content hashes (ingest
/// computes them for `events_raw`). `apply` times or counts only itself.
pub fn apply_decoded_in_chunks(
    payloads: &[(Topic, String)],
    mut apply: impl FnMut(&[Event], &[u64]),
) {
    for chunk in payloads.chunks(DECODED_AHEAD) {
        let events: Vec<Event> = chunk
            .iter()
            .map(|(topic, json)| decode_json(*topic, json))
            .collect();
        let hashes: Vec<u64> = events.iter().map(Event::content_hash).collect();
        apply(&events, &hashes);
    }
}

/// A simulated event as ingest receives it: its topic and JSON.
pub fn as_payload(e: &Event) -> (Topic, String) {
    (e.body.topic(), e.to_json())
}

/// A simulated event as ingest hands it to the engine: decoded from its
/// JSON, so each of its ids is an allocation of its own (the simulator
/// shares one allocation per id across events; decoded messages do not, and
/// the engine's state is built from decoded messages).
pub fn as_decoded(e: &Event) -> Event {
    let (topic, json) = as_payload(e);
    decode_json(topic, &json)
}

/// An event decoded from its topic and JSON, which must decode.
pub fn decode_json(topic: Topic, json: &str) -> Event {
    decode(topic, json.as_bytes())
        .unwrap_or_else(|e| panic!("a simulated event does not decode: {e:?}"))
}

/// Applies a simulated event, which must be absorbed; the days it changed.
pub fn absorb(engine: &mut Engine, e: &Event) -> ChangedDays {
    match engine.apply(e) {
        Applied::Changed(days) => days,
        other => panic!("simulated event {} not absorbed: {other:?}", e.event_id),
    }
}

/// `Engine::apply_hashed` for every event, with its content hash: ingest's
/// per-message engine work.
pub fn apply_all(engine: &mut Engine, events: &[Event], hashes: &[u64]) {
    for (e, hash) in events.iter().zip(hashes) {
        black_box(engine.apply_hashed(black_box(e), *hash));
    }
}

/// Ingest's batches of [`BATCH`] events: after each, the KPI row of every
/// (workshop, day) the batch changed, once (the live tick); or, when `writes`
/// says the rows are due, all rows of every day changed since the last write
/// and each of their workshops' open repair orders instead (the row write,
/// which publishes those rows and clears the tick's set).
pub fn batches(engine: &mut Engine, events: &[Event], hashes: &[u64], writes: RowWrites) {
    let batches_per_write = match writes {
        RowWrites::EveryBatch => 1,
        _ => ROWS_EVERY / BATCH,
    };
    let mut owed: HashSet<(&WorkshopId, NaiveDate)> = HashSet::default();
    let mut chunks = events.chunks(BATCH).zip(hashes.chunks(BATCH)).peekable();
    let mut since_write = 0;
    while let Some((chunk, hashes)) = chunks.next() {
        let mut dirty: HashSet<(&WorkshopId, NaiveDate)> = HashSet::default();
        for (e, hash) in chunk.iter().zip(hashes) {
            if let Applied::Changed(days) = engine.apply_hashed(black_box(e), *hash) {
                dirty.extend(days.into_iter().map(|d| (&e.workshop_id, d)));
            }
        }
        since_write += 1;
        let write = writes != RowWrites::Never
            && (since_write == batches_per_write || chunks.peek().is_none());
        if !write {
            // The tick (a write publishes the same rows and clears it).
            for &(ws, day) in &dirty {
                black_box(engine.row(ws, day));
            }
        }
        if writes == RowWrites::Never {
            continue;
        }
        owed.extend(dirty);
        if write {
            since_write = 0;
            for &(ws, day) in &owed {
                black_box(engine.day_rows(ws, day));
            }
            let touched: HashSet<&WorkshopId> = owed.iter().map(|(ws, _)| *ws).collect();
            for ws in touched {
                black_box(engine.open_repair_orders(ws));
            }
            owed.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decoded_event_has_the_simulated_events_content() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 16).expect("date");
        let events = workshop_days(SEED, 2, &[date]);
        assert!(!events.is_empty());
        for e in &events {
            let decoded = as_decoded(e);
            assert_eq!(decoded.event_id, e.event_id);
            assert_eq!(decoded.content_hash(), e.content_hash(), "{}", e.event_id);
        }
    }
}
