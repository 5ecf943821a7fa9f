//! Matrix and can-i-deploy queries: the real broker's `ParseQuery`, `ParseCanIDeployQuery`,
//! `Matrix::Service#validate_selectors`/`#validate_options` and `CanIDeployQuerySchema`.

use crate::error::ValidationErrors;
use crate::rack::{parse_nested_query, webmachine_query, Param, ParamHash};
use crate::state::State;

/// A selector as given in a query (`UnresolvedSelector`). `latest` and `main_branch` are only ever
/// set when true, as the broker's parser does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct UnresolvedSelector {
    pub pacticipant_name: Option<String>,
    pub pacticipant_version_number: Option<String>,
    pub latest: bool,
    pub tag: Option<String>,
    pub branch: Option<String>,
    pub environment_name: Option<String>,
    pub main_branch: bool,
}

impl UnresolvedSelector {
    pub fn pacticipant(name: &str) -> Self {
        UnresolvedSelector {
            pacticipant_name: Some(name.to_string()),
            ..Default::default()
        }
    }

    pub fn version(name: &str, number: &str) -> Self {
        UnresolvedSelector {
            pacticipant_version_number: Some(number.to_string()),
            ..Self::pacticipant(name)
        }
    }

    /// Only the pacticipant name is given (`all_for_pacticipant?` / `only_pacticipant_name_specified?`).
    pub fn only_pacticipant_name(&self) -> bool {
        self.pacticipant_name.is_some()
            && self.pacticipant_version_number.is_none()
            && !self.latest
            && self.tag.is_none()
            && self.branch.is_none()
            && self.environment_name.is_none()
            && !self.main_branch
    }
}

/// How rows are reduced after the query (`latestby`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatestBy {
    /// The latest row per consumer version and provider version.
    Cvpv,
    /// The row with the latest provider version per consumer version and provider.
    Cvp,
    /// The row with the latest provider version per consumer and provider.
    Cp,
}

impl LatestBy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "cvpv" => Some(LatestBy::Cvpv),
            "cvp" => Some(LatestBy::Cvp),
            "cp" => Some(LatestBy::Cp),
            _ => None,
        }
    }
}

/// Query options (the broker's options hash).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixOptions {
    pub latestby: Option<LatestBy>,
    /// Row limit; `None` is unlimited (can-i-deploy, or `limit` given without a value).
    pub limit: Option<i64>,
    /// `latest=` (`Some(false)` for any value but "true").
    pub latest: Option<bool>,
    pub tag: Option<String>,
    /// Only set by callers (no query parameter sets it), as in the broker.
    pub branch: Option<String>,
    pub environment_name: Option<String>,
    /// `mainBranch=` (`Some(false)` for any value but "true"; it still counts as a destination).
    pub main_branch: Option<bool>,
    /// `success[]=`: rows whose success (true, false, or `None` for unverified) is listed.
    pub success: Option<Vec<Option<bool>>>,
    pub ignore_selectors: Vec<UnresolvedSelector>,
}

impl MatrixOptions {
    /// Whether the other integrated applications are inferred (`infer_selectors_for_integrations?`).
    pub fn infers_selectors(&self) -> bool {
        self.latest == Some(true)
            || self.tag.is_some()
            || self.branch.is_some()
            || self.environment_name.is_some()
            || self.main_branch == Some(true)
    }
}

/// Selectors and options of one matrix or can-i-deploy query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixQuery {
    pub selectors: Vec<UnresolvedSelector>,
    pub options: MatrixOptions,
}

impl MatrixQuery {
    /// `GET /matrix/provider/{p}/consumer/{c}` (options from its query string, if any).
    pub fn for_consumer_and_provider(
        consumer: &str,
        provider: &str,
        options: MatrixOptions,
    ) -> Self {
        MatrixQuery {
            selectors: vec![
                UnresolvedSelector::pacticipant(consumer),
                UnresolvedSelector::pacticipant(provider),
            ],
            options,
        }
    }

    /// `GET /pacticipants/{p}/latest-version/{tag}/can-i-deploy/to/{to}`.
    pub fn tag_to_tag(pacticipant: &str, tag: &str, to: &str) -> Self {
        MatrixQuery {
            selectors: vec![UnresolvedSelector {
                latest: true,
                tag: Some(tag.to_string()),
                ..UnresolvedSelector::pacticipant(pacticipant)
            }],
            options: MatrixOptions {
                latestby: Some(LatestBy::Cvp),
                latest: Some(true),
                tag: Some(to.to_string()),
                ..Default::default()
            },
        }
    }

    /// `GET /pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{e}`.
    pub fn branch_to_environment(pacticipant: &str, branch: &str, environment: &str) -> Self {
        MatrixQuery {
            selectors: vec![UnresolvedSelector {
                latest: true,
                branch: Some(branch.to_string()),
                ..UnresolvedSelector::pacticipant(pacticipant)
            }],
            options: MatrixOptions {
                latestby: Some(LatestBy::Cvpv),
                environment_name: Some(environment.to_string()),
                ..Default::default()
            },
        }
    }
}

/// Ruby's `String#[]` with a string argument, which the broker ends up calling when a selector
/// element is a bare string (`q[]=Foo`): the argument if it occurs, else nil.
fn field<'a>(element: &'a Param, key: &'a str) -> Result<Option<&'a str>, String> {
    match element {
        Param::Hash(h) => match h.get(key) {
            None | Some(Param::Null) => Ok(None),
            Some(Param::Str(s)) => Ok(Some(s)),
            Some(_) => Err(format!("Invalid value for parameter {key}")),
        },
        Param::Str(s) => Ok(s.contains(key).then_some(key)),
        Param::Null | Param::Arr(_) => Err("Invalid selector in query".to_string()),
    }
}

fn non_empty(v: Option<&str>) -> Option<String> {
    v.filter(|s| !s.is_empty()).map(str::to_string)
}

/// `ParseQuery.parse_selector`.
fn parse_selector(element: &Param) -> Result<UnresolvedSelector, String> {
    Ok(UnresolvedSelector {
        pacticipant_name: non_empty(field(element, "pacticipant")?),
        pacticipant_version_number: non_empty(field(element, "version")?),
        latest: field(element, "latest")? == Some("true"),
        tag: non_empty(field(element, "tag")?),
        branch: non_empty(field(element, "branch")?),
        environment_name: non_empty(field(element, "environment")?),
        main_branch: field(element, "mainBranch")? == Some("true"),
    })
}

/// Ruby's `String#to_i`: leading whitespace, a sign, digits (single underscores allowed between them).
pub(crate) fn ruby_to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut n: i64 = 0;
    let mut prev_digit = false;
    let bytes = digits.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
            prev_digit = true;
        } else if b == b'_' && prev_digit && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            prev_digit = false;
        } else {
            break;
        }
    }
    if neg {
        -n
    } else {
        n
    }
}

/// A string option as `ParseQuery` reads it: present and not "" (a key without a value is nil).
fn string_option(params: &ParamHash, key: &str) -> Result<Option<String>, String> {
    match params.get(key) {
        None | Some(Param::Null) => Ok(None),
        Some(Param::Str(s)) if s.is_empty() => Ok(None),
        Some(Param::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("Invalid value for parameter {key}")),
    }
}

/// A boolean option as `ParseQuery` reads it: `Some(value == "true")` when present and not "".
fn bool_option(params: &ParamHash, key: &str) -> Option<bool> {
    match params.get(key) {
        None => None,
        Some(Param::Str(s)) if s.is_empty() => None,
        Some(v) => Some(v.as_str() == Some("true")),
    }
}

/// Parses a `/matrix` query string as the broker's `ParseQuery` does (Rack `parse_nested_query`).
/// Default limit 100. Errors are for query strings the real broker cannot process at all (Rack
/// type conflicts, bad %-encoding, an unknown `latestby`), where it fails the request.
pub fn parse_matrix_query(query: &str) -> Result<MatrixQuery, Vec<String>> {
    parse_matrix_query_inner(query).map_err(|e| vec![e])
}

fn parse_matrix_query_inner(query: &str) -> Result<MatrixQuery, String> {
    let params = parse_nested_query(query)?;
    let selectors = match params.get("q") {
        None | Some(Param::Null) => Vec::new(),
        Some(Param::Arr(items)) => items.iter().map(parse_selector).collect::<Result<_, _>>()?,
        Some(_) => return Err("Invalid value for parameter q".to_string()),
    };
    let mut options = MatrixOptions::default();
    match params.get("success") {
        Some(Param::Arr(values)) => {
            options.success = Some(
                values
                    .iter()
                    .map(|v| match v {
                        Param::Str(s) if s.is_empty() => None,
                        v => Some(v.as_str() == Some("true")),
                    })
                    .collect(),
            )
        }
        Some(Param::Str(s)) => {
            options.success = Some(vec![if s.is_empty() {
                None
            } else {
                Some(s == "true")
            }])
        }
        _ => {}
    }
    if let Some(s) = string_option(&params, "latestby")? {
        options.latestby =
            Some(LatestBy::parse(&s).ok_or_else(|| format!("Invalid latestby value '{s}'"))?);
    }
    options.limit = match params.get("limit") {
        None => Some(100),
        Some(Param::Str(s)) if s.is_empty() => Some(100),
        Some(Param::Null) => None,
        Some(Param::Str(s)) => Some(ruby_to_i(s)),
        Some(_) => return Err("Invalid value for parameter limit".to_string()),
    };
    options.latest = bool_option(&params, "latest");
    options.tag = string_option(&params, "tag")?;
    options.environment_name = string_option(&params, "environment")?;
    options.main_branch = bool_option(&params, "mainBranch");
    if let Some(Param::Arr(items)) = params.get("ignore") {
        options.ignore_selectors = items.iter().map(parse_selector).collect::<Result<_, _>>()?;
    }
    Ok(MatrixQuery { selectors, options })
}

/// `Matrix::Service#validate_selectors` (with `#validate_options`): the 400 messages of `/matrix`.
pub fn validate_matrix_query(state: &State, query: &MatrixQuery) -> Vec<String> {
    let mut errors = Vec::new();
    for s in &query.selectors {
        match &s.pacticipant_name {
            None => errors.push("Please specify the pacticipant name".to_string()),
            Some(name) => {
                if s.pacticipant_version_number.is_some() && s.latest {
                    errors.push(format!(
                        "A version number and latest flag cannot both be specified for {name}"
                    ));
                }
            }
        }
    }
    for name in query
        .selectors
        .iter()
        .filter_map(|s| s.pacticipant_name.as_deref())
    {
        if state.pacticipant_by_name(name).is_none() {
            errors.push(format!("Pacticipant {name} not found"));
        }
    }
    if query.selectors.is_empty() {
        errors.push("Please provide 1 or more version selectors.".to_string());
    }
    errors.extend(validate_matrix_options(state, &query.options));
    errors
}

/// `Matrix::Service#validate_options` (also the only check of `/matrix/provider/{p}/consumer/{c}`).
pub fn validate_matrix_options(state: &State, options: &MatrixOptions) -> Vec<String> {
    let mut errors = Vec::new();
    for s in &options.ignore_selectors {
        match &s.pacticipant_name {
            None => errors.push("Please specify the pacticipant name to ignore".to_string()),
            Some(name) => {
                if s.pacticipant_version_number.is_some() && s.latest {
                    errors.push(format!(
                        "A version number and latest flag cannot both be specified for {name} to ignore"
                    ));
                }
            }
        }
    }
    let destinations = [
        options.tag.is_some(),
        options.environment_name.is_some(),
        options.main_branch.is_some(),
    ];
    if destinations.iter().filter(|d| **d).count() > 1 {
        errors.push("Cannot specify more than one of tag, environment and mainBranch.".to_string());
    }
    let environment = options
        .environment_name
        .as_deref()
        .filter(|e| !e.trim().is_empty());
    if options.latest == Some(true) && environment.is_some() {
        errors.push("Cannot specify both latest=true and an environment.".to_string());
    }
    if let Some(env) = environment {
        if state.environment_by_name(env).is_none() {
            errors.push(format!("Environment with name '{env}' does not exist"));
        }
    }
    if options.limit.is_some_and(|l| l < 1) {
        errors.push("The limit must be 1 or greater.".to_string());
    }
    errors
}

/// Non-blank, as the broker's `ValidationHelpers.provided?`.
fn provided(v: Option<&str>) -> bool {
    v.is_some_and(|s| !s.trim().is_empty())
}

/// `CanIDeployQuerySchema` over webmachine's flat view of the query string.
pub fn validate_can_i_deploy_query(state: &State, query: &str) -> ValidationErrors {
    let flat = webmachine_query(query);
    let get = |k: &str| {
        flat.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let mut errors = ValidationErrors::new();
    // Webmachine drops empty values, so a given key is always a filled string.
    for key in ["pacticipant", "version"] {
        if get(key).is_none() {
            errors.add(key, "is missing");
        }
    }
    let pacticipant = get("pacticipant");
    if provided(pacticipant)
        && pacticipant
            .and_then(|p| state.pacticipant_by_name(p))
            .is_none()
    {
        errors.add("pacticipant", "does not match an existing pacticipant");
    }
    let environment = get("environment");
    if let Some(env) = environment.filter(|e| provided(Some(e))) {
        if state.environment_by_name(env).is_none() {
            errors.add("environment", format!("with name '{env}' does not exist"));
        }
    }
    let to = get("to");
    if provided(to) && provided(environment) {
        errors.add("", "Cannot specify both a 'to' tag and an environment.");
    }
    if !provided(to) && !provided(environment) {
        errors.add("", "Must specify either an environment or a 'to' tag.");
    }
    errors
}

/// `ParseCanIDeployQuery` (Rack `parse_nested_query`): one selector, `latestby` cvp, or cvpv with an
/// environment (2.120), no limit, `ignore[]=Name` or `ignore[][pacticipant]=&ignore[][version]=`.
pub fn parse_can_i_deploy_params(query: &str) -> Result<MatrixQuery, String> {
    let params = parse_nested_query(query)?;
    let string = |k: &str| params.get(k).and_then(Param::as_str).map(str::to_string);
    let selector = UnresolvedSelector {
        pacticipant_name: string("pacticipant"),
        pacticipant_version_number: string("version"),
        ..Default::default()
    };
    let mut options = MatrixOptions {
        latestby: Some(LatestBy::Cvp),
        limit: None,
        ..Default::default()
    };
    if let Some(to) = string("to") {
        options.tag = Some(to);
        options.latest = Some(true);
    }
    if let Some(env) = string("environment") {
        options.environment_name = Some(env);
        options.latestby = Some(LatestBy::Cvpv);
    }
    if let Some(Param::Arr(items)) = params.get("ignore") {
        options.ignore_selectors = items
            .iter()
            .filter_map(|item| match item {
                Param::Str(name) => Some(UnresolvedSelector::pacticipant(name)),
                Param::Hash(h) if h.contains_key("pacticipant") => Some(UnresolvedSelector {
                    pacticipant_name: h
                        .get("pacticipant")
                        .and_then(Param::as_str)
                        .map(str::to_string),
                    pacticipant_version_number: h
                        .get("version")
                        .and_then(Param::as_str)
                        .map(str::to_string),
                    ..Default::default()
                }),
                _ => None,
            })
            .collect();
    }
    Ok(MatrixQuery {
        selectors: vec![selector],
        options,
    })
}

/// `GET /can-i-deploy`: the schema check, then `ParseCanIDeployQuery`. A query string Rack cannot
/// parse is reported under the key `query`.
pub fn parse_can_i_deploy_query(
    state: &State,
    query: &str,
) -> Result<MatrixQuery, ValidationErrors> {
    let errors = validate_can_i_deploy_query(state, query);
    if !errors.is_empty() {
        return Err(errors);
    }
    parse_can_i_deploy_params(query).map_err(|e| ValidationErrors::single("query", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_selectors_and_options() {
        let q = parse_matrix_query(
            "q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=prod&latestby=cvp&environment=&tag=prod&ignore[][pacticipant]=Baz&success[]=true&success[]=",
        )
        .unwrap();
        assert_eq!(q.selectors.len(), 2);
        assert_eq!(q.selectors[0], UnresolvedSelector::version("Foo", "1"));
        assert!(q.selectors[1].latest);
        assert_eq!(q.selectors[1].tag.as_deref(), Some("prod"));
        assert_eq!(q.options.latestby, Some(LatestBy::Cvp));
        assert_eq!(q.options.limit, Some(100));
        assert_eq!(q.options.environment_name, None);
        assert_eq!(q.options.tag.as_deref(), Some("prod"));
        assert_eq!(
            q.options.ignore_selectors,
            vec![UnresolvedSelector::pacticipant("Baz")]
        );
        assert_eq!(q.options.success, Some(vec![Some(true), None]));
        assert!(q.options.infers_selectors());
        let q = parse_matrix_query("q[]=Foo&limit=5abc&mainBranch=false").unwrap();
        assert_eq!(q.selectors, vec![UnresolvedSelector::default()]);
        assert_eq!(q.options.limit, Some(5));
        assert_eq!(q.options.main_branch, Some(false));
        assert!(!q.options.infers_selectors());
        assert!(parse_matrix_query("latestby=foo").is_err());
    }

    #[test]
    fn ruby_to_i() {
        assert_eq!(super::ruby_to_i(" 12ab"), 12);
        assert_eq!(super::ruby_to_i("1_000"), 1000);
        assert_eq!(super::ruby_to_i("-3"), -3);
        assert_eq!(super::ruby_to_i("abc"), 0);
    }

    #[test]
    fn can_i_deploy_params() {
        let q = parse_can_i_deploy_params("pacticipant=Foo&version=1&environment=prod&ignore[]=Bar&ignore[][pacticipant]=Baz&ignore[][version]=2").unwrap();
        assert_eq!(q.selectors, vec![UnresolvedSelector::version("Foo", "1")]);
        assert_eq!(q.options.latestby, Some(LatestBy::Cvpv));
        assert_eq!(q.options.limit, None);
        assert_eq!(
            q.options.ignore_selectors,
            vec![
                UnresolvedSelector::pacticipant("Bar"),
                UnresolvedSelector::version("Baz", "2")
            ]
        );
        let q = parse_can_i_deploy_params("pacticipant=Foo&version=1&to=prod").unwrap();
        assert_eq!(q.options.latestby, Some(LatestBy::Cvp));
        assert_eq!(q.options.tag.as_deref(), Some("prod"));
        assert_eq!(q.options.latest, Some(true));
    }
}
