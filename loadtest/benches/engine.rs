//! Per-event cost of the KPI engine on realistic simulated workshop days.
//!
//! The input is built once, outside the measured loop, by
//! `engine_bench::scenario` (one `simulate_day` per date; seed 42,
//! Asia/Shanghai, 25–40 repair orders per workshop and day):
//!
//! - `100ws_1d`: 100 workshops × 1 day (2026-11-16), on a fresh engine;
//! - `10ws_5d`: 10 workshops × 5 consecutive days (2026-11-16..20), on a fresh
//!   engine;
//! - `2ws_day31`: 2 workshops' 31st day (2026-11-16) on an engine that has
//!   already absorbed their 30 previous days (2026-10-17..11-15): a workshop a
//!   month into production, with about a thousand repair orders each.
//!
//! Every throughput is in events (of the measured days), so criterion's
//! `elem/s` is events per second on one core: criterion runs the routine on a
//! single thread.
//!
//! - `engine/apply`: the engine absorbs every event (`Engine::apply_hashed`),
//!   the per-message engine work of ingest. Ingest hands the engine each
//!   event's content hash, which it computes anyway for the `events_raw` row
//!   (timed alone by `events/content_hash`), so it is computed before the
//!   clock starts.
//! - `engine/apply+rows`: events in batches of `engine_bench::BATCH` (10,000), then `Engine::row`
//!   once per distinct (workshop, day) the batch changed — what ingest's live
//!   tick publishes (at a million events a second ten times as often as
//!   ingest's 100 ms tick).
//! - `engine/ingest`: everything ingest asks of the engine at a million
//!   events a second: the same batches and ticks, and every
//!   `engine_bench::ROWS_EVERY` events (a second; here once, after the last
//!   batch) the row write — per (workshop, day) changed since the last one
//!   all its rows (`Engine::day_rows`: KPI, technician and bay rows), and per
//!   workshop its open repair orders (the attention list).
//! - `engine/apply+flush`: the row write after every batch instead, as ingest
//!   did before it wrote rows at most once a second (`OwedRows`): what that
//!   cost.
//! - `engine/all_rows`: the batch recompute path, apply all (`Engine::apply`,
//!   which hashes each event's content itself) then `Engine::all_rows`.
//! - `engine/recompute`: everything recompute asks of the engine — apply all
//!   (hashing, as above), then all KPI, technician and bay rows.
//! - `engine/rows_only`: `Engine::all_rows` on an engine that has absorbed
//!   everything already; its throughput is in rows, not events.
//! - `events/decode`: `events::decode` of each event's JSON, the step before
//!   the engine in ingest (not an engine cost; measured for the per-message
//!   budget).
//! - `events/content_hash`: `Event::content_hash`, which ingest computes once
//!   per message for the `events_raw` row and the duplicate check, alone.
//!
//! The starting engine (fresh, or with history) is cloned before the clock
//! starts and dropped after it stops: a running ingest neither builds nor frees
//! its state per message. (A copy of a month-old engine is about a third
//! slower to apply to than one built by absorbing, and copying hundreds of
//! megabytes per run is not practical: for many workshops with weeks of
//! history, `workshop-pulse-loadtest engine` builds the state as ingest does.)
//!
//! Run: `cargo bench -p workshop-pulse-loadtest --bench engine`; one path:
//! `cargo bench -p workshop-pulse-loadtest --bench engine -- 'engine/apply/'`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};
use workshop_pulse::engine::Engine;
use workshop_pulse::events::{Event, Topic, decode};
use workshop_pulse_loadtest::engine_bench::{
    RowWrites, SHAPES, Scenario, absorb, apply_all, batches, scenario,
};

/// Prints the input's shape once, so the numbers can be put in context.
fn describe(s: &Scenario) {
    let mut engine = s.base.clone();
    let changed: usize = s.events.iter().map(|e| absorb(&mut engine, e).len()).sum();
    let rows = engine.all_rows().len();
    eprintln!(
        "scenario {}: {} measured events, {} measured workshop-days, \
         {:.1} events per workshop-day, {:.2} changed days per event, \
         {} rows in the engine after them",
        s.name,
        s.events.len(),
        s.workshop_days,
        s.events.len() as f64 / s.workshop_days as f64,
        changed as f64 / s.events.len() as f64,
        rows,
    );
}

/// Times `routine` on a copy of `base` per iteration; copying and dropping
/// happen outside the timed region.
fn time_from<F>(base: &Engine, iters: u64, mut routine: F) -> Duration
where
    F: FnMut(&mut Engine),
{
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let mut engine = base.clone();
        let start = Instant::now();
        routine(&mut engine);
        total += start.elapsed();
        drop(black_box(engine));
    }
    total
}

fn apply_with_batch_rows(engine: &mut Engine, events: &[Event], hashes: &[u64]) {
    batches(engine, events, hashes, RowWrites::Never);
}

fn ingest(engine: &mut Engine, events: &[Event], hashes: &[u64]) {
    batches(engine, events, hashes, RowWrites::AtTargetRate);
}

fn apply_with_flush(engine: &mut Engine, events: &[Event], hashes: &[u64]) {
    batches(engine, events, hashes, RowWrites::EveryBatch);
}

/// `Engine::apply` for every event, which hashes each event's content itself:
/// what recompute does with the events it loads.
fn apply_hashing(engine: &mut Engine, events: &[Event]) {
    for e in events {
        black_box(engine.apply(black_box(e)));
    }
}

/// A measured path: what is done to an engine with the measured events and
/// their content hashes.
type Path = fn(&mut Engine, &[Event], &[u64]);

fn benches(c: &mut Criterion) {
    let scenarios: Vec<Scenario> = SHAPES
        .iter()
        .filter_map(|(name, ..)| scenario(name))
        .inspect(describe)
        .collect();
    let paths: [(&str, Path); 6] = [
        ("engine/apply", apply_all),
        ("engine/apply+rows", apply_with_batch_rows),
        ("engine/ingest", ingest),
        ("engine/apply+flush", apply_with_flush),
        ("engine/all_rows", |engine, events, _| {
            apply_hashing(engine, events);
            black_box(engine.all_rows());
        }),
        ("engine/recompute", |engine, events, _| {
            apply_hashing(engine, events);
            black_box(engine.all_rows());
            black_box(engine.all_technician_rows());
            black_box(engine.all_bay_rows());
        }),
    ];
    for (group_name, path) in paths {
        let mut group = c.benchmark_group(group_name);
        for s in &scenarios {
            // The batch recompute path always starts from an empty engine.
            if matches!(group_name, "engine/all_rows" | "engine/recompute") && s.has_history {
                continue;
            }
            group.throughput(Throughput::Elements(s.events.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(s.name), s, |b, s| {
                b.iter_custom(|iters| {
                    time_from(&s.base, iters, |engine| {
                        path(engine, &s.events, &s.content_hashes)
                    })
                });
            });
        }
        group.finish();
    }

    let mut group = c.benchmark_group("events/decode");
    let s = &scenarios[0];
    let payloads: Vec<(Topic, String)> = s
        .events
        .iter()
        .map(|e| (e.body.topic(), e.to_json()))
        .collect();
    group.throughput(Throughput::Elements(payloads.len() as u64));
    group.bench_with_input(BenchmarkId::from_parameter(s.name), &payloads, |b, p| {
        b.iter(|| {
            for (topic, json) in p {
                let _ = black_box(decode(*topic, black_box(json.as_bytes())));
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("events/content_hash");
    group.throughput(Throughput::Elements(s.events.len() as u64));
    group.bench_with_input(
        BenchmarkId::from_parameter(s.name),
        &s.events,
        |b, events| {
            b.iter(|| {
                for e in events {
                    black_box(black_box(e).content_hash());
                }
            });
        },
    );
    group.finish();

    let mut group = c.benchmark_group("engine/rows_only");
    for s in &scenarios {
        let mut engine = s.base.clone();
        apply_all(&mut engine, &s.events, &s.content_hashes);
        let rows = engine.all_rows().len();
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_with_input(BenchmarkId::from_parameter(s.name), &engine, |b, engine| {
            b.iter(|| black_box(engine.all_rows()));
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = engine;
    config = config();
    targets = benches
}
criterion_main!(engine);
