//! Loopback HTTP stand-ins on std threads: a fake GitHub API that records what it receives, and
//! the example provider `orders-api` (one that honours `workflows-examples/example/consumer.pact.json`
//! and one that breaks it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// One request as a stand-in saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

type Handler = dyn Fn(&Request) -> (u16, Value) + Send + Sync;

/// A running stand-in; it stops with the test process.
pub struct Server {
    pub url: String,
    received: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> (u16, Value) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let seen = received.clone();
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = seen.clone();
                let handler = handler.clone();
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut parts = request_line.split_whitespace();
                    let method = parts.next().unwrap_or_default().to_string();
                    let path = parts.next().unwrap_or_default().to_string();
                    let mut headers = Vec::new();
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                            break;
                        }
                        if let Some((k, v)) = line.split_once(':') {
                            let k = k.trim().to_ascii_lowercase();
                            if k == "content-length" {
                                length = v.trim().parse().unwrap_or(0);
                            }
                            headers.push((k, v.trim().to_string()));
                        }
                    }
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    let request = Request {
                        method,
                        path,
                        headers,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    };
                    let (status, answer) = handler(&request);
                    seen.lock().unwrap().push(request);
                    let text = if answer.is_null() {
                        String::new()
                    } else {
                        answer.to_string()
                    };
                    let mut stream = stream;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                        text.len()
                    );
                });
            }
        });
        Server { url, received }
    }

    pub fn received(&self) -> Vec<Request> {
        self.received.lock().unwrap().clone()
    }

    /// The requests to paths starting with `prefix`.
    pub fn received_at(&self, prefix: &str) -> Vec<Request> {
        self.received()
            .into_iter()
            .filter(|r| r.path.starts_with(prefix))
            .collect()
    }

    /// Waits (at most 30 s) until `n` requests to paths starting with `prefix` arrived.
    pub fn wait_for(&self, prefix: &str, n: usize) -> Vec<Request> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got = self.received_at(prefix);
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// GitHub's REST API as far as pactline uses it: dispatches answer 204, statuses 201.
pub fn github() -> Server {
    Server::start(|r| match (r.method.as_str(), r.path.split('/').nth(4)) {
        ("POST", Some("dispatches")) => (204, Value::Null),
        ("POST", Some("statuses")) => (201, json!({"id": 1, "state": r.json()["state"]})),
        _ => (404, json!({"message": "Not Found"})),
    })
}

/// The example provider `orders-api`; `breaking` answers order 42 without `total` and with a
/// numeric `status`, which breaks the example pact.
pub fn orders_api(breaking: bool) -> Server {
    Server::start(move |r| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/orders/42") if breaking => (200, json!({"id": 42, "status": 3})),
        ("GET", "/orders/42") => (200, json!({"id": 42, "status": "shipped", "total": 19.99})),
        ("GET", _) if r.path.starts_with("/orders/") => (404, json!({"error": "no such order"})),
        ("POST", "/_pact/provider-states") => (200, json!({})),
        _ => (404, Value::Null),
    })
}
