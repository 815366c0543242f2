//! Wiring for the subcommands. Each takes its I/O (config, listener, clock,
//! shutdown token) as arguments, so tests drive the same code as the binary.

use crate::clock::SharedClock;
use crate::config::Config;
use crate::engine::{Applied, Engine};
use crate::events::TopicNames;
use crate::ingest::{Ingest, IngestError};
use crate::kafka::{self, KafkaError};
use crate::live::Live;
use crate::serve::{self, AppState};
use crate::store::{Store, StoreError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Why a subcommand failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Configuration.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The broker.
    #[error(transparent)]
    Kafka(#[from] KafkaError),
    /// ClickHouse.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The consumer.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The HTTP server.
    #[error("http server: {0}")]
    Http(#[from] std::io::Error),
}

/// `migrate`: creates the database and applies pending ClickHouse migrations.
pub async fn migrate(config: &Config) -> Result<Vec<u32>, RunError> {
    let store = Store::new(&config.clickhouse);
    store.ping().await?;
    Ok(store.migrate().await?)
}

/// `topics`: creates the three source topics and the dead-letter topic.
pub async fn create_topics(config: &Config, wait: Duration) -> Result<Vec<String>, RunError> {
    let names = TopicNames::new(&config.kafka.topic_prefix);
    Ok(kafka::admin::ensure_topics(&config.kafka, &names.all(), wait).await?)
}

/// `check`: waits until both services answer a real request.
pub async fn check(
    config: &Config,
    wait: Duration,
) -> Result<kafka::admin::BrokerIdentity, RunError> {
    let identity = kafka::admin::wait_ready(&config.kafka, wait).await?;
    let store = Store::new(&config.clickhouse);
    let deadline = Instant::now() + wait;
    loop {
        match store.ping().await {
            Ok(()) => return Ok(identity),
            Err(e) if Instant::now() >= deadline => return Err(e.into()),
            Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

/// `recompute`: rebuilds KPI rows of `range` from `events_raw`, compares them with
/// the table, and writes them unless `check_only`.
pub async fn recompute(
    config: &Config,
    range: crate::recompute::DayRange,
    check_only: bool,
) -> Result<crate::recompute::Report, RunError> {
    let store = Store::new(&config.clickhouse);
    store.ping().await?;
    let engine = Engine::new(config.workshop_directory()?);
    Ok(crate::recompute::recompute(&store, engine, range, check_only).await?)
}

/// Rebuilds the engine from `events_raw`, the source of truth.
pub async fn rebuild_engine(config: &Config, store: &Store) -> Result<Engine, RunError> {
    let started = Instant::now();
    let mut engine = Engine::new(config.workshop_directory()?);
    let events = store.load_events().await?;
    let mut refused = 0usize;
    for event in &events {
        if let Applied::Refused(_) = engine.apply(event) {
            refused += 1;
        }
    }
    tracing::info!(
        events = events.len(),
        refused,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "engine rebuilt from events_raw"
    );
    Ok(engine)
}

fn app_state(
    config: &Config,
    store: Store,
    live: Arc<Live>,
    has_ingest: bool,
    clock: SharedClock,
    shutdown: CancellationToken,
) -> Result<AppState, RunError> {
    Ok(AppState {
        live,
        has_ingest,
        store,
        kafka: config.kafka.clone(),
        kafka_admin: Arc::new(kafka::admin::admin_client(&config.kafka)?),
        directory: Arc::new(config.workshop_directory()?),
        clock,
        dashboards_dir: config.http.dashboards_dir.clone(),
        shutdown,
    })
}

async fn serve_until(
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
) -> Result<(), RunError> {
    tracing::info!(addr = %listener.local_addr()?, "serving boards and API");
    axum::serve(listener, serve::app(state))
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await?;
    Ok(())
}

/// `run`: ingest and serve in one process, the default for one workshop group.
/// Prepares what it needs first (ClickHouse schema, topics), then rebuilds the
/// engine from `events_raw` and consumes from the committed offsets.
pub async fn run(
    config: &Config,
    clock: SharedClock,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> Result<(), RunError> {
    let applied = migrate(config).await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "clickhouse migrations applied");
    }
    create_topics(config, Duration::from_secs(30)).await?;
    let store = Store::new(&config.clickhouse);
    let engine = rebuild_engine(config, &store).await?;
    let live = Arc::new(Live::default());
    let ingest = Ingest::new(config, store.clone(), engine, live.clone())?;
    let state = app_state(
        config,
        store,
        live.clone(),
        true,
        clock.clone(),
        shutdown.clone(),
    )?;
    let scheduler = async {
        if !config.day_close.enabled {
            return Ok(());
        }
        let result = crate::day_close::run(config.clone(), live, clock, shutdown.clone()).await;
        if result.is_err() {
            shutdown.cancel();
        }
        result.map_err(RunError::from)
    };
    let server = serve_until(listener, state, shutdown.clone());
    let consumer = async {
        let result = ingest.run(shutdown.clone()).await;
        // Ingest failing stops the whole process: a board must not show numbers
        // that no longer move without saying so.
        shutdown.cancel();
        result.map_err(RunError::from)
    };
    let (served, consumed, scheduled) = tokio::join!(server, consumer, scheduler);
    consumed?;
    scheduled?;
    served
}

/// `ingest`: the consumer alone (scale-out: several in one consumer group).
pub async fn ingest(config: &Config, shutdown: CancellationToken) -> Result<(), RunError> {
    let store = Store::new(&config.clickhouse);
    store.ping().await?;
    let engine = rebuild_engine(config, &store).await?;
    let live = Arc::new(Live::default());
    Ingest::new(config, store, engine, live)?
        .run(shutdown)
        .await?;
    Ok(())
}

/// `serve`: the API and boards alone, reading KPI rows from ClickHouse. Without an
/// engine in this process, SSE clients get today's row from ClickHouse once a
/// minute instead of at every change; instant updates need `run` (a snapshot
/// topic for separate serve replicas is future work).
pub async fn serve(
    config: &Config,
    clock: SharedClock,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> Result<(), RunError> {
    let store = Store::new(&config.clickhouse);
    let state = app_state(
        config,
        store,
        Arc::new(Live::default()),
        false,
        clock,
        shutdown.clone(),
    )?;
    serve_until(listener, state, shutdown).await
}
