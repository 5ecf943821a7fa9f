//! Acceptance 3: a chaos proxy on loopback between the binaries and the broker — resets, 502s,
//! 429s with `Retry-After`, stalls — and the broker afterwards holds every record exactly once.
//!
//! The proxy serves one request per connection (it asks the broker for `connection: close`),
//! takes the next fault from its script for each request, and forwards once the script is
//! empty. It only ever connects to the broker's loopback address, and stops when dropped.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pactline_e2e::TestBroker;
use serde_json::json;

use crate::support::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection with the request unread (the kernel answers with a reset).
    Reset,
    /// Answer with this status without asking the broker (502, 503).
    Status(u16),
    /// Answer 429 with `Retry-After: N` seconds.
    TooMany(u64),
    /// Read the request, then say nothing for this long and close.
    Stall(Duration),
    /// Pass the request to the broker.
    Forward,
    /// Pass the request to the broker, then drop the connection without its answer
    /// (the broker acted; the client cannot know).
    ForwardThenDrop,
}

struct Shared {
    /// Faults in order, each for the next request whose method matches (`None`: any).
    script: Mutex<VecDeque<(Option<&'static str>, Fault)>>,
    /// Used once the script is empty.
    otherwise: Mutex<Fault>,
    /// `"<fault> <request line>"` per request, in order.
    log: Mutex<Vec<String>>,
    stop: AtomicBool,
}

pub struct ChaosProxy {
    pub url: String,
    shared: Arc<Shared>,
    addr: std::net::SocketAddr,
}

impl ChaosProxy {
    pub fn start(upstream: &str) -> ChaosProxy {
        let upstream = upstream.trim_start_matches("http://").to_string();
        assert!(
            upstream.starts_with("127.0.0.1:"),
            "loopback only: {upstream}"
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            script: Mutex::new(VecDeque::new()),
            otherwise: Mutex::new(Fault::Forward),
            log: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                let upstream = upstream.clone();
                std::thread::spawn(move || {
                    let Some(line) = peek_line(&conn) else { return };
                    let fault = {
                        let mut script = s.script.lock().unwrap();
                        let pick = script.iter().position(|(m, _)| {
                            m.is_none_or(|m| line.starts_with(&format!("{m} ")))
                        });
                        pick.and_then(|i| script.remove(i))
                            .map_or(*s.otherwise.lock().unwrap(), |(_, f)| f)
                    };
                    s.log.lock().unwrap().push(format!("{fault:?} {line}"));
                    handle(conn, fault, &upstream);
                });
            }
        });
        ChaosProxy {
            url: format!("http://{addr}"),
            shared,
            addr,
        }
    }

    /// Faults for the next requests with this method, in order; other requests pass.
    pub fn script_for(&self, method: &'static str, faults: &[Fault]) {
        let mut script = self.shared.script.lock().unwrap();
        script.clear();
        script.extend(faults.iter().map(|f| (Some(method), *f)));
    }

    /// The fault for every request once the script is empty.
    pub fn otherwise(&self, fault: Fault) {
        *self.shared.otherwise.lock().unwrap() = fault;
    }

    /// The log since the last call.
    pub fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut *self.shared.log.lock().unwrap())
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// The request line, read without consuming it (so a reset still finds the request unread).
fn peek_line(conn: &TcpStream) -> Option<String> {
    let mut buf = [0u8; 1024];
    for _ in 0..200 {
        let n = conn.peek(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        if let Some(end) = buf[..n].windows(2).position(|w| w == b"\r\n") {
            return Some(String::from_utf8_lossy(&buf[..end]).into_owned());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// Reads one HTTP request (head and `content-length` body).
fn read_request(conn: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, body))
}

fn handle(mut conn: TcpStream, fault: Fault, upstream: &str) {
    if fault == Fault::Reset {
        // Close with the request unread: the kernel answers with a reset.
        drop(conn);
        return;
    }
    let Some((head, body)) = read_request(&mut conn) else {
        return;
    };
    let respond = |conn: &mut TcpStream, status: &str, extra: &str| {
        let _ = conn.write_all(
            format!("HTTP/1.1 {status}\r\n{extra}content-length: 0\r\nconnection: close\r\n\r\n")
                .as_bytes(),
        );
        let _ = conn.shutdown(Shutdown::Both);
    };
    match fault {
        Fault::Reset => {}
        Fault::Status(502) => respond(&mut conn, "502 Bad Gateway", ""),
        Fault::Status(code) => respond(&mut conn, &format!("{code} Service Unavailable"), ""),
        Fault::TooMany(secs) => respond(
            &mut conn,
            "429 Too Many Requests",
            &format!("retry-after: {secs}\r\n"),
        ),
        Fault::Stall(d) => {
            std::thread::sleep(d);
            drop(conn);
        }
        Fault::Forward | Fault::ForwardThenDrop => {
            let Ok(mut up) = TcpStream::connect(upstream) else {
                respond(&mut conn, "502 Bad Gateway", "");
                return;
            };
            let mut new_head: String = head
                .trim_end()
                .lines()
                .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
                .map(|l| format!("{l}\r\n"))
                .collect();
            new_head.push_str("connection: close\r\n\r\n");
            let _ = up.write_all(new_head.as_bytes());
            let _ = up.write_all(&body);
            let mut response = Vec::new();
            let _ = up.read_to_end(&mut response);
            if fault == Fault::Forward {
                let _ = conn.write_all(&response);
                let _ = conn.shutdown(Shutdown::Both);
            }
        }
    }
}

/// Tight timeouts so stalls are detected in a second and retries fit a short deadline.
fn chaos_job(proxy: &ChaosProxy) -> Job {
    let mut job = Job::plain(&proxy.url);
    job.set("PACTLINE_BROKER_REQUEST_TIMEOUT", "1")
        .set("PACTLINE_BROKER_RETRIES", "6")
        .set("PACTLINE_BROKER_DEADLINE", "30");
    job
}

fn faults_in(log: &[String]) -> Vec<&str> {
    log.iter()
        .map(|l| l.split(' ').next().unwrap_or_default())
        .collect()
}

#[test]
fn faults_are_retried_within_the_deadline_and_nothing_is_recorded_twice() {
    let broker = TestBroker::start();
    create_environment(&broker.url, "production", None);
    let proxy = ChaosProxy::start(&broker.url);
    let mut job = chaos_job(&proxy);
    write_json(
        job.path(),
        "pacts/web-api.json",
        &pact(
            "Web",
            "API",
            json!([interaction("get an order", "/orders/1")]),
        ),
    );

    // The index GET through a reset and a 502.
    proxy.script_for("GET", &[Fault::Reset, Fault::Status(502)]);
    let run = job.step(
        "can-i-deploy-gate",
        &["-a", "Web", "-e", "1.0.0", "--to-environment", "production"],
    );
    assert_eq!(
        run.code,
        2,
        "Web does not exist yet, the broker says so: {}",
        run.describe()
    );
    assert!(run.error_lines()[0].contains("400"), "{}", run.describe());
    assert_eq!(
        faults_in(&proxy.take_log())[..3],
        ["Reset", "Status(502)", "Forward"]
    );

    // Publishing (a POST the broker treats as idempotent) through every kind of fault,
    // including an answer lost after the broker acted.
    proxy.script_for(
        "POST",
        &[
            Fault::ForwardThenDrop,
            Fault::Reset,
            Fault::Status(502),
            Fault::TooMany(1),
            Fault::Stall(Duration::from_secs(3)),
        ],
    );
    let started = std::time::Instant::now();
    let run = job.step(
        "publish-pact",
        &["pacts", "-a", "1.0.0", "--branch", "main"],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "within the deadline"
    );
    let log = proxy.take_log();
    let posts: Vec<&str> = faults_in(&log)
        .into_iter()
        .zip(&log)
        .filter(|(_, l)| l.contains("POST /contracts/publish"))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        posts,
        [
            "ForwardThenDrop",
            "Reset",
            "Status(502)",
            "TooMany(1)",
            "Stall(3s)",
            "Forward"
        ],
        "{log:#?}"
    );
    // Two publications reached the broker; it holds one version with one pact revision.
    let versions = get_json(&format!("{}/pacticipants/Web/versions", broker.url), None);
    assert_eq!(
        versions["_embedded"]["versions"].as_array().unwrap().len(),
        1,
        "{versions}"
    );
    let version = get_json(
        &format!("{}/pacticipants/Web/versions/1.0.0", broker.url),
        None,
    );
    assert_eq!(
        version["_links"]["pb:pact-versions"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{version}"
    );

    // Recording a deployment (POST marked idempotent: the broker returns the existing record),
    // its answer lost once after the broker recorded it.
    proxy.script_for(
        "POST",
        &[
            Fault::ForwardThenDrop,
            Fault::Status(503),
            Fault::Reset,
            Fault::TooMany(0),
        ],
    );
    let run = job.step(
        "record-results",
        &[
            "deployment",
            "-a",
            "Web",
            "-e",
            "1.0.0",
            "--environment",
            "production",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    let log = proxy.take_log();
    assert_eq!(
        log.iter().filter(|l| l.contains("POST ")).count(),
        5,
        "{log:#?}"
    );
    assert_eq!(
        currently_deployed(&broker.url, "production", "Web"),
        vec!["1.0.0"]
    );
    let environment = get_json(
        &format!("{}/environments?name=production", broker.url),
        None,
    );
    let uuid = environment["_embedded"]["environments"][0]["uuid"]
        .as_str()
        .unwrap();
    let records = get_json(
        &format!(
            "{}/pacticipants/Web/versions/1.0.0/deployed-versions/environment/{uuid}",
            broker.url
        ),
        None,
    );
    assert_eq!(
        records["_embedded"]["deployedVersions"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{records}"
    );

    // Publishing a verification: the GETs before it take the faults; the POST itself is
    // never repeated, and the broker holds one result.
    let pact_url = format!(
        "{}/pacts/provider/API/consumer/Web/version/1.0.0",
        proxy.url
    );
    proxy.script_for(
        "GET",
        &[
            Fault::Reset,
            Fault::Status(502),
            Fault::Stall(Duration::from_secs(3)),
        ],
    );
    let run = job.step(
        "record-results",
        &[
            "verification",
            "--pact-url",
            &pact_url,
            "--provider-app-version",
            "p1",
            "--success",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
    let log = proxy.take_log();
    assert_eq!(
        log.iter().filter(|l| l.contains("POST ")).count(),
        1,
        "{log:#?}"
    );
    assert_eq!(verifications_of(&broker.url, "Web", "1.0.0").len(), 1);

    // The gate's GETs ride through faults too.
    proxy.script_for("GET", &[Fault::Status(502), Fault::Reset]);
    let run = job.step(
        "can-i-deploy-gate",
        &["-a", "Web", "-e", "1.0.0", "--to-environment", "production"],
    );
    assert_eq!(run.code, 4, "{}", run.describe());
    assert_eq!(run.output("deployable"), "unknown");
}

#[test]
fn a_post_the_broker_may_have_seen_is_not_retried() {
    let broker = TestBroker::start();
    let proxy = ChaosProxy::start(&broker.url);
    let mut job = chaos_job(&proxy);
    write_json(
        job.path(),
        "pacts/web-api.json",
        &pact(
            "Web",
            "API",
            json!([interaction("get an order", "/orders/1")]),
        ),
    );
    assert_eq!(job.step("publish-pact", &["pacts", "-a", "1.0.0"]).code, 0);
    proxy.take_log();

    // The GET of the pact goes through; the verification POST gets a 502.
    proxy.script_for("POST", &[Fault::Status(502)]);
    let pact_url = format!(
        "{}/pacts/provider/API/consumer/Web/version/1.0.0",
        proxy.url
    );
    let run = job.step(
        "record-results",
        &[
            "verification",
            "--pact-url",
            &pact_url,
            "--provider-app-version",
            "p1",
            "--exit-code",
            "0",
        ],
    );
    assert_eq!(run.code, 3, "{}", run.describe());
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.describe());
    assert!(
        errors[0].contains("the broker answered 502 Bad Gateway to POST"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("not retried, because repeating this request could record it twice"),
        "{}",
        errors[0]
    );
    assert_eq!(proxy.take_log().len(), 2);
    assert!(verifications_of(&broker.url, "Web", "1.0.0").is_empty());
}

#[test]
fn a_broker_that_stays_down_exits_3_with_a_sentence_saying_what_failed() {
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut job = Job::plain(&format!("http://127.0.0.1:{port}"));
    job.set("PACTLINE_BROKER_RETRIES", "2");
    write_json(
        job.path(),
        "pacts/web-api.json",
        &pact("Web", "API", json!([interaction("get", "/")])),
    );
    let run = job.step("publish-pact", &["pacts", "-a", "1.0.0"]);
    assert_eq!(run.code, 3, "{}", run.describe());
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.describe());
    let line = errors[0];
    assert!(line.starts_with(&format!(
        "error: publishing the pacts of `Web` version `1.0.0` to http://127.0.0.1:{port}/: could not connect to the broker at http://127.0.0.1:{port}"
    )), "{line}");
    assert!(line.contains("(after 3 attempts over"), "{line}");
    assert!(line.ends_with("check that the broker is up and reachable from this runner (`--broker-base-url`), then re-run the job"), "{line}");

    // A broker that answers 503 to everything.
    let broker = TestBroker::start();
    let proxy = ChaosProxy::start(&broker.url);
    proxy.otherwise(Fault::Status(503));
    let mut job = chaos_job(&proxy);
    job.set("PACTLINE_BROKER_RETRIES", "2");
    let run = job.step(
        "can-i-deploy-gate",
        &["-a", "Web", "-e", "1", "--to-environment", "production"],
    );
    assert_eq!(run.code, 3, "{}", run.describe());
    let errors = run.error_lines();
    assert_eq!(errors.len(), 1, "{}", run.describe());
    assert!(
        errors[0].contains("the broker answered 503 Service Unavailable to GET"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("(after 3 attempts over"),
        "{}",
        errors[0]
    );
    assert_eq!(proxy.take_log().len(), 3);
}
