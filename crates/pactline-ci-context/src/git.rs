//! The last resort for SHA and branch: ask the local `git` checkout, behind a trait the caller can skip or fake.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;

/// What the local checkout says about `HEAD`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitHead {
    /// `git rev-parse HEAD`.
    pub sha: Option<String>,
    /// `git rev-parse --abbrev-ref HEAD`; `None` on a detached `HEAD`.
    pub branch: Option<String>,
}

/// The command shown as the source of a SHA read from git.
pub const GIT_SHA_COMMAND: &str = "git rev-parse HEAD";
/// The command shown as the source of a branch read from git.
pub const GIT_BRANCH_COMMAND: &str = "git rev-parse --abbrev-ref HEAD";

/// Something that can report the checkout's `HEAD`.
///
/// [`GitCommand`] runs `git`; a [`GitHead`] answers with itself (for tests, or a
/// caller that already knows).
pub trait GitProbe {
    fn head(&self) -> Result<GitHead, Error>;
}

impl GitProbe for GitHead {
    fn head(&self) -> Result<GitHead, Error> {
        Ok(self.clone())
    }
}

/// Runs `git` in a directory.
#[derive(Debug, Clone)]
pub struct GitCommand {
    dir: PathBuf,
}

impl GitCommand {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        GitCommand { dir: dir.into() }
    }
}

impl GitProbe for GitCommand {
    fn head(&self) -> Result<GitHead, Error> {
        read_head(&self.dir)
    }
}

/// Read `HEAD`'s SHA and branch from the checkout at `dir`.
///
/// A detached `HEAD` (what `actions/checkout` leaves on pull requests and tags)
/// gives no branch rather than the literal `HEAD`.
pub fn read_head(dir: &Path) -> Result<GitHead, Error> {
    let sha = run(dir, GIT_SHA_COMMAND, &["rev-parse", "HEAD"])?;
    let branch = run(
        dir,
        GIT_BRANCH_COMMAND,
        &["rev-parse", "--abbrev-ref", "HEAD"],
    )?;
    Ok(GitHead {
        sha: Some(sha).filter(|s| !s.is_empty()),
        branch: Some(branch).filter(|b| !b.is_empty() && b != "HEAD"),
    })
}

fn run(dir: &Path, command: &'static str, args: &[&str]) -> Result<String, Error> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|source| Error::GitSpawn {
            command,
            dir: dir.to_owned(),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::GitFailed {
            command,
            dir: dir.to_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run git with a fixed identity, failing the test on error.
    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    fn repo_with_one_commit() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"]);
        git(dir.path(), &["checkout", "-q", "-b", "feature/login"]);
        git(dir.path(), &["commit", "-q", "--allow-empty", "-m", "one"]);
        dir
    }

    #[test]
    fn branch_checkout_gives_sha_and_branch() {
        let dir = repo_with_one_commit();
        let head = read_head(dir.path()).unwrap();
        assert_eq!(head.sha, Some(git(dir.path(), &["rev-parse", "HEAD"])));
        assert_eq!(head.branch.as_deref(), Some("feature/login"));
    }

    #[test]
    fn detached_head_gives_no_branch() {
        let dir = repo_with_one_commit();
        git(dir.path(), &["checkout", "-q", "--detach"]);
        let head = read_head(dir.path()).unwrap();
        assert!(head.sha.is_some());
        assert_eq!(head.branch, None);
    }

    #[test]
    fn not_a_repository_names_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_head(dir.path()).unwrap_err();
        assert!(matches!(err, Error::GitFailed { .. }), "{err:?}");
        assert!(
            err.to_string().contains(&dir.path().display().to_string()),
            "{err}"
        );
    }
}
