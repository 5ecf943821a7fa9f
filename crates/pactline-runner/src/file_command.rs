//! Environment files (`$GITHUB_OUTPUT`, `$GITHUB_ENV`, `$GITHUB_PATH`, `$GITHUB_STEP_SUMMARY`): heredoc entries and appends.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::Error;

/// Line ending of environment files, as `os.EOL` in `@actions/core`.
pub(crate) const EOL: &str = if cfg!(windows) { "\r\n" } else { "\n" };

/// A fresh heredoc delimiter, `ghadelimiter_<uuid v4>` (the prefix `@actions/core` uses).
pub(crate) fn new_delimiter() -> String {
    format!("ghadelimiter_{}", uuid::Uuid::new_v4())
}

/// `name<<DELIM⏎value⏎DELIM⏎`: the form that carries any value, multi-line included.
///
/// `kind` names the entry in errors (`output`, `environment variable`).
pub(crate) fn heredoc_entry(
    kind: &'static str,
    name: &str,
    value: &str,
    delimiter: &str,
) -> Result<String, Error> {
    let invalid = |reason| Error::InvalidName {
        kind,
        name: name.to_owned(),
        reason,
    };
    if name.is_empty() {
        return Err(invalid("it is empty"));
    }
    if name.contains(['\n', '\r']) {
        return Err(invalid("it contains a line break"));
    }
    if name.contains('=') || name.contains("<<") {
        return Err(invalid("it contains `=` or `<<`"));
    }
    if name.contains(delimiter) || value.contains(delimiter) {
        return Err(Error::DelimiterCollision {
            kind,
            name: name.to_owned(),
            delimiter: delimiter.to_owned(),
        });
    }
    Ok(format!(
        "{name}<<{delimiter}{EOL}{value}{EOL}{delimiter}{EOL}"
    ))
}

/// Append `text` to the file `$var` names, creating it if needed.
pub(crate) fn append(var: &'static str, path: &Path, text: &str) -> Result<(), Error> {
    let error = |source| Error::File {
        var,
        path: path.to_owned(),
        source,
    };
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(error)?;
    file.write_all(text.as_bytes()).map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "ghadelimiter_0d4c1f0e-5b7a-4c36-9a53-6c2f2f7b9e11";

    #[test]
    fn single_line_value_uses_heredoc_form() {
        assert_eq!(
            heredoc_entry("output", "deployable", "true", D).unwrap(),
            format!("deployable<<{D}{EOL}true{EOL}{D}{EOL}")
        );
    }

    #[test]
    fn multi_line_and_empty_values_survive() {
        assert_eq!(
            heredoc_entry("output", "reason", "line 1\nline 2\n", D).unwrap(),
            format!("reason<<{D}{EOL}line 1\nline 2\n{EOL}{D}{EOL}")
        );
        assert_eq!(
            heredoc_entry("output", "empty", "", D).unwrap(),
            format!("empty<<{D}{EOL}{EOL}{D}{EOL}")
        );
    }

    #[test]
    fn value_containing_the_delimiter_is_refused() {
        let err = heredoc_entry("output", "x", &format!("a\n{D}\nb"), D).unwrap_err();
        assert!(matches!(err, Error::DelimiterCollision { .. }), "{err:?}");
        let err = heredoc_entry("output", &format!("x{D}"), "v", D).unwrap_err();
        assert!(matches!(err, Error::DelimiterCollision { .. }), "{err:?}");
    }

    #[test]
    fn names_the_runner_would_misparse_are_refused() {
        for name in ["", "a\nb", "a=b", "a<<b", "a\r"] {
            let err = heredoc_entry("output", name, "v", D).unwrap_err();
            assert!(
                matches!(err, Error::InvalidName { .. }),
                "{name:?}: {err:?}"
            );
            assert!(err.is_input());
        }
    }

    #[test]
    fn delimiters_are_random() {
        let (a, b) = (new_delimiter(), new_delimiter());
        assert_ne!(a, b);
        assert!(a.starts_with("ghadelimiter_"), "{a}");
    }

    #[test]
    fn append_failure_names_the_variable_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("output");
        let err = append("GITHUB_OUTPUT", &path, "x").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cannot append to `{}` (from $GITHUB_OUTPUT)",
                path.display()
            )
        );
    }
}
