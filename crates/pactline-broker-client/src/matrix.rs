//! The matrix query as the real broker parses it (Rack nested params, order matters) and its answer.
//!
//! Selectors are written `q[][pacticipant]=…&q[][version]=…` one after the other: Rack starts
//! a new selector when a key repeats, so sorting the parameters would merge selectors.
//!
//! | target | query tail |
//! |---|---|
//! | `--to-environment E` | `latestby=cvpv&environment=E` (every version in E must be verified, pact_broker#903) |
//! | `--to TAG` | `latestby=cvp&latest=true&tag=TAG` |
//! | none, one selector | `latestby=cvp&latest=true` |
//! | none, several selectors | `latestby=cvpv` |

use serde::Deserialize;
use serde_json::Value;

use pactline_broker_api::paths::encode_query;

/// Which version of a pacticipant a selector means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSelector {
    /// `--version V`
    Number(String),
    /// `--latest` (any) or `--latest TAG`
    Latest(Option<String>),
    /// `--branch B`: the latest version on the branch.
    Branch(String),
    /// `--main-branch`: the latest version on the pacticipant's main branch.
    MainBranch,
}

/// One `--pacticipant` with its version selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub pacticipant: String,
    pub version: VersionSelector,
}

/// One `--ignore P [--version V]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    pub pacticipant: String,
    pub version: Option<String>,
}

/// Where the selected versions are going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Environment(String),
    Tag(String),
    None,
}

/// A can-i-deploy question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixQuery {
    pub selectors: Vec<Selector>,
    pub target: Target,
    pub ignore: Vec<Ignore>,
}

impl MatrixQuery {
    /// The query string (without `?`), parameters in the order Rack needs.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |k: &str, v: &str| parts.push(format!("{k}={}", encode_query(v)));
        for s in &self.selectors {
            push("q[][pacticipant]", &s.pacticipant);
            match &s.version {
                VersionSelector::Number(v) => push("q[][version]", v),
                VersionSelector::Latest(tag) => {
                    push("q[][latest]", "true");
                    if let Some(tag) = tag {
                        push("q[][tag]", tag);
                    }
                }
                VersionSelector::Branch(b) => {
                    push("q[][branch]", b);
                    push("q[][latest]", "true");
                }
                VersionSelector::MainBranch => {
                    push("q[][mainBranch]", "true");
                    push("q[][latest]", "true");
                }
            }
        }
        match &self.target {
            Target::Environment(env) => {
                push("latestby", "cvpv");
                push("environment", env);
            }
            Target::Tag(tag) => {
                push("latestby", "cvp");
                push("latest", "true");
                push("tag", tag);
            }
            Target::None if self.selectors.len() == 1 => {
                push("latestby", "cvp");
                push("latest", "true");
            }
            Target::None => push("latestby", "cvpv"),
        }
        for i in &self.ignore {
            push("ignore[][pacticipant]", &i.pacticipant);
            if let Some(v) = &i.version {
                push("ignore[][version]", v);
            }
        }
        parts.join("&")
    }
}

/// The broker's answer to a matrix query.
#[derive(Debug, Clone, Deserialize)]
pub struct Matrix {
    pub summary: Summary,
    #[serde(default)]
    pub matrix: Vec<Row>,
    #[serde(default)]
    pub notices: Vec<Notice>,
}

/// `summary`: the verdict. `deployable` is `None` while results are missing.
#[derive(Debug, Clone, Deserialize)]
pub struct Summary {
    pub deployable: Option<bool>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub success: u64,
    #[serde(default)]
    pub failed: u64,
    #[serde(default)]
    pub unknown: u64,
    #[serde(default)]
    pub ignored: Option<u64>,
}

/// A notice with its type (`error`, `warning`, `success`, `info`, `debug`, `prompt`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Notice {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub text: String,
}

/// One matrix row: a pact between two versions and its verification, if any.
#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    pub consumer: Party,
    pub provider: Party,
    #[serde(rename = "verificationResult")]
    pub verification_result: Option<VerificationSummary>,
    #[serde(default)]
    pub ignored: bool,
    #[serde(default)]
    pub pact: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Party {
    pub name: String,
    pub version: Option<PartyVersion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PartyVersion {
    pub number: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct VerificationSummary {
    pub success: Option<bool>,
    #[serde(rename = "verifiedAt", default)]
    pub verified_at: Option<String>,
    #[serde(rename = "_links", default)]
    pub links: Option<Value>,
}

impl VerificationSummary {
    /// The verification result's own URL.
    pub fn url(&self) -> Option<&str> {
        self.links.as_ref()?.get("self")?.get("href")?.as_str()
    }
}

impl Row {
    pub fn consumer_version(&self) -> Option<&str> {
        self.consumer.version.as_ref().map(|v| v.number.as_str())
    }

    pub fn provider_version(&self) -> Option<&str> {
        self.provider.version.as_ref().map(|v| v.number.as_str())
    }

    /// `Some(true|false)` when verified, `None` when not.
    pub fn success(&self) -> Option<bool> {
        self.verification_result.as_ref().and_then(|v| v.success)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(p: &str, v: VersionSelector) -> Selector {
        Selector {
            pacticipant: p.into(),
            version: v,
        }
    }

    #[test]
    fn query_strings_in_rack_order() {
        let rows: Vec<(MatrixQuery, &str)> = vec![
            (
                MatrixQuery {
                    selectors: vec![sel("Foo", VersionSelector::Number("1.0.0".into()))],
                    target: Target::Environment("production".into()),
                    ignore: vec![],
                },
                "q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production",
            ),
            (
                MatrixQuery {
                    selectors: vec![sel("Foo", VersionSelector::Number("1".into()))],
                    target: Target::Tag("prod".into()),
                    ignore: vec![],
                },
                "q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&latest=true&tag=prod",
            ),
            (
                MatrixQuery {
                    selectors: vec![
                        sel("Foo", VersionSelector::Number("1".into())),
                        sel("Bar", VersionSelector::Latest(Some("main".into()))),
                        sel("Baz", VersionSelector::Latest(None)),
                    ],
                    target: Target::None,
                    ignore: vec![],
                },
                "q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=main\
                 &q[][pacticipant]=Baz&q[][latest]=true&latestby=cvpv",
            ),
            (
                MatrixQuery {
                    selectors: vec![sel("Foo", VersionSelector::Branch("feat/x y".into()))],
                    target: Target::None,
                    ignore: vec![],
                },
                "q[][pacticipant]=Foo&q[][branch]=feat%2Fx%20y&q[][latest]=true&latestby=cvp&latest=true",
            ),
            (
                MatrixQuery {
                    selectors: vec![sel("Foo", VersionSelector::MainBranch)],
                    target: Target::Environment("test".into()),
                    ignore: vec![
                        Ignore {
                            pacticipant: "Baz".into(),
                            version: None,
                        },
                        Ignore {
                            pacticipant: "Qux".into(),
                            version: Some("2".into()),
                        },
                    ],
                },
                "q[][pacticipant]=Foo&q[][mainBranch]=true&q[][latest]=true&latestby=cvpv&environment=test\
                 &ignore[][pacticipant]=Baz&ignore[][pacticipant]=Qux&ignore[][version]=2",
            ),
        ];
        for (query, want) in rows {
            assert_eq!(query.to_query_string(), want);
        }
    }

    #[test]
    fn matrix_answer_parses_unknown_and_verified_rows() {
        let body = serde_json::json!({
        "summary":{"deployable":null,"reason":"There is no verified pact","success":1,"failed":0,"unknown":1},
        "notices":[{"type":"warning","text":"There is no verified pact"}],
        "matrix":[
          {"consumer":{"name":"Foo","version":{"number":"1"}},"provider":{"name":"Bar","version":null},"verificationResult":null},
          {"consumer":{"name":"Foo","version":{"number":"1"}},"provider":{"name":"Baz","version":{"number":"7"}},
           "verificationResult":{"success":true,"_links":{"self":{"href":"http://b/vr/1"}}}}
        ]});
        let m: Matrix = serde_json::from_value(body).unwrap();
        assert_eq!(m.summary.deployable, None);
        assert_eq!(m.matrix[0].provider_version(), None);
        assert_eq!(m.matrix[0].success(), None);
        assert_eq!(m.matrix[1].success(), Some(true));
        assert_eq!(
            m.matrix[1].verification_result.as_ref().unwrap().url(),
            Some("http://b/vr/1")
        );
        assert_eq!(m.notices[0].kind, "warning");
    }
}
