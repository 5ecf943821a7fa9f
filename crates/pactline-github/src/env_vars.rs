//! The environment variables pactline-github reads, each with what it holds.

/// The GitHub REST API base URL: `https://api.github.com`, or `https://HOST/api/v3` on GitHub
/// Enterprise Server. The runner sets it in every job.
pub const GITHUB_API_URL: &str = "GITHUB_API_URL";

/// A token for the GitHub API. The runner does not set it: workflows pass
/// `${{ github.token }}` or a personal access / GitHub App token explicitly.
pub const GITHUB_TOKEN: &str = "GITHUB_TOKEN";
