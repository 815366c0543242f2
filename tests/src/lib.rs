//! Harness for end-to-end tests against the real services: the Apache Kafka broker
//! and the ClickHouse server that `docker/local/services.sh start` runs. Each test
//! gets its own topic prefix, consumer group and database, so tests share one
//! broker and one server without seeing each other's data.
//!
//! A test that needs the services and does not find them fails with the command
//! that starts them; it never skips.

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use workshop_pulse::clock::SharedClock;
use workshop_pulse::config::{ClickHouseConfig, Config, KafkaConfig};
use workshop_pulse::events::{Topic, TopicNames};
use workshop_pulse::store::Store;

/// The command that starts the services, named in every "not up" failure.
pub const START_COMMAND: &str = "docker/local/services.sh start";

/// Checks that a broker and a ClickHouse server answer real requests; the error
/// names what is missing and the command that starts it.
pub async fn check_services(
    kafka: &KafkaConfig,
    clickhouse: &ClickHouseConfig,
) -> Result<(), String> {
    let mut missing = Vec::new();
    if let Err(e) = workshop_pulse::kafka::admin::wait_ready(kafka, Duration::from_secs(5)).await {
        missing.push(format!("Kafka at {} did not answer ({e})", kafka.brokers));
    }
    if let Err(e) = Store::new(clickhouse).ping().await {
        missing.push(format!(
            "ClickHouse at {} did not answer ({e})",
            clickhouse.url
        ));
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "end-to-end tests need the real services: {}. Start them with `{START_COMMAND}` \
             (or run the whole suite with `docker/local/test.sh`).",
            missing.join("; ")
        ))
    }
}

/// The project's state directory, where the scripts keep the broker's cluster id.
pub fn state_dir() -> PathBuf {
    std::env::var_os("WORKSHOP_PULSE_STATE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.local"))
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// One test's isolated slice of the services.
pub struct TestEnv {
    /// The pipeline configuration for this test.
    pub config: Config,
    /// Topic names with this test's prefix.
    pub names: TopicNames,
    producer: FutureProducer,
}

impl TestEnv {
    /// Checks the services (failing loudly if they are down), then creates this
    /// test's topics and database.
    pub async fn new(test: &str) -> Self {
        let mut config = Config::default();
        if let Ok(brokers) = std::env::var("WP_KAFKA_BROKERS") {
            config.kafka.brokers = brokers;
        }
        if let Ok(url) = std::env::var("WP_CLICKHOUSE_URL") {
            config.clickhouse.url = url;
        }
        if let Err(message) = check_services(&config.kafka, &config.clickhouse).await {
            panic!("{message}");
        }
        let unique = format!(
            "{}_{}_{}",
            test,
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        config.kafka.topic_prefix = format!("e2e-{}", unique.replace('_', "-"));
        config.kafka.group_id = format!("e2e-{unique}");
        config.kafka.partitions = 3;
        config.clickhouse.database = format!("wp_e2e_{unique}");
        config.ingest.batch_max_ms = 200;
        // Scripted days are in the past: the scheduler would close them. Tests
        // that want it switch it on.
        config.day_close.enabled = false;
        config
            .validate()
            .unwrap_or_else(|e| panic!("test config: {e}"));
        let names = TopicNames::new(&config.kafka.topic_prefix);
        workshop_pulse::app::create_topics(&config, Duration::from_secs(30))
            .await
            .unwrap_or_else(|e| panic!("creating topics: {e}"));
        let producer = workshop_pulse::kafka::producer_config(&config.kafka)
            .create()
            .unwrap_or_else(|e| panic!("producer: {e}"));
        Self {
            config,
            names,
            producer,
        }
    }

    /// The test's database.
    pub fn store(&self) -> Store {
        Store::new(&self.config.clickhouse)
    }

    /// Produces raw bytes to a source topic and waits for the acknowledgement.
    pub async fn produce(&self, topic: Topic, key: &str, payload: &[u8]) {
        let name = self.names.source(topic);
        self.producer
            .send(
                FutureRecord::to(&name).key(key).payload(payload),
                Duration::from_secs(10),
            )
            .await
            .unwrap_or_else(|(e, _)| panic!("producing to {name}: {e}"));
    }

    fn group_consumer(&self) -> BaseConsumer {
        ClientConfig::new()
            .set("bootstrap.servers", &self.config.kafka.brokers)
            .set("group.id", &self.config.kafka.group_id)
            .set("enable.auto.commit", "false")
            .create()
            .unwrap_or_else(|e| panic!("consumer: {e}"))
    }

    /// For every partition of the three source topics: (committed offset of the
    /// pipeline's group, high watermark). On a freshly formatted broker the group
    /// coordinator may not exist yet ("Not coordinator"): that is an `Err` to retry.
    pub fn committed_and_ends(&self) -> Result<Vec<(String, i32, i64, i64)>, String> {
        let consumer = self.group_consumer();
        let timeout = Duration::from_secs(5);
        let mut tpl = TopicPartitionList::new();
        for topic in Topic::ALL {
            for p in 0..self.config.kafka.partitions {
                tpl.add_partition(&self.names.source(topic), p);
            }
        }
        let committed = consumer
            .committed_offsets(tpl, timeout)
            .map_err(|e| format!("committed offsets: {e}"))?;
        committed
            .elements()
            .iter()
            .map(|e| {
                let (_, high) = consumer
                    .fetch_watermarks(e.topic(), e.partition(), timeout)
                    .map_err(|err| format!("watermarks: {err}"))?;
                let offset = match e.offset() {
                    Offset::Offset(o) => o,
                    _ => 0,
                };
                Ok((e.topic().to_string(), e.partition(), offset, high))
            })
            .collect()
    }

    /// Waits until the group's committed offsets equal the end of every partition.
    pub async fn wait_until_committed(&self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let state = self.committed_and_ends();
            if let Ok(partitions) = &state
                && partitions
                    .iter()
                    .all(|(_, _, committed, high)| committed == high)
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "offsets not committed within {within:?}: {state:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Starts `run` (ingest + serve) in this process on a free port.
    pub async fn start_pipeline(&self, clock: SharedClock) -> RunningPipeline {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("binding: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("address: {e}"));
        let shutdown = CancellationToken::new();
        let config = self.config.clone();
        let token = shutdown.clone();
        let task = tokio::spawn(async move {
            workshop_pulse::app::run(&config, clock, listener, token)
                .await
                .map_err(|e| e.to_string())
        });
        let pipeline = RunningPipeline {
            addr,
            shutdown,
            task,
        };
        pipeline.wait_healthy().await;
        pipeline
    }

    /// Drops the database and deletes the topics.
    pub async fn cleanup(self) {
        let _ = self.store().drop_database().await;
        if let Ok(admin) = workshop_pulse::kafka::admin::admin_client(&self.config.kafka) {
            let names = self.names.all();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let _ = admin
                .delete_topics(&refs, &rdkafka::admin::AdminOptions::new())
                .await;
        }
    }
}

/// A pipeline running in this process.
pub struct RunningPipeline {
    /// Where it listens.
    pub addr: SocketAddr,
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), String>>,
}

impl RunningPipeline {
    /// `http://addr` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The JSON answer to `GET path`, which must succeed.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let url = self.url(path);
        let response = reqwest::get(&url)
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert!(
            response.status().is_success(),
            "GET {url}: {}",
            response.status()
        );
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"))
    }

    async fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = reqwest::Client::new();
        loop {
            if let Ok(r) = client.get(self.url("/healthz")).send().await
                && r.status().is_success()
            {
                return;
            }
            assert!(
                !self.task.is_finished(),
                "the pipeline stopped during start-up"
            );
            assert!(
                Instant::now() < deadline,
                "the pipeline did not become healthy"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops it as SIGTERM would (flush, commit) and returns its result.
    pub async fn stop(self) -> Result<(), String> {
        self.shutdown.cancel();
        self.task
            .await
            .unwrap_or_else(|e| Err(format!("pipeline task panicked: {e}")))
    }
}
