//! Inserts. One INSERT per table per call: ClickHouse 18.16 slows down with many
//! small parts, so callers batch (ingest flushes about once a second).

use super::rows::{
    AccidentStepRow, BayDayRow, DeadLetterRow, EventRow, KpiDayRow, TechnicianDayRow,
};
use super::{Store, StoreError};
use clickhouse::Row;
use serde::Serialize;

impl Store {
    /// Inserts rows into `table` in one INSERT; nothing is sent for no rows.
    async fn insert_all<T>(&self, table: &str, rows: &[T]) -> Result<(), StoreError>
    where
        T: Row + Serialize + for<'a> Row<Value<'a> = T>,
    {
        if rows.is_empty() {
            return Ok(());
        }
        let what = format!("inserting {} rows into {table}", rows.len());
        let mut insert = self
            .client
            .insert::<T>(table)
            .await
            .map_err(self.error(what.clone()))?;
        for row in rows {
            insert.write(row).await.map_err(self.error(what.clone()))?;
        }
        insert.end().await.map_err(self.error(what))
    }

    /// Inserts valid events into `events_raw`.
    pub async fn insert_events(&self, rows: &[EventRow]) -> Result<(), StoreError> {
        self.insert_all("events_raw", rows).await
    }

    /// Inserts refused messages into `dead_letters`.
    pub async fn insert_dead_letters(&self, rows: &[DeadLetterRow]) -> Result<(), StoreError> {
        self.insert_all("dead_letters", rows).await
    }

    /// Inserts technician rows into `kpi_technician_day`.
    pub async fn insert_technician_days(
        &self,
        rows: &[TechnicianDayRow],
    ) -> Result<(), StoreError> {
        self.insert_all("kpi_technician_day", rows).await
    }

    /// Inserts bay rows into `kpi_bay_day`.
    pub async fn insert_bay_days(&self, rows: &[BayDayRow]) -> Result<(), StoreError> {
        self.insert_all("kpi_bay_day", rows).await
    }

    /// Inserts finished accident-repair steps into `kpi_accident_step`.
    pub async fn insert_accident_steps(&self, rows: &[AccidentStepRow]) -> Result<(), StoreError> {
        self.insert_all("kpi_accident_step", rows).await
    }

    /// Inserts KPI rows into `kpi_workshop_day`.
    pub async fn insert_kpi_days(&self, rows: &[KpiDayRow]) -> Result<(), StoreError> {
        self.insert_all("kpi_workshop_day", rows).await
    }
}
