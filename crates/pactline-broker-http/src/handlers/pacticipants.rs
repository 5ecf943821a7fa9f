//! Pacticipants: list, create, get, update (PATCH creates when missing), replace, delete.

use super::{find_pacticipant, json_body, render, App, Ctx};
use crate::error::ApiError;
use crate::hal::{self, link, titled};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_api::paths;
use pactline_broker_domain::{commands, Change, Pacticipant, ValidationErrors};
use serde_json::{json, Value};

pub async fn list(app: App, ctx: Ctx) -> Response {
    app.read(|state| {
        let items: Vec<Value> = state
            .pacticipants
            .values()
            .map(|p| render::pacticipant(&ctx, state, p))
            .collect();
        let links: Vec<Value> = state
            .pacticipants
            .values()
            .map(|p| titled(ctx.url(&paths::pacticipant(&p.name)), &p.name))
            .collect();
        hal::ok(json!({
            "_embedded": {"pacticipants": items},
            // The older shape, still expected by the Ruby client's contract.
            "pacticipants": items,
            "_links": {"self": link(ctx.url(&paths::pacticipants())), "pb:pacticipants": links, "pacticipants": links}
        }))
    })
}

pub async fn get(app: App, ctx: Ctx, Path(name): Path<String>) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        Ok(hal::ok(render::pacticipant(&ctx, state, p)))
    })
}

/// Field names as the API takes them; the Ruby client's older calls send snake case.
const FIELDS: &[(&str, &str)] = &[
    ("displayName", "display_name"),
    ("repositoryUrl", "repository_url"),
    ("repositoryName", "repository_name"),
    ("repositoryNamespace", "repository_namespace"),
    ("mainBranch", "main_branch"),
];

fn validate(body: &Value, require_name: bool) -> Result<(), ApiError> {
    let mut e = ValidationErrors::new();
    if require_name {
        match body.get("name") {
            None => e.add("name", "is missing"),
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            Some(_) => e.add("name", "must be filled"),
        }
    }
    if let Some(b) = body.get("mainBranch").and_then(Value::as_str) {
        if b.contains(' ') {
            e.add("mainBranch", "cannot contain spaces");
        }
    }
    e.into_result().map_err(ApiError::from)
}

/// Applies the fields present in `body` (a merge patch; `replace` clears absent ones).
fn update_fields(p: &mut Pacticipant, body: &Value, replace: bool) {
    for (camel, snake) in FIELDS {
        let value = body.get(*camel).or_else(|| body.get(*snake));
        let slot = match *camel {
            "displayName" => &mut p.display_name,
            "repositoryUrl" => &mut p.repository_url,
            "repositoryName" => &mut p.repository_name,
            "repositoryNamespace" => &mut p.repository_namespace,
            _ => &mut p.main_branch,
        };
        match value {
            Some(Value::String(s)) => *slot = Some(s.clone()),
            Some(Value::Null) => *slot = None,
            None if replace => *slot = None,
            _ => {}
        }
    }
}

pub async fn create(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    validate(&body, true)?;
    let name = body["name"].as_str().unwrap_or_default().to_string();
    let broker = app.0.clone();
    broker.write(|tx, _| {
        if tx.state().pacticipant_by_name(&name).is_some() {
            return Err(ApiError::Conflict(
                json!({"errors": {"name": [format!("This name is already taken by an existing pacticipant: {name}")]}}),
                crate::error::HAL_JSON,
            ));
        }
        let (id, _) = commands::ensure_pacticipant(tx, &name);
        let mut p = tx.state().pacticipant(id).clone();
        update_fields(&mut p, &body, false);
        tx.apply(Change::PutPacticipant(p));
        let p = tx.state().pacticipant(id);
        Ok(hal::created(&ctx.url(&paths::pacticipant(&name)), render::pacticipant(&ctx, tx.state(), p)))
    })
}

pub async fn patch(
    app: App,
    ctx: Ctx,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    validate(&body, false)?;
    app.write(|tx, _| {
        let (id, created) = commands::ensure_pacticipant(tx, &name);
        let mut p = tx.state().pacticipant(id).clone();
        update_fields(&mut p, &body, false);
        p.updated_at = tx.now;
        if created {
            p.updated_at = p.created_at;
        }
        tx.apply(Change::PutPacticipant(p));
        let body = render::pacticipant(&ctx, tx.state(), tx.state().pacticipant(id));
        Ok(if created {
            hal::created(&ctx.url(&paths::pacticipant(&name)), body)
        } else {
            hal::ok(body)
        })
    })
}

pub async fn put(
    app: App,
    ctx: Ctx,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    validate(&body, false)?;
    app.write(|tx, _| {
        let mut p = find_pacticipant(tx.state(), &name)?.clone();
        update_fields(&mut p, &body, true);
        p.updated_at = tx.now;
        let id = p.id;
        tx.apply(Change::PutPacticipant(p));
        Ok(hal::ok(render::pacticipant(
            &ctx,
            tx.state(),
            tx.state().pacticipant(id),
        )))
    })
}

pub async fn delete(app: App, Path(name): Path<String>) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let id = find_pacticipant(tx.state(), &name)?.id;
        tx.apply(Change::DeletePacticipant(id));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
