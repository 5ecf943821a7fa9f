//! Every environment variable the runner I/O reads, in one place, each with a line saying what it holds.

/// `"true"` on a GitHub Actions runner: switches printing to workflow commands.
pub const GITHUB_ACTIONS: &str = "GITHUB_ACTIONS";
/// File collecting this step's outputs (`name<<DELIM` heredoc entries).
pub const GITHUB_OUTPUT: &str = "GITHUB_OUTPUT";
/// File collecting environment variables for later steps of the job.
pub const GITHUB_ENV: &str = "GITHUB_ENV";
/// File collecting directories to prepend to `PATH` for later steps.
pub const GITHUB_PATH: &str = "GITHUB_PATH";
/// File holding this step's Markdown job summary (max 1 MiB).
pub const GITHUB_STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";
/// `"1"` when debug logging is on (re-run with debug logging, or `ACTIONS_STEP_DEBUG`).
pub const RUNNER_DEBUG: &str = "RUNNER_DEBUG";
/// Prefix of action inputs: `INPUT_<NAME>`, upper-cased, spaces as `_`, hyphens kept.
pub const INPUT_PREFIX: &str = "INPUT_";
