//! `POST /contracts/publish`: the all-in-one publication (broker-api.md §1.3.1).

use super::{json_body, App, Ctx};
use crate::error::{ApiError, JSON};
use crate::hal;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use pactline_broker_api::paths;
use pactline_broker_domain::commands::{self, OnConflict, PactPublishStatus, TagOptions};
use pactline_broker_domain::notices::Notice;
use pactline_broker_domain::webhooks;
use pactline_broker_domain::{State, ValidationErrors};
use serde_json::{json, Value};

struct Contract {
    consumer_name: String,
    provider_name: String,
    content: Value,
    /// The content's pact version SHA, computed once, before the write lock is taken.
    sha: String,
    on_conflict: OnConflict,
}

struct Publication {
    pacticipant_name: String,
    version_number: String,
    branch: Option<String>,
    tags: Vec<String>,
    build_url: Option<String>,
    contracts: Vec<Contract>,
}

fn field<'a>(
    e: &mut ValidationErrors,
    body: &'a Value,
    key: &str,
    required: bool,
) -> Option<&'a str> {
    match body.get(key) {
        None if required => {
            e.add(key, "is missing");
            None
        }
        None => None,
        Some(Value::Null) if !required => None,
        Some(Value::String(s)) => {
            if s.trim().is_empty() {
                e.add(
                    key,
                    if required {
                        "must be filled"
                    } else {
                        "can't be blank"
                    },
                );
                None
            } else {
                Some(s)
            }
        }
        Some(Value::Null) => {
            e.add(key, "must be filled");
            None
        }
        Some(_) => {
            e.add(key, "must be a string");
            None
        }
    }
}

/// Validates the request as the broker's `PublishContractsSchema` does, decoding each contract.
fn parse(body: &Value) -> Result<Publication, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let name = field(&mut e, body, "pacticipantName", true).map(str::to_string);
    let number = field(&mut e, body, "pacticipantVersionNumber", true).map(str::to_string);
    if number.as_deref().is_some_and(|n| n.contains('\n')) {
        e.add("pacticipantVersionNumber", "cannot contain multiple lines");
    }
    let branch = field(&mut e, body, "branch", false).map(str::to_string);
    if branch.as_deref().is_some_and(|n| n.contains('\n')) {
        e.add("branch", "cannot contain multiple lines");
    }
    let build_url = match body.get("buildUrl") {
        Some(Value::String(s)) if s.contains('\n') => {
            e.add("buildUrl", "cannot contain multiple lines");
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) | None => None,
        Some(_) => {
            e.add("buildUrl", "must be a string");
            None
        }
    };
    let mut tags = Vec::new();
    match body.get("tags") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, t) in items.iter().enumerate() {
                match t.as_str() {
                    Some(s) if !s.trim().is_empty() => tags.push(s.to_string()),
                    _ => e.add("tags", format!("can't be blank (at index {i})")),
                }
            }
        }
        Some(_) => e.add("tags", "must be an array"),
    }
    let mut contracts = Vec::new();
    match body.get("contracts") {
        None => e.add("contracts", "is missing"),
        Some(Value::Array(items)) => {
            for (i, c) in items.iter().enumerate() {
                if let Some(c) = parse_contract(&mut e, c, i, name.as_deref()) {
                    contracts.push(c);
                }
            }
        }
        Some(_) => e.add("contracts", "must be an array"),
    }
    if !e.is_empty() {
        return Err(e);
    }
    Ok(Publication {
        pacticipant_name: name.unwrap_or_default(),
        version_number: number.unwrap_or_default(),
        branch,
        tags,
        build_url,
        contracts,
    })
}

fn parse_contract(
    e: &mut ValidationErrors,
    c: &Value,
    i: usize,
    pacticipant: Option<&str>,
) -> Option<Contract> {
    let at = |msg: String| format!("{msg} (at index {i})");
    if !c.is_object() {
        e.add("contracts", at("must be a hash".into()));
        return None;
    }
    let mut ok = true;
    let mut string = |key: &str| -> Option<String> {
        match c.get(key) {
            None => {
                e.add("contracts", at(format!("{key} is missing")));
                ok = false;
                None
            }
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(_) => {
                e.add("contracts", at(format!("{key} must be filled")));
                ok = false;
                None
            }
        }
    };
    let consumer_name = string("consumerName");
    let provider_name = string("providerName");
    let content = string("content");
    let content_type = string("contentType");
    let specification = string("specification");
    if content_type
        .as_deref()
        .is_some_and(|t| t != "application/json")
    {
        e.add(
            "contracts",
            at("contentType must be one of: application/json".into()),
        );
        ok = false;
    }
    if specification.as_deref().is_some_and(|s| s != "pact") {
        e.add("contracts", at("specification must be one of: pact".into()));
        ok = false;
    }
    let on_conflict = match c.get("onConflict").and_then(Value::as_str) {
        None => OnConflict::Overwrite,
        Some("overwrite") => OnConflict::Overwrite,
        Some("merge") => OnConflict::Merge,
        Some(_) => {
            e.add(
                "contracts",
                at("onConflict must be one of: overwrite, merge".into()),
            );
            ok = false;
            OnConflict::Overwrite
        }
    };
    if let (Some(cn), Some(p)) = (&consumer_name, pacticipant) {
        if cn != p {
            e.add(
                "contracts",
                at(format!(
                    "consumerName ('{cn}') must match pacticipantName ('{p}')"
                )),
            );
            ok = false;
        }
    }
    let content = content?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(content.trim())
        .ok();
    let Some(decoded) = decoded else {
        e.add("contracts", at("is not valid Base64".into()));
        return None;
    };
    let text = match String::from_utf8(decoded) {
        Ok(t) => t,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            e.add("contracts", at(format!("contract content has a non UTF-8 character at char {} and cannot be parsed as JSON", valid + 1)));
            return None;
        }
    };
    let parsed: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) => {
            e.add(
                "contracts",
                at(format!(
                    "content could not be parsed as {}",
                    content_type.as_deref().unwrap_or("application/json")
                )),
            );
            return None;
        }
    };
    if !parsed.is_object() {
        e.add(
            "contracts",
            at("parsed content was expected to be a Hash but was an Array".into()),
        );
        return None;
    }
    if let Some(name) = parsed.pointer("/consumer/name").and_then(Value::as_str) {
        if consumer_name.as_deref().is_some_and(|c| c != name) {
            e.add("contracts", at(format!("consumer name in contract content ('{name}') must match consumerName in contract params ('{}')", consumer_name.as_deref().unwrap_or(""))));
            ok = false;
        }
    }
    if let Some(name) = parsed.pointer("/provider/name").and_then(Value::as_str) {
        if provider_name.as_deref().is_some_and(|c| c != name) {
            e.add("contracts", at(format!("provider name in contract content ('{name}') must match providerName in contract params ('{}')", provider_name.as_deref().unwrap_or(""))));
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    Some(Contract {
        consumer_name: consumer_name?,
        provider_name: provider_name?,
        sha: pactline_broker_domain::content::pact_sha(&parsed),
        content: parsed,
        on_conflict,
    })
}

fn conflict_message(consumer: &str, version: &str, provider: &str) -> String {
    format!("Cannot change the content of the pact for {consumer} version {version} and provider {provider}, as race conditions will cause unreliable results for can-i-deploy. Each pact must be published with a unique consumer version number. Some Pact libraries generate random data when a concrete value for a type matcher is not specified, and this can cause the contract to mutate - ensure you have given example values for all type matchers. For more information see https://docs.pact.io/go/versioning")
}

/// Conflicts found before anything is written: a changed pact for an existing consumer version.
fn conflicts(state: &State, p: &Publication, allow_modification: bool) -> Vec<Notice> {
    let mut notices = Vec::new();
    if allow_modification {
        return notices;
    }
    let Some(consumer) = state.pacticipant_by_name(&p.pacticipant_name) else {
        return notices;
    };
    let Some(version) = state.version_by_number(consumer.id, &p.version_number) else {
        return notices;
    };
    for c in &p.contracts {
        let Some(provider) = state.pacticipant_by_name(&c.provider_name) else {
            continue;
        };
        let Some(existing) = state.latest_publication_for(version.id, provider.id) else {
            continue;
        };
        let old = state.pact_version(existing.pact_version_id);
        if old.sha != c.sha {
            notices.push(Notice::error(conflict_message(
                &c.consumer_name,
                &p.version_number,
                &c.provider_name,
            )));
            let old_doc: Value = serde_json::from_str(&old.content).unwrap_or(Value::Null);
            notices.push(Notice::info(diff(
                &pactline_broker_domain::content::without_ids(&old_doc),
                &c.content,
            )));
        }
    }
    notices
}

/// A short, readable account of what changed between two pacts' interactions.
fn diff(old: &Value, new: &Value) -> String {
    let list = |v: &Value| -> Vec<String> {
        v.get("interactions")
            .or_else(|| v.get("messages"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|i| {
                        serde_json::to_string(&pactline_broker_domain::content::order_keys(i))
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (a, b) = (list(old), list(new));
    let mut out = Vec::new();
    for i in &a {
        if !b.contains(i) {
            out.push(format!("- {i}"));
        }
    }
    for i in &b {
        if !a.contains(i) {
            out.push(format!("+ {i}"));
        }
    }
    if out.is_empty() {
        "The interactions are the same; other content that affects verification differs.".into()
    } else {
        out.join("\n")
    }
}

pub async fn publish_contracts(
    app: App,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    let publication = parse(&body).map_err(ApiError::Validation)?;
    let broker = app.0.clone();
    let base = ctx.base.clone();
    let result = tokio::task::spawn_blocking(move || {
        broker.write(|tx, settings| {
            let conflict = conflicts(
                tx.state(),
                &publication,
                settings.allow_dangerous_contract_modification,
            );
            if !conflict.is_empty() {
                let errors: Vec<String> = conflict
                    .iter()
                    .filter(|n| n.kind == "error")
                    .map(|n| n.text.clone())
                    .collect();
                return Err(ApiError::Conflict(
                    json!({"notices": conflict, "errors": {"contracts": errors}}),
                    JSON,
                ));
            }
            Ok(publish(tx, settings, &publication, &base))
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(hal::ok(result))
}

fn publish(
    tx: &mut pactline_broker_domain::Tx,
    settings: &pactline_broker_domain::Settings,
    p: &Publication,
    base: &str,
) -> Value {
    let url = |path: String| format!("{base}{path}");
    let mut notices = Vec::new();
    let (consumer_id, _) = commands::ensure_pacticipant(tx, &p.pacticipant_name);
    let existed = tx
        .state()
        .version_by_number(consumer_id, &p.version_number)
        .is_some();
    let (version_id, _) = commands::ensure_version(tx, consumer_id, &p.version_number);
    if p.build_url.is_some() {
        commands::set_version_build_url(tx, version_id, p.build_url.clone());
    }
    if let Some(branch) = &p.branch {
        commands::add_branch_version(tx, settings, version_id, branch);
    }
    for tag in &p.tags {
        commands::add_tag(tx, settings, version_id, tag, TagOptions::default());
    }
    let action = if existed { "Updated" } else { "Created" };
    let (name, number) = (&p.pacticipant_name, &p.version_number);
    let tags = p.tags.join(", ");
    notices.push(Notice::debug(match (&p.branch, p.tags.is_empty()) {
        (Some(b), false) => {
            format!("{action} {name} version {number} with branch {b} and tags {tags}")
        }
        (Some(b), true) => format!("{action} {name} version {number} with branch {b}"),
        (None, false) => format!("{action} {name} version {number} with tags {tags}"),
        (None, true) => format!("{action} {name} version {number}"),
    }));
    if p.branch.is_none() {
        notices.push(Notice::prompt("  Next steps:\n    Configure the version branch to be the value of your repository branch."));
    }
    let mut contract_links = Vec::new();
    for c in &p.contracts {
        let (provider_id, _) = commands::ensure_pacticipant(tx, &c.provider_name);
        let existing = tx
            .state()
            .latest_publication_for(version_id, provider_id)
            .is_some();
        let on_conflict = if existing {
            c.on_conflict
        } else {
            OnConflict::Overwrite
        };
        let published = match commands::publish_pact_with_sha(
            tx,
            version_id,
            provider_id,
            &c.content,
            &c.sha,
            on_conflict,
        ) {
            Ok(r) => r,
            Err(e) => {
                notices.push(Notice::error(e.to_string()));
                continue;
            }
        };
        let provider = &c.provider_name;
        let text = match (c.on_conflict, existing, &published.status) {
            (OnConflict::Merge, true, _) => Notice::success(format!("Pact content merged with existing content for {name} version {number} and provider {provider}.")),
            (_, true, PactPublishStatus::Modified) => Notice::warning(format!("Pact with changed content published over existing content for {name} version {number} and provider {provider}. This is not recommended in normal circumstances and may indicate that you have not configured your Pact pipeline correctly. For more information see https://docs.pact.io/go/versioning")),
            (_, true, _) => Notice::success(format!("Pact successfully republished for {name} version {number} and provider {provider} with no content changes.")),
            (_, false, _) => Notice::success(format!("Pact successfully published for {name} version {number} and provider {provider}.")),
        };
        notices.push(text);
        let pact_url = url(paths::pact(provider, name, number));
        notices.push(Notice::debug(format!(
            "  View the published pact at {pact_url}"
        )));
        let mut events: Vec<String> = published
            .events
            .iter()
            .map(|e| match &e.comment {
                Some(c) => format!("{} ({c})", e.name),
                None => e.name.to_string(),
            })
            .collect();
        if !commands::required_verifications(tx.state(), published.pact_version_id).is_empty() {
            events.push("contract_requiring_verification_published".to_string());
        }
        if !events.is_empty() {
            notices.push(Notice::debug(format!(
                "  Events detected: {}",
                events.join(", ")
            )));
        }
        let triggered = webhooks::trigger_for_publication(
            tx,
            published.publication_id,
            &published.events,
            p.build_url.as_deref(),
            base,
        );
        let has_webhooks =
            !webhooks::webhooks_for_pact(tx.state(), consumer_id, provider_id).is_empty();
        for t in &triggered {
            notices.push(Notice::debug(format!(
                "  Webhook {} triggered for event {}.\n    View logs at {}",
                t.webhook_description,
                t.event_name,
                url(format!("/triggered-webhooks/{}/logs", t.uuid))
            )));
        }
        if triggered.is_empty() && has_webhooks {
            notices.push(Notice::debug(
                "  No enabled webhooks found for the detected events",
            ));
        }
        let mut next = Vec::new();
        if !tx
            .state()
            .any_verification_between(consumer_id, provider_id)
        {
            next.push(Notice::prompt(format!("    * Add Pact verification tests to the {provider} build. See https://docs.pact.io/go/provider_verification")));
        }
        if !has_webhooks {
            next.push(Notice::prompt(format!("    * Configure separate {provider} pact verification build and webhook to trigger it when the pact content changes. See https://docs.pact.io/go/webhooks")));
        }
        if !next.is_empty() {
            notices.push(Notice::prompt("  Next steps:"));
            notices.extend(next);
        }
        contract_links.push(json!({"title": "Pact", "name": format!("Pact between {name} ({number}) and {provider}"), "href": pact_url}));
    }
    let logs: Vec<Value> = notices
        .iter()
        .map(|n| json!({"level": n.kind, "message": n.text, "deprecationWarning": "Replaced by notices"}))
        .collect();
    let tag_links: Vec<Value> = p
        .tags
        .iter()
        .map(|t| json!({"title": "Tag", "name": t, "href": url(paths::tag(name, number, t))}))
        .collect();
    json!({
        "logs": logs,
        "notices": notices,
        "_embedded": {
            "pacticipant": {"name": name, "_links": {"self": {"href": url(paths::pacticipant(name))}}},
            "version": {"number": number, "_links": {"self": {"title": "Version", "name": number, "href": url(paths::version(name, number))}}}
        },
        "_links": {
            "pb:pacticipant": {"title": "Pacticipant", "name": name, "href": url(paths::pacticipant(name))},
            "pb:pacticipant-version": {"title": "Pacticipant version", "name": number, "href": url(paths::version(name, number))},
            "pb:pacticipant-version-tags": tag_links,
            "pb:contracts": contract_links
        }
    })
}
