//! can-i-deploy-gate's steps: build the matrix query, ask (polling while unknown), then print, set outputs and write the summary.

use std::time::Duration;

use anyhow::Context as _;
use clap::ArgMatches;
use pactline_broker_client::{BrokerClient, Matrix, MatrixQuery};
use pactline_ci_context::Overrides;
use pactline_cli::{block_on, detect_context, Outcome, UsageError};
use pactline_runner::Runner;

use crate::args::{self, Args, OutputFormat};
use crate::report;

pub fn run(args: Args, matches: &ArgMatches, runner: &mut Runner) -> anyhow::Result<Outcome> {
    let question = args::question(&args, matches)?;
    let interval = Duration::try_from_secs_f64(args.retry_interval).map_err(|_| {
        UsageError::new(format!(
            "`--retry-interval` must be a non-negative number of seconds, got `{}`",
            args.retry_interval
        ))
    })?;
    // A single pacticipant without a version is this CI run's commit.
    let needs_default = question.selectors.len() == 1 && question.selectors[0].1.is_none();
    let default_version = if needs_default {
        let env = pactline_ci_context::process_env();
        let ctx =
            detect_context(&env, &Overrides::default()).context("reading the pipeline context")?;
        if let Some(sha) = &ctx.sha {
            runner.info(&format!("version of {}: {sha}", question.selectors[0].0));
        }
        ctx.sha.map(|s| s.value)
    } else {
        None
    };
    let selectors = args::resolve(&question, default_version.as_deref())?;
    let query = MatrixQuery {
        selectors: selectors.clone(),
        target: question.target.clone(),
        ignore: question.ignore.clone(),
    };
    let asked = report::question_text(&selectors, &question.target);
    let client = BrokerClient::new(args.broker.client_config(None)?)?;

    let mut retries_left = args.retry_while_unknown;
    let (matrix, raw): (Matrix, serde_json::Value) = loop {
        let (matrix, raw) = block_on(client.matrix(&query))?.with_context(|| {
            format!(
                "asking {} whether {asked} can be deployed",
                client.base_url()
            )
        })?;
        if matrix.summary.deployable.is_some() || retries_left == 0 || args.dry_run {
            break (matrix, raw);
        }
        let attempt = args.retry_while_unknown - retries_left + 1;
        runner.info(&format!(
            "Waiting for {} verification result(s) to be published (retry {attempt} of {}, next in {} s)",
            matrix.summary.unknown,
            args.retry_while_unknown,
            interval.as_secs_f64()
        ));
        retries_left -= 1;
        std::thread::sleep(interval);
    };

    let deployable = matrix.summary.deployable;
    let reasons = report::reasons(&matrix);
    let prefix = if args.dry_run { "[dry-run] " } else { "" };
    match args.output {
        OutputFormat::Json => {
            runner.print(&serde_json::to_string_pretty(&raw).unwrap_or_else(|_| raw.to_string()));
        }
        OutputFormat::Table => {
            let mut text = format!("{prefix}{}: {asked}\n\n", report::headline(deployable));
            text.push_str(&report::text_table(&matrix));
            if !reasons.is_empty() {
                text.push('\n');
                for r in &reasons {
                    text.push_str(&format!("{prefix}{r}\n"));
                }
            }
            runner.print(text.trim_end());
        }
    }

    runner.set_output("deployable", report::deployable_text(deployable))?;
    runner.set_output("reason", &matrix.summary.reason)?;
    runner.append_summary(&report::summary_markdown(&matrix, &asked, args.dry_run))?;

    let outcome = match deployable {
        Some(true) => Outcome::Ok,
        Some(false) => Outcome::No { reasons },
        None => Outcome::Unknown { reasons },
    };
    if args.dry_run {
        if outcome != Outcome::Ok {
            runner.print(&format!(
                "[dry-run] Dry run enabled: exiting 0 instead of {}",
                outcome.exit_code()
            ));
        }
        return Ok(Outcome::Ok);
    }
    match &outcome {
        Outcome::Ok => {}
        Outcome::No { .. } => {
            runner.error(&format!("can-i-deploy says no: {asked}: {}", one(&matrix)))
        }
        Outcome::Unknown { .. } => runner.error(&format!(
            "can-i-deploy is still unknown after {} retries: {asked}: {}",
            args.retry_while_unknown,
            one(&matrix)
        )),
    }
    Ok(outcome)
}

fn one(matrix: &Matrix) -> String {
    report::reasons(matrix).join("; ")
}
