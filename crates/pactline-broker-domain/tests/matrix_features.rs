//! The real broker's `/matrix` and `/can-i-deploy` approvals (`spec/features/get_matrix_approval_spec.rb`,
//! `can_i_deploy_approval_spec.rb`): summaries, notice types, the full hal+json body and the
//! text/plain body, over the same data as the broker's specs.

use pactline_broker_domain::builder::TestData;
use pactline_broker_domain::content;
use pactline_broker_domain::matrix::{self, MatrixQuery, MatrixResult};
use pactline_broker_domain::State;
use serde_json::{json, Value};

fn fixture_text(file: &str) -> String {
    let path = format!(
        "{}/../../../shared/fixtures/pact-broker/approvals/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture(file: &str) -> Value {
    serde_json::from_str(&fixture_text(file)).unwrap()
}

/// The broker's `td` sets every record's time to the same "now" and leaves tags without side effects.
fn td(state: &mut State) -> TestData<'_> {
    let mut td = TestData::new(state);
    td.auto_advance = false;
    td.settings.use_first_tag_as_branch = false;
    td
}

fn fixed_pact(consumer: &str, provider: &str, differentiator: u32) -> Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [{
            "request": {"method": "GET", "path": format!("/things/{differentiator}")},
            "response": {"status": 200}
        }]
    })
}

/// `build_matrix_fixture_graph`.
fn matrix_graph() -> State {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish_content("Foo", "1", "Bar", &fixed_pact("Foo", "Bar", 1));
    td.verify_numbered("Foo", "1", "Bar", "10", true, 1);
    td.branch("Foo", "2", "main");
    td.publish_content("Foo", "2", "Bar", &fixed_pact("Foo", "Bar", 2));
    td.verify_numbered("Foo", "2", "Bar", "20", false, 1);
    td.branch("Foo", "3", "main");
    td.publish_content("Foo", "3", "Bar", &fixed_pact("Foo", "Bar", 3));
    td.publish_content("Foo", "3", "Baz", &fixed_pact("Foo", "Baz", 1));
    td.verify_numbered("Foo", "3", "Baz", "30", true, 1);
    td.environment("production", false);
    td.deploy("Baz", "30", "production");
    drop(td);
    state
}

/// What the approval records: status, summary and notice types.
fn approval(result: Result<MatrixResult, Vec<String>>) -> Value {
    match result {
        Ok(r) => json!({
            "status": 200,
            "summary": matrix::summary_json(&r),
            "noticeTypes": r.summary.reasons.iter().map(|r| r.notice_type()).collect::<Vec<_>>(),
        }),
        Err(errors) => json!({"status": 400, "summary": null, "noticeTypes": [], "errors": errors}),
    }
}

fn get_matrix(state: &State, query: &str) -> Value {
    let q = matrix::parse_matrix_query(query).expect("parse");
    approval(matrix::matrix(state, &q))
}

#[test]
fn get_matrix_approvals() {
    let state = matrix_graph();
    let fx = fixture("features_get_matrix_approval_spec.approved.json");
    let prefix = "GET /matrix approval distilled decisions";
    let cases = [
        (
            "single selector to latest (top production shape)",
            "q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv&latest=true",
        ),
        (
            "can-i-deploy to environment",
            "q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv&environment=production",
        ),
        (
            "can-i-deploy to mainBranch",
            "q[][pacticipant]=Foo&q[][version]=2&latestby=cvpv&mainBranch=true",
        ),
        (
            "matrix UI browse (two selectors by name)",
            "q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cvpv",
        ),
        (
            "flat encoding, two selectors",
            "q[]pacticipant=Foo&q[]version=1&q[]pacticipant=Bar&q[]version=10&latestby=cvpv",
        ),
        (
            "success filter true",
            "q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cvpv&success=true",
        ),
        (
            "limit smaller than result set",
            "q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cvpv&limit=1",
        ),
    ];
    let mut seen = 0;
    for (name, query) in cases {
        let key = format!("{prefix} {name} snapshots");
        assert_eq!(get_matrix(&state, query), fx[&key], "{key}");
        seen += 1;
    }
    // GET /matrix/provider/Bar/consumer/Foo (no query string).
    let options = matrix::parse_matrix_query("").unwrap().options;
    assert!(matrix::validate_matrix_options(&state, &options).is_empty());
    let q = MatrixQuery::for_consumer_and_provider("Foo", "Bar", options);
    let key = format!("{prefix} path endpoint snapshots");
    assert_eq!(approval(Ok(matrix::find(&state, &q))), fx[&key], "{key}");
    seen += 1;
    assert_eq!(seen, fx.as_object().unwrap().len());
}

/// Replaces the values of `createdAt` and `verifiedAt`, as the approval masks them.
fn mask_dates(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if k == "createdAt" || k == "verifiedAt" {
                    *v = json!("<timestamps>");
                } else {
                    mask_dates(v);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(mask_dates),
        _ => {}
    }
}

#[test]
fn full_hal_json_body() {
    let state = matrix_graph();
    let fx = fixture("matrix_full_body_ui_browse.approved.json");
    let query = fx["request"]["query"].as_str().unwrap();
    let result = matrix::matrix(&state, &matrix::parse_matrix_query(query).unwrap()).unwrap();
    let mut body = matrix::render_json(&state, &result, "http://example.org");
    assert!(body["matrix"][0]["pact"]["createdAt"]
        .as_str()
        .is_some_and(|d| d.len() == 25 && d.ends_with("+00:00")));
    mask_dates(&mut body);
    // The broker's test configuration hashes the raw JSON (base_equality_only_on_content_that_
    // affects_verification_results is off in its specs); ours hashes the verifiable content, as the
    // broker does by default. Swap the SHAs in the approved hrefs for ours.
    let mut expected = serde_json::to_string_pretty(&fx["response"]["body"]).unwrap();
    for n in [1, 2] {
        let pact = fixed_pact("Foo", "Bar", n);
        let raw_sha = hex::encode(<sha1::Sha1 as sha1::Digest>::digest(
            serde_json::to_string(&pact).unwrap(),
        ));
        assert!(
            expected.contains(&raw_sha),
            "approved body has the raw-JSON SHA {raw_sha}"
        );
        expected = expected.replace(&raw_sha, &content::pact_sha(&pact));
    }
    // Same values, and the same key order as the broker writes them.
    assert_eq!(serde_json::to_string_pretty(&body).unwrap(), expected);
}

#[test]
fn full_text_body() {
    let state = matrix_graph();
    let result = matrix::matrix(
        &state,
        &matrix::parse_matrix_query("q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cvpv")
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        matrix::render_text(&state, &result),
        fixture_text("matrix_full_body_text.approved.txt")
    );
}

#[test]
fn matrix_validation_errors() {
    let state = matrix_graph();
    let q = matrix::parse_matrix_query("q[][pacticipant]=Wiffle&q[][version]=1&q[][latest]=true&q[][version]=2&environment=nope&tag=x&limit=0").unwrap();
    assert_eq!(
        matrix::matrix(&state, &q).unwrap_err(),
        vec![
            "A version number and latest flag cannot both be specified for Wiffle",
            "Please specify the pacticipant name",
            "Pacticipant Wiffle not found",
            "Cannot specify more than one of tag, environment and mainBranch.",
            "Environment with name 'nope' does not exist",
            "The limit must be 1 or greater.",
        ]
    );
    let q = matrix::parse_matrix_query("latest=true&environment=production").unwrap();
    assert_eq!(
        matrix::matrix(&state, &q).unwrap_err(),
        vec![
            "Please provide 1 or more version selectors.",
            "Cannot specify both latest=true and an environment."
        ]
    );
}

fn can_i_deploy_graph(with_baz: bool) -> State {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.tag("Foo", "1", "dev");
    td.version("Bar", "10");
    td.tag("Bar", "10", "prod");
    td.verify("Foo", "1", "Bar", "10", true);
    td.environment("production", false);
    td.deploy("Bar", "10", "production");
    if with_baz {
        td.publish("Foo", "1", "Baz");
        td.verify("Foo", "1", "Baz", "99", false);
    }
    drop(td);
    state
}

fn get_can_i_deploy(state: &State, query: &str) -> Value {
    match matrix::parse_can_i_deploy_query(state, query) {
        Ok(q) => {
            let r = matrix::find(state, &q);
            json!({"status": 200, "summary": matrix::summary_json(&r)})
        }
        Err(_) => json!({"status": 400, "summary": null}),
    }
}

#[test]
fn can_i_deploy_approvals() {
    let fx = fixture("features_can_i_deploy_approval_spec.approved.json");
    let key = |name: &str| format!("GET /can-i-deploy approval {name} snapshots");
    let state = can_i_deploy_graph(false);
    assert_eq!(
        get_can_i_deploy(&state, "pacticipant=Foo&version=1&environment=production"),
        fx[&key("can-i-deploy Foo v1 to the production environment")]
    );
    let r = matrix::find(&state, &MatrixQuery::tag_to_tag("Foo", "dev", "prod"));
    assert_eq!(
        json!({"status": 200, "summary": matrix::summary_json(&r)}),
        fx[&key("can-i-deploy Foo's dev tag to Bar's prod tag (tag-to-tag URL format)")]
    );
    assert_eq!(
        get_can_i_deploy(&state, ""),
        fx[&key("can-i-deploy with missing required params returns a validation error")]
    );
    let state = can_i_deploy_graph(true);
    let failing = "can-i-deploy Foo v1 to the production environment with a failing integration";
    assert_eq!(
        get_can_i_deploy(&state, "pacticipant=Foo&version=1&environment=production"),
        fx[&key(&format!(
            "{failing} without ignoring the failing integration"
        ))]
    );
    assert_eq!(
        get_can_i_deploy(
            &state,
            "pacticipant=Foo&version=1&environment=production&ignore[]=Baz"
        ),
        fx[&key(&format!("{failing} ignoring the failing integration"))]
    );
    assert_eq!(fx.as_object().unwrap().len(), 5);

    // The ignored row comes last, marked.
    let q = matrix::parse_can_i_deploy_query(
        &state,
        "pacticipant=Foo&version=1&environment=production&ignore[]=Baz",
    )
    .unwrap();
    let body = matrix::render_json(&state, &matrix::find(&state, &q), "http://example.org");
    let rows = body["matrix"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["provider"]["name"], "Bar");
    assert_eq!(rows[0].get("ignored"), None);
    assert_eq!(rows[0]["provider"]["version"]["tags"][0]["name"], "prod");
    assert_eq!(rows[0]["provider"]["version"]["tags"][0]["latest"], true);
    assert_eq!(
        rows[0]["provider"]["version"]["environments"][0]["name"],
        "production"
    );
    assert_eq!(rows[1]["provider"]["name"], "Baz");
    assert_eq!(rows[1]["ignored"], true);
    assert_eq!(rows[1]["provider"]["version"], Value::Null);
}

#[test]
fn can_i_deploy_schema_errors() {
    let state = can_i_deploy_graph(false);
    let errors = |q: &str| {
        matrix::parse_can_i_deploy_query(&state, q)
            .unwrap_err()
            .0
            .into_iter()
            .collect::<Vec<_>>()
    };
    let s = |k: &str, v: &[&str]| {
        (
            k.to_string(),
            v.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        errors(""),
        vec![
            s("", &["Must specify either an environment or a 'to' tag."]),
            s("pacticipant", &["is missing"]),
            s("version", &["is missing"]),
        ]
    );
    assert_eq!(
        errors("pacticipant=Wiffle&version=1&to=prod&environment=nope"),
        vec![
            s("", &["Cannot specify both a 'to' tag and an environment."]),
            s("environment", &["with name 'nope' does not exist"]),
            s("pacticipant", &["does not match an existing pacticipant"]),
        ]
    );
    // Webmachine drops empty values, so an empty version is missing.
    assert_eq!(
        errors("pacticipant=Foo&version=&to=prod"),
        vec![s("version", &["is missing"])]
    );
}
