//! Command-line flags; each also reads a `PACTLINE_BROKER_*` environment variable.

use clap::{Parser, Subcommand, ValueEnum};
use pactline_broker_domain::webhooks::WebhookPolicy;
use pactline_broker_domain::Settings;
use pactline_broker_http::{AuthConfig, BrokerConfig};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "pactline-broker",
    version,
    about = "An embedded, Pact-Broker-compatible server: one binary, one SQLite file"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the Pact Broker API
    Serve(Serve),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Durability {
    /// A commit survives a crash of the broker (SQLite synchronous=NORMAL in WAL mode)
    Normal,
    /// A commit is flushed to disk before it is acknowledged (synchronous=FULL)
    Full,
}

impl From<Durability> for pactline_broker_store::Durability {
    fn from(d: Durability) -> Self {
        match d {
            Durability::Normal => pactline_broker_store::Durability::Normal,
            Durability::Full => pactline_broker_store::Durability::Full,
        }
    }
}

#[derive(clap::Args)]
pub struct Serve {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, env = "PACTLINE_BROKER_BIND", default_value = "127.0.0.1:9292")]
    pub bind: SocketAddr,
    /// SQLite database file (`:memory:` for a throwaway broker)
    #[arg(
        long,
        env = "PACTLINE_BROKER_DATABASE",
        default_value = "./pactline-broker.db"
    )]
    pub database: PathBuf,
    /// Base URL for the links in responses (default: from each request's Host header)
    #[arg(long, env = "PACTLINE_BROKER_BASE_URL")]
    pub base_url: Option<String>,
    /// Basic auth user with read and write access
    #[arg(long, env = "PACTLINE_BROKER_USERNAME", requires = "password")]
    pub username: Option<String>,
    #[arg(
        long,
        env = "PACTLINE_BROKER_PASSWORD",
        hide_env_values = true,
        requires = "username"
    )]
    pub password: Option<String>,
    /// Basic auth user with read access (which includes fetching pacts for verification)
    #[arg(
        long,
        env = "PACTLINE_BROKER_READ_ONLY_USERNAME",
        requires = "read_only_password"
    )]
    pub read_only_username: Option<String>,
    #[arg(
        long,
        env = "PACTLINE_BROKER_READ_ONLY_PASSWORD",
        hide_env_values = true,
        requires = "read_only_username"
    )]
    pub read_only_password: Option<String>,
    /// Bearer token with read and write access
    #[arg(long, env = "PACTLINE_BROKER_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Bearer token with read access
    #[arg(long, env = "PACTLINE_BROKER_READ_ONLY_TOKEN", hide_env_values = true)]
    pub read_only_token: Option<String>,
    /// Let anyone read without credentials when auth is on
    #[arg(long, env = "PACTLINE_BROKER_ALLOW_PUBLIC_READ")]
    pub allow_public_read: bool,
    /// Let anyone read badges without credentials when auth is on
    #[arg(long, env = "PACTLINE_BROKER_PUBLIC_BADGE_ACCESS")]
    pub public_badge_access: bool,
    /// Allow a changed pact to be published over an existing consumer version (the real broker's
    /// `allow_dangerous_contract_modification`; off: such a publication gets 409)
    #[arg(long, env = "PACTLINE_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION")]
    pub allow_dangerous_contract_modification: bool,
    /// How hard each commit is flushed
    #[arg(
        long,
        env = "PACTLINE_BROKER_DURABILITY",
        value_enum,
        default_value = "normal"
    )]
    pub durability: Durability,
    /// Serve POST /__pactline/provider-states, which WIPES ALL DATA on request; for verifying
    /// client contracts only; refused on a non-loopback address (builds with the
    /// `provider-states` feature)
    #[arg(long, env = "PACTLINE_BROKER_ENABLE_PROVIDER_STATES")]
    pub enable_provider_states: bool,
    /// URL schemes webhooks may use (comma-separated). The real broker's default is https only;
    /// add http for local receivers
    #[arg(
        long,
        env = "PACTLINE_BROKER_WEBHOOK_SCHEME_WHITELIST",
        value_delimiter = ',',
        default_value = "https"
    )]
    pub webhook_scheme_whitelist: Vec<String>,
    /// Hosts webhooks may call (comma-separated: exact names, `*.example.com`, or CIDR ranges such
    /// as `127.0.0.0/8`). Empty: any host except loopback ones
    #[arg(
        long,
        env = "PACTLINE_BROKER_WEBHOOK_HOST_WHITELIST",
        value_delimiter = ','
    )]
    pub webhook_host_whitelist: Vec<String>,
    /// HTTP methods webhooks may use (comma-separated)
    #[arg(
        long,
        env = "PACTLINE_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST",
        value_delimiter = ',',
        default_value = "POST"
    )]
    pub webhook_http_method_whitelist: Vec<String>,
    /// Seconds to wait before each retry of a failed webhook delivery (comma-separated)
    #[arg(
        long,
        env = "PACTLINE_BROKER_WEBHOOK_RETRY_SCHEDULE",
        value_delimiter = ',',
        default_value = "10,60,120,300,600,1200"
    )]
    pub webhook_retry_schedule: Vec<u64>,
    /// Log filter (tracing syntax), e.g. `info` or `debug`
    #[arg(long, env = "PACTLINE_BROKER_LOG_LEVEL", default_value = "info")]
    pub log_level: String,
}

/// A comma-separated list's entries, trimmed, blanks dropped.
fn entries(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Serve {
    pub fn config(&self) -> anyhow::Result<BrokerConfig> {
        if self.enable_provider_states && !cfg!(feature = "provider-states") {
            anyhow::bail!(
                "--enable-provider-states needs a build with the `provider-states` feature"
            );
        }
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                anyhow::bail!("--base-url `{url}` must be an absolute http:// or https:// URL");
            }
        }
        Ok(BrokerConfig {
            base_url: self
                .base_url
                .clone()
                .map(|u| u.trim_end_matches('/').to_string()),
            auth: AuthConfig {
                username: self.username.clone(),
                password: self.password.clone(),
                read_only_username: self.read_only_username.clone(),
                read_only_password: self.read_only_password.clone(),
                token: self.token.clone(),
                read_only_token: self.read_only_token.clone(),
                allow_public_read: self.allow_public_read,
                public_badge_access: self.public_badge_access,
            },
            settings: Settings {
                allow_dangerous_contract_modification: self.allow_dangerous_contract_modification,
                ..Settings::default()
            },
            enable_provider_states: self.enable_provider_states,
            webhook_policy: WebhookPolicy {
                scheme_whitelist: entries(&self.webhook_scheme_whitelist),
                host_whitelist: entries(&self.webhook_host_whitelist),
                method_whitelist: entries(&self.webhook_http_method_whitelist),
                retry_schedule: self.webhook_retry_schedule.clone(),
            },
        })
    }
}
