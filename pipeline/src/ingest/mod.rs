//! The consumer: one rdkafka consumer-group member reading the three source
//! topics. Each message is decoded and applied to the engine at once; the rows
//! of the days it changed reach the board at the next tick (≤ 100 ms). Every
//! `batch_max_rows` messages or `batch_max_ms`, the batch's events and dead
//! letters are written; at most once per `batch_max_ms`, the KPI rows of every
//! day changed since the last such write, and only then are the offsets of the
//! batches before it committed ([`OwedRows`]). A crash therefore replays at most
//! what was read since the last row write, and replays change nothing (event-id
//! dedup, versioned rows).

mod batch;
mod dead_letters;
mod process;

pub use batch::{Batch, OwedRows};
pub use process::{DeadLetter, Incoming, Outcome, process};

use crate::config::Config;
use crate::engine::Engine;
use crate::events::TopicNames;
use crate::kafka::{self, KafkaError};
use crate::live::Live;
use crate::store::{
    AccidentStepRow, BayDayRow, KafkaPosition, KpiDayRow, Store, StoreError, TechnicianDayRow,
};
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::Message;
use rdkafka::producer::FutureProducer;
use rdkafka::{Offset, TopicPartitionList};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Why ingest stopped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The broker failed.
    #[error(transparent)]
    Kafka(#[from] KafkaError),
    /// ClickHouse kept failing after retries; nothing was committed for the batch.
    #[error("giving up after {attempts} attempts: {source}")]
    Store {
        /// Attempts made.
        attempts: u32,
        /// The last error.
        source: StoreError,
    },
    /// The dead-letter topic did not acknowledge.
    #[error("producing dead letters: {0}")]
    DeadLetterTopic(rdkafka::error::KafkaError),
}

/// Attempts for one write before ingest gives up (and exits for a restart).
const WRITE_ATTEMPTS: u32 = 8;

/// The running consumer and everything it writes to.
pub struct Ingest {
    consumer: StreamConsumer,
    worker: Worker,
}

/// Everything but the consumer, so a borrowed message and the state it changes
/// can be used at once.
struct Worker {
    producer: FutureProducer,
    store: Store,
    engine: Engine,
    live: Arc<Live>,
    names: TopicNames,
    max_rows: usize,
    max_age: Duration,
    batch: Batch,
    /// KPI rows owed since rows were last written, with the offsets waiting
    /// for them.
    owed: OwedRows,
    /// Offsets whose commit failed; retried with the next row write.
    uncommitted: batch::Offsets,
    /// Workshop-days changed since the live view was last refreshed: rows are
    /// computed once per tick (≤ 100 ms), not once per message.
    live_dirty: batch::WorkshopDays,
}

impl Ingest {
    /// Connects to the broker and subscribes. `engine` holds the state rebuilt from
    /// `events_raw`; its rows are written once more in the first flush so a crash
    /// between writing events and their KPI rows leaves nothing stale.
    pub fn new(
        config: &Config,
        store: Store,
        engine: Engine,
        live: Arc<Live>,
    ) -> Result<Self, KafkaError> {
        let names = TopicNames::new(&config.kafka.topic_prefix);
        let consumer: StreamConsumer = kafka::consumer_config(&config.kafka)
            .create()
            .map_err(|e| KafkaError::client(&config.kafka, e))?;
        let sources: Vec<String> = crate::events::Topic::ALL
            .iter()
            .map(|t| names.source(*t))
            .collect();
        let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
        consumer
            .subscribe(&refs)
            .map_err(|e| KafkaError::client(&config.kafka, e))?;
        let producer: FutureProducer = kafka::producer_config(&config.kafka)
            .create()
            .map_err(|e| KafkaError::client(&config.kafka, e))?;
        let mut owed = OwedRows::default();
        for row in engine.all_rows() {
            owed.mark_dirty(row.workshop_id.clone(), row.business_date);
            live.publish(row);
        }
        for workshop in engine.workshop_ids() {
            live.publish_open_orders(workshop.clone(), engine.open_repair_orders(&workshop));
        }
        let worker = Worker {
            producer,
            store,
            engine,
            live,
            names,
            max_rows: config.ingest.batch_max_rows,
            max_age: Duration::from_millis(config.ingest.batch_max_ms),
            batch: Batch::default(),
            owed,
            uncommitted: BTreeMap::new(),
            live_dirty: Default::default(),
        };
        Ok(Self { consumer, worker })
    }

    /// Consumes until `shutdown`, then flushes and commits what it has.
    pub async fn run(self, shutdown: CancellationToken) -> Result<(), IngestError> {
        let Ingest {
            consumer,
            mut worker,
        } = self;
        let mut tick = tokio::time::interval(worker.max_age.min(Duration::from_millis(100)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                _ = tick.tick() => {
                    worker.publish_live();
                    if worker.batch.is_due(worker.max_rows, worker.max_age)
                        || worker.owed.is_due(worker.max_age)
                    {
                        worker.flush(&consumer, false).await?;
                    }
                }
                received = consumer.recv() => match received {
                    Ok(message) => {
                        worker.handle(&message);
                        if worker.batch.is_due(worker.max_rows, worker.max_age) {
                            drop(message);
                            worker.flush(&consumer, false).await?;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "kafka consumer error; continuing");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
            }
        }
        worker.flush(&consumer, true).await?;
        tracing::info!("ingest stopped after a final flush");
        Ok(())
    }
}

impl Worker {
    /// Publishes the rows of the workshop-days changed since the last call.
    fn publish_live(&mut self) {
        for (workshop, day) in std::mem::take(&mut self.live_dirty) {
            if let Some(row) = self.engine.row(&workshop, day) {
                self.live.publish(row);
            }
        }
    }

    fn handle(&mut self, message: &rdkafka::message::BorrowedMessage<'_>) {
        let position = KafkaPosition {
            topic: message.topic().to_string(),
            partition: message.partition(),
            offset: message.offset(),
        };
        // Subscribed to exactly our three topics, so the name always parses.
        let Some(topic) = self.names.parse_source(message.topic()) else {
            tracing::error!(
                topic = message.topic(),
                "message from a topic not subscribed to"
            );
            return;
        };
        let outcome = process(
            &mut self.engine,
            Incoming {
                topic,
                position: &position,
                key: message.key(),
                payload: message.payload(),
            },
        );
        match &outcome {
            Outcome::Accepted { workshop, days, .. } => {
                self.live_dirty
                    .extend(days.iter().map(|d| (workshop.clone(), d)));
            }
            Outcome::Refused(dead) => tracing::warn!(
                topic = %position.topic, partition = position.partition, offset = position.offset,
                reason = dead.error.reason.code(), detail = %dead.error.detail, "dead letter"
            ),
            Outcome::Duplicate => {}
        }
        self.batch.record(&position, outcome);
    }

    /// Writes the batch's events and dead letters; then, if they are due (or
    /// `finally`), the rows owed, and commits the offsets waiting for them.
    /// Nothing is committed unless every write before it succeeded.
    async fn flush(&mut self, consumer: &StreamConsumer, finally: bool) -> Result<(), IngestError> {
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            self.write_events(&batch).await?;
            self.owed.absorb(batch);
        }
        if finally || self.owed.is_due(self.max_age) {
            self.write_rows(consumer).await?;
        }
        Ok(())
    }

    /// Writes a batch's events and dead letters.
    async fn write_events(&self, batch: &Batch) -> Result<(), IngestError> {
        let store = self.store.clone();
        retry("events_raw", || store.insert_events(&batch.events)).await?;
        if !batch.dead_letters.is_empty() {
            dead_letters::produce(
                &self.producer,
                &self.names.dead_letters(),
                &batch.dead_letters,
            )
            .await
            .map_err(IngestError::DeadLetterTopic)?;
            let now = chrono::Utc::now();
            let rows: Vec<_> = batch
                .dead_letters
                .iter()
                .map(|d| dead_letters::row(d, now))
                .collect();
            retry("dead_letters", || store.insert_dead_letters(&rows)).await?;
        }
        tracing::debug!(
            messages = batch.messages(),
            events = batch.events.len(),
            dead_letters = batch.dead_letters.len(),
            "events durable"
        );
        Ok(())
    }

    /// Writes every row owed (each changed workshop-day's KPI, technician, bay
    /// and accident-step rows), publishes them, then commits the offsets of
    /// the batches they cover.
    async fn write_rows(&mut self, consumer: &StreamConsumer) -> Result<(), IngestError> {
        let owed = self.owed.take();
        let store = self.store.clone();
        let mut rows = Vec::new();
        let mut technicians: Vec<TechnicianDayRow> = Vec::new();
        let mut bays: Vec<BayDayRow> = Vec::new();
        let mut steps: Vec<AccidentStepRow> = Vec::new();
        for (w, d) in &owed.dirty {
            let Some(day) = self.engine.day_rows(w, *d) else {
                continue;
            };
            let v = day.kpi.version;
            technicians.extend(
                day.technicians
                    .iter()
                    .map(|t| TechnicianDayRow::new(w, *d, v, t)),
            );
            bays.extend(day.bays.iter().map(|b| BayDayRow::new(w, *d, v, b)));
            steps.extend(
                day.accident_steps
                    .iter()
                    .map(|s| AccidentStepRow::new(w, *d, v, s)),
            );
            rows.push(day.kpi);
        }
        if !rows.is_empty() {
            let kpis: Vec<KpiDayRow> = rows.iter().map(KpiDayRow::from).collect();
            retry("kpi_technician_day", || {
                store.insert_technician_days(&technicians)
            })
            .await?;
            retry("kpi_bay_day", || store.insert_bay_days(&bays)).await?;
            retry("kpi_accident_step", || store.insert_accident_steps(&steps)).await?;
            retry("kpi_workshop_day", || store.insert_kpi_days(&kpis)).await?;
        }
        tracing::debug!(kpi_rows = rows.len(), "rows durable");
        // The durable rows carry the version ClickHouse now has; publishing them
        // keeps the live view and the store on the same version.
        let workshops: std::collections::BTreeSet<_> =
            rows.iter().map(|r| r.workshop_id.clone()).collect();
        for row in rows {
            self.live.publish(row);
        }
        // Those rows cover every day changed since the last tick.
        self.live_dirty.clear();
        for workshop in workshops {
            let open = self.engine.open_repair_orders(&workshop);
            self.live.publish_open_orders(workshop, open);
        }
        for (partition, next) in owed.offsets {
            batch::keep_highest(&mut self.uncommitted, partition, next);
        }
        self.commit(consumer);
        Ok(())
    }

    /// Commits the durable offsets of partitions still assigned to this member.
    /// A failed commit is kept and retried with the next row write; a revoked
    /// partition's offsets are dropped (its new owner replays, idempotently).
    fn commit(&mut self, consumer: &StreamConsumer) {
        let assigned = consumer.assignment().unwrap_or_default();
        self.uncommitted
            .retain(|(t, p), _| assigned.find_partition(t, *p).is_some());
        if self.uncommitted.is_empty() {
            return;
        }
        let mut tpl = TopicPartitionList::new();
        for ((topic, partition), next) in &self.uncommitted {
            if let Err(e) = tpl.add_partition_offset(topic, *partition, Offset::Offset(*next)) {
                tracing::error!(error = %e, "building the commit list");
            }
        }
        match consumer.commit(&tpl, CommitMode::Sync) {
            Ok(()) => self.uncommitted.clear(),
            Err(e) => {
                tracing::warn!(error = %e, "offset commit failed; retrying with the next flush")
            }
        }
    }
}

/// Runs a write until it succeeds, with capped exponential backoff.
async fn retry<F, Fut>(what: &str, mut write: F) -> Result<(), IngestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), StoreError>>,
{
    let mut delay = Duration::from_millis(100);
    let mut attempt = 1;
    loop {
        match write().await {
            Ok(()) => return Ok(()),
            Err(source) if attempt >= WRITE_ATTEMPTS => {
                return Err(IngestError::Store {
                    attempts: attempt,
                    source,
                });
            }
            Err(e) => {
                tracing::warn!(table = what, attempt, error = %e, "write failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
                attempt += 1;
            }
        }
    }
}
