//! Parsing and validating the pacts-for-verification request, with the broker's messages.

use super::metadata::parse_nested_query;
use super::{BranchSelector, PactsForVerificationQuery, Selector};
use crate::error::ValidationErrors;
use crate::model::Time;
use crate::state::State;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::{Map, Value};

// ---- dates ---------------------------------------------------------------------------------------

/// Parses a date or date-time as Ruby's `DateTime.parse` does for the common forms: `2020-01-01`
/// (midnight UTC), RFC 3339 / ISO 8601 with `T` or a space, optional seconds and fraction, and a
/// `Z`, `±HH:MM`, `±HHMM`, `±HH` or ` UTC` zone (UTC when none); also RFC 2822.
pub fn parse_ruby_datetime(input: &str) -> Option<Time> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|dt| Utc.from_utc_datetime(&dt));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    let normalized = s.replacen(' ', "T", 1);
    let with_zone = [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%z",
    ];
    for candidate in [
        normalized.clone(),
        normalized.replace(" +", "+").replace(" -", "-"),
    ] {
        for f in with_zone {
            if let Ok(d) = DateTime::parse_from_str(&candidate, f) {
                return Some(d.with_timezone(&Utc));
            }
        }
        // `±HH` alone.
        if let Some(pos) = candidate.rfind(['+', '-']).filter(|p| *p > 10) {
            let zone = &candidate[pos + 1..];
            if zone.len() == 2 && zone.chars().all(|c| c.is_ascii_digit()) {
                let with_minutes = format!("{candidate}:00");
                if let Ok(d) = DateTime::parse_from_str(&with_minutes, "%Y-%m-%dT%H:%M:%S%.f%:z") {
                    return Some(d.with_timezone(&Utc));
                }
            }
        }
    }
    let naive = normalized
        .strip_suffix('Z')
        .or_else(|| normalized.strip_suffix(" UTC"))
        .unwrap_or(&normalized);
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    None
}

// ---- dry-schema-like predicates ---------------------------------------------------------------------

/// dry-logic `filled?`: not nil, and not an empty string, array or hash.
fn filled(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => true,
    }
}

/// Ruby truthiness.
fn truthy(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null) | Some(Value::Bool(false)))
}

/// `ValidationHelpers.provided?`: a non-blank string, or anything non-nil.
fn provided(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

fn is_blank_string(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.trim().is_empty())
}

// ---- the consumer version selector contract -------------------------------------------------------------

const BRANCH_KEYS: [&str; 7] = [
    "latest",
    "tag",
    "fallbackTag",
    "branch",
    "fallbackBranch",
    "matchingBranch",
    "mainBranch",
];
const ENVIRONMENT_KEYS: [&str; 4] = ["environment", "deployed", "released", "deployedOrReleased"];

#[derive(Clone, Copy)]
enum Check {
    /// `filled(included_in?: [true])`
    OnlyTrue,
    /// `filled(included_in?: [true, false])`
    Boolean,
    /// `filled(:str?)`
    Str,
    /// `filled { str? | eql?(true) }`
    StrOrTrue,
}

const SELECTOR_SCHEMA: [(&str, Check); 12] = [
    ("mainBranch", Check::OnlyTrue),
    ("tag", Check::Str),
    ("branch", Check::StrOrTrue),
    ("matchingBranch", Check::OnlyTrue),
    ("latest", Check::Boolean),
    ("fallbackTag", Check::Str),
    ("fallbackBranch", Check::Str),
    ("consumer", Check::Str),
    ("deployed", Check::OnlyTrue),
    ("released", Check::OnlyTrue),
    ("deployedOrReleased", Check::OnlyTrue),
    ("environment", Check::Str),
];

/// The full (key-prefixed) schema message for a value, if it fails.
fn schema_error(key: &str, check: Check, v: &Value) -> Option<String> {
    if !filled(v) {
        return Some(format!("{key} must be filled"));
    }
    let ok = match check {
        Check::OnlyTrue => *v == Value::Bool(true),
        Check::Boolean => v.is_boolean(),
        Check::Str => v.is_string(),
        Check::StrOrTrue => v.is_string() || *v == Value::Bool(true),
    };
    if ok {
        return None;
    }
    Some(match check {
        Check::OnlyTrue => format!("{key} must be one of: true"),
        Check::Boolean => format!("{key} must be one of: true, false"),
        Check::Str => format!("{key} must be a string"),
        Check::StrOrTrue => format!("{key} must be a string or {key} must be equal to true"),
    })
}

fn pluralize(word: &str, count: usize) -> String {
    if count == 1 {
        word.to_string()
    } else if let Some(stem) = word.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    }
}

/// `ConsumerVersionSelectorContract`: the selector's messages, in the broker's order (schema errors,
/// then rules; grouped by key). A rule is skipped when one of its keys failed the schema.
fn validate_selector(
    sel: &Map<String, Value>,
    parent: &Map<String, Value>,
    state: &State,
) -> Vec<String> {
    // (key, message): key None for base failures.
    let mut messages: Vec<(Option<&str>, String)> = Vec::new();
    let mut schema_failed: Vec<&str> = Vec::new();
    for (key, check) in SELECTOR_SCHEMA {
        if let Some(v) = sel.get(key) {
            if let Some(m) = schema_error(key, check, v) {
                messages.push((Some(key), m));
                schema_failed.push(key);
            }
        }
    }
    let all_keys: Vec<&str> = BRANCH_KEYS
        .iter()
        .chain(ENVIRONMENT_KEYS.iter())
        .copied()
        .chain(["consumer"])
        .collect();
    let runs = |keys: &[&str]| !keys.iter().any(|k| schema_failed.contains(k));
    let get = |k: &str| sel.get(k);
    let is_true = |k: &str| get(k) == Some(&Value::Bool(true));
    let is_false = |k: &str| get(k) == Some(&Value::Bool(false));
    let present = |keys: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = keys
            .iter()
            .filter(|k| sel.contains_key(**k))
            .map(|k| k.to_string())
            .collect();
        v.sort();
        v
    };
    let base =
        |messages: &mut Vec<(Option<&str>, String)>, m: &str| messages.push((None, m.to_string()));

    // consumer
    if runs(&["consumer"]) && get("consumer").is_some_and(|v| truthy(Some(v)) && is_blank_string(v))
    {
        messages.push((Some("consumer"), "consumer cannot be blank".into()));
    }
    // has minimum required params
    if runs(&all_keys)
        && !provided(get("mainBranch"))
        && !provided(get("tag"))
        && !provided(get("branch"))
        && !provided(get("environment"))
        && !is_true("matchingBranch")
        && !is_true("deployed")
        && !is_true("released")
        && !is_true("deployedOrReleased")
        && !is_true("latest")
    {
        base(
            &mut messages,
            "must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, latest=true, deployed=true, released=true or deployedOrReleased=true",
        );
    }
    // mainBranch
    if runs(&all_keys) && truthy(get("mainBranch")) {
        let others: Vec<&str> = all_keys
            .iter()
            .copied()
            .filter(|k| !["consumer", "mainBranch", "latest"].contains(k))
            .collect();
        if !present(&others).is_empty() {
            base(
                &mut messages,
                "cannot specify mainBranch=true with any other criteria apart from consumer",
            );
        }
    }
    if runs(&["mainBranch", "latest"]) && truthy(get("mainBranch")) && is_false("latest") {
        base(
            &mut messages,
            "cannot specify mainBranch=true with latest=false",
        );
    }
    // matchingBranch
    if runs(&all_keys) {
        if truthy(get("matchingBranch")) {
            let others: Vec<&str> = all_keys
                .iter()
                .copied()
                .filter(|k| !["consumer", "matchingBranch"].contains(k))
                .collect();
            if !present(&others).is_empty() {
                base(&mut messages, "cannot specify matchingBranch=true with any other criteria apart from consumer");
            }
        }
        if truthy(get("matchingBranch")) && !provided(parent.get("providerVersionBranch")) {
            base(
                &mut messages,
                "the providerVersionBranch must be specified when the selector matchingBranch=true is used",
            );
        }
    }
    // tag and branch
    if runs(&["tag", "branch"]) && truthy(get("tag")) && truthy(get("branch")) {
        base(&mut messages, "cannot specify both a tag and a branch");
    }
    // branch/environment keys
    if runs(&all_keys) {
        let branch_fields = present(&BRANCH_KEYS);
        let env_fields = present(&ENVIRONMENT_KEYS);
        if !branch_fields.is_empty() && !env_fields.is_empty() {
            base(
                &mut messages,
                &format!(
                    "cannot specify the {} {} with the {} {}",
                    pluralize("field", branch_fields.len()),
                    branch_fields.join("/"),
                    pluralize("field", env_fields.len()),
                    env_fields.join("/")
                ),
            );
        }
    }
    // fallbackTag
    if runs(&["fallbackTag", "tag", "latest"]) {
        if truthy(get("fallbackTag")) && !truthy(get("latest")) {
            base(
                &mut messages,
                "fallbackTag can only be set if latest is true",
            );
        }
        if truthy(get("fallbackTag")) && !truthy(get("tag")) {
            base(
                &mut messages,
                "a tag must be specified when a fallbackTag is specified",
            );
        }
    }
    // fallbackBranch
    if runs(&["fallbackBranch", "branch", "latest"]) {
        if truthy(get("fallbackBranch")) && !truthy(get("branch")) {
            base(
                &mut messages,
                "a branch must be specified when a fallbackBranch is specified",
            );
        }
        if truthy(get("fallbackBranch")) && is_false("latest") {
            base(
                &mut messages,
                "fallbackBranch can only be set if latest is true",
            );
        }
    }
    // branch/latest
    if runs(&["branch", "latest"]) && truthy(get("branch")) && is_false("latest") {
        base(&mut messages, "cannot specify a branch with latest=false");
    }
    // environment
    if runs(&["environment"]) && provided(get("environment")) {
        let name = get("environment")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if state.environment_by_name(name).is_none() {
            messages.push((
                Some("environment"),
                format!("environment with name '{name}' does not exist"),
            ));
        }
    }
    // deployed, released, deployedOrReleased
    if runs(&["deployed", "released", "deployedOrReleased"]) {
        if truthy(get("deployed")) && truthy(get("released")) {
            base(
                &mut messages,
                "cannot specify both deployed=true and released=true",
            );
        }
        if truthy(get("deployed")) && truthy(get("deployedOrReleased")) {
            base(
                &mut messages,
                "cannot specify both deployed=true and deployedOrReleased=true",
            );
        }
        if truthy(get("released")) && truthy(get("deployedOrReleased")) {
            base(
                &mut messages,
                "cannot specify both released=true and deployedOrReleased=true",
            );
        }
    }

    // Grouped by key, in order of first appearance (`errors.to_hash.values.flatten`).
    let mut keys: Vec<Option<&str>> = Vec::new();
    for (k, _) in &messages {
        if !keys.contains(k) {
            keys.push(*k);
        }
    }
    keys.iter()
        .flat_map(|k| {
            messages
                .iter()
                .filter(move |(mk, _)| mk == k)
                .map(|(_, m)| m.clone())
        })
        .collect()
}

/// `PactsForVerificationJsonQuerySchema`.
fn validate_json(body: &Map<String, Value>, state: &State) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    let mut schema_failed: Vec<&str> = Vec::new();
    fn fail(
        errors: &mut ValidationErrors,
        failed: &mut Vec<&'static str>,
        key: &'static str,
        m: &str,
    ) {
        errors.add(key, m);
        failed.push(key);
    }
    if let Some(v) = body.get("providerVersionBranch") {
        if !v.is_null() && !v.is_string() {
            fail(
                &mut errors,
                &mut schema_failed,
                "providerVersionBranch",
                "must be a string",
            );
        }
    }
    if let Some(v) = body.get("providerVersionTags") {
        if !v.is_null() && !v.is_array() {
            fail(
                &mut errors,
                &mut schema_failed,
                "providerVersionTags",
                "must be an array",
            );
        }
    }
    if let Some(v) = body.get("consumerVersionSelectors") {
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_object() {
                        let m = format!("must be a hash (at index {i})");
                        fail(
                            &mut errors,
                            &mut schema_failed,
                            "consumerVersionSelectors",
                            &m,
                        );
                    }
                }
            }
            _ => fail(
                &mut errors,
                &mut schema_failed,
                "consumerVersionSelectors",
                "must be an array",
            ),
        }
    }
    if let Some(v) = body.get("includePendingStatus") {
        if !filled(v) {
            fail(
                &mut errors,
                &mut schema_failed,
                "includePendingStatus",
                "must be filled",
            );
        } else if !v.is_boolean() {
            fail(
                &mut errors,
                &mut schema_failed,
                "includePendingStatus",
                "must be one of: true, false",
            );
        }
    }
    if let Some(v) = body.get("includeWipPactsSince") {
        if !filled(v) {
            fail(
                &mut errors,
                &mut schema_failed,
                "includeWipPactsSince",
                "must be filled",
            );
        } else if v.as_str().and_then(parse_ruby_datetime).is_none() {
            fail(
                &mut errors,
                &mut schema_failed,
                "includeWipPactsSince",
                "must be a date",
            );
        }
    }

    let rule_keys = [
        "providerVersionBranch",
        "providerVersionTags",
        "includePendingStatus",
        "includeWipPactsSince",
    ];
    if !rule_keys.iter().any(|k| schema_failed.contains(k)) {
        let branch = body.get("providerVersionBranch").and_then(Value::as_str);
        let mut rule_error = false;
        if let Some(b) = branch.filter(|b| !b.is_empty()) {
            if b.trim().is_empty() {
                errors.add("providerVersionBranch", "cannot be blank");
                rule_error = true;
            }
        }
        if !rule_error {
            let tags_any = body
                .get("providerVersionTags")
                .and_then(Value::as_array)
                .is_some_and(|t| t.iter().any(|x| truthy(Some(x))));
            let pending_or_wip = truthy(body.get("includeWipPactsSince"))
                || truthy(body.get("includePendingStatus"));
            if !tags_any && pending_or_wip && branch.is_some_and(|b| b.trim().is_empty()) {
                errors.add(
                    "providerVersionBranch",
                    "when pending or WIP pacts are enabled and there are no tags provided, the provider version branch must not be an empty string, as it is used in the calculations for WIP/pending. A value must be provided (recommended), or it must not be set at all.",
                );
            }
        }
    }
    if !schema_failed.contains(&"consumerVersionSelectors") {
        if let Some(items) = body
            .get("consumerVersionSelectors")
            .and_then(Value::as_array)
        {
            for (i, item) in items.iter().enumerate() {
                if let Some(sel) = item.as_object() {
                    for m in validate_selector(sel, body, state) {
                        errors.add("consumerVersionSelectors", format!("{m} (at index {i})"));
                    }
                }
            }
        }
    }
    errors
}

// ---- the decorator -------------------------------------------------------------------------------

/// Ruby's `String#snakecase` (pact_broker's refinement).
fn snakecase(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    // ([A-Z]+)([A-Z][a-z]) -> \1_\2
    let mut step1 = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0
            && c.is_ascii_uppercase()
            && chars[i - 1].is_ascii_uppercase()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())
        {
            step1.push('_');
        }
        step1.push(*c);
    }
    // ([a-z\d])([A-Z]) -> \1_\2
    let chars: Vec<char> = step1.chars().collect();
    let mut step2 = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0
            && c.is_ascii_uppercase()
            && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit())
        {
            step2.push('_');
        }
        step2.push(*c);
    }
    let step3: String = step2
        .chars()
        .map(|c| {
            if c == '-' || c.is_whitespace() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut out = String::new();
    for c in step3.chars() {
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    out.to_lowercase()
}

fn snakecase_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(snakecase(k), snakecase_keys(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(snakecase_keys).collect()),
        other => other.clone(),
    }
}

fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The representer's `from_hash` for one selector (snake_case keys), in its property order.
fn selector_from(m: &Map<String, Value>) -> Selector {
    let mut s = Selector::default();
    for (key, v) in m {
        match key.as_str() {
            "main_branch" => {
                s.main_branch = truthy(Some(v));
                s.latest = Some(true);
            }
            "branch" => {
                s.branch = match v {
                    Value::Bool(true) => Some(BranchSelector::All),
                    other => string_of(other).map(BranchSelector::Name),
                };
                s.latest = Some(true);
            }
            "matching_branch" => {
                s.matching_branch = truthy(Some(v));
                s.latest = Some(true);
            }
            _ => {}
        }
    }
    for (key, v) in m {
        match key.as_str() {
            "tag" => s.tag = string_of(v),
            "latest" => s.latest = Some(*v == Value::Bool(true) || v.as_str() == Some("true")),
            "fallback_tag" => s.fallback_tag = string_of(v),
            "fallback_branch" => s.fallback_branch = string_of(v),
            "consumer" => s.consumer = string_of(v),
            "environment" => s.environment = string_of(v),
            "deployed" => s.deployed = truthy(Some(v)) && v.as_str() != Some("false"),
            "released" => s.released = truthy(Some(v)) && v.as_str() != Some("false"),
            "deployed_or_released" => {
                s.deployed = true;
                s.released = true;
            }
            _ => {}
        }
    }
    s
}

/// `PactsForVerificationQueryDecorator#from_hash` on a validated hash (camelCase or snake_case keys).
fn query_from(hash: &Map<String, Value>) -> PactsForVerificationQuery {
    let hash = snakecase_keys(&Value::Object(hash.clone()));
    let hash = hash.as_object().cloned().unwrap_or_default();
    let mut q = PactsForVerificationQuery::default();
    if let Some(Value::Array(tags)) = hash.get("provider_version_tags") {
        q.provider_version_tags = tags.iter().filter_map(string_of).collect();
    }
    q.provider_version_branch = hash.get("provider_version_branch").and_then(string_of);
    if let Some(Value::Array(items)) = hash.get("consumer_version_selectors") {
        for item in items {
            let s = selector_from(item.as_object().unwrap_or(&Map::new()));
            if s.deployed && s.released {
                q.consumer_version_selectors.push(Selector {
                    released: false,
                    ..s.clone()
                });
                q.consumer_version_selectors.push(Selector {
                    deployed: false,
                    ..s
                });
            } else {
                q.consumer_version_selectors.push(s);
            }
        }
    }
    if let Some(branch) = &q.provider_version_branch {
        for s in q
            .consumer_version_selectors
            .iter_mut()
            .filter(|s| s.matching_branch)
        {
            s.branch = Some(BranchSelector::Name(branch.clone()));
        }
    }
    if let Some(v) = hash.get("include_pending_status") {
        q.include_pending_status = *v == Value::Bool(true) || v.as_str() == Some("true");
    }
    q.include_wip_pacts_since = hash
        .get("include_wip_pacts_since")
        .and_then(Value::as_str)
        .and_then(parse_ruby_datetime);
    q
}

/// Validates and parses the POST body, as the broker does: 400 errors keyed as
/// `{"consumerVersionSelectors":["… (at index 0)"]}`. A `null` body is an empty query; any other
/// non-object is rejected (`{"body":["must be a hash"]}`; the broker fails on it unhelpfully).
pub fn parse_query(
    body: &Value,
    state: &State,
) -> Result<PactsForVerificationQuery, ValidationErrors> {
    let empty = Map::new();
    let map = match body {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => return Err(ValidationErrors::single("body", "must be a hash")),
    };
    let errors = validate_json(map, state);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(query_from(map))
}

/// Validates and parses the deprecated GET's query string (`Rack::Utils.parse_nested_query`, e.g.
/// `consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true&provider_version_tags[]=main`)
/// with `PactsForVerificationQueryStringSchema`. The result is marked `deprecated`, so every pact
/// gets the WARNING notice. Of the selector keys only `tag` (required), `latest`, `fallback_tag`
/// and `consumer` are read.
pub fn parse_query_string(
    query: &str,
    _state: &State,
) -> Result<PactsForVerificationQuery, ValidationErrors> {
    let params = parse_nested_query(query).unwrap_or_default();
    let mut errors = ValidationErrors::new();
    // The params processor turns empty strings into nil.
    let get = |m: &Map<String, Value>, k: &str| {
        m.get(k)
            .filter(|v| !(v.is_null() || v.as_str() == Some("")))
            .cloned()
    };
    if let Some(v) = params.get("provider_version_tags") {
        if !v.is_null() && !v.is_array() {
            errors.add("provider_version_tags", "must be an array");
        }
    }
    if let Some(v) = params.get("consumer_version_selectors") {
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(m) = item.as_object() else {
                        errors.add(
                            "consumer_version_selectors",
                            format!("must be a hash (at index {i})"),
                        );
                        continue;
                    };
                    match m.get("tag") {
                        None => errors.add(
                            "consumer_version_selectors",
                            format!("tag is missing (at index {i})"),
                        ),
                        Some(_) if get(m, "tag").is_none() => errors.add(
                            "consumer_version_selectors",
                            format!("tag must be filled (at index {i})"),
                        ),
                        _ => {}
                    }
                    if m.contains_key("latest") {
                        match get(m, "latest") {
                            None => errors.add(
                                "consumer_version_selectors",
                                format!("latest must be filled (at index {i})"),
                            ),
                            Some(v) if v != "true" && v != "false" => errors.add(
                                "consumer_version_selectors",
                                format!("latest must be one of: true, false (at index {i})"),
                            ),
                            _ => {}
                        }
                    }
                    for k in ["fallback_tag", "consumer"] {
                        if m.contains_key(k) && get(m, k).is_none() {
                            errors.add(
                                "consumer_version_selectors",
                                format!("{k} must be filled (at index {i})"),
                            );
                        }
                    }
                }
            }
            _ => errors.add("consumer_version_selectors", "must be an array"),
        }
    }
    if params.contains_key("include_pending_status") {
        match get(&params, "include_pending_status") {
            None => errors.add("include_pending_status", "must be filled"),
            Some(v) if v != "true" && v != "false" => {
                errors.add("include_pending_status", "must be one of: true, false")
            }
            _ => {}
        }
    }
    if params.contains_key("include_wip_pacts_since") {
        match get(&params, "include_wip_pacts_since") {
            None => errors.add("include_wip_pacts_since", "must be filled"),
            Some(v) if v.as_str().and_then(parse_ruby_datetime).is_none() => {
                errors.add("include_wip_pacts_since", "must be a date")
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut filtered = params.clone();
    if let Some(Value::Array(items)) = params.get("consumer_version_selectors") {
        let kept: Vec<Value> = items
            .iter()
            .map(|item| {
                let m = item.as_object().cloned().unwrap_or_default();
                let mut out = Map::new();
                for k in ["tag", "latest", "fallback_tag", "consumer"] {
                    if let Some(v) = m.get(k) {
                        out.insert(k.to_string(), v.clone());
                    }
                }
                Value::Object(out)
            })
            .collect();
        filtered.insert("consumer_version_selectors".into(), Value::Array(kept));
    }
    let mut q = query_from(&filtered);
    q.deprecated = true;
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(body: Value) -> std::collections::BTreeMap<String, Vec<String>> {
        let state = State::new();
        parse_query(&body, &state)
            .err()
            .map(|e| e.0)
            .unwrap_or_default()
    }

    fn first(body: Value) -> String {
        errors(body)
            .get("consumerVersionSelectors")
            .and_then(|v| v.first().cloned())
            .unwrap_or_default()
    }

    #[test]
    fn dates() {
        let d = |s: &str| parse_ruby_datetime(s).map(|t| t.to_rfc3339());
        assert_eq!(d("2020-01-01"), Some("2020-01-01T00:00:00+00:00".into()));
        assert_eq!(
            d("2013-02-13T20:04:45.000+11:00"),
            Some("2013-02-13T09:04:45+00:00".into())
        );
        assert_eq!(
            d("2013-02-13T20:04:45Z"),
            Some("2013-02-13T20:04:45+00:00".into())
        );
        assert_eq!(
            d("2013-02-13 20:04:45 +0100"),
            Some("2013-02-13T19:04:45+00:00".into())
        );
        assert_eq!(
            d("2013-02-13T20:04:45"),
            Some("2013-02-13T20:04:45+00:00".into())
        );
        assert_eq!(
            d("2013-02-13T20:04"),
            Some("2013-02-13T20:04:00+00:00".into())
        );
        assert_eq!(
            d("2013-02-13T20:04:45+05"),
            Some("2013-02-13T15:04:45+00:00".into())
        );
        assert_eq!(d("foo"), None);
        assert_eq!(d("2020-13-45"), None);
    }

    #[test]
    fn schema_messages() {
        assert!(errors(json!({})).is_empty());
        assert!(errors(json!({"providerVersionTags": ["master"], "consumerVersionSelectors": [{"tag": "master", "latest": true}]})).is_empty());
        assert!(errors(json!({"providerVersionTags": true})).contains_key("providerVersionTags"));
        assert_eq!(
            errors(json!({"consumerVersionSelectors": true}))["consumerVersionSelectors"],
            vec!["must be an array"]
        );
        assert_eq!(
            errors(json!({"consumerVersionSelectors": [1]}))["consumerVersionSelectors"],
            vec!["must be a hash (at index 0)"]
        );
        assert_eq!(
            errors(json!({"includeWipPactsSince": null}))["includeWipPactsSince"],
            vec!["must be filled"]
        );
        assert_eq!(
            errors(json!({"includeWipPactsSince": "foo"}))["includeWipPactsSince"],
            vec!["must be a date"]
        );
        assert!(
            errors(json!({"includeWipPactsSince": "2013-02-13T20:04:45.000+11:00"})).is_empty()
        );
        assert_eq!(
            errors(json!({"includePendingStatus": "true"}))["includePendingStatus"],
            vec!["must be one of: true, false"]
        );
        assert_eq!(
            first(
                json!({"consumerVersionSelectors": [{"environment": "feat", "deployed": false}]})
            ),
            "deployed must be one of: true (at index 0)"
        );
        assert_eq!(
            first(json!({"consumerVersionSelectors": [{"environment": "feat", "deployed": null}]})),
            "deployed must be filled (at index 0)"
        );
        assert_eq!(
            first(json!({"consumerVersionSelectors": [{"branch": false}]})),
            "branch must be a string or branch must be equal to true (at index 0)"
        );
    }

    #[test]
    fn selector_rules() {
        assert!(first(
            json!({"consumerVersionSelectors": [{"tag": "feat-x", "fallbackTag": "master"}]})
        )
        .contains("fallbackTag can only be set if latest is true (at index 0)"));
        assert_eq!(
            errors(
                json!({"consumerVersionSelectors": [{"consumer": " ", "tag": "feat-x", "fallbackTag": "master"}]})
            )["consumerVersionSelectors"],
            vec![
                "consumer cannot be blank (at index 0)",
                "fallbackTag can only be set if latest is true (at index 0)"
            ]
        );
        assert!(first(json!({"consumerVersionSelectors": [{}]}))
            .starts_with("must specify a value for environment"));
        assert!(errors(json!({"consumerVersionSelectors": [{"tag": "master"}]})).is_empty());
        assert!(errors(json!({"consumerVersionSelectors": [{"deployed": true}]})).is_empty());
        assert!(errors(json!({"consumerVersionSelectors": [{"released": true}]})).is_empty());
        assert!(errors(json!({"consumerVersionSelectors": [{"latest": true}]})).is_empty());
        assert_eq!(
            first(json!({"consumerVersionSelectors": [{"environment": "feat", "latest": true}]})),
            "cannot specify the field latest with the field environment (at index 0)"
        );
        let e = errors(
            json!({"consumerVersionSelectors": [{"environment": "feat", "latest": true, "tag": "foo", "deployed": true}]}),
        );
        assert_eq!(e["consumerVersionSelectors"][0], "cannot specify the fields latest/tag with the fields deployed/environment (at index 0)");
        assert_eq!(
            first(
                json!({"consumerVersionSelectors": [{"branch": "foo", "tag": "foo", "latest": true}]})
            ),
            "cannot specify both a tag and a branch (at index 0)"
        );
        assert_eq!(
            first(
                json!({"consumerVersionSelectors": [{"fallbackTag": "foo", "latest": true, "branch": "foo"}]})
            ),
            "a tag must be specified when a fallbackTag is specified (at index 0)"
        );
        assert_eq!(
            first(json!({"consumerVersionSelectors": [{"fallbackBranch": "foo", "tag": "foo"}]})),
            "a branch must be specified when a fallbackBranch is specified (at index 0)"
        );
        assert!(errors(json!({"consumerVersionSelectors": [{"branch": "foo"}]})).is_empty());
        assert_eq!(
            first(json!({"consumerVersionSelectors": [{"branch": "foo", "latest": false}]})),
            "cannot specify a branch with latest=false (at index 0)"
        );
        assert_eq!(
            first(json!({"consumerVersionSelectors": [{"environment": "prod"}]})),
            "environment with name 'prod' does not exist (at index 0)"
        );
        assert!(
            first(json!({"consumerVersionSelectors": [{"matchingBranch": true}]}))
                .contains("the providerVersionBranch must be specified")
        );
        assert!(first(
            json!({"consumerVersionSelectors": [{"mainBranch": true, "latest": false}]})
        )
        .contains("cannot specify"));
        assert!(errors(
            json!({"consumerVersionSelectors": [{"mainBranch": true, "latest": true}]})
        )
        .is_empty());
        assert!(
            errors(json!({"consumerVersionSelectors": [{"branch": true, "latest": true}]}))
                .is_empty()
        );
        assert!(
            first(json!({"consumerVersionSelectors": [{"branch": true, "latest": false}]}))
                .contains("cannot specify")
        );
        assert_eq!(
            first(
                json!({"consumerVersionSelectors": [{"deployed": true, "deployedOrReleased": true}]})
            ),
            "cannot specify both deployed=true and deployedOrReleased=true (at index 0)"
        );
        assert_eq!(
            first(json!({"consumerVersionSelectors": [{"tag": "feat-x", "consumer": " "}]})),
            "consumer cannot be blank (at index 0)"
        );
    }

    #[test]
    fn provider_version_branch_rules() {
        let sel = json!([{"matchingBranch": true}]);
        assert!(
            errors(json!({"providerVersionBranch": " ", "consumerVersionSelectors": sel}))
                ["providerVersionBranch"][0]
                .contains("cannot be blank")
        );
        assert!(errors(json!({"providerVersionBranch": "", "providerVersionTags": ["master"], "consumerVersionSelectors": [{"tag": "master"}]})).is_empty());
        assert!(
            !errors(json!({"providerVersionBranch": "", "includePendingStatus": true}))
                ["providerVersionBranch"]
                .is_empty()
        );
        assert!(!errors(json!({"providerVersionBranch": "", "includePendingStatus": true, "providerVersionTags": []}))["providerVersionBranch"].is_empty());
        assert!(errors(json!({"providerVersionBranch": "", "includePendingStatus": true, "providerVersionTags": ["foo"]})).is_empty());
        assert!(
            errors(json!({"providerVersionBranch": "", "includePendingStatus": false})).is_empty()
        );
        assert!(!errors(
            json!({"providerVersionBranch": "", "includeWipPactsSince": "2020-01-01"})
        )["providerVersionBranch"]
            .is_empty());
        // Absent includePendingStatus is not "true" for this rule.
        assert!(errors(json!({"providerVersionBranch": ""})).is_empty());
    }

    #[test]
    fn decorator() {
        let state = State::new();
        let q = parse_query(
            &json!({"providerVersionTags": ["dev"], "providerVersionBranch": "main",
                    "consumerVersionSelectors": [{"tag": "dev", "ignored": "foo", "latest": true}, {"tag": "x"},
                        {"branch": "main"}, {"deployedOrReleased": true}, {"matchingBranch": true},
                        {"tag": "feat-x", "fallbackTag": "dev", "latest": true}]}),
            &state,
        )
        .unwrap();
        assert_eq!(q.provider_version_branch.as_deref(), Some("main"));
        assert!(q.include_pending_status);
        let s = &q.consumer_version_selectors;
        assert_eq!(s[0], Selector::latest_for_tag("dev"));
        assert_eq!(s[1].latest, None);
        assert_eq!(s[2], Selector::latest_for_branch("main"));
        assert_eq!(s[3], Selector::for_currently_deployed(None));
        assert_eq!(s[4], Selector::for_currently_supported(None));
        assert_eq!(s[5].branch_name(), Some("main"));
        assert!(s[5].matching_branch && s[5].latest == Some(true));
        assert_eq!(
            s[6],
            Selector::latest_for_tag_with_fallback("feat-x", "dev")
        );

        let q = parse_query(&json!({"includeWipPactsSince": "2013-02-13T20:04:45.000+11:00", "includePendingStatus": false}), &state).unwrap();
        assert_eq!(
            q.include_wip_pacts_since,
            parse_ruby_datetime("2013-02-13T09:04:45Z")
        );
        assert!(!q.include_pending_status);
        assert!(q.consumer_version_selectors.is_empty());
        assert!(q.provider_version_tags.is_empty());
    }

    #[test]
    fn query_string() {
        let state = State::new();
        let q = parse_query_string(
            "consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true&provider_version_tags[]=main",
            &state,
        )
        .unwrap();
        assert!(q.deprecated);
        assert_eq!(
            q.consumer_version_selectors,
            vec![Selector::latest_for_tag("prod")]
        );
        assert_eq!(q.provider_version_tags, vec!["main".to_string()]);
        let e =
            parse_query_string("consumer_version_selectors[][latest]=maybe", &state).unwrap_err();
        assert_eq!(
            e.0["consumer_version_selectors"],
            vec![
                "tag is missing (at index 0)",
                "latest must be one of: true, false (at index 0)"
            ]
        );
        let q = parse_query_string("", &state).unwrap();
        assert!(q.consumer_version_selectors.is_empty());
    }
}
