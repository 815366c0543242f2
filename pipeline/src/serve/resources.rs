//! Technicians, bays and accident-repair steps of one business day, read from
//! ClickHouse (written at the batch cadence, about once a second), with the
//! rates a director reads.
//!
//! Technician rates, each named as markets use them (kpi-reference §4.5; the
//! same Chinese word means different things in different groups, so every
//! rate states its formula):
//! - 工时利用率 utilisation = worked ÷ attended
//! - 工时效率 efficiency = sold ÷ worked
//! - 生产率 productivity = sold ÷ attended

use super::api::{pct, workshop_and_settings};
use super::{AppError, AppState};
use crate::engine::{AccidentStep, BayDay, TechnicianDay};
use crate::store::{AccidentStepRow, BayDayRow, TechnicianDayRow};
use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::Serialize;

/// One technician's day with rates.
#[derive(Debug, Serialize)]
pub struct TechnicianView {
    /// The workshop.
    pub workshop_id: String,
    /// The business day, `YYYY-MM-DD`.
    pub business_date: NaiveDate,
    /// Row version.
    pub version: u64,
    /// The stored values.
    #[serde(flatten)]
    pub row: TechnicianDay,
    /// 工时利用率: worked ÷ attended, percent.
    pub utilisation_pct: Option<f64>,
    /// 工时效率: sold ÷ worked, percent.
    pub efficiency_pct: Option<f64>,
    /// 生产率: sold ÷ attended, percent.
    pub productivity_pct: Option<f64>,
}

/// One bay's day with rates.
#[derive(Debug, Serialize)]
pub struct BayView {
    /// The workshop.
    pub workshop_id: String,
    /// The business day, `YYYY-MM-DD`.
    pub business_date: NaiveDate,
    /// Row version.
    pub version: u64,
    /// The stored values.
    #[serde(flatten)]
    pub row: BayDay,
    /// 工位利用率: occupied ÷ available, percent.
    pub utilisation_pct: Option<f64>,
    /// Average seconds from occupancy to release of the day's turns.
    pub average_dwell_s: Option<i64>,
}

/// One finished accident-repair step: a line of the time-control chart
/// (事故车时间控制表), times in the workshop's time zone.
#[derive(Debug, Serialize)]
pub struct AccidentStepView {
    /// The workshop.
    pub workshop_id: String,
    /// The business day the step finished, `YYYY-MM-DD`.
    pub business_date: NaiveDate,
    /// Row version.
    pub version: u64,
    /// The step: repair order, step code, responsible, signer, start, finish,
    /// actual minutes, standard and minutes over it.
    #[serde(flatten)]
    pub step: AccidentStep,
}

fn date(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| AppError::BadRequest(format!("date {text:?} is not YYYY-MM-DD: {e}")))
}

/// `GET /api/v1/workshops/{id}/technicians/days/{date}`
pub async fn technicians(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
) -> Result<Json<Vec<TechnicianView>>, AppError> {
    let (workshop, _) = workshop_and_settings(&state, &id)?;
    let rows = state
        .store
        .technician_day(&workshop, date(&day)?)
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    Ok(Json(
        rows.iter()
            .filter_map(|stored: &TechnicianDayRow| {
                let row = stored.to_technician_day()?;
                Some(TechnicianView {
                    workshop_id: stored.workshop_id.clone(),
                    business_date: stored.business_date,
                    version: stored.version,
                    utilisation_pct: pct(row.worked_s, row.attended_s),
                    efficiency_pct: pct(row.sold_s, row.worked_s),
                    productivity_pct: pct(row.sold_s, row.attended_s),
                    row,
                })
            })
            .collect(),
    ))
}

/// `GET /api/v1/workshops/{id}/bays/days/{date}`
pub async fn bays(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
) -> Result<Json<Vec<BayView>>, AppError> {
    let (workshop, _) = workshop_and_settings(&state, &id)?;
    let rows = state
        .store
        .bay_day(&workshop, date(&day)?)
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    Ok(Json(
        rows.iter()
            .filter_map(|stored: &BayDayRow| {
                let row = stored.to_bay_day()?;
                Some(BayView {
                    workshop_id: stored.workshop_id.clone(),
                    business_date: stored.business_date,
                    version: stored.version,
                    utilisation_pct: pct(row.occupied_s, row.available_s),
                    average_dwell_s: (row.turns > 0).then(|| row.dwell_s / i64::from(row.turns)),
                    row,
                })
            })
            .collect(),
    ))
}

/// `GET /api/v1/workshops/{id}/accident-steps/days/{date}`
pub async fn accident_steps(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
) -> Result<Json<Vec<AccidentStepView>>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    let rows = state
        .store
        .accident_steps(Some((&workshop, date(&day)?)))
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    Ok(Json(
        rows.iter()
            .filter_map(|stored: &AccidentStepRow| {
                Some(AccidentStepView {
                    workshop_id: stored.workshop_id.clone(),
                    business_date: stored.business_date,
                    version: stored.version,
                    step: stored.to_accident_step(settings.time_zone)?,
                })
            })
            .collect(),
    ))
}
