//! Benchmark (not a timed test): process time of `publish-pact` and `can-i-deploy-gate` beside the
//! official `pact broker publish` / `pact broker can-i-deploy` doing the same work on the same
//! `pactline-broker` in the same run. Release builds; results as a Markdown table on stdout.
//!
//! `cargo bench -p pactline-e2e --bench actions` (`PACTLINE_BENCH_RUNS=N`, default 20).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pactline_e2e::{client, pact_cli, workspace_root};
use serde_json::json;

/// Children's user + system CPU time so far (`/proc/self/stat` fields `cutime` and `cstime`).
fn children_cpu(tick: f64) -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state); cutime is field 16, cstime 17.
    let ticks = |i: usize| {
        fields
            .get(i - 3)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Duration::from_secs_f64((ticks(16) + ticks(17)) / tick)
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

struct Stats {
    wall: Vec<Duration>,
    cpu: Duration,
}

impl Stats {
    fn row(&self, name: &str) -> String {
        let mut w = self.wall.clone();
        w.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mean = w.iter().map(|d| ms(*d)).sum::<f64>() / w.len() as f64;
        format!(
            "| {name} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
            w.len(),
            ms(w[0]),
            ms(w[w.len() / 2]),
            mean,
            ms(w[(w.len() * 9 / 10).min(w.len() - 1)]),
            ms(self.cpu) / w.len() as f64
        )
    }
}

/// Runs each command, timing it; every run must exit with `want`.
fn measure(tick: f64, want: i32, mut make: impl FnMut(usize) -> Command, runs: usize) -> Stats {
    let mut wall = Vec::new();
    let cpu_before = children_cpu(tick);
    for i in 0..runs {
        let mut cmd = make(i);
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        let started = Instant::now();
        let out = cmd.output().expect("running the client");
        wall.push(started.elapsed());
        assert_eq!(
            out.status.code(),
            Some(want),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Stats {
        wall,
        cpu: children_cpu(tick).saturating_sub(cpu_before),
    }
}

struct Broker(Child);

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

fn start_broker(release: &Path, db: &Path) -> (Broker, String) {
    let mut child = Command::new(release.join("pactline-broker"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database"])
        .arg(db)
        .env("PACTLINE_BROKER_LOG_LEVEL", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting pactline-broker");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("URL line")
        .to_string();
    (Broker(child), url)
}

fn main() {
    let runs: usize = std::env::var("PACTLINE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "pactline-broker",
            "-p",
            "publish-pact",
            "-p",
            "can-i-deploy-gate",
            "-p",
            "record-results",
            "--bins",
        ])
        .status()
        .expect("cargo build --release");
    assert!(status.success());
    let release: PathBuf = root.join("target/release");
    let pact = pact_cli();
    let tick = clock_ticks();

    let dir = tempfile::tempdir().unwrap();
    let (_broker, url) = start_broker(&release, &dir.path().join("broker.db"));
    let pacts = dir.path().join("pacts");
    std::fs::create_dir_all(&pacts).unwrap();
    let interactions: Vec<_> = (0..10)
        .map(|i| {
            json!({"description": format!("request {i}"), "providerState": "data exists",
                        "request": {"method": "GET", "path": format!("/items/{i}")},
                        "response": {"status": 200, "body": {"id": i, "name": "item"}}})
        })
        .collect();
    let doc = json!({"consumer": {"name": "Web"}, "provider": {"name": "API"}, "interactions": interactions,
                     "metadata": {"pactSpecification": {"version": "2.0.0"}}});
    std::fs::write(pacts.join("web-api.json"), doc.to_string()).unwrap();

    let env = |cmd: &mut Command| {
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PACT_BROKER_BASE_URL", &url)
            .current_dir(dir.path());
    };

    // publish: one pact, a new consumer version on main each run.
    let ours_publish = measure(
        tick,
        0,
        |i| {
            let mut c = Command::new(release.join("publish-pact"));
            env(&mut c);
            c.args([
                "pacts",
                "--consumer-app-version",
                &format!("ours-{i}"),
                "--branch",
                "main",
            ]);
            c
        },
        runs,
    );
    let theirs_publish = measure(
        tick,
        0,
        |i| {
            let mut c = Command::new(&pact);
            env(&mut c);
            c.args([
                "broker",
                "publish",
                "pacts",
                "--consumer-app-version",
                &format!("theirs-{i}"),
                "--branch",
                "main",
                "--broker-base-url",
                &url,
            ]);
            c
        },
        runs,
    );

    // can-i-deploy: the provider verified and deployed to production; both ask about one version.
    let http = client();
    http.post(format!("{url}/environments"))
        .json(&json!({"name": "production", "production": true}))
        .send()
        .unwrap();
    let record = |args: &[&str]| {
        let mut c = Command::new(release.join("record-results"));
        env(&mut c);
        let out = c.args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let pact_url = format!("{url}/pacts/provider/API/consumer/Web/version/ours-0");
    record(&[
        "verification",
        "--pact-url",
        &pact_url,
        "--provider-app-version",
        "p1",
        "--success",
    ]);
    record(&[
        "deployment",
        "--pacticipant",
        "API",
        "--version",
        "p1",
        "--environment",
        "production",
    ]);
    let ours_gate = measure(
        tick,
        0,
        |_| {
            let mut c = Command::new(release.join("can-i-deploy-gate"));
            env(&mut c);
            c.args([
                "--pacticipant",
                "Web",
                "--version",
                "ours-0",
                "--to-environment",
                "production",
            ]);
            c
        },
        runs,
    );
    let theirs_gate = measure(
        tick,
        0,
        |_| {
            let mut c = Command::new(&pact);
            env(&mut c);
            c.args([
                "broker",
                "can-i-deploy",
                "--pacticipant",
                "Web",
                "--version",
                "ours-0",
                "--to-environment",
                "production",
                "--broker-base-url",
                &url,
            ]);
            c
        },
        runs,
    );

    let version = Command::new(&pact)
        .args(["broker", "--version"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!(
        "official client: `pact broker` {version}; {runs} runs each; pact with 10 interactions\n"
    );
    println!("| command | runs | min | p50 | mean | p90 | CPU (user+sys) per run |");
    println!("|---|---|---|---|---|---|---|");
    println!("{}", ours_publish.row("`publish-pact`"));
    println!("{}", theirs_publish.row("`pact broker publish`"));
    println!("{}", ours_gate.row("`can-i-deploy-gate`"));
    println!("{}", theirs_gate.row("`pact broker can-i-deploy`"));
}
