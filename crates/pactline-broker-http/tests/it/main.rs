//! In-process tests of the HTTP API: requests through the router on a fresh in-memory database,
//! responses compared with the real broker's approval files.

mod flow;
mod golden;
mod publish;
mod webhooks;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pactline_broker_domain::builder::TestData;
use pactline_broker_domain::State;
use pactline_broker_http::{router, Broker, BrokerConfig};
use pactline_broker_store::{Durability, Store};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub struct TestApp {
    pub router: axum::Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Default for TestApp {
    fn default() -> Self {
        Self::new()
    }
}

impl TestApp {
    /// A broker whose links use `http://example.org`, as the approval files do.
    pub fn new() -> Self {
        Self::with_data(|_| {})
    }

    /// A broker holding what `build` makes.
    pub fn with_data(build: impl FnOnce(&mut TestData)) -> Self {
        Self::with_config(
            BrokerConfig {
                base_url: Some("http://example.org".into()),
                ..Default::default()
            },
            build,
        )
    }

    pub fn with_config(config: BrokerConfig, build: impl FnOnce(&mut TestData)) -> Self {
        let mut state = State::new();
        let journal = {
            let mut td = TestData::new(&mut state);
            build(&mut td);
            td.take_journal()
        };
        let mut store = Store::open(":memory:", Durability::Normal).expect("store");
        store.persist(&journal).expect("persist");
        let broker = Arc::new(Broker::new(store, config).expect("broker"));
        TestApp {
            router: router(broker),
        }
    }

    pub async fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("accept", "application/hal+json");
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .expect("request");
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.request("POST", path, Some(body)).await
    }
}
