//! The HTTP core: configuration, auth, timeouts, the retry loop under an overall deadline, and HAL navigation from the index.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;
use tokio::sync::OnceCell;

use crate::error::{broker_messages, Attempts, Error, NotRetried, TransportKind};
use crate::hal;
use crate::redact::{RedactedUrl, Secret};
use crate::retry::{is_retryable_status, jitter, parse_retry_after, RetryPolicy};

/// How to authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer …` (PactFlow, pactline-broker `--token`).
    Token(Secret),
    /// HTTP Basic (the open-source broker).
    Basic { username: String, password: Secret },
}

/// Everything a [`BrokerClient`] needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: Url,
    pub auth: Option<Auth>,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Time for one attempt, from sending to the end of the body.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Time for one call, all attempts and waits included.
    pub deadline: Duration,
    pub user_agent: String,
}

impl ClientConfig {
    /// A configuration with default timeouts (connect 10 s, request 30 s, deadline 120 s)
    /// for `base_url`, which must be an absolute http(s) URL.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBaseUrl`] naming the problem.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Ok(ClientConfig {
            base_url: parse_base_url(base_url)?,
            auth: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            deadline: Duration::from_secs(120),
            user_agent: format!("pactline/{}", env!("CARGO_PKG_VERSION")),
        })
    }
}

/// Parses a broker base URL: absolute, http or https, with a host.
///
/// # Errors
///
/// [`Error::InvalidBaseUrl`]; the input is redacted in the message.
pub fn parse_base_url(input: &str) -> Result<Url, Error> {
    let shown = crate::redact::redact_url_text(input.trim());
    let bad = |reason: String| Error::InvalidBaseUrl {
        input: shown.clone(),
        reason,
    };
    let url = Url::parse(input.trim())
        .map_err(|e| bad(format!("{e}; expected e.g. `https://broker.example.com`")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!(
            "the scheme is `{}`, expected http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host".into()));
    }
    Ok(url)
}

/// One request to make.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub method: Method,
    pub url: Url,
    pub body: Option<Value>,
    pub content_type: &'static str,
    /// Safe to repeat after the broker may have seen it.
    pub idempotent: bool,
}

impl Call {
    pub fn get(url: Url) -> Self {
        Call {
            method: Method::GET,
            url,
            body: None,
            content_type: "application/json",
            idempotent: true,
        }
    }

    pub fn with_body(method: Method, url: Url, body: Value) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD
        );
        Call {
            method,
            url,
            body: Some(body),
            content_type: "application/json",
            idempotent,
        }
    }

    /// Mark a POST or PATCH safe to repeat (the broker treats a repeat as a no-op).
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub location: Option<String>,
    pub body: Value,
}

/// A typed, retrying Pact Broker client.
#[derive(Debug)]
pub struct BrokerClient {
    config: ClientConfig,
    http: reqwest::Client,
    index: OnceCell<Value>,
}

impl BrokerClient {
    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBaseUrl`] when the HTTP stack cannot be set up for it.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_static("application/hal+json, application/json"),
        );
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .default_headers(headers)
            // Redirects could carry the Authorization header elsewhere; the broker API does not need them.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::InvalidBaseUrl {
                input: config.base_url.to_string(),
                reason: e.without_url().to_string(),
            })?;
        Ok(BrokerClient {
            config,
            http,
            index: OnceCell::new(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The base URL, redacted for display.
    pub fn base_url(&self) -> RedactedUrl {
        RedactedUrl::new(self.config.base_url.clone())
    }

    /// A broker path (from `pactline_broker_api::paths`) under the base URL.
    pub(crate) fn url_for(&self, path_and_query: &str) -> Url {
        let mut url = self.config.base_url.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_and_query, None),
        };
        url.set_path(&format!("{base_path}{path}"));
        url.set_query(query);
        url
    }

    /// A link's href as a URL to call: relative hrefs are resolved against the base URL, and
    /// absolute ones are followed on the configured origin (scheme, host, port), keeping their
    /// path and query, as the Rust verifier does. So a broker whose configured base URL differs
    /// from how we reach it still works, and credentials only ever go to the configured origin.
    pub(crate) fn follow(&self, href: &str) -> Result<Url, Error> {
        let base = &self.config.base_url;
        let parsed =
            Url::parse(href)
                .or_else(|_| base.join(href))
                .map_err(|e| Error::InvalidUrl {
                    input: crate::redact::redact_url_text(href),
                    reason: e.to_string(),
                })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidUrl {
                input: crate::redact::redact_url_text(href),
                reason: format!(
                    "the scheme is `{}`, expected http or https",
                    parsed.scheme()
                ),
            });
        }
        if parsed.origin() == base.origin() {
            let mut url = parsed;
            // Keep the configured credentials (if any were in the base URL).
            let _ = url.set_username(base.username());
            let _ = url.set_password(base.password());
            return Ok(url);
        }
        let mut url = base.clone();
        url.set_path(parsed.path());
        url.set_query(parsed.query());
        Ok(url)
    }

    /// The HAL index, fetched once.
    ///
    /// # Errors
    ///
    /// When the broker cannot be reached or answers with an error.
    pub async fn index(&self) -> Result<&Value, Error> {
        self.index
            .get_or_try_init(|| async {
                let reply = self.send(Call::get(self.url_for("/"))).await?;
                Ok(reply.body)
            })
            .await
    }

    /// The URL for index relation `relation` expanded with `params`, or `fallback_path`
    /// under the base URL when the index does not offer the relation.
    pub(crate) async fn navigate(
        &self,
        relation: &str,
        params: &[(&str, &str)],
        fallback_path: &str,
    ) -> Result<Url, Error> {
        let index = self.index().await?;
        match hal::link(index, relation) {
            Some(link) => self.follow(&link.expand(params)),
            None => Ok(self.url_for(fallback_path)),
        }
    }

    /// Sends `call`, retrying as [`crate::retry`] describes, within the deadline.
    pub(crate) async fn send(&self, call: Call) -> Result<Reply, Error> {
        let started = Instant::now();
        let deadline = started + self.config.deadline;
        let shown = RedactedUrl::new(call.url.clone());
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let timeout = self
                .config
                .request_timeout
                .min(remaining)
                .max(Duration::from_millis(1));
            let outcome = self.attempt(&call, timeout).await;
            let attempts = Attempts {
                attempts: attempt,
                elapsed: started.elapsed(),
            };
            // (error to return if we stop now, retry allowed, Retry-After, description for the deadline error)
            let (error, may_retry, retry_after) = match outcome {
                Ok(Ok(reply)) => return Ok(reply),
                Ok(Err((status, body, retry_after))) => {
                    let retryable = is_retryable_status(status);
                    let not_retried = retryable && !call.idempotent;
                    let error = Error::Status {
                        method: call.method.clone(),
                        url: shown.clone(),
                        status,
                        messages: messages_of(&body),
                        attempts_text: attempts,
                        not_retried: NotRetried(not_retried),
                    };
                    (error, retryable && call.idempotent, retry_after)
                }
                Err(source) => {
                    let kind = if source.is_connect() {
                        TransportKind::Connect
                    } else if source.is_timeout() {
                        TransportKind::Timeout
                    } else {
                        TransportKind::Broken
                    };
                    // A connection never made carried no request: always safe to repeat.
                    let may_retry = kind == TransportKind::Connect || call.idempotent;
                    let error = Error::Transport {
                        what: kind,
                        origin: origin_text(&call.url),
                        method: call.method.clone(),
                        url: shown.clone(),
                        attempts_text: attempts,
                        not_retried: NotRetried(!may_retry),
                        source: source.without_url(),
                    };
                    (error, may_retry, None)
                }
            };
            if !may_retry || attempt > self.config.retry.max_retries {
                return Err(error);
            }
            let wait = self.config.retry.wait(attempt, retry_after, jitter());
            if Instant::now() + wait >= deadline {
                return Err(Error::Deadline {
                    method: call.method.clone(),
                    url: shown,
                    attempts: attempt,
                    deadline: self.config.deadline,
                    last: error.to_string(),
                });
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: `Ok(Ok(reply))` for 2xx, `Ok(Err((status, body, retry-after)))` for an
    /// error status, `Err` for a transport failure.
    #[allow(clippy::type_complexity)]
    async fn attempt(
        &self,
        call: &Call,
        timeout: Duration,
    ) -> Result<Result<Reply, (StatusCode, Value, Option<Duration>)>, reqwest::Error> {
        let mut url = call.url.clone();
        // Credentials in the base URL become an Authorization header, not part of the request line.
        let url_user = (!url.username().is_empty()).then(|| {
            (
                url.username().to_string(),
                url.password().map(str::to_string),
            )
        });
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let mut req = self.http.request(call.method.clone(), url).timeout(timeout);
        match (&self.config.auth, url_user) {
            (Some(Auth::Token(token)), _) => {
                req = req.header(AUTHORIZATION, format!("Bearer {}", token.expose()));
            }
            (Some(Auth::Basic { username, password }), _) => {
                req = req.basic_auth(username, Some(password.expose()));
            }
            (None, Some((user, pass))) => {
                let user = percent_decode(&user);
                let pass = pass.map(|p| percent_decode(&p));
                req = req.basic_auth(user, pass);
            }
            (None, None) => {}
        }
        if let Some(body) = &call.body {
            req = req
                .header(CONTENT_TYPE, call.content_type)
                .body(body.to_string());
        }
        let resp = req.send().await?;
        let status = resp.status();
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let bytes = resp.bytes().await?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                Value::String(String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned())
            })
        };
        if status.is_success() {
            Ok(Ok(Reply { location, body }))
        } else {
            Ok(Err((status, body, retry_after)))
        }
    }
}

/// The broker's messages from an error body; a plain-text body is shown as is (trimmed).
fn messages_of(body: &Value) -> Vec<String> {
    match body {
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() || s.starts_with('<') {
                Vec::new()
            } else {
                vec![s.lines().next().unwrap_or_default().to_string()]
            }
        }
        Value::Null => Vec::new(),
        other => broker_messages(other),
    }
}

fn origin_text(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> BrokerClient {
        BrokerClient::new(ClientConfig::new(base).unwrap()).unwrap()
    }

    #[test]
    fn base_urls_must_be_absolute_http() {
        assert!(parse_base_url("https://broker.example.com").is_ok());
        for bad in [
            "broker.example.com",
            "ftp://b.example",
            "not a url",
            "http://",
            "",
        ] {
            let err = parse_base_url(bad).unwrap_err();
            assert!(err.is_input(), "{bad}");
            assert!(err.to_string().contains("not a valid http(s) URL"), "{err}");
        }
        let err = parse_base_url("ftp://user:hunter2@b.example").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn paths_join_under_a_base_path() {
        let c = client("https://b.example/broker/");
        assert_eq!(
            c.url_for("/matrix?q[][pacticipant]=Foo").as_str(),
            "https://b.example/broker/matrix?q[][pacticipant]=Foo"
        );
        let c = client("http://127.0.0.1:9292");
        assert_eq!(c.url_for("/").as_str(), "http://127.0.0.1:9292/");
    }

    #[test]
    fn links_are_followed_on_the_configured_origin() {
        let c = client("http://127.0.0.1:4000");
        assert_eq!(
            c.follow("http://localhost:9292/pacts/provider/Bar?x=1")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:4000/pacts/provider/Bar?x=1"
        );
        assert_eq!(
            c.follow("/environments").unwrap().as_str(),
            "http://127.0.0.1:4000/environments"
        );
        assert!(c.follow("file:///etc/passwd").is_err());
    }

    #[test]
    fn url_credentials_are_decoded_for_basic_auth() {
        assert_eq!(percent_decode("p%40ss%3Aword"), "p@ss:word");
        assert_eq!(percent_decode("plain%"), "plain%");
    }

    #[test]
    fn post_is_not_idempotent_unless_marked() {
        let url = Url::parse("http://b/x").unwrap();
        assert!(!Call::with_body(Method::POST, url.clone(), Value::Null).idempotent);
        assert!(!Call::with_body(Method::PATCH, url.clone(), Value::Null).idempotent);
        assert!(Call::with_body(Method::PUT, url.clone(), Value::Null).idempotent);
        assert!(
            Call::with_body(Method::POST, url, Value::Null)
                .idempotent()
                .idempotent
        );
    }

    /// A loopback server answering each request with the next scripted response
    /// (`None` = close the connection without answering); counts requests.
    async fn scripted(
        script: Vec<Option<&'static str>>,
    ) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let count = std::sync::Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        tokio::spawn(async move {
            let mut script = script.into_iter();
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = vec![0u8; 8192];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    let Ok(n) = sock.read(&mut buf).await else {
                        break;
                    };
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                }
                seen.fetch_add(1, Ordering::SeqCst);
                match script.next().flatten() {
                    Some(resp) => {
                        let _ = sock.write_all(resp.as_bytes()).await;
                    }
                    None => drop(sock),
                }
            }
        });
        (format!("http://{addr}"), count)
    }

    fn fast(base: &str) -> BrokerClient {
        let mut config = ClientConfig::new(base).unwrap();
        config.retry = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        };
        config.request_timeout = Duration::from_secs(2);
        config.deadline = Duration::from_secs(5);
        BrokerClient::new(config).unwrap()
    }

    const OK: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"ok\":true}";
    const BAD_GATEWAY: &str =
        "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
    const TOO_MANY: &str = "HTTP/1.1 429 Too Many Requests\r\nretry-after: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
    const NOT_FOUND: &str = "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 44\r\nconnection: close\r\n\r\n{\"error\":\"No pacticipant with name 'X' found\"}";

    #[tokio::test]
    async fn idempotent_requests_retry_through_resets_502_and_429() {
        let (base, count) = scripted(vec![None, Some(BAD_GATEWAY), Some(TOO_MANY), Some(OK)]).await;
        let c = fast(&base);
        let reply = c.send(Call::get(c.url_for("/x"))).await.unwrap();
        assert_eq!(reply.body, serde_json::json!({"ok": true}));
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn posts_are_not_retried_after_the_broker_may_have_acted() {
        let (base, count) = scripted(vec![Some(BAD_GATEWAY), Some(OK)]).await;
        let c = fast(&base);
        let err = c
            .send(Call::with_body(Method::POST, c.url_for("/x"), Value::Null))
            .await
            .unwrap_err();
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(err.is_unavailable());
        assert!(err.to_string().contains("not retried"), "{err}");
    }

    #[tokio::test]
    async fn posts_marked_idempotent_are_retried() {
        let (base, count) = scripted(vec![None, Some(BAD_GATEWAY), Some(OK)]).await;
        let c = fast(&base);
        c.send(Call::with_body(Method::POST, c.url_for("/x"), Value::Null).idempotent())
            .await
            .unwrap();
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn input_errors_are_not_retried_and_carry_the_broker_message() {
        let (base, count) = scripted(vec![Some(NOT_FOUND), Some(OK)]).await;
        let c = fast(&base);
        let err = c.send(Call::get(c.url_for("/x"))).await.unwrap_err();
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(err.is_input());
        assert!(
            err.to_string()
                .contains("No pacticipant with name 'X' found"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn retries_stop_after_the_limit() {
        let (base, count) = scripted(vec![Some(BAD_GATEWAY); 10]).await;
        let c = fast(&base);
        let err = c.send(Call::get(c.url_for("/x"))).await.unwrap_err();
        assert_eq!(
            count.load(std::sync::atomic::Ordering::SeqCst),
            4,
            "1 + 3 retries"
        );
        assert!(err.to_string().contains("after 4 attempts"), "{err}");
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_even_for_posts_then_reported() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let c = fast(&format!("http://127.0.0.1:{port}"));
        let err = c
            .send(Call::with_body(Method::POST, c.url_for("/x"), Value::Null))
            .await
            .unwrap_err();
        assert!(err.is_unavailable());
        let text = err.to_string();
        assert!(
            text.starts_with("could not connect to the broker at http://127.0.0.1:"),
            "{text}"
        );
        assert!(text.contains("after 4 attempts"), "{text}");
    }
}
