//! The crate's one error type: which call on which repository failed, GitHub's own message, and what kind of failure it is.

use std::fmt;

/// Which GitHub call an error is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `POST /repos/{owner}/{repo}/dispatches`.
    RepositoryDispatch { event_type: String },
    /// `POST /repos/{owner}/{repo}/statuses/{sha}`.
    CommitStatus { sha: String },
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Call::RepositoryDispatch { event_type } => {
                write!(f, "the repository_dispatch `{event_type}`")
            }
            Call::CommitStatus { sha } => write!(f, "the commit status on `{sha}`"),
        }
    }
}

/// Why a GitHub call failed. No variant holds the token.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API base URL is not an absolute http(s) URL.
    #[error("the GitHub API URL `{input}` is not valid: {reason}")]
    InvalidApiUrl { input: String, reason: String },

    /// A repository that is not `OWNER/REPO`.
    #[error("`{input}` is not a GitHub repository: expected `OWNER/REPO`")]
    InvalidRepository { input: String },

    /// A request GitHub would refuse, caught before sending (payload too big, empty SHA, …).
    #[error("{call} for {repository} cannot be sent: {reason}")]
    InvalidRequest {
        call: Call,
        repository: String,
        reason: String,
    },

    /// GitHub answered with an error status (after retries, for retryable ones).
    #[error("GitHub answered {status} to {call} for {repository}: {message}{}{}", attempts_text(*.attempts), hint_text(*.status, .call))]
    Api {
        call: Call,
        repository: String,
        status: u16,
        /// GitHub's `message`, then its `errors[]`, joined.
        message: String,
        attempts: u32,
    },

    /// No answer: connect error, reset or timeout, after retries.
    #[error("no answer from the GitHub API at {api} to {call} for {repository}{}", attempts_text(*.attempts))]
    Transport {
        call: Call,
        repository: String,
        api: String,
        attempts: u32,
        /// The HTTP stack's error; `None` when our own timeout ended the attempt.
        #[source]
        source: Option<Box<octocrab::Error>>,
    },

    /// The HTTP client could not be set up (TLS roots, a token that is not a valid header value).
    #[error("setting up the GitHub client for {api}")]
    Client {
        api: String,
        #[source]
        source: Box<octocrab::Error>,
    },
}

fn attempts_text(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// The next step for the statuses a token problem causes. GitHub answers 404, not 403, when a
/// token cannot see a private repository.
fn hint_text(status: u16, call: &Call) -> String {
    let permission = match call {
        Call::RepositoryDispatch { .. } => "`contents: write`",
        Call::CommitStatus { .. } => "`statuses: write`",
    };
    match status {
        401 => "; the token was refused: check that it is set and not expired".to_string(),
        403 | 404 => format!(
            "; check that the repository exists and that the token can reach it with {permission} \
             (a workflow's GITHUB_TOKEN only reaches its own repository)"
        ),
        _ => String::new(),
    }
}

impl Error {
    /// GitHub could not be reached or failed, after retries: connect errors, timeouts, 5xx, 429.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::Api {
                status, message, ..
            } => {
                *status >= 500
                    || *status == 429
                    || (*status == 403 && message.to_ascii_lowercase().contains("rate limit"))
            }
            _ => false,
        }
    }

    /// GitHub refused the token (401) or its rights (403 that is not a rate limit).
    pub fn is_rejected_credentials(&self) -> bool {
        matches!(
            self,
            Error::Api {
                status: 401 | 403,
                ..
            }
        ) && !self.is_unavailable()
    }

    /// Our input is wrong and repeating the call unchanged fails again: a bad URL, repository or
    /// request, or a 4xx about it (404 included, which is also what a token without access gets).
    pub fn is_input(&self) -> bool {
        match self {
            Error::InvalidApiUrl { .. }
            | Error::InvalidRepository { .. }
            | Error::InvalidRequest { .. }
            | Error::Client { .. } => true,
            Error::Api { status, .. } => (400..500).contains(status) && !self.is_unavailable(),
            Error::Transport { .. } => false,
        }
    }

    /// The HTTP status, for [`Error::Api`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, message: &str) -> Error {
        Error::Api {
            call: Call::CommitStatus { sha: "abc".into() },
            repository: "acme/web".into(),
            status,
            message: message.into(),
            attempts: 1,
        }
    }

    #[test]
    fn classification_by_status() {
        let rows = [
            // (status, message, unavailable, rejected credentials, input)
            (400, "Problems parsing JSON", false, false, true),
            (401, "Bad credentials", false, true, true),
            (
                403,
                "Resource not accessible by integration",
                false,
                true,
                true,
            ),
            (
                403,
                "API rate limit exceeded for installation",
                true,
                false,
                false,
            ),
            (404, "Not Found", false, false, true),
            (422, "No commit found for SHA: abc", false, false, true),
            (429, "Too many requests", true, false, false),
            (500, "Server Error", true, false, false),
            (503, "Unavailable", true, false, false),
        ];
        for (status, message, unavailable, rejected, input) in rows {
            let e = api(status, message);
            assert_eq!(e.is_unavailable(), unavailable, "{status} {message}");
            assert_eq!(e.is_rejected_credentials(), rejected, "{status} {message}");
            assert_eq!(e.is_input(), input, "{status} {message}");
        }
    }

    #[test]
    fn messages_name_the_call_the_repository_and_the_next_step() {
        assert_eq!(
            api(422, "No commit found for SHA: abc").to_string(),
            "GitHub answered 422 to the commit status on `abc` for acme/web: No commit found for SHA: abc"
        );
        let e = Error::Api {
            call: Call::RepositoryDispatch {
                event_type: "contract_requiring_verification_published".into(),
            },
            repository: "acme/orders-api".into(),
            status: 404,
            message: "Not Found".into(),
            attempts: 1,
        };
        let text = e.to_string();
        assert!(text.contains("`contents: write`"), "{text}");
        assert!(text.contains("acme/orders-api"), "{text}");
        let e = Error::Transport {
            call: Call::CommitStatus { sha: "abc".into() },
            repository: "acme/web".into(),
            api: "http://127.0.0.1:1".into(),
            attempts: 4,
            source: None,
        };
        assert!(e.is_unavailable() && !e.is_input());
        assert!(e.to_string().ends_with("(after 4 attempts)"), "{e}");
    }
}
