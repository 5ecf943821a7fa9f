//! Acceptance 2: the pull_request loop as a workflow runs it, step by step, against a real broker.
//!
//! Consumer `checkout-web` (a pull request from `feat/express-checkout`) publishes, the gate says
//! unknown (exit 4), the provider `orders-api` records its deployment and a failed verification,
//! the gate says no (exit 1), the provider publishes a successful verification, the gate says yes
//! (exit 0) and the consumer's deployment is recorded. Every step checks exit code, stdout,
//! `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY`.

use pactline_e2e::TestBroker;
use serde_json::{json, Value};

use crate::support::*;

fn consumer_job(broker: &TestBroker) -> Job {
    let event = json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "head": {"sha": HEAD_SHA, "ref": "feat/express-checkout", "repo": {"full_name": "acme/shop"}},
            "base": {"sha": "0000000000000000000000000000000000000001", "ref": "main", "repo": {"full_name": "acme/shop"}},
            "merge_commit_sha": MERGE_SHA,
            "html_url": "https://github.com/acme/shop/pull/7"
        },
        "repository": {"full_name": "acme/shop", "default_branch": "main"}
    });
    Job::github(
        &broker.url,
        "pull_request",
        &event,
        MERGE_SHA,
        "refs/pull/7/merge",
    )
}

fn provider_job(broker: &TestBroker) -> Job {
    let event = json!({
        "ref": "refs/heads/main",
        "after": PROVIDER_SHA,
        "head_commit": {"id": PROVIDER_SHA},
        "repository": {"full_name": "acme/orders-api", "default_branch": "main"}
    });
    let mut job = Job::github(&broker.url, "push", &event, PROVIDER_SHA, "refs/heads/main");
    job.set("GITHUB_REPOSITORY", "acme/orders-api");
    job
}

const FAILING_JUNIT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="2" failures="1">
  <testsuite name="checkout-web - orders-api" tests="2" failures="1">
    <testcase name="a request for an order given an order exists" classname="pact"/>
    <testcase name="a request for order lines given an order exists" classname="pact">
      <failure message="$.body.lines: expected an array but got null" type="BodyMismatch"/>
    </testcase>
  </testsuite>
</testsuites>
"#;

#[test]
fn pull_request_publish_gate_record_verify_deploy() {
    let broker = TestBroker::start();
    create_environment(&broker.url, "production", None);
    let mut web = consumer_job(&broker);
    // Two files of the same pair, as a test suite split across files writes them.
    write_json(
        web.path(),
        "pacts/checkout-web-orders-api.json",
        &pact(
            "checkout-web",
            "orders-api",
            json!([interaction("a request for an order", "/orders/1")]),
        ),
    );
    write_json(
        web.path(),
        "pacts/more/checkout-web-orders-api-lines.json",
        &pact(
            "checkout-web",
            "orders-api",
            json!([interaction("a request for order lines", "/orders/1/lines")]),
        ),
    );

    // 1. publish-pact: the head SHA and head branch, never the merge commit.
    let run = web.step("publish-pact", &["pacts/*.json", "pacts/more"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.output("consumer-version"), HEAD_SHA);
    assert_eq!(run.output("branch"), "feat/express-checkout");
    let pact_url = run.output("pact-urls").to_string();
    assert_eq!(
        pact_url,
        format!(
            "{}/pacts/provider/orders-api/consumer/checkout-web/version/{HEAD_SHA}",
            broker.url
        )
    );
    assert!(
        run.stdout.contains(&format!(
            "consumer version: {HEAD_SHA} (from event payload `pull_request.head.sha`)"
        )),
        "{}",
        run.describe()
    );
    assert!(run.stdout.contains("merged `pacts/checkout-web-orders-api.json`, `pacts/more/checkout-web-orders-api-lines.json`"), "{}", run.describe());
    assert!(
        run.stdout.contains(&format!(
        "Pact successfully published for checkout-web version {HEAD_SHA} and provider orders-api."
    )),
        "{}",
        run.describe()
    );
    assert!(
        !run.everything().contains(MERGE_SHA),
        "the merge SHA leaked: {}",
        run.describe()
    );
    assert!(
        run.summary.starts_with(&format!(
            "### Pacts published for checkout-web version `{HEAD_SHA}`"
        )),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains(
            "- branch `feat/express-checkout` from event payload `pull_request.head.ref`"
        ),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains(&format!(
            "| checkout-web | orders-api | [pact]({pact_url}) |"
        )),
        "{}",
        run.summary
    );
    let version = get_json(
        &format!(
            "{}/pacticipants/checkout-web/versions/{HEAD_SHA}",
            broker.url
        ),
        None,
    );
    assert_eq!(
        version["_embedded"]["branchVersions"][0]["name"],
        "feat/express-checkout"
    );
    assert!(version["buildUrl"]
        .as_str()
        .unwrap()
        .starts_with("https://github.com/acme/shop/actions/runs/4242"));
    let published = get_json(&pact_url, None);
    assert_eq!(
        published["interactions"].as_array().unwrap().len(),
        2,
        "merged pact"
    );

    // 2. can-i-deploy-gate: nothing of orders-api is in production yet → unknown, exit 4,
    //    after polling once. The version defaults to the pull request's head commit.
    let run = web.step(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "checkout-web",
            "--to-environment",
            "production",
            "--retry-while-unknown",
            "1",
            "--retry-interval",
            "0.2",
        ],
    );
    assert_eq!(run.code, 4, "{}", run.describe());
    assert_eq!(run.output("deployable"), "unknown");
    assert!(
        run.output("reason")
            .contains("no version is currently recorded as deployed/released in this environment"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains(
            "Waiting for 1 verification result(s) to be published (retry 1 of 1, next in 0.2 s)"
        ),
        "{}",
        run.describe()
    );
    assert!(run.stdout.contains(&format!("Computer says not yet: verification results are missing: checkout-web {HEAD_SHA} to production")), "{}", run.describe());
    assert!(
        run.stdout.contains(&format!(
            "checkout-web | {HEAD_SHA} | orders-api | ???       | ???"
        )),
        "{}",
        run.describe()
    );
    assert_eq!(run.error_lines().len(), 1, "{}", run.describe());
    assert!(
        run.summary.starts_with("### can-i-deploy: ⏳ unknown"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains(&format!(
            "| checkout-web | `{HEAD_SHA}` | orders-api |  | ❔ not verified |"
        )),
        "{}",
        run.summary
    );

    // 3. The provider's pipeline (push to main): deployment (its version is created with a
    //    notice), then a failed verification with its JUnit report.
    let mut api = provider_job(&broker);
    let run = api.step(
        "record-results",
        &[
            "deployment",
            "--pacticipant",
            "orders-api",
            "--environment",
            "production",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.output("version"), PROVIDER_SHA);
    assert!(run.stdout.contains(&format!(
        "::notice::version `{PROVIDER_SHA}` of `orders-api` was not on the broker, so it was created on branch `main`"
    )), "{}", run.describe());
    assert!(
        run.stdout.contains(&format!(
            "Recorded deployment of orders-api version {PROVIDER_SHA} to production"
        )),
        "{}",
        run.describe()
    );
    assert!(
        run.summary.contains(&format!(
            "orders-api `{PROVIDER_SHA}` deployed to `production`"
        )),
        "{}",
        run.summary
    );
    assert_eq!(
        currently_deployed(&broker.url, "production", "orders-api"),
        vec![PROVIDER_SHA]
    );

    std::fs::write(api.path().join("junit.xml"), FAILING_JUNIT).unwrap();
    let run = api.step(
        "record-results",
        &[
            "verification",
            "--pact-url",
            &pact_url,
            "--exit-code",
            "1",
            "--junit",
            "junit.xml",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.output("success"), "false");
    let failed_url = run.output("verification-url").to_string();
    assert!(
        run.stdout.contains(&format!(
            "Published verification result (failure) of orders-api version {PROVIDER_SHA}"
        )),
        "{}",
        run.describe()
    );
    assert!(
        run.summary
            .starts_with("### Verification result published: ❌ failure"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("JUnit: 2 tests, 1 failed, 0 skipped"),
        "{}",
        run.summary
    );
    let stored = get_json(&failed_url, None);
    assert_eq!(stored["success"], false);
    assert_eq!(
        stored["testResults"][1]["exceptions"][0]["message"],
        "$.body.lines: expected an array but got null"
    );
    let branch = get_json(
        &format!(
            "{}/pacticipants/orders-api/versions/{PROVIDER_SHA}",
            broker.url
        ),
        None,
    );
    assert_eq!(branch["_embedded"]["branchVersions"][0]["name"], "main");

    // 4. The gate now says no: exit 1.
    let run = web.step(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "checkout-web",
            "--version",
            HEAD_SHA,
            "--to-environment",
            "production",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(run.output("deployable"), "false");
    assert!(
        run.output("reason").contains("failed"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("Computer says no ¯\\_(ツ)_/¯"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains(&format!(
            "checkout-web | {HEAD_SHA} | orders-api | {PROVIDER_SHA} | false"
        )),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("VERIFICATION RESULTS"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("/verification-results/1 (failure)"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("::error::can-i-deploy says no"),
        "{}",
        run.describe()
    );
    assert!(
        run.summary.starts_with("### can-i-deploy: ❌ no"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("[❌ failure]("), "{}", run.summary);
    assert!(run.summary.contains("**Reasons**"), "{}", run.summary);

    // 5. A successful verification by the same provider version.
    let run = api.step(
        "record-results",
        &["verification", "--pact-url", &pact_url, "--success"],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.output("success"), "true");
    assert!(
        run.summary
            .starts_with("### Verification result published: ✅ success"),
        "{}",
        run.summary
    );

    // 6. The gate says yes: exit 0.
    let run = web.step(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "checkout-web",
            "--version",
            HEAD_SHA,
            "--to-environment",
            "production",
            "--output",
            "table",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.output("deployable"), "true");
    assert_eq!(
        run.output("reason"),
        "All required verification results are published and successful"
    );
    assert!(
        run.stdout.contains("Computer says yes \\o/"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains(&format!(
            "checkout-web | {HEAD_SHA} | orders-api | {PROVIDER_SHA} | true"
        )),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("/verification-results/2 (success)"),
        "{}",
        run.describe()
    );
    assert!(run.error_lines().is_empty(), "{}", run.describe());
    assert!(
        run.summary.starts_with("### can-i-deploy: ✅ yes"),
        "{}",
        run.summary
    );

    // The same answer as the broker's JSON.
    let run = web.step(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "checkout-web",
            "--version",
            HEAD_SHA,
            "--to-environment",
            "production",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    let json_start = run.stdout.find('{').expect("JSON on stdout");
    let body: Value =
        serde_json::from_str(&run.stdout[json_start..]).expect("stdout is the broker's JSON");
    assert_eq!(body["summary"]["deployable"], true);

    // 7. The consumer's deployment, its version again from the pull request head.
    let run = web.step(
        "record-results",
        &[
            "deployment",
            "--pacticipant",
            "checkout-web",
            "--environment",
            "production",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.output("version"), HEAD_SHA);
    assert!(
        !run.stdout.contains("::notice::"),
        "the version existed: {}",
        run.describe()
    );
    assert!(
        run.summary.contains(&format!(
            "checkout-web `{HEAD_SHA}` deployed to `production`"
        )),
        "{}",
        run.summary
    );
    assert_eq!(
        currently_deployed(&broker.url, "production", "checkout-web"),
        vec![HEAD_SHA]
    );
}

#[test]
fn dry_run_reports_no_but_exits_0() {
    let broker = TestBroker::start();
    create_environment(&broker.url, "production", None);
    let mut web = Job::plain(&broker.url);
    write_json(
        web.path(),
        "pacts/p.json",
        &pact("Web", "API", json!([interaction("get", "/")])),
    );
    assert_eq!(
        web.step("publish-pact", &["pacts", "-a", "1", "--branch", "main"])
            .code,
        0
    );
    let run = web.step(
        "can-i-deploy-gate",
        &[
            "-a",
            "Web",
            "-e",
            "1",
            "--to-environment",
            "production",
            "--dry-run",
            "--retry-while-unknown",
            "5",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.output("deployable"), "unknown");
    assert!(
        run.stdout.contains("[dry-run] Computer says not yet"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout
            .contains("[dry-run] Dry run enabled: exiting 0 instead of 4"),
        "{}",
        run.describe()
    );
    assert!(
        !run.stderr.contains("Waiting for"),
        "dry run does not poll: {}",
        run.describe()
    );
    assert!(
        run.summary
            .starts_with("### can-i-deploy: ⏳ unknown (dry run)"),
        "{}",
        run.summary
    );
}
