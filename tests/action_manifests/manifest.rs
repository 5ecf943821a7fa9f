//! The parts of an `action.yml` the checks read, and the `PACTLINE_INPUTS` table of its run step
//! (how `scripts/action-run.sh` turns each input into arguments).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Action {
    pub name: String,
    pub description: String,
    pub branding: Option<Branding>,
    #[serde(default)]
    pub inputs: BTreeMap<String, Input>,
    #[serde(default)]
    pub outputs: BTreeMap<String, Output>,
    pub runs: Runs,
}

#[derive(Debug, Deserialize)]
pub struct Branding {
    pub icon: String,
    pub color: String,
}

#[derive(Debug, Deserialize)]
pub struct Input {
    pub description: String,
    pub required: Option<bool>,
    pub default: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Output {
    pub description: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
pub struct Runs {
    pub using: String,
    #[serde(default)]
    pub steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
pub struct Step {
    pub id: Option<String>,
    pub shell: Option<String>,
    pub run: Option<String>,
    pub uses: Option<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

impl Action {
    pub fn load(path: &Path) -> Action {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading `{}`: {e}", path.display()));
        serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("parsing `{}`: {e}", path.display()))
    }

    pub fn step(&self, id: &str) -> &Step {
        self.runs
            .steps
            .iter()
            .find(|s| s.id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("action `{}` has no step `{id}`", self.name))
    }
}

/// Every `actions/<dir>/action.yml`, by folder name.
pub fn all_actions(root: &Path) -> BTreeMap<String, PathBuf> {
    let dir = root.join("actions");
    let mut actions = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        let manifest = path.join("action.yml");
        if manifest.is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            actions.insert(name, manifest);
        }
    }
    actions
}

/// How `scripts/action-run.sh` passes an input on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Command,
    Positional,
    Value,
    List,
    Flag,
    FlagOrValue,
    Env(String),
    SecretEnv(String),
}

impl Kind {
    pub fn env_variable(&self) -> Option<&str> {
        match self {
            Kind::Env(v) | Kind::SecretEnv(v) => Some(v),
            _ => None,
        }
    }
}

/// The `PACTLINE_INPUTS` table: `<input> <kind> [<variable>]` per line, in order.
pub fn parse_spec(text: &str) -> Result<Vec<(String, Kind)>, String> {
    let mut spec = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let kind = match words.as_slice() {
            [] => continue,
            [first, ..] if first.starts_with('#') => continue,
            [_, "command"] => Kind::Command,
            [_, "positional"] => Kind::Positional,
            [_, "value"] => Kind::Value,
            [_, "list"] => Kind::List,
            [_, "flag"] => Kind::Flag,
            [_, "flag-or-value"] => Kind::FlagOrValue,
            [_, "env", var] => Kind::Env(var.to_string()),
            [_, "secret-env", var] => Kind::SecretEnv(var.to_string()),
            _ => return Err(format!("bad `PACTLINE_INPUTS` line `{line}`")),
        };
        spec.push((words[0].to_string(), kind));
    }
    Ok(spec)
}

/// `consumer-app-version` → `INPUT_CONSUMER_APP_VERSION`, as `scripts/action-run.sh` reads it.
pub fn input_variable(input: &str) -> String {
    format!("INPUT_{}", input.to_ascii_uppercase().replace('-', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_lines_name_a_kind_and_env_kinds_a_variable() {
        let spec = parse_spec(
            "command command\npacts positional\n\n# note\ntag list\n\
             broker-token secret-env PACT_BROKER_TOKEN\nlatest flag-or-value\n",
        )
        .unwrap();
        assert_eq!(
            spec,
            [
                ("command".into(), Kind::Command),
                ("pacts".into(), Kind::Positional),
                ("tag".into(), Kind::List),
                (
                    "broker-token".into(),
                    Kind::SecretEnv("PACT_BROKER_TOKEN".into())
                ),
                ("latest".into(), Kind::FlagOrValue),
            ]
        );
        assert!(parse_spec("broker-token env").is_err());
        assert!(parse_spec("merge boolean").is_err());
        assert!(parse_spec("merge flag extra").is_err());
    }

    #[test]
    fn input_variables_are_upper_snake_case() {
        assert_eq!(
            input_variable("consumer-app-version"),
            "INPUT_CONSUMER_APP_VERSION"
        );
        assert_eq!(input_variable("to"), "INPUT_TO");
    }

    #[test]
    fn an_action_yml_parses_into_the_typed_model() {
        let action: Action = serde_saphyr::from_str(
            "name: x\ndescription: d\ninputs:\n  a-b:\n    description: it\n    required: false\n    \
             default: 'false'\noutputs:\n  o:\n    description: out\n    value: ${{ steps.run.outputs.o }}\n\
             runs:\n  using: composite\n  steps:\n    - id: run\n      shell: bash\n      \
             env:\n        INPUT_A_B: ${{ inputs.a-b }}\n      run: echo \"$INPUT_A_B\"\n",
        )
        .unwrap();
        assert_eq!(action.inputs["a-b"].default.as_deref(), Some("false"));
        assert_eq!(action.inputs["a-b"].required, Some(false));
        assert_eq!(action.outputs["o"].value, "${{ steps.run.outputs.o }}");
        assert_eq!(action.step("run").env["INPUT_A_B"], "${{ inputs.a-b }}");
        assert_eq!(action.runs.using, "composite");
    }
}
