//! Webhookless mode: after publishing, send the provider's repository the same
//! `repository_dispatch` the broker's webhook would, for each published pact that the broker
//! says needs verifying, so the GitHub token stays in the consumer's GitHub secrets.

use anyhow::Context as _;
use pactline_broker_client::Published;
use pactline_github::{GitHub, GitHubConfig, Repository, Token};
use pactline_runner::Runner;
use serde_json::json;

/// Where to send: every provider's pacts, or one provider's (`PROVIDER=OWNER/REPO`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub provider: Option<String>,
    pub repository: Repository,
}

pub fn parse_target(input: &str) -> Result<Target, String> {
    let (provider, repo) = match input.split_once('=') {
        Some((p, r)) if !p.trim().is_empty() => (Some(p.trim().to_string()), r),
        _ => (None, input),
    };
    let repository: Repository = repo
        .parse()
        .map_err(|e| format!("`--trigger-provider-verification {input}`: {e}"))?;
    Ok(Target {
        provider,
        repository,
    })
}

/// The providers whose pact the broker flagged with `contract_requiring_verification_published`
/// ("Events detected: …" after each "… and provider P." notice), with their pact URLs.
pub fn needing_verification(published: &Published) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut provider: Option<String> = None;
    for n in &published.notices {
        let text = n.text.trim();
        if let Some(rest) = text.split(" and provider ").nth(1) {
            if text.starts_with("Pact ") {
                let name = rest
                    .trim_end_matches(" with no content changes.")
                    .trim_end_matches('.');
                provider = Some(name.to_string());
            }
        }
        if text.starts_with("Events detected:")
            && text.contains("contract_requiring_verification_published")
        {
            if let Some(p) = &provider {
                let suffix = format!("/provider/{}/", pactline_broker_api::paths::encode(p));
                let url = published
                    .pact_urls
                    .iter()
                    .find(|u| u.contains(&suffix))
                    .cloned()
                    .unwrap_or_default();
                if !out.iter().any(|(q, _)| q == p) {
                    out.push((p.clone(), url));
                }
            }
        }
    }
    out
}

/// The consumer version that was published.
pub struct ConsumerVersion<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub branch: &'a str,
}

/// Sends one dispatch per flagged pact to the matching target repository.
pub async fn dispatch(
    runner: &mut Runner,
    targets: &[Target],
    github: (&str, &str),
    published: &Published,
    consumer: &ConsumerVersion<'_>,
) -> anyhow::Result<usize> {
    let (token, api_url) = github;
    let (consumer, version, branch) = (consumer.name, consumer.version, consumer.branch);
    let github = GitHub::new(GitHubConfig::new(api_url, Token::new(token)))
        .context("setting up the GitHub client for --trigger-provider-verification")?;
    let mut sent = 0;
    let flagged = needing_verification(published);
    if flagged.is_empty() {
        runner.info("no published pact needs verifying by a deployed or main-branch provider version: no dispatch sent");
    }
    for (provider, pact_url) in flagged {
        for t in targets
            .iter()
            .filter(|t| t.provider.as_deref().is_none_or(|p| p == provider))
        {
            let payload = json!({
                "pact_url": pact_url,
                "consumer": consumer,
                "consumer_version": version,
                "consumer_branch": branch,
                "message": format!("Verify changed pact for {consumer} version {version} branch {branch} (sent by publish-pact)"),
            });
            github
                .repository_dispatch(
                    &t.repository,
                    "contract_requiring_verification_published",
                    &payload,
                )
                .await
                .with_context(|| {
                    format!("asking {} to verify the pact with {provider}", t.repository)
                })?;
            runner.info(&format!(
                "asked {} to verify the pact with {provider} (repository_dispatch contract_requiring_verification_published)",
                t.repository
            ));
            sent += 1;
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pactline_broker_client::Notice;

    fn published(notices: &[&str]) -> Published {
        Published {
            notices: notices
                .iter()
                .map(|t| Notice {
                    kind: "debug".into(),
                    text: t.to_string(),
                })
                .collect(),
            pact_urls: vec!["http://b/pacts/provider/orders-api/consumer/web/version/1".into()],
            body: serde_json::Value::Null,
        }
    }

    #[test]
    fn the_flagged_provider_is_found_from_the_brokers_notices() {
        let p = published(&[
            "Created web version 1 with branch main",
            "Pact successfully published for web version 1 and provider orders-api.",
            "  View the published pact at http://b/pacts/provider/orders-api/consumer/web/version/1",
            "  Events detected: contract_published, contract_content_changed (x), contract_requiring_verification_published",
        ]);
        assert_eq!(
            needing_verification(&p),
            vec![(
                "orders-api".to_string(),
                "http://b/pacts/provider/orders-api/consumer/web/version/1".to_string()
            )]
        );
        let quiet = published(&[
            "Pact successfully published for web version 1 and provider orders-api.",
            "  Events detected: contract_published, contract_content_changed (x)",
        ]);
        assert!(needing_verification(&quiet).is_empty());
    }

    #[test]
    fn targets_name_a_repository_optionally_for_one_provider() {
        let t = parse_target("orders-api=acme/orders").unwrap();
        assert_eq!(t.provider.as_deref(), Some("orders-api"));
        assert_eq!(t.repository.to_string(), "acme/orders");
        assert_eq!(parse_target("acme/orders").unwrap().provider, None);
        assert!(parse_target("not a repo").is_err());
    }
}
