//! Checks the actions under `actions/` against the binaries they run: each input is a long flag
//! of the binary (`<binary> --help`), reaches it only through the run step's `env:` (never
//! interpolated into a script), and `scripts/action-run.sh` turns it into the right arguments;
//! the install step installs only an archive whose SHA-256 is the committed one.

mod help;
mod manifest;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use manifest::{input_variable, parse_spec, Action, Kind};

/// The actions that run one binary each, named like it.
const BINARY_ACTIONS: &[&str] = &[
    "publish-pact",
    "can-i-deploy-gate",
    "record-results",
    "verify-on-change",
    "setup-webhook",
];

/// Inputs that carry a binary's positional arguments (the only inputs not named after a flag).
const POSITIONAL_INPUTS: &[(&str, &str)] =
    &[("publish-pact", "pacts"), ("verify-on-change", "command")];

/// The subcommand input of `record-results` and its values.
const COMMAND_INPUT: &str = "command";
const RECORD_RESULTS_COMMANDS: &[&str] = &[
    "deployment",
    "undeployment",
    "release",
    "support-ended",
    "verification",
];

/// The broker inputs, each passed as the binary's env fallback (secrets masked first).
const BROKER_INPUTS: &[(&str, &str, bool)] = &[
    ("broker-base-url", "PACT_BROKER_BASE_URL", false),
    ("broker-token", "PACT_BROKER_TOKEN", true),
    ("broker-username", "PACT_BROKER_USERNAME", false),
    ("broker-password", "PACT_BROKER_PASSWORD", true),
];

/// Every archive the release workflow builds, by Rust target.
const RELEASE_TARGETS: &[&str] = &[
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

fn root() -> PathBuf {
    pactline_e2e::workspace_root()
}

fn action(name: &str) -> Action {
    Action::load(&root().join("actions").join(name).join("action.yml"))
}

fn spec(action: &Action) -> Vec<(String, Kind)> {
    let table = action
        .step("run")
        .env
        .get("PACTLINE_INPUTS")
        .unwrap_or_else(|| panic!("`{}`: the run step sets no PACTLINE_INPUTS", action.name));
    parse_spec(table).unwrap_or_else(|e| panic!("`{}`: {e}", action.name))
}

fn set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

/// Fails listing what is missing on each side.
fn assert_same(what: &str, inputs: &BTreeSet<String>, flags: &BTreeSet<String>) {
    let no_input: Vec<_> = flags.difference(inputs).collect();
    let no_flag: Vec<_> = inputs.difference(flags).collect();
    assert!(
        no_input.is_empty() && no_flag.is_empty(),
        "{what}: flags with no input: {no_input:?}; inputs with no flag: {no_flag:?}"
    );
}

// ----- the manifests on their own -----

#[test]
fn every_action_is_a_documented_composite_with_optional_kebab_case_inputs() {
    let all = manifest::all_actions(&root());
    for name in BINARY_ACTIONS.iter().chain(&["install"]) {
        assert!(
            all.contains_key(*name),
            "actions/{name}/action.yml is missing"
        );
    }
    for (dir, path) in &all {
        let action = Action::load(path);
        let at = path.display();
        assert!(!action.name.trim().is_empty() && !action.description.trim().is_empty());
        assert_eq!(action.runs.using, "composite", "{at}: runs.using");
        let branding = action
            .branding
            .as_ref()
            .unwrap_or_else(|| panic!("{at}: no branding"));
        assert!(
            !branding.icon.is_empty() && !branding.color.is_empty(),
            "{at}: branding"
        );
        assert!(
            root().join("actions").join(dir).join("README.md").is_file(),
            "actions/{dir}/README.md is missing"
        );
        for (input, def) in &action.inputs {
            assert!(
                input.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                    && input
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{at}: input `{input}` is not kebab-case"
            );
            assert!(
                !def.description.trim().is_empty(),
                "{at}: `{input}` undocumented"
            );
            let subcommand = dir == "record-results" && input == COMMAND_INPUT;
            assert_eq!(
                def.required,
                Some(subcommand),
                "{at}: `{input}` must say `required: {subcommand}`"
            );
            assert!(
                subcommand || def.default.is_some(),
                "{at}: `{input}` has no default (use '' for none)"
            );
        }
        for (output, def) in &action.outputs {
            assert!(
                !def.description.trim().is_empty(),
                "{at}: output `{output}`"
            );
            assert!(
                def.value.starts_with("${{ steps."),
                "{at}: output `{output}` is not a step output"
            );
        }
        for step in &action.runs.steps {
            if step.run.is_some() {
                assert_eq!(
                    step.shell.as_deref(),
                    Some("bash"),
                    "{at}: a run step's shell"
                );
            }
            assert!(
                step.uses.is_none(),
                "{at}: steps run the scripts, not other actions"
            );
        }
    }
}

#[test]
fn the_actions_have_the_outputs_the_binaries_write() {
    let outputs = |name: &str| set(action(name).outputs.into_keys());
    assert_eq!(
        outputs("publish-pact"),
        set(["consumer-version", "branch", "pact-urls"])
    );
    assert_eq!(outputs("can-i-deploy-gate"), set(["deployable", "reason"]));
    assert_eq!(outputs("install"), set(["bin-dir"]));
    assert_eq!(
        outputs("verify-on-change"),
        set([
            "result",
            "verified-pacts",
            "failed-pacts",
            "provider-version",
            "verification-results"
        ])
    );
    assert_eq!(
        outputs("setup-webhook"),
        set(["webhook-uuid", "webhook-url", "commit-status-webhook-uuid"])
    );
    for (name, def) in action("publish-pact")
        .outputs
        .iter()
        .chain(&action("can-i-deploy-gate").outputs)
        .chain(&action("verify-on-change").outputs)
        .chain(&action("setup-webhook").outputs)
    {
        assert_eq!(def.value, format!("${{{{ steps.run.outputs.{name} }}}}"));
    }
}

/// Script injection: a `${{ … }}` in a `run:` is pasted into the script before bash reads it.
#[test]
fn no_run_script_interpolates_an_expression() {
    for (dir, path) in manifest::all_actions(&root()) {
        for step in Action::load(&path).runs.steps {
            let run = step.run.unwrap_or_default();
            assert!(
                !run.contains("${{"),
                "actions/{dir}: `{run}` interpolates an expression"
            );
        }
    }
    let workflows = root().join(".github/workflows");
    let mut seen = 0;
    for entry in std::fs::read_dir(&workflows).expect(".github/workflows") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let workflow: serde_json::Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("parsing `{}`: {e}", path.display()));
        for (job, def) in workflow["jobs"].as_object().expect("jobs") {
            for step in def["steps"].as_array().into_iter().flatten() {
                if let Some(run) = step["run"].as_str() {
                    assert!(
                        !run.contains("${{"),
                        "{}: job `{job}`: `{run}` interpolates an expression",
                        path.display()
                    );
                }
            }
        }
        seen += 1;
    }
    assert!(seen >= 2, "expected ci.yml and release.yml");
}

#[test]
fn every_input_reaches_the_binary_only_through_the_run_step_env() {
    for name in BINARY_ACTIONS {
        let action = action(name);
        let install = action.step("install").run.as_deref().unwrap_or_default();
        assert!(
            install.ends_with(&format!("/../../scripts/action-install.sh\" {name}")),
            "{name}: the install step runs `{install}`"
        );
        let run_step = action.step("run");
        let run = run_step.run.as_deref().unwrap_or_default();
        assert!(
            run.ends_with(&format!("/../../scripts/action-run.sh\" {name}")),
            "{name}: the run step runs `{run}`"
        );
        assert_eq!(
            run_step.env.get("PACTLINE_BIN_DIR").map(String::as_str),
            Some("${{ steps.install.outputs.bin-dir }}")
        );

        let spec = spec(&action);
        let names: Vec<&str> = spec.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            set(names.iter().copied()).len(),
            names.len(),
            "{name}: PACTLINE_INPUTS names an input twice"
        );
        assert_same(
            &format!("{name}: PACTLINE_INPUTS vs inputs"),
            &set(action.inputs.keys().cloned()),
            &set(names.iter().copied()),
        );
        for input in action.inputs.keys() {
            assert_eq!(
                run_step.env.get(&input_variable(input)).map(String::as_str),
                Some(format!("${{{{ inputs.{input} }}}}").as_str()),
                "{name}: `{input}` must be passed as {}",
                input_variable(input)
            );
        }
        for (var, value) in &run_step.env {
            if var.starts_with("INPUT_") {
                assert!(
                    action.inputs.keys().any(|i| input_variable(i) == *var),
                    "{name}: {var} is no input's variable"
                );
            } else {
                assert!(!value.contains("inputs."), "{name}: {var} reads an input");
            }
        }

        for (input, variable, secret) in BROKER_INPUTS {
            let kind = spec.iter().find(|(n, _)| n == input).map(|(_, k)| k);
            let want = if *secret {
                Kind::SecretEnv(variable.to_string())
            } else {
                Kind::Env(variable.to_string())
            };
            assert_eq!(kind, Some(&want), "{name}: `{input}`");
        }
        for (input, kind) in &spec {
            let positional = POSITIONAL_INPUTS.contains(&(name, input.as_str()));
            assert_eq!(
                *kind == Kind::Positional,
                positional,
                "{name}: `{input}` {kind:?}"
            );
            let command = *name == "record-results" && input == COMMAND_INPUT;
            assert_eq!(
                *kind == Kind::Command,
                command,
                "{name}: `{input}` {kind:?}"
            );
        }
    }
}

// ----- the manifests against the binaries -----

/// `<binary> [args] --help`, parsed.
fn binary_help(name: &str, args: &[&str]) -> help::Help {
    let path = pactline_e2e::bin(name);
    assert!(
        path.is_file(),
        "`{}` does not exist: `pactline_e2e::bin_dir()` (tests/lib.rs) must build the `{name}` \
         package, so that the inputs of actions/{name}/action.yml can be checked against \
         `{name} --help`",
        path.display()
    );
    let out = Command::new(&path)
        .args(args)
        .arg("--help")
        .output()
        .unwrap_or_else(|e| panic!("running `{}`: {e}", path.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "`{name} {} --help` failed: {stdout}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    help::parse(&stdout)
}

fn assert_env_fallbacks(name: &str, spec: &[(String, Kind)], help: &help::Help) {
    for (input, kind) in spec {
        if let Some(variable) = kind.env_variable() {
            if help.flags.contains_key(input) {
                assert!(
                    help.flag_reads_env(input, variable),
                    "{name}: `--{input}` must read `{variable}` (the action passes the input \
                     that way), but its help entry is: {}",
                    help.flags[input]
                );
            }
        }
    }
}

fn assert_inputs_are_the_long_flags(name: &str) {
    let action = action(name);
    let spec = spec(&action);
    let help = binary_help(name, &[]);
    let positional = POSITIONAL_INPUTS
        .iter()
        .find(|(a, _)| a == &name)
        .map(|(_, input)| *input);
    match positional {
        Some(input) => assert!(
            !help.positionals.is_empty(),
            "{name}: input `{input}` carries positional arguments but `{name} --help` shows none"
        ),
        None => assert!(
            help.positionals.is_empty(),
            "{name}: positional arguments {:?} have no input (map one in POSITIONAL_INPUTS)",
            help.positionals
        ),
    }
    let inputs = set(action
        .inputs
        .keys()
        .filter(|i| Some(i.as_str()) != positional)
        .cloned());
    assert_same(
        &format!("actions/{name}/action.yml vs `{name} --help`"),
        &inputs,
        &help.accepted_flags(),
    );
    assert_env_fallbacks(name, &spec, &help);
}

#[test]
fn publish_pact_inputs_are_its_long_flags() {
    assert_inputs_are_the_long_flags("publish-pact");
}

#[test]
fn can_i_deploy_gate_inputs_are_its_long_flags() {
    assert_inputs_are_the_long_flags("can-i-deploy-gate");
}

#[test]
fn verify_on_change_inputs_are_its_long_flags() {
    assert_inputs_are_the_long_flags("verify-on-change");
}

#[test]
fn setup_webhook_inputs_are_its_long_flags() {
    assert_inputs_are_the_long_flags("setup-webhook");
}

#[test]
fn record_results_inputs_are_the_long_flags_of_its_subcommands() {
    let name = "record-results";
    let action = action(name);
    let spec = spec(&action);
    let top = binary_help(name, &[]);
    assert_eq!(
        top.commands,
        set(RECORD_RESULTS_COMMANDS.iter().copied()),
        "`{name} --help` subcommands"
    );
    let described = &action.inputs[COMMAND_INPUT].description;
    for command in RECORD_RESULTS_COMMANDS {
        assert!(
            described.contains(&format!("`{command}`")),
            "`command` omits {command}"
        );
    }
    let inputs = set(action
        .inputs
        .keys()
        .filter(|i| i.as_str() != COMMAND_INPUT)
        .cloned());
    let mut union = BTreeSet::new();
    for command in RECORD_RESULTS_COMMANDS {
        let help = binary_help(name, &[command]);
        assert!(
            help.positionals.is_empty(),
            "`{name} {command}` takes positional arguments {:?} that no input carries",
            help.positionals
        );
        let flags = help.accepted_flags();
        let no_input: Vec<_> = flags.difference(&inputs).collect();
        assert!(
            no_input.is_empty(),
            "`{name} {command}` accepts flags with no input: {no_input:?}"
        );
        assert_env_fallbacks(&format!("{name} {command}"), &spec, &help);
        union.extend(flags);
    }
    assert_same(
        &format!("actions/{name}/action.yml vs the union of `{name} <command> --help`"),
        &inputs,
        &union,
    );
    // scripts/action-run.sh puts every flag after the subcommand.
    let top_only: Vec<_> = top.accepted_flags().difference(&union).cloned().collect();
    assert!(
        top_only.is_empty(),
        "`{name}` flags {top_only:?} are not accepted after a subcommand (make them global)"
    );
}

// ----- scripts/action-run.sh, driven as the runner drives the action -----

#[cfg(unix)]
mod run_step {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    pub fn write_script(path: &Path, body: &str) {
        std::fs::write(path, body).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Runs the action's `run` step as the runner would, with `with:` values, a stand-in for the
    /// binary that prints its arguments and its `PACT_BROKER_*` and `PACTLINE_*` environment
    /// (the binaries' env fallbacks), and `job_env` as the job's env.
    /// Returns the step's success and its output lines.
    pub fn run(name: &str, with: &[(&str, &str)], job_env: &[(&str, &str)]) -> (bool, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let bin_dir = dir.path().join("bin");
        std::fs::create_dir(&bin_dir).unwrap();
        write_script(
            &bin_dir.join(name),
            "#!/bin/sh\nfor a in \"$@\"; do printf 'arg:%s\\n' \"$a\"; done\n\
             env | grep -E '^(PACT_BROKER|PACTLINE)_' | sort | sed 's/^/env:/'\n",
        );
        let action = action(name);
        let step = action.step("run");
        let with: BTreeMap<&str, &str> = with.iter().copied().collect();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step.run.as_deref().unwrap())
            .current_dir(dir.path())
            .env("GITHUB_ACTION_PATH", root().join("actions").join(name));
        for (var, _, _) in BROKER_INPUTS {
            cmd.env_remove(var);
        }
        cmd.envs(job_env.iter().copied());
        for (var, template) in &step.env {
            let value = if template == "${{ steps.install.outputs.bin-dir }}" {
                bin_dir.display().to_string()
            } else if let Some(input) = template
                .strip_prefix("${{ inputs.")
                .and_then(|t| t.strip_suffix(" }}"))
            {
                with.get(input)
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| action.inputs[input].default.clone().unwrap_or_default())
            } else {
                assert!(!template.contains("${{"), "{name}: unhandled `{template}`");
                template.clone()
            };
            cmd.env(var, value);
        }
        let out: Output = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::read_dir(dir.path()).unwrap().count() == 1,
            "the step wrote files in its working directory: {text}"
        );
        (
            out.status.success(),
            text.lines().map(String::from).collect(),
        )
    }
}

#[cfg(unix)]
#[test]
fn publish_pact_defaults_pass_the_pacts_folder_and_keep_the_job_broker_env() {
    let (ok, lines) = run_step::run(
        "publish-pact",
        &[],
        &[("PACT_BROKER_BASE_URL", "http://job-broker")],
    );
    assert!(ok, "{lines:?}");
    assert_eq!(
        lines,
        [
            "arg:--",
            "arg:pacts",
            "env:PACT_BROKER_BASE_URL=http://job-broker"
        ]
    );
}

#[cfg(unix)]
#[test]
fn publish_pact_inputs_become_flags_lists_and_masked_env() {
    let (ok, lines) = run_step::run(
        "publish-pact",
        &[
            ("pacts", "pacts/a.json\n  pacts/b c.json\n-odd.json\n"),
            ("consumer-app-version", "1.2.3"),
            ("branch", "feat/x"),
            ("tag", "dev, prod\nrc\n"),
            ("build-url", "https://ci.example/1"),
            ("merge", "True"),
            ("broker-base-url", "http://broker"),
            ("broker-token", "s3cret"),
        ],
        &[("PACT_BROKER_BASE_URL", "http://job-broker")],
    );
    assert!(ok, "{lines:?}");
    assert_eq!(
        lines,
        [
            "::add-mask::s3cret",
            "arg:--consumer-app-version=1.2.3",
            "arg:--branch=feat/x",
            "arg:--tag=dev",
            "arg:--tag=prod",
            "arg:--tag=rc",
            "arg:--build-url=https://ci.example/1",
            "arg:--merge",
            "arg:--",
            "arg:pacts/a.json",
            "arg:pacts/b c.json",
            "arg:-odd.json",
            "env:PACT_BROKER_BASE_URL=http://broker",
            "env:PACT_BROKER_TOKEN=s3cret",
        ]
    );
}

#[cfg(unix)]
#[test]
fn input_values_stay_data_never_script() {
    let hostile = "$(touch pwned) `touch pwned2` \"; touch pwned3; \"";
    let (ok, lines) = run_step::run(
        "publish-pact",
        &[("consumer-app-version", hostile), ("branch", "--merge")],
        &[],
    );
    assert!(ok, "{lines:?}");
    assert_eq!(
        lines,
        [
            format!("arg:--consumer-app-version={hostile}").as_str(),
            "arg:--branch=--merge",
            "arg:--",
            "arg:pacts",
        ]
    );
}

#[cfg(unix)]
#[test]
fn can_i_deploy_gate_latest_takes_true_or_a_tag_and_booleans_are_checked() {
    let (ok, lines) = run_step::run(
        "can-i-deploy-gate",
        &[
            ("pacticipant", "Web\nApi"),
            ("latest", "true"),
            ("to-environment", "production"),
            ("dry-run", "TRUE"),
            ("retry-while-unknown", "3"),
        ],
        &[],
    );
    assert!(ok, "{lines:?}");
    assert_eq!(
        lines,
        [
            "arg:--pacticipant=Web",
            "arg:--pacticipant=Api",
            "arg:--latest",
            "arg:--to-environment=production",
            "arg:--retry-while-unknown=3",
            "arg:--dry-run",
        ]
    );
    let (ok, lines) = run_step::run(
        "can-i-deploy-gate",
        &[("pacticipant", "Web"), ("latest", "prod")],
        &[],
    );
    assert!(ok, "{lines:?}");
    assert_eq!(lines, ["arg:--pacticipant=Web", "arg:--latest=prod"]);

    let (ok, lines) = run_step::run("can-i-deploy-gate", &[("dry-run", "yes")], &[]);
    assert!(!ok);
    assert_eq!(
        lines,
        ["::error title=can-i-deploy-gate::input `dry-run` must be true or false, not `yes`"]
    );
}

#[cfg(unix)]
#[test]
fn record_results_passes_the_command_first_and_requires_it() {
    let (ok, lines) = run_step::run(
        "record-results",
        &[
            ("command", "verification"),
            ("pact-url", "http://broker/pacts/1"),
            ("provider-app-version", "abc"),
            ("exit-code", "0"),
            ("broker-password", "pw"),
            ("broker-username", "ci"),
        ],
        &[],
    );
    assert!(ok, "{lines:?}");
    assert_eq!(
        lines,
        [
            "::add-mask::pw",
            "arg:verification",
            "arg:--pact-url=http://broker/pacts/1",
            "arg:--provider-app-version=abc",
            "arg:--exit-code=0",
            "env:PACT_BROKER_PASSWORD=pw",
            "env:PACT_BROKER_USERNAME=ci",
        ]
    );
    let (ok, lines) = run_step::run("record-results", &[], &[]);
    assert!(!ok);
    assert_eq!(
        lines,
        ["::error title=record-results::input `command` is required"]
    );
}

// ----- scripts/action-install.sh -----

#[cfg(unix)]
mod install {
    use super::*;

    pub struct Release {
        pub dir: tempfile::TempDir,
        pub checksums: PathBuf,
    }

    /// A v9.9.9 release for x86_64 Linux holding stand-ins for the binaries, with its checksums
    /// file written by scripts/release-checksums.sh.
    pub fn release() -> Release {
        let dir = tempfile::tempdir().unwrap();
        let name = "pactline-v9.9.9-x86_64-unknown-linux-musl";
        let folder = dir.path().join(name);
        std::fs::create_dir(&folder).unwrap();
        for bin in [
            "publish-pact",
            "can-i-deploy-gate",
            "record-results",
            "pactline-broker",
        ] {
            run_step::write_script(&folder.join(bin), &format!("#!/bin/sh\necho {bin} 9.9.9\n"));
        }
        let status = Command::new("tar")
            .current_dir(dir.path())
            .args(["-czf", &format!("{name}.tar.gz"), name])
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::remove_dir_all(&folder).unwrap();
        let out = Command::new("bash")
            .arg(root().join("scripts/release-checksums.sh"))
            .arg("v9.9.9")
            .arg(format!("file://{}", dir.path().display()))
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let checksums = dir.path().join("checksums.txt");
        std::fs::write(&checksums, &out.stdout).unwrap();
        Release { dir, checksums }
    }

    pub struct Installed {
        pub ok: bool,
        pub log: String,
        pub bin_dir: Option<PathBuf>,
        pub tool_cache: PathBuf,
        _runner: tempfile::TempDir,
    }

    /// Runs scripts/action-install.sh as an x64 Linux runner would.
    pub fn install(checksums: &Path, arch: &str, path_prefix: Option<&Path>) -> Installed {
        let runner = tempfile::tempdir().unwrap();
        let temp = runner.path().join("temp");
        let tool_cache = runner.path().join("tool-cache");
        std::fs::create_dir(&temp).unwrap();
        let output = runner.path().join("github-output");
        let mut cmd = Command::new("bash");
        cmd.arg(root().join("scripts/action-install.sh"))
            .arg("publish-pact")
            .env("PACTLINE_CHECKSUMS_FILE", checksums)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", &temp)
            .env("RUNNER_TOOL_CACHE", &tool_cache)
            .env("GITHUB_OUTPUT", &output)
            .env_remove("PACTLINE_DOWNLOAD_BASE_URL");
        if let Some(prefix) = path_prefix {
            let path = std::env::var("PATH").unwrap_or_default();
            cmd.env("PATH", format!("{}:{path}", prefix.display()));
        }
        let out = cmd.output().unwrap();
        let bin_dir = std::fs::read_to_string(&output).ok().and_then(|o| {
            o.lines()
                .find_map(|l| l.strip_prefix("bin-dir=").map(PathBuf::from))
        });
        Installed {
            ok: out.status.success(),
            log: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            bin_dir,
            tool_cache,
            _runner: runner,
        }
    }
}

#[cfg(unix)]
#[test]
fn install_takes_the_release_archive_whose_sha256_is_committed() {
    let release = install::release();
    let installed = install::install(&release.checksums, "X64", None);
    assert!(installed.ok, "{}", installed.log);
    let bin_dir = installed.bin_dir.expect("a bin-dir output");
    assert_eq!(bin_dir, installed.tool_cache.join("pactline/9.9.9/x64"));
    assert!(installed
        .tool_cache
        .join("pactline/9.9.9/x64.complete")
        .is_file());
    let out = Command::new(bin_dir.join("publish-pact")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "publish-pact 9.9.9\n");
    assert!(
        installed.log.contains("SHA-256 verified"),
        "{}",
        installed.log
    );
    drop(release.dir);
}

#[cfg(unix)]
#[test]
fn install_fails_closed_when_the_archive_sha256_differs() {
    let release = install::release();
    let text = std::fs::read_to_string(&release.checksums).unwrap();
    let tampered: String = text
        .lines()
        .map(|line| match line.split_once("  ") {
            Some((sha, archive)) if sha.len() == 64 => {
                let flipped = if sha.starts_with('0') { "1" } else { "0" };
                format!("{flipped}{}  {archive}\n", &sha[1..])
            }
            _ => format!("{line}\n"),
        })
        .collect();
    assert_ne!(tampered, text);
    std::fs::write(&release.checksums, tampered).unwrap();
    let installed = install::install(&release.checksums, "X64", None);
    assert!(!installed.ok, "{}", installed.log);
    assert!(installed
        .log
        .contains("::error title=pactline install::SHA-256 mismatch"));
    assert!(installed.bin_dir.is_none());
    assert!(
        !installed.tool_cache.join("pactline").exists(),
        "nothing may be cached"
    );
}

#[cfg(unix)]
#[test]
fn install_fails_when_the_pinned_release_lacks_the_runner_archive() {
    let release = install::release();
    let installed = install::install(&release.checksums, "ARM64", None);
    assert!(!installed.ok, "{}", installed.log);
    assert!(
        installed
            .log
            .contains("pins v9.9.9 but has no SHA-256 for `pactline-v9.9.9-aarch64-unknown-linux-musl.tar.gz`"),
        "{}",
        installed.log
    );
}

#[cfg(unix)]
#[test]
fn install_builds_from_source_when_no_release_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let checksums = dir.path().join("checksums.txt");
    std::fs::write(&checksums, "# no release pinned\n").unwrap();
    let fake = dir.path().join("fake-cargo");
    std::fs::create_dir(&fake).unwrap();
    let log = dir.path().join("cargo.log");
    run_step::write_script(
        &fake.join("cargo"),
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nwhile [ $# -gt 0 ]; do case \"$1\" in \
             --root) root=$2; shift ;; --bin) bin=$2; shift ;; esac; shift; done\n\
             mkdir -p \"$root/bin\" && printf '#!/bin/sh\\necho built\\n' > \"$root/bin/$bin\" \
             && chmod +x \"$root/bin/$bin\"\n",
            log.display()
        ),
    );
    let installed = install::install(&checksums, "X64", Some(&fake));
    assert!(installed.ok, "{}", installed.log);
    let cargo = std::fs::read_to_string(&log).unwrap();
    let crate_dir = root().join("crates/publish-pact");
    assert!(
        cargo.starts_with(&format!("install --locked --path {} ", crate_dir.display())),
        "{cargo}"
    );
    let bin_dir = installed.bin_dir.expect("a bin-dir output");
    let out = Command::new(bin_dir.join("publish-pact")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "built\n");
    assert!(installed.log.contains("building publish-pact from source"));
}

/// On a branch the file pins nothing; on a release tag's commit it pins every archive.
#[test]
fn committed_checksums_pin_no_release_or_every_archive() {
    let text = std::fs::read_to_string(root().join("actions/install/checksums.txt")).unwrap();
    let mut version = None;
    let mut archives = BTreeSet::new();
    let mut base_url = false;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["version", v] => version = Some(v.to_string()),
            ["base-url", url] => base_url = url.starts_with("https://"),
            [sha, archive]
                if sha.len() == 64
                    && sha
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) =>
            {
                archives.insert(archive.to_string());
            }
            _ => panic!("actions/install/checksums.txt: bad line `{line}`"),
        }
    }
    match version {
        None => assert!(
            archives.is_empty() && !base_url,
            "archives without a version"
        ),
        Some(v) => {
            assert!(base_url, "a pinned release needs an https base-url");
            let want = set(RELEASE_TARGETS
                .iter()
                .map(|t| format!("pactline-{v}-{t}.tar.gz")));
            assert_eq!(archives, want);
        }
    }
}
