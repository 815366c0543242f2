//! The live side: the newest KPI row of every workshop-day in memory, and a
//! broadcast of each change to SSE clients. Ingest publishes the rows of the days its
//! events changed every 100 ms at most — before the batch is durable — so boards
//! move within a tenth of a second; ClickHouse follows at the batch cadence.

use crate::engine::{KpiDay, OpenRepairOrder};
use crate::events::WorkshopId;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::{PoisonError, RwLock};
use tokio::sync::broadcast;

/// How many updates a slow SSE client may fall behind before it skips ahead.
const BROADCAST_CAPACITY: usize = 4096;

/// Latest rows plus their change feed.
#[derive(Debug)]
pub struct Live {
    rows: RwLock<BTreeMap<(WorkshopId, NaiveDate), KpiDay>>,
    open_orders: RwLock<HashMap<WorkshopId, Arc<Vec<OpenRepairOrder>>>>,
    changes: broadcast::Sender<KpiDay>,
}

impl Default for Live {
    fn default() -> Self {
        Self {
            rows: RwLock::new(BTreeMap::new()),
            open_orders: RwLock::new(HashMap::new()),
            changes: broadcast::channel(BROADCAST_CAPACITY).0,
        }
    }
}

impl Live {
    /// Stores a row unless a newer version is already there, and broadcasts it.
    pub fn publish(&self, row: KpiDay) {
        let key = (row.workshop_id.clone(), row.business_date);
        {
            let mut rows = self.rows.write().unwrap_or_else(PoisonError::into_inner);
            if rows.get(&key).is_some_and(|old| old.version > row.version) {
                return;
            }
            rows.insert(key, row.clone());
        }
        // No subscribers is fine: nobody is watching a board right now.
        let _ = self.changes.send(row);
    }

    /// The row of a workshop-day, if any event of that day has been seen.
    pub fn get(&self, workshop: &WorkshopId, date: NaiveDate) -> Option<KpiDay> {
        let rows = self.rows.read().unwrap_or_else(PoisonError::into_inner);
        rows.get(&(workshop.clone(), date)).cloned()
    }

    /// The workshop's latest row before `date`.
    pub fn latest_before(&self, workshop: &WorkshopId, date: NaiveDate) -> Option<KpiDay> {
        let rows = self.rows.read().unwrap_or_else(PoisonError::into_inner);
        let first = NaiveDate::MIN;
        rows.range((workshop.clone(), first)..(workshop.clone(), date))
            .next_back()
            .map(|(_, row)| row.clone())
    }

    /// The business days of a workshop that have a row (had events).
    pub fn days(&self, workshop: &WorkshopId) -> BTreeSet<NaiveDate> {
        let rows = self.rows.read().unwrap_or_else(PoisonError::into_inner);
        rows.range((workshop.clone(), NaiveDate::MIN)..=(workshop.clone(), NaiveDate::MAX))
            .map(|((_, d), _)| *d)
            .collect()
    }

    /// Workshops with at least one row.
    pub fn workshops(&self) -> Vec<WorkshopId> {
        let rows = self.rows.read().unwrap_or_else(PoisonError::into_inner);
        let mut ids: Vec<WorkshopId> = rows.keys().map(|(w, _)| w.clone()).collect();
        ids.dedup();
        ids
    }

    /// Replaces a workshop's list of repair orders still in the workshop.
    pub fn publish_open_orders(&self, workshop: WorkshopId, open: Vec<OpenRepairOrder>) {
        let mut map = self
            .open_orders
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        map.insert(workshop, Arc::new(open));
    }

    /// A workshop's repair orders still in the workshop, as last published.
    pub fn open_orders(&self, workshop: &WorkshopId) -> Arc<Vec<OpenRepairOrder>> {
        let map = self
            .open_orders
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        map.get(workshop).cloned().unwrap_or_default()
    }

    /// A receiver of every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<KpiDay> {
        self.changes.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Fen;

    fn row(ws: &str, d: u32, version: u64, output: i64) -> KpiDay {
        let mut r = KpiDay::empty(
            WorkshopId::new(ws).expect("id"),
            NaiveDate::from_ymd_opt(2026, 11, d).expect("date"),
            0,
            Fen(0),
        );
        r.version = version;
        r.output_value_fen = output;
        r
    }

    #[test]
    fn older_versions_never_replace_newer_ones() {
        let live = Live::default();
        live.publish(row("W1", 2, 5, 500));
        live.publish(row("W1", 2, 4, 400));
        let ws = WorkshopId::new("W1").expect("id");
        let d2 = NaiveDate::from_ymd_opt(2026, 11, 2).expect("date");
        assert_eq!(live.get(&ws, d2).map(|r| r.output_value_fen), Some(500));
    }

    #[test]
    fn latest_before_skips_other_workshops_and_later_days() {
        let live = Live::default();
        live.publish(row("W1", 1, 1, 1));
        live.publish(row("W1", 3, 2, 3));
        live.publish(row("W2", 2, 1, 2));
        let ws = WorkshopId::new("W1").expect("id");
        let d3 = NaiveDate::from_ymd_opt(2026, 11, 3).expect("date");
        assert_eq!(
            live.latest_before(&ws, d3).map(|r| r.output_value_fen),
            Some(1)
        );
        assert_eq!(live.workshops().len(), 2);
    }
}
