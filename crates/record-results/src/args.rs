//! record-results' subcommands and flags; versions, branches, build and pact URLs default to the pipeline context.

use clap::{Args as ClapArgs, Parser, Subcommand};
use pactline_cli::env_vars as v;
use pactline_cli::{BrokerArgs, Secrets};

/// Record deployments, releases and verification results in a Pact Broker
#[derive(Parser, Debug)]
#[command(name = "record-results", version)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Record that a version is deployed to an environment (replacing the previous one there)
    Deployment(Deployment),
    /// Record that a pacticipant is no longer deployed to an environment
    Undeployment(Undeployment),
    /// Record that a version is released to an environment (several can be supported at once)
    Release(Release),
    /// Record that a released version is no longer supported in an environment
    SupportEnded(Release),
    /// Publish a verification result for a pact, from any framework's run
    Verification(Verification),
}

/// `--pacticipant`, `--version` and `--environment`, shared by the deployment commands.
#[derive(ClapArgs, Debug, Clone)]
pub struct Where {
    /// The application (pacticipant) name
    #[arg(short = 'a', long, env = v::PACTLINE_PACTICIPANT, value_name = "PACTICIPANT")]
    pub pacticipant: String,
    /// The environment's name
    #[arg(long, env = v::PACTLINE_ENVIRONMENT, value_name = "ENVIRONMENT")]
    pub environment: String,
}

#[derive(ClapArgs, Debug)]
pub struct Deployment {
    #[command(flatten)]
    pub broker: BrokerArgs,
    #[command(flatten)]
    pub place: Where,
    /// The version deployed [default: the commit SHA of this CI run]
    #[arg(short = 'e', long, env = v::PACTLINE_VERSION, value_name = "VERSION")]
    pub version: Option<String>,
    /// The instance deployed to, when several run side by side (blue/green, per customer)
    #[arg(long, alias = "target", env = v::PACTLINE_APPLICATION_INSTANCE, value_name = "INSTANCE")]
    pub application_instance: Option<String>,
}

#[derive(ClapArgs, Debug)]
pub struct Undeployment {
    #[command(flatten)]
    pub broker: BrokerArgs,
    #[command(flatten)]
    pub place: Where,
    /// Only the deployment to this instance
    #[arg(long, alias = "target", env = v::PACTLINE_APPLICATION_INSTANCE, value_name = "INSTANCE")]
    pub application_instance: Option<String>,
}

#[derive(ClapArgs, Debug)]
pub struct Release {
    #[command(flatten)]
    pub broker: BrokerArgs,
    #[command(flatten)]
    pub place: Where,
    /// The version released [default: the commit SHA of this CI run]
    #[arg(short = 'e', long, env = v::PACTLINE_VERSION, value_name = "VERSION")]
    pub version: Option<String>,
}

#[derive(ClapArgs, Debug)]
#[command(group = clap::ArgGroup::new("result").required(true).args(["success", "exit_code"]))]
pub struct Verification {
    #[command(flatten)]
    pub broker: BrokerArgs,
    /// The pact that was verified [default: `pact_url` of the dispatch payload]
    #[arg(long, env = v::PACTLINE_PACT_URL, value_name = "URL")]
    pub pact_url: Option<String>,
    /// The provider version that was tested [default: the commit SHA of this CI run]
    #[arg(long, env = v::PACTLINE_PROVIDER_APP_VERSION, value_name = "VERSION")]
    pub provider_app_version: Option<String>,
    /// The provider version's branch [default: the branch of this CI run]
    #[arg(long, env = v::PACTLINE_PROVIDER_BRANCH, value_name = "BRANCH")]
    pub provider_branch: Option<String>,
    /// The verification passed
    #[arg(long, env = v::PACTLINE_SUCCESS)]
    pub success: bool,
    /// The verification's exit code: 0 passed, anything else failed
    #[arg(long, env = v::PACTLINE_EXIT_CODE, value_name = "N", allow_negative_numbers = true)]
    pub exit_code: Option<i32>,
    /// A JUnit XML report of the run, published as the result's `testResults`
    #[arg(long, env = v::PACTLINE_JUNIT, value_name = "FILE")]
    pub junit: Option<std::path::PathBuf>,
    /// Link to the CI build [default: this CI run]
    #[arg(long, env = v::PACTLINE_BUILD_URL, value_name = "URL")]
    pub build_url: Option<String>,
    /// Also set the result as a GitHub commit status on the consumer commit the pact was
    /// published from (the consumer version number)
    #[arg(long, env = "PACTLINE_COMMIT_STATUS")]
    pub commit_status: bool,
    /// The consumer's repository for --commit-status, OWNER/REPO
    #[arg(long, env = "PACTLINE_CONSUMER_REPOSITORY", value_name = "OWNER/REPO")]
    pub consumer_repository: Option<String>,
    /// GitHub token for --commit-status (`statuses: write` on the consumer's repository)
    #[arg(
        long,
        env = "GITHUB_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub github_token: Option<String>,
    /// The GitHub API base URL
    #[arg(long, env = "GITHUB_API_URL", value_name = "URL", default_value = pactline_github::DEFAULT_API_URL)]
    pub github_api_url: String,
}

impl Secrets for Args {
    fn secrets(&self) -> Vec<String> {
        match &self.command {
            Command::Deployment(c) => c.broker.secrets(),
            Command::Undeployment(c) => c.broker.secrets(),
            Command::Release(c) | Command::SupportEnded(c) => c.broker.secrets(),
            Command::Verification(c) => {
                let mut s = c.broker.secrets();
                s.extend(c.github_token.clone().filter(|t| !t.is_empty()));
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("record-results").chain(argv.iter().copied()))
    }

    #[test]
    fn subcommands_and_flags() {
        let a = parse(&[
            "deployment",
            "--pacticipant",
            "Web",
            "--version",
            "1",
            "--environment",
            "production",
            "--target",
            "blue",
        ])
        .unwrap();
        let Command::Deployment(d) = a.command else {
            panic!("deployment")
        };
        assert_eq!(d.application_instance.as_deref(), Some("blue"));
        assert!(matches!(
            parse(&[
                "support-ended",
                "-a",
                "Web",
                "-e",
                "1",
                "--environment",
                "p"
            ])
            .unwrap()
            .command,
            Command::SupportEnded(_)
        ));
        let a = parse(&[
            "verification",
            "--pact-url",
            "http://b/p",
            "--exit-code",
            "1",
        ])
        .unwrap();
        let Command::Verification(v) = a.command else {
            panic!("verification")
        };
        assert_eq!(v.exit_code, Some(1));
    }

    #[test]
    fn verification_needs_exactly_one_result() {
        assert!(parse(&["verification", "--pact-url", "http://b/p"]).is_err());
        assert!(parse(&["verification", "--success", "--exit-code", "0"]).is_err());
    }
}
