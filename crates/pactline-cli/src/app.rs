//! The `main` of every binary: mask secrets first, parse flags (usage errors exit 2), run, and turn the result into an exit code with one error line.

use std::collections::HashMap;
use std::ffi::OsString;
use std::future::Future;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches};
use pactline_runner::Runner;

use crate::env_vars;
use crate::exit::{exit_code, one_line};
use crate::outcome::{code, Outcome};

/// Flags that can hold secrets, so their values are masked before anything is printed.
pub trait Secrets {
    fn secrets(&self) -> Vec<String>;
}

/// Long flags whose values are secrets (and `-k`/`-p`), for masking argv before parsing.
const SECRET_FLAGS: &[&str] = &["--broker-token", "--broker-password", "-k", "-p"];

/// Secret values visible before parsing: the secret variables and secret flags' values.
pub fn pre_parse_secrets(env: &HashMap<String, String>, argv: &[OsString]) -> Vec<String> {
    let mut out: Vec<String> = env_vars::SECRETS
        .iter()
        .filter_map(|name| env.get(*name))
        .filter(|v| !v.trim().is_empty())
        .cloned()
        .collect();
    let args: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    for (i, arg) in args.iter().enumerate() {
        for flag in SECRET_FLAGS {
            if arg == flag {
                if let Some(value) = args.get(i + 1) {
                    out.push(value.clone());
                }
            } else if let Some(value) = arg.strip_prefix(&format!("{flag}=")) {
                out.push(value.to_string());
            } else if flag.len() == 2
                && arg.starts_with(flag)
                && arg.len() > 2
                && !arg.starts_with("--")
            {
                out.push(arg[2..].to_string());
            }
        }
        // A password inside a URL argument.
        if let Ok(url) = pactline_broker_client::Url::parse(arg) {
            if let Some(p) = url.password() {
                out.push(p.to_string());
            }
        }
    }
    if let Some(url) = env
        .get(env_vars::PACT_BROKER_BASE_URL)
        .and_then(|u| pactline_broker_client::Url::parse(u).ok())
    {
        if let Some(p) = url.password() {
            out.push(p.to_string());
        }
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

/// A clap error on one line: the message without `error:`, usage or tips, then a pointer to `--help`.
pub fn clap_one_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let mut parts: Vec<String> = Vec::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        parts.push(line.to_string());
    }
    format!("{}; run with `--help` for usage", parts.join(" "))
}

/// Runs a binary: `run` gets the parsed flags, the raw matches (for order-sensitive flags)
/// and the runner, and returns an [`Outcome`] or an error.
pub fn main<A, F>(run: F) -> ExitCode
where
    A: CommandFactory + FromArgMatches + Secrets,
    F: FnOnce(A, &ArgMatches, &mut Runner) -> anyhow::Result<Outcome>,
{
    let mut runner = Runner::from_process();
    let env: HashMap<String, String> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let argv: Vec<OsString> = std::env::args_os().collect();
    ExitCode::from(run_with(&mut runner, &env, argv, run))
}

/// [`main`] over an explicit runner, environment and argv; returns the exit code.
pub fn run_with<A, F>(
    runner: &mut Runner,
    env: &HashMap<String, String>,
    argv: Vec<OsString>,
    run: F,
) -> u8
where
    A: CommandFactory + FromArgMatches + Secrets,
    F: FnOnce(A, &ArgMatches, &mut Runner) -> anyhow::Result<Outcome>,
{
    for secret in pre_parse_secrets(env, &argv) {
        runner.mask(&secret);
    }
    let parsed = A::command()
        .try_get_matches_from(argv)
        .and_then(|m| A::from_arg_matches(&m).map(|a| (a, m)));
    let (args, matches) = match parsed {
        Ok(p) => p,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    runner.print(&e.render().to_string());
                    code::OK
                }
                _ => {
                    runner.error(&clap_one_line(&e));
                    code::USAGE
                }
            };
        }
    };
    for secret in args.secrets() {
        runner.mask(&secret);
    }
    match run(args, &matches, runner) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            runner.error(&one_line(&err));
            exit_code(&err)
        }
    }
}

/// Runs a future to completion on a single-threaded runtime (the binaries make one call at a time).
///
/// # Errors
///
/// When the runtime cannot be started.
pub fn block_on<F: Future>(future: F) -> anyhow::Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(rt.block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BrokerArgs;
    use clap::Parser;

    #[derive(Parser, Debug)]
    #[command(name = "demo")]
    struct Demo {
        #[command(flatten)]
        broker: BrokerArgs,
        #[arg(long)]
        fail: Option<String>,
    }

    impl Secrets for Demo {
        fn secrets(&self) -> Vec<String> {
            self.broker.secrets()
        }
    }

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("demo")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn run(args: &[&str], env: &[(&str, &str)]) -> (u8, String, String) {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        let (mut runner, out, err) = Runner::captured(env.clone());
        let code = run_with(&mut runner, &env, argv(args), |a: Demo, _m, _r| {
            match a.fail.as_deref() {
                Some("usage") => Err(crate::UsageError::new(format!(
                    "pact file `x.json` is bad; token was {}",
                    a.broker.broker_token.unwrap_or_default()
                ))
                .into()),
                Some("no") => Ok(Outcome::No { reasons: vec![] }),
                _ => Ok(Outcome::Ok),
            }
        });
        (code, out.contents(), err.contents())
    }

    #[test]
    fn usage_errors_exit_2_on_one_line() {
        let (code, out, err) = run(&["--no-such-flag"], &[]);
        assert_eq!(code, 2);
        assert!(out.is_empty());
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(lines[0].contains("--no-such-flag"), "{err}");
        assert!(lines[0].ends_with("run with `--help` for usage"), "{err}");
    }

    #[test]
    fn help_exits_0() {
        let (code, out, _) = run(&["--help"], &[]);
        assert_eq!(code, 0);
        assert!(out.contains("--broker-base-url"), "{out}");
        assert!(
            !out.contains("--broker-retries"),
            "hidden flags stay hidden"
        );
    }

    #[test]
    fn secrets_are_masked_before_anything_prints() {
        let (code, _out, err) = run(&["--broker-token", "tok-XYZ", "--fail", "usage"], &[]);
        assert_eq!(code, 2);
        assert!(!err.contains("tok-XYZ"), "{err}");
        assert!(err.contains("token was ***"), "{err}");
        let (_, _, err) = run(&["--fail", "usage"], &[("PACT_BROKER_TOKEN", "env-tok-1")]);
        assert!(!err.contains("env-tok-1"), "{err}");
        let (_, _, err) = run(&["-kshort-tok", "--fail", "usage"], &[]);
        assert!(!err.contains("short-tok"), "{err}");
    }

    #[test]
    fn outcomes_become_exit_codes() {
        assert_eq!(run(&[], &[]).0, 0);
        assert_eq!(run(&["--fail", "no"], &[]).0, 1);
    }

    #[test]
    fn pre_parse_finds_secret_flag_values_and_url_passwords() {
        let env: HashMap<String, String> =
            [("PACT_BROKER_PASSWORD".to_string(), "envpw".to_string())].into();
        let found = pre_parse_secrets(
            &env,
            &argv(&[
                "--broker-password=pw1",
                "-p",
                "pw2",
                "--broker-base-url",
                "https://u:urlpw@b.example",
            ]),
        );
        for want in ["envpw", "pw1", "pw2", "urlpw"] {
            assert!(found.iter().any(|f| f == want), "{want} in {found:?}");
        }
    }
}
