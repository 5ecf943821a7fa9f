//! The real broker's matrix scenario tables (`spec/lib/pact_broker/matrix/integration*_spec.rb`),
//! each set up as the broker's spec does and compared with its approved `deployable` and reason
//! classes.

use pactline_broker_domain::builder::TestData;
use pactline_broker_domain::matrix::{
    self, MatrixOptions, MatrixQuery, MatrixResult, Reason, UnresolvedSelector,
};
use pactline_broker_domain::State;
use serde_json::Value;

const INTEGRATION: &str = "matrix_integration_spec.approved.json";
const ENVIRONMENT: &str = "matrix_integration_environment_spec.approved.json";
const IGNORE: &str = "matrix_integration_ignore_spec.approved.json";

fn fixture(file: &str) -> Value {
    let path = format!(
        "{}/../../../shared/fixtures/pact-broker/approvals/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The real broker's `td`: tags are plain records (no branch or main-branch side effects).
fn td(state: &mut State) -> TestData<'_> {
    let mut td = TestData::new(state);
    td.settings.use_first_tag_as_branch = false;
    td.settings.auto_detect_main_branch = false;
    td
}

fn check(file: &str, key: &str, result: &MatrixResult) {
    let fx = fixture(file);
    let expected = fx
        .get(key)
        .unwrap_or_else(|| panic!("no scenario {key:?} in {file}"));
    let mut reasons: Vec<&str> = result
        .summary
        .reasons
        .iter()
        .map(Reason::class_name)
        .collect();
    reasons.sort_unstable();
    let actual = serde_json::json!({"deployable": result.deployable(), "reasons": reasons});
    assert_eq!(
        &actual,
        expected,
        "{key}\nreason: {}",
        result.summary.reason()
    );
}

fn find(state: &State, selectors: Vec<UnresolvedSelector>, options: MatrixOptions) -> MatrixResult {
    matrix::find(state, &MatrixQuery { selectors, options })
}

fn v(name: &str, number: &str) -> UnresolvedSelector {
    UnresolvedSelector::version(name, number)
}

fn p(name: &str) -> UnresolvedSelector {
    UnresolvedSelector::pacticipant(name)
}

fn latest_tagged(name: &str, tag: &str) -> UnresolvedSelector {
    UnresolvedSelector {
        latest: true,
        tag: Some(tag.to_string()),
        ..p(name)
    }
}

fn cvp_latest_tag(tag: &str) -> MatrixOptions {
    MatrixOptions {
        latestby: Some(matrix::LatestBy::Cvp),
        latest: Some(true),
        tag: Some(tag.to_string()),
        ..Default::default()
    }
}

fn cvpv_env(env: &str) -> MatrixOptions {
    MatrixOptions {
        latestby: Some(matrix::LatestBy::Cvpv),
        environment_name: Some(env.to_string()),
        ..Default::default()
    }
}

fn env_only(env: &str) -> MatrixOptions {
    MatrixOptions {
        environment_name: Some(env.to_string()),
        ..Default::default()
    }
}

fn cvpv() -> MatrixOptions {
    MatrixOptions {
        latestby: Some(matrix::LatestBy::Cvpv),
        ..Default::default()
    }
}

/// `td.create_verification(provider_version:, tag_names:, success:)` on the consumer version's pact.
fn verify_tagged(
    td: &mut TestData,
    c: &str,
    cv: &str,
    pr: &str,
    pv: &str,
    tags: &[&str],
    success: bool,
) {
    td.version(pr, pv);
    for t in tags {
        td.tag(pr, pv, t);
    }
    td.verify(c, cv, pr, pv, success);
}

fn one_of_many(result: &MatrixResult, name: &str) -> Vec<bool> {
    result
        .resolved_selectors
        .iter()
        .filter(|s| s.pacticipant_name.as_deref() == Some(name))
        .map(|s| s.one_of_many)
        .collect()
}

// ---- matrix_integration_spec ----------------------------------------------------------------

#[test]
fn find_returns_query_results() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("foo", "1", "bar");
    verify_tagged(&mut td, "foo", "1", "bar", "2", &["prod"], true);
    drop(td);
    let r = find(&state, vec![p("foo")], cvp_latest_tag("prod"));
    assert_eq!(r.resolved_selectors.len(), 2);
    assert_eq!(r.integrations.len(), 1);
    check(
        INTEGRATION,
        "PactBroker::Matrix::Service find find returns a QueryResultsWithDeploymentStatusSummary",
        &r,
    );
}

#[test]
fn provider_with_multiple_prod_consumer_versions_missing_a_verification() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.tag("Foo", "1", "prod");
    verify_tagged(&mut td, "Foo", "1", "Bar", "10", &["test"], true);
    td.version("Foo", "2");
    td.tag("Foo", "2", "prod");
    td.publish("Foo", "2", "Bar");
    drop(td);
    let options = MatrixOptions {
        tag: Some("prod".into()),
        latestby: Some(matrix::LatestBy::Cvp),
        ..Default::default()
    };
    let r = find(&state, vec![latest_tagged("Bar", "test")], options);
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a version of a provider with multiple versions of a consumer in production that is missing a verification for the latest prod version does not allow the provider to be deployed", &r);
}

fn consumer_not_verified_by_any_provider() -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.publish("Foo", "1", "Baz");
    drop(td);
    find(&state, vec![v("Foo", "1")], cvp_latest_tag("prod"))
}

#[test]
fn consumer_not_verified_by_any_provider_returns_2_integrations() {
    let r = consumer_not_verified_by_any_provider();
    assert_eq!(r.integrations.len(), 2);
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer that has not been verified by any providers returns 2 integrations", &r);
}

#[test]
fn consumer_not_verified_by_any_provider_creates_selectors_for_the_providers() {
    let r = consumer_not_verified_by_any_provider();
    assert_eq!(r.resolved_selectors.len(), 3);
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer that has not been verified by any providers it creates selectors for the providers", &r);
}

#[test]
fn consumer_not_verified_by_any_provider_is_not_deployable() {
    let r = consumer_not_verified_by_any_provider();
    assert_ne!(r.deployable(), Some(true));
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer that has not been verified by any providers does not allow the consumer to be deployed", &r);
}

fn issue_33() -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "3.0.0", "Bar");
    verify_tagged(&mut td, "Foo", "3.0.0", "Bar", "10.0.0", &["prod"], true);
    td.publish("Foo", "3.0.0", "Baz");
    verify_tagged(&mut td, "Foo", "3.0.0", "Baz", "20", &["prod"], true);
    td.version("Foo", "2.0.0");
    td.publish("Foo", "2.0.0", "Bar");
    verify_tagged(&mut td, "Foo", "2.0.0", "Bar", "11.0.0", &["prod"], true);
    drop(td);
    find(&state, vec![v("Foo", "3.0.0")], cvp_latest_tag("prod"))
}

#[test]
fn issue_33_returns_2_integrations() {
    let r = issue_33();
    assert_eq!(r.integrations.len(), 2);
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer that has two providers in prod, but it is not verified by one of the prod provider versions, pact_broker-client issue #33 returns 2 integrations", &r);
}

#[test]
fn issue_33_returns_1_row_with_a_verification() {
    let r = issue_33();
    assert_eq!(
        r.rows().filter(|row| row.verification_id.is_some()).count(),
        1
    );
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer that has two providers in prod, but it is not verified by one of the prod provider versions, pact_broker-client issue #33 returns 1 row with a verification", &r);
}

#[test]
fn issue_33_returns_1_row_without_a_verification() {
    let r = issue_33();
    assert_eq!(
        r.rows().filter(|row| row.verification_id.is_none()).count(),
        1
    );
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer that has two providers in prod, but it is not verified by one of the prod provider versions, pact_broker-client issue #33 returns 1 row without a verification", &r);
}

#[test]
fn issue_33_is_not_deployable() {
    let r = issue_33();
    assert_ne!(r.deployable(), Some(true));
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer that has two providers in prod, but it is not verified by one of the prod provider versions, pact_broker-client issue #33 does not allow the consumer to be deployed", &r);
}

#[test]
fn old_consumer_version_before_a_new_provider() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    verify_tagged(&mut td, "Foo", "1", "Bar", "2", &["prod"], true);
    td.version("Foo", "2");
    td.publish("Foo", "2", "Bar");
    td.verify("Foo", "2", "Bar", "3", true);
    td.publish("Foo", "2", "Wiffle");
    td.verify("Foo", "2", "Wiffle", "10", true);
    drop(td);
    let r = find(&state, vec![v("Foo", "1")], cvp_latest_tag("prod"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying an old version of a consumer that has added a new provider since that version allows the old version of the consumer to be deployed", &r);
}

#[test]
fn specified_version_does_not_exist() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    drop(td);
    let r = find(&state, vec![v("Bar", "5")], MatrixOptions::default());
    assert_eq!(
        r.summary.reason(),
        "WARN: It is recommended to specify the environment into which you are deploying. Without the environment, this result will not be reliable.\nNo pacts or verifications have been published for version 5 of Bar"
    );
    check(INTEGRATION, "PactBroker::Matrix::Service find when the specified version does not exist does not allow the app to be deployed", &r);
}

#[test]
fn provider_first_deploy_consumer_not_deployed() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    drop(td);
    let r = find(&state, vec![v("Bar", "2")], cvp_latest_tag("prod"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a provider to prod for the first time and the consumer is not yet deployed allows the app to be deployed", &r);
}

#[test]
fn consumer_first_deploy_provider_not_deployed() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    drop(td);
    let r = find(&state, vec![v("Foo", "1")], cvp_latest_tag("prod"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer to prod for the first time and the provider is not yet deployed does not allow the app to be deployed", &r);
}

fn consumer_and_provider_app(downstream_deployed: bool) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    td.publish("Bar", "2", "Baz");
    if downstream_deployed {
        verify_tagged(&mut td, "Bar", "2", "Baz", "4", &["prod"], true);
    }
    drop(td);
    find(&state, vec![v("Bar", "2")], cvp_latest_tag("prod"))
}

#[test]
fn consumer_and_provider_downstream_not_deployed() {
    let r = consumer_and_provider_app(false);
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying an app that is both a consumer and a provider to prod for the first time and the downstream provider is not yet deployed does not allow the app to be deployed", &r);
}

#[test]
fn consumer_and_provider_downstream_deployed() {
    let r = consumer_and_provider_app(true);
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying an app that is both a consumer and a provider to prod for the first time and the downstream provider has been deployed allows the app to be deployed", &r);
}

#[test]
fn provider_whose_pact_is_not_verified() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.version("Bar", "2");
    drop(td);
    let r = find(&state, vec![v("Bar", "2")], cvp_latest_tag("prod"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a provider where the pact has not been verified allows the app to be deployed", &r);
}

#[test]
fn consumer_verified_but_not_by_the_required_provider_version() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.version("Bar", "2");
    td.tag("Bar", "2", "prod");
    td.version("Bar", "3");
    // `create_verification` without a provider version uses "4.5.6".
    td.verify("Foo", "1", "Bar", "4.5.6", true);
    drop(td);
    let r = find(&state, vec![v("Foo", "1")], cvp_latest_tag("prod"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when deploying a consumer where the pact has been verified, but not by the required provider version returns a reason indicating that the pact has not been verified by the required provider version", &r);
}

fn nureva(state: &mut State) {
    let mut td = td(state);
    td.publish("ServiceB", "100", "ServiceA");
    td.verify("ServiceB", "100", "ServiceA", "99", true);
    td.publish("ServiceA", "1", "ServiceB");
    td.verify("ServiceA", "1", "ServiceB", "100", true);
}

#[test]
fn nureva_both_versions_specified() {
    let mut state = State::new();
    nureva(&mut state);
    let r = find(
        &state,
        vec![v("ServiceA", "1"), v("ServiceB", "100")],
        cvpv(),
    );
    check(INTEGRATION, "PactBroker::Matrix::Service find when two applications have pacts with each other (nureva use case) when both application versions are specified explictly does not allow the two apps to be deployed together", &r);
}

#[test]
fn nureva_one_version_specified() {
    let mut state = State::new();
    nureva(&mut state);
    let options = MatrixOptions {
        latestby: Some(matrix::LatestBy::Cvp),
        latest: Some(true),
        ..Default::default()
    };
    let r = find(&state, vec![v("ServiceB", "100")], options);
    check(INTEGRATION, "PactBroker::Matrix::Service find when two applications have pacts with each other (nureva use case) when only one application is specified does not allow the two apps to be deployed together", &r);
}

fn provider_with_prod_consumers(infer: bool) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    td.tag("Foo", "1", "prod");
    td.version("Foo", "2");
    td.tag("Foo", "2", "prod");
    td.publish("Foo", "2", "Bar");
    td.verify("Foo", "2", "Bar", "2", true);
    td.version("Foo", "3");
    td.publish("Foo", "3", "Bar");
    td.verify("Foo", "3", "Bar", "2", false);
    td.version("Cat", "20");
    td.tag("Cat", "20", "prod");
    td.publish("Cat", "20", "Bar");
    td.version("Dog", "40");
    td.publish("Dog", "40", "Bar");
    td.verify("Dog", "40", "Bar", "2", true);
    drop(td);
    let foo_prod = UnresolvedSelector {
        tag: Some("prod".into()),
        ..p("Foo")
    };
    let options = if infer {
        MatrixOptions {
            latest: Some(true),
            tag: Some("prod".into()),
            ..Default::default()
        }
    } else {
        MatrixOptions::default()
    };
    find(&state, vec![v("Bar", "2"), foo_prod], options)
}

#[test]
fn provider_with_prod_consumers_number_of_integrations() {
    let r = provider_with_prod_consumers(true);
    assert_eq!(r.integrations.len(), 3);
    check(INTEGRATION, "PactBroker::Matrix::Service find specifying a provider which has multiple prod versions of one consumer (explicit) and a single version of another (inferred) with inferred selectors determines the number of integrations", &r);
}

#[test]
fn provider_with_prod_consumers_finds_all_prod_versions_of_foo() {
    let r = provider_with_prod_consumers(true);
    assert_eq!(r.rows().filter(|row| row.consumer_name == "Foo").count(), 2);
    check(INTEGRATION, "PactBroker::Matrix::Service find specifying a provider which has multiple prod versions of one consumer (explicit) and a single version of another (inferred) with inferred selectors finds all prod versions of Foo", &r);
}

#[test]
fn provider_with_prod_consumers_finds_the_single_prod_version_of_cat() {
    let r = provider_with_prod_consumers(true);
    assert_eq!(r.rows().filter(|row| row.consumer_name == "Cat").count(), 1);
    check(INTEGRATION, "PactBroker::Matrix::Service find specifying a provider which has multiple prod versions of one consumer (explicit) and a single version of another (inferred) with inferred selectors finds the single prod version of Cat", &r);
}

#[test]
fn provider_with_prod_consumers_missing_verification_for_cat() {
    let r = provider_with_prod_consumers(true);
    assert_eq!(r.summary.reasons.len(), 1);
    match r.summary.reasons.last() {
        Some(Reason::PactNotEverVerifiedByProvider { consumer, .. }) => {
            assert_eq!(consumer.name(), "Cat")
        }
        other => panic!("unexpected {other:?}"),
    }
    check(INTEGRATION, "PactBroker::Matrix::Service find specifying a provider which has multiple prod versions of one consumer (explicit) and a single version of another (inferred) with inferred selectors is not deployable because of the missing verification for Cat v20", &r);
}

#[test]
fn provider_with_prod_consumers_without_inferred_selectors() {
    let r = provider_with_prod_consumers(false);
    check(INTEGRATION, "PactBroker::Matrix::Service find specifying a provider which has multiple prod versions of one consumer (explicit) and a single version of another (inferred) without inferred selectors is deployable", &r);
}

#[test]
fn consumer_with_two_providers_and_the_verified_one_specified() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    td.tag("Bar", "2", "prod");
    td.publish("Foo", "1", "Wiffle");
    drop(td);
    let r = find(
        &state,
        vec![v("Foo", "1"), latest_tagged("Bar", "prod")],
        cvpv(),
    );
    check(INTEGRATION, "PactBroker::Matrix::Service find when there is a consumer with two providers, and only one of them has a verification, and the consumer and the verified provider are explicitly specified allows the consumer to be deployed", &r);
}

#[test]
fn issue_485_provider_version_without_results() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "1", true);
    td.publish("NotInTest", "1", "Bar");
    td.verify("NotInTest", "1", "Bar", "1", true);
    td.tag("NotInTest", "1", "test");
    td.version("Bar", "2");
    drop(td);
    let r = find(&state, vec![v("Bar", "2")], cvp_latest_tag("test"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when a provider version has no verification results with the consumer version already in the environment does not allow the provider to be deployed", &r);
}

fn adding_a_new_provider(selector: UnresolvedSelector) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("c1", "1", "p1");
    td.tag("c1", "1", "test");
    verify_tagged(&mut td, "c1", "1", "p1", "1", &["test"], true);
    td.publish("c1", "2", "p2");
    td.verify("c1", "2", "p2", "1", true);
    drop(td);
    find(&state, vec![selector], cvp_latest_tag("test"))
}

#[test]
fn adding_a_new_provider_consumer_is_not_deployable() {
    let r = adding_a_new_provider(v("c1", "2"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when adding a new provider c1 v2 is not allowed to be deployed because it relies on p2 which has not been deployed yet", &r);
}

#[test]
fn adding_a_new_provider_provider_is_deployable() {
    let r = adding_a_new_provider(v("p2", "1"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when adding a new provider p2 v1 is allowed to be deployed because the version of c1 that is in test does not care about p2", &r);
}

#[test]
fn deployed_consumer_version_without_pacts() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("c1", "1", "p1");
    td.verify("c1", "1", "p1", "1", true);
    td.version("c1", "2");
    td.tag("c1", "2", "prod");
    drop(td);
    let r = find(&state, vec![v("p1", "1")], cvp_latest_tag("prod"));
    check(INTEGRATION, "PactBroker::Matrix::Service find when the consumer version currently deployed has no pacts with a provider allows the provider to be deployed", &r);
}

#[test]
fn selector_resolving_to_several_versions() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("foo", "1", "bar");
    verify_tagged(&mut td, "foo", "1", "bar", "1", &["prod"], true);
    verify_tagged(&mut td, "foo", "1", "bar", "2", &["prod"], false);
    drop(td);
    let options = MatrixOptions {
        latestby: Some(matrix::LatestBy::Cvp),
        tag: Some("prod".into()),
        ..Default::default()
    };
    let r = find(&state, vec![v("foo", "1")], options);
    match r.summary.reasons.first() {
        Some(Reason::VerificationFailed { provider, .. }) => {
            assert_eq!(provider.pacticipant_version_number.as_deref(), Some("2"))
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        r.summary.reason(),
        "The verification for the pact between version 1 of foo and a version of bar with tag prod (2) failed"
    );
    check(INTEGRATION, "PactBroker::Matrix::Service find when an unresolved selector resolves to more than one resolved selector (ie. all tags) identifies the correct selector for a failing row", &r);
}

// ---- matrix_integration_environment_spec -----------------------------------------------------

fn provider_in_test(first_success: bool) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.environment("test", false);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", first_success);
    td.deploy("Bar", "2", "test");
    td.verify("Foo", "1", "Bar", "3", !first_success);
    drop(td);
    find(&state, vec![v("Foo", "1")], cvpv_env("test"))
}

#[test]
fn env_successful_verification_with_provider_in_test() {
    let r = provider_in_test(true);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when there is a successful verification between the provider in test environment and the consumer to be deployed allows the consumer to be deployed", &r);
}

#[test]
fn env_failed_verification_with_provider_in_test() {
    let r = provider_in_test(false);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when there is an unsuccessful verification between the provider in test environment and the consumer to be deployed does not allow the consumer to be deployed", &r);
}

fn nothing_deployed(selector: UnresolvedSelector) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.environment("test", false);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    drop(td);
    find(&state, vec![selector], cvpv_env("test"))
}

#[test]
fn env_provider_not_deployed() {
    let r = nothing_deployed(v("Foo", "1"));
    assert_eq!(
        r.summary.reason(),
        "There is no verified pact between version 1 of Foo and a version of Bar currently in test (no version is currently recorded as deployed/released in this environment)"
    );
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when the provider has not been deployed to the given environment does not allow the consumer to be deployed", &r);
}

#[test]
fn env_consumer_not_deployed() {
    let r = nothing_deployed(v("Bar", "2"));
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when the consumer has not been deployed to the given environment allows the provider to be deployed", &r);
}

fn provider_with_consumers_in_prod(verify_latest: bool) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.environment("prod", false);
    td.publish("Foo", "1", "Bar");
    td.deploy_to_target("Foo", "1", "prod", Some("1"));
    td.verify("Foo", "1", "Bar", "10", true);
    td.version("Foo", "2");
    td.publish("Foo", "2", "Bar");
    td.deploy_to_target("Foo", "2", "prod", Some("2"));
    if verify_latest {
        td.verify("Foo", "2", "Bar", "10", true);
    }
    drop(td);
    find(&state, vec![v("Bar", "10")], env_only("prod"))
}

#[test]
fn env_knows_there_are_several_consumer_versions_in_prod() {
    let r = provider_with_consumers_in_prod(false);
    assert_eq!(one_of_many(&r, "Bar"), vec![false]);
    assert_eq!(one_of_many(&r, "Foo"), vec![true, true]);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a version of a provider with multiple versions of a consumer in production knows that there are multiple versions of the consumer in production", &r);
}

#[test]
fn env_provider_missing_verification_for_latest_prod_consumer() {
    let r = provider_with_consumers_in_prod(false);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a version of a provider with multiple versions of a consumer in production when a verification for the latest prod version is missing does not allow the provider to be deployed", &r);
}

#[test]
fn env_provider_verified_by_every_prod_consumer() {
    let r = provider_with_consumers_in_prod(true);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a version of a provider with multiple versions of a consumer in production when there is a successful verification for every prod version of the consumer does allow the provider to be deployed", &r);
}

fn consumer_with_providers_in_prod(verify_latest: bool) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.environment("prod", false);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "10", true);
    td.deploy_to_target("Bar", "10", "prod", Some("1"));
    td.version("Foo", "2");
    td.publish("Foo", "2", "Bar");
    td.version("Bar", "11");
    td.deploy_to_target("Bar", "11", "prod", Some("2"));
    if verify_latest {
        td.verify("Foo", "2", "Bar", "11", true);
    }
    drop(td);
    find(&state, vec![v("Foo", "2")], env_only("prod"))
}

#[test]
fn env_knows_there_are_several_provider_versions_in_prod() {
    let r = consumer_with_providers_in_prod(false);
    assert_eq!(one_of_many(&r, "Foo"), vec![false]);
    assert_eq!(one_of_many(&r, "Bar"), vec![true, true]);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a version of a consumer with multiple versions of a provider in production knows that there are multiple versions of the provider in production", &r);
}

#[test]
fn env_consumer_missing_verification_for_latest_prod_provider() {
    let r = consumer_with_providers_in_prod(false);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a version of a consumer with multiple versions of a provider in production when a verification for the latest prod version is missing does not allow the consumer to be deployed", &r);
}

#[test]
fn env_consumer_verified_by_the_latest_prod_provider() {
    let r = consumer_with_providers_in_prod(true);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a version of a consumer with multiple versions of a provider in production when there is a successful verification for every prod version of the consumer does allow the consumer to be deployed", &r);
}

/// Two provider versions in prod, each verifying Foo 1 (released, or deployed to two targets).
fn two_provider_versions_in_prod(
    released: bool,
    targets: [Option<&str>; 2],
    first_success: bool,
) -> MatrixResult {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.environment("prod", false);
    td.publish("Foo", "1", "Bar");
    for (version, target, success) in [("10", targets[0], first_success), ("11", targets[1], true)]
    {
        td.verify("Foo", "1", "Bar", version, success);
        if released {
            td.release("Bar", version, "prod");
        } else {
            td.deploy_to_target("Bar", version, "prod", target);
        }
    }
    drop(td);
    let r = find(&state, vec![v("Foo", "1")], cvpv_env("prod"));
    let expected_rows = if released || targets[0].is_some() {
        2
    } else {
        1
    };
    assert_eq!(r.rows().count(), expected_rows);
    r
}

#[test]
fn env_released_provider_versions_one_failing() {
    let r = two_provider_versions_in_prod(true, [None, None], false);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a consumer with multiple versions of a provider released to production (latestby cvpv) when an older released provider version has a failing verification does not allow the consumer to be deployed", &r);
}

#[test]
fn env_released_provider_versions_all_successful() {
    let r = two_provider_versions_in_prod(true, [None, None], true);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a consumer with multiple versions of a provider released to production (latestby cvpv) when every released provider version has a successful verification allows the consumer to be deployed", &r);
}

#[test]
fn env_targeted_deployments_one_failing() {
    let r = two_provider_versions_in_prod(false, [Some("instance-1"), Some("instance-2")], false);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a consumer with multiple versions of a provider deployed to production on different targets (latestby cvpv) when an older targeted deployment has a failing verification does not allow the consumer to be deployed", &r);
}

#[test]
fn env_targeted_deployments_all_successful() {
    let r = two_provider_versions_in_prod(false, [Some("instance-1"), Some("instance-2")], true);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when deploying a consumer with multiple versions of a provider deployed to production on different targets (latestby cvpv) when every targeted deployment has a successful verification allows the consumer to be deployed", &r);
}

#[test]
fn env_redeployment_without_target_replaces_the_previous_version() {
    let r = two_provider_versions_in_prod(false, [None, None], false);
    check(ENVIRONMENT, "PactBroker::Matrix::Service find with environments when a version is deployed without a target and then replaced by a redeployment (latestby cvpv) only considers the currently deployed version and allows the consumer to be deployed", &r);
}

// ---- matrix_integration_ignore_spec -----------------------------------------------------------

fn ignoring(
    selectors: Vec<UnresolvedSelector>,
    ignore: Vec<UnresolvedSelector>,
    state: &State,
) -> MatrixResult {
    let options = MatrixOptions {
        ignore_selectors: ignore,
        ..cvp_latest_tag("prod")
    };
    find(state, selectors, options)
}

const C: &str =
    "PactBroker::Matrix::Service find when deploying a consumer and ignoring a provider";
const P: &str =
    "PactBroker::Matrix::Service find when deploying a provider and ignoring a consumer";

fn missing_provider_verification() -> State {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.version("Bar", "2");
    td.tag("Bar", "2", "prod");
    drop(td);
    state
}

#[test]
fn ignore_missing_provider_verification() {
    let state = missing_provider_verification();
    let r = ignoring(vec![v("Foo", "1")], vec![p("Bar")], &state);
    assert_eq!(r.summary.counts.ignored, Some(1));
    check(IGNORE, &format!("{C} with a missing verification from a provider deployment_status_summary is expected to be deployable"), &r);
    let r = ignoring(vec![v("Foo", "1")], vec![], &state);
    check(IGNORE, &format!("{C} with a missing verification from a provider without any ignore selectors deployment_status_summary is expected not to be deployable"), &r);
}

fn failed_provider_verification() -> State {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    verify_tagged(&mut td, "Foo", "1", "Bar", "2", &["prod"], false);
    drop(td);
    state
}

#[test]
fn ignore_failed_provider_verification() {
    let state = failed_provider_verification();
    let r = ignoring(vec![v("Foo", "1")], vec![p("Bar")], &state);
    check(IGNORE, &format!("{C} with a failed verification from a provider deployment_status_summary is expected to be deployable"), &r);
    let r = ignoring(vec![v("Foo", "1")], vec![], &state);
    check(IGNORE, &format!("{C} with a failed verification from a provider without any ignore selectors deployment_status_summary is expected not to be deployable"), &r);
}

#[test]
fn ignore_specific_provider_version() {
    let state = failed_provider_verification();
    let r = ignoring(vec![v("Foo", "1")], vec![v("Bar", "2")], &state);
    check(IGNORE, &format!("{C} with a failed verification from a provider when ignoring the specific provider version deployment_status_summary is expected to be deployable"), &r);
}

#[test]
fn ignore_a_different_provider_version() {
    let state = failed_provider_verification();
    let r = ignoring(vec![v("Foo", "1")], vec![v("Bar", "999")], &state);
    assert_eq!(
        r.summary.reasons[0].text(),
        "WARN: Cannot ignore version 999 of Bar (no such version exists)"
    );
    check(IGNORE, &format!("{C} with a failed verification from a provider when ignoring a different specific provider version deployment_status_summary is expected not to be deployable"), &r);
}

#[test]
fn ignore_provider_not_deployed() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    drop(td);
    let r = ignoring(vec![v("Foo", "1")], vec![p("Bar")], &state);
    check(IGNORE, &format!("{C} when the provider has not been deployed deployment_status_summary is expected to be deployable"), &r);
    let r = ignoring(vec![v("Foo", "1")], vec![], &state);
    check(IGNORE, &format!("{C} when the provider has not been deployed without any ignore selectors deployment_status_summary is expected not to be deployable"), &r);
}

#[test]
fn ignore_with_consumer_and_provider_specified() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    verify_tagged(&mut td, "Foo", "1", "Bar", "2", &["prod"], false);
    drop(td);
    let selectors = || vec![v("Foo", "1"), latest_tagged("Bar", "prod")];
    let r = ignoring(selectors(), vec![p("Bar")], &state);
    check(IGNORE, &format!("{C} when the consumer and provider have been specified deployment_status_summary is expected to be deployable"), &r);
    let r = ignoring(selectors(), vec![], &state);
    check(IGNORE, &format!("{C} when the consumer and provider have been specified without any ignore selectors deployment_status_summary is expected not to be deployable"), &r);
}

#[test]
fn ignore_with_specified_provider_version_missing() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    drop(td);
    let selectors = || vec![v("Foo", "1"), latest_tagged("Bar", "prod")];
    let r = ignoring(selectors(), vec![p("Bar")], &state);
    check(IGNORE, &format!("{C} when the consumer and provider have been specified and the provider version specified does not exist deployment_status_summary is expected to be deployable"), &r);
    let r = ignoring(selectors(), vec![], &state);
    assert_eq!(
        r.summary.reason(),
        "No version with tag prod exists for Bar"
    );
    check(IGNORE, &format!("{C} when the consumer and provider have been specified and the provider version specified does not exist without any ignore selectors deployment_status_summary is expected not to be deployable"), &r);
}

#[test]
fn ignore_provider_that_does_not_exist() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "NotBar");
    td.verify("Foo", "1", "NotBar", "2", true);
    drop(td);
    let r = ignoring(vec![v("Foo", "1")], vec![p("Bar")], &state);
    assert_eq!(
        r.summary.reasons[0].text(),
        "WARN: Cannot ignore any version of Bar (no such pacticipant exists)"
    );
    check(IGNORE, &format!("{C} when the provider to ignore does not exist includes a warning about the incorrect ignore selector"), &r);
}

#[test]
fn ignore_provider_version_that_does_not_exist() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "2", true);
    drop(td);
    let r = ignoring(vec![v("Foo", "1")], vec![v("Bar", "999")], &state);
    check(IGNORE, &format!("{C} when the provider version to ignore does not exist includes a warning about the incorrect ignore selector"), &r);
}

#[test]
fn ignore_consumer_missing_verification() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.tag("Foo", "1", "prod");
    td.version("Bar", "2");
    drop(td);
    let r = ignoring(vec![v("Bar", "2")], vec![], &state);
    check(IGNORE, &format!("{P} with a missing verification from a provider does not allows the provider to be deployed"), &r);
}

fn failed_consumer_verification() -> State {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.tag("Foo", "1", "prod");
    td.verify("Foo", "1", "Bar", "2", false);
    drop(td);
    state
}

#[test]
fn ignore_consumer_failed_verification() {
    let state = failed_consumer_verification();
    let r = ignoring(vec![v("Bar", "2")], vec![p("Foo")], &state);
    check(IGNORE, &format!("{P} with a failed verification from a provider deployment_status_summary is expected to be deployable"), &r);
    let r = ignoring(vec![v("Bar", "2")], vec![], &state);
    check(IGNORE, &format!("{P} with a failed verification from a provider without any ignore selectors deployment_status_summary is expected not to be deployable"), &r);
}

#[test]
fn ignore_specific_consumer_version() {
    let state = failed_consumer_verification();
    let r = ignoring(vec![v("Bar", "2")], vec![v("Foo", "1")], &state);
    check(IGNORE, &format!("{P} with a failed verification from a provider when ignoring the specific consumer version deployment_status_summary is expected to be deployable"), &r);
}

#[test]
fn ignore_wrong_consumer_version() {
    let state = failed_consumer_verification();
    let r = ignoring(vec![v("Bar", "2")], vec![v("Foo", "wrong")], &state);
    check(IGNORE, &format!("{P} with a failed verification from a provider when ignoring the wrong specific consumer version deployment_status_summary is expected not to be deployable"), &r);
}

/// Every scenario of the three tables is exercised above.
#[test]
fn every_scenario_is_covered() {
    let source = include_str!("matrix_scenarios.rs");
    for (file, prefixes) in [
        (INTEGRATION, vec![]),
        (ENVIRONMENT, vec![]),
        (IGNORE, vec![(C, "{C}"), (P, "{P}")]),
    ] {
        let fx = fixture(file);
        for key in fx.as_object().into_iter().flat_map(|m| m.keys()) {
            let mut written = key.clone();
            for (long, short) in &prefixes {
                written = written.replace(long, short);
            }
            assert!(
                source.contains(&format!("\"{written}\"")),
                "scenario not covered: {key}"
            );
        }
    }
}

// ---- other behaviour pinned by the broker's specs ---------------------------------------------

/// `repository_latestby_filtering_spec.rb`: the limit is applied before `latestby`.
#[test]
fn limit_applies_before_latestby() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "2", "Bar");
    td.verify("Foo", "2", "Bar", "20", true);
    td.advance(86_400);
    td.publish("Foo", "1", "Bar");
    td.verify("Foo", "1", "Bar", "10", true);
    td.verify("Foo", "1", "Bar", "11", false);
    td.verify("Foo", "1", "Bar", "12", true);
    drop(td);
    let rows = |options: MatrixOptions| -> Vec<(String, Option<String>)> {
        find(&state, vec![p("Foo"), p("Bar")], options)
            .rows()
            .map(|r| {
                (
                    r.consumer_version_number.clone(),
                    r.provider_version_number.clone(),
                )
            })
            .collect()
    };
    let cvp = |limit| MatrixOptions {
        latestby: Some(matrix::LatestBy::Cvp),
        limit,
        ..Default::default()
    };
    assert_eq!(
        rows(cvp(None)),
        vec![
            ("1".into(), Some("12".into())),
            ("2".into(), Some("20".into()))
        ]
    );
    assert_eq!(rows(cvp(Some(2))), vec![("1".into(), Some("12".into()))]);
    let every = MatrixOptions {
        limit: Some(10),
        ..Default::default()
    };
    assert_eq!(rows(every).len(), 4);
}

/// With one selector and nothing inferred, the broker takes the most recent `limit` publications
/// of the whole broker before looking for the selector's (`matching_one_selector_for_either_consumer_or_provider`).
#[test]
fn one_selector_sees_only_the_most_recent_publications() {
    let mut state = State::new();
    let mut td = td(&mut state);
    for n in ["1", "2", "3"] {
        td.publish("Foo", n, "Bar");
        td.verify("Foo", n, "Bar", n, true);
    }
    drop(td);
    let q =
        |query: &str| matrix::matrix(&state, &matrix::parse_matrix_query(query).unwrap()).unwrap();
    let r = q("q[][pacticipant]=Foo&q[][version]=1");
    assert_eq!(r.considered_rows.len(), 1);
    assert_eq!(r.deployable(), Some(true));
    // Foo 1's pact is not among the 2 latest, so there is no row; the integration (found without
    // that limit) is then missing.
    let r = q("q[][pacticipant]=Foo&q[][version]=1&limit=2");
    assert!(r.considered_rows.is_empty());
    assert_eq!(r.deployable(), None);
    assert!(matches!(
        r.summary.reasons[1],
        Reason::PactNotVerifiedByRequiredProviderVersion { .. }
    ));
    assert_eq!(
        r.summary.reason(),
        "WARN: It is recommended to specify the environment into which you are deploying. Without the environment, this result will not be reliable.\nThere is no verified pact between version 1 of Foo and any version of Bar"
    );
    let r = q("q[][pacticipant]=Bar&limit=2&latestby=cvpv");
    let provider_versions: Vec<_> = r
        .rows()
        .filter_map(|r| r.provider_version_number.clone())
        .collect();
    assert_eq!(provider_versions, vec!["3", "2"]);
}

#[test]
fn descriptions() {
    let mut state = State::new();
    let mut td = td(&mut state);
    td.publish("Foo", "1", "Bar");
    td.branch("Bar", "7", "main");
    td.branch("Bar", "8", "main");
    td.tag("Bar", "8", "prod");
    td.environment("test", false);
    td.release("Bar", "7", "test");
    td.release("Bar", "8", "test");
    drop(td);
    let describe = |selector: UnresolvedSelector| -> Vec<String> {
        let r = find(
            &state,
            vec![v("Foo", "1"), selector],
            MatrixOptions::default(),
        );
        r.resolved_selectors[1..]
            .iter()
            .map(|s| s.description())
            .collect()
    };
    let b = |branch: &str, latest: bool| UnresolvedSelector {
        branch: Some(branch.into()),
        latest,
        ..p("Bar")
    };
    assert_eq!(
        describe(b("main", false)),
        vec![
            "one of the versions of Bar from branch main (7)",
            "one of the versions of Bar from branch main (8)"
        ]
    );
    assert_eq!(
        describe(b("main", true)),
        vec!["the latest version of Bar from branch main (8)"]
    );
    assert_eq!(
        describe(b("feat", true)),
        vec!["the latest version of Bar from branch feat (no such version exists)"]
    );
    assert_eq!(
        describe(b("feat", false)),
        vec!["a version of Bar from branch feat (no such version exists)"]
    );
    assert_eq!(
        describe(latest_tagged("Bar", "prod")),
        vec!["the latest version of Bar with tag prod (8)"]
    );
    let env = |name: &str| UnresolvedSelector {
        environment_name: Some(name.into()),
        ..p("Bar")
    };
    assert_eq!(
        describe(env("test")),
        vec![
            "one of the versions of Bar currently in test (7)",
            "one of the versions of Bar currently in test (8)"
        ]
    );
    let main = |latest: bool| UnresolvedSelector {
        main_branch: true,
        latest,
        ..p("Bar")
    };
    assert_eq!(
        describe(main(true)),
        vec!["the latest version of Bar from the main branch (no versions exist for this branch)"]
    );
    assert_eq!(
        describe(v("Bar", "9")),
        vec!["version 9 of Bar (no such version exists)"]
    );
    assert_eq!(describe(p("Bar")), vec!["any version of Bar"]);
    let latest = UnresolvedSelector {
        latest: true,
        ..p("Bar")
    };
    assert_eq!(describe(latest), vec!["the latest version of Bar (8)"]);

    // A main branch resolves to its versions, described by the branch's name.
    let mut td = self::td(&mut state);
    td.tx(|tx, _| {
        let mut bar = tx.state().pacticipant_by_name("Bar").unwrap().clone();
        bar.main_branch = Some("main".into());
        tx.apply(pactline_broker_domain::Change::PutPacticipant(bar));
    });
    drop(td);
    let r = find(
        &state,
        vec![v("Foo", "1"), main(true)],
        MatrixOptions::default(),
    );
    assert_eq!(
        r.resolved_selectors[1].description(),
        "the latest version of Bar from branch main (8)"
    );
}
