//! Liveness and readiness.

use super::AppState;
use crate::kafka::admin::broker_identity;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// `GET /healthz`: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: 200 only if the broker lists a registered broker and ClickHouse
/// answers `SELECT 1`; otherwise 503 naming what failed.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let admin = state.kafka_admin.clone();
    let kafka_cfg = state.kafka.clone();
    let kafka = tokio::task::spawn_blocking(move || {
        broker_identity(&admin, &kafka_cfg, Duration::from_secs(2))
    })
    .await;
    let kafka = match kafka {
        Ok(Ok(identity)) => {
            json!({ "ok": true, "cluster_id": identity.cluster_id, "brokers": identity.broker_ids })
        }
        Ok(Err(e)) => json!({ "ok": false, "error": e.to_string() }),
        Err(e) => json!({ "ok": false, "error": e.to_string() }),
    };
    let clickhouse = match state.store.ping().await {
        Ok(()) => json!({ "ok": true }),
        Err(e) => json!({ "ok": false, "error": e.to_string() }),
    };
    let ready = kafka["ok"] == json!(true) && clickhouse["ok"] == json!(true);
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({ "ready": ready, "kafka": kafka, "clickhouse": clickhouse })),
    )
}
