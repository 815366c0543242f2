//! The live attention list of a workshop board: repair orders past their promise
//! (overdue, 超时) and those that will likely miss it (at risk, 预警). The engine
//! supplies the facts ([`OpenRepairOrder`]); "now" is a parameter, so the rule
//! is pure and tested with fixed instants.
//!
//! At risk (kpi-reference §7): the remaining standard time of the unfinished
//! jobs, Σ max(0, standard − worked so far), divided by the technicians on the
//! repair order, exceeds the working time left before the promise — the
//! workshop's opening hours between now and then, so a night does not count as
//! time to work — minus a QC/wash buffer (default 15 minutes).

use super::repair_orders::OpenOrder;
use super::settings::WorkshopSettings;
use super::technicians::JobProgress;
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

/// A repair order still in the workshop, with its jobs' progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenRepairOrder {
    /// The order's facts.
    #[serde(flatten)]
    pub order: OpenOrder,
    /// Its jobs.
    pub jobs: Vec<JobProgress>,
}

/// Why a repair order needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Concern {
    /// Past its promise.
    Overdue {
        /// Minutes past the promise.
        minutes_late: i64,
    },
    /// Not past its promise, but the remaining work will not fit.
    AtRisk {
        /// Minutes of standard work left, per technician.
        minutes_needed: i64,
        /// Minutes of opening hours left before the promise, less the buffer.
        minutes_left: i64,
    },
}

/// One entry of the attention list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attention {
    /// The repair order.
    #[serde(flatten)]
    pub order: OpenOrder,
    /// What is wrong.
    pub concern: Concern,
    /// The reason in Chinese, for the board.
    pub reason_zh: String,
    /// The reason in English.
    pub reason_en: String,
}

fn hm(minutes: i64) -> (i64, i64) {
    (minutes / 60, minutes % 60)
}

fn span_en(minutes: i64) -> String {
    match hm(minutes) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn span_zh(minutes: i64) -> String {
    match hm(minutes) {
        (0, m) => format!("{m}分钟"),
        (h, 0) => format!("{h}小时"),
        (h, m) => format!("{h}小时{m}分"),
    }
}

/// The promise as the board shows it: `HH:MM` today, with 明天/tomorrow or
/// 昨天/yesterday next to today, else with its `MM-DD`.
fn promise_label(
    promise: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    settings: &WorkshopSettings,
) -> (String, String) {
    let local = promise.with_timezone(&settings.time_zone);
    let hm = local.format("%H:%M").to_string();
    let days = (local.date_naive() - settings.business_date(now)).num_days();
    match days {
        0 => (hm.clone(), hm),
        1 => (format!("明天 {hm}"), format!("{hm} tomorrow")),
        -1 => (format!("昨天 {hm}"), format!("{hm} yesterday")),
        _ => {
            let dated = local.format("%m-%d %H:%M").to_string();
            (dated.clone(), dated)
        }
    }
}

/// The attention list at `now`: overdue orders first (longest overdue first),
/// then those at risk (least slack first). Orders without a promise are not
/// judged. The workshop's settings give its time zone, opening hours and
/// at-risk buffer.
pub fn assess(
    open: &[OpenRepairOrder],
    now: DateTime<Utc>,
    settings: &WorkshopSettings,
) -> Vec<Attention> {
    let now = now.fixed_offset();
    let mut out: Vec<Attention> = open
        .iter()
        .filter_map(|o| judge(o, now, settings))
        .collect();
    out.sort_by_key(|a| match a.concern {
        Concern::Overdue { minutes_late } => (0, -minutes_late),
        Concern::AtRisk {
            minutes_needed,
            minutes_left,
        } => (1, minutes_left - minutes_needed),
    });
    out
}

fn judge(
    o: &OpenRepairOrder,
    now: DateTime<FixedOffset>,
    settings: &WorkshopSettings,
) -> Option<Attention> {
    let promise = o.order.promised_at?;
    let (at_zh, at_en) = promise_label(promise, now, settings);
    let parts_zh = if o.order.waiting_for_parts {
        "，待料"
    } else {
        ""
    };
    let parts_en = if o.order.waiting_for_parts {
        ", waiting for parts"
    } else {
        ""
    };
    if now > promise {
        let minutes_late = (now - promise).num_minutes();
        return Some(Attention {
            order: o.order.clone(),
            concern: Concern::Overdue { minutes_late },
            reason_zh: format!("已超时{}（承诺 {at_zh}）{parts_zh}", span_zh(minutes_late)),
            reason_en: format!(
                "overdue by {} (promised {at_en}){parts_en}",
                span_en(minutes_late)
            ),
        });
    }
    let remaining_s: i64 = o
        .jobs
        .iter()
        .map(|j| {
            let running: i64 = j
                .open_since
                .iter()
                .map(|s| (now - *s).num_seconds().max(0))
                .sum();
            (j.standard_s - j.worked_s - running).max(0)
        })
        .sum();
    let technicians = o
        .jobs
        .iter()
        .map(|j| j.technicians)
        .max()
        .unwrap_or(0)
        .max(1);
    let minutes_needed = remaining_s / 60 / i64::from(technicians);
    let minutes_left =
        settings.open_seconds_between(now, promise) / 60 - settings.kpi.at_risk_buffer_minutes;
    (minutes_needed > minutes_left).then(|| Attention {
        order: o.order.clone(),
        concern: Concern::AtRisk {
            minutes_needed,
            minutes_left,
        },
        reason_zh: format!(
            "剩余工时{}，距承诺 {at_zh} 仅余工作时间{}{parts_zh}",
            span_zh(minutes_needed),
            span_zh(minutes_left.max(0))
        ),
        reason_en: format!(
            "needs {} of work, {} of working time left before the promise at {at_en}{parts_en}",
            span_en(minutes_needed),
            span_en(minutes_left.max(0))
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{AdvisorId, JobId, JobType, RepairOrderId};

    fn t(hm: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2026-11-23T{hm}:00+08:00")).expect("time")
    }

    fn order(
        ro: &str,
        promise: Option<&str>,
        jobs: Vec<JobProgress>,
        waiting: bool,
    ) -> OpenRepairOrder {
        OpenRepairOrder {
            order: OpenOrder {
                ro_id: RepairOrderId::new(ro).expect("ro"),
                plate: "沪A12345".into(),
                job_type: JobType::Repair,
                advisor_id: AdvisorId::new("SA1").expect("sa"),
                opened_at: t("09:00"),
                promised_at: promise.map(t),
                promise_revisions: 0,
                waiting_for_parts: waiting,
            },
            jobs,
        }
    }

    fn job(
        standard_min: i64,
        worked_min: i64,
        open_since: Option<&str>,
        technicians: u32,
    ) -> JobProgress {
        JobProgress {
            job_id: JobId::new("J1").expect("job"),
            standard_s: standard_min * 60,
            worked_s: worked_min * 60,
            open_since: open_since.map(t).into_iter().collect(),
            technicians,
        }
    }

    #[test]
    fn overdue_at_risk_and_fine() {
        let now = t("15:00").with_timezone(&Utc);
        let open = vec![
            // Promised 14:15: 45 minutes late, waiting for parts.
            order("A", Some("14:15"), vec![job(60, 60, None, 1)], true),
            // 180 min standard, 60 worked + clocked on since 14:00 (60 more):
            // 60 min needed; 16:00 − 15:00 − 15 = 45 min left → at risk.
            order(
                "B",
                Some("16:00"),
                vec![job(180, 60, Some("14:00"), 1)],
                false,
            ),
            // Same work with two technicians: 30 min needed of 45 → fine.
            order(
                "C",
                Some("16:00"),
                vec![job(180, 60, Some("14:00"), 2)],
                false,
            ),
            // No promise: not judged.
            order("D", None, vec![job(600, 0, None, 1)], false),
            // Promised 18:00, 2 h of work left: fine.
            order("E", Some("18:00"), vec![job(120, 0, None, 1)], false),
        ];
        let list = assess(&open, now, &WorkshopSettings::default());
        let ids: Vec<&str> = list.iter().map(|a| a.order.ro_id.as_str()).collect();
        assert_eq!(ids, ["A", "B"]);
        assert_eq!(list[0].concern, Concern::Overdue { minutes_late: 45 });
        assert_eq!(list[0].reason_zh, "已超时45分钟（承诺 14:15），待料");
        assert_eq!(
            list[0].reason_en,
            "overdue by 45 min (promised 14:15), waiting for parts"
        );
        assert_eq!(
            list[1].concern,
            Concern::AtRisk {
                minutes_needed: 60,
                minutes_left: 45
            }
        );
        assert_eq!(
            list[1].reason_en,
            "needs 1 h of work, 45 min of working time left before the promise at 16:00"
        );
        assert_eq!(
            list[1].reason_zh,
            "剩余工时1小时，距承诺 16:00 仅余工作时间45分钟"
        );
    }

    #[test]
    fn under_a_minute_late_is_overdue_by_0_min_and_inside_the_buffer_all_is_at_risk() {
        // 30 s past a 14:00 promise: overdue (now > promise), minutes truncated.
        let now = (t("14:00") + chrono::Duration::seconds(30)).with_timezone(&Utc);
        let list = assess(
            &[order("A", Some("14:00"), vec![], false)],
            now,
            &WorkshopSettings::default(),
        );
        assert_eq!(list[0].concern, Concern::Overdue { minutes_late: 0 });
        // 10 min before a promise, with the 15 min buffer: at risk with no
        // work left (0 needed, −5 left); 16 min before it, fine.
        let done = || vec![job(60, 60, None, 1)];
        let now = t("15:50").with_timezone(&Utc);
        let list = assess(
            &[order("B", Some("16:00"), done(), false)],
            now,
            &WorkshopSettings::default(),
        );
        assert_eq!(
            list[0].concern,
            Concern::AtRisk {
                minutes_needed: 0,
                minutes_left: -5
            }
        );
        assert_eq!(
            list[0].reason_en,
            "needs 0 min of work, 0 min of working time left before the promise at 16:00"
        );
        let now = t("15:44").with_timezone(&Utc);
        let list = assess(
            &[order("B", Some("16:00"), done(), false)],
            now,
            &WorkshopSettings::default(),
        );
        assert!(list.is_empty(), "{list:?}");
    }

    #[test]
    fn most_overdue_first() {
        let now = t("17:00").with_timezone(&Utc);
        let open = vec![
            order("late", Some("16:30"), vec![], false),
            order("later", Some("12:00"), vec![], false),
        ];
        let list = assess(&open, now, &WorkshopSettings::default());
        assert_eq!(list[0].order.ro_id.as_str(), "later");
        assert_eq!(list[0].concern, Concern::Overdue { minutes_late: 300 });
        assert_eq!(list[0].reason_en, "overdue by 5 h (promised 12:00)");
    }

    #[test]
    fn nights_are_not_working_time_and_other_days_show_their_date() {
        // 17:00; opening hours 08:30–18:00, buffer 15 min.
        let now = t("17:00").with_timezone(&Utc);
        let tomorrow = |hm: &str| {
            DateTime::parse_from_rfc3339(&format!("2026-11-24T{hm}:00+08:00")).expect("time")
        };
        let mut late = order("Y", None, vec![], false);
        late.order.promised_at =
            Some(DateTime::parse_from_rfc3339("2026-11-21T16:00:00+08:00").expect("t"));
        let promised = |ro: &str, at, standard_min| {
            let mut o = order(ro, None, vec![job(standard_min, 0, None, 1)], false);
            o.order.promised_at = Some(at);
            o
        };
        let open = vec![
            // 17 h of wall clock, but 60 min today + 90 min tomorrow morning
            // − 15 = 135 min of working time for 5 h of work: at risk.
            promised("T", tomorrow("10:00"), 300),
            // 2 h of work fits in those 135 min.
            promised("F", tomorrow("10:00"), 120),
            late,
        ];
        let list = assess(&open, now, &WorkshopSettings::default());
        let ids: Vec<&str> = list.iter().map(|a| a.order.ro_id.as_str()).collect();
        assert_eq!(ids, ["Y", "T"]);
        assert_eq!(list[0].reason_en, "overdue by 49 h (promised 11-21 16:00)");
        assert_eq!(list[0].reason_zh, "已超时49小时（承诺 11-21 16:00）");
        assert_eq!(
            list[1].concern,
            Concern::AtRisk {
                minutes_needed: 300,
                minutes_left: 135
            }
        );
        assert_eq!(
            list[1].reason_en,
            "needs 5 h of work, 2 h 15 min of working time left before the promise at 10:00 tomorrow"
        );
        assert_eq!(
            list[1].reason_zh,
            "剩余工时5小时，距承诺 明天 10:00 仅余工作时间2小时15分"
        );
    }
}
