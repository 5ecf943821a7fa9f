//! GitHub REST for pactline through octocrab: `repository_dispatch` (what the broker's webhook
//! sends to start a provider's verification) and commit statuses (a verification's verdict on the
//! consumer's commit).
//!
//! The API base is `GITHUB_API_URL` (set by the runner; `https://host/api/v3` on GitHub
//! Enterprise Server), else `https://api.github.com`; tests point it at a loopback fake. Requests
//! that fail on the way (connect errors, timeouts) or with 429/502/503/504 are retried with
//! backoff, honouring `Retry-After`. Errors say which call on which repository failed, keep
//! GitHub's message, and are classified (`is_unavailable`, `is_input`,
//! `is_rejected_credentials`) for the exit code. The token is a [`Token`], whose `Display` and
//! `Debug` print `***`.

mod client;
pub mod env_vars;
mod error;
mod types;

pub use client::{api_url_from_env, GitHub, GitHubConfig, DEFAULT_API_URL};
pub use error::{Call, Error};
pub use types::{pact_verification_context, CommitStatus, Repository, StatusState, Token};
