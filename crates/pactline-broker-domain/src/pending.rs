//! Whether a pact (its content, the pact version) is "pending" for a provider: a failure to verify
//! it should not fail the provider's build yet. As the real broker's `pact_version.rb`
//! (`pending_for_provider_branch?`, `select_provider_tags_with_successful_verifications*`) and
//! `domain/pact.rb#pending_for_any_provider_branch?`.
//!
//! Only successful verifications count; WIP verifications count too. Branch and tag memberships are
//! those of the verifying provider version now (not when the result was published).

use crate::model::{Id, Time, Verification};
use crate::state::State;

fn successful_verifications(
    state: &State,
    pact_version_id: Id,
) -> impl Iterator<Item = &Verification> + '_ {
    state
        .verifications_of_pact_version(pact_version_id)
        .filter(|v| v.success)
}

/// Pending for a provider branch: no successful verification by a provider version on `branch`,
/// and none by a version on another branch made before `branch` was created (at any time, when the
/// branch does not exist yet). Versions without a branch never count.
pub fn is_pending_for_provider_branch(
    state: &State,
    pact_version_id: Id,
    provider_id: Id,
    branch: &str,
) -> bool {
    let verified_by_branch = successful_verifications(state, pact_version_id).any(|v| {
        state
            .branch_names_of_version(v.provider_version_id)
            .contains(&branch)
    });
    if verified_by_branch {
        return false;
    }
    let branch_created: Option<Time> = state
        .branch_by_name(provider_id, branch)
        .map(|b| b.created_at);
    let verified_by_other_branch_before =
        successful_verifications(state, pact_version_id).any(|v| {
            state
                .branch_names_of_version(v.provider_version_id)
                .iter()
                .any(|b| *b != branch)
                && branch_created.is_none_or(|created| v.created_at < created)
        });
    !verified_by_other_branch_before
}

/// When the provider first used a tag: the earliest tag with that name on any of its versions.
fn first_provider_tag_created_at(state: &State, provider_id: Id, tag: &str) -> Option<Time> {
    state
        .versions_with_tag(provider_id, tag)
        .filter_map(|v| state.tag(v.id, tag))
        .map(|t| t.created_at)
        .min()
}

/// The provider tags for which the pact is pending (`select_pending_provider_version_tags`): those
/// without a successful verification by a provider version carrying the tag, and without one by a
/// version with another tag made before the tag was first used. Order (and repeats) of `tags` kept.
pub fn pending_provider_tags(
    state: &State,
    pact_version_id: Id,
    provider_id: Id,
    tags: &[String],
) -> Vec<String> {
    let verified_with_tag = |tag: &str| {
        successful_verifications(state, pact_version_id)
            .any(|v| state.tag(v.provider_version_id, tag).is_some())
    };
    let verified_by_other_tag_before = |tag: &str| {
        let first = first_provider_tag_created_at(state, provider_id, tag);
        successful_verifications(state, pact_version_id).any(|v| {
            state.tags_of(v.provider_version_id).any(|t| t.name != tag)
                && first.is_none_or(|created| v.created_at < created)
        })
    };
    let not_pending: Vec<&String> = tags
        .iter()
        .filter(|t| verified_with_tag(t) || verified_by_other_tag_before(t))
        .collect();
    tags.iter()
        .filter(|t| !not_pending.contains(t))
        .cloned()
        .collect()
}

/// Pending for any of the provider tags.
pub fn is_pending_for_provider_tags(
    state: &State,
    pact_version_id: Id,
    provider_id: Id,
    tags: &[String],
) -> bool {
    !pending_provider_tags(state, pact_version_id, provider_id, tags).is_empty()
}

/// Pending when neither a branch nor tags are known: never successfully verified by any provider version.
pub fn pending_for_any_provider_branch(state: &State, pact_version_id: Id) -> bool {
    successful_verifications(state, pact_version_id)
        .next()
        .is_none()
}
