//! # Workshop Pulse load test
//!
//! A deterministic synthetic workshop day ([`simulate::simulate_day`]): the same
//! seed, date and workshops always give the same events, byte for byte. The
//! numbers follow `kpi-reference.md` §5 (job-type mix, ticket sizes, hours, VAT).
//! [`produce`] sends them to Kafka, keyed by workshop, optionally paced so a
//! board can be watched filling up. [`engine_bench`] holds the engine
//! benchmark's inputs and measured paths; [`engine_capacity`] measures the
//! engine on many workshops with weeks of history.

pub mod engine_bench;
pub mod engine_capacity;
pub mod produce;
pub mod simulate;
