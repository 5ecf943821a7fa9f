//! Webhook delivery: sends what the domain triggered, after the commit, retrying per the
//! schedule, and records each attempt with a redacted log. Pending deliveries are records, so
//! a restarted broker picks up where it stopped.

use crate::broker::Broker;
use chrono::{SubsecRound, Utc};
use pactline_broker_domain::webhooks::{self, is_secret_header, WebhookPolicy};
use pactline_broker_domain::{State, Webhook};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// A request ready to send, with what must never be logged.
pub struct Prepared {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub basic_auth: Option<(String, String)>,
    /// Secret values to mask wherever they appear in logs.
    pub secrets: Vec<String>,
}

/// What one attempt did.
pub struct Attempt {
    pub success: bool,
    pub logs: String,
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
}

impl Attempt {
    /// An attempt that got no answer (refused before sending, or the request failed).
    fn failed(logs: impl Into<String>) -> Attempt {
        Attempt {
            success: false,
            logs: logs.into(),
            status: None,
            response_headers: Vec::new(),
            response_body: String::new(),
        }
    }
}

/// Renders a webhook's request from the `${pactbroker.*}` values and the broker's secrets.
pub fn prepare(state: &State, webhook: &Webhook, params: &BTreeMap<String, String>) -> Prepared {
    let mut used = Vec::new();
    let secret = |name: &str| state.secret_by_name(name).map(|s| s.value.clone());
    let track = |s: &str, used: &mut Vec<String>| {
        for sec in state.secrets.values() {
            if s.contains(&format!("${{user.{}}}", sec.name)) && !used.contains(&sec.value) {
                used.push(sec.value.clone());
            }
        }
    };
    let r = &webhook.request;
    track(&r.url, &mut used);
    let url = webhooks::render(&r.url, params, &secret, true);
    let headers = r
        .headers
        .iter()
        .map(|(k, v)| {
            track(v, &mut used);
            (k.clone(), webhooks::render(v, params, &secret, false))
        })
        .collect();
    let body = r.body.as_ref().map(|b| {
        track(&b.to_string(), &mut used);
        webhooks::render_body(b, params, &secret)
    });
    let basic_auth = r.username.as_ref().map(|u| {
        let p = r.password.clone().unwrap_or_default();
        track(u, &mut used);
        track(&p, &mut used);
        (
            webhooks::render(u, params, &secret, false),
            webhooks::render(&p, params, &secret, false),
        )
    });
    if let Some((_, p)) = &basic_auth {
        if !p.is_empty() {
            used.push(p.clone());
        }
    }
    Prepared {
        method: r.method.clone(),
        url,
        headers,
        body,
        basic_auth,
        secrets: used,
    }
}

fn mask(s: &str, secrets: &[String]) -> String {
    let mut out = s.to_string();
    for sec in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(sec.as_str(), "********");
    }
    out
}

/// Sends one request (15 s timeouts, as the broker) and writes the broker-style log.
pub async fn send(
    http: &reqwest::Client,
    policy: &WebhookPolicy,
    p: &Prepared,
    event_name: &str,
    base_url: &str,
) -> Attempt {
    let mut log = String::new();
    let mut line = |level: &str, text: &str| {
        log.push_str(&format!(
            "[{}] {level}: {}\n",
            Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            mask(text, &p.secrets)
        ));
    };
    line(
        "DEBUG",
        &format!("Webhook context {{\"base_url\":{base_url:?},\"event_name\":{event_name:?}}}"),
    );
    if let Some(why) = policy.refuse_url(&p.url) {
        line(
            "ERROR",
            &format!("Refusing to send to {}: the URL {why}", p.url),
        );
        return Attempt::failed(log);
    }
    line("INFO", &format!("HTTP/1.1 {} {}", p.method, p.url));
    for (k, v) in &p.headers {
        let shown = if is_secret_header(k) {
            "**********"
        } else {
            v.as_str()
        };
        line("INFO", &format!("{k}: {shown}"));
    }
    if let Some(b) = &p.body {
        line("INFO", b);
    }
    let method = reqwest::Method::from_bytes(p.method.as_bytes()).unwrap_or(reqwest::Method::POST);
    let mut req = http
        .request(method, &p.url)
        .header("user-agent", "Pact Broker");
    for (k, v) in &p.headers {
        req = req.header(k.as_str(), v.as_str());
    }
    if let Some((u, pw)) = &p.basic_auth {
        req = req.basic_auth(u, Some(pw));
    }
    if let Some(b) = &p.body {
        req = req.body(b.clone());
    }
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            let headers: Vec<(String, String)> = res
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect();
            let body = res.text().await.unwrap_or_default();
            // The real broker logs response details only when a host whitelist is set.
            if policy.host_whitelist.is_empty() {
                line("INFO", &format!("HTTP/1.1 {status}"));
                line("INFO", &format!("For security purposes, the response details are not logged. To enable response logging, configure the webhook_host_whitelist property. See {base_url}/doc/webhooks#whitelist for more information."));
            } else {
                line("INFO", &format!("HTTP/1.1 {status}"));
                for (k, v) in &headers {
                    line("INFO", &format!("{k}: {v}"));
                }
                line("INFO", &body);
            }
            let success = (200..=206).contains(&status);
            if !success {
                line(
                    "ERROR",
                    &format!("The webhook request failed with status {status}"),
                );
            }
            Attempt {
                success,
                logs: log,
                status: Some(status),
                response_headers: headers,
                response_body: body,
            }
        }
        Err(e) => {
            let what = if e.is_timeout() {
                "timed out".to_string()
            } else if e.is_connect() {
                "could not connect".to_string()
            } else {
                "failed".to_string()
            };
            line(
                "ERROR",
                &format!(
                    "Error executing webhook: the request {what}: {}",
                    mask(&e.to_string(), &p.secrets)
                ),
            );
            Attempt::failed(log)
        }
    }
}

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

/// Runs one pass: every due delivery is attempted once.
pub async fn deliver_due(broker: &Arc<Broker>, http: &reqwest::Client) {
    let now = Utc::now().trunc_subsecs(3);
    let due = broker.read(|s| webhooks::due(s, now));
    for id in due {
        let job = broker.read(|s| {
            let t = s.triggered_webhooks.get(&id)?;
            let w = s.webhooks.get(&t.webhook_id)?;
            Some((prepare(s, w, &t.params), t.event_name.clone()))
        });
        let base = broker.config.base_url.clone().unwrap_or_default();
        let policy = broker.config.webhook_policy.clone();
        let attempt = match job {
            Some((prepared, event)) => send(http, &policy, &prepared, &event, &base).await,
            None => Attempt::failed("The webhook was deleted before this delivery was made\n"),
        };
        let policy = broker.config.webhook_policy.clone();
        let result = broker.write(|tx, _| {
            // A delivery whose webhook is gone is not retried.
            let webhook_gone = tx
                .state()
                .triggered_webhooks
                .get(&id)
                .is_some_and(|t| !tx.state().webhooks.contains_key(&t.webhook_id));
            let mut policy = policy.clone();
            if webhook_gone {
                policy.retry_schedule.clear();
            }
            webhooks::record_attempt(tx, &policy, id, attempt.success, attempt.logs.clone());
            Ok(())
        });
        if let Err(e) = result {
            tracing::error!("recording a webhook attempt: {e:?}");
        }
    }
}

/// The worker: wakes when deliveries are created, and for retries when they come due.
pub fn spawn_worker(broker: Arc<Broker>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = http_client();
        loop {
            deliver_due(&broker, &http).await;
            let wait = broker
                .read(webhooks::next_due)
                .map(|at| (at - Utc::now()).to_std().unwrap_or(Duration::ZERO))
                .unwrap_or(Duration::from_secs(3600))
                .min(Duration::from_secs(60));
            tokio::select! {
                () = broker.webhooks_due.notified() => {},
                () = tokio::time::sleep(wait) => {},
            }
        }
    })
}
