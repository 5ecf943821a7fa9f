//! The metadata path segment of pact URLs (`…/pact-version/{sha}/metadata/{m}`).
//!
//! The broker encodes a small map as `Base64.urlsafe_encode64(Rack::Utils.build_nested_query(map),
//! padding: false)` (`pact_broker_urls.rb#encode_metadata`) and reads it back with
//! `Rack::Utils.parse_nested_query` and the short-key mapping of `pacts/metadata.rb`. Both directions
//! are reimplemented here, byte for byte, so our URLs look like the real broker's.

use crate::model::Id;
use crate::rack::{self, build_nested_query, scalar_to_s};
use crate::state::State;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde_json::{json, Map, Value};

/// `Rack::Utils.parse_nested_query` as a JSON object; `None` when Rack would raise.
pub fn parse_nested_query(qs: &str) -> Option<Map<String, Value>> {
    rack::parse_nested_query(qs.trim_start_matches(' '))
        .ok()
        .map(|h| h.to_json())
}

// ---- encode / decode ----------------------------------------------------------------------------

/// `encode_metadata`: urlsafe base64, no padding, of the Rack nested query of `map`.
pub fn encode_metadata(map: &Value) -> String {
    URL_SAFE_NO_PAD.encode(build_nested_query(map))
}

const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// `base64_decode_metadata`: urlsafe (padding optional), else Ruby's lenient `decode64`
/// (characters outside the alphabet skipped), else empty.
fn base64_decode(segment: &str) -> String {
    if let Ok(bytes) = URL_SAFE_LENIENT.decode(segment) {
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let mut filtered: String = segment
        .chars()
        .take_while(|c| *c != '=')
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
        .collect();
    if filtered.len() % 4 == 1 {
        filtered.pop();
    }
    STANDARD_LENIENT
        .decode(&filtered)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// `decode_pact_metadata`: the nested map in a metadata segment (empty when unreadable).
pub fn decode_metadata_map(segment: &str) -> Map<String, Value> {
    if segment.is_empty() {
        return Map::new();
    }
    parse_nested_query(&base64_decode(segment)).unwrap_or_default()
}

/// A consumer version named in metadata: by number (`cvn`) or by version id (`cv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataVersion {
    Number(String),
    Id(Id),
}

impl MetadataVersion {
    fn from_entry(key: &str, value: &Value) -> Option<MetadataVersion> {
        match key {
            "cvn" => Some(MetadataVersion::Number(scalar_to_s(value))),
            // Ruby's `value.to_i`: leading digits, else 0 (which matches no version).
            "cv" => Some(MetadataVersion::Id(ruby_to_i(&scalar_to_s(value)))),
            _ => None,
        }
    }

    /// The version number, looking an id up in the state (`Version.find(id:)&.number`).
    pub fn number(&self, state: &State) -> Option<String> {
        match self {
            MetadataVersion::Number(n) => Some(n.clone()),
            MetadataVersion::Id(id) => state.versions.get(id).map(|v| v.number.clone()),
        }
    }
}

fn ruby_to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
    let n = n.parse::<i64>().unwrap_or(0);
    if neg {
        -n
    } else {
        n
    }
}

/// One consumer version selector carried in metadata (`s[]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetadataSelector {
    pub tag: Option<String>,
    pub branch: Option<String>,
    pub environment: Option<String>,
    pub latest: Option<String>,
    pub consumer_version: Option<MetadataVersion>,
}

/// Decoded metadata, as `PactBroker::Pacts::Metadata.parse_metadata` sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// `cvn` or `cv` (the later key wins, as in the Ruby hash).
    pub consumer_version: Option<MetadataVersion>,
    /// `cvt`.
    pub consumer_version_tags: Vec<String>,
    /// `w == "true"`. (The `wip=true` used in notice URLs is not this key and does not count.)
    pub wip: bool,
    /// `p`, typecast as Sequel does for the boolean `pact_pending` column.
    pub pending: Option<bool>,
    /// `s`, when it is an array.
    pub selectors: Option<Vec<MetadataSelector>>,
    /// The parsed nested query with the short keys.
    pub raw: Map<String, Value>,
}

fn opt_string(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).filter(|v| !v.is_null()).map(scalar_to_s)
}

fn sequel_bool(v: &Value) -> Option<bool> {
    let s = scalar_to_s(v);
    if s.is_empty() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    Some(!matches!(
        lower.as_str(),
        "0" | "f" | "false" | "n" | "no" | "off"
    ))
}

/// Decodes a metadata segment (see [`Metadata`]). Never fails: unreadable input gives empty metadata.
pub fn decode_metadata(segment: &str) -> Metadata {
    let raw = decode_metadata_map(segment);
    let mut md = Metadata::default();
    for (k, v) in &raw {
        match k.as_str() {
            "cvn" | "cv" => md.consumer_version = MetadataVersion::from_entry(k, v),
            "cvt" => {
                md.consumer_version_tags = match v {
                    Value::Array(a) => a.iter().map(scalar_to_s).collect(),
                    Value::Null => vec![],
                    other => vec![scalar_to_s(other)],
                }
            }
            "w" => md.wip = v.as_str() == Some("true"),
            "p" => md.pending = sequel_bool(v),
            "s" => {
                md.selectors = v.as_array().map(|items| {
                    items
                        .iter()
                        .map(|item| {
                            let m = item.as_object().cloned().unwrap_or_default();
                            let mut s = MetadataSelector {
                                tag: opt_string(&m, "t"),
                                branch: opt_string(&m, "b"),
                                environment: opt_string(&m, "e"),
                                latest: opt_string(&m, "l"),
                                consumer_version: None,
                            };
                            for (k, v) in &m {
                                if let Some(cv) = MetadataVersion::from_entry(k, v) {
                                    s.consumer_version = Some(cv);
                                }
                            }
                            s
                        })
                        .collect()
                })
            }
            _ => {}
        }
    }
    md.raw = raw;
    md
}

const MAPPINGS: [(&str, &str); 10] = [
    ("cvt", "consumer_version_tags"),
    ("cvn", "consumer_version_number"),
    ("cv", "consumer_version_id"),
    ("w", "wip"),
    ("p", "pending"),
    ("s", "consumer_version_selectors"),
    ("t", "tag"),
    ("b", "branch"),
    ("e", "environment"),
    ("l", "latest"),
];

fn long_form(v: &Value, state: &State) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                match MAPPINGS
                    .iter()
                    .find(|(short, _)| short == k)
                    .map(|(_, long)| *long)
                {
                    Some("consumer_version_id") => {
                        let n = MetadataVersion::Id(ruby_to_i(&scalar_to_s(v))).number(state);
                        out.insert(
                            "consumer_version_number".into(),
                            n.map_or(Value::Null, Value::String),
                        );
                    }
                    Some(long) => {
                        out.insert(long.into(), long_form(v, state));
                    }
                    None => {
                        out.insert(k.clone(), long_form(v, state));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| long_form(x, state)).collect()),
        other => other.clone(),
    }
}

impl Metadata {
    /// The metadata with the long keys (`parse_metadata`), `cv` ids replaced by version numbers.
    pub fn long_form(&self, state: &State) -> Value {
        long_form(&Value::Object(self.raw.clone()), state)
    }

    /// The consumer version selectors to store on a verification (`consumer_version_selector_hashes`):
    /// `[{"tag":…, "latest":"true", "consumer_version_number":…}]`, when the metadata has any.
    pub fn selector_hashes(&self, state: &State) -> Option<Value> {
        self.long_form(state)
            .get("consumer_version_selectors")
            .filter(|v| !v.is_null())
            .cloned()
    }

    /// `metadata_consumer_version_numbers`: the distinct numbers of the selectors' consumer
    /// versions, else the single `cvn`/`cv` one, else `None`.
    pub fn consumer_version_numbers(&self, state: &State) -> Option<Vec<String>> {
        if let Some(selectors) = &self.selectors {
            let mut out: Vec<String> = Vec::new();
            for n in selectors
                .iter()
                .filter_map(|s| s.consumer_version.as_ref().and_then(|cv| cv.number(state)))
            {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            return Some(out);
        }
        self.consumer_version
            .as_ref()
            .and_then(|cv| cv.number(state))
            .map(|n| vec![n])
    }

    /// `consumer_versions_from_metadata`: the consumer's versions named by the metadata, oldest first.
    pub fn consumer_version_ids(&self, state: &State, consumer_id: Id) -> Option<Vec<Id>> {
        let numbers = self.consumer_version_numbers(state)?;
        let mut ids: Vec<Id> = numbers
            .iter()
            .filter_map(|n| state.version_by_number(consumer_id, n).map(|v| v.id))
            .collect();
        ids.sort_unstable();
        Some(ids)
    }

    /// The consumer version a pact fetched by pact-version URL should represent
    /// (`maybe_consumer_version_number_param`): the `cvn`/`cv` number, else the newest of the
    /// selectors' consumer versions that exists.
    pub fn consumer_version_number_for_pact(
        &self,
        state: &State,
        consumer_id: Id,
    ) -> Option<String> {
        if let Some(n) = self
            .consumer_version
            .as_ref()
            .and_then(|cv| cv.number(state))
        {
            return Some(n);
        }
        let ids = self.consumer_version_ids(state, consumer_id)?;
        ids.last().map(|id| state.version(*id).number.clone())
    }
}

/// `build_metadata_for_webhook_triggered_by_pact_publication`: `{cvn, cvt, w: "true"}`, encoded.
pub fn metadata_for_webhook(
    consumer_version_number: &str,
    consumer_version_tags: &[String],
) -> String {
    encode_metadata(&json!({
        "cvn": consumer_version_number,
        "cvt": consumer_version_tags,
        "w": "true"
    }))
}

/// `build_metadata_for_latest_pact`: `{cvt: [tag], cv: id}` or `{cv: id}`, encoded.
pub fn metadata_for_latest_pact(consumer_version_id: Id, tag: Option<&str>) -> String {
    let v = match tag {
        Some(t) => json!({"cvt": [t], "cv": consumer_version_id}),
        None => json!({"cv": consumer_version_id}),
    };
    encode_metadata(&v)
}

/// `build_metadata_for_consumer_version_number`: `{cvn: n}`, encoded.
pub fn metadata_for_consumer_version_number(consumer_version_number: &str) -> String {
    encode_metadata(&json!({ "cvn": consumer_version_number }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_like_rack() {
        let v = json!({"s": [{"t": "prod", "l": true, "cv": 10}]});
        assert_eq!(
            build_nested_query(&v),
            "s%5B%5D%5Bt%5D=prod&s%5B%5D%5Bl%5D=true&s%5B%5D%5Bcv%5D=10"
        );
        assert_eq!(
            encode_metadata(&v),
            "cyU1QiU1RCU1QnQlNUQ9cHJvZCZzJTVCJTVEJTVCbCU1RD10cnVlJnMlNUIlNUQlNUJjdiU1RD0xMA"
        );
        assert_eq!(
            build_nested_query(&json!({"a": "x y/z", "n": null, "e": []})),
            "a=x+y%2Fz&n"
        );
        assert_eq!(encode_metadata(&json!({"wip": true})), "d2lwPXRydWU");
    }

    #[test]
    fn parses_like_rack() {
        let m = parse_nested_query(
            "s[][t]=prod&s[][l]=true&s[][cv]=10&s[][l]=true&s[][cv]=11&w=true&x",
        )
        .unwrap();
        assert_eq!(
            Value::Object(m),
            json!({"s": [{"t":"prod","l":"true","cv":"10"},{"l":"true","cv":"11"}], "w": "true", "x": null})
        );
        let m = parse_nested_query("a[b][c]=1&a[b][d]=2&t[]=x&t[]=y").unwrap();
        assert_eq!(
            Value::Object(m),
            json!({"a":{"b":{"c":"1","d":"2"}},"t":["x","y"]})
        );
        assert!(parse_nested_query("a[]=1&a[b]=2").is_none());
        assert!(parse_nested_query("a=%zz").is_none());
    }

    #[test]
    fn decodes_metadata() {
        let md = decode_metadata(
            "cyU1QiU1RCU1QnQlNUQ9cHJvZCZzJTVCJTVEJTVCbCU1RD10cnVlJnMlNUIlNUQlNUJjdiU1RD0xMA",
        );
        let s = md.selectors.unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].tag.as_deref(), Some("prod"));
        assert_eq!(s[0].latest.as_deref(), Some("true"));
        assert_eq!(s[0].consumer_version, Some(MetadataVersion::Id(10)));
        assert!(!md.wip);

        let hook = metadata_for_webhook("1.2.3", &["main".to_string()]);
        let md = decode_metadata(&hook);
        assert!(md.wip);
        assert_eq!(
            md.consumer_version,
            Some(MetadataVersion::Number("1.2.3".into()))
        );
        assert_eq!(md.consumer_version_tags, vec!["main".to_string()]);

        // Padding and the standard alphabet are tolerated; garbage gives nothing.
        assert!(decode_metadata("dz10cnVl==").wip);
        assert_eq!(decode_metadata("!!!"), Metadata::default());
        assert_eq!(
            decode_metadata(&encode_metadata(&json!({"p": false}))).pending,
            Some(false)
        );
    }
}
