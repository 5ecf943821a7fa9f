//! The crate's one error type: every variant names the input (file, directory, command) it is about.

use std::path::PathBuf;

/// Why the pipeline context could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `$GITHUB_EVENT_PATH` names a file that could not be read.
    #[error("cannot read the GitHub event payload `{}` (from $GITHUB_EVENT_PATH)", path.display())]
    EventRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `$GITHUB_EVENT_PATH` names a file that is not JSON.
    #[error("the GitHub event payload `{}` (from $GITHUB_EVENT_PATH) is not valid JSON", path.display())]
    EventParse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// `git` could not be started (not installed, or the directory is missing).
    #[error("cannot run `{command}` in `{}`", dir.display())]
    GitSpawn {
        command: &'static str,
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `git` ran but failed (for example: not a git repository, or no commits yet).
    #[error("`{command}` failed in `{}`: {stderr}", dir.display())]
    GitFailed {
        command: &'static str,
        dir: PathBuf,
        stderr: String,
    },
}

impl Error {
    /// True when the error is about a file or checkout the user controls,
    /// as opposed to a missing tool.
    pub fn is_input(&self) -> bool {
        !matches!(self, Error::GitSpawn { .. })
    }
}
