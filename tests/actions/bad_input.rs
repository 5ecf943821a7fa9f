//! Acceptance 4: bad input gives one error line naming the input, exit 2 (rejected credentials: 3),
//! and nothing published; a token passed in never shows up in any output, summary or error.

use pactline_e2e::{BrokerOptions, TestBroker};
use serde_json::json;

use crate::support::*;

const TOKEN: &str = "pl-tok-7fd0c1d9e4b2a6f3";
const WRONG_TOKEN: &str = "pl-wrong-0a9b8c7d6e5f4321";

fn valid_pact() -> serde_json::Value {
    pact(
        "Web",
        "API",
        json!([interaction("get an order", "/orders/1")]),
    )
}

/// Runs publish-pact and checks: exit code, exactly one error line containing `wants`, nothing on the broker.
fn assert_rejected(
    broker: &TestBroker,
    job: &mut Job,
    args: &[&str],
    code: i32,
    wants: &[&str],
) -> StepRun {
    let run = job.step("publish-pact", args);
    assert_eq!(run.code, code, "{}", run.describe());
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "one error line: {}", run.describe());
    for want in wants {
        assert!(errors[0].contains(want), "`{want}` in {}", errors[0]);
    }
    assert!(run.outputs.is_empty(), "{}", run.describe());
    assert!(
        pacticipant_names(&broker.url, None).is_empty(),
        "nothing published"
    );
    run
}

#[test]
fn invalid_missing_and_mismatched_pact_files_are_input_errors() {
    let broker = TestBroker::start();
    let mut job = Job::plain(&broker.url);
    write_json(job.path(), "pacts/good.json", &valid_pact());
    std::fs::write(
        job.path().join("pacts/broken.json"),
        "{\"consumer\": {\"name\": \"Web\"},",
    )
    .unwrap();
    assert_rejected(
        &broker,
        &mut job,
        &["pacts", "-a", "1"],
        2,
        &[
            "pact file `pacts/broken.json`: not valid JSON",
            "nothing was published",
        ],
    );
    std::fs::remove_file(job.path().join("pacts/broken.json")).unwrap();

    assert_rejected(
        &broker,
        &mut job,
        &["pacts/good.json", "pacts/gone.json", "-a", "1"],
        2,
        &["pact file `pacts/gone.json` does not exist"],
    );

    write_json(
        job.path(),
        "pacts/no-provider.json",
        &json!({"consumer":{"name":"Web"},"interactions":[]}),
    );
    assert_rejected(
        &broker,
        &mut job,
        &["pacts", "-a", "1"],
        2,
        &["pact file `pacts/no-provider.json`: `provider.name` is missing"],
    );
    std::fs::remove_file(job.path().join("pacts/no-provider.json")).unwrap();

    write_json(
        job.path(),
        "pacts/no-interactions.json",
        &json!({"consumer":{"name":"Web"},"provider":{"name":"API"}}),
    );
    assert_rejected(
        &broker,
        &mut job,
        &["pacts", "-a", "1"],
        2,
        &["pact file `pacts/no-interactions.json`: has no `interactions` or `messages` array"],
    );
    std::fs::remove_file(job.path().join("pacts/no-interactions.json")).unwrap();

    write_json(
        job.path(),
        "pacts/mobile.json",
        &pact("Mobile", "API", json!([interaction("get", "/")])),
    );
    assert_rejected(
        &broker,
        &mut job,
        &["pacts", "-a", "1"],
        2,
        &[
            "2 different consumers",
            "`Mobile` in `pacts/mobile.json`",
            "`Web` in `pacts/good.json`",
        ],
    );
    std::fs::remove_file(job.path().join("pacts/mobile.json")).unwrap();

    // The same interaction with different content in two files of one pair.
    let mut changed = interaction("get an order", "/orders/2");
    changed["response"]["status"] = json!(404);
    write_json(
        job.path(),
        "pacts/stale.json",
        &pact("Web", "API", json!([changed])),
    );
    assert_rejected(
        &broker,
        &mut job,
        &["pacts", "-a", "1"],
        2,
        &[
            "`pacts/good.json`",
            "`pacts/stale.json`",
            "`get an order` given `an order exists`",
        ],
    );
}

#[test]
fn no_detectable_version_is_an_input_error() {
    let broker = TestBroker::start();
    // Off CI, in a directory that is not a git checkout.
    let mut job = Job::plain(&broker.url);
    write_json(job.path(), "pacts/p.json", &valid_pact());
    assert_rejected(
        &broker,
        &mut job,
        &["pacts"],
        2,
        &[
            "no consumer version: pass `--consumer-app-version`",
            "not a git repository",
        ],
    );

    // A pull_request event whose payload lacks the head SHA: $GITHUB_SHA (the merge commit) is not taken.
    let mut job = Job::github(
        &broker.url,
        "pull_request",
        &json!({"number": 3, "pull_request": {"head": {"ref": "feat"}}}),
        MERGE_SHA,
        "refs/pull/3/merge",
    );
    write_json(job.path(), "pacts/p.json", &valid_pact());
    let run = assert_rejected(
        &broker,
        &mut job,
        &["pacts"],
        2,
        &["no consumer version", "`pull_request.head.sha`"],
    );
    assert!(run.stdout.starts_with("::error::"), "{}", run.describe());

    let mut job = Job::plain(&broker.url);
    let run = job.step(
        "record-results",
        &["deployment", "-a", "Web", "--environment", "production"],
    );
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.error_lines()[0].contains("no version: pass `--version`"),
        "{}",
        run.describe()
    );
}

#[test]
fn malformed_urls_and_usage_errors_exit_2() {
    let broker = TestBroker::start();
    let mut job = Job::plain(&broker.url);
    write_json(job.path(), "pacts/p.json", &valid_pact());
    assert_rejected(
        &broker,
        &mut job,
        &[
            "pacts",
            "-a",
            "1",
            "--broker-base-url",
            "broker.internal:9292",
        ],
        2,
        &[
            "`--broker-base-url` (`PACT_BROKER_BASE_URL`) is wrong",
            "`broker.internal:9292`",
        ],
    );
    assert_rejected(
        &broker,
        &mut job,
        &[
            "pacts",
            "-a",
            "1",
            "--broker-base-url",
            "ftp://broker.internal",
        ],
        2,
        &["the scheme is `ftp`"],
    );
    assert_rejected(
        &broker,
        &mut job,
        &["pacts", "-a", "1", "--no-such-flag"],
        2,
        &["--no-such-flag", "run with `--help` for usage"],
    );

    let run = job.step(
        "record-results",
        &[
            "verification",
            "--pact-url",
            "not a url",
            "--provider-app-version",
            "1",
            "--success",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.error_lines()[0].contains("`--pact-url` is wrong"),
        "{}",
        run.describe()
    );

    let run = job.step(
        "can-i-deploy-gate",
        &["--version", "1", "--pacticipant", "Web"],
    );
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.error_lines()[0].contains("`--version` must follow the `--pacticipant`"),
        "{}",
        run.describe()
    );

    let run = job.step(
        "can-i-deploy-gate",
        &[
            "--pacticipant",
            "Web",
            "--version",
            "1",
            "--to-environment",
            "production",
            "--to",
            "prod",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.describe());

    let run = job.step(
        "record-results",
        &[
            "deployment",
            "-a",
            "Web",
            "-e",
            "1",
            "--environment",
            "nowhere",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.error_lines()[0].contains("no environment named `nowhere` on the broker"),
        "{}",
        run.describe()
    );
}

fn token_broker() -> TestBroker {
    TestBroker::start_with(BrokerOptions {
        env: vec![("PACTLINE_BROKER_TOKEN".into(), TOKEN.into())],
        ..BrokerOptions::default()
    })
}

/// The secret may appear only in `::add-mask::` commands, which the runner consumes and never shows.
fn assert_never_shown(run: &StepRun, secret: &str) {
    for (i, line) in run.everything().lines().enumerate() {
        if line.contains(secret) {
            assert!(
                line.starts_with("::add-mask::"),
                "line {i} shows the secret: {line}\n{}",
                run.describe()
            );
        }
    }
}

#[test]
fn rejected_credentials_exit_3_and_the_token_is_never_shown() {
    let broker = token_broker();
    let names = |b: &TestBroker| pacticipant_names(&b.url, Some(TOKEN));

    // Off GitHub, the wrong token passed as a flag.
    let mut job = Job::plain(&broker.url);
    write_json(job.path(), "pacts/p.json", &valid_pact());
    let run = job.step(
        "publish-pact",
        &["pacts", "-a", "1", "--broker-token", WRONG_TOKEN],
    );
    assert_eq!(run.code, 3, "{}", run.describe());
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.describe());
    assert!(
        errors[0].contains("the broker answered 401 Unauthorized"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("check `--broker-token` (`PACT_BROKER_TOKEN`)"),
        "{}",
        errors[0]
    );
    assert!(
        !run.everything().contains(WRONG_TOKEN),
        "{}",
        run.describe()
    );
    assert!(names(&broker).is_empty(), "nothing published");

    // On GitHub, from the environment: masked first, so only `::add-mask::` carries it.
    let mut job = Job::github(
        &broker.url,
        "push",
        &json!({"ref": "refs/heads/main"}),
        "abc123",
        "refs/heads/main",
    );
    job.set("PACT_BROKER_TOKEN", WRONG_TOKEN);
    write_json(job.path(), "pacts/p.json", &valid_pact());
    let run = job.step("publish-pact", &["pacts"]);
    assert_eq!(run.code, 3, "{}", run.describe());
    assert!(
        run.stdout.contains(&format!("::add-mask::{WRONG_TOKEN}")),
        "{}",
        run.describe()
    );
    assert_never_shown(&run, WRONG_TOKEN);
    assert!(names(&broker).is_empty(), "nothing published");

    // Basic credentials the broker does not know, inside the URL: the URL is shown redacted.
    let port = broker.url.rsplit(':').next().unwrap();
    let mut job = Job::plain(&format!("http://ci:{WRONG_TOKEN}@127.0.0.1:{port}"));
    write_json(job.path(), "pacts/p.json", &valid_pact());
    let run = job.step("publish-pact", &["pacts", "-a", "1"]);
    assert_eq!(run.code, 3, "{}", run.describe());
    assert!(
        run.error_lines()[0].contains(&format!("http://***@127.0.0.1:{port}/")),
        "{}",
        run.describe()
    );
    assert!(
        !run.everything().contains(WRONG_TOKEN),
        "{}",
        run.describe()
    );
}

#[test]
fn the_right_token_works_everywhere_and_never_shows() {
    let broker = token_broker();
    create_environment(&broker.url, "production", Some(TOKEN));
    let mut job = Job::github(
        &broker.url,
        "push",
        &json!({"ref": "refs/heads/main"}),
        "c0ffee00",
        "refs/heads/main",
    );
    job.set("PACT_BROKER_TOKEN", TOKEN);
    write_json(job.path(), "pacts/p.json", &valid_pact());
    let mut runs = vec![job.step("publish-pact", &["pacts"])];
    assert_eq!(runs[0].code, 0, "{}", runs[0].describe());
    let pact_url = runs[0].output("pact-urls").to_string();
    runs.push(job.step(
        "record-results",
        &[
            "verification",
            "--pact-url",
            &pact_url,
            "--provider-app-version",
            "p1",
            "--success",
        ],
    ));
    runs.push(job.step(
        "can-i-deploy-gate",
        &["-a", "Web", "--to-environment", "production"],
    ));
    runs.push(job.step(
        "record-results",
        &["deployment", "-a", "Web", "--environment", "production"],
    ));
    // A failure with the token in play: a pacticipant the broker does not know.
    runs.push(job.step(
        "record-results",
        &[
            "deployment",
            "-a",
            "Nobody",
            "-e",
            "1",
            "--environment",
            "production",
        ],
    ));
    let codes: Vec<i32> = runs.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        vec![0, 0, 4, 0, 2],
        "{:#?}",
        runs.iter().map(StepRun::describe).collect::<Vec<_>>()
    );
    for run in &runs {
        assert_never_shown(run, TOKEN);
    }
    assert_eq!(names(&broker), vec!["API", "Web"]);

    fn names(b: &TestBroker) -> Vec<String> {
        let mut n = pacticipant_names(&b.url, Some(TOKEN));
        n.sort();
        n
    }
}
