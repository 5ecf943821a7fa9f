//! "Pacts for verification" (`POST /pacts/provider/{p}/for-verification`), as the real Pact Broker
//! 2.120.0 computes and renders it.
//!
//! * [`parse_query`] / [`parse_query_string`]: the request, validated with the broker's messages
//!   (`pacts_for_verification_json_query_schema.rb`, `consumer_version_selector_contract.rb`) and
//!   parsed as `pacts_for_verification_query_decorator.rb` does.
//! * [`pacts_for_verification`]: selector resolution (`pact_publication_selector_dataset_module.rb`),
//!   fallback tags, merging by content, pending (`squash_pacts_for_verification.rb`) and WIP
//!   (`pacts_for_verification_repository.rb#find_wip`).
//! * [`render`]: the HAL body (`verifiable_pacts_decorator.rb`, `verifiable_pact_decorator.rb`) with
//!   the notices of `build_verifiable_pact_notices.rb` / `verifiable_pact_messages.rb`.
//! * [`metadata`]: the `…/metadata/{m}` URL segment (`pacts/metadata.rb`, `encode_metadata`).

mod messages;
pub mod metadata;
mod query;
mod render;
mod select;

pub use messages::{inclusion_reason, pending_reason, short_description};
pub use metadata::{
    decode_metadata, encode_metadata, metadata_for_webhook, Metadata, MetadataSelector,
    MetadataVersion,
};
pub use query::{parse_query, parse_query_string, parse_ruby_datetime};
pub use render::{metadata_for_verifiable_pact, notices, render, render_pact, VerificationNotice};
pub use select::{compare_resolved_selectors, default_selectors, pacts_for_verification};

use crate::model::{Id, Time};
use crate::state::State;

/// The `branch` of a selector: a name, or `true` for every branch (`{branch: true, latest: true}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchSelector {
    Name(String),
    All,
}

/// A consumer version selector (`PactBroker::Pacts::Selector`), after parsing.
///
/// `fallback_branch` is validated and parsed but, as in the OSS broker 2.120, **inert**: no query
/// uses it (only `fallback_tag` has a fallback pass; see pact_broker#587).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    pub main_branch: bool,
    pub tag: Option<String>,
    pub branch: Option<BranchSelector>,
    pub matching_branch: bool,
    /// `None` when not given; `mainBranch`, `branch` and `matchingBranch` set it to `true`.
    pub latest: Option<bool>,
    pub fallback_tag: Option<String>,
    pub fallback_branch: Option<String>,
    pub consumer: Option<String>,
    /// The environment name (`environment`).
    pub environment: Option<String>,
    /// `deployed` (`currently_deployed`).
    pub deployed: bool,
    /// `released` (`currently_supported`).
    pub released: bool,
}

/// `Selector#type`, in the broker's order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectorType {
    LatestForMainBranch,
    LatestForEachBranch,
    LatestForBranch,
    MatchingBranch,
    CurrentlyDeployed,
    CurrentlySupported,
    InEnvironment,
    LatestForTag,
    AllForTag,
    OverallLatest,
    Undefined,
}

impl Selector {
    pub fn overall_latest() -> Self {
        Selector {
            latest: Some(true),
            ..Default::default()
        }
    }
    /// `Selector.for_main_branch` (as the default selectors use it: without `latest`).
    pub fn for_main_branch() -> Self {
        Selector {
            main_branch: true,
            ..Default::default()
        }
    }
    pub fn latest_for_main_branch() -> Self {
        Selector {
            main_branch: true,
            latest: Some(true),
            ..Default::default()
        }
    }
    pub fn latest_for_tag(tag: &str) -> Self {
        Selector {
            latest: Some(true),
            tag: Some(tag.into()),
            ..Default::default()
        }
    }
    pub fn latest_for_tag_with_fallback(tag: &str, fallback_tag: &str) -> Self {
        Selector {
            fallback_tag: Some(fallback_tag.into()),
            ..Self::latest_for_tag(tag)
        }
    }
    pub fn all_for_tag(tag: &str) -> Self {
        Selector {
            tag: Some(tag.into()),
            ..Default::default()
        }
    }
    pub fn latest_for_branch(branch: &str) -> Self {
        Selector {
            latest: Some(true),
            branch: Some(BranchSelector::Name(branch.into())),
            ..Default::default()
        }
    }
    pub fn latest_for_each_branch() -> Self {
        Selector {
            latest: Some(true),
            branch: Some(BranchSelector::All),
            ..Default::default()
        }
    }
    pub fn for_currently_deployed(environment: Option<&str>) -> Self {
        Selector {
            deployed: true,
            environment: environment.map(Into::into),
            ..Default::default()
        }
    }
    pub fn for_currently_supported(environment: Option<&str>) -> Self {
        Selector {
            released: true,
            environment: environment.map(Into::into),
            ..Default::default()
        }
    }
    pub fn for_environment(environment: &str) -> Self {
        Selector {
            environment: Some(environment.into()),
            ..Default::default()
        }
    }
    /// The same selector restricted to one consumer.
    pub fn for_consumer(mut self, consumer: &str) -> Self {
        self.consumer = Some(consumer.into());
        self
    }

    fn latest_true(&self) -> bool {
        self.latest == Some(true)
    }
    pub fn branch_name(&self) -> Option<&str> {
        match &self.branch {
            Some(BranchSelector::Name(n)) => Some(n),
            _ => None,
        }
    }
    pub fn is_overall_latest(&self) -> bool {
        self.latest_true()
            && self.tag.is_none()
            && self.branch.is_none()
            && !self.main_branch
            && !self.deployed
            && !self.released
            && self.environment.is_none()
    }
    pub fn is_latest_for_tag(&self) -> bool {
        self.latest_true() && self.tag.is_some()
    }
    pub fn is_latest_for_branch(&self) -> bool {
        self.latest_true() && self.branch_name().is_some()
    }
    pub fn is_latest_for_each_branch(&self) -> bool {
        self.latest_true() && self.branch == Some(BranchSelector::All)
    }
    pub fn is_latest_for_main_branch(&self) -> bool {
        self.main_branch
    }
    pub fn is_all_for_tag(&self) -> bool {
        self.tag.is_some() && !self.latest_true()
    }
    pub fn is_all_for_tag_and_consumer(&self) -> bool {
        self.is_all_for_tag() && self.consumer.is_some()
    }
    pub fn is_in_environment(&self) -> bool {
        self.environment.is_some()
    }

    pub fn selector_type(&self) -> SelectorType {
        if self.is_latest_for_main_branch() {
            SelectorType::LatestForMainBranch
        } else if self.is_latest_for_each_branch() {
            SelectorType::LatestForEachBranch
        } else if self.is_latest_for_branch() {
            SelectorType::LatestForBranch
        } else if self.matching_branch {
            SelectorType::MatchingBranch
        } else if self.deployed {
            SelectorType::CurrentlyDeployed
        } else if self.released {
            SelectorType::CurrentlySupported
        } else if self.is_in_environment() {
            SelectorType::InEnvironment
        } else if self.is_latest_for_tag() {
            SelectorType::LatestForTag
        } else if self.is_all_for_tag() {
            SelectorType::AllForTag
        } else if self.is_overall_latest() {
            SelectorType::OverallLatest
        } else {
            SelectorType::Undefined
        }
    }

    /// The selector as JSON with the broker's property names (its `to_json`, used as a last-resort
    /// description). The broker would also serialise the resolved version and environment models,
    /// which has no meaningful JSON form; they are left out.
    pub fn to_json_string(&self) -> String {
        let mut m = serde_json::Map::new();
        if self.main_branch {
            m.insert("main_branch".into(), true.into());
        }
        if let Some(t) = &self.tag {
            m.insert("tag".into(), t.clone().into());
        }
        match &self.branch {
            Some(BranchSelector::Name(b)) => {
                m.insert("branch".into(), b.clone().into());
            }
            Some(BranchSelector::All) => {
                m.insert("branch".into(), true.into());
            }
            None => {}
        }
        if self.matching_branch {
            m.insert("matching_branch".into(), true.into());
        }
        if let Some(l) = self.latest {
            m.insert("latest".into(), l.into());
        }
        if let Some(t) = &self.fallback_tag {
            m.insert("fallback_tag".into(), t.clone().into());
        }
        if let Some(b) = &self.fallback_branch {
            m.insert("fallback_branch".into(), b.clone().into());
        }
        if let Some(c) = &self.consumer {
            m.insert("consumer".into(), c.clone().into());
        }
        if let Some(e) = &self.environment {
            m.insert("environment_name".into(), e.clone().into());
        }
        if self.deployed {
            m.insert("currently_deployed".into(), true.into());
        }
        if self.released {
            m.insert("currently_supported".into(), true.into());
        }
        serde_json::Value::Object(m).to_string()
    }
}

/// A selector with the consumer version it selected (and, for deployed/released/environment
/// selectors, the environment and deployment target): `PactBroker::Pacts::ResolvedSelector`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSelector {
    pub selector: Selector,
    pub consumer_version_id: Id,
    pub environment_id: Option<Id>,
    pub target: Option<String>,
}

/// The request, parsed: `PactsForVerificationQueryDecorator`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactsForVerificationQuery {
    pub provider_version_branch: Option<String>,
    pub provider_version_tags: Vec<String>,
    /// Empty: the default selectors ([`default_selectors`]).
    pub consumer_version_selectors: Vec<Selector>,
    /// Defaults to true when absent.
    pub include_pending_status: bool,
    pub include_wip_pacts_since: Option<Time>,
    /// The request was the deprecated GET (adds a WARNING notice to every pact).
    pub deprecated: bool,
    /// Branch-based WIP ignores verifications made before this instant (the broker's
    /// `verified_by_other_branch_before_this_branch_look_back`, 30 days before now). `None` (the
    /// default) ignores nothing; set it with [`PactsForVerificationQuery::with_now`].
    pub wip_lookback_cutoff: Option<Time>,
}

impl Default for PactsForVerificationQuery {
    fn default() -> Self {
        PactsForVerificationQuery {
            provider_version_branch: None,
            provider_version_tags: Vec::new(),
            consumer_version_selectors: Vec::new(),
            include_pending_status: true,
            include_wip_pacts_since: None,
            deprecated: false,
            wip_lookback_cutoff: None,
        }
    }
}

/// `PACT_BROKER_VERIFIED_BY_OTHER_BRANCH_LOOKBACK_DAYS` default.
pub const WIP_LOOKBACK_DAYS: i64 = 30;

impl PactsForVerificationQuery {
    /// Applies the broker's 30-day look-back for branch-based WIP, relative to `now`.
    pub fn with_now(mut self, now: Time) -> Self {
        self.wip_lookback_cutoff = Some(now - chrono::Duration::days(WIP_LOOKBACK_DAYS));
        self
    }
}

/// One pact to verify: a publication (the represented consumer version) standing for its content,
/// with every selector that chose that content and the pending/WIP verdicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiablePact {
    pub publication_id: Id,
    pub consumer_id: Id,
    pub provider_id: Id,
    /// The represented consumer version: the highest-order one among the selected publications.
    pub consumer_version_id: Id,
    pub pact_version_id: Id,
    pub selectors: Vec<ResolvedSelector>,
    /// `None` when pending status was not requested.
    pub pending: Option<bool>,
    pub pending_provider_tags: Vec<String>,
    pub non_pending_provider_tags: Vec<String>,
    pub provider_branch: Option<String>,
    pub wip: bool,
}

impl VerifiablePact {
    pub fn is_pending(&self) -> bool {
        self.pending == Some(true)
    }
    pub fn sha<'a>(&self, state: &'a State) -> &'a str {
        &state.pact_version(self.pact_version_id).sha
    }
    pub fn consumer_name<'a>(&self, state: &'a State) -> &'a str {
        &state.pacticipant(self.consumer_id).name
    }
    pub fn provider_name<'a>(&self, state: &'a State) -> &'a str {
        &state.pacticipant(self.provider_id).name
    }
    pub fn consumer_version_number<'a>(&self, state: &'a State) -> &'a str {
        &state.version(self.consumer_version_id).number
    }
    /// "Pact between Consumer (version) and Provider".
    pub fn name(&self, state: &State) -> String {
        format!(
            "Pact between {} ({}) and {}",
            self.consumer_name(state),
            self.consumer_version_number(state),
            self.provider_name(state)
        )
    }
}
