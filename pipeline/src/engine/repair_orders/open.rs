//! The repair orders still in the workshop, for the live attention list.

use super::RepairOrders;
use crate::events::{AdvisorId, JobType, RepairOrderId};
use chrono::{DateTime, FixedOffset};

impl RepairOrders {
    /// Repair orders still in the workshop: opened, not cancelled, not ready
    /// for pickup or delivered, in id order. (The live attention list watches
    /// these.)
    pub fn open_orders(&self) -> Vec<OpenOrder> {
        let mut ids: Vec<&RepairOrderId> = self.open.iter().collect();
        ids.sort_unstable();
        ids.into_iter()
            .filter_map(|id| self.ros.get(id).map(|r| (id, r)))
            .filter_map(|(id, r)| {
                let o = r.opened.as_ref()?;
                let (promised_at, promise_revisions) = r.effective_promise();
                Some(OpenOrder {
                    ro_id: id.clone(),
                    plate: o.plate.clone(),
                    job_type: o.job_type,
                    advisor_id: o.advisor.clone(),
                    opened_at: o.stamp.at,
                    promised_at,
                    promise_revisions,
                    waiting_for_parts: r
                        .parts
                        .values()
                        .next_back()
                        .is_some_and(|(waiting, _, _)| *waiting),
                })
            })
            .collect()
    }
}

/// The facts of a repair order still in the workshop.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpenOrder {
    /// The repair order.
    pub ro_id: RepairOrderId,
    /// Licence plate.
    pub plate: String,
    /// Kind of work.
    pub job_type: JobType,
    /// Its service advisor.
    pub advisor_id: AdvisorId,
    /// When it was opened.
    pub opened_at: DateTime<FixedOffset>,
    /// The promise last given to the customer (revisions made in time count).
    pub promised_at: Option<DateTime<FixedOffset>>,
    /// Revisions that counted.
    pub promise_revisions: u32,
    /// Whether it is waiting for parts right now.
    pub waiting_for_parts: bool,
}
