//! Reading the pipeline context once, the same way in every binary: process env, the event file, and `git` in the working directory as the last resort.

use std::collections::HashMap;

use pactline_ci_context::{detect, Context, GitCommand, OsFiles, Overrides};

/// Detects the pipeline context with `overrides` (explicit flags) applied.
///
/// # Errors
///
/// The GitHub event file named by `$GITHUB_EVENT_PATH` cannot be read or parsed.
pub fn detect_context(
    env: &HashMap<String, String>,
    overrides: &Overrides,
) -> Result<Context, pactline_ci_context::Error> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let git = GitCommand::new(cwd);
    detect(env, &OsFiles, overrides, Some(&git))
}
