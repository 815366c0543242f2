//! The business day of an event's instant, without a time-zone lookup per
//! event: a workshop's events come mostly in time order, so the UTC bounds of
//! the last day looked up answer nearly every question, and the zone is read
//! once per business day.

use super::settings::WorkshopSettings;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone};

/// The last business day looked up, as the UTC milliseconds it runs from
/// (inclusive) and to (exclusive).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DayMemo {
    last: Option<(i64, i64, NaiveDate)>,
}

impl DayMemo {
    /// `settings.business_date(at)`, answered from the remembered day when
    /// `at` falls inside it.
    pub(super) fn business_date(
        &mut self,
        settings: &WorkshopSettings,
        at: DateTime<FixedOffset>,
    ) -> NaiveDate {
        let ms = at.timestamp_millis();
        if let Some((from, to, day)) = self.last
            && (from..to).contains(&ms)
        {
            return day;
        }
        let day = settings.business_date(at);
        self.last = utc_bounds(settings, day).map(|(from, to)| (from, to, day));
        day
    }
}

/// The UTC milliseconds business day `day` runs from and to, if the zone's
/// offset is the same at both ends (so every instant between has that local
/// date). A day with a clock change, or whose midnight the zone skips, is
/// not remembered: each of its instants is looked up.
fn utc_bounds(settings: &WorkshopSettings, day: NaiveDate) -> Option<(i64, i64)> {
    let midnight = settings.local_instant(day, NaiveTime::MIN)?;
    let from = midnight.timestamp_millis();
    let to = from + 24 * 3_600_000;
    let last = DateTime::from_timestamp_millis(to - 1)?.naive_utc();
    let offset = settings.time_zone.offset_from_utc_datetime(&last).fix();
    (offset == *midnight.offset()).then_some((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    /// Every 37 minutes over 2000–2030, in zones with clock changes at or
    /// around midnight, half-hour changes and a skipped day: the memo agrees
    /// with the time-zone lookup on every instant, walking forward and back.
    #[test]
    fn agrees_with_the_zone_lookup() {
        let zones = [
            chrono_tz::Asia::Shanghai,
            chrono_tz::America::New_York,
            chrono_tz::America::Santiago,
            chrono_tz::America::Havana,
            chrono_tz::Asia::Tehran,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::Pacific::Apia,
            chrono_tz::Europe::London,
        ];
        let start = Utc
            .with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
            .single()
            .expect("start");
        let step = Duration::minutes(37);
        let steps = (Duration::days(31 * 365).num_minutes() / 37) as i32;
        for zone in zones {
            let settings = WorkshopSettings {
                time_zone: zone,
                ..WorkshopSettings::default()
            };
            let mut memo = DayMemo::default();
            for n in (0..steps).chain((0..steps).rev()) {
                let at = (start + step * n).fixed_offset();
                assert_eq!(
                    memo.business_date(&settings, at),
                    settings.business_date(at),
                    "{zone} at {at}"
                );
            }
        }
    }
}
