//! Native mode: one pact verified against the running provider by the official Rust verifier
//! (`pact_verifier`), its per-interaction results read back for the table and the published
//! `testResults`. The verifier only verifies here; verify-on-change publishes.

use std::sync::Arc;

use pact_verifier::callback_executors::HttpRequestProviderStateExecutor;
use pact_verifier::verification_result::VerificationMismatchResult;
use pact_verifier::{
    FilterInfo, MismatchResult, NullRequestFilterExecutor, PactSource, ProviderInfo,
    ProviderTransport, VerificationOptions,
};
use pactline_broker_client::Url;
use pactline_cli::UsageError;
use serde_json::Value;

use crate::report::InteractionResult;

/// What the verifier concluded about one pact.
#[derive(Debug, Clone)]
pub struct NativeOutcome {
    pub success: bool,
    pub interactions: Vec<InteractionResult>,
    /// A failure that is not about one interaction (the pact could not be loaded).
    pub error: Option<String>,
}

/// The verifier set up for one provider.
pub struct Native {
    provider: ProviderInfo,
    states: Arc<HttpRequestProviderStateExecutor>,
    options: VerificationOptions<NullRequestFilterExecutor>,
}

impl Native {
    /// # Errors
    ///
    /// A provider base URL that is not an absolute http(s) URL.
    pub fn new(
        provider: &str,
        base_url: &str,
        states_url: Option<&str>,
    ) -> Result<Self, UsageError> {
        let bad = |why: &str| {
            UsageError::new(format!(
                "`--provider-base-url` `{base_url}` is not valid: {why}; expected e.g. `http://127.0.0.1:8080`"
            ))
        };
        let url = Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("it has no host"))?;
        let path = url.path().trim_end_matches('/');
        let transport = ProviderTransport {
            transport: "http".into(),
            port: url.port_or_known_default(),
            path: (!path.is_empty()).then(|| path.to_string()),
            scheme: Some(url.scheme().to_string()),
        };
        let provider = ProviderInfo {
            name: provider.to_string(),
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
            transports: vec![transport],
            ..ProviderInfo::default()
        };
        let states = Arc::new(HttpRequestProviderStateExecutor {
            state_change_url: states_url.map(str::to_string),
            state_change_teardown: false,
            state_change_body: true,
            retries: 2,
        });
        let options = VerificationOptions {
            coloured_output: false,
            request_timeout: 10_000,
            ..VerificationOptions::default()
        };
        Ok(Native {
            provider,
            states,
            options,
        })
    }

    /// Verifies one pact document. The verifier prints its own report (each interaction, then
    /// the mismatches) on stdout as it goes.
    pub async fn verify(&self, pact: &Value) -> NativeOutcome {
        let result = pact_verifier::verify_provider_async(
            self.provider.clone(),
            vec![PactSource::String(pact.to_string())],
            FilterInfo::None,
            Vec::new(),
            &self.options,
            None,
            &self.states,
            None,
        )
        .await;
        match result {
            Err(e) => NativeOutcome {
                success: false,
                interactions: Vec::new(),
                error: Some(format!("{e:#}")),
            },
            Ok(r) => {
                let interactions: Vec<InteractionResult> = r
                    .interaction_results
                    .iter()
                    .map(|i| InteractionResult {
                        id: i.interaction_id.clone(),
                        description: i.interaction_description.clone(),
                        success: i.result.is_ok(),
                        mismatches: match &i.result {
                            Ok(()) => Vec::new(),
                            Err(MismatchResult::Error(text, _)) => vec![text.clone()],
                            // Sorted: the verifier's order varies from run to run.
                            Err(MismatchResult::Mismatches { mismatches, .. }) => {
                                let mut texts: Vec<String> =
                                    mismatches.iter().map(|m| m.description()).collect();
                                texts.sort();
                                texts
                            }
                        },
                    })
                    .collect();
                // Failures before any interaction ran (the pact could not be loaded).
                let error = (interactions.is_empty() && !r.errors.is_empty()).then(|| {
                    r.errors
                        .iter()
                        .map(|(what, result)| match result {
                            VerificationMismatchResult::Error { error, .. } => {
                                format!("{what}: {error}")
                            }
                            VerificationMismatchResult::Mismatches { .. } => what.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                NativeOutcome {
                    success: r.result && interactions.iter().all(|i| i.success),
                    interactions,
                    error,
                }
            }
        }
    }
}

/// Keeps the verifier from sending usage metrics (it would, once a TLS provider is installed).
pub fn disable_metrics() {
    std::env::set_var(crate::env_vars::PACT_DO_NOT_TRACK, "true");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_becomes_the_provider_transport() {
        let n = Native::new(
            "orders-api",
            "http://127.0.0.1:8080/api/",
            Some("http://127.0.0.1:8080/states"),
        )
        .unwrap();
        assert_eq!(n.provider.host, "127.0.0.1");
        let t = &n.provider.transports[0];
        assert_eq!(t.base_url(&n.provider.host), "http://127.0.0.1:8080/api");
        let n = Native::new("p", "https://provider.internal", None).unwrap();
        assert_eq!(
            n.provider.transports[0].base_url(&n.provider.host),
            "https://provider.internal:443"
        );
        for bad in ["127.0.0.1:8080", "ftp://x", "not a url"] {
            let err = Native::new("p", bad, None).err().expect(bad);
            assert!(err.to_string().contains("--provider-base-url"), "{err}");
        }
    }
}
