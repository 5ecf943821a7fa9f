//! Every environment variable pactline's action binaries read as a flag fallback, in one place, each with what it holds.
//!
//! Broker connection variables are the ones every Pact client reads (`PACT_BROKER_*`); the
//! two can-i-deploy ones are the Ruby client's; the rest are pactline's own (`PACTLINE_*`).

/// `--broker-base-url`: the broker's URL.
pub const PACT_BROKER_BASE_URL: &str = "PACT_BROKER_BASE_URL";
/// `--broker-token`: a Bearer token (PactFlow, `pactline-broker --token`).
pub const PACT_BROKER_TOKEN: &str = "PACT_BROKER_TOKEN";
/// `--broker-username`: HTTP Basic user.
pub const PACT_BROKER_USERNAME: &str = "PACT_BROKER_USERNAME";
/// `--broker-password`: HTTP Basic password.
pub const PACT_BROKER_PASSWORD: &str = "PACT_BROKER_PASSWORD";
/// Hidden `--broker-retries`: retries of a failed idempotent request (default 5).
pub const PACTLINE_BROKER_RETRIES: &str = "PACTLINE_BROKER_RETRIES";
/// Hidden `--broker-connect-timeout`: seconds to connect (default 10).
pub const PACTLINE_BROKER_CONNECT_TIMEOUT: &str = "PACTLINE_BROKER_CONNECT_TIMEOUT";
/// Hidden `--broker-request-timeout`: seconds for one attempt (default 30).
pub const PACTLINE_BROKER_REQUEST_TIMEOUT: &str = "PACTLINE_BROKER_REQUEST_TIMEOUT";
/// Hidden `--broker-deadline`: seconds for one call with all its retries (default 120).
pub const PACTLINE_BROKER_DEADLINE: &str = "PACTLINE_BROKER_DEADLINE";

/// publish-pact `--consumer-app-version`.
pub const PACTLINE_CONSUMER_APP_VERSION: &str = "PACTLINE_CONSUMER_APP_VERSION";
/// publish-pact `--branch`.
pub const PACTLINE_BRANCH: &str = "PACTLINE_BRANCH";
/// publish-pact `--tag` (comma-separated).
pub const PACTLINE_TAG: &str = "PACTLINE_TAG";
/// `--build-url` (publish-pact, record-results verification).
pub const PACTLINE_BUILD_URL: &str = "PACTLINE_BUILD_URL";
/// publish-pact `--merge`.
pub const PACTLINE_MERGE: &str = "PACTLINE_MERGE";

/// `--pacticipant` (can-i-deploy-gate: the first one; record-results).
pub const PACTLINE_PACTICIPANT: &str = "PACTLINE_PACTICIPANT";
/// `--version` (can-i-deploy-gate: of the first pacticipant; record-results).
pub const PACTLINE_VERSION: &str = "PACTLINE_VERSION";
/// can-i-deploy-gate `--to-environment`.
pub const PACTLINE_TO_ENVIRONMENT: &str = "PACTLINE_TO_ENVIRONMENT";
/// can-i-deploy-gate `--to`.
pub const PACTLINE_TO: &str = "PACTLINE_TO";
/// can-i-deploy-gate `--ignore` (comma-separated pacticipant names), as the Ruby client reads it.
pub const PACT_BROKER_CAN_I_DEPLOY_IGNORE: &str = "PACT_BROKER_CAN_I_DEPLOY_IGNORE";
/// can-i-deploy-gate `--dry-run`, as the Ruby client reads it.
pub const PACT_BROKER_CAN_I_DEPLOY_DRY_RUN: &str = "PACT_BROKER_CAN_I_DEPLOY_DRY_RUN";
/// can-i-deploy-gate `--retry-while-unknown`.
pub const PACTLINE_RETRY_WHILE_UNKNOWN: &str = "PACTLINE_RETRY_WHILE_UNKNOWN";
/// can-i-deploy-gate `--retry-interval` (seconds).
pub const PACTLINE_RETRY_INTERVAL: &str = "PACTLINE_RETRY_INTERVAL";
/// can-i-deploy-gate `--output` (`table` or `json`).
pub const PACTLINE_OUTPUT: &str = "PACTLINE_OUTPUT";

/// record-results `--environment`.
pub const PACTLINE_ENVIRONMENT: &str = "PACTLINE_ENVIRONMENT";
/// record-results `--application-instance`.
pub const PACTLINE_APPLICATION_INSTANCE: &str = "PACTLINE_APPLICATION_INSTANCE";
/// record-results verification `--pact-url` (also read from a dispatch payload's `pact_url`).
pub const PACTLINE_PACT_URL: &str = "PACTLINE_PACT_URL";
/// record-results verification `--provider-app-version`.
pub const PACTLINE_PROVIDER_APP_VERSION: &str = "PACTLINE_PROVIDER_APP_VERSION";
/// record-results verification `--provider-branch`.
pub const PACTLINE_PROVIDER_BRANCH: &str = "PACTLINE_PROVIDER_BRANCH";
/// record-results verification `--success`.
pub const PACTLINE_SUCCESS: &str = "PACTLINE_SUCCESS";
/// record-results verification `--exit-code`.
pub const PACTLINE_EXIT_CODE: &str = "PACTLINE_EXIT_CODE";
/// record-results verification `--junit`.
pub const PACTLINE_JUNIT: &str = "PACTLINE_JUNIT";

/// Variables whose values are secrets: masked before anything is printed.
pub const SECRETS: &[&str] = &[PACT_BROKER_TOKEN, PACT_BROKER_PASSWORD];
