//! The environment variables verify-on-change reads as flag fallbacks (besides the shared
//! `PACT_BROKER_*` and `PACTLINE_*` ones in `pactline_cli::env_vars`), and the ones it sets for
//! the provider's own Pact tests in command mode.

/// `--provider`: the provider's pacticipant name.
pub const PACTLINE_PROVIDER: &str = "PACTLINE_PROVIDER";
/// `--consumer-version-selectors`: JSON selectors (an array, an object, or one object a line).
pub const PACTLINE_CONSUMER_VERSION_SELECTORS: &str = "PACTLINE_CONSUMER_VERSION_SELECTORS";
/// `--enable-pending`.
pub const PACTLINE_ENABLE_PENDING: &str = "PACTLINE_ENABLE_PENDING";
/// `--include-wip-pacts-since`: a date.
pub const PACTLINE_INCLUDE_WIP_PACTS_SINCE: &str = "PACTLINE_INCLUDE_WIP_PACTS_SINCE";
/// `--provider-base-url`: where the running provider answers (native mode).
pub const PACTLINE_PROVIDER_BASE_URL: &str = "PACTLINE_PROVIDER_BASE_URL";
/// `--provider-states-setup-url`: where provider states are set up (native mode).
pub const PACTLINE_PROVIDER_STATES_SETUP_URL: &str = "PACTLINE_PROVIDER_STATES_SETUP_URL";
/// `--framework-publishes`: the command's test framework publishes the results itself.
pub const PACTLINE_FRAMEWORK_PUBLISHES: &str = "PACTLINE_FRAMEWORK_PUBLISHES";
/// `--commit-status`: set a commit status on each verified consumer commit.
pub const PACTLINE_COMMIT_STATUS: &str = "PACTLINE_COMMIT_STATUS";
/// `--consumer-repository`: the consumer's repository, `OWNER/REPO`, for commit statuses.
pub const PACTLINE_CONSUMER_REPOSITORY: &str = "PACTLINE_CONSUMER_REPOSITORY";

/// Set for the command: the pact to verify.
pub const PACT_URL: &str = "PACT_URL";
/// Set for the command: the provider's name (as the Rust verifier CLI reads it).
pub const PACT_PROVIDER_NAME: &str = "PACT_PROVIDER_NAME";
/// Set for the command: the provider version to publish results as.
pub const PACT_PROVIDER_VERSION: &str = "PACT_PROVIDER_VERSION";
/// Set for the command: the provider version's branch (removed when there is none).
pub const PACT_PROVIDER_BRANCH: &str = "PACT_PROVIDER_BRANCH";
/// Set for the command: `true` when the framework publishes, `false` when verify-on-change does.
pub const PACT_BROKER_PUBLISH_VERIFICATION_RESULTS: &str =
    "PACT_BROKER_PUBLISH_VERIFICATION_RESULTS";
/// Set to `true` before the native verifier runs, so it sends no usage metrics.
#[cfg(feature = "native")]
pub const PACT_DO_NOT_TRACK: &str = "PACT_DO_NOT_TRACK";
