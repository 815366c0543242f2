//! Queries. Values are bound client-side with `?` (18.16 has no query parameters).

use super::rows::{
    AccidentStepRow, BayDayRow, EventRow, KpiDayRow, TechnicianDayRow, TechnicianTotalsRow,
};
use super::{Store, StoreError};
use crate::events::{Event, WorkshopId, decode, topic_of_type};
use chrono::NaiveDate;

impl Store {
    /// The latest version of one workshop-day row, if stored.
    pub async fn kpi_day(
        &self,
        workshop: &WorkshopId,
        date: NaiveDate,
    ) -> Result<Option<KpiDayRow>, StoreError> {
        self.client
            .query(
                "SELECT ?fields FROM kpi_workshop_day FINAL \
                 WHERE workshop_id = ? AND business_date = ?",
            )
            .bind(workshop.as_str())
            .bind(date.format("%Y-%m-%d").to_string())
            .fetch_optional::<KpiDayRow>()
            .await
            .map_err(self.error("reading kpi_workshop_day"))
    }

    /// The latest stored row of a workshop before `date` (its open ROs carry over).
    pub async fn kpi_day_before(
        &self,
        workshop: &WorkshopId,
        date: NaiveDate,
    ) -> Result<Option<KpiDayRow>, StoreError> {
        self.client
            .query(
                "SELECT ?fields FROM kpi_workshop_day FINAL \
                 WHERE workshop_id = ? AND business_date < ? \
                 ORDER BY business_date DESC LIMIT 1",
            )
            .bind(workshop.as_str())
            .bind(date.format("%Y-%m-%d").to_string())
            .fetch_optional::<KpiDayRow>()
            .await
            .map_err(self.error("reading kpi_workshop_day"))
    }

    /// Every KPI row, latest version, ordered by workshop and day.
    pub async fn kpi_days(&self) -> Result<Vec<KpiDayRow>, StoreError> {
        self.client
            .query("SELECT ?fields FROM kpi_workshop_day FINAL ORDER BY workshop_id, business_date")
            .fetch_all()
            .await
            .map_err(self.error("reading kpi_workshop_day"))
    }

    /// Rows of a per-technician or per-bay table, latest version, ordered by
    /// workshop, day and `entity`; all of them, or one workshop-day's.
    async fn entity_days<R>(
        &self,
        table: &str,
        entity: &str,
        day: Option<(&WorkshopId, NaiveDate)>,
    ) -> Result<Vec<R>, StoreError>
    where
        R: clickhouse::RowOwned + clickhouse::RowRead,
    {
        let filter = if day.is_some() {
            "WHERE workshop_id = ? AND business_date = ?"
        } else {
            ""
        };
        let sql = format!(
            "SELECT ?fields FROM {table} FINAL {filter} ORDER BY workshop_id, business_date, {entity}"
        );
        self.fetch_days(&sql, table, day).await
    }

    /// Runs `sql`, binding the workshop and then the day when `day` is given
    /// (the query has a `?` for each then).
    async fn fetch_days<R>(
        &self,
        sql: &str,
        table: &str,
        day: Option<(&WorkshopId, NaiveDate)>,
    ) -> Result<Vec<R>, StoreError>
    where
        R: clickhouse::RowOwned + clickhouse::RowRead,
    {
        let mut query = self.client.query(sql);
        if let Some((workshop, date)) = day {
            query = query
                .bind(workshop.as_str())
                .bind(date.format("%Y-%m-%d").to_string());
        }
        query
            .fetch_all()
            .await
            .map_err(self.error(format!("reading {table}")))
    }

    /// Every technician row, latest version, ordered by workshop, day, technician.
    pub async fn technician_days(&self) -> Result<Vec<TechnicianDayRow>, StoreError> {
        self.entity_days("kpi_technician_day", "technician_id", None)
            .await
    }

    /// One workshop-day's technician rows, latest version.
    pub async fn technician_day(
        &self,
        workshop: &WorkshopId,
        date: NaiveDate,
    ) -> Result<Vec<TechnicianDayRow>, StoreError> {
        self.entity_days(
            "kpi_technician_day",
            "technician_id",
            Some((workshop, date)),
        )
        .await
    }

    /// A workshop's technician rows of `from..=to` summed per day (latest
    /// versions), oldest day first; days without rows are absent.
    pub async fn technician_totals(
        &self,
        workshop: &WorkshopId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<TechnicianTotalsRow>, StoreError> {
        self.client
            .query(
                "SELECT business_date, count() AS technicians, sum(attended_s) AS attended_s, \
                 sum(worked_s) AS worked_s, sum(sold_s) AS sold_s \
                 FROM kpi_technician_day FINAL \
                 WHERE workshop_id = ? AND business_date >= ? AND business_date <= ? \
                 GROUP BY business_date ORDER BY business_date",
            )
            .bind(workshop.as_str())
            .bind(from.format("%Y-%m-%d").to_string())
            .bind(to.format("%Y-%m-%d").to_string())
            .fetch_all::<TechnicianTotalsRow>()
            .await
            .map_err(self.error("summing kpi_technician_day"))
    }

    /// Every bay row, latest version, ordered by workshop, day, bay.
    pub async fn bay_days(&self) -> Result<Vec<BayDayRow>, StoreError> {
        self.entity_days("kpi_bay_day", "bay_id", None).await
    }

    /// One workshop-day's bay rows, latest version.
    pub async fn bay_day(
        &self,
        workshop: &WorkshopId,
        date: NaiveDate,
    ) -> Result<Vec<BayDayRow>, StoreError> {
        self.entity_days("kpi_bay_day", "bay_id", Some((workshop, date)))
            .await
    }

    /// Finished accident-repair steps, latest version, ordered by workshop,
    /// finish day, repair order and step; all of them, or one workshop-day's.
    /// The table is keyed by step (a step can move to another finish day), so
    /// rows are folded first and filtered by day after.
    pub async fn accident_steps(
        &self,
        day: Option<(&WorkshopId, NaiveDate)>,
    ) -> Result<Vec<AccidentStepRow>, StoreError> {
        let (inner, outer) = if day.is_some() {
            ("WHERE workshop_id = ?", "WHERE business_date = ?")
        } else {
            ("", "")
        };
        let sql = format!(
            "SELECT ?fields FROM (SELECT * FROM kpi_accident_step FINAL {inner}) {outer} \
             ORDER BY workshop_id, business_date, ro_id, step"
        );
        self.fetch_days(&sql, "kpi_accident_step", day).await
    }

    /// Every stored event, decoded again with the same decoder as ingest. Used to
    /// rebuild the engine's state on start. Duplicated rows (not yet merged by
    /// ClickHouse) are returned too; the engine ignores them.
    pub async fn load_events(&self) -> Result<Vec<Event>, StoreError> {
        let rows: Vec<EventRow> = self
            .client
            .query("SELECT ?fields FROM events_raw ORDER BY workshop_id, occurred_at_ms, event_id")
            .fetch_all()
            .await
            .map_err(self.error("reading events_raw"))?;
        rows.iter().map(decoded).collect()
    }

    /// Every clock correction (`clock_adjusted`) of one workshop, each with
    /// the business day it was made on, in the order they occurred: the audit
    /// trail of corrected clockings (who, why, what). Read from `events_raw`,
    /// which keeps every event as it was received. (A correction can be made
    /// long after the day it corrects, so the caller picks by corrected day.)
    pub async fn clock_adjustments(
        &self,
        workshop: &WorkshopId,
    ) -> Result<Vec<(NaiveDate, Event)>, StoreError> {
        let rows: Vec<EventRow> = self
            .client
            .query(
                "SELECT ?fields FROM events_raw FINAL \
                 WHERE workshop_id = ? AND event_type = 'clock_adjusted' \
                 ORDER BY occurred_at_ms, event_id",
            )
            .bind(workshop.as_str())
            .fetch_all()
            .await
            .map_err(self.error("reading events_raw"))?;
        rows.iter()
            .map(|row| Ok((row.business_date, decoded(row)?)))
            .collect()
    }
}

/// A stored event decoded again with ingest's decoder.
fn decoded(row: &EventRow) -> Result<Event, StoreError> {
    let corrupt = |reason: String| StoreError::CorruptRow {
        event_id: row.event_id.clone(),
        reason,
    };
    let topic = topic_of_type(&row.event_type)
        .ok_or_else(|| corrupt(format!("unknown type {}", row.event_type)))?;
    decode(topic, row.payload.as_bytes()).map_err(|e| corrupt(e.to_string()))
}
