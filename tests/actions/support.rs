//! Running the action binaries as a workflow step would: a clean environment, runner files in a temp dir, and everything they wrote read back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pactline_e2e::{bin, client};
use serde_json::{json, Value};

/// The head commit of the pull request (what must be published).
pub const HEAD_SHA: &str = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
/// GitHub's synthetic merge commit (`$GITHUB_SHA` on `pull_request`; must never be published).
pub const MERGE_SHA: &str = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";
/// The provider's commit on main.
pub const PROVIDER_SHA: &str = "b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0";

/// What one step left behind.
#[derive(Debug)]
pub struct StepRun {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: HashMap<String, String>,
    pub outputs_raw: String,
    pub summary: String,
}

impl StepRun {
    pub fn output(&self, name: &str) -> &str {
        self.outputs
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no output `{name}` in {:?}", self.outputs))
    }

    /// Everything the step wrote anywhere, for secret checks.
    pub fn everything(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.stdout, self.stderr, self.outputs_raw, self.summary
        )
    }

    /// Lines printed as errors (`::error::` on GitHub, `error:` off it).
    pub fn error_lines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .chain(self.stderr.lines())
            .filter(|l| l.starts_with("::error") || l.starts_with("error:"))
            .collect()
    }

    pub fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}\n--- outputs\n{:?}\n--- summary\n{}",
            self.code, self.stdout, self.stderr, self.outputs, self.summary
        )
    }
}

/// Parses `$GITHUB_OUTPUT` heredoc entries (`name<<DELIM`, lines, `DELIM`).
pub fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut lines = text.lines();
    while let Some(header) = lines.next() {
        let Some((name, delim)) = header.split_once("<<") else {
            continue;
        };
        let mut value = Vec::new();
        for line in lines.by_ref() {
            if line == delim {
                break;
            }
            value.push(line);
        }
        out.insert(name.to_string(), value.join("\n"));
    }
    out
}

/// A workspace (checkout) directory with runner files, and the environment of a job.
pub struct Job {
    pub dir: tempfile::TempDir,
    pub env: Vec<(String, String)>,
    step: usize,
}

impl Job {
    /// A job off any CI: only the broker URL.
    pub fn plain(broker_url: &str) -> Job {
        Job {
            dir: tempfile::tempdir().expect("temp dir"),
            env: vec![("PACT_BROKER_BASE_URL".into(), broker_url.into())],
            step: 0,
        }
    }

    /// A GitHub Actions job for `event` with its payload written to the event file.
    pub fn github(broker_url: &str, event: &str, payload: &Value, sha: &str, git_ref: &str) -> Job {
        let mut job = Job::plain(broker_url);
        let event_path = job.dir.path().join("event.json");
        std::fs::write(&event_path, payload.to_string()).unwrap();
        let mut env = vec![
            ("CI", "true"),
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_EVENT_NAME", event),
            ("GITHUB_SHA", sha),
            ("GITHUB_REF", git_ref),
            ("GITHUB_REPOSITORY", "acme/shop"),
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_RUN_ID", "4242"),
            ("GITHUB_RUN_ATTEMPT", "1"),
            ("GITHUB_WORKFLOW", "contract"),
            ("RUNNER_OS", "Linux"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<Vec<_>>();
        if let Some(head) = payload
            .pointer("/pull_request/head/ref")
            .and_then(Value::as_str)
        {
            env.push(("GITHUB_HEAD_REF".into(), head.into()));
            env.push(("GITHUB_BASE_REF".into(), "main".into()));
        }
        env.push(("GITHUB_EVENT_PATH".into(), event_path.display().to_string()));
        job.env.extend(env);
        job
    }

    pub fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `binary` as a step: cwd is the job directory, fresh `$GITHUB_OUTPUT` and
    /// `$GITHUB_STEP_SUMMARY` files, nothing inherited from this process but `PATH` and `HOME`.
    pub fn step(&mut self, binary: &str, args: &[&str]) -> StepRun {
        self.step += 1;
        let output_file = self.dir.path().join(format!("output-{}", self.step));
        let summary_file = self.dir.path().join(format!("summary-{}", self.step));
        std::fs::write(&output_file, "").unwrap();
        std::fs::write(&summary_file, "").unwrap();
        let mut cmd = Command::new(bin(binary));
        cmd.args(args).current_dir(self.dir.path()).env_clear();
        for key in ["PATH", "HOME"] {
            if let Ok(v) = std::env::var(key) {
                cmd.env(key, v);
            }
        }
        cmd.env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("running the binary");
        let outputs_raw = std::fs::read_to_string(&output_file).unwrap();
        StepRun {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            outputs: parse_outputs(&outputs_raw),
            outputs_raw,
            summary: std::fs::read_to_string(&summary_file).unwrap(),
        }
    }
}

/// A v2 pact with the given interactions.
pub fn pact(consumer: &str, provider: &str, interactions: Value) -> Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "2.0.0"}}
    })
}

pub fn interaction(description: &str, path: &str) -> Value {
    json!({
        "description": description,
        "providerState": "an order exists",
        "request": {"method": "GET", "path": path},
        "response": {"status": 200, "body": {"id": 1}}
    })
}

/// Writes `value` as pretty JSON to `dir/rel` (creating directories).
pub fn write_json(dir: &Path, rel: &str, value: &Value) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

/// GET a broker path as JSON (with an optional Bearer token).
pub fn get_json(url: &str, token: Option<&str>) -> Value {
    let mut req = client().get(url).header("accept", "application/hal+json");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().expect("GET");
    assert!(res.status().is_success(), "GET {url}: {}", res.status());
    res.json().expect("JSON")
}

/// Creates an environment on the broker.
pub fn create_environment(broker_url: &str, name: &str, token: Option<&str>) {
    let mut req = client()
        .post(format!("{broker_url}/environments"))
        .json(&json!({"name": name, "production": name == "production"}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().expect("POST /environments");
    assert_eq!(res.status(), 201, "creating environment {name}");
}

/// The names of every pacticipant on the broker.
pub fn pacticipant_names(broker_url: &str, token: Option<&str>) -> Vec<String> {
    let body = get_json(&format!("{broker_url}/pacticipants"), token);
    body.pointer("/_embedded/pacticipants")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Verification rows in the full matrix of a consumer version (every verification, no `latestby`).
pub fn verifications_of(broker_url: &str, consumer: &str, version: &str) -> Vec<Value> {
    let body = get_json(
        &format!("{broker_url}/matrix?q[][pacticipant]={consumer}&q[][version]={version}"),
        None,
    );
    body["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["verificationResult"].is_null())
        .cloned()
        .collect()
}

/// The currently deployed versions of `pacticipant` in `environment`.
pub fn currently_deployed(broker_url: &str, environment: &str, pacticipant: &str) -> Vec<String> {
    let envs = get_json(
        &format!("{broker_url}/environments?name={environment}"),
        None,
    );
    let uuid = envs
        .pointer("/_embedded/environments/0/uuid")
        .and_then(Value::as_str)
        .expect("environment uuid")
        .to_string();
    let body = get_json(
        &format!(
            "{broker_url}/environments/{uuid}/deployed-versions/currently-deployed?pacticipant={pacticipant}"
        ),
        None,
    );
    body.pointer("/_embedded/deployedVersions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|d| {
                    d.pointer("/_embedded/version/number")
                        .and_then(Value::as_str)
                })
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}
