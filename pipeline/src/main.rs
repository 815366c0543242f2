//! `workshop-pulse`: the one binary. Parses flags, sets up logging, and hands over
//! to [`workshop_pulse::app`].

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use workshop_pulse::app;
use workshop_pulse::clock::SystemClock;
use workshop_pulse::config::{Config, Overrides};

/// Live workshop KPIs: Kafka in, ClickHouse and wall boards out.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// TOML config file (see docs/configuration in the README).
    #[arg(long, global = true, env = "WP_CONFIG")]
    config: Option<PathBuf>,
    /// Kafka bootstrap servers.
    #[arg(long, global = true, env = "WP_KAFKA_BROKERS")]
    kafka_brokers: Option<String>,
    /// Prefix of every topic name.
    #[arg(long, global = true, env = "WP_TOPIC_PREFIX")]
    topic_prefix: Option<String>,
    /// Consumer group id.
    #[arg(long, global = true, env = "WP_GROUP_ID")]
    group_id: Option<String>,
    /// ClickHouse HTTP URL.
    #[arg(long, global = true, env = "WP_CLICKHOUSE_URL")]
    clickhouse_url: Option<String>,
    /// ClickHouse database.
    #[arg(long, global = true, env = "WP_CLICKHOUSE_DATABASE")]
    clickhouse_database: Option<String>,
    /// ClickHouse user.
    #[arg(long, global = true, env = "WP_CLICKHOUSE_USER")]
    clickhouse_user: Option<String>,
    /// ClickHouse password (prefer the environment variable over the flag).
    #[arg(
        long,
        global = true,
        env = "WP_CLICKHOUSE_PASSWORD",
        hide_env_values = true
    )]
    clickhouse_password: Option<String>,
    /// HTTP listen address.
    #[arg(long, global = true, env = "WP_LISTEN")]
    listen: Option<String>,
    /// Folder with the board's static files.
    #[arg(long, global = true, env = "WP_DASHBOARDS_DIR")]
    dashboards_dir: Option<PathBuf>,
    /// Log as JSON lines instead of text.
    #[arg(long, global = true, env = "WP_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest and serve in one process (the default).
    Run,
    /// Consume and write to ClickHouse only.
    Ingest,
    /// Serve the API and boards only, reading ClickHouse.
    Serve,
    /// Create the ClickHouse database and apply migrations.
    Migrate,
    /// Create the Kafka topics (sources and dead letters).
    Topics {
        /// How long to retry while the broker is still starting.
        #[arg(long, default_value_t = 60)]
        wait_secs: u64,
    },
    /// Wait until Kafka and ClickHouse answer; print the broker's identity.
    Check {
        /// How long to wait.
        #[arg(long, default_value_t = 60)]
        wait_secs: u64,
    },
    /// Rebuild KPI rows from events_raw and compare them with the table.
    Recompute {
        /// First business day (YYYY-MM-DD); unbounded if absent.
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last business day (YYYY-MM-DD); unbounded if absent.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Only compare; write nothing. Exits non-zero if any row differs.
        #[arg(long)]
        check: bool,
    },
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,rdkafka=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn shutdown_on_signals() -> CancellationToken {
    let token = CancellationToken::new();
    let cancel = token.clone();
    tokio::spawn(async move {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: flushing and committing");
        cancel.cancel();
    });
    token
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(main_async(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn main_async(cli: Cli) -> anyhow::Result<()> {
    init_logging(cli.log_json);
    let overrides = Overrides {
        kafka_brokers: cli.kafka_brokers,
        topic_prefix: cli.topic_prefix,
        group_id: cli.group_id,
        clickhouse_url: cli.clickhouse_url,
        clickhouse_database: cli.clickhouse_database,
        clickhouse_user: cli.clickhouse_user,
        clickhouse_password: cli.clickhouse_password,
        listen: cli.listen,
        dashboards_dir: cli.dashboards_dir,
    };
    let config = Config::load(cli.config.as_deref(), &overrides)?;
    let clock = Arc::new(SystemClock);
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => {
            let listener = bind(&config.http.listen).await?;
            app::run(&config, clock, listener, shutdown_on_signals()).await?;
        }
        Command::Ingest => app::ingest(&config, shutdown_on_signals()).await?,
        Command::Serve => {
            let listener = bind(&config.http.listen).await?;
            app::serve(&config, clock, listener, shutdown_on_signals()).await?;
        }
        Command::Migrate => {
            let applied = app::migrate(&config).await?;
            println!(
                "database {}: {} migration(s) applied {:?}",
                config.clickhouse.database,
                applied.len(),
                applied
            );
        }
        Command::Topics { wait_secs } => {
            let created = app::create_topics(&config, Duration::from_secs(wait_secs)).await?;
            println!(
                "topics ready ({} created now: {:?})",
                created.len(),
                created
            );
        }
        Command::Check { wait_secs } => {
            let identity = app::check(&config, Duration::from_secs(wait_secs)).await?;
            println!(
                "kafka {} ready: cluster {} brokers {:?}; clickhouse {} ready",
                config.kafka.brokers,
                identity.cluster_id,
                identity.broker_ids,
                config.clickhouse.url
            );
        }
        Command::Recompute { from, to, check } => {
            if let (Some(f), Some(t)) = (from, to) {
                anyhow::ensure!(f <= t, "--from {f} is after --to {t}");
            }
            let range = workshop_pulse::recompute::DayRange { from, to };
            let report = app::recompute(&config, range, check).await?;
            for m in report.mismatches.iter().take(20) {
                println!(
                    "differs: {} {}\n  recomputed: {:?}\n  stored:     {:?}",
                    m.workshop_id, m.business_date, m.recomputed, m.stored
                );
            }
            for (recomputed, stored) in report.technician_mismatches.iter().take(20) {
                println!(
                    "technician row differs:\n  recomputed: {recomputed:?}\n  stored:     {stored:?}"
                );
            }
            for (recomputed, stored) in report.bay_mismatches.iter().take(20) {
                println!(
                    "bay row differs:\n  recomputed: {recomputed:?}\n  stored:     {stored:?}"
                );
            }
            for (recomputed, stored) in report.accident_step_mismatches.iter().take(20) {
                println!(
                    "accident step differs:\n  recomputed: {recomputed:?}\n  stored:     {stored:?}"
                );
            }
            let differ = report.differences();
            println!(
                "{} events read; {} workshop, {} technician, {} bay and {} accident-step rows \
                 recomputed; {differ} differ from the tables; {}",
                report.events,
                report.rows,
                report.technician_rows,
                report.bay_rows,
                report.accident_step_rows,
                if report.written {
                    "recomputed rows written"
                } else {
                    "nothing written (--check)"
                }
            );
            if check && differ > 0 {
                bail!("streaming and recomputation disagree on {differ} row(s)");
            }
        }
    }
    Ok(())
}

async fn bind(addr: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (is another instance running?)"))
}
