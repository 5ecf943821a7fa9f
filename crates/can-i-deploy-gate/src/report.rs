//! What the gate shows: the verdict line, the matrix as a text table with verification URLs, the reasons, and the same as Markdown for the job summary.

use pactline_broker_client::matrix::Row;
use pactline_broker_client::{Matrix, Selector, Target, VersionSelector};
use pactline_cli::markdown;

/// The verdict as the `deployable` output spells it.
pub fn deployable_text(deployable: Option<bool>) -> &'static str {
    match deployable {
        Some(true) => "true",
        Some(false) => "false",
        None => "unknown",
    }
}

/// The headline, in the words users know from the `pact-broker` CLI.
pub fn headline(deployable: Option<bool>) -> &'static str {
    match deployable {
        Some(true) => "Computer says yes \\o/",
        Some(false) => "Computer says no ¯\\_(ツ)_/¯",
        None => "Computer says not yet: verification results are missing",
    }
}

/// "Foo 1.2.3, Bar (latest prod) to production".
pub fn question_text(selectors: &[Selector], target: &Target) -> String {
    let who: Vec<String> = selectors
        .iter()
        .map(|s| match &s.version {
            VersionSelector::Number(v) => format!("{} {v}", s.pacticipant),
            VersionSelector::Latest(None) => format!("{} (latest)", s.pacticipant),
            VersionSelector::Latest(Some(t)) => format!("{} (latest {t})", s.pacticipant),
            VersionSelector::Branch(b) => format!("{} (latest on {b})", s.pacticipant),
            VersionSelector::MainBranch => format!("{} (latest on main branch)", s.pacticipant),
        })
        .collect();
    let to = match target {
        Target::Environment(e) => format!(" to {e}"),
        Target::Tag(t) => format!(" to {t} (tag)"),
        Target::None => String::new(),
    };
    format!("{}{to}", who.join(", "))
}

/// The reasons: the broker's notices when it gives them, else the lines of `summary.reason`.
pub fn reasons(matrix: &Matrix) -> Vec<String> {
    let from_notices: Vec<String> = matrix
        .notices
        .iter()
        .filter(|n| !n.text.trim().is_empty())
        .map(|n| n.text.trim().to_string())
        .collect();
    if !from_notices.is_empty() {
        return from_notices;
    }
    matrix
        .summary
        .reason
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn success_text(row: &Row) -> String {
    let mut s = match row.success() {
        Some(true) => "true".to_string(),
        Some(false) => "false".to_string(),
        None => "???".to_string(),
    };
    if row.ignored {
        s.push_str(" [ignored]");
    }
    s
}

/// Verification URLs with their result, numbered as the RESULT# column refers to them.
fn numbered_results(matrix: &Matrix) -> Vec<(usize, String, bool)> {
    let mut out: Vec<(usize, String, bool)> = Vec::new();
    for row in &matrix.matrix {
        if let Some(vr) = &row.verification_result {
            if let Some(url) = vr.url() {
                if !out.iter().any(|(_, u, _)| u == url) {
                    out.push((out.len() + 1, url.to_string(), vr.success == Some(true)));
                }
            }
        }
    }
    out
}

fn result_number(row: &Row, results: &[(usize, String, bool)]) -> String {
    row.verification_result
        .as_ref()
        .and_then(|vr| vr.url())
        .and_then(|url| results.iter().find(|(_, u, _)| u == url))
        .map_or_else(String::new, |(n, _, _)| n.to_string())
}

/// The matrix as an aligned text table, then the verification URLs.
pub fn text_table(matrix: &Matrix) -> String {
    let results = numbered_results(matrix);
    let header = [
        "CONSUMER",
        "C.VERSION",
        "PROVIDER",
        "P.VERSION",
        "SUCCESS?",
        "RESULT#",
    ];
    let rows: Vec<[String; 6]> = matrix
        .matrix
        .iter()
        .map(|r| {
            [
                r.consumer.name.clone(),
                r.consumer_version().unwrap_or("???").to_string(),
                r.provider.name.clone(),
                r.provider_version().unwrap_or("???").to_string(),
                success_text(r),
                result_number(r, &results),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_string()
    };
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("There are no pacts or verifications for these versions.\n");
    } else {
        out.push_str(&line(&header.map(str::to_string)));
        out.push('\n');
        out.push_str(
            &widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("-|-"),
        );
        out.push('\n');
        for row in &rows {
            out.push_str(&line(row));
            out.push('\n');
        }
    }
    if !results.is_empty() {
        out.push_str("\nVERIFICATION RESULTS\n--------------------\n");
        for (n, url, ok) in &results {
            out.push_str(&format!(
                "{n}. {url} ({})\n",
                if *ok { "success" } else { "failure" }
            ));
        }
    }
    out
}

/// The job summary: verdict, question, matrix table and reasons, in Markdown.
pub fn summary_markdown(matrix: &Matrix, question: &str, dry_run: bool) -> String {
    let icon = match matrix.summary.deployable {
        Some(true) => "✅ yes",
        Some(false) => "❌ no",
        None => "⏳ unknown",
    };
    let mut out = format!(
        "### can-i-deploy: {icon}{}\n\n{}\n\n",
        if dry_run { " (dry run)" } else { "" },
        markdown::cell(question)
    );
    let results = numbered_results(matrix);
    let rows: Vec<Vec<String>> = matrix
        .matrix
        .iter()
        .map(|r| {
            let verified = match (
                r.success(),
                r.verification_result.as_ref().and_then(|v| v.url()),
            ) {
                (Some(ok), Some(url)) => {
                    format!("[{}]({url})", if ok { "✅ success" } else { "❌ failure" })
                }
                (Some(true), None) => "✅ success".to_string(),
                (Some(false), None) => "❌ failure".to_string(),
                (None, _) => "❔ not verified".to_string(),
            };
            vec![
                markdown::cell(&r.consumer.name),
                markdown::code(r.consumer_version()),
                markdown::cell(&r.provider.name),
                markdown::code(r.provider_version()),
                format!("{verified}{}", if r.ignored { " (ignored)" } else { "" }),
                result_number(r, &results),
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str("No pacts or verifications for these versions.\n");
    } else {
        out.push_str(&markdown::table(
            &[
                "consumer",
                "version",
                "provider",
                "version",
                "verification",
                "result #",
            ],
            &rows,
        ));
    }
    let reasons = reasons(matrix);
    if !reasons.is_empty() {
        out.push_str("\n**Reasons**\n\n");
        for r in reasons {
            out.push_str(&format!("- {}\n", markdown::cell(&r)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matrix() -> Matrix {
        serde_json::from_value(json!({
            "summary":{"deployable":false,"reason":"The verification failed","success":0,"failed":1,"unknown":1},
            "notices":[{"type":"error","text":"The verification for the pact between Web abc and API p1 failed"}],
            "matrix":[
              {"consumer":{"name":"Web","version":{"number":"abc"}},"provider":{"name":"API","version":{"number":"p1"}},
               "verificationResult":{"success":false,"_links":{"self":{"href":"http://b/vr/1"}}}},
              {"consumer":{"name":"Web","version":{"number":"abc"}},"provider":{"name":"Auth|Svc","version":null},"verificationResult":null}
            ]}))
        .unwrap()
    }

    #[test]
    fn text_table_with_numbered_results() {
        let text = text_table(&matrix());
        let want = "\
CONSUMER | C.VERSION | PROVIDER | P.VERSION | SUCCESS? | RESULT#
---------|-----------|----------|-----------|----------|--------
Web      | abc       | API      | p1        | false    | 1
Web      | abc       | Auth|Svc | ???       | ???      |

VERIFICATION RESULTS
--------------------
1. http://b/vr/1 (failure)
";
        assert_eq!(text, want);
    }

    #[test]
    fn summary_has_the_verdict_table_and_reasons() {
        let md = summary_markdown(&matrix(), "Web abc to production", false);
        assert!(
            md.starts_with("### can-i-deploy: ❌ no\n\nWeb abc to production\n\n"),
            "{md}"
        );
        assert!(
            md.contains("| Web | `abc` | API | `p1` | [❌ failure](http://b/vr/1) | 1 |"),
            "{md}"
        );
        assert!(
            md.contains("| Web | `abc` | Auth\\|Svc |  | ❔ not verified |  |"),
            "{md}"
        );
        assert!(
            md.contains("- The verification for the pact between Web abc and API p1 failed"),
            "{md}"
        );
    }

    #[test]
    fn verdict_words() {
        assert_eq!(deployable_text(None), "unknown");
        assert_eq!(deployable_text(Some(true)), "true");
        assert!(headline(Some(false)).starts_with("Computer says no"));
    }
}
