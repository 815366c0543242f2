//! One error type for every handler, rendered as one JSON shape:
//! `{"error": {"code": "...", "message": "..."}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A handler's failure.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A path or query value is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// The workshop is not accepted by the configuration.
    #[error("{0}")]
    NotFound(String),
    /// A backing service failed.
    #[error("{0}")]
    Unavailable(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        };
        let body = json!({ "error": { "code": code, "message": self.to_string() } });
        (status, Json(body)).into_response()
    }
}
