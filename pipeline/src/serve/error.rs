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
    /// Stored data could not be read back: retrying will not help.
    #[error("{0}")]
    Internal(String),
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Query { .. } => Self::Unavailable(e.to_string()),
            crate::store::StoreError::CorruptRow { .. } => Self::Internal(e.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        let body = json!({ "error": { "code": code, "message": self.to_string() } });
        (status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_row_that_cannot_be_read_is_an_internal_error_not_a_retry() {
        let corrupt = crate::store::StoreError::CorruptRow {
            event_id: "e1".into(),
            reason: "unknown type x".into(),
        };
        let response = AppError::from(corrupt).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
