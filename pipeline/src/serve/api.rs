//! JSON handlers for workshops and their KPI rows.

use super::{AppError, AppState};
use crate::engine::{KpiDay, WorkshopSettings};
use crate::events::{Fen, WorkshopId};
use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::Serialize;

/// A KPI row as the API shows it: the stored row plus derived values and context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiView {
    /// The row.
    #[serde(flatten)]
    pub kpi: KpiDay,
    /// 单车产值: output value ÷ ROs settled, half-to-even; null if none settled.
    pub output_per_vehicle_fen: Option<i64>,
    /// The workshop's display name.
    pub workshop_name: String,
    /// The workshop's IANA time zone.
    pub time_zone: String,
    /// `live` (the in-process engine), `store` (ClickHouse), or `empty` (no
    /// events that day yet; work in progress carried over from the last day seen).
    pub source: &'static str,
}

impl KpiView {
    /// The view of `kpi` for a workshop with `settings`.
    pub fn new(kpi: KpiDay, settings: &WorkshopSettings, source: &'static str) -> Self {
        Self {
            output_per_vehicle_fen: kpi.output_per_vehicle_fen(),
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
    let (found, before, source) = if state.has_ingest {
        (
            state.live.get(&workshop, date),
            state.live.latest_before(&workshop, date),
            "live",
        )
    } else {
        let unavailable = |e: crate::store::StoreError| AppError::Unavailable(e.to_string());
        let found = state
            .store
            .kpi_day(&workshop, date)
            .await
            .map_err(unavailable)?;
        let found = found.and_then(|row| row.to_kpi_day());
        let before = if found.is_none() {
            state
                .store
                .kpi_day_before(&workshop, date)
                .await
                .map_err(unavailable)?
                .and_then(|row| row.to_kpi_day())
        } else {
            None
        };
        (found, before, "store")
    };
    Ok(match found {
        Some(kpi) => KpiView::new(kpi, settings, source),
        None => {
            let wip = before.as_ref().map_or(0, |b| b.wip);
            let mut empty = KpiDay::empty(workshop, date, wip, Fen(settings.daily_output_target.0));
            empty.version = before.map_or(0, |b| b.version);
            KpiView::new(empty, settings, "empty")
        }
    })
}
