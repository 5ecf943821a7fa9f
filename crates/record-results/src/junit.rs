//! JUnit XML reports → the `testResults` of a verification result, so any test framework's run can be published.
//!
//! Reads `<testsuites>` or a single `<testsuite>` (nested suites too); each `<testcase>` becomes
//! `{"testSuite", "interactionDescription", "success", "exceptions"?, "skipped"?}`, where
//! `<failure>` and `<error>` become exceptions with their message and type.

use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize, Default)]
struct Suite {
    #[serde(rename = "@name", default)]
    name: Option<String>,
    #[serde(rename = "testsuite", default)]
    suites: Vec<Suite>,
    #[serde(rename = "testcase", default)]
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    #[serde(rename = "@name", default)]
    name: String,
    #[serde(rename = "@classname", default)]
    classname: Option<String>,
    #[serde(rename = "failure", default)]
    failures: Vec<Problem>,
    #[serde(rename = "error", default)]
    errors: Vec<Problem>,
    #[serde(default)]
    skipped: Option<Skipped>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    #[serde(rename = "@message", default)]
    message: Option<String>,
    #[serde(rename = "@type", default)]
    kind: Option<String>,
    #[serde(rename = "$text", default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Skipped {}

/// A parsed report: the `testResults` entries and their counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub results: Vec<Value>,
    pub tests: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Report {
    pub fn success(&self) -> bool {
        self.failed == 0
    }
}

/// Why a report could not be read.
#[derive(Debug, thiserror::Error)]
pub enum JunitError {
    #[error("cannot read it: {0}")]
    Read(#[source] std::io::Error),
    #[error("not a JUnit XML report: {0}")]
    Parse(String),
}

/// Parses a JUnit XML document.
///
/// # Errors
///
/// [`JunitError::Parse`] for XML that is malformed or has no `<testsuite>`/`<testcase>`.
pub fn parse(xml: &str) -> Result<Report, JunitError> {
    let root: Suite = quick_xml::de::from_str(xml).map_err(|e| JunitError::Parse(e.to_string()))?;
    let mut report = Report {
        results: Vec::new(),
        tests: 0,
        failed: 0,
        skipped: 0,
    };
    walk(&root, None, &mut report);
    if report.tests == 0 && root.suites.is_empty() && root.cases.is_empty() {
        return Err(JunitError::Parse(
            "no <testsuite> or <testcase> elements".into(),
        ));
    }
    Ok(report)
}

fn walk(suite: &Suite, parent: Option<&str>, report: &mut Report) {
    let name = suite.name.as_deref().or(parent);
    for case in &suite.cases {
        report.tests += 1;
        let problems: Vec<Value> = case
            .failures
            .iter()
            .chain(&case.errors)
            .map(|p| {
                let message = p
                    .message
                    .clone()
                    .or_else(|| p.text.as_ref().map(|t| t.trim().to_string()))
                    .unwrap_or_default();
                let mut e = json!({ "message": message });
                if let Some(k) = &p.kind {
                    e["exceptionClass"] = Value::String(k.clone());
                }
                e
            })
            .collect();
        let failed = !problems.is_empty();
        if failed {
            report.failed += 1;
        }
        let mut entry = json!({
            "interactionDescription": case.name,
            "success": !failed,
        });
        if let Some(s) = name.map(str::to_string).or_else(|| case.classname.clone()) {
            entry["testSuite"] = Value::String(s);
        }
        if failed {
            entry["exceptions"] = Value::Array(problems);
        }
        if case.skipped.is_some() && !failed {
            report.skipped += 1;
            entry["skipped"] = Value::Bool(true);
        }
        report.results.push(entry);
    }
    for s in &suite.suites {
        walk(s, name, report);
    }
}

/// Reads and parses a report file.
///
/// # Errors
///
/// The file cannot be read or is not a JUnit report.
pub fn read(path: &Path) -> Result<Report, JunitError> {
    let xml = std::fs::read_to_string(path).map_err(JunitError::Read)?;
    parse(&xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn testsuites_with_failures_errors_and_skips() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="verify" tests="4" failures="1" errors="1">
  <testsuite name="Web - API" tests="4">
    <properties><property name="a" value="b"/></properties>
    <testcase name="a request for an order" classname="pact" time="0.01"/>
    <system-out>noise</system-out>
    <testcase name="a request for a missing order" classname="pact">
      <failure message="expected status 404 but was 500" type="StatusMismatch">body diff…</failure>
    </testcase>
    <testcase name="creating an order"><error type="Timeout">timed out &amp; gave up</error></testcase>
    <testcase name="deleting an order"><skipped/></testcase>
  </testsuite>
</testsuites>"#;
        let r = parse(xml).unwrap();
        assert_eq!((r.tests, r.failed, r.skipped), (4, 2, 1));
        assert!(!r.success());
        assert_eq!(
            r.results[0],
            json!({"interactionDescription":"a request for an order","success":true,"testSuite":"Web - API"})
        );
        assert_eq!(
            r.results[1]["exceptions"],
            json!([{"message":"expected status 404 but was 500","exceptionClass":"StatusMismatch"}])
        );
        assert_eq!(
            r.results[2]["exceptions"][0]["message"],
            "timed out & gave up"
        );
        assert_eq!(r.results[3]["skipped"], true);
    }

    #[test]
    fn a_single_testsuite_root_that_passes() {
        let xml = r#"<testsuite name="s"><testcase name="one" classname="c.One"/><testcase name="two"/></testsuite>"#;
        let r = parse(xml).unwrap();
        assert_eq!((r.tests, r.failed), (2, 0));
        assert!(r.success());
    }

    #[test]
    fn malformed_reports_are_errors() {
        for bad in [
            "",
            "not xml",
            "<testsuite><testcase name='x'></testsuite>",
            "<html><body/></html>",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(
                err.to_string().starts_with("not a JUnit XML report"),
                "{bad:?}: {err}"
            );
        }
    }
}
