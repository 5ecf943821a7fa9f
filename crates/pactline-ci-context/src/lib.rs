//! Reads the commit SHA, branch, build URL, event, PR number, repository and dispatch payload for the current CI run.
//!
//! Detection is pure over an environment map ([`Env`]) and files ([`Files`], for
//! `$GITHUB_EVENT_PATH`), so tests never touch process state. Lookup order for
//! every value:
//!
//! 1. an explicit flag ([`Overrides`]) always wins;
//! 2. the CI system: GitHub Actions (per event, from the event payload where
//!    `GITHUB_SHA` would be wrong), then GitLab CI, Jenkins, CircleCI, Buildkite,
//!    Azure Pipelines, Bitbucket Pipelines and Travis CI;
//! 3. the local `git` checkout, only if the caller passes a [`GitProbe`].
//!
//! Every value is a [`Sourced`] that says where it came from, for the log.
//! Blank values (an empty action input or variable) count as unset.

mod env;
pub mod env_vars;
mod error;
mod git;
mod github;
mod refs;
mod source;
mod vendors;

use std::fmt;

pub use env::{process_env, Env, Files, OsFiles};
pub use error::Error;
pub use git::{read_head, GitCommand, GitHead, GitProbe, GIT_BRANCH_COMMAND, GIT_SHA_COMMAND};
pub use source::{Source, Sourced};

use env::EnvExt;

/// The CI system a run was detected on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CiSystem {
    GitHubActions,
    GitLab,
    Jenkins,
    CircleCi,
    Buildkite,
    AzurePipelines,
    Bitbucket,
    Travis,
}

impl CiSystem {
    /// The CI system `env` belongs to, checked in the order of the enum; `None` off CI.
    pub fn detect(env: &dyn Env) -> Option<CiSystem> {
        use env_vars as v;
        let is = |name: &'static str, want: &str| {
            env.value(name)
                .is_some_and(|value| value.eq_ignore_ascii_case(want))
        };
        let set = |name: &'static str| env.value(name).is_some();
        if is(v::GITHUB_ACTIONS, "true") {
            Some(CiSystem::GitHubActions)
        } else if set(v::GITLAB_CI) {
            Some(CiSystem::GitLab)
        } else if set(v::JENKINS_URL) {
            Some(CiSystem::Jenkins)
        } else if is(v::CIRCLECI, "true") {
            Some(CiSystem::CircleCi)
        } else if is(v::BUILDKITE, "true") {
            Some(CiSystem::Buildkite)
        } else if is(v::TF_BUILD, "true") {
            Some(CiSystem::AzurePipelines)
        } else if set(v::BITBUCKET_BUILD_NUMBER) {
            Some(CiSystem::Bitbucket)
        } else if is(v::TRAVIS, "true") {
            Some(CiSystem::Travis)
        } else {
            None
        }
    }
}

impl fmt::Display for CiSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CiSystem::GitHubActions => "GitHub Actions",
            CiSystem::GitLab => "GitLab CI",
            CiSystem::Jenkins => "Jenkins",
            CiSystem::CircleCi => "CircleCI",
            CiSystem::Buildkite => "Buildkite",
            CiSystem::AzurePipelines => "Azure Pipelines",
            CiSystem::Bitbucket => "Bitbucket Pipelines",
            CiSystem::Travis => "Travis CI",
        })
    }
}

/// Values given explicitly (flags or action inputs). Each one set and not blank
/// replaces whatever detection found, with [`Source::Flag`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub sha: Option<String>,
    pub branch: Option<String>,
    pub build_url: Option<String>,
    pub pr_number: Option<u64>,
    pub repository: Option<String>,
    pub pact_url: Option<String>,
}

/// The pipeline context of the current run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// The CI system, `None` when none was recognised (a developer machine).
    pub ci: Option<CiSystem>,
    /// What triggered the run: the GitHub event name (`pull_request`), GitLab's
    /// pipeline source, Azure's build reason, Buildkite's source or Travis' event type.
    pub event: Option<Sourced<String>>,
    /// GitHub's activity type (`opened`, `published`) or, for
    /// `repository_dispatch`, the dispatched `event_type`.
    pub action: Option<Sourced<String>>,
    /// The commit the run is about (the pull request head, never a test merge commit).
    pub sha: Option<Sourced<String>>,
    /// The branch the commit belongs to; `None` for tag builds and detached checkouts.
    pub branch: Option<Sourced<String>>,
    /// The tag, for tag pushes and releases.
    pub tag: Option<Sourced<String>>,
    /// A link to this run in the CI system's UI.
    pub build_url: Option<Sourced<String>>,
    /// The pull (merge) request number.
    pub pr_number: Option<Sourced<u64>>,
    /// The repository, `owner/name` where the CI system gives one.
    pub repository: Option<Sourced<String>>,
    /// `client_payload` of a `repository_dispatch`, or `inputs` of a `workflow_dispatch`.
    pub dispatch_payload: Option<Sourced<serde_json::Value>>,
    /// The pact to verify, from the dispatch payload (`pact_url` key) or a flag.
    pub pact_url: Option<Sourced<String>>,
    /// Things the log should say: values deliberately not used, a failed `git`.
    pub notes: Vec<String>,
}

impl Context {
    /// The detected commit SHA.
    pub fn sha(&self) -> Option<&str> {
        self.sha.as_ref().map(|s| s.value.as_str())
    }

    /// The detected branch.
    pub fn branch(&self) -> Option<&str> {
        self.branch.as_ref().map(|s| s.value.as_str())
    }

    /// The detected tag.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_ref().map(|s| s.value.as_str())
    }

    /// The detected build URL.
    pub fn build_url(&self) -> Option<&str> {
        self.build_url.as_ref().map(|s| s.value.as_str())
    }

    /// The detected pull request number.
    pub fn pr_number(&self) -> Option<u64> {
        self.pr_number.as_ref().map(|s| s.value)
    }

    /// The detected event name.
    pub fn event(&self) -> Option<&str> {
        self.event.as_ref().map(|s| s.value.as_str())
    }

    /// The pact URL from a dispatch payload or flag.
    pub fn pact_url(&self) -> Option<&str> {
        self.pact_url.as_ref().map(|s| s.value.as_str())
    }

    /// Replace detected values with every override that is set and not blank.
    fn apply(&mut self, overrides: &Overrides) {
        fn flag(value: Option<&String>) -> Option<Sourced<String>> {
            value
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(|v| Sourced::new(v, Source::Flag))
        }
        let set = |slot: &mut Option<Sourced<String>>, value: Option<&String>| {
            if let Some(v) = flag(value) {
                *slot = Some(v);
            }
        };
        set(&mut self.sha, overrides.sha.as_ref());
        set(&mut self.branch, overrides.branch.as_ref());
        set(&mut self.build_url, overrides.build_url.as_ref());
        set(&mut self.repository, overrides.repository.as_ref());
        set(&mut self.pact_url, overrides.pact_url.as_ref());
        if let Some(n) = overrides.pr_number {
            self.pr_number = Some(Sourced::new(n, Source::Flag));
        }
    }

    /// Fill a missing SHA or branch from git. The SHA is not taken when the CI
    /// checkout is known to be a synthetic commit (GitHub pull request events);
    /// the branch is not taken for tag builds.
    fn fill_from_git(&mut self, git: &dyn GitProbe, sha_allowed: bool) {
        let want_sha = self.sha.is_none() && sha_allowed;
        let want_branch = self.branch.is_none() && self.tag.is_none();
        if !want_sha && !want_branch {
            return;
        }
        match git.head() {
            Ok(head) => {
                if want_sha {
                    self.sha = head
                        .sha
                        .map(|s| Sourced::new(s, Source::Git(GIT_SHA_COMMAND)));
                }
                if want_branch {
                    self.branch = head
                        .branch
                        .map(|b| Sourced::new(b, Source::Git(GIT_BRANCH_COMMAND)));
                }
            }
            Err(err) => self.notes.push(format!("git: {err}")),
        }
    }
}

impl fmt::Display for Context {
    /// One `name: value (from source)` line per detected value, then the notes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ci {
            Some(ci) => writeln!(f, "ci: {ci}")?,
            None => writeln!(f, "ci: none detected")?,
        }
        let lines: [(&str, Option<String>); 9] = [
            ("event", self.event.as_ref().map(ToString::to_string)),
            ("action", self.action.as_ref().map(ToString::to_string)),
            ("sha", self.sha.as_ref().map(ToString::to_string)),
            ("branch", self.branch.as_ref().map(ToString::to_string)),
            ("tag", self.tag.as_ref().map(ToString::to_string)),
            ("pr", self.pr_number.as_ref().map(ToString::to_string)),
            (
                "repository",
                self.repository.as_ref().map(ToString::to_string),
            ),
            (
                "build url",
                self.build_url.as_ref().map(ToString::to_string),
            ),
            ("pact url", self.pact_url.as_ref().map(ToString::to_string)),
        ];
        for (name, value) in lines {
            if let Some(value) = value {
                writeln!(f, "{name}: {value}")?;
            }
        }
        if let Some(payload) = &self.dispatch_payload {
            writeln!(
                f,
                "dispatch payload: {} (from {})",
                payload.value, payload.source
            )?;
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        Ok(())
    }
}

/// Detect the pipeline context.
///
/// `files` reads `$GITHUB_EVENT_PATH` (use [`OsFiles`] in binaries); `git` is
/// asked only for a SHA or branch still missing after flags and CI variables
/// (pass `None` to skip it). A failing `git` becomes a note, not an error.
///
/// # Errors
///
/// When `$GITHUB_EVENT_PATH` is set but the file cannot be read or is not JSON.
pub fn detect(
    env: &dyn Env,
    files: &dyn Files,
    overrides: &Overrides,
    git: Option<&dyn GitProbe>,
) -> Result<Context, Error> {
    let ci = CiSystem::detect(env);
    let mut ctx = match ci {
        Some(CiSystem::GitHubActions) => github::resolve(env, files)?,
        Some(other) => vendors::resolve(other, env),
        None => Context::default(),
    };
    ctx.ci = ci;
    ctx.apply(overrides);
    if let Some(git) = git {
        let sha_allowed = !(ci == Some(CiSystem::GitHubActions)
            && ctx.event().is_some_and(github::checkout_is_not_the_commit));
        ctx.fill_from_git(git, sha_allowed);
    }
    Ok(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::PathBuf;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn no_files() -> HashMap<PathBuf, String> {
        HashMap::new()
    }

    fn git_head(sha: &str, branch: Option<&str>) -> GitHead {
        GitHead {
            sha: Some(sha.to_owned()),
            branch: branch.map(str::to_owned),
        }
    }

    const SHA_FLAG: &str = "1111111111111111111111111111111111111111";

    #[test]
    fn explicit_flags_win_over_ci_and_git() {
        let env = env(&[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_EVENT_NAME", "push"),
            ("GITHUB_SHA", "2222222222222222222222222222222222222222"),
            ("GITHUB_REF", "refs/heads/main"),
        ]);
        let overrides = Overrides {
            sha: Some(SHA_FLAG.into()),
            branch: Some("release/2.x".into()),
            build_url: Some("https://ci.example.com/1".into()),
            pr_number: Some(9),
            repository: Some("acme/other".into()),
            pact_url: Some("https://broker.example.com/pacts/1".into()),
        };
        let git = git_head("3333333333333333333333333333333333333333", Some("dev"));
        let ctx = detect(&env, &no_files(), &overrides, Some(&git)).unwrap();
        assert_eq!(ctx.sha, Some(Sourced::new(SHA_FLAG, Source::Flag)));
        assert_eq!(ctx.branch, Some(Sourced::new("release/2.x", Source::Flag)));
        assert_eq!(ctx.pr_number, Some(Sourced::new(9_u64, Source::Flag)));
        assert_eq!(ctx.build_url(), Some("https://ci.example.com/1"));
        assert_eq!(ctx.pact_url(), Some("https://broker.example.com/pacts/1"));
        assert_eq!(ctx.repository.unwrap().source, Source::Flag);
    }

    #[test]
    fn blank_flags_do_not_override() {
        let env = env(&[("CIRCLECI", "true"), ("CIRCLE_SHA1", SHA_FLAG)]);
        let overrides = Overrides {
            sha: Some("  ".into()),
            ..Overrides::default()
        };
        let ctx = detect(&env, &no_files(), &overrides, None).unwrap();
        assert_eq!(
            ctx.sha,
            Some(Sourced::new(SHA_FLAG, Source::Env("CIRCLE_SHA1")))
        );
    }

    #[test]
    fn off_ci_sha_and_branch_come_from_git() {
        let git = git_head(SHA_FLAG, Some("feature/x"));
        let ctx = detect(&env(&[]), &no_files(), &Overrides::default(), Some(&git)).unwrap();
        assert_eq!(ctx.ci, None);
        assert_eq!(
            ctx.sha,
            Some(Sourced::new(SHA_FLAG, Source::Git("git rev-parse HEAD")))
        );
        assert_eq!(
            ctx.branch,
            Some(Sourced::new(
                "feature/x",
                Source::Git("git rev-parse --abbrev-ref HEAD")
            ))
        );
    }

    #[test]
    fn off_ci_without_git_finds_nothing() {
        let ctx = detect(&env(&[]), &no_files(), &Overrides::default(), None).unwrap();
        assert_eq!(ctx, Context::default());
    }

    #[test]
    fn detached_git_head_gives_no_branch() {
        let git = git_head(SHA_FLAG, None);
        let ctx = detect(&env(&[]), &no_files(), &Overrides::default(), Some(&git)).unwrap();
        assert_eq!(ctx.sha(), Some(SHA_FLAG));
        assert_eq!(ctx.branch, None);
    }

    #[test]
    fn git_fills_only_what_ci_left_missing() {
        // Buildkite reports the literal `HEAD` for manual builds: the SHA comes from git.
        let env = env(&[
            ("BUILDKITE", "true"),
            ("BUILDKITE_COMMIT", "HEAD"),
            ("BUILDKITE_BRANCH", "main"),
        ]);
        let git = git_head(SHA_FLAG, Some("ignored"));
        let ctx = detect(&env, &no_files(), &Overrides::default(), Some(&git)).unwrap();
        assert_eq!(ctx.sha.unwrap().source, Source::Git(GIT_SHA_COMMAND));
        assert_eq!(
            ctx.branch,
            Some(Sourced::new("main", Source::Env("BUILDKITE_BRANCH")))
        );
    }

    #[test]
    fn git_gives_no_branch_to_a_tag_build() {
        let env = env(&[("CIRCLECI", "true"), ("CIRCLE_TAG", "v1.0.0")]);
        let git = git_head(SHA_FLAG, Some("main"));
        let ctx = detect(&env, &no_files(), &Overrides::default(), Some(&git)).unwrap();
        assert_eq!(ctx.tag(), Some("v1.0.0"));
        assert_eq!(ctx.branch, None);
    }

    #[test]
    fn failing_git_becomes_a_note() {
        struct Broken;
        impl GitProbe for Broken {
            fn head(&self) -> Result<GitHead, Error> {
                Err(Error::GitFailed {
                    command: GIT_SHA_COMMAND,
                    dir: PathBuf::from("/work"),
                    stderr: "fatal: not a git repository".into(),
                })
            }
        }
        let ctx = detect(&env(&[]), &no_files(), &Overrides::default(), Some(&Broken)).unwrap();
        assert_eq!(ctx.sha, None);
        assert_eq!(
            ctx.notes,
            ["git: `git rev-parse HEAD` failed in `/work`: fatal: not a git repository"]
        );
    }

    #[test]
    fn ci_systems_are_detected_from_their_marker_variables() {
        type Pairs = &'static [(&'static str, &'static str)];
        let rows: &[(Pairs, Option<CiSystem>)] = &[
            (&[("GITHUB_ACTIONS", "true")], Some(CiSystem::GitHubActions)),
            (&[("GITHUB_ACTIONS", "false")], None),
            (&[("GITLAB_CI", "true")], Some(CiSystem::GitLab)),
            (&[("JENKINS_URL", "https://ci/")], Some(CiSystem::Jenkins)),
            (&[("CIRCLECI", "true")], Some(CiSystem::CircleCi)),
            (&[("BUILDKITE", "true")], Some(CiSystem::Buildkite)),
            (&[("TF_BUILD", "True")], Some(CiSystem::AzurePipelines)),
            (
                &[("BITBUCKET_BUILD_NUMBER", "7")],
                Some(CiSystem::Bitbucket),
            ),
            (&[("TRAVIS", "true")], Some(CiSystem::Travis)),
            (&[("CI", "true")], None),
        ];
        for (pairs, want) in rows {
            assert_eq!(CiSystem::detect(&env(pairs)), *want, "{pairs:?}");
        }
    }

    #[test]
    fn context_display_lists_each_value_with_its_source() {
        let ctx = Context {
            ci: Some(CiSystem::GitHubActions),
            event: Some(Sourced::new(
                "pull_request",
                Source::Env("GITHUB_EVENT_NAME"),
            )),
            sha: Some(Sourced::new(
                "abc",
                Source::payload("pull_request.head.sha"),
            )),
            notes: vec!["something worth knowing".into()],
            ..Context::default()
        };
        assert_eq!(
            ctx.to_string(),
            "ci: GitHub Actions\n\
             event: pull_request (from $GITHUB_EVENT_NAME)\n\
             sha: abc (from event payload `pull_request.head.sha`)\n\
             note: something worth knowing\n"
        );
    }
}
