//! The verification loop through the HTTP API, as a verifier and a gate drive it, and the
//! can-i-deploy approvals through the real query parsing.

use crate::golden::approval;
use crate::TestApp;
use serde_json::{json, Value};

fn path(href: &str) -> String {
    href.trim_start_matches("http://example.org").to_string()
}

#[tokio::test]
async fn a_provider_fetches_verifies_and_publishes_then_can_i_deploy_says_yes() {
    let app = TestApp::with_data(|td| {
        td.branch("Foo", "1", "main");
        td.publish("Foo", "1", "Bar");
        td.environment("production", true);
        td.deploy("Foo", "1", "production");
    });

    // HAL navigation as the Rust verifier does it: index → GET for-verification → POST to self.
    let index = app.get("/").await;
    let template = index.body["_links"]["pb:provider-pacts-for-verification"]["href"]
        .as_str()
        .unwrap();
    let fv = app.get(&path(&template.replace("{provider}", "Bar"))).await;
    assert_eq!(fv.status, 200, "{}", fv.text);
    let self_href = path(fv.body["_links"]["self"]["href"].as_str().unwrap());
    let selectors = json!({
        "consumerVersionSelectors": [{"mainBranch": true}, {"deployedOrReleased": true}],
        "providerVersionBranch": "main",
        "includePendingStatus": true
    });
    let pacts = app.post(&self_href, &selectors).await;
    assert_eq!(pacts.status, 200, "{}", pacts.text);
    let list = pacts.body["_embedded"]["pacts"].as_array().unwrap();
    assert_eq!(list.len(), 1, "one pact content, two selectors merged");
    assert_eq!(
        list[0]["shortDescription"],
        "deployed to production, latest from main branch"
    );
    assert_eq!(list[0]["verificationProperties"]["pending"], true);

    // Fetch the pact by its metadata URL and publish results where it says.
    let pact = app
        .get(&path(list[0]["_links"]["self"]["href"].as_str().unwrap()))
        .await;
    assert_eq!(pact.status, 200);
    assert_eq!(pact.body["consumer"]["name"], "Foo");
    assert!(
        pact.body["interactions"][0]["_id"].is_string(),
        "interactions carry the broker's _id"
    );
    let branch_version = app
        .request(
            "PUT",
            "/pacticipants/Bar/branches/main/versions/2.0.0",
            Some(&json!({})),
        )
        .await;
    assert_eq!(branch_version.status, 201);
    let results = path(
        pact.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .unwrap(),
    );
    let published = app
        .post(&results, &json!({"success": true, "providerApplicationVersion": "2.0.0",
                               "testResults": [{"interactionId": pact.body["interactions"][0]["_id"], "success": true}],
                               "verifiedBy": {"implementation": "Pact-Rust", "version": "1.4.7"}}))
        .await;
    assert_eq!(published.status, 201, "{}", published.text);
    let location = published.headers["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://example.org/pacts/provider/Bar/consumer/Foo/pact-version/")
    );
    assert_eq!(published.body["verifiedBy"]["implementation"], "Pact-Rust");

    // No longer pending for Bar's main branch.
    let again = app.post(&self_href, &selectors).await;
    assert_eq!(
        again.body["_embedded"]["pacts"][0]["verificationProperties"]["pending"],
        false
    );

    // The gate: Bar 2.0.0 to production (Foo 1 is there and verified), as pact-broker-cli asks.
    let matrix = app
        .get("/matrix?q[][pacticipant]=Bar&q[][version]=2.0.0&latestby=cvpv&environment=production")
        .await;
    assert_eq!(matrix.status, 200, "{}", matrix.text);
    assert_eq!(
        matrix.body["summary"]["deployable"], true,
        "{}",
        matrix.body["summary"]
    );
    let cid = app
        .get("/can-i-deploy?pacticipant=Bar&version=2.0.0&environment=production")
        .await;
    assert_eq!(cid.body["summary"]["deployable"], true);
    assert_eq!(
        cid.body["summary"]["reason"],
        "All required verification results are published and successful"
    );
}

#[tokio::test]
async fn can_i_deploy_approvals_through_http() {
    let fixture = approval("features_can_i_deploy_approval_spec.approved.json");
    let key = |name: &str| format!("GET /can-i-deploy approval {name} snapshots");
    let app = TestApp::with_data(|td| {
        td.settings.use_first_tag_as_branch = false;
        td.publish("Foo", "1", "Bar");
        td.tag("Foo", "1", "dev");
        td.version("Bar", "10");
        td.tag("Bar", "10", "prod");
        td.verify("Foo", "1", "Bar", "10", true);
        td.environment("production", false);
        td.deploy("Bar", "10", "production");
    });
    let reply = app
        .get("/can-i-deploy?pacticipant=Foo&version=1&environment=production")
        .await;
    let expected = &fixture[&key("can-i-deploy Foo v1 to the production environment")];
    assert_eq!(
        reply.status.as_u16() as u64,
        expected["status"].as_u64().unwrap()
    );
    assert_eq!(reply.body["summary"], expected["summary"]);

    let reply = app.get("/can-i-deploy?pacticipant=Foo&version=1").await;
    let expected =
        &fixture[&key("can-i-deploy with missing required params returns a validation error")];
    assert_eq!(
        reply.status.as_u16() as u64,
        expected["status"].as_u64().unwrap()
    );
    assert!(reply.body["errors"].is_object(), "{}", reply.text);
}

#[tokio::test]
async fn matrix_errors_are_a_list() {
    let app = TestApp::new();
    let reply = app
        .get("/matrix?q[][pacticipant]=Wiffle&q[][version]=1.2.3&q[][pacticipant]=Meep&q[][version]=9.9.9&latestby=cvpv")
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body["errors"],
        json!(["Pacticipant Wiffle not found", "Pacticipant Meep not found"])
    );
}

#[tokio::test]
async fn record_deployment_replaces_the_previous_one_per_application_instance() {
    let app = TestApp::with_data(|td| {
        td.version("Foo", "1");
        td.version("Foo", "2");
        td.environment("production", true);
    });
    let version = app.get("/pacticipants/Foo/versions/1").await;
    let link = |v: &Value| {
        path(
            v["_links"]["pb:record-deployment"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["name"] == "production")
                .unwrap()["href"]
                .as_str()
                .unwrap(),
        )
    };
    let first = app
        .post(
            &link(&version.body),
            &json!({"applicationInstance": "blue"}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.body["applicationInstance"], "blue");
    let v2 = app.get("/pacticipants/Foo/versions/2").await;
    let green = app
        .post(&link(&v2.body), &json!({"applicationInstance": "green"}))
        .await;
    assert_eq!(green.status, 201);
    let blue2 = app
        .post(&link(&v2.body), &json!({"applicationInstance": "blue"}))
        .await;
    assert_eq!(blue2.status, 201);
    let env_uuid = first.body["_embedded"]["environment"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let current = app
        .get(&format!(
            "/environments/{env_uuid}/deployed-versions/currently-deployed?pacticipant=Foo"
        ))
        .await;
    let deployed: Vec<(String, String)> = current.body["_embedded"]["deployedVersions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["_embedded"]["version"]["number"].as_str().unwrap().into(),
                d["applicationInstance"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        deployed,
        vec![("2".into(), "green".into()), ("2".into(), "blue".into())]
    );

    // Undeploy, then setting it back is refused.
    let uuid = blue2.body["uuid"].as_str().unwrap();
    let undeployed = app
        .request(
            "PATCH",
            &format!("/deployed-versions/{uuid}"),
            Some(&json!({"currentlyDeployed": false})),
        )
        .await;
    assert_eq!(undeployed.status, 200);
    assert_eq!(undeployed.body["currentlyDeployed"], false);
    let back = app
        .request(
            "PATCH",
            &format!("/deployed-versions/{uuid}"),
            Some(&json!({"currentlyDeployed": true})),
        )
        .await;
    assert_eq!(back.status, 400);
}

#[tokio::test]
async fn legacy_put_and_patch_merge() {
    let app = TestApp::new();
    let read = |f: &str| -> Value {
        let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures/pact-broker/bodies")
            .join(f);
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let url = "/pacts/provider/A%20Provider/consumer/A%20Consumer/version/1.2.3";
    let created = app
        .request("PUT", url, Some(&read("a_consumer-a_provider-3.json")))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let same = app
        .request("PUT", url, Some(&read("a_consumer-a_provider-3.json")))
        .await;
    assert_eq!(same.status, 200);
    let merged = app
        .request("PATCH", url, Some(&read("a_consumer-a_provider.json")))
        .await;
    assert_eq!(merged.status, 200, "{}", merged.text);
    assert_eq!(merged.body["interactions"].as_array().unwrap().len(), 2);
    let conflict = app
        .request(
            "PATCH",
            url,
            Some(&read("a_consumer-a_provider-conflict.json")),
        )
        .await;
    assert_eq!(conflict.status, 409);
    let changed = app
        .request("PUT", url, Some(&read("a_consumer-a_provider-2.json")))
        .await;
    assert_eq!(
        changed.status, 409,
        "changing a version's pact is refused by default"
    );
    let mismatch = app
        .request(
            "PUT",
            "/pacts/provider/Other/consumer/A%20Consumer/version/1",
            Some(&read("a_consumer-a_provider.json")),
        )
        .await;
    assert_eq!(mismatch.status, 400);
    assert_eq!(
        mismatch.body["errors"]["provider.name"][0],
        "name in pact 'A Provider' does not match name in URL path 'Other'."
    );
}

#[tokio::test]
async fn unknown_things_are_404_with_the_brokers_bodies() {
    let app = TestApp::new();
    let p = app.get("/pacticipants/Nope").await;
    assert_eq!(p.status, 404);
    assert_eq!(p.body["error"], "No pacticipant with name 'Nope' found");
    let other = app.get("/no/such/thing").await;
    assert_eq!(other.status, 404);
    assert_eq!(
        other.headers["content-type"],
        "application/json;charset=utf-8"
    );
    let fv = app
        .post("/pacts/provider/Nope/for-verification", &json!({}))
        .await;
    assert_eq!(fv.status, 404);
}

#[tokio::test]
async fn badges_are_svg() {
    let app = TestApp::with_data(|td| {
        td.publish("Foo", "1", "Bar");
        td.verify("Foo", "1", "Bar", "2", true);
    });
    let badge = app
        .get("/pacts/provider/Bar/consumer/Foo/latest/badge.svg")
        .await;
    assert_eq!(badge.status, 200);
    assert_eq!(badge.headers["content-type"], "image/svg+xml;charset=utf-8");
    assert!(
        badge.text.contains("foo/bar pact") && badge.text.contains("verified"),
        "{}",
        badge.text
    );
    let unknown = app
        .get("/pacts/provider/Bar/consumer/Nope/latest/badge")
        .await;
    assert!(unknown.text.contains("pact not found"));
}

#[tokio::test]
async fn latest_pacts_by_tag_and_branch() {
    let app = TestApp::with_data(|td| {
        td.settings.use_first_tag_as_branch = false;
        td.branch("Foo", "1", "main").tag("Foo", "1", "prod");
        td.publish("Foo", "1", "Bar");
        td.branch("Foo", "2", "feat/x");
        td.publish("Foo", "2", "Bar");
        td.branch("Foo", "3", "main");
        td.publish("Foo", "3", "Bar");
    });
    let latest = app.get("/pacts/provider/Bar/consumer/Foo/latest").await;
    assert_eq!(latest.headers["x-pact-consumer-version"], "3");
    let prod = app
        .get("/pacts/provider/Bar/consumer/Foo/latest/prod")
        .await;
    assert_eq!(prod.headers["x-pact-consumer-version"], "1");
    let feat = app
        .get("/pacts/provider/Bar/consumer/Foo/branch/feat%2Fx/latest")
        .await;
    assert_eq!(feat.status, 200, "{}", feat.text);
    assert_eq!(feat.headers["x-pact-consumer-version"], "2");
    let main = app.get("/pacts/provider/Bar/branch/latest").await;
    assert_eq!(main.body["_links"]["pb:pacts"][0]["name"], "Foo");
    assert!(main.body["_links"]["pb:pacts"][0]["href"]
        .as_str()
        .unwrap()
        .ends_with("/version/3"));
    let provider_prod = app.get("/pacts/provider/Bar/latest/prod").await;
    assert!(provider_prod.body["_links"]["pacts"][0]["href"]
        .as_str()
        .unwrap()
        .ends_with("/version/1"));
}

#[tokio::test]
async fn version_put_replaces_and_patch_merges() {
    let app = TestApp::new();
    let put = app
        .request(
            "PUT",
            "/pacticipants/Foo/versions/1",
            Some(&json!({"buildUrl": "http://ci/1", "tags": [{"name": "a"}, "b"]})),
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.text);
    let tags = |v: &Value| -> Vec<String> {
        v["_embedded"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(tags(&put.body), ["a", "b"]);
    let patch = app
        .request(
            "PATCH",
            "/pacticipants/Foo/versions/1",
            Some(&json!({"tags": ["c"]})),
        )
        .await;
    assert_eq!(patch.status, 200);
    assert_eq!(tags(&patch.body), ["a", "b", "c"]);
    assert_eq!(
        patch.body["buildUrl"], "http://ci/1",
        "PATCH keeps what it does not name"
    );
    let replaced = app
        .request(
            "PUT",
            "/pacticipants/Foo/versions/1",
            Some(&json!({"tags": ["b"]})),
        )
        .await;
    assert_eq!(replaced.status, 200);
    assert_eq!(tags(&replaced.body), ["b"]);
    assert!(
        replaced.body.get("buildUrl").is_none(),
        "PUT replaces the build URL too"
    );
}
