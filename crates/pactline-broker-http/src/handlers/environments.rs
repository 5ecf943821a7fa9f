//! Environments: list (optionally by name), create, get, replace, delete.

use super::{json_body, opt_str, render, App, Ctx};
use crate::error::ApiError;
use crate::hal::{self, titled};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_api::paths;
use pactline_broker_domain::commands::{self, EnvironmentInput};
use pactline_broker_domain::{Change, ValidationErrors};
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn list(app: App, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Response {
    app.read(|state| {
        let envs: Vec<_> = state
            .environments
            .values()
            .filter(|e| q.get("name").is_none_or(|n| n == &e.name))
            .collect();
        hal::ok(json!({
            "_embedded": {"environments": envs.iter().map(|e| render::environment(&ctx, e)).collect::<Vec<_>>()},
            "_links": {
                "self": titled(ctx.url(&paths::environments()), "Environments"),
                "pb:environments": envs.iter().map(|e| json!({"title": "Environment", "name": e.name, "href": ctx.url(&paths::environment(&e.uuid))})).collect::<Vec<_>>(),
            }
        }))
    })
}

/// Validates an environment body as `environment_schema.rb` does.
fn parse(
    body: &Value,
    state: &pactline_broker_domain::State,
    existing_id: Option<i64>,
) -> Result<EnvironmentInput, ApiError> {
    let mut e = ValidationErrors::new();
    let name = match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            if s.contains(' ') {
                e.add("name", "cannot contain spaces");
            }
            if state
                .environment_by_name(s)
                .is_some_and(|env| Some(env.id) != existing_id)
            {
                e.add(
                    "name",
                    format!("name '{s}' is already used by an existing environment."),
                );
            }
            s.clone()
        }
        None => {
            e.add("name", "is missing");
            String::new()
        }
        Some(_) => {
            e.add("name", "must be filled");
            String::new()
        }
    };
    let production = match body.get("production") {
        Some(Value::Bool(b)) => *b,
        None => {
            e.add("production", "is missing");
            false
        }
        Some(_) => {
            e.add("production", "must be boolean");
            false
        }
    };
    if let Some(c) = body.get("contacts") {
        if !(c.is_array() || c.is_null()) {
            e.add("contacts", "must be an array");
        }
    }
    let uuid = opt_str(body, "uuid");
    if let Some(u) = &uuid {
        if existing_id.is_none() && state.environment_by_uuid(u).is_some() {
            e.add(
                "uuid",
                format!("uuid '{u}' is already used by an existing environment."),
            );
        }
    }
    e.into_result()?;
    Ok(EnvironmentInput {
        uuid,
        name,
        display_name: opt_str(body, "displayName"),
        production,
        contacts: body.get("contacts").filter(|c| c.is_array()).cloned(),
    })
}

pub async fn create(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    app.write(|tx, _| {
        let input = parse(&body, tx.state(), None)?;
        let id = commands::create_environment(tx, input);
        let e = tx.state().environment(id);
        Ok(hal::created(
            &ctx.url(&paths::environment(&e.uuid)),
            render::environment(&ctx, e),
        ))
    })
}

pub async fn get(app: App, ctx: Ctx, Path(uuid): Path<String>) -> Result<Response, ApiError> {
    app.read(|state| {
        let e = state.environment_by_uuid(&uuid).ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::environment(&ctx, e)))
    })
}

pub async fn put(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    app.write(|tx, _| {
        let id = tx
            .state()
            .environment_by_uuid(&uuid)
            .ok_or(ApiError::NoRoute)?
            .id;
        let input = parse(&body, tx.state(), Some(id))?;
        commands::update_environment(tx, id, input);
        Ok(hal::ok(render::environment(
            &ctx,
            tx.state().environment(id),
        )))
    })
}

pub async fn delete(app: App, Path(uuid): Path<String>) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let id = tx
            .state()
            .environment_by_uuid(&uuid)
            .ok_or(ApiError::NoRoute)?
            .id;
        tx.apply(Change::DeleteEnvironment(id));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
