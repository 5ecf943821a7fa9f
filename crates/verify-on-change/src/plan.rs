//! What to verify and as which provider version: the pact URL or the pacts-for-verification
//! query, the provider version and branch (flags, then the dispatch payload, then CI), and the
//! mode (native or command). Pure over the parsed flags and the detected context.

use pactline_broker_client::verification::PactsForVerificationQuery;
use pactline_ci_context::{Context, Source, Sourced};
use pactline_cli::UsageError;
use serde_json::{json, Value};

use crate::args::{nonblank, Args};

/// How the pacts are verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The official verifier against a running provider.
    Native {
        base_url: String,
        states_url: Option<String>,
    },
    /// The provider's own Pact tests; `framework_publishes` when they publish the results.
    Command {
        argv: Vec<String>,
        framework_publishes: bool,
    },
}

/// Which pacts.
#[derive(Debug, Clone, PartialEq)]
pub enum Pacts {
    /// One pact (a contract changed): from a flag or the dispatch payload.
    Url(Sourced<String>),
    /// Everything the broker says this provider version must verify (the provider changed).
    ForVerification(PactsForVerificationQuery),
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub provider: String,
    pub provider_version: Sourced<String>,
    pub provider_branch: Option<Sourced<String>>,
    pub build_url: Option<String>,
    pub pacts: Pacts,
    pub mode: Mode,
    /// Things the log should say about how the plan was made.
    pub notes: Vec<String>,
}

/// The default consumer version selectors: the consumers' main branches, what is deployed or
/// released, and the consumer branch named like the provider's.
pub fn default_selectors() -> Vec<Value> {
    vec![
        json!({"mainBranch": true}),
        json!({"deployedOrReleased": true}),
        json!({"matchingBranch": true}),
    ]
}

/// Parses `--consumer-version-selectors` values: each a JSON array of objects, one object, or
/// one object a line.
///
/// # Errors
///
/// A value that is none of these, naming it.
pub fn parse_selectors(values: &[String]) -> Result<Vec<Value>, UsageError> {
    let mut out = Vec::new();
    for value in values {
        let text = value.trim();
        if text.is_empty() {
            continue;
        }
        let bad = |why: String| {
            UsageError::new(format!(
                "`--consumer-version-selectors` `{text}` is not valid: {why}; expected a JSON \
                 array of objects, an object, or one object a line, e.g. `{{\"mainBranch\":true}}`"
            ))
        };
        let parsed: Vec<Value> = match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => items,
            Ok(other) => vec![other],
            Err(whole) => {
                let mut items = Vec::new();
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    let line = line.trim_end_matches(',');
                    items.push(serde_json::from_str(line).map_err(|_| bad(whole.to_string()))?);
                }
                items
            }
        };
        for item in parsed {
            match item {
                Value::Object(m) if !m.is_empty() => out.push(Value::Object(m)),
                other => return Err(bad(format!("`{other}` is not a selector object"))),
            }
        }
    }
    Ok(out)
}

fn is_matching_branch(selector: &Value) -> bool {
    selector.get("matchingBranch").and_then(Value::as_bool) == Some(true)
}

/// Builds the plan from the flags and the detected context (flags already applied to it).
///
/// # Errors
///
/// Usage errors naming the flag: no provider version, no or two modes, bad selectors, a
/// `matchingBranch` selector without a provider branch, a command-mode flag in native mode.
pub fn plan(args: &Args, ctx: &Context, native_available: bool) -> Result<Plan, UsageError> {
    let mut notes = Vec::new();
    let provider = args.provider.trim().to_string();
    if provider.is_empty() {
        return Err(UsageError::new(
            "`--provider` is empty: pass the provider's name in the broker",
        ));
    }
    let Some(provider_version) = ctx.sha.clone() else {
        return Err(UsageError::new(
            "no provider version: pass `--provider-app-version` (or set `PACTLINE_PROVIDER_APP_VERSION`), \
             run on a repository_dispatch whose payload has `sha`, or in CI or a git checkout; \
             verification results need it",
        ));
    };
    let mut provider_branch = ctx.branch.clone();
    // The broker named a provider version in the payload; the branch of this run's checkout
    // (the default branch, for a dispatch) says nothing about it.
    if matches!(provider_version.source, Source::EventPayload(_))
        && provider_branch
            .as_ref()
            .is_some_and(|b| !matches!(b.source, Source::EventPayload(_) | Source::Flag))
    {
        if let Some(b) = provider_branch.take() {
            notes.push(format!(
                "branch `{}` ({}) is not used: the provider version comes from the dispatch payload, which names no branch",
                b.value, b.source
            ));
        }
    }

    let mode = match (
        nonblank(args.provider_base_url.as_ref()),
        args.command.is_empty(),
    ) {
        (Some(_), false) => {
            return Err(UsageError::new(
                "both `--provider-base-url` and a command after `--` were given: verify natively or run the command, not both",
            ))
        }
        (None, true) => {
            return Err(UsageError::new(
                "nothing to verify with: pass `--provider-base-url URL` to verify a running provider, \
                 or the provider's Pact tests after `--`",
            ))
        }
        (Some(url), true) => {
            if !native_available {
                return Err(UsageError::new(
                    "this verify-on-change was built without the native verifier (cargo feature `native`): \
                     run the provider's Pact tests after `--` instead of `--provider-base-url`",
                ));
            }
            if args.framework_publishes {
                return Err(UsageError::new(
                    "`--framework-publishes` is for command mode; with `--provider-base-url` verify-on-change publishes",
                ));
            }
            Mode::Native {
                base_url: url.to_string(),
                states_url: nonblank(args.provider_states_setup_url.as_ref()).map(str::to_string),
            }
        }
        (None, false) => {
            if nonblank(args.provider_states_setup_url.as_ref()).is_some() {
                return Err(UsageError::new(
                    "`--provider-states-setup-url` is for native mode (`--provider-base-url`); \
                     the provider's own tests set up their states",
                ));
            }
            Mode::Command {
                argv: args.command.clone(),
                framework_publishes: args.framework_publishes,
            }
        }
    };

    let pacts = match ctx.pact_url.clone() {
        Some(url) => {
            if !args
                .consumer_version_selectors
                .iter()
                .all(|s| s.trim().is_empty())
                || args.include_wip_pacts_since.is_some()
            {
                notes.push(format!(
                    "verifying the one pact {url}; consumer version selectors and WIP apply only without a pact URL"
                ));
            }
            Pacts::Url(url)
        }
        None => {
            let explicit = parse_selectors(&args.consumer_version_selectors)?;
            let selectors = if explicit.is_empty() {
                let mut d = default_selectors();
                if provider_branch.is_none() {
                    d.retain(|s| !is_matching_branch(s));
                    notes.push(
                        "no provider branch, so the default selectors leave out `matchingBranch`"
                            .into(),
                    );
                }
                d
            } else {
                if provider_branch.is_none() && explicit.iter().any(is_matching_branch) {
                    return Err(UsageError::new(
                        "a `matchingBranch` selector needs the provider branch: pass `--provider-branch`",
                    ));
                }
                explicit
            };
            Pacts::ForVerification(PactsForVerificationQuery {
                consumer_version_selectors: selectors,
                provider_version_branch: provider_branch.as_ref().map(|b| b.value.clone()),
                provider_version_tags: Vec::new(),
                include_pending_status: args.enable_pending,
                include_wip_pacts_since: nonblank(args.include_wip_pacts_since.as_ref())
                    .map(str::to_string),
            })
        }
    };

    Ok(Plan {
        provider,
        provider_version,
        provider_branch,
        build_url: ctx.build_url().map(str::to_string),
        pacts,
        mode,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> Args {
        let mut argv = vec!["verify-on-change", "--provider", "orders-api"];
        argv.extend_from_slice(extra);
        Args::try_parse_from(argv).unwrap()
    }

    fn ctx(
        sha: Option<(&str, Source)>,
        branch: Option<(&str, Source)>,
        pact_url: Option<&str>,
    ) -> Context {
        Context {
            sha: sha.map(|(v, s)| Sourced::new(v, s)),
            branch: branch.map(|(v, s)| Sourced::new(v, s)),
            pact_url: pact_url.map(|u| Sourced::new(u, Source::payload("client_payload.pact_url"))),
            ..Context::default()
        }
    }

    const NATIVE: &[&str] = &["--provider-base-url", "http://127.0.0.1:8080"];

    #[test]
    fn selectors_come_as_arrays_objects_or_lines() {
        let rows: Vec<(Vec<&str>, Vec<Value>)> = vec![
            (vec![r#"[{"mainBranch":true},{"deployed":true}]"#], vec![json!({"mainBranch":true}), json!({"deployed":true})]),
            (vec![r#"{"branch":"feat/x"}"#], vec![json!({"branch":"feat/x"})]),
            (
                vec!["{\"mainBranch\": true}\n{\"deployedOrReleased\": true},\n\n{\"matchingBranch\": true}\n"],
                default_selectors(),
            ),
            (vec![r#"{"mainBranch":true}"#, "  ", r#"{"released":true}"#], vec![json!({"mainBranch":true}), json!({"released":true})]),
        ];
        for (input, want) in rows {
            let values: Vec<String> = input.iter().map(|s| s.to_string()).collect();
            assert_eq!(parse_selectors(&values).unwrap(), want, "{input:?}");
        }
        for bad in ["mainBranch", "[1]", "{}", "{\"a\":1}\nnope", "\"main\""] {
            let err = parse_selectors(&[bad.to_string()]).unwrap_err();
            assert!(
                err.to_string().contains("--consumer-version-selectors"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_dispatch_payload_gives_the_pact_version_and_branch() {
        let c = ctx(
            Some(("1.0.0", Source::payload("client_payload.sha"))),
            Some(("main", Source::payload("client_payload.branch"))),
            Some("http://b/pacts/provider/orders-api/consumer/web-app/pact-version/abc"),
        );
        let p = plan(&args(NATIVE), &c, true).unwrap();
        assert_eq!(p.provider_version.value, "1.0.0");
        assert_eq!(p.provider_branch.unwrap().value, "main");
        assert!(matches!(p.pacts, Pacts::Url(ref u) if u.value.ends_with("/abc")));
        assert_eq!(
            p.mode,
            Mode::Native {
                base_url: "http://127.0.0.1:8080".into(),
                states_url: None
            }
        );
    }

    #[test]
    fn a_payload_version_does_not_take_the_checkout_branch() {
        let c = ctx(
            Some(("1.0.0", Source::payload("client_payload.sha"))),
            Some(("main", Source::Env("GITHUB_REF"))),
            Some("http://b/p"),
        );
        let p = plan(&args(NATIVE), &c, true).unwrap();
        assert!(p.provider_branch.is_none());
        assert!(p.notes[0].contains("`main`"), "{:?}", p.notes);
        let c = ctx(
            Some(("abc123", Source::Env("GITHUB_SHA"))),
            Some(("main", Source::Env("GITHUB_REF"))),
            None,
        );
        assert!(plan(&args(NATIVE), &c, true)
            .unwrap()
            .provider_branch
            .is_some());
    }

    #[test]
    fn without_a_pact_url_the_broker_is_asked_with_the_default_selectors() {
        let c = ctx(
            Some(("abc123", Source::Env("GITHUB_SHA"))),
            Some(("feat/x", Source::Env("GITHUB_HEAD_REF"))),
            None,
        );
        let p = plan(
            &args(&[
                "--enable-pending",
                "--include-wip-pacts-since",
                "2026-01-01",
                "--",
                "make",
                "pact",
            ]),
            &c,
            true,
        )
        .unwrap();
        let Pacts::ForVerification(q) = p.pacts else {
            panic!("{:?}", p.pacts)
        };
        assert_eq!(q.consumer_version_selectors, default_selectors());
        assert_eq!(q.provider_version_branch.as_deref(), Some("feat/x"));
        assert!(q.include_pending_status);
        assert_eq!(q.include_wip_pacts_since.as_deref(), Some("2026-01-01"));
        assert_eq!(
            p.mode,
            Mode::Command {
                argv: vec!["make".into(), "pact".into()],
                framework_publishes: false
            }
        );
    }

    #[test]
    fn matching_branch_needs_a_provider_branch() {
        let c = ctx(Some(("abc123", Source::Flag)), None, None);
        let p = plan(&args(NATIVE), &c, true).unwrap();
        let Pacts::ForVerification(q) = p.pacts else {
            panic!()
        };
        assert_eq!(
            q.consumer_version_selectors,
            vec![
                json!({"mainBranch":true}),
                json!({"deployedOrReleased":true})
            ]
        );
        let mut with = NATIVE.to_vec();
        with.extend(["--consumer-version-selectors", r#"{"matchingBranch":true}"#]);
        let err = plan(&args(&with), &c, true).unwrap_err();
        assert!(err.to_string().contains("--provider-branch"), "{err}");
    }

    #[test]
    fn usage_errors_name_what_to_pass() {
        let c = ctx(Some(("abc123", Source::Flag)), None, None);
        let rows: Vec<(Vec<&str>, Context, bool, &str)> = vec![
            (vec![], c.clone(), true, "--provider-base-url URL"),
            (
                vec!["--provider-base-url", "http://x", "--", "make"],
                c.clone(),
                true,
                "not both",
            ),
            (NATIVE.to_vec(), c.clone(), false, "cargo feature `native`"),
            (
                vec!["--provider-base-url", "http://x", "--framework-publishes"],
                c.clone(),
                true,
                "command mode",
            ),
            (
                vec!["--provider-states-setup-url", "http://x/s", "--", "make"],
                c.clone(),
                true,
                "native mode",
            ),
            (
                NATIVE.to_vec(),
                ctx(None, None, None),
                true,
                "--provider-app-version",
            ),
        ];
        for (flags, c, native, want) in rows {
            let err = plan(&args(&flags), &c, native).unwrap_err();
            assert!(err.to_string().contains(want), "{flags:?}: {err}");
        }
    }
}
