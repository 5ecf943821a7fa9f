//! verify-on-change's steps: read the event, plan, list the pacts, and for each one fetch it,
//! verify it (natively or with the command), publish the result and set the commit status; then
//! the table, annotations, outputs and summary, and the verdict.

use std::collections::HashMap;

use anyhow::Context as _;
use clap::ArgMatches;
use pactline_broker_client::verification::PactForVerification;
use pactline_broker_client::{BrokerClient, Url, VerificationResult};
use pactline_ci_context::Overrides;
use pactline_cli::{block_on, detect_context, Outcome, UsageError};
use pactline_runner::Runner;
use serde_json::Value;

use crate::args::{nonblank, Args};
use crate::command::{self, CommandEnv};
use crate::plan::{self, Mode, Pacts, Plan};
use crate::report::{self, PactResult, Published, Verdict};
use crate::status::StatusTarget;

/// The environment for reading the pipeline context. An event file makes it a GitHub event even
/// where `GITHUB_ACTIONS` is not set (a local re-run of a dispatch, act, tests).
fn context_env(env: &HashMap<String, String>) -> HashMap<String, String> {
    let mut env = env.clone();
    let has = |name: &str| env.get(name).is_some_and(|v| !v.trim().is_empty());
    if has("GITHUB_EVENT_PATH") && has("GITHUB_EVENT_NAME") && !has("GITHUB_ACTIONS") {
        env.insert("GITHUB_ACTIONS".into(), "true".into());
    }
    env
}

/// `scheme://host[:port]` of a URL, for a broker base URL taken from a pact URL.
fn origin(url: &str) -> Option<String> {
    Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.origin().ascii_serialization())
}

pub fn run(args: Args, _matches: &ArgMatches, runner: &mut Runner) -> anyhow::Result<Outcome> {
    let env = pactline_ci_context::process_env();
    let overrides = Overrides {
        sha: args.provider_app_version.clone(),
        branch: args.provider_branch.clone(),
        build_url: args.build_url.clone(),
        pact_url: args.pact_url.clone(),
        ..Overrides::default()
    };
    let ctx =
        detect_context(&context_env(&env), &overrides).context("reading the pipeline context")?;
    for note in &ctx.notes {
        runner.debug(note);
    }
    let plan = plan::plan(&args, &ctx, cfg!(feature = "native"))?;
    for note in &plan.notes {
        runner.info(note);
    }
    runner.info(&format!("provider version: {}", plan.provider_version));
    match &plan.provider_branch {
        Some(b) => runner.info(&format!("provider branch: {b}")),
        None => runner.info("provider branch: none"),
    }
    if let Some(payload) = &ctx.dispatch_payload {
        if let Some(message) = payload.value.get("message").and_then(Value::as_str) {
            runner.info(message);
        }
    }

    let status = if args.commit_status {
        Some(StatusTarget::new(&args, &plan.provider)?)
    } else {
        None
    };
    let fallback = match &plan.pacts {
        Pacts::Url(u) => origin(&u.value),
        Pacts::ForVerification(_) => None,
    };
    let client = BrokerClient::new(args.broker.client_config(fallback.as_deref())?)?;
    let broker_url = client.config().base_url.to_string();

    let (results, publish_error) = block_on(verify_all(
        &args,
        &plan,
        &client,
        &broker_url,
        status.as_ref(),
        runner,
    ))??;

    let verdict = Verdict::of(&results);
    let heading = report::heading(
        &plan.provider,
        &plan.provider_version.value,
        plan.provider_branch.as_ref().map(|b| b.value.as_str()),
    );
    runner.print(&report::text(&heading, &results));
    for r in results.iter().filter(|r| !r.success) {
        let failed: Vec<String> = r
            .interactions
            .iter()
            .filter(|i| !i.success)
            .map(|i| {
                if i.mismatches.is_empty() {
                    i.description.clone()
                } else {
                    format!("{}: {}", i.description, i.mismatches.join("; "))
                }
            })
            .collect();
        let why = if failed.is_empty() {
            r.detail.clone().unwrap_or_default()
        } else {
            failed.join("; ")
        };
        let version = r.consumer_version.as_deref().unwrap_or("?");
        if r.pending {
            runner.warning(&format!(
                "the pending pact of {} {version} failed verification ({why}); pending pacts do not fail the build",
                r.consumer
            ));
        } else {
            runner.error(&format!(
                "the pact of {} {version} failed verification: {why}",
                r.consumer
            ));
        }
    }
    if results.is_empty() {
        runner.warning(&format!(
            "the broker gave no pacts for {} to verify with these selectors",
            plan.provider
        ));
    }

    let failed = results.iter().filter(|r| !r.success).count();
    let urls: Vec<String> = results
        .iter()
        .filter_map(|r| match &r.published {
            Published::Yes(Some(u)) => Some(u.clone()),
            _ => None,
        })
        .collect();
    runner.set_output("result", verdict.as_str())?;
    runner.set_output("verified-pacts", &results.len().to_string())?;
    runner.set_output("failed-pacts", &failed.to_string())?;
    runner.set_output("provider-version", &plan.provider_version.value)?;
    runner.set_output("verification-results", &urls.join("\n"))?;
    runner.append_summary(&report::markdown(&heading, verdict, &results))?;

    if let Some(err) = publish_error {
        return Err(err);
    }
    Ok(match verdict {
        Verdict::Success | Verdict::PendingFailure => Outcome::Ok,
        Verdict::Failure => Outcome::No {
            reasons: results
                .iter()
                .filter(|r| !r.success && !r.pending)
                .map(|r| format!("the pact of {} failed verification", r.consumer))
                .collect(),
        },
    })
}

/// The pacts to verify, as the broker describes them.
async fn pacts_to_verify(
    plan: &Plan,
    client: &BrokerClient,
    runner: &mut Runner,
) -> anyhow::Result<Vec<PactForVerification>> {
    match &plan.pacts {
        Pacts::Url(url) => {
            runner.info(&format!("pact: {url}"));
            Ok(vec![PactForVerification {
                url: url.value.clone(),
                name: None,
                short_description: None,
                pending: false,
                wip: false,
                notices: Vec::new(),
            }])
        }
        Pacts::ForVerification(query) => {
            let selectors: Vec<String> = query
                .consumer_version_selectors
                .iter()
                .map(Value::to_string)
                .collect();
            runner.info(&format!(
                "asking the broker which pacts {} must verify: {}",
                plan.provider,
                selectors.join(" ")
            ));
            let pacts = client
                .pacts_for_verification(&plan.provider, query)
                .await
                .with_context(|| {
                    format!(
                        "fetching the pacts for verification of `{}` from {}",
                        plan.provider,
                        client.base_url()
                    )
                })?;
            for p in &pacts {
                for n in p.notices.iter().filter(|n| n.when == "before_verification") {
                    runner.info(&n.text);
                }
            }
            Ok(pacts)
        }
    }
}

/// Verifies every pact; returns the results and the first error publishing one, if any.
async fn verify_all(
    args: &Args,
    plan: &Plan,
    client: &BrokerClient,
    broker_url: &str,
    status: Option<&StatusTarget>,
    runner: &mut Runner,
) -> anyhow::Result<(Vec<PactResult>, Option<anyhow::Error>)> {
    let pacts = pacts_to_verify(plan, client, runner).await?;
    #[cfg(feature = "native")]
    let native = match &plan.mode {
        Mode::Native {
            base_url,
            states_url,
        } => {
            crate::native::disable_metrics();
            Some(crate::native::Native::new(
                &plan.provider,
                base_url,
                states_url.as_deref(),
            )?)
        }
        Mode::Command { .. } => None,
    };
    let mut results = Vec::new();
    let mut publish_error = None;
    for p in &pacts {
        let doc = client
            .get_url(&p.url)
            .await
            .with_context(|| format!("fetching the pact `{}`", p.url))?;
        let provider = doc.pointer("/provider/name").and_then(Value::as_str);
        if provider != Some(plan.provider.as_str()) {
            return Err(UsageError::new(format!(
                "the pact `{}` is for provider `{}`, not `{}` (`--provider`)",
                p.url,
                provider.unwrap_or("?"),
                plan.provider
            ))
            .into());
        }
        let consumer = doc
            .pointer("/consumer/name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let consumer_version = doc
            .pointer("/_links/pb:consumer-version/name")
            .and_then(Value::as_str)
            .map(str::to_string);
        let title = format!(
            "verifying the pact of {consumer} {}{}",
            consumer_version.as_deref().unwrap_or(""),
            if p.pending { " (pending)" } else { "" }
        );
        if let (Some(s), Some(sha)) = (status, consumer_version.as_deref()) {
            s.set(runner, &plan.provider_version.value, sha, None, None)
                .await;
        }

        runner.start_group(&title);
        let mut result = PactResult {
            consumer,
            consumer_version,
            url: p.url.clone(),
            pending: p.pending,
            wip: p.wip,
            success: false,
            interactions: Vec::new(),
            detail: None,
            published: Published::Failed,
            commit_status: None,
        };
        let verified = match &plan.mode {
            #[cfg(feature = "native")]
            Mode::Native { .. } => {
                let outcome = native
                    .as_ref()
                    .expect("the native verifier is set up in native mode")
                    .verify(&doc)
                    .await;
                result.success = outcome.success;
                result.interactions = outcome.interactions;
                result.detail = outcome.error;
                Ok(())
            }
            #[cfg(not(feature = "native"))]
            Mode::Native { .. } => Err(UsageError::new(
                "this verify-on-change was built without the native verifier",
            )),
            Mode::Command {
                argv,
                framework_publishes,
            } => {
                let env = CommandEnv {
                    pact_url: p.url.clone(),
                    broker_base_url: broker_url.trim_end_matches('/').to_string(),
                    provider: plan.provider.clone(),
                    provider_version: plan.provider_version.value.clone(),
                    provider_branch: plan.provider_branch.as_ref().map(|b| b.value.clone()),
                    framework_publishes: *framework_publishes,
                    broker_token: nonblank(args.broker.broker_token.as_ref()).map(str::to_string),
                    broker_username: nonblank(args.broker.broker_username.as_ref())
                        .map(str::to_string),
                    broker_password: nonblank(args.broker.broker_password.as_ref())
                        .map(str::to_string),
                };
                command::run(argv, &env).map(|outcome| {
                    result.success = outcome.success();
                    result.detail = Some(outcome.describe());
                })
            }
        };
        runner.end_group();
        verified?;

        let framework_publishes = matches!(
            plan.mode,
            Mode::Command {
                framework_publishes: true,
                ..
            }
        );
        result.published = if framework_publishes {
            Published::ByFramework
        } else {
            match publish(plan, client, &doc, &result).await {
                Ok(url) => Published::Yes(url),
                Err(e) => {
                    let e = e.context(format!(
                        "publishing the verification result of the pact `{}`",
                        p.url
                    ));
                    runner.error(&format!("{e:#}"));
                    if publish_error.is_none() {
                        publish_error = Some(e);
                    }
                    Published::Failed
                }
            }
        };
        if let (Some(s), Some(sha)) = (status, result.consumer_version.as_deref()) {
            let target = match &result.published {
                Published::Yes(Some(u)) => Some(u.as_str()),
                _ => plan.build_url.as_deref(),
            };
            result.commit_status = Some(
                s.set(
                    runner,
                    &plan.provider_version.value,
                    sha,
                    Some((result.success, result.pending)),
                    target,
                )
                .await,
            );
        }
        results.push(result);
    }
    Ok((results, publish_error))
}

/// Publishes one result as the official verifier does: the provider version onto its branch
/// first (pending and WIP depend on it), then the result to the pact's
/// `pb:publish-verification-results`. Returns the result's URL.
async fn publish(
    plan: &Plan,
    client: &BrokerClient,
    doc: &Value,
    result: &PactResult,
) -> anyhow::Result<Option<String>> {
    let version = &plan.provider_version.value;
    if let Some(branch) = &plan.provider_branch {
        client
            .add_provider_branch(doc, &plan.provider, &branch.value, version)
            .await
            .with_context(|| {
                format!(
                    "adding provider version `{version}` to branch `{}`",
                    branch.value
                )
            })?;
    }
    let published = client
        .publish_verification(
            doc,
            &VerificationResult {
                success: result.success,
                provider_version: version.clone(),
                build_url: plan.build_url.clone(),
                test_results: result.test_results(),
                verified_by: (
                    "pactline verify-on-change".to_string(),
                    env!("CARGO_PKG_VERSION").to_string(),
                ),
            },
        )
        .await?;
    Ok(published.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_file_is_a_github_event_without_github_actions() {
        let env: HashMap<String, String> = [
            (
                "GITHUB_EVENT_NAME".to_string(),
                "repository_dispatch".to_string(),
            ),
            (
                "GITHUB_EVENT_PATH".to_string(),
                "/tmp/event.json".to_string(),
            ),
        ]
        .into();
        assert_eq!(
            context_env(&env).get("GITHUB_ACTIONS").map(String::as_str),
            Some("true")
        );
        let plain: HashMap<String, String> = HashMap::new();
        assert!(!context_env(&plain).contains_key("GITHUB_ACTIONS"));
    }

    #[test]
    fn a_pact_url_gives_the_broker_origin() {
        assert_eq!(
            origin("http://127.0.0.1:9292/pacts/provider/p/consumer/c/pact-version/abc").as_deref(),
            Some("http://127.0.0.1:9292")
        );
        assert_eq!(origin("file:///tmp/x.json"), None);
    }
}
