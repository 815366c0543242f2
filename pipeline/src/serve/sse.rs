//! `GET /api/v1/workshops/{id}/kpis/stream`: Server-Sent Events. The first event
//! is today's row; then one `kpi` event per change of any of the workshop's days
//! (a board shows the one whose date is its today), and today's row again every
//! [`RESEND_EVERY`], so a board can tell "nothing happened" from "the feed died"
//! and rolls over to a new business day even in a quiet workshop. Keep-alive
//! comments keep proxies from closing an idle stream. Every stream ends when the
//! server shuts down.

use super::api::{KpiView, day_view, workshop_and_settings};
use super::{AppError, AppState};
use crate::engine::{KpiDay, WorkshopSettings};
use crate::events::WorkshopId;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::{BroadcastStream, IntervalStream};

/// How often today's row is sent again without a change.
pub const RESEND_EVERY: Duration = Duration::from_secs(60);

fn to_event(view: &KpiView) -> Event {
    Event::default()
        .event("kpi")
        .json_data(view)
        .unwrap_or_else(|_| Event::default().event("error").data("serialisation failed"))
}

enum Item {
    Change(Box<KpiDay>),
    Resend,
}

/// The SSE handler.
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    // Subscribe before reading the current row, so no change falls in between.
    let changes = BroadcastStream::new(state.live.subscribe()).filter_map({
        let workshop = workshop.clone();
        move |change| {
            // A client that fell behind skips ahead; the next change carries whole rows.
            let item = change
                .ok()
                .filter(|kpi| kpi.workshop_id == workshop)
                .map(|kpi| Item::Change(Box::new(kpi)));
            std::future::ready(item)
        }
    });
    let first = today(&state, &workshop, &settings).await?;
    let mut ticks = tokio::time::interval(RESEND_EVERY);
    ticks.reset(); // the first tick would fire at once; the first row is sent already
    let resends = IntervalStream::new(ticks).map(|_| Item::Resend);
    let shutdown = state.shutdown.clone();
    let events = stream::select(changes, resends)
        .then(move |item| {
            let (state, workshop, settings) = (state.clone(), workshop.clone(), settings.clone());
            async move {
                match item {
                    Item::Change(kpi) => {
                        let today = settings.business_date(state.clock.now().fixed_offset());
                        Some(to_event(&KpiView::new(*kpi, &settings, today, "live")))
                    }
                    Item::Resend => today(&state, &workshop, &settings)
                        .await
                        .ok()
                        .map(|v| to_event(&v)),
                }
            }
        })
        .filter_map(std::future::ready)
        .map(Ok);
    let events = stream::once(std::future::ready(Ok(to_event(&first))))
        .chain(events)
        .take_until(shutdown.cancelled_owned());
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

async fn today(
    state: &AppState,
    workshop: &WorkshopId,
    settings: &WorkshopSettings,
) -> Result<KpiView, AppError> {
    let date = settings.business_date(state.clock.now().fixed_offset());
    day_view(state, workshop.clone(), settings, date).await
}
