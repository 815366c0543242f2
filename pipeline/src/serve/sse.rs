//! `GET /api/v1/workshops/{id}/kpis/stream`: Server-Sent Events. The first event
//! is the current row of today; then one `kpi` event per change of any of the
//! workshop's days (a board shows the one whose date is its today). Keep-alive
//! comments every 15 s keep proxies from closing an idle stream.

use super::api::{KpiView, day_view, workshop_and_settings};
use super::{AppError, AppState};
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::BroadcastStream;

fn to_event(view: &KpiView) -> Event {
    Event::default()
        .event("kpi")
        .json_data(view)
        .unwrap_or_else(|_| Event::default().event("error").data("serialisation failed"))
}

/// The SSE handler.
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let (workshop, settings) = workshop_and_settings(&state, &id)?;
    // Subscribe before reading the current row, so no change falls in between.
    let changes = BroadcastStream::new(state.live.subscribe());
    let date = settings.business_date(state.clock.now().fixed_offset());
    let first = day_view(&state, workshop.clone(), &settings, date).await?;
    let updates = changes.filter_map(move |change| {
        let item = match change {
            Ok(kpi) if kpi.workshop_id == workshop => {
                Some(Ok(to_event(&KpiView::new(kpi, &settings, "live"))))
            }
            // A client that fell behind skips ahead; the next change carries whole rows.
            Ok(_) | Err(_) => None,
        };
        std::future::ready(item)
    });
    let events = stream::once(std::future::ready(Ok(to_event(&first)))).chain(updates);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
