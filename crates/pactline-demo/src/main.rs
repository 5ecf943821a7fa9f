//! `pactline-demo`: the whole loop on the embedded broker, with the real binaries as processes
//! talking HTTP, and stand-ins only for GitHub and the provider service.
//!
//! broker → provider deployed → webhook set up → consumer publishes → the broker's webhook sends
//! a repository_dispatch to (stand-in) GitHub → the provider job verifies that pact → results
//! recorded → the gate says yes → deployment recorded; then a breaking consumer change is
//! verified as failing and the gate blocks it.

mod stand_ins;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARIES: [&str; 6] = [
    "pactline-broker",
    "publish-pact",
    "can-i-deploy-gate",
    "record-results",
    "verify-on-change",
    "setup-webhook",
];

struct Demo {
    bin_dir: PathBuf,
    broker_url: String,
    github_url: String,
    provider_url: String,
    work: PathBuf,
    github: stand_ins::SharedLog,
    step: usize,
}

/// The workspace root, for the example pacts.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from("."))
}

/// The binaries sit beside this one; when run through `cargo run`, build them first.
fn binaries() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("locating pactline-demo")?;
    let dir = exe.parent().context("the demo's directory")?.to_path_buf();
    if let Ok(cargo) = std::env::var("CARGO") {
        let release = dir.file_name().is_some_and(|n| n == "release");
        let mut cmd = Command::new(cargo);
        cmd.current_dir(workspace())
            .args(["build", "--quiet", "--bins"]);
        for b in BINARIES {
            cmd.args(["-p", b]);
        }
        if release {
            cmd.arg("--release");
        }
        let status = cmd.status().context("building the binaries")?;
        if !status.success() {
            bail!("building the pactline binaries failed");
        }
    }
    for b in BINARIES {
        if !dir.join(b).exists() {
            bail!(
                "`{b}` is not built beside the demo in {}; run `cargo build --bins` first",
                dir.display()
            );
        }
    }
    Ok(dir)
}

impl Demo {
    fn say(&mut self, what: &str) {
        self.step += 1;
        println!("\n{:>2}. {what}", self.step);
    }

    /// Runs a binary as a workflow step would; checks its exit code; shows its report.
    fn run(&self, bin: &str, args: &[&str], env: &[(&str, String)], expect: i32) -> Result<String> {
        let mut cmd = Command::new(self.bin_dir.join(bin));
        cmd.args(args)
            .env("PACT_BROKER_BASE_URL", &self.broker_url)
            .env("GITHUB_API_URL", &self.github_url)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("PACT_BROKER_TOKEN")
            .env("PACT_DO_NOT_TRACK", "true");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().with_context(|| format!("running {bin}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let code = out.status.code().unwrap_or(-1);
        println!("    $ {bin} {}", args.join(" "));
        for line in stdout
            .lines()
            .chain(stderr.lines())
            .filter(|l| !l.trim().is_empty())
            .take(40)
        {
            println!("      {line}");
        }
        println!("      (exit {code})");
        if code != expect {
            bail!("{bin} exited {code}, the demo expected {expect}");
        }
        Ok(format!("{stdout}{stderr}"))
    }

    /// Waits for the broker's webhook to reach the stand-in for GitHub; returns the dispatch.
    fn next_dispatch(&self, seen: usize) -> Result<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Some((repo, body, auth)) = self
                .github
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .dispatches
                .get(seen)
            {
                println!(
                    "    GitHub received repository_dispatch for {repo} (Authorization: {})",
                    if auth.is_empty() {
                        "none"
                    } else {
                        "Bearer ***"
                    }
                );
                println!("      {}", body["client_payload"]);
                return Ok(body.clone());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("the broker's webhook did not reach GitHub within 30 s")
    }

    /// Writes the event file the provider workflow would get for a dispatch.
    fn event_file(&self, name: &str, dispatch: &Value) -> Result<String> {
        let path = self.work.join(name);
        let event = json!({
            "action": dispatch["event_type"],
            "client_payload": dispatch["client_payload"],
            "repository": {"full_name": "acme/orders-api"},
        });
        std::fs::write(&path, event.to_string())?;
        Ok(path.display().to_string())
    }

    fn provider_job(&self, dispatch: &Value, event: &str, expect: i32) -> Result<String> {
        let env = [
            ("GITHUB_EVENT_NAME", "repository_dispatch".to_string()),
            ("GITHUB_EVENT_PATH", event.to_string()),
            ("GITHUB_REPOSITORY", "acme/orders-api".to_string()),
            (
                "GITHUB_SHA",
                dispatch["client_payload"]["sha"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            ),
        ];
        self.run(
            "verify-on-change",
            &[
                "--provider",
                "orders-api",
                "--provider-base-url",
                &self.provider_url,
                "--provider-states-setup-url",
                &format!("{}/_pact/provider-states", self.provider_url),
            ],
            &env,
            expect,
        )
    }
}

struct Broker(Child);

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

fn start_broker(bin_dir: &Path, db: &Path) -> Result<(Broker, String)> {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(bin_dir.join("pactline-broker"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database"])
        .arg(db)
        .args([
            "--webhook-scheme-whitelist",
            "http",
            "--webhook-host-whitelist",
            "127.0.0.1",
            "--webhook-retry-schedule",
            "1,2,5",
        ])
        .env(
            "PACTLINE_BROKER_SECRET_GITHUB_TOKEN",
            "demo-token-kept-by-the-broker",
        )
        .env("PACTLINE_BROKER_LOG_LEVEL", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .context("starting pactline-broker")?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("broker stdout")?).read_line(&mut line)?;
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .context("the broker did not print its URL")?
        .to_string();
    Ok((Broker(child), url))
}

fn main() -> std::process::ExitCode {
    match demo() {
        Ok(()) => {
            println!("\nThe loop ran: the compatible change was verified and deployed, the breaking one was blocked.");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("\ndemo failed: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn demo() -> Result<()> {
    let bin_dir = binaries()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let github = stand_ins::SharedLog::default();
    let (github_url, provider_url) = runtime.block_on(async {
        Ok::<_, anyhow::Error>((
            stand_ins::serve(stand_ins::github(github.clone())).await?,
            stand_ins::serve(stand_ins::orders_api()).await?,
        ))
    })?;
    let work = tempfile::tempdir()?;
    let (_broker, broker_url) = start_broker(&bin_dir, &work.path().join("broker.db"))?;
    println!("pactline demo: web-app (consumer) and orders-api (provider) on the embedded broker");
    println!("  broker   {broker_url}  (SQLite in a temporary directory)");
    println!(
        "  GitHub   {github_url}  (stand-in: records repository_dispatch and commit statuses)"
    );
    println!("  provider {provider_url}  (orders-api, the example provider)");
    let mut d = Demo {
        bin_dir,
        broker_url,
        github_url,
        provider_url,
        work: work.path().to_path_buf(),
        github,
        step: 0,
    };
    let example = workspace().join("workflows-examples/example");
    let pact = example.join("consumer.pact.json").display().to_string();
    let breaking = example
        .join("consumer-breaking.pact.json")
        .display()
        .to_string();

    d.say("the platform team registers orders-api and the production environment in the broker");
    let http = reqwest::blocking::Client::new();
    for (path, body) in [
        (
            "/pacticipants",
            json!({"name": "orders-api", "mainBranch": "main"}),
        ),
        (
            "/environments",
            json!({"name": "production", "displayName": "Production", "production": true}),
        ),
    ] {
        let res = http
            .post(format!("{}{path}", d.broker_url))
            .json(&body)
            .send()
            .with_context(|| format!("POST {path}"))?;
        println!("    POST {path} {body} → {}", res.status());
        if !res.status().is_success() {
            bail!(
                "the broker refused POST {path}: {}",
                res.text().unwrap_or_default()
            );
        }
    }

    d.say("orders-api 1.0.0 is in production (its pipeline records the deployment)");
    d.run(
        "record-results",
        &[
            "deployment",
            "--pacticipant",
            "orders-api",
            "--version",
            "1.0.0",
            "--environment",
            "production",
        ],
        &[],
        0,
    )?;

    d.say(
        "orders-api's repository sets up the broker webhook (the GitHub token stays in the broker)",
    );
    d.run(
        "setup-webhook",
        &[
            "--provider",
            "orders-api",
            "--repository",
            "acme/orders-api",
            "--github-token-secret",
            "GITHUB_TOKEN",
        ],
        &[],
        0,
    )?;

    d.say("web-app publishes its pact from main (commit c0ffee1)");
    d.run(
        "publish-pact",
        &[
            &pact,
            "--consumer-app-version",
            "c0ffee1",
            "--branch",
            "main",
        ],
        &[],
        0,
    )?;

    d.say("the broker's webhook asks orders-api's repository to verify the changed pact");
    let first = d.next_dispatch(0)?;
    let event = d.event_file("dispatch-1.json", &first)?;

    d.say("orders-api's verify-changed-pact workflow verifies it and publishes the results");
    d.provider_job(&first, &event, 0)?;

    d.say("web-app's gate asks: can c0ffee1 go to production?");
    d.run(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "web-app",
            "--version",
            "c0ffee1",
            "--to-environment",
            "production",
        ],
        &[],
        0,
    )?;

    d.say("web-app deploys c0ffee1 and records it");
    d.run(
        "record-results",
        &[
            "deployment",
            "--pacticipant",
            "web-app",
            "--version",
            "c0ffee1",
            "--environment",
            "production",
        ],
        &[],
        0,
    )?;

    d.say("web-app publishes a breaking change from a branch (commit bad5eed expects a `currency` field)");
    d.run(
        "publish-pact",
        &[
            &breaking,
            "--consumer-app-version",
            "bad5eed",
            "--branch",
            "feat/currency",
        ],
        &[],
        0,
    )?;
    let second = d.next_dispatch(1)?;
    let event = d.event_file("dispatch-2.json", &second)?;

    d.say("orders-api verifies the changed pact: it does not return `currency`");
    d.provider_job(&second, &event, 1)?;

    d.say("web-app's gate blocks bad5eed");
    let out = d.run(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "web-app",
            "--version",
            "bad5eed",
            "--to-environment",
            "production",
        ],
        &[],
        1,
    )?;
    if !out.to_lowercase().contains("fail") {
        bail!("the gate's answer should say the verification failed");
    }
    Ok(())
}
