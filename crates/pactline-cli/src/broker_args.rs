//! The broker connection flags every binary shares, with the `PACT_BROKER_*` fallbacks every Pact client reads.

use std::time::Duration;

use anyhow::Context as _;
use pactline_broker_client::{Auth, ClientConfig, RetryPolicy, Secret};

use crate::env_vars as v;
use crate::exit::UsageError;

/// `--broker-base-url`, `--broker-token`, `--broker-username`, `--broker-password`
/// (`-b -k -u -p`, as the `pact-broker` CLI has them), and hidden tuning flags.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct BrokerArgs {
    /// The Pact Broker's base URL
    #[arg(short = 'b', long, env = v::PACT_BROKER_BASE_URL, value_name = "URL")]
    pub broker_base_url: Option<String>,
    /// Bearer token for the broker (takes precedence over username/password)
    #[arg(short = 'k', long, env = v::PACT_BROKER_TOKEN, hide_env_values = true, value_name = "TOKEN")]
    pub broker_token: Option<String>,
    /// Basic auth username for the broker
    #[arg(short = 'u', long, env = v::PACT_BROKER_USERNAME, value_name = "USERNAME")]
    pub broker_username: Option<String>,
    /// Basic auth password for the broker
    #[arg(short = 'p', long, env = v::PACT_BROKER_PASSWORD, hide_env_values = true, value_name = "PASSWORD")]
    pub broker_password: Option<String>,
    /// Retries of a failed idempotent request
    #[arg(long, env = v::PACTLINE_BROKER_RETRIES, default_value_t = 5, hide = true)]
    pub broker_retries: u32,
    /// Seconds to establish a connection
    #[arg(long, env = v::PACTLINE_BROKER_CONNECT_TIMEOUT, default_value_t = 10.0, hide = true)]
    pub broker_connect_timeout: f64,
    /// Seconds for one attempt of a request
    #[arg(long, env = v::PACTLINE_BROKER_REQUEST_TIMEOUT, default_value_t = 30.0, hide = true)]
    pub broker_request_timeout: f64,
    /// Seconds for one call with all its retries
    #[arg(long, env = v::PACTLINE_BROKER_DEADLINE, default_value_t = 120.0, hide = true)]
    pub broker_deadline: f64,
}

fn nonblank(value: Option<&String>) -> Option<&str> {
    value.map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn seconds(flag: &str, value: f64) -> Result<Duration, UsageError> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        UsageError::new(format!(
            "`--{flag}` must be a non-negative number of seconds, got `{value}`"
        ))
    })
}

impl BrokerArgs {
    /// Every secret in these flags (token, password, a password inside the URL), for masking.
    pub fn secrets(&self) -> Vec<String> {
        let mut out: Vec<String> = [&self.broker_token, &self.broker_password]
            .into_iter()
            .filter_map(|s| nonblank(s.as_ref()).map(str::to_string))
            .collect();
        if let Some(url) = nonblank(self.broker_base_url.as_ref()) {
            if let Ok(parsed) = pactline_broker_client::Url::parse(url) {
                if let Some(p) = parsed.password() {
                    out.push(p.to_string());
                }
            }
        }
        out
    }

    /// The base URL given, if any.
    pub fn base_url(&self) -> Option<&str> {
        nonblank(self.broker_base_url.as_ref())
    }

    /// The client configuration; `fallback_base_url` is used when no base URL was given
    /// (record-results verification takes the pact URL's origin).
    ///
    /// # Errors
    ///
    /// No base URL, or a malformed one (both name the flag), or a bad timeout.
    pub fn client_config(&self, fallback_base_url: Option<&str>) -> anyhow::Result<ClientConfig> {
        let base = self.base_url().or(fallback_base_url).ok_or_else(|| {
            UsageError::new(
                "no broker URL: pass `--broker-base-url` or set `PACT_BROKER_BASE_URL` to the Pact Broker's URL",
            )
        })?;
        let mut config = ClientConfig::new(base)
            .context("`--broker-base-url` (`PACT_BROKER_BASE_URL`) is wrong")?;
        let token = nonblank(self.broker_token.as_ref());
        let user = nonblank(self.broker_username.as_ref());
        let password = nonblank(self.broker_password.as_ref());
        config.auth = match (token, user) {
            (Some(t), _) => Some(Auth::Token(Secret::new(t))),
            (None, Some(u)) => Some(Auth::Basic {
                username: u.to_string(),
                password: Secret::new(password.unwrap_or_default()),
            }),
            (None, None) if password.is_some() => {
                return Err(UsageError::new(
                    "`--broker-password` (`PACT_BROKER_PASSWORD`) is set without `--broker-username` (`PACT_BROKER_USERNAME`)",
                )
                .into())
            }
            (None, None) => None,
        };
        config.retry = RetryPolicy {
            max_retries: self.broker_retries,
            ..RetryPolicy::default()
        };
        config.connect_timeout = seconds("broker-connect-timeout", self.broker_connect_timeout)?;
        config.request_timeout = seconds("broker-request-timeout", self.broker_request_timeout)?;
        config.deadline = seconds("broker-deadline", self.broker_deadline)?;
        Ok(config)
    }

    /// True when both a token and a username are set (the token is used).
    pub fn token_and_username(&self) -> bool {
        nonblank(self.broker_token.as_ref()).is_some()
            && nonblank(self.broker_username.as_ref()).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::exit_code;

    fn args(base: Option<&str>) -> BrokerArgs {
        BrokerArgs {
            broker_base_url: base.map(str::to_string),
            broker_retries: 5,
            broker_connect_timeout: 10.0,
            broker_request_timeout: 30.0,
            broker_deadline: 120.0,
            ..BrokerArgs::default()
        }
    }

    #[test]
    fn missing_and_malformed_urls_are_usage_errors_naming_the_flag() {
        let err = args(None).client_config(None).unwrap_err();
        assert_eq!(exit_code(&err), 2);
        assert!(format!("{err:#}").contains("--broker-base-url"));
        let err = args(Some("broker.example.com"))
            .client_config(None)
            .unwrap_err();
        assert_eq!(exit_code(&err), 2);
        assert!(format!("{err:#}").contains("--broker-base-url"), "{err:#}");
    }

    #[test]
    fn token_wins_over_basic_and_secrets_are_collected() {
        let mut a = args(Some("https://ci:pw-in-url@b.example"));
        a.broker_token = Some("tok".into());
        a.broker_username = Some("user".into());
        a.broker_password = Some("pw".into());
        let config = a.client_config(None).unwrap();
        assert_eq!(config.auth, Some(Auth::Token(Secret::new("tok"))));
        assert!(a.token_and_username());
        assert_eq!(a.secrets(), vec!["tok", "pw", "pw-in-url"]);
    }

    #[test]
    fn blank_values_count_as_unset() {
        let mut a = args(Some("  "));
        a.broker_token = Some(" ".into());
        assert!(a.client_config(Some("http://fallback.example")).is_ok());
        assert!(a.secrets().is_empty());
        assert_eq!(
            a.client_config(Some("http://fallback.example"))
                .unwrap()
                .auth,
            None
        );
    }
}
