//! Pacts for verification: which pacts a provider version must verify (consumer version
//! selectors, pending, WIP), asked the way the official verifiers ask.

use reqwest::Method;
use serde_json::{json, Value};

use pactline_broker_api::{paths, rels};

use crate::client::{BrokerClient, Call};
use crate::error::Error;
use crate::redact::RedactedUrl;

/// The body of `POST pb:provider-pacts-for-verification`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PactsForVerificationQuery {
    /// Consumer version selectors as JSON objects (`{"mainBranch":true}`, …), passed through.
    pub consumer_version_selectors: Vec<Value>,
    /// The provider version's branch: needed by `matchingBranch` and for pending and WIP.
    pub provider_version_branch: Option<String>,
    pub provider_version_tags: Vec<String>,
    /// Ask for the pending status of each pact (the broker's `includePendingStatus`).
    pub include_pending_status: bool,
    /// Also return work-in-progress pacts published since this date.
    pub include_wip_pacts_since: Option<String>,
}

impl PactsForVerificationQuery {
    pub fn body(&self) -> Value {
        let mut body = json!({
            "consumerVersionSelectors": self.consumer_version_selectors,
            "includePendingStatus": self.include_pending_status,
        });
        if let Some(b) = &self.provider_version_branch {
            body["providerVersionBranch"] = Value::String(b.clone());
        }
        if !self.provider_version_tags.is_empty() {
            body["providerVersionTags"] = json!(self.provider_version_tags);
        }
        if let Some(since) = &self.include_wip_pacts_since {
            body["includeWipPactsSince"] = Value::String(since.clone());
        }
        body
    }
}

/// A broker notice about a pact to verify (`when` is e.g. `before_verification`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationNotice {
    pub when: String,
    pub text: String,
}

/// One pact the provider must verify.
#[derive(Debug, Clone, PartialEq)]
pub struct PactForVerification {
    /// The pact's URL (`_links.self.href`), with the selection metadata the results need.
    pub url: String,
    /// `_links.self.name`, e.g. "Pact between web-app (c0ffee1) and orders-api".
    pub name: Option<String>,
    pub short_description: Option<String>,
    /// A failure of a pending pact does not fail the provider's build.
    pub pending: bool,
    /// Work in progress: included by `includeWipPactsSince`, and pending.
    pub wip: bool,
    pub notices: Vec<VerificationNotice>,
}

impl PactForVerification {
    fn from_value(v: &Value) -> Option<Self> {
        let text = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        let flag = |p: &str| v.pointer(p).and_then(Value::as_bool).unwrap_or(false);
        let notices = v
            .pointer("/verificationProperties/notices")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|n| {
                        Some(VerificationNotice {
                            when: n.get("when").and_then(Value::as_str)?.to_string(),
                            text: n.get("text").and_then(Value::as_str)?.to_string(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(PactForVerification {
            url: text("/_links/self/href")?,
            name: text("/_links/self/name"),
            short_description: text("/shortDescription"),
            pending: flag("/verificationProperties/pending"),
            wip: flag("/verificationProperties/wip"),
            notices,
        })
    }
}

impl BrokerClient {
    /// The pacts `provider` must verify for `query`, from the index's
    /// `pb:provider-pacts-for-verification` (else the fixed path).
    ///
    /// The POST only reads, so it is retried like a GET.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when the broker knows no such provider; its 400 for invalid selectors,
    /// with its messages; the broker unreachable; an answer without `_embedded.pacts`.
    pub async fn pacts_for_verification(
        &self,
        provider: &str,
        query: &PactsForVerificationQuery,
    ) -> Result<Vec<PactForVerification>, Error> {
        let url = self
            .navigate(
                rels::PROVIDER_PACTS_FOR_VERIFICATION,
                &[("provider", provider)],
                &paths::provider_pacts_for_verification(provider),
            )
            .await?;
        let call = Call::with_body(Method::POST, url.clone(), query.body()).idempotent();
        let body = match self.send(call).await {
            Ok(reply) => reply.body,
            Err(e) if e.status() == Some(reqwest::StatusCode::NOT_FOUND) => {
                return Err(Error::NotFound {
                    what: format!("provider `{provider}`"),
                    hint: ": check its name, or publish a pact for it first".into(),
                })
            }
            Err(e) => return Err(e),
        };
        let items = body
            .pointer("/_embedded/pacts")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::InvalidResponse {
                method: Method::POST,
                url: RedactedUrl::new(url.clone()),
                reason: "no `_embedded.pacts` list".into(),
            })?;
        items
            .iter()
            .map(|item| {
                PactForVerification::from_value(item).ok_or_else(|| Error::InvalidResponse {
                    method: Method::POST,
                    url: RedactedUrl::new(url.clone()),
                    reason: "a pact without `_links.self.href`".into(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_body_has_only_what_is_set() {
        let q = PactsForVerificationQuery {
            consumer_version_selectors: vec![json!({"mainBranch": true})],
            include_pending_status: true,
            ..Default::default()
        };
        assert_eq!(
            q.body(),
            json!({"consumerVersionSelectors":[{"mainBranch":true}],"includePendingStatus":true})
        );
        let q = PactsForVerificationQuery {
            provider_version_branch: Some("main".into()),
            provider_version_tags: vec!["prod".into()],
            include_wip_pacts_since: Some("2026-01-01".into()),
            ..q
        };
        let body = q.body();
        assert_eq!(body["providerVersionBranch"], "main");
        assert_eq!(body["providerVersionTags"], json!(["prod"]));
        assert_eq!(body["includeWipPactsSince"], "2026-01-01");
    }

    #[test]
    fn pacts_read_pending_wip_and_notices() {
        let v = json!({
            "shortDescription": "latest from main branch",
            "verificationProperties": {
                "pending": true, "wip": true,
                "notices": [{"when": "before_verification", "text": "The pact at … is being verified"}, {"bad": 1}]
            },
            "_links": {"self": {"href": "http://b/pacts/provider/P/consumer/C/pact-version/abc/metadata/xyz", "name": "Pact between C (1) and P"}}
        });
        let p = PactForVerification::from_value(&v).unwrap();
        assert!(p.pending && p.wip);
        assert_eq!(p.name.as_deref(), Some("Pact between C (1) and P"));
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].when, "before_verification");
        let bare =
            PactForVerification::from_value(&json!({"_links":{"self":{"href":"u"}}})).unwrap();
        assert!(!bare.pending && !bare.wip && bare.notices.is_empty());
        assert!(PactForVerification::from_value(&json!({})).is_none());
    }
}
