//! Webhook delivery end to end: a real broker, a real receiver on loopback, real retries and a
//! restart; secrets never shown.

use pactline_e2e::{client, publish_body, BrokerOptions, TestBroker};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A receiver that answers the first `failures` requests with 500, then 200, and keeps what it got.
struct Receiver {
    port: u16,
    received: Arc<Mutex<Vec<(String, String)>>>,
}

fn receiver(failures: usize) -> Receiver {
    receiver_on(TcpListener::bind("127.0.0.1:0").unwrap(), failures)
}

fn receiver_on(listener: TcpListener, failures: usize) -> Receiver {
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let seen = received.clone();
    std::thread::spawn(move || {
        let mut count = 0;
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push((head, String::from_utf8_lossy(&body).into_owned()));
            count += 1;
            let status = if count <= failures {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    Receiver { port, received }
}

fn local_broker(database: Option<std::path::PathBuf>) -> TestBroker {
    TestBroker::start_with(BrokerOptions {
        database,
        args: vec![
            "--webhook-scheme-whitelist".into(),
            "http".into(),
            "--webhook-host-whitelist".into(),
            "127.0.0.1".into(),
            "--webhook-retry-schedule".into(),
            "1,1,1,1".into(),
        ],
        env: vec![(
            "PACTLINE_BROKER_SECRET_GITHUB_TOKEN".into(),
            "ghp_s3cr3t_value".into(),
        )],
    })
}

/// Creates the provider's webhook; the pacticipants it names must exist, so a first pact is
/// published before it.
fn create_hook(broker: &TestBroker, port: u16) -> String {
    publish(broker, "0");
    let res = client()
        .post(broker.url("/webhooks"))
        .json(&json!({
            "description": "trigger provider build",
            "provider": {"name": "Bar"},
            "events": [{"name": "contract_content_changed"}],
            "request": {
                "method": "POST",
                "url": format!("http://127.0.0.1:{port}/repos/acme/bar/dispatches"),
                "headers": {"Authorization": "Bearer ${user.GITHUB_TOKEN}", "Content-Type": "application/json"},
                "body": {"event_type": "contract_requiring_verification_published",
                         "client_payload": {"pact_url": "${pactbroker.pactUrl}", "consumer": "${pactbroker.consumerName}",
                                            "sha": "${pactbroker.consumerVersionNumber}", "branch": "${pactbroker.consumerVersionBranch}"}}
            }
        }))
        .send()
        .unwrap();
    let status = res.status();
    let text = res.text().unwrap_or_default();
    assert_eq!(status, 201, "{text}");
    serde_json::from_str::<Value>(&text).unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_string()
}

fn publish(broker: &TestBroker, version: &str) {
    let pact = json!({"consumer": {"name": "Foo"}, "provider": {"name": "Bar"},
                      "interactions": [{"description": format!("v{version}"), "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}]});
    let res = client()
        .post(broker.url("/contracts/publish"))
        .json(&publish_body(&pact, version, Some("main"), &[]))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().unwrap_or_default());
}

fn wait_for(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

fn status(broker: &TestBroker) -> Value {
    client()
        .get(broker.url("/pacts/provider/Bar/consumer/Foo/webhooks/status"))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

#[test]
fn a_receiver_that_fails_twice_still_gets_the_delivery_rendered_with_secrets() {
    let receiver = receiver(2);
    let broker = local_broker(None);
    create_hook(&broker, receiver.port);
    publish(&broker, "abc123");
    wait_for("three attempts", Duration::from_secs(20), || {
        receiver.received.lock().unwrap().len() >= 3
    });
    wait_for("success recorded", Duration::from_secs(10), || {
        status(&broker)["summary"]["successful"] == 1
    });
    let got = receiver.received.lock().unwrap().clone();
    let (head, body) = &got[2];
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer ghp_s3cr3t_value"),
        "{head}"
    );
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["client_payload"]["consumer"], "Foo");
    assert_eq!(body["client_payload"]["sha"], "abc123");
    assert_eq!(body["client_payload"]["branch"], "main");
    let pact_url = body["client_payload"]["pact_url"].as_str().unwrap();
    assert!(
        pact_url.starts_with(&broker.url("/pacts/provider/Bar/consumer/Foo/pact-version/")),
        "{pact_url}"
    );
    // The rendered pact URL fetches the pact.
    assert_eq!(client().get(pact_url).send().unwrap().status(), 200);

    let s = status(&broker);
    let t = &s["_embedded"]["triggeredWebhooks"][0];
    assert_eq!(t["attemptsMade"], 3);
    assert_eq!(t["status"], "success");

    // Nothing the API shows contains the secret or the Authorization value.
    let logs_url = t["_links"]["pb:logs"]["href"].as_str().unwrap();
    let mut shown = vec![client().get(logs_url).send().unwrap().text().unwrap()];
    for path in [
        "/webhooks",
        "/secrets",
        "/pacts/provider/Bar/consumer/Foo/webhooks/status",
    ] {
        shown.push(
            client()
                .get(broker.url(path))
                .send()
                .unwrap()
                .text()
                .unwrap(),
        );
    }
    for text in &shown {
        assert!(!text.contains("ghp_s3cr3t_value"), "secret shown: {text}");
    }
    assert!(
        shown[0].contains("authorization: **********")
            || shown[0].contains("Authorization: **********"),
        "{}",
        shown[0]
    );
    assert!(
        shown[2].contains("GITHUB_TOKEN"),
        "the secret's name is listed: {}",
        shown[2]
    );
}

#[test]
fn a_restart_mid_retry_still_delivers() {
    // Reserve a port, then close it so the first attempts fail to connect.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let broker = local_broker(None);
    create_hook(&broker, port);
    publish(&broker, "1");
    wait_for("a failed attempt", Duration::from_secs(20), || {
        status(&broker)["_embedded"]["triggeredWebhooks"][0]["attemptsMade"]
            .as_u64()
            .unwrap_or(0)
            >= 1
    });
    let s = status(&broker);
    assert_eq!(
        s["_embedded"]["triggeredWebhooks"][0]["status"], "retrying",
        "{s}"
    );
    let (database, dir) = broker.into_database();

    let receiver = receiver_on(TcpListener::bind(("127.0.0.1", port)).unwrap(), 0);
    let restarted = local_broker(Some(database));
    wait_for(
        "the delivery after the restart",
        Duration::from_secs(20),
        || !receiver.received.lock().unwrap().is_empty(),
    );
    wait_for("success recorded", Duration::from_secs(10), || {
        status(&restarted)["summary"]["successful"] == 1
    });
    drop(restarted);
    drop(dir);
}

#[test]
fn a_host_outside_the_whitelist_is_refused_clearly() {
    let broker = local_broker(None);
    let res = client()
        .post(broker.url("/webhooks"))
        .json(&json!({"request": {"method": "POST", "url": "http://10.1.2.3/hook"}}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().unwrap();
    assert_eq!(
        body["errors"]["request.url"][0],
        "host must be in the whitelist \"127.0.0.1\". See /doc/webhooks#whitelist for more information."
    );
}
