//! Webhooks: create (POST, or PUT with a uuid), list, read, delete, test-execute; delivery
//! status and logs; and the secrets that webhooks use as `${user.NAME}`.
//!
//! Passwords, Authorization-like header values and secret values never appear in a response.

use super::{find_pacticipant, json_body, App, Ctx};
use crate::delivery;
use crate::error::ApiError;
use crate::hal::{self, date, named, titled};
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_api::paths;
use pactline_broker_domain::webhooks::{self, is_secret_header, WebhookInput};
use pactline_broker_domain::{
    Change, Id, PacticipantSelector, Secret, State, TriggeredWebhook, Webhook, WebhookStatus,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const REDACTED: &str = "**********";

fn selector_json(s: &PacticipantSelector) -> Value {
    match s {
        PacticipantSelector::Name(n) => json!({ "name": n }),
        PacticipantSelector::Label(l) => json!({ "label": l }),
    }
}

/// A webhook as the API shows it: header names lower-cased, secrets redacted.
pub fn render(ctx: &Ctx, w: &Webhook) -> Value {
    let mut m = Map::new();
    m.insert("uuid".into(), json!(w.uuid));
    if let Some(d) = &w.description {
        m.insert("description".into(), json!(d));
    }
    if let Some(c) = &w.consumer {
        m.insert("consumer".into(), selector_json(c));
    }
    if let Some(p) = &w.provider {
        m.insert("provider".into(), selector_json(p));
    }
    m.insert("enabled".into(), json!(w.enabled));
    let mut request = Map::new();
    request.insert("method".into(), json!(w.request.method));
    request.insert("url".into(), json!(w.request.url));
    let headers: Map<String, Value> = w
        .request
        .headers
        .iter()
        .map(|(k, v)| {
            let shown = if is_secret_header(k) {
                REDACTED
            } else {
                v.as_str()
            };
            (k.to_ascii_lowercase(), json!(shown))
        })
        .collect();
    if !headers.is_empty() {
        request.insert("headers".into(), Value::Object(headers));
    }
    if let Some(b) = &w.request.body {
        request.insert("body".into(), b.clone());
    }
    if let Some(u) = &w.request.username {
        request.insert("username".into(), json!(u));
    }
    if w.request.password.is_some() {
        request.insert("password".into(), json!(REDACTED));
    }
    m.insert("request".into(), Value::Object(request));
    m.insert(
        "events".into(),
        Value::Array(w.events.iter().map(|e| json!({ "name": e })).collect()),
    );
    m.insert("createdAt".into(), json!(date(&w.created_at)));
    if w.updated_at != w.created_at {
        m.insert("updatedAt".into(), json!(date(&w.updated_at)));
    }
    let title = w.description.clone().unwrap_or_else(|| w.uuid.clone());
    let mut links = json!({
        "self": titled(ctx.url(&paths::webhook(&w.uuid)), &title),
        "pb:execute": titled(ctx.url(&format!("{}/execute", paths::webhook(&w.uuid))), "Test the execution of the webhook with the latest matching pact or verification by sending a POST request to this URL"),
        "pb:webhooks": titled(ctx.url(&paths::webhooks()), "All webhooks"),
    });
    if let Some(PacticipantSelector::Name(c)) = &w.consumer {
        links["pb:consumer"] = named(ctx.url(&paths::pacticipant(c)), "Consumer", c);
    }
    if let Some(PacticipantSelector::Name(p)) = &w.provider {
        links["pb:provider"] = named(ctx.url(&paths::pacticipant(p)), "Provider", p);
    }
    if let (Some(PacticipantSelector::Name(c)), Some(PacticipantSelector::Name(p))) =
        (&w.consumer, &w.provider)
    {
        links["pb:pact-webhooks"] = titled(
            ctx.url(&format!(
                "/webhooks/provider/{}/consumer/{}",
                paths::encode(p),
                paths::encode(c)
            )),
            &format!("All webhooks for consumer {c} and provider {p}"),
        );
    }
    m.insert("_links".into(), links);
    Value::Object(m)
}

fn list(ctx: &Ctx, hooks: &[&Webhook], self_path: &str, title: &str) -> Response {
    hal::ok(json!({
        "_embedded": {"webhooks": hooks.iter().map(|w| render(ctx, w)).collect::<Vec<_>>()},
        "_links": {
            "self": titled(ctx.url(self_path), title),
            "pb:webhooks": hooks.iter().map(|w| json!({
                "title": w.description.clone().unwrap_or_else(|| w.uuid.clone()),
                "name": w.description.clone().unwrap_or_else(|| w.uuid.clone()),
                "href": ctx.url(&paths::webhook(&w.uuid))
            })).collect::<Vec<_>>(),
            "pb:create": titled(ctx.url(self_path), "POST to create a webhook"),
        }
    }))
}

fn parse(
    app: &App,
    state: &State,
    body: &Value,
    path_consumer: Option<&str>,
    path_provider: Option<&str>,
) -> Result<WebhookInput, ApiError> {
    let mut input = webhooks::parse_webhook(body, state, &app.config.webhook_policy)
        .map_err(ApiError::Validation)?;
    if let Some(c) = path_consumer {
        input.consumer = Some(PacticipantSelector::Name(c.to_string()));
    }
    if let Some(p) = path_provider {
        input.provider = Some(PacticipantSelector::Name(p.to_string()));
    }
    Ok(input)
}

async fn create(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
    consumer: Option<String>,
    provider: Option<String>,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    app.write(|tx, _| {
        for name in [&consumer, &provider].into_iter().flatten() {
            find_pacticipant(tx.state(), name)?;
        }
        let input = parse(
            &app,
            tx.state(),
            &body,
            consumer.as_deref(),
            provider.as_deref(),
        )?;
        let uuid = uuid::Uuid::new_v4().to_string();
        let (id, _) = webhooks::upsert_webhook(tx, &uuid, input);
        let w = &tx.state().webhooks[&id];
        Ok(hal::created(
            &ctx.url(&paths::webhook(&w.uuid)),
            render(&ctx, w),
        ))
    })
}

pub async fn post(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    create(app, ctx, headers, body, None, None).await
}

pub async fn post_for_pair(
    app: App,
    ctx: Ctx,
    Path((provider, consumer)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    create(app, ctx, headers, body, Some(consumer), Some(provider)).await
}

pub async fn post_for_provider(
    app: App,
    ctx: Ctx,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    create(app, ctx, headers, body, None, Some(provider)).await
}

pub async fn post_for_consumer(
    app: App,
    ctx: Ctx,
    Path(consumer): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    create(app, ctx, headers, body, Some(consumer), None).await
}

pub async fn index(app: App, ctx: Ctx) -> Response {
    app.read(|state| {
        let hooks: Vec<&Webhook> = state.webhooks.values().collect();
        list(&ctx, &hooks, &paths::webhooks(), "Webhooks")
    })
}

fn named_as(s: &Option<PacticipantSelector>, name: &str) -> bool {
    matches!(s, Some(PacticipantSelector::Name(n)) if n == name)
}

pub async fn for_pair(
    app: App,
    ctx: Ctx,
    Path((provider, consumer)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        find_pacticipant(state, &provider)?;
        find_pacticipant(state, &consumer)?;
        let hooks: Vec<&Webhook> = state
            .webhooks
            .values()
            .filter(|w| named_as(&w.consumer, &consumer) && named_as(&w.provider, &provider))
            .collect();
        let path = format!(
            "/webhooks/provider/{}/consumer/{}",
            paths::encode(&provider),
            paths::encode(&consumer)
        );
        Ok(list(
            &ctx,
            &hooks,
            &path,
            &format!("Webhooks for consumer {consumer} and provider {provider}"),
        ))
    })
}

pub async fn for_provider(
    app: App,
    ctx: Ctx,
    Path(provider): Path<String>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        find_pacticipant(state, &provider)?;
        let hooks: Vec<&Webhook> = state
            .webhooks
            .values()
            .filter(|w| named_as(&w.provider, &provider))
            .collect();
        let path = format!("/webhooks/provider/{}", paths::encode(&provider));
        Ok(list(
            &ctx,
            &hooks,
            &path,
            &format!("Webhooks for provider {provider}"),
        ))
    })
}

pub async fn for_consumer(
    app: App,
    ctx: Ctx,
    Path(consumer): Path<String>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        find_pacticipant(state, &consumer)?;
        let hooks: Vec<&Webhook> = state
            .webhooks
            .values()
            .filter(|w| named_as(&w.consumer, &consumer))
            .collect();
        let path = format!("/webhooks/consumer/{}", paths::encode(&consumer));
        Ok(list(
            &ctx,
            &hooks,
            &path,
            &format!("Webhooks for consumer {consumer}"),
        ))
    })
}

/// `GET /pacts/provider/{p}/consumer/{c}/webhooks`: webhooks that apply to this pact.
pub async fn for_pact(
    app: App,
    ctx: Ctx,
    Path((provider, consumer)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &provider)?.id;
        let c = find_pacticipant(state, &consumer)?.id;
        let hooks = webhooks::webhooks_for_pact(state, c, p);
        let path = format!(
            "/pacts/provider/{}/consumer/{}/webhooks",
            paths::encode(&provider),
            paths::encode(&consumer)
        );
        Ok(list(
            &ctx,
            &hooks,
            &path,
            &format!("Webhooks for the pact between {consumer} and {provider}"),
        ))
    })
}

pub async fn get(app: App, ctx: Ctx, Path(uuid): Path<String>) -> Result<Response, ApiError> {
    app.read(|state| {
        let w = state.webhook_by_uuid(&uuid).ok_or(ApiError::NoRoute)?;
        Ok(hal::ok(render(&ctx, w)))
    })
}

/// PUT upserts: 201 when created, 200 when replaced.
pub async fn put(
    app: App,
    ctx: Ctx,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    if !webhooks::valid_uuid(&uuid) {
        return Err(ApiError::Validation(pactline_broker_domain::ValidationErrors::single(
            "uuid",
            "The UUID can only contain the characters A-Z, a-z, 0-9, _ and -, and must be 16 or more characters.",
        )));
    }
    app.write(|tx, _| {
        let input = parse(&app, tx.state(), &body, None, None)?;
        let (id, created) = webhooks::upsert_webhook(tx, &uuid, input);
        let body = render(&ctx, &tx.state().webhooks[&id]);
        Ok(if created {
            hal::created(&ctx.url(&paths::webhook(&uuid)), body)
        } else {
            hal::ok(body)
        })
    })
}

pub async fn delete(app: App, Path(uuid): Path<String>) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let id = tx
            .state()
            .webhook_by_uuid(&uuid)
            .ok_or(ApiError::NoRoute)?
            .id;
        webhooks::delete_webhook(tx, id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

/// Values to test a webhook with: the latest pact it matches (and its latest verification), or
/// placeholders when there is none.
fn test_params(state: &State, w: &Webhook, base: &str) -> BTreeMap<String, String> {
    let candidate = state
        .pact_publications
        .values()
        .filter(|p| state.is_current_publication(p))
        .filter(|p| {
            let hooks = webhooks::webhooks_for_pact(state, p.consumer_id, p.provider_id);
            hooks.iter().any(|h| h.id == w.id)
        })
        .max_by_key(|p| p.id);
    match candidate {
        Some(p) => {
            let v = state
                .verifications_of_pact_version(p.pact_version_id)
                .next_back();
            webhooks::template_params(
                state,
                p,
                v,
                "test",
                &webhooks::EventContext::default(),
                base,
            )
        }
        None => [
            "pactUrl",
            "verificationResultUrl",
            "consumerName",
            "providerName",
            "consumerVersionNumber",
            "providerVersionNumber",
            "consumerVersionTags",
            "providerVersionTags",
            "consumerVersionBranch",
            "providerVersionBranch",
        ]
        .iter()
        .map(|k| (format!("pactbroker.{k}"), format!("placeholder-{k}")))
        .chain([("pactbroker.eventName".to_string(), "test".to_string())])
        .collect(),
    }
}

async fn execute_webhook(app: &App, ctx: &Ctx, w: Webhook) -> Response {
    let (prepared, _) = app.read(|state| {
        let params = test_params(state, &w, &ctx.base);
        (crate::delivery::prepare(state, &w, &params), ())
    });
    let attempt = delivery::send(
        &delivery::http_client(),
        &app.config.webhook_policy,
        &prepared,
        "test",
        &ctx.base,
    )
    .await;
    let request_headers: Map<String, Value> = prepared
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.to_ascii_lowercase(),
                json!(if is_secret_header(k) {
                    REDACTED
                } else {
                    v.as_str()
                }),
            )
        })
        .collect();
    let response = if app.config.webhook_policy.host_whitelist.is_empty() {
        json!({"status": attempt.status, "message": "For security purposes, the response details are not logged. To enable response logging, configure the webhook_host_whitelist property."})
    } else {
        json!({
            "status": attempt.status,
            "headers": attempt.response_headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<Map<String, Value>>(),
            "body": attempt.response_body
        })
    };
    let body_value: Value = prepared
        .body
        .as_deref()
        .map(|b| serde_json::from_str(b).unwrap_or_else(|_| json!(b)))
        .unwrap_or(Value::Null);
    let url_path = prepared
        .url
        .split_once("://")
        .map_or(prepared.url.as_str(), |(_, r)| r);
    let url_path = url_path.find('/').map_or("/", |i| &url_path[i..]);
    let status = if attempt.success {
        StatusCode::OK
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    hal::hal(
        status,
        json!({
            "request": {"headers": request_headers, "body": body_value, "url": url_path},
            "response": response,
            "logs": attempt.logs,
            "success": attempt.success,
            "_links": {}
        }),
    )
}

/// `POST /webhooks/{uuid}/execute`: runs a saved webhook now, with the latest matching data.
pub async fn execute(app: App, ctx: Ctx, Path(uuid): Path<String>) -> Result<Response, ApiError> {
    let w = app
        .read(|state| state.webhook_by_uuid(&uuid).cloned())
        .ok_or(ApiError::NoRoute)?;
    Ok(execute_webhook(&app, &ctx, w).await)
}

/// `POST /webhooks/execute`: runs an unsaved webhook body.
pub async fn execute_unsaved(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    let input = app.read(|state| parse(&app, state, &body, None, None))?;
    let now = chrono::Utc::now();
    let w = Webhook {
        id: 0,
        uuid: "unsaved".into(),
        description: input.description,
        consumer: input.consumer,
        provider: input.provider,
        events: input.events,
        enabled: true,
        request: input.request,
        created_at: now,
        updated_at: now,
    };
    Ok(execute_webhook(&app, &ctx, w).await)
}

fn attempts_remaining(app: &App, t: &TriggeredWebhook) -> u32 {
    match t.status {
        WebhookStatus::Success | WebhookStatus::Failure => 0,
        _ => app
            .config
            .webhook_policy
            .max_attempts()
            .saturating_sub(t.attempts_made),
    }
}

fn triggered_json(app: &App, ctx: &Ctx, state: &State, t: &TriggeredWebhook) -> Value {
    let w = state.webhooks.get(&t.webhook_id);
    let name = w
        .map(|w| {
            let host = webhooks::url_parts(&w.request.url)
                .map(|u| u.host)
                .unwrap_or_default();
            format!("{} {host}", w.request.method)
        })
        .unwrap_or_else(|| "deleted webhook".into());
    let mut links = json!({
        "pb:logs": {"href": ctx.url(&format!("/triggered-webhooks/{}/logs", t.uuid)), "title": "Webhook execution logs", "name": name},
    });
    if let Some(w) = w {
        links["pb:webhook"] =
            json!({"href": ctx.url(&paths::webhook(&w.uuid)), "title": "Webhook", "name": name});
    }
    json!({
        "name": name,
        "status": t.status.as_str(),
        "attemptsMade": t.attempts_made,
        "attemptsRemaining": attempts_remaining(app, t),
        "triggerType": "resource_creation",
        "eventName": t.event_name,
        "triggeredAt": date(&t.created_at),
        "_links": links
    })
}

/// `GET /pacts/provider/{p}/consumer/{c}/webhooks/status`.
pub async fn status(
    app: App,
    ctx: Ctx,
    Path((provider, consumer)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &provider)?.id;
        let c = find_pacticipant(state, &consumer)?.id;
        // The deliveries of the latest event for this pact, as the broker shows.
        let all: Vec<&TriggeredWebhook> = state
            .triggered_webhooks
            .values()
            .filter(|t| t.consumer_id == Some(c) && t.provider_id == Some(p))
            .collect();
        let count = |s: WebhookStatus| all.iter().filter(|t| t.status == s).count();
        let error_logs: Vec<Value> = all
            .iter()
            .filter(|t| matches!(t.status, WebhookStatus::Failure | WebhookStatus::Retrying))
            .map(|t| json!({"href": ctx.url(&format!("/triggered-webhooks/{}/logs", t.uuid)), "title": "Error logs"}))
            .collect();
        let path = format!("/pacts/provider/{}/consumer/{}/webhooks/status", paths::encode(&provider), paths::encode(&consumer));
        Ok(hal::ok(json!({
            "summary": {
                "successful": count(WebhookStatus::Success),
                "failed": count(WebhookStatus::Failure),
                "notRun": count(WebhookStatus::NotRun) + count(WebhookStatus::Retrying)
            },
            "_embedded": {"triggeredWebhooks": all.iter().map(|t| triggered_json(&app, &ctx, state, t)).collect::<Vec<_>>()},
            "_links": {
                "self": titled(ctx.url(&path), "Webhooks status"),
                "pb:error-logs": error_logs,
                "pb:pact-webhooks": titled(ctx.url(&format!("/pacts/provider/{}/consumer/{}/webhooks", paths::encode(&provider), paths::encode(&consumer))), &format!("Webhooks for the pact between {consumer} and {provider}")),
                "pb:consumer": named(ctx.url(&paths::pacticipant(&consumer)), "Consumer", &consumer),
                "pb:provider": named(ctx.url(&paths::pacticipant(&provider)), "Provider", &provider),
            }
        })))
    })
}

/// `GET /triggered-webhooks/{uuid}/logs`: every attempt's log, as text.
pub async fn logs(app: App, Path(uuid): Path<String>) -> Result<Response, ApiError> {
    app.read(|state| {
        let t = state
            .triggered_webhook_by_uuid(&uuid)
            .ok_or(ApiError::NoRoute)?;
        let text: String = state
            .executions_of(t.id)
            .map(|e| e.logs.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut r = (StatusCode::OK, text).into_response();
        r.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/plain;charset=utf-8"),
        );
        Ok(r)
    })
}

/// Deliveries triggered by a verification or pact version (for `pb:triggered-webhooks`).
pub fn triggered_for(
    app: &App,
    ctx: &Ctx,
    state: &State,
    pred: impl Fn(&TriggeredWebhook) -> bool,
) -> Value {
    json!({
        "_embedded": {"triggeredWebhooks": state.triggered_webhooks.values().filter(|t| pred(t)).map(|t| triggered_json(app, ctx, state, t)).collect::<Vec<_>>()},
    })
}

pub async fn triggered_for_verification(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, sha, number)): Path<(String, String, String, i64)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let pv = super::find_pact_version(state, &provider, &consumer, &sha)?.id;
        let v = state
            .verification_by_number(number)
            .filter(|v| v.pact_version_id == pv)
            .ok_or(ApiError::NoRoute)?
            .id;
        Ok(hal::ok(triggered_for(&app, &ctx, state, |t| {
            t.verification_id == Some(v)
        })))
    })
}

pub async fn triggered_for_pact(
    app: App,
    ctx: Ctx,
    Path((provider, consumer, version)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    app.read(|state| {
        let p = find_pacticipant(state, &provider)?.id;
        let c = find_pacticipant(state, &consumer)?;
        let v = state
            .version_by_number(c.id, &version)
            .ok_or(ApiError::NoRoute)?;
        let publication = state
            .latest_publication_for(v.id, p)
            .ok_or(ApiError::NoRoute)?;
        let pv = publication.pact_version_id;
        Ok(hal::ok(triggered_for(&app, &ctx, state, |t| {
            t.pact_version_id == Some(pv) && t.verification_id.is_none()
        })))
    })
}

// ---- secrets ------------------------------------------------------------------------------

fn secret_json(ctx: &Ctx, s: &Secret) -> Value {
    let mut m = Map::new();
    m.insert("uuid".into(), json!(s.uuid));
    m.insert("name".into(), json!(s.name));
    if let Some(d) = &s.description {
        m.insert("description".into(), json!(d));
    }
    m.insert("createdAt".into(), json!(date(&s.created_at)));
    m.insert(
        "_links".into(),
        json!({"self": titled(ctx.url(&format!("/secrets/{}", s.uuid)), "Secret")}),
    );
    Value::Object(m)
}

fn valid_secret_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `POST /secrets {name, value, description?}`: the value is kept and never returned.
pub async fn create_secret(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    let mut e = pactline_broker_domain::ValidationErrors::new();
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !valid_secret_name(&name) {
        e.add(
            "name",
            "must be letters, digits and underscores, as used in ${user.NAME}",
        );
    }
    let value = body
        .get("value")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if value.is_empty() {
        e.add("value", "is missing");
    }
    e.into_result()?;
    app.write(|tx, _| {
        let description = body
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        let (id, created) = webhooks::upsert_secret(tx, &name, &value, description);
        let uuid = tx.state().secrets[&id].uuid.clone();
        let body = secret_json(&ctx, &tx.state().secrets[&id]);
        Ok(if created {
            hal::created(&ctx.url(&format!("/secrets/{uuid}")), body)
        } else {
            hal::ok(body)
        })
    })
}

pub async fn list_secrets(app: App, ctx: Ctx) -> Response {
    app.read(|state| {
        hal::ok(json!({
            "_embedded": {"secrets": state.secrets.values().map(|s| secret_json(&ctx, s)).collect::<Vec<_>>()},
            "_links": {"self": titled(ctx.url("/secrets"), "Secrets")}
        }))
    })
}

pub async fn delete_secret(app: App, Path(uuid): Path<String>) -> Result<Response, ApiError> {
    app.write(|tx, _| {
        let id: Id = tx
            .state()
            .secrets
            .values()
            .find(|s| s.uuid == uuid)
            .ok_or(ApiError::NoRoute)?
            .id;
        tx.apply(Change::DeleteSecret(id));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
