//! The official Ruby client's consumer contract with the Pact Broker
//! (`Pact Broker Client V2-Pact Broker.json`, 67 interactions), verified against a running
//! `pactline-broker` by the official Rust verifier (`pact verifier`, from `pact-python-cli`),
//! with provider states set up through the broker's provider-state endpoint. Every one of the
//! 67 interactions must pass, the webhook ones included.
//!
//! As in the real broker's own CI, a small proxy sits in front of the broker: the V2 contract
//! records matrix query strings sorted alphabetically, which changes their meaning under Rack's
//! ordered `q[]` parsing; the proxy restores the order the client really sends, taken from the
//! same client's V1 contract (`pact_broker_client-pact_broker.json`).

use pactline_e2e::{fixture, pact_cli, BrokerOptions, TestBroker};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded key/value pairs of a query, sorted: the same for a query and its sorted form.
fn canonical(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

/// Matrix queries in the order the client sends them, keyed by their canonical form.
fn real_orders() -> HashMap<Vec<(String, String)>, String> {
    let v1: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(
            "pact-broker-client/pact_broker_client-pact_broker.json",
        ))
        .unwrap(),
    )
    .unwrap();
    let mut map = HashMap::new();
    for i in v1["interactions"].as_array().unwrap() {
        if let Some(q) = i["request"]["query"].as_str() {
            map.insert(canonical(q), q.to_string());
        }
    }
    map
}

/// Forwards each request to the broker, restoring the real order of matrix query strings.
fn proxy(broker: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let orders = real_orders();
    std::thread::spawn(move || {
        let http = reqwest::blocking::Client::new();
        for stream in listener.incoming().flatten() {
            let _ = forward(stream, &http, &broker, &orders);
        }
    });
    port
}

fn forward(
    stream: TcpStream,
    http: &reqwest::blocking::Client,
    broker: &str,
    orders: &HashMap<Vec<(String, String)>, String>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("GET").to_string(),
        parts.next().unwrap_or("/").to_string(),
    );
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            let (k, v) = (k.trim().to_string(), v.trim().to_string());
            if k.eq_ignore_ascii_case("content-length") {
                length = v.parse().unwrap_or(0);
            }
            headers.push((k, v));
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = orders
        .get(&canonical(query))
        .cloned()
        .unwrap_or_else(|| query.to_string());
    let url = if query.is_empty() {
        format!("{broker}{path}")
    } else {
        format!("{broker}{path}?{query}")
    };
    let mut req = http.request(method.parse().unwrap(), url).body(body);
    for (k, v) in &headers {
        if !["host", "content-length", "connection"].contains(&k.to_ascii_lowercase().as_str()) {
            req = req.header(k.as_str(), v.as_str());
        }
    }
    let res = req.send().map_err(std::io::Error::other)?;
    let status = res.status();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (k, v) in res.headers() {
        if !["transfer-encoding", "connection", "content-length"].contains(&k.as_str()) {
            out.push_str(&format!("{}: {}\r\n", k, v.to_str().unwrap_or("")));
        }
    }
    let bytes = res.bytes().map_err(std::io::Error::other)?;
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        bytes.len()
    ));
    let mut stream = stream;
    stream.write_all(out.as_bytes())?;
    stream.write_all(&bytes)?;
    stream.flush()
}

#[test]
fn the_official_client_contract_verifies_against_our_broker() {
    let broker = TestBroker::start_with(BrokerOptions {
        // As the real broker's CI does: the contract pins some links to this base URL.
        args: vec![
            "--enable-provider-states".into(),
            "--base-url".into(),
            "http://example.org".into(),
        ],
        ..Default::default()
    });
    let port = proxy(broker.url.clone());
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = Command::new(pact_cli())
        .args([
            "verifier",
            "--no-colour",
            "--hostname",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .arg("--file")
        .arg(fixture(
            "pact-broker-client/Pact Broker Client V2-Pact Broker.json",
        ))
        .args([
            "--state-change-url",
            &broker.url("/__pactline/provider-states"),
        ])
        .arg("--json")
        .arg(&report)
        .output()
        .expect("running pact verifier");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_else(|_| {
            panic!(
                "no report; verifier said:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        }))
        .unwrap();
    let results = report["interactionResults"].as_array().unwrap();
    let total = results.len();
    let passed = results.iter().filter(|r| r["result"] == "OK").count();
    let failed: Vec<&Value> = report["errors"]
        .as_array()
        .map(|e| e.iter().collect())
        .unwrap_or_default();
    println!("{passed} of {total} interactions verified");
    for e in &failed {
        println!(
            "  [FAILED] {}\n    {}",
            e["interaction"].as_str().unwrap_or(""),
            e["mismatch"]
        );
    }
    assert_eq!(total, 67, "the contract has 67 interactions");
    assert!(failed.is_empty(), "{} interaction(s) failed", failed.len());
    assert_eq!(passed, total);
}
