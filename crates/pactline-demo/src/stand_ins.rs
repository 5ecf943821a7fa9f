//! The demo's stand-ins, served in this process on loopback: GitHub's API (it records the
//! repository_dispatch and commit statuses it receives) and the example provider `orders-api`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// What the stand-in for GitHub received.
#[derive(Default)]
pub struct GitHubLog {
    pub dispatches: Vec<(String, Value, String)>,
    pub statuses: Vec<(String, String, Value)>,
}

pub type SharedLog = Arc<Mutex<GitHubLog>>;

async fn dispatch(
    State(log): State<SharedLog>,
    Path((owner, repo)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    Json(body): Json<Value>,
) -> StatusCode {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    log.lock()
        .unwrap_or_else(|e| e.into_inner())
        .dispatches
        .push((format!("{owner}/{repo}"), body, auth));
    StatusCode::NO_CONTENT
}

async fn status(
    State(log): State<SharedLog>,
    Path((owner, repo, sha)): Path<(String, String, String)>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    log.lock()
        .unwrap_or_else(|e| e.into_inner())
        .statuses
        .push((format!("{owner}/{repo}"), sha, body.clone()));
    (
        StatusCode::CREATED,
        Json(json!({"id": 1, "state": body["state"], "context": body["context"]})),
    )
}

pub fn github(log: SharedLog) -> Router {
    Router::new()
        .route("/repos/{owner}/{repo}/dispatches", post(dispatch))
        .route("/repos/{owner}/{repo}/statuses/{sha}", post(status))
        .with_state(log)
}

/// `orders-api`: honours `workflows-examples/example/consumer.pact.json`.
pub fn orders_api() -> Router {
    Router::new()
        .route(
            "/orders/{id}",
            get(|Path(id): Path<u64>| async move {
                if id == 42 {
                    (
                        StatusCode::OK,
                        Json(json!({"id": 42, "status": "shipped", "total": 19.99})),
                    )
                } else {
                    (
                        StatusCode::NOT_FOUND,
                        Json(json!({"error": "no such order"})),
                    )
                }
            }),
        )
        .route("/_pact/provider-states", post(|| async { Json(json!({})) }))
}

pub async fn serve(router: Router) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(url)
}
