//! The live attention list of a workshop board: repair orders past their promise
//! (overdue, 超时) and those that will likely miss it (at risk, 预警). The engine
//! supplies the facts ([`OpenRepairOrder`]); "now" is a parameter, so the rule
//! is pure and tested with fixed instants.
//!
//! At risk (kpi-reference §7): the remaining standard time of the unfinished
//! jobs, Σ max(0, standard − worked so far), divided by the technicians on the
//! repair order, exceeds the time left before the promise minus a QC/wash
//! buffer (default 15 minutes).

use super::repair_orders::OpenOrder;
use super::technicians::JobProgress;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use chrono_tz::Tz;
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
        /// Minutes left before the promise, less the buffer.
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

/// The attention list at `now`: overdue orders first (longest overdue first),
/// then those at risk (least slack first). Orders without a promise are not
/// judged.
pub fn assess(
    open: &[OpenRepairOrder],
    now: DateTime<Utc>,
    tz: Tz,
    buffer: Duration,
) -> Vec<Attention> {
    let now = now.fixed_offset();
    let mut out: Vec<Attention> = open
        .iter()
        .filter_map(|o| judge(o, now, tz, buffer))
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
    tz: Tz,
    buffer: Duration,
) -> Option<Attention> {
    let promise = o.order.promised_at?;
    let at = promise.with_timezone(&tz).format("%H:%M").to_string();
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
            reason_zh: format!("已超时{}（承诺 {at}）{parts_zh}", span_zh(minutes_late)),
            reason_en: format!(
                "overdue by {} (promised {at}){parts_en}",
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
    let minutes_left = (promise - now - buffer).num_minutes();
    (minutes_needed > minutes_left).then(|| Attention {
        order: o.order.clone(),
        concern: Concern::AtRisk {
            minutes_needed,
            minutes_left,
        },
        reason_zh: format!(
            "剩余工时{}，距承诺 {at} 仅{}{parts_zh}",
            span_zh(minutes_needed),
            span_zh(minutes_left.max(0))
        ),
        reason_en: format!(
            "needs {} of work, {} left before the {at} promise{parts_en}",
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
        let list = assess(&open, now, chrono_tz::Asia::Shanghai, Duration::minutes(15));
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
            "needs 1 h of work, 45 min left before the 16:00 promise"
        );
    }

    #[test]
    fn most_overdue_first() {
        let now = t("17:00").with_timezone(&Utc);
        let open = vec![
            order("late", Some("16:30"), vec![], false),
            order("later", Some("12:00"), vec![], false),
        ];
        let list = assess(&open, now, chrono_tz::Asia::Shanghai, Duration::minutes(15));
        assert_eq!(list[0].order.ro_id.as_str(), "later");
        assert_eq!(list[0].concern, Concern::Overdue { minutes_late: 300 });
        assert_eq!(list[0].reason_en, "overdue by 5 h (promised 12:00)");
    }
}
