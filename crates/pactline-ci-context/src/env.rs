//! The two inputs detection reads, environment and files, behind small traits so tests never touch process state.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::io;
use std::path::{Path, PathBuf};

use crate::source::{Source, Sourced};

/// Read-only access to environment variables.
///
/// Implemented for `HashMap<String, String>` and `BTreeMap<String, String>`;
/// binaries take one snapshot with [`process_env`] and pass it down.
pub trait Env {
    /// The raw value of `name`, if set.
    fn get(&self, name: &str) -> Option<&str>;
}

impl<S: BuildHasher> Env for HashMap<String, String, S> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(String::as_str)
    }
}

/// A snapshot of the process environment (non-UTF-8 values are converted lossily).
///
/// The only place this crate reads process state; call it once in `main`.
pub fn process_env() -> HashMap<String, String> {
    std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect()
}

/// Read-only access to files (the GitHub event payload).
pub trait Files {
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
}

/// [`Files`] backed by the real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsFiles;

impl Files for OsFiles {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// In-memory files, for tests: a missing path reads as `NotFound`.
impl<S: BuildHasher> Files for HashMap<PathBuf, String, S> {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        self.get(path).cloned().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no such file: {}", path.display()),
            )
        })
    }
}

/// Helpers over [`Env`] that treat blank values as unset and record the source.
pub(crate) trait EnvExt {
    /// The trimmed value of `name`, or `None` when unset or blank.
    fn value(&self, name: &'static str) -> Option<&str>;
    /// The first of `names` that is set and not blank, with its source.
    fn first(&self, names: &[&'static str]) -> Option<Sourced<String>>;
}

impl<E: Env + ?Sized> EnvExt for E {
    fn value(&self, name: &'static str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    fn first(&self, names: &[&'static str]) -> Option<Sourced<String>> {
        names
            .iter()
            .find_map(|name| self.value(name).map(|v| Sourced::new(v, Source::Env(name))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_count_as_unset() {
        let env: HashMap<String, String> = [("A", "  "), ("B", " x ")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(env.value("A"), None);
        assert_eq!(env.value("B"), Some("x"));
        assert_eq!(
            env.first(&["MISSING", "A", "B"]),
            Some(Sourced::new("x", Source::Env("B")))
        );
    }

    #[test]
    fn in_memory_files_report_missing_paths() {
        let files: HashMap<PathBuf, String> = HashMap::new();
        let err = files.read_to_string(Path::new("/nope.json")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
