//! Per-event cost of the KPI engine on realistic simulated workshop days.
//!
//! The input is built once, outside the measured loop, with [`simulate_day`]
//! (seed 42, Asia/Shanghai, 25–40 repair orders per workshop and day):
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
//! - `engine/apply`: the engine absorbs every event (`Engine::apply`), the
//!   per-message work of ingest without decoding.
//! - `engine/apply+rows`: events in batches of [`BATCH`], then `Engine::row`
//!   once per distinct (workshop, day) the batch changed — what ingest's live
//!   tick publishes.
//! - `engine/apply+flush`: the same batches, and everything ingest's flush asks
//!   of the engine: per changed (workshop, day) all its rows
//!   (`Engine::day_rows`: KPI, technician and bay rows), and per touched
//!   workshop its open repair orders (the attention list).
//! - `engine/all_rows`: the batch recompute path, apply all then
//!   `Engine::all_rows`.
//! - `engine/recompute`: everything recompute asks of the engine — apply all,
//!   then all KPI, technician and bay rows.
//! - `engine/rows_only`: `Engine::all_rows` on an engine that has absorbed
//!   everything already; its throughput is in rows, not events.
//! - `events/decode`: `events::decode` of each event's JSON, the step before
//!   the engine in ingest (not an engine cost; measured for the per-message
//!   budget).
//! - `events/content_hash`: `Event::content_hash`, part of `engine/apply`
//!   (the duplicate check), alone.
//!
//! The starting engine (fresh, or with history) is cloned before the clock
//! starts and dropped after it stops: a running ingest neither builds nor frees
//! its state per message.
//!
//! Run: `cargo bench -p workshop-pulse-loadtest --bench engine`; one path:
//! `cargo bench -p workshop-pulse-loadtest --bench engine -- 'engine/apply/'`.

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::{Duration, Instant};
use workshop_pulse::engine::{Applied, ChangedDays, Engine, WorkshopDirectory, WorkshopSettings};
use workshop_pulse::events::{Event, Topic, WorkshopId, decode};
use workshop_pulse_loadtest::simulate::workshop_days;

/// Events per ingest batch in `engine/apply+rows` and `engine/apply+flush`:
/// ingest's `batch_max_rows` default, the batch it flushes when it is busy
/// (below 10,000 messages a second it flushes every second instead, and the
/// flush's cost per event matters less than its latency).
const BATCH: usize = 10_000;

/// Seed of every simulated day.
const SEED: u64 = 42;

/// One benchmark input.
struct Scenario {
    /// Bench id suffix.
    name: &'static str,
    /// The engine the measured events are applied to (cloned per iteration).
    base: Engine,
    /// Whether `base` has absorbed earlier days.
    has_history: bool,
    /// The measured events, in occurrence order.
    events: Vec<Event>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("invalid date {y}-{m}-{d}"))
}

fn fresh_engine() -> Engine {
    Engine::new(WorkshopDirectory::open(WorkshopSettings::default()))
}

/// `history_days` days before `first` absorbed up front, then `days` from
/// `first` on measured.
fn scenario(
    name: &'static str,
    workshops: usize,
    history_days: u32,
    first: NaiveDate,
    days: u32,
) -> Scenario {
    let dates =
        |from: NaiveDate, n: u32| -> Vec<NaiveDate> { from.iter_days().take(n as usize).collect() };
    let history_start = first - chrono::Duration::days(i64::from(history_days));
    let mut base = fresh_engine();
    for e in workshop_days(SEED, workshops, &dates(history_start, history_days)) {
        absorb(&mut base, &e);
    }
    let s = Scenario {
        name,
        base,
        has_history: history_days > 0,
        events: workshop_days(SEED, workshops, &dates(first, days)),
    };
    describe(&s, workshops * days as usize);
    s
}

fn absorb(engine: &mut Engine, e: &Event) -> ChangedDays {
    match engine.apply(e) {
        Applied::Changed(days) => days,
        other => panic!("simulated event {} not absorbed: {other:?}", e.event_id),
    }
}

/// Prints the input's shape once, so the numbers can be put in context.
fn describe(s: &Scenario, workshop_days: usize) {
    let mut engine = s.base.clone();
    let changed: usize = s.events.iter().map(|e| absorb(&mut engine, e).len()).sum();
    let rows = engine.all_rows().len();
    eprintln!(
        "scenario {}: {} measured events, {} measured workshop-days, \
         {:.1} events per workshop-day, {:.2} changed days per event, \
         {} rows in the engine after them",
        s.name,
        s.events.len(),
        workshop_days,
        s.events.len() as f64 / workshop_days as f64,
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

fn apply_all(engine: &mut Engine, events: &[Event]) {
    for e in events {
        black_box(engine.apply(black_box(e)));
    }
}

fn apply_with_batch_rows(engine: &mut Engine, events: &[Event]) {
    batches(engine, events, false);
}

fn apply_with_flush(engine: &mut Engine, events: &[Event]) {
    batches(engine, events, true);
}

/// Ingest's flush: rows of every (workshop, day) a batch changed, computed once;
/// with `everything`, all of that day's rows and the open repair orders.
fn batches(engine: &mut Engine, events: &[Event], everything: bool) {
    for chunk in events.chunks(BATCH) {
        let mut dirty: BTreeSet<(&WorkshopId, NaiveDate)> = BTreeSet::new();
        for e in chunk {
            if let Applied::Changed(days) = engine.apply(black_box(e)) {
                dirty.extend(days.into_iter().map(|d| (&e.workshop_id, d)));
            }
        }
        for &(ws, day) in &dirty {
            if everything {
                black_box(engine.day_rows(ws, day));
            } else {
                black_box(engine.row(ws, day));
            }
        }
        if everything {
            let touched: BTreeSet<&WorkshopId> = dirty.iter().map(|(ws, _)| *ws).collect();
            for ws in touched {
                black_box(engine.open_repair_orders(ws));
            }
        }
    }
}

/// A measured path: what is done to an engine with the measured events.
type Path = fn(&mut Engine, &[Event]);

fn benches(c: &mut Criterion) {
    let nov = |d| date(2026, 11, d);
    let scenarios = [
        scenario("100ws_1d", 100, 0, nov(16), 1),
        scenario("10ws_5d", 10, 0, nov(16), 5),
        scenario("2ws_day31", 2, 30, nov(16), 1),
    ];
    let paths: [(&str, Path); 5] = [
        ("engine/apply", apply_all),
        ("engine/apply+rows", apply_with_batch_rows),
        ("engine/apply+flush", apply_with_flush),
        ("engine/all_rows", |engine, events| {
            apply_all(engine, events);
            black_box(engine.all_rows());
        }),
        ("engine/recompute", |engine, events| {
            apply_all(engine, events);
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
                b.iter_custom(|iters| time_from(&s.base, iters, |engine| path(engine, &s.events)));
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
        apply_all(&mut engine, &s.events);
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
