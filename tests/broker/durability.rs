//! Concurrency and durability: concurrent publishers lose nothing; a restart keeps everything.

use pactline_e2e::{client, publish_body, BrokerOptions, TestBroker};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const PUBLISHERS: usize = 8;
const PUBLISHES_EACH: usize = 200;

fn pact(consumer: &str, n: usize) -> serde_json::Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": "Provider"},
        "interactions": [{
            "description": format!("request {n}"),
            "request": {"method": "GET", "path": format!("/things/{n}")},
            "response": {"status": 200}
        }],
        "metadata": {"pactSpecification": {"version": "2.0.0"}}
    })
}

#[test]
fn concurrent_publishers_lose_nothing_and_a_restart_keeps_everything() {
    let broker = TestBroker::start();
    let errors = Arc::new(AtomicUsize::new(0));
    let url = broker.url.clone();
    let threads: Vec<_> = (0..PUBLISHERS)
        .map(|t| {
            let (url, errors) = (url.clone(), errors.clone());
            std::thread::spawn(move || {
                let http = client();
                let consumer = format!("Consumer-{t}");
                for n in 0..PUBLISHES_EACH {
                    let body = publish_body(
                        &pact(&consumer, n),
                        &format!("1.0.{n}"),
                        Some("main"),
                        &["dev"],
                    );
                    let res = http
                        .post(format!("{url}/contracts/publish"))
                        .json(&body)
                        .send();
                    match res {
                        Ok(r) if r.status() == 200 => {}
                        Ok(r) => {
                            eprintln!(
                                "publish {t}/{n}: {} {}",
                                r.status(),
                                r.text().unwrap_or_default()
                            );
                            errors.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(e) => {
                            eprintln!("publish {t}/{n}: {e}");
                            errors.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("publisher thread");
    }
    assert_eq!(
        errors.load(Ordering::SeqCst),
        0,
        "every publish is acknowledged"
    );

    let check = |broker: &TestBroker| {
        let http = client();
        for t in 0..PUBLISHERS {
            for n in 0..PUBLISHES_EACH {
                let path =
                    format!("/pacts/provider/Provider/consumer/Consumer-{t}/version/1.0.{n}");
                let res = http.get(broker.url(&path)).send().expect("GET pact");
                assert_eq!(res.status(), 200, "{path}");
                let body: serde_json::Value = res.json().expect("pact JSON");
                assert_eq!(
                    body["interactions"][0]["description"],
                    format!("request {n}")
                );
            }
        }
        let versions: serde_json::Value = http
            .get(broker.url("/pacticipants/Consumer-3/versions"))
            .send()
            .and_then(|r| r.json())
            .expect("versions");
        assert_eq!(
            versions["_embedded"]["versions"].as_array().map(Vec::len),
            Some(PUBLISHES_EACH)
        );
    };
    check(&broker);

    let (database, dir) = broker.into_database();
    let restarted = TestBroker::start_with(BrokerOptions {
        database: Some(database),
        ..Default::default()
    });
    check(&restarted);
    drop(restarted);
    drop(dir);
}
