//! The official CLIs against our broker, as a pipeline would run them: the consolidated Rust
//! `pact` CLI (broker client and verifier) and the Ruby `pact-broker` client.

use pactline_e2e::{fixture, pact_cli, ruby_pact_broker, TestBroker};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

fn run(program: &Path, args: &[&str], broker: &TestBroker) -> Output {
    let out = Command::new(program)
        .args(args)
        .env("PACT_BROKER_BASE_URL", &broker.url)
        .env("PACT_DO_NOT_TRACK", "true")
        .env_remove("PACT_BROKER_TOKEN")
        .env_remove("PACT_BROKER_USERNAME")
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", program.display()));
    eprintln!(
        "$ {} {}\n{}{}",
        program.file_name().unwrap().to_string_lossy(),
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A provider that honours `foo-bar.json` (GET /something → 200 "something"), or breaks it.
fn provider(honours_contract: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
            }
            let (status, body) = if line.starts_with("GET /something") && honours_contract {
                ("200 OK", "something")
            } else {
                ("404 Not Found", "nothing")
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn the_rust_cli_publishes_deploys_verifies_and_asks_can_i_deploy() {
    let broker = TestBroker::start();
    let pact = pact_cli();
    let pact_file = fixture("pact-broker/bodies/foo-bar.json");
    let pact_file = pact_file.to_str().unwrap();

    let out = run(
        &pact,
        &[
            "broker",
            "publish",
            pact_file,
            "--consumer-app-version",
            "1.0.0",
            "--branch",
            "main",
        ],
        &broker,
    );
    assert!(out.status.success(), "publish: {}", text(&out));
    assert!(
        text(&out).contains("Pact successfully published for Foo version 1.0.0 and provider Bar")
    );

    let out = run(
        &pact,
        &[
            "broker",
            "create-environment",
            "--name",
            "production",
            "--production",
        ],
        &broker,
    );
    assert!(out.status.success(), "create-environment: {}", text(&out));

    let out = run(
        &pact,
        &[
            "broker",
            "record-deployment",
            "--pacticipant",
            "Foo",
            "--version",
            "1.0.0",
            "--environment",
            "production",
        ],
        &broker,
    );
    assert!(out.status.success(), "record-deployment: {}", text(&out));

    // Nothing has verified the pact yet: not deployable.
    let out = run(
        &pact,
        &[
            "broker",
            "can-i-deploy",
            "--pacticipant",
            "Foo",
            "--version",
            "1.0.0",
            "--to-environment",
            "production",
        ],
        &broker,
    );
    assert!(
        !out.status.success(),
        "can-i-deploy before verification: {}",
        text(&out)
    );
    assert!(text(&out).contains("Computer says no"), "{}", text(&out));

    // The official verifier fetches pacts for verification with selectors, verifies a provider
    // that breaks the contract, and publishes the failure. The pact is pending for Bar's main
    // branch (never verified there), so the verifier reports the failure without failing.
    let broken = provider(false);
    let out = run(
        &pact,
        &[
            "verifier",
            "--no-colour",
            "--broker-url",
            &broker.url,
            "--provider-name",
            "Bar",
            "--hostname",
            "127.0.0.1",
            "--port",
            &broken.to_string(),
            "--consumer-version-selectors",
            r#"{"mainBranch":true}"#,
            "--consumer-version-selectors",
            r#"{"deployedOrReleased":true}"#,
            "--enable-pending",
            "--publish",
            "--provider-version",
            "1.9.0",
            "--provider-branch",
            "main",
        ],
        &broker,
    );
    assert!(
        out.status.success(),
        "a pending pact's failure does not fail the build: {}",
        text(&out)
    );
    assert!(
        text(&out).contains("This pact is in pending state for this version of Bar"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("Pending Failures"), "{}", text(&out));

    let good = provider(true);
    let out = run(
        &pact,
        &[
            "verifier",
            "--no-colour",
            "--broker-url",
            &broker.url,
            "--provider-name",
            "Bar",
            "--hostname",
            "127.0.0.1",
            "--port",
            &good.to_string(),
            "--consumer-version-selectors",
            r#"{"mainBranch":true}"#,
            "--consumer-version-selectors",
            r#"{"deployedOrReleased":true}"#,
            "--enable-pending",
            "--publish",
            "--provider-version",
            "2.0.0",
            "--provider-branch",
            "main",
        ],
        &broker,
    );
    assert!(out.status.success(), "verifier: {}", text(&out));
    assert!(
        text(&out).contains("has a matching body (OK)"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("latest version from the main branch 'main' (1.0.0)"),
        "the broker's notices reach the verifier: {}",
        text(&out)
    );

    // Bar 2.0.0 verified Foo 1.0.0, which is in production: Bar may go to production.
    let out = run(
        &pact,
        &[
            "broker",
            "can-i-deploy",
            "--pacticipant",
            "Bar",
            "--version",
            "2.0.0",
            "--to-environment",
            "production",
        ],
        &broker,
    );
    assert!(out.status.success(), "can-i-deploy Bar: {}", text(&out));
    assert!(text(&out).contains("Computer says yes"), "{}", text(&out));
    let out = run(
        &pact,
        &[
            "broker",
            "record-deployment",
            "--pacticipant",
            "Bar",
            "--version",
            "2.0.0",
            "--environment",
            "production",
        ],
        &broker,
    );
    assert!(
        out.status.success(),
        "record-deployment Bar: {}",
        text(&out)
    );

    // And now Foo 1.0.0 has a verified pact with the Bar in production.
    let out = run(
        &pact,
        &[
            "broker",
            "can-i-deploy",
            "--pacticipant",
            "Foo",
            "--version",
            "1.0.0",
            "--to-environment",
            "production",
        ],
        &broker,
    );
    assert!(
        out.status.success(),
        "can-i-deploy after verification: {}",
        text(&out)
    );
    assert!(text(&out).contains("Computer says yes"), "{}", text(&out));

    // Bar 1.9.0 failed the verification: it may not replace 2.0.0.
    let out = run(
        &pact,
        &[
            "broker",
            "can-i-deploy",
            "--pacticipant",
            "Bar",
            "--version",
            "1.9.0",
            "--to-environment",
            "production",
        ],
        &broker,
    );
    assert!(
        !out.status.success(),
        "can-i-deploy Bar 1.9.0: {}",
        text(&out)
    );
}

#[test]
fn the_ruby_client_publishes_deploys_and_asks_can_i_deploy() {
    let broker = TestBroker::start();
    let ruby = ruby_pact_broker();
    let pact_file = fixture("pact-broker/bodies/foo-bar.json");
    let pact_file = pact_file.to_str().unwrap();

    let out = run(
        &ruby,
        &[
            "publish",
            pact_file,
            "--consumer-app-version",
            "1.0.0",
            "--branch",
            "main",
        ],
        &broker,
    );
    assert!(out.status.success(), "publish: {}", text(&out));
    assert!(
        text(&out).contains("Pact successfully published for Foo version 1.0.0 and provider Bar"),
        "{}",
        text(&out)
    );

    let out = run(
        &ruby,
        &["create-environment", "--name", "production", "--production"],
        &broker,
    );
    assert!(out.status.success(), "create-environment: {}", text(&out));

    let out = run(
        &ruby,
        &[
            "record-deployment",
            "--pacticipant",
            "Foo",
            "--version",
            "1.0.0",
            "--environment",
            "production",
        ],
        &broker,
    );
    assert!(out.status.success(), "record-deployment: {}", text(&out));

    let out = run(
        &ruby,
        &[
            "can-i-deploy",
            "--pacticipant",
            "Foo",
            "--version",
            "1.0.0",
            "--to-environment",
            "production",
        ],
        &broker,
    );
    assert!(
        !out.status.success(),
        "can-i-deploy before verification: {}",
        text(&out)
    );
    assert!(text(&out).contains("Computer says no"), "{}", text(&out));

    // A successful verification recorded as a client would, through the pact's own links.
    let http = pactline_e2e::client();
    let pact: serde_json::Value = http
        .get(broker.url("/pacts/provider/Bar/consumer/Foo/version/1.0.0"))
        .send()
        .and_then(|r| r.json())
        .unwrap();
    let publish = pact["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap();
    let res = http
        .post(publish)
        .json(&serde_json::json!({"success": true, "providerApplicationVersion": "2.0.0"}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 201);
    let out = run(
        &ruby,
        &[
            "record-deployment",
            "--pacticipant",
            "Bar",
            "--version",
            "2.0.0",
            "--environment",
            "production",
        ],
        &broker,
    );
    assert!(
        out.status.success(),
        "record-deployment Bar: {}",
        text(&out)
    );

    let out = run(
        &ruby,
        &[
            "can-i-deploy",
            "--pacticipant",
            "Foo",
            "--version",
            "1.0.0",
            "--to-environment",
            "production",
        ],
        &broker,
    );
    assert!(
        out.status.success(),
        "can-i-deploy after verification: {}",
        text(&out)
    );
    assert!(text(&out).contains("Computer says yes"), "{}", text(&out));
}
