//! Technicians, bays and accident-repair steps of one business day, read from
//! ClickHouse (written at the batch cadence, about once a second), with the
//! rates a director reads.
//!
//! Technician rates, each named as markets use them (kpi-reference §4.5). The
//! same Chinese word means different things in different groups, so each
//! rate's formula is the workshop's setting (`workshops.kpi.technician_rates`)
//! and every answer states it beside the rates. By default:
//! - 工时利用率 utilisation = worked ÷ attended
//! - 工时效率 efficiency = sold ÷ worked
//! - 生产率 productivity = sold ÷ attended

use super::api::{average_dwell_s, pct, workshop_and_settings};
use super::{AppError, AppState};
use crate::engine::{
    AccidentStep, BayDay, RateFormula, TechnicianDay, TechnicianRateFormulas, TechnicianSeconds,
};
use crate::events::{Event, EventBody};
use crate::store::{AccidentStepRow, BayDayRow, TechnicianDayRow, TechnicianTotalsRow};
use axum::Json;
use axum::extract::{Path, Query, State};
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
    /// Its rates.
    #[serde(flatten)]
    pub rates: TechnicianRates,
    /// What each rate divides by what.
    pub rate_formulas: TechnicianRateFormulas,
}

/// The technician rates of some attended, worked and sold seconds (one
/// technician's day, or a workshop's days summed first), in percent, by the
/// workshop's formulas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TechnicianRates {
    /// 工时利用率 (default worked ÷ attended).
    pub utilisation_pct: Option<f64>,
    /// 工时效率 (default sold ÷ worked).
    pub efficiency_pct: Option<f64>,
    /// 生产率 (default sold ÷ attended).
    pub productivity_pct: Option<f64>,
}

impl TechnicianRates {
    /// The rates of `seconds` by `formulas`.
    pub fn of(formulas: &TechnicianRateFormulas, seconds: TechnicianSeconds) -> Self {
        let rate = |formula: RateFormula| {
            let (numerator, denominator) = formula.terms(seconds);
            pct(numerator, denominator)
        };
        Self {
            utilisation_pct: rate(formulas.utilisation),
            efficiency_pct: rate(formulas.efficiency),
            productivity_pct: rate(formulas.productivity),
        }
    }
}

/// A workshop's technician time over a period: per day, and in total.
#[derive(Debug, Serialize)]
pub struct TechnicianTotalsView {
    /// The workshop.
    pub workshop_id: String,
    /// The first business day asked for.
    pub from: NaiveDate,
    /// The last business day asked for.
    pub to: NaiveDate,
    /// Each day with technician rows, oldest first.
    pub days: Vec<TechnicianTotals>,
    /// The whole period: the days' seconds summed, then divided.
    pub total: TechnicianTotals,
    /// What each rate divides by what.
    pub rate_formulas: TechnicianRateFormulas,
}

/// Summed technician seconds and the rates they give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TechnicianTotals {
    /// The business day (absent on the period's total).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_date: Option<NaiveDate>,
    /// Technician rows summed (technicians × days).
    pub technician_days: u64,
    /// Σ attended seconds (shift clock).
    pub attended_s: i64,
    /// Σ worked seconds (job clock).
    pub worked_s: i64,
    /// Σ sold seconds (standard time credited on the QC-pass day).
    pub sold_s: i64,
    /// Its rates.
    #[serde(flatten)]
    pub rates: TechnicianRates,
}

impl TechnicianTotals {
    /// Totals of `technician_days` rows with these seconds, rated by `formulas`.
    pub fn new(
        formulas: &TechnicianRateFormulas,
        business_date: Option<NaiveDate>,
        technician_days: u64,
        seconds: TechnicianSeconds,
    ) -> Self {
        Self {
            business_date,
            technician_days,
            attended_s: seconds.attended,
            worked_s: seconds.worked,
            sold_s: seconds.sold,
            rates: TechnicianRates::of(formulas, seconds),
        }
    }

    /// The summed seconds.
    fn seconds(&self) -> TechnicianSeconds {
        TechnicianSeconds {
            attended: self.attended_s,
            worked: self.worked_s,
            sold: self.sold_s,
        }
    }

    /// The period's total of `days`, rated by `formulas`.
    pub fn sum(formulas: &TechnicianRateFormulas, days: &[TechnicianTotals]) -> Self {
        let seconds = days
            .iter()
            .fold(TechnicianSeconds::default(), |sum, d| sum + d.seconds());
        Self::new(
            formulas,
            None,
            days.iter().map(|d| d.technician_days).sum(),
            seconds,
        )
    }
}

/// The longest period one request may read, in days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD` of the endpoints that read a period.
#[derive(Debug, serde::Deserialize)]
pub struct Period {
    /// First business day.
    pub from: String,
    /// Last business day.
    pub to: String,
}

impl Period {
    /// The first and last day, refused unless 1 to [`MAX_PERIOD_DAYS`] days.
    fn bounds(&self) -> Result<(NaiveDate, NaiveDate), AppError> {
        let (from, to) = (date(&self.from)?, date(&self.to)?);
        let days = (to - from).num_days() + 1;
        if !(1..=MAX_PERIOD_DAYS).contains(&days) {
            return Err(AppError::BadRequest(format!(
                "from {from} to {to} is {days} days; ask for 1 to {MAX_PERIOD_DAYS}, from not after to"
            )));
        }
        Ok((from, to))
    }
}

/// One clock correction of the audit trail: the `clock_adjusted` event as
/// received (technician, who corrected it and why, shift or job, the corrected
/// interval), with the day it corrects and the day it was made.
#[derive(Debug, Serialize)]
pub struct ClockAdjustmentView {
    /// The business day of the corrected interval's start, `YYYY-MM-DD`: the
    /// technician row whose `adjustments` counts it.
    pub corrected_date: NaiveDate,
    /// The business day the correction was made (its event's day).
    pub business_date: NaiveDate,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
}

/// `GET /api/v1/workshops/{id}/clock-adjustments?from=…&to=…`: every clock
/// correction of the days `from..=to` (by the day it corrects, as the
/// technician rows' `adjustments` count them), oldest first (docs/kpis.md §5.1).
pub async fn clock_adjustments(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Json<Vec<ClockAdjustmentView>>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    let (from, to) = period.bounds()?;
    let adjustments = state.store.clock_adjustments(&workshop).await?;
    Ok(Json(
        adjustments
            .into_iter()
            .filter_map(|(business_date, event)| {
                let EventBody::ClockAdjusted { on_at, .. } = &event.body else {
                    return None;
                };
                let corrected_date = settings.business_date(*on_at);
                (from..=to)
                    .contains(&corrected_date)
                    .then_some(ClockAdjustmentView {
                        corrected_date,
                        business_date,
                        event,
                    })
            })
            .collect(),
    ))
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
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    let formulas = settings.kpi.technician_rates;
    let rows = state.store.technician_day(&workshop, date(&day)?).await?;
    Ok(Json(
        rows.iter()
            .filter_map(|stored: &TechnicianDayRow| {
                let row = stored.to_technician_day()?;
                Some(TechnicianView {
                    workshop_id: stored.workshop_id.clone(),
                    business_date: stored.business_date,
                    version: stored.version,
                    rates: TechnicianRates::of(
                        &formulas,
                        TechnicianSeconds {
                            attended: row.attended_s,
                            worked: row.worked_s,
                            sold: row.sold_s,
                        },
                    ),
                    rate_formulas: formulas,
                    row,
                })
            })
            .collect(),
    ))
}

/// `GET /api/v1/workshops/{id}/technicians/totals?from=…&to=…`
pub async fn technician_totals(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Json<TechnicianTotalsView>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    let formulas = settings.kpi.technician_rates;
    let (from, to) = period.bounds()?;
    let rows = state.store.technician_totals(&workshop, from, to).await?;
    let days: Vec<TechnicianTotals> = rows
        .iter()
        .map(|r: &TechnicianTotalsRow| {
            TechnicianTotals::new(
                &formulas,
                Some(r.business_date),
                r.technicians,
                TechnicianSeconds {
                    attended: r.attended_s,
                    worked: r.worked_s,
                    sold: r.sold_s,
                },
            )
        })
        .collect();
    Ok(Json(TechnicianTotalsView {
        workshop_id: workshop.to_string(),
        from,
        to,
        total: TechnicianTotals::sum(&formulas, &days),
        days,
        rate_formulas: formulas,
    }))
}

/// `GET /api/v1/workshops/{id}/bays/days/{date}`
pub async fn bays(
    State(state): State<AppState>,
    Path((id, day)): Path<(String, String)>,
) -> Result<Json<Vec<BayView>>, AppError> {
    let (workshop, _) = workshop_and_settings(&state, &id)?;
    let rows = state.store.bay_day(&workshop, date(&day)?).await?;
    Ok(Json(
        rows.iter()
            .filter_map(|stored: &BayDayRow| {
                let row = stored.to_bay_day()?;
                Some(BayView {
                    workshop_id: stored.workshop_id.clone(),
                    business_date: stored.business_date,
                    version: stored.version,
                    utilisation_pct: pct(row.occupied_s, row.available_s),
                    average_dwell_s: average_dwell_s(row.dwell_s, row.turns),
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
        .await?;
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
