//! Query strings as the real broker's Ruby stack reads and writes them: Rack's
//! `parse_nested_query` (the matrix, can-i-deploy and pact-URL metadata), `build_nested_query`
//! (metadata), `URI.encode_www_form_component`, and webmachine's flat `Request#query` (the
//! `/can-i-deploy` schema). One implementation, shared by the matrix and pacts for verification.

use serde_json::{Map, Value};

/// A value of a parsed nested query (Ruby's `nil`, `String`, `Array` or `Hash`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// A key without `=` (`?latest`), which Rack maps to `nil`.
    Null,
    Str(String),
    Arr(Vec<Param>),
    Hash(ParamHash),
}

/// An insertion-ordered hash, as Ruby's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamHash(pub Vec<(String, Param)>);

impl ParamHash {
    pub fn get(&self, key: &str) -> Option<&Param> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Param> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// `hash[key] = value`: replaces in place, or appends.
    fn set(&mut self, key: &str, value: Param) {
        match self.get_mut(key) {
            Some(v) => *v = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    /// `hash[key] ||= default`, returning the entry.
    fn get_or_insert(&mut self, key: &str, default: Param) -> &mut Param {
        let pos = match self.0.iter().position(|(k, _)| k == key) {
            Some(pos) => {
                if self.0[pos].1 == Param::Null {
                    self.0[pos].1 = default;
                }
                pos
            }
            None => {
                self.0.push((key.to_string(), default));
                self.0.len() - 1
            }
        };
        &mut self.0[pos].1
    }
}

impl Param {
    /// The Ruby class name, for Rack's type errors.
    fn class_name(&self) -> &'static str {
        match self {
            Param::Null => "NilClass",
            Param::Str(_) => "String",
            Param::Arr(_) => "Array",
            Param::Hash(_) => "Rack::QueryParser::Params",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Param::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Rack's limits (`param_depth_limit` 32, `params_limit` 4096, `bytesize_limit` 4 MiB).
const PARAM_DEPTH_LIMIT: usize = 32;
const PARAMS_LIMIT: usize = 4096;
const BYTESIZE_LIMIT: usize = 4_194_304;

/// `URI.encode_www_form_component` (Rack's `escape`): keeps `*-._0-9A-Za-z`, a space becomes `+`.
pub fn www_form_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Ruby's `to_s` of a scalar.
pub fn scalar_to_s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `Rack::Utils.build_nested_query`: `{"s"=>[{"t"=>"prod"}]}` gives `s%5B%5D%5Bt%5D=prod`.
/// Object keys keep their order; `null` gives the bare name; empty arrays and objects vanish.
pub fn build_nested_query(value: &Value) -> String {
    build(value, None)
}

fn build(value: &Value, prefix: Option<&str>) -> String {
    match value {
        Value::Array(items) => {
            let p = format!("{}[]", prefix.unwrap_or(""));
            items
                .iter()
                .map(|v| build(v, Some(&p)))
                .collect::<Vec<_>>()
                .join("&")
        }
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| match prefix {
                Some(p) => build(v, Some(&format!("{p}[{k}]"))),
                None => build(v, Some(k)),
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("&"),
        Value::Null => prefix.map(www_form_escape).unwrap_or_default(),
        scalar => match prefix {
            Some(p) => format!(
                "{}={}",
                www_form_escape(p),
                www_form_escape(&scalar_to_s(scalar))
            ),
            // Rack raises "value must be a Hash"; nothing sensible to emit.
            None => String::new(),
        },
    }
}

impl Param {
    /// The same value as JSON (`nil` → `null`).
    pub fn to_json(&self) -> Value {
        match self {
            Param::Null => Value::Null,
            Param::Str(s) => Value::String(s.clone()),
            Param::Arr(a) => Value::Array(a.iter().map(Param::to_json).collect()),
            Param::Hash(h) => Value::Object(h.to_json()),
        }
    }
}

impl ParamHash {
    /// The same hash as a JSON object, keys in order.
    pub fn to_json(&self) -> Map<String, Value> {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect()
    }
}

/// Rack's `URI.decode_www_form_component`: `+` is a space; a `%` not followed by two hex digits
/// is an error.
pub fn unescape(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) if hex.is_some_and(|h| h.bytes().all(|c| c.is_ascii_hexdigit())) => {
                        out.push(b);
                        i += 3;
                    }
                    _ => return Err(format!("invalid %-encoding ({s})")),
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Ruby's `CGI.unescape`: like [`unescape`] but invalid `%` sequences are kept as they are.
fn cgi_unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if bytes.len() >= i + 3
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                let h = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(h, 16).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Rack's `DEFAULT_SEP` (`/& */`): splits on `&` and drops the spaces after it.
fn split_pairs(qs: &str) -> impl Iterator<Item = &str> {
    qs.split('&')
        .enumerate()
        .map(|(i, p)| if i == 0 { p } else { p.trim_start_matches(' ') })
}

/// Rack's `parse_nested_query`. Errors carry Rack's message (the broker answers them with an error).
pub fn parse_nested_query(qs: &str) -> Result<ParamHash, String> {
    let mut params = ParamHash::default();
    if qs.is_empty() {
        return Ok(params);
    }
    if qs.len() > BYTESIZE_LIMIT {
        return Err(format!("total query size exceeds limit ({BYTESIZE_LIMIT})"));
    }
    let count = qs.split('&').count();
    if count > PARAMS_LIMIT {
        return Err(format!(
            "total number of query parameters ({count}) exceeds limit ({PARAMS_LIMIT})"
        ));
    }
    for pair in split_pairs(qs) {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = match pair.split_once('=') {
            Some((k, v)) => (unescape(k)?, Param::Str(unescape(v)?)),
            None => (unescape(pair)?, Param::Null),
        };
        normalize(&mut params, &k, v, 0)?;
    }
    Ok(params)
}

/// What `_normalize_params` returned: the hash it was given, `[v]`, or `nil`.
enum Ret {
    Same,
    Value(Param),
    Nil,
}

/// The byte index of the first `c` at character position 1 or later (Ruby's `name.index(c, 1)`).
fn index_from_1(name: &str, c: char) -> Option<usize> {
    name.char_indices()
        .skip(1)
        .find(|(_, ch)| *ch == c)
        .map(|(i, _)| i)
}

fn type_error(expected: &str, got: &Param, key: &str) -> String {
    format!(
        "expected {expected} (got {}) for param `{key}'",
        got.class_name()
    )
}

fn normalize(params: &mut ParamHash, name: &str, v: Param, depth: usize) -> Result<Ret, String> {
    if depth >= PARAM_DEPTH_LIMIT {
        return Err("exceeded available parameter key space".to_string());
    }
    let (k, after): (&str, &str) = if depth == 0 {
        match index_from_1(name, '[') {
            Some(start) => (&name[..start], &name[start..]),
            None => (name, ""),
        }
    } else if let Some(rest) = name.strip_prefix("[]") {
        ("[]", rest)
    } else if let (true, Some(end)) = (name.starts_with('['), index_from_1(name, ']')) {
        (&name[1..end], &name[end + 1..])
    } else {
        (name, "")
    };

    if k.is_empty() {
        return Ok(Ret::Nil);
    }

    if after.is_empty() {
        if k == "[]" && depth != 0 {
            return Ok(Ret::Value(Param::Arr(vec![v])));
        }
        params.set(k, v);
    } else if after == "[" {
        params.set(name, v);
    } else if after == "[]" {
        match params.get_or_insert(k, Param::Arr(Vec::new())) {
            Param::Arr(a) => a.push(v),
            other => return Err(type_error("Array", other, k)),
        }
    } else if let Some(rest) = after.strip_prefix("[]") {
        // `x[][y]` (a hash inside an array), else other nested array parameters.
        let inner = rest
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .filter(|c| !c.is_empty() && !c.contains(['[', ']']));
        let child_key = inner.unwrap_or(rest);
        let arr = match params.get_or_insert(k, Param::Arr(Vec::new())) {
            Param::Arr(a) => a,
            other => return Err(type_error("Array", other, k)),
        };
        match arr.last_mut() {
            Some(Param::Hash(last)) if !has_key(last, child_key) => {
                normalize(last, child_key, v, depth + 1)?;
            }
            _ => {
                let mut fresh = ParamHash::default();
                let pushed = match normalize(&mut fresh, child_key, v, depth + 1)? {
                    Ret::Same => Param::Hash(fresh),
                    Ret::Value(p) => p,
                    Ret::Nil => Param::Null,
                };
                arr.push(pushed);
            }
        }
    } else {
        let entry = params.get_or_insert(k, Param::Hash(ParamHash::default()));
        let ret = match entry {
            Param::Hash(h) => normalize(h, after, v, depth + 1)?,
            other => return Err(type_error("Hash", other, k)),
        };
        match ret {
            Ret::Same => {}
            Ret::Value(p) => *entry = p,
            Ret::Nil => *entry = Param::Null,
        }
    }
    Ok(Ret::Same)
}

/// Rack's `params_hash_has_key?`.
fn has_key(hash: &ParamHash, key: &str) -> bool {
    if key.contains("[]") {
        return false;
    }
    let mut current = hash;
    let mut parts = key.split(['[', ']']).filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        match current.get(part) {
            Some(Param::Hash(h)) => current = h,
            Some(_) if parts.peek().is_none() => return true,
            _ => return false,
        }
    }
    true
}

/// Webmachine's `Request#query`: pairs split on `&` then `=`; a pair without a value (or with an
/// empty one) is dropped, a later key wins and a value is cut at a second `=`.
pub fn webmachine_query(qs: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for kv in qs.split('&') {
        let mut parts = kv.split('=');
        let key = parts.next().unwrap_or("");
        let value = parts.next();
        // Ruby's `split(/=/)` drops trailing empty strings, so "a=" has no value.
        let value = match value {
            Some(v) if !v.is_empty() || parts.clone().any(|p| !p.is_empty()) => v,
            _ => continue,
        };
        if kv.is_empty() {
            continue;
        }
        let (key, value) = (cgi_unescape(key), cgi_unescape(value));
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => out.push((key, value)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Param {
        Param::Str(v.to_string())
    }

    fn hash(pairs: &[(&str, Param)]) -> Param {
        Param::Hash(ParamHash(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        ))
    }

    #[test]
    fn a_repeated_key_starts_a_new_element() {
        let p = parse_nested_query(
            "q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][version]=4",
        )
        .unwrap();
        assert_eq!(
            p.get("q"),
            Some(&Param::Arr(vec![
                hash(&[("pacticipant", s("Foo")), ("version", s("1"))]),
                hash(&[("pacticipant", s("Bar")), ("version", s("4"))]),
            ]))
        );
        let sorted = parse_nested_query(
            "q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1&q[][version]=4",
        )
        .unwrap();
        assert_eq!(
            sorted.get("q"),
            Some(&Param::Arr(vec![
                hash(&[("pacticipant", s("Foo"))]),
                hash(&[("pacticipant", s("Bar")), ("version", s("1"))]),
                hash(&[("version", s("4"))]),
            ]))
        );
    }

    #[test]
    fn flat_encoding_and_decoding() {
        let p =
            parse_nested_query("q[]pacticipant=Foo+Bar&q[]version=1%2F2&q[]pacticipant=Baz&latest")
                .unwrap();
        assert_eq!(
            p.get("q"),
            Some(&Param::Arr(vec![
                hash(&[("pacticipant", s("Foo Bar")), ("version", s("1/2"))]),
                hash(&[("pacticipant", s("Baz"))]),
            ]))
        );
        assert_eq!(p.get("latest"), Some(&Param::Null));
        let p =
            parse_nested_query("q%5B%5D%5Bpacticipant%5D=Foo&success[]=true&success[]=").unwrap();
        assert_eq!(
            p.get("q"),
            Some(&Param::Arr(vec![hash(&[("pacticipant", s("Foo"))])]))
        );
        assert_eq!(p.get("success"), Some(&Param::Arr(vec![s("true"), s("")])));
    }

    #[test]
    fn type_conflicts_and_bad_encoding_are_errors() {
        assert_eq!(
            parse_nested_query("q=1&q[][pacticipant]=Foo").unwrap_err(),
            "expected Array (got String) for param `q'"
        );
        assert!(parse_nested_query("q[][pacticipant]=%zz").is_err());
        let p = parse_nested_query("a[b][c]=1&a[b][d]=2&x[]=1&x[][y]=2").unwrap();
        assert_eq!(
            p.get("a"),
            Some(&hash(&[("b", hash(&[("c", s("1")), ("d", s("2"))]))]))
        );
        assert_eq!(
            p.get("x"),
            Some(&Param::Arr(vec![s("1"), hash(&[("y", s("2"))])]))
        );
    }

    #[test]
    fn webmachine_query_drops_empty_values_and_last_wins() {
        let q = webmachine_query(
            "pacticipant=Foo&version=&to=a=b&pacticipant=Bar&environment=prod+uction&x",
        );
        assert_eq!(
            q,
            vec![
                ("pacticipant".to_string(), "Bar".to_string()),
                ("to".to_string(), "a".to_string()),
                ("environment".to_string(), "prod uction".to_string()),
            ]
        );
    }
}
