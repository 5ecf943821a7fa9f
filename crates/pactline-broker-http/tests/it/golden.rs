//! Comparing responses with the real broker's approval files, volatile values masked.

use serde_json::Value;
use std::path::PathBuf;

pub fn approval(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/pact-broker/approvals")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_sha(s: &str) -> bool {
    s.len() == 40 && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T'
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
}

/// Masks dates, UUIDs and SHAs (also inside URLs), as the broker's approvals mask dates.
pub fn mask(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let masked = if k.to_lowercase().contains("date")
                        || k == "createdAt"
                        || k == "updatedAt"
                    {
                        Value::String("<date>".into())
                    } else {
                        mask(v)
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(mask).collect()),
        Value::String(s) if is_date(s) => Value::String("<date>".into()),
        Value::String(s) if is_uuid(s) => Value::String("<uuid>".into()),
        Value::String(s) => Value::String(
            s.split('/')
                .map(|seg| {
                    if is_sha(seg) {
                        "<sha>"
                    } else if is_uuid(seg) {
                        "<uuid>"
                    } else {
                        seg
                    }
                })
                .collect::<Vec<_>>()
                .join("/"),
        ),
        other => other.clone(),
    }
}

/// Asserts equality after masking, printing both sides on failure.
pub fn assert_same(actual: &Value, expected: &Value) {
    let (a, e) = (mask(actual), mask(expected));
    if a != e {
        panic!(
            "response differs from the approval\n--- expected\n{}\n--- actual\n{}",
            serde_json::to_string_pretty(&e).unwrap(),
            serde_json::to_string_pretty(&a).unwrap()
        );
    }
}
