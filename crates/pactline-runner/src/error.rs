//! The crate's one error type: every variant names the input, file or variable it is about.

use std::path::PathBuf;

/// Why a runner operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An environment file (`$GITHUB_OUTPUT`, `$GITHUB_ENV`, …) could not be appended to.
    #[error("cannot append to `{}` (from ${var})", path.display())]
    File {
        var: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An output or variable name the runner would misparse.
    #[error("invalid {kind} name `{name}`: {reason}")]
    InvalidName {
        kind: &'static str,
        name: String,
        reason: &'static str,
    },
    /// The random heredoc delimiter occurs in the name or value (practically never).
    #[error("the {kind} `{name}` contains the heredoc delimiter `{delimiter}`")]
    DelimiterCollision {
        kind: &'static str,
        name: String,
        delimiter: String,
    },
    /// A required input is unset or blank.
    #[error("input `{name}` is required: set it with `with: {name}: …` (read from ${var})")]
    MissingInput { name: String, var: String },
    /// A boolean input holds something other than the YAML 1.2 core booleans.
    #[error(
        "input `{name}` must be one of `true | True | TRUE | false | False | FALSE`, got `{value}`"
    )]
    InvalidBoolean { name: String, value: String },
}

impl Error {
    /// True when the user's workflow is at fault (a missing or malformed input or name),
    /// as opposed to the runner's files.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Error::MissingInput { .. } | Error::InvalidBoolean { .. } | Error::InvalidName { .. }
        )
    }
}
