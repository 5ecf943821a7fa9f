//! The binary's own behaviour: start, URL line, auth, clean shutdown, bad flags.

use pactline_e2e::{bin, client, BrokerOptions, TestBroker};
use std::process::Command;

#[test]
fn serves_the_index_with_absolute_links_from_the_request() {
    let broker = TestBroker::start();
    let res = client().get(broker.url("/")).send().expect("GET /");
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/hal+json;charset=utf-8"
    );
    assert!(res
        .headers()
        .keys()
        .all(|k| !k.as_str().contains("pactflow")));
    let body: serde_json::Value = res.json().unwrap();
    let href = body["_links"]["pb:publish-contracts"]["href"]
        .as_str()
        .unwrap();
    assert_eq!(href, broker.url("/contracts/publish"));
}

#[test]
fn base_url_flag_sets_the_links() {
    let broker = TestBroker::start_with(BrokerOptions {
        args: vec!["--base-url".into(), "https://broker.example.com/".into()],
        ..Default::default()
    });
    let body: serde_json::Value = client()
        .get(broker.url("/"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        body["_links"]["pb:environments"]["href"],
        "https://broker.example.com/environments"
    );
}

#[test]
fn credentials_guard_reads_and_writes_as_the_real_brokers_do() {
    let broker = TestBroker::start_with(BrokerOptions {
        env: vec![
            ("PACTLINE_BROKER_USERNAME".into(), "writer".into()),
            ("PACTLINE_BROKER_PASSWORD".into(), "w-secret".into()),
            ("PACTLINE_BROKER_READ_ONLY_USERNAME".into(), "reader".into()),
            (
                "PACTLINE_BROKER_READ_ONLY_PASSWORD".into(),
                "r-secret".into(),
            ),
            ("PACTLINE_BROKER_TOKEN".into(), "rw-token".into()),
            ("PACTLINE_BROKER_READ_ONLY_TOKEN".into(), "ro-token".into()),
        ],
        ..Default::default()
    });
    let http = client();
    let anonymous = http.get(broker.url("/")).send().unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    assert_eq!(
        http.get(broker.url("/"))
            .basic_auth("reader", Some("r-secret"))
            .send()
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        http.get(broker.url("/"))
            .bearer_auth("ro-token")
            .send()
            .unwrap()
            .status(),
        200
    );
    let env = serde_json::json!({"name": "test", "production": false});
    let as_reader = http
        .post(broker.url("/environments"))
        .basic_auth("reader", Some("r-secret"))
        .json(&env)
        .send()
        .unwrap();
    assert_eq!(as_reader.status(), 401);
    let as_ro_token = http
        .post(broker.url("/environments"))
        .bearer_auth("ro-token")
        .json(&env)
        .send()
        .unwrap();
    assert_eq!(as_ro_token.status(), 403);
    let as_writer = http
        .post(broker.url("/environments"))
        .basic_auth("writer", Some("w-secret"))
        .json(&env)
        .send()
        .unwrap();
    assert_eq!(as_writer.status(), 201);
    // Reading pacts for verification is a read, even though it is a POST.
    let fv = http
        .post(broker.url("/pacts/provider/Nobody/for-verification"))
        .bearer_auth("ro-token")
        .json(&serde_json::json!({}))
        .send()
        .unwrap();
    assert_eq!(
        fv.status(),
        404,
        "read access reaches the resource (unknown provider)"
    );
}

#[test]
fn provider_states_are_refused_off_loopback() {
    let out = Command::new(bin("pactline-broker"))
        .args([
            "serve",
            "--bind",
            "0.0.0.0:0",
            "--database",
            ":memory:",
            "--enable-provider-states",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refused on the non-loopback address"), "{err}");
}

#[test]
fn a_second_broker_on_the_same_file_fails_clearly() {
    let first = TestBroker::start();
    let out = Command::new(bin("pactline-broker"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database"])
        .arg(&first.database)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in use by another process"), "{err}");
}
