//! The broker's records in memory, with the indexes that queries need.
//!
//! The store loads the records at start and persists every [`Change`]; this state is the one
//! place that applies a change, so reads never touch the database.

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

type Set = BTreeSet<Id>;

#[derive(Debug, Default, Clone)]
pub struct State {
    next_id: Id,
    next_verification_number: i64,

    pub pacticipants: BTreeMap<Id, Pacticipant>,
    pacticipant_by_name: HashMap<String, Id>,

    pub versions: HashMap<Id, Version>,
    versions_by_pacticipant: HashMap<Id, Set>,
    version_by_number: HashMap<(Id, String), Id>,

    pub branches: HashMap<Id, Branch>,
    branches_by_pacticipant: HashMap<Id, Set>,
    branch_by_name: HashMap<(Id, String), Id>,

    pub branch_versions: HashMap<Id, BranchVersion>,
    branch_versions_by_branch: HashMap<Id, Set>,
    branch_versions_by_version: HashMap<Id, Set>,

    pub tags: HashMap<Id, Tag>,
    tags_by_version: HashMap<Id, Set>,
    /// (pacticipant, tag name) → versions carrying it.
    versions_by_tag: HashMap<(Id, String), Set>,

    pub pact_versions: HashMap<Id, PactVersion>,
    pact_version_by_sha: HashMap<(Id, Id, String), Id>,
    /// provider → consumers with at least one pact version (the broker's integrations).
    consumers_by_provider: HashMap<Id, Set>,

    pub pact_publications: HashMap<Id, PactPublication>,
    publications_by_consumer_version: HashMap<Id, Set>,
    publications_by_provider: HashMap<Id, Set>,
    publications_by_consumer: HashMap<Id, Set>,
    publications_by_pact_version: HashMap<Id, Set>,

    pub verifications: HashMap<Id, Verification>,
    verifications_by_pact_version: HashMap<Id, Set>,
    verifications_by_provider_version: HashMap<Id, Set>,
    verification_by_number: HashMap<i64, Id>,

    pub environments: BTreeMap<Id, Environment>,

    pub deployed_versions: BTreeMap<Id, DeployedVersion>,
    pub released_versions: BTreeMap<Id, ReleasedVersion>,
    /// pacticipant → its deployed versions not yet undeployed. May hold ids of deleted records
    /// (ids are never reused); readers skip them.
    current_deployments_by_pacticipant: HashMap<Id, Set>,
    /// pacticipant → its released versions still supported (same caveat).
    current_releases_by_pacticipant: HashMap<Id, Set>,

    pub labels: BTreeMap<Id, Label>,

    pub webhooks: BTreeMap<Id, Webhook>,
    pub triggered_webhooks: BTreeMap<Id, TriggeredWebhook>,
    pub webhook_executions: BTreeMap<Id, WebhookExecution>,
    pub secrets: BTreeMap<Id, Secret>,
}

fn add(index: &mut HashMap<Id, Set>, key: Id, id: Id) {
    index.entry(key).or_default().insert(id);
}

fn remove(index: &mut HashMap<Id, Set>, key: Id, id: Id) {
    if let Some(set) = index.get_mut(&key) {
        set.remove(&id);
        if set.is_empty() {
            index.remove(&key);
        }
    }
}

fn ids(index: &HashMap<Id, Set>, key: Id) -> impl DoubleEndedIterator<Item = Id> + '_ {
    index.get(&key).into_iter().flat_map(|s| s.iter().copied())
}

impl State {
    pub fn new() -> Self {
        State {
            next_id: 1,
            next_verification_number: 1,
            ..Default::default()
        }
    }

    /// Allocates an id. One sequence serves every record, so ids also order creation.
    pub fn next_id(&mut self) -> Id {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub fn next_verification_number(&mut self) -> i64 {
        let n = self.next_verification_number;
        self.next_verification_number += 1;
        n
    }

    fn saw_id(&mut self, id: Id) {
        if id >= self.next_id {
            self.next_id = id + 1;
        }
    }

    /// Applies one change. Deletes cascade as the database's foreign keys do.
    pub fn apply(&mut self, change: &Change) {
        match change {
            Change::PutPacticipant(p) => {
                self.saw_id(p.id);
                if let Some(old) = self.pacticipants.get(&p.id) {
                    self.pacticipant_by_name.remove(&old.name);
                }
                self.pacticipant_by_name.insert(p.name.clone(), p.id);
                self.pacticipants.insert(p.id, p.clone());
            }
            Change::DeletePacticipant(id) => self.delete_pacticipant(*id),
            Change::PutVersion(v) => {
                self.saw_id(v.id);
                if let Some(old) = self.versions.get(&v.id) {
                    self.version_by_number
                        .remove(&(old.pacticipant_id, old.number.clone()));
                }
                add(&mut self.versions_by_pacticipant, v.pacticipant_id, v.id);
                self.version_by_number
                    .insert((v.pacticipant_id, v.number.clone()), v.id);
                self.versions.insert(v.id, v.clone());
            }
            Change::DeleteVersion(id) => self.delete_version(*id),
            Change::PutBranch(b) => {
                self.saw_id(b.id);
                add(&mut self.branches_by_pacticipant, b.pacticipant_id, b.id);
                self.branch_by_name
                    .insert((b.pacticipant_id, b.name.clone()), b.id);
                self.branches.insert(b.id, b.clone());
            }
            Change::DeleteBranch(id) => self.delete_branch(*id),
            Change::PutBranchVersion(bv) => {
                self.saw_id(bv.id);
                add(&mut self.branch_versions_by_branch, bv.branch_id, bv.id);
                add(&mut self.branch_versions_by_version, bv.version_id, bv.id);
                self.branch_versions.insert(bv.id, bv.clone());
            }
            Change::DeleteBranchVersion(id) => self.delete_branch_version(*id),
            Change::PutTag(t) => {
                self.saw_id(t.id);
                add(&mut self.tags_by_version, t.version_id, t.id);
                if let Some(v) = self.versions.get(&t.version_id) {
                    self.versions_by_tag
                        .entry((v.pacticipant_id, t.name.clone()))
                        .or_default()
                        .insert(t.version_id);
                }
                self.tags.insert(t.id, t.clone());
            }
            Change::DeleteTag(id) => self.delete_tag(*id),
            Change::PutPactVersion(pv) => {
                self.saw_id(pv.id);
                self.pact_version_by_sha
                    .insert((pv.consumer_id, pv.provider_id, pv.sha.clone()), pv.id);
                add(
                    &mut self.consumers_by_provider,
                    pv.provider_id,
                    pv.consumer_id,
                );
                self.pact_versions.insert(pv.id, pv.clone());
            }
            Change::PutPactPublication(p) => {
                self.saw_id(p.id);
                add(
                    &mut self.publications_by_consumer_version,
                    p.consumer_version_id,
                    p.id,
                );
                add(&mut self.publications_by_provider, p.provider_id, p.id);
                add(&mut self.publications_by_consumer, p.consumer_id, p.id);
                add(
                    &mut self.publications_by_pact_version,
                    p.pact_version_id,
                    p.id,
                );
                self.pact_publications.insert(p.id, p.clone());
            }
            Change::DeletePactPublication(id) => self.delete_publication(*id),
            Change::PutVerification(v) => {
                self.saw_id(v.id);
                if v.number >= self.next_verification_number {
                    self.next_verification_number = v.number + 1;
                }
                if let Some(old) = self.verifications.get(&v.id) {
                    if self.verification_by_number.get(&old.number) == Some(&v.id) {
                        self.verification_by_number.remove(&old.number);
                    }
                }
                add(
                    &mut self.verifications_by_pact_version,
                    v.pact_version_id,
                    v.id,
                );
                add(
                    &mut self.verifications_by_provider_version,
                    v.provider_version_id,
                    v.id,
                );
                self.verification_by_number.insert(v.number, v.id);
                self.verifications.insert(v.id, v.clone());
            }
            Change::PutEnvironment(e) => {
                self.saw_id(e.id);
                self.environments.insert(e.id, e.clone());
            }
            Change::DeleteEnvironment(id) => {
                self.environments.remove(id);
                self.deployed_versions
                    .retain(|_, d| d.environment_id != *id);
                self.released_versions
                    .retain(|_, r| r.environment_id != *id);
            }
            Change::PutDeployedVersion(d) => {
                self.saw_id(d.id);
                if let Some(old) = self.deployed_versions.get(&d.id) {
                    remove(
                        &mut self.current_deployments_by_pacticipant,
                        old.pacticipant_id,
                        d.id,
                    );
                }
                if d.undeployed_at.is_none() {
                    add(
                        &mut self.current_deployments_by_pacticipant,
                        d.pacticipant_id,
                        d.id,
                    );
                }
                self.deployed_versions.insert(d.id, d.clone());
            }
            Change::PutReleasedVersion(r) => {
                self.saw_id(r.id);
                if let Some(old) = self.released_versions.get(&r.id) {
                    remove(
                        &mut self.current_releases_by_pacticipant,
                        old.pacticipant_id,
                        r.id,
                    );
                }
                if r.support_ended_at.is_none() {
                    add(
                        &mut self.current_releases_by_pacticipant,
                        r.pacticipant_id,
                        r.id,
                    );
                }
                self.released_versions.insert(r.id, r.clone());
            }
            Change::PutLabel(l) => {
                self.saw_id(l.id);
                self.labels.insert(l.id, l.clone());
            }
            Change::DeleteLabel(id) => {
                self.labels.remove(id);
            }
            Change::PutWebhook(w) => {
                self.saw_id(w.id);
                self.webhooks.insert(w.id, w.clone());
            }
            Change::DeleteWebhook(id) => {
                self.webhooks.remove(id);
            }
            Change::PutTriggeredWebhook(t) => {
                self.saw_id(t.id);
                self.triggered_webhooks.insert(t.id, t.clone());
            }
            Change::PutWebhookExecution(e) => {
                self.saw_id(e.id);
                self.webhook_executions.insert(e.id, e.clone());
            }
            Change::PutSecret(sec) => {
                self.saw_id(sec.id);
                self.secrets.insert(sec.id, sec.clone());
            }
            Change::DeleteSecret(id) => {
                self.secrets.remove(id);
            }
        }
    }

    fn delete_pacticipant(&mut self, id: Id) {
        for v in ids(&self.versions_by_pacticipant, id).collect::<Vec<_>>() {
            self.delete_version(v);
        }
        for b in ids(&self.branches_by_pacticipant, id).collect::<Vec<_>>() {
            self.delete_branch(b);
        }
        for p in ids(&self.publications_by_consumer, id)
            .chain(ids(&self.publications_by_provider, id))
            .collect::<Vec<_>>()
        {
            self.delete_publication(p);
        }
        let pvs: Vec<Id> = self
            .pact_versions
            .values()
            .filter(|pv| pv.consumer_id == id || pv.provider_id == id)
            .map(|pv| pv.id)
            .collect();
        for pv in pvs {
            for v in ids(&self.verifications_by_pact_version, pv).collect::<Vec<_>>() {
                self.delete_verification(v);
            }
            if let Some(pv) = self.pact_versions.remove(&pv) {
                self.pact_version_by_sha
                    .remove(&(pv.consumer_id, pv.provider_id, pv.sha));
            }
        }
        self.labels.retain(|_, l| l.pacticipant_id != id);
        self.consumers_by_provider.remove(&id);
        self.consumers_by_provider.retain(|_, consumers| {
            consumers.remove(&id);
            !consumers.is_empty()
        });
        self.current_deployments_by_pacticipant.remove(&id);
        self.current_releases_by_pacticipant.remove(&id);
        if let Some(p) = self.pacticipants.remove(&id) {
            self.pacticipant_by_name.remove(&p.name);
        }
    }

    fn delete_version(&mut self, id: Id) {
        for bv in ids(&self.branch_versions_by_version, id).collect::<Vec<_>>() {
            self.delete_branch_version(bv);
        }
        for t in ids(&self.tags_by_version, id).collect::<Vec<_>>() {
            self.delete_tag(t);
        }
        for p in ids(&self.publications_by_consumer_version, id).collect::<Vec<_>>() {
            self.delete_publication(p);
        }
        for v in ids(&self.verifications_by_provider_version, id).collect::<Vec<_>>() {
            self.delete_verification(v);
        }
        self.deployed_versions.retain(|_, d| d.version_id != id);
        self.released_versions.retain(|_, r| r.version_id != id);
        if let Some(v) = self.versions.remove(&id) {
            remove(&mut self.versions_by_pacticipant, v.pacticipant_id, id);
            self.version_by_number.remove(&(v.pacticipant_id, v.number));
        }
    }

    fn delete_branch(&mut self, id: Id) {
        for bv in ids(&self.branch_versions_by_branch, id).collect::<Vec<_>>() {
            self.delete_branch_version(bv);
        }
        if let Some(b) = self.branches.remove(&id) {
            remove(&mut self.branches_by_pacticipant, b.pacticipant_id, id);
            self.branch_by_name.remove(&(b.pacticipant_id, b.name));
        }
    }

    fn delete_branch_version(&mut self, id: Id) {
        if let Some(bv) = self.branch_versions.remove(&id) {
            remove(&mut self.branch_versions_by_branch, bv.branch_id, id);
            remove(&mut self.branch_versions_by_version, bv.version_id, id);
        }
    }

    fn delete_tag(&mut self, id: Id) {
        if let Some(t) = self.tags.remove(&id) {
            remove(&mut self.tags_by_version, t.version_id, id);
            if let Some(v) = self.versions.get(&t.version_id) {
                let key = (v.pacticipant_id, t.name);
                if let Some(set) = self.versions_by_tag.get_mut(&key) {
                    set.remove(&t.version_id);
                    if set.is_empty() {
                        self.versions_by_tag.remove(&key);
                    }
                }
            }
        }
    }

    fn delete_publication(&mut self, id: Id) {
        if let Some(p) = self.pact_publications.remove(&id) {
            remove(
                &mut self.publications_by_consumer_version,
                p.consumer_version_id,
                id,
            );
            remove(&mut self.publications_by_provider, p.provider_id, id);
            remove(&mut self.publications_by_consumer, p.consumer_id, id);
            remove(
                &mut self.publications_by_pact_version,
                p.pact_version_id,
                id,
            );
        }
    }

    fn delete_verification(&mut self, id: Id) {
        if let Some(v) = self.verifications.remove(&id) {
            remove(
                &mut self.verifications_by_pact_version,
                v.pact_version_id,
                id,
            );
            remove(
                &mut self.verifications_by_provider_version,
                v.provider_version_id,
                id,
            );
            self.verification_by_number.remove(&v.number);
        }
    }

    // ---- lookups -------------------------------------------------------------------------

    pub fn pacticipant(&self, id: Id) -> &Pacticipant {
        &self.pacticipants[&id]
    }

    pub fn pacticipant_by_name(&self, name: &str) -> Option<&Pacticipant> {
        self.pacticipant_by_name
            .get(name)
            .map(|id| &self.pacticipants[id])
    }

    pub fn version(&self, id: Id) -> &Version {
        &self.versions[&id]
    }

    pub fn version_by_number(&self, pacticipant_id: Id, number: &str) -> Option<&Version> {
        self.version_by_number
            .get(&(pacticipant_id, number.to_string()))
            .map(|id| &self.versions[id])
    }

    /// Versions of a pacticipant, oldest first.
    pub fn versions_of(
        &self,
        pacticipant_id: Id,
    ) -> impl DoubleEndedIterator<Item = &Version> + '_ {
        ids(&self.versions_by_pacticipant, pacticipant_id).map(|id| &self.versions[&id])
    }

    pub fn latest_version_of(&self, pacticipant_id: Id) -> Option<&Version> {
        self.versions_of(pacticipant_id).next_back()
    }

    pub fn branch(&self, id: Id) -> &Branch {
        &self.branches[&id]
    }

    pub fn branch_by_name(&self, pacticipant_id: Id, name: &str) -> Option<&Branch> {
        self.branch_by_name
            .get(&(pacticipant_id, name.to_string()))
            .map(|id| &self.branches[id])
    }

    /// Branches of a pacticipant, oldest first.
    pub fn branches_of(&self, pacticipant_id: Id) -> impl DoubleEndedIterator<Item = &Branch> + '_ {
        ids(&self.branches_by_pacticipant, pacticipant_id).map(|id| &self.branches[&id])
    }

    /// Branch memberships of a branch, in the order versions were added.
    pub fn branch_versions_of_branch(
        &self,
        branch_id: Id,
    ) -> impl DoubleEndedIterator<Item = &BranchVersion> + '_ {
        ids(&self.branch_versions_by_branch, branch_id).map(|id| &self.branch_versions[&id])
    }

    /// The head of a branch: the version added to it most recently.
    pub fn branch_head(&self, branch_id: Id) -> Option<&BranchVersion> {
        self.branch_versions_of_branch(branch_id).next_back()
    }

    pub fn branch_head_version(&self, pacticipant_id: Id, branch: &str) -> Option<&Version> {
        let b = self.branch_by_name(pacticipant_id, branch)?;
        self.branch_head(b.id).map(|bv| self.version(bv.version_id))
    }

    /// Branch memberships of a version, in the order it was added to them.
    pub fn branch_versions_of_version(
        &self,
        version_id: Id,
    ) -> impl DoubleEndedIterator<Item = &BranchVersion> + '_ {
        ids(&self.branch_versions_by_version, version_id).map(|id| &self.branch_versions[&id])
    }

    pub fn branch_version(&self, branch_id: Id, version_id: Id) -> Option<&BranchVersion> {
        self.branch_versions_of_version(version_id)
            .find(|bv| bv.branch_id == branch_id)
    }

    /// Names of the branches a version belongs to, in the order it was added to them.
    pub fn branch_names_of_version(&self, version_id: Id) -> Vec<&str> {
        self.branch_versions_of_version(version_id)
            .map(|bv| self.branch(bv.branch_id).name.as_str())
            .collect()
    }

    /// The version's branch as clients see it: the last one it was added to.
    pub fn version_branch(&self, version_id: Id) -> Option<&str> {
        self.branch_versions_of_version(version_id)
            .next_back()
            .map(|bv| self.branch(bv.branch_id).name.as_str())
    }

    pub fn tags_of(&self, version_id: Id) -> impl DoubleEndedIterator<Item = &Tag> + '_ {
        ids(&self.tags_by_version, version_id).map(|id| &self.tags[&id])
    }

    pub fn tag_names_of(&self, version_id: Id) -> Vec<String> {
        self.tags_of(version_id).map(|t| t.name.clone()).collect()
    }

    pub fn tag(&self, version_id: Id, name: &str) -> Option<&Tag> {
        self.tags_of(version_id).find(|t| t.name == name)
    }

    /// Versions of a pacticipant carrying a tag, oldest first.
    pub fn versions_with_tag(
        &self,
        pacticipant_id: Id,
        tag: &str,
    ) -> impl DoubleEndedIterator<Item = &Version> + '_ {
        self.versions_by_tag
            .get(&(pacticipant_id, tag.to_string()))
            .into_iter()
            .flat_map(|s| s.iter())
            .map(|id| &self.versions[id])
    }

    pub fn latest_version_with_tag(&self, pacticipant_id: Id, tag: &str) -> Option<&Version> {
        self.versions_with_tag(pacticipant_id, tag).next_back()
    }

    pub fn pact_version(&self, id: Id) -> &PactVersion {
        &self.pact_versions[&id]
    }

    pub fn pact_version_by_sha(
        &self,
        consumer_id: Id,
        provider_id: Id,
        sha: &str,
    ) -> Option<&PactVersion> {
        self.pact_version_by_sha
            .get(&(consumer_id, provider_id, sha.to_string()))
            .map(|id| &self.pact_versions[id])
    }

    pub fn publication(&self, id: Id) -> &PactPublication {
        &self.pact_publications[&id]
    }

    /// The current (highest revision) publication of a consumer version's pact with a provider.
    pub fn latest_publication_for(
        &self,
        consumer_version_id: Id,
        provider_id: Id,
    ) -> Option<&PactPublication> {
        ids(&self.publications_by_consumer_version, consumer_version_id)
            .map(|id| &self.pact_publications[&id])
            .filter(|p| p.provider_id == provider_id)
            .max_by_key(|p| (p.revision_number, p.id))
    }

    /// Current publications of a consumer version, one per provider.
    pub fn publications_of_consumer_version(
        &self,
        consumer_version_id: Id,
    ) -> Vec<&PactPublication> {
        let mut best: BTreeMap<Id, &PactPublication> = BTreeMap::new();
        for p in ids(&self.publications_by_consumer_version, consumer_version_id)
            .map(|id| &self.pact_publications[&id])
        {
            match best.get(&p.provider_id) {
                Some(b) if (b.revision_number, b.id) >= (p.revision_number, p.id) => {}
                _ => {
                    best.insert(p.provider_id, p);
                }
            }
        }
        best.into_values().collect()
    }

    /// All publication revisions of a consumer version (every revision).
    pub fn all_publications_of_consumer_version(
        &self,
        consumer_version_id: Id,
    ) -> impl Iterator<Item = &PactPublication> + '_ {
        ids(&self.publications_by_consumer_version, consumer_version_id)
            .map(|id| &self.pact_publications[&id])
    }

    /// Current publications (latest revision per consumer version) for a provider, oldest first.
    pub fn current_publications_for_provider(&self, provider_id: Id) -> Vec<&PactPublication> {
        let mut best: BTreeMap<Id, &PactPublication> = BTreeMap::new();
        for p in
            ids(&self.publications_by_provider, provider_id).map(|id| &self.pact_publications[&id])
        {
            match best.get(&p.consumer_version_id) {
                Some(b) if (b.revision_number, b.id) >= (p.revision_number, p.id) => {}
                _ => {
                    best.insert(p.consumer_version_id, p);
                }
            }
        }
        let mut v: Vec<_> = best.into_values().collect();
        v.sort_by_key(|p| (p.consumer_version_id, p.id));
        v
    }

    /// Current publications (latest revision per consumer version) by a consumer, oldest first.
    pub fn current_publications_by_consumer(&self, consumer_id: Id) -> Vec<&PactPublication> {
        let mut best: BTreeMap<(Id, Id), &PactPublication> = BTreeMap::new();
        for p in
            ids(&self.publications_by_consumer, consumer_id).map(|id| &self.pact_publications[&id])
        {
            let key = (p.consumer_version_id, p.provider_id);
            match best.get(&key) {
                Some(b) if (b.revision_number, b.id) >= (p.revision_number, p.id) => {}
                _ => {
                    best.insert(key, p);
                }
            }
        }
        best.into_values().collect()
    }

    /// Publications (any revision) that point at a pact version.
    pub fn publications_of_pact_version(
        &self,
        pact_version_id: Id,
    ) -> impl DoubleEndedIterator<Item = &PactPublication> + '_ {
        ids(&self.publications_by_pact_version, pact_version_id)
            .map(|id| &self.pact_publications[&id])
    }

    /// Whether a publication is the current revision for its consumer version and provider.
    pub fn is_current_publication(&self, p: &PactPublication) -> bool {
        self.latest_publication_for(p.consumer_version_id, p.provider_id)
            .is_some_and(|l| l.id == p.id)
    }

    pub fn verification(&self, id: Id) -> &Verification {
        &self.verifications[&id]
    }

    pub fn verification_by_number(&self, number: i64) -> Option<&Verification> {
        self.verification_by_number
            .get(&number)
            .map(|id| &self.verifications[id])
    }

    /// Verifications of a pact version, oldest first.
    pub fn verifications_of_pact_version(
        &self,
        pact_version_id: Id,
    ) -> impl DoubleEndedIterator<Item = &Verification> + '_ {
        ids(&self.verifications_by_pact_version, pact_version_id).map(|id| &self.verifications[&id])
    }

    /// Verifications made by a provider version, oldest first.
    pub fn verifications_by_provider_version(
        &self,
        provider_version_id: Id,
    ) -> impl DoubleEndedIterator<Item = &Verification> + '_ {
        ids(&self.verifications_by_provider_version, provider_version_id)
            .map(|id| &self.verifications[&id])
    }

    pub fn environment(&self, id: Id) -> &Environment {
        &self.environments[&id]
    }

    pub fn environment_by_name(&self, name: &str) -> Option<&Environment> {
        self.environments.values().find(|e| e.name == name)
    }

    pub fn environment_by_uuid(&self, uuid: &str) -> Option<&Environment> {
        self.environments.values().find(|e| e.uuid == uuid)
    }

    /// Deployments not yet undeployed, oldest first.
    pub fn currently_deployed(&self) -> impl Iterator<Item = &DeployedVersion> + '_ {
        self.deployed_versions
            .values()
            .filter(|d| d.undeployed_at.is_none())
    }

    /// Releases still supported, oldest first.
    pub fn currently_supported(&self) -> impl Iterator<Item = &ReleasedVersion> + '_ {
        self.released_versions
            .values()
            .filter(|r| r.support_ended_at.is_none())
    }

    /// Versions of a pacticipant currently deployed or supported in an environment, oldest first.
    pub fn versions_in_environment(&self, pacticipant_id: Id, environment_id: Id) -> Vec<Id> {
        let mut v: Vec<Id> = self
            .current_deployments_of(pacticipant_id)
            .filter(|d| d.environment_id == environment_id)
            .map(|d| d.version_id)
            .chain(
                self.current_releases_of(pacticipant_id)
                    .filter(|r| r.environment_id == environment_id)
                    .map(|r| r.version_id),
            )
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Deployments of a pacticipant not yet undeployed, oldest first (indexed).
    pub fn current_deployments_of(
        &self,
        pacticipant_id: Id,
    ) -> impl Iterator<Item = &DeployedVersion> + '_ {
        ids(&self.current_deployments_by_pacticipant, pacticipant_id)
            .filter_map(|id| self.deployed_versions.get(&id))
            .filter(|d| d.undeployed_at.is_none())
    }

    /// Releases of a pacticipant still supported, oldest first (indexed).
    pub fn current_releases_of(
        &self,
        pacticipant_id: Id,
    ) -> impl Iterator<Item = &ReleasedVersion> + '_ {
        ids(&self.current_releases_by_pacticipant, pacticipant_id)
            .filter_map(|id| self.released_versions.get(&id))
            .filter(|r| r.support_ended_at.is_none())
    }

    /// Consumers that have at least one pact with a provider (the integrations table), by id.
    pub fn consumers_of_provider(
        &self,
        provider_id: Id,
    ) -> impl DoubleEndedIterator<Item = Id> + '_ {
        ids(&self.consumers_by_provider, provider_id)
    }

    pub fn labels_of(&self, pacticipant_id: Id) -> impl Iterator<Item = &Label> + '_ {
        self.labels
            .values()
            .filter(move |l| l.pacticipant_id == pacticipant_id)
    }

    /// Pairs (consumer, provider) that have at least one pact.
    pub fn integrations(&self) -> BTreeSet<(Id, Id)> {
        self.pact_versions
            .values()
            .map(|pv| (pv.consumer_id, pv.provider_id))
            .collect()
    }

    /// Whether any pact between the two (any revision) has been verified at all.
    pub fn any_verification_between(&self, consumer_id: Id, provider_id: Id) -> bool {
        ids(&self.publications_by_provider, provider_id)
            .map(|id| &self.pact_publications[&id])
            .filter(|p| p.consumer_id == consumer_id)
            .any(|p| {
                self.verifications_by_pact_version
                    .contains_key(&p.pact_version_id)
            })
    }

    pub fn webhook_by_uuid(&self, uuid: &str) -> Option<&Webhook> {
        self.webhooks.values().find(|w| w.uuid == uuid)
    }

    pub fn triggered_webhook_by_uuid(&self, uuid: &str) -> Option<&TriggeredWebhook> {
        self.triggered_webhooks.values().find(|t| t.uuid == uuid)
    }

    /// Executions of a triggered webhook, oldest first.
    pub fn executions_of(
        &self,
        triggered_webhook_id: Id,
    ) -> impl Iterator<Item = &WebhookExecution> + '_ {
        self.webhook_executions
            .values()
            .filter(move |e| e.triggered_webhook_id == triggered_webhook_id)
    }

    pub fn secret_by_name(&self, name: &str) -> Option<&Secret> {
        self.secrets.values().find(|s| s.name == name)
    }

    pub fn verification_count(&self) -> usize {
        self.verifications.len()
    }
}
