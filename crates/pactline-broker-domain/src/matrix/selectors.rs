//! Selector resolution (`SelectorResolver`, `ResolvedSelectorBuilder`, `SelectorIgnorer`) and the
//! resolved selector's descriptions (`ResolvedSelector#description`).

use super::query::UnresolvedSelector;
use crate::model::{Id, Version};
use crate::state::State;

/// Whether a selector was specified in the query, inferred from the integrations, or is an
/// ignore selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectorType {
    Specified,
    Inferred,
    Ignored,
}

/// The version a resolved selector stands for (`pacticipant_version_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionRef {
    /// Every version of the pacticipant (no version id).
    Any,
    Id(Id),
    /// The selector matched no version (the broker's `NULL_VERSION_ID`, -1).
    NotFound,
}

impl VersionRef {
    pub fn id(self) -> Option<Id> {
        match self {
            VersionRef::Id(id) => Some(id),
            _ => None,
        }
    }

    /// Ruby's `selector.pacticipant_version_id == row_version_id` (nil equals nil).
    pub(crate) fn matches(self, version_id: Option<Id>) -> bool {
        match (self, version_id) {
            (VersionRef::Any, None) => true,
            (VersionRef::Id(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// A selector with ids looked up (`ResolvedSelector`); a selector for several versions is expanded
/// into one per version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolvedSelector {
    /// `None` when no pacticipant has the name (possible for ignore selectors only).
    pub pacticipant_id: Option<Id>,
    pub pacticipant_name: Option<String>,
    pub version: VersionRef,
    pub pacticipant_version_number: Option<String>,
    pub latest: bool,
    pub tag: Option<String>,
    /// The branch, or for a main-branch selector that found a version, the main branch's name.
    pub branch: Option<String>,
    pub main_branch: bool,
    pub environment_name: Option<String>,
    pub selector_type: SelectorType,
    pub ignore: bool,
    pub one_of_many: bool,
    pub original: UnresolvedSelector,
}

impl ResolvedSelector {
    /// `for_pacticipant`: every version (only the id and name are set).
    pub(crate) fn for_pacticipant(
        id: Id,
        name: &str,
        original: UnresolvedSelector,
        selector_type: SelectorType,
        ignore: bool,
    ) -> Self {
        ResolvedSelector {
            pacticipant_id: Some(id),
            pacticipant_name: Some(name.to_string()),
            version: VersionRef::Any,
            pacticipant_version_number: None,
            latest: false,
            tag: None,
            branch: None,
            main_branch: false,
            environment_name: None,
            selector_type,
            ignore,
            one_of_many: false,
            original,
        }
    }

    /// `for_pacticipant_and_version`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn for_version(
        id: Id,
        name: &str,
        version: &Version,
        main_branch_name: Option<&str>,
        original: UnresolvedSelector,
        selector_type: SelectorType,
        ignore: bool,
        one_of_many: bool,
    ) -> Self {
        ResolvedSelector {
            pacticipant_id: Some(id),
            pacticipant_name: Some(name.to_string()),
            version: VersionRef::Id(version.id),
            pacticipant_version_number: Some(version.number.clone()),
            latest: original.latest,
            tag: original.tag.clone(),
            branch: original.branch.clone().or_else(|| {
                original
                    .main_branch
                    .then(|| main_branch_name.map(str::to_string))
                    .flatten()
            }),
            main_branch: original.main_branch,
            environment_name: original.environment_name.clone(),
            selector_type,
            ignore,
            one_of_many,
            original,
        }
    }

    /// `for_pacticipant_and_non_existing_version`.
    fn for_missing_version(
        id: Id,
        name: &str,
        original: UnresolvedSelector,
        selector_type: SelectorType,
        ignore: bool,
    ) -> Self {
        ResolvedSelector {
            pacticipant_id: Some(id),
            pacticipant_name: Some(name.to_string()),
            version: VersionRef::NotFound,
            pacticipant_version_number: original.pacticipant_version_number.clone(),
            latest: original.latest,
            tag: original.tag.clone(),
            branch: original.branch.clone(),
            main_branch: original.main_branch,
            environment_name: original.environment_name.clone(),
            selector_type,
            ignore,
            one_of_many: false,
            original,
        }
    }

    /// `for_non_existing_pacticipant`.
    fn for_missing_pacticipant(original: UnresolvedSelector, selector_type: SelectorType) -> Self {
        ResolvedSelector {
            pacticipant_id: None,
            pacticipant_name: original.pacticipant_name.clone(),
            version: VersionRef::Any,
            pacticipant_version_number: None,
            latest: false,
            tag: None,
            branch: None,
            main_branch: false,
            environment_name: None,
            selector_type,
            ignore: false,
            one_of_many: false,
            original,
        }
    }

    pub fn name(&self) -> &str {
        self.pacticipant_name.as_deref().unwrap_or("")
    }

    pub fn is_specified(&self) -> bool {
        self.selector_type == SelectorType::Specified
    }

    /// `only_pacticipant_name_specified?`: the original selector gave only the name.
    pub fn only_pacticipant_name_specified(&self) -> bool {
        self.pacticipant_name.is_some() && self.original.only_pacticipant_name()
    }

    pub fn pacticipant_does_not_exist(&self) -> bool {
        self.pacticipant_id.is_none()
    }

    pub fn version_does_not_exist(&self) -> bool {
        self.version == VersionRef::NotFound
    }

    pub fn pacticipant_or_version_does_not_exist(&self) -> bool {
        self.pacticipant_does_not_exist() || self.version_does_not_exist()
    }

    pub fn specified_version_that_does_not_exist(&self) -> bool {
        self.is_specified() && self.version_does_not_exist()
    }

    /// The selector as the broker describes it in reasons (`ResolvedSelector#description`).
    pub fn description(&self) -> String {
        let name = self.name();
        let number = self.pacticipant_version_number.as_deref();
        let tag = self.tag.as_deref();
        let branch = self.branch.as_deref();
        let env = self.environment_name.as_deref();
        let latest = self.latest;
        match () {
            _ if latest && tag.is_some() && number.is_some() => format!(
                "the latest version of {name} with tag {} ({})",
                tag.unwrap_or_default(),
                number.unwrap_or_default()
            ),
            _ if latest && tag.is_some() => format!(
                "the latest version of {name} with tag {} (no such version exists)",
                tag.unwrap_or_default()
            ),
            _ if latest && self.main_branch && number.is_none() => format!(
                "the latest version of {name} from the main branch (no versions exist for this branch)"
            ),
            _ if self.main_branch && number.is_none() => {
                format!("any version of {name} from the main branch (no versions exist for this branch)")
            }
            _ if latest && branch.is_some() && number.is_some() => format!(
                "the latest version of {name} from branch {} ({})",
                branch.unwrap_or_default(),
                number.unwrap_or_default()
            ),
            _ if latest && branch.is_some() => format!(
                "the latest version of {name} from branch {} (no such version exists)",
                branch.unwrap_or_default()
            ),
            _ if branch.is_some() && number.is_some() => format!(
                "{}of {name} from branch {} ({})",
                if self.one_of_many { "one of the versions " } else { "the version " },
                branch.unwrap_or_default(),
                number.unwrap_or_default()
            ),
            _ if branch.is_some() => format!(
                "a version of {name} from branch {} (no such version exists)",
                branch.unwrap_or_default()
            ),
            _ if latest && number.is_some() => {
                format!("the latest version of {name} ({})", number.unwrap_or_default())
            }
            _ if latest => format!("the latest version of {name} (no such version exists)"),
            _ if tag.is_some() && number.is_some() => format!(
                "a version of {name} with tag {} ({})",
                tag.unwrap_or_default(),
                number.unwrap_or_default()
            ),
            _ if tag.is_some() => format!(
                "a version of {name} with tag {} (no such version exists)",
                tag.unwrap_or_default()
            ),
            _ if env.is_some() && number.is_some() => format!(
                "{} of {name} currently in {} ({})",
                if self.one_of_many { "one of the versions" } else { "the version" },
                env.unwrap_or_default(),
                number.unwrap_or_default()
            ),
            _ if env.is_some() => format!(
                "a version of {name} currently in {} (no version is currently recorded as deployed/released in this environment)",
                env.unwrap_or_default()
            ),
            _ if number.is_some() && self.version_does_not_exist() => format!(
                "version {} of {name} (no such version exists)",
                number.unwrap_or_default()
            ),
            _ if number.is_some() => format!("version {} of {name}", number.unwrap_or_default()),
            _ if self.pacticipant_does_not_exist() => format!("any version of {name} (no such pacticipant exists)"),
            _ => format!("any version of {name}"),
        }
    }

    /// `ResolvedSelector#version_does_not_exist_description`.
    pub fn version_does_not_exist_description(&self) -> String {
        if !self.version_does_not_exist() {
            return String::new();
        }
        let name = self.name();
        if let Some(tag) = &self.tag {
            format!("No version with tag {tag} exists for {name}")
        } else if let Some(branch) = &self.branch {
            format!("No version of {name} from branch {branch} exists")
        } else if self.main_branch {
            format!("No version of {name} from the main branch exists")
        } else if let Some(env) = &self.environment_name {
            format!("No version of {name} is currently recorded as deployed or released in environment {env}")
        } else if let Some(number) = &self.pacticipant_version_number {
            format!("No pacts or verifications have been published for version {number} of {name}")
        } else {
            format!("No pacts or verifications have been published for {name}")
        }
    }
}

/// Which selectors to mark as ignored while resolving (`SelectorIgnorer`; `None` is the
/// `NilSelectorIgnorer` used for the ignore selectors themselves).
pub(crate) struct Ignorer<'a>(pub Option<&'a [ResolvedSelector]>);

impl Ignorer<'_> {
    fn ignore_pacticipant(&self, pacticipant_id: Id) -> bool {
        self.0.is_some_and(|ignores| {
            ignores.iter().any(|s| {
                s.pacticipant_id == Some(pacticipant_id) && s.only_pacticipant_name_specified()
            })
        })
    }

    fn ignore_pacticipant_version(&self, pacticipant_id: Id, version_id: Id) -> bool {
        self.0.is_some_and(|ignores| {
            ignores.iter().any(|s| {
                s.pacticipant_id == Some(pacticipant_id)
                    && (s.only_pacticipant_name_specified()
                        || s.version == VersionRef::Id(version_id))
            })
        })
    }
}

/// `Version.for_selector`: the versions a selector describes, oldest first. With `latest`, only
/// the latest (the branch head for branches).
fn find_versions(state: &State, pacticipant_id: Id, s: &UnresolvedSelector) -> Vec<Id> {
    // Each criterion narrows the set; the candidates come from the most selective one.
    let environment = match &s.environment_name {
        Some(name) => match state.environment_by_name(name) {
            Some(env) => Some(state.versions_in_environment(pacticipant_id, env.id)),
            None => return Vec::new(),
        },
        None => None,
    };
    let main_branch_id = if s.main_branch {
        let main = state.pacticipant(pacticipant_id).main_branch.as_deref();
        match main.and_then(|m| state.branch_by_name(pacticipant_id, m)) {
            Some(b) => Some(b.id),
            None => return Vec::new(),
        }
    } else {
        None
    };
    let branch_id = match &s.branch {
        Some(name) => match state.branch_by_name(pacticipant_id, name) {
            Some(b) => Some(b.id),
            None => return Vec::new(),
        },
        None => None,
    };
    let head = |branch_id: Id| state.branch_head(branch_id).map(|bv| bv.version_id);
    let main_head = if s.latest {
        main_branch_id.map(head)
    } else {
        None
    };
    let branch_head = if s.latest { branch_id.map(head) } else { None };
    let latest_applied = main_head.is_some() || branch_head.is_some();

    let matches = |vid: Id| -> bool {
        if let Some(number) = &s.pacticipant_version_number {
            if state.versions.get(&vid).is_none_or(|v| &v.number != number) {
                return false;
            }
        }
        if let Some(env) = &environment {
            if env.binary_search(&vid).is_err() {
                return false;
            }
        }
        if let Some(tag) = &s.tag {
            if state.tag(vid, tag).is_none() {
                return false;
            }
        }
        for (branch, branch_head) in [(main_branch_id, main_head), (branch_id, branch_head)] {
            if let Some(b) = branch {
                match branch_head {
                    Some(h) => {
                        if h != Some(vid) {
                            return false;
                        }
                    }
                    None => {
                        if state.branch_version(b, vid).is_none() {
                            return false;
                        }
                    }
                }
            }
        }
        true
    };
    // With `latest` (and no branch head), the matching version with the highest order, which
    // the id follows; the candidate lists below are in id order.
    let pick = |candidates: &mut dyn DoubleEndedIterator<Item = Id>| -> Vec<Id> {
        if s.latest && !latest_applied {
            candidates.rev().find(|v| matches(*v)).into_iter().collect()
        } else {
            let mut found: Vec<Id> = candidates.filter(|v| matches(*v)).collect();
            found.sort_unstable();
            found.dedup();
            found
        }
    };

    if let Some(number) = &s.pacticipant_version_number {
        pick(
            &mut state
                .version_by_number(pacticipant_id, number)
                .map(|v| v.id)
                .into_iter(),
        )
    } else if main_head.is_some() || branch_head.is_some() {
        match main_head.or(branch_head) {
            Some(Some(h)) => pick(&mut std::iter::once(h)),
            _ => Vec::new(),
        }
    } else if let Some(env) = &environment {
        pick(&mut env.clone().into_iter())
    } else if let Some(tag) = &s.tag {
        pick(&mut state.versions_with_tag(pacticipant_id, tag).map(|v| v.id))
    } else if let Some(b) = branch_id.or(main_branch_id) {
        let mut in_branch: Vec<Id> = state
            .branch_versions_of_branch(b)
            .map(|bv| bv.version_id)
            .collect();
        in_branch.sort_unstable();
        pick(&mut in_branch.into_iter())
    } else {
        pick(&mut state.versions_of(pacticipant_id).map(|v| v.id))
    }
}

/// `SelectorResolver#resolve_versions_and_add_ids`.
pub(crate) fn resolve(
    state: &State,
    unresolved: &[UnresolvedSelector],
    selector_type: SelectorType,
    ignorer: &Ignorer,
) -> Vec<ResolvedSelector> {
    let mut out = Vec::new();
    for s in unresolved {
        let pacticipant = s
            .pacticipant_name
            .as_deref()
            .and_then(|n| state.pacticipant_by_name(n));
        let Some(p) = pacticipant else {
            out.push(ResolvedSelector::for_missing_pacticipant(
                s.clone(),
                selector_type,
            ));
            continue;
        };
        if s.only_pacticipant_name() {
            out.push(ResolvedSelector::for_pacticipant(
                p.id,
                &p.name,
                s.clone(),
                selector_type,
                ignorer.ignore_pacticipant(p.id),
            ));
            continue;
        }
        let versions = find_versions(state, p.id, s);
        if versions.is_empty() {
            out.push(ResolvedSelector::for_missing_version(
                p.id,
                &p.name,
                s.clone(),
                selector_type,
                ignorer.ignore_pacticipant(p.id),
            ));
            continue;
        }
        let one_of_many = versions.len() > 1;
        for vid in versions {
            let version = state.version(vid);
            out.push(ResolvedSelector::for_version(
                p.id,
                &p.name,
                version,
                p.main_branch.as_deref(),
                s.clone(),
                selector_type,
                ignorer.ignore_pacticipant_version(p.id, vid),
                one_of_many,
            ));
        }
    }
    out
}
