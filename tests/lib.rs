//! Harness for the black-box suite: builds the real binaries once, starts a real
//! `pactline-broker` on a free port with a temporary SQLite file, and talks to it over HTTP.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared/fixtures/...` beside the checkout.
pub fn fixture(rel: &str) -> PathBuf {
    workspace_root().join("../shared/fixtures").join(rel)
}

/// Builds the workspace binaries once per test process and returns the directory holding them.
pub fn bin_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        // Cargo sets these for this test process only (they differ per test binary and are unset
        // in a shell); ring's build script reruns when one changes, and every TLS crate with it.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if [
                "CARGO_PKG_",
                "CARGO_MANIFEST_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
            ]
            .iter()
            .any(|p| name.starts_with(p))
                || [
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_TARGET_TMPDIR",
                    "CARGO_RUSTC_CURRENT_DIR",
                ]
                .contains(&name.as_ref())
            {
                build.env_remove(name.as_ref());
            }
        }
        let status = build
            .current_dir(workspace_root())
            .args([
                "build",
                "--quiet",
                "-p",
                "pactline-broker",
                "-p",
                "publish-pact",
                "-p",
                "can-i-deploy-gate",
                "-p",
                "record-results",
                "-p",
                "verify-on-change",
                "-p",
                "setup-webhook",
                "-p",
                "pactline-demo",
                "--features",
                "pactline-broker/provider-states",
                "--bins",
            ])
            .status()
            .expect("running cargo build for the binaries under test");
        assert!(
            status.success(),
            "cargo build of the binaries under test failed"
        );
        // The test executable is target/<profile>/deps/<name>; binaries sit in target/<profile>.
        let exe = std::env::current_exe().expect("test executable path");
        exe.parent()
            .and_then(Path::parent)
            .expect("target/<profile>")
            .to_path_buf()
    })
}

pub fn bin(name: &str) -> PathBuf {
    bin_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// A running `pactline-broker`; stopped (SIGTERM, then kill) when dropped.
pub struct TestBroker {
    child: Option<Child>,
    pub url: String,
    pub database: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

#[derive(Default, Clone)]
pub struct BrokerOptions {
    pub database: Option<PathBuf>,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl TestBroker {
    pub fn start() -> TestBroker {
        Self::start_with(BrokerOptions::default())
    }

    pub fn start_with(opts: BrokerOptions) -> TestBroker {
        let (dir, database) = match opts.database.clone() {
            Some(db) => (None, db),
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let db = dir.path().join("broker.db");
                (Some(dir), db)
            }
        };
        let mut cmd = Command::new(bin("pactline-broker"));
        cmd.args(["serve", "--bind", "127.0.0.1:0", "--database"])
            .arg(&database)
            .args(&opts.args)
            .env("PACTLINE_BROKER_LOG_LEVEL", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("starting pactline-broker");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reading the broker's first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the broker's first line: {line:?}"))
            .to_string();
        TestBroker {
            child: Some(child),
            url,
            database,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// Stops the broker with SIGTERM and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Keeps the database directory alive beyond this broker (for restarts).
    pub fn into_database(mut self) -> (PathBuf, Option<tempfile::TempDir>) {
        self.stop();
        (self.database.clone(), self._dir.take())
    }
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A blocking HTTP client for tests.
pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

/// The `/contracts/publish` body for a pact file.
pub fn publish_body(
    pact: &serde_json::Value,
    version: &str,
    branch: Option<&str>,
    tags: &[&str],
) -> serde_json::Value {
    use base64::Engine;
    let content = base64::engine::general_purpose::STANDARD.encode(pact.to_string());
    serde_json::json!({
        "pacticipantName": pact["consumer"]["name"],
        "pacticipantVersionNumber": version,
        "branch": branch,
        "tags": tags,
        "contracts": [{
            "consumerName": pact["consumer"]["name"],
            "providerName": pact["provider"]["name"],
            "specification": "pact",
            "contentType": "application/json",
            "content": content
        }]
    })
}

/// `target/tools`, where `scripts/install-pact-clients.sh` puts the official Pact CLIs.
pub fn tools_dir() -> PathBuf {
    workspace_root().join("target/tools")
}

/// Installs the official Pact CLIs once (idempotent, see `scripts/install-pact-clients.sh`).
pub fn install_pact_clients() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let status = Command::new("bash")
            .arg(workspace_root().join("scripts/install-pact-clients.sh"))
            .stdout(Stdio::null())
            .status()
            .expect("running scripts/install-pact-clients.sh");
        assert!(status.success(), "installing the official Pact CLIs failed");
    });
}

/// The consolidated Rust `pact` CLI (`pact broker …`, `pact verifier …`).
pub fn pact_cli() -> PathBuf {
    install_pact_clients();
    tools_dir().join("pact-cli/bin/pact")
}

/// The Ruby `pact-broker` CLI (pact_broker-client 1.78).
pub fn ruby_pact_broker() -> PathBuf {
    install_pact_clients();
    tools_dir().join("pact-ruby/lib/python3.11/site-packages/pact_cli/bin/pact-broker")
}
