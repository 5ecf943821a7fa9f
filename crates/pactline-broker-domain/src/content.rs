//! Pact content: the SHA that identifies it, interaction `_id`s and merging.
//!
//! The SHA follows the real broker's default (`base_equality_only_on_content_that_affects_verification_results`):
//! names, metadata other than the spec version, key order, whitespace and interaction order do not change it.

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

fn sha1_hex(s: &str) -> String {
    hex::encode(Sha1::digest(s.as_bytes()))
}

/// Recursively orders object keys (Ruby's `order_hash_keys`).
pub fn order_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), order_keys(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(order_keys).collect()),
        other => other.clone(),
    }
}

fn spec_version(doc: &Value) -> Option<Value> {
    let m = doc.get("metadata")?;
    m.get("pactSpecification")
        .and_then(|p| p.get("version"))
        .or_else(|| m.get("pact-specification").and_then(|p| p.get("version")))
        .or_else(|| m.get("pactSpecificationVersion"))
        .filter(|v| !v.is_null())
        .cloned()
}

/// The pact version SHA of a published document (before `_id`s are added).
pub fn pact_sha(doc: &Value) -> String {
    let mut sorted = order_keys(doc);
    let key = if doc.get("interactions").is_some_and(|v| !v.is_null()) {
        Some("interactions")
    } else if doc.get("messages").is_some_and(|v| !v.is_null()) {
        Some("messages")
    } else {
        None
    };
    if let Some(key) = key {
        if let Some(Value::Array(items)) = sorted.get_mut(key) {
            items.sort_by_cached_key(|i| serde_json::to_string(i).unwrap_or_default());
        }
    }
    let interactions = sorted.get("interactions").filter(|v| v.is_array());
    let messages = sorted.get("messages").filter(|v| v.is_array());
    let hashed = if interactions.is_some() || messages.is_some() {
        let mut m = Map::new();
        if let Some(i) = interactions {
            m.insert("interactions".into(), i.clone());
        }
        if let Some(msgs) = messages {
            m.insert("messages".into(), msgs.clone());
        }
        if let Some(v) = spec_version(&sorted) {
            m.insert("pact_specification_version".into(), v);
        }
        Value::Object(m)
    } else {
        sorted
    };
    sha1_hex(&serde_json::to_string(&hashed).unwrap_or_default())
}

/// The `_id` of an interaction: SHA1 of it with keys ordered and without `_id`.
pub fn interaction_id(interaction: &Map<String, Value>) -> String {
    let mut without = interaction.clone();
    without.remove("_id");
    sha1_hex(&serde_json::to_string(&order_keys(&Value::Object(without))).unwrap_or_default())
}

/// Adds an `_id` as the first key of every interaction and message, replacing any given one.
pub fn with_ids(doc: &Value) -> Value {
    let mut doc = doc.clone();
    for key in ["interactions", "messages"] {
        if let Some(Value::Array(items)) = doc.get_mut(key) {
            for item in items.iter_mut() {
                if let Value::Object(m) = item {
                    let id = interaction_id(m);
                    let mut out = Map::new();
                    out.insert("_id".into(), Value::String(id));
                    for (k, v) in m.iter() {
                        if k != "_id" {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                    *m = out;
                }
            }
        }
    }
    doc
}

fn provider_states(i: &Value) -> Option<&Value> {
    ["provider_state", "providerState", "providerStates"]
        .iter()
        .filter_map(|k| i.get(*k))
        .find(|v| !v.is_null())
}

fn same_description_and_state(a: &Value, b: &Value) -> bool {
    a.get("description") == b.get("description") && provider_states(a) == provider_states(b)
}

fn same_request(a: &Value, b: &Value) -> bool {
    let (a, b) = (a.get("request"), b.get("request"));
    ["method", "path", "query", "body", "headers"]
        .iter()
        .all(|k| a.and_then(|r| r.get(*k)) == b.and_then(|r| r.get(*k)))
}

/// Why two pacts cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeConflict {
    pub description: String,
}

/// Merges `incoming` into `existing` (the legacy PATCH and `onConflict: merge`), as the real
/// broker's merger does: an interaction with the same description and provider state replaces the
/// old one, anything else is appended; the same description and state with a different request
/// (method, path, query, body, headers) is a conflict, and so is a pact without interactions.
pub fn merge(existing: &Value, incoming: &Value) -> Result<Value, MergeConflict> {
    let existing = without_ids(existing);
    let (Some(Value::Array(old)), Some(Value::Array(new))) =
        (existing.get("interactions"), incoming.get("interactions"))
    else {
        return Err(MergeConflict {
            description: "the pacts have no interactions to merge".into(),
        });
    };
    if let Some(c) = new.iter().find(|n| {
        old.iter()
            .any(|o| same_description_and_state(o, n) && !same_request(o, n))
    }) {
        return Err(MergeConflict {
            description: c
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        });
    }
    let mut items = old.clone();
    for n in new {
        let mut n = n.clone();
        if let Value::Object(m) = &mut n {
            m.remove("_id");
        }
        match items.iter().position(|o| same_description_and_state(o, &n)) {
            Some(pos) => items[pos] = n,
            None => items.push(n),
        }
    }
    let mut merged = existing.clone();
    if let Some(m) = merged.as_object_mut() {
        m.insert("interactions".into(), Value::Array(items));
    }
    Ok(merged)
}

/// Strips the broker's `_id`s (for comparing and merging).
pub fn without_ids(doc: &Value) -> Value {
    let mut doc = doc.clone();
    for key in ["interactions", "messages"] {
        if let Some(Value::Array(items)) = doc.get_mut(key) {
            for item in items.iter_mut() {
                if let Value::Object(m) = item {
                    m.remove("_id");
                }
            }
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sha_ignores_names_order_and_metadata() {
        let a = json!({"consumer":{"name":"A"},"provider":{"name":"B"},
            "interactions":[{"description":"x","request":{"method":"GET","path":"/"}},{"description":"y","request":{"path":"/y","method":"GET"}}],
            "metadata":{"pactSpecification":{"version":"2.0.0"},"pact-js":{"version":"1"}}});
        let b = json!({"provider":{"name":"Other"},"consumer":{"name":"A"},
            "interactions":[{"request":{"method":"GET","path":"/y"},"description":"y"},{"description":"x","request":{"method":"GET","path":"/"}}],
            "metadata":{"pactSpecification":{"version":"2.0.0"}}});
        assert_eq!(pact_sha(&a), pact_sha(&b));
        let c = json!({"interactions":[], "metadata":{"pactSpecification":{"version":"3.0.0"}}});
        let d = json!({"interactions":[], "metadata":{"pactSpecification":{"version":"2.0.0"}}});
        assert_ne!(pact_sha(&c), pact_sha(&d));
    }

    #[test]
    fn ids_come_first_and_ignore_existing_id() {
        let doc = json!({"interactions":[{"description":"x","_id":"old"}]});
        let with = with_ids(&doc);
        let first = with["interactions"][0].as_object().unwrap();
        assert_eq!(first.keys().next().unwrap(), "_id");
        assert_ne!(first["_id"], "old");
        assert_eq!(with_ids(&with), with);
    }

    #[test]
    fn merge_fixtures() {
        let base = "../../../shared/fixtures/pact-broker/bodies";
        let read = |f: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(format!("{base}/{f}")).unwrap()).unwrap()
        };
        let merged = merge(
            &read("a_consumer-a_provider-3.json"),
            &read("a_consumer-a_provider.json"),
        )
        .unwrap();
        assert_eq!(
            pact_sha(&merged),
            pact_sha(&read("a_consumer-a_provider-merged.json"))
        );
        assert!(merge(
            &read("a_consumer-a_provider-conflict.json"),
            &read("a_consumer-a_provider.json")
        )
        .is_err());
    }
}
