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
//! `apply` (`Engine::apply` per event) and `flush` (batches of 10,000 events,
//! then every changed day's rows and each touched workshop's open repair
//! orders, as ingest's flush). Scenarios as in `benches/engine.rs`:
//! `100ws_1d`, `10ws_5d`, `2ws_day31` (its 30 days of history are applied
//! before counting starts). Seed 42, like the benchmark.

use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::hint::black_box;
use workshop_pulse::engine::{Applied, Engine, WorkshopDirectory, WorkshopSettings};
use workshop_pulse::events::{Event, WorkshopId};
use workshop_pulse_loadtest::simulate::workshop_days;

/// Events per flush, as in the benchmark.
const BATCH: usize = 10_000;

/// Seed of every simulated day, as in the benchmark.
const SEED: u64 = 42;

/// `(workshops, days of history, measured days)` of a named scenario.
fn shape(name: &str) -> Option<(usize, u32, u32)> {
    match name {
        "100ws_1d" => Some((100, 0, 1)),
        "10ws_5d" => Some((10, 0, 5)),
        "2ws_day31" => Some((2, 30, 1)),
        _ => None,
    }
}

/// `n` days from `from`.
fn days(from: NaiveDate, n: u32) -> Vec<NaiveDate> {
    from.iter_days().take(n as usize).collect()
}

#[inline(never)]
fn measured_apply(engine: &mut Engine, events: &[Event]) {
    for e in events {
        black_box(engine.apply(black_box(e)));
    }
}

#[inline(never)]
fn measured_flush(engine: &mut Engine, events: &[Event]) {
    for chunk in events.chunks(BATCH) {
        let mut dirty: BTreeSet<(&WorkshopId, NaiveDate)> = BTreeSet::new();
        for e in chunk {
            if let Applied::Changed(changed) = engine.apply(black_box(e)) {
                dirty.extend(changed.into_iter().map(|d| (&e.workshop_id, d)));
            }
        }
        for &(ws, day) in &dirty {
            black_box(engine.day_rows(ws, day));
        }
        let touched: BTreeSet<&WorkshopId> = dirty.iter().map(|(ws, _)| *ws).collect();
        for ws in touched {
            black_box(engine.open_repair_orders(ws));
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, scenario] = args.as_slice() else {
        anyhow::bail!("usage: engine_instructions apply|flush 100ws_1d|10ws_5d|2ws_day31");
    };
    let Some((workshops, history, measured)) = shape(scenario) else {
        anyhow::bail!("unknown scenario {scenario}: 100ws_1d, 10ws_5d or 2ws_day31");
    };
    let run: fn(&mut Engine, &[Event]) = match path.as_str() {
        "apply" => measured_apply,
        "flush" => measured_flush,
        other => anyhow::bail!("unknown path {other}: apply or flush"),
    };
    let first = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap_or(NaiveDate::MIN);
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    let history_start = first - chrono::Duration::days(i64::from(history));
    for e in workshop_days(SEED, workshops, &days(history_start, history)) {
        engine.apply(&e);
    }
    let events = workshop_days(SEED, workshops, &days(first, measured));
    run(&mut engine, &events);
    println!("{path} {scenario}: {} events measured", events.len());
    Ok(())
}
