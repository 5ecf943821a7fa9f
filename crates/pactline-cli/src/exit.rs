//! The single error → exit-code map, and the hint each class of error ends with.
//!
//! Classification walks the error chain and asks the library errors what they are
//! (`is_rejected_credentials`, `is_input`, `is_unavailable`); an error nobody claims exits 2.

use crate::outcome::code;

/// An error in what the user gave us (a flag, a file, the pipeline context): exit 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

impl UsageError {
    pub fn new(message: impl Into<String>) -> Self {
        UsageError(message.into())
    }
}

/// What an error is, for the exit code and the hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Our input is wrong: exit 2.
    Input,
    /// The broker refused the credentials: exit 3.
    RejectedCredentials,
    /// The broker is unreachable or failing: exit 3.
    Unavailable,
}

/// Classifies an error by the first cause that knows what it is.
pub fn classify(err: &anyhow::Error) -> Class {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<pactline_broker_client::Error>() {
            if e.is_rejected_credentials() {
                return Class::RejectedCredentials;
            }
            if e.is_input() {
                return Class::Input;
            }
            if e.is_unavailable() {
                return Class::Unavailable;
            }
        }
        // GitHub, as the broker: rejected credentials and outages are 3, our input is 2.
        if let Some(e) = cause.downcast_ref::<pactline_github::Error>() {
            if e.is_rejected_credentials() || e.is_unavailable() {
                return Class::Unavailable;
            }
            if e.is_input() {
                return Class::Input;
            }
        }
        if cause.downcast_ref::<UsageError>().is_some()
            || cause.downcast_ref::<pactline_ci_context::Error>().is_some()
            || cause.downcast_ref::<pactline_runner::Error>().is_some()
            || cause.downcast_ref::<clap::Error>().is_some()
        {
            return Class::Input;
        }
    }
    Class::Input
}

/// The exit code for an error.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match classify(err) {
        Class::Input => code::USAGE,
        Class::RejectedCredentials | Class::Unavailable => code::UNAVAILABLE,
    }
}

/// What to do next, by class.
pub fn hint(class: Class) -> Option<&'static str> {
    match class {
        Class::Input => None,
        Class::RejectedCredentials => Some(
            "check `--broker-token` (`PACT_BROKER_TOKEN`) or `--broker-username`/`--broker-password` \
             (`PACT_BROKER_USERNAME`/`PACT_BROKER_PASSWORD`): the broker refused them",
        ),
        Class::Unavailable => Some(
            "check that the broker is up and reachable from this runner (`--broker-base-url`), then re-run the job",
        ),
    }
}

/// The error chain on one line, followed by the hint.
pub fn one_line(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    let mut line: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(h) = hint(classify(err)) {
        line.push_str("; ");
        line.push_str(h);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;
    use std::time::Duration;

    fn status(code: u16) -> pactline_broker_client::Error {
        use pactline_broker_client::*;
        Error::Status {
            method: Method::GET,
            url: RedactedUrl::new(Url::parse("http://b.example/x").unwrap()),
            status: StatusCode::from_u16(code).unwrap(),
            messages: vec![],
            attempts_text: Attempts {
                attempts: 1,
                elapsed: Duration::ZERO,
            },
            not_retried: NotRetried(false),
        }
    }

    #[test]
    fn exit_code_map() {
        let rows: Vec<(anyhow::Error, u8)> = vec![
            (anyhow::Error::new(UsageError::new("bad pact file")), 2),
            (anyhow::Error::new(status(400)).context("publishing"), 2),
            (anyhow::Error::new(status(404)), 2),
            (anyhow::Error::new(status(409)), 2),
            (anyhow::Error::new(status(401)), 3),
            (anyhow::Error::new(status(403)), 3),
            (anyhow::Error::new(status(502)), 3),
            (anyhow::Error::new(status(429)), 3),
            (anyhow::anyhow!("something unclassified"), 2),
            (
                anyhow::Error::new("acme".parse::<pactline_github::Repository>().unwrap_err()),
                2,
            ),
        ];
        for (err, want) in rows {
            assert_eq!(exit_code(&err), want, "{err:#}");
        }
    }

    #[test]
    fn one_line_joins_the_chain_and_adds_the_hint() {
        let err = Err::<(), _>(status(503))
            .context("recording the deployment of `Web` version `1`")
            .unwrap_err();
        let line = one_line(&err);
        assert!(!line.contains('\n'));
        assert!(
            line.starts_with(
                "recording the deployment of `Web` version `1`: the broker answered 503"
            ),
            "{line}"
        );
        assert!(line.ends_with("then re-run the job"), "{line}");
    }
}
