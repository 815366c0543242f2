//! `workshop-pulse-loadtest`: produces a deterministic synthetic workshop day to
//! Kafka, or measures the KPI engine's capacity on simulated history.
//!
//! ```text
//! workshop-pulse-loadtest day --workshops 3 --seed 42 --speedup 120
//! workshop-pulse-loadtest engine --workshops 100 --history-days 30
//! ```

use anyhow::Context;
use chrono::NaiveDate;
use chrono_tz::Tz;
use clap::{Parser, Subcommand};
use std::time::Instant;
use workshop_pulse::config::KafkaConfig;
use workshop_pulse::events::WorkshopId;
use workshop_pulse_loadtest::engine_capacity::{self, CapacitySpec};
use workshop_pulse_loadtest::produce::{Pace, produce};
use workshop_pulse_loadtest::simulate::{DaySpec, simulate_day};

/// Synthetic workshop streams for demos and load tests.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Kafka bootstrap servers.
    #[arg(
        long,
        global = true,
        env = "WP_KAFKA_BROKERS",
        default_value = "127.0.0.1:9092"
    )]
    kafka_brokers: String,
    /// Prefix of every topic name.
    #[arg(long, global = true, env = "WP_TOPIC_PREFIX", default_value = "")]
    topic_prefix: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One business day for N workshops.
    Day {
        /// Number of workshops (W001, W002, …).
        #[arg(long, default_value_t = 3)]
        workshops: u32,
        /// The business day (YYYY-MM-DD); today in --time-zone if absent.
        #[arg(long)]
        date: Option<NaiveDate>,
        /// The workshops' time zone.
        #[arg(long, default_value = "Asia/Shanghai")]
        time_zone: Tz,
        /// Seed: the same seed gives the same events, byte for byte; the seed is
        /// part of every id, so another seed adds other repair orders to the day.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Fewest repair orders per workshop.
        #[arg(long, default_value_t = 25)]
        min_ros: u32,
        /// Most repair orders per workshop.
        #[arg(long, default_value_t = 40)]
        max_ros: u32,
        /// Replay the day's timeline this many times faster than real time
        /// (120 = a 10-hour day in 5 minutes); 0 sends as fast as possible.
        #[arg(long, default_value_t = 0.0)]
        speedup: f64,
        /// Also send the day's events of repair orders opened on the days
        /// before (with the same seed), as when those days were sent too: for
        /// replaying consecutive days. Without it the day starts with an
        /// empty workshop, and its unfinished orders stay open.
        #[arg(long)]
        carry_in: bool,
    },
    /// Events per second one core's KPI engine absorbs for N workshops that
    /// already hold D days of history (no Kafka; the engine alone). The
    /// history is absorbed untimed before each run, as ingest builds its
    /// state; then the measured days are applied and timed.
    Engine {
        /// Number of workshops (W001, W002, …).
        #[arg(long, default_value_t = 100)]
        workshops: usize,
        /// Days of history absorbed before the measured days.
        #[arg(long, default_value_t = 30)]
        history_days: u32,
        /// Measured days.
        #[arg(long, default_value_t = 1)]
        days: u32,
        /// The first measured day (YYYY-MM-DD).
        #[arg(long, default_value = "2026-11-16")]
        date: NaiveDate,
        /// Simulator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Timed runs (each on a freshly built engine); the median is reported.
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let kafka = KafkaConfig {
        brokers: cli.kafka_brokers,
        topic_prefix: cli.topic_prefix,
        ..KafkaConfig::default()
    };
    match cli.command {
        Command::Engine {
            workshops,
            history_days,
            days,
            date,
            seed,
            runs,
        } => {
            anyhow::ensure!(
                workshops > 0 && days > 0,
                "--workshops and --days must be positive"
            );
            anyhow::ensure!(runs > 0, "--runs must be positive");
            engine_capacity_report(
                &CapacitySpec {
                    workshops,
                    history_days,
                    measured_days: days,
                    first_measured: date,
                    seed,
                },
                runs,
            );
        }
        Command::Day {
            workshops,
            date,
            time_zone,
            seed,
            min_ros,
            max_ros,
            speedup,
            carry_in,
        } => {
            anyhow::ensure!(
                min_ros <= max_ros,
                "--min-ros {min_ros} exceeds --max-ros {max_ros}"
            );
            anyhow::ensure!(speedup >= 0.0, "--speedup must not be negative");
            let date =
                date.unwrap_or_else(|| chrono::Utc::now().with_timezone(&time_zone).date_naive());
            let workshops = (1..=workshops)
                .map(|n| WorkshopId::new(format!("W{n:03}")))
                .collect::<Result<Vec<_>, _>>()?;
            let spec = DaySpec {
                seed,
                workshops,
                date,
                time_zone,
                ros_per_workshop: (min_ros, max_ros),
                carry_in,
            };
            let events = simulate_day(&spec);
            let pace = if speedup > 0.0 {
                Pace::Speedup(speedup)
            } else {
                Pace::Unpaced
            };
            eprintln!(
                "producing {} events for {} workshop(s) on {date} (seed {seed}) to {}",
                events.len(),
                spec.workshops.len(),
                kafka.brokers
            );
            let started = Instant::now();
            let sent = produce(&kafka, &events, pace, |done, total| {
                let secs = started.elapsed().as_secs_f64().max(0.001);
                eprintln!(
                    "  {done}/{total} acknowledged, {:.0} events/s",
                    done as f64 / secs
                );
            })
            .await
            .context("producing to Kafka")?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "done: {} events acknowledged in {secs:.1}s ({:.0} events/s)",
                sent.acknowledged,
                sent.acknowledged as f64 / secs.max(0.001)
            );
        }
    }
    Ok(())
}

/// Runs the engine capacity measurement and prints each run, then the first
/// run apart from the median of the later ones.
fn engine_capacity_report(spec: &CapacitySpec, runs: usize) {
    let input = spec.input();
    eprintln!(
        "simulated {} workshop(s): {} history events ({} days), {} measured events ({} day(s) from {})",
        spec.workshops,
        input.history.len(),
        spec.history_days,
        input.measured.len(),
        spec.measured_days,
        spec.first_measured,
    );
    let simulated = engine_capacity::resident_bytes();
    let mut ns = Vec::with_capacity(runs);
    for run in 1..=runs {
        let result = engine_capacity::run(&input, |done, total| {
            eprintln!("  run {run}/{runs}: absorbing history, {done}/{total} events");
        });
        if run == 1
            && let (Some(simulated), Some(now)) = (simulated, engine_capacity::resident_bytes())
        {
            println!(
                "engine state (resident memory growth while absorbing): about {} MB",
                now.saturating_sub(simulated) / 1_000_000
            );
        }
        let per_event = result.ns_per_event();
        let faults = result
            .page_faults
            .map_or(String::new(), |n| format!(", {n} page faults"));
        println!(
            "run {run}/{runs}: {} events in {:.1} ms: {per_event:.0} ns/event, {:.2} M events/s ({} workshop-day rows{faults})",
            result.events,
            result.elapsed.as_secs_f64() * 1e3,
            1e3 / per_event,
            result.rows,
        );
        ns.push(per_event);
    }
    let Some(summary) = engine_capacity::RunsSummary::of(&ns) else {
        return;
    };
    println!(
        "first run (the state grows into memory the process never had, as a running ingest's does): {:.0} ns/event, {:.2} M events/s per core",
        summary.first,
        1e3 / summary.first,
    );
    if let Some(later) = summary.later {
        println!(
            "later runs (memory the previous engine freed): median of {} {:.0} ns/event, {:.2} M events/s per core (range {:.0}–{:.0} ns)",
            ns.len() - 1,
            later.median,
            1e3 / later.median,
            later.min,
            later.max,
        );
    }
}
