//! # Workshop Pulse
//!
//! Live KPIs for car-dealer service workshops (4S after-sales): repair-order, bay
//! and technician-clock events arrive on Kafka, a pure engine turns them into
//! exact KPIs, ClickHouse keeps events and KPI rows, and an axum server feeds the
//! wall boards.
//!
//! ```text
//! Kafka ──▶ ingest ──decode──▶ engine (pure) ──▶ store (ClickHouse) ──▶ commit offsets
//!              │                   │
//!              └─▶ dead letters    └─▶ live (broadcast) ──▶ serve (axum, SSE) ──▶ boards
//! ```
//!
//! Where things live:
//! - [`events`]: event schema v1 — closed enums, newtype ids, money in fen, and
//!   [`events::decode`], the one place bytes become events or a precise refusal.
//! - [`engine`]: the pure, synchronous KPI engine; no I/O, no clock.
//! - [`kafka`]: the broker adapter — client settings, topic creation, readiness.
//! - [`store`]: the ClickHouse adapter — migrations, row types, inserts, queries.
//! - [`ingest`]: the consumer loop — decode, apply, batch, write, then commit.
//! - [`live`]: the latest KPI rows in memory and their broadcast to SSE clients.
//! - [`serve`]: the HTTP API, the SSE stream and the board's static files.
//! - [`config`]: typed configuration from file, environment and flags.
//! - [`day_close`]: the scheduler in `run` that publishes `day_closed` events.
//! - [`recompute`]: KPI rows rebuilt from `events_raw`, and their reconciliation
//!   with what streaming wrote.
//! - [`clock`]: the injected "now" for the live parts (never used by the engine).
//! - [`app`]: wiring for the subcommands (`run`, `ingest`, `serve`, `migrate`, …).

pub mod app;
pub mod clock;
pub mod config;
pub mod day_close;
pub mod engine;
pub mod events;
pub mod ingest;
pub mod kafka;
pub mod live;
pub mod recompute;
pub mod serve;
pub mod store;
