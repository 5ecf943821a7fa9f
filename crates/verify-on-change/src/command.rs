//! Command mode: the provider's own Pact tests, run once per pact with the environment Pact
//! frameworks read (`PACT_URL`, `PACT_BROKER_BASE_URL`, `PACT_PROVIDER_VERSION`, …); the exit
//! code is the verdict.

use std::process::Command;

use pactline_cli::env_vars as v;
use pactline_cli::UsageError;

use crate::env_vars as e;

/// What the command gets, besides the job's own environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandEnv {
    pub pact_url: String,
    pub broker_base_url: String,
    pub provider: String,
    pub provider_version: String,
    pub provider_branch: Option<String>,
    pub framework_publishes: bool,
    /// Broker credentials given as flags (as env they are inherited anyway).
    pub broker_token: Option<String>,
    pub broker_username: Option<String>,
    pub broker_password: Option<String>,
}

impl CommandEnv {
    /// Variables to set (`Some`) or remove (`None`).
    pub fn vars(&self) -> Vec<(&'static str, Option<String>)> {
        let mut out = vec![
            (e::PACT_URL, Some(self.pact_url.clone())),
            (v::PACT_BROKER_BASE_URL, Some(self.broker_base_url.clone())),
            (e::PACT_PROVIDER_NAME, Some(self.provider.clone())),
            (
                e::PACT_PROVIDER_VERSION,
                Some(self.provider_version.clone()),
            ),
            (e::PACT_PROVIDER_BRANCH, self.provider_branch.clone()),
            // Exactly one of the framework and verify-on-change publishes.
            (
                e::PACT_BROKER_PUBLISH_VERIFICATION_RESULTS,
                Some(self.framework_publishes.to_string()),
            ),
        ];
        for (name, value) in [
            (v::PACT_BROKER_TOKEN, &self.broker_token),
            (v::PACT_BROKER_USERNAME, &self.broker_username),
            (v::PACT_BROKER_PASSWORD, &self.broker_password),
        ] {
            if let Some(value) = value {
                out.push((name, Some(value.clone())));
            }
        }
        out
    }
}

/// How the command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandOutcome {
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
}

impl CommandOutcome {
    pub fn success(self) -> bool {
        self.code == Some(0)
    }

    pub fn describe(self) -> String {
        match self.code {
            Some(c) => format!("exit code {c}"),
            None => "ended by a signal".to_string(),
        }
    }
}

/// Runs `argv` with `env` applied, its output going to this step's log.
///
/// # Errors
///
/// The command could not be started (not found, not executable).
pub fn run(argv: &[String], env: &CommandEnv) -> Result<CommandOutcome, UsageError> {
    let (program, rest) = argv
        .split_first()
        .ok_or_else(|| UsageError::new("the command after `--` is empty"))?;
    let mut cmd = Command::new(program);
    cmd.args(rest);
    for (name, value) in env.vars() {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    let status = cmd.status().map_err(|err| {
        UsageError::new(format!(
            "could not run the command `{program}`: {err}; check the command after `--`"
        ))
    })?;
    Ok(CommandOutcome {
        code: status.code(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(framework_publishes: bool) -> CommandEnv {
        CommandEnv {
            pact_url: "http://b/pacts/provider/p/consumer/c/pact-version/abc".into(),
            broker_base_url: "http://b".into(),
            provider: "p".into(),
            provider_version: "1.2.3".into(),
            provider_branch: None,
            framework_publishes,
            broker_token: Some("tok".into()),
            broker_username: None,
            broker_password: None,
        }
    }

    #[test]
    fn the_command_gets_the_pact_and_exactly_one_publisher() {
        let vars = env(false).vars();
        let get = |n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
        assert_eq!(
            get("PACT_URL"),
            Some(Some(
                "http://b/pacts/provider/p/consumer/c/pact-version/abc".into()
            ))
        );
        assert_eq!(get("PACT_PROVIDER_VERSION"), Some(Some("1.2.3".into())));
        assert_eq!(
            get("PACT_PROVIDER_BRANCH"),
            Some(None),
            "removed when unknown"
        );
        assert_eq!(
            get("PACT_BROKER_PUBLISH_VERIFICATION_RESULTS"),
            Some(Some("false".into()))
        );
        assert_eq!(get("PACT_BROKER_TOKEN"), Some(Some("tok".into())));
        assert_eq!(get("PACT_BROKER_USERNAME"), None);
        let vars = env(true).vars();
        assert!(vars.contains(&(
            "PACT_BROKER_PUBLISH_VERIFICATION_RESULTS",
            Some("true".into())
        )));
    }

    #[cfg(unix)]
    #[test]
    fn exit_codes_are_the_verdict() {
        let sh =
            |script: &str| run(&["sh".into(), "-c".into(), script.into()], &env(false)).unwrap();
        assert!(sh(
            r#"test "$PACT_PROVIDER_VERSION" = 1.2.3 && test -z "${PACT_PROVIDER_BRANCH+x}""#
        )
        .success());
        let failed = sh("exit 3");
        assert!(!failed.success());
        assert_eq!(failed.describe(), "exit code 3");
        let err = run(&["/no/such/command".into()], &env(false)).unwrap_err();
        assert!(err.to_string().contains("`/no/such/command`"), "{err}");
    }
}
