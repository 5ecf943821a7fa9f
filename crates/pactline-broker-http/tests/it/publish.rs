//! `POST /contracts/publish` against the broker's `publish_contract_*` approvals.

use crate::golden::{approval, assert_same};
use crate::TestApp;
use pactline_broker_http::BrokerConfig;

async fn check(app: &TestApp, name: &str) {
    let fixture = approval(name);
    let reply = app
        .post(
            fixture["request"]["path"].as_str().unwrap(),
            &fixture["request"]["body"],
        )
        .await;
    assert_eq!(
        reply.status.as_u16() as u64,
        fixture["response"]["status"].as_u64().unwrap(),
        "{}",
        reply.text
    );
    assert_eq!(
        reply.headers["content-type"].to_str().unwrap(),
        fixture["response"]["headers"]["content-type"]
            .as_str()
            .unwrap()
    );
    assert_same(&reply.body, &fixture["response"]["body"]);
}

#[tokio::test]
async fn publish_contract_nothing_exists() {
    check(
        &TestApp::new(),
        "publish_contract_nothing_exists.approved.json",
    )
    .await;
}

#[tokio::test]
async fn publish_contract_no_branch() {
    check(&TestApp::new(), "publish_contract_no_branch.approved.json").await;
}

#[tokio::test]
async fn publish_contract_with_validation_error() {
    check(
        &TestApp::new(),
        "publish_contract_with_validation_error.approved.json",
    )
    .await;
}

#[tokio::test]
async fn publish_contract_verification_already_exists() {
    let mut config = BrokerConfig {
        base_url: Some("http://example.org".into()),
        ..Default::default()
    };
    config.settings.allow_dangerous_contract_modification = true;
    let app = TestApp::with_config(config, |td| {
        td.publish("Foo", "1", "Bar");
        td.verify("Foo", "1", "Bar", "2", true);
    });
    check(
        &app,
        "publish_contract_verification_already_exists.approved.json",
    )
    .await;
}

#[tokio::test]
async fn changed_content_for_an_existing_version_is_a_conflict_by_default() {
    let app = TestApp::with_data(|td| {
        td.publish("Foo", "1", "Bar");
    });
    let fixture = approval("publish_contract_nothing_exists.approved.json");
    let reply = app
        .post("/contracts/publish", &fixture["request"]["body"])
        .await;
    assert_eq!(reply.status.as_u16(), 409);
    assert_eq!(
        reply.headers["content-type"],
        "application/json;charset=utf-8"
    );
    assert_eq!(reply.body["notices"][0]["type"], "error");
    assert!(reply.body["errors"]["contracts"][0]
        .as_str()
        .unwrap()
        .starts_with("Cannot change the content of the pact for Foo version 1 and provider Bar"));
}

#[tokio::test]
async fn republishing_the_same_content_is_fine() {
    let app = TestApp::new();
    let fixture = approval("publish_contract_nothing_exists.approved.json");
    assert_eq!(
        app.post("/contracts/publish", &fixture["request"]["body"])
            .await
            .status,
        200
    );
    let again = app
        .post("/contracts/publish", &fixture["request"]["body"])
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(
        again.body["notices"][1]["text"],
        "Pact successfully republished for Foo version 1 and provider Bar with no content changes."
    );
}

#[tokio::test]
async fn bad_base64_names_the_contract() {
    let app = TestApp::new();
    let mut body =
        approval("publish_contract_nothing_exists.approved.json")["request"]["body"].clone();
    body["contracts"][0]["content"] = "not base64!".into();
    let reply = app.post("/contracts/publish", &body).await;
    assert_eq!(reply.status.as_u16(), 400);
    assert_eq!(
        reply.body["errors"]["contracts"][0],
        "is not valid Base64 (at index 0)"
    );
}
