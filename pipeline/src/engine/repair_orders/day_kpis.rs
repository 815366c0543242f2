//! The repair-order KPIs of a business day: intake, work in progress,
//! appointments, advisor load, on-time completion, QC first pass and
//! first-time fix (a comeback is charged to the earlier order's day).

use super::{RepairOrder, RepairOrders};
use crate::engine::kpi_day::{AdvisorIntake, KpiDay};
use crate::engine::settings::KpiSettings;
use crate::events::{AdvisorId, JobType, RepairOrderId};
use chrono::Duration;
use std::collections::BTreeMap;

impl RepairOrders {
    /// The earlier repair order a comeback `x` is charged to: the latest one of
    /// the same vehicle delivered before `x` opened, within the window, of a
    /// repair job type, sharing a complaint code (or any, if `x` is flagged).
    fn original_of(
        &self,
        x_id: &RepairOrderId,
        x: &RepairOrder,
        window: Duration,
    ) -> Option<RepairOrderId> {
        let opened = x.opened.as_ref()?;
        if x.cancelled.is_some() {
            return None;
        }
        let candidates = self.by_vin.get(&opened.vin)?;
        candidates
            .iter()
            .filter(|id| *id != x_id)
            .filter_map(|id| self.ros.get(id).map(|r| (id, r)))
            .filter_map(|(id, r)| {
                let delivered = r.delivered.as_ref()?;
                let earlier = r.opened.as_ref()?;
                let in_window =
                    delivered.at < opened.stamp.at && opened.stamp.at - delivered.at <= window;
                let matches = opened.flagged_comeback
                    || earlier
                        .complaint_codes
                        .iter()
                        .any(|c| opened.complaint_codes.binary_search(c).is_ok());
                (in_window && matches && r.is_repair() && r.cancelled.is_none())
                    .then(|| (delivered.key.clone(), id.clone()))
            })
            .max()
            .map(|(_, id)| id)
    }

    /// Whether some later repair order of the same vehicle is a comeback
    /// charged to `id` (see [`Self::original_of`]).
    fn came_back(&self, id: &RepairOrderId, ro: &RepairOrder, window: Duration) -> bool {
        let Some(vin) = ro.opened.as_ref().map(|o| &o.vin) else {
            return false;
        };
        self.by_vin.get(vin).into_iter().flatten().any(|x_id| {
            x_id != id
                && self
                    .ros
                    .get(x_id)
                    .and_then(|x| self.original_of(x_id, x, window))
                    .is_some_and(|original| original == *id)
        })
    }

    /// Fills the repair-order KPIs of `row` (its business day) from the facts
    /// of the repair orders filed under that day.
    pub fn fill(&self, row: &mut KpiDay, kpi: &KpiSettings) {
        let date = row.business_date;
        let grace = Duration::minutes(kpi.on_time_grace_minutes);
        let window = Duration::hours(kpi.comeback_window_hours);
        // In advisor-id order: the row lists them so.
        let mut per_advisor: BTreeMap<&AdvisorId, u32> = BTreeMap::new();
        let wip: i64 = self.wip_changes.range(..=date).map(|(_, n)| n).sum();
        row.wip = u32::try_from(wip).unwrap_or(0);
        let filed = self.by_day.get(&date).into_iter().flatten();
        for (id, ro) in filed.filter_map(|id| self.ros.get(id).map(|ro| (id, ro))) {
            let live = ro.cancelled.is_none();
            for (waits_day, minutes) in ro.parts_waits() {
                if waits_day == date {
                    row.parts_waits_ended += 1;
                    row.parts_wait_minutes += minutes;
                }
            }
            if live
                && let Some((first_day, passed)) = ro.first_qc
                && first_day == date
            {
                row.qc_first_inspections += 1;
                row.qc_first_passed += u32::from(passed);
            }
            let Some(opened) = &ro.opened else { continue };
            if opened.stamp.day == date && live && opened.job_type != JobType::Internal {
                row.intake += 1;
                row.intake_from_appointment += u32::from(opened.from_appointment);
                *per_advisor.entry(&opened.advisor).or_default() += 1;
            }
            if !live {
                continue;
            }
            let ready = ro.ready.as_ref().filter(|r| r.day == date);
            let delivered = ro.delivered.as_ref().filter(|d| d.day == date);
            // The promise (and its deadline) only for an order ready or
            // delivered that day: most orders filed on a day are neither.
            if (ready.is_some() || delivered.is_some())
                && let (Some(promise), revisions) = ro.effective_promise()
            {
                let by = promise + grace;
                if let Some(ready) = ready {
                    row.completed_with_promise += 1;
                    row.completed_on_time += u32::from(ready.at <= by);
                    row.promise_revisions += revisions;
                }
                if let Some(delivered) = delivered {
                    row.delivered_with_promise += 1;
                    row.delivered_on_time += u32::from(delivered.at <= by);
                }
            }
            if delivered.is_some() && ro.is_repair() {
                row.repairs_delivered += 1;
                row.comebacks += u32::from(self.came_back(id, ro, window));
            }
        }
        row.advisor_intake = per_advisor
            .iter()
            .map(|(advisor, intake)| AdvisorIntake {
                advisor_id: (*advisor).clone(),
                intake: *intake,
            })
            .collect();
        row.advisors_active = per_advisor.len() as u32;
        row.advisor_max_intake = per_advisor.values().copied().max().unwrap_or(0);
        row.advisors_over_limit = per_advisor
            .values()
            .filter(|n| **n > kpi.advisor_daily_limit)
            .count() as u32;
        row.no_shows = self.no_shows.get(&date).map_or(0, |s| s.len() as u32);
    }
}
