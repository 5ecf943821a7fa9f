//! `--commit-status`: each pact's result as a GitHub commit status on the consumer commit it was
//! published from (`pending` while verifying, then `success` or `failure`). A status that cannot
//! be set is a warning: the result is in the broker either way, and that is what can-i-deploy reads.

use pactline_github::CommitStatus;
use pactline_runner::Runner;

use crate::args::{nonblank, Args};

/// Where statuses go.
#[derive(Debug)]
pub struct StatusTarget {
    target: pactline_cli::StatusTarget,
    provider: String,
}

impl StatusTarget {
    /// # Errors
    ///
    /// `--consumer-repository` or a token missing, or either malformed.
    pub fn new(args: &Args, provider: &str) -> anyhow::Result<Self> {
        let target = pactline_cli::status_target(
            &args.github_api_url,
            nonblank(args.consumer_repository.as_ref()),
            nonblank(args.github_token.as_ref()),
        )?;
        Ok(StatusTarget {
            target,
            provider: provider.to_string(),
        })
    }

    /// Sets the status of `sha`; returns what the summary shows (the state, or why not).
    pub async fn set(
        &self,
        runner: &mut Runner,
        provider_version: &str,
        sha: &str,
        result: Option<(bool, bool)>,
        target_url: Option<&str>,
    ) -> String {
        let status =
            CommitStatus::pact_verification(&self.provider, provider_version, result, target_url);
        let state = status.state;
        match self
            .target
            .github
            .create_commit_status(&self.target.repository, sha, &status)
            .await
        {
            Ok(()) => {
                runner.info(&format!(
                    "commit status `{state}` set on {}@{sha}",
                    self.target.repository
                ));
                state.to_string()
            }
            Err(e) => {
                runner.warning(&format!("could not set the commit status: {e}"));
                "not set".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use pactline_github::StatusState;

    #[test]
    fn states_follow_the_result() {
        let rows = [
            (
                None,
                StatusState::Pending,
                "orders-api 1.0.0 is verifying the pact",
            ),
            (
                Some((true, false)),
                StatusState::Success,
                "orders-api 1.0.0 verified the pact",
            ),
            (
                Some((false, false)),
                StatusState::Failure,
                "orders-api 1.0.0 failed to verify the pact",
            ),
            (
                Some((false, true)),
                StatusState::Failure,
                "orders-api 1.0.0 failed to verify the pact (pending)",
            ),
        ];
        for (result, state, description) in rows {
            let s = CommitStatus::pact_verification("orders-api", "1.0.0", result, None);
            assert_eq!(
                (s.state, s.description.as_deref()),
                (state, Some(description))
            );
            assert_eq!(s.context, "pact verification: orders-api");
        }
    }

    #[test]
    fn the_repository_and_a_token_are_required() {
        let parse = |extra: &[&str]| {
            let mut argv = vec!["verify-on-change", "--provider", "p", "--commit-status"];
            argv.extend_from_slice(extra);
            Args::try_parse_from(argv).unwrap()
        };
        let err = StatusTarget::new(&parse(&["--github-token", "t"]), "p").unwrap_err();
        assert!(
            format!("{err:#}").contains("--consumer-repository"),
            "{err:#}"
        );
        let err = StatusTarget::new(&parse(&["--consumer-repository", "acme/web"]), "p");
        // GITHUB_TOKEN from the test's environment would fill the flag; only check when unset.
        if std::env::var_os("GITHUB_TOKEN").is_none() {
            assert!(format!("{:#}", err.unwrap_err()).contains("--github-token"));
        }
        let err = StatusTarget::new(
            &parse(&["--consumer-repository", "web", "--github-token", "t"]),
            "p",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("OWNER/REPO"), "{err:#}");
        assert!(StatusTarget::new(
            &parse(&["--consumer-repository", "acme/web", "--github-token", "t"]),
            "p"
        )
        .is_ok());
    }
}
