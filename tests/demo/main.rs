//! The README's first command, as a test: `pactline-demo` runs the whole loop on the embedded
//! broker with the real binaries (stand-ins only for GitHub and the provider service) and must
//! end with the compatible change deployed and the breaking one blocked.

use pactline_e2e::bin;
use std::process::Command;

#[test]
fn the_demo_runs_the_whole_loop_and_blocks_the_breaking_change() {
    let out = Command::new(bin("pactline-demo"))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CARGO")
        .output()
        .expect("running pactline-demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the demo failed:\n{stdout}\n{stderr}");
    for expected in [
        "GitHub received repository_dispatch for acme/orders-api",
        "Computer says yes",
        "Recorded deployment of web-app version c0ffee1 to production",
        "Actual map is missing the following keys: currency",
        "Computer says no",
        "The loop ran: the compatible change was verified and deployed, the breaking one was blocked.",
    ] {
        assert!(stdout.contains(expected), "missing `{expected}` in:\n{stdout}");
    }
    // The GitHub token the broker holds never shows.
    assert!(!stdout.contains("demo-token-kept-by-the-broker"));
}

/// The breaking-change half on its own, as a workflow runs it on GitHub: the provider's tests
/// fail the changed pact, and the consumer's gate exits 1 with the reason in its outputs and
/// job summary.
#[test]
fn a_breaking_change_is_blocked_and_the_summary_says_why() {
    use pactline_e2e::{client, TestBroker};
    use serde_json::json;

    let broker = TestBroker::start();
    let dir = tempfile::tempdir().unwrap();
    let http = client();
    for (path, body) in [
        (
            "/pacticipants",
            json!({"name": "orders-api", "mainBranch": "main"}),
        ),
        (
            "/environments",
            json!({"name": "production", "production": true}),
        ),
    ] {
        assert!(http
            .post(broker.url(path))
            .json(&body)
            .send()
            .unwrap()
            .status()
            .is_success());
    }
    let run = |bin_name: &str, args: &[&str], github: bool| {
        let mut cmd = Command::new(bin(bin_name));
        cmd.args(args)
            .env("PACT_BROKER_BASE_URL", &broker.url)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_EVENT_PATH")
            .env_remove("GITHUB_EVENT_NAME");
        if github {
            cmd.env("GITHUB_ACTIONS", "true")
                .env("GITHUB_OUTPUT", dir.path().join("output"))
                .env("GITHUB_STEP_SUMMARY", dir.path().join("summary"));
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let example = pactline_e2e::workspace_root().join("workflows-examples/example");
    let (code, text) = run(
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
        false,
    );
    assert_eq!(code, Some(0), "{text}");
    let breaking = example.join("consumer-breaking.pact.json");
    let (code, text) = run(
        "publish-pact",
        &[
            breaking.to_str().unwrap(),
            "--consumer-app-version",
            "bad5eed",
            "--branch",
            "feat/currency",
        ],
        false,
    );
    assert_eq!(code, Some(0), "{text}");
    // The provider's own Pact tests fail on the new field (command mode records the result).
    let pact_url = broker.url("/pacts/provider/orders-api/consumer/web-app/version/bad5eed");
    let (code, text) = run(
        "verify-on-change",
        &[
            "--provider",
            "orders-api",
            "--pact-url",
            &pact_url,
            "--provider-app-version",
            "1.0.0",
            "--provider-branch",
            "main",
            "--",
            "sh",
            "-c",
            "echo 'missing field currency' >&2; exit 1",
        ],
        false,
    );
    assert_eq!(code, Some(1), "{text}");

    let (code, text) = run(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "web-app",
            "--version",
            "bad5eed",
            "--to-environment",
            "production",
        ],
        true,
    );
    assert_eq!(code, Some(1), "the gate blocks the breaking change: {text}");
    let outputs = std::fs::read_to_string(dir.path().join("output")).unwrap();
    assert!(
        outputs.contains("deployable<<") && outputs.contains("\nfalse\n"),
        "{outputs}"
    );
    let summary = std::fs::read_to_string(dir.path().join("summary")).unwrap();
    let why = "The verification for the pact between version bad5eed of web-app and the version of orders-api currently in production (1.0.0) failed";
    assert!(summary.contains(why), "the summary says why:\n{summary}");
}
