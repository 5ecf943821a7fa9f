//! The contract-change loop end to end, with real processes over loopback: setup-webhook creates
//! the broker webhook, a consumer publishes, the broker sends the repository_dispatch to a fake
//! GitHub, and verify-on-change runs on that event against the example provider (natively, or
//! with the provider's own tests as a command) and records the results that can-i-deploy reads.

mod fake;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pactline_e2e::{bin, client, workspace_root, BrokerOptions, TestBroker};
use serde_json::{json, Value};

use fake::Server;

const PROVIDER: &str = "orders-api";
const CONSUMER_SHA: &str = "c0ffee1";
/// The provider version deployed to production, which the broker asks to verify.
const PROVIDER_VERSION: &str = "p1";
/// The token the broker holds as the secret `GITHUB_TOKEN`.
const DISPATCH_TOKEN: &str = "ghp_dispatch_s3cret";
/// The token verify-on-change sets commit statuses with.
const STATUS_TOKEN: &str = "ghs_status_s3cret";

fn example_pact() -> PathBuf {
    workspace_root().join("workflows-examples/example/consumer.pact.json")
}

/// A broker that may call the fake GitHub on loopback, retrying quickly.
fn broker() -> TestBroker {
    TestBroker::start_with(BrokerOptions {
        args: [
            "--webhook-scheme-whitelist",
            "http,https",
            "--webhook-host-whitelist",
            "127.0.0.1",
            "--webhook-retry-schedule",
            "1,1",
        ]
        .map(String::from)
        .to_vec(),
        env: vec![(
            "PACTLINE_BROKER_SECRET_GITHUB_TOKEN".into(),
            DISPATCH_TOKEN.into(),
        )],
        ..BrokerOptions::default()
    })
}

/// What one step left behind.
#[derive(Debug)]
struct Step {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: HashMap<String, String>,
    summary: String,
}

impl Step {
    fn output(&self, name: &str) -> &str {
        self.outputs.get(name).map_or("", String::as_str)
    }
}

/// Parses `$GITHUB_OUTPUT` heredoc entries.
fn parse_outputs(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut lines = text.lines();
    while let Some(header) = lines.next() {
        let Some((name, delim)) = header.split_once("<<") else {
            continue;
        };
        let mut value = Vec::new();
        for line in lines.by_ref() {
            if line == delim {
                break;
            }
            value.push(line);
        }
        out.insert(name.to_string(), value.join("\n"));
    }
    out
}

/// Runs a binary as a workflow step: a clean environment with the runner's files in `dir`, the
/// broker and the fake GitHub, plus `env`.
fn step(
    name: &str,
    args: &[&str],
    env: &[(&str, &str)],
    broker: &TestBroker,
    github: &str,
    dir: &Path,
) -> Step {
    let output_file = dir.join(format!("{name}-output"));
    let summary_file = dir.join(format!("{name}-summary"));
    let _ = std::fs::remove_file(&output_file);
    let _ = std::fs::remove_file(&summary_file);
    let mut cmd = Command::new(bin(name));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_STEP_SUMMARY", &summary_file)
        .env("PACT_BROKER_BASE_URL", &broker.url)
        .env("GITHUB_API_URL", github)
        .env("PACT_DO_NOT_TRACK", "true");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {name}: {e}"));
    Step {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outputs: parse_outputs(&std::fs::read_to_string(&output_file).unwrap_or_default()),
        summary: std::fs::read_to_string(&summary_file).unwrap_or_default(),
    }
}

fn assert_code(step: &Step, code: i32, what: &str) {
    assert_eq!(
        step.code, code,
        "{what}: exit code\n--- stdout\n{}\n--- stderr\n{}",
        step.stdout, step.stderr
    );
}

/// The production environment with provider version `p1` deployed in it: the version the broker
/// will ask to verify a changed pact.
fn deploy_provider(broker: &TestBroker, github: &str, dir: &Path) {
    let res = client()
        .post(broker.url("/environments"))
        .json(&json!({"name": "production", "production": true}))
        .send()
        .unwrap();
    assert!(
        res.status().is_success(),
        "creating the environment: {}",
        res.status()
    );
    let s = step(
        "record-results",
        &[
            "deployment",
            "--pacticipant",
            PROVIDER,
            "--version",
            PROVIDER_VERSION,
            "--environment",
            "production",
        ],
        &[],
        broker,
        github,
        dir,
    );
    assert_code(&s, 0, "record-results deployment");
}

fn publish(broker: &TestBroker, github: &str, dir: &Path, sha: &str, branch: &str) {
    let pact = example_pact().display().to_string();
    let s = step(
        "publish-pact",
        &[&pact, "--consumer-app-version", sha, "--branch", branch],
        &[],
        broker,
        github,
        dir,
    );
    assert_code(&s, 0, "publish-pact");
}

fn setup_webhook(broker: &TestBroker, github: &str, dir: &Path) -> Step {
    let s = step(
        "setup-webhook",
        &[
            "--provider",
            PROVIDER,
            "--repository",
            "acme/orders-api",
            "--github-token-secret",
            "GITHUB_TOKEN",
        ],
        &[],
        broker,
        github,
        dir,
    );
    assert_code(&s, 0, "setup-webhook");
    s
}

/// Everything up to the dispatch: returns the dispatch request's body.
fn contract_change(broker: &TestBroker, github: &Server, dir: &Path) -> Value {
    // Setup first: it creates the provider in the broker, which a deployment needs.
    setup_webhook(broker, &github.url, dir);
    deploy_provider(broker, &github.url, dir);
    publish(broker, &github.url, dir, CONSUMER_SHA, "main");
    let dispatches = github.wait_for("/repos/acme/orders-api/dispatches", 1);
    assert_eq!(
        dispatches.len(),
        1,
        "the broker's webhook did not reach GitHub: {:?}",
        github.received()
    );
    let d = &dispatches[0];
    assert_eq!(d.method, "POST");
    assert_eq!(
        d.header("authorization"),
        Some(format!("Bearer {DISPATCH_TOKEN}").as_str())
    );
    assert_eq!(d.header("content-type"), Some("application/json"));
    d.json()
}

/// The event file GitHub writes for the dispatch, and the step environment of the provider's
/// workflow: the checkout is the default branch (`GITHUB_SHA`, `GITHUB_REF`), the version to
/// verify is in the payload.
fn dispatch_event(dir: &Path, dispatch: &Value) -> Vec<(&'static str, String)> {
    let path = dir.join("event.json");
    let event = json!({
        "action": dispatch["event_type"],
        "branch": "main",
        "client_payload": dispatch["client_payload"],
        "repository": {"full_name": "acme/orders-api", "default_branch": "main"},
    });
    std::fs::write(&path, event.to_string()).unwrap();
    vec![
        ("GITHUB_EVENT_NAME", "repository_dispatch".into()),
        ("GITHUB_EVENT_PATH", path.display().to_string()),
        ("GITHUB_REPOSITORY", "acme/orders-api".into()),
        (
            "GITHUB_SHA",
            "0123456789abcdef0123456789abcdef01234567".into(),
        ),
        ("GITHUB_REF", "refs/heads/main".into()),
        ("GITHUB_REF_NAME", "main".into()),
        ("GITHUB_REF_TYPE", "branch".into()),
    ]
}

fn can_i_deploy(broker: &TestBroker) -> Value {
    client()
        .get(broker.url(&format!(
            "/can-i-deploy?pacticipant=web-app&version={CONSUMER_SHA}&environment=production"
        )))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

fn env_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The dispatch carries the pact URL and the provider version the broker asks about.
fn check_dispatch_payload(dispatch: &Value, broker: &TestBroker) {
    assert_eq!(
        dispatch["event_type"],
        "contract_requiring_verification_published"
    );
    let payload = &dispatch["client_payload"];
    let pact_url = payload["pact_url"].as_str().unwrap_or_default();
    assert!(
        pact_url.starts_with(&broker.url(&format!(
            "/pacts/provider/{PROVIDER}/consumer/web-app/pact-version/"
        ))),
        "{payload}"
    );
    assert_eq!(payload["sha"], PROVIDER_VERSION);
    assert_eq!(payload["branch"], "");
    assert!(
        payload["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!("Verify changed pact for web-app version {CONSUMER_SHA} branch main by {PROVIDER_VERSION} (")),
        "{payload}"
    );
}

#[test]
fn a_changed_contract_is_dispatched_verified_natively_and_deployable() {
    let broker = broker();
    let github = fake::github();
    let provider = fake::orders_api(false);
    let dir = tempfile::tempdir().unwrap();
    let dispatch = contract_change(&broker, &github, dir.path());
    check_dispatch_payload(&dispatch, &broker);
    assert_eq!(
        can_i_deploy(&broker)["summary"]["deployable"],
        Value::Null,
        "unknown before verification"
    );

    let env = dispatch_event(dir.path(), &dispatch);
    let mut env = env_refs(&env);
    env.push(("GITHUB_TOKEN", STATUS_TOKEN));
    let states = format!("{}/_pact/provider-states", provider.url);
    let s = step(
        "verify-on-change",
        &[
            "--provider",
            PROVIDER,
            "--provider-base-url",
            &provider.url,
            "--provider-states-setup-url",
            &states,
            "--commit-status",
            "--consumer-repository",
            "acme/web-app",
        ],
        &env,
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 0, "verify-on-change against the honouring provider");
    assert!(
        s.stdout.contains(&format!(
            "Verification of {PROVIDER} version {PROVIDER_VERSION}\n"
        )),
        "the payload's version, without the checkout's branch: {}",
        s.stdout
    );
    let row = s
        .stdout
        .lines()
        .find(|l| l.starts_with("web-app "))
        .unwrap_or_default();
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "web-app",
            CONSUMER_SHA,
            "no",
            "passed",
            "2/2 interactions passed",
            "published"
        ],
        "{}",
        s.stdout
    );
    assert_eq!(s.output("result"), "success");
    assert_eq!(s.output("verified-pacts"), "1");
    assert_eq!(s.output("failed-pacts"), "0");
    assert_eq!(s.output("provider-version"), PROVIDER_VERSION);
    assert!(
        s.summary.starts_with(&format!(
            "### ✅ Verification of {PROVIDER} version {PROVIDER_VERSION}"
        )),
        "{}",
        s.summary
    );
    assert!(
        s.summary.contains("| success |"),
        "the commit status column: {}",
        s.summary
    );
    let shown = s
        .stdout
        .lines()
        .chain(s.stderr.lines())
        .filter(|l| !l.starts_with("::add-mask::"));
    assert!(
        shown.clone().all(|l| !l.contains(STATUS_TOKEN)),
        "the token is masked"
    );
    // The provider got the state set-up and both requests.
    let paths: Vec<String> = provider
        .received()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    for want in [
        "POST /_pact/provider-states",
        "GET /orders/42",
        "GET /orders/404",
    ] {
        assert!(paths.iter().any(|p| p == want), "{want} in {paths:?}");
    }

    // The result is in the broker, with each interaction, and the gate says yes.
    let result: Value = client()
        .get(s.output("verification-results"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(result["success"], true, "{result}");
    assert_eq!(result["providerApplicationVersion"], PROVIDER_VERSION);
    assert_eq!(
        result["testResults"].as_array().map(Vec::len),
        Some(2),
        "{result}"
    );
    assert_eq!(can_i_deploy(&broker)["summary"]["deployable"], true);
    // The payload's version was not put on the checkout's branch.
    let branch = client()
        .get(broker.url(&format!(
            "/pacticipants/{PROVIDER}/branches/main/versions/{PROVIDER_VERSION}"
        )))
        .send()
        .unwrap();
    assert_eq!(branch.status().as_u16(), 404);

    // The consumer commit got `pending`, then `success`, linking the result.
    let statuses = github.received_at("/repos/acme/web-app/statuses/");
    let states: Vec<Value> = statuses.iter().map(|r| r.json()["state"].clone()).collect();
    assert_eq!(states, [json!("pending"), json!("success")], "{statuses:?}");
    let last = &statuses[1];
    assert_eq!(
        last.path,
        format!("/repos/acme/web-app/statuses/{CONSUMER_SHA}")
    );
    assert_eq!(
        last.header("authorization"),
        Some(format!("Bearer {STATUS_TOKEN}").as_str())
    );
    assert_eq!(last.json()["context"], "pact verification: orders-api");
    assert_eq!(last.json()["target_url"], s.output("verification-results"));
}

#[test]
fn a_provider_that_breaks_the_contract_fails_with_the_mismatch() {
    let broker = broker();
    let github = fake::github();
    let provider = fake::orders_api(true);
    let dir = tempfile::tempdir().unwrap();
    let dispatch = contract_change(&broker, &github, dir.path());
    let env = dispatch_event(dir.path(), &dispatch);
    let s = step(
        "verify-on-change",
        &["--provider", PROVIDER, "--provider-base-url", &provider.url],
        &env_refs(&env),
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 1, "verify-on-change against the breaking provider");
    let row = s
        .stdout
        .lines()
        .find(|l| l.starts_with("web-app "))
        .unwrap_or_default();
    assert!(
        row.contains("FAILED") && row.contains("1/2 interactions passed"),
        "{}",
        s.stdout
    );
    // The mismatches, from the verifier's own report and from the table's failure list.
    let failures = s
        .stdout
        .split(&format!("web-app {CONSUMER_SHA} FAILED:"))
        .nth(1)
        .unwrap_or_default();
    assert!(
        failures.contains("- a request for order 42"),
        "{}",
        s.stdout
    );
    assert!(
        failures
            .contains("$.status -> Expected 3 (Integer) to be the same type as 'shipped' (String)")
            && failures.contains("missing the following keys: total"),
        "{}",
        s.stdout
    );
    assert!(
        s.stdout.contains(
            "::error::the pact of web-app c0ffee1 failed verification: a request for order 42: \
             $ -> Actual map is missing the following keys: total; \
             $.status -> Expected 3 (Integer) to be the same type as 'shipped' (String)\n"
        ),
        "{}",
        s.stdout
    );
    assert_eq!(s.output("result"), "failure");
    assert_eq!(s.output("failed-pacts"), "1");
    assert!(s.summary.starts_with("### ❌"), "{}", s.summary);

    let result: Value = client()
        .get(s.output("verification-results"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(result["success"], false, "{result}");
    let failed: Vec<&Value> = result["testResults"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["success"] == false)
        .collect();
    assert_eq!(failed.len(), 1, "{result}");
    assert_eq!(
        failed[0]["interactionDescription"],
        "a request for order 42"
    );
    assert!(
        !failed[0]["mismatches"].as_array().unwrap().is_empty(),
        "{result}"
    );
    assert_eq!(can_i_deploy(&broker)["summary"]["deployable"], false);
}

/// The command's checks of its environment: exit 0 only when everything is as documented.
fn env_check(broker: &TestBroker, publish: &str) -> String {
    format!(
        r#"test "$PACT_BROKER_BASE_URL" = "{}" \
        && case "$PACT_URL" in "$PACT_BROKER_BASE_URL"/pacts/provider/orders-api/consumer/web-app/pact-version/*) true;; *) false;; esac \
        && test "$PACT_PROVIDER_NAME" = orders-api \
        && test "$PACT_PROVIDER_VERSION" = p2 \
        && test "$PACT_PROVIDER_BRANCH" = main \
        && test "$PACT_BROKER_PUBLISH_VERIFICATION_RESULTS" = {publish}"#,
        broker.url
    )
}

#[test]
fn command_mode_passes_the_environment_and_records_the_exit_code() {
    let broker = broker();
    let github = fake::github();
    let dir = tempfile::tempdir().unwrap();
    publish(&broker, &github.url, dir.path(), CONSUMER_SHA, "main");
    let flags = [
        "--provider",
        PROVIDER,
        "--provider-app-version",
        "p2",
        "--provider-branch",
        "main",
    ];

    // The provider's tests pass: the result is recorded as a success for p2 on main.
    let script = env_check(&broker, "false");
    let mut args = flags.to_vec();
    args.extend(["--", "sh", "-c", &script]);
    let s = step(
        "verify-on-change",
        &args,
        &[],
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 0, "a passing command");
    let row = s
        .stdout
        .lines()
        .find(|l| l.starts_with("web-app "))
        .unwrap_or_default();
    assert!(
        row.contains("passed") && row.contains("exit code 0") && row.contains("published"),
        "{}",
        s.stdout
    );
    let result: Value = client()
        .get(s.output("verification-results"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(result["success"], true, "{result}");
    assert_eq!(result["providerApplicationVersion"], "p2");
    let on_branch = client()
        .get(broker.url(&format!(
            "/pacticipants/{PROVIDER}/branches/main/versions/p2"
        )))
        .send()
        .unwrap();
    assert!(on_branch.status().is_success(), "p2 was put on main first");

    // They fail: recorded as a failure, exit 1.
    let mut args = flags.to_vec();
    args.extend(["--", "sh", "-c", "exit 7"]);
    let s = step(
        "verify-on-change",
        &args,
        &[],
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 1, "a failing command");
    assert!(s.stdout.contains("exit code 7"), "{}", s.stdout);
    let result: Value = client()
        .get(s.output("verification-results"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(result["success"], false, "{result}");

    // The framework publishes: nothing recorded by verify-on-change, and the command is told so.
    let script = env_check(&broker, "true");
    let mut args = flags.to_vec();
    args.extend(["--framework-publishes", "--", "sh", "-c", &script]);
    let s = step(
        "verify-on-change",
        &args,
        &[],
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 0, "--framework-publishes");
    assert!(s.stdout.contains("by the framework"), "{}", s.stdout);
    assert_eq!(s.output("verification-results"), "");
}

#[test]
fn a_failing_pending_pact_only_warns() {
    let broker = broker();
    let github = fake::github();
    let dir = tempfile::tempdir().unwrap();
    publish(&broker, &github.url, dir.path(), CONSUMER_SHA, "main");
    let s = step(
        "verify-on-change",
        &[
            "--provider",
            PROVIDER,
            "--provider-app-version",
            "p3",
            "--provider-branch",
            "feat/x",
            "--enable-pending",
            "--consumer-version-selectors",
            r#"{"mainBranch":true}"#,
            "--",
            "sh",
            "-c",
            "exit 1",
        ],
        &[],
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 0, "a pending pact's failure");
    assert!(s.stdout.contains("failed (pending)"), "{}", s.stdout);
    assert!(
        s.stdout
            .contains("::warning::the pending pact of web-app c0ffee1 failed verification"),
        "{}",
        s.stdout
    );
    assert_eq!(s.output("result"), "pending-failure");
    assert!(s.summary.starts_with("### ⚠️"), "{}", s.summary);
}

#[test]
fn setup_webhook_is_idempotent_and_adds_the_commit_status_webhook() {
    let broker = broker();
    let github = fake::github();
    let dir = tempfile::tempdir().unwrap();
    let first = setup_webhook(&broker, &github.url, dir.path());
    assert!(
        first
            .stdout
            .contains("created the repository_dispatch webhook"),
        "{}",
        first.stdout
    );
    assert!(
        first
            .stdout
            .contains("created the pacticipant `orders-api`")
            || first.stderr.contains("created the pacticipant"),
        "{first:?}"
    );
    let uuid = first.output("webhook-uuid").to_string();
    let again = setup_webhook(&broker, &github.url, dir.path());
    assert!(
        again
            .stdout
            .contains("updated the repository_dispatch webhook"),
        "{}",
        again.stdout
    );
    assert_eq!(again.output("webhook-uuid"), uuid);

    let s = step(
        "setup-webhook",
        &[
            "--provider",
            PROVIDER,
            "--repository",
            "acme/orders-api",
            "--github-token",
            "ghp_plain",
            "--commit-status",
            "--consumer-repository",
            "acme/web-app",
        ],
        &[],
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 0, "setup-webhook --commit-status");
    assert_eq!(
        s.output("webhook-uuid"),
        uuid,
        "the same webhook, now with the token"
    );
    assert!(
        s.stdout
            .contains("::warning::the GitHub token is stored in the webhook"),
        "{}",
        s.stdout
    );
    let shown = s
        .stdout
        .lines()
        .chain(s.stderr.lines())
        .filter(|l| !l.starts_with("::add-mask::"));
    assert!(
        shown.clone().all(|l| !l.contains("ghp_plain")),
        "{}",
        s.stdout
    );
    let status_uuid = s.output("commit-status-webhook-uuid").to_string();
    assert!(!status_uuid.is_empty());

    let webhooks: Value = client()
        .get(broker.url("/webhooks"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let listed = webhooks["_links"]["pb:webhooks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(listed.len(), 2, "{webhooks}");
    let status: Value = client()
        .get(broker.url(&format!("/webhooks/{status_uuid}")))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        status["request"]["url"],
        format!(
            "{}/repos/acme/web-app/statuses/${{pactbroker.consumerVersionNumber}}",
            github.url
        )
    );
    let events: Vec<&str> = status["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(
        events,
        ["contract_published", "provider_verification_published"]
    );
}

/// The same verification started by hand: `workflow_dispatch` with the pact URL, provider version
/// and branch as inputs (what provider-verify-changed-pact.yml offers).
#[test]
fn a_workflow_dispatch_with_inputs_verifies_the_named_pact() {
    let broker = broker();
    let github = fake::github();
    let provider = fake::orders_api(false);
    let dir = tempfile::tempdir().unwrap();
    let dispatch = contract_change(&broker, &github, dir.path());
    let pact_url = dispatch["client_payload"]["pact_url"]
        .as_str()
        .unwrap()
        .to_string();
    let event = dir.path().join("workflow-dispatch.json");
    std::fs::write(
        &event,
        json!({
            "inputs": {"pact_url": pact_url, "sha": PROVIDER_VERSION, "branch": "main"},
            "ref": "refs/heads/main",
            "repository": {"full_name": "acme/orders-api", "default_branch": "main"},
        })
        .to_string(),
    )
    .unwrap();
    let event = event.display().to_string();
    let env = [
        ("GITHUB_EVENT_NAME", "workflow_dispatch"),
        ("GITHUB_EVENT_PATH", event.as_str()),
        ("GITHUB_REPOSITORY", "acme/orders-api"),
        ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
        ("GITHUB_REF", "refs/heads/main"),
        ("GITHUB_REF_NAME", "main"),
    ];
    let s = step(
        "verify-on-change",
        &["--provider", PROVIDER, "--provider-base-url", &provider.url],
        &env,
        &broker,
        &github.url,
        dir.path(),
    );
    assert_code(&s, 0, "verify-on-change from workflow_dispatch inputs");
    assert_eq!(s.output("result"), "success");
    assert_eq!(s.output("provider-version"), PROVIDER_VERSION);
    // The pact and the provider version come from the inputs, not from the checkout.
    assert!(
        s.stdout.contains("event payload `inputs.pact_url`"),
        "{}",
        s.stdout
    );
    assert!(
        s.stdout.contains("event payload `inputs.sha`"),
        "{}",
        s.stdout
    );
    assert_eq!(can_i_deploy(&broker)["summary"]["deployable"], true);
}
