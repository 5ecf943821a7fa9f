//! The response body (`VerifiablePactsDecorator`, `VerifiablePactDecorator`) and its notices
//! (`BuildVerifiablePactNotices`).

use super::messages::Messages;
use super::metadata::encode_metadata;
use super::{BranchSelector, PactsForVerificationQuery, VerifiablePact};
use crate::model::Id;
use crate::state::State;
use pactline_broker_api::paths;
use serde::Serialize;
use serde_json::{json, Map, Value};

const DEPRECATION_WARNING: &str = "WARNING - this version of the Pact library uses a beta version of the API which will be removed in the future. Please upgrade your Pact library. See https://docs.pact.io/pact_broker/advanced_topics/provider_verification_results/#pacts-for-verification for minimum required versions.";

/// One `verificationProperties.notices[]` entry: `{"when": …, "text": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationNotice {
    pub when: String,
    pub text: String,
}

/// `build_metadata_for_pact_for_verification`: `{"w": true}` for a WIP pact, else
/// `{"s": [{"b","t","l","e","cv"}…], "p": pending}` without the unset keys. `cv` is the selected
/// consumer version's id.
pub fn metadata_for_verifiable_pact(pact: &VerifiablePact) -> Value {
    if pact.wip {
        return json!({ "w": true });
    }
    let selectors: Vec<Value> = pact
        .selectors
        .iter()
        .map(|rs| {
            let s = &rs.selector;
            let mut m = Map::new();
            match &s.branch {
                Some(BranchSelector::Name(b)) => {
                    m.insert("b".into(), b.clone().into());
                }
                Some(BranchSelector::All) => {
                    m.insert("b".into(), true.into());
                }
                None => {}
            }
            if let Some(t) = &s.tag {
                m.insert("t".into(), t.clone().into());
            }
            if let Some(l) = s.latest {
                m.insert("l".into(), l.into());
            }
            if let Some(e) = &s.environment {
                m.insert("e".into(), e.clone().into());
            }
            m.insert("cv".into(), rs.consumer_version_id.into());
            Value::Object(m)
        })
        .collect();
    let mut m = Map::new();
    m.insert("s".into(), Value::Array(selectors));
    if let Some(p) = pact.pending {
        m.insert("p".into(), p.into());
    }
    Value::Object(m)
}

fn pact_version_url(
    state: &State,
    pact: &VerifiablePact,
    base_url: &str,
    metadata: Option<&Value>,
) -> String {
    let path = paths::pact_version(
        pact.provider_name(state),
        pact.consumer_name(state),
        pact.sha(state),
    );
    match metadata
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty())
    {
        Some(m) => format!(
            "{base_url}{path}/metadata/{}",
            encode_metadata(&Value::Object(m.clone()))
        ),
        None => format!("{base_url}{path}"),
    }
}

/// The notices of one pact, in the broker's order: the deprecation warning (GET only), the inclusion
/// reason, then (with pending status) the pending reason and the four after-verification messages
/// that apply. `pact_url` is the URL named in the inclusion reason.
pub fn notices(
    state: &State,
    pact: &VerifiablePact,
    pact_url: &str,
    include_pending_status: bool,
    deprecated: bool,
) -> Vec<VerificationNotice> {
    let m = Messages::new(state, pact, pact_url);
    let mut out = Vec::new();
    let mut push = |when: &str, text: Option<String>| {
        if let Some(text) = text {
            out.push(VerificationNotice {
                when: when.to_string(),
                text,
            });
        }
    };
    if deprecated {
        push("before_verification", Some(DEPRECATION_WARNING.to_string()));
    }
    push("before_verification", Some(m.inclusion_reason()));
    if include_pending_status {
        push("before_verification", Some(m.pending_reason()));
        push(
            "after_verification:success_true_published_false",
            m.verification_success_true_published_false(),
        );
        push(
            "after_verification:success_false_published_false",
            m.verification_success_false_published_false(),
        );
        push(
            "after_verification:success_true_published_true",
            m.verification_success_true_published_true(),
        );
        push(
            "after_verification:success_false_published_true",
            m.verification_success_false_published_true(),
        );
    }
    out
}

/// One `_embedded.pacts[]` entry.
pub fn render_pact(
    state: &State,
    pact: &VerifiablePact,
    base_url: &str,
    query: &PactsForVerificationQuery,
) -> Value {
    let mut props = Map::new();
    if query.include_pending_status {
        props.insert(
            "pending".into(),
            pact.pending.map_or(Value::Null, Value::Bool),
        );
    }
    if pact.wip {
        props.insert("wip".into(), true.into());
    }
    // The notices name the pact URL with only `{wip: true}` as metadata (the decorator's choice).
    let notice_metadata = pact.wip.then(|| json!({ "wip": true }));
    let notice_url = pact_version_url(state, pact, base_url, notice_metadata.as_ref());
    let notices = notices(
        state,
        pact,
        &notice_url,
        query.include_pending_status,
        query.deprecated,
    );
    props.insert(
        "notices".into(),
        serde_json::to_value(notices).unwrap_or(Value::Null),
    );

    let self_href = pact_version_url(
        state,
        pact,
        base_url,
        Some(&metadata_for_verifiable_pact(pact)),
    );
    json!({
        "shortDescription": super::short_description(state, pact),
        "verificationProperties": Value::Object(props),
        "_links": {
            "self": {
                "href": self_href,
                "name": pact.name(state)
            }
        }
    })
}

/// The whole response body: `{"_embedded":{"pacts":[…]},"_links":{"self":{"href":…,"title":"Pacts to be verified"}}}`.
pub fn render(
    state: &State,
    provider_id: Id,
    pacts: &[VerifiablePact],
    base_url: &str,
    query: &PactsForVerificationQuery,
) -> Value {
    let provider = &state.pacticipant(provider_id).name;
    let pacts: Vec<Value> = pacts
        .iter()
        .map(|p| render_pact(state, p, base_url, query))
        .collect();
    json!({
        "_embedded": { "pacts": pacts },
        "_links": {
            "self": {
                "href": format!("{base_url}{}", paths::provider_pacts_for_verification(provider)),
                "title": "Pacts to be verified"
            }
        }
    })
}
