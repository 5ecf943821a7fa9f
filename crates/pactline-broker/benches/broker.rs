//! Broker benchmarks (`cargo bench -p pactline-broker`): publish throughput, pacts for
//! verification with 50 consumers, and can-i-deploy on 50 pacticipants × 2,000 versions.
//!
//! The real server (router, store, SQLite file in WAL mode) runs in this process on loopback;
//! the load comes from concurrent HTTP clients on the same machine. Figures go to
//! `docs/benchmarks.md`. Sizes can be scaled down with `PACTLINE_BENCH_SCALE` (e.g. 0.1) for a
//! smoke run.

use base64::Engine;
use pactline_broker_domain::builder::TestData;
use pactline_broker_domain::State;
use pactline_broker_http::{router, Broker, BrokerConfig};
use pactline_broker_store::{Durability, Store};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn scale(n: usize) -> usize {
    let s: f64 = std::env::var("PACTLINE_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    ((n as f64 * s).round() as usize).max(1)
}

struct Server {
    url: String,
    _dir: tempfile::TempDir,
}

async fn serve(build: impl FnOnce(&mut TestData)) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(dir.path().join("bench.db"), Durability::Normal).expect("store");
    let mut state = State::new();
    let journal = {
        let mut td = TestData::new(&mut state);
        build(&mut td);
        td.take_journal()
    };
    for chunk in journal.chunks(10_000) {
        store.persist(chunk).expect("persist");
    }
    let broker = Arc::new(Broker::new(store, BrokerConfig::default()).expect("broker"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, router(broker)).await });
    Server { url, _dir: dir }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut samples: Vec<Duration>, total: Duration) {
    samples.sort();
    println!(
        "| {name} | {} | {:.0}/s | {:.2} ms | {:.2} ms | {:.2} ms |",
        samples.len(),
        samples.len() as f64 / total.as_secs_f64(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    );
}

fn small_pact(consumer: &str, n: usize) -> String {
    let pact = json!({
        "consumer": {"name": consumer},
        "provider": {"name": "Provider"},
        "interactions": [{
            "description": format!("request {n}"),
            "request": {"method": "GET", "path": format!("/things/{n}")},
            "response": {"status": 200, "body": {"id": n}}
        }],
        "metadata": {"pactSpecification": {"version": "2.0.0"}}
    });
    base64::engine::general_purpose::STANDARD.encode(pact.to_string())
}

async fn publish_throughput() {
    let server = serve(|_| {}).await;
    let clients = 8;
    let each = scale(500);
    let http = reqwest::Client::new();
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (http, url) = (http.clone(), server.url.clone());
            tokio::spawn(async move {
                let mut samples = Vec::with_capacity(each);
                let consumer = format!("Consumer-{c}");
                for n in 0..each {
                    let body = json!({
                        "pacticipantName": consumer,
                        "pacticipantVersionNumber": format!("1.0.{n}"),
                        "branch": "main",
                        "contracts": [{"consumerName": consumer, "providerName": "Provider", "specification": "pact",
                                       "contentType": "application/json", "content": small_pact(&consumer, n)}]
                    });
                    let t = Instant::now();
                    let res = http.post(format!("{url}/contracts/publish")).json(&body).send().await.expect("publish");
                    assert_eq!(res.status(), 200);
                    res.bytes().await.expect("body");
                    samples.push(t.elapsed());
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::new();
    for t in tasks {
        samples.extend(t.await.expect("task"));
    }
    report(
        &format!("publish (`POST /contracts/publish`, {clients} clients)"),
        samples,
        start.elapsed(),
    );
}

async fn latency(
    name: &str,
    url: &str,
    method: reqwest::Method,
    body: Option<serde_json::Value>,
    n: usize,
) {
    let http = reqwest::Client::new();
    for _ in 0..10 {
        let mut req = http.request(method.clone(), url);
        if let Some(b) = &body {
            req = req.json(b);
        }
        req.send()
            .await
            .expect("warm-up")
            .bytes()
            .await
            .expect("body");
    }
    let mut samples = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let mut req = http.request(method.clone(), url);
        if let Some(b) = &body {
            req = req.json(b);
        }
        let t = Instant::now();
        let res = req.send().await.expect("request");
        assert!(res.status().is_success(), "{name}: {}", res.status());
        res.bytes().await.expect("body");
        samples.push(t.elapsed());
    }
    report(name, samples, start.elapsed());
}

async fn pacts_for_verification() {
    let consumers = 50;
    let server = serve(|td| {
        for c in 0..consumers {
            let consumer = format!("Consumer-{c}");
            for v in 0..20 {
                let version = format!("1.0.{v}");
                td.branch(&consumer, &version, "main");
                td.publish(&consumer, &version, "Provider");
                if v % 5 == 0 {
                    td.verify(&consumer, &version, "Provider", &format!("2.0.{v}"), true);
                }
            }
            td.deploy(&consumer, "1.0.15", "production");
        }
    })
    .await;
    let body = json!({
        "consumerVersionSelectors": [{"mainBranch": true}, {"deployedOrReleased": true}],
        "providerVersionBranch": "main",
        "includePendingStatus": true,
        "includeWipPactsSince": "2020-01-01"
    });
    latency(
        "pacts for verification (50 consumers, mainBranch + deployedOrReleased, pending, WIP)",
        &format!("{}/pacts/provider/Provider/for-verification", server.url),
        reqwest::Method::POST,
        Some(body),
        scale(300),
    )
    .await;
}

async fn can_i_deploy() {
    let pacticipants = 50;
    let versions = scale(2000);
    let server = serve(|td| {
        td.auto_advance = false;
        // A chain of services, each the consumer of the next: every version publishes its pact
        // with its provider, and its provider's versions verify it.
        for v in 0..versions {
            let version = format!("1.0.{v}");
            for p in 0..pacticipants {
                let me = format!("Service-{p}");
                td.branch(&me, &version, "main");
                if p + 1 < pacticipants {
                    let provider = format!("Service-{}", p + 1);
                    if v % 10 == 0 || v + 1 == versions {
                        td.publish(&me, &version, &provider);
                    } else {
                        td.publish_same_as_last(&me, &version, &provider);
                    }
                }
            }
            for p in 1..pacticipants {
                if v % 10 == 0 || v + 1 == versions {
                    td.verify(
                        &format!("Service-{}", p - 1),
                        &version,
                        &format!("Service-{p}"),
                        &version,
                        true,
                    );
                }
            }
        }
        for p in 0..pacticipants {
            td.deploy(
                &format!("Service-{p}"),
                &format!("1.0.{}", versions - 1),
                "production",
            );
        }
    })
    .await;
    let last = versions - 1;
    latency(
        &format!(
            "can-i-deploy ({pacticipants} pacticipants × {versions} versions, to an environment)"
        ),
        &format!(
            "{}/can-i-deploy?pacticipant=Service-25&version=1.0.{last}&environment=production",
            server.url
        ),
        reqwest::Method::GET,
        None,
        scale(500),
    )
    .await;
    latency(
        "matrix as pact-broker-cli asks (`latestby=cvpv`, environment)",
        &format!(
            "{}/matrix?q[][pacticipant]=Service-25&q[][version]=1.0.{last}&latestby=cvpv&environment=production",
            server.url
        ),
        reqwest::Method::GET,
        None,
        scale(500),
    )
    .await;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("| benchmark | requests | throughput | p50 | p99 | max |");
    println!("|---|---|---|---|---|---|");
    runtime.block_on(async {
        publish_throughput().await;
        pacts_for_verification().await;
        can_i_deploy().await;
    });
}
