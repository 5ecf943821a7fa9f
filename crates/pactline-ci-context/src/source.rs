//! Where a detected value came from, so the log can say "sha abc123 (from event payload `pull_request.head.sha`)".

use std::fmt;

/// The input a value was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An explicit flag or action input ([`crate::Overrides`]); always wins.
    Flag,
    /// One environment variable, e.g. `Env("GITHUB_HEAD_REF")`.
    Env(&'static str),
    /// Several environment variables combined, e.g. the GitHub build URL.
    Envs(&'static [&'static str]),
    /// A dotted path into the GitHub event payload (`$GITHUB_EVENT_PATH`),
    /// e.g. `EventPayload("pull_request.head.sha".into())`.
    EventPayload(String),
    /// The local git checkout; the string is the command that was run.
    Git(&'static str),
}

impl Source {
    /// Shorthand for [`Source::EventPayload`].
    pub fn payload(path: impl Into<String>) -> Self {
        Source::EventPayload(path.into())
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("explicit flag"),
            Source::Env(name) => write!(f, "${name}"),
            Source::Envs(names) => {
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "${name}")?;
                }
                Ok(())
            }
            Source::EventPayload(path) => write!(f, "event payload `{path}`"),
            Source::Git(command) => write!(f, "`{command}`"),
        }
    }
}

/// A value together with the [`Source`] it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    pub fn new(value: impl Into<T>, source: Source) -> Self {
        Sourced {
            value: value.into(),
            source,
        }
    }
}

impl<T: fmt::Display> fmt::Display for Sourced<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (from {})", self.value, self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_display_for_the_log() {
        let rows: &[(Source, &str)] = &[
            (Source::Flag, "explicit flag"),
            (Source::Env("GITHUB_HEAD_REF"), "$GITHUB_HEAD_REF"),
            (Source::Envs(&["A", "B"]), "$A, $B"),
            (
                Source::payload("pull_request.head.sha"),
                "event payload `pull_request.head.sha`",
            ),
            (Source::Git("git rev-parse HEAD"), "`git rev-parse HEAD`"),
        ];
        for (source, want) in rows {
            assert_eq!(source.to_string(), *want);
        }
    }

    #[test]
    fn sourced_value_names_its_source() {
        let v: Sourced<String> = Sourced::new("abc", Source::Env("GITHUB_SHA"));
        assert_eq!(v.to_string(), "abc (from $GITHUB_SHA)");
    }
}
