//! Which pacts a provider verifies: selector resolution, fallback tags, merging by content, pending
//! and WIP.

use super::{
    BranchSelector, PactsForVerificationQuery, ResolvedSelector, Selector, VerifiablePact,
};
use crate::model::{Id, PactPublication, Time};
use crate::pending;
use crate::state::State;
use std::cmp::Ordering;

/// A publication picked by a selector (`SelectedPact`).
#[derive(Debug, Clone)]
struct SelectedPact {
    publication_id: Id,
    consumer_id: Id,
    consumer_version_id: Id,
    pact_version_id: Id,
    selectors: Vec<ResolvedSelector>,
}

/// One row of a selector query: a current publication, with the environment and target when it was
/// found through a deployment or release.
struct Row<'a> {
    publication: &'a PactPublication,
    environment_id: Option<Id>,
    target: Option<String>,
}

fn plain_rows<'a>(pubs: &[&'a PactPublication]) -> Vec<Row<'a>> {
    pubs.iter()
        .map(|p| Row {
            publication: p,
            environment_id: None,
            target: None,
        })
        .collect()
}

fn environment_matches(state: &State, environment_id: Id, name: Option<&str>) -> bool {
    name.is_none_or(|n| {
        state
            .environments
            .get(&environment_id)
            .is_some_and(|e| e.name == n)
    })
}

fn deployed_rows<'a>(
    state: &State,
    pubs: &[&'a PactPublication],
    environment: Option<&str>,
) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for p in pubs {
        for d in state.currently_deployed() {
            if d.version_id == p.consumer_version_id
                && environment_matches(state, d.environment_id, environment)
            {
                rows.push(Row {
                    publication: p,
                    environment_id: Some(d.environment_id),
                    target: d.target.clone(),
                });
            }
        }
    }
    rows
}

fn released_rows<'a>(
    state: &State,
    pubs: &[&'a PactPublication],
    environment: Option<&str>,
) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for p in pubs {
        for r in state.currently_supported() {
            if r.version_id == p.consumer_version_id
                && environment_matches(state, r.environment_id, environment)
            {
                rows.push(Row {
                    publication: p,
                    environment_id: Some(r.environment_id),
                    target: None,
                });
            }
        }
    }
    rows
}

fn is_branch_head(state: &State, consumer_id: Id, branch: &str, version_id: Id) -> bool {
    state
        .branch_head_version(consumer_id, branch)
        .is_some_and(|v| v.id == version_id)
}

fn is_latest_with_tag(state: &State, consumer_id: Id, tag: &str, version_id: Id) -> bool {
    state
        .latest_version_with_tag(consumer_id, tag)
        .is_some_and(|v| v.id == version_id)
}

/// `for_provider_and_consumer_version_selector`: the publications one selector picks.
fn rows_for_selector<'a>(state: &'a State, provider_id: Id, s: &Selector) -> Vec<Row<'a>> {
    let mut pubs = state.current_publications_for_provider(provider_id);
    if let Some(consumer) = &s.consumer {
        match state.pacticipant_by_name(consumer) {
            Some(c) => pubs.retain(|p| p.consumer_id == c.id),
            None => return Vec::new(),
        }
    }
    if s.is_all_for_tag() {
        let tag = s.tag.as_deref().unwrap_or_default();
        pubs.retain(|p| state.tag(p.consumer_version_id, tag).is_some());
    }
    let env = s.environment.as_deref();
    let mut rows = if s.deployed {
        deployed_rows(state, &pubs, env)
    } else if s.released {
        released_rows(state, &pubs, env)
    } else if env.is_some() {
        // Deployed or released there: a union, so identical rows appear once.
        let mut rows = deployed_rows(state, &pubs, env);
        for r in released_rows(state, &pubs, env) {
            let dup = rows.iter().any(|x| {
                x.publication.id == r.publication.id
                    && x.environment_id == r.environment_id
                    && x.target == r.target
            });
            if !dup {
                rows.push(r);
            }
        }
        rows
    } else {
        plain_rows(&pubs)
    };

    // The "latest" logic comes last, so the criteria above apply before it.
    if s.is_latest_for_main_branch() {
        rows.retain(|r| {
            let p = r.publication;
            state
                .pacticipant(p.consumer_id)
                .main_branch
                .as_deref()
                .is_some_and(|mb| is_branch_head(state, p.consumer_id, mb, p.consumer_version_id))
        });
    }
    if s.is_latest_for_each_branch() {
        // One row per branch the version is the head of.
        rows = rows
            .into_iter()
            .flat_map(|r| {
                let heads = state
                    .branches_of(r.publication.consumer_id)
                    .filter(|b| {
                        state
                            .branch_head(b.id)
                            .is_some_and(|bv| bv.version_id == r.publication.consumer_version_id)
                    })
                    .count();
                std::iter::repeat_n(r, heads)
            })
            .collect();
    }
    if let Some(branch) = s.branch_name().filter(|_| s.is_latest_for_branch()) {
        rows.retain(|r| {
            is_branch_head(
                state,
                r.publication.consumer_id,
                branch,
                r.publication.consumer_version_id,
            )
        });
    }
    if s.is_latest_for_tag() {
        let tag = s.tag.as_deref().unwrap_or_default();
        rows.retain(|r| {
            is_latest_with_tag(
                state,
                r.publication.consumer_id,
                tag,
                r.publication.consumer_version_id,
            )
        });
    }
    if s.is_overall_latest() {
        let max_by_consumer = |consumer_id: Id, rows: &[Row]| {
            rows.iter()
                .filter(|r| r.publication.consumer_id == consumer_id)
                .map(|r| r.publication.consumer_version_id)
                .max()
        };
        let keep: Vec<bool> = rows
            .iter()
            .map(|r| {
                max_by_consumer(r.publication.consumer_id, &rows)
                    == Some(r.publication.consumer_version_id)
            })
            .collect();
        let mut keep = keep.into_iter();
        rows.retain(|_| keep.next().unwrap_or(false));
    }
    rows
}

impl Clone for Row<'_> {
    fn clone(&self) -> Self {
        Row {
            publication: self.publication,
            environment_id: self.environment_id,
            target: self.target.clone(),
        }
    }
}

fn resolve(s: &Selector, row: &Row) -> ResolvedSelector {
    if s.deployed || s.released || s.is_in_environment() {
        ResolvedSelector {
            selector: s.clone(),
            consumer_version_id: row.publication.consumer_version_id,
            environment_id: row.environment_id,
            target: row.target.clone(),
        }
    } else {
        ResolvedSelector {
            selector: Selector {
                fallback_tag: None,
                fallback_branch: None,
                ..s.clone()
            },
            consumer_version_id: row.publication.consumer_version_id,
            environment_id: None,
            target: None,
        }
    }
}

fn selected_pact(row: &Row, selector: ResolvedSelector) -> SelectedPact {
    let p = row.publication;
    SelectedPact {
        publication_id: p.id,
        consumer_id: p.consumer_id,
        consumer_version_id: p.consumer_version_id,
        pact_version_id: p.pact_version_id,
        selectors: vec![selector],
    }
}

/// The selectors used when the request gives none (`default_selectors`): per consumer with a pact
/// for the provider, its main branch head if the branch has versions, else the latest version tagged
/// with the main branch name, else the overall latest; then every deployed and every released version.
pub fn default_selectors(state: &State, provider_id: Id) -> Vec<Selector> {
    let mut consumers: Vec<Id> = state
        .integrations()
        .into_iter()
        .filter(|(_, p)| *p == provider_id)
        .map(|(c, _)| c)
        .collect();
    consumers.sort_by_key(|c| state.pacticipant(*c).name.to_lowercase());
    let mut selectors: Vec<Selector> = consumers
        .into_iter()
        .map(|c| {
            let consumer = state.pacticipant(c);
            let name = consumer.name.as_str();
            match consumer.main_branch.as_deref() {
                Some(mb) if state.branch_head_version(c, mb).is_some() => {
                    Selector::for_main_branch().for_consumer(name)
                }
                Some(mb) if state.latest_version_with_tag(c, mb).is_some() => {
                    Selector::latest_for_tag(mb).for_consumer(name)
                }
                _ => Selector::overall_latest().for_consumer(name),
            }
        })
        .collect();
    selectors.push(Selector::for_currently_deployed(None));
    selectors.push(Selector::for_currently_supported(None));
    selectors
}

fn find_by_selectors(state: &State, provider_id: Id, selectors: &[Selector]) -> Vec<SelectedPact> {
    let defaults;
    let selectors = if selectors.is_empty() {
        defaults = default_selectors(state, provider_id);
        &defaults[..]
    } else {
        selectors
    };
    selectors
        .iter()
        .flat_map(|s| {
            rows_for_selector(state, provider_id, s)
                .into_iter()
                .map(|row| selected_pact(&row, resolve(s, &row)))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `find_pacts_for_fallback_tags`: for selectors with a `fallbackTag` whose tag selected nothing
/// (for any consumer), the pacts of the latest versions with the fallback tag.
fn find_for_fallback_tags(
    state: &State,
    provider_id: Id,
    selected: &[SelectedPact],
    selectors: &[Selector],
) -> Vec<SelectedPact> {
    let missing: Vec<&Selector> = selectors
        .iter()
        .filter(|s| s.fallback_tag.is_some())
        .filter(|s| {
            !selected.iter().any(|sp| {
                sp.selectors.iter().any(|r| match &s.tag {
                    Some(t) => r.selector.latest_true_and_tag(t),
                    None => r.selector.is_latest_for_tag(),
                })
            })
        })
        .collect();
    let mut out = Vec::new();
    for s in missing {
        let fallback = s.fallback_tag.as_deref().unwrap_or_default();
        let mut pubs = state.current_publications_for_provider(provider_id);
        if let Some(consumer) = &s.consumer {
            match state.pacticipant_by_name(consumer) {
                Some(c) => pubs.retain(|p| p.consumer_id == c.id),
                None => continue,
            }
        }
        for p in pubs {
            if is_latest_with_tag(state, p.consumer_id, fallback, p.consumer_version_id) {
                let row = Row {
                    publication: p,
                    environment_id: None,
                    target: None,
                };
                // resolve_for_fallback keeps the fallback tag on the selector.
                let resolved = ResolvedSelector {
                    selector: s.clone(),
                    consumer_version_id: p.consumer_version_id,
                    environment_id: None,
                    target: None,
                };
                out.push(selected_pact(&row, resolved));
            }
        }
    }
    out
}

impl Selector {
    fn latest_true_and_tag(&self, tag: &str) -> bool {
        self.latest == Some(true) && self.tag.as_deref() == Some(tag)
    }
}

fn opt_cmp<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    a.cmp(&b)
}

/// `ResolvedSelector#<=>`: overall latest first, then latest-for-branch (by branch name), then
/// latest-for-tag (by tag), then all-for-tag (by tag, then consumer), deployed (non-production
/// environments first, then by name), released (likewise), consumer; ties by consumer version order.
///
/// Like the broker's, this comparison is not a total order for every mix of selectors (e.g. two
/// all-for-tag selectors without a consumer compare as "greater" both ways); [`sort_selectors`]
/// copes with that without panicking.
pub fn compare_resolved_selectors(
    state: &State,
    a: &ResolvedSelector,
    b: &ResolvedSelector,
) -> Ordering {
    let (x, y) = (&a.selector, &b.selector);
    let flag = |p: bool, q: bool| {
        if p == q {
            Ordering::Equal
        } else if p {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    };
    let consumer_cmp = || match (&x.consumer, &y.consumer) {
        (Some(c), Some(d)) => c.cmp(d),
        (Some(_), None) => Ordering::Less,
        _ => Ordering::Greater,
    };
    let production_cmp = || {
        let env = |id: Option<Id>| id.and_then(|id| state.environments.get(&id));
        let (e, f) = (env(a.environment_id), env(b.environment_id));
        let (ep, fp) = (
            e.is_some_and(|e| e.production),
            f.is_some_and(|f| f.production),
        );
        if ep == fp {
            opt_cmp(e.map(|e| e.name.as_str()), f.map(|f| f.name.as_str()))
        } else if ep {
            Ordering::Greater
        } else {
            Ordering::Less
        }
    };
    let c = if x.is_overall_latest() || y.is_overall_latest() {
        flag(x.is_overall_latest(), y.is_overall_latest())
    } else if x.is_latest_for_branch() || y.is_latest_for_branch() {
        if x.is_latest_for_branch() == y.is_latest_for_branch() {
            opt_cmp(x.branch_name(), y.branch_name())
        } else {
            flag(x.is_latest_for_branch(), y.is_latest_for_branch())
        }
    } else if x.is_latest_for_tag() || y.is_latest_for_tag() {
        if x.is_latest_for_tag() == y.is_latest_for_tag() {
            opt_cmp(x.tag.as_deref(), y.tag.as_deref())
        } else {
            flag(x.is_latest_for_tag(), y.is_latest_for_tag())
        }
    } else if x.tag.is_some() || y.tag.is_some() {
        match (&x.tag, &y.tag) {
            (Some(s), Some(t)) if s == t => consumer_cmp(),
            (Some(s), Some(t)) => s.cmp(t),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        }
    } else if x.deployed || y.deployed {
        if x.deployed == y.deployed {
            production_cmp()
        } else {
            flag(x.deployed, y.deployed)
        }
    } else if x.released || y.released {
        if x.released == y.released {
            production_cmp()
        } else {
            flag(x.released, y.released)
        }
    } else if x.consumer.is_some() || y.consumer.is_some() {
        consumer_cmp()
    } else {
        Ordering::Equal
    };
    c.then_with(|| a.consumer_version_id.cmp(&b.consumer_version_id))
}

/// A stable top-down merge sort (glibc's `msort`, which Ruby's `sort` ends up using), written out
/// because the comparison is not always a total order and the standard sorts may panic on that.
pub(crate) fn merge_sort_by<T: Clone>(items: &mut [T], cmp: &impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mid = items.len() / 2;
    merge_sort_by(&mut items[..mid], cmp);
    merge_sort_by(&mut items[mid..], cmp);
    let (left, right) = (items[..mid].to_vec(), items[mid..].to_vec());
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        if cmp(&left[i], &right[j]) != Ordering::Greater {
            items[k] = left[i].clone();
            i += 1;
        } else {
            items[k] = right[j].clone();
            j += 1;
        }
        k += 1;
    }
    for x in left[i..].iter().chain(&right[j..]) {
        items[k] = x.clone();
        k += 1;
    }
}

pub(crate) fn sort_selectors(state: &State, selectors: &mut [ResolvedSelector]) {
    merge_sort_by(selectors, &|a, b| compare_resolved_selectors(state, a, b));
}

/// `SelectedPact.merge_by_pact_version_sha`: one entry per (consumer, content), represented by the
/// highest-order consumer version, with all the selectors sorted; then sorted by consumer name,
/// provider name (case-insensitively) and consumer version order.
fn merge_by_pact_version(
    state: &State,
    provider_id: Id,
    selected: Vec<SelectedPact>,
) -> Vec<SelectedPact> {
    let mut groups: Vec<SelectedPact> = Vec::new();
    for sp in selected {
        match groups
            .iter_mut()
            .find(|g| g.consumer_id == sp.consumer_id && g.pact_version_id == sp.pact_version_id)
        {
            Some(g) => {
                if sp.consumer_version_id > g.consumer_version_id {
                    g.publication_id = sp.publication_id;
                    g.consumer_version_id = sp.consumer_version_id;
                }
                g.selectors.extend(sp.selectors);
            }
            None => groups.push(sp),
        }
    }
    for g in &mut groups {
        sort_selectors(state, &mut g.selectors);
    }
    let provider = state.pacticipant(provider_id).name.to_lowercase();
    groups.sort_by_cached_key(|g| {
        (
            state.pacticipant(g.consumer_id).name.to_lowercase(),
            provider.clone(),
            g.consumer_version_id,
        )
    });
    groups
}

/// `SquashPactsForVerification`: adds the pending verdict for the provider branch, else tags, else any.
fn squash(
    state: &State,
    provider_id: Id,
    q: &PactsForVerificationQuery,
    sp: SelectedPact,
) -> VerifiablePact {
    let mut vp = VerifiablePact {
        publication_id: sp.publication_id,
        consumer_id: sp.consumer_id,
        provider_id,
        consumer_version_id: sp.consumer_version_id,
        pact_version_id: sp.pact_version_id,
        selectors: sp.selectors,
        pending: None,
        pending_provider_tags: Vec::new(),
        non_pending_provider_tags: Vec::new(),
        provider_branch: None,
        wip: false,
    };
    if !q.include_pending_status {
        return vp;
    }
    let tags = &q.provider_version_tags;
    let pv = sp.pact_version_id;
    if let Some(branch) = &q.provider_version_branch {
        vp.pending = Some(pending::is_pending_for_provider_branch(
            state,
            pv,
            provider_id,
            branch,
        ));
    } else if !tags.is_empty() {
        vp.pending_provider_tags = pending::pending_provider_tags(state, pv, provider_id, tags);
        vp.pending = Some(!vp.pending_provider_tags.is_empty());
    } else {
        vp.pending = Some(pending::pending_for_any_provider_branch(state, pv));
    }
    vp.non_pending_provider_tags = tags
        .iter()
        .filter(|t| !vp.pending_provider_tags.contains(t))
        .cloned()
        .collect();
    vp.provider_branch = q.provider_version_branch.clone();
    vp
}

/// The pacts a provider should verify, explicitly selected ones first, then the WIP ones.
pub fn pacts_for_verification(
    state: &State,
    provider_id: Id,
    query: &PactsForVerificationQuery,
) -> Vec<VerifiablePact> {
    let mut selected = find_by_selectors(state, provider_id, &query.consumer_version_selectors);
    let fallback = find_for_fallback_tags(
        state,
        provider_id,
        &selected,
        &query.consumer_version_selectors,
    );
    selected.extend(fallback);
    let explicit: Vec<VerifiablePact> = merge_by_pact_version(state, provider_id, selected)
        .into_iter()
        .map(|sp| squash(state, provider_id, query, sp))
        .collect();
    let wip = match query.include_wip_pacts_since {
        Some(since) => find_wip(state, provider_id, query, since, &explicit),
        None => Vec::new(),
    };
    explicit.into_iter().chain(wip).collect()
}

// ---- WIP ------------------------------------------------------------------------------------------

#[derive(Clone)]
enum Head {
    Branch(String),
    Tag(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeadKind {
    Branch,
    Tag,
}

/// Candidates: current publications created after `since` whose consumer version is the head of a
/// consumer branch (`for_all_branch_heads`) or the latest version with a tag (`for_all_tag_heads`);
/// one row per branch or tag.
fn wip_candidates(
    state: &State,
    provider_id: Id,
    since: Time,
    kind: HeadKind,
) -> Vec<(&PactPublication, Head)> {
    let mut out = Vec::new();
    for p in state.current_publications_for_provider(provider_id) {
        if p.created_at <= since {
            continue;
        }
        match kind {
            HeadKind::Branch => {
                for b in state.branches_of(p.consumer_id) {
                    if state
                        .branch_head(b.id)
                        .is_some_and(|bv| bv.version_id == p.consumer_version_id)
                    {
                        out.push((p, Head::Branch(b.name.clone())));
                    }
                }
            }
            HeadKind::Tag => {
                for t in state.tags_of(p.consumer_version_id) {
                    if is_latest_with_tag(state, p.consumer_id, &t.name, p.consumer_version_id) {
                        out.push((p, Head::Tag(t.name.clone())));
                    }
                }
            }
        }
    }
    out
}

fn explicitly_selected(explicit: &[VerifiablePact], p: &PactPublication) -> bool {
    explicit.iter().any(|e| {
        e.consumer_id == p.consumer_id
            && e.provider_id == p.provider_id
            && e.pact_version_id == p.pact_version_id
    })
}

fn first_branch_version_created_at(state: &State, provider_id: Id, branch: &str) -> Option<Time> {
    let b = state.branch_by_name(provider_id, branch)?;
    state
        .branch_versions_of_branch(b.id)
        .min_by_key(|bv| (bv.created_at, bv.id))
        .map(|bv| state.version(bv.version_id).created_at)
}

/// `remove_non_wip_for_branch`: drops pacts successfully verified (not as WIP) by the provider
/// branch, or by another branch before the branch's first version, and explicitly selected ones.
fn remove_non_wip_for_branch<'a>(
    state: &State,
    provider_id: Id,
    branch: &str,
    cutoff: Option<Time>,
    rows: Vec<(&'a PactPublication, Head)>,
    explicit: &[VerifiablePact],
) -> Vec<(&'a PactPublication, Head)> {
    let first_version_created = first_branch_version_created_at(state, provider_id, branch);
    let counts = |v: &crate::model::Verification| {
        v.success && !v.wip && cutoff.is_none_or(|c| v.created_at >= c)
    };
    let verified = |pact_version_id: Id| {
        state
            .verifications_of_pact_version(pact_version_id)
            .any(|v| {
                if !counts(v) {
                    return false;
                }
                let branches = state.branch_names_of_version(v.provider_version_id);
                branches.contains(&branch)
                    || (branches.iter().any(|b| *b != branch)
                        && first_version_created.is_none_or(|f| v.created_at < f))
            })
    };
    rows.into_iter()
        .filter(|(p, _)| !verified(p.pact_version_id) && !explicitly_selected(explicit, p))
        .collect()
}

/// `remove_non_wip_for_tag`: as for branches, using the provider tags recorded on each verification
/// and the time the provider tag was first used.
fn remove_non_wip_for_tag<'a>(
    state: &State,
    provider_id: Id,
    tag: &str,
    rows: &[(&'a PactPublication, Head)],
    explicit: &[VerifiablePact],
) -> Vec<(&'a PactPublication, Head)> {
    let first_tag_created = state
        .versions_with_tag(provider_id, tag)
        .filter_map(|v| state.tag(v.id, tag))
        .map(|t| t.created_at)
        .min();
    let verified = |pact_version_id: Id| {
        state
            .verifications_of_pact_version(pact_version_id)
            .any(|v| {
                v.success
                    && !v.wip
                    && (v.provider_tags.iter().any(|t| t == tag)
                        || (v.provider_tags.iter().any(|t| t != tag)
                            && first_tag_created.is_none_or(|f| v.created_at < f)))
            })
    };
    rows.iter()
        .filter(|(p, _)| !verified(p.pact_version_id) && !explicitly_selected(explicit, p))
        .cloned()
        .collect()
}

fn wip_pact(
    p: &PactPublication,
    head: &Head,
    provider_branch: Option<&str>,
    pending_provider_tags: Vec<String>,
) -> VerifiablePact {
    let selector = match head {
        Head::Tag(t) => Selector::latest_for_tag(t),
        Head::Branch(b) => Selector {
            latest: Some(true),
            branch: Some(BranchSelector::Name(b.clone())),
            ..Default::default()
        },
    };
    VerifiablePact {
        publication_id: p.id,
        consumer_id: p.consumer_id,
        provider_id: p.provider_id,
        consumer_version_id: p.consumer_version_id,
        pact_version_id: p.pact_version_id,
        selectors: vec![ResolvedSelector {
            selector,
            consumer_version_id: p.consumer_version_id,
            environment_id: None,
            target: None,
        }],
        pending: Some(true),
        pending_provider_tags,
        non_pending_provider_tags: Vec::new(),
        provider_branch: provider_branch.map(str::to_string),
        wip: true,
    }
}

/// `VerifiablePact.deduplicate` (one per consumer and content; selectors and tags concatenated,
/// the newest consumer version represents it), then sorted by consumer name and version order.
fn deduplicate_and_sort(state: &State, pacts: Vec<VerifiablePact>) -> Vec<VerifiablePact> {
    let mut out: Vec<VerifiablePact> = Vec::new();
    for vp in pacts {
        match out
            .iter_mut()
            .find(|o| o.consumer_id == vp.consumer_id && o.pact_version_id == vp.pact_version_id)
        {
            Some(o) => {
                if vp.consumer_version_id > o.consumer_version_id {
                    o.publication_id = vp.publication_id;
                    o.consumer_version_id = vp.consumer_version_id;
                }
                o.pending = Some(o.is_pending() || vp.is_pending());
                o.selectors.extend(vp.selectors);
                o.pending_provider_tags.extend(vp.pending_provider_tags);
                o.non_pending_provider_tags
                    .extend(vp.non_pending_provider_tags);
                o.wip = o.wip || vp.wip;
            }
            None => out.push(vp),
        }
    }
    out.sort_by(|a, b| {
        a.consumer_name(state)
            .cmp(b.consumer_name(state))
            .then(a.consumer_version_id.cmp(&b.consumer_version_id))
    });
    out
}

/// `find_wip`: needs a provider branch or tags.
fn find_wip(
    state: &State,
    provider_id: Id,
    q: &PactsForVerificationQuery,
    since: Time,
    explicit: &[VerifiablePact],
) -> Vec<VerifiablePact> {
    if let Some(branch) = &q.provider_version_branch {
        let cutoff = q.wip_lookback_cutoff;
        let by_branch = remove_non_wip_for_branch(
            state,
            provider_id,
            branch,
            cutoff,
            wip_candidates(state, provider_id, since, HeadKind::Branch),
            explicit,
        );
        let by_tag = remove_non_wip_for_branch(
            state,
            provider_id,
            branch,
            cutoff,
            wip_candidates(state, provider_id, since, HeadKind::Tag),
            explicit,
        );
        let pacts = by_branch
            .iter()
            .chain(&by_tag)
            .map(|(p, head)| wip_pact(p, head, Some(branch), Vec::new()))
            .collect();
        return deduplicate_and_sort(state, pacts);
    }
    if q.provider_version_tags.is_empty() {
        return Vec::new();
    }
    let mut pacts = Vec::new();
    for kind in [HeadKind::Tag, HeadKind::Branch] {
        let candidates = wip_candidates(state, provider_id, since, kind);
        for tag in &q.provider_version_tags {
            for (p, head) in remove_non_wip_for_tag(state, provider_id, tag, &candidates, explicit)
            {
                pacts.push(wip_pact(p, &head, None, vec![tag.clone()]));
            }
        }
    }
    deduplicate_and_sort(state, pacts)
}
