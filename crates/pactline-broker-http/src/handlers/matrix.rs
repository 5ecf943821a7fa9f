//! `GET /matrix` and `GET /can-i-deploy`, and the verdicts behind the can-i-deploy badges.

use super::{App, Ctx};
use crate::error::ApiError;
use crate::hal;
use axum::extract::RawQuery;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_domain::matrix::{
    self, LatestBy, MatrixOptions, MatrixQuery, UnresolvedSelector,
};
use pactline_broker_domain::State;
use serde_json::json;

fn wants_text(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/plain") && !a.contains("json"))
}

fn respond(
    ctx: &Ctx,
    state: &State,
    headers: &HeaderMap,
    result: &matrix::MatrixResult,
) -> Response {
    if wants_text(headers) {
        let mut r = (StatusCode::OK, matrix::render_text(state, result)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain;charset=utf-8"),
        );
        r
    } else {
        hal::ok(matrix::render_json(state, result, &ctx.base))
    }
}

pub async fn matrix(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = query.unwrap_or_default();
    let parsed = matrix::parse_matrix_query(&query)
        .map_err(|errors| ApiError::BadRequestBody(json!({ "errors": errors })))?;
    app.read(|state| {
        let result = matrix::matrix(state, &parsed)
            .map_err(|errors| ApiError::BadRequestBody(json!({ "errors": errors })))?;
        Ok(respond(&ctx, state, &headers, &result))
    })
}

pub async fn can_i_deploy(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = query.unwrap_or_default();
    app.read(|state| {
        let parsed =
            matrix::parse_can_i_deploy_query(state, &query).map_err(ApiError::Validation)?;
        let result = matrix::find(state, &parsed);
        Ok(respond(&ctx, state, &headers, &result))
    })
}

/// Whether the latest version of `pacticipant` tagged `tag` can be deployed to the `to` tag.
pub fn badge_verdict_for_tag(
    state: &State,
    pacticipant: &str,
    tag: &str,
    to: &str,
) -> Option<bool> {
    let p = state.pacticipant_by_name(pacticipant)?;
    let version = state.latest_version_with_tag(p.id, tag)?;
    let query = MatrixQuery {
        selectors: vec![UnresolvedSelector::version(&p.name, &version.number)],
        options: MatrixOptions {
            latestby: Some(LatestBy::Cvp),
            latest: Some(true),
            tag: Some(to.to_string()),
            ..Default::default()
        },
    };
    matrix::find(state, &query).deployable()
}

/// Whether the head of `branch` of `pacticipant` can be deployed to `environment`.
pub fn badge_verdict_for_branch(
    state: &State,
    pacticipant: &str,
    branch: &str,
    environment: &str,
) -> Option<bool> {
    let p = state.pacticipant_by_name(pacticipant)?;
    let version = state.branch_head_version(p.id, branch)?;
    state.environment_by_name(environment)?;
    let query = MatrixQuery {
        selectors: vec![UnresolvedSelector::version(&p.name, &version.number)],
        options: MatrixOptions {
            latestby: Some(LatestBy::Cvpv),
            environment_name: Some(environment.to_string()),
            ..Default::default()
        },
    };
    matrix::find(state, &query).deployable()
}
