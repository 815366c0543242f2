//! Bays (工位): occupancy, turns, dwell and out-of-service time per bay and
//! business day, clipped to the workshop's opening hours.
//!
//! As for technicians, bay events are kept sorted by `(occurred_at, event_id)`
//! and turned into intervals when a row is asked for:
//! - `bay_occupied` while the bay is occupied ends the earlier occupancy there
//!   (the car left without a release);
//! - `bay_released` closes the open occupancy of the same repair order (else it
//!   is counted as unmatched) and is one turn (工位周转) on its business day;
//! - an occupancy or out-of-service spell still open covers each later day's
//!   opening hours up to the workshop's latest business day;
//! - a bay has a row on every business day from its first event on.
//!
//! A row walks only the marks around its day ([`day_window`]), so its cost
//! does not grow with the bay's history.

use super::day_window;
use super::elapsed::whole_seconds;
use super::fact::Fact;
use super::settings::WorkshopSettings;
use super::timeline::Timeline;
use crate::events::{BayId, EventBody, RepairOrderId};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// One bay on one business day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BayDay {
    /// The bay.
    pub bay_id: BayId,
    /// Seconds occupied within opening hours while in service.
    pub occupied_s: i64,
    /// Seconds out of service within opening hours.
    pub out_of_service_s: i64,
    /// Seconds available: opening hours minus out of service.
    pub available_s: i64,
    /// Occupancies ended by a release that day (turns).
    pub turns: u32,
    /// Total seconds, start to release, of the occupancies released that day.
    pub dwell_s: i64,
    /// Releases with no matching occupancy.
    pub unmatched_releases: u32,
}

#[derive(Debug, Clone)]
struct Mark {
    at: DateTime<FixedOffset>,
    /// The business day of `at`.
    day: NaiveDate,
    /// Occupied / out of service (the spell opens), or released / back (it closes).
    opens: bool,
    ro: Option<RepairOrderId>,
}

#[derive(Debug, Clone, Default)]
struct Bay {
    occupancy: Timeline<Mark>,
    service: Timeline<Mark>,
}

/// The spells of a bay around one day.
type Spells = smallvec::SmallVec<[Spell; 4]>;

#[derive(Debug, Clone)]
struct Spell {
    start: DateTime<FixedOffset>,
    /// `None`: still open.
    end: Option<DateTime<FixedOffset>>,
    /// The business day of the release that ended it (read from the mark,
    /// not converted from `end` again); `None` if no release ended it.
    released_on: Option<NaiveDate>,
}

/// All bays of one workshop.
#[derive(Debug, Clone, Default)]
pub struct Bays {
    bays: BTreeMap<BayId, Bay>,
}

impl Bays {
    /// Records a bay event; whether it was one. A bay event restates its own
    /// business day and every later one, and no earlier one: a spell's time
    /// on a day is clipped to that day's opening hours, which end before the
    /// next day begins, and turns, dwell and unmatched releases count on the
    /// day of their mark. (Open spells reach every later day.)
    pub fn absorb(&mut self, fact: &Fact) -> bool {
        let Fact { key, at, day, body } = *fact;
        let (bay, mark, occupancy) = match body {
            EventBody::BayOccupied { bay_id, ro_id, .. } => (
                bay_id,
                Mark {
                    at,
                    day,
                    opens: true,
                    ro: Some(ro_id.clone()),
                },
                true,
            ),
            EventBody::BayReleased { bay_id, ro_id } => (
                bay_id,
                Mark {
                    at,
                    day,
                    opens: false,
                    ro: Some(ro_id.clone()),
                },
                true,
            ),
            EventBody::BayOutOfService { bay_id, .. } => (
                bay_id,
                Mark {
                    at,
                    day,
                    opens: true,
                    ro: None,
                },
                false,
            ),
            EventBody::BayBackInService { bay_id } => (
                bay_id,
                Mark {
                    at,
                    day,
                    opens: false,
                    ro: None,
                },
                false,
            ),
            _ => return false,
        };
        let entry = slot!(self.bays, bay);
        let map = if occupancy {
            &mut entry.occupancy
        } else {
            &mut entry.service
        };
        map.insert(key.clone(), mark);
        true
    }

    /// Pairs marks into spells; counts the closing marks on `date` that close
    /// nothing (a release of another repair order, or with nothing open).
    /// (A day's marks make a spell or two: kept inline, and each spell's
    /// repair order is borrowed from its mark.)
    fn spells<'a>(marks: impl Iterator<Item = &'a Mark>, date: NaiveDate) -> (Spells, u32) {
        let mut out = Spells::new();
        let mut unmatched = 0;
        let mut open: Option<(DateTime<FixedOffset>, Option<&RepairOrderId>)> = None;
        for m in marks {
            if m.opens {
                if let Some((start, _)) = open.take() {
                    out.push(Spell {
                        start,
                        end: Some(m.at),
                        released_on: None,
                    });
                }
                open = Some((m.at, m.ro.as_ref()));
            } else {
                match open.take() {
                    Some((start, ro)) if ro == m.ro.as_ref() => out.push(Spell {
                        start,
                        end: Some(m.at),
                        released_on: Some(m.day),
                    }),
                    still_open => {
                        open = still_open;
                        unmatched += u32::from(m.day == date);
                    }
                }
            }
        }
        if let Some((start, _)) = open {
            out.push(Spell {
                start,
                end: None,
                released_on: None,
            });
        }
        (out, unmatched)
    }

    /// Seconds of the spell within `date`'s opening hours; an open spell runs
    /// to the end of them.
    fn clipped(spell: &Spell, open: DateTime<FixedOffset>, close: DateTime<FixedOffset>) -> i64 {
        whole_seconds(spell.start.max(open), spell.end.unwrap_or(close).min(close))
    }

    /// The bay rows of a business day.
    pub fn rows(&self, settings: &WorkshopSettings, date: NaiveDate) -> Vec<BayDay> {
        let (open, close) = settings.opening_hours(date);
        let opening_hours = whole_seconds(open, close);
        let mut rows = Vec::with_capacity(self.bays.len());
        for (bay_id, bay) in &self.bays {
            // Marks are in time order: the first of each kind is the bay's first event.
            let first = [bay.occupancy.values().next(), bay.service.values().next()]
                .into_iter()
                .flatten()
                .map(|m| m.day)
                .min();
            if first.is_none_or(|f| f > date) {
                continue;
            }
            let (occupancies, unmatched) =
                Self::spells(day_window::around(&bay.occupancy, date, |m| m.opens), date);
            let (outages, _) =
                Self::spells(day_window::around(&bay.service, date, |m| m.opens), date);
            let released_today = occupancies.iter().filter(|s| s.released_on == Some(date));
            let out_of_service_s: i64 = outages.iter().map(|s| Self::clipped(s, open, close)).sum();
            // A car standing on a bay that is out of service does not make it
            // busier than available: that time counts as neither.
            let occupied_in_service: i64 = occupancies
                .iter()
                .map(|o| {
                    let overlap: i64 = outages
                        .iter()
                        .map(|x| {
                            let start = o.start.max(x.start).max(open);
                            let end = o
                                .end
                                .unwrap_or(close)
                                .min(x.end.unwrap_or(close))
                                .min(close);
                            whole_seconds(start, end)
                        })
                        .sum();
                    Self::clipped(o, open, close) - overlap
                })
                .sum();
            rows.push(BayDay {
                bay_id: bay_id.clone(),
                occupied_s: occupied_in_service,
                out_of_service_s,
                available_s: (opening_hours - out_of_service_s).max(0),
                turns: released_today.clone().count() as u32,
                dwell_s: released_today
                    .filter_map(|s| s.end.map(|e| whole_seconds(s.start, e)))
                    .sum(),
                unmatched_releases: unmatched,
            });
        }
        rows
    }
}
