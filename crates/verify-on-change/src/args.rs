//! verify-on-change's flags; each falls back to an environment variable, and the pact URL,
//! provider version and branch to the CI event (a `repository_dispatch` payload or
//! `workflow_dispatch` inputs).

use clap::Parser;
use pactline_cli::env_vars as v;
use pactline_cli::{BrokerArgs, Secrets};
use pactline_github::env_vars as gh;

use crate::env_vars as e;

/// Verify a provider against the pact that changed (from a webhook's repository_dispatch, or
/// --pact-url) or against the pacts it must honour (pacts for verification), and record the
/// results in the broker: natively against a running provider (--provider-base-url), or by
/// running the provider's own Pact tests (-- COMMAND…). Exit 0 verified (pending failures only
/// warn), 1 a pact failed, 2 usage, 3 broker unavailable
#[derive(Parser, Debug)]
#[command(name = "verify-on-change", version)]
pub struct Args {
    /// The provider's name in the broker
    #[arg(long, env = e::PACTLINE_PROVIDER, value_name = "NAME")]
    pub provider: String,

    /// The one pact to verify [default: `pact_url` of the repository_dispatch payload or
    /// workflow_dispatch inputs; without one, the pacts for verification]
    #[arg(long, env = v::PACTLINE_PACT_URL, value_name = "URL")]
    pub pact_url: Option<String>,

    /// The provider version the results are published for [default: `sha` of the dispatch
    /// payload, else the commit of this CI run]
    #[arg(long, env = v::PACTLINE_PROVIDER_APP_VERSION, value_name = "VERSION")]
    pub provider_app_version: Option<String>,

    /// The provider version's branch [default: `branch` of the dispatch payload, else the branch
    /// of this CI run]
    #[arg(long, env = v::PACTLINE_PROVIDER_BRANCH, value_name = "BRANCH")]
    pub provider_branch: Option<String>,

    /// Link to the CI build, published with the results [default: this CI run]
    #[arg(long, env = v::PACTLINE_BUILD_URL, value_name = "URL")]
    pub build_url: Option<String>,

    /// Consumer version selectors as JSON: an array, an object, or one object a line (repeatable)
    /// [default: {"mainBranch":true} {"deployedOrReleased":true} {"matchingBranch":true}]
    #[arg(long, env = e::PACTLINE_CONSUMER_VERSION_SELECTORS, value_name = "JSON")]
    pub consumer_version_selectors: Vec<String>,

    /// Ask for pending pacts: their failures only warn
    #[arg(long, env = e::PACTLINE_ENABLE_PENDING)]
    pub enable_pending: bool,

    /// Also verify work-in-progress pacts published since this date (pending)
    #[arg(long, env = e::PACTLINE_INCLUDE_WIP_PACTS_SINCE, value_name = "DATE")]
    pub include_wip_pacts_since: Option<String>,

    /// Verify natively (the official Rust verifier) against the provider running at this URL
    #[arg(long, env = e::PACTLINE_PROVIDER_BASE_URL, value_name = "URL")]
    pub provider_base_url: Option<String>,

    /// Native mode: the provider's endpoint that sets up provider states (POST {state, params, action})
    #[arg(long, env = e::PACTLINE_PROVIDER_STATES_SETUP_URL, value_name = "URL")]
    pub provider_states_setup_url: Option<String>,

    /// Command mode: the command's test framework publishes the results itself
    #[arg(long, env = e::PACTLINE_FRAMEWORK_PUBLISHES)]
    pub framework_publishes: bool,

    /// Set a GitHub commit status with each pact's result on the consumer commit it was published from
    #[arg(long, env = e::PACTLINE_COMMIT_STATUS)]
    pub commit_status: bool,

    /// The consumer's repository for --commit-status, OWNER/REPO
    #[arg(long, env = e::PACTLINE_CONSUMER_REPOSITORY, value_name = "OWNER/REPO")]
    pub consumer_repository: Option<String>,

    /// GitHub token for --commit-status (`statuses: write` on the consumer's repository)
    #[arg(long, env = gh::GITHUB_TOKEN, hide_env_values = true, value_name = "TOKEN")]
    pub github_token: Option<String>,

    /// The GitHub API base URL
    #[arg(long, env = gh::GITHUB_API_URL, default_value = pactline_github::DEFAULT_API_URL, value_name = "URL")]
    pub github_api_url: String,

    #[command(flatten)]
    pub broker: BrokerArgs,

    /// Command mode: the provider's own Pact tests, run once per pact with PACT_URL,
    /// PACT_BROKER_BASE_URL, PACT_PROVIDER_VERSION, PACT_PROVIDER_BRANCH and
    /// PACT_BROKER_PUBLISH_VERIFICATION_RESULTS set; exit code 0 means verified
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

impl Secrets for Args {
    fn secrets(&self) -> Vec<String> {
        let mut out = self.broker.secrets();
        if let Some(t) = self.github_token.as_deref().map(str::trim) {
            if !t.is_empty() {
                out.push(t.to_string());
            }
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
    fn the_command_follows_a_double_dash() {
        let a = Args::try_parse_from([
            "verify-on-change",
            "--provider",
            "orders-api",
            "--",
            "sh",
            "-c",
            "npm run test:pact --verbose",
        ])
        .unwrap();
        assert_eq!(a.command, ["sh", "-c", "npm run test:pact --verbose"]);
        assert!(a.provider_base_url.is_none());
    }

    #[test]
    fn selectors_repeat_and_the_token_is_a_secret() {
        let a = Args::try_parse_from([
            "verify-on-change",
            "--provider",
            "p",
            "--consumer-version-selectors",
            r#"{"mainBranch":true}"#,
            "--consumer-version-selectors",
            r#"{"deployed":true}"#,
            "--github-token",
            "ghs_x",
        ])
        .unwrap();
        assert_eq!(a.consumer_version_selectors.len(), 2);
        assert!(a.secrets().contains(&"ghs_x".to_string()));
        assert!(
            Args::try_parse_from(["verify-on-change"]).is_err(),
            "--provider is required"
        );
    }
}
