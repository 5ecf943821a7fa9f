//! GitHub Actions: per-event resolution, reading the event payload wherever `GITHUB_SHA` names the wrong commit.
//!
//! | event | sha | branch |
//! |---|---|---|
//! | `push` | `$GITHUB_SHA` | `$GITHUB_REF` `refs/heads/*` (a tag push gives a tag, no branch) |
//! | `pull_request`, `pull_request_target` | `pull_request.head.sha` (never `$GITHUB_SHA`: merge commit / base head) | `pull_request.head.ref`, else `$GITHUB_HEAD_REF` |
//! | `merge_group` | `merge_group.head_sha` | `merge_group.head_ref` |
//! | `release` | `$GITHUB_SHA` | `release.target_commitish` when it names a branch; tag `release.tag_name` |
//! | `repository_dispatch` | `client_payload.sha`, else `$GITHUB_SHA` | `client_payload.branch`, else `$GITHUB_REF` |
//! | `workflow_dispatch` | `inputs.sha`, else `$GITHUB_SHA` | `inputs.branch`, else `$GITHUB_REF` |
//! | `workflow_run` | `workflow_run.head_sha` (never `$GITHUB_SHA`: default branch head) | `workflow_run.head_branch` |
//! | anything else | `$GITHUB_SHA` | `$GITHUB_REF` |
//!
//! Dispatch payload keys (`sha`, `branch`, `pact_url`) match ignoring case and
//! `-`/`_`, so a `workflow_dispatch` input named `PACT_URL` or `pact-url` is found.

use std::path::PathBuf;

use serde_json::Value;

use crate::env::EnvExt;
use crate::env_vars as v;
use crate::refs::{self, GitRef};
use crate::{Context, Env, Error, Files, Source, Sourced};

/// Events whose checkout (`$GITHUB_SHA`, and so `git rev-parse HEAD`) is not the
/// commit the run is about.
pub(crate) fn checkout_is_not_the_commit(event: &str) -> bool {
    matches!(
        event,
        "pull_request" | "pull_request_target" | "workflow_run"
    )
}

/// Resolve the context of a GitHub Actions run.
pub(crate) fn resolve(env: &dyn Env, files: &dyn Files) -> Result<Context, Error> {
    let payload = load_payload(env, files)?;
    let payload = Payload(payload.as_ref());
    let mut ctx = Context {
        event: env.first(&[v::GITHUB_EVENT_NAME]),
        action: payload.str_at("action"),
        repository: env.first(&[v::GITHUB_REPOSITORY]),
        build_url: build_url(env),
        ..Context::default()
    };
    let event = ctx.event().unwrap_or_default().to_owned();
    let env_sha = || env.first(&[v::GITHUB_SHA]);

    match event.as_str() {
        "pull_request" | "pull_request_target" => {
            ctx.sha = payload.str_at("pull_request.head.sha");
            if ctx.sha.is_none() {
                ctx.notes.push(format!(
                    "event `{event}` without `pull_request.head.sha` in its payload: \
                     $GITHUB_SHA is not the pull request's commit, so no SHA was taken"
                ));
            }
            ctx.branch = payload
                .str_at("pull_request.head.ref")
                .or_else(|| env.first(&[v::GITHUB_HEAD_REF]));
            ctx.pr_number = payload
                .u64_at("number")
                .or_else(|| payload.u64_at("pull_request.number"))
                .or_else(|| pull_number_from_ref(env));
        }
        "merge_group" => {
            ctx.sha = payload.str_at("merge_group.head_sha").or_else(env_sha);
            ctx.branch = payload
                .str_at("merge_group.head_ref")
                .map(|b| Sourced::<String>::new(refs::strip_heads(&b.value), b.source));
            if ctx.branch.is_none() {
                ref_to_branch_or_tag(env, &mut ctx);
            }
        }
        "workflow_run" => {
            ctx.sha = payload.str_at("workflow_run.head_sha");
            if ctx.sha.is_none() {
                ctx.notes.push(
                    "event `workflow_run` without `workflow_run.head_sha` in its payload: \
                     $GITHUB_SHA is the default branch head, so no SHA was taken"
                        .to_owned(),
                );
            }
            ctx.branch = payload.str_at("workflow_run.head_branch");
            ctx.pr_number = payload.u64_at("workflow_run.pull_requests.0.number");
        }
        "release" => {
            ctx.sha = env_sha();
            ref_to_branch_or_tag(env, &mut ctx);
            if let Some(tag) = payload.str_at("release.tag_name") {
                ctx.tag = Some(tag);
            }
            ctx.branch = payload
                .str_at("release.target_commitish")
                .map(|b| Sourced::<String>::new(refs::strip_heads(&b.value), b.source))
                .filter(|b| !refs::looks_like_sha(&b.value));
        }
        "repository_dispatch" | "workflow_dispatch" => {
            let object = if event == "repository_dispatch" {
                "client_payload"
            } else {
                "inputs"
            };
            ctx.dispatch_payload = payload.object_at(object);
            ref_to_branch_or_tag(env, &mut ctx);
            ctx.sha = payload.dispatch_str(object, "sha").or_else(env_sha);
            if let Some(branch) = payload.dispatch_str(object, "branch") {
                ctx.branch = Some(branch);
            }
            ctx.pact_url = payload.dispatch_str(object, "pact_url");
        }
        _ => {
            ctx.sha = env_sha();
            ref_to_branch_or_tag(env, &mut ctx);
        }
    }
    Ok(ctx)
}

/// Read and parse `$GITHUB_EVENT_PATH`, if set.
fn load_payload(env: &dyn Env, files: &dyn Files) -> Result<Option<Value>, Error> {
    let Some(path) = env.value(v::GITHUB_EVENT_PATH) else {
        return Ok(None);
    };
    let path = PathBuf::from(path);
    let text = files
        .read_to_string(&path)
        .map_err(|source| Error::EventRead {
            path: path.clone(),
            source,
        })?;
    let value = serde_json::from_str(&text).map_err(|source| Error::EventParse { path, source })?;
    Ok(Some(value))
}

/// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID`, plus
/// `/attempts/N` on a re-run (attempt > 1) so the link opens that attempt's logs.
fn build_url(env: &dyn Env) -> Option<Sourced<String>> {
    const BASE: &[&str] = &[v::GITHUB_SERVER_URL, v::GITHUB_REPOSITORY, v::GITHUB_RUN_ID];
    const WITH_ATTEMPT: &[&str] = &[
        v::GITHUB_SERVER_URL,
        v::GITHUB_REPOSITORY,
        v::GITHUB_RUN_ID,
        v::GITHUB_RUN_ATTEMPT,
    ];
    let server = env.value(v::GITHUB_SERVER_URL)?.trim_end_matches('/');
    let repository = env.value(v::GITHUB_REPOSITORY)?;
    let run_id = env.value(v::GITHUB_RUN_ID)?;
    let url = format!("{server}/{repository}/actions/runs/{run_id}");
    let attempt = env
        .value(v::GITHUB_RUN_ATTEMPT)
        .and_then(|a| a.parse::<u64>().ok());
    Some(match attempt {
        Some(n) if n > 1 => Sourced::new(format!("{url}/attempts/{n}"), Source::Envs(WITH_ATTEMPT)),
        _ => Sourced::new(url, Source::Envs(BASE)),
    })
}

/// Set branch, tag or PR number from `$GITHUB_REF`.
fn ref_to_branch_or_tag(env: &dyn Env, ctx: &mut Context) {
    let Some(full) = env.value(v::GITHUB_REF) else {
        return;
    };
    let source = Source::Env(v::GITHUB_REF);
    match refs::parse_ref(full) {
        GitRef::Branch(b) => ctx.branch = Some(Sourced::new(b, source)),
        GitRef::Tag(t) => ctx.tag = Some(Sourced::new(t, source)),
        GitRef::Pull(n) => ctx.pr_number = Some(Sourced::new(n, source)),
        GitRef::Other => {}
    }
}

/// The pull request number in `$GITHUB_REF` (`refs/pull/N/merge`), if it is one.
fn pull_number_from_ref(env: &dyn Env) -> Option<Sourced<u64>> {
    match refs::parse_ref(env.value(v::GITHUB_REF)?) {
        GitRef::Pull(n) => Some(Sourced::new(n, Source::Env(v::GITHUB_REF))),
        _ => None,
    }
}

/// Typed reads from the (possibly absent) event payload, recording the path read.
struct Payload<'a>(Option<&'a Value>);

impl Payload<'_> {
    /// The value at a dotted path; numeric segments index arrays.
    fn at(&self, path: &str) -> Option<&Value> {
        path.split('.')
            .try_fold(self.0?, |value, segment| match segment.parse::<usize>() {
                Ok(i) if value.is_array() => value.get(i),
                _ => value.get(segment),
            })
    }

    /// A non-blank string at `path`.
    fn str_at(&self, path: &str) -> Option<Sourced<String>> {
        non_blank(self.at(path)?).map(|s| Sourced::new(s, Source::payload(path)))
    }

    /// A number (or numeric string) at `path`.
    fn u64_at(&self, path: &str) -> Option<Sourced<u64>> {
        let value = self.at(path)?;
        let n = value
            .as_u64()
            .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))?;
        Some(Sourced::new(n, Source::payload(path)))
    }

    /// A JSON object at `path`.
    fn object_at(&self, path: &str) -> Option<Sourced<Value>> {
        let value = self.at(path).filter(|v| v.is_object())?;
        Some(Sourced::new(value.clone(), Source::payload(path)))
    }

    /// A non-blank string under `object` whose key matches `key` ignoring case
    /// and `-`/`_`; the source names the key as spelled in the payload.
    fn dispatch_str(&self, object: &str, key: &str) -> Option<Sourced<String>> {
        let map = self.at(object)?.as_object()?;
        map.iter().find_map(|(k, value)| {
            let matches = k.len() == key.len()
                && k.bytes().zip(key.bytes()).all(|(a, b)| {
                    let a = if a == b'-' { b'_' } else { a };
                    a.eq_ignore_ascii_case(&b)
                });
            if !matches {
                return None;
            }
            non_blank(value).map(|s| Sourced::new(s, Source::payload(format!("{object}.{k}"))))
        })
    }
}

fn non_blank(value: &Value) -> Option<&str> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const EVENT_PATH: &str = "/home/runner/work/_temp/_github_workflow/event.json";

    const PUSH: &str = include_str!("../tests/fixtures/github/push.json");
    const PUSH_TAG: &str = include_str!("../tests/fixtures/github/push_tag.json");
    const PULL_REQUEST: &str = include_str!("../tests/fixtures/github/pull_request.json");
    const PULL_REQUEST_TARGET: &str =
        include_str!("../tests/fixtures/github/pull_request_target.json");
    const MERGE_GROUP: &str = include_str!("../tests/fixtures/github/merge_group.json");
    const RELEASE: &str = include_str!("../tests/fixtures/github/release.json");
    const REPOSITORY_DISPATCH: &str =
        include_str!("../tests/fixtures/github/repository_dispatch.json");
    const WORKFLOW_DISPATCH: &str = include_str!("../tests/fixtures/github/workflow_dispatch.json");
    const WORKFLOW_RUN: &str = include_str!("../tests/fixtures/github/workflow_run.json");

    /// The SHAs in the fixtures.
    const PUSHED: &str = "5d41402abc4b2a76b9719d911017c592ae1f3c2e";
    const PR_HEAD: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
    const PR_MERGE: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4";
    const FORK_HEAD: &str = "b6589fc6ab0dc82cf12099d1c2d40ab994e8410c";
    const QUEUE_HEAD: &str = "c4ca4238a0b923820dcc509a6f75849b1f2e3d4c";
    const PROVIDER: &str = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";
    const DEFAULT_HEAD: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

    /// What a row expects of one value.
    #[derive(Debug, Default)]
    enum Want<T> {
        /// Not checked by this row.
        #[default]
        Skip,
        Absent,
        Is(T, Source),
    }

    fn check<T: PartialEq + std::fmt::Debug, U: PartialEq<T> + std::fmt::Debug>(
        row: &str,
        field: &str,
        got: Option<&Sourced<U>>,
        want: Want<T>,
    ) {
        match want {
            Want::Skip => {}
            Want::Absent => assert!(got.is_none(), "{row}: {field}: want none, got {got:?}"),
            Want::Is(value, source) => {
                let got = got.unwrap_or_else(|| panic!("{row}: {field}: want {value:?}, got none"));
                assert!(
                    got.value == value,
                    "{row}: {field}: want {value:?}, got {:?}",
                    got.value
                );
                assert_eq!(got.source, source, "{row}: {field}: source");
            }
        }
    }

    /// One row: an event, its payload and env, and the values it must give.
    #[derive(Default)]
    struct Row {
        event: &'static str,
        payload: Option<&'static str>,
        env: &'static [(&'static str, &'static str)],
        sha: Want<&'static str>,
        branch: Want<&'static str>,
        tag: Want<&'static str>,
        pr: Want<u64>,
        pact_url: Want<&'static str>,
        action: Want<&'static str>,
        /// Substrings the notes must contain (in order); no notes when empty.
        notes: &'static [&'static str],
        /// A key the dispatch payload must carry, with its value.
        dispatch: Option<(&'static str, &'static str)>,
    }

    impl Row {
        fn run(self, name: &str) {
            let mut env: HashMap<String, String> = [
                ("GITHUB_ACTIONS", "true"),
                ("GITHUB_EVENT_NAME", self.event),
                ("GITHUB_REPOSITORY", "acme/web-app"),
                ("GITHUB_SERVER_URL", "https://github.com"),
                ("GITHUB_RUN_ID", "30433642"),
                ("GITHUB_RUN_ATTEMPT", "1"),
            ]
            .into_iter()
            .chain(self.env.iter().copied())
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
            let mut files: HashMap<PathBuf, String> = HashMap::new();
            if let Some(payload) = self.payload {
                env.insert("GITHUB_EVENT_PATH".into(), EVENT_PATH.into());
                files.insert(EVENT_PATH.into(), payload.into());
            }
            let ctx = crate::detect(&env, &files, &crate::Overrides::default(), None)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(ctx.ci, Some(crate::CiSystem::GitHubActions));
            assert_eq!(ctx.event(), Some(self.event), "{name}");
            check(name, "sha", ctx.sha.as_ref(), self.sha);
            check(name, "branch", ctx.branch.as_ref(), self.branch);
            check(name, "tag", ctx.tag.as_ref(), self.tag);
            check(name, "pr", ctx.pr_number.as_ref(), self.pr);
            check(name, "pact_url", ctx.pact_url.as_ref(), self.pact_url);
            check(name, "action", ctx.action.as_ref(), self.action);
            assert_eq!(
                ctx.notes.len(),
                self.notes.len(),
                "{name}: notes {:?}",
                ctx.notes
            );
            for (note, want) in ctx.notes.iter().zip(self.notes) {
                assert!(note.contains(want), "{name}: note {note:?} lacks {want:?}");
            }
            if let Some((key, value)) = self.dispatch {
                let payload = ctx.dispatch_payload.expect("dispatch payload");
                assert_eq!(payload.value[key], value, "{name}: dispatch payload");
            }
        }
    }

    fn env(name: &'static str) -> Source {
        Source::Env(name)
    }

    fn payload(path: &str) -> Source {
        Source::payload(path)
    }

    /// One `#[test]` per row, named after the behaviour it pins.
    macro_rules! rows {
        ($($name:ident { $($field:ident: $value:expr),* $(,)? })*) => {$(
            #[test]
            fn $name() {
                Row { $($field: $value,)* ..Row::default() }.run(stringify!($name));
            }
        )*};
    }

    rows! {
        push_uses_github_sha_and_branch_from_ref {
            event: "push",
            payload: Some(PUSH),
            env: &[("GITHUB_SHA", PUSHED), ("GITHUB_REF", "refs/heads/main")],
            sha: Want::Is(PUSHED, env("GITHUB_SHA")),
            branch: Want::Is("main", env("GITHUB_REF")),
            tag: Want::Absent,
            pr: Want::Absent,
        }
        push_keeps_slashes_in_branch_names {
            event: "push",
            env: &[("GITHUB_SHA", PUSHED), ("GITHUB_REF", "refs/heads/feature/cart/v2")],
            branch: Want::Is("feature/cart/v2", env("GITHUB_REF")),
        }
        tag_push_gives_a_tag_and_no_branch {
            event: "push",
            payload: Some(PUSH_TAG),
            env: &[("GITHUB_SHA", PUSHED), ("GITHUB_REF", "refs/tags/v1.4.0")],
            sha: Want::Is(PUSHED, env("GITHUB_SHA")),
            branch: Want::Absent,
            tag: Want::Is("v1.4.0", env("GITHUB_REF")),
        }
        pull_request_uses_head_sha_not_merge_sha {
            event: "pull_request",
            payload: Some(PULL_REQUEST),
            env: &[
                ("GITHUB_SHA", PR_MERGE),
                ("GITHUB_REF", "refs/pull/42/merge"),
                ("GITHUB_HEAD_REF", "feature/login"),
                ("GITHUB_BASE_REF", "main"),
            ],
            sha: Want::Is(PR_HEAD, payload("pull_request.head.sha")),
            branch: Want::Is("feature/login", payload("pull_request.head.ref")),
            pr: Want::Is(42, payload("number")),
            tag: Want::Absent,
            action: Want::Is("synchronize", payload("action")),
        }
        pull_request_without_payload_takes_no_sha_and_says_why {
            event: "pull_request",
            env: &[
                ("GITHUB_SHA", PR_MERGE),
                ("GITHUB_REF", "refs/pull/42/merge"),
                ("GITHUB_HEAD_REF", "feature/login"),
            ],
            sha: Want::Absent,
            branch: Want::Is("feature/login", env("GITHUB_HEAD_REF")),
            pr: Want::Is(42, env("GITHUB_REF")),
            notes: &["no SHA was taken"],
        }
        pull_request_target_uses_fork_head_not_base_branch_head {
            event: "pull_request_target",
            payload: Some(PULL_REQUEST_TARGET),
            env: &[
                ("GITHUB_SHA", PUSHED),
                ("GITHUB_REF", "refs/heads/main"),
                ("GITHUB_HEAD_REF", "fix-typo"),
            ],
            sha: Want::Is(FORK_HEAD, payload("pull_request.head.sha")),
            branch: Want::Is("fix-typo", payload("pull_request.head.ref")),
            pr: Want::Is(57, payload("number")),
        }
        merge_group_uses_queue_head_sha_and_ref {
            event: "merge_group",
            payload: Some(MERGE_GROUP),
            env: &[
                ("GITHUB_SHA", QUEUE_HEAD),
                ("GITHUB_REF", "refs/heads/gh-readonly-queue/main/pr-42-5d41402abc4b2a76b9719d911017c592ae1f3c2e"),
            ],
            sha: Want::Is(QUEUE_HEAD, payload("merge_group.head_sha")),
            branch: Want::Is(
                "gh-readonly-queue/main/pr-42-5d41402abc4b2a76b9719d911017c592ae1f3c2e",
                payload("merge_group.head_ref"),
            ),
        }
        release_gives_tag_and_target_branch {
            event: "release",
            payload: Some(RELEASE),
            env: &[("GITHUB_SHA", PUSHED), ("GITHUB_REF", "refs/tags/v2.0.0")],
            sha: Want::Is(PUSHED, env("GITHUB_SHA")),
            tag: Want::Is("v2.0.0", payload("release.tag_name")),
            branch: Want::Is("main", payload("release.target_commitish")),
            action: Want::Is("published", payload("action")),
        }
        release_targeting_a_commit_gives_no_branch {
            event: "release",
            payload: Some(r#"{"action":"published","release":{"tag_name":"v2.0.1","target_commitish":"5d41402abc4b2a76b9719d911017c592ae1f3c2e"}}"#),
            env: &[("GITHUB_SHA", PUSHED), ("GITHUB_REF", "refs/tags/v2.0.1")],
            tag: Want::Is("v2.0.1", payload("release.tag_name")),
            branch: Want::Absent,
        }
        repository_dispatch_reads_client_payload {
            event: "repository_dispatch",
            payload: Some(REPOSITORY_DISPATCH),
            env: &[("GITHUB_SHA", DEFAULT_HEAD), ("GITHUB_REF", "refs/heads/main")],
            sha: Want::Is(PROVIDER, payload("client_payload.sha")),
            branch: Want::Is("feature/orders-v2", payload("client_payload.branch")),
            pact_url: Want::Is(
                "https://broker.example.com/pacts/provider/orders-api/consumer/web-app/pact-version/3f1e9c2b7a6d5e4f/metadata/Y3ZuPTEuMC4w",
                payload("client_payload.pact_url"),
            ),
            action: Want::Is("contract_requiring_verification_published", payload("action")),
            dispatch: Some(("message", "Verify changed pact for web-app version 9f8e7d6 branch feature/login by a94a8fe (deployed in production)")),
        }
        repository_dispatch_without_sha_falls_back_to_default_branch {
            event: "repository_dispatch",
            payload: Some(r#"{"action":"verify","client_payload":{"pact_url":"https://broker.example.com/p/1","sha":""}}"#),
            env: &[("GITHUB_SHA", DEFAULT_HEAD), ("GITHUB_REF", "refs/heads/main")],
            sha: Want::Is(DEFAULT_HEAD, env("GITHUB_SHA")),
            branch: Want::Is("main", env("GITHUB_REF")),
            pact_url: Want::Is("https://broker.example.com/p/1", payload("client_payload.pact_url")),
        }
        workflow_dispatch_reads_inputs {
            event: "workflow_dispatch",
            payload: Some(WORKFLOW_DISPATCH),
            env: &[("GITHUB_SHA", DEFAULT_HEAD), ("GITHUB_REF", "refs/heads/main")],
            sha: Want::Is(PROVIDER, payload("inputs.sha")),
            branch: Want::Is("release/1.x", payload("inputs.branch")),
            pact_url: Want::Is(
                "https://broker.example.com/pacts/provider/orders-api/consumer/web-app/version/9f8e7d6",
                payload("inputs.PACT_URL"),
            ),
            dispatch: Some(("branch", "release/1.x")),
        }
        workflow_dispatch_with_empty_inputs_uses_dispatched_ref {
            event: "workflow_dispatch",
            payload: Some(r#"{"inputs":{"sha":"","branch":"  ","pact-url":"https://broker.example.com/p/2"},"ref":"refs/heads/develop"}"#),
            env: &[("GITHUB_SHA", DEFAULT_HEAD), ("GITHUB_REF", "refs/heads/develop")],
            sha: Want::Is(DEFAULT_HEAD, env("GITHUB_SHA")),
            branch: Want::Is("develop", env("GITHUB_REF")),
            pact_url: Want::Is("https://broker.example.com/p/2", payload("inputs.pact-url")),
        }
        workflow_dispatch_on_a_tag_gives_no_branch {
            event: "workflow_dispatch",
            payload: Some(r#"{"inputs":{},"ref":"refs/tags/v3.0.0"}"#),
            env: &[("GITHUB_SHA", DEFAULT_HEAD), ("GITHUB_REF", "refs/tags/v3.0.0")],
            branch: Want::Absent,
            tag: Want::Is("v3.0.0", env("GITHUB_REF")),
        }
        workflow_run_uses_triggering_run_head {
            event: "workflow_run",
            payload: Some(WORKFLOW_RUN),
            env: &[("GITHUB_SHA", DEFAULT_HEAD), ("GITHUB_REF", "refs/heads/main")],
            sha: Want::Is(PR_HEAD, payload("workflow_run.head_sha")),
            branch: Want::Is("feature/login", payload("workflow_run.head_branch")),
            pr: Want::Is(42, payload("workflow_run.pull_requests.0.number")),
            action: Want::Is("completed", payload("action")),
        }
        schedule_uses_github_sha_and_ref {
            event: "schedule",
            payload: Some(r#"{"schedule":"0 3 * * *"}"#),
            env: &[("GITHUB_SHA", DEFAULT_HEAD), ("GITHUB_REF", "refs/heads/main")],
            sha: Want::Is(DEFAULT_HEAD, env("GITHUB_SHA")),
            branch: Want::Is("main", env("GITHUB_REF")),
        }
    }

    fn github_env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .chain(&[("GITHUB_ACTIONS", "true"), ("GITHUB_EVENT_NAME", "push")])
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn build_url_links_the_run() {
        let env = github_env(&[
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/web-app"),
            ("GITHUB_RUN_ID", "30433642"),
            ("GITHUB_RUN_ATTEMPT", "1"),
        ]);
        let url = build_url(&env).unwrap();
        assert_eq!(
            url.value,
            "https://github.com/acme/web-app/actions/runs/30433642"
        );
        assert_eq!(
            url.source.to_string(),
            "$GITHUB_SERVER_URL, $GITHUB_REPOSITORY, $GITHUB_RUN_ID"
        );
    }

    #[test]
    fn build_url_of_a_rerun_links_the_attempt() {
        let env = github_env(&[
            ("GITHUB_SERVER_URL", "https://ghe.example.com/"),
            ("GITHUB_REPOSITORY", "acme/web-app"),
            ("GITHUB_RUN_ID", "77"),
            ("GITHUB_RUN_ATTEMPT", "3"),
        ]);
        assert_eq!(
            build_url(&env).unwrap().value,
            "https://ghe.example.com/acme/web-app/actions/runs/77/attempts/3"
        );
    }

    #[test]
    fn build_url_needs_server_repository_and_run_id() {
        let env = github_env(&[
            ("GITHUB_REPOSITORY", "acme/web-app"),
            ("GITHUB_RUN_ID", "1"),
        ]);
        assert_eq!(build_url(&env), None);
    }

    #[test]
    fn unreadable_event_file_names_the_path() {
        let env = github_env(&[("GITHUB_EVENT_PATH", "/tmp/missing-event.json")]);
        let files: HashMap<PathBuf, String> = HashMap::new();
        let err = resolve(&env, &files).unwrap_err();
        assert!(matches!(err, Error::EventRead { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "cannot read the GitHub event payload `/tmp/missing-event.json` (from $GITHUB_EVENT_PATH)"
        );
    }

    #[test]
    fn malformed_event_file_names_the_path() {
        let env = github_env(&[("GITHUB_EVENT_PATH", EVENT_PATH)]);
        let files: HashMap<PathBuf, String> =
            [(PathBuf::from(EVENT_PATH), "{\"ref\": ".to_owned())].into();
        let err = resolve(&env, &files).unwrap_err();
        assert!(matches!(err, Error::EventParse { .. }), "{err:?}");
        assert!(err.to_string().contains(EVENT_PATH), "{err}");
    }

    #[test]
    fn event_file_is_read_from_disk_with_os_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event.json");
        std::fs::write(&path, PULL_REQUEST).unwrap();
        let mut env = github_env(&[("GITHUB_SHA", PR_MERGE)]);
        env.insert("GITHUB_EVENT_NAME".into(), "pull_request".into());
        env.insert("GITHUB_EVENT_PATH".into(), path.display().to_string());
        let ctx = resolve(&env, &crate::OsFiles).unwrap();
        assert_eq!(ctx.sha(), Some(PR_HEAD));
    }

    #[test]
    fn git_is_not_asked_for_the_sha_of_a_pull_request() {
        // `actions/checkout` leaves the merge commit checked out: git would report it.
        let env = github_env(&[
            ("GITHUB_SHA", PR_MERGE),
            ("GITHUB_HEAD_REF", "feature/login"),
        ]);
        let mut env = env;
        env.insert("GITHUB_EVENT_NAME".into(), "pull_request".into());
        let git = crate::GitHead {
            sha: Some(PR_MERGE.into()),
            branch: None,
        };
        let files: HashMap<PathBuf, String> = HashMap::new();
        let ctx = crate::detect(&env, &files, &crate::Overrides::default(), Some(&git)).unwrap();
        assert_eq!(ctx.sha, None);
        assert_eq!(ctx.branch(), Some("feature/login"));
    }
}
