//! Writes: each function changes records through a [`Tx`], with the real broker's side effects.

use crate::content;
use crate::error::{Error, Result};
use crate::model::*;
use crate::tx::Tx;
use crate::Settings;
use serde_json::Value;
use std::sync::Arc;

/// Finds a pacticipant by name or creates it. Returns (id, created).
pub fn ensure_pacticipant(tx: &mut Tx, name: &str) -> (Id, bool) {
    if let Some(p) = tx.state().pacticipant_by_name(name) {
        return (p.id, false);
    }
    let id = tx.next_id();
    let now = tx.now;
    tx.apply(Change::PutPacticipant(Pacticipant {
        id,
        name: name.to_string(),
        display_name: None,
        repository_url: None,
        repository_name: None,
        repository_namespace: None,
        main_branch: None,
        created_at: now,
        updated_at: now,
    }));
    (id, true)
}

/// Finds a version by number or creates it. Returns (id, created).
pub fn ensure_version(tx: &mut Tx, pacticipant_id: Id, number: &str) -> (Id, bool) {
    if let Some(v) = tx.state().version_by_number(pacticipant_id, number) {
        return (v.id, false);
    }
    let id = tx.next_id();
    let now = tx.now;
    tx.apply(Change::PutVersion(Version {
        id,
        pacticipant_id,
        number: number.to_string(),
        build_url: None,
        created_at: now,
        updated_at: now,
    }));
    (id, true)
}

pub fn set_version_build_url(tx: &mut Tx, version_id: Id, build_url: Option<String>) {
    let mut v = tx.state().version(version_id).clone();
    if v.build_url != build_url {
        v.build_url = build_url;
        v.updated_at = tx.now;
        tx.apply(Change::PutVersion(v));
    }
}

/// Sets the pacticipant's main branch when unset and the name is a candidate (`auto_detect_main_branch`).
pub fn maybe_set_main_branch(tx: &mut Tx, settings: &Settings, pacticipant_id: Id, name: &str) {
    if !settings.auto_detect_main_branch
        || !settings.main_branch_candidates.iter().any(|c| c == name)
    {
        return;
    }
    let p = tx.state().pacticipant(pacticipant_id);
    if p.main_branch.is_none() {
        let mut p = p.clone();
        p.main_branch = Some(name.to_string());
        p.updated_at = tx.now;
        tx.apply(Change::PutPacticipant(p));
    }
}

/// Adds a version to a branch (creating the branch), making it the branch head.
/// Returns (branch version id, newly added).
pub fn add_branch_version(
    tx: &mut Tx,
    settings: &Settings,
    version_id: Id,
    branch_name: &str,
) -> (Id, bool) {
    let pacticipant_id = tx.state().version(version_id).pacticipant_id;
    let branch_id = match tx.state().branch_by_name(pacticipant_id, branch_name) {
        Some(b) => b.id,
        None => {
            let id = tx.next_id();
            let now = tx.now;
            tx.apply(Change::PutBranch(Branch {
                id,
                pacticipant_id,
                name: branch_name.to_string(),
                created_at: now,
            }));
            id
        }
    };
    if let Some(bv) = tx.state().branch_version(branch_id, version_id) {
        return (bv.id, false);
    }
    let id = tx.next_id();
    let now = tx.now;
    tx.apply(Change::PutBranchVersion(BranchVersion {
        id,
        branch_id,
        version_id,
        created_at: now,
    }));
    maybe_set_main_branch(tx, settings, pacticipant_id, branch_name);
    (id, true)
}

/// Options for [`add_tag`] that differ between the tag resource and publishing.
#[derive(Debug, Clone, Copy, Default)]
pub struct TagOptions {
    /// Record a deployment when an environment has the tag's name (`create_deployed_versions_for_tags`;
    /// done by the tag resource only).
    pub create_deployed_version: bool,
}

/// Tags a version, with the real broker's side effects: the first tag of a new version without a
/// branch becomes its branch, a main-branch-like tag sets the pacticipant's main branch.
/// Returns (tag id, created).
pub fn add_tag(
    tx: &mut Tx,
    settings: &Settings,
    version_id: Id,
    name: &str,
    opts: TagOptions,
) -> (Id, bool) {
    if let Some(t) = tx.state().tag(version_id, name) {
        return (t.id, false);
    }
    let version = tx.state().version(version_id).clone();
    let has_tags = tx.state().tags_of(version_id).next().is_some();
    let has_branch = tx
        .state()
        .branch_versions_of_version(version_id)
        .next()
        .is_some();
    let age = (tx.now - version.created_at).num_seconds();
    if settings.use_first_tag_as_branch
        && !has_tags
        && !has_branch
        && age <= settings.use_first_tag_as_branch_time_limit
    {
        add_branch_version(tx, settings, version_id, name);
    }
    maybe_set_main_branch(tx, settings, version.pacticipant_id, name);
    let id = tx.next_id();
    let now = tx.now;
    tx.apply(Change::PutTag(Tag {
        id,
        version_id,
        name: name.to_string(),
        created_at: now,
    }));
    if opts.create_deployed_version && settings.create_deployed_versions_for_tags {
        if let Some(env) = tx.state().environment_by_name(name).map(|e| e.id) {
            record_deployment(tx, version_id, env, None);
        }
    }
    (id, true)
}

/// What happened to one pact publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PactPublishStatus {
    /// No pact existed for this consumer version and provider.
    Created,
    /// The same content was published again.
    Unchanged,
    /// New content replaced the old (only with `allow_dangerous_contract_modification`, or the legacy PUT).
    Modified,
    /// Content was merged into the existing pact.
    Merged,
}

/// An event the publication raised, with the broker's comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub name: &'static str,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PublishedPact {
    pub publication_id: Id,
    pub pact_version_id: Id,
    pub status: PactPublishStatus,
    pub events: Vec<Event>,
}

/// How to treat an existing pact for the same consumer version and provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    Overwrite,
    Merge,
}

/// Whether publishing `sha` over the existing pact of this consumer version would change its content
/// when modification is not allowed (the 409 check, made before anything is written).
pub fn is_disallowed_modification(
    tx: &Tx,
    settings: &Settings,
    consumer_version_id: Id,
    provider_id: Id,
    sha: &str,
) -> bool {
    if settings.allow_dangerous_contract_modification {
        return false;
    }
    tx.state()
        .latest_publication_for(consumer_version_id, provider_id)
        .is_some_and(|p| tx.state().pact_version(p.pact_version_id).sha != sha)
}

fn find_or_create_pact_version(
    tx: &mut Tx,
    consumer_id: Id,
    provider_id: Id,
    doc: &Value,
    sha: String,
) -> Id {
    if let Some(pv) = tx
        .state()
        .pact_version_by_sha(consumer_id, provider_id, &sha)
    {
        return pv.id;
    }
    let stored = content::with_ids(doc);
    let id = tx.next_id();
    let now = tx.now;
    tx.apply(Change::PutPactVersion(PactVersion {
        id,
        consumer_id,
        provider_id,
        sha,
        content: Arc::from(serde_json::to_string(&stored).unwrap_or_default()),
        created_at: now,
    }));
    id
}

/// Publishes a pact for a consumer version (creating it and the provider as needed).
/// The caller has already checked [`is_disallowed_modification`] where it must.
pub fn publish_pact(
    tx: &mut Tx,
    consumer_version_id: Id,
    provider_id: Id,
    doc: &Value,
    on_conflict: OnConflict,
) -> Result<PublishedPact> {
    let sha = content::pact_sha(doc);
    publish_pact_with_sha(tx, consumer_version_id, provider_id, doc, &sha, on_conflict)
}

/// [`publish_pact`] for a caller that has already computed the document's SHA
/// ([`content::pact_sha`]), so a publication hashes its content once.
pub fn publish_pact_with_sha(
    tx: &mut Tx,
    consumer_version_id: Id,
    provider_id: Id,
    doc: &Value,
    sha: &str,
    on_conflict: OnConflict,
) -> Result<PublishedPact> {
    let consumer_id = tx.state().version(consumer_version_id).pacticipant_id;
    let existing = tx
        .state()
        .latest_publication_for(consumer_version_id, provider_id)
        .cloned();
    let consumer_name = tx.state().pacticipant(consumer_id).name.clone();
    let version_number = tx.state().version(consumer_version_id).number.clone();

    let Some(existing) = existing else {
        let pv = find_or_create_pact_version(tx, consumer_id, provider_id, doc, sha.to_string());
        let id = tx.next_id();
        let now = tx.now;
        let publication = PactPublication {
            id,
            consumer_id,
            provider_id,
            consumer_version_id,
            pact_version_id: pv,
            revision_number: 1,
            created_at: now,
        };
        tx.apply(Change::PutPactPublication(publication.clone()));
        let events = events_for_new_publication(tx, &publication);
        return Ok(PublishedPact {
            publication_id: id,
            pact_version_id: pv,
            status: PactPublishStatus::Created,
            events,
        });
    };

    let old_sha = tx
        .state()
        .pact_version(existing.pact_version_id)
        .sha
        .clone();
    let (new_doc, new_sha) = match on_conflict {
        OnConflict::Merge => {
            let old: Value =
                serde_json::from_str(&tx.state().pact_version(existing.pact_version_id).content)
                    .unwrap_or(Value::Null);
            let merged = content::merge(&old, doc).map_err(|c| {
                Error::Conflict(format!(
                    "This request cannot be processed as merging it with the existing pact would result in a conflict: the interaction '{}' has a different request",
                    c.description
                ))
            })?;
            let merged_sha = content::pact_sha(&merged);
            (std::borrow::Cow::Owned(merged), merged_sha)
        }
        OnConflict::Overwrite => (std::borrow::Cow::Borrowed(doc), sha.to_string()),
    };
    let pv = find_or_create_pact_version(tx, consumer_id, provider_id, &new_doc, new_sha.clone());
    let mut events = vec![Event {
        name: "contract_published",
        comment: None,
    }];
    let status = if new_sha == old_sha {
        if on_conflict == OnConflict::Merge {
            PactPublishStatus::Merged
        } else {
            PactPublishStatus::Unchanged
        }
    } else {
        let id = tx.next_id();
        let now = tx.now;
        tx.apply(Change::PutPactPublication(PactPublication {
            id,
            pact_version_id: pv,
            revision_number: existing.revision_number + 1,
            created_at: now,
            ..existing.clone()
        }));
        events.push(Event {
            name: "contract_content_changed",
            comment: Some(format!(
                "pact content modified since previous publication for {consumer_name} version {version_number}"
            )),
        });
        if on_conflict == OnConflict::Merge {
            PactPublishStatus::Merged
        } else {
            PactPublishStatus::Modified
        }
    };
    let publication_id = tx
        .state()
        .latest_publication_for(consumer_version_id, provider_id)
        .map_or(existing.id, |p| p.id);
    Ok(PublishedPact {
        publication_id,
        pact_version_id: pv,
        status,
        events,
    })
}

/// The previous publication (lower consumer version order) of the same integration whose consumer
/// version has `tag` (or no tags at all, for `None`).
fn previous_publication<'a>(
    state: &'a crate::State,
    p: &PactPublication,
    tag: Option<&str>,
) -> Option<&'a PactPublication> {
    state
        .current_publications_for_provider(p.provider_id)
        .into_iter()
        .filter(|o| o.consumer_id == p.consumer_id && o.consumer_version_id < p.consumer_version_id)
        .filter(|o| match tag {
            Some(t) => state.tag(o.consumer_version_id, t).is_some(),
            None => state.tags_of(o.consumer_version_id).next().is_none(),
        })
        .max_by_key(|o| o.consumer_version_id)
}

fn events_for_new_publication(tx: &Tx, p: &PactPublication) -> Vec<Event> {
    let state = tx.state();
    let sha = &state.pact_version(p.pact_version_id).sha;
    let tags = state.tag_names_of(p.consumer_version_id);
    let mut reasons = Vec::new();
    if tags.is_empty() {
        match previous_publication(state, p, None) {
            None => reasons.push("first time untagged pact published".to_string()),
            Some(prev) if &state.pact_version(prev.pact_version_id).sha != sha => {
                reasons.push("pact content has changed since previous untagged version".to_string())
            }
            _ => {}
        }
    } else {
        for tag in &tags {
            match previous_publication(state, p, Some(tag)) {
                None => reasons.push(format!(
                    "first time any pact published for this consumer with consumer version tagged {tag}"
                )),
                Some(prev) if &state.pact_version(prev.pact_version_id).sha != sha => reasons.push(format!(
                    "pact content has changed since the last consumer version tagged with {tag}"
                )),
                _ => {}
            }
        }
    }
    if reasons.is_empty() {
        let comment = if tags.len() == 1 {
            format!(
                "pact content is the same as previous version with tag {} and no new tags were applied",
                tags[0]
            )
        } else {
            format!(
                "pact content is the same as previous versions with tags {} and no new tags were applied",
                tags.join(", ")
            )
        };
        vec![Event {
            name: "contract_published",
            comment: Some(comment),
        }]
    } else {
        vec![
            Event {
                name: "contract_published",
                comment: None,
            },
            Event {
                name: "contract_content_changed",
                comment: Some(reasons.join(", ")),
            },
        ]
    }
}

/// Input for [`create_verification`].
#[derive(Debug, Clone, Default)]
pub struct NewVerification {
    pub success: bool,
    pub build_url: Option<String>,
    pub test_results: Option<Value>,
    pub verified_by: Option<Value>,
    pub wip: bool,
    pub pending: Option<bool>,
    pub consumer_version_selectors: Option<Value>,
}

/// Records a verification of a pact version by a provider version. Returns its id.
pub fn create_verification(
    tx: &mut Tx,
    pact_version_id: Id,
    provider_version_id: Id,
    v: NewVerification,
) -> Id {
    let id = tx.next_id();
    let number = tx.next_verification_number();
    let now = tx.now;
    let provider_tags = tx.state().tag_names_of(provider_version_id);
    tx.apply(Change::PutVerification(Verification {
        id,
        number,
        pact_version_id,
        provider_version_id,
        success: v.success,
        build_url: v.build_url,
        test_results: v.test_results,
        verified_by: v.verified_by,
        wip: v.wip,
        pending: v.pending,
        consumer_version_selectors: v.consumer_version_selectors,
        provider_tags,
        created_at: now,
    }));
    id
}

/// Records a deployment; a current deployment of the same version, environment and target is
/// returned as it is, otherwise the pacticipant's current deployment there (same target) is
/// undeployed first. Returns (deployed version id, created).
pub fn record_deployment(
    tx: &mut Tx,
    version_id: Id,
    environment_id: Id,
    target: Option<&str>,
) -> (Id, bool) {
    let pacticipant_id = tx.state().version(version_id).pacticipant_id;
    let current: Vec<DeployedVersion> = tx
        .state()
        .current_deployments_of(pacticipant_id)
        .filter(|d| d.environment_id == environment_id && d.target.as_deref() == target)
        .cloned()
        .collect();
    if let Some(same) = current.iter().find(|d| d.version_id == version_id) {
        return (same.id, false);
    }
    let now = tx.now;
    for mut d in current {
        d.undeployed_at = Some(now);
        tx.apply(Change::PutDeployedVersion(d));
    }
    let id = tx.next_id();
    tx.apply(Change::PutDeployedVersion(DeployedVersion {
        id,
        uuid: uuid::Uuid::new_v4().to_string(),
        pacticipant_id,
        version_id,
        environment_id,
        target: target.map(str::to_string),
        created_at: now,
        undeployed_at: None,
    }));
    (id, true)
}

/// Marks a deployment as no longer current (irreversible).
pub fn undeploy(tx: &mut Tx, deployed_version_id: Id) {
    let mut d = tx.state().deployed_versions[&deployed_version_id].clone();
    if d.undeployed_at.is_none() {
        d.undeployed_at = Some(tx.now);
        tx.apply(Change::PutDeployedVersion(d));
    }
}

/// Records a release: one record per version and environment, marked currently supported.
/// Returns (released version id, created).
pub fn record_release(tx: &mut Tx, version_id: Id, environment_id: Id) -> (Id, bool) {
    let pacticipant_id = tx.state().version(version_id).pacticipant_id;
    let existing = tx
        .state()
        .released_versions
        .values()
        .find(|r| r.version_id == version_id && r.environment_id == environment_id)
        .cloned();
    let now = tx.now;
    match existing {
        Some(mut r) => {
            if r.support_ended_at.is_some() {
                r.support_ended_at = None;
                r.updated_at = now;
                tx.apply(Change::PutReleasedVersion(r.clone()));
            }
            (r.id, false)
        }
        None => {
            let id = tx.next_id();
            tx.apply(Change::PutReleasedVersion(ReleasedVersion {
                id,
                uuid: uuid::Uuid::new_v4().to_string(),
                pacticipant_id,
                version_id,
                environment_id,
                created_at: now,
                updated_at: now,
                support_ended_at: None,
            }));
            (id, true)
        }
    }
}

/// Ends support of a release (irreversible).
pub fn end_support(tx: &mut Tx, released_version_id: Id) {
    let mut r = tx.state().released_versions[&released_version_id].clone();
    if r.support_ended_at.is_none() {
        r.support_ended_at = Some(tx.now);
        r.updated_at = tx.now;
        tx.apply(Change::PutReleasedVersion(r));
    }
}

/// Input for [`create_environment`] and [`update_environment`].
#[derive(Debug, Clone, Default)]
pub struct EnvironmentInput {
    pub uuid: Option<String>,
    pub name: String,
    pub display_name: Option<String>,
    pub production: bool,
    pub contacts: Option<Value>,
}

pub fn create_environment(tx: &mut Tx, input: EnvironmentInput) -> Id {
    let id = tx.next_id();
    let now = tx.now;
    tx.apply(Change::PutEnvironment(Environment {
        id,
        uuid: input
            .uuid
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        name: input.name,
        display_name: input.display_name,
        production: input.production,
        contacts: input.contacts,
        created_at: now,
        updated_at: now,
    }));
    id
}

pub fn update_environment(tx: &mut Tx, id: Id, input: EnvironmentInput) {
    let mut e = tx.state().environment(id).clone();
    e.name = input.name;
    e.display_name = input.display_name;
    e.production = input.production;
    e.contacts = input.contacts;
    e.updated_at = tx.now;
    tx.apply(Change::PutEnvironment(e));
}

/// Provider versions that should verify a pact version and have not: the head of the provider's
/// main branch, and every version currently deployed or supported, each with why it is required
/// ("latest from main branch", "deployed in production", "released in production").
/// This decides `contract_requiring_verification_published`.
pub fn required_verifications(state: &crate::State, pact_version_id: Id) -> Vec<(Id, Vec<String>)> {
    let pv = state.pact_version(pact_version_id);
    let provider = state.pacticipant(pv.provider_id);
    let mut required: Vec<(Id, Vec<String>)> = Vec::new();
    let mut add =
        |version_id: Id, why: String| match required.iter_mut().find(|(v, _)| *v == version_id) {
            Some((_, reasons)) => reasons.push(why),
            None => required.push((version_id, vec![why])),
        };
    if let Some(main) = &provider.main_branch {
        if let Some(v) = state.branch_head_version(provider.id, main) {
            add(v.id, "latest from main branch".to_string());
        }
    }
    for d in state.current_deployments_of(provider.id) {
        add(
            d.version_id,
            format!("deployed in {}", state.environment(d.environment_id).name),
        );
    }
    for r in state.current_releases_of(provider.id) {
        add(
            r.version_id,
            format!("released in {}", state.environment(r.environment_id).name),
        );
    }
    required.retain(|(version_id, _)| {
        !state
            .verifications_by_provider_version(*version_id)
            .any(|v| v.pact_version_id == pact_version_id)
    });
    required
}
