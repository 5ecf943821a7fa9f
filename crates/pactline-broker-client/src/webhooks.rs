//! Webhooks as setup-webhook needs them: read and upsert one by uuid, list the secrets the broker
//! holds for `${user.NAME}`, and make sure the pacticipant a webhook names exists.

use reqwest::{Method, StatusCode, Url};
use serde_json::{json, Value};

use pactline_broker_api::{paths, rels};

use crate::client::{BrokerClient, Call};
use crate::error::Error;

/// What a webhook upsert did.
#[derive(Debug, Clone)]
pub struct WebhookSaved {
    /// True when no webhook had this uuid before.
    pub created: bool,
    /// The webhook's URL (`_links.self.href`, else the one it was PUT to).
    pub url: String,
    /// The broker's answer (secrets redacted by the broker).
    pub body: Value,
}

impl BrokerClient {
    async fn webhook_url(&self, uuid: &str) -> Result<Url, Error> {
        self.navigate(rels::WEBHOOK, &[("uuid", uuid)], &paths::webhook(uuid))
            .await
    }

    /// The webhook with this uuid; `None` when there is none.
    ///
    /// # Errors
    ///
    /// The broker unreachable or failing.
    pub async fn get_webhook(&self, uuid: &str) -> Result<Option<Value>, Error> {
        let url = self.webhook_url(uuid).await?;
        match self.send(Call::get(url)).await {
            Ok(reply) => Ok(Some(reply.body)),
            Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates or replaces the webhook with this uuid (`PUT /webhooks/{uuid}`, as
    /// `create-or-update-webhook` does). The uuid must match `^[A-Za-z0-9_-]{16,}$`.
    ///
    /// # Errors
    ///
    /// The broker's 400 with its messages (a URL or host it does not allow, an unknown
    /// pacticipant), or the broker unreachable.
    pub async fn put_webhook(&self, uuid: &str, webhook: &Value) -> Result<WebhookSaved, Error> {
        let existed = self.get_webhook(uuid).await?.is_some();
        let url = self.webhook_url(uuid).await?;
        let reply = self
            .send(Call::with_body(Method::PUT, url.clone(), webhook.clone()))
            .await?;
        let href = reply
            .body
            .pointer("/_links/self/href")
            .and_then(Value::as_str)
            .map_or_else(|| url.to_string(), str::to_string);
        Ok(WebhookSaved {
            created: !existed,
            url: href,
            body: reply.body,
        })
    }

    /// The names of the secrets the broker holds for webhooks (`GET /secrets`, as PactFlow and
    /// pactline-broker serve it); `None` when the broker has no secrets API (the open-source
    /// Pact Broker).
    ///
    /// # Errors
    ///
    /// The broker unreachable, or refusing to list them (401/403).
    pub async fn secret_names(&self) -> Result<Option<Vec<String>>, Error> {
        let url = self.url_for(&paths::secrets());
        match self.send(Call::get(url)).await {
            Ok(reply) => Ok(Some(
                reply
                    .body
                    .pointer("/_embedded/secrets")
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|s| s.get("name").and_then(Value::as_str))
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            )),
            Err(e)
                if matches!(
                    e.status(),
                    Some(StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED)
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Creates the pacticipant `name` unless it exists; true when it was created. A webhook
    /// naming a provider the broker does not know yet is refused, and setup runs before the
    /// first pact is published.
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn ensure_pacticipant(&self, name: &str) -> Result<bool, Error> {
        if self.get_pacticipant(name).await?.is_some() {
            return Ok(false);
        }
        let url = self
            .navigate(rels::PACTICIPANTS, &[], &paths::pacticipants())
            .await?;
        let call = Call::with_body(Method::POST, url, json!({"name": name})).idempotent();
        match self.send(call).await {
            Ok(_) => Ok(true),
            // Created meanwhile (or by our own retried request).
            Err(e) if e.status() == Some(StatusCode::CONFLICT) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
