//! Webhookless mode: `publish-pact --trigger-provider-verification` sends the provider's
//! repository the dispatch itself (to a fake GitHub API on loopback), only for pacts the broker
//! says need verifying, and never shows the token.

use pactline_e2e::{bin, client, TestBroker};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

type Received = Arc<Mutex<Vec<(String, String, Value)>>>;

/// A fake GitHub API: records each request's line, Authorization header and JSON body.
fn fake_github() -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let got: Received = Arc::default();
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let (mut length, mut auth) = (0, String::new());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("authorization:") {
                    auth = line.trim().to_string();
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
            seen.lock()
                .unwrap()
                .push((request_line.trim().to_string(), auth, body));
            let mut stream = stream;
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n");
        }
    });
    (url, got)
}

fn publish(broker: &TestBroker, github: &str, pact: &str, version: &str) -> std::process::Output {
    Command::new(bin("publish-pact"))
        .arg(pact)
        .args(["--consumer-app-version", version, "--branch", "main"])
        .args(["--trigger-provider-verification", "acme/orders-api"])
        .args(["--github-api-url", github])
        .env("GITHUB_TOKEN", "ghp_consumer_secret_token")
        .env("PACT_BROKER_BASE_URL", &broker.url)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap()
}

#[test]
fn publish_pact_dispatches_to_the_provider_only_when_the_broker_says_verification_is_needed() {
    let broker = TestBroker::start();
    let (github, received) = fake_github();
    let pact = pactline_e2e::workspace_root()
        .join("workflows-examples/example/consumer.pact.json")
        .to_str()
        .unwrap()
        .to_string();

    // No provider version is deployed or on a main branch yet: nothing needs verifying.
    let out = publish(&broker, &github, &pact, "c1");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        received.lock().unwrap().is_empty(),
        "no dispatch without a provider version to verify"
    );

    // orders-api 1.0.0 is deployed: the next content change needs verifying by it.
    let http = client();
    http.post(broker.url("/environments"))
        .json(&json!({"name": "production", "production": true}))
        .send()
        .unwrap();
    let env: Value = http
        .get(broker.url("/environments?name=production"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let uuid = env["_embedded"]["environments"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    http.put(broker.url("/pacticipants/orders-api/versions/1.0.0"))
        .json(&json!({}))
        .send()
        .unwrap();
    let res = http
        .post(broker.url(&format!(
            "/pacticipants/orders-api/versions/1.0.0/deployed-versions/environment/{uuid}"
        )))
        .json(&json!({}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 201);

    let changed = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&pact).unwrap()).unwrap();
    doc["interactions"][0]["response"]["body"]["note"] = json!("gift wrapped");
    let changed_path = changed.path().join("web-app-orders-api.json");
    std::fs::write(&changed_path, doc.to_string()).unwrap();
    let out = publish(&broker, &github, changed_path.to_str().unwrap(), "c2");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("asked acme/orders-api to verify the pact with orders-api"),
        "{text}"
    );
    assert!(
        !text.contains("ghp_consumer_secret_token"),
        "the token is never shown: {text}"
    );

    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let (line, auth, body) = &got[0];
    assert_eq!(line, "POST /repos/acme/orders-api/dispatches HTTP/1.1");
    assert!(auth.ends_with("ghp_consumer_secret_token"), "{auth}");
    assert_eq!(
        body["event_type"],
        "contract_requiring_verification_published"
    );
    assert_eq!(body["client_payload"]["consumer_version"], "c2");
    let pact_url = body["client_payload"]["pact_url"].as_str().unwrap();
    assert_eq!(
        pact_url,
        broker.url("/pacts/provider/orders-api/consumer/web-app/version/c2")
    );
    assert_eq!(client().get(pact_url).send().unwrap().status(), 200);
}

#[test]
fn a_trigger_without_a_token_is_a_usage_error_and_nothing_is_published() {
    let broker = TestBroker::start();
    let pact = pactline_e2e::workspace_root().join("workflows-examples/example/consumer.pact.json");
    let out = Command::new(bin("publish-pact"))
        .arg(&pact)
        .args([
            "--consumer-app-version",
            "c1",
            "--branch",
            "main",
            "--trigger-provider-verification",
            "acme/orders-api",
        ])
        .env("PACT_BROKER_BASE_URL", &broker.url)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs `--github-token`"), "{err}");
    let versions = client()
        .get(broker.url("/pacticipants/web-app"))
        .send()
        .unwrap();
    assert_eq!(versions.status(), 404, "nothing was published");
}

/// `record-results verification --commit-status` puts the result on the consumer's commit.
#[test]
fn record_results_sets_the_verification_as_a_commit_status_on_the_consumer_commit() {
    let broker = TestBroker::start();
    let (github, received) = fake_github();
    let pact = pactline_e2e::workspace_root().join("workflows-examples/example/consumer.pact.json");
    let out = Command::new(bin("publish-pact"))
        .arg(&pact)
        .args(["--consumer-app-version", "0123abc", "--branch", "main"])
        .env("PACT_BROKER_BASE_URL", &broker.url)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = Command::new(bin("record-results"))
        .args(["verification", "--pact-url"])
        .arg(broker.url("/pacts/provider/orders-api/consumer/web-app/version/0123abc"))
        .args([
            "--provider-app-version",
            "2.0.0",
            "--provider-branch",
            "main",
            "--exit-code",
            "1",
        ])
        .args([
            "--commit-status",
            "--consumer-repository",
            "acme/web-app",
            "--github-api-url",
            &github,
        ])
        .env("GITHUB_TOKEN", "ghp_status_token")
        .env("PACT_BROKER_BASE_URL", &broker.url)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("ghp_status_token"), "{text}");
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let (line, _, body) = &got[0];
    assert_eq!(line, "POST /repos/acme/web-app/statuses/0123abc HTTP/1.1");
    assert_eq!(body["state"], "failure");
    assert_eq!(body["context"], "pact verification: orders-api");
    assert!(
        body["target_url"]
            .as_str()
            .unwrap()
            .contains("/verification-results/"),
        "{body}"
    );
}
