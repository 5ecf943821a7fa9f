//! Integrations (`IntegrationsRepository`) and matrix rows (`MatrixRow`/`EveryRow` datasets and
//! `Repository#find_considered_and_ignored_rows`).
//!
//! A row is a pact publication left-joined with the verifications of its pact version. With a
//! `latestby`, only the current revision of each consumer version's pact and the latest
//! verification per (pact version, provider version) are used; without, every revision and
//! every verification.

use super::query::{LatestBy, MatrixOptions};
use super::selectors::{ResolvedSelector, VersionRef};
use crate::model::{Id, PactPublication, Time};
use crate::state::State;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A consumer/provider pair involved in a query. `required` when the consumer is one of the
/// specified pacticipants: a consumer needs its provider, a provider does not need its consumers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    pub consumer_id: Id,
    pub consumer_name: String,
    pub provider_id: Id,
    pub provider_name: String,
    pub required: bool,
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub consumer_id: Id,
    pub consumer_name: String,
    pub consumer_version_id: Id,
    pub consumer_version_number: String,
    pub provider_id: Id,
    pub provider_name: String,
    /// `None` when the pact has no verification from the selected provider versions.
    pub provider_version_id: Option<Id>,
    pub provider_version_number: Option<String>,
    pub pact_publication_id: Id,
    pub pact_version_id: Id,
    pub pact_revision_number: i64,
    pub verification_id: Option<Id>,
    pub success: Option<bool>,
    /// For the "last action date" order: the consumer version's creation (the publication's,
    /// without `latestby`) and the verification's.
    consumer_version_created_at: Time,
    provider_version_created_at: Option<Time>,
}

#[derive(Debug, Clone, Copy)]
struct Pub {
    id: Id,
    consumer_id: Id,
    provider_id: Id,
    consumer_version_id: Id,
    pact_version_id: Id,
    revision: i64,
    created_at: Time,
}

#[derive(Debug, Clone, Copy)]
struct Verif {
    id: Id,
    pact_version_id: Id,
    provider_version_id: Id,
    consumer_id: Id,
    created_at: Time,
    success: bool,
}

fn pub_of(state: &State, p: &PactPublication, every: bool) -> Pub {
    Pub {
        id: p.id,
        consumer_id: p.consumer_id,
        provider_id: p.provider_id,
        consumer_version_id: p.consumer_version_id,
        pact_version_id: p.pact_version_id,
        revision: p.revision_number,
        // The latest-publication table carries the consumer version's creation time.
        created_at: if every {
            p.created_at
        } else {
            state.version(p.consumer_version_id).created_at
        },
    }
}

fn pubs_of_consumer_version(state: &State, cv: Id, every: bool) -> Vec<Pub> {
    if every {
        state
            .all_publications_of_consumer_version(cv)
            .map(|p| pub_of(state, p, true))
            .collect()
    } else {
        state
            .publications_of_consumer_version(cv)
            .into_iter()
            .map(|p| pub_of(state, p, false))
            .collect()
    }
}

fn pubs_of_consumer(state: &State, consumer: Id, every: bool) -> Vec<Pub> {
    if every {
        state
            .versions_of(consumer)
            .flat_map(|v| state.all_publications_of_consumer_version(v.id))
            .map(|p| pub_of(state, p, true))
            .collect()
    } else {
        state
            .current_publications_by_consumer(consumer)
            .into_iter()
            .map(|p| pub_of(state, p, false))
            .collect()
    }
}

fn pubs_of_pact_version(state: &State, pact_version: Id, every: bool) -> Vec<Pub> {
    state
        .publications_of_pact_version(pact_version)
        .filter(|p| every || state.is_current_publication(p))
        .map(|p| pub_of(state, p, every))
        .collect()
}

fn verif_of(state: &State, v: &crate::model::Verification) -> Verif {
    Verif {
        id: v.id,
        pact_version_id: v.pact_version_id,
        provider_version_id: v.provider_version_id,
        consumer_id: state.pact_version(v.pact_version_id).consumer_id,
        created_at: v.created_at,
        success: v.success,
    }
}

/// Keeps the latest verification per `key` (the latest-verification table), in id order.
fn latest_per<K: std::hash::Hash + Eq>(
    verifs: Vec<Verif>,
    key: impl Fn(&Verif) -> K,
) -> Vec<Verif> {
    let mut best: HashMap<K, Verif> = HashMap::new();
    for v in verifs {
        match best.get(&key(&v)) {
            Some(b) if b.id >= v.id => {}
            _ => {
                best.insert(key(&v), v);
            }
        }
    }
    let mut out: Vec<Verif> = best.into_values().collect();
    out.sort_by_key(|v| v.id);
    out
}

fn verifs_of_provider_version(state: &State, pv: Id, every: bool) -> Vec<Verif> {
    let all: Vec<Verif> = state
        .verifications_by_provider_version(pv)
        .map(|v| verif_of(state, v))
        .collect();
    if every {
        all
    } else {
        latest_per(all, |v| v.pact_version_id)
    }
}

fn verifs_of_provider(state: &State, provider: Id, every: bool) -> Vec<Verif> {
    state
        .versions_of(provider)
        .flat_map(|v| verifs_of_provider_version(state, v.id, every))
        .collect()
}

fn verifs_of_pact_version(state: &State, pact_version: Id, every: bool) -> Vec<Verif> {
    let all: Vec<Verif> = state
        .verifications_of_pact_version(pact_version)
        .map(|v| verif_of(state, v))
        .collect();
    if every {
        all
    } else {
        latest_per(all, |v| v.provider_version_id)
    }
}

/// `IntegrationsRepository#find_integrations_for_specified_selectors`.
pub(crate) fn find_integrations(
    state: &State,
    specified: &[ResolvedSelector],
    infer: bool,
) -> Vec<Integration> {
    let specified_ids: HashSet<Id> = specified.iter().filter_map(|s| s.pacticipant_id).collect();
    let mut found: Vec<(Id, Id, bool)> = Vec::new();
    if infer || specified.len() == 1 {
        // As consumer: the providers of the pacts of the specified versions (required).
        for s in specified {
            let Some(pid) = s.pacticipant_id else {
                continue;
            };
            let providers: BTreeSet<Id> = match s.version {
                VersionRef::Any => state
                    .current_publications_by_consumer(pid)
                    .into_iter()
                    .map(|p| p.provider_id)
                    .collect(),
                VersionRef::Id(v) => state
                    .publications_of_consumer_version(v)
                    .into_iter()
                    .map(|p| p.provider_id)
                    .collect(),
                VersionRef::NotFound => BTreeSet::new(),
            };
            found.extend(providers.into_iter().map(|p| (pid, p, true)));
        }
        // As provider: every consumer with a pact with the specified pacticipants (not required).
        let mut providers: Vec<Id> = specified.iter().filter_map(|s| s.pacticipant_id).collect();
        providers.sort_unstable();
        providers.dedup();
        for p in providers {
            found.extend(
                state
                    .consumers_of_provider(p)
                    .filter(|c| state.pacticipants.contains_key(c))
                    .map(|c| (c, p, false)),
            );
        }
    } else {
        // Only the integrations between the specified selectors.
        let mut pairs: BTreeSet<(Id, Id)> = BTreeSet::new();
        for s in specified {
            let Some(pid) = s.pacticipant_id else {
                continue;
            };
            let pubs: Vec<&PactPublication> = if s.only_pacticipant_name_specified() {
                state.current_publications_by_consumer(pid)
            } else {
                match s.version {
                    VersionRef::Id(v) => state.publications_of_consumer_version(v),
                    _ => Vec::new(),
                }
            };
            pairs.extend(
                pubs.into_iter()
                    .filter(|p| specified_ids.contains(&p.provider_id))
                    .map(|p| (p.consumer_id, p.provider_id)),
            );
        }
        found.extend(
            pairs
                .into_iter()
                .map(|(c, p)| (c, p, specified_ids.contains(&c))),
        );
    }

    // Deduplicate, preferring the required one.
    let mut integrations: Vec<Integration> = Vec::new();
    let mut index: HashMap<(Id, Id), usize> = HashMap::new();
    for (c, p, required) in found {
        match index.get(&(c, p)) {
            Some(&i) => integrations[i].required |= required,
            None => {
                index.insert((c, p), integrations.len());
                integrations.push(Integration {
                    consumer_id: c,
                    consumer_name: state.pacticipant(c).name.clone(),
                    provider_id: p,
                    provider_name: state.pacticipant(p).name.clone(),
                    required,
                });
            }
        }
    }
    integrations.sort_by(|a, b| {
        (&a.consumer_name, &a.provider_name).cmp(&(&b.consumer_name, &b.provider_name))
    });
    integrations
}

/// `most_recent(limit)`: newest first; equal times keep insertion order (as SQLite returns them).
fn most_recent(mut pubs: Vec<Pub>, limit: Option<i64>) -> Vec<Pub> {
    pubs.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    if let Some(limit) = limit {
        pubs.truncate(usize::try_from(limit).unwrap_or(0));
    }
    pubs
}

/// The ids of the `limit` most recent publications of the whole broker, which the single-selector
/// query takes before filtering (`None` when there are no more than that).
fn most_recent_ids(state: &State, every: bool, limit: i64) -> Option<HashSet<Id>> {
    let limit = usize::try_from(limit).unwrap_or(0);
    if state.pact_publications.len() <= limit {
        return None;
    }
    let mut keys: Vec<(Time, Id)> = if every {
        state
            .pact_publications
            .values()
            .map(|p| (p.created_at, p.id))
            .collect()
    } else {
        let mut current: HashMap<(Id, Id), &PactPublication> = HashMap::new();
        for p in state.pact_publications.values() {
            let key = (p.consumer_version_id, p.provider_id);
            match current.get(&key) {
                Some(c) if (c.revision_number, c.id) >= (p.revision_number, p.id) => {}
                _ => {
                    current.insert(key, p);
                }
            }
        }
        current
            .into_values()
            .map(|p| (state.version(p.consumer_version_id).created_at, p.id))
            .collect()
    };
    let order = |a: &(Time, Id), b: &(Time, Id)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if keys.len() > limit && limit > 0 {
        keys.select_nth_unstable_by(limit - 1, order);
    }
    keys.truncate(limit);
    Some(keys.into_iter().map(|(_, id)| id).collect())
}

fn row(state: &State, p: &Pub, v: Option<&Verif>) -> MatrixRow {
    let provider_version = v.map(|v| state.version(v.provider_version_id));
    MatrixRow {
        consumer_id: p.consumer_id,
        consumer_name: state.pacticipant(p.consumer_id).name.clone(),
        consumer_version_id: p.consumer_version_id,
        consumer_version_number: state.version(p.consumer_version_id).number.clone(),
        provider_id: p.provider_id,
        provider_name: state.pacticipant(p.provider_id).name.clone(),
        provider_version_id: provider_version.map(|v| v.id),
        provider_version_number: provider_version.map(|v| v.number.clone()),
        pact_publication_id: p.id,
        pact_version_id: p.pact_version_id,
        pact_revision_number: p.revision,
        verification_id: v.map(|v| v.id),
        success: v.map(|v| v.success),
        consumer_version_created_at: p.created_at,
        provider_version_created_at: v.map(|v| v.created_at),
    }
}

/// The left join of publications with verifications on the pact version.
fn left_join(state: &State, pubs: &[Pub], verifs: &[Verif], out: &mut Vec<MatrixRow>) {
    let mut by_pact_version: HashMap<Id, Vec<&Verif>> = HashMap::new();
    for v in verifs {
        by_pact_version
            .entry(v.pact_version_id)
            .or_default()
            .push(v);
    }
    for p in pubs {
        match by_pact_version.get(&p.pact_version_id) {
            Some(vs) => out.extend(vs.iter().map(|v| row(state, p, Some(v)))),
            None => out.push(row(state, p, None)),
        }
    }
}

/// `matching_one_selector_for_either_consumer_or_provider`.
fn rows_for_one_selector(
    state: &State,
    s: &ResolvedSelector,
    every: bool,
    limit: Option<i64>,
) -> Vec<MatrixRow> {
    let Some(pid) = s.pacticipant_id else {
        return Vec::new();
    };
    let recent = limit.and_then(|l| most_recent_ids(state, every, l));
    let in_recent = |id: Id| recent.as_ref().is_none_or(|r| r.contains(&id));
    let name_only = s.only_pacticipant_name_specified();
    let mut rows = Vec::new();

    // The selector as consumer, with every verification of its pacts.
    let pubs: Vec<Pub> = if name_only {
        pubs_of_consumer(state, pid, every)
    } else {
        match s.version {
            VersionRef::Id(v) => pubs_of_consumer_version(state, v, every),
            _ => Vec::new(),
        }
    };
    for p in pubs.iter().filter(|p| in_recent(p.id)) {
        let verifs = verifs_of_pact_version(state, p.pact_version_id, every);
        if verifs.is_empty() {
            rows.push(row(state, p, None));
        } else {
            rows.extend(verifs.iter().map(|v| row(state, p, Some(v))));
        }
    }

    // The selector as provider: the pacts it verified.
    let verifs: Vec<Verif> = if name_only {
        verifs_of_provider(state, pid, every)
    } else {
        match s.version {
            VersionRef::Id(v) => verifs_of_provider_version(state, v, every),
            _ => Vec::new(),
        }
    };
    let mut seen: HashSet<(Id, Option<Id>)> = rows
        .iter()
        .map(|r| (r.pact_publication_id, r.verification_id))
        .collect();
    for v in &verifs {
        for p in pubs_of_pact_version(state, v.pact_version_id, every) {
            if in_recent(p.id) && seen.insert((p.id, Some(v.id))) {
                rows.push(row(state, &p, Some(v)));
            }
        }
    }
    rows
}

/// `matching_only_selectors_joining_verifications`: the verifications are narrowed to the selected
/// provider versions before the join, so a pact they did not verify gives a row without one.
fn rows_for_selectors(
    state: &State,
    selectors: &[ResolvedSelector],
    every: bool,
    limit: Option<i64>,
) -> Vec<MatrixRow> {
    let all_ids: HashSet<Id> = selectors.iter().filter_map(|s| s.pacticipant_id).collect();
    let specified_ids: HashSet<Id> = selectors
        .iter()
        .filter(|s| s.is_specified())
        .filter_map(|s| s.pacticipant_id)
        .collect();
    let mut name_only_ids: Vec<Id> = selectors
        .iter()
        .filter(|s| s.only_pacticipant_name_specified())
        .filter_map(|s| s.pacticipant_id)
        .collect();
    name_only_ids.sort_unstable();
    name_only_ids.dedup();
    let with_versions: Vec<&ResolvedSelector> = selectors
        .iter()
        .filter(|s| !s.only_pacticipant_name_specified())
        .collect();
    let mut version_ids: Vec<Id> = with_versions
        .iter()
        .filter_map(|s| s.version.id())
        .collect();
    version_ids.sort_unstable();
    version_ids.dedup();

    let mut pubs: Vec<Pub> = Vec::new();
    if !name_only_ids.is_empty() {
        let candidates = name_only_ids
            .iter()
            .flat_map(|c| pubs_of_consumer(state, *c, every))
            .filter(|p| all_ids.contains(&p.provider_id))
            .collect();
        pubs.extend(most_recent(candidates, limit));
    }
    if !with_versions.is_empty() {
        let candidates = version_ids
            .iter()
            .flat_map(|v| pubs_of_consumer_version(state, *v, every))
            .filter(|p| all_ids.contains(&p.provider_id))
            .collect();
        pubs.extend(most_recent(candidates, limit));
    }
    let mut seen = HashSet::new();
    pubs.retain(|p| seen.insert(p.id));

    let mut verifs: Vec<Verif> = Vec::new();
    for p in &name_only_ids {
        verifs.extend(
            verifs_of_provider(state, *p, every)
                .into_iter()
                .filter(|v| all_ids.contains(&v.consumer_id)),
        );
    }
    for v in &version_ids {
        verifs.extend(
            verifs_of_provider_version(state, *v, every)
                .into_iter()
                .filter(|v| all_ids.contains(&v.consumer_id)),
        );
    }
    let mut seen = HashSet::new();
    verifs.retain(|v| seen.insert(v.id));

    let mut rows = Vec::new();
    left_join(state, &pubs, &verifs, &mut rows);
    rows.retain(|r| {
        specified_ids.contains(&r.consumer_id) || specified_ids.contains(&r.provider_id)
    });
    rows
}

/// `Repository#query_matrix`: the rows, by last action date, limited.
pub(crate) fn query_rows(
    state: &State,
    selectors: &[ResolvedSelector],
    options: &MatrixOptions,
) -> Vec<MatrixRow> {
    let every = options.latestby.is_none();
    let mut rows = if selectors.len() == 1 {
        rows_for_one_selector(state, &selectors[0], every, options.limit)
    } else {
        rows_for_selectors(state, selectors, every, options.limit)
    };
    let last_action = |r: &MatrixRow| match r.provider_version_created_at {
        Some(p) if p > r.consumer_version_created_at => p,
        _ => r.consumer_version_created_at,
    };
    rows.sort_by(|a, b| {
        last_action(b)
            .cmp(&last_action(a))
            .then(b.pact_publication_id.cmp(&a.pact_publication_id))
            // Descending, rows without a verification last (as SQLite orders NULLs).
            .then(b.verification_id.cmp(&a.verification_id))
    });
    if let Some(limit) = options.limit {
        rows.truncate(usize::try_from(limit).unwrap_or(0));
    }
    rows
}

/// `Repository#apply_latestby`: one row per group; a group whose first row has no verification
/// keeps that row, otherwise the row with the latest provider version.
pub(crate) fn apply_latestby(rows: Vec<MatrixRow>, latestby: Option<LatestBy>) -> Vec<MatrixRow> {
    let Some(latestby) = latestby else {
        return rows;
    };
    let key = |r: &MatrixRow| -> (Id, Option<Id>, Id, Option<Id>) {
        match latestby {
            LatestBy::Cvpv => (
                r.consumer_id,
                Some(r.consumer_version_id),
                r.provider_id,
                r.provider_version_id,
            ),
            LatestBy::Cvp => (
                r.consumer_id,
                Some(r.consumer_version_id),
                r.provider_id,
                None,
            ),
            LatestBy::Cp => (r.consumer_id, None, r.provider_id, None),
        }
    };
    let mut groups: Vec<Vec<MatrixRow>> = Vec::new();
    let mut index: HashMap<(Id, Option<Id>, Id, Option<Id>), usize> = HashMap::new();
    for r in rows {
        match index.get(&key(&r)) {
            Some(&i) => groups[i].push(r),
            None => {
                index.insert(key(&r), groups.len());
                groups.push(vec![r]);
            }
        }
    }
    groups
        .into_iter()
        .filter_map(|group| {
            if group
                .first()
                .is_some_and(|r| r.provider_version_id.is_none())
            {
                group.into_iter().next()
            } else {
                group.into_iter().reduce(|best, r| {
                    if r.provider_version_id >= best.provider_version_id {
                        r
                    } else {
                        best
                    }
                })
            }
        })
        .collect()
}

/// `compare_number_desc`: larger first, a missing number before a present one.
fn desc(a: Option<Id>, b: Option<Id>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

/// The rows' order (`MatrixRowInstanceMethods#<=>`): consumer name, newest consumer version,
/// newest revision, provider name, newest provider version, newest verification.
pub(crate) fn sort_rows(rows: &mut [MatrixRow]) {
    rows.sort_by(|a, b| {
        a.consumer_name
            .cmp(&b.consumer_name)
            .then_with(|| desc(Some(a.consumer_version_id), Some(b.consumer_version_id)))
            .then_with(|| desc(Some(a.pact_revision_number), Some(b.pact_revision_number)))
            .then_with(|| a.provider_name.cmp(&b.provider_name))
            .then_with(|| desc(a.provider_version_id, b.provider_version_id))
            .then_with(|| desc(a.verification_id, b.verification_id))
    });
}
