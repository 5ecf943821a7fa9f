//! can-i-deploy-gate's flags, and the order-sensitive selector grammar of the `pact-broker` CLI:
//! each `--version`, `--latest [TAG]`, `--branch` or `--main-branch` belongs to the `--pacticipant`
//! (or, for `--version`, the `--ignore`) before it.

use clap::parser::ValueSource;
use clap::{ArgMatches, Parser, ValueEnum};
use pactline_broker_client::{Ignore, Selector, Target, VersionSelector};
use pactline_cli::env_vars as v;
use pactline_cli::{BrokerArgs, Secrets, UsageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

/// Ask the Pact Broker whether the given versions can be deployed: exit 0 yes, 1 no,
/// 4 still unknown after polling, 2 usage, 3 broker failure
#[derive(Parser, Debug)]
#[command(name = "can-i-deploy-gate")]
pub struct Args {
    #[command(flatten)]
    pub broker: BrokerArgs,

    /// A pacticipant to deploy (repeatable), followed by one of --version, --latest, --branch, --main-branch
    #[arg(short = 'a', long, env = v::PACTLINE_PACTICIPANT, action = clap::ArgAction::Append, value_name = "PACTICIPANT")]
    pub pacticipant: Vec<String>,

    /// The version of the pacticipant (or of the ignored pacticipant) before it [default for a single
    /// pacticipant: the commit SHA of this CI run]
    #[arg(short = 'e', long, env = v::PACTLINE_VERSION, action = clap::ArgAction::Append, value_name = "VERSION")]
    pub version: Vec<String>,

    /// The latest version of the pacticipant before it, or the latest with TAG
    #[arg(short = 'l', long, env = "PACTLINE_LATEST", num_args = 0..=1, default_missing_value = "",
          action = clap::ArgAction::Append, value_name = "TAG")]
    pub latest: Vec<String>,

    /// The latest version of the pacticipant before it on BRANCH
    #[arg(long, env = "PACTLINE_PACTICIPANT_BRANCH", action = clap::ArgAction::Append, value_name = "BRANCH")]
    pub branch: Vec<String>,

    /// The latest version of the pacticipant before it on its main branch
    #[arg(long, env = "PACTLINE_MAIN_BRANCH", num_args = 0, default_missing_value = "true",
          action = clap::ArgAction::Append, value_parser = clap::value_parser!(bool))]
    pub main_branch: Vec<bool>,

    /// The environment to deploy to
    #[arg(long, env = v::PACTLINE_TO_ENVIRONMENT, conflicts_with = "to", value_name = "ENVIRONMENT")]
    pub to_environment: Option<String>,

    /// The tag the deployed versions carry (the older, tag-based way)
    #[arg(long, env = v::PACTLINE_TO, value_name = "TAG")]
    pub to: Option<String>,

    /// A pacticipant to leave out of the decision (repeatable; a --version after it ignores only that version)
    #[arg(long, env = v::PACT_BROKER_CAN_I_DEPLOY_IGNORE, value_delimiter = ',',
          action = clap::ArgAction::Append, value_name = "PACTICIPANT")]
    pub ignore: Vec<String>,

    /// Ask again up to N times while the answer is unknown (results not yet published)
    #[arg(long, env = v::PACTLINE_RETRY_WHILE_UNKNOWN, default_value_t = 0, value_name = "N")]
    pub retry_while_unknown: u32,

    /// Seconds between those retries
    #[arg(long, env = v::PACTLINE_RETRY_INTERVAL, default_value_t = 10.0, value_name = "SECONDS")]
    pub retry_interval: f64,

    /// Report the answer but always exit 0
    #[arg(long, env = v::PACT_BROKER_CAN_I_DEPLOY_DRY_RUN)]
    pub dry_run: bool,

    /// What to print on stdout: the matrix as a table, or the broker's JSON
    #[arg(short = 'o', long, env = v::PACTLINE_OUTPUT, value_enum, default_value = "table")]
    pub output: OutputFormat,
}

impl Secrets for Args {
    fn secrets(&self) -> Vec<String> {
        self.broker.secrets()
    }
}

/// The question, parsed from the flags in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Selectors; a `None` version means "not given" (a single one defaults to the CI commit).
    pub selectors: Vec<(String, Option<VersionSelector>)>,
    pub ignore: Vec<Ignore>,
    pub target: Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    // Order matters for values from the environment, which all sit at index 0.
    Ignore,
    Pacticipant,
    Version,
    Latest,
    Branch,
    MainBranch,
}

fn flag(kind: Kind) -> &'static str {
    match kind {
        Kind::Ignore => "--ignore",
        Kind::Pacticipant => "--pacticipant",
        Kind::Version => "--version",
        Kind::Latest => "--latest",
        Kind::Branch => "--branch",
        Kind::MainBranch => "--main-branch",
    }
}

fn events(matches: &ArgMatches, id: &str, kind: Kind) -> Vec<(usize, Kind, String)> {
    let values: Vec<String> = if kind == Kind::MainBranch {
        matches
            .get_many::<bool>(id)
            .map(|v| v.map(ToString::to_string).collect())
            .unwrap_or_default()
    } else {
        matches
            .get_many::<String>(id)
            .map(|v| v.cloned().collect())
            .unwrap_or_default()
    };
    let from_env = matches.value_source(id) == Some(ValueSource::EnvVariable);
    let indices: Vec<usize> = if from_env {
        vec![0; values.len()]
    } else {
        matches
            .indices_of(id)
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    values
        .into_iter()
        .zip(indices)
        .map(|(value, index)| (index, kind, value))
        .collect()
}

/// Builds the question from the flags, in the order they were given.
///
/// # Errors
///
/// A version selector before any `--pacticipant`, two selectors for one pacticipant, no
/// `--pacticipant` at all.
pub fn question(args: &Args, matches: &ArgMatches) -> Result<Question, UsageError> {
    let mut all: Vec<(usize, Kind, String)> = Vec::new();
    all.extend(events(matches, "ignore", Kind::Ignore));
    all.extend(events(matches, "pacticipant", Kind::Pacticipant));
    all.extend(events(matches, "version", Kind::Version));
    all.extend(events(matches, "latest", Kind::Latest));
    all.extend(events(matches, "branch", Kind::Branch));
    all.extend(events(matches, "main_branch", Kind::MainBranch));
    all.sort_by_key(|(index, kind, _)| (*index, *kind));

    enum Current {
        None,
        Selector(usize),
        Ignore(usize),
    }
    let mut selectors: Vec<(String, Option<VersionSelector>)> = Vec::new();
    let mut ignore: Vec<Ignore> = Vec::new();
    let mut current = Current::None;
    for (_, kind, value) in all {
        let selector = match kind {
            Kind::Pacticipant => {
                selectors.push((value.trim().to_string(), None));
                current = Current::Selector(selectors.len() - 1);
                continue;
            }
            Kind::Ignore => {
                let name = value.trim();
                if !name.is_empty() {
                    ignore.push(Ignore {
                        pacticipant: name.to_string(),
                        version: None,
                    });
                    current = Current::Ignore(ignore.len() - 1);
                }
                continue;
            }
            Kind::MainBranch if value == "false" => continue,
            Kind::Version => VersionSelector::Number(value.trim().to_string()),
            Kind::Latest => {
                VersionSelector::Latest(Some(value.trim().to_string()).filter(|t| !t.is_empty()))
            }
            Kind::Branch => VersionSelector::Branch(value.trim().to_string()),
            Kind::MainBranch => VersionSelector::MainBranch,
        };
        match current {
            Current::Selector(i) if selectors[i].1.is_none() => selectors[i].1 = Some(selector),
            Current::Selector(i) => {
                return Err(UsageError::new(format!(
                    "`--pacticipant {}` has more than one of --version, --latest, --branch, --main-branch: give each pacticipant one",
                    selectors[i].0
                )))
            }
            Current::Ignore(i) if kind == Kind::Version && ignore[i].version.is_none() => {
                if let VersionSelector::Number(v) = selector {
                    ignore[i].version = Some(v);
                }
            }
            Current::Ignore(i) => {
                return Err(UsageError::new(format!(
                    "`{}` after `--ignore {}`: only one --version can follow an --ignore",
                    flag(kind),
                    ignore[i].pacticipant
                )))
            }
            Current::None => {
                return Err(UsageError::new(format!(
                    "`{}` must follow the `--pacticipant` it is about (e.g. `--pacticipant Foo --version 1.2.3`)",
                    flag(kind)
                )))
            }
        }
    }
    if selectors.is_empty() {
        return Err(UsageError::new(
            "no `--pacticipant` given: name the application to deploy, e.g. `--pacticipant Foo --version 1.2.3 --to-environment production`",
        ));
    }
    if let Some((name, _)) = selectors.iter().find(|(n, _)| n.is_empty()) {
        return Err(UsageError::new(format!(
            "`--pacticipant` is blank (`{name}`)"
        )));
    }
    let target = match (&args.to_environment, &args.to) {
        (Some(e), _) if !e.trim().is_empty() => Target::Environment(e.trim().to_string()),
        (_, Some(t)) if !t.trim().is_empty() => Target::Tag(t.trim().to_string()),
        _ => Target::None,
    };
    Ok(Question {
        selectors,
        ignore,
        target,
    })
}

/// The selectors with their versions filled: a single pacticipant without one gets `default`.
///
/// # Errors
///
/// A pacticipant without a version selector and no default for it.
pub fn resolve(question: &Question, default: Option<&str>) -> Result<Vec<Selector>, UsageError> {
    let single = question.selectors.len() == 1;
    question
        .selectors
        .iter()
        .map(|(name, version)| {
            let version = match (version, default) {
                (Some(v), _) => v.clone(),
                (None, Some(d)) if single => VersionSelector::Number(d.to_string()),
                (None, _) => {
                    return Err(UsageError::new(format!(
                        "`--pacticipant {name}` needs one of --version, --latest [TAG], --branch, --main-branch{}",
                        if single { " (no commit SHA of this CI run was detected to use as its version)" } else { "" }
                    )))
                }
            };
            Ok(Selector {
                pacticipant: name.clone(),
                version,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, FromArgMatches};

    fn parse(argv: &[&str]) -> Result<Question, String> {
        let m = Args::command()
            .try_get_matches_from(std::iter::once("can-i-deploy-gate").chain(argv.iter().copied()))
            .map_err(|e| e.to_string())?;
        let a = Args::from_arg_matches(&m).map_err(|e| e.to_string())?;
        question(&a, &m).map_err(|e| e.to_string())
    }

    fn sel(name: &str, v: VersionSelector) -> (String, Option<VersionSelector>) {
        (name.into(), Some(v))
    }

    #[test]
    fn selectors_follow_their_pacticipant() {
        let q = parse(&[
            "--pacticipant",
            "Foo",
            "--version",
            "1",
            "--pacticipant",
            "Bar",
            "--latest",
            "prod",
            "--pacticipant",
            "Baz",
            "--latest",
            "--pacticipant",
            "Qux",
            "--branch",
            "feat/x",
            "--pacticipant",
            "Quux",
            "--main-branch",
            "--ignore",
            "Old",
            "--version",
            "9",
            "--ignore",
            "Older",
            "--to-environment",
            "production",
        ])
        .unwrap();
        assert_eq!(
            q.selectors,
            vec![
                sel("Foo", VersionSelector::Number("1".into())),
                sel("Bar", VersionSelector::Latest(Some("prod".into()))),
                sel("Baz", VersionSelector::Latest(None)),
                sel("Qux", VersionSelector::Branch("feat/x".into())),
                sel("Quux", VersionSelector::MainBranch),
            ]
        );
        assert_eq!(
            q.ignore,
            vec![
                Ignore {
                    pacticipant: "Old".into(),
                    version: Some("9".into())
                },
                Ignore {
                    pacticipant: "Older".into(),
                    version: None
                },
            ]
        );
        assert_eq!(q.target, Target::Environment("production".into()));
    }

    #[test]
    fn short_flags_as_in_the_pact_broker_cli() {
        let q = parse(&["-a", "Foo", "-e", "1", "--to", "prod"]).unwrap();
        assert_eq!(
            q.selectors,
            vec![sel("Foo", VersionSelector::Number("1".into()))]
        );
        assert_eq!(q.target, Target::Tag("prod".into()));
    }

    #[test]
    fn misplaced_selectors_are_usage_errors() {
        let rows: &[(&[&str], &str)] = &[
            (
                &["--version", "1", "--pacticipant", "Foo"],
                "must follow the `--pacticipant`",
            ),
            (
                &["--pacticipant", "Foo", "--version", "1", "--latest"],
                "more than one of",
            ),
            (&["--ignore", "Old", "--latest"], "after `--ignore Old`"),
            (
                &["--to-environment", "production"],
                "no `--pacticipant` given",
            ),
        ];
        for (argv, want) in rows {
            let err = parse(argv).unwrap_err();
            assert!(err.contains(want), "{argv:?}: {err}");
        }
        let err =
            parse(&["--pacticipant", "Foo", "--to-environment", "a", "--to", "b"]).unwrap_err();
        assert!(err.contains("cannot be used with"), "{err}");
    }

    #[test]
    fn a_single_pacticipant_defaults_to_the_ci_commit() {
        let q = parse(&["--pacticipant", "Foo", "--to-environment", "production"]).unwrap();
        let s = resolve(&q, Some("abc123")).unwrap();
        assert_eq!(s[0].version, VersionSelector::Number("abc123".into()));
        let err = resolve(&q, None).unwrap_err().to_string();
        assert!(err.contains("needs one of --version"), "{err}");
        let q = parse(&[
            "--pacticipant",
            "Foo",
            "--pacticipant",
            "Bar",
            "--version",
            "2",
        ])
        .unwrap();
        assert!(
            resolve(&q, Some("abc")).is_err(),
            "no default when there are several"
        );
    }
}
