//! HAL relation names, as the real Pact Broker names them.

pub const PUBLISH_PACT: &str = "pb:publish-pact";
pub const PUBLISH_CONTRACTS: &str = "pb:publish-contracts";
pub const PACTICIPANTS: &str = "pb:pacticipants";
pub const PACTICIPANT: &str = "pb:pacticipant";
pub const PACTICIPANT_VERSION: &str = "pb:pacticipant-version";
pub const PACTICIPANT_VERSION_TAG: &str = "pb:pacticipant-version-tag";
pub const PACTICIPANT_BRANCH: &str = "pb:pacticipant-branch";
pub const PACTICIPANT_BRANCH_VERSION: &str = "pb:pacticipant-branch-version";
pub const LATEST_VERSION: &str = "pb:latest-version";
pub const LATEST_TAGGED_VERSION: &str = "pb:latest-tagged-version";
pub const PROVIDER_PACTS_FOR_VERIFICATION: &str = "pb:provider-pacts-for-verification";
pub const PUBLISH_VERIFICATION_RESULTS: &str = "pb:publish-verification-results";
pub const ENVIRONMENTS: &str = "pb:environments";
pub const ENVIRONMENT: &str = "pb:environment";
pub const RECORD_DEPLOYMENT: &str = "pb:record-deployment";
pub const RECORD_RELEASE: &str = "pb:record-release";
pub const BRANCH_VERSION: &str = "pb:branch-version";
pub const VERSION_TAG: &str = "pb:version-tag";
pub const WEBHOOKS: &str = "pb:webhooks";
pub const WEBHOOK: &str = "pb:webhook";
pub const CAN_I_DEPLOY_TO_ENVIRONMENT: &str = "pb:can-i-deploy-pacticipant-version-to-environment";
pub const CAN_I_DEPLOY_TO_TAG: &str = "pb:can-i-deploy-pacticipant-version-to-tag";
pub const CURRENTLY_DEPLOYED: &str = "pb:currently-deployed-deployed-versions";
pub const CURRENTLY_SUPPORTED: &str = "pb:currently-supported-released-versions";
