//! Errors as HTTP responses, in the real broker's shapes (broker-api.md §2.9).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_domain::{Error as DomainError, ValidationErrors};
use serde_json::{json, Value};

pub const HAL_JSON: &str = "application/hal+json;charset=utf-8";
pub const JSON: &str = "application/json;charset=utf-8";

#[derive(Debug)]
pub enum ApiError {
    /// 400 `{"errors":{field:[...]}}`.
    Validation(ValidationErrors),
    /// 400 with a body given as is (e.g. the matrix's `{"errors":[...]}`).
    BadRequestBody(Value),
    /// 400 `{"error": "..."}`.
    BadRequest(String),
    /// 404 `{"error": "..."}` (hal+json), for named resources.
    NotFound(String),
    /// 404 for anything else, as webmachine answers.
    NoRoute,
    /// 409 with a body.
    Conflict(Value, &'static str),
    /// 415.
    UnsupportedMediaType,
    /// 401 with a challenge.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 503: the database was busy.
    Unavailable(String),
    /// 500 with an error reference; the details are logged only.
    Internal(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Validation(v) => write!(f, "invalid request: {v}"),
            ApiError::BadRequestBody(v) => write!(f, "bad request: {v}"),
            ApiError::BadRequest(m) | ApiError::NotFound(m) => f.write_str(m),
            ApiError::NoRoute => f.write_str("not found"),
            ApiError::Conflict(v, _) => write!(f, "conflict: {v}"),
            ApiError::UnsupportedMediaType => f.write_str("unsupported media type"),
            ApiError::Unauthorized => f.write_str("unauthorized"),
            ApiError::Forbidden => f.write_str("forbidden"),
            ApiError::Unavailable(m) | ApiError::Internal(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError::NotFound(what.into())
    }

    pub fn pacticipant_not_found(name: &str) -> Self {
        ApiError::NotFound(format!("No pacticipant with name '{name}' found"))
    }

    pub fn invalid_json(e: impl std::fmt::Display) -> Self {
        ApiError::BadRequest(format!("JSON::ParserError - {e}"))
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Validation(v) => ApiError::Validation(v),
            DomainError::NotFound(m) => ApiError::NotFound(m),
            DomainError::Conflict(m) => ApiError::Conflict(json!({ "error": m }), JSON),
            DomainError::BadRequest(m) => ApiError::BadRequest(m),
        }
    }
}

impl From<pactline_broker_store::Error> for ApiError {
    fn from(e: pactline_broker_store::Error) -> Self {
        if e.is_busy() {
            ApiError::Unavailable(e.to_string())
        } else {
            ApiError::Internal(e.to_string())
        }
    }
}

fn body(status: StatusCode, content_type: &'static str, value: &Value) -> Response {
    let mut r = (status, value.to_string()).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Validation(v) => {
                let errors: serde_json::Map<String, Value> =
                    v.0.into_iter().map(|(k, msgs)| (k, json!(msgs))).collect();
                body(
                    StatusCode::BAD_REQUEST,
                    HAL_JSON,
                    &json!({ "errors": errors }),
                )
            }
            ApiError::BadRequestBody(v) => body(StatusCode::BAD_REQUEST, HAL_JSON, &v),
            ApiError::BadRequest(m) => {
                body(StatusCode::BAD_REQUEST, HAL_JSON, &json!({ "error": m }))
            }
            ApiError::NotFound(m) => body(StatusCode::NOT_FOUND, HAL_JSON, &json!({ "error": m })),
            ApiError::NoRoute => body(
                StatusCode::NOT_FOUND,
                JSON,
                &json!({ "error": "The requested document was not found on this server." }),
            ),
            ApiError::Conflict(v, ct) => body(StatusCode::CONFLICT, ct, &v),
            ApiError::UnsupportedMediaType => body(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                JSON,
                &json!({ "error": "Unsupported Media Type: the request body must be application/json" }),
            ),
            ApiError::Unauthorized => {
                let mut r = body(
                    StatusCode::UNAUTHORIZED,
                    JSON,
                    &json!({ "error": "Unauthorized: valid credentials are required" }),
                );
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"Restricted area\""),
                );
                r
            }
            ApiError::Forbidden => body(
                StatusCode::FORBIDDEN,
                JSON,
                &json!({ "error": "Forbidden: these credentials may only read" }),
            ),
            ApiError::Unavailable(m) => {
                tracing::warn!("database busy: {m}");
                body(
                    StatusCode::SERVICE_UNAVAILABLE,
                    JSON,
                    &json!({ "error": "The server is currently unable to handle the request due to a temporary overloading or maintenance of the server." }),
                )
            }
            ApiError::Internal(m) => {
                let reference = uuid::Uuid::new_v4().simple().to_string()[..10].to_string();
                tracing::error!(reference, "internal error: {m}");
                body(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    HAL_JSON,
                    &json!({ "error": {
                        "message": format!("An error has occurred. The details have been logged with the reference {reference}"),
                        "reference": reference
                    }}),
                )
            }
        }
    }
}
