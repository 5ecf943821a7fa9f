//! The results: one row per pact, the verdict over all of them (pending failures do not fail),
//! the text table for stdout, the Markdown for the job summary, and the `testResults` published
//! with each verification.

use pactline_cli::markdown;
use serde_json::{json, Value};

/// One interaction's result (native mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionResult {
    /// The broker's interaction id (`_id`).
    pub id: Option<String>,
    pub description: String,
    pub success: bool,
    pub mismatches: Vec<String>,
}

/// Whether and where the result was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// Published; the verification result's URL when the broker gave one.
    Yes(Option<String>),
    /// The command's test framework publishes (`--framework-publishes`).
    ByFramework,
    /// Publishing failed (the error is reported separately).
    Failed,
}

/// One verified pact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactResult {
    pub consumer: String,
    pub consumer_version: Option<String>,
    pub url: String,
    pub pending: bool,
    pub wip: bool,
    pub success: bool,
    /// Native mode: each interaction.
    pub interactions: Vec<InteractionResult>,
    /// What no interaction says: the command's exit code, why a pact did not load.
    pub detail: Option<String>,
    pub published: Published,
    /// The commit status set on the consumer commit, if any: `state` or a failure note.
    pub commit_status: Option<String>,
}

impl PactResult {
    fn result_word(&self) -> &'static str {
        match (self.success, self.pending) {
            (true, _) => "passed",
            (false, false) => "FAILED",
            (false, true) => "failed (pending)",
        }
    }

    fn interactions_text(&self) -> String {
        if self.interactions.is_empty() {
            self.detail.clone().unwrap_or_default()
        } else {
            let passed = self.interactions.iter().filter(|i| i.success).count();
            format!("{passed}/{} interactions passed", self.interactions.len())
        }
    }

    fn pending_text(&self) -> &'static str {
        match (self.pending, self.wip) {
            (_, true) => "yes (WIP)",
            (true, false) => "yes",
            (false, false) => "no",
        }
    }

    fn published_text(&self) -> String {
        match &self.published {
            Published::Yes(_) => "published".into(),
            Published::ByFramework => "by the framework".into(),
            Published::Failed => "NOT published".into(),
        }
    }

    /// The `testResults` to publish: one entry per interaction, as the Rust verifier sends them.
    pub fn test_results(&self) -> Option<Value> {
        if self.interactions.is_empty() {
            return None;
        }
        Some(Value::Array(
            self.interactions
                .iter()
                .map(|i| {
                    let mut entry = json!({
                        "interactionDescription": i.description,
                        "success": i.success,
                    });
                    if let Some(id) = &i.id {
                        entry["interactionId"] = Value::String(id.clone());
                    }
                    if !i.mismatches.is_empty() {
                        entry["mismatches"] = Value::Array(
                            i.mismatches
                                .iter()
                                .map(|m| json!({"description": m}))
                                .collect(),
                        );
                    }
                    entry
                })
                .collect(),
        ))
    }
}

/// The verdict over all pacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every pact verified (or none to verify).
    Success,
    /// Only pending pacts failed: a warning, not a failure.
    PendingFailure,
    /// A pact that is not pending failed.
    Failure,
}

impl Verdict {
    pub fn of(results: &[PactResult]) -> Verdict {
        if results.iter().any(|r| !r.success && !r.pending) {
            Verdict::Failure
        } else if results.iter().any(|r| !r.success) {
            Verdict::PendingFailure
        } else {
            Verdict::Success
        }
    }

    /// The `result` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Success => "success",
            Verdict::PendingFailure => "pending-failure",
            Verdict::Failure => "failure",
        }
    }
}

const HEADER: [&str; 6] = [
    "consumer", "version", "pending", "result", "details", "results",
];

fn cells(r: &PactResult) -> [String; 6] {
    [
        r.consumer.clone(),
        r.consumer_version.clone().unwrap_or_default(),
        r.pending_text().to_string(),
        r.result_word().to_string(),
        r.interactions_text(),
        r.published_text(),
    ]
}

/// The heading line: which provider version was verified.
pub fn heading(provider: &str, version: &str, branch: Option<&str>) -> String {
    match branch {
        Some(b) => format!("Verification of {provider} version {version} (branch {b})"),
        None => format!("Verification of {provider} version {version}"),
    }
}

/// The report for stdout: heading, an aligned table, then each failed interaction's mismatches.
pub fn text(heading: &str, results: &[PactResult]) -> String {
    let mut out = format!("{heading}\n\n");
    if results.is_empty() {
        out.push_str("No pacts to verify.\n");
        return out;
    }
    let rows: Vec<[String; 6]> = results.iter().map(cells).collect();
    let mut widths = HEADER.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |row: [&str; 6]| {
        let padded: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    out.push_str(&line(
        HEADER.map(str::to_uppercase).each_ref().map(String::as_str),
    ));
    for row in &rows {
        out.push_str(&line(row.each_ref().map(String::as_str)));
    }
    for r in results.iter().filter(|r| !r.success) {
        out.push_str(&format!(
            "\n{} {} {}:\n",
            r.consumer,
            r.consumer_version.as_deref().unwrap_or(""),
            r.result_word()
        ));
        if let Some(d) = &r.detail {
            out.push_str(&format!("  {d}\n"));
        }
        for i in r.interactions.iter().filter(|i| !i.success) {
            out.push_str(&format!("  - {}\n", i.description));
            for m in &i.mismatches {
                out.push_str(&format!("      {}\n", m.replace('\n', "\n      ")));
            }
        }
    }
    out
}

/// The job summary.
pub fn markdown(heading: &str, verdict: Verdict, results: &[PactResult]) -> String {
    let icon = match verdict {
        Verdict::Success => "✅",
        Verdict::PendingFailure => "⚠️",
        Verdict::Failure => "❌",
    };
    let mut out = format!("### {icon} {}\n\n", markdown::cell(heading));
    if results.is_empty() {
        out.push_str("No pacts to verify.\n");
        return out;
    }
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let [consumer, version, pending, result, interactions, _] = cells(r);
            let published = match &r.published {
                Published::Yes(Some(url)) => format!("[published]({url})"),
                _ => r.published_text(),
            };
            vec![
                format!("[{}]({})", markdown::cell(&consumer), r.url),
                markdown::code(Some(&version)),
                pending,
                result,
                markdown::cell(&interactions),
                published,
                markdown::cell(r.commit_status.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    let mut header: Vec<&str> = HEADER.to_vec();
    header.push("commit status");
    out.push_str(&markdown::table(&header, &rows));
    for r in results.iter().filter(|r| !r.success) {
        out.push_str(&format!(
            "\n**{} {}** {}\n\n",
            markdown::cell(&r.consumer),
            markdown::code(r.consumer_version.as_deref()),
            r.result_word()
        ));
        if let Some(d) = &r.detail {
            out.push_str(&format!("- {}\n", markdown::cell(d)));
        }
        for i in r.interactions.iter().filter(|i| !i.success) {
            out.push_str(&format!("- {}\n", markdown::cell(&i.description)));
            for m in &i.mismatches {
                out.push_str(&format!("  - {}\n", markdown::code(Some(m))));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(consumer: &str, success: bool, pending: bool) -> PactResult {
        PactResult {
            consumer: consumer.into(),
            consumer_version: Some("c0ffee1".into()),
            url: format!("http://b/pacts/provider/p/consumer/{consumer}/pact-version/abc"),
            pending,
            wip: false,
            success,
            interactions: vec![
                InteractionResult {
                    id: Some("i1".into()),
                    description: "a request for order 42".into(),
                    success,
                    mismatches: if success {
                        vec![]
                    } else {
                        vec!["$.body: Actual map is missing the following keys: currency".into()]
                    },
                },
                InteractionResult {
                    id: None,
                    description: "a request for an order that does not exist".into(),
                    success: true,
                    mismatches: vec![],
                },
            ],
            detail: None,
            published: Published::Yes(Some("http://b/v/1".into())),
            commit_status: None,
        }
    }

    #[test]
    fn pending_failures_do_not_fail() {
        let rows = [
            (vec![], Verdict::Success),
            (vec![result("a", true, false)], Verdict::Success),
            (
                vec![result("a", true, false), result("b", false, true)],
                Verdict::PendingFailure,
            ),
            (
                vec![result("a", false, false), result("b", false, true)],
                Verdict::Failure,
            ),
        ];
        for (results, want) in rows {
            assert_eq!(Verdict::of(&results), want);
        }
    }

    #[test]
    fn the_text_table_lists_each_pact_then_the_mismatches() {
        let text = text(
            &heading("orders-api", "1.0.0", Some("main")),
            &[
                result("web-app", true, false),
                result("mobile", false, true),
            ],
        );
        assert_eq!(
            text,
            "Verification of orders-api version 1.0.0 (branch main)\n\
             \n\
             CONSUMER  VERSION  PENDING  RESULT            DETAILS                  RESULTS\n\
             web-app   c0ffee1  no       passed            2/2 interactions passed  published\n\
             mobile    c0ffee1  yes      failed (pending)  1/2 interactions passed  published\n\
             \n\
             mobile c0ffee1 failed (pending):\n  \
             - a request for order 42\n      \
             $.body: Actual map is missing the following keys: currency\n"
        );
        assert!(text_has_no_pacts());
    }

    fn text_has_no_pacts() -> bool {
        text("h", &[]).ends_with("No pacts to verify.\n")
    }

    #[test]
    fn the_summary_links_the_pact_and_the_result() {
        let md = markdown(
            "Verification of orders-api version 1.0.0",
            Verdict::Failure,
            &[result("web-app", false, false)],
        );
        assert!(
            md.starts_with("### ❌ Verification of orders-api version 1.0.0\n"),
            "{md}"
        );
        assert!(md.contains("| [web-app](http://b/pacts/provider/p/consumer/web-app/pact-version/abc) | `c0ffee1` | no | FAILED | 1/2 interactions passed | [published](http://b/v/1) |  |"), "{md}");
        assert!(
            md.contains("  - `$.body: Actual map is missing the following keys: currency`"),
            "{md}"
        );
    }

    #[test]
    fn test_results_are_per_interaction() {
        let r = result("web-app", false, false);
        assert_eq!(
            r.test_results().unwrap(),
            json!([
                {"interactionDescription": "a request for order 42", "success": false, "interactionId": "i1",
                 "mismatches": [{"description": "$.body: Actual map is missing the following keys: currency"}]},
                {"interactionDescription": "a request for an order that does not exist", "success": true}
            ])
        );
        let mut command = r.clone();
        command.interactions.clear();
        assert!(command.test_results().is_none());
    }
}
