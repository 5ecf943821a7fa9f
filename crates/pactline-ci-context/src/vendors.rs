//! CI systems other than GitHub Actions: one function per system, mapping its standard variables onto a [`Context`].
//!
//! Common rules: a pull request build takes the request's head commit and source
//! branch where the system exposes them (its main commit variable is often a
//! merge commit then); a tag build has a tag and no branch.

use crate::env::EnvExt;
use crate::env_vars as v;
use crate::refs::{self, GitRef};
use crate::{CiSystem, Context, Env, Source, Sourced};

/// Resolve the context for a non-GitHub CI system.
pub(crate) fn resolve(ci: CiSystem, env: &dyn Env) -> Context {
    match ci {
        CiSystem::GitLab => gitlab(env),
        CiSystem::Jenkins => jenkins(env),
        CiSystem::CircleCi => circleci(env),
        CiSystem::Buildkite => buildkite(env),
        CiSystem::AzurePipelines => azure(env),
        CiSystem::Bitbucket => bitbucket(env),
        CiSystem::Travis => travis(env),
        CiSystem::GitHubActions => Context::default(),
    }
}

/// A variable parsed as a pull request number; `"false"` and non-numbers give `None`.
fn number(env: &dyn Env, name: &'static str) -> Option<Sourced<u64>> {
    let n: u64 = env.value(name)?.parse().ok()?;
    Some(Sourced::new(n, Source::Env(name)))
}

/// Apply `f` to a sourced string, keeping its source.
fn map(value: Sourced<String>, f: impl FnOnce(&str) -> &str) -> Sourced<String> {
    Sourced::new(f(&value.value), value.source)
}

/// `owner/name` from a clone URL variable.
fn slug(env: &dyn Env, name: &'static str) -> Option<Sourced<String>> {
    let slug = refs::slug_from_url(env.value(name)?)?;
    Some(Sourced::new(slug, Source::Env(name)))
}

fn gitlab(env: &dyn Env) -> Context {
    let tag = env.first(&[v::CI_COMMIT_TAG]);
    let branch = env
        .first(&[v::CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, v::CI_COMMIT_BRANCH])
        .or_else(|| {
            tag.is_none()
                .then(|| env.first(&[v::CI_COMMIT_REF_NAME]))
                .flatten()
        });
    Context {
        event: env.first(&[v::CI_PIPELINE_SOURCE]),
        // Merged-results pipelines build a merge commit; the source SHA is the MR head.
        sha: env.first(&[v::CI_MERGE_REQUEST_SOURCE_BRANCH_SHA, v::CI_COMMIT_SHA]),
        branch,
        tag,
        pr_number: number(env, v::CI_MERGE_REQUEST_IID),
        build_url: env.first(&[v::CI_PIPELINE_URL, v::CI_JOB_URL]),
        repository: env.first(&[v::CI_PROJECT_PATH]),
        ..Context::default()
    }
}

fn jenkins(env: &dyn Env) -> Context {
    let tag = env.first(&[v::TAG_NAME]);
    let pr_number = number(env, v::CHANGE_ID).or_else(|| number(env, v::GHPRB_PULL_ID));
    let branch = if tag.is_some() {
        None
    } else {
        env.first(&[v::CHANGE_BRANCH, v::GHPRB_SOURCE_BRANCH])
            .or_else(|| {
                // A multibranch change request has BRANCH_NAME `PR-12`, never a real branch.
                pr_number
                    .is_none()
                    .then(|| env.first(&[v::BRANCH_NAME]))
                    .flatten()
            })
            .or_else(|| env.first(&[v::GIT_LOCAL_BRANCH, v::GIT_BRANCH]))
            .map(|b| map(b, refs::strip_remote))
    };
    Context {
        sha: env.first(&[v::GHPRB_ACTUAL_COMMIT, v::GIT_COMMIT]),
        branch,
        tag,
        pr_number,
        build_url: env.first(&[v::BUILD_URL]),
        repository: slug(env, v::GIT_URL),
        ..Context::default()
    }
}

fn circleci(env: &dyn Env) -> Context {
    let tag = env.first(&[v::CIRCLE_TAG]);
    let pr_number = number(env, v::CIRCLE_PR_NUMBER).or_else(|| {
        let url = env.value(v::CIRCLE_PULL_REQUEST)?;
        refs::trailing_number(url).map(|n| Sourced::new(n, Source::Env(v::CIRCLE_PULL_REQUEST)))
    });
    let repository = match (
        env.value(v::CIRCLE_PROJECT_USERNAME),
        env.value(v::CIRCLE_PROJECT_REPONAME),
    ) {
        (Some(owner), Some(name)) => Some(Sourced::new(
            format!("{owner}/{name}"),
            Source::Envs(&[v::CIRCLE_PROJECT_USERNAME, v::CIRCLE_PROJECT_REPONAME]),
        )),
        _ => None,
    };
    Context {
        sha: env.first(&[v::CIRCLE_SHA1]),
        branch: if tag.is_some() {
            None
        } else {
            env.first(&[v::CIRCLE_BRANCH])
        },
        tag,
        pr_number,
        build_url: env.first(&[v::CIRCLE_BUILD_URL]),
        repository,
        ..Context::default()
    }
}

fn buildkite(env: &dyn Env) -> Context {
    let tag = env.first(&[v::BUILDKITE_TAG]);
    Context {
        event: env.first(&[v::BUILDKITE_SOURCE]),
        // Builds started from the UI without a commit carry the literal `HEAD`.
        sha: env
            .first(&[v::BUILDKITE_COMMIT])
            .filter(|s| !s.value.eq_ignore_ascii_case("HEAD")),
        // Tag builds report the tag as BUILDKITE_BRANCH.
        branch: if tag.is_some() {
            None
        } else {
            env.first(&[v::BUILDKITE_BRANCH])
        },
        tag,
        pr_number: number(env, v::BUILDKITE_PULL_REQUEST),
        build_url: env.first(&[v::BUILDKITE_BUILD_URL]),
        repository: slug(env, v::BUILDKITE_REPO),
        ..Context::default()
    }
}

fn azure(env: &dyn Env) -> Context {
    let pr_number = number(env, v::SYSTEM_PULLREQUEST_PULLREQUESTNUMBER)
        .or_else(|| number(env, v::SYSTEM_PULLREQUEST_PULLREQUESTID));
    let mut ctx = Context {
        event: env.first(&[v::BUILD_REASON]),
        pr_number,
        repository: env.first(&[v::BUILD_REPOSITORY_NAME]),
        build_url: azure_build_url(env),
        ..Context::default()
    };
    if ctx.pr_number.is_some() {
        ctx.sha = env.first(&[v::SYSTEM_PULLREQUEST_SOURCECOMMITID]);
        if ctx.sha.is_none() {
            ctx.sha = env.first(&[v::BUILD_SOURCEVERSION]);
            if ctx.sha.is_some() {
                ctx.notes.push(
                    "pull request build without $SYSTEM_PULLREQUEST_SOURCECOMMITID: \
                     the SHA from $BUILD_SOURCEVERSION may be a merge commit"
                        .to_owned(),
                );
            }
        }
        ctx.branch = env
            .first(&[v::SYSTEM_PULLREQUEST_SOURCEBRANCH])
            .map(|b| map(b, refs::strip_heads));
    } else {
        ctx.sha = env.first(&[v::BUILD_SOURCEVERSION]);
        if let Some(full) = env.value(v::BUILD_SOURCEBRANCH) {
            let source = Source::Env(v::BUILD_SOURCEBRANCH);
            match refs::parse_ref(full) {
                GitRef::Branch(b) => ctx.branch = Some(Sourced::new(b, source)),
                GitRef::Tag(t) => ctx.tag = Some(Sourced::new(t, source)),
                GitRef::Pull(_) | GitRef::Other => {}
            }
        }
    }
    ctx
}

/// `$SYSTEM_COLLECTIONURI$SYSTEM_TEAMPROJECT/_build/results?buildId=$BUILD_BUILDID`.
fn azure_build_url(env: &dyn Env) -> Option<Sourced<String>> {
    let collection = env.value(v::SYSTEM_COLLECTIONURI)?.trim_end_matches('/');
    let project = env.value(v::SYSTEM_TEAMPROJECT)?.replace(' ', "%20");
    let build_id = env.value(v::BUILD_BUILDID)?;
    Some(Sourced::new(
        format!("{collection}/{project}/_build/results?buildId={build_id}"),
        Source::Envs(&[
            v::SYSTEM_COLLECTIONURI,
            v::SYSTEM_TEAMPROJECT,
            v::BUILD_BUILDID,
        ]),
    ))
}

fn bitbucket(env: &dyn Env) -> Context {
    let repository = env.first(&[v::BITBUCKET_REPO_FULL_NAME]);
    let build_url = match (&repository, env.value(v::BITBUCKET_BUILD_NUMBER)) {
        (Some(repo), Some(number)) => Some(Sourced::new(
            format!(
                "https://bitbucket.org/{}/addon/pipelines/home#!/results/{number}",
                repo.value
            ),
            Source::Envs(&[v::BITBUCKET_REPO_FULL_NAME, v::BITBUCKET_BUILD_NUMBER]),
        )),
        _ => None,
    };
    let tag = env.first(&[v::BITBUCKET_TAG]);
    Context {
        sha: env.first(&[v::BITBUCKET_COMMIT]),
        branch: if tag.is_some() {
            None
        } else {
            env.first(&[v::BITBUCKET_BRANCH])
        },
        tag,
        pr_number: number(env, v::BITBUCKET_PR_ID),
        build_url,
        repository,
        ..Context::default()
    }
}

fn travis(env: &dyn Env) -> Context {
    let pr_number = number(env, v::TRAVIS_PULL_REQUEST);
    let tag = env.first(&[v::TRAVIS_TAG]);
    let (sha, branch) = if pr_number.is_some() {
        // TRAVIS_COMMIT is the merge commit and TRAVIS_BRANCH the target branch.
        (
            env.first(&[v::TRAVIS_PULL_REQUEST_SHA, v::TRAVIS_COMMIT]),
            env.first(&[v::TRAVIS_PULL_REQUEST_BRANCH]),
        )
    } else if tag.is_some() {
        (env.first(&[v::TRAVIS_COMMIT]), None)
    } else {
        (
            env.first(&[v::TRAVIS_COMMIT]),
            env.first(&[v::TRAVIS_BRANCH]),
        )
    };
    Context {
        event: env.first(&[v::TRAVIS_EVENT_TYPE]),
        sha,
        branch,
        tag,
        pr_number,
        build_url: env.first(&[v::TRAVIS_BUILD_WEB_URL]),
        repository: env.first(&[v::TRAVIS_REPO_SLUG]),
        ..Context::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use std::path::PathBuf;

    const HEAD: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
    const MERGE: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4";

    /// One row per CI system and build kind: the env, then what it must give
    /// (`None` = must be absent), each with the variable it came from.
    struct Row {
        ci: CiSystem,
        env: &'static [(&'static str, &'static str)],
        sha: Option<(&'static str, &'static str)>,
        branch: Option<(&'static str, &'static str)>,
        tag: Option<&'static str>,
        pr: Option<u64>,
        build_url: Option<&'static str>,
        repository: Option<&'static str>,
    }

    fn run(name: &str, row: &Row) {
        let env: HashMap<String, String> = row
            .env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let files: HashMap<PathBuf, String> = HashMap::new();
        let ctx = crate::detect(&env, &files, &crate::Overrides::default(), None).unwrap();
        assert_eq!(ctx.ci, Some(row.ci), "{name}");
        let sourced = |s: &Option<Sourced<String>>| {
            s.as_ref().map(|s| {
                let Source::Env(var) = s.source else {
                    panic!("{name}: unexpected source {:?}", s.source)
                };
                (s.value.clone(), var)
            })
        };
        let want = |w: Option<(&str, &'static str)>| w.map(|(v, s)| (v.to_owned(), s));
        assert_eq!(sourced(&ctx.sha), want(row.sha), "{name}: sha");
        assert_eq!(sourced(&ctx.branch), want(row.branch), "{name}: branch");
        assert_eq!(ctx.tag(), row.tag, "{name}: tag");
        assert_eq!(ctx.pr_number(), row.pr, "{name}: pr");
        assert_eq!(ctx.build_url(), row.build_url, "{name}: build url");
        assert_eq!(
            ctx.repository.as_ref().map(|r| r.value.as_str()),
            row.repository,
            "{name}: repository"
        );
    }

    /// One `#[test]` per row, named after the behaviour it pins.
    macro_rules! rows {
        ($($name:ident: $row:expr;)*) => {
            $(#[test] fn $name() { run(stringify!($name), &$row); })*
            /// Every CI system has at least one row.
            #[test]
            fn every_ci_system_has_a_row() {
                let covered: HashSet<CiSystem> = [$($row.ci),*].into();
                for ci in [CiSystem::GitLab, CiSystem::Jenkins, CiSystem::CircleCi, CiSystem::Buildkite,
                           CiSystem::AzurePipelines, CiSystem::Bitbucket, CiSystem::Travis] {
                    assert!(covered.contains(&ci), "{ci:?} has no row");
                }
            }
        };
    }

    rows! {
        gitlab_branch_pipeline: Row {
            ci: CiSystem::GitLab,
            env: &[
                ("GITLAB_CI", "true"), ("CI_COMMIT_SHA", HEAD), ("CI_COMMIT_BRANCH", "main"),
                ("CI_COMMIT_REF_NAME", "main"), ("CI_PIPELINE_SOURCE", "push"),
                ("CI_PIPELINE_URL", "https://gitlab.com/acme/web-app/-/pipelines/1187"),
                ("CI_JOB_URL", "https://gitlab.com/acme/web-app/-/jobs/90210"),
                ("CI_PROJECT_PATH", "acme/web-app"),
            ],
            sha: Some((HEAD, "CI_COMMIT_SHA")),
            branch: Some(("main", "CI_COMMIT_BRANCH")),
            tag: None, pr: None,
            build_url: Some("https://gitlab.com/acme/web-app/-/pipelines/1187"),
            repository: Some("acme/web-app"),
        };
        gitlab_merged_results_pipeline_uses_source_branch_head: Row {
            ci: CiSystem::GitLab,
            env: &[
                ("GITLAB_CI", "true"), ("CI_COMMIT_SHA", MERGE),
                ("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", HEAD),
                ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/login"),
                ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
                ("CI_COMMIT_REF_NAME", "refs/merge-requests/17/merge"),
                ("CI_MERGE_REQUEST_IID", "17"), ("CI_PIPELINE_SOURCE", "merge_request_event"),
            ],
            sha: Some((HEAD, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA")),
            branch: Some(("feature/login", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")),
            tag: None, pr: Some(17), build_url: None, repository: None,
        };
        gitlab_merge_request_pipeline_uses_commit_sha: Row {
            ci: CiSystem::GitLab,
            env: &[
                ("GITLAB_CI", "true"), ("CI_COMMIT_SHA", HEAD),
                ("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", ""),
                ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/login"),
                ("CI_MERGE_REQUEST_IID", "17"),
            ],
            sha: Some((HEAD, "CI_COMMIT_SHA")),
            branch: Some(("feature/login", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")),
            tag: None, pr: Some(17), build_url: None, repository: None,
        };
        gitlab_tag_pipeline_gives_no_branch: Row {
            ci: CiSystem::GitLab,
            env: &[
                ("GITLAB_CI", "true"), ("CI_COMMIT_SHA", HEAD), ("CI_COMMIT_TAG", "v1.4.0"),
                ("CI_COMMIT_REF_NAME", "v1.4.0"),
            ],
            sha: Some((HEAD, "CI_COMMIT_SHA")), branch: None, tag: Some("v1.4.0"),
            pr: None, build_url: None, repository: None,
        };
        jenkins_git_plugin_strips_the_remote: Row {
            ci: CiSystem::Jenkins,
            env: &[
                ("JENKINS_URL", "https://jenkins.example.com/"), ("GIT_COMMIT", HEAD),
                ("GIT_BRANCH", "origin/main"), ("GIT_URL", "git@github.com:acme/web-app.git"),
                ("BUILD_URL", "https://jenkins.example.com/job/web-app/112/"),
            ],
            sha: Some((HEAD, "GIT_COMMIT")), branch: Some(("main", "GIT_BRANCH")),
            tag: None, pr: None,
            build_url: Some("https://jenkins.example.com/job/web-app/112/"),
            repository: Some("acme/web-app"),
        };
        jenkins_multibranch_change_request_uses_change_branch: Row {
            ci: CiSystem::Jenkins,
            env: &[
                ("JENKINS_URL", "https://jenkins.example.com/"), ("GIT_COMMIT", HEAD),
                ("BRANCH_NAME", "PR-42"), ("CHANGE_ID", "42"), ("CHANGE_BRANCH", "feature/login"),
                ("CHANGE_TARGET", "main"),
            ],
            sha: Some((HEAD, "GIT_COMMIT")), branch: Some(("feature/login", "CHANGE_BRANCH")),
            tag: None, pr: Some(42), build_url: None, repository: None,
        };
        jenkins_multibranch_branch_build_uses_branch_name: Row {
            ci: CiSystem::Jenkins,
            env: &[
                ("JENKINS_URL", "https://jenkins.example.com/"), ("GIT_COMMIT", HEAD),
                ("BRANCH_NAME", "release/2.x"), ("GIT_BRANCH", "release/2.x"),
            ],
            sha: Some((HEAD, "GIT_COMMIT")), branch: Some(("release/2.x", "BRANCH_NAME")),
            tag: None, pr: None, build_url: None, repository: None,
        };
        jenkins_ghprb_uses_actual_commit: Row {
            ci: CiSystem::Jenkins,
            env: &[
                ("JENKINS_URL", "https://jenkins.example.com/"), ("GIT_COMMIT", MERGE),
                ("ghprbActualCommit", HEAD), ("ghprbSourceBranch", "feature/login"),
                ("ghprbPullId", "42"),
            ],
            sha: Some((HEAD, "ghprbActualCommit")),
            branch: Some(("feature/login", "ghprbSourceBranch")),
            tag: None, pr: Some(42), build_url: None, repository: None,
        };
        jenkins_tag_build_gives_no_branch: Row {
            ci: CiSystem::Jenkins,
            env: &[
                ("JENKINS_URL", "https://jenkins.example.com/"), ("GIT_COMMIT", HEAD),
                ("BRANCH_NAME", "v1.4.0"), ("TAG_NAME", "v1.4.0"),
            ],
            sha: Some((HEAD, "GIT_COMMIT")), branch: None, tag: Some("v1.4.0"),
            pr: None, build_url: None, repository: None,
        };
        circleci_branch_build: Row {
            ci: CiSystem::CircleCi,
            env: &[
                ("CIRCLECI", "true"), ("CIRCLE_SHA1", HEAD), ("CIRCLE_BRANCH", "feature/login"),
                ("CIRCLE_PULL_REQUEST", "https://github.com/acme/web-app/pull/42"),
                ("CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/web-app/311"),
                ("CIRCLE_PROJECT_USERNAME", "acme"), ("CIRCLE_PROJECT_REPONAME", "web-app"),
            ],
            sha: Some((HEAD, "CIRCLE_SHA1")), branch: Some(("feature/login", "CIRCLE_BRANCH")),
            tag: None, pr: Some(42),
            build_url: Some("https://circleci.com/gh/acme/web-app/311"),
            repository: Some("acme/web-app"),
        };
        circleci_tag_build_gives_no_branch: Row {
            ci: CiSystem::CircleCi,
            env: &[("CIRCLECI", "true"), ("CIRCLE_SHA1", HEAD), ("CIRCLE_TAG", "v1.4.0")],
            sha: Some((HEAD, "CIRCLE_SHA1")), branch: None, tag: Some("v1.4.0"),
            pr: None, build_url: None, repository: None,
        };
        buildkite_pull_request_build: Row {
            ci: CiSystem::Buildkite,
            env: &[
                ("BUILDKITE", "true"), ("BUILDKITE_COMMIT", HEAD),
                ("BUILDKITE_BRANCH", "feature/login"), ("BUILDKITE_PULL_REQUEST", "42"),
                ("BUILDKITE_PULL_REQUEST_BASE_BRANCH", "main"), ("BUILDKITE_TAG", ""),
                ("BUILDKITE_BUILD_URL", "https://buildkite.com/acme/web-app/builds/88"),
                ("BUILDKITE_REPO", "git@github.com:acme/web-app.git"),
            ],
            sha: Some((HEAD, "BUILDKITE_COMMIT")),
            branch: Some(("feature/login", "BUILDKITE_BRANCH")),
            tag: None, pr: Some(42),
            build_url: Some("https://buildkite.com/acme/web-app/builds/88"),
            repository: Some("acme/web-app"),
        };
        buildkite_branch_build_has_no_pull_request: Row {
            ci: CiSystem::Buildkite,
            env: &[
                ("BUILDKITE", "true"), ("BUILDKITE_COMMIT", HEAD), ("BUILDKITE_BRANCH", "main"),
                ("BUILDKITE_PULL_REQUEST", "false"),
            ],
            sha: Some((HEAD, "BUILDKITE_COMMIT")), branch: Some(("main", "BUILDKITE_BRANCH")),
            tag: None, pr: None, build_url: None, repository: None,
        };
        buildkite_tag_build_gives_no_branch: Row {
            ci: CiSystem::Buildkite,
            env: &[
                ("BUILDKITE", "true"), ("BUILDKITE_COMMIT", HEAD), ("BUILDKITE_BRANCH", "v1.4.0"),
                ("BUILDKITE_TAG", "v1.4.0"), ("BUILDKITE_PULL_REQUEST", "false"),
            ],
            sha: Some((HEAD, "BUILDKITE_COMMIT")), branch: None, tag: Some("v1.4.0"),
            pr: None, build_url: None, repository: None,
        };
        azure_branch_build_keeps_the_full_branch_path: Row {
            ci: CiSystem::AzurePipelines,
            env: &[
                ("TF_BUILD", "True"), ("BUILD_SOURCEVERSION", HEAD),
                ("BUILD_SOURCEBRANCH", "refs/heads/feature/login"),
                ("BUILD_SOURCEBRANCHNAME", "login"), ("BUILD_REASON", "IndividualCI"),
                ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/acme/"),
                ("SYSTEM_TEAMPROJECT", "Web Platform"), ("BUILD_BUILDID", "5150"),
                ("BUILD_REPOSITORY_NAME", "acme/web-app"),
            ],
            sha: Some((HEAD, "BUILD_SOURCEVERSION")),
            branch: Some(("feature/login", "BUILD_SOURCEBRANCH")),
            tag: None, pr: None,
            build_url: Some("https://dev.azure.com/acme/Web%20Platform/_build/results?buildId=5150"),
            repository: Some("acme/web-app"),
        };
        azure_pull_request_uses_source_commit_not_merge: Row {
            ci: CiSystem::AzurePipelines,
            env: &[
                ("TF_BUILD", "True"), ("BUILD_SOURCEVERSION", MERGE),
                ("BUILD_SOURCEBRANCH", "refs/pull/42/merge"), ("BUILD_REASON", "PullRequest"),
                ("SYSTEM_PULLREQUEST_SOURCECOMMITID", HEAD),
                ("SYSTEM_PULLREQUEST_SOURCEBRANCH", "refs/heads/feature/login"),
                ("SYSTEM_PULLREQUEST_TARGETBRANCH", "refs/heads/main"),
                ("SYSTEM_PULLREQUEST_PULLREQUESTID", "1234"),
                ("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "42"),
            ],
            sha: Some((HEAD, "SYSTEM_PULLREQUEST_SOURCECOMMITID")),
            branch: Some(("feature/login", "SYSTEM_PULLREQUEST_SOURCEBRANCH")),
            tag: None, pr: Some(42), build_url: None, repository: None,
        };
        azure_tag_build_gives_no_branch: Row {
            ci: CiSystem::AzurePipelines,
            env: &[
                ("TF_BUILD", "True"), ("BUILD_SOURCEVERSION", HEAD),
                ("BUILD_SOURCEBRANCH", "refs/tags/v1.4.0"),
            ],
            sha: Some((HEAD, "BUILD_SOURCEVERSION")), branch: None, tag: Some("v1.4.0"),
            pr: None, build_url: None, repository: None,
        };
        bitbucket_pull_request_pipeline: Row {
            ci: CiSystem::Bitbucket,
            env: &[
                ("BITBUCKET_BUILD_NUMBER", "77"), ("BITBUCKET_COMMIT", HEAD),
                ("BITBUCKET_BRANCH", "feature/login"), ("BITBUCKET_PR_ID", "42"),
                ("BITBUCKET_PR_DESTINATION_BRANCH", "main"),
                ("BITBUCKET_REPO_FULL_NAME", "acme/web-app"),
            ],
            sha: Some((HEAD, "BITBUCKET_COMMIT")),
            branch: Some(("feature/login", "BITBUCKET_BRANCH")),
            tag: None, pr: Some(42),
            build_url: Some("https://bitbucket.org/acme/web-app/addon/pipelines/home#!/results/77"),
            repository: Some("acme/web-app"),
        };
        bitbucket_tag_pipeline_gives_no_branch: Row {
            ci: CiSystem::Bitbucket,
            env: &[
                ("BITBUCKET_BUILD_NUMBER", "78"), ("BITBUCKET_COMMIT", HEAD),
                ("BITBUCKET_TAG", "v1.4.0"),
            ],
            sha: Some((HEAD, "BITBUCKET_COMMIT")), branch: None, tag: Some("v1.4.0"),
            pr: None, build_url: None, repository: None,
        };
        travis_push_build: Row {
            ci: CiSystem::Travis,
            env: &[
                ("TRAVIS", "true"), ("TRAVIS_COMMIT", HEAD), ("TRAVIS_BRANCH", "main"),
                ("TRAVIS_PULL_REQUEST", "false"), ("TRAVIS_PULL_REQUEST_SHA", ""),
                ("TRAVIS_EVENT_TYPE", "push"),
                ("TRAVIS_BUILD_WEB_URL", "https://app.travis-ci.com/acme/web-app/builds/2718"),
                ("TRAVIS_REPO_SLUG", "acme/web-app"),
            ],
            sha: Some((HEAD, "TRAVIS_COMMIT")), branch: Some(("main", "TRAVIS_BRANCH")),
            tag: None, pr: None,
            build_url: Some("https://app.travis-ci.com/acme/web-app/builds/2718"),
            repository: Some("acme/web-app"),
        };
        travis_pull_request_uses_head_sha_not_merge_sha: Row {
            ci: CiSystem::Travis,
            env: &[
                ("TRAVIS", "true"), ("TRAVIS_COMMIT", MERGE), ("TRAVIS_BRANCH", "main"),
                ("TRAVIS_PULL_REQUEST", "42"), ("TRAVIS_PULL_REQUEST_SHA", HEAD),
                ("TRAVIS_PULL_REQUEST_BRANCH", "feature/login"),
                ("TRAVIS_EVENT_TYPE", "pull_request"),
            ],
            sha: Some((HEAD, "TRAVIS_PULL_REQUEST_SHA")),
            branch: Some(("feature/login", "TRAVIS_PULL_REQUEST_BRANCH")),
            tag: None, pr: Some(42), build_url: None, repository: None,
        };
        travis_tag_build_gives_no_branch: Row {
            ci: CiSystem::Travis,
            env: &[
                ("TRAVIS", "true"), ("TRAVIS_COMMIT", HEAD), ("TRAVIS_BRANCH", "v1.4.0"),
                ("TRAVIS_TAG", "v1.4.0"), ("TRAVIS_PULL_REQUEST", "false"),
            ],
            sha: Some((HEAD, "TRAVIS_COMMIT")), branch: None, tag: Some("v1.4.0"),
            pr: None, build_url: None, repository: None,
        };
    }

    #[test]
    fn azure_pull_request_without_source_commit_notes_the_merge_commit() {
        let env: HashMap<String, String> = [
            ("TF_BUILD", "True"),
            ("BUILD_SOURCEVERSION", MERGE),
            ("SYSTEM_PULLREQUEST_PULLREQUESTID", "17"),
            ("SYSTEM_PULLREQUEST_SOURCEBRANCH", "feature/login"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let ctx = resolve(CiSystem::AzurePipelines, &env);
        assert_eq!(ctx.sha(), Some(MERGE));
        assert_eq!(ctx.branch(), Some("feature/login"));
        assert_eq!(ctx.notes.len(), 1);
        assert!(ctx.notes[0].contains("merge commit"), "{:?}", ctx.notes);
    }
}
