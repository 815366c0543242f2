//! Per-workshop settings the engine needs: time zone (business days are local
//! calendar days) and targets. Plain data; `config` builds it from the config file.

use crate::events::{Fen, WorkshopId};
use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// One workshop's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkshopSettings {
    /// Display name on boards.
    pub name: String,
    /// The workshop's IANA time zone; business days are its local dates.
    pub time_zone: Tz,
    /// Daily output-value (产值) target, net of tax.
    pub daily_output_target: Fen,
}

impl WorkshopSettings {
    /// The business day an instant falls on: its local calendar date.
    pub fn business_date(&self, at: DateTime<FixedOffset>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }
}

/// Settings for every workshop: configured ones, and the defaults that apply to
/// workshops not listed (when unknown workshops are accepted).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkshopDirectory {
    /// Settings for workshops not listed.
    pub defaults: WorkshopSettings,
    /// Listed workshops.
    pub workshops: BTreeMap<WorkshopId, WorkshopSettings>,
    /// Whether events of unlisted workshops are accepted (with the defaults).
    pub accept_unknown: bool,
}

impl WorkshopDirectory {
    /// A directory with no listed workshops that accepts any, using `defaults`.
    pub fn open(defaults: WorkshopSettings) -> Self {
        Self {
            defaults,
            workshops: BTreeMap::new(),
            accept_unknown: true,
        }
    }

    /// The settings of a workshop, or `None` if it is unknown and refused.
    pub fn get(&self, id: &WorkshopId) -> Option<&WorkshopSettings> {
        match self.workshops.get(id) {
            Some(s) => Some(s),
            None if self.accept_unknown => Some(&self.defaults),
            None => None,
        }
    }
}

impl Default for WorkshopSettings {
    fn default() -> Self {
        Self {
            name: String::new(),
            time_zone: chrono_tz::Asia::Shanghai,
            daily_output_target: Fen(0),
        }
    }
}
