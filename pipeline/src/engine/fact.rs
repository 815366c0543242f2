//! One event as the engine's parts file it: what each part's `absorb` reads.

use super::event_key::EventKey;
use crate::events::EventBody;
use chrono::{DateTime, FixedOffset, NaiveDate};

/// An event of one workshop, ready to be filed: its key (the order-independent
/// tiebreak, [`super::event_key`]), when it occurred, the workshop's business
/// day then, and what it says. Made once per event by `WorkshopState::absorb`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fact<'a> {
    /// `(occurred_at in milliseconds, event_id)`.
    pub key: &'a EventKey,
    /// When it occurred.
    pub at: DateTime<FixedOffset>,
    /// The business day of `at` in the workshop's time zone.
    pub day: NaiveDate,
    /// What it says.
    pub body: &'a EventBody,
}
