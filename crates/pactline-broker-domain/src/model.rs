//! The broker's records, as plain data. Ids are assigned by [`crate::State`] and never reused.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::Arc;

pub type Id = i64;
pub type Time = DateTime<Utc>;

#[derive(Debug, Clone, PartialEq)]
pub struct Pacticipant {
    pub id: Id,
    pub name: String,
    pub display_name: Option<String>,
    pub repository_url: Option<String>,
    pub repository_name: Option<String>,
    pub repository_namespace: Option<String>,
    pub main_branch: Option<String>,
    pub created_at: Time,
    pub updated_at: Time,
}

/// A pacticipant version. `id` doubles as the version `order` (creation sequence), as the real
/// broker's default `order_versions_by_date` does.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub id: Id,
    pub pacticipant_id: Id,
    pub number: String,
    pub build_url: Option<String>,
    pub created_at: Time,
    pub updated_at: Time,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub id: Id,
    pub pacticipant_id: Id,
    pub name: String,
    pub created_at: Time,
}

/// A version's membership of a branch. The branch head is the most recently added one (highest id).
#[derive(Debug, Clone, PartialEq)]
pub struct BranchVersion {
    pub id: Id,
    pub branch_id: Id,
    pub version_id: Id,
    pub created_at: Time,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub id: Id,
    pub version_id: Id,
    pub name: String,
    pub created_at: Time,
}

/// Pact content, unique per (consumer, provider, sha). Verifications belong to it.
#[derive(Debug, Clone, PartialEq)]
pub struct PactVersion {
    pub id: Id,
    pub consumer_id: Id,
    pub provider_id: Id,
    pub sha: String,
    /// The stored JSON document, with `_id`s on interactions.
    pub content: Arc<str>,
    pub created_at: Time,
}

/// A consumer version's pact with one provider. A republish with new content adds a revision;
/// only the highest revision counts.
#[derive(Debug, Clone, PartialEq)]
pub struct PactPublication {
    pub id: Id,
    pub consumer_id: Id,
    pub provider_id: Id,
    pub consumer_version_id: Id,
    pub pact_version_id: Id,
    pub revision_number: i64,
    pub created_at: Time,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub id: Id,
    /// The public number, from one global sequence.
    pub number: i64,
    pub pact_version_id: Id,
    pub provider_version_id: Id,
    pub success: bool,
    pub build_url: Option<String>,
    pub test_results: Option<Value>,
    pub verified_by: Option<Value>,
    pub wip: bool,
    pub pending: Option<bool>,
    /// Consumer version selectors from the metadata of the URL the results were published to.
    pub consumer_version_selectors: Option<Value>,
    /// The provider version's tags when the result was published (used by tag-based WIP).
    pub provider_tags: Vec<String>,
    pub created_at: Time,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub id: Id,
    pub uuid: String,
    pub name: String,
    pub display_name: Option<String>,
    pub production: bool,
    pub contacts: Option<Value>,
    pub created_at: Time,
    pub updated_at: Time,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeployedVersion {
    pub id: Id,
    pub uuid: String,
    pub pacticipant_id: Id,
    pub version_id: Id,
    pub environment_id: Id,
    pub target: Option<String>,
    pub created_at: Time,
    pub undeployed_at: Option<Time>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReleasedVersion {
    pub id: Id,
    pub uuid: String,
    pub pacticipant_id: Id,
    pub version_id: Id,
    pub environment_id: Id,
    pub created_at: Time,
    pub updated_at: Time,
    pub support_ended_at: Option<Time>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub id: Id,
    pub pacticipant_id: Id,
    pub name: String,
    pub created_at: Time,
}

/// Which pacticipant(s) a webhook applies to: by name or by label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacticipantSelector {
    Name(String),
    Label(String),
}

/// The HTTP request a webhook sends, with `${pactbroker.*}` and `${user.*}` placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookRequest {
    pub method: String,
    pub url: String,
    /// Header names as given; the API returns them lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: Id,
    pub uuid: String,
    pub description: Option<String>,
    pub consumer: Option<PacticipantSelector>,
    pub provider: Option<PacticipantSelector>,
    pub events: Vec<String>,
    pub enabled: bool,
    pub request: WebhookRequest,
    pub created_at: Time,
    pub updated_at: Time,
}

/// Where a triggered webhook stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookStatus {
    NotRun,
    Retrying,
    Success,
    Failure,
}

impl WebhookStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookStatus::NotRun => "not_run",
            WebhookStatus::Retrying => "retrying",
            WebhookStatus::Success => "success",
            WebhookStatus::Failure => "failure",
        }
    }

    pub fn parse(s: &str) -> WebhookStatus {
        match s {
            "retrying" => WebhookStatus::Retrying,
            "success" => WebhookStatus::Success,
            "failure" => WebhookStatus::Failure,
            _ => WebhookStatus::NotRun,
        }
    }
}

/// One delivery owed for an event: persisted with the write that raised the event, so a
/// restart resumes what was pending.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggeredWebhook {
    pub id: Id,
    pub uuid: String,
    pub webhook_id: Id,
    pub event_name: String,
    /// The `${pactbroker.*}` values, fixed when the event happened.
    pub params: std::collections::BTreeMap<String, String>,
    pub consumer_id: Option<Id>,
    pub provider_id: Option<Id>,
    pub pact_version_id: Option<Id>,
    pub verification_id: Option<Id>,
    pub status: WebhookStatus,
    pub attempts_made: u32,
    pub next_attempt_at: Option<Time>,
    pub created_at: Time,
    pub updated_at: Time,
}

/// One attempt at a delivery, with its (redacted) log.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookExecution {
    pub id: Id,
    pub triggered_webhook_id: Id,
    pub success: bool,
    pub logs: String,
    pub created_at: Time,
}

/// A value webhooks use as `${user.NAME}`: held by the broker, never returned by the API.
#[derive(Clone, PartialEq)]
pub struct Secret {
    pub id: Id,
    pub uuid: String,
    pub name: String,
    pub description: Option<String>,
    pub value: String,
    pub created_at: Time,
    pub updated_at: Time,
}

// The value never reaches logs through Debug.
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("name", &self.name)
            .field("value", &"***")
            .finish()
    }
}

/// One change to the broker's records: the unit that the store persists and the state applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    PutPacticipant(Pacticipant),
    DeletePacticipant(Id),
    PutVersion(Version),
    DeleteVersion(Id),
    PutBranch(Branch),
    DeleteBranch(Id),
    PutBranchVersion(BranchVersion),
    DeleteBranchVersion(Id),
    PutTag(Tag),
    DeleteTag(Id),
    PutPactVersion(PactVersion),
    PutPactPublication(PactPublication),
    DeletePactPublication(Id),
    PutVerification(Verification),
    PutEnvironment(Environment),
    DeleteEnvironment(Id),
    PutDeployedVersion(DeployedVersion),
    PutReleasedVersion(ReleasedVersion),
    PutLabel(Label),
    DeleteLabel(Id),
    PutWebhook(Webhook),
    DeleteWebhook(Id),
    PutTriggeredWebhook(TriggeredWebhook),
    PutWebhookExecution(WebhookExecution),
    PutSecret(Secret),
    DeleteSecret(Id),
}
