//! Pacts for verification (`GET`/`POST /pacts/provider/{p}/for-verification`) and the pact-URL
//! metadata that carries what was selected through to the verification results.

use super::{find_pacticipant, json_body, App, Ctx};
use crate::error::ApiError;
use crate::hal;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use pactline_broker_domain::for_verification::{self as fv, metadata};
use pactline_broker_domain::{Id, PactPublication, State};
use serde_json::Value;

/// What the results publication takes from the metadata of the URL it was posted to.
pub struct MetadataFlags {
    pub wip: bool,
    pub pending: Option<bool>,
    pub selectors: Option<Value>,
}

pub fn metadata_flags(state: &State, segment: &str) -> MetadataFlags {
    let m = metadata::decode_metadata(segment);
    MetadataFlags {
        wip: m.wip,
        pending: m.pending,
        selectors: m.selector_hashes(state),
    }
}

/// The consumer version a pact-version URL's metadata names, if any.
pub fn metadata_consumer_version(state: &State, consumer_id: Id, segment: &str) -> Option<Id> {
    if segment.is_empty() {
        return None;
    }
    let number =
        metadata::decode_metadata(segment).consumer_version_number_for_pact(state, consumer_id)?;
    state.version_by_number(consumer_id, &number).map(|v| v.id)
}

/// Metadata for the results link of a legacy latest pact: `{cv, cvt}`.
pub fn metadata_for_latest(_state: &State, p: &PactPublication, tag: Option<&str>) -> String {
    metadata::metadata_for_latest_pact(p.consumer_version_id, tag)
}

fn answer(ctx: &Ctx, state: &State, provider_id: Id, q: fv::PactsForVerificationQuery) -> Response {
    let q = q.with_now(Utc::now());
    let pacts = fv::pacts_for_verification(state, provider_id, &q);
    hal::ok(fv::render(state, provider_id, &pacts, &ctx.base, &q))
}

/// The deprecated GET. Clients navigating HAL GET this resource first and then POST to its
/// `self`; with no query it answers with the default selectors, as the real broker does.
pub async fn get(
    app: App,
    ctx: Ctx,
    Path(provider): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &provider)?;
        let q = fv::parse_query_string(&query.unwrap_or_default(), state)
            .map_err(ApiError::Validation)?;
        Ok(answer(&ctx, state, p.id, q))
    })
}

pub async fn post(
    app: App,
    ctx: Ctx,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    app.read(|state| {
        let p = find_pacticipant(state, &provider)?;
        let q = fv::parse_query(&body, state).map_err(ApiError::Validation)?;
        Ok(answer(&ctx, state, p.id, q))
    })
}
