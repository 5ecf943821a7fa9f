//! Verification results: publish (201 + Location) and read.

use super::{json_body, opt_str, render, App, Ctx};
use crate::error::ApiError;
use crate::hal;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use pactline_broker_api::paths;
use pactline_broker_domain::commands::{self, NewVerification};
use pactline_broker_domain::ValidationErrors;
use serde_json::Value;

pub async fn publish(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, sha)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    create(
        app,
        ctx,
        provider,
        consumer,
        sha,
        String::new(),
        headers,
        body,
    )
    .await
}

pub async fn publish_with_metadata(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, sha, metadata)): Path<(String, String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    create(app, ctx, provider, consumer, sha, metadata, headers, body).await
}

fn validate(body: &Value) -> Result<(bool, String), ApiError> {
    let mut e = ValidationErrors::new();
    let success = match body.get("success") {
        Some(Value::Bool(b)) => Some(*b),
        None => {
            e.add("success", "is missing");
            None
        }
        Some(_) => {
            e.add("success", "must be boolean");
            None
        }
    };
    let version = match body.get("providerApplicationVersion") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        None => {
            e.add("providerApplicationVersion", "is missing");
            None
        }
        Some(_) => {
            e.add("providerApplicationVersion", "must be filled");
            None
        }
    };
    if let Some(url) = body.get("buildUrl").and_then(Value::as_str) {
        let ok = url
            .split_once("://")
            .is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.is_empty());
        if !ok {
            e.add("buildUrl", "is not a valid URL eg. http://example.org");
        }
    }
    e.into_result()?;
    Ok((success.unwrap_or(false), version.unwrap_or_default()))
}

#[allow(clippy::too_many_arguments)]
async fn create(
    app: App,
    ctx: Ctx,
    provider: String,
    consumer: String,
    sha: String,
    metadata: String,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    let (success, provider_version) = validate(&body)?;
    app.write(|tx, _| {
        let meta = super::for_verification::metadata_flags(tx.state(), &metadata);
        let state = tx.state();
        let found = super::find_pact_version(state, &provider, &consumer, &sha)?;
        let (p, pv) = (found.provider_id, found.id);
        let (version_id, _) = commands::ensure_version(tx, p, &provider_version);
        let id = commands::create_verification(
            tx,
            pv,
            version_id,
            NewVerification {
                success,
                build_url: opt_str(&body, "buildUrl"),
                test_results: body.get("testResults").cloned(),
                verified_by: body.get("verifiedBy").cloned(),
                wip: meta.wip,
                pending: meta.pending,
                consumer_version_selectors: meta.selectors.clone(),
            },
        );
        pactline_broker_domain::webhooks::trigger_for_verification(tx, id, &ctx.base);
        let v = tx.state().verification(id);
        let location = ctx.url(&paths::verification_result(
            &provider, &consumer, &sha, v.number,
        ));
        Ok(hal::created(
            &location,
            render::verification(&ctx, tx.state(), v),
        ))
    })
}

pub async fn get(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, sha, number)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let found = super::find_pact_version(state, &provider, &consumer, &sha)?;
        let pv = found.id;
        let v = if number == "latest" {
            state.verifications_of_pact_version(pv).next_back()
        } else {
            number
                .parse::<i64>()
                .ok()
                .and_then(|n| state.verification_by_number(n))
                .filter(|v| v.pact_version_id == pv)
        }
        .ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::verification(&ctx, state, v)))
    })
}
