//! Request and response bodies of the calls this client makes, as the broker spells them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::matrix::Notice;

/// `onConflict` of a contract in `/contracts/publish`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    /// Replace an existing pact for the same version (the broker's default).
    #[default]
    Overwrite,
    /// Merge into an existing pact for the same version (`--merge`).
    Merge,
}

/// One pact in a publication.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub consumer: String,
    pub provider: String,
    /// The pact document; sent Base64-encoded.
    pub content: Value,
    pub on_conflict: OnConflict,
}

/// A `/contracts/publish` request.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub pacticipant: String,
    pub version: String,
    pub branch: Option<String>,
    pub tags: Vec<String>,
    pub build_url: Option<String>,
    pub contracts: Vec<Contract>,
}

impl Publication {
    /// The JSON body the broker expects.
    pub fn body(&self) -> Value {
        use base64::Engine;
        let contracts: Vec<Value> = self
            .contracts
            .iter()
            .map(|c| {
                serde_json::json!({
                    "consumerName": c.consumer,
                    "providerName": c.provider,
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": base64::engine::general_purpose::STANDARD.encode(c.content.to_string()),
                    "onConflict": c.on_conflict,
                })
            })
            .collect();
        let mut body = serde_json::json!({
            "pacticipantName": self.pacticipant,
            "pacticipantVersionNumber": self.version,
            "tags": self.tags,
            "contracts": contracts,
        });
        if let Some(b) = &self.branch {
            body["branch"] = Value::String(b.clone());
        }
        if let Some(u) = &self.build_url {
            body["buildUrl"] = Value::String(u.clone());
        }
        body
    }
}

/// What the broker said about a publication.
#[derive(Debug, Clone)]
pub struct Published {
    pub notices: Vec<Notice>,
    /// `pb:contracts`: one link per pact, the URL of the published pact.
    pub pact_urls: Vec<String>,
    /// The whole answer.
    pub body: Value,
}

/// An environment.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Environment {
    pub uuid: String,
    pub name: String,
    #[serde(rename = "displayName", default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub production: bool,
    #[serde(rename = "_links", default)]
    pub links: Value,
}

/// A deployed or released version record.
#[derive(Debug, Clone)]
pub struct DeploymentRecord {
    pub uuid: Option<String>,
    pub version: Option<String>,
    pub application_instance: Option<String>,
    /// `self` link of the record.
    pub url: Option<String>,
    pub body: Value,
}

impl DeploymentRecord {
    pub(crate) fn from_value(v: &Value) -> Self {
        let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        DeploymentRecord {
            uuid: s("/uuid"),
            version: s("/_embedded/version/number"),
            application_instance: s("/applicationInstance").or_else(|| s("/target")),
            url: s("/_links/self/href"),
            body: v.clone(),
        }
    }
}

/// A verification result to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct VerificationResult {
    pub success: bool,
    pub provider_version: String,
    pub build_url: Option<String>,
    /// `testResults`: any JSON; pactline sends an array of per-test entries.
    pub test_results: Option<Value>,
    /// `verifiedBy.implementation` and `verifiedBy.version`.
    pub verified_by: (String, String),
}

impl VerificationResult {
    pub fn body(&self) -> Value {
        let mut body = serde_json::json!({
            "success": self.success,
            "providerApplicationVersion": self.provider_version,
            "verifiedBy": {"implementation": self.verified_by.0, "version": self.verified_by.1},
        });
        if let Some(u) = &self.build_url {
            body["buildUrl"] = Value::String(u.clone());
        }
        if let Some(t) = &self.test_results {
            body["testResults"] = t.clone();
        }
        body
    }
}

/// What the broker answered to a published verification.
#[derive(Debug, Clone)]
pub struct VerificationPublished {
    /// The new result's URL (`Location`, else `_links.self`).
    pub url: Option<String>,
    pub body: Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn publication_body_has_base64_content_and_optional_fields() {
        let p = Publication {
            pacticipant: "Foo".into(),
            version: "1".into(),
            branch: Some("main".into()),
            tags: vec!["a".into()],
            build_url: None,
            contracts: vec![Contract {
                consumer: "Foo".into(),
                provider: "Bar".into(),
                content: json!({"consumer":{"name":"Foo"}}),
                on_conflict: OnConflict::Merge,
            }],
        };
        let body = p.body();
        assert_eq!(body["branch"], "main");
        assert!(body.get("buildUrl").is_none());
        assert_eq!(body["contracts"][0]["onConflict"], "merge");
        assert_eq!(
            body["contracts"][0]["content"],
            "eyJjb25zdW1lciI6eyJuYW1lIjoiRm9vIn19"
        );
    }

    #[test]
    fn verification_body() {
        let v = VerificationResult {
            success: false,
            provider_version: "p1".into(),
            build_url: Some("http://ci/1".into()),
            test_results: Some(json!([{"success": false}])),
            verified_by: ("pactline".into(), "0.1.0".into()),
        };
        assert_eq!(
            v.body(),
            json!({"success":false,"providerApplicationVersion":"p1",
                   "verifiedBy":{"implementation":"pactline","version":"0.1.0"},
                   "buildUrl":"http://ci/1","testResults":[{"success":false}]})
        );
    }
}
