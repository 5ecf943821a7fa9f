//! The values the calls take: a repository, a commit status, a token that never prints.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A GitHub token: `Display` and `Debug` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(value: impl Into<String>) -> Self {
        Token(value.into())
    }

    /// The token itself: for the `Authorization` header and masking only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// A repository, `OWNER/REPO`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Repository {
    pub owner: String,
    pub name: String,
}

/// GitHub's rules for owner and repository names: ASCII letters, digits, `-`, `_` and `.`.
fn valid_part(part: &str) -> bool {
    !part.is_empty()
        && part != "."
        && part != ".."
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl FromStr for Repository {
    type Err = Error;

    /// Parses `OWNER/REPO` (surrounding spaces and a trailing `.git` are dropped).
    fn from_str(input: &str) -> Result<Self, Error> {
        let trimmed = input.trim();
        let bad = || Error::InvalidRepository {
            input: trimmed.to_string(),
        };
        let (owner, name) = trimmed.split_once('/').ok_or_else(bad)?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        if !valid_part(owner) || !valid_part(name) {
            return Err(bad());
        }
        Ok(Repository {
            owner: owner.to_string(),
            name: name.to_string(),
        })
    }
}

impl fmt::Display for Repository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// The state of a commit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusState {
    Pending,
    Success,
    Failure,
    Error,
}

impl StatusState {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusState::Pending => "pending",
            StatusState::Success => "success",
            StatusState::Failure => "failure",
            StatusState::Error => "error",
        }
    }
}

impl fmt::Display for StatusState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A commit status to create (`POST /repos/{owner}/{repo}/statuses/{sha}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitStatus {
    pub state: StatusState,
    /// Tells this status apart from other systems' on the same commit (GitHub's default: `default`).
    pub context: String,
    /// One line; GitHub keeps at most 140 characters, so longer ones are cut.
    pub description: Option<String>,
    /// Where the status links to (the verification result).
    pub target_url: Option<String>,
}

impl CommitStatus {
    /// The status of a Pact verification on the consumer commit: `pending` while verifying
    /// (`result` `None`), then `success` or `failure` (`Some((success, pending))`). The context,
    /// `pact verification: PROVIDER`, is shared by every pactline binary and by setup-webhook's
    /// commit-status webhook, so they all update the same line on the commit.
    pub fn pact_verification(
        provider: &str,
        provider_version: &str,
        result: Option<(bool, bool)>,
        target_url: Option<&str>,
    ) -> CommitStatus {
        let (state, description) = match result {
            None => (
                StatusState::Pending,
                format!("{provider} {provider_version} is verifying the pact"),
            ),
            Some((true, _)) => (
                StatusState::Success,
                format!("{provider} {provider_version} verified the pact"),
            ),
            Some((false, pending)) => (
                StatusState::Failure,
                format!(
                    "{provider} {provider_version} failed to verify the pact{}",
                    if pending { " (pending)" } else { "" }
                ),
            ),
        };
        CommitStatus {
            state,
            context: pact_verification_context(provider),
            description: Some(description),
            target_url: target_url.map(str::to_string),
        }
    }
}

/// The commit-status context of a provider's Pact verification.
pub fn pact_verification_context(provider: &str) -> String {
    format!("pact verification: {provider}")
}

/// The longest description GitHub accepts.
pub(crate) const MAX_DESCRIPTION: usize = 140;

impl CommitStatus {
    /// The request body.
    pub fn body(&self) -> serde_json::Value {
        let mut body = serde_json::json!({"state": self.state.as_str(), "context": self.context});
        if let Some(d) = &self.description {
            let cut: String = if d.chars().count() > MAX_DESCRIPTION {
                let mut s: String = d.chars().take(MAX_DESCRIPTION - 1).collect();
                s.push('…');
                s
            } else {
                d.clone()
            };
            body["description"] = cut.into();
        }
        if let Some(u) = &self.target_url {
            body["target_url"] = u.clone().into();
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_parse_owner_slash_name() {
        let r: Repository = " acme/orders-api.git ".parse().unwrap();
        assert_eq!(r.owner, "acme");
        assert_eq!(r.name, "orders-api");
        assert_eq!(r.to_string(), "acme/orders-api");
        for bad in [
            "acme", "acme/", "/x", "a/b/c", "a b/c", "acme/..", "", "a/b?x=1",
        ] {
            let err = bad.parse::<Repository>().unwrap_err();
            assert!(err.is_input(), "{bad}");
            assert!(err.to_string().contains("OWNER/REPO"), "{err}");
        }
    }

    #[test]
    fn tokens_never_print() {
        let t = Token::new("ghp_secret");
        assert_eq!(t.to_string(), "***");
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(t.expose(), "ghp_secret");
    }

    #[test]
    fn status_bodies_cut_long_descriptions() {
        let s = CommitStatus {
            state: StatusState::Failure,
            context: "pact/orders-api".into(),
            description: Some("x".repeat(200)),
            target_url: Some("http://b/v/1".into()),
        };
        let body = s.body();
        assert_eq!(body["state"], "failure");
        assert_eq!(body["target_url"], "http://b/v/1");
        let d = body["description"].as_str().unwrap();
        assert_eq!(d.chars().count(), MAX_DESCRIPTION);
        assert!(d.ends_with('…'));
        let bare = CommitStatus {
            state: StatusState::Pending,
            context: "c".into(),
            description: None,
            target_url: None,
        };
        assert_eq!(
            bare.body(),
            serde_json::json!({"state":"pending","context":"c"})
        );
    }
}
