//! Deployed and released versions: record, list current, undeploy, end support.

use super::{find_version, json_body, opt_str, render, App, Ctx};
use crate::error::ApiError;
use crate::hal::{self, titled};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::Response;
use pactline_broker_api::paths;
use pactline_broker_domain::{commands, Environment, State, ValidationErrors, Version};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The version and the environment a `/pacticipants/{p}/versions/{v}/…/environment/{uuid}` path names.
fn version_in<'s>(
    state: &'s State,
    pacticipant: &str,
    number: &str,
    environment_uuid: &str,
) -> Result<(&'s Version, &'s Environment), ApiError> {
    let v = find_version(state, pacticipant, number)?;
    let env = state
        .environment_by_uuid(environment_uuid)
        .ok_or(ApiError::NoRoute)?;
    Ok((v, env))
}

pub async fn record_deployment(
    app: App,
    ctx: Ctx,
    Path((name, number, uuid)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    // `target` is the older name of `applicationInstance`; clients send both.
    let instance = opt_str(&body, "applicationInstance").or_else(|| opt_str(&body, "target"));
    app.write(|tx, _| {
        let (v, env) = version_in(tx.state(), &name, &number, &uuid)?;
        let (v, env) = (v.id, env.id);
        let (id, _) = commands::record_deployment(tx, v, env, instance.as_deref());
        let d = &tx.state().deployed_versions[&id];
        Ok(hal::created(
            &ctx.url(&paths::deployed_version(&d.uuid)),
            render::deployed_version(&ctx, tx.state(), d),
        ))
    })
}

pub async fn deployed_for_version(
    app: App,
    ctx: Ctx,
    Path((name, number, uuid)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let (v, env) = version_in(state, &name, &number, &uuid)?;
        let list: Vec<Value> = state
            .deployed_versions
            .values()
            .filter(|d| d.version_id == v.id && d.environment_id == env.id)
            .map(|d| render::deployed_version(&ctx, state, d))
            .collect();
        Ok(hal::ok(json!({
            "_embedded": {"deployedVersions": list},
            "_links": {"self": titled(ctx.url(&paths::record_deployment(&name, &number, &uuid)), &format!("Deployed versions for {name} version {number} in {}", env.name))}
        })))
    })
}

pub async fn record_release(
    app: App,
    ctx: Ctx,
    Path((name, number, uuid)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    json_body(&headers, &body)?;
    app.write(|tx, _| {
        let (v, env) = version_in(tx.state(), &name, &number, &uuid)?;
        let (v, env) = (v.id, env.id);
        let (id, _) = commands::record_release(tx, v, env);
        let r = &tx.state().released_versions[&id];
        Ok(hal::created(
            &ctx.url(&paths::released_version(&r.uuid)),
            render::released_version(&ctx, tx.state(), r),
        ))
    })
}

pub async fn released_for_version(
    app: App,
    ctx: Ctx,
    Path((name, number, uuid)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let (v, env) = version_in(state, &name, &number, &uuid)?;
        let list: Vec<Value> = state
            .released_versions
            .values()
            .filter(|r| r.version_id == v.id && r.environment_id == env.id)
            .map(|r| render::released_version(&ctx, state, r))
            .collect();
        Ok(hal::ok(json!({
            "_embedded": {"releasedVersions": list},
            "_links": {"self": titled(ctx.url(&paths::record_release(&name, &number, &uuid)), &format!("Released versions for {name} version {number} in {}", env.name))}
        })))
    })
}

pub async fn currently_deployed(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let env = state.environment_by_uuid(&uuid).ok_or(ApiError::NoRoute)?;
        let pacticipant = q.get("pacticipant").map(|n| state.pacticipant_by_name(n).map(|p| p.id));
        let instance = q.get("applicationInstance").or_else(|| q.get("target"));
        let list: Vec<Value> = state
            .currently_deployed()
            .filter(|d| d.environment_id == env.id)
            .filter(|d| pacticipant.is_none_or(|p| p == Some(d.pacticipant_id)))
            .filter(|d| instance.is_none_or(|i| d.target.as_deref() == Some(i.as_str())))
            .map(|d| render::deployed_version(&ctx, state, d))
            .collect();
        Ok(hal::ok(json!({
            "_embedded": {"deployedVersions": list},
            "_links": {"self": titled(ctx.url(&paths::currently_deployed(&uuid)), &format!("Currently deployed versions for {}", env.name))}
        })))
    })
}

pub async fn currently_supported(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let env = state.environment_by_uuid(&uuid).ok_or(ApiError::NoRoute)?;
        let pacticipant = q.get("pacticipant").map(|n| state.pacticipant_by_name(n).map(|p| p.id));
        let list: Vec<Value> = state
            .currently_supported()
            .filter(|r| r.environment_id == env.id)
            .filter(|r| pacticipant.is_none_or(|p| p == Some(r.pacticipant_id)))
            .map(|r| render::released_version(&ctx, state, r))
            .collect();
        Ok(hal::ok(json!({
            "_embedded": {"releasedVersions": list},
            "_links": {"self": titled(ctx.url(&paths::currently_supported(&uuid)), &format!("Currently supported released versions for {}", env.name))}
        })))
    })
}

pub async fn get_deployed(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let d = state
            .deployed_versions
            .values()
            .find(|d| d.uuid == uuid)
            .ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::deployed_version(&ctx, state, d)))
    })
}

pub async fn get_released(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let r = state
            .released_versions
            .values()
            .find(|r| r.uuid == uuid)
            .ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::released_version(&ctx, state, r)))
    })
}

/// `{"currentlyDeployed": false}` undeploys; setting it back to true is refused.
pub async fn patch_deployed(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    if body.get("currentlyDeployed") == Some(&Value::Bool(true)) {
        return Err(ApiError::Validation(ValidationErrors::single(
            "currentlyDeployed",
            "The currentlyDeployed property cannot be set back to true. Please record a new deployment.",
        )));
    }
    app.write(|tx, _| {
        let id = tx
            .state()
            .deployed_versions
            .values()
            .find(|d| d.uuid == uuid)
            .ok_or(ApiError::NoRoute)?
            .id;
        if body.get("currentlyDeployed") == Some(&Value::Bool(false)) {
            commands::undeploy(tx, id);
        }
        Ok(hal::ok(render::deployed_version(
            &ctx,
            tx.state(),
            &tx.state().deployed_versions[&id],
        )))
    })
}

/// `{"currentlySupported": false}` ends support; setting it back to true is refused.
pub async fn patch_released(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    if body.get("currentlySupported") == Some(&Value::Bool(true)) {
        return Err(ApiError::Validation(ValidationErrors::single(
            "currentlySupported",
            "The currentlySupported property cannot be set back to true. Please record a new deployment.",
        )));
    }
    app.write(|tx, _| {
        let id = tx
            .state()
            .released_versions
            .values()
            .find(|r| r.uuid == uuid)
            .ok_or(ApiError::NoRoute)?
            .id;
        if body.get("currentlySupported") == Some(&Value::Bool(false)) {
            commands::end_support(tx, id);
        }
        Ok(hal::ok(render::released_version(
            &ctx,
            tx.state(),
            &tx.state().released_versions[&id],
        )))
    })
}
