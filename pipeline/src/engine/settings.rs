//! Per-workshop settings the engine needs: time zone (business days are local
//! calendar days) and targets. Plain data; `config` builds it from the config file.

use crate::events::{Fen, WorkshopId};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
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
    /// Definition variants and thresholds of the KPIs.
    pub kpi: KpiSettings,
    /// Local opening time (bay availability starts).
    pub opening_time: NaiveTime,
    /// Local closing time: forgotten clock-ons end here when the day is closed.
    pub closing_time: NaiveTime,
}

/// The configurable parts of KPI definitions (docs/kpis.md names each default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiSettings {
    /// On time means completed by the promise plus this many minutes.
    pub on_time_grace_minutes: i64,
    /// Which completion the headline on-time rate reads (both are kept).
    pub on_time_basis: OnTimeBasis,
    /// A later RO for the same vehicle within this many hours of delivery can be
    /// a comeback (返修) of the earlier one.
    pub comeback_window_hours: i64,
    /// ROs a service advisor should open in a day at most (seed 001: 12).
    pub advisor_daily_limit: u32,
    /// Minutes kept free for QC and washing before a promise (at-risk warning).
    pub at_risk_buffer_minutes: i64,
    /// Standard minutes of each accident-repair step, by step code.
    pub accident_steps: BTreeMap<String, u32>,
    /// What each technician rate divides by what (read by the API; the
    /// engine keeps the seconds).
    pub technician_rates: super::TechnicianRateFormulas,
}

/// What "completed" means for the headline on-time rate (kpi-reference §4.3):
/// the car ready for pickup (准时完工率) or handed to the customer (准时交车率).
/// The engine counts both on every day; this only picks the one a workshop
/// reads as "on time".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnTimeBasis {
    /// Ready for pickup by the promise (车辆移交): 准时完工率.
    Ready,
    /// Delivered by the promise: 准时交车率.
    Delivered,
}

impl Default for KpiSettings {
    fn default() -> Self {
        Self {
            on_time_grace_minutes: 0,
            on_time_basis: OnTimeBasis::Ready,
            comeback_window_hours: 30 * 24,
            advisor_daily_limit: 12,
            at_risk_buffer_minutes: 15,
            // Seed 000 names entry, parts supply and repair service; the
            // minutes are illustrative defaults [I] a workshop replaces.
            accident_steps: [
                ("entry", 30),
                ("parts_supply", 24 * 60),
                ("repair_service", 2 * 24 * 60),
            ]
            .into_iter()
            .map(|(step, minutes)| (step.to_string(), minutes))
            .collect(),
            technician_rates: super::TechnicianRateFormulas::default(),
        }
    }
}

impl WorkshopSettings {
    /// The business day an instant falls on: its local calendar date.
    pub fn business_date(&self, at: DateTime<FixedOffset>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    /// The instant a local time of a business day is in the workshop's zone
    /// (the earlier one if a clock change repeats it); `None` if the zone
    /// skips it.
    pub fn local_instant(&self, date: NaiveDate, time: NaiveTime) -> Option<DateTime<FixedOffset>> {
        self.time_zone
            .from_local_datetime(&date.and_time(time))
            .earliest()
            .map(|t| t.fixed_offset())
    }

    /// The instants a business day's opening hours run from and to (a local
    /// time the zone skips is read as UTC, which no configured zone needs).
    pub fn opening_hours(&self, date: NaiveDate) -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
        let at = |t| {
            self.local_instant(date, t)
                .unwrap_or_else(|| date.and_time(t).and_utc().fixed_offset())
        };
        (at(self.opening_time), at(self.closing_time))
    }

    /// Seconds of opening hours between two instants (none if `to` is not
    /// after `from`); looks at most a year ahead.
    pub fn open_seconds_between(
        &self,
        from: DateTime<FixedOffset>,
        to: DateTime<FixedOffset>,
    ) -> i64 {
        if to <= from {
            return 0;
        }
        let last = self.business_date(to);
        self.business_date(from)
            .iter_days()
            .take_while(|d| *d <= last)
            .take(366)
            .map(|d| {
                let (open, close) = self.opening_hours(d);
                super::elapsed::whole_seconds(from.max(open), to.min(close))
            })
            .sum()
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
            kpi: KpiSettings::default(),
            opening_time: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or(NaiveTime::MIN),
            closing_time: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}
