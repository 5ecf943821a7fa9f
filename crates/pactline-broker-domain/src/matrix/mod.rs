//! The matrix and can-i-deploy, as the real Pact Broker (2.120.0) computes them.
//!
//! * [`parse_matrix_query`] reads a `/matrix` query string (Rack nested-query semantics) and
//!   [`validate_matrix_query`] gives the broker's 400 messages; [`parse_can_i_deploy_query`] reads
//!   and validates `/can-i-deploy`.
//! * [`find`] resolves the selectors (and, with a destination option, infers the other integrated
//!   applications), finds the rows and summarises them; [`matrix`] validates first.
//! * [`render_json`] and [`render_text`] give the broker's `application/hal+json` and `text/plain`
//!   bodies.

mod query;
mod render;
mod rows;
mod selectors;
mod summary;

pub use query::{
    parse_can_i_deploy_params, parse_can_i_deploy_query, parse_matrix_query,
    validate_can_i_deploy_query, validate_matrix_options, validate_matrix_query, LatestBy,
    MatrixOptions, MatrixQuery, UnresolvedSelector,
};
pub use render::{render_json, render_text, summary_json};
pub use rows::{Integration, MatrixRow};
pub use selectors::{ResolvedSelector, SelectorType, VersionRef};
pub use summary::{Counts, Reason, Summary};

use crate::state::State;
use selectors::Ignorer;

/// The outcome of a matrix query (`QueryResultsWithDeploymentStatusSummary`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixResult {
    /// Rows that decide the result, in the broker's order.
    pub considered_rows: Vec<MatrixRow>,
    /// Rows matched by an ignore selector (rendered after the others with `ignored: true`).
    pub ignored_rows: Vec<MatrixRow>,
    /// The specified selectors followed by the inferred ones.
    pub resolved_selectors: Vec<ResolvedSelector>,
    pub resolved_ignore_selectors: Vec<ResolvedSelector>,
    pub integrations: Vec<Integration>,
    pub options: MatrixOptions,
    pub summary: Summary,
}

impl MatrixResult {
    pub fn deployable(&self) -> Option<bool> {
        self.summary.deployable
    }

    /// Every row: the considered ones, then the ignored ones.
    pub fn rows(&self) -> impl Iterator<Item = &MatrixRow> {
        self.considered_rows.iter().chain(self.ignored_rows.iter())
    }
}

/// Runs a query without validating it (`Matrix::Service#can_i_deploy`): what `/can-i-deploy` and
/// the badge and tag/branch can-i-deploy resources do after their own checks.
pub fn find(state: &State, query: &MatrixQuery) -> MatrixResult {
    let options = &query.options;
    let infer = options.infers_selectors();
    let ignore_selectors = selectors::resolve(
        state,
        &options.ignore_selectors,
        SelectorType::Ignored,
        &Ignorer(None),
    );
    let ignorer = Ignorer(Some(&ignore_selectors));
    let mut resolved =
        selectors::resolve(state, &query.selectors, SelectorType::Specified, &ignorer);
    let integrations = rows::find_integrations(state, &resolved, infer);

    if infer {
        let specified_names: Vec<&str> = resolved
            .iter()
            .filter_map(|s| s.pacticipant_name.as_deref())
            .collect();
        let mut inferred_names: Vec<&str> = Vec::new();
        for name in integrations
            .iter()
            .flat_map(|i| [i.consumer_name.as_str(), i.provider_name.as_str()])
        {
            if !specified_names.contains(&name) && !inferred_names.contains(&name) {
                inferred_names.push(name);
            }
        }
        let unresolved: Vec<UnresolvedSelector> = inferred_names
            .into_iter()
            .map(|name| UnresolvedSelector {
                pacticipant_name: Some(name.to_string()),
                tag: options.tag.clone(),
                branch: options.branch.clone(),
                main_branch: options.main_branch == Some(true),
                latest: options.latest == Some(true),
                environment_name: options.environment_name.clone(),
                ..Default::default()
            })
            .collect();
        let inferred = selectors::resolve(state, &unresolved, SelectorType::Inferred, &ignorer);
        resolved.extend(inferred);
    }

    let rows = rows::query_rows(state, &resolved, options);
    let mut rows = rows::apply_latestby(rows, options.latestby);
    if let Some(success) = &options.success {
        rows.retain(|r| success.contains(&r.success));
    }
    let (mut considered, mut ignored): (Vec<MatrixRow>, Vec<MatrixRow>) =
        if ignore_selectors.is_empty() {
            (rows, Vec::new())
        } else {
            rows.into_iter().partition(|r| {
                !ignore_selectors.iter().any(|s| {
                    let everything = s.only_pacticipant_name_specified();
                    (s.pacticipant_id == Some(r.consumer_id)
                        && (everything || s.version.matches(Some(r.consumer_version_id))))
                        || (s.pacticipant_id == Some(r.provider_id)
                            && (everything || s.version.matches(r.provider_version_id)))
                })
            })
        };
    rows::sort_rows(&mut considered);
    rows::sort_rows(&mut ignored);

    let summary = summary::summarise(
        &summary::SummaryInput {
            considered: &considered,
            ignored: &ignored,
            selectors: &resolved,
            ignore_selectors: &ignore_selectors,
            integrations: &integrations,
            destination_given: options.tag.is_some()
                || options.environment_name.is_some()
                || options.main_branch == Some(true),
        },
        state,
    );

    MatrixResult {
        considered_rows: considered,
        ignored_rows: ignored,
        resolved_selectors: resolved,
        resolved_ignore_selectors: ignore_selectors,
        integrations,
        options: options.clone(),
        summary,
    }
}

/// `GET /matrix`: validates the query as the broker does (a list of messages for a 400), then
/// runs it.
pub fn matrix(state: &State, query: &MatrixQuery) -> Result<MatrixResult, Vec<String>> {
    let errors = validate_matrix_query(state, query);
    if errors.is_empty() {
        Ok(find(state, query))
    } else {
        Err(errors)
    }
}

/// `Matrix::Service#can_i_merge`: whether the latest main-branch version of a pacticipant is
/// compatible with the main branches of its integrations (`None` when it has none).
pub fn can_i_merge(state: &State, pacticipant: &str) -> Option<Option<bool>> {
    let p = state.pacticipant_by_name(pacticipant)?;
    let main = p.main_branch.as_deref()?;
    let version = state
        .branch_head_version(p.id, main)
        .or_else(|| state.latest_version_with_tag(p.id, main))?;
    let query = MatrixQuery {
        selectors: vec![UnresolvedSelector::version(&p.name, &version.number)],
        options: MatrixOptions {
            main_branch: Some(true),
            latest: Some(true),
            latestby: Some(LatestBy::Cvp),
            ..Default::default()
        },
    };
    Some(find(state, &query).deployable())
}
