//! Authentication and authorization as the real brokers answer (broker-api.md §2.8).
//!
//! HTTP Basic with a read-write and a read-only user, as the OSS broker has, and Bearer tokens
//! (read-write and read-only), as PactFlow has. With no credentials configured, everything is open.
//! Read level covers GET, HEAD, OPTIONS and the pacts-for-verification POST. A request without
//! valid credentials gets 401 with a Basic challenge; valid read-only Basic credentials on a write
//! get 401 too (Rack::Auth::Basic in the OSS broker), a read-only token on a write gets 403 (PactFlow).

use crate::error::ApiError;
use axum::http::{header, HeaderMap, Method};
use base64::Engine;

#[derive(Clone, Default)]
pub struct AuthConfig {
    pub username: Option<String>,
    pub password: Option<String>,
    pub read_only_username: Option<String>,
    pub read_only_password: Option<String>,
    pub token: Option<String>,
    pub read_only_token: Option<String>,
    /// `allow_public_read`: reads need no credentials.
    pub allow_public_read: bool,
    /// `enable_public_badge_access`: badges need no credentials.
    pub public_badge_access: bool,
}

// Secrets never reach logs through Debug.
impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |o: &Option<String>| if o.is_some() { "[set]" } else { "[unset]" };
        f.debug_struct("AuthConfig")
            .field("username", &self.username)
            .field("password", &set(&self.password))
            .field("read_only_username", &self.read_only_username)
            .field("read_only_password", &set(&self.read_only_password))
            .field("token", &set(&self.token))
            .field("read_only_token", &set(&self.read_only_token))
            .field("allow_public_read", &self.allow_public_read)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    Read,
    Write,
}

fn present(o: &Option<String>) -> Option<&str> {
    o.as_deref().filter(|s| !s.is_empty())
}

/// Compares without an early exit, so timing does not tell how much of a secret matched.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= (a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0)) as usize;
    }
    diff == 0
}

impl AuthConfig {
    pub fn enabled(&self) -> bool {
        present(&self.password).is_some()
            || present(&self.read_only_password).is_some()
            || present(&self.token).is_some()
            || present(&self.read_only_token).is_some()
    }

    fn basic(&self, user: &str, pass: &str) -> Access {
        if let (Some(u), Some(p)) = (present(&self.username), present(&self.password)) {
            if same(u, user) && same(p, pass) {
                return Access::Write;
            }
        }
        if let (Some(u), Some(p)) = (
            present(&self.read_only_username),
            present(&self.read_only_password),
        ) {
            if same(u, user) && same(p, pass) {
                return Access::Read;
            }
        }
        Access::None
    }

    fn bearer(&self, token: &str) -> Access {
        if present(&self.token).is_some_and(|t| same(t, token)) {
            Access::Write
        } else if present(&self.read_only_token).is_some_and(|t| same(t, token)) {
            Access::Read
        } else {
            Access::None
        }
    }

    /// Decides whether a request may proceed.
    pub fn check(&self, method: &Method, path: &str, headers: &HeaderMap) -> Result<(), ApiError> {
        if !self.enabled() {
            return Ok(());
        }
        let needed = required_access(method, path);
        if needed == Access::Read && self.allow_public_read {
            return Ok(());
        }
        if self.public_badge_access && method == Method::GET && is_badge(path) {
            return Ok(());
        }
        let auth = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let (granted, bearer) = if let Some(token) = auth.strip_prefix("Bearer ") {
            (self.bearer(token.trim()), true)
        } else if let Some(encoded) = auth.strip_prefix("Basic ") {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
            match decoded.split_once(':') {
                Some((u, p)) => (self.basic(u, p), false),
                None => (Access::None, false),
            }
        } else {
            (Access::None, false)
        };
        if granted >= needed {
            Ok(())
        } else if bearer && granted == Access::Read {
            Err(ApiError::Forbidden)
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}

fn is_badge(path: &str) -> bool {
    path.ends_with("/badge") || path.ends_with("/badge.svg")
}

/// The access a request needs: reads, plus the pacts-for-verification POST, need read access.
pub fn required_access(method: &Method, path: &str) -> Access {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Access::Read;
    }
    if *method == Method::POST
        && path.starts_with("/pacts/provider/")
        && path.ends_with("/for-verification")
    {
        return Access::Read;
    }
    Access::Write
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, auth.parse().unwrap());
        h
    }

    fn basic(u: &str, p: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
        )
    }

    #[test]
    fn read_only_users_can_fetch_pacts_for_verification_but_not_publish() {
        let auth = AuthConfig {
            username: Some("w".into()),
            password: Some("wp".into()),
            read_only_username: Some("r".into()),
            read_only_password: Some("rp".into()),
            token: Some("tok".into()),
            read_only_token: Some("rtok".into()),
            ..Default::default()
        };
        let post = Method::POST;
        let fv = "/pacts/provider/Bar/for-verification";
        assert!(auth.check(&post, fv, &headers(&basic("r", "rp"))).is_ok());
        assert!(matches!(
            auth.check(&post, "/contracts/publish", &headers(&basic("r", "rp"))),
            Err(ApiError::Unauthorized)
        ));
        assert!(auth
            .check(&post, "/contracts/publish", &headers(&basic("w", "wp")))
            .is_ok());
        assert!(matches!(
            auth.check(&post, "/contracts/publish", &headers("Bearer rtok")),
            Err(ApiError::Forbidden)
        ));
        assert!(auth
            .check(&post, "/contracts/publish", &headers("Bearer tok"))
            .is_ok());
        assert!(matches!(
            auth.check(&Method::GET, "/", &HeaderMap::new()),
            Err(ApiError::Unauthorized)
        ));
        assert!(matches!(
            auth.check(&Method::GET, "/", &headers("Bearer nope")),
            Err(ApiError::Unauthorized)
        ));
    }

    #[test]
    fn no_credentials_configured_means_open() {
        assert!(AuthConfig::default()
            .check(&Method::DELETE, "/pacticipants/Foo", &HeaderMap::new())
            .is_ok());
    }
}
