//! Pacts: by consumer version (with the legacy PUT/PATCH publish), by content SHA, latest.

use super::{find_pacticipant, json_body, render, App, Ctx};
use crate::error::{ApiError, JSON};
use crate::hal::{self, link, named, titled};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_api::paths;
use pactline_broker_domain::commands::{self, OnConflict};
use pactline_broker_domain::{Change, PactPublication, State, ValidationErrors};
use serde_json::{json, Value};

fn find_publication<'s>(
    state: &'s State,
    provider: &str,
    consumer: &str,
    version: &str,
) -> Result<&'s PactPublication, ApiError> {
    let p = state
        .pacticipant_by_name(provider)
        .ok_or(ApiError::NoRoute)?;
    let c = state
        .pacticipant_by_name(consumer)
        .ok_or(ApiError::NoRoute)?;
    let v = state
        .version_by_number(c.id, version)
        .ok_or(ApiError::NoRoute)?;
    state
        .latest_publication_for(v.id, p.id)
        .ok_or(ApiError::NoRoute)
}

pub async fn get_by_version(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, version)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_publication(state, &provider, &consumer, &version)?;
        Ok(hal::ok(render::pact(&ctx, state, p, "")))
    })
}

/// The legacy publish: PUT creates or replaces (201/200), PATCH merges.
#[allow(clippy::too_many_arguments)] // an axum handler's extractors, passed through
async fn put_or_patch(
    app: App,
    ctx: Ctx,
    provider: String,
    consumer: String,
    version: String,
    headers: HeaderMap,
    body: Bytes,
    merge: bool,
) -> Result<Response, ApiError> {
    let doc = json_body(&headers, &body)?;
    let mut e = ValidationErrors::new();
    for (key, name) in [("consumer", &consumer), ("provider", &provider)] {
        if let Some(in_pact) = doc.pointer(&format!("/{key}/name")).and_then(Value::as_str) {
            if in_pact != name {
                e.add(
                    &format!("{key}.name"),
                    format!("name in pact '{in_pact}' does not match name in URL path '{name}'."),
                );
            }
        }
    }
    if version.trim().is_empty() {
        e.add("consumer_version_number", "can't be blank");
    }
    e.into_result()?;
    app.write(|tx, settings| {
        let (c, _) = commands::ensure_pacticipant(tx, &consumer);
        let (p, _) = commands::ensure_pacticipant(tx, &provider);
        let (v, _) = commands::ensure_version(tx, c, &version);
        let existing = tx.state().latest_publication_for(v, p).is_some();
        let sha = pactline_broker_domain::content::pact_sha(&doc);
        if !merge && commands::is_disallowed_modification(tx, settings, v, p, &sha) {
            return Err(ApiError::Conflict(
                json!({"error": format!("Cannot change the content of the pact for {consumer} version {version} and provider {provider}, as race conditions will cause unreliable results for can-i-deploy. Each pact must be published with a unique consumer version number. Some Pact libraries generate random data when a concrete value for a type matcher is not specified, and this can cause the contract to mutate - ensure you have given example values for all type matchers. For more information see https://docs.pact.io/go/versioning")}),
                JSON,
            ));
        }
        let on_conflict = if merge && existing { OnConflict::Merge } else { OnConflict::Overwrite };
        let published = commands::publish_pact_with_sha(tx, v, p, &doc, &sha, on_conflict)?;
        pactline_broker_domain::webhooks::trigger_for_publication(tx, published.publication_id, &published.events, None, &ctx.base);
        let publication = tx.state().publication(published.publication_id).clone();
        let body = render::pact(&ctx, tx.state(), &publication, "");
        Ok(if existing {
            hal::ok(body)
        } else {
            hal::created(&ctx.url(&paths::pact(&provider, &consumer, &version)), body)
        })
    })
}

pub async fn put_pact(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, version)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    put_or_patch(app, ctx, provider, consumer, version, headers, body, false).await
}

pub async fn patch_pact(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, version)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    put_or_patch(app, ctx, provider, consumer, version, headers, body, true).await
}

pub async fn delete_pact(
    app: App,
    Path((provider, consumer, version)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let p = find_publication(tx.state(), &provider, &consumer, &version)?.clone();
        let all: Vec<i64> = tx
            .state()
            .all_publications_of_consumer_version(p.consumer_version_id)
            .filter(|x| x.provider_id == p.provider_id)
            .map(|x| x.id)
            .collect();
        for id in all {
            tx.apply(Change::DeletePactPublication(id));
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

pub async fn get_by_sha(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, sha)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    by_sha(app, ctx, provider, consumer, sha, String::new()).await
}

pub async fn get_by_sha_with_metadata(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, sha, metadata)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    by_sha(app, ctx, provider, consumer, sha, metadata).await
}

/// The latest publication with this content, or the consumer version the metadata names.
async fn by_sha(
    app: App,
    ctx: Ctx,
    provider: String,
    consumer: String,
    sha: String,
    metadata: String,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let pv = super::find_pact_version(state, &provider, &consumer, &sha)?;
        let wanted =
            super::for_verification::metadata_consumer_version(state, pv.consumer_id, &metadata);
        let publications: Vec<&PactPublication> =
            state.publications_of_pact_version(pv.id).collect();
        let publication = wanted
            .and_then(|v| {
                publications
                    .iter()
                    .copied()
                    .find(|x| x.consumer_version_id == v)
            })
            .or_else(|| {
                publications
                    .iter()
                    .copied()
                    .max_by_key(|x| (x.consumer_version_id, x.id))
            })
            .ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render::pact(&ctx, state, publication, &metadata)))
    })
}

/// The latest publication for the pair, among consumer versions with `tag` when given
/// (the legacy meaning of latest: the latest publication, not the latest version's pact).
fn latest_publication<'s>(
    state: &'s State,
    provider: &str,
    consumer: &str,
    tag: Option<&str>,
) -> Option<&'s PactPublication> {
    let p = state.pacticipant_by_name(provider)?;
    let c = state.pacticipant_by_name(consumer)?;
    state
        .current_publications_for_provider(p.id)
        .into_iter()
        .filter(|x| x.consumer_id == c.id)
        .filter(|x| match tag {
            Some("untagged") => state.tags_of(x.consumer_version_id).next().is_none(),
            Some(t) => state.tag(x.consumer_version_id, t).is_some(),
            None => true,
        })
        .max_by_key(|x| (x.consumer_version_id, x.id))
}

/// The latest publication for the pair among consumer versions on `branch`
/// (`None`: the consumer's main branch).
fn latest_publication_on_branch<'s>(
    state: &'s State,
    provider_id: i64,
    consumer_id: i64,
    branch: Option<&str>,
) -> Option<&'s PactPublication> {
    let branch = match branch {
        Some(b) => b.to_string(),
        None => state.pacticipant(consumer_id).main_branch.clone()?,
    };
    let b = state.branch_by_name(consumer_id, &branch)?;
    state
        .current_publications_for_provider(provider_id)
        .into_iter()
        .filter(|x| x.consumer_id == consumer_id)
        .filter(|x| state.branch_version(b.id, x.consumer_version_id).is_some())
        .max_by_key(|x| (x.consumer_version_id, x.id))
}

pub async fn get_latest_for_branch(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, branch)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = state
            .pacticipant_by_name(&provider)
            .ok_or(ApiError::NoRoute)?
            .id;
        let c = state
            .pacticipant_by_name(&consumer)
            .ok_or(ApiError::NoRoute)?
            .id;
        let x =
            latest_publication_on_branch(state, p, c, Some(&branch)).ok_or(ApiError::NoRoute)?;
        Ok(latest_response(&ctx, state, x, None))
    })
}

fn provider_branch_pacts(
    ctx: &Ctx,
    state: &State,
    provider: &str,
    branch: Option<&str>,
) -> Result<Response, ApiError> {
    let p = find_pacticipant(state, provider)?;
    let mut links = Vec::new();
    for c in state
        .integrations()
        .into_iter()
        .filter(|(_, pr)| *pr == p.id)
        .map(|(c, _)| c)
    {
        let consumer = &state.pacticipant(c).name;
        if let Some(x) = latest_publication_on_branch(state, p.id, c, branch) {
            let number = &state.version(x.consumer_version_id).number;
            links.push(json!({
                "href": ctx.url(&paths::pact(provider, consumer, number)),
                "title": format!("Pact between {consumer} ({number}) and {provider}"),
                "name": consumer
            }));
        }
    }
    let (self_path, title) = match branch {
        Some(b) => (
            format!("/pacts/provider/{}/branch/{}/latest", paths::encode(provider), paths::encode(b)),
            format!("Latest pact versions for the provider {provider} with consumer version branch '{b}'"),
        ),
        None => (
            format!("/pacts/provider/{}/branch/latest", paths::encode(provider)),
            format!("Latest pact versions for the provider {provider} with the main branch of each consumer"),
        ),
    };
    Ok(hal::ok(json!({
        "_links": {
            "self": titled(ctx.url(&self_path), &title),
            "pb:provider": named(ctx.url(&paths::pacticipant(provider)), provider, provider),
            "pb:pacts": links,
            "pacts": links
        }
    })))
}

pub async fn latest_provider_pacts_for_branch(
    app: App,
    ctx: Ctx,
    Path((provider, branch)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| provider_branch_pacts(&ctx, state, &provider, Some(&branch)))
}

pub async fn latest_provider_pacts_for_main_branch(
    app: App,
    ctx: Ctx,
    Path(provider): Path<String>,
) -> Result<Response, ApiError> {
    app.read(|state| provider_branch_pacts(&ctx, state, &provider, None))
}

fn latest_response(ctx: &Ctx, state: &State, p: &PactPublication, tag: Option<&str>) -> Response {
    let metadata = super::for_verification::metadata_for_latest(state, p, tag);
    let mut r = hal::ok(render::pact(ctx, state, p, &metadata));
    if let Ok(v) = HeaderValue::from_str(&state.version(p.consumer_version_id).number) {
        r.headers_mut().insert("x-pact-consumer-version", v);
    }
    r
}

pub async fn get_latest(
    app: App,
    ctx: Ctx,
    Path((provider, consumer)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = latest_publication(state, &provider, &consumer, None).ok_or(ApiError::NoRoute)?;
        Ok(latest_response(&ctx, state, p, None))
    })
}

pub async fn get_latest_tagged(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, tag)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p =
            latest_publication(state, &provider, &consumer, Some(&tag)).ok_or(ApiError::NoRoute)?;
        Ok(latest_response(&ctx, state, p, Some(&tag)))
    })
}

/// `GET /pacts/latest`: the latest pact of every integration.
pub async fn latest_pacts(app: App, ctx: Ctx) -> Response {
    app.read(|state| {
        let mut pacts = Vec::new();
        for (c, p) in state.integrations() {
            let (consumer, provider) = (&state.pacticipant(c).name, &state.pacticipant(p).name);
            if let Some(x) = latest_publication(state, provider, consumer, None) {
                let number = &state.version(x.consumer_version_id).number;
                pacts.push(json!({
                    "createdAt": crate::hal::date(&x.created_at),
                    "_embedded": {
                        "consumer": {"name": consumer, "_links": {"self": link(ctx.url(&paths::pacticipant(consumer)))}, "_embedded": {"version": {"number": number}}},
                        "provider": {"name": provider, "_links": {"self": link(ctx.url(&paths::pacticipant(provider)))}}
                    },
                    "_links": {"self": [
                        titled(ctx.url(&paths::latest_pact(provider, consumer, None)), "Latest pact"),
                        titled(ctx.url(&paths::pact(provider, consumer, number)), "Pact")
                    ]}
                }));
            }
        }
        hal::ok(json!({"pacts": pacts, "_links": {"self": link(ctx.url("/pacts/latest"))}}))
    })
}

fn provider_pacts(
    ctx: &Ctx,
    state: &State,
    provider: &str,
    tag: Option<&str>,
) -> Result<Response, ApiError> {
    let p = find_pacticipant(state, provider)?;
    let consumers: Vec<i64> = state
        .integrations()
        .into_iter()
        .filter(|(_, pr)| *pr == p.id)
        .map(|(c, _)| c)
        .collect();
    let mut links = Vec::new();
    for c in consumers {
        let consumer = &state.pacticipant(c).name;
        if let Some(x) = latest_publication(state, provider, consumer, tag) {
            let number = &state.version(x.consumer_version_id).number;
            links.push(json!({
                "href": ctx.url(&paths::pact(provider, consumer, number)),
                "title": format!("Pact between {consumer} ({number}) and {provider}"),
                "name": consumer
            }));
        }
    }
    let title = match tag {
        Some(t) => format!(
            "Latest pact versions for the provider {provider} with consumer version tag '{t}'"
        ),
        None => format!("Latest pact versions for the provider {provider}"),
    };
    Ok(hal::ok(json!({
        "_links": {
            "self": titled(ctx.url(&paths::latest_provider_pacts(provider, tag)), &title),
            "provider": named(ctx.url(&paths::pacticipant(provider)), provider, provider),
            "pb:provider": named(ctx.url(&paths::pacticipant(provider)), provider, provider),
            "pb:pacts": links,
            // Deprecated, still iterated by the Rust verifier's legacy path.
            "pacts": links
        }
    })))
}

pub async fn latest_provider_pacts(
    app: App,
    ctx: Ctx,
    Path(provider): Path<String>,
) -> Result<Response, ApiError> {
    app.read(|state| provider_pacts(&ctx, state, &provider, None))
}

pub async fn latest_provider_pacts_tagged(
    app: App,
    ctx: Ctx,
    Path((provider, tag)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| provider_pacts(&ctx, state, &provider, Some(&tag)))
}
