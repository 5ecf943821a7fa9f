//! Reads what a clap binary accepts from its `--help` text: the long flags (each with its help
//! block, which names its env fallback), the positional arguments and the subcommands.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Help {
    /// Long flag name (without `--`) → the lines of its entry (the env fallback shows there).
    pub flags: BTreeMap<String, String>,
    /// Positional argument names as shown, e.g. `PATHS`.
    pub positionals: Vec<String>,
    /// Subcommands, `help` left out.
    pub commands: BTreeSet<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Other,
    Options,
    Arguments,
    Commands,
}

/// Option and argument lines sit 2 (with a short flag) or 6 columns in; the long help's
/// description lines sit 10 columns in.
const MAX_ENTRY_INDENT: usize = 6;

pub fn parse(text: &str) -> Help {
    let mut help = Help::default();
    let mut section = Section::Other;
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            // `Usage: …`, or a heading: `Options:`, `Arguments:`, `Commands:`, or a custom one.
            current = None;
            section = match trimmed {
                "Arguments:" => Section::Arguments,
                "Commands:" => Section::Commands,
                t if t.ends_with(':') && t.split_whitespace().count() <= 3 => Section::Options,
                _ => Section::Other,
            };
            continue;
        }
        let entry = indent <= MAX_ENTRY_INDENT;
        match section {
            Section::Options if entry && trimmed.starts_with('-') => {
                current = long_flag(trimmed);
                if let Some(name) = &current {
                    help.flags.insert(name.clone(), trimmed.to_string());
                }
            }
            Section::Options => {
                if let Some(block) = current.as_ref().and_then(|c| help.flags.get_mut(c)) {
                    block.push('\n');
                    block.push_str(trimmed);
                }
            }
            Section::Arguments
                if entry && (trimmed.starts_with('<') || trimmed.starts_with('[')) =>
            {
                let name = trimmed
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches("...")
                    .trim_matches(|c| matches!(c, '<' | '>' | '[' | ']'));
                help.positionals.push(name.to_string());
            }
            Section::Commands if entry => {
                if let Some(name) = trimmed.split_whitespace().next() {
                    if name != "help" {
                        help.commands.insert(name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    help
}

/// `-b, --broker-base-url <URL>  …` → `broker-base-url`; a short-only flag → `None`.
fn long_flag(entry: &str) -> Option<String> {
    entry
        .split(|c: char| c.is_whitespace() || c == ',')
        .find_map(|word| word.strip_prefix("--"))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
}

impl Help {
    /// The long flags a user sets: all but clap's `--help`, and `--version` when it is clap's
    /// own "Print version" (a `--version` of the binary's, a pacticipant version, stays).
    pub fn accepted_flags(&self) -> BTreeSet<String> {
        self.flags
            .iter()
            .filter(|(name, block)| {
                name.as_str() != "help"
                    && !(name.as_str() == "version" && block.contains("Print version"))
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Whether the flag's entry names `variable` as its env fallback (`[env: VAR=…]` or
    /// `[env: VAR]` for a hidden value).
    pub fn flag_reads_env(&self, flag: &str, variable: &str) -> bool {
        self.flags.get(flag).is_some_and(|block| {
            block.match_indices("env: ").any(|(at, _)| {
                let rest = &block[at + "env: ".len()..];
                rest.strip_prefix(variable)
                    .is_some_and(|after| after.starts_with('=') || after.starts_with(']'))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG_HELP: &str = "\
Publish pacts to a Pact Broker

Usage: publish-pact [OPTIONS] [PATHS]...

Arguments:
  [PATHS]...
          Pact files or directories
          --not-a-flag in a description line

Options:
      --consumer-app-version <CONSUMER_APP_VERSION>
          The consumer version

      --tag <TAG>
          A tag (repeatable)

      --merge
          Merge into an existing pact

Broker:
  -b, --broker-base-url <BROKER_BASE_URL>
          Base URL of the broker
          
          [env: PACT_BROKER_BASE_URL=]

  -k, --broker-token <BROKER_TOKEN>
          [env: PACT_BROKER_TOKEN]

  -q
          Quiet (short only)

  -h, --help
          Print help (see a summary with '-h')

  -V, --version
          Print version
";

    #[test]
    fn long_help_gives_flags_positionals_and_env_fallbacks() {
        let help = parse(LONG_HELP);
        assert_eq!(
            help.accepted_flags().into_iter().collect::<Vec<_>>(),
            [
                "broker-base-url",
                "broker-token",
                "consumer-app-version",
                "merge",
                "tag"
            ]
        );
        assert_eq!(help.positionals, ["PATHS"]);
        assert!(help.commands.is_empty());
        assert!(help.flag_reads_env("broker-base-url", "PACT_BROKER_BASE_URL"));
        assert!(help.flag_reads_env("broker-token", "PACT_BROKER_TOKEN"));
        assert!(!help.flag_reads_env("broker-token", "PACT_BROKER"));
        assert!(!help.flag_reads_env("tag", "PACT_BROKER_BASE_URL"));
    }

    #[test]
    fn short_help_and_a_version_flag_of_the_binary() {
        let help = parse(
            "Usage: can-i-deploy-gate [OPTIONS]\n\nOptions:\n  \
             -a, --pacticipant <NAME>  The application [env: PACTICIPANT=]\n  \
             -e, --version <VERSION>   The pacticipant version\n      \
             --latest [<TAG>]          Latest, optionally with a tag\n  \
             -h, --help                Print help\n",
        );
        assert_eq!(
            help.accepted_flags().into_iter().collect::<Vec<_>>(),
            ["latest", "pacticipant", "version"]
        );
        assert!(help.flag_reads_env("pacticipant", "PACTICIPANT"));
        assert!(help.positionals.is_empty());
    }

    #[test]
    fn subcommands_leave_out_help() {
        let help = parse(
            "Record results\n\nUsage: record-results [OPTIONS] <COMMAND>\n\nCommands:\n  \
             deployment     Record a deployment\n  support-ended  Record end of support\n  \
             help           Print this message or the help of the given subcommand(s)\n\n\
             Options:\n  -h, --help  Print help\n",
        );
        assert_eq!(
            help.commands.into_iter().collect::<Vec<_>>(),
            ["deployment", "support-ended"]
        );
        assert!(help.positionals.is_empty());
    }
}
