//! setup-webhook's steps: check the flags, check the broker holds the token's secret, make sure
//! the provider exists, upsert the webhook(s), then outputs and the summary.

use anyhow::Context as _;
use clap::ArgMatches;
use pactline_broker_client::BrokerClient;
use pactline_cli::{block_on, markdown, Outcome, UsageError};
use pactline_github::Repository;
use pactline_runner::Runner;
use serde_json::Value;

use crate::args::{nonblank, Args};
use crate::webhook::{self, GitHubAuth};

/// The token source from the flags.
fn auth(args: &Args) -> Result<GitHubAuth, UsageError> {
    match (
        nonblank(args.github_token_secret.as_ref()),
        nonblank(args.github_token.as_ref()),
    ) {
        (Some(_), Some(_)) => Err(UsageError::new(
            "pass either `--github-token-secret` or `--github-token`, not both",
        )),
        (None, None) => Err(UsageError::new(
            "the webhook needs a GitHub token to send the repository_dispatch: pass `--github-token-secret NAME` \
             (a secret the broker holds) or `--github-token TOKEN`",
        )),
        (Some(name), None) => {
            if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                Ok(GitHubAuth::Secret(name.to_string()))
            } else {
                Err(UsageError::new(format!(
                    "`--github-token-secret` `{name}` is not a secret name: use letters, digits and `_`"
                )))
            }
        }
        (None, Some(token)) => Ok(GitHubAuth::Token(token.to_string())),
    }
}

/// One webhook to upsert.
struct Planned {
    what: &'static str,
    uuid: String,
    body: Value,
}

pub fn run(args: Args, _matches: &ArgMatches, runner: &mut Runner) -> anyhow::Result<Outcome> {
    let provider = args.provider.trim().to_string();
    if provider.is_empty() {
        return Err(UsageError::new(
            "`--provider` is empty: pass the provider's name in the broker",
        )
        .into());
    }
    let repository: Repository = args.repository.parse().context("`--repository` is wrong")?;
    let auth = auth(&args)?;
    let api_url = args.github_api_url.trim().trim_end_matches('/').to_string();
    if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
        return Err(UsageError::new(format!(
            "`--github-api-url` `{api_url}` is not an http(s) URL, e.g. `https://api.github.com`"
        ))
        .into());
    }

    let mut planned = vec![Planned {
        what: "repository_dispatch",
        uuid: webhook::dispatch_uuid(&provider, &repository),
        body: webhook::dispatch_webhook(&provider, &repository, &api_url, &auth),
    }];
    let consumer = nonblank(args.consumer.as_ref());
    if args.commit_status {
        let consumer_repository: Repository = nonblank(args.consumer_repository.as_ref())
            .ok_or_else(|| {
                UsageError::new(
                    "`--commit-status` needs `--consumer-repository OWNER/REPO`: the repository of the consumer commits",
                )
            })?
            .parse()
            .context("`--consumer-repository` is wrong")?;
        planned.push(Planned {
            what: "commit status",
            uuid: webhook::status_uuid(&provider, &consumer_repository, consumer),
            body: webhook::status_webhook(
                &provider,
                consumer,
                &consumer_repository,
                &api_url,
                &auth,
            ),
        });
    } else if consumer.is_some() || nonblank(args.consumer_repository.as_ref()).is_some() {
        return Err(UsageError::new(
            "`--consumer` and `--consumer-repository` are for the commit-status webhook: add `--commit-status`",
        )
        .into());
    }

    let client = BrokerClient::new(args.broker.client_config(None)?)?;
    let saved = block_on(async {
        match &auth {
            GitHubAuth::Secret(name) => match client.secret_names().await {
                Ok(Some(names)) if names.iter().any(|n| n == name) => {
                    runner.info(&format!("the broker holds the secret `{name}`"));
                }
                Ok(Some(_)) => runner.warning(&format!(
                    "the broker holds no secret `{name}` yet: the webhook will fail until it does; create it with \
                     `POST /secrets {{\"name\":\"{name}\",\"value\":…}}` (pactline-broker: set PACTLINE_BROKER_SECRET_{name})"
                )),
                Ok(None) => runner.warning(&format!(
                    "this broker has no secrets API, so `${{user.{name}}}` would be sent as it is: \
                     use `--github-token` with this broker, or a broker that holds secrets (PactFlow, pactline-broker)"
                )),
                Err(e) => runner.warning(&format!("could not check the broker's secrets: {e}")),
            },
            GitHubAuth::Token(_) => {
                let has_secrets = matches!(client.secret_names().await, Ok(Some(_)));
                runner.warning(&if has_secrets {
                    "the GitHub token is stored in the webhook; this broker holds secrets, so prefer \
                     `--github-token-secret` and keep the token out of the webhook"
                        .to_string()
                } else {
                    "the GitHub token is stored in the webhook, and brokers without secrets (the open-source \
                     Pact Broker) keep it in plain text in their database: use a token that can do nothing \
                     but dispatch to this repository"
                        .to_string()
                });
            }
        }
        if client
            .ensure_pacticipant(&provider)
            .await
            .with_context(|| format!("creating the provider `{provider}` in the broker"))?
        {
            runner.info(&format!(
                "created the pacticipant `{provider}` in the broker"
            ));
        }
        if let Some(c) = consumer {
            if client
                .ensure_pacticipant(c)
                .await
                .with_context(|| format!("creating the consumer `{c}` in the broker"))?
            {
                runner.info(&format!("created the pacticipant `{c}` in the broker"));
            }
        }
        let mut saved = Vec::new();
        for p in &planned {
            let s = client
                .put_webhook(&p.uuid, &p.body)
                .await
                .with_context(|| {
                    format!(
                        "saving the {} webhook `{}` in {}",
                        p.what,
                        p.uuid,
                        client.base_url()
                    )
                })?;
            saved.push(s);
        }
        anyhow::Ok(saved)
    })??;

    let mut rows = Vec::new();
    for (p, s) in planned.iter().zip(&saved) {
        let did = if s.created { "created" } else { "updated" };
        let url = p.body["request"]["url"].as_str().unwrap_or_default();
        runner.print(&format!(
            "{did} the {} webhook {} → POST {url}",
            p.what, p.uuid
        ));
        rows.push(vec![
            markdown::cell(p.what),
            markdown::code(Some(&p.uuid)),
            did.to_string(),
            markdown::code(Some(url)),
        ]);
    }
    runner.set_output("webhook-uuid", &planned[0].uuid)?;
    runner.set_output("webhook-url", &saved[0].url)?;
    runner.set_output(
        "commit-status-webhook-uuid",
        planned.get(1).map_or("", |p| p.uuid.as_str()),
    )?;
    let mut summary = format!(
        "### Broker webhooks for {} → {}\n\n",
        markdown::cell(&provider),
        markdown::code(Some(&repository.to_string()))
    );
    summary.push_str(&markdown::table(&["webhook", "uuid", "", "request"], &rows));
    runner.append_summary(&summary)?;
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> Args {
        let mut argv = vec!["setup-webhook", "--provider", "p", "--repository", "acme/p"];
        argv.extend_from_slice(extra);
        Args::try_parse_from(argv).unwrap()
    }

    #[test]
    fn exactly_one_token_source() {
        assert_eq!(
            auth(&args(&["--github-token-secret", "GITHUB_TOKEN"])).unwrap(),
            GitHubAuth::Secret("GITHUB_TOKEN".into())
        );
        assert_eq!(
            auth(&args(&["--github-token", "ghp_x"])).unwrap(),
            GitHubAuth::Token("ghp_x".into())
        );
        let rows: [(&[&str], &str); 3] = [
            (
                &["--github-token-secret", "A", "--github-token", "t"],
                "not both",
            ),
            (&["--github-token-secret", "${user.A}"], "not a secret name"),
            (&[], "--github-token-secret NAME"),
        ];
        for (flags, want) in rows {
            // A PACTLINE_GITHUB_TOKEN in the test's environment would fill the flag.
            if std::env::var_os("PACTLINE_GITHUB_TOKEN").is_some() {
                continue;
            }
            let err = auth(&args(flags)).unwrap_err();
            assert!(err.to_string().contains(want), "{flags:?}: {err}");
        }
    }
}
