//! publish-pact's flags; each falls back to an environment variable, and the version, branch and build URL to the pipeline context.

use clap::Parser;
use pactline_cli::env_vars as v;
use pactline_cli::{BrokerArgs, Secrets};

/// Publish pact files to a Pact Broker as one consumer version, with the commit, branch
/// and build URL of this CI run (on pull requests: the head commit, never the merge commit)
#[derive(Parser, Debug)]
#[command(name = "publish-pact", version)]
pub struct Args {
    /// Pact files, directories (their `*.json` files) or glob patterns
    #[arg(required = true, value_name = "PATHS")]
    pub paths: Vec<String>,

    #[command(flatten)]
    pub broker: BrokerArgs,

    /// The consumer version to publish as [default: the commit SHA of this CI run]
    #[arg(short = 'a', long, env = v::PACTLINE_CONSUMER_APP_VERSION, value_name = "VERSION")]
    pub consumer_app_version: Option<String>,

    /// The consumer version's branch [default: the branch of this CI run]
    #[arg(long, env = v::PACTLINE_BRANCH, value_name = "BRANCH")]
    pub branch: Option<String>,

    /// Tag the consumer version (repeatable, or comma-separated)
    #[arg(short = 't', long = "tag", env = v::PACTLINE_TAG, value_delimiter = ',', value_name = "TAG")]
    pub tags: Vec<String>,

    /// Link to the CI build [default: this CI run]
    #[arg(long, env = v::PACTLINE_BUILD_URL, value_name = "URL")]
    pub build_url: Option<String>,

    /// Merge into a pact already published for this version instead of replacing it
    #[arg(long, env = v::PACTLINE_MERGE)]
    pub merge: bool,

    /// Without a broker webhook: send OWNER/REPO (or, for one provider, PROVIDER=OWNER/REPO) the
    /// `repository_dispatch` that starts its verification, for each published pact that needs
    /// verifying (repeatable or comma-separated)
    #[arg(
        long,
        env = "PACTLINE_TRIGGER_PROVIDER_VERIFICATION",
        value_delimiter = ',',
        value_name = "OWNER/REPO"
    )]
    pub trigger_provider_verification: Vec<String>,

    /// GitHub token allowed to dispatch to those repositories (`contents: write`)
    #[arg(
        long,
        env = "GITHUB_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub github_token: Option<String>,

    /// GitHub's API [default: `GITHUB_API_URL`, else https://api.github.com]
    #[arg(long, env = "GITHUB_API_URL", value_name = "URL")]
    pub github_api_url: Option<String>,
}

impl Secrets for Args {
    fn secrets(&self) -> Vec<String> {
        let mut s = self.broker.secrets();
        s.extend(self.github_token.clone().filter(|t| !t.is_empty()));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_repeat_and_split_on_commas() {
        let a = Args::try_parse_from(["publish-pact", "pacts", "-t", "a,b", "--tag", "c"]).unwrap();
        assert_eq!(a.tags, vec!["a", "b", "c"]);
        assert!(
            Args::try_parse_from(["publish-pact"]).is_err(),
            "paths are required"
        );
    }
}
