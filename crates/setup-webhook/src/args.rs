//! setup-webhook's flags, each with its environment fallback.

use clap::Parser;
use pactline_cli::{BrokerArgs, Secrets};
use pactline_github::env_vars as gh;

/// `--provider`.
pub const PACTLINE_PROVIDER: &str = "PACTLINE_PROVIDER";
/// `--repository`: the runner sets it to the repository the workflow runs in.
pub const GITHUB_REPOSITORY: &str = "GITHUB_REPOSITORY";
/// `--github-token-secret`.
pub const PACTLINE_GITHUB_TOKEN_SECRET: &str = "PACTLINE_GITHUB_TOKEN_SECRET";
/// `--github-token`. Not `GITHUB_TOKEN`: a workflow's own token expires with its job, so it must
/// never end up in a webhook by accident.
pub const PACTLINE_GITHUB_TOKEN: &str = "PACTLINE_GITHUB_TOKEN";
/// `--commit-status`.
pub const PACTLINE_COMMIT_STATUS: &str = "PACTLINE_COMMIT_STATUS";
/// `--consumer-repository`.
pub const PACTLINE_CONSUMER_REPOSITORY: &str = "PACTLINE_CONSUMER_REPOSITORY";
/// `--consumer`.
pub const PACTLINE_CONSUMER: &str = "PACTLINE_CONSUMER";

/// Create or update the broker webhook that sends contract_requiring_verification_published to
/// the provider's repository as a GitHub repository_dispatch (and, with --commit-status, the one
/// that sets commit statuses on the consumer's commits). Safe to re-run: the webhooks' uuids are
/// derived from the provider and the repository
#[derive(Parser, Debug)]
#[command(name = "setup-webhook", version)]
pub struct Args {
    /// The provider's name in the broker
    #[arg(long, env = PACTLINE_PROVIDER, value_name = "NAME")]
    pub provider: String,

    /// The provider's GitHub repository, which gets the repository_dispatch
    #[arg(long, env = GITHUB_REPOSITORY, value_name = "OWNER/REPO")]
    pub repository: String,

    /// Name of a secret the broker holds (PactFlow, pactline-broker) with the GitHub token; the
    /// webhook sends `Authorization: Bearer ${user.NAME}`
    #[arg(long, env = PACTLINE_GITHUB_TOKEN_SECRET, value_name = "NAME")]
    pub github_token_secret: Option<String>,

    /// The GitHub token itself, stored in the webhook (brokers without secrets keep it in plain
    /// text; prefer --github-token-secret)
    #[arg(long, env = PACTLINE_GITHUB_TOKEN, hide_env_values = true, value_name = "TOKEN")]
    pub github_token: Option<String>,

    /// The GitHub API base URL the broker calls
    #[arg(long, env = gh::GITHUB_API_URL, default_value = pactline_github::DEFAULT_API_URL, value_name = "URL")]
    pub github_api_url: String,

    /// Also create the webhook that sets a commit status on the consumer's commit when a pact is
    /// published (pending) and verified (success or failure)
    #[arg(long, env = PACTLINE_COMMIT_STATUS)]
    pub commit_status: bool,

    /// The consumer's repository for --commit-status, OWNER/REPO
    #[arg(long, env = PACTLINE_CONSUMER_REPOSITORY, value_name = "OWNER/REPO")]
    pub consumer_repository: Option<String>,

    /// Only this consumer's pacts get commit statuses [default: every consumer of the provider]
    #[arg(long, env = PACTLINE_CONSUMER, value_name = "NAME")]
    pub consumer: Option<String>,

    #[command(flatten)]
    pub broker: BrokerArgs,
}

impl Secrets for Args {
    fn secrets(&self) -> Vec<String> {
        let mut out = self.broker.secrets();
        if let Some(t) = nonblank(self.github_token.as_ref()) {
            out.push(t.to_string());
        }
        out
    }
}

/// Trimmed and not blank.
pub fn nonblank(value: Option<&String>) -> Option<&str> {
    value.map(|s| s.trim()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_a_secret() {
        let a = Args::try_parse_from([
            "setup-webhook",
            "--provider",
            "orders-api",
            "--repository",
            "acme/orders-api",
            "--github-token",
            "ghp_x",
        ])
        .unwrap();
        assert_eq!(a.secrets(), vec!["ghp_x"]);
        assert!(!a.commit_status);
    }
}
