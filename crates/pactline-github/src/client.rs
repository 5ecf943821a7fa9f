//! The client: octocrab pointed at the API base, the two calls, and the retry loop around them.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use octocrab::Octocrab;
use serde_json::Value;

use crate::env_vars;
use crate::error::{Call, Error};
use crate::types::{CommitStatus, Repository, Token};

/// The public GitHub API.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// GitHub's limits for a `repository_dispatch`.
const MAX_EVENT_TYPE: usize = 100;
const MAX_PAYLOAD_KEYS: usize = 10;
const MAX_PAYLOAD_CHARS: usize = 65_535;

/// `GITHUB_API_URL` when set and not blank, else [`DEFAULT_API_URL`].
pub fn api_url_from_env(env: &HashMap<String, String>) -> String {
    env.get(env_vars::GITHUB_API_URL)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .unwrap_or(DEFAULT_API_URL)
        .to_string()
}

/// Everything a [`GitHub`] needs.
#[derive(Debug, Clone)]
pub struct GitHubConfig {
    /// The API base, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`.
    pub api_url: String,
    pub token: Token,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Time for one attempt, from sending to the end of the answer.
    pub request_timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The wait before the first retry; doubles each time, up to `max_delay`.
    pub base_delay: Duration,
    /// No single wait is longer (a longer `Retry-After` is capped too).
    pub max_delay: Duration,
}

impl GitHubConfig {
    /// Defaults: connect 10 s, request 30 s, 3 retries from 500 ms, waits capped at 10 s.
    pub fn new(api_url: &str, token: Token) -> Self {
        GitHubConfig {
            api_url: api_url.trim().to_string(),
            token,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }

    fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(16);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        // Equal jitter: concurrent jobs spread out but never retry at once.
        full.mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

/// Checks the API base: absolute http(s) with a host; returns it without a trailing `/`.
fn parse_api_url(input: &str) -> Result<String, Error> {
    let bad = |reason: &str| Error::InvalidApiUrl {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let (scheme, rest) = input
        .split_once("://")
        .ok_or_else(|| bad("expected e.g. `https://api.github.com`"))?;
    if !matches!(scheme, "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        return Err(bad("it has no host"));
    }
    if host.contains('@') {
        return Err(bad(
            "it carries credentials; pass the token as a token instead",
        ));
    }
    if rest.contains(['?', '#']) {
        return Err(bad("it has a query or fragment"));
    }
    Ok(input.trim_end_matches('/').to_string())
}

/// A failed attempt: what to report, whether to try again, and GitHub's `Retry-After`.
struct Failure {
    error: Error,
    retry: bool,
    retry_after: Option<Duration>,
}

/// GitHub's REST API for the calls pactline makes.
///
/// Building one checks the configuration only; the HTTP client is set up on the first call,
/// inside the caller's Tokio runtime (octocrab needs one).
#[derive(Debug)]
pub struct GitHub {
    crab: OnceLock<Octocrab>,
    config: GitHubConfig,
}

impl GitHub {
    /// Checks the configuration.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidApiUrl`].
    pub fn new(mut config: GitHubConfig) -> Result<Self, Error> {
        config.api_url = parse_api_url(&config.api_url)?;
        Ok(GitHub {
            crab: OnceLock::new(),
            config,
        })
    }

    /// The octocrab client, built on first use.
    fn crab(&self) -> Result<&Octocrab, Error> {
        if let Some(crab) = self.crab.get() {
            return Ok(crab);
        }
        let client_error = |source| Error::Client {
            api: self.config.api_url.clone(),
            source: Box::new(source),
        };
        let crab = Octocrab::builder()
            .base_uri(self.config.api_url.as_str())
            .map_err(client_error)?
            .personal_token(self.config.token.expose().to_string())
            .set_connect_timeout(Some(self.config.connect_timeout))
            .set_read_timeout(Some(self.config.request_timeout))
            .build()
            .map_err(client_error)?;
        Ok(self.crab.get_or_init(|| crab))
    }

    /// The API base in use.
    pub fn api_url(&self) -> &str {
        &self.config.api_url
    }

    /// Sends a `repository_dispatch` event to `repo` (`POST /repos/{owner}/{repo}/dispatches`,
    /// 204). The token needs `contents: write` on that repository.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when GitHub's limits are exceeded (event type ≤ 100 characters,
    /// `client_payload` an object with ≤ 10 top-level keys, ≤ 65,535 characters), else what the
    /// call met.
    pub async fn repository_dispatch(
        &self,
        repo: &Repository,
        event_type: &str,
        client_payload: &Value,
    ) -> Result<(), Error> {
        let call = Call::RepositoryDispatch {
            event_type: event_type.to_string(),
        };
        let invalid = |reason: String| Error::InvalidRequest {
            call: call.clone(),
            repository: repo.to_string(),
            reason,
        };
        if event_type.trim().is_empty() || event_type.chars().count() > MAX_EVENT_TYPE {
            return Err(invalid(format!(
                "the event type must have 1 to {MAX_EVENT_TYPE} characters"
            )));
        }
        let Some(keys) = client_payload.as_object().map(serde_json::Map::len) else {
            return Err(invalid("`client_payload` must be a JSON object".into()));
        };
        if keys > MAX_PAYLOAD_KEYS {
            return Err(invalid(format!(
                "`client_payload` has {keys} top-level keys; GitHub accepts at most {MAX_PAYLOAD_KEYS}"
            )));
        }
        let body = serde_json::json!({"event_type": event_type, "client_payload": client_payload});
        let size = body.to_string().chars().count();
        if size > MAX_PAYLOAD_CHARS {
            return Err(invalid(format!(
                "the request has {size} characters; GitHub accepts at most {MAX_PAYLOAD_CHARS}"
            )));
        }
        let route = format!("/repos/{}/{}/dispatches", repo.owner, repo.name);
        self.post(&call, repo, &route, &body).await
    }

    /// Creates a commit status on `sha` in `repo` (`POST /repos/{owner}/{repo}/statuses/{sha}`,
    /// 201). The token needs `statuses: write` on that repository. Repeating it is harmless: the
    /// latest status per context is the one GitHub shows.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty or malformed SHA or context, else what the call met.
    pub async fn create_commit_status(
        &self,
        repo: &Repository,
        sha: &str,
        status: &CommitStatus,
    ) -> Result<(), Error> {
        let call = Call::CommitStatus {
            sha: sha.to_string(),
        };
        let sha_ok = !sha.is_empty()
            && sha
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !sha_ok {
            return Err(Error::InvalidRequest {
                call,
                repository: repo.to_string(),
                reason: "the commit SHA must be a non-empty git object name".into(),
            });
        }
        if status.context.trim().is_empty() {
            return Err(Error::InvalidRequest {
                call,
                repository: repo.to_string(),
                reason: "the status context must not be empty".into(),
            });
        }
        let route = format!("/repos/{}/{}/statuses/{sha}", repo.owner, repo.name);
        self.post(&call, repo, &route, &status.body()).await
    }

    /// POSTs `body` to `route`, retrying what is worth retrying, and discards the answer's body.
    async fn post(
        &self,
        call: &Call,
        repo: &Repository,
        route: &str,
        body: &Value,
    ) -> Result<(), Error> {
        let crab = self.crab()?;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let failure = match self.attempt(crab, call, repo, route, body, attempt).await {
                Ok(()) => return Ok(()),
                Err(f) => f,
            };
            if !failure.retry || attempt > self.config.max_retries {
                return Err(failure.error);
            }
            let wait = failure.retry_after.map_or_else(
                || self.config.backoff(attempt),
                |d| d.min(self.config.max_delay),
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        crab: &Octocrab,
        call: &Call,
        repo: &Repository,
        route: &str,
        body: &Value,
        attempt: u32,
    ) -> Result<(), Failure> {
        let transport = |source: Option<Box<octocrab::Error>>| Failure {
            error: Error::Transport {
                call: call.clone(),
                repository: repo.to_string(),
                api: self.config.api_url.clone(),
                attempts: attempt,
                source,
            },
            retry: true,
            retry_after: None,
        };
        let sent =
            tokio::time::timeout(self.config.request_timeout, crab._post(route, Some(body))).await;
        let response = match sent {
            Err(_elapsed) => return Err(transport(None)),
            Ok(Err(e)) => return Err(transport(Some(Box::new(e)))),
            Ok(Ok(r)) => r,
        };
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let message = match octocrab::map_github_error(response).await {
            Err(octocrab::Error::GitHub { source, .. }) => {
                let mut parts = vec![source.message.clone()];
                for e in source.errors.iter().flatten() {
                    parts.push(match e.get("message").and_then(Value::as_str) {
                        Some(m) => m.to_string(),
                        None => e.to_string(),
                    });
                }
                parts.retain(|p| !p.trim().is_empty());
                parts.join("; ")
            }
            _ => String::new(),
        };
        Err(Failure {
            error: Error::Api {
                call: call.clone(),
                repository: repo.to_string(),
                status,
                message,
                attempts: attempt,
            },
            retry: matches!(status, 429 | 502 | 503 | 504),
            retry_after,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::StatusState;
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn the_api_url_comes_from_the_environment() {
        let env: HashMap<String, String> = HashMap::new();
        assert_eq!(api_url_from_env(&env), "https://api.github.com");
        let env: HashMap<String, String> = [(
            "GITHUB_API_URL".into(),
            " https://ghe.example.com/api/v3 ".into(),
        )]
        .into();
        assert_eq!(api_url_from_env(&env), "https://ghe.example.com/api/v3");
        let env: HashMap<String, String> = [("GITHUB_API_URL".into(), "  ".into())].into();
        assert_eq!(api_url_from_env(&env), DEFAULT_API_URL);
    }

    #[test]
    fn api_urls_must_be_absolute_http_without_credentials() {
        assert_eq!(
            parse_api_url("https://ghe.example.com/api/v3/").unwrap(),
            "https://ghe.example.com/api/v3"
        );
        for bad in [
            "api.github.com",
            "ftp://x",
            "https://",
            "https://user:tok@api.github.com",
            "https://api.github.com/?x=1",
        ] {
            let err = parse_api_url(bad).unwrap_err();
            assert!(err.is_input(), "{bad}");
        }
        let err = parse_api_url("https://user:tok@api.github.com").unwrap_err();
        assert!(err.to_string().contains("credentials"), "{err}");
    }

    /// One request as the fake saw it.
    #[derive(Debug, Clone)]
    struct Seen {
        request_line: String,
        headers: Vec<(String, String)>,
        body: String,
    }

    impl Seen {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// A loopback GitHub answering each request with the next scripted response.
    async fn fake(script: Vec<String>) -> (String, Arc<Mutex<Vec<Seen>>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            let mut script = script.into_iter();
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut got = Vec::new();
                let mut buf = [0u8; 4096];
                let head_end = loop {
                    let n = sock.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        break None;
                    }
                    got.extend_from_slice(&buf[..n]);
                    if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                        break Some(i + 4);
                    }
                };
                let Some(head_end) = head_end else { continue };
                let head = String::from_utf8_lossy(&got[..head_end]).to_string();
                let mut lines = head.lines();
                let request_line = lines.next().unwrap_or_default().to_string();
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                    .collect();
                let length: usize = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                while got.len() < head_end + length {
                    let n = sock.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                }
                let body = String::from_utf8_lossy(&got[head_end..]).to_string();
                log.lock().unwrap().push(Seen {
                    request_line,
                    headers,
                    body,
                });
                let answer = script.next().unwrap_or_else(|| NO_CONTENT.to_string());
                let _ = sock.write_all(answer.as_bytes()).await;
            }
        });
        (url, seen)
    }

    const NO_CONTENT: &str = "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";
    const UNAVAILABLE: &str = "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

    /// An HTTP answer with a JSON body and its right length.
    fn json_answer(status_line: &str, body: &str) -> String {
        format!(
            "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    fn client(url: &str) -> GitHub {
        let mut config = GitHubConfig::new(url, Token::new("ghs_test_token"));
        config.base_delay = Duration::from_millis(10);
        config.request_timeout = Duration::from_secs(5);
        GitHub::new(config).unwrap()
    }

    fn repo() -> Repository {
        "acme/orders-api".parse().unwrap()
    }

    #[tokio::test]
    async fn dispatch_posts_the_event_with_the_token() {
        let (url, seen) = fake(vec![NO_CONTENT.to_string()]).await;
        let payload = serde_json::json!({"pact_url": "http://b/p/1", "sha": "1.0.0"});
        client(&url)
            .repository_dispatch(
                &repo(),
                "contract_requiring_verification_published",
                &payload,
            )
            .await
            .unwrap();
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 1);
        let req = &seen[0];
        assert_eq!(
            req.request_line,
            "POST /repos/acme/orders-api/dispatches HTTP/1.1"
        );
        assert_eq!(req.header("authorization"), Some("Bearer ghs_test_token"));
        assert_eq!(req.header("x-github-api-version"), Some("2022-11-28"));
        let body: Value = serde_json::from_str(&req.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"event_type": "contract_requiring_verification_published", "client_payload": payload})
        );
    }

    #[tokio::test]
    async fn a_base_path_is_kept_as_on_enterprise_server() {
        let (url, seen) = fake(vec![json_answer("201 Created", "{}")]).await;
        let status = CommitStatus {
            state: StatusState::Success,
            context: "pact verification: orders-api".into(),
            description: Some("verified".into()),
            target_url: None,
        };
        client(&format!("{url}/api/v3/"))
            .create_commit_status(&repo(), "c0ffee1", &status)
            .await
            .unwrap();
        let seen = seen.lock().unwrap().clone();
        assert_eq!(
            seen[0].request_line,
            "POST /api/v3/repos/acme/orders-api/statuses/c0ffee1 HTTP/1.1"
        );
        let body: Value = serde_json::from_str(&seen[0].body).unwrap();
        assert_eq!(body["state"], "success");
        assert_eq!(body["context"], "pact verification: orders-api");
    }

    #[tokio::test]
    async fn unavailable_answers_are_retried() {
        let (url, seen) = fake(vec![
            UNAVAILABLE.to_string(),
            UNAVAILABLE.to_string(),
            NO_CONTENT.to_string(),
        ])
        .await;
        client(&url)
            .repository_dispatch(&repo(), "x", &serde_json::json!({}))
            .await
            .unwrap();
        assert_eq!(seen.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn retries_stop_and_the_error_says_unavailable() {
        let (url, seen) = fake(vec![UNAVAILABLE.to_string(); 10]).await;
        let err = client(&url)
            .repository_dispatch(&repo(), "x", &serde_json::json!({}))
            .await
            .unwrap_err();
        assert_eq!(seen.lock().unwrap().len(), 4, "1 + 3 retries");
        assert!(err.is_unavailable(), "{err}");
        assert!(err.to_string().contains("(after 4 attempts)"), "{err}");
    }

    #[tokio::test]
    async fn input_errors_keep_githubs_messages_and_are_not_retried() {
        let (url, seen) = fake(vec![
            json_answer(
                "422 Unprocessable Entity",
                r#"{"message":"Validation Failed","errors":[{"message":"No commit found for SHA: c0ffee1"}]}"#,
            ),
            NO_CONTENT.to_string(),
        ])
        .await;
        let status = CommitStatus {
            state: StatusState::Failure,
            context: "c".into(),
            description: None,
            target_url: None,
        };
        let err = client(&url)
            .create_commit_status(&repo(), "c0ffee1", &status)
            .await
            .unwrap_err();
        assert_eq!(seen.lock().unwrap().len(), 1);
        assert!(err.is_input() && !err.is_unavailable());
        assert_eq!(
            err.to_string(),
            "GitHub answered 422 to the commit status on `c0ffee1` for acme/orders-api: \
             Validation Failed; No commit found for SHA: c0ffee1"
        );
    }

    #[tokio::test]
    async fn refused_tokens_are_credentials_errors_and_never_shown() {
        let (url, _seen) = fake(vec![json_answer(
            "401 Unauthorized",
            r#"{"message":"Bad credentials"}"#,
        )])
        .await;
        let gh = client(&url);
        let err = gh
            .repository_dispatch(&repo(), "x", &serde_json::json!({}))
            .await
            .unwrap_err();
        assert!(err.is_rejected_credentials(), "{err}");
        for text in [err.to_string(), format!("{err:?}"), format!("{gh:?}")] {
            assert!(!text.contains("ghs_test_token"), "{text}");
        }
    }

    #[tokio::test]
    async fn an_unreachable_api_is_unavailable_after_retries() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = client(&format!("http://127.0.0.1:{port}"))
            .repository_dispatch(&repo(), "x", &serde_json::json!({}))
            .await
            .unwrap_err();
        assert!(err.is_unavailable(), "{err}");
        assert!(
            err.to_string().starts_with(&format!(
                "no answer from the GitHub API at http://127.0.0.1:{port} to the repository_dispatch `x`"
            )),
            "{err}"
        );
    }

    #[tokio::test]
    async fn githubs_limits_are_checked_before_sending() {
        let (url, seen) = fake(vec![]).await;
        let gh = client(&url);
        let many: serde_json::Map<String, Value> =
            (0..11).map(|i| (format!("k{i}"), Value::from(i))).collect();
        let rows = [
            (
                "x".repeat(101),
                Value::Object(serde_json::Map::new()),
                "1 to 100 characters",
            ),
            (
                "x".to_string(),
                Value::Array(vec![]),
                "must be a JSON object",
            ),
            ("x".to_string(), Value::Object(many), "11 top-level keys"),
        ];
        for (event, payload, want) in rows {
            let err = gh
                .repository_dispatch(&repo(), &event, &payload)
                .await
                .unwrap_err();
            assert!(err.is_input());
            assert!(err.to_string().contains(want), "{err}");
        }
        let status = CommitStatus {
            state: StatusState::Success,
            context: "c".into(),
            description: None,
            target_url: None,
        };
        let err = gh
            .create_commit_status(&repo(), "../x", &status)
            .await
            .unwrap_err();
        assert!(err.is_input(), "{err}");
        assert!(seen.lock().unwrap().is_empty());
    }
}
