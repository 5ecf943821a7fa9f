//! The texts of `verifiable_pact_messages.rb`: short descriptions, inclusion and pending reasons,
//! and the after-verification messages.

use super::select::merge_sort_by;
use super::{compare_resolved_selectors, ResolvedSelector, SelectorType, VerifiablePact};
use crate::state::State;

const READ_MORE_PENDING: &str = "Read more at https://docs.pact.io/go/pending";
const READ_MORE_WIP: &str = "Read more at https://docs.pact.io/go/wip";

fn pluralize(word: &str, count: usize) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `join_unquoted`: "a", "a and b", "a, b and c".
fn join_unquoted(list: &[String]) -> String {
    match list.len() {
        0 => String::new(),
        1 => list[0].clone(),
        n => {
            let and_joined = format!("{} and {}", list[n - 2], list[n - 1]);
            if n == 2 {
                and_joined
            } else {
                format!("{}, {}", list[..n - 2].join(", "), and_joined)
            }
        }
    }
}

/// `join`: the same, each word in single quotes.
fn join_quoted(list: &[String]) -> String {
    join_unquoted(&list.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>())
}

fn uniq(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

pub(crate) struct Messages<'a> {
    state: &'a State,
    pact: &'a VerifiablePact,
    url: &'a str,
}

impl<'a> Messages<'a> {
    pub(crate) fn new(state: &'a State, pact: &'a VerifiablePact, url: &'a str) -> Self {
        Messages { state, pact, url }
    }

    fn provider_name(&self) -> &str {
        self.pact.provider_name(self.state)
    }

    fn consumer_name(&self) -> &str {
        self.pact.consumer_name(self.state)
    }

    fn selectors(&self) -> &[ResolvedSelector] {
        &self.pact.selectors
    }

    fn version_number(&self, s: &ResolvedSelector) -> &str {
        self.state
            .versions
            .get(&s.consumer_version_id)
            .map_or("", |v| v.number.as_str())
    }

    fn environment_name(&self, s: &ResolvedSelector) -> &str {
        s.environment_id
            .and_then(|id| self.state.environments.get(&id))
            .map_or("", |e| e.name.as_str())
    }

    /// `tag_names_of_selectors_for_latest_pacts`
    fn head_consumer_tags(&self) -> Vec<String> {
        uniq(
            self.selectors()
                .iter()
                .filter(|s| s.selector.is_latest_for_tag())
                .filter_map(|s| s.selector.tag.clone()),
        )
    }

    /// `branches_of_selectors_for_latest_pacts`
    fn branches(&self) -> Vec<String> {
        uniq(
            self.selectors()
                .iter()
                .filter(|s| s.selector.is_latest_for_branch())
                .filter_map(|s| s.selector.branch_name().map(str::to_string)),
        )
    }

    fn same_content_note(&self) -> &'static str {
        match self.selectors().len() {
            1 => "",
            2 => " (both have the same content)",
            _ => " (all have the same content)",
        }
    }

    fn joined_head_consumer_tags_and_branches(&self) -> String {
        let (branches, tags) = (self.branches(), self.head_consumer_tags());
        let mut parts = Vec::new();
        if !branches.is_empty() {
            let word = if branches.len() == 1 {
                "branch"
            } else {
                "branches"
            };
            parts.push(format!("from {word} {}", join_quoted(&branches)));
        }
        if !tags.is_empty() {
            parts.push(format!("tagged with {}", join_quoted(&tags)));
        }
        format!("{}{}", parts.join(" and "), self.same_content_note())
    }

    fn pending_provider_branch_or_tags_description(&self, any_or_a: &str) -> String {
        let provider = self.provider_name();
        if let Some(branch) = &self.pact.provider_branch {
            return format!("{any_or_a} version of {provider} from branch '{branch}'");
        }
        let tags = &self.pact.pending_provider_tags;
        match tags.len() {
            0 => provider.to_string(),
            1 => format!("{any_or_a} version of {provider} with tag '{}'", tags[0]),
            _ => format!(
                "{any_or_a} versions of {provider} with tag {}",
                join_quoted(tags)
            ),
        }
    }

    fn non_pending_provider_branch_or_tags_description(&self) -> String {
        let provider = self.provider_name();
        if let Some(branch) = &self.pact.provider_branch {
            return format!("a version of {provider} from branch '{branch}'");
        }
        let tags = &self.pact.non_pending_provider_tags;
        match tags.len() {
            0 => provider.to_string(),
            1 => format!("a version of {provider} with tag '{}'", tags[0]),
            _ => format!("a version of {provider} with tag {}", join_quoted(tags)),
        }
    }

    fn with_these_tags(&self) -> &'static str {
        match self.pact.pending_provider_tags.len() {
            0 => "",
            1 => "with this tag ",
            _ => "with these tags ",
        }
    }

    pub(crate) fn inclusion_reason(&self) -> String {
        let version_text = if self.head_consumer_tags().len() == 1 || self.branches().len() == 1 {
            "version"
        } else {
            "versions"
        };
        if self.pact.wip {
            format!(
                "The pact at {} is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest {} of {} {} and it has not yet been successfully verified by {} when the pact's application version was explicitly specified in the consumer version selectors). {}",
                self.url,
                version_text,
                self.consumer_name(),
                self.joined_head_consumer_tags_and_branches(),
                self.pending_provider_branch_or_tags_description("a"),
                READ_MORE_WIP
            )
        } else {
            let n = self.selectors().len();
            let criteria = if n > 1 { "criteria" } else { "criterion" };
            format!(
                "The pact at {} is being verified because the pact content belongs to {} matching the following {}:\n{}",
                self.url,
                pluralize("the consumer version", n),
                criteria,
                self.selector_descriptions()
            )
        }
    }

    pub(crate) fn pending_reason(&self) -> String {
        let provider = self.provider_name();
        if self.pact.is_pending() && self.pact.wip {
            format!("This pact is in pending state for this version of {provider} because it was included as a 'work in progress' pact. If this verification fails, it will not cause the overall build to fail. {READ_MORE_PENDING}")
        } else if self.pact.is_pending() {
            format!(
                "This pact is in pending state for this version of {provider} because a successful verification result for {} has not yet been published. If this verification fails, it will not cause the overall build to fail. {READ_MORE_PENDING}",
                self.pending_provider_branch_or_tags_description("a")
            )
        } else {
            format!(
                "This pact has previously been successfully verified by {}. If this verification fails, it will fail the build. {READ_MORE_PENDING}",
                self.non_pending_provider_branch_or_tags_description()
            )
        }
    }

    pub(crate) fn verification_success_true_published_false(&self) -> Option<String> {
        self.pact.is_pending().then(|| {
            format!(
                "This pact is still in pending state for {} as the successful verification results {}have not yet been published.",
                self.pending_provider_branch_or_tags_description("any"),
                self.with_these_tags()
            )
        })
    }

    pub(crate) fn verification_success_true_published_true(&self) -> Option<String> {
        self.pact.is_pending().then(|| {
            format!(
                "This pact is no longer in pending state for {}, as a successful verification result {}has been published. If a verification for a version of {} {}fails in the future, it will fail the build. {READ_MORE_PENDING}",
                self.pending_provider_branch_or_tags_description("any"),
                self.with_these_tags(),
                self.provider_name(),
                self.with_these_tags()
            )
        })
    }

    pub(crate) fn verification_success_false_published_false(&self) -> Option<String> {
        self.pact.is_pending().then(|| {
            format!(
                "This pact is still in pending state for {} as a successful verification result {}has not yet been published",
                self.pending_provider_branch_or_tags_description("any"),
                self.with_these_tags()
            )
        })
    }

    pub(crate) fn verification_success_false_published_true(&self) -> Option<String> {
        self.verification_success_false_published_false()
    }

    fn selector_descriptions(&self) -> String {
        let mut sorted = self.selectors().to_vec();
        merge_sort_by(&mut sorted, &|a, b| {
            compare_resolved_selectors(self.state, a, b)
        });
        // group_by(&:type), groups in order of first appearance.
        let mut groups: Vec<(SelectorType, Vec<ResolvedSelector>)> = Vec::new();
        for s in sorted {
            let t = s.selector.selector_type();
            match groups.iter_mut().find(|(gt, _)| *gt == t) {
                Some((_, g)) => g.push(s),
                None => groups.push((t, vec![s])),
            }
        }
        groups
            .iter()
            .flat_map(|(_, g)| self.group_descriptions(g))
            .map(|d| format!("    * {d}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn group_descriptions(&self, group: &[ResolvedSelector]) -> Vec<String> {
        let first = &group[0].selector;
        if first.deployed || first.released {
            let verb = if first.deployed {
                "currently deployed to"
            } else {
                "released and supported in"
            };
            // group_by(&:consumer)
            let mut by_consumer: Vec<(Option<String>, Vec<&ResolvedSelector>)> = Vec::new();
            for s in group {
                match by_consumer
                    .iter_mut()
                    .find(|(c, _)| *c == s.selector.consumer)
                {
                    Some((_, v)) => v.push(s),
                    None => by_consumer.push((s.selector.consumer.clone(), vec![s])),
                }
            }
            by_consumer
                .iter()
                .map(|(consumer, selectors)| {
                    let display = match consumer {
                        Some(c) => format!("version(s) of {c}"),
                        None => "consumer version(s)".to_string(),
                    };
                    let envs: Vec<String> = selectors
                        .iter()
                        .map(|s| {
                            format!("{} ({})", self.environment_name(s), self.version_number(s))
                        })
                        .collect();
                    format!("{display} {verb} {}", join_unquoted(&envs))
                })
                .collect()
        } else {
            group.iter().map(|s| self.selector_description(s)).collect()
        }
    }

    fn selector_description(&self, rs: &ResolvedSelector) -> String {
        let s = &rs.selector;
        let version_label = match &s.consumer {
            Some(c) => format!("version of {c}"),
            None => "version".to_string(),
        };
        let description = if s.is_overall_latest() {
            let consumer = s.consumer.as_deref().unwrap_or("a consumer");
            format!(
                "latest version of {consumer} that has a pact with {}",
                self.provider_name()
            )
        } else if s.is_latest_for_tag() {
            let tag = s.tag.as_deref().unwrap_or_default();
            match &s.fallback_tag {
                Some(f) => format!("latest {version_label} tagged '{f}' (fallback tag used as no pact was found with tag '{tag}')"),
                None => format!("latest {version_label} tagged '{tag}'"),
            }
        } else if s.is_latest_for_main_branch() {
            let main = self
                .state
                .pacticipant(self.pact.consumer_id)
                .main_branch
                .as_deref()
                .unwrap_or("");
            format!("latest {version_label} from the main branch '{main}'")
        } else if s.is_latest_for_branch() {
            let branch = s.branch_name().unwrap_or_default();
            match &s.fallback_branch {
                Some(f) => format!(
                    "latest {version_label} from branch '{f}' (fallback branch used as no pact was found from branch '{branch}')"
                ),
                None => format!("latest {version_label} from branch '{branch}'"),
            }
        } else if s.is_all_for_tag_and_consumer() {
            format!(
                "all {} versions tagged '{}'",
                s.consumer.as_deref().unwrap_or_default(),
                s.tag.as_deref().unwrap_or_default()
            )
        } else if s.is_all_for_tag() {
            format!(
                "all consumer versions tagged '{}'",
                s.tag.as_deref().unwrap_or_default()
            )
        } else if s.is_in_environment() {
            let consumer = s.consumer.as_deref().unwrap_or("a consumer");
            format!(
                "{consumer} version in environment {}",
                self.environment_name(rs)
            )
        } else {
            s.to_json_string()
        };
        format!("{description} ({})", self.version_number(rs))
    }

    fn short_selector_description(&self, rs: &ResolvedSelector) -> String {
        let s = &rs.selector;
        if s.is_overall_latest() {
            "latest".to_string()
        } else if s.is_latest_for_tag() {
            match &s.fallback_tag {
                Some(f) => format!("latest with tag {f}"),
                None => format!("latest with tag {}", s.tag.as_deref().unwrap_or_default()),
            }
        } else if s.is_latest_for_main_branch() {
            "latest from main branch".to_string()
        } else if s.is_latest_for_branch() {
            match &s.fallback_branch {
                Some(f) => format!("latest from branch {f}"),
                None => format!("latest from branch {}", s.branch_name().unwrap_or_default()),
            }
        } else if s.is_all_for_tag_and_consumer() {
            format!(
                "one of {} {}",
                s.consumer.as_deref().unwrap_or_default(),
                s.tag.as_deref().unwrap_or_default()
            )
        } else if let Some(tag) = &s.tag {
            format!("one of {tag}")
        } else if s.deployed {
            format!("deployed to {}", self.environment_name(rs))
        } else if s.released {
            format!("released in {}", self.environment_name(rs))
        } else {
            s.to_json_string()
        }
    }

    pub(crate) fn short_description(&self) -> String {
        self.selectors()
            .iter()
            .map(|s| self.short_selector_description(s))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `shortDescription`: each selector's short description, joined with ", " (e.g. "latest with tag prod").
pub fn short_description(state: &State, pact: &VerifiablePact) -> String {
    Messages::new(state, pact, "").short_description()
}

/// The `before_verification` notice explaining why the pact at `pact_url` is included.
pub fn inclusion_reason(state: &State, pact: &VerifiablePact, pact_url: &str) -> String {
    Messages::new(state, pact, pact_url).inclusion_reason()
}

/// The `before_verification` notice about the pending state.
pub fn pending_reason(state: &State, pact: &VerifiablePact) -> String {
    Messages::new(state, pact, "").pending_reason()
}
