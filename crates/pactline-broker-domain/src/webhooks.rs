//! Webhooks: validation, which webhooks an event triggers, the `${pactbroker.*}` values, template
//! rendering with `${user.*}` secrets, host and scheme policy, and the retry schedule.
//!
//! Deliveries are [`TriggeredWebhook`] records written in the same transaction as the event that
//! raised them; the HTTP layer's worker sends them after the commit and records each attempt.

use crate::commands::{required_verifications, Event};
use crate::for_verification::metadata::metadata_for_webhook;
use crate::model::*;
use crate::state::State;
use crate::tx::Tx;
use crate::ValidationErrors;
use chrono::Duration;
use pactline_broker_api::paths;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The events a webhook can subscribe to (`webhook_event.rb`).
pub const EVENTS: [&str; 6] = [
    "contract_published",
    "contract_content_changed",
    "contract_requiring_verification_published",
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
];

/// The broker's `webhook_retry_schedule`, in seconds: 7 attempts in all.
pub const DEFAULT_RETRY_SCHEDULE: [u64; 6] = [10, 60, 120, 300, 600, 1200];

/// Where webhooks may send requests. The real broker's defaults: https only, POST only; and,
/// as pactline adds, no loopback or link-local host unless the host whitelist names it.
#[derive(Debug, Clone)]
pub struct WebhookPolicy {
    pub scheme_whitelist: Vec<String>,
    /// Exact hosts, `*.example.com` wildcards, or IPv4/IPv6 CIDR ranges (`10.0.0.0/8`).
    pub host_whitelist: Vec<String>,
    pub method_whitelist: Vec<String>,
    pub retry_schedule: Vec<u64>,
}

impl Default for WebhookPolicy {
    fn default() -> Self {
        WebhookPolicy {
            scheme_whitelist: vec!["https".into()],
            host_whitelist: Vec::new(),
            method_whitelist: vec!["POST".into()],
            retry_schedule: DEFAULT_RETRY_SCHEDULE.to_vec(),
        }
    }
}

/// The parts of a URL the policy looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: String,
    pub host: String,
}

/// Splits `scheme://[user@]host[:port]/...` (hosts in brackets for IPv6).
pub fn url_parts(url: &str) -> Option<UrlParts> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?.to_string()
    } else {
        authority.split(':').next()?.to_string()
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    Some(UrlParts {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_ascii_lowercase(),
    })
}

fn cidr_contains(cidr: &str, ip: IpAddr) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) if bits <= 128 => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

/// Whether a host matches one whitelist entry.
pub fn host_matches(host: &str, entry: &str) -> bool {
    let entry = entry.trim().to_ascii_lowercase();
    if let Some(suffix) = entry.strip_prefix("*.") {
        return host.ends_with(&format!(".{suffix}"));
    }
    if entry.contains('/') {
        return host
            .parse::<IpAddr>()
            .is_ok_and(|ip| cidr_contains(&entry, ip));
    }
    host == entry
}

/// Hosts that reach this machine or its private neighbourhood, refused unless whitelisted.
fn is_local(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback() || ip.is_link_local() || ip.is_unspecified(),
        Ok(IpAddr::V6(ip)) => ip.is_loopback() || ip.is_unspecified(),
        Err(_) => false,
    }
}

impl WebhookPolicy {
    /// Why a URL may not be used, in the broker's words (`None`: allowed).
    pub fn refuse_url(&self, url: &str) -> Option<String> {
        // Placeholders are rendered first, as the broker does, so a templated host is caught.
        let a = url_parts(&render_placeholders(url, "placeholder"));
        let b = url_parts(&render_placeholders(url, "differentplaceholder"));
        let (Some(a), Some(b)) = (a, b) else {
            return Some("is not a valid URL eg. http://example.org".into());
        };
        if a.host != b.host {
            return Some("cannot have a template parameter in the host".into());
        }
        if !self
            .scheme_whitelist
            .iter()
            .any(|s| s.eq_ignore_ascii_case(&a.scheme))
        {
            return Some(format!(
                "scheme must be {}. See /doc/webhooks#whitelist for more information.",
                self.scheme_whitelist.join(", ")
            ));
        }
        if self.host_whitelist.is_empty() {
            if is_local(&a.host) {
                return Some(format!(
                    "host {} is a loopback address, which webhooks may only use when it is in the host whitelist (--webhook-host-whitelist). See /doc/webhooks#whitelist for more information.",
                    a.host
                ));
            }
        } else if !self.host_whitelist.iter().any(|e| host_matches(&a.host, e)) {
            return Some(format!(
                "host must be in the whitelist {}. See /doc/webhooks#whitelist for more information.",
                self.host_whitelist.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", ")
            ));
        }
        None
    }

    pub fn refuse_method(&self, method: &str) -> Option<String> {
        if !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
            .contains(&method.to_ascii_uppercase().as_str())
        {
            return Some("is not a recognised HTTP method".into());
        }
        if self
            .method_whitelist
            .iter()
            .any(|m| m.eq_ignore_ascii_case(method))
        {
            return None;
        }
        Some(if self.method_whitelist.len() == 1 {
            format!(
                "must be {}. See /doc/webhooks#whitelist for more information.",
                self.method_whitelist[0]
            )
        } else {
            format!(
                "must be one of {}. See /doc/webhooks#whitelist for more information.",
                self.method_whitelist.join(", ")
            )
        })
    }

    /// The wait before the next attempt after `attempts_made` attempts, or `None` when spent.
    pub fn retry_delay(&self, attempts_made: u32) -> Option<Duration> {
        let i = attempts_made.checked_sub(1)? as usize;
        self.retry_schedule
            .get(i)
            .map(|s| Duration::seconds(*s as i64))
    }

    /// Attempts in all: the first plus one per schedule entry.
    pub fn max_attempts(&self) -> u32 {
        self.retry_schedule.len() as u32 + 1
    }
}

/// Replaces every `${...}` with `value` (to check what a template does to a URL's host).
fn render_placeholders(s: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str(value);
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A webhook as the API takes it, validated.
#[derive(Debug, Clone)]
pub struct WebhookInput {
    pub description: Option<String>,
    pub consumer: Option<PacticipantSelector>,
    pub provider: Option<PacticipantSelector>,
    pub events: Vec<String>,
    pub enabled: bool,
    pub request: WebhookRequest,
}

fn pacticipant_selector(
    e: &mut ValidationErrors,
    state: &State,
    body: &Value,
    key: &str,
) -> Option<PacticipantSelector> {
    let v = body.get(key).filter(|v| !v.is_null())?;
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    let label = v
        .get("label")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    match (name, label) {
        (Some(_), Some(_)) => {
            e.add(
                &format!("{key}.label"),
                "name and label cannot be provided at the same time",
            );
            None
        }
        (Some(n), None) => {
            if state.pacticipant_by_name(n).is_none() {
                e.add(
                    &format!("{key}.name"),
                    format!("No pacticipant with name '{n}' found"),
                );
            }
            Some(PacticipantSelector::Name(n.to_string()))
        }
        (None, Some(l)) => Some(PacticipantSelector::Label(l.to_string())),
        (None, None) => {
            e.add(key, "cannot be blank");
            None
        }
    }
}

/// Validates a webhook body as `webhook_contract.rb` does, with the policy's whitelists.
pub fn parse_webhook(
    body: &Value,
    state: &State,
    policy: &WebhookPolicy,
) -> Result<WebhookInput, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let consumer = pacticipant_selector(&mut e, state, body, "consumer");
    let provider = pacticipant_selector(&mut e, state, body, "provider");
    let mut events = Vec::new();
    match body.get("events") {
        None | Some(Value::Null) => events.push("contract_content_changed".to_string()),
        Some(Value::Array(items)) => {
            if items.is_empty() {
                e.add("events", "size cannot be less than 1");
            }
            for (i, item) in items.iter().enumerate() {
                match item.get("name").and_then(Value::as_str) {
                    Some(n) if EVENTS.contains(&n) => events.push(n.to_string()),
                    _ => e.add(
                        "events",
                        format!("name must be one of: {} (at index {i})", EVENTS.join(", ")),
                    ),
                }
            }
        }
        Some(_) => e.add("events", "must be an array"),
    }
    let request = match body.get("request") {
        Some(r) if r.is_object() => {
            let method = match r.get("method").and_then(Value::as_str) {
                Some(m) if !m.trim().is_empty() => {
                    if let Some(why) = policy.refuse_method(m) {
                        e.add("request.method", why);
                    }
                    m.to_ascii_uppercase()
                }
                _ => {
                    e.add("request.method", "is missing");
                    String::new()
                }
            };
            let url = match r.get("url").and_then(Value::as_str) {
                Some(u) if !u.trim().is_empty() => {
                    if let Some(why) = policy.refuse_url(u) {
                        e.add("request.url", why);
                    }
                    u.to_string()
                }
                _ => {
                    e.add("request.url", "is missing");
                    String::new()
                }
            };
            let headers = r
                .get("headers")
                .and_then(Value::as_object)
                .map(|h| {
                    h.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.as_str().map_or_else(|| v.to_string(), str::to_string),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let text = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
            WebhookRequest {
                method,
                url,
                headers,
                body: r.get("body").filter(|b| !b.is_null()).cloned(),
                username: text("username"),
                password: text("password"),
            }
        }
        _ => {
            e.add("request", "is missing");
            WebhookRequest {
                method: String::new(),
                url: String::new(),
                headers: Vec::new(),
                body: None,
                username: None,
                password: None,
            }
        }
    };
    if !e.is_empty() {
        return Err(e);
    }
    Ok(WebhookInput {
        description: body
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        consumer,
        provider,
        events,
        enabled: body.get("enabled").and_then(Value::as_bool).unwrap_or(true),
        request,
    })
}

/// Whether a uuid may name a webhook (`^[A-Za-z0-9_\-]{16,}$`).
pub fn valid_uuid(uuid: &str) -> bool {
    uuid.len() >= 16
        && uuid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Creates or replaces a webhook. Returns (id, created).
pub fn upsert_webhook(tx: &mut Tx, uuid: &str, input: WebhookInput) -> (Id, bool) {
    let now = tx.now;
    let existing = tx.state().webhook_by_uuid(uuid).cloned();
    let (id, created_at, created) = match &existing {
        Some(w) => (w.id, w.created_at, false),
        None => (tx.next_id(), now, true),
    };
    tx.apply(Change::PutWebhook(Webhook {
        id,
        uuid: uuid.to_string(),
        description: input.description,
        consumer: input.consumer,
        provider: input.provider,
        events: input.events,
        enabled: input.enabled,
        request: input.request,
        created_at,
        updated_at: now,
    }));
    (id, created)
}

/// Creates or updates the secret `name` (`${user.NAME}`). Returns (id, created).
pub fn upsert_secret(
    tx: &mut Tx,
    name: &str,
    value: &str,
    description: Option<String>,
) -> (Id, bool) {
    let now = tx.now;
    let existing = tx.state().secret_by_name(name).cloned();
    let (id, uuid, created_at, created) = match existing {
        Some(s) => (s.id, s.uuid, s.created_at, false),
        None => (tx.next_id(), uuid::Uuid::new_v4().to_string(), now, true),
    };
    tx.apply(Change::PutSecret(Secret {
        id,
        uuid,
        name: name.to_string(),
        description,
        value: value.to_string(),
        created_at,
        updated_at: now,
    }));
    (id, created)
}

/// Deletes a webhook; its pending deliveries are marked failed, as the broker does.
pub fn delete_webhook(tx: &mut Tx, id: Id) {
    let pending: Vec<TriggeredWebhook> = tx
        .state()
        .triggered_webhooks
        .values()
        .filter(|t| {
            t.webhook_id == id
                && matches!(t.status, WebhookStatus::NotRun | WebhookStatus::Retrying)
        })
        .cloned()
        .collect();
    for mut t in pending {
        t.status = WebhookStatus::Failure;
        t.next_attempt_at = None;
        t.updated_at = tx.now;
        tx.apply(Change::PutTriggeredWebhook(t));
    }
    tx.apply(Change::DeleteWebhook(id));
}

fn selector_matches(
    state: &State,
    s: &Option<PacticipantSelector>,
    pacticipant_id: Option<Id>,
) -> bool {
    match s {
        None => true,
        Some(PacticipantSelector::Name(n)) => {
            pacticipant_id.is_some_and(|id| state.pacticipant(id).name == *n)
        }
        Some(PacticipantSelector::Label(l)) => {
            pacticipant_id.is_some_and(|id| state.labels_of(id).any(|x| x.name == *l))
        }
    }
}

/// Enabled webhooks subscribed to `event` whose consumer and provider match (either may be
/// unset, matching any), in creation order.
pub fn matching_webhooks<'s>(
    state: &'s State,
    event: &str,
    consumer_id: Option<Id>,
    provider_id: Option<Id>,
) -> Vec<&'s Webhook> {
    state
        .webhooks
        .values()
        .filter(|w| w.enabled && w.events.iter().any(|e| e == event))
        .filter(|w| {
            selector_matches(state, &w.consumer, consumer_id)
                && selector_matches(state, &w.provider, provider_id)
        })
        .collect()
}

/// Webhooks that mention a pacticipant pair (for the "next steps" notice and lists).
pub fn webhooks_for_pact(state: &State, consumer_id: Id, provider_id: Id) -> Vec<&Webhook> {
    state
        .webhooks
        .values()
        .filter(|w| {
            selector_matches(state, &w.consumer, Some(consumer_id))
                && selector_matches(state, &w.provider, Some(provider_id))
        })
        .collect()
}

fn status_words(v: Option<&Verification>) -> [(&'static str, &'static str); 4] {
    match v.map(|v| v.success) {
        Some(true) => [
            ("githubVerificationStatus", "success"),
            ("bitbucketVerificationStatus", "SUCCESSFUL"),
            ("azureDevOpsVerificationStatus", "succeeded"),
            ("gitlabVerificationStatus", "success"),
        ],
        Some(false) => [
            ("githubVerificationStatus", "failure"),
            ("bitbucketVerificationStatus", "FAILED"),
            ("azureDevOpsVerificationStatus", "failed"),
            ("gitlabVerificationStatus", "failed"),
        ],
        None => [
            ("githubVerificationStatus", "pending"),
            ("bitbucketVerificationStatus", "INPROGRESS"),
            ("azureDevOpsVerificationStatus", "pending"),
            ("gitlabVerificationStatus", "pending"),
        ],
    }
}

/// Values the event sets over the ones derived from the pact and verification.
#[derive(Debug, Clone, Default)]
pub struct EventContext {
    pub consumer_version_number: Option<String>,
    pub consumer_version_tags: Option<Vec<String>>,
    pub consumer_version_branch: Option<String>,
    pub provider_version_number: Option<String>,
    pub provider_version_branch: Option<String>,
    pub provider_version_descriptions: Option<String>,
    pub build_url: Option<String>,
}

/// The `${pactbroker.*}` values for a pact (the publication it was published as), the
/// verification in play (if any), and the event (`pact_and_verification_parameters.rb`).
pub fn template_params(
    state: &State,
    publication: &PactPublication,
    verification: Option<&Verification>,
    event_name: &str,
    context: &EventContext,
    base_url: &str,
) -> BTreeMap<String, String> {
    let consumer = state.pacticipant(publication.consumer_id);
    let provider = state.pacticipant(publication.provider_id);
    let pv = state.pact_version(publication.pact_version_id);
    let cv = state.version(publication.consumer_version_id);
    let consumer_number = context
        .consumer_version_number
        .clone()
        .unwrap_or_else(|| cv.number.clone());
    let consumer_tags = context
        .consumer_version_tags
        .clone()
        .unwrap_or_else(|| state.tag_names_of(cv.id));
    let consumer_branch = context
        .consumer_version_branch
        .clone()
        .or_else(|| state.version_branch(cv.id).map(str::to_string))
        .unwrap_or_default();
    let provider_version = verification.map(|v| state.version(v.provider_version_id));
    let provider_number = context
        .provider_version_number
        .clone()
        .or_else(|| provider_version.map(|v| v.number.clone()))
        .unwrap_or_default();
    let provider_tags = verification
        .map(|v| state.tag_names_of(v.provider_version_id).join(", "))
        .unwrap_or_default();
    let provider_branch = context
        .provider_version_branch
        .clone()
        .or_else(|| {
            provider_version
                .and_then(|v| state.version_branch(v.id))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let labels = |id: Id| {
        state
            .labels_of(id)
            .map(|l| l.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let metadata = metadata_for_webhook(&consumer_number, &consumer_tags);
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        m.insert(format!("pactbroker.{k}"), v);
    };
    put(
        "pactUrl",
        format!(
            "{base_url}{}",
            paths::pact_version_with_metadata(&provider.name, &consumer.name, &pv.sha, &metadata)
        ),
    );
    put(
        "verificationResultUrl",
        verification
            .map(|v| {
                format!(
                    "{base_url}{}",
                    paths::verification_result(&provider.name, &consumer.name, &pv.sha, v.number)
                )
            })
            .unwrap_or_default(),
    );
    put("consumerName", consumer.name.clone());
    put("providerName", provider.name.clone());
    put("consumerVersionNumber", consumer_number);
    put("providerVersionNumber", provider_number);
    put("consumerVersionTags", consumer_tags.join(", "));
    put("providerVersionTags", provider_tags);
    put("consumerVersionBranch", consumer_branch);
    put("providerVersionBranch", provider_branch);
    put(
        "providerVersionDescriptions",
        context
            .provider_version_descriptions
            .clone()
            .unwrap_or_default(),
    );
    put("consumerLabels", labels(consumer.id));
    put("providerLabels", labels(provider.id));
    for (k, v) in status_words(verification) {
        put(k, v.to_string());
    }
    put("eventName", event_name.to_string());
    put(
        "buildUrl",
        context
            .build_url
            .clone()
            .or_else(|| verification.and_then(|v| v.build_url.clone()))
            .or_else(|| cv.build_url.clone())
            .unwrap_or_default(),
    );
    m
}

/// Percent-encodes as Ruby's `CGI.escape` (space → `+`).
pub fn cgi_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Renders `${pactbroker.*}` from `params` and `${user.NAME}` from `secret`; unknown
/// placeholders are left as they are. `escape` applies to every substituted value (URLs).
pub fn render(
    template: &str,
    params: &BTreeMap<String, String>,
    secret: &dyn Fn(&str) -> Option<String>,
    escape: bool,
) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let key = &after[..end];
        let value = params
            .get(key)
            .cloned()
            .or_else(|| key.strip_prefix("user.").and_then(secret));
        match value {
            Some(v) if escape => out.push_str(&cgi_escape(&v)),
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Renders a webhook body: strings inside a JSON body are rendered one by one (so values
/// cannot break the JSON); a string body is rendered as text.
pub fn render_body(
    body: &Value,
    params: &BTreeMap<String, String>,
    secret: &dyn Fn(&str) -> Option<String>,
) -> String {
    fn walk(
        v: &Value,
        params: &BTreeMap<String, String>,
        secret: &dyn Fn(&str) -> Option<String>,
    ) -> Value {
        match v {
            Value::String(s) => Value::String(render(s, params, secret, false)),
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, params, secret)).collect()),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| (render(k, params, secret, false), walk(x, params, secret)))
                    .collect::<Map<String, Value>>(),
            ),
            other => other.clone(),
        }
    }
    match body {
        Value::String(s) => render(s, params, secret, false),
        other => walk(other, params, secret).to_string(),
    }
}

/// One delivery created for an event, for the publish notices.
#[derive(Debug, Clone)]
pub struct Triggered {
    pub triggered_webhook_id: Id,
    pub uuid: String,
    pub webhook_description: String,
    pub event_name: String,
}

#[allow(clippy::too_many_arguments)]
fn trigger(
    tx: &mut Tx,
    event_name: &str,
    publication: &PactPublication,
    verification: Option<&Verification>,
    context: &EventContext,
    base_url: &str,
    out: &mut Vec<Triggered>,
) {
    let hooks: Vec<Webhook> = matching_webhooks(
        tx.state(),
        event_name,
        Some(publication.consumer_id),
        Some(publication.provider_id),
    )
    .into_iter()
    .cloned()
    .collect();
    for w in hooks {
        let params = template_params(
            tx.state(),
            publication,
            verification,
            event_name,
            context,
            base_url,
        );
        let id = tx.next_id();
        let now = tx.now;
        let uuid = uuid::Uuid::new_v4().to_string();
        tx.apply(Change::PutTriggeredWebhook(TriggeredWebhook {
            id,
            uuid: uuid.clone(),
            webhook_id: w.id,
            event_name: event_name.to_string(),
            params,
            consumer_id: Some(publication.consumer_id),
            provider_id: Some(publication.provider_id),
            pact_version_id: Some(publication.pact_version_id),
            verification_id: verification.map(|v| v.id),
            status: WebhookStatus::NotRun,
            attempts_made: 0,
            next_attempt_at: Some(now),
            created_at: now,
            updated_at: now,
        }));
        out.push(Triggered {
            triggered_webhook_id: id,
            uuid,
            webhook_description: w
                .description
                .clone()
                .map_or_else(|| w.uuid.clone(), |d| format!("{d:?}")),
            event_name: event_name.to_string(),
        });
    }
}

/// The verification that sets the status variables of a contract event: the latest of this
/// content from the provider's main branch, else the latest overall.
fn verification_for_contract_event(
    state: &State,
    publication: &PactPublication,
) -> Option<Verification> {
    let provider = state.pacticipant(publication.provider_id);
    let all: Vec<&Verification> = state
        .verifications_of_pact_version(publication.pact_version_id)
        .collect();
    let on_main = provider.main_branch.as_deref().and_then(|main| {
        all.iter()
            .rev()
            .find(|v| {
                state
                    .branch_names_of_version(v.provider_version_id)
                    .contains(&main)
            })
            .copied()
    });
    on_main.or_else(|| all.last().copied()).cloned()
}

/// Triggers the webhooks for a pact publication's events (`contract_published`,
/// `contract_content_changed`), and one `contract_requiring_verification_published` delivery per
/// provider version that should verify the content and has not.
pub fn trigger_for_publication(
    tx: &mut Tx,
    publication_id: Id,
    events: &[Event],
    build_url: Option<&str>,
    base_url: &str,
) -> Vec<Triggered> {
    let publication = tx.state().publication(publication_id).clone();
    let verification = verification_for_contract_event(tx.state(), &publication);
    let context = EventContext {
        build_url: build_url.map(str::to_string),
        ..Default::default()
    };
    let mut out = Vec::new();
    for e in events {
        trigger(
            tx,
            e.name,
            &publication,
            verification.as_ref(),
            &context,
            base_url,
            &mut out,
        );
    }
    if events.iter().any(|e| e.name == "contract_published") {
        let provider = tx.state().pacticipant(publication.provider_id).clone();
        for (version_id, reasons) in required_verifications(tx.state(), publication.pact_version_id)
        {
            let state = tx.state();
            let is_main_head = provider.main_branch.as_deref().is_some_and(|m| {
                state
                    .branch_head_version(provider.id, m)
                    .is_some_and(|v| v.id == version_id)
            });
            let branch = if is_main_head {
                provider.main_branch.clone()
            } else {
                state.version_branch(version_id).map(str::to_string)
            };
            let context = EventContext {
                provider_version_number: Some(state.version(version_id).number.clone()),
                provider_version_branch: branch,
                provider_version_descriptions: Some(reasons.join(", ")),
                build_url: build_url.map(str::to_string),
                ..Default::default()
            };
            trigger(
                tx,
                "contract_requiring_verification_published",
                &publication,
                None,
                &context,
                base_url,
                &mut out,
            );
        }
    }
    out
}

/// Triggers `provider_verification_published` and `…_succeeded`/`…_failed` for a verification:
/// one delivery per distinct consumer version the verified URL's selectors named, else one for
/// the pact's latest consumer version.
pub fn trigger_for_verification(
    tx: &mut Tx,
    verification_id: Id,
    base_url: &str,
) -> Vec<Triggered> {
    let v = tx.state().verification(verification_id).clone();
    let state = tx.state();
    let Some(latest) = state
        .publications_of_pact_version(v.pact_version_id)
        .filter(|p| state.is_current_publication(p))
        .max_by_key(|p| (p.consumer_version_id, p.id))
        .cloned()
    else {
        return Vec::new();
    };
    let mut contexts: Vec<(PactPublication, EventContext)> = Vec::new();
    if let Some(Value::Array(selectors)) = &v.consumer_version_selectors {
        let mut numbers: Vec<String> = Vec::new();
        for s in selectors {
            if let Some(n) = s.get("consumer_version_number").and_then(Value::as_str) {
                if !numbers.iter().any(|x| x == n) {
                    numbers.push(n.to_string());
                }
            }
        }
        for n in numbers {
            let publication = state
                .version_by_number(latest.consumer_id, &n)
                .and_then(|cv| state.latest_publication_for(cv.id, latest.provider_id))
                .cloned()
                .unwrap_or_else(|| latest.clone());
            let tags: Vec<String> = selectors
                .iter()
                .filter(|s| {
                    s.get("consumer_version_number").and_then(Value::as_str) == Some(n.as_str())
                })
                .filter_map(|s| s.get("tag").and_then(Value::as_str).map(str::to_string))
                .collect();
            contexts.push((
                publication,
                EventContext {
                    consumer_version_number: Some(n.clone()),
                    consumer_version_tags: Some(tags),
                    ..Default::default()
                },
            ));
        }
    }
    if contexts.is_empty() {
        contexts.push((latest, EventContext::default()));
    }
    let outcome = if v.success {
        "provider_verification_succeeded"
    } else {
        "provider_verification_failed"
    };
    let mut out = Vec::new();
    for (publication, context) in contexts {
        for event in ["provider_verification_published", outcome] {
            trigger(
                tx,
                event,
                &publication,
                Some(&v),
                &context,
                base_url,
                &mut out,
            );
        }
    }
    out
}

/// Deliveries due at `now`, oldest first.
pub fn due(state: &State, now: Time) -> Vec<Id> {
    state
        .triggered_webhooks
        .values()
        .filter(|t| matches!(t.status, WebhookStatus::NotRun | WebhookStatus::Retrying))
        .filter(|t| t.next_attempt_at.is_none_or(|at| at <= now))
        .map(|t| t.id)
        .collect()
}

/// The earliest time a pending delivery is due, if any.
pub fn next_due(state: &State) -> Option<Time> {
    state
        .triggered_webhooks
        .values()
        .filter(|t| matches!(t.status, WebhookStatus::NotRun | WebhookStatus::Retrying))
        .filter_map(|t| t.next_attempt_at)
        .min()
}

/// Records one attempt's outcome and schedules the next per the retry schedule.
pub fn record_attempt(
    tx: &mut Tx,
    policy: &WebhookPolicy,
    triggered_webhook_id: Id,
    success: bool,
    logs: String,
) {
    let Some(mut t) = tx
        .state()
        .triggered_webhooks
        .get(&triggered_webhook_id)
        .cloned()
    else {
        return;
    };
    let now = tx.now;
    t.attempts_made += 1;
    if success {
        t.status = WebhookStatus::Success;
        t.next_attempt_at = None;
    } else if let Some(delay) = policy.retry_delay(t.attempts_made) {
        t.status = WebhookStatus::Retrying;
        t.next_attempt_at = Some(now + delay);
    } else {
        t.status = WebhookStatus::Failure;
        t.next_attempt_at = None;
    }
    t.updated_at = now;
    let id = tx.next_id();
    tx.apply(Change::PutWebhookExecution(WebhookExecution {
        id,
        triggered_webhook_id,
        success,
        logs,
        created_at: now,
    }));
    tx.apply(Change::PutTriggeredWebhook(t));
}

/// Header names whose values are never shown (`webhook_request_template.rb#HEADERS_TO_REDACT`).
pub fn is_secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("authorization") || n.contains("token")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refuses_what_the_broker_refuses_and_loopback_by_default() {
        let p = WebhookPolicy::default();
        assert_eq!(p.refuse_url("https://example.org/hook"), None);
        assert_eq!(p.refuse_url("HTTPS://example.org"), None);
        assert!(p
            .refuse_url("http://example.org")
            .unwrap()
            .starts_with("scheme must be https"));
        assert!(p
            .refuse_url("https://${pactbroker.consumerName}.example.org")
            .unwrap()
            .contains("template parameter in the host"));
        assert!(p
            .refuse_url("https://127.0.0.1:8080/x")
            .unwrap()
            .contains("loopback"));
        assert!(p
            .refuse_url("https://localhost/x")
            .unwrap()
            .contains("loopback"));
        assert!(p
            .refuse_url("not a url")
            .unwrap()
            .contains("not a valid URL"));
        let local = WebhookPolicy {
            scheme_whitelist: vec!["http".into(), "https".into()],
            host_whitelist: vec!["127.0.0.0/8".into(), "*.example.com".into()],
            ..Default::default()
        };
        assert_eq!(local.refuse_url("http://127.0.0.1:9000/dispatch"), None);
        assert_eq!(local.refuse_url("https://ci.example.com/x"), None);
        assert!(local
            .refuse_url("https://example.org/x")
            .unwrap()
            .starts_with("host must be in the whitelist"));
        assert_eq!(p.refuse_method("post"), None);
        assert!(p.refuse_method("GET").unwrap().starts_with("must be POST"));
    }

    #[test]
    fn retry_schedule_gives_seven_attempts() {
        let p = WebhookPolicy::default();
        assert_eq!(p.retry_delay(1), Some(Duration::seconds(10)));
        assert_eq!(p.retry_delay(6), Some(Duration::seconds(1200)));
        assert_eq!(p.retry_delay(7), None);
        assert_eq!(p.max_attempts(), 7);
    }

    #[test]
    fn render_substitutes_known_values_escapes_urls_and_leaves_unknowns() {
        let mut params = BTreeMap::new();
        params.insert("pactbroker.consumerName".to_string(), "Foo Bar".to_string());
        let secret = |n: &str| (n == "GITHUB_TOKEN").then(|| "s3cret".to_string());
        assert_eq!(
            render(
                "https://x/${pactbroker.consumerName}?${pactbroker.nope}",
                &params,
                &secret,
                true
            ),
            "https://x/Foo+Bar?${pactbroker.nope}"
        );
        assert_eq!(
            render("Bearer ${user.GITHUB_TOKEN}", &params, &secret, false),
            "Bearer s3cret"
        );
        assert_eq!(
            render("${user.OTHER}", &params, &secret, false),
            "${user.OTHER}"
        );
        let body = serde_json::json!({"c": "${pactbroker.consumerName} \"quoted\""});
        assert_eq!(
            render_body(&body, &params, &secret),
            r#"{"c":"Foo Bar \"quoted\""}"#
        );
    }

    #[test]
    fn url_parts_handles_users_ports_and_ipv6() {
        assert_eq!(
            url_parts("https://u:p@Example.org:8443/x").unwrap().host,
            "example.org"
        );
        assert_eq!(url_parts("http://[::1]:80/").unwrap().host, "::1");
        assert!(url_parts("https://").is_none());
    }
}
