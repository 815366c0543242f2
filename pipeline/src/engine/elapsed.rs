//! Whole seconds between two instants, the unit of every duration in the
//! technician and bay rows.
//!
//! Rows take thousands of these per workshop-day. chrono's general
//! subtraction of two `DateTime<FixedOffset>` (about 110 instructions, with
//! its leap-second rules) was a sixth of a technician row; the difference of
//! their Unix seconds, corrected by their sub-second parts, is the same
//! number outside a leap second, and a leap second still takes chrono's way.

use chrono::{DateTime, FixedOffset};

/// Nanoseconds chrono uses for a leap second (23:59:60) and beyond.
const LEAP: u32 = 1_000_000_000;

/// Whole seconds from `from` to `to`, none if `to` is not after `from`:
/// `(to - from).num_seconds().max(0)`.
pub(super) fn whole_seconds(from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> i64 {
    let (from_ns, to_ns) = (from.timestamp_subsec_nanos(), to.timestamp_subsec_nanos());
    if from_ns >= LEAP || to_ns >= LEAP {
        return (to - from).num_seconds().max(0);
    }
    (to.timestamp() - from.timestamp() - i64::from(to_ns < from_ns)).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    use proptest::prelude::*;

    fn instant(day: i64, ms_of_day: u32, nanos: u32, offset_s: i32) -> DateTime<FixedOffset> {
        let date =
            NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") + chrono::Days::new(day as u64);
        let secs = ms_of_day / 1000;
        // `nanos` may be a leap second's (from 1e9 on), which chrono allows
        // only at second 59 of a minute.
        let secs = if nanos >= LEAP {
            secs - secs % 60 + 59
        } else {
            secs
        };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos).expect("time");
        NaiveDateTime::new(date, time)
            .and_local_timezone(FixedOffset::east_opt(offset_s).expect("offset"))
            .single()
            .expect("instant")
    }

    #[test]
    fn whole_seconds_round_down_and_stop_at_zero() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("time");
        let t = |a, b| whole_seconds(at(a), at(b));
        assert_eq!(
            t(
                "2026-11-20T08:00:00.900+08:00",
                "2026-11-20T08:00:10.100+08:00"
            ),
            9
        );
        assert_eq!(
            t(
                "2026-11-20T08:00:00.100+08:00",
                "2026-11-20T08:00:10.900+08:00"
            ),
            10
        );
        assert_eq!(t("2026-11-20T00:00:00Z", "2026-11-20T08:00:01+08:00"), 1);
        assert_eq!(
            t("2026-11-20T08:00:10+08:00", "2026-11-20T08:00:00+08:00"),
            0
        );
        assert_eq!(
            t("2026-11-20T08:00:00.6+08:00", "2026-11-20T08:00:00.4+08:00"),
            0
        );
        // Around a leap second, whole seconds are chrono's.
        for (a, b) in [
            ("2016-12-31T23:59:59.5Z", "2016-12-31T23:59:60Z"),
            ("2016-12-31T23:59:60Z", "2017-01-01T00:00:01Z"),
            ("2016-12-31T23:59:58Z", "2016-12-31T23:59:60.5Z"),
        ] {
            assert_eq!(t(a, b), (at(b) - at(a)).num_seconds().max(0), "{a} → {b}");
        }
    }

    proptest! {
        #[test]
        fn whole_seconds_are_chronos(
            (day_a, ms_a, ns_a, off_a) in (0i64..800, 0u32..86_400_000, 0u32..1_999_999_999, -43_200i32..50_400),
            (day_b, ms_b, ns_b, off_b) in (0i64..800, 0u32..86_400_000, 0u32..1_999_999_999, -43_200i32..50_400),
            near in any::<bool>(),
        ) {
            let a = instant(day_a, ms_a, ns_a, off_a);
            // Often within a few seconds of `a`, where the sub-second parts decide.
            let b = if near {
                instant(day_a, ms_a.saturating_add(ms_b % 3_000).min(86_399_999), ns_b, off_a)
            } else {
                instant(day_b, ms_b, ns_b, off_b)
            };
            prop_assert_eq!(whole_seconds(a, b), (b - a).num_seconds().max(0));
            prop_assert_eq!(whole_seconds(b, a), (a - b).num_seconds().max(0));
        }
    }
}
