//! Pacts for verification, against scenarios ported from the real broker's specs:
//! spec/features/{get_provider_pacts_for_verification,pending_pacts*,wip_pacts}_spec.rb and
//! spec/lib/pact_broker/pacts/repository_find_*_spec.rb.

use chrono::{Duration, TimeZone, Utc};
use pactline_broker_domain::builder::TestData;
use pactline_broker_domain::commands::{self, NewVerification};
use pactline_broker_domain::for_verification::*;
use pactline_broker_domain::model::{Id, Time};
use pactline_broker_domain::pending;
use pactline_broker_domain::State;
use serde_json::{json, Value};

const BASE: &str = "http://example.org";

fn provider_id(state: &State, name: &str) -> Id {
    state.pacticipant_by_name(name).expect("provider").id
}

fn query(state: &State, body: Value) -> PactsForVerificationQuery {
    parse_query(&body, state).expect("valid query")
}

fn find(state: &State, provider: &str, body: Value) -> Vec<VerifiablePact> {
    let q = query(state, body);
    pacts_for_verification(state, provider_id(state, provider), &q)
}

/// (consumer, represented consumer version) of each pact, in order.
fn summary(state: &State, pacts: &[VerifiablePact]) -> Vec<(String, String)> {
    pacts
        .iter()
        .map(|p| {
            (
                p.consumer_name(state).to_string(),
                p.consumer_version_number(state).to_string(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn version_number(state: &State, id: Id) -> String {
    state.version(id).number.clone()
}

fn selector_versions(state: &State, p: &VerifiablePact) -> Vec<String> {
    p.selectors
        .iter()
        .map(|s| version_number(state, s.consumer_version_id))
        .collect()
}

fn by_version<'a>(
    state: &State,
    pacts: &'a [VerifiablePact],
    number: &str,
) -> Option<&'a VerifiablePact> {
    pacts
        .iter()
        .find(|p| p.consumer_version_number(state) == number)
}

fn wip(pacts: &[VerifiablePact]) -> Vec<&VerifiablePact> {
    pacts.iter().filter(|p| p.wip).collect()
}

fn td_like_ruby(state: &mut State) -> TestData<'_> {
    let mut td = TestData::new(state);
    // The Ruby test data builder neither turns a first tag into a branch nor sets main branches.
    td.settings.use_first_tag_as_branch = false;
    td.settings.auto_detect_main_branch = false;
    td
}

fn start() -> Time {
    Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).single().unwrap()
}

fn day_before_start() -> String {
    (start() - Duration::days(1)).to_rfc3339()
}

// ---- the approved body ------------------------------------------------------------------------------

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/pact-broker/approvals/get_provider_pacts_for_verification.approved.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture json")
}

/// Splits the metadata segment off every `…/metadata/{m}` href, returning the masked body and the
/// decoded segments.
fn mask_metadata(v: &mut Value, found: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if k == "href" {
                    if let Some((head, segment)) =
                        v.as_str().and_then(|s| s.split_once("/metadata/"))
                    {
                        found.push(Value::Object(metadata::decode_metadata_map(segment)));
                        *v = Value::String(format!("{head}/metadata/<masked>"));
                    }
                } else {
                    mask_metadata(v, found);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| mask_metadata(x, found)),
        _ => {}
    }
}

#[test]
fn golden_get_provider_pacts_for_verification() {
    let fixture = fixture();
    let mut state = State::new();
    {
        let mut td = TestData::new(&mut state);
        td.pacticipant("Provider");
        td.publish_content("Consumer", "0.0.1", "Provider", &json!({"some": "content"}));
        td.version("Consumer 2", "4.5.6");
        td.tag("Consumer 2", "4.5.6", "prod");
        td.publish_content(
            "Consumer 2",
            "4.5.6",
            "Provider",
            &json!({"some": "other content"}),
        );
    }
    let q = query(&state, fixture["request"]["body"].clone());
    let provider = provider_id(&state, "Provider");
    let pacts = pacts_for_verification(&state, provider, &q);
    let mut actual = render(&state, provider, &pacts, BASE, &q);
    let mut expected = fixture["response"]["body"].clone();

    let (mut actual_md, mut expected_md) = (Vec::new(), Vec::new());
    mask_metadata(&mut actual, &mut actual_md);
    mask_metadata(&mut expected, &mut expected_md);
    // Same body, key order included; the SHAs match because the content hashes the same.
    assert_eq!(
        serde_json::to_string_pretty(&actual).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap()
    );

    // The metadata differs only in the consumer version id (10 in the broker's database).
    let cv = pacts[0].consumer_version_id;
    assert_eq!(
        expected_md,
        vec![json!({"s": [{"t": "prod", "l": "true", "cv": "10"}]})]
    );
    assert_eq!(
        actual_md,
        vec![json!({"s": [{"t": "prod", "l": "true", "cv": cv.to_string()}]})]
    );
    let md = decode_metadata(
        actual_href(&render(&state, provider, &pacts, BASE, &q))
            .split_once("/metadata/")
            .unwrap()
            .1,
    );
    assert_eq!(
        md.consumer_version_numbers(&state),
        Some(vec!["4.5.6".to_string()])
    );
    assert_eq!(
        md.selector_hashes(&state),
        Some(json!([{"tag": "prod", "latest": "true", "consumer_version_number": "4.5.6"}]))
    );
}

fn actual_href(body: &Value) -> String {
    body["_embedded"]["pacts"][0]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn deprecated_get_adds_a_warning_and_uses_the_query_string() {
    let mut state = State::new();
    {
        let mut td = TestData::new(&mut state);
        td.publish_content("Consumer", "0.0.1", "Provider", &json!({"some": "content"}));
        td.version("Consumer 2", "4.5.6");
        td.tag("Consumer 2", "4.5.6", "prod");
        td.publish_content(
            "Consumer 2",
            "4.5.6",
            "Provider",
            &json!({"some": "other content"}),
        );
    }
    let q = parse_query_string(
        "consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true",
        &state,
    )
    .unwrap();
    let provider = provider_id(&state, "Provider");
    let pacts = pacts_for_verification(&state, provider, &q);
    assert_eq!(pacts.len(), 1);
    let body = render(&state, provider, &pacts, BASE, &q);
    let notices = body["_embedded"]["pacts"][0]["verificationProperties"]["notices"]
        .as_array()
        .unwrap();
    assert!(notices[0]["text"].as_str().unwrap().starts_with("WARNING"));
    // Pending status defaults to true.
    assert_eq!(
        body["_embedded"]["pacts"][0]["verificationProperties"]["pending"],
        json!(true)
    );
}

// ---- pending lifecycles (features/pending_pacts*_spec.rb) ----------------------------------------------

enum ProviderBuild<'a> {
    Branch(&'a str),
    Tag(&'a str),
    Nothing,
}

fn pending_query(build: &ProviderBuild) -> Value {
    match build {
        ProviderBuild::Branch(b) => {
            json!({"includePendingStatus": true, "providerVersionBranch": b})
        }
        ProviderBuild::Tag(t) => json!({"includePendingStatus": true, "providerVersionTags": [t]}),
        ProviderBuild::Nothing => json!({"includePendingStatus": true}),
    }
}

/// Publishes verification results the way a client does: to the pact's self href (so the metadata
/// decides `wip` and `pending`), for `provider_version`.
fn publish_results(
    td: &mut TestData,
    href: &str,
    provider: &str,
    provider_version: &str,
    success: bool,
) -> Id {
    let (before, segment) = href.split_once("/metadata/").unwrap_or((href, ""));
    let sha = before.rsplit('/').next().unwrap().to_string();
    let md = decode_metadata(segment);
    let selectors = md.selector_hashes(td.state);
    let pact_version = td
        .state
        .pact_versions
        .values()
        .find(|pv| pv.sha == sha)
        .unwrap()
        .id;
    td.tx(|tx, _| {
        let p = commands::ensure_pacticipant(tx, provider).0;
        let v = commands::ensure_version(tx, p, provider_version).0;
        commands::create_verification(
            tx,
            pact_version,
            v,
            NewVerification {
                success,
                wip: md.wip,
                pending: md.pending,
                consumer_version_selectors: selectors,
                ..Default::default()
            },
        )
    })
}

fn self_href(
    state: &State,
    provider: &str,
    pact: &VerifiablePact,
    q: &PactsForVerificationQuery,
) -> String {
    let body = render(
        state,
        provider_id(state, provider),
        std::slice::from_ref(pact),
        BASE,
        q,
    );
    actual_href(&body)
}

fn pending_lifecycle(build: ProviderBuild, other: ProviderBuild) {
    // first published: pending
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    td.publish_content("Foo", "1", "Bar", &json!({"some": "interactions"}));
    let pacts = find(td.state, "Bar", pending_query(&build));
    assert_eq!(pacts[0].pending, Some(true));

    // verified unsuccessfully: still pending
    let q = query(td.state, pending_query(&build));
    let href = self_href(td.state, "Bar", &pacts[0], &q);
    match build {
        ProviderBuild::Branch(b) => {
            td.branch("Bar", "2", b);
        }
        ProviderBuild::Tag(t) => {
            td.tag("Bar", "2", t);
        }
        ProviderBuild::Nothing => {}
    }
    publish_results(&mut td, &href, "Bar", "2", false);
    assert_eq!(
        find(td.state, "Bar", pending_query(&build))[0].pending,
        Some(true)
    );

    // verified successfully: no longer pending
    publish_results(&mut td, &href, "Bar", "2", true);
    assert_eq!(
        find(td.state, "Bar", pending_query(&build))[0].pending,
        Some(false)
    );

    // and not pending for a brand new provider branch either
    if !matches!(other, ProviderBuild::Nothing) {
        assert_eq!(
            find(td.state, "Bar", pending_query(&other))[0].pending,
            Some(false)
        );
    }
}

#[test]
fn pending_lifecycle_with_branches() {
    pending_lifecycle(
        ProviderBuild::Branch("main"),
        ProviderBuild::Branch("feat/foo"),
    );
}

#[test]
fn pending_lifecycle_with_tags() {
    pending_lifecycle(ProviderBuild::Tag("main"), ProviderBuild::Tag("feat/foo"));
}

#[test]
fn pending_lifecycle_without_branch_or_tags() {
    pending_lifecycle(ProviderBuild::Nothing, ProviderBuild::Nothing);
}

#[test]
fn pending_for_a_branch_created_after_another_branch_verified_it() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    let pv = td.publish("Foo", "1", "Bar");
    td.branch("Bar", "1", "feat-new");
    td.advance(60);
    td.branch("Bar", "2", "main");
    td.verify("Foo", "1", "Bar", "2", true);
    let bar = provider_id(td.state, "Bar");
    // Verified by main after feat-new was created: still pending for feat-new.
    assert!(pending::is_pending_for_provider_branch(
        td.state, pv, bar, "feat-new"
    ));
    assert!(!pending::is_pending_for_provider_branch(
        td.state, pv, bar, "main"
    ));
    // A branch that does not exist yet counts any other branch's success.
    assert!(!pending::is_pending_for_provider_branch(
        td.state,
        pv,
        bar,
        "feat-later"
    ));
    // A provider version without any branch never counts.
    let pv2 = td.publish("Foo", "2", "Bar");
    td.verify("Foo", "2", "Bar", "3", true);
    assert!(pending::is_pending_for_provider_branch(
        td.state,
        pv2,
        bar,
        "feat-later"
    ));
    assert!(!pending::pending_for_any_provider_branch(td.state, pv2));
    // Failed verifications never count.
    let pv3 = td.publish("Foo", "3", "Bar");
    td.verify("Foo", "3", "Bar", "2", false);
    assert!(pending::pending_for_any_provider_branch(td.state, pv3));
}

#[test]
fn pending_provider_tags_per_tag() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    let pv = td.publish("Foo", "1", "Bar");
    td.tag("Bar", "9", "feat-1");
    td.tag("Bar", "1", "dev");
    td.verify("Foo", "1", "Bar", "1", true);
    let bar = provider_id(td.state, "Bar");
    let tags = vec![
        "dev".to_string(),
        "feat-1".to_string(),
        "brand-new".to_string(),
    ];
    // dev verified it; feat-1 was in use before that (so dev's success does not carry over);
    // brand-new is not in use yet (so it does).
    assert_eq!(
        pending::pending_provider_tags(td.state, pv, bar, &tags),
        vec!["feat-1".to_string()]
    );
    assert!(pending::is_pending_for_provider_tags(
        td.state, pv, bar, &tags
    ));
    // A tag first used after the verification inherits it.
    td.tag("Bar", "10", "feat-2");
    assert!(!pending::is_pending_for_provider_tags(
        td.state,
        pv,
        bar,
        &["feat-2".to_string()]
    ));

    let pacts = find(td.state, "Bar", json!({"providerVersionTags": tags}));
    assert_eq!(pacts[0].pending, Some(true));
    assert_eq!(pacts[0].pending_provider_tags, vec!["feat-1".to_string()]);
    assert_eq!(
        pacts[0].non_pending_provider_tags,
        vec!["dev".to_string(), "brand-new".to_string()]
    );
}

// ---- selectors (repository_find_for_verification*_spec.rb) --------------------------------------------

#[test]
fn default_selectors_use_the_latest_pact_per_consumer_without_a_main_branch_version() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.pacticipant_with_main_branch("Foo", "main");
    td.publish("Foo", "foo-latest-prod-version", "Bar");
    td.tag("Foo", "foo-latest-prod-version", "prod");
    td.version("Foo", "not-latest-dev-version");
    td.tag("Foo", "not-latest-dev-version", "dev");
    td.publish("Foo", "not-latest-dev-version", "Bar");
    td.version("Foo", "foo-latest-dev-version");
    td.tag("Foo", "foo-latest-dev-version", "dev");
    td.publish("Foo", "foo-latest-dev-version", "Bar");
    td.version("Baz", "baz-latest-dev-version");
    td.tag("Baz", "baz-latest-dev-version", "dev");
    td.tag("Baz", "baz-latest-dev-version", "main");
    td.publish("Baz", "baz-latest-dev-version", "Bar");
    let pacts = find(td.state, "Bar", json!({}));
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[
            ("Baz", "baz-latest-dev-version"),
            ("Foo", "foo-latest-dev-version")
        ])
    );
    assert!(pacts
        .iter()
        .all(|p| p.selectors[0].selector.is_overall_latest()));
    assert_eq!(
        pacts[1].selectors[0].selector.consumer.as_deref(),
        Some("Foo")
    );
    assert_eq!(short_description(td.state, &pacts[1]), "latest");
}

#[test]
fn default_selectors_prefer_the_main_branch_then_a_main_branch_tag() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.pacticipant_with_main_branch("Foo", "main");
    td.branch("Foo", "1", "main");
    td.publish("Foo", "1", "Bar");
    td.publish("Foo", "2", "Bar");
    td.pacticipant_with_main_branch("Qux", "main");
    td.version("Qux", "1");
    td.tag("Qux", "1", "main");
    td.publish("Qux", "1", "Bar");
    td.publish("Qux", "2", "Bar");
    let pacts = find(td.state, "Bar", json!({"includePendingStatus": false}));
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo", "1"), ("Qux", "1")])
    );
    assert!(pacts[0].selectors[0].selector.is_latest_for_main_branch());
    assert_eq!(pacts[0].selectors[0].selector.latest, None);
    assert_eq!(pacts[1].selectors[0].selector.tag.as_deref(), Some("main"));
    assert_eq!(
        short_description(td.state, &pacts[0]),
        "latest from main branch"
    );
    assert_eq!(
        short_description(td.state, &pacts[1]),
        "latest with tag main"
    );
    // The default main branch selector has no `latest`, so none in the metadata either.
    let meta = metadata_for_verifiable_pact(&pacts[0]);
    assert_eq!(meta["s"][0].get("l"), None);
}

#[test]
fn default_selectors_include_deployed_and_released_versions() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("Foo", "1", "Bar");
    let d = td.deploy("Foo", "1", "test");
    td.undeploy(d);
    td.publish("Foo", "2", "Bar");
    td.deploy("Foo", "2", "test");
    td.publish("Foo", "3", "Bar");
    td.publish("Foo", "4", "Bar");
    td.release("Foo", "4", "test");
    td.publish("Foo", "5", "Bar");
    let pacts = find(td.state, "Bar", json!({}));
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo", "2"), ("Foo", "4"), ("Foo", "5")])
    );
    assert!(pacts[0].selectors[0].selector.deployed);
    assert!(pacts[1].selectors[0].selector.released);
    assert_eq!(short_description(td.state, &pacts[0]), "deployed to test");
    assert_eq!(short_description(td.state, &pacts[1]), "released in test");
}

#[test]
fn overall_latest_and_consumer_restriction() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("Foo1", "1", "Bar");
    td.publish("Foo1", "2", "Bar");
    td.publish("Foo2", "3", "Bar");
    td.publish("Foo2", "4", "Bar2");
    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"latest": true}]}),
    );
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo1", "2"), ("Foo2", "3")])
    );

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"latest": true, "consumer": "Foo1"}]}),
    );
    assert_eq!(summary(td.state, &pacts), pairs(&[("Foo1", "2")]));
    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"latest": true, "consumer": "Nope"}]}),
    );
    assert!(pacts.is_empty());
}

#[test]
fn latest_for_tag_and_consumer() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("Foo1", "1", "Bar");
    td.tag("Foo1", "1", "prod");
    td.publish("Foo1", "2", "Bar");
    td.publish("Foo2", "2", "Bar");
    td.tag("Foo2", "2", "prod");
    td.publish("Foo2", "2", "Bar2");
    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"tag": "prod", "latest": true, "consumer": "Foo1"}]}),
    );
    assert_eq!(summary(td.state, &pacts), pairs(&[("Foo1", "1")]));
}

#[test]
fn latest_for_tags_merges_selectors_of_the_same_pact() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("Foo", "foo-latest-prod-version", "Bar");
    td.tag("Foo", "foo-latest-prod-version", "prod");
    td.version("Foo", "not-latest-dev-version");
    td.tag("Foo", "not-latest-dev-version", "dev");
    td.publish("Foo", "not-latest-dev-version", "Bar");
    td.version("Foo", "foo-latest-dev-version");
    td.tag("Foo", "foo-latest-dev-version", "dev");
    td.publish("Foo", "foo-latest-dev-version", "Bar");
    td.version("Baz", "baz-latest-dev-version");
    td.tag("Baz", "baz-latest-dev-version", "dev");
    td.tag("Baz", "baz-latest-dev-version", "prod");
    td.publish("Baz", "baz-latest-dev-version", "Bar");
    let body = json!({"consumerVersionSelectors": [{"tag": "dev", "latest": true}, {"tag": "prod", "latest": true}], "includePendingStatus": false});
    let pacts = find(td.state, "Bar", body.clone());
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[
            ("Baz", "baz-latest-dev-version"),
            ("Foo", "foo-latest-prod-version"),
            ("Foo", "foo-latest-dev-version")
        ])
    );
    let baz = &pacts[0];
    let tags: Vec<_> = baz
        .selectors
        .iter()
        .map(|s| s.selector.tag.clone().unwrap())
        .collect();
    assert_eq!(tags, vec!["dev", "prod"]);
    assert_eq!(
        short_description(td.state, baz),
        "latest with tag dev, latest with tag prod"
    );

    let q = query(td.state, body);
    let rendered = render_pact(td.state, baz, BASE, &q);
    let text = rendered["verificationProperties"]["notices"][0]["text"]
        .as_str()
        .unwrap();
    assert!(text.ends_with(
        "is being verified because the pact content belongs to the consumer versions matching the following criteria:\n    * latest version tagged 'dev' (baz-latest-dev-version)\n    * latest version tagged 'prod' (baz-latest-dev-version)"
    ));
}

#[test]
fn all_for_tag_and_consumer_merges_republished_content() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("Foo", "foo-latest-prod-version", "Bar");
    td.tag("Foo", "foo-latest-prod-version", "prod");
    td.publish("Foo", "2", "Bar");
    td.tag("Foo", "2", "prod");
    td.publish("Foo", "3", "Bar");
    td.tag("Foo", "3", "prod");
    td.version("Foo", "4");
    td.tag("Foo", "4", "prod");
    td.publish_same_as_last("Foo", "4", "Bar");
    td.publish("Other", "9", "Bar");
    td.tag("Other", "9", "prod");
    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"tag": "prod", "consumer": "Foo"}]}),
    );
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[
            ("Foo", "foo-latest-prod-version"),
            ("Foo", "2"),
            ("Foo", "4")
        ])
    );
    assert!(by_version(td.state, &pacts, "3").is_none());
    assert_eq!(selector_versions(td.state, &pacts[2]), vec!["3", "4"]);
    assert_eq!(short_description(td.state, &pacts[0]), "one of Foo prod");
}

#[test]
fn all_for_tag_dedupes_by_content() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("Foo2", "prod-version-1", "Bar2");
    td.tag("Foo2", "prod-version-1", "prod");
    td.version("Foo2", "not-prod-version");
    td.tag("Foo2", "not-prod-version", "master");
    td.publish("Foo2", "not-prod-version", "Bar2");
    td.version("Foo2", "prod-version-2");
    td.tag("Foo2", "prod-version-2", "prod");
    td.publish("Foo2", "prod-version-2", "Bar2");
    let body = json!({"consumerVersionSelectors": [{"tag": "prod"}]});
    let pacts = find(td.state, "Bar2", body.clone());
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo2", "prod-version-1"), ("Foo2", "prod-version-2")])
    );
    assert_eq!(short_description(td.state, &pacts[0]), "one of prod");

    td.version("Foo2", "prod-version-3");
    td.tag("Foo2", "prod-version-3", "prod");
    td.publish_same_as_last("Foo2", "prod-version-3", "Bar2");
    let pacts = find(td.state, "Bar2", body);
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo2", "prod-version-1"), ("Foo2", "prod-version-3")])
    );
}

#[test]
fn a_pact_selected_by_two_selectors_is_returned_once() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("Foo", "1", "Bar");
    td.tag("Foo", "1", "dev");
    td.tag("Foo", "1", "prod");
    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"tag": "prod"}, {"tag": "dev", "latest": true}]}),
    );
    assert_eq!(pacts.len(), 1);
    assert_eq!(pacts[0].selectors.len(), 2);
    // Sorted: latest-for-tag before all-for-tag.
    assert!(pacts[0].selectors[0].selector.is_latest_for_tag());
}

#[test]
fn two_consumers_with_the_same_content_get_a_pact_each() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    let content = json!({"interactions": [{"description": "foo", "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}]});
    td.publish_content("Consumer A", "1", "Bar", &content);
    td.publish_content("consumer b", "1", "Bar", &content);
    let pacts = find(td.state, "Bar", json!({}));
    // Sorted by consumer name, case-insensitively.
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Consumer A", "1"), ("consumer b", "1")])
    );
}

#[test]
fn branch_selectors() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.pacticipant_with_main_branch("Foo", "main");
    td.branch("Foo", "1", "main");
    td.publish("Foo", "1", "Bar");
    td.branch("Foo", "2", "feat-x");
    td.publish("Foo", "2", "Bar");
    td.branch("Foo", "3", "feat-x");
    td.publish("Foo", "3", "Bar");
    // The head of feat-y has no pact: nothing for that branch.
    td.branch("Foo", "4", "feat-y");
    td.branch("Foo", "3", "feat-z");

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"mainBranch": true}]}),
    );
    assert_eq!(summary(td.state, &pacts), pairs(&[("Foo", "1")]));
    assert_eq!(
        short_description(td.state, &pacts[0]),
        "latest from main branch"
    );

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"branch": "feat-x"}]}),
    );
    assert_eq!(summary(td.state, &pacts), pairs(&[("Foo", "3")]));
    assert_eq!(
        short_description(td.state, &pacts[0]),
        "latest from branch feat-x"
    );
    assert!(find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"branch": "feat-y"}]})
    )
    .is_empty());

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"branch": true}]}),
    );
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo", "1"), ("Foo", "3")])
    );
    // Version 3 heads feat-x and feat-z: a selector for each.
    assert_eq!(pacts[1].selectors.len(), 2);

    let pacts = find(
        td.state,
        "Bar",
        json!({"providerVersionBranch": "feat-x", "consumerVersionSelectors": [{"matchingBranch": true}]}),
    );
    assert_eq!(summary(td.state, &pacts), pairs(&[("Foo", "3")]));
    assert_eq!(
        short_description(td.state, &pacts[0]),
        "latest from branch feat-x"
    );

    // fallbackBranch is accepted but inert, as in the OSS broker.
    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"branch": "feat-nope", "fallbackBranch": "main"}]}),
    );
    assert!(pacts.is_empty());
}

#[test]
fn deployed_and_released_selectors() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.environment("test", false);
    td.publish("Foo", "1", "Bar");
    let d = td.deploy("Foo", "1", "test");
    td.undeploy(d);
    td.publish("Foo", "2", "Bar");
    td.deploy_to_target("Foo", "2", "test", Some("1"));
    td.publish("Waffle", "3", "Bar");
    td.publish("Waffle", "4", "Bar");
    td.deploy_to_target("Waffle", "4", "test", Some("2"));
    td.environment("prod", true);
    td.publish("Foo", "5", "Bar");
    td.deploy("Foo", "5", "prod");
    td.publish("Foo", "6", "Bar");
    td.release("Foo", "6", "prod");
    let r = td.release("Foo", "5", "test");
    td.end_support(r);

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"deployed": true}]}),
    );
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo", "2"), ("Foo", "5"), ("Waffle", "4")])
    );
    assert_eq!(pacts[0].selectors[0].target.as_deref(), Some("1"));

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"deployed": true, "environment": "test"}]}),
    );
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo", "2"), ("Waffle", "4")])
    );

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"deployed": true, "environment": "test", "consumer": "Foo"}]}),
    );
    assert_eq!(summary(td.state, &pacts), pairs(&[("Foo", "2")]));
    let meta = metadata_for_verifiable_pact(&pacts[0]);
    assert_eq!(meta["s"][0]["e"], json!("test"));

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"released": true}]}),
    );
    assert_eq!(summary(td.state, &pacts), pairs(&[("Foo", "6")]));
    assert_eq!(short_description(td.state, &pacts[0]), "released in prod");

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"environment": "prod"}]}),
    );
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo", "5"), ("Foo", "6")])
    );
    let q = query(
        td.state,
        json!({"consumerVersionSelectors": [{"environment": "prod"}]}),
    );
    let text = render_pact(td.state, &pacts[0], BASE, &q)["verificationProperties"]["notices"][0]
        ["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.ends_with("    * a consumer version in environment prod (5)"),
        "{text}"
    );

    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"deployedOrReleased": true, "environment": "prod"}]}),
    );
    assert_eq!(
        summary(td.state, &pacts),
        pairs(&[("Foo", "5"), ("Foo", "6")])
    );
}

#[test]
fn the_same_version_deployed_to_several_environments() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.environment("test", false);
    td.environment("prod", false);
    td.environment("production", true);
    td.publish("Foo", "1", "Bar");
    td.deploy("Foo", "1", "test");
    td.deploy("Foo", "1", "production");
    td.deploy("Foo", "1", "prod");
    let body =
        json!({"consumerVersionSelectors": [{"deployed": true}], "includePendingStatus": false});
    let pacts = find(td.state, "Bar", body.clone());
    assert_eq!(pacts.len(), 1);
    let envs: Vec<_> = pacts[0]
        .selectors
        .iter()
        .map(|s| td.state.environment(s.environment_id.unwrap()).name.clone())
        .collect();
    // Non-production environments first, by name; production last.
    assert_eq!(envs, vec!["prod", "test", "production"]);
    let q = query(td.state, body);
    let text = render_pact(td.state, &pacts[0], BASE, &q)["verificationProperties"]["notices"][0]
        ["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.ends_with("criteria:\n    * consumer version(s) currently deployed to prod (1), test (1) and production (1)"), "{text}");
    assert_eq!(
        short_description(td.state, &pacts[0]),
        "deployed to prod, deployed to test, deployed to production"
    );
}

#[test]
fn fallback_tags() {
    let setup = |state: &mut State| {
        let mut td = td_like_ruby(state);
        td.publish("Foo", "1", "Bar");
        td.tag("Foo", "1", "master");
        td.publish("Foo", "2", "Bar");
        td.tag("Foo", "2", "feat-x");
        td.publish("Foo2", "3", "Bar");
        td.tag("Foo2", "3", "master");
    };
    let mut state = State::new();
    setup(&mut state);
    let body = |tag: &str, fallback: &str| json!({"consumerVersionSelectors": [{"tag": tag, "fallbackTag": fallback, "latest": true, "consumer": "Foo"}]});

    let pacts = find(&state, "Bar", body("feat-x", "master"));
    assert_eq!(summary(&state, &pacts), pairs(&[("Foo", "2")]));
    assert_eq!(pacts[0].selectors[0].selector.fallback_tag, None);
    assert_eq!(
        short_description(&state, &pacts[0]),
        "latest with tag feat-x"
    );

    let pacts = find(&state, "Bar", body("no-existy", "master"));
    assert_eq!(summary(&state, &pacts), pairs(&[("Foo", "1")]));
    let s = &pacts[0].selectors[0].selector;
    assert_eq!(
        (s.tag.as_deref(), s.fallback_tag.as_deref(), s.latest),
        (Some("no-existy"), Some("master"), Some(true))
    );
    assert_eq!(
        short_description(&state, &pacts[0]),
        "latest with tag master"
    );
    let q = query(&state, body("no-existy", "master"));
    let text = render_pact(&state, &pacts[0], BASE, &q)["verificationProperties"]["notices"][0]
        ["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.ends_with("    * latest version of Foo tagged 'master' (fallback tag used as no pact was found with tag 'no-existy') (1)"));

    assert!(find(&state, "Bar", body("no-existy", "also-no-existy")).is_empty());

    // Without a consumer, every consumer's latest master.
    let pacts = find(
        &state,
        "Bar",
        json!({"consumerVersionSelectors": [{"tag": "no-existy", "fallbackTag": "master", "latest": true}]}),
    );
    assert_eq!(
        summary(&state, &pacts),
        pairs(&[("Foo", "1"), ("Foo2", "3")])
    );
}

// ---- WIP (wip_pacts_spec.rb and repository_find_wip_pact_versions_for_provider*_spec.rb) -------------------

fn wip_body(provider_tag: &str, consumer_tag: &str) -> Value {
    json!({
        "consumerVersionSelectors": [{"tag": consumer_tag, "latest": true, "fallbackTag": "master"}],
        "providerVersionTags": [provider_tag],
        "includeWipPactsSince": day_before_start(),
        "includePendingStatus": true
    })
}

fn default_wip_body() -> Value {
    json!({
        "consumerVersionSelectors": [{"tag": "master", "latest": true}],
        "providerVersionTags": ["master"],
        "includeWipPactsSince": day_before_start(),
        "includePendingStatus": true
    })
}

fn content(n: u32) -> Value {
    json!({"interactions": [{"description": format!("interaction {n}"), "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}]})
}

fn publish_with_tag(td: &mut TestData, version: &str, tag: &str, c: u32) {
    td.publish_content("Foo", version, "Bar", &content(c));
    td.tag("Foo", version, tag);
}

fn wip_href(state: &State, body: &Value) -> String {
    let pacts = find(state, "Bar", body.clone());
    let w = wip(&pacts);
    let q = query(state, body.clone());
    self_href(state, "Bar", w[0], &q)
}

/// The client flow of wip_pacts_spec.rb: results are published, then the provider version is tagged.
fn publish_results_then_tag(
    td: &mut TestData,
    href: &str,
    provider_version: &str,
    tag: &str,
    success: bool,
) {
    publish_results(td, href, "Bar", provider_version, success);
    td.tag("Bar", provider_version, tag);
}

#[test]
fn wip_lifecycle() {
    // First published: included as WIP.
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    publish_with_tag(&mut td, "1", "master", 1);
    publish_with_tag(&mut td, "2", "feat-x", 2);
    let pacts = find(td.state, "Bar", default_wip_body());
    assert_eq!(wip(&pacts).len(), 1);
    assert_eq!(wip(&pacts)[0].pending, Some(true));

    // Verified unsuccessfully (as WIP): still WIP.
    let href = wip_href(td.state, &default_wip_body());
    assert!(decode_metadata(href.split_once("/metadata/").unwrap().1).wip);
    publish_results_then_tag(&mut td, &href, "2", "master", false);
    assert_eq!(wip(&find(td.state, "Bar", default_wip_body())).len(), 1);

    // Verified successfully while WIP: still WIP and pending.
    publish_results_then_tag(&mut td, &href, "2", "master", true);
    let pacts = find(td.state, "Bar", default_wip_body());
    assert_eq!(wip(&pacts).len(), 1);
    assert_eq!(wip(&pacts)[0].pending, Some(true));

    // Merged into master: explicitly selected, so no longer WIP.
    publish_with_tag(&mut td, "3", "master", 2);
    assert_eq!(wip(&find(td.state, "Bar", default_wip_body())).len(), 0);
}

#[test]
fn wip_on_a_second_provider_feature_branch_even_if_the_first_verified_it() {
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    publish_with_tag(&mut td, "2", "feat-x", 2);
    let href = wip_href(td.state, &wip_body("feat-1", "master"));
    publish_results_then_tag(&mut td, &href, "1", "feat-1", true);
    assert_eq!(
        wip(&find(td.state, "Bar", wip_body("feat-2", "master"))).len(),
        1
    );
}

#[test]
fn wip_stays_on_master_after_the_matching_provider_feature_branch_verified_it() {
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    publish_with_tag(&mut td, "2", "feat-x", 2);
    let href = wip_href(td.state, &wip_body("master", "master"));
    publish_results_then_tag(&mut td, &href, "1", "master", false);

    let body = wip_body("feat-x", "feat-x");
    let pacts = find(td.state, "Bar", body.clone());
    assert_eq!(wip(&pacts).len(), 0);
    let href = self_href(td.state, "Bar", &pacts[0], &query(td.state, body));
    publish_results_then_tag(&mut td, &href, "2", "feat-x", true);

    assert_eq!(
        wip(&find(td.state, "Bar", wip_body("master", "master"))).len(),
        1
    );
}

#[test]
fn wip_for_a_brand_new_provider_branch() {
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    publish_with_tag(&mut td, "1", "master", 1);
    let body = wip_body("master", "master");
    let pacts = find(td.state, "Bar", body.clone());
    let href = self_href(td.state, "Bar", &pacts[0], &query(td.state, body));
    publish_results_then_tag(&mut td, &href, "1", "master", true);
    publish_with_tag(&mut td, "2", "feat-x", 2);
    assert_eq!(
        wip(&find(td.state, "Bar", wip_body("feat-y", "master"))).len(),
        1
    );

    // ...and includes pacts published later.
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    publish_with_tag(&mut td, "1", "master", 1);
    publish_with_tag(&mut td, "2", "feat-x", 2);
    let body = wip_body("feat-y", "master");
    let pacts = find(td.state, "Bar", body.clone());
    assert_eq!(wip(&pacts).len(), 1);
    let href = self_href(td.state, "Bar", &pacts[0], &query(td.state, body.clone()));
    publish_results_then_tag(&mut td, &href, "2", "feat-y", true);
    publish_with_tag(&mut td, "3", "feat-x", 2);
    publish_with_tag(&mut td, "4", "feat-z", 3);
    assert_eq!(wip(&find(td.state, "Bar", body)).len(), 2);
}

fn wip_for_branch(state: &State, branch: &str) -> Vec<VerifiablePact> {
    let q = PactsForVerificationQuery {
        provider_version_branch: Some(branch.to_string()),
        include_wip_pacts_since: Some(start() - Duration::days(1)),
        consumer_version_selectors: vec![Selector::latest_for_tag("no-such-tag")],
        ..Default::default()
    };
    pacts_for_verification(state, provider_id(state, "bar"), &q)
}

fn wip_for_tags(state: &State, tags: &[&str]) -> Vec<VerifiablePact> {
    let q = PactsForVerificationQuery {
        provider_version_tags: tags.iter().map(|t| t.to_string()).collect(),
        include_wip_pacts_since: Some(start() - Duration::days(1)),
        consumer_version_selectors: vec![Selector::latest_for_tag("no-such-tag")],
        ..Default::default()
    };
    pacts_for_verification(state, provider_id(state, "bar"), &q)
}

fn multiple_wip_pacts(state: &mut State, provider_tags: bool) {
    let mut td = td_like_ruby(state);
    if provider_tags {
        td.tag("bar", "333", "dev");
    } else {
        td.branch("bar", "333", "dev");
    }
    td.advance(86400);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "feat-1");
    td.advance(86400);
    td.branch("foo", "2", "branch-1");
    td.publish("foo", "2", "bar");
    td.publish("meep", "2", "bar");
    td.tag("meep", "2", "feat-2");
    td.advance(86400);
    td.publish("foo", "3", "bar");
    td.tag("foo", "3", "feat-2");
    td.advance(86400);
    td.publish("meep", "1", "bar");
    td.tag("meep", "1", "feat-1");
}

fn describe_selectors(state: &State, p: &VerifiablePact) -> Vec<String> {
    p.selectors
        .iter()
        .map(|s| {
            let what = match (&s.selector.tag, s.selector.branch_name()) {
                (Some(t), _) => format!("tag {t}"),
                (None, Some(b)) => format!("branch {b}"),
                _ => "?".into(),
            };
            format!("{what} {}", version_number(state, s.consumer_version_id))
        })
        .collect()
}

#[test]
fn wip_pacts_are_sorted_and_carry_their_selectors() {
    for provider_tags in [false, true] {
        let mut state = State::new();
        multiple_wip_pacts(&mut state, provider_tags);
        let pacts = if provider_tags {
            wip_for_tags(&state, &["dev"])
        } else {
            wip_for_branch(&state, "dev")
        };
        assert_eq!(
            summary(&state, &pacts),
            pairs(&[
                ("foo", "1"),
                ("foo", "2"),
                ("foo", "3"),
                ("meep", "2"),
                ("meep", "1")
            ])
        );
        let selectors: Vec<_> = pacts
            .iter()
            .map(|p| describe_selectors(&state, p))
            .collect();
        assert_eq!(
            selectors,
            vec![
                vec!["tag feat-1 1"],
                vec!["branch branch-1 2"],
                vec!["tag feat-2 3"],
                vec!["tag feat-2 2"],
                vec!["tag feat-1 1"]
            ]
        );
        assert!(pacts.iter().all(|p| p.wip && p.pending == Some(true)));
        if provider_tags {
            assert!(pacts
                .iter()
                .all(|p| p.pending_provider_tags == vec!["dev".to_string()]
                    && p.provider_branch.is_none()));
        } else {
            assert!(pacts
                .iter()
                .all(|p| p.provider_branch.as_deref() == Some("dev")));
        }
    }
}

#[test]
fn wip_needs_a_provider_branch_or_tags() {
    let mut state = State::new();
    multiple_wip_pacts(&mut state, false);
    assert!(wip_for_tags(&state, &[]).is_empty());
    // The JSON query says the same.
    let pacts = find(
        &state,
        "bar",
        json!({"includeWipPactsSince": day_before_start(), "consumerVersionSelectors": [{"tag": "x"}]}),
    );
    assert!(pacts.is_empty());
}

#[test]
fn wip_by_branch_exclusions() {
    // Verified successfully by the provider branch: not WIP.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.version("foo", "2");
    td.tag("foo", "2", "prod");
    td.publish("foo", "2", "bar");
    td.branch("bar", "3", "dev");
    td.verify("foo", "2", "bar", "3", true);
    assert!(wip_for_branch(td.state, "dev").is_empty());

    // ...unless that verification was a WIP one.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.branch("bar", "333", "dev");
    td.advance(86400);
    td.publish("foo", "1", "bar");
    td.version("foo", "2");
    td.tag("foo", "2", "feat-1");
    td.publish("foo", "2", "bar");
    td.branch("bar", "3", "dev");
    td.verify_with(
        "foo",
        "2",
        "bar",
        "3",
        NewVerification {
            success: true,
            wip: true,
            ..Default::default()
        },
    );
    assert_eq!(
        summary(td.state, &wip_for_branch(td.state, "dev")),
        pairs(&[("foo", "2")])
    );

    // Failed verifications keep it WIP.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "feat-1");
    td.branch("bar", "3", "dev");
    td.verify("foo", "1", "bar", "3", false);
    assert_eq!(wip_for_branch(td.state, "dev").len(), 1);

    // A successful then a failed verification: not WIP.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "dev");
    td.branch("bar", "3", "dev");
    td.verify("foo", "1", "bar", "3", true);
    td.branch("bar", "5", "dev");
    td.verify("foo", "1", "bar", "5", false);
    assert!(wip_for_branch(td.state, "dev").is_empty());

    // No consumer tags or branches: no candidates.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    assert!(wip_for_branch(td.state, "dev").is_empty());

    // Another provider: nothing.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "baz");
    td.tag("foo", "1", "feat-1");
    td.pacticipant("bar");
    assert!(wip_for_branch(td.state, "dev").is_empty());

    // Published before includeWipPactsSince: not WIP.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "prod");
    let q = PactsForVerificationQuery {
        provider_version_branch: Some("dev".into()),
        include_wip_pacts_since: Some(start() + Duration::days(3)),
        consumer_version_selectors: vec![Selector::latest_for_tag("no-such-tag")],
        ..Default::default()
    };
    assert!(wip(&pacts_for_verification(
        td.state,
        provider_id(td.state, "bar"),
        &q
    ))
    .is_empty());
}

#[test]
fn wip_by_branch_and_verifications_from_other_branches() {
    // A new provider branch; another branch verified it successfully: not WIP.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "main");
    td.branch("bar", "20", "dev");
    td.verify("foo", "1", "bar", "20", true);
    td.verify("foo", "1", "bar", "21", true);
    assert!(wip_for_branch(td.state, "feat-new-branch").is_empty());

    // ...but a failed one does not count.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "main");
    td.branch("bar", "20", "dev");
    td.verify("foo", "1", "bar", "20", false);
    td.verify("foo", "1", "bar", "21", true);
    let pacts = wip_for_branch(td.state, "feat-new-branch");
    assert_eq!(pacts[0].provider_branch.as_deref(), Some("feat-new-branch"));

    // Verified by another branch before the branch's first version: not WIP.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "main");
    td.branch("bar", "20", "dev");
    td.verify("foo", "1", "bar", "20", true);
    td.advance(86400);
    td.branch("bar", "21", "feat-new-branch");
    td.verify("foo", "1", "bar", "21", false);
    assert!(wip_for_branch(td.state, "feat-new-branch").is_empty());

    // ...after it: WIP.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "main");
    td.branch("bar", "21", "feat-new-branch");
    td.verify("foo", "1", "bar", "21", false);
    td.advance(86400);
    td.branch("bar", "20", "dev");
    td.verify("foo", "1", "bar", "20", true);
    assert_eq!(wip_for_branch(td.state, "feat-new-branch").len(), 1);
}

#[test]
fn wip_by_branch_look_back() {
    // Verifications older than 30 days do not count (with the look-back applied).
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "main");
    let now = td.now;
    td.now = now - Duration::days(31);
    td.branch("bar", "1", "dev");
    td.verify("foo", "1", "bar", "1", true);
    td.now = now;
    let q = PactsForVerificationQuery {
        provider_version_branch: Some("dev".into()),
        include_wip_pacts_since: Some(start() - Duration::days(1)),
        consumer_version_selectors: vec![Selector::latest_for_tag("no-such-tag")],
        ..Default::default()
    };
    let bar = provider_id(td.state, "bar");
    assert!(wip(&pacts_for_verification(td.state, bar, &q)).is_empty());
    assert_eq!(
        wip(&pacts_for_verification(
            td.state,
            bar,
            &q.clone().with_now(now)
        ))
        .len(),
        1
    );
}

#[test]
fn wip_candidates_are_the_latest_for_a_tag_and_a_branch() {
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.branch("bar", "333", "dev");
    td.advance(86400);
    td.branch("foo", "1", "branch-1");
    td.tag("foo", "1", "feat-1");
    td.branch("foo", "2", "branch-1");
    td.tag("foo", "2", "feat-1");
    td.publish("foo", "2", "bar");
    let pacts = wip_for_branch(td.state, "dev");
    assert_eq!(pacts.len(), 1);
    assert_eq!(
        describe_selectors(td.state, &pacts[0]),
        vec!["branch branch-1 2", "tag feat-1 2"]
    );

    let q = PactsForVerificationQuery {
        provider_version_branch: Some("dev".into()),
        include_wip_pacts_since: Some(start() - Duration::days(1)),
        ..Default::default()
    };
    let rendered = render_pact(td.state, &pacts[0], BASE, &q);
    let notices = rendered["verificationProperties"]["notices"]
        .as_array()
        .unwrap();
    let sha = pacts[0].sha(td.state);
    assert_eq!(
        notices[0]["text"],
        json!(format!(
            "The pact at http://example.org/pacts/provider/bar/consumer/foo/pact-version/{sha}/metadata/d2lwPXRydWU is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest version of foo from branch 'branch-1' and tagged with 'feat-1' (both have the same content) and it has not yet been successfully verified by a version of bar from branch 'dev' when the pact's application version was explicitly specified in the consumer version selectors). Read more at https://docs.pact.io/go/wip"
        ))
    );
    assert_eq!(
        notices[1]["text"],
        json!("This pact is in pending state for this version of bar because it was included as a 'work in progress' pact. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending")
    );
    assert_eq!(rendered["verificationProperties"]["wip"], json!(true));
    assert_eq!(rendered["verificationProperties"]["pending"], json!(true));
    assert!(rendered["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .ends_with(&format!(
            "/metadata/{}",
            encode_metadata(&json!({"w": true}))
        )));
    assert_eq!(
        short_description(td.state, &pacts[0]),
        "latest from branch branch-1, latest with tag feat-1"
    );
}

#[test]
fn wip_by_tags() {
    // Same content for two tags: one WIP pact with both selectors.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.tag("bar", "333", "dev");
    td.advance(86400);
    td.publish_content("foo", "1", "bar", &content(1));
    td.tag("foo", "1", "feat-1");
    td.advance(86400);
    td.publish_content("foo", "2", "bar", &content(1));
    td.tag("foo", "2", "feat-2");
    let pacts = wip_for_tags(td.state, &["dev"]);
    assert_eq!(summary(td.state, &pacts), pairs(&[("foo", "2")]));
    assert_eq!(pacts[0].selectors.len(), 2);

    // Verified (not as WIP) by a provider version with the tag: excluded.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.version("foo", "2");
    td.tag("foo", "2", "prod");
    td.publish("foo", "2", "bar");
    td.tag("bar", "3", "dev");
    td.verify("foo", "2", "bar", "3", true);
    assert!(wip_for_tags(td.state, &["dev"]).is_empty());

    // Verified by one provider tag but not the other: WIP, pending for the other.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.tag("bar", "44", "feat-1");
    td.advance(86400);
    td.version("foo", "1");
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "prod");
    td.tag("bar", "3", "dev");
    td.verify("foo", "1", "bar", "3", true);
    let pacts = wip_for_tags(td.state, &["dev", "feat-1"]);
    assert_eq!(pacts.len(), 1);
    assert_eq!(pacts[0].pending_provider_tags, vec!["feat-1".to_string()]);

    // Verified successfully by another tag before one tag was first used, but not the other.
    let mut state = State::new();
    let mut td = td_like_ruby(&mut state);
    td.publish("foo", "1", "bar");
    td.tag("foo", "1", "feat-x");
    td.advance(86400);
    td.tag("bar", "1", "dev");
    td.verify("foo", "1", "bar", "1", false);
    td.advance(86400);
    td.tag("bar", "2", "blah");
    td.verify("foo", "1", "bar", "2", true);
    td.advance(86400);
    td.tag("bar", "3", "feat-1");
    td.verify("foo", "1", "bar", "3", false);
    let pacts = wip_for_tags(td.state, &["dev", "feat-1"]);
    assert_eq!(pacts[0].pending_provider_tags, vec!["dev".to_string()]);

    // A provider tag not used yet: any success by another tag excludes it; failures don't.
    for (success, expected) in [(true, 0), (false, 1)] {
        let mut state = State::new();
        let mut td = td_like_ruby(&mut state);
        td.publish("foo", "1", "bar");
        td.tag("foo", "1", "main");
        td.tag("bar", "20", "dev");
        td.verify("foo", "1", "bar", "20", success);
        td.verify("foo", "1", "bar", "21", true);
        assert_eq!(wip_for_tags(td.state, &["feat-new-branch"]).len(), expected);
    }
}

// ---- notices -------------------------------------------------------------------------------------------

#[test]
fn pending_notices() {
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    td.publish("Foo", "1", "Bar");
    td.tag("Foo", "1", "dev");
    let body = json!({"consumerVersionSelectors": [{"tag": "dev", "latest": true}], "providerVersionBranch": "main"});
    let pacts = find(td.state, "Bar", body.clone());
    let q = query(td.state, body);
    let rendered = render_pact(td.state, &pacts[0], BASE, &q);
    let notices = rendered["verificationProperties"]["notices"]
        .as_array()
        .unwrap();
    let whens: Vec<_> = notices
        .iter()
        .map(|n| n["when"].as_str().unwrap())
        .collect();
    assert_eq!(
        whens,
        vec![
            "before_verification",
            "before_verification",
            "after_verification:success_true_published_false",
            "after_verification:success_false_published_false",
            "after_verification:success_true_published_true",
            "after_verification:success_false_published_true"
        ]
    );
    assert_eq!(notices[1]["text"], json!("This pact is in pending state for this version of Bar because a successful verification result for a version of Bar from branch 'main' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending"));
    assert_eq!(notices[2]["text"], json!("This pact is still in pending state for any version of Bar from branch 'main' as the successful verification results have not yet been published."));
    assert_eq!(notices[3]["text"], json!("This pact is still in pending state for any version of Bar from branch 'main' as a successful verification result has not yet been published"));
    assert_eq!(notices[4]["text"], json!("This pact is no longer in pending state for any version of Bar from branch 'main', as a successful verification result has been published. If a verification for a version of Bar fails in the future, it will fail the build. Read more at https://docs.pact.io/go/pending"));
    assert_eq!(notices[5]["text"], notices[3]["text"]);
    // The metadata carries the pending flag for the results.
    let href = rendered["_links"]["self"]["href"].as_str().unwrap();
    let md = decode_metadata(href.split_once("/metadata/").unwrap().1);
    assert_eq!(md.pending, Some(true));
    assert!(!md.wip);
    assert_eq!(
        md.consumer_version_number_for_pact(td.state, pacts[0].consumer_id)
            .as_deref(),
        Some("1")
    );

    // Once verified by main, only the "not pending" reason.
    td.branch("Bar", "7", "main");
    td.verify("Foo", "1", "Bar", "7", true);
    let pacts = find(
        td.state,
        "Bar",
        json!({"consumerVersionSelectors": [{"tag": "dev", "latest": true}], "providerVersionBranch": "main"}),
    );
    let rendered = render_pact(td.state, &pacts[0], BASE, &q);
    let notices = rendered["verificationProperties"]["notices"]
        .as_array()
        .unwrap();
    assert_eq!(notices.len(), 2);
    assert_eq!(notices[1]["text"], json!("This pact has previously been successfully verified by a version of Bar from branch 'main'. If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending"));
    assert_eq!(rendered["verificationProperties"]["pending"], json!(false));
}

#[test]
fn pending_notices_with_tags() {
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    td.publish("Foo", "1", "Bar");
    let body = json!({"providerVersionTags": ["dev", "feat-x"], "consumerVersionSelectors": [{"latest": true}]});
    let pacts = find(td.state, "Bar", body.clone());
    let q = query(td.state, body);
    let rendered = render_pact(td.state, &pacts[0], BASE, &q);
    let n = &rendered["verificationProperties"]["notices"];
    assert!(n[0]["text"].as_str().unwrap().ends_with("matching the following criterion:\n    * latest version of a consumer that has a pact with Bar (1)"));
    assert_eq!(n[1]["text"], json!("This pact is in pending state for this version of Bar because a successful verification result for a versions of Bar with tag 'dev' and 'feat-x' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending"));
    assert_eq!(n[2]["text"], json!("This pact is still in pending state for any versions of Bar with tag 'dev' and 'feat-x' as the successful verification results with these tags have not yet been published."));
}

#[test]
fn without_pending_status_there_is_no_pending_property_or_flag() {
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    td.publish("Foo", "1", "Bar");
    let body = json!({"includePendingStatus": false});
    let pacts = find(td.state, "Bar", body.clone());
    assert_eq!(pacts[0].pending, None);
    let q = query(td.state, body);
    let rendered = render_pact(td.state, &pacts[0], BASE, &q);
    assert!(rendered["verificationProperties"].get("pending").is_none());
    assert_eq!(
        rendered["verificationProperties"]["notices"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(metadata_for_verifiable_pact(&pacts[0]).get("p"), None);
    assert_eq!(
        rendered["_links"]["self"]["name"],
        json!("Pact between Foo (1) and Bar")
    );
}

#[test]
fn webhook_metadata() {
    let mut state = State::new();
    let mut td = TestData::new(&mut state);
    td.publish("Foo", "1.2.3", "Bar");
    let m = metadata_for_webhook("1.2.3", &[]);
    assert_eq!(
        metadata::decode_metadata_map(&m),
        serde_json::from_value::<serde_json::Map<String, Value>>(
            json!({"cvn": "1.2.3", "w": "true"})
        )
        .unwrap()
    );
    let md = decode_metadata(&m);
    assert!(md.wip);
    let foo = td.state.pacticipant_by_name("Foo").unwrap().id;
    assert_eq!(
        md.consumer_version_number_for_pact(td.state, foo)
            .as_deref(),
        Some("1.2.3")
    );
    assert_eq!(md.selector_hashes(td.state), None);
}
