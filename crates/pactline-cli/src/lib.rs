//! Shared CLI plumbing for pactline's action binaries: the broker flags with their `PACT_BROKER_*`
//! fallbacks, [`Outcome`], the one error → exit-code map, and the `main` wrapper.
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | yes / done ([`Outcome::Ok`]) |
//! | 1 | no: not deployable ([`Outcome::No`]) |
//! | 2 | usage or input error: flags, files, no version detectable, a broker 4xx about our input |
//! | 3 | broker unreachable or failing after retries (connect, timeout, 5xx, 429), or credentials rejected (401/403) |
//! | 4 | still unknown after polling ([`Outcome::Unknown`]) |

mod app;
mod broker_args;
mod commit_status;
mod context;
pub mod env_vars;
mod exit;
pub mod markdown;
mod outcome;

pub use app::{block_on, clap_one_line, main, pre_parse_secrets, run_with, Secrets};
pub use broker_args::BrokerArgs;
pub use commit_status::{status_target, StatusTarget};
pub use context::detect_context;
pub use exit::{classify, exit_code, hint, one_line, Class, UsageError};
pub use outcome::{code, Outcome};
