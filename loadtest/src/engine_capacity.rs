//! How many events per second one core's engine absorbs when it already
//! holds weeks of history for many workshops: the capacity question an
//! operator asks before putting a dealer group on one ingest process.
//!
//! The criterion benchmark (`benches/engine.rs`) copies a prepared engine
//! before every timed run, which is cheap only for small states. Here the
//! engine is built the way ingest builds it — by absorbing every history
//! event in order — before each timed run, so a run can hold hundreds of
//! megabytes of state. The measured days are then applied as ingest applies
//! them (`Engine::apply_hashed`, content hash given), and timed.
//!
//! Every event, history and measured, reaches the engine the way ingest
//! hands it over: decoded from its JSON just before it is applied, so its ids
//! are fresh allocations (hot in the cache, like a message just decoded)
//! and the state's allocations interleave with the decoder's, as they do in
//! a running ingest process. Only applying is timed: the measured events are
//! decoded a few at a time ([`apply_decoded_in_chunks`]), and each chunk's
//! apply is timed.

use crate::engine_bench::{
    absorb, apply_all, apply_decoded_in_chunks, as_decoded, as_payload, history_then_days,
};
use chrono::NaiveDate;
use std::time::{Duration, Instant};
use workshop_pulse::engine::{Engine, WorkshopDirectory, WorkshopSettings};
use workshop_pulse::events::{Event, Topic};

/// What to measure.
#[derive(Debug, Clone)]
pub struct CapacitySpec {
    /// Simulated workshops (W001, W002, …).
    pub workshops: usize,
    /// Days of history absorbed before the measured days.
    pub history_days: u32,
    /// Measured days, from `first_measured` on.
    pub measured_days: u32,
    /// The first measured day.
    pub first_measured: NaiveDate,
    /// Simulator seed.
    pub seed: u64,
}

/// The simulated events of a [`CapacitySpec`].
pub struct CapacityInput {
    /// History, in occurrence order.
    pub history: Vec<Event>,
    /// Measured events as ingest receives them (topic and JSON), in
    /// occurrence order.
    pub measured: Vec<(Topic, String)>,
}

impl CapacitySpec {
    /// Simulates the history and the measured days.
    pub fn input(&self) -> CapacityInput {
        let (history, measured) = history_then_days(
            self.seed,
            self.workshops,
            self.first_measured,
            self.history_days,
            self.measured_days,
        );
        CapacityInput {
            history,
            measured: measured.iter().map(as_payload).collect(),
        }
    }
}

/// One timed run.
#[derive(Debug, Clone)]
pub struct CapacityRun {
    /// Measured events applied.
    pub events: usize,
    /// Time to apply them.
    pub elapsed: Duration,
    /// The engine's rows after the run (workshop-days), as a check that
    /// everything was absorbed.
    pub rows: usize,
    /// Page faults the process took while applying them (`None` where the
    /// system does not say): memory the state grew into for the first time.
    pub page_faults: Option<u64>,
}

impl CapacityRun {
    /// Nanoseconds per measured event.
    pub fn ns_per_event(&self) -> f64 {
        self.elapsed.as_nanos() as f64 / self.events.max(1) as f64
    }
}

/// Builds an engine from `input.history` (untimed; `progress` is told how
/// many history events are absorbed, every `PROGRESS_EVERY`), then times
/// applying the measured events.
pub fn run(input: &CapacityInput, mut progress: impl FnMut(usize, usize)) -> CapacityRun {
    let mut engine = Engine::new(WorkshopDirectory::open(WorkshopSettings::default()));
    for (n, event) in input.history.iter().enumerate() {
        absorb(&mut engine, &as_decoded(event));
        if (n + 1) % PROGRESS_EVERY == 0 {
            progress(n + 1, input.history.len());
        }
    }
    let faults_before = minor_page_faults();
    let mut elapsed = Duration::ZERO;
    apply_decoded_in_chunks(&input.measured, |events, hashes| {
        let started = Instant::now();
        apply_all(&mut engine, events, hashes);
        elapsed += started.elapsed();
    });
    let page_faults = minor_page_faults()
        .zip(faults_before)
        .map(|(after, before)| after.saturating_sub(before));
    CapacityRun {
        events: input.measured.len(),
        elapsed,
        rows: engine.all_rows().len(),
        page_faults,
    }
}

/// History events between two progress reports.
pub const PROGRESS_EVERY: usize = 500_000;

/// This process's resident memory in bytes, where the system says
/// (`/proc/self/statm` on Linux, counted in 4 KiB pages as on x86-64 and
/// the usual arm64 kernels; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Nanoseconds per event of a process's runs, the first apart: it is the
/// only one whose state grows into memory the process never had (page
/// faults, huge pages made), as a long-running ingest's state does every
/// day; later runs reuse what the previous engine freed.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsSummary {
    /// The first run.
    pub first: f64,
    /// The later runs, if any.
    pub later: Option<Spread>,
}

/// Median and range of some runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// The median (the upper one of an even count).
    pub median: f64,
    /// The fastest.
    pub min: f64,
    /// The slowest.
    pub max: f64,
}

impl RunsSummary {
    /// The summary of `ns` (per run, in run order); `None` without runs.
    pub fn of(ns: &[f64]) -> Option<Self> {
        let (&first, later) = ns.split_first()?;
        let mut later = later.to_vec();
        later.sort_by(f64::total_cmp);
        Some(Self {
            first,
            later: (!later.is_empty()).then(|| Spread {
                median: later[later.len() / 2],
                min: later[0],
                max: later[later.len() - 1],
            }),
        })
    }
}

/// The minor page faults this process has taken, where the system says
/// (field 10 of `/proc/self/stat` on Linux; `None` elsewhere). A fault is
/// the kernel giving the process a page it touches for the first time.
pub fn minor_page_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(7)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine_bench::decode_json;

    #[test]
    fn a_run_absorbs_the_history_and_times_every_measured_event() {
        let spec = CapacitySpec {
            workshops: 2,
            history_days: 2,
            measured_days: 1,
            first_measured: NaiveDate::from_ymd_opt(2026, 11, 16).expect("date"),
            seed: 7,
        };
        let input = spec.input();
        let dates: std::collections::BTreeSet<_> = input
            .history
            .iter()
            .map(|e| e.occurred_at.date_naive())
            .collect();
        assert!(dates.iter().all(|d| *d < spec.first_measured), "{dates:?}");
        assert!(
            input
                .measured
                .iter()
                .map(|(topic, json)| decode_json(*topic, json))
                .all(|e| e.occurred_at.date_naive() == spec.first_measured)
        );
        let result = run(&input, |_, _| {});
        assert!(!input.measured.is_empty());
        assert_eq!(result.events, input.measured.len());
        // Two workshops, three business days each.
        assert_eq!(result.rows, 6);
    }

    #[test]
    fn the_cost_per_event_is_the_time_over_the_events() {
        let run = CapacityRun {
            events: 4,
            elapsed: Duration::from_micros(6),
            rows: 0,
            page_faults: None,
        };
        assert_eq!(run.ns_per_event(), 1_500.0);
    }

    #[test]
    fn the_first_run_is_reported_apart_from_the_later_ones() {
        let summary = RunsSummary::of(&[2_000.0, 900.0, 700.0, 800.0]).expect("runs");
        assert_eq!(summary.first, 2_000.0);
        let later = summary.later.expect("later runs");
        assert_eq!((later.median, later.min, later.max), (800.0, 700.0, 900.0));
        assert_eq!(
            RunsSummary::of(&[1_500.0]),
            Some(RunsSummary {
                first: 1_500.0,
                later: None
            })
        );
        assert_eq!(RunsSummary::of(&[]), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn touching_fresh_memory_counts_page_faults() {
        let before = minor_page_faults().expect("Linux reports page faults");
        // 64 MiB from the system (above malloc's mmap threshold), one byte
        // written per 4 KiB page: each write is a first touch.
        let mut fresh = vec![0u8; 64 << 20];
        for page in fresh.chunks_mut(4096) {
            page[0] = 1;
        }
        std::hint::black_box(&fresh);
        let after = minor_page_faults().expect("Linux reports page faults");
        // 16,384 pages; fewer faults if the kernel hands out huge pages.
        assert!(after > before, "{before} → {after}");
    }
}
