//! Versions, tags and branches of a pacticipant.

use super::{find_pacticipant, find_version, json_body, opt_str, render, App, Ctx};
use crate::error::ApiError;
use crate::hal::{self, named, titled};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_api::paths;
use pactline_broker_domain::commands::{self, TagOptions};
use pactline_broker_domain::Change;
use serde_json::{json, Value};

pub async fn list(app: App, ctx: Ctx, Path(name): Path<String>) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        let versions: Vec<Value> = state
            .versions_of(p.id)
            .rev()
            .map(|v| render::version(&ctx, state, v))
            .collect();
        Ok(hal::ok(json!({
            "_embedded": {"versions": versions},
            "_links": {
                "self": titled(ctx.url(&paths::versions(&name)), &format!("All application versions of {name}")),
                "pb:pacticipant": named(ctx.url(&paths::pacticipant(&name)), "Pacticipant", &name),
            }
        })))
    })
}

pub async fn get(
    app: App,
    ctx: Ctx,
    Path((name, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let v = find_version(state, &name, &number)?;
        Ok(hal::ok(render::version(&ctx, state, v)))
    })
}

/// Tag names in a version body: `[{"name": "prod"}]` or `["prod"]`.
fn tag_names(body: &Value) -> Option<Vec<String>> {
    let Some(Value::Array(tags)) = body.get("tags") else {
        return None;
    };
    Some(
        tags.iter()
            .filter_map(|t| t.get("name").and_then(Value::as_str).or(t.as_str()))
            .map(str::to_string)
            .collect(),
    )
}

/// Creates or updates a version. `replace` (PUT) sets `buildUrl` as given, absent or not, and
/// makes the version's tags exactly `tags`; otherwise (merge-patch PATCH) only given fields change
/// and tags are added. Neither can set the branch. 201 when created, 200 otherwise.
fn upsert(
    app: &App,
    ctx: &Ctx,
    name: &str,
    number: &str,
    body: &Value,
    replace: bool,
) -> Result<Response, ApiError> {
    app.write(|tx, settings| {
        let (p, _) = commands::ensure_pacticipant(tx, name);
        let (id, created) = commands::ensure_version(tx, p, number);
        if replace || body.get("buildUrl").is_some() {
            commands::set_version_build_url(tx, id, opt_str(body, "buildUrl"));
        }
        if let Some(wanted) = tag_names(body) {
            if replace {
                let unwanted: Vec<i64> = tx
                    .state()
                    .tags_of(id)
                    .filter(|t| !wanted.contains(&t.name))
                    .map(|t| t.id)
                    .collect();
                for tag_id in unwanted {
                    tx.apply(Change::DeleteTag(tag_id));
                }
            }
            for t in &wanted {
                commands::add_tag(tx, settings, id, t, TagOptions::default());
            }
        }
        let body = render::version(ctx, tx.state(), tx.state().version(id));
        Ok(if created {
            hal::created(&ctx.url(&paths::version(name, number)), body)
        } else {
            hal::ok(body)
        })
    })
}

/// PUT creates or overwrites a version (`buildUrl`; `tags` replace the version's tags).
pub async fn put(
    app: App,
    ctx: Ctx,
    Path((name, number)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    upsert(&app, &ctx, &name, &number, &body, true)
}

/// PATCH (merge patch) creates or updates a version; it cannot set the branch.
pub async fn patch(
    app: App,
    ctx: Ctx,
    Path((name, number)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    upsert(&app, &ctx, &name, &number, &body, false)
}

pub async fn delete(
    app: App,
    Path((name, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let id = find_version(tx.state(), &name, &number)?.id;
        tx.apply(Change::DeleteVersion(id));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

pub async fn latest(app: App, ctx: Ctx, Path(name): Path<String>) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        let v = state.latest_version_of(p.id).ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::version(&ctx, state, v)))
    })
}

pub async fn latest_tagged(
    app: App,
    ctx: Ctx,
    Path((name, tag)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        let v = state
            .latest_version_with_tag(p.id, &tag)
            .ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::version(&ctx, state, v)))
    })
}

/// PUT a tag: creates the pacticipant and version as needed; 201 when new, 200 when it existed.
pub async fn put_tag(
    app: App,
    ctx: Ctx,
    Path((name, number, tag)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.write(|tx, settings| {
        let (p, _) = commands::ensure_pacticipant(tx, &name);
        let (v, _) = commands::ensure_version(tx, p, &number);
        let (id, created) = commands::add_tag(
            tx,
            settings,
            v,
            &tag,
            TagOptions {
                create_deployed_version: true,
            },
        );
        let body = render::tag(&ctx, tx.state(), &tx.state().tags[&id]);
        Ok(if created {
            hal::created(&ctx.url(&paths::tag(&name, &number, &tag)), body)
        } else {
            hal::ok(body)
        })
    })
}

pub async fn get_tag(
    app: App,
    ctx: Ctx,
    Path((name, number, tag)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let v = find_version(state, &name, &number)?;
        let t = state.tag(v.id, &tag).ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::tag(&ctx, state, t)))
    })
}

pub async fn delete_tag(
    app: App,
    Path((name, number, tag)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let v = find_version(tx.state(), &name, &number)?;
        let t = tx.state().tag(v.id, &tag).ok_or(ApiError::NoRoute)?.id;
        tx.apply(Change::DeleteTag(t));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

fn branch_body(
    ctx: &Ctx,
    pacticipant: &str,
    name: &str,
    created: &pactline_broker_domain::Time,
) -> Value {
    json!({
        "name": name,
        "createdAt": crate::hal::date(created),
        "_links": {
            "self": titled(ctx.url(&paths::branch(pacticipant, name)), "Branch"),
            "pb:latest-version": titled(ctx.url(&format!("{}/latest-version", paths::branch(pacticipant, name))), "Latest version for branch"),
        }
    })
}

pub async fn branches(app: App, ctx: Ctx, Path(name): Path<String>) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        let list: Vec<_> = state.branches_of(p.id).rev().collect();
        Ok(hal::ok(json!({
            "_embedded": {"branches": list.iter().map(|b| branch_body(&ctx, &name, &b.name, &b.created_at)).collect::<Vec<_>>()},
            "_links": {
                "self": titled(ctx.url(&paths::branches(&name)), &format!("{name} branches")),
                "pb:branches": list.iter().map(|b| json!({"name": b.name, "href": ctx.url(&paths::branch(&name, &b.name))})).collect::<Vec<_>>(),
            }
        })))
    })
}

pub async fn get_branch(
    app: App,
    ctx: Ctx,
    Path((name, branch)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        let b = state
            .branch_by_name(p.id, &branch)
            .ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(branch_body(&ctx, &name, &b.name, &b.created_at)))
    })
}

pub async fn delete_branch(
    app: App,
    Path((name, branch)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let p = find_pacticipant(tx.state(), &name)?.id;
        let b = tx
            .state()
            .branch_by_name(p, &branch)
            .ok_or(ApiError::NoRoute)?
            .id;
        tx.apply(Change::DeleteBranch(b));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

pub async fn branch_latest_version(
    app: App,
    ctx: Ctx,
    Path((name, branch)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        let v = state
            .branch_head_version(p.id, &branch)
            .ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::version(&ctx, state, v)))
    })
}

/// PUT a version onto a branch: creates what is missing; 201 when newly added, 200 otherwise.
pub async fn put_branch_version(
    app: App,
    ctx: Ctx,
    Path((name, branch, number)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.write(|tx, settings| {
        let (p, _) = commands::ensure_pacticipant(tx, &name);
        let (v, _) = commands::ensure_version(tx, p, &number);
        let (id, created) = commands::add_branch_version(tx, settings, v, &branch);
        let body = render::branch_version(&ctx, tx.state(), &tx.state().branch_versions[&id]);
        Ok(if created {
            hal::created(
                &ctx.url(&paths::branch_version(&name, &branch, &number)),
                body,
            )
        } else {
            hal::ok(body)
        })
    })
}

pub async fn get_branch_version(
    app: App,
    ctx: Ctx,
    Path((name, branch, number)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &name)?;
        let b = state
            .branch_by_name(p.id, &branch)
            .ok_or(ApiError::NoRoute)?;
        let v = state
            .version_by_number(p.id, &number)
            .ok_or(ApiError::NoRoute)?;
        let bv = state.branch_version(b.id, v.id).ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::branch_version(&ctx, state, bv)))
    })
}

pub async fn delete_branch_version(
    app: App,
    Path((name, branch, number)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let state = tx.state();
        let p = find_pacticipant(state, &name)?;
        let b = state
            .branch_by_name(p.id, &branch)
            .ok_or(ApiError::NoRoute)?;
        let v = state
            .version_by_number(p.id, &number)
            .ok_or(ApiError::NoRoute)?;
        let bv = state
            .branch_version(b.id, v.id)
            .ok_or(ApiError::NoRoute)?
            .id;
        tx.apply(Change::DeleteBranchVersion(bv));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
