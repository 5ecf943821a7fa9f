//! The deployment status summary (`DeploymentStatusSummary`) and its reasons (`reason.rb`, with
//! the texts of `ReasonDecorator`).

use super::rows::{Integration, MatrixRow};
use super::selectors::{ResolvedSelector, SelectorType};
use crate::model::Id;

/// Why a query is or is not deployable, named after the broker's reason classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A pact of a required version has no verification from the selected provider versions.
    PactNotEverVerifiedByProvider {
        consumer: Box<ResolvedSelector>,
        provider: Box<ResolvedSelector>,
    },
    /// A required integration has no row at all.
    PactNotVerifiedByRequiredProviderVersion {
        consumer: Box<ResolvedSelector>,
        provider: Box<ResolvedSelector>,
    },
    VerificationFailed {
        consumer: Box<ResolvedSelector>,
        provider: Box<ResolvedSelector>,
    },
    SpecifiedVersionDoesNotExist {
        selector: Box<ResolvedSelector>,
    },
    IgnoreSelectorDoesNotExist {
        selector: Box<ResolvedSelector>,
    },
    NoEnvironmentSpecified,
    SelectorWithoutPacticipantVersionNumberSpecified,
    Successful,
    NoDependenciesMissing,
}

impl Reason {
    /// The broker's class name, e.g. `PactBroker::Matrix::Successful`.
    pub fn class_name(&self) -> &'static str {
        match self {
            Reason::PactNotEverVerifiedByProvider { .. } => {
                "PactBroker::Matrix::PactNotEverVerifiedByProvider"
            }
            Reason::PactNotVerifiedByRequiredProviderVersion { .. } => {
                "PactBroker::Matrix::PactNotVerifiedByRequiredProviderVersion"
            }
            Reason::VerificationFailed { .. } => "PactBroker::Matrix::VerificationFailed",
            Reason::SpecifiedVersionDoesNotExist { .. } => {
                "PactBroker::Matrix::SpecifiedVersionDoesNotExist"
            }
            Reason::IgnoreSelectorDoesNotExist { .. } => {
                "PactBroker::Matrix::IgnoreSelectorDoesNotExist"
            }
            Reason::NoEnvironmentSpecified => "PactBroker::Matrix::NoEnvironmentSpecified",
            Reason::SelectorWithoutPacticipantVersionNumberSpecified => {
                "PactBroker::Matrix::SelectorWithoutPacticipantVersionNumberSpecified"
            }
            Reason::Successful => "PactBroker::Matrix::Successful",
            Reason::NoDependenciesMissing => "PactBroker::Matrix::NoDependenciesMissing",
        }
    }

    /// The notice type: `error`, `warning` or `success`.
    pub fn notice_type(&self) -> &'static str {
        match self {
            Reason::PactNotEverVerifiedByProvider { .. }
            | Reason::PactNotVerifiedByRequiredProviderVersion { .. }
            | Reason::VerificationFailed { .. }
            | Reason::SpecifiedVersionDoesNotExist { .. } => "error",
            Reason::IgnoreSelectorDoesNotExist { .. }
            | Reason::NoEnvironmentSpecified
            | Reason::SelectorWithoutPacticipantVersionNumberSpecified => "warning",
            Reason::Successful | Reason::NoDependenciesMissing => "success",
        }
    }

    /// The text the broker shows (`ReasonDecorator#to_s`).
    pub fn text(&self) -> String {
        match self {
            Reason::PactNotEverVerifiedByProvider { consumer, provider }
            | Reason::PactNotVerifiedByRequiredProviderVersion { consumer, provider } => format!(
                "There is no verified pact between {} and {}",
                consumer.description(),
                provider.description()
            ),
            Reason::VerificationFailed { consumer, provider } => format!(
                "The verification for the pact between {} and {} failed",
                consumer.description(),
                provider.description()
            ),
            Reason::SpecifiedVersionDoesNotExist { selector } => selector.version_does_not_exist_description(),
            Reason::IgnoreSelectorDoesNotExist { selector } => format!("WARN: Cannot ignore {}", selector.description()),
            Reason::NoEnvironmentSpecified => "WARN: It is recommended to specify the environment into which you are deploying. Without the environment, this result will not be reliable.".to_string(),
            Reason::SelectorWithoutPacticipantVersionNumberSpecified => "WARN: It is recommended to specify the version number (rather than the tag or branch) of the pacticipant you wish to deploy to avoid race conditions. Without a version number, this result will not be reliable.".to_string(),
            Reason::Successful => "All required verification results are published and successful".to_string(),
            Reason::NoDependenciesMissing => "There are no missing dependencies".to_string(),
        }
    }
}

/// Row counts of the summary (`ignored` only when ignore selectors were given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub success: usize,
    pub failed: usize,
    pub unknown: usize,
    pub ignored: Option<usize>,
}

/// `deployable` (`None` is the broker's null), counts and reasons, warnings first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub deployable: Option<bool>,
    pub counts: Counts,
    pub reasons: Vec<Reason>,
}

impl Summary {
    /// The `reason` text: the reasons joined by newlines.
    pub fn reason(&self) -> String {
        self.reasons
            .iter()
            .map(Reason::text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub(crate) struct SummaryInput<'a> {
    pub considered: &'a [MatrixRow],
    pub ignored: &'a [MatrixRow],
    pub selectors: &'a [ResolvedSelector],
    pub ignore_selectors: &'a [ResolvedSelector],
    pub integrations: &'a [Integration],
    /// Whether a tag, environment or mainBranch=true destination was given.
    pub destination_given: bool,
}

fn dummy_for_pacticipant(id: Id, name: &str) -> ResolvedSelector {
    ResolvedSelector::for_pacticipant(id, name, Default::default(), SelectorType::Inferred, false)
}

/// `DeploymentStatusSummary`.
pub(crate) fn summarise(input: &SummaryInput, state: &crate::State) -> Summary {
    let considered = input.considered;
    let all_rows = || input.considered.iter().chain(input.ignored.iter());

    let required_without_row: Vec<&Integration> = input
        .integrations
        .iter()
        .filter(|i| i.required)
        .filter(|i| {
            !all_rows().any(|r| r.consumer_id == i.consumer_id && r.provider_id == i.provider_id)
        })
        .collect();

    let counts = Counts {
        success: considered
            .iter()
            .filter(|r| r.success == Some(true))
            .count(),
        failed: considered
            .iter()
            .filter(|r| r.success == Some(false))
            .count(),
        unknown: required_without_row.len()
            + considered.iter().filter(|r| r.success.is_none()).count(),
        ignored: (!input.ignore_selectors.is_empty()).then_some(input.ignored.len()),
    };

    let missing_specified: Vec<&ResolvedSelector> = input
        .selectors
        .iter()
        .filter(|s| !s.ignore && s.specified_version_that_does_not_exist())
        .collect();

    let deployable = if !missing_specified.is_empty() {
        Some(false)
    } else if considered.iter().any(|r| r.success.is_none()) || !required_without_row.is_empty() {
        None
    } else {
        Some(considered.iter().all(|r| r.success == Some(true)))
    };

    // Dummy selectors, for rows and integrations no resolved selector describes.
    let mut dummies: Vec<ResolvedSelector> = Vec::new();
    let mut push_dummy = |s: ResolvedSelector| {
        if !dummies.contains(&s) {
            dummies.push(s);
        }
    };
    for r in considered {
        push_dummy(ResolvedSelector::for_version(
            r.consumer_id,
            &r.consumer_name,
            state.version(r.consumer_version_id),
            None,
            Default::default(),
            SelectorType::Inferred,
            false,
            false,
        ));
        push_dummy(match r.provider_version_id {
            Some(v) => ResolvedSelector::for_version(
                r.provider_id,
                &r.provider_name,
                state.version(v),
                None,
                Default::default(),
                SelectorType::Inferred,
                false,
                false,
            ),
            None => dummy_for_pacticipant(r.provider_id, &r.provider_name),
        });
    }
    for i in input.integrations {
        push_dummy(dummy_for_pacticipant(i.consumer_id, &i.consumer_name));
        push_dummy(dummy_for_pacticipant(i.provider_id, &i.provider_name));
    }
    let dummy_for = |name: &str| -> ResolvedSelector {
        dummies
            .iter()
            .find(|s| s.pacticipant_name.as_deref() == Some(name))
            .cloned()
            .unwrap_or_else(|| dummy_for_pacticipant(-1, name))
    };
    let selector_for = |name: &str, number: Option<&str>| -> Box<ResolvedSelector> {
        let found: Vec<&ResolvedSelector> = input
            .selectors
            .iter()
            .filter(|s| s.pacticipant_name.as_deref() == Some(name))
            .collect();
        Box::new(if found.len() == 1 {
            found[0].clone()
        } else if let Some(number) = number {
            found
                .iter()
                .find(|s| s.pacticipant_version_number.as_deref() == Some(number))
                .map(|s| (*s).clone())
                .unwrap_or_else(|| dummy_for(name))
        } else {
            dummy_for(name)
        })
    };
    let row_selectors = |r: &MatrixRow| {
        (
            selector_for(&r.consumer_name, Some(&r.consumer_version_number)),
            selector_for(&r.provider_name, r.provider_version_number.as_deref()),
        )
    };

    // Errors.
    let mut errors: Vec<Reason> = missing_specified
        .iter()
        .map(|s| Reason::SpecifiedVersionDoesNotExist {
            selector: Box::new((*s).clone()),
        })
        .collect();
    if errors.is_empty() {
        for i in &required_without_row {
            errors.push(Reason::PactNotVerifiedByRequiredProviderVersion {
                consumer: selector_for(&i.consumer_name, None),
                provider: selector_for(&i.provider_name, None),
            });
        }
        for r in considered.iter().filter(|r| r.success == Some(false)) {
            let (consumer, provider) = row_selectors(r);
            errors.push(Reason::VerificationFailed { consumer, provider });
        }
        for r in considered.iter().filter(|r| r.success.is_none()) {
            let (consumer, provider) = row_selectors(r);
            errors.push(Reason::PactNotEverVerifiedByProvider { consumer, provider });
        }
    }

    // Warnings.
    let mut reasons: Vec<Reason> = input
        .ignore_selectors
        .iter()
        .filter(|s| s.pacticipant_or_version_does_not_exist())
        .map(|s| Reason::IgnoreSelectorDoesNotExist {
            selector: Box::new(s.clone()),
        })
        .collect();
    let specified: Vec<&ResolvedSelector> = input
        .selectors
        .iter()
        .filter(|s| s.is_specified())
        .collect();
    if specified.len() == 1 && !input.destination_given {
        reasons.push(Reason::NoEnvironmentSpecified);
    }
    if specified
        .iter()
        .any(|s| !s.only_pacticipant_name_specified())
        && !specified
            .iter()
            .any(|s| s.original.pacticipant_version_number.is_some())
    {
        reasons.push(Reason::SelectorWithoutPacticipantVersionNumberSpecified);
    }

    if !errors.is_empty() {
        reasons.extend(errors);
    } else if considered.iter().all(|r| r.success == Some(true)) && required_without_row.is_empty()
    {
        reasons.push(if considered.is_empty() {
            Reason::NoDependenciesMissing
        } else {
            Reason::Successful
        });
    }

    Summary {
        deployable,
        counts,
        reasons,
    }
}
