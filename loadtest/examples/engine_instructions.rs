//! The engine benchmark's work, once, for an instruction counter.
//!
//! Criterion's timings on a shared virtual machine move by up to 45% with the
//! host's load; the instructions a path executes do not move at all. Run a
//! path under callgrind, counting only inside the measured function:
//!
//! ```sh
//! cargo build --release -p workshop-pulse-loadtest --example engine_instructions
//! valgrind --tool=callgrind --toggle-collect='*measured*' \
//!     target/release/examples/engine_instructions apply 10ws_5d
//! ```
//!
//! and divide callgrind's `Collected` by the event count this prints. Paths:
//! `apply` (`Engine::apply_hashed` per event, given the content hash ingest
//! computes for `events_raw`; the events are decoded afresh a few at a time
//! just before, as ingest decodes each message before applying it), `ingest`
//! (ingest's batches with the live tick's KPI rows, and the row write once,
//! after the last: every changed day's rows and each touched workshop's open
//! repair orders), `flush` (the row write after every batch, as ingest did
//! before it wrote rows at most once a second), `hash`
//! (`Event::content_hash` alone) and `decode` (`events::decode` of each
//! event's JSON, the step before the engine). Scenarios and paths are the benchmark's own
//! (`engine_bench`): `100ws_1d`, `10ws_5d`, `2ws_day31` (its history is
//! applied before counting starts), and `2ws_day366`, the same two workshops
//! a year in (`engine_bench::A_YEAR_IN`, counted here only).

use workshop_pulse::engine::Engine;
use workshop_pulse::events::{Event, Topic, decode};
use workshop_pulse_loadtest::engine_bench::{
    A_YEAR_IN, RowWrites, SHAPES, apply_all, apply_decoded_in_chunks, as_payload, batches, scenario,
};

#[inline(never)]
fn measured_apply(engine: &mut Engine, events: &[Event], hashes: &[u64]) {
    apply_all(engine, events, hashes);
}

#[inline(never)]
fn measured_hash(_: &mut Engine, events: &[Event], _: &[u64]) {
    for e in events {
        std::hint::black_box(std::hint::black_box(e).content_hash());
    }
}

#[inline(never)]
fn measured_decode(payloads: &[(Topic, String)]) {
    for (topic, json) in payloads {
        let _ = std::hint::black_box(decode(*topic, std::hint::black_box(json.as_bytes())));
    }
}

#[inline(never)]
fn measured_ingest(engine: &mut Engine, events: &[Event], hashes: &[u64]) {
    batches(engine, events, hashes, RowWrites::AtTargetRate);
}

#[inline(never)]
fn measured_flush(engine: &mut Engine, events: &[Event], hashes: &[u64]) {
    batches(engine, events, hashes, RowWrites::EveryBatch);
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<&str> = SHAPES.iter().chain([&A_YEAR_IN]).map(|s| s.0).collect();
    let [path, name] = args.as_slice() else {
        anyhow::bail!(
            "usage: engine_instructions apply|ingest|flush|hash|decode {}",
            names.join("|")
        );
    };
    let run: fn(&mut Engine, &[Event], &[u64]) = match path.as_str() {
        "apply" => measured_apply,
        "ingest" => measured_ingest,
        "flush" => measured_flush,
        "hash" => measured_hash,
        "decode" => |_: &mut Engine, _: &[Event], _: &[u64]| {},
        other => anyhow::bail!("unknown path {other}: apply, ingest, flush, hash or decode"),
    };
    let Some(mut s) = scenario(name) else {
        anyhow::bail!("unknown scenario {name}: {}", names.join(", "));
    };
    let payloads: Vec<(Topic, String)> = s.events.iter().map(as_payload).collect();
    if path == "decode" {
        measured_decode(&payloads);
    }
    if path == "apply" {
        // As ingest applies them: each event decoded just before it is
        // applied (a few at a time, as `loadtest engine` does; only applying
        // is counted), so its ids are in the cache, not long since evicted.
        apply_decoded_in_chunks(&payloads, |events, hashes| {
            measured_apply(&mut s.base, events, hashes)
        });
    } else {
        run(&mut s.base, &s.events, &s.content_hashes);
    }
    println!("{path} {name}: {} events measured", s.events.len());
    Ok(())
}
