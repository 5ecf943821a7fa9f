//! Badges as SVG made here, so an offline broker needs no image service (the real broker
//! redirects to shields.io by default).

use super::{App, Ctx};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pactline_broker_domain::State;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Verified,
    Changed,
    Failed,
    FailedPending,
    Unknown,
}

impl Status {
    fn text(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Changed => "changed",
            Status::Failed => "failed",
            Status::FailedPending => "failed (pending)",
            Status::Unknown => "unknown",
        }
    }
    fn color(self) -> &'static str {
        match self {
            Status::Verified => "#4c1",
            Status::Changed => "#fe7d37",
            Status::Failed | Status::FailedPending => "#e05d44",
            Status::Unknown => "#9f9f9f",
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Approximate text width for Verdana 11px, as flat badges are laid out.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                9
            } else {
                7
            }
        })
        .sum::<usize>()
        + 10
}

/// A flat badge: `left` on grey, `right` on `color`.
pub fn svg(left: &str, right: &str, color: &str) -> String {
    let (l, r) = (escape(left), escape(right));
    let (lw, rw) = (width(left), width(right));
    let total = lw + rw;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{l}: {r}"><title>{l}: {r}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{rw}" height="20" fill="{color}"/><rect width="{total}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="{lx}" y="14">{l}</text><text x="{rx}" y="14">{r}</text></g></svg>"##,
        lx = lw / 2,
        rx = lw + rw / 2,
    )
}

pub fn svg_response(body: String) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml;charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn initials(name: &str) -> String {
    name.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().next().unwrap_or_default())
        .collect::<String>()
        .to_lowercase()
}

fn status(state: &State, provider: &str, consumer: &str, tag: Option<&str>) -> Option<Status> {
    let p = state.pacticipant_by_name(provider)?;
    let c = state.pacticipant_by_name(consumer)?;
    let pubs: Vec<_> = state
        .current_publications_for_provider(p.id)
        .into_iter()
        .filter(|x| x.consumer_id == c.id)
        .filter(|x| tag.is_none_or(|t| state.tag(x.consumer_version_id, t).is_some()))
        .collect();
    let latest = pubs.iter().max_by_key(|x| x.consumer_version_id)?;
    let latest_verification = pubs
        .iter()
        .flat_map(|x| state.verifications_of_pact_version(x.pact_version_id))
        .max_by_key(|v| v.id);
    Some(match latest_verification {
        None => Status::Unknown,
        Some(v) if v.pact_version_id == latest.pact_version_id => {
            if v.success {
                Status::Verified
            } else if v.pending == Some(true) {
                Status::FailedPending
            } else {
                Status::Failed
            }
        }
        Some(v) if v.success => Status::Changed,
        Some(_) => Status::Failed,
    })
}

fn pact_badge_for(
    app: &App,
    q: &HashMap<String, String>,
    provider: &str,
    consumer: &str,
    tag: Option<&str>,
) -> Response {
    let use_initials = q.get("initials").is_some_and(|v| v == "true");
    let name = |n: &str| {
        if use_initials {
            initials(n)
        } else {
            n.to_lowercase()
        }
    };
    let found = app.read(|state| status(state, provider, consumer, tag));
    let left = match (found, q.get("label").map(String::as_str)) {
        (None, _) => "pact not found".to_string(),
        (_, Some("consumer")) => name(consumer),
        (_, Some("provider")) => name(provider),
        _ => format!("{}/{} pact", name(consumer), name(provider)),
    };
    let status = found.unwrap_or(Status::Unknown);
    svg_response(svg(&left, status.text(), status.color()))
}

pub async fn pact_badge(
    app: App,
    _ctx: Ctx,
    Path((provider, consumer)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    pact_badge_for(&app, &q, &provider, &consumer, None)
}

pub async fn tagged_pact_badge(
    app: App,
    _ctx: Ctx,
    Path((provider, consumer, tag)): Path<(String, String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    pact_badge_for(&app, &q, &provider, &consumer, Some(&tag))
}

fn verdict_badge(verdict: Option<bool>) -> Response {
    let (text, color) = match verdict {
        Some(true) => ("yes", "#4c1"),
        Some(false) => ("no", "#e05d44"),
        None => ("unknown", "#9f9f9f"),
    };
    svg_response(svg("can-i-deploy", text, color))
}

pub async fn can_i_deploy_badge(
    app: App,
    Path((pacticipant, tag, to)): Path<(String, String, String)>,
) -> Response {
    let verdict =
        app.read(|state| super::matrix::badge_verdict_for_tag(state, &pacticipant, &tag, &to));
    verdict_badge(verdict)
}

pub async fn can_i_deploy_branch_badge(
    app: App,
    Path((pacticipant, branch, environment)): Path<(String, String, String)>,
) -> Response {
    let verdict = app.read(|state| {
        super::matrix::badge_verdict_for_branch(state, &pacticipant, &branch, &environment)
    });
    verdict_badge(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_is_svg_with_escaped_text() {
        let s = svg("foo/<bar> pact", "verified", "#4c1");
        assert!(s.starts_with("<svg"));
        assert!(s.contains("foo/&lt;bar&gt; pact"));
        assert!(s.contains("#4c1"));
    }

    #[test]
    fn initials_abbreviate_names() {
        assert_eq!(initials("Foo-Bar_baz thing"), "fbbt");
    }
}
