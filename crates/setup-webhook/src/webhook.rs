//! The two webhooks as the broker stores them, and their uuids, derived from what they are for so
//! that running setup again updates them instead of adding more.

use pactline_github::Repository;
use serde_json::{json, Value};
use uuid::Uuid;

/// The event that starts a provider's verification of a changed pact.
pub const DISPATCH_EVENT: &str = "contract_requiring_verification_published";

/// The commit status context; verify-on-change's `--commit-status` uses the same, so either one
/// updates the same line on the commit.
pub fn status_context_template() -> &'static str {
    "pact verification: ${pactbroker.providerName}"
}

/// How the webhook authenticates to GitHub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitHubAuth {
    /// A secret held by the broker: `${user.NAME}`.
    Secret(String),
    /// The token itself, stored in the webhook.
    Token(String),
}

impl GitHubAuth {
    fn header(&self) -> String {
        match self {
            GitHubAuth::Secret(name) => format!("Bearer ${{user.{name}}}"),
            GitHubAuth::Token(token) => format!("Bearer {token}"),
        }
    }
}

/// pactline's namespace for webhook uuids (a v5 uuid of its URL).
fn namespace() -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://github.com/pactline/pactline/setup-webhook",
    )
}

/// The uuid of the dispatch webhook for `provider` and `repository` (GitHub names are
/// case-insensitive, so the repository is lower-cased).
pub fn dispatch_uuid(provider: &str, repository: &Repository) -> String {
    let name = format!(
        "repository_dispatch\n{provider}\n{}",
        repository.to_string().to_lowercase()
    );
    Uuid::new_v5(&namespace(), name.as_bytes()).to_string()
}

/// The uuid of the commit-status webhook for `provider`, the consumer's repository and the
/// consumer it is limited to (if any).
pub fn status_uuid(provider: &str, repository: &Repository, consumer: Option<&str>) -> String {
    let name = format!(
        "commit_status\n{provider}\n{}\n{}",
        repository.to_string().to_lowercase(),
        consumer.unwrap_or("")
    );
    Uuid::new_v5(&namespace(), name.as_bytes()).to_string()
}

fn headers(auth: &GitHubAuth) -> Value {
    json!({
        "Content-Type": "application/json",
        "Accept": "application/vnd.github+json",
        "Authorization": auth.header(),
    })
}

/// The webhook that sends `contract_requiring_verification_published` to `repository` as a
/// `repository_dispatch`, with the payload verify-on-change reads (the reference template of
/// pactflow/example-provider).
pub fn dispatch_webhook(
    provider: &str,
    repository: &Repository,
    api_url: &str,
    auth: &GitHubAuth,
) -> Value {
    json!({
        "description": format!("pactline: verify changed pacts of {provider} in {repository} (repository_dispatch)"),
        "provider": {"name": provider},
        "events": [{"name": DISPATCH_EVENT}],
        "enabled": true,
        "request": {
            "method": "POST",
            "url": format!("{}/repos/{}/{}/dispatches", api_url.trim_end_matches('/'), repository.owner, repository.name),
            "headers": headers(auth),
            "body": {
                "event_type": DISPATCH_EVENT,
                "client_payload": {
                    "pact_url": "${pactbroker.pactUrl}",
                    "sha": "${pactbroker.providerVersionNumber}",
                    "branch": "${pactbroker.providerVersionBranch}",
                    "message": "Verify changed pact for ${pactbroker.consumerName} version ${pactbroker.consumerVersionNumber} branch ${pactbroker.consumerVersionBranch} by ${pactbroker.providerVersionNumber} (${pactbroker.providerVersionDescriptions})"
                }
            }
        }
    })
}

/// The webhook that sets a commit status on the consumer commit: `pending` when a pact is
/// published, then `success` or `failure` when it is verified.
pub fn status_webhook(
    provider: &str,
    consumer: Option<&str>,
    repository: &Repository,
    api_url: &str,
    auth: &GitHubAuth,
) -> Value {
    let mut webhook = json!({
        "description": format!("pactline: commit statuses in {repository} for {provider}'s verifications"),
        "provider": {"name": provider},
        "events": [{"name": "contract_published"}, {"name": "provider_verification_published"}],
        "enabled": true,
        "request": {
            "method": "POST",
            "url": format!(
                "{}/repos/{}/{}/statuses/${{pactbroker.consumerVersionNumber}}",
                api_url.trim_end_matches('/'), repository.owner, repository.name
            ),
            "headers": headers(auth),
            "body": {
                "state": "${pactbroker.githubVerificationStatus}",
                "description": "Pact verification by ${pactbroker.providerName} ${pactbroker.providerVersionNumber}",
                "context": status_context_template(),
                "target_url": "${pactbroker.verificationResultUrl}"
            }
        }
    });
    if let Some(c) = consumer {
        webhook["consumer"] = json!({"name": c});
    }
    webhook
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(s: &str) -> Repository {
        s.parse().unwrap()
    }

    #[test]
    fn uuids_are_stable_distinct_and_acceptable_to_the_broker() {
        let a = dispatch_uuid("orders-api", &repo("acme/orders-api"));
        assert_eq!(a, dispatch_uuid("orders-api", &repo("Acme/Orders-API")));
        assert_ne!(a, dispatch_uuid("orders-api", &repo("acme/other")));
        assert_ne!(a, dispatch_uuid("payments", &repo("acme/orders-api")));
        let s = status_uuid("orders-api", &repo("acme/orders-api"), None);
        assert_ne!(a, s);
        assert_ne!(
            s,
            status_uuid("orders-api", &repo("acme/orders-api"), Some("web-app"))
        );
        for uuid in [a, s] {
            assert!(uuid.len() >= 16);
            assert!(
                uuid.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{uuid}"
            );
        }
    }

    #[test]
    fn the_dispatch_webhook_is_the_reference_template() {
        let w = dispatch_webhook(
            "orders-api",
            &repo("acme/orders-api"),
            "https://api.github.com/",
            &GitHubAuth::Secret("GITHUB_TOKEN".into()),
        );
        assert_eq!(
            w["request"]["url"],
            "https://api.github.com/repos/acme/orders-api/dispatches"
        );
        assert_eq!(
            w["request"]["headers"]["Authorization"],
            "Bearer ${user.GITHUB_TOKEN}"
        );
        assert_eq!(
            w["events"],
            json!([{"name": "contract_requiring_verification_published"}])
        );
        assert_eq!(w["provider"], json!({"name": "orders-api"}));
        let payload = &w["request"]["body"]["client_payload"];
        assert_eq!(payload["pact_url"], "${pactbroker.pactUrl}");
        assert_eq!(payload["sha"], "${pactbroker.providerVersionNumber}");
        assert_eq!(payload["branch"], "${pactbroker.providerVersionBranch}");
        assert!(payload["message"]
            .as_str()
            .unwrap()
            .contains("${pactbroker.providerVersionDescriptions}"));
    }

    #[test]
    fn the_status_webhook_posts_to_the_consumer_commit() {
        let w = status_webhook(
            "orders-api",
            Some("web-app"),
            &repo("acme/web-app"),
            "http://127.0.0.1:9",
            &GitHubAuth::Token("ghp_x".into()),
        );
        assert_eq!(
            w["request"]["url"],
            "http://127.0.0.1:9/repos/acme/web-app/statuses/${pactbroker.consumerVersionNumber}"
        );
        assert_eq!(w["request"]["headers"]["Authorization"], "Bearer ghp_x");
        assert_eq!(
            w["request"]["body"]["state"],
            "${pactbroker.githubVerificationStatus}"
        );
        assert_eq!(w["consumer"], json!({"name": "web-app"}));
        assert!(
            status_webhook("p", None, &repo("a/b"), "x", &GitHubAuth::Token("t".into()))
                .get("consumer")
                .is_none()
        );
    }
}
