//! `workshop-pulse-loadtest`: produces a deterministic synthetic workshop day to Kafka.
//!
//! ```text
//! workshop-pulse-loadtest day --workshops 3 --seed 42 --speedup 120
//! ```

use anyhow::Context;
use chrono::NaiveDate;
use chrono_tz::Tz;
use clap::{Parser, Subcommand};
use std::time::Instant;
use workshop_pulse::config::KafkaConfig;
use workshop_pulse::events::WorkshopId;
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
        Command::Day {
            workshops,
            date,
            time_zone,
            seed,
            min_ros,
            max_ros,
            speedup,
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
