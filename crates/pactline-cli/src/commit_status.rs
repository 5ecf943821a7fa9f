//! `--commit-status` set-up shared by verify-on-change and record-results: where a Pact
//! verification's commit status goes (the consumer's repository) and the GitHub client to send
//! it with, or a usage error naming the missing flag.

use crate::UsageError;
use pactline_github::{GitHub, GitHubConfig, Repository, Token};

/// The consumer's repository and a client that may set statuses on it.
#[derive(Debug)]
pub struct StatusTarget {
    pub github: GitHub,
    pub repository: Repository,
}

fn nonblank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|s| !s.is_empty())
}

/// Checks `--consumer-repository` and `--github-token` (checked before anything is published).
///
/// # Errors
///
/// A [`UsageError`] naming the missing flag, or the repository/API URL error.
pub fn status_target(
    api_url: &str,
    repository: Option<&str>,
    token: Option<&str>,
) -> anyhow::Result<StatusTarget> {
    let repository = nonblank(repository).ok_or_else(|| {
        UsageError::new("`--commit-status` needs `--consumer-repository OWNER/REPO`: the repository of the consumer commits")
    })?;
    let repository: Repository = repository.parse()?;
    let token = nonblank(token).ok_or_else(|| {
        UsageError::new(
            "`--commit-status` needs `--github-token` (or `GITHUB_TOKEN`) with `statuses: write` on the consumer's repository",
        )
    })?;
    let github = GitHub::new(GitHubConfig::new(api_url, Token::new(token)))?;
    Ok(StatusTarget { github, repository })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_and_a_token_are_required() {
        let api = "https://api.github.com";
        let err = status_target(api, None, Some("t")).unwrap_err();
        assert!(
            format!("{err:#}").contains("--consumer-repository"),
            "{err:#}"
        );
        let err = status_target(api, Some("acme/web"), Some(" ")).unwrap_err();
        assert!(format!("{err:#}").contains("--github-token"), "{err:#}");
        let err = status_target(api, Some("web"), Some("t")).unwrap_err();
        assert!(format!("{err:#}").contains("OWNER/REPO"), "{err:#}");
        assert_eq!(crate::exit_code(&err), 2);
        assert!(status_target(api, Some("acme/web"), Some("t")).is_ok());
    }
}
