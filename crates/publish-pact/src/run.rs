//! publish-pact's steps: validate and merge every file, read the pipeline context, publish once, print the notices, set outputs and the summary.

use anyhow::Context as _;
use clap::ArgMatches;
use pactline_broker_api::paths;
use pactline_broker_client::{BrokerClient, Contract, OnConflict, Publication};
use pactline_ci_context::Overrides;
use pactline_cli::{block_on, detect_context, markdown, Outcome, UsageError};
use pactline_runner::Runner;

use crate::args::Args;
use crate::pacts;
use crate::trigger;

pub fn run(args: Args, _matches: &ArgMatches, runner: &mut Runner) -> anyhow::Result<Outcome> {
    // Everything local first: nothing is sent unless every file is valid.
    let targets = args
        .trigger_provider_verification
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(trigger::parse_target)
        .collect::<Result<Vec<_>, _>>()
        .map_err(UsageError::new)?;
    let github_token = args.github_token.clone().filter(|t| !t.is_empty());
    if !targets.is_empty() && github_token.is_none() {
        return Err(UsageError::new(
            "`--trigger-provider-verification` needs `--github-token` (or `GITHUB_TOKEN`) allowed to dispatch to the provider's repository; nothing was published",
        )
        .into());
    }
    let files = pacts::collect(&args.paths)?;
    let loaded = pacts::load_all(&files)?;
    let consumer = pacts::single_consumer(&loaded)?;
    let merged = pacts::merge_pairs(loaded)?;
    for m in merged.iter().filter(|m| m.files.len() > 1) {
        let names: Vec<String> = m
            .files
            .iter()
            .map(|f| format!("`{}`", f.display()))
            .collect();
        runner.info(&format!(
            "merged {} for {} → {}",
            names.join(", "),
            m.consumer,
            m.provider
        ));
    }

    let env = pactline_ci_context::process_env();
    let overrides = Overrides {
        sha: args.consumer_app_version.clone(),
        branch: args.branch.clone(),
        build_url: args.build_url.clone(),
        ..Overrides::default()
    };
    let ctx = detect_context(&env, &overrides).context("reading the pipeline context")?;
    let Some(version) = ctx.sha.clone() else {
        let notes = if ctx.notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", ctx.notes.join("; "))
        };
        return Err(UsageError::new(format!(
            "no consumer version: pass `--consumer-app-version` (or set `PACTLINE_CONSUMER_APP_VERSION`), \
             or run in CI or a git checkout so the commit SHA can be detected{notes}; nothing was published"
        ))
        .into());
    };
    runner.info(&format!("consumer version: {version}"));
    match &ctx.branch {
        Some(b) => runner.info(&format!("branch: {b}")),
        None => runner.warning(
            "no branch detected: the version is published without one; pass `--branch` so the broker can use branch selectors",
        ),
    }
    if let Some(u) = &ctx.build_url {
        runner.info(&format!("build url: {u}"));
    }

    let client = BrokerClient::new(args.broker.client_config(None)?)?;
    let on_conflict = if args.merge {
        OnConflict::Merge
    } else {
        OnConflict::Overwrite
    };
    let publication = Publication {
        pacticipant: consumer.clone(),
        version: version.value.clone(),
        branch: ctx.branch().map(str::to_string),
        tags: args
            .tags
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        build_url: ctx.build_url().map(str::to_string),
        contracts: merged
            .iter()
            .map(|m| Contract {
                consumer: m.consumer.clone(),
                provider: m.provider.clone(),
                content: m.doc.clone(),
                on_conflict,
            })
            .collect(),
    };
    let published = block_on(client.publish_contracts(&publication))?.with_context(|| {
        format!(
            "publishing the pacts of `{consumer}` version `{}` to {}",
            version.value,
            client.base_url()
        )
    })?;

    for notice in &published.notices {
        match notice.kind.as_str() {
            "error" | "danger" => runner.error(&notice.text),
            "warning" => runner.warning(&notice.text),
            _ => runner.info(&notice.text),
        }
    }

    let branch = ctx.branch().unwrap_or_default().to_string();
    runner.set_output("consumer-version", &version.value)?;
    runner.set_output("branch", &branch)?;
    runner.set_output("pact-urls", &published.pact_urls.join("\n"))?;

    let rows: Vec<Vec<String>> = merged
        .iter()
        .map(|m| {
            let suffix = paths::pact(&m.provider, &m.consumer, &version.value);
            let url = published
                .pact_urls
                .iter()
                .find(|u| u.ends_with(&suffix))
                .map_or_else(String::new, |u| format!("[pact]({u})"));
            let files: Vec<String> = m
                .files
                .iter()
                .map(|f| markdown::code(Some(&f.display().to_string())))
                .collect();
            vec![
                markdown::cell(&m.consumer),
                markdown::cell(&m.provider),
                url,
                files.join(" "),
            ]
        })
        .collect();
    let mut summary = format!(
        "### Pacts published for {} version {}\n\n",
        markdown::cell(&consumer),
        markdown::code(Some(&version.value))
    );
    summary.push_str(&format!("- version from {}\n", version.source));
    match &ctx.branch {
        Some(b) => summary.push_str(&format!(
            "- branch {} from {}\n",
            markdown::code(Some(&b.value)),
            b.source
        )),
        None => summary.push_str("- no branch\n"),
    }
    if !publication.tags.is_empty() {
        let tags: Vec<String> = publication
            .tags
            .iter()
            .map(|t| markdown::code(Some(t)))
            .collect();
        summary.push_str(&format!("- tags {}\n", tags.join(", ")));
    }
    summary.push('\n');
    summary.push_str(&markdown::table(
        &["consumer", "provider", "pact", "files"],
        &rows,
    ));
    runner.append_summary(&summary)?;

    if let Some(token) = github_token.filter(|_| !targets.is_empty()) {
        let api = args
            .github_api_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| pactline_github::DEFAULT_API_URL.to_string());
        let who = trigger::ConsumerVersion {
            name: &consumer,
            version: &version.value,
            branch: &branch,
        };
        block_on(trigger::dispatch(
            runner,
            &targets,
            (&token, &api),
            &published,
            &who,
        ))??;
    }
    Ok(Outcome::Ok)
}
