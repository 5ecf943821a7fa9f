//! The matrix bodies: `MatrixDecorator` (hal+json) and `MatrixTextDecorator` (text/plain).

use super::rows::MatrixRow;
use super::MatrixResult;
use crate::model::{Id, Time};
use crate::state::State;
use pactline_broker_api::paths;
use serde_json::{json, Map, Value};

/// ISO-8601 UTC with seconds, as the broker's `FormatDateTime`.
fn format_time(t: &Time) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// The pact-version metadata carrying the consumer version number (`cvn`).
fn consumer_version_metadata(number: &str) -> String {
    crate::for_verification::metadata::metadata_for_consumer_version_number(number)
}

/// The `summary` object.
pub fn summary_json(result: &MatrixResult) -> Value {
    let s = &result.summary;
    let mut m = Map::new();
    m.insert("deployable".into(), json!(s.deployable));
    m.insert("reason".into(), json!(s.reason()));
    m.insert("success".into(), json!(s.counts.success));
    m.insert("failed".into(), json!(s.counts.failed));
    m.insert("unknown".into(), json!(s.counts.unknown));
    if let Some(ignored) = s.counts.ignored {
        m.insert("ignored".into(), json!(ignored));
    }
    Value::Object(m)
}

fn environment_json(state: &State, environment_id: Id, base_url: &str) -> Value {
    let e = state.environment(environment_id);
    let mut m = Map::new();
    m.insert("uuid".into(), json!(e.uuid));
    m.insert("name".into(), json!(e.name));
    if let Some(d) = &e.display_name {
        m.insert("displayName".into(), json!(d));
    }
    m.insert("production".into(), json!(e.production));
    if e.updated_at != e.created_at {
        m.insert("updatedAt".into(), json!(format_time(&e.updated_at)));
    }
    m.insert("createdAt".into(), json!(format_time(&e.created_at)));
    m.insert(
        "_links".into(),
        json!({"self": {"title": "Environment", "name": e.name, "href": format!("{base_url}{}", paths::environment(&e.uuid))}}),
    );
    Value::Object(m)
}

fn version_json(state: &State, pacticipant: &str, version_id: Id, base_url: &str) -> Value {
    let version = state.version(version_id);
    let mut branch_versions: Vec<_> = state.branch_versions_of_version(version_id).collect();
    branch_versions.sort_by_key(|bv| (bv.created_at, bv.id));
    let branch = branch_versions
        .last()
        .map(|bv| state.branch(bv.branch_id).name.clone());
    let branches: Vec<Value> = branch_versions
        .iter()
        .map(|bv| {
            let b = state.branch(bv.branch_id);
            json!({
                "name": b.name,
                "latest": state.branch_head(b.id).map(|h| h.id) == Some(bv.id),
                "_links": {"self": {
                    "title": "Branch version",
                    "name": b.name,
                    "href": format!("{base_url}{}", paths::branch_version(pacticipant, &b.name, &version.number)),
                }},
            })
        })
        .collect();

    let mut placements: Vec<(Time, Id, Id)> = state
        .current_deployments_of(version.pacticipant_id)
        .filter(|d| d.version_id == version_id)
        .map(|d| (d.created_at, d.id, d.environment_id))
        .chain(
            state
                .current_releases_of(version.pacticipant_id)
                .filter(|r| r.version_id == version_id)
                .map(|r| (r.created_at, r.id, r.environment_id)),
        )
        .collect();
    placements.sort();
    let mut environment_ids: Vec<Id> = Vec::new();
    for (_, _, e) in placements {
        if !environment_ids.contains(&e) {
            environment_ids.push(e);
        }
    }
    let environments: Vec<Value> = environment_ids
        .into_iter()
        .map(|e| environment_json(state, e, base_url))
        .collect();

    let mut tags: Vec<_> = state.tags_of(version_id).collect();
    tags.sort_by_key(|t| (t.created_at, t.id));
    let tags: Vec<Value> = tags
        .into_iter()
        .map(|t| {
            json!({
                "name": t.name,
                "latest": state.latest_version_with_tag(version.pacticipant_id, &t.name).map(|v| v.id) == Some(version_id),
                "_links": {"self": {"href": format!("{base_url}{}", paths::tag(pacticipant, &version.number, &t.name))}},
            })
        })
        .collect();

    json!({
        "number": version.number,
        "branch": branch,
        "branches": branches,
        "branchVersions": branches,
        "environments": environments,
        "_links": {"self": {"href": format!("{base_url}{}", paths::version(pacticipant, &version.number))}},
        "tags": tags,
    })
}

fn row_json(state: &State, row: &MatrixRow, base_url: &str) -> Value {
    let publication = state.publication(row.pact_publication_id);
    let verification = row.verification_id.map(|id| state.verification(id));
    let verification_result = match (verification, row.success) {
        (Some(v), Some(success)) => {
            let sha = &state.pact_version(row.pact_version_id).sha;
            let results = paths::verification_results(
                &row.provider_name,
                &row.consumer_name,
                sha,
                &consumer_version_metadata(&row.consumer_version_number),
            );
            json!({
                "success": success,
                "verifiedAt": format_time(&v.created_at),
                "_links": {"self": {"href": format!("{base_url}{results}/{}", v.number)}},
            })
        }
        _ => Value::Null,
    };
    json!({
        "consumer": {
            "name": row.consumer_name,
            "version": version_json(state, &row.consumer_name, row.consumer_version_id, base_url),
            "_links": {"self": {"href": format!("{base_url}{}", paths::pacticipant(&row.consumer_name))}},
        },
        "provider": {
            "name": row.provider_name,
            "version": row
                .provider_version_id
                .map(|v| version_json(state, &row.provider_name, v, base_url))
                .unwrap_or(Value::Null),
            "_links": {"self": {"href": format!("{base_url}{}", paths::pacticipant(&row.provider_name))}},
        },
        "pact": {
            "createdAt": format_time(&publication.created_at),
            "_links": {"self": {"href": format!(
                "{base_url}{}",
                paths::pact(&row.provider_name, &row.consumer_name, &row.consumer_version_number)
            )}},
        },
        "verificationResult": verification_result,
    })
}

/// The `application/hal+json` body of `/matrix` and `/can-i-deploy`. `base_url` has no trailing slash.
pub fn render_json(state: &State, result: &MatrixResult, base_url: &str) -> Value {
    let notices: Vec<Value> = result
        .summary
        .reasons
        .iter()
        .map(|r| json!({"type": r.notice_type(), "text": r.text()}))
        .collect();
    let mut matrix: Vec<Value> = result
        .considered_rows
        .iter()
        .map(|r| row_json(state, r, base_url))
        .collect();
    for r in &result.ignored_rows {
        let mut v = row_json(state, r, base_url);
        if let Value::Object(m) = &mut v {
            m.insert("ignored".into(), Value::Bool(true));
        }
        matrix.push(v);
    }
    json!({
        "summary": summary_json(result),
        "notices": notices,
        "matrix": matrix,
    })
}

/// `table_print` with its defaults: columns at most 30 wide, longer values cut with "...".
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return "No data.".to_string();
    }
    const MAX_WIDTH: usize = 30;
    let len = |s: &str| s.chars().count();
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let data = rows.iter().map(|r| len(&r[i])).max().unwrap_or(0);
            len(h).max(data).min(MAX_WIDTH)
        })
        .collect();
    let cell = |value: &str, width: usize| -> String {
        let n = len(value);
        if n > width {
            let cut: String = value.chars().take(width.saturating_sub(3)).collect();
            format!("{cut}...")
        } else {
            format!("{value}{}", " ".repeat(width - n))
        }
    };
    let mut lines = Vec::with_capacity(rows.len() + 2);
    lines.push(
        headers
            .iter()
            .zip(&widths)
            .map(|(h, w)| cell(h, *w))
            .collect::<Vec<_>>()
            .join(" | ")
            .to_uppercase(),
    );
    lines.push(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-|-"),
    );
    for r in rows {
        lines.push(
            r.iter()
                .zip(&widths)
                .map(|(v, w)| cell(v, *w))
                .collect::<Vec<_>>()
                .join(" | "),
        );
    }
    lines.join("\n")
}

/// The `text/plain` body of `/matrix`: the rows as a table, then the decision.
pub fn render_text(state: &State, result: &MatrixResult) -> String {
    let rows: Vec<Vec<String>> = result
        .rows()
        .map(|r| {
            vec![
                r.consumer_name.clone(),
                r.consumer_version_number.clone(),
                r.pact_revision_number.to_string(),
                r.provider_name.clone(),
                r.provider_version_number.clone().unwrap_or_default(),
                r.verification_id
                    .map(|id| state.verification(id).number.to_string())
                    .unwrap_or_default(),
                r.success.map(|s| s.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let table = table(
        &[
            "consumer",
            "c_version",
            "revision",
            "provider",
            "p_version",
            "number",
            "success",
        ],
        &rows,
    );
    let deployable = match result.summary.deployable {
        Some(true) => "true",
        Some(false) => "false",
        None => "nil",
    };
    format!(
        "{table}\n\nDeployable: {deployable}\nReason: {}\n",
        result.summary.reason()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_base64_of_cvn() {
        assert_eq!(consumer_version_metadata("2"), "Y3ZuPTI");
        assert_eq!(consumer_version_metadata("1"), "Y3ZuPTE");
        assert_eq!(crate::rack::www_form_escape("1.0 beta/x"), "1.0+beta%2Fx");
    }

    #[test]
    fn table_truncates_long_values() {
        let t = table(&["a"], &[vec!["x".repeat(40)]]);
        assert_eq!(t.lines().nth(2).unwrap(), format!("{}...", "x".repeat(27)));
        assert_eq!(table(&["a"], &[]), "No data.");
    }
}
