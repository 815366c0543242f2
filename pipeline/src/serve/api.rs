//! JSON handlers for workshops and their KPI rows.

use super::{AppError, AppState};
use crate::engine::{KpiDay, OnTimeBasis, WorkshopSettings};
use crate::events::{Fen, WorkshopId};
use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::Serialize;

/// A KPI row as the API shows it: the stored row plus derived values and context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiView {
    /// The row.
    #[serde(flatten)]
    pub kpi: KpiDay,
    /// 单车产值 / 客单价: output value ÷ ROs settled, half-to-even; null if none settled.
    pub output_per_vehicle_fen: Option<i64>,
    /// Rates derived from the row's counts, in percent with one decimal (rounded
    /// half-to-even from the exact fraction); null when the denominator is 0.
    pub rates: Rates,
    /// The headline on-time rate, by the workshop's `on_time_basis`.
    pub on_time: OnTime,
    /// ROs an advisor should open in a day at most: an advisor of
    /// `advisor_intake` above it is over the limit.
    pub advisor_daily_limit: u32,
    /// The workshop's display name.
    pub workshop_name: String,
    /// The workshop's IANA time zone.
    pub time_zone: String,
    /// Whether a comeback could still restate this day's first-time fix: the
    /// comeback window since the day has not passed yet ("today" is the clock's).
    pub first_time_fix_provisional: bool,
    /// `live` (the in-process engine), `store` (ClickHouse), or `empty` (no
    /// events that day yet; work in progress carried over from the last day seen).
    pub source: &'static str,
}

/// The on-time rate a workshop reads as "on time": on-time completion or
/// on-time delivery, as its `workshops.kpi.on_time_basis` says (both are in
/// [`Rates`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnTime {
    /// `ready` (准时完工率) or `delivered` (准时交车率).
    pub basis: OnTimeBasis,
    /// That rate, in percent.
    pub pct: Option<f64>,
}

impl OnTime {
    /// The rate of `rates` that `basis` names.
    pub fn of(rates: &Rates, basis: OnTimeBasis) -> Self {
        Self {
            basis,
            pct: match basis {
                OnTimeBasis::Ready => rates.on_time_completion_pct,
                OnTimeBasis::Delivered => rates.on_time_delivery_pct,
            },
        }
    }
}

/// Percentages of a day, each with the counts it comes from in the row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rates {
    /// 预约率: intake_from_appointment ÷ intake.
    pub appointment_pct: Option<f64>,
    /// 准时完工率: completed_on_time ÷ completed_with_promise.
    pub on_time_completion_pct: Option<f64>,
    /// 准时交车率: delivered_on_time ÷ delivered_with_promise.
    pub on_time_delivery_pct: Option<f64>,
    /// 工单合格率 (QC first pass): qc_first_passed ÷ qc_first_inspections.
    pub qc_first_pass_pct: Option<f64>,
    /// 一次修复率: 1 − comebacks ÷ repairs_delivered.
    pub first_time_fix_pct: Option<f64>,
    /// 料工比: parts_fen ÷ labour_fen, two decimals.
    pub parts_to_labour: Option<f64>,
    /// 产值 ÷ target.
    pub output_target_pct: Option<f64>,
    /// 工位利用率: bay_occupied_s ÷ bay_available_s.
    pub bay_utilisation_pct: Option<f64>,
    /// 单工位产值: output value ÷ bays seen, fen (half-to-even).
    pub output_per_bay_fen: Option<i64>,
    /// 工位周转率: bay_turns ÷ bays_known, two decimals (half-to-even).
    pub bay_turns_per_bay: Option<f64>,
    /// 平均停留时长: bay_dwell_s ÷ bay_turns, seconds, truncated like each
    /// bay's `average_dwell_s`.
    pub average_dwell_s: Option<i64>,
}

/// `num ÷ den × 100`, one decimal, half-to-even; `None` for `den == 0`.
pub(super) fn pct(num: i64, den: i64) -> Option<f64> {
    (den != 0).then(|| {
        let tenths = crate::engine::output_value::div_round_half_even(
            i128::from(num) * 1000,
            i128::from(den),
        );
        tenths as f64 / 10.0
    })
}

/// Average seconds from occupancy to release of `turns` turns (a bay's or a
/// workshop's day), truncated to the second; `None` without a turn.
pub(super) fn average_dwell_s(dwell_s: i64, turns: u32) -> Option<i64> {
    (turns > 0).then(|| dwell_s / i64::from(turns))
}

/// `num ÷ den`, two decimals, half-to-even; `None` for `den == 0`.
fn hundredths(num: i64, den: i64) -> Option<f64> {
    (den != 0).then(|| {
        crate::engine::output_value::div_round_half_even(i128::from(num) * 100, i128::from(den))
            as f64
            / 100.0
    })
}

impl Rates {
    /// The rates of a row.
    pub fn of(k: &KpiDay) -> Self {
        let n = i64::from;
        Self {
            appointment_pct: pct(n(k.intake_from_appointment), n(k.intake)),
            on_time_completion_pct: pct(n(k.completed_on_time), n(k.completed_with_promise)),
            on_time_delivery_pct: pct(n(k.delivered_on_time), n(k.delivered_with_promise)),
            qc_first_pass_pct: pct(n(k.qc_first_passed), n(k.qc_first_inspections)),
            first_time_fix_pct: pct(
                n(k.repairs_delivered) - n(k.comebacks),
                n(k.repairs_delivered),
            ),
            parts_to_labour: hundredths(k.parts_fen, k.labour_fen),
            output_target_pct: pct(k.output_value_fen, k.output_target_fen),
            bay_utilisation_pct: pct(k.bay_occupied_s, k.bay_available_s),
            output_per_bay_fen: (k.bays_known > 0).then(|| {
                crate::engine::output_value::div_round_half_even(
                    i128::from(k.output_value_fen),
                    i128::from(k.bays_known),
                ) as i64
            }),
            bay_turns_per_bay: hundredths(n(k.bay_turns), n(k.bays_known)),
            average_dwell_s: average_dwell_s(k.bay_dwell_s, k.bay_turns),
        }
    }
}

impl KpiView {
    /// The view of `kpi` for a workshop with `settings`.
    pub fn new(
        kpi: KpiDay,
        settings: &WorkshopSettings,
        today: NaiveDate,
        source: &'static str,
    ) -> Self {
        let window_days = (settings.kpi.comeback_window_hours + 23) / 24;
        let rates = Rates::of(&kpi);
        Self {
            first_time_fix_provisional: kpi.business_date + chrono::Duration::days(window_days)
                >= today,
            output_per_vehicle_fen: kpi.output_per_vehicle_fen(),
            on_time: OnTime::of(&rates, settings.kpi.on_time_basis),
            advisor_daily_limit: settings.kpi.advisor_daily_limit,
            rates,
            workshop_name: if settings.name.is_empty() {
                kpi.workshop_id.to_string()
            } else {
                settings.name.clone()
            },
            time_zone: settings.time_zone.name().to_string(),
            kpi,
            source,
        }
    }
}

/// One workshop in the list.
#[derive(Debug, Serialize)]
pub struct WorkshopView {
    /// Id.
    pub workshop_id: String,
    /// Display name.
    pub name: String,
    /// Time zone.
    pub time_zone: String,
    /// Daily output target in fen.
    pub daily_output_target_fen: i64,
}

pub(super) fn workshop_and_settings(
    state: &AppState,
    id: &str,
) -> Result<(WorkshopId, WorkshopSettings), AppError> {
    let workshop = WorkshopId::new(id)
        .map_err(|e| AppError::BadRequest(format!("workshop id {id:?}: {e}")))?;
    let settings = state
        .directory
        .get(&workshop)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("workshop {workshop} is not configured")))?;
    Ok((workshop, settings))
}

/// `GET /api/v1/workshops`
pub async fn workshops(State(state): State<AppState>) -> Json<Vec<WorkshopView>> {
    let mut ids: Vec<WorkshopId> = state.directory.workshops.keys().cloned().collect();
    ids.extend(state.live.workshops());
    ids.sort();
    ids.dedup();
    let views = ids
        .into_iter()
        .filter_map(|id| {
            let settings = state.directory.get(&id)?;
            Some(WorkshopView {
                name: if settings.name.is_empty() {
                    id.to_string()
                } else {
                    settings.name.clone()
                },
                workshop_id: id.to_string(),
                time_zone: settings.time_zone.name().to_string(),
                daily_output_target_fen: settings.daily_output_target.0,
            })
        })
        .collect();
    Json(views)
}

/// `GET /api/v1/workshops/{id}/kpis/today`: "today" is the injected clock's date
/// in the workshop's time zone.
pub async fn today(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<KpiView>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    let date = settings.business_date(state.clock.now().fixed_offset());
    day_view(&state, workshop, &settings, date).await.map(Json)
}

/// `GET /api/v1/workshops/{id}/kpis/days/{date}`
pub async fn day(
    State(state): State<AppState>,
    Path((id, date)): Path<(String, String)>,
) -> Result<Json<KpiView>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map_err(|e| AppError::BadRequest(format!("date {date:?} is not YYYY-MM-DD: {e}")))?;
    day_view(&state, workshop, &settings, date).await.map(Json)
}

/// The row of a day: from the in-process engine when ingest runs here, else from
/// ClickHouse; a day without events is empty but carries the open ROs.
pub(super) async fn day_view(
    state: &AppState,
    workshop: WorkshopId,
    settings: &WorkshopSettings,
    date: NaiveDate,
) -> Result<KpiView, AppError> {
    let today = settings.business_date(state.clock.now().fixed_offset());
    let (found, before, source) = if state.has_ingest {
        (
            state.live.get(&workshop, date),
            state.live.latest_before(&workshop, date),
            "live",
        )
    } else {
        let readable = |row: crate::store::KpiDayRow| {
            row.to_kpi_day().ok_or_else(|| {
                AppError::Internal(format!(
                    "kpi_workshop_day row {} {} is not readable",
                    row.workshop_id, row.business_date
                ))
            })
        };
        let found = state.store.kpi_day(&workshop, date).await?;
        let found = found.map(readable).transpose()?;
        let before = if found.is_none() {
            let before = state.store.kpi_day_before(&workshop, date).await?;
            before.map(readable).transpose()?
        } else {
            None
        };
        (found, before, "store")
    };
    Ok(match found {
        Some(kpi) => KpiView::new(kpi, settings, today, source),
        None => {
            let wip = before.as_ref().map_or(0, |b| b.wip);
            let mut empty = KpiDay::empty(workshop, date, wip, Fen(settings.daily_output_target.0));
            empty.version = before.map_or(0, |b| b.version);
            KpiView::new(empty, settings, today, "empty")
        }
    })
}
