//! `GET /api/v1/workshops/{id}/attention`: the board's attention list — repair
//! orders overdue (超时) or at risk (预警) right now, each with its reason in
//! Chinese and English. "Now" is the injected clock; the rule is the engine's
//! [`crate::engine::attention::assess`].

use super::api::workshop_and_settings;
use super::{AppError, AppState};
use crate::engine::Attention;
use crate::engine::attention::assess;
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The list with the instant it was judged at.
#[derive(Debug, Serialize)]
pub struct AttentionList {
    /// The workshop.
    pub workshop_id: String,
    /// When the list was judged.
    pub as_of: DateTime<Utc>,
    /// The workshop's time zone (promise times in the reasons are local).
    pub time_zone: String,
    /// Repair orders still in the workshop.
    pub open_repair_orders: usize,
    /// Overdue first (longest first), then at risk (least slack first).
    pub items: Vec<Attention>,
}

/// The handler.
pub async fn attention(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<AttentionList>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    if !state.has_ingest {
        return Err(AppError::Unavailable(
            "the attention list needs the engine in this process: run `workshop-pulse run`".into(),
        ));
    }
    let now = state.clock.now();
    let open = state.live.open_orders(&workshop);

    Ok(Json(AttentionList {
        workshop_id: workshop.to_string(),
        as_of: now,
        time_zone: settings.time_zone.name().to_string(),
        open_repair_orders: open.len(),
        items: assess(&open, now, &settings),
    }))
}
