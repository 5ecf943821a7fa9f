//! The crate's one error type: each variant names the request or input it is about and keeps the broker's own words.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::redact::RedactedUrl;

/// Why talking to the broker failed. URLs are [`RedactedUrl`]s, so `Display` never shows credentials.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The base URL given by the user is not an absolute http(s) URL.
    #[error("the broker base URL `{input}` is not a valid http(s) URL: {reason}")]
    InvalidBaseUrl { input: String, reason: String },

    /// A URL given by the user (a pact URL) is not an absolute http(s) URL.
    #[error("`{input}` is not a valid http(s) URL: {reason}")]
    InvalidUrl { input: String, reason: String },

    /// The request never got a complete answer (connect error, reset, timeout), after retries.
    #[error("{what} the broker at {origin} ({method} {url}){attempts_text}{not_retried}")]
    Transport {
        what: TransportKind,
        origin: String,
        method: reqwest::Method,
        url: RedactedUrl,
        attempts_text: Attempts,
        /// Set when the request was not retried because repeating it could record something twice.
        not_retried: NotRetried,
        #[source]
        source: reqwest::Error,
    },

    /// The broker answered with an error status (after retries, for retryable ones).
    #[error("the broker answered {status} to {method} {url}{}{attempts_text}{not_retried}", messages_text(.messages))]
    Status {
        method: reqwest::Method,
        url: RedactedUrl,
        status: StatusCode,
        /// The broker's own messages (`errors`, `error`, error notices), in its order.
        messages: Vec<String>,
        attempts_text: Attempts,
        not_retried: NotRetried,
    },

    /// The overall deadline for one call passed before a retry could be made.
    #[error("gave up on {method} {url} after {attempts} attempt(s): the next retry would pass the {deadline:?} deadline; last failure: {last}")]
    Deadline {
        method: reqwest::Method,
        url: RedactedUrl,
        attempts: u32,
        deadline: Duration,
        last: String,
    },

    /// The broker answered 2xx with a body this client cannot use.
    #[error("unexpected answer from the broker to {method} {url}: {reason}")]
    InvalidResponse {
        method: reqwest::Method,
        url: RedactedUrl,
        reason: String,
    },

    /// No environment with this name exists on the broker.
    #[error("no environment named `{name}` on the broker{}", known_text(.known))]
    EnvironmentNotFound { name: String, known: Vec<String> },

    /// A pacticipant, version or other named thing does not exist.
    #[error("{what} not found on the broker{hint}")]
    NotFound { what: String, hint: String },

    /// A resource lacks a link this client needs (an older or unusual broker).
    #[error("{resource} has no `{relation}` link{detail}")]
    MissingLink {
        resource: String,
        relation: String,
        detail: String,
    },
}

/// What kind of transport failure [`Error::Transport`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection could be established (refused, DNS, TLS handshake).
    Connect,
    /// No (complete) answer within the request timeout.
    Timeout,
    /// The connection broke while sending or receiving.
    Broken,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect to",
            TransportKind::Timeout => "no answer in time from",
            TransportKind::Broken => "lost the connection to",
        })
    }
}

/// "after N attempts over S s", shown only when there was more than one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    pub attempts: u32,
    pub elapsed: Duration,
}

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.attempts > 1 {
            write!(
                f,
                " (after {} attempts over {:.1} s)",
                self.attempts,
                self.elapsed.as_secs_f64()
            )
        } else {
            Ok(())
        }
    }
}

/// A note that a failed request was deliberately not retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotRetried(pub bool);

impl fmt::Display for NotRetried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            f.write_str("; not retried, because repeating this request could record it twice: check the broker before re-running")
        } else {
            Ok(())
        }
    }
}

fn messages_text(messages: &[String]) -> String {
    if messages.is_empty() {
        String::new()
    } else {
        format!(": {}", messages.join("; "))
    }
}

fn known_text(known: &[String]) -> String {
    if known.is_empty() {
        " (it has none yet: create it first)".to_string()
    } else {
        format!(" (it has: {})", known.join(", "))
    }
}

impl Error {
    /// The request was about our input and repeating it unchanged will fail again:
    /// 400, 401, 403, 404, 409, 415, 422, a bad URL, an unknown environment or pacticipant.
    pub fn is_input(&self) -> bool {
        match self {
            Error::InvalidBaseUrl { .. }
            | Error::InvalidUrl { .. }
            | Error::EnvironmentNotFound { .. }
            | Error::NotFound { .. } => true,
            Error::Status { status, .. } => matches!(
                status.as_u16(),
                400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422
            ),
            _ => false,
        }
    }

    /// The broker rejected the credentials (401) or their rights (403).
    pub fn is_rejected_credentials(&self) -> bool {
        matches!(self, Error::Status { status, .. }
            if *status == StatusCode::UNAUTHORIZED || *status == StatusCode::FORBIDDEN)
    }

    /// The broker could not be reached or failed, after retries: connect errors,
    /// timeouts, 5xx, 429, a passed deadline, an unusable answer.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Transport { .. }
            | Error::Deadline { .. }
            | Error::InvalidResponse { .. }
            | Error::MissingLink { .. } => true,
            Error::Status { status, .. } => crate::retry::is_retryable_status(*status),
            _ => false,
        }
    }

    /// The HTTP status, for [`Error::Status`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The broker's messages in an error body, in the shapes it uses:
/// `{"errors":{"field":["msg"]}}`, `{"errors":["msg"]}`, `{"error":"msg"}`,
/// `{"error":{"message":"msg"}}`, problem+json `title`/`detail`, and `error`/`warning` notices.
pub fn broker_messages(body: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        let s = s.trim().to_string();
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    match body.get("errors") {
        Some(Value::Object(map)) => {
            for (field, msgs) in map {
                for msg in as_strings(msgs) {
                    push(format!("{field}: {msg}"));
                }
            }
        }
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) => push(s.clone()),
                    Value::Object(o) => {
                        let text = ["detail", "message", "title"]
                            .iter()
                            .find_map(|k| o.get(*k).and_then(Value::as_str));
                        match (text, o.get("pointer").and_then(Value::as_str)) {
                            (Some(t), Some(p)) => push(format!("{p}: {t}")),
                            (Some(t), None) => push(t.to_string()),
                            _ => push(item.to_string()),
                        }
                    }
                    other => push(other.to_string()),
                }
            }
        }
        Some(Value::String(s)) => push(s.clone()),
        _ => {}
    }
    match body.get("error") {
        Some(Value::String(s)) => push(s.clone()),
        Some(Value::Object(o)) => {
            if let Some(m) = o.get("message").and_then(Value::as_str) {
                push(m.to_string());
            }
        }
        _ => {}
    }
    if body.get("errors").is_none() && body.get("error").is_none() {
        if let Some(detail) = body.get("detail").and_then(Value::as_str) {
            push(detail.to_string());
        } else if let Some(title) = body.get("title").and_then(Value::as_str) {
            push(title.to_string());
        }
    }
    if let Some(Value::Array(notices)) = body.get("notices") {
        for n in notices {
            let kind = n.get("type").and_then(Value::as_str).unwrap_or("");
            if matches!(kind, "error" | "danger" | "warning") {
                if let Some(text) = n.get("text").and_then(Value::as_str) {
                    push(text.to_string());
                }
            }
        }
    }
    out
}

fn as_strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect(),
        other => vec![other.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn broker_message_shapes() {
        let rows: Vec<(Value, Vec<&str>)> = vec![
            (
                json!({"errors":{"pacticipantVersionNumber":["is missing"]}}),
                vec!["pacticipantVersionNumber: is missing"],
            ),
            (
                json!({"errors":["Pacticipant Wiffle not found", "Pacticipant Meep not found"]}),
                vec!["Pacticipant Wiffle not found", "Pacticipant Meep not found"],
            ),
            (
                json!({"error":"No pacticipant with name 'X' found"}),
                vec!["No pacticipant with name 'X' found"],
            ),
            (
                json!({"error":{"message":"An error has occurred. Reference abc","reference":"abc"}}),
                vec!["An error has occurred. Reference abc"],
            ),
            (
                json!({"notices":[{"type":"error","text":"Cannot change the content"},{"type":"info","text":"diff"}],
                       "errors":{"contracts":["Cannot change the content"]}}),
                vec![
                    "contracts: Cannot change the content",
                    "Cannot change the content",
                ],
            ),
            (
                json!({"title":"Validation errors","errors":[{"detail":"is missing","pointer":"/name"}]}),
                vec!["/name: is missing"],
            ),
            (json!({"title":"Not found"}), vec!["Not found"]),
            (json!({}), vec![]),
        ];
        for (body, want) in rows {
            assert_eq!(broker_messages(&body), want, "{body}");
        }
    }

    fn status_error(code: u16) -> Error {
        Error::Status {
            method: reqwest::Method::GET,
            url: RedactedUrl::new(reqwest::Url::parse("http://u:p@b.example/x").unwrap()),
            status: StatusCode::from_u16(code).unwrap(),
            messages: vec!["boom".into()],
            attempts_text: Attempts {
                attempts: 1,
                elapsed: Duration::ZERO,
            },
            not_retried: NotRetried(false),
        }
    }

    #[test]
    fn classification_by_status() {
        for code in [400, 404, 409, 422] {
            let e = status_error(code);
            assert!(e.is_input() && !e.is_unavailable() && !e.is_rejected_credentials());
        }
        for code in [401, 403] {
            let e = status_error(code);
            assert!(e.is_input() && e.is_rejected_credentials() && !e.is_unavailable());
        }
        for code in [500, 502, 503, 429] {
            let e = status_error(code);
            assert!(!e.is_input() && e.is_unavailable());
        }
    }

    #[test]
    fn status_errors_show_the_broker_message_and_no_credentials() {
        let text = status_error(404).to_string();
        assert_eq!(
            text,
            "the broker answered 404 Not Found to GET http://***@b.example/x: boom"
        );
    }

    #[test]
    fn environment_not_found_lists_what_exists() {
        let e = Error::EnvironmentNotFound {
            name: "prod".into(),
            known: vec!["production".into(), "test".into()],
        };
        assert_eq!(
            e.to_string(),
            "no environment named `prod` on the broker (it has: production, test)"
        );
        assert!(e.is_input());
    }
}
