//! Webhooks through the HTTP API: creation and validation, redaction, firing rules, templates.
//! Delivery over the network is tested end to end in `tests/` with a real receiver.

use crate::golden::{approval, assert_same};
use crate::TestApp;
use pactline_broker_domain::webhooks::WebhookPolicy;
use pactline_broker_http::BrokerConfig;
use serde_json::{json, Value};

fn hook(url: &str, events: &[&str]) -> Value {
    json!({
        "description": "a webhook",
        "events": events.iter().map(|e| json!({"name": e})).collect::<Vec<_>>(),
        "request": {
            "method": "POST", "url": url,
            "headers": {"Authorization": "Bearer ${user.GITHUB_TOKEN}", "Content-Type": "application/json"},
            "username": "user", "password": "hunter2",
            "body": {"pactUrl": "${pactbroker.pactUrl}", "event": "${pactbroker.eventName}",
                     "consumer": "${pactbroker.consumerName}", "cv": "${pactbroker.consumerVersionNumber}",
                     "pv": "${pactbroker.providerVersionNumber}", "desc": "${pactbroker.providerVersionDescriptions}",
                     "status": "${pactbroker.githubVerificationStatus}"}
        }
    })
}

#[tokio::test]
async fn created_webhooks_never_show_passwords_or_authorization_values() {
    let app = TestApp::new();
    let created = app
        .post(
            "/webhooks",
            &hook("https://example.org/hook", &["contract_published"]),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["request"]["password"], "**********");
    assert_eq!(
        created.body["request"]["headers"]["authorization"],
        "**********"
    );
    assert_eq!(
        created.body["request"]["headers"]["content-type"],
        "application/json"
    );
    let uuid = created.body["uuid"].as_str().unwrap();
    for path in ["/webhooks".to_string(), format!("/webhooks/{uuid}")] {
        let got = app.get(&path).await;
        assert!(!got.text.contains("hunter2"), "{path}: {}", got.text);
        assert!(!got.text.contains("Bearer"), "{path}: {}", got.text);
    }
}

#[tokio::test]
async fn the_post_approval_shape() {
    let fixture = approval("docs_webhooks_webhooks_post.approved.json");
    let app = TestApp::new();
    let created = app.post("/webhooks", &fixture["request"]["body"]).await;
    assert_eq!(created.status, 201);
    let mut expected = fixture["response"]["body"].clone();
    let mut actual = created.body.clone();
    for v in [&mut expected, &mut actual] {
        v["uuid"] = "<uuid>".into();
        for (_, link) in v["_links"].as_object_mut().unwrap().iter_mut() {
            let href = link["href"].as_str().unwrap().to_string();
            let tail = href
                .rsplit_once("/webhooks")
                .map(|(_, t)| t.to_string())
                .unwrap_or_default();
            let tail = tail
                .split('/')
                .map(|s| if s.len() > 15 { "<uuid>" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            link["href"] = format!("<base>/webhooks{tail}").into();
        }
    }
    assert_same(&actual, &expected);
}

#[tokio::test]
async fn validation_follows_the_broker_and_the_host_policy() {
    let app = TestApp::with_data(|td| {
        td.pacticipant("Condor");
    });
    let mut no_url = hook("https://example.org", &[]);
    no_url["request"].as_object_mut().unwrap().remove("url");
    let r = app
        .post("/webhooks/provider/Condor/consumer/Condor", &no_url)
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["errors"]["request.url"][0], "is missing");
    let r = app
        .post(
            "/webhooks",
            &hook("http://example.org", &["contract_published"]),
        )
        .await;
    assert!(r.body["errors"]["request.url"][0]
        .as_str()
        .unwrap()
        .starts_with("scheme must be https"));
    let r = app
        .post(
            "/webhooks",
            &hook("https://127.0.0.1:9000/x", &["contract_published"]),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body["errors"]["request.url"][0]
            .as_str()
            .unwrap()
            .contains("loopback"),
        "{}",
        r.text
    );
    let mut missing = hook("https://example.org", &["contract_published"]);
    missing["consumer"] = json!({"name": "Nobody"});
    let r = app.post("/webhooks", &missing).await;
    assert_eq!(r.status, 400);
    assert!(r.body["errors"]["consumer.name"].is_array());
    let r = app
        .post(
            "/webhooks/provider/Nobody/consumer/Condor",
            &hook("https://example.org", &[]),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.headers["content-type"],
        "application/hal+json;charset=utf-8"
    );
    let r = app
        .request(
            "PUT",
            "/webhooks/short",
            Some(&hook("https://example.org", &[])),
        )
        .await;
    assert_eq!(r.status, 400);
    let put = app
        .request(
            "PUT",
            "/webhooks/696c5f93-1b7f-44bc-8d03-59440fcaa9a0",
            Some(&hook("https://example.org", &["contract_published"])),
        )
        .await;
    assert_eq!(put.status, 201);
    let again = app
        .request(
            "PUT",
            "/webhooks/696c5f93-1b7f-44bc-8d03-59440fcaa9a0",
            Some(&hook("https://example.org", &["contract_published"])),
        )
        .await;
    assert_eq!(again.status, 200);
}

fn local_policy() -> BrokerConfig {
    BrokerConfig {
        base_url: Some("http://example.org".into()),
        webhook_policy: WebhookPolicy {
            scheme_whitelist: vec!["http".into(), "https".into()],
            host_whitelist: vec!["127.0.0.1".into()],
            ..Default::default()
        },
        ..Default::default()
    }
}

async fn triggered(app: &TestApp) -> Vec<(String, Value)> {
    let status = app
        .get("/pacts/provider/Bar/consumer/Foo/webhooks/status")
        .await;
    status.body["_embedded"]["triggeredWebhooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["eventName"].as_str().unwrap().to_string(), t.clone()))
        .collect()
}

fn events(list: &[(String, Value)]) -> Vec<&str> {
    list.iter().map(|(e, _)| e.as_str()).collect()
}

#[tokio::test]
async fn events_fire_when_and_only_when_the_broker_says() {
    let app = TestApp::with_config(local_policy(), |td| {
        td.pacticipant("Foo");
        td.pacticipant("Bar");
    });
    let all = [
        "contract_published",
        "contract_content_changed",
        "contract_requiring_verification_published",
        "provider_verification_published",
        "provider_verification_succeeded",
        "provider_verification_failed",
    ];
    let created = app
        .post(
            "/webhooks/provider/Bar/consumer/Foo",
            &hook("http://127.0.0.1:9/hook", &all),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let hook_uuid = created.body["uuid"].as_str().unwrap().to_string();

    let pact = json!({"consumer": {"name": "Foo"}, "provider": {"name": "Bar"},
                      "interactions": [{"description": "a", "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}]});
    let body = |v: &str| {
        use base64::Engine;
        json!({"pacticipantName": "Foo", "pacticipantVersionNumber": v, "branch": "main",
               "contracts": [{"consumerName": "Foo", "providerName": "Bar", "specification": "pact", "contentType": "application/json",
                              "content": base64::engine::general_purpose::STANDARD.encode(pact.to_string())}]})
    };
    // First publication: published and changed; no provider version needs to verify yet.
    let published = app.post("/contracts/publish", &body("1")).await;
    assert_eq!(published.status, 200, "{}", published.text);
    assert!(
        published
            .text
            .contains("triggered for event contract_content_changed"),
        "{}",
        published.text
    );
    assert_eq!(
        events(&triggered(&app).await),
        ["contract_published", "contract_content_changed"]
    );

    // Same content from a new version: published only (untagged, unchanged).
    app.post("/contracts/publish", &body("2")).await;
    assert_eq!(events(&triggered(&app).await).len(), 3);
    assert_eq!(events(&triggered(&app).await)[2], "contract_published");

    // A verification: published + succeeded.
    let pact_doc = app.get("/pacts/provider/Bar/consumer/Foo/version/2").await;
    let results = pact_doc.body["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .replace("http://example.org", "");
    app.request(
        "PUT",
        "/pacticipants/Bar/branches/main/versions/10",
        Some(&json!({})),
    )
    .await;
    let v = app
        .post(
            &results,
            &json!({"success": true, "providerApplicationVersion": "10"}),
        )
        .await;
    assert_eq!(v.status, 201);
    let list = triggered(&app).await;
    assert_eq!(
        &events(&list)[3..],
        [
            "provider_verification_published",
            "provider_verification_succeeded"
        ]
    );
    let rendered = &list[4].1;
    assert_eq!(rendered["status"], "not_run");

    // Bar's main branch head (10) verified this content; new content needs verifying by it.
    let changed = json!({"consumer": {"name": "Foo"}, "provider": {"name": "Bar"},
                         "interactions": [{"description": "b", "request": {"method": "GET", "path": "/b"}, "response": {"status": 200}}]});
    use base64::Engine;
    let mut b = body("3");
    b["contracts"][0]["content"] = base64::engine::general_purpose::STANDARD
        .encode(changed.to_string())
        .into();
    let r = app.post("/contracts/publish", &b).await;
    assert!(
        r.text.contains("contract_requiring_verification_published"),
        "{}",
        r.text
    );
    let list = triggered(&app).await;
    assert_eq!(
        &events(&list)[5..],
        [
            "contract_published",
            "contract_content_changed",
            "contract_requiring_verification_published"
        ]
    );
    // A failed verification: published + failed.
    let pact_doc = app.get("/pacts/provider/Bar/consumer/Foo/version/3").await;
    let results = pact_doc.body["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .replace("http://example.org", "");
    app.post(
        &results,
        &json!({"success": false, "providerApplicationVersion": "11"}),
    )
    .await;
    let list = triggered(&app).await;
    assert_eq!(
        &events(&list)[8..],
        [
            "provider_verification_published",
            "provider_verification_failed"
        ]
    );
    // A disabled webhook does not fire.
    let mut disabled = hook("http://127.0.0.1:9/hook", &all);
    disabled["enabled"] = json!(false);
    let put = app
        .request("PUT", &format!("/webhooks/{hook_uuid}"), Some(&disabled))
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    app.post("/contracts/publish", &body("4")).await;
    assert_eq!(triggered(&app).await.len(), 10);
}
