//! can-i-deploy on a large broker: 50 pacticipants × 2,000 versions, each consumer with pacts with
//! two providers on every version (200,000 publications), every provider version verifying, and
//! every tenth version deployed to production.
//!
//! This checks the answers at that size; the timings are measured by the broker benchmark
//! (`cargo bench -p pactline-broker`, figures in `docs/benchmarks.md`), not asserted here.

#![allow(clippy::needless_range_loop)] // the data is laid out by index

use chrono::{Duration, TimeZone, Utc};
use pactline_broker_domain::matrix::{self, MatrixQuery};
use pactline_broker_domain::model::*;
use pactline_broker_domain::State;
use std::sync::Arc;
use std::time::Instant;

const PACTICIPANTS: usize = 50;
const VERSIONS: usize = 2000;

fn build() -> State {
    let mut s = State::new();
    let t0 = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let content: Arc<str> = Arc::from("{}");
    let env = s.next_id();
    s.apply(&Change::PutEnvironment(Environment {
        id: env,
        uuid: "prod-uuid".into(),
        name: "production".into(),
        display_name: None,
        production: true,
        contacts: None,
        created_at: t0,
        updated_at: t0,
    }));
    let mut ids = Vec::new();
    for i in 0..PACTICIPANTS {
        let id = s.next_id();
        s.apply(&Change::PutPacticipant(Pacticipant {
            id,
            name: format!("Service{i}"),
            display_name: None,
            repository_url: None,
            repository_name: None,
            repository_namespace: None,
            main_branch: None,
            created_at: t0,
            updated_at: t0,
        }));
        ids.push(id);
    }
    let providers_of = |i: usize| [(i + 1) % PACTICIPANTS, (i + 7) % PACTICIPANTS];
    let mut versions = vec![vec![0; VERSIONS]; PACTICIPANTS];
    let mut pact_versions: Vec<[Id; 2]> = vec![[0, 0]; PACTICIPANTS];
    let mut current_deployment: Vec<Option<DeployedVersion>> = vec![None; PACTICIPANTS];
    for j in 0..VERSIONS {
        let now = t0 + Duration::seconds(j as i64);
        for i in 0..PACTICIPANTS {
            let id = s.next_id();
            s.apply(&Change::PutVersion(Version {
                id,
                pacticipant_id: ids[i],
                number: format!("1.0.{j}"),
                build_url: None,
                created_at: now,
                updated_at: now,
            }));
            versions[i][j] = id;
        }
        for i in 0..PACTICIPANTS {
            for (k, p) in providers_of(i).into_iter().enumerate() {
                if j % 5 == 0 {
                    let pv = s.next_id();
                    s.apply(&Change::PutPactVersion(PactVersion {
                        id: pv,
                        consumer_id: ids[i],
                        provider_id: ids[p],
                        sha: format!("{i}-{p}-{j}"),
                        content: content.clone(),
                        created_at: now,
                    }));
                    pact_versions[i][k] = pv;
                }
                let id = s.next_id();
                s.apply(&Change::PutPactPublication(PactPublication {
                    id,
                    consumer_id: ids[i],
                    provider_id: ids[p],
                    consumer_version_id: versions[i][j],
                    pact_version_id: pact_versions[i][k],
                    revision_number: 1,
                    created_at: now,
                }));
            }
        }
        for i in 0..PACTICIPANTS {
            for (k, p) in providers_of(i).into_iter().enumerate() {
                let id = s.next_id();
                let number = s.next_verification_number();
                s.apply(&Change::PutVerification(Verification {
                    id,
                    number,
                    pact_version_id: pact_versions[i][k],
                    provider_version_id: versions[p][j],
                    success: true,
                    build_url: None,
                    test_results: None,
                    verified_by: None,
                    wip: false,
                    pending: None,
                    consumer_version_selectors: None,
                    provider_tags: Vec::new(),
                    created_at: now,
                }));
            }
        }
        if j % 10 == 0 {
            for i in 0..PACTICIPANTS {
                if let Some(mut old) = current_deployment[i].take() {
                    old.undeployed_at = Some(now);
                    s.apply(&Change::PutDeployedVersion(old));
                }
                let d = DeployedVersion {
                    id: s.next_id(),
                    uuid: format!("d-{i}-{j}"),
                    pacticipant_id: ids[i],
                    version_id: versions[i][j],
                    environment_id: env,
                    target: None,
                    created_at: now,
                    undeployed_at: None,
                };
                s.apply(&Change::PutDeployedVersion(d.clone()));
                current_deployment[i] = Some(d);
            }
        }
    }
    s
}

fn time<R>(label: &str, runs: u32, mut f: impl FnMut() -> R) -> (R, std::time::Duration) {
    let mut result = f();
    let start = Instant::now();
    for _ in 0..runs {
        result = f();
    }
    let each = start.elapsed() / runs;
    eprintln!("{label}: {each:?}");
    (result, each)
}

#[test]
fn can_i_deploy_on_a_large_broker() {
    let start = Instant::now();
    let state = build();
    eprintln!("built in {:?}", start.elapsed());

    let version = format!("1.0.{}", VERSIONS - 1);
    let query = format!("pacticipant=Service0&version={version}&environment=production");
    let (result, _) = time(
        "can-i-deploy to an environment (parse, find, render)",
        20,
        || {
            let q = matrix::parse_can_i_deploy_query(&state, &query).unwrap();
            let r = matrix::find(&state, &q);
            let body = matrix::render_json(&state, &r, "http://example.org");
            (r, body)
        },
    );
    let (r, _) = result;
    // Service0 needs Service1 and Service7 (deployed version 1.0.1990 verified 1.0.1990's pact, not
    // 1.0.1999's), and Service49 and Service43 consume it.
    assert_eq!(r.integrations.len(), 4);
    assert!(!r.considered_rows.is_empty());
    assert_eq!(r.deployable(), None);

    let q = matrix::parse_matrix_query(&format!(
        "q[][pacticipant]=Service0&q[][version]={version}&latestby=cvp&latest=true"
    ))
    .unwrap();
    let (r, _) = time("matrix to the latest versions", 20, || {
        matrix::matrix(&state, &q).unwrap()
    });
    assert_eq!(r.deployable(), Some(true), "{}", r.summary.reason());

    let q = MatrixQuery::tag_to_tag("Service0", "none", "prod");
    let (r, _) = time("tag to tag without such tags", 20, || {
        matrix::find(&state, &q)
    });
    assert_eq!(r.deployable(), Some(false));

    // One selector and no destination: the broker takes the 100 latest publications first.
    let q =
        matrix::parse_matrix_query(&format!("q[][pacticipant]=Service0&q[][version]={version}"))
            .unwrap();
    let (r, took) = time("single selector (most recent 100 publications)", 5, || {
        matrix::matrix(&state, &q).unwrap()
    });
    assert!(!r.considered_rows.is_empty());
    eprintln!("single-selector query took {took:?}");
}
