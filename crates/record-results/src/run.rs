//! record-results' steps for each subcommand: find the environment, make sure the version exists (creating it with a notice), record, then outputs and the summary.

use anyhow::Context as _;
use clap::ArgMatches;
use pactline_broker_client::{BrokerClient, Error as BrokerError, VerificationResult};
use pactline_ci_context::{Context, Overrides};
use pactline_cli::{block_on, detect_context, markdown, Outcome, UsageError};
use pactline_runner::Runner;
use serde_json::Value;

use crate::args::{Args, Command, Deployment, Release, Undeployment, Verification};
use crate::junit;

pub fn run(args: Args, _matches: &ArgMatches, runner: &mut Runner) -> anyhow::Result<Outcome> {
    match args.command {
        Command::Deployment(c) => deployment(&c, runner),
        Command::Undeployment(c) => undeployment(&c, runner),
        Command::Release(c) => release(&c, runner, false),
        Command::SupportEnded(c) => release(&c, runner, true),
        Command::Verification(c) => verification(&c, runner),
    }
}

fn context(overrides: &Overrides) -> anyhow::Result<Context> {
    let env = pactline_ci_context::process_env();
    detect_context(&env, overrides).context("reading the pipeline context")
}

/// The version to record: the flag, else this CI run's commit.
fn version_or_commit(flag: Option<&String>, ctx: &Context) -> Result<String, UsageError> {
    match flag.map(|v| v.trim()).filter(|v| !v.is_empty()) {
        Some(v) => Ok(v.to_string()),
        None => ctx.sha().map(str::to_string).ok_or_else(|| {
            UsageError::new(
                "no version: pass `--version` (or set `PACTLINE_VERSION`), or run in CI or a git checkout so the commit SHA can be detected",
            )
        }),
    }
}

/// The version resource; a missing version of an existing pacticipant is created with a notice
/// (a missing pacticipant is more likely a typo, so that stays an error).
async fn ensure_version(
    client: &BrokerClient,
    runner: &mut Runner,
    pacticipant: &str,
    version: &str,
    ctx: &Context,
    version_is_the_commit: bool,
) -> Result<Value, BrokerError> {
    if let Some(v) = client.get_version(pacticipant, version).await? {
        return Ok(v);
    }
    if client.get_pacticipant(pacticipant).await?.is_none() {
        return Err(BrokerError::NotFound {
            what: format!("pacticipant `{pacticipant}`"),
            hint: ": check `--pacticipant` (names are case-sensitive); a pacticipant appears once it publishes a pact or a verification".into(),
        });
    }
    let created = client
        .create_version(pacticipant, version, ctx.build_url())
        .await?;
    let mut note =
        format!("version `{version}` of `{pacticipant}` was not on the broker, so it was created");
    if let (true, Some(branch)) = (version_is_the_commit, ctx.branch()) {
        client
            .add_branch_version(pacticipant, branch, version)
            .await?;
        note.push_str(&format!(" on branch `{branch}`"));
    }
    runner.notice(&note);
    Ok(created)
}

fn deployment(c: &Deployment, runner: &mut Runner) -> anyhow::Result<Outcome> {
    let ctx = context(&Overrides::default())?;
    let version = version_or_commit(c.version.as_ref(), &ctx)?;
    let from_commit = c.version.as_deref().is_none_or(|v| v.trim().is_empty());
    let client = BrokerClient::new(c.broker.client_config(None)?)?;
    let (p, e) = (&c.place.pacticipant, &c.place.environment);
    let instance = c
        .application_instance
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty());
    let record = block_on(async {
        let environment = client.find_environment(e).await?;
        let v = ensure_version(&client, runner, p, &version, &ctx, from_commit).await?;
        client
            .record_deployment(p, &v, &environment, instance)
            .await
    })?
    .with_context(|| format!("recording the deployment of `{p}` version `{version}` to `{e}`"))?;
    let at = instance
        .map(|i| format!(" (instance `{i}`)"))
        .unwrap_or_default();
    runner.info(&format!(
        "Recorded deployment of {p} version {version} to {e}{at}"
    ));
    runner.set_output("version", &version)?;
    runner.append_summary(&format!(
        "### Deployment recorded\n\n{} {} deployed to {}{at}{}\n",
        markdown::cell(p),
        markdown::code(Some(&version)),
        markdown::code(Some(e)),
        record
            .url
            .as_deref()
            .map(|u| format!(" ([record]({u}))"))
            .unwrap_or_default()
    ))?;
    Ok(Outcome::Ok)
}

fn undeployment(c: &Undeployment, runner: &mut Runner) -> anyhow::Result<Outcome> {
    let client = BrokerClient::new(c.broker.client_config(None)?)?;
    let (p, e) = (&c.place.pacticipant, &c.place.environment);
    let instance = c
        .application_instance
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty());
    let undone = block_on(async {
        let environment = client.find_environment(e).await?;
        let current = client.currently_deployed(&environment, p, instance).await?;
        let mut undone = Vec::new();
        for record in &current {
            undone.push(client.undeploy(record).await?);
        }
        Ok::<_, BrokerError>(undone)
    })?
    .with_context(|| format!("recording the undeployment of `{p}` from `{e}`"))?;
    let versions: Vec<String> = undone.iter().filter_map(|r| r.version.clone()).collect();
    if undone.is_empty() {
        runner.warning(&format!(
            "{p} is not currently deployed to {e}{}: nothing to undeploy",
            instance
                .map(|i| format!(" (instance {i})"))
                .unwrap_or_default()
        ));
    } else {
        runner.info(&format!(
            "Recorded undeployment of {p} version(s) {} from {e}",
            versions.join(", ")
        ));
    }
    runner.set_output("versions", &versions.join("\n"))?;
    runner.append_summary(&format!(
        "### Undeployment recorded\n\n{} {} from {}\n",
        markdown::cell(p),
        if versions.is_empty() {
            "was not deployed".to_string()
        } else {
            format!(
                "{} undeployed",
                versions
                    .iter()
                    .map(|v| markdown::code(Some(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        markdown::code(Some(e))
    ))?;
    Ok(Outcome::Ok)
}

fn release(c: &Release, runner: &mut Runner, end_support: bool) -> anyhow::Result<Outcome> {
    let ctx = context(&Overrides::default())?;
    let version = version_or_commit(c.version.as_ref(), &ctx)?;
    let from_commit = c.version.as_deref().is_none_or(|v| v.trim().is_empty());
    let client = BrokerClient::new(c.broker.client_config(None)?)?;
    let (p, e) = (&c.place.pacticipant, &c.place.environment);
    if end_support {
        let ended = block_on(async {
            let environment = client.find_environment(e).await?;
            let supported = client.currently_supported(&environment, p).await?;
            match supported
                .iter()
                .find(|r| r.version.as_deref() == Some(version.as_str()))
            {
                Some(record) => client.end_support(record).await.map(Some),
                None => Ok(None),
            }
        })?
        .with_context(|| {
            format!("recording the end of support of `{p}` version `{version}` in `{e}`")
        })?;
        match ended {
            Some(_) => runner.info(&format!(
                "Recorded end of support of {p} version {version} in {e}"
            )),
            None => runner.warning(&format!(
                "{p} version {version} is not currently supported in {e}: nothing to end"
            )),
        }
        runner.set_output("version", &version)?;
        runner.append_summary(&format!(
            "### Support ended\n\n{} {} in {}{}\n",
            markdown::cell(p),
            markdown::code(Some(&version)),
            markdown::code(Some(e)),
            if ended.is_some() {
                ""
            } else {
                " (was not supported)"
            }
        ))?;
        return Ok(Outcome::Ok);
    }
    block_on(async {
        let environment = client.find_environment(e).await?;
        let v = ensure_version(&client, runner, p, &version, &ctx, from_commit).await?;
        client.record_release(p, &v, &environment).await
    })?
    .with_context(|| format!("recording the release of `{p}` version `{version}` to `{e}`"))?;
    runner.info(&format!("Recorded release of {p} version {version} to {e}"));
    runner.set_output("version", &version)?;
    runner.append_summary(&format!(
        "### Release recorded\n\n{} {} released to {}\n",
        markdown::cell(p),
        markdown::code(Some(&version)),
        markdown::code(Some(e))
    ))?;
    Ok(Outcome::Ok)
}

fn verification(c: &Verification, runner: &mut Runner) -> anyhow::Result<Outcome> {
    let overrides = Overrides {
        sha: c.provider_app_version.clone(),
        branch: c.provider_branch.clone(),
        build_url: c.build_url.clone(),
        pact_url: c.pact_url.clone(),
        ..Overrides::default()
    };
    let ctx = context(&overrides)?;
    let pact_url = ctx.pact_url().ok_or_else(|| {
        UsageError::new(
            "no pact URL: pass `--pact-url` (or set `PACTLINE_PACT_URL`), or run from a dispatch whose payload has `pact_url`",
        )
    })?;
    let parsed = pactline_broker_client::parse_base_url(pact_url).map_err(|e| {
        UsageError::new(format!(
            "`--pact-url` is wrong: {}",
            e.to_string().replace("the broker base URL", "the pact URL")
        ))
    })?;
    let provider_version = ctx.sha().ok_or_else(|| {
        UsageError::new(
            "no provider version: pass `--provider-app-version` (or set `PACTLINE_PROVIDER_APP_VERSION`), or run in CI or a git checkout so the commit SHA can be detected",
        )
    })?;
    let report = match &c.junit {
        Some(path) => Some(junit::read(path).map_err(|e| {
            UsageError::new(format!(
                "JUnit report `{}` (`--junit`): {e}",
                path.display()
            ))
        })?),
        None => None,
    };
    let success = match (c.success, c.exit_code) {
        (true, _) => true,
        (false, Some(code)) => code == 0,
        (false, None) => {
            return Err(UsageError::new(
                "pass `--success` or `--exit-code N` with the verification's result",
            )
            .into())
        }
    };
    if let Some(r) = &report {
        if r.success() != success {
            runner.warning(&format!(
                "the JUnit report has {} failed of {} tests but the result given is {}: publishing {}",
                r.failed,
                r.tests,
                if success { "success" } else { "failure" },
                if success { "success" } else { "failure" }
            ));
        }
    }
    // Checked before anything is published, like every other input.
    let status_target = if c.commit_status {
        Some(pactline_cli::status_target(
            &c.github_api_url,
            c.consumer_repository.as_deref(),
            c.github_token.as_deref(),
        )?)
    } else {
        None
    };
    let origin = parsed.origin().ascii_serialization();
    let client = BrokerClient::new(c.broker.client_config(Some(&origin))?)?;
    let result = VerificationResult {
        success,
        provider_version: provider_version.to_string(),
        build_url: ctx.build_url().map(str::to_string),
        test_results: report.as_ref().map(|r| Value::Array(r.results.clone())),
        verified_by: (
            "pactline record-results".into(),
            env!("CARGO_PKG_VERSION").into(),
        ),
    };
    let branch = ctx.branch().map(str::to_string);
    let (pact, published) = block_on(async {
        let pact = client.get_url(pact_url).await?;
        let provider = pact
            .pointer("/provider/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(b) = &branch {
            client
                .add_provider_branch(&pact, &provider, b, provider_version)
                .await?;
        }
        let published = client.publish_verification(&pact, &result).await?;
        Ok::<_, BrokerError>((pact, published))
    })?
    .with_context(|| {
        format!(
            "publishing the verification result of provider version `{provider_version}` for `{}`",
            pactline_broker_client::redact::redact_url_text(pact_url)
        )
    })?;
    let consumer = pact
        .pointer("/consumer/name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let provider = pact
        .pointer("/provider/name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let verdict = if success { "success" } else { "failure" };
    runner.info(&format!(
        "Published verification result ({verdict}) of {provider} version {provider_version} for the pact between {consumer} and {provider}"
    ));
    if let Some(u) = &published.url {
        runner.info(&format!("  {u}"));
    }
    runner.set_output(
        "verification-url",
        published.url.as_deref().unwrap_or_default(),
    )?;
    runner.set_output("success", if success { "true" } else { "false" })?;
    if let Some(pactline_cli::StatusTarget { github, repository }) = &status_target {
        // The consumer version is the commit the pact was published from.
        let sha = pact
            .pointer("/_links/pb:consumer-version/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let status = pactline_github::CommitStatus::pact_verification(
            provider,
            provider_version,
            Some((success, false)),
            published.url.as_deref(),
        );
        // The result is in the broker either way, and that is what can-i-deploy reads.
        match block_on(github.create_commit_status(repository, sha, &status))? {
            Ok(()) => runner.info(&format!(
                "commit status `{}` set on {repository}@{sha}",
                status.state
            )),
            Err(e) => runner.warning(&format!("could not set the commit status: {e}")),
        }
    }
    let mut summary = format!(
        "### Verification result published: {}\n\n{} {} verified the pact with {}{}\n",
        if success {
            "✅ success"
        } else {
            "❌ failure"
        },
        markdown::cell(provider),
        markdown::code(Some(provider_version)),
        markdown::cell(consumer),
        published
            .url
            .as_deref()
            .map(|u| format!(" ([result]({u}))"))
            .unwrap_or_default()
    );
    if let Some(r) = &report {
        summary.push_str(&format!(
            "\nJUnit: {} tests, {} failed, {} skipped\n",
            r.tests, r.failed, r.skipped
        ));
    }
    runner.append_summary(&summary)?;
    Ok(Outcome::Ok)
}
