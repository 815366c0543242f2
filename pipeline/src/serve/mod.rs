//! The HTTP side: a read-only JSON API, an SSE stream of KPI changes, health
//! checks, and the board's static files from `dashboards/`. Boards read; nothing
//! here writes (design.md invariant 5).
//!
//! | route | what |
//! |---|---|
//! | `GET /healthz` | the process is up |
//! | `GET /readyz` | Kafka and ClickHouse answer a real request |
//! | `GET /api/v1/workshops` | workshops known to the config or seen in events |
//! | `GET /api/v1/workshops/{id}/kpis/today` | today's KPIs in the workshop's time zone |
//! | `GET /api/v1/workshops/{id}/kpis/days/{date}` | one business day's KPIs |
//! | `GET /api/v1/workshops/{id}/kpis/stream` | SSE: `kpi` events as rows change, and today's row every minute |
//! | `GET /api/v1/workshops/{id}/attention` | repair orders overdue or at risk now, with reasons |
//! | `GET /api/v1/workshops/{id}/technicians/days/{date}` | technicians' time and rates (ClickHouse) |
//! | `GET /api/v1/workshops/{id}/technicians/totals?from=…&to=…` | the workshop's technician time and rates per day and over the period (ClickHouse) |
//! | `GET /api/v1/workshops/{id}/clock-adjustments?from=…&to=…` | the audit trail: clock corrections of those days, as sent (ClickHouse `events_raw`) |
//! | `GET /api/v1/workshops/{id}/bays/days/{date}` | bays' occupancy, turns and utilisation (ClickHouse) |
//! | `GET /api/v1/workshops/{id}/accident-steps/days/{date}` | accident-repair steps finished that day, actual vs standard (ClickHouse) |
//! | `GET /board/…` | the wall board (static) |

mod api;
mod attention;
mod error;
mod health;
mod resources;
mod sse;

pub use api::{KpiView, Rates};
pub use error::AppError;

use crate::clock::SharedClock;
use crate::config::KafkaConfig;
use crate::engine::WorkshopDirectory;
use crate::live::Live;
use crate::store::Store;
use axum::Router;
use axum::response::Redirect;
use axum::routing::get;
use rdkafka::admin::AdminClient;
use rdkafka::client::DefaultClientContext;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tower_http::services::ServeDir;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Latest rows from the in-process engine (empty when serving without ingest).
    pub live: Arc<Live>,
    /// Whether an engine in this process feeds `live`; if not, reads go to ClickHouse.
    pub has_ingest: bool,
    /// ClickHouse.
    pub store: Store,
    /// Broker settings, for readiness.
    pub kafka: KafkaConfig,
    /// A client for readiness requests to the broker.
    pub kafka_admin: Arc<AdminClient<DefaultClientContext>>,
    /// Workshops' settings (time zones decide "today").
    pub directory: Arc<WorkshopDirectory>,
    /// The live "now".
    pub clock: SharedClock,
    /// Where the board's files are.
    pub dashboards_dir: PathBuf,
    /// Cancelled on shutdown: SSE streams end, so graceful shutdown does not
    /// wait forever for wall boards that never disconnect.
    pub shutdown: CancellationToken,
}

/// The whole router.
pub fn app(state: AppState) -> Router {
    let board = ServeDir::new(state.dashboards_dir.join("board"));
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/board/") }))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/v1/workshops", get(api::workshops))
        .route("/api/v1/workshops/{id}/kpis/today", get(api::today))
        .route("/api/v1/workshops/{id}/kpis/days/{date}", get(api::day))
        .route("/api/v1/workshops/{id}/kpis/stream", get(sse::stream))
        .route(
            "/api/v1/workshops/{id}/attention",
            get(attention::attention),
        )
        .route(
            "/api/v1/workshops/{id}/technicians/days/{date}",
            get(resources::technicians),
        )
        .route(
            "/api/v1/workshops/{id}/technicians/totals",
            get(resources::technician_totals),
        )
        .route(
            "/api/v1/workshops/{id}/clock-adjustments",
            get(resources::clock_adjustments),
        )
        .route(
            "/api/v1/workshops/{id}/bays/days/{date}",
            get(resources::bays),
        )
        .route(
            "/api/v1/workshops/{id}/accident-steps/days/{date}",
            get(resources::accident_steps),
        )
        .nest_service("/board", board)
        .with_state(state)
}

#[cfg(test)]
mod tests;
