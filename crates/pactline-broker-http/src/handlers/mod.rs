//! Request handlers, one module per resource family, and what they share.

pub mod badges;
pub mod deployments;
pub mod environments;
pub mod for_verification;
pub mod index;
pub mod matrix;
pub mod pacticipants;
pub mod pacts;
#[cfg(feature = "provider-states")]
pub mod provider_states;
pub mod publish;
pub mod render;
pub mod verifications;
pub mod versions;
pub mod webhooks;

use crate::broker::Broker;
use crate::error::ApiError;
use crate::hal;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use pactline_broker_domain::{PactVersion, Pacticipant, State, Version};
use serde_json::Value;
use std::sync::Arc;

pub type App = axum::extract::State<Arc<Broker>>;

/// Per-request context: the base URL for links.
pub struct Ctx {
    pub base: String,
}

impl FromRequestParts<Arc<Broker>> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        broker: &Arc<Broker>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Ctx {
            base: hal::base_url(broker.config.base_url.as_deref(), &parts.headers),
        })
    }
}

impl Ctx {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

/// Parses a JSON request body: 415 for another content type, 400 for invalid JSON; an empty body is `{}`.
pub fn json_body(headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    if let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        let ct = ct.to_ascii_lowercase();
        if !ct.contains("json") {
            return Err(ApiError::UnsupportedMediaType);
        }
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::BadRequest(format!(
            "Request body has a non UTF-8 character at char {} and cannot be parsed as JSON.",
            e.valid_up_to() + 1
        ))
    })?;
    serde_json::from_str(text).map_err(ApiError::invalid_json)
}

pub fn find_pacticipant<'s>(state: &'s State, name: &str) -> Result<&'s Pacticipant, ApiError> {
    state
        .pacticipant_by_name(name)
        .ok_or_else(|| ApiError::pacticipant_not_found(name))
}

pub fn find_version<'s>(
    state: &'s State,
    pacticipant: &str,
    number: &str,
) -> Result<&'s Version, ApiError> {
    let p = find_pacticipant(state, pacticipant)?;
    state
        .version_by_number(p.id, number)
        .ok_or(ApiError::NoRoute)
}

/// The pact content `sha` between the two, as the pact-version URLs name it (404 otherwise).
pub fn find_pact_version<'s>(
    state: &'s State,
    provider: &str,
    consumer: &str,
    sha: &str,
) -> Result<&'s PactVersion, ApiError> {
    let p = state
        .pacticipant_by_name(provider)
        .ok_or(ApiError::NoRoute)?;
    let c = state
        .pacticipant_by_name(consumer)
        .ok_or(ApiError::NoRoute)?;
    state
        .pact_version_by_sha(c.id, p.id, sha)
        .ok_or(ApiError::NoRoute)
}

/// Reads a string field that may be absent or null.
pub fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}
