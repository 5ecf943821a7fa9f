//! The typed calls: publish, versions, branches, tags, environments, deployments, releases, matrix, pacts and verification results.

use reqwest::{Method, Url};
use serde_json::{json, Value};

use pactline_broker_api::{paths, rels};

use crate::client::{BrokerClient, Call, Reply};
use crate::error::Error;
use crate::hal;
use crate::matrix::{Matrix, MatrixQuery, Notice};
use crate::redact::RedactedUrl;
use crate::types::{
    DeploymentRecord, Environment, Publication, Published, VerificationPublished,
    VerificationResult,
};

fn decode<T: serde::de::DeserializeOwned>(
    method: &Method,
    url: &Url,
    body: Value,
) -> Result<T, Error> {
    serde_json::from_value(body).map_err(|e| Error::InvalidResponse {
        method: method.clone(),
        url: RedactedUrl::new(url.clone()),
        reason: e.to_string(),
    })
}

fn notices_of(body: &Value) -> Vec<Notice> {
    body.get("notices")
        .and_then(|n| serde_json::from_value(n.clone()).ok())
        .unwrap_or_default()
}

impl BrokerClient {
    /// GET any broker URL (a link or a pact URL), followed on the configured origin.
    ///
    /// # Errors
    ///
    /// A bad URL, the broker unreachable, or an error status.
    pub async fn get_url(&self, href: &str) -> Result<Value, Error> {
        let url = self.follow(href)?;
        Ok(self.send(Call::get(url)).await?.body)
    }

    /// GET that answers `None` on 404.
    async fn get_optional(&self, url: Url) -> Result<Option<Value>, Error> {
        match self.send(Call::get(url)).await {
            Ok(reply) => Ok(Some(reply.body)),
            Err(e) if e.status() == Some(reqwest::StatusCode::NOT_FOUND) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `POST pb:publish-contracts`: publishes the pacts of one consumer version.
    ///
    /// Marked idempotent, so it is retried like a PUT: the broker treats a republication of
    /// the same content for the same version as a no-op ("republished with no content
    /// changes"), branch and tags are sets, and a merge of the same interactions replaces
    /// them in place. The cost of a retry after a lost answer is a second `contract_published`
    /// event, which is what re-running the CI job would do anyway.
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its 400/409 with its messages.
    pub async fn publish_contracts(&self, publication: &Publication) -> Result<Published, Error> {
        let url = self
            .navigate(rels::PUBLISH_CONTRACTS, &[], &paths::publish_contracts())
            .await?;
        let reply = self
            .send(Call::with_body(Method::POST, url, publication.body()).idempotent())
            .await?;
        let pact_urls = hal::links(&reply.body, "pb:contracts")
            .into_iter()
            .map(|l| l.href)
            .collect();
        Ok(Published {
            notices: notices_of(&reply.body),
            pact_urls,
            body: reply.body,
        })
    }

    /// GET a pacticipant; `None` when it does not exist.
    ///
    /// # Errors
    ///
    /// The broker unreachable or failing.
    pub async fn get_pacticipant(&self, name: &str) -> Result<Option<Value>, Error> {
        let url = self
            .navigate(
                rels::PACTICIPANT,
                &[("pacticipant", name)],
                &paths::pacticipant(name),
            )
            .await?;
        self.get_optional(url).await
    }

    /// GET a pacticipant version; `None` when it does not exist.
    ///
    /// # Errors
    ///
    /// The broker unreachable or failing.
    pub async fn get_version(
        &self,
        pacticipant: &str,
        version: &str,
    ) -> Result<Option<Value>, Error> {
        let url = self.version_url(pacticipant, version).await?;
        self.get_optional(url).await
    }

    async fn version_url(&self, pacticipant: &str, version: &str) -> Result<Url, Error> {
        self.navigate(
            rels::PACTICIPANT_VERSION,
            &[("pacticipant", pacticipant), ("version", version)],
            &paths::version(pacticipant, version),
        )
        .await
    }

    /// PUT a pacticipant version (creates it; the broker keeps an existing one's data
    /// except what is sent). Returns the version resource.
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn create_version(
        &self,
        pacticipant: &str,
        version: &str,
        build_url: Option<&str>,
    ) -> Result<Value, Error> {
        let url = self.version_url(pacticipant, version).await?;
        let mut body = json!({});
        if let Some(b) = build_url {
            body["buildUrl"] = Value::String(b.to_string());
        }
        Ok(self
            .send(Call::with_body(Method::PUT, url, body))
            .await?
            .body)
    }

    /// PUT a tag on a version (creates pacticipant and version as needed).
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn tag_version(
        &self,
        pacticipant: &str,
        version: &str,
        tag: &str,
    ) -> Result<Value, Error> {
        let url = self
            .navigate(
                rels::PACTICIPANT_VERSION_TAG,
                &[
                    ("pacticipant", pacticipant),
                    ("version", version),
                    ("tag", tag),
                ],
                &paths::tag(pacticipant, version, tag),
            )
            .await?;
        Ok(self
            .send(Call::with_body(Method::PUT, url, json!({})))
            .await?
            .body)
    }

    /// PUT a version onto a branch (creates pacticipant, version and branch as needed).
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn add_branch_version(
        &self,
        pacticipant: &str,
        branch: &str,
        version: &str,
    ) -> Result<Value, Error> {
        let url = self
            .navigate(
                rels::PACTICIPANT_BRANCH_VERSION,
                &[
                    ("pacticipant", pacticipant),
                    ("branch", branch),
                    ("version", version),
                ],
                &paths::branch_version(pacticipant, branch, version),
            )
            .await?;
        Ok(self
            .send(Call::with_body(Method::PUT, url, json!({})))
            .await?
            .body)
    }

    /// Every environment.
    ///
    /// # Errors
    ///
    /// The broker unreachable, or an answer without `_embedded.environments`.
    pub async fn environments(&self) -> Result<Vec<Environment>, Error> {
        let url = self
            .navigate(rels::ENVIRONMENTS, &[], &paths::environments())
            .await?;
        self.environments_at(url).await
    }

    async fn environments_at(&self, url: Url) -> Result<Vec<Environment>, Error> {
        let body = self.send(Call::get(url.clone())).await?.body;
        let list = body
            .pointer("/_embedded/environments")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        decode(&Method::GET, &url, list)
    }

    /// The environment called `name`.
    ///
    /// # Errors
    ///
    /// [`Error::EnvironmentNotFound`] listing the names that exist.
    pub async fn find_environment(&self, name: &str) -> Result<Environment, Error> {
        let mut url = self
            .navigate(rels::ENVIRONMENTS, &[], &paths::environments())
            .await?;
        url.query_pairs_mut().append_pair("name", name);
        let found = self.environments_at(url).await?;
        if let Some(env) = found.into_iter().find(|e| e.name == name) {
            return Ok(env);
        }
        // A broker that ignores `?name=` answers with all of them; either way say what exists.
        let all = self.environments().await?;
        match all.iter().find(|e| e.name == name) {
            Some(env) => Ok(env.clone()),
            None => Err(Error::EnvironmentNotFound {
                name: name.to_string(),
                known: all.into_iter().map(|e| e.name).collect(),
            }),
        }
    }

    /// Follows the version's `relation` link named after the environment (as the official clients
    /// do), falling back to the fixed path when the broker offers no link.
    async fn post_to_environment_link(
        &self,
        version: &Value,
        relation: &str,
        environment: &Environment,
        fallback: String,
        body: Value,
    ) -> Result<Reply, Error> {
        let url = match hal::named_link(version, relation, &environment.name) {
            Some(link) => self.follow(&link.href)?,
            None if hal::links(version, relation).is_empty() => self.url_for(&fallback),
            None => {
                return Err(Error::MissingLink {
                    resource: format!("the version resource {}", self_href(version)),
                    relation: relation.to_string(),
                    detail: format!(" for environment `{}`", environment.name),
                })
            }
        };
        // Recording the same deployment or release again returns the existing record.
        self.send(Call::with_body(Method::POST, url, body).idempotent())
            .await
    }

    /// Records a deployment of `version` (a version resource from [`Self::get_version`]).
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn record_deployment(
        &self,
        pacticipant: &str,
        version: &Value,
        environment: &Environment,
        application_instance: Option<&str>,
    ) -> Result<DeploymentRecord, Error> {
        let number = version
            .get("number")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let body = match application_instance {
            // Both keys, as the official clients send them, for older brokers.
            Some(i) => json!({"applicationInstance": i, "target": i}),
            None => json!({}),
        };
        let reply = self
            .post_to_environment_link(
                version,
                rels::RECORD_DEPLOYMENT,
                environment,
                paths::record_deployment(pacticipant, number, &environment.uuid),
                body,
            )
            .await?;
        Ok(DeploymentRecord::from_value(&reply.body))
    }

    /// Records a release of `version` to `environment`.
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn record_release(
        &self,
        pacticipant: &str,
        version: &Value,
        environment: &Environment,
    ) -> Result<DeploymentRecord, Error> {
        let number = version
            .get("number")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let reply = self
            .post_to_environment_link(
                version,
                rels::RECORD_RELEASE,
                environment,
                paths::record_release(pacticipant, number, &environment.uuid),
                json!({}),
            )
            .await?;
        Ok(DeploymentRecord::from_value(&reply.body))
    }

    /// The versions of `pacticipant` currently deployed to `environment` (one instance, or all).
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn currently_deployed(
        &self,
        environment: &Environment,
        pacticipant: &str,
        application_instance: Option<&str>,
    ) -> Result<Vec<DeploymentRecord>, Error> {
        let href = hal::link(
            &Value::Object(
                [("_links".to_string(), environment.links.clone())]
                    .into_iter()
                    .collect(),
            ),
            rels::CURRENTLY_DEPLOYED,
        )
        .map(|l| l.href);
        let mut url = match href {
            Some(h) => self.follow(&h)?,
            None => self.url_for(&paths::currently_deployed(&environment.uuid)),
        };
        url.query_pairs_mut()
            .append_pair("pacticipant", pacticipant);
        if let Some(i) = application_instance {
            url.query_pairs_mut().append_pair("applicationInstance", i);
        }
        let body = self.send(Call::get(url)).await?.body;
        Ok(records(&body, "deployedVersions")
            .into_iter()
            .filter(|r| {
                application_instance.is_none()
                    || r.application_instance.as_deref() == application_instance
            })
            .collect())
    }

    /// The versions of `pacticipant` currently supported in `environment`.
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn currently_supported(
        &self,
        environment: &Environment,
        pacticipant: &str,
    ) -> Result<Vec<DeploymentRecord>, Error> {
        let href = hal::link(
            &Value::Object(
                [("_links".to_string(), environment.links.clone())]
                    .into_iter()
                    .collect(),
            ),
            rels::CURRENTLY_SUPPORTED,
        )
        .map(|l| l.href);
        let mut url = match href {
            Some(h) => self.follow(&h)?,
            None => self.url_for(&paths::currently_supported(&environment.uuid)),
        };
        url.query_pairs_mut()
            .append_pair("pacticipant", pacticipant);
        let body = self.send(Call::get(url)).await?.body;
        Ok(records(&body, "releasedVersions"))
    }

    /// Marks a deployed version as no longer deployed (`PATCH {"currentlyDeployed":false}`).
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn undeploy(&self, record: &DeploymentRecord) -> Result<DeploymentRecord, Error> {
        self.patch_record(
            record,
            json!({"currentlyDeployed": false}),
            paths::deployed_version,
        )
        .await
    }

    /// Marks a released version as no longer supported (`PATCH {"currentlySupported":false}`).
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn end_support(&self, record: &DeploymentRecord) -> Result<DeploymentRecord, Error> {
        self.patch_record(
            record,
            json!({"currentlySupported": false}),
            paths::released_version,
        )
        .await
    }

    async fn patch_record(
        &self,
        record: &DeploymentRecord,
        body: Value,
        path: fn(&str) -> String,
    ) -> Result<DeploymentRecord, Error> {
        let url = match (&record.url, &record.uuid) {
            (Some(href), _) => self.follow(href)?,
            (None, Some(uuid)) => self.url_for(&path(uuid)),
            (None, None) => {
                return Err(Error::MissingLink {
                    resource: "a deployment record".into(),
                    relation: "self".into(),
                    detail: " and no uuid".into(),
                })
            }
        };
        let mut call = Call::with_body(Method::PATCH, url, body).idempotent();
        call.content_type = "application/merge-patch+json";
        let reply = self.send(call).await?;
        Ok(DeploymentRecord::from_value(&reply.body))
    }

    /// The matrix for a can-i-deploy question.
    ///
    /// # Errors
    ///
    /// The broker unreachable, its 400 (unknown pacticipant or version) with its messages,
    /// or an answer that is not a matrix.
    pub async fn matrix(&self, query: &MatrixQuery) -> Result<(Matrix, Value), Error> {
        let url = self.url_for(&format!("{}?{}", paths::matrix(), query.to_query_string()));
        let body = self.send(Call::get(url.clone())).await?.body;
        let matrix = decode(&Method::GET, &url, body.clone())?;
        Ok((matrix, body))
    }

    /// Publishes a verification result to a pact's `pb:publish-verification-results` link.
    ///
    /// Not retried once sent: each POST records a new result.
    ///
    /// # Errors
    ///
    /// [`Error::MissingLink`] when the pact has no such link; the broker unreachable or its error.
    pub async fn publish_verification(
        &self,
        pact: &Value,
        result: &VerificationResult,
    ) -> Result<VerificationPublished, Error> {
        let link = hal::link(pact, rels::PUBLISH_VERIFICATION_RESULTS).ok_or_else(|| {
            Error::MissingLink {
                resource: format!("the pact {}", self_href(pact)),
                relation: rels::PUBLISH_VERIFICATION_RESULTS.into(),
                detail: String::new(),
            }
        })?;
        let url = self.follow(&link.href)?;
        let reply = self
            .send(Call::with_body(Method::POST, url, result.body()))
            .await?;
        let url = reply.location.clone().or_else(|| {
            reply
                .body
                .pointer("/_links/self/href")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        Ok(VerificationPublished {
            url,
            body: reply.body,
        })
    }

    /// Adds the provider version of a pact to a branch, through the provider's
    /// `pb:branch-version` link (as the Rust verifier does), else the fixed path.
    ///
    /// # Errors
    ///
    /// The broker unreachable, or its error.
    pub async fn add_provider_branch(
        &self,
        pact: &Value,
        provider: &str,
        branch: &str,
        version: &str,
    ) -> Result<(), Error> {
        let provider_resource = match hal::link(pact, "pb:provider") {
            Some(l) => Some(self.get_url(&l.href).await?),
            None => None,
        };
        let url = match provider_resource
            .as_ref()
            .and_then(|p| hal::link(p, rels::BRANCH_VERSION))
        {
            Some(l) => self.follow(&l.expand(&[("branch", branch), ("version", version)]))?,
            None => self.url_for(&paths::branch_version(provider, branch, version)),
        };
        self.send(Call::with_body(Method::PUT, url, json!({})))
            .await?;
        Ok(())
    }
}

fn records(body: &Value, key: &str) -> Vec<DeploymentRecord> {
    body.pointer(&format!("/_embedded/{key}"))
        .and_then(Value::as_array)
        .map(|items| items.iter().map(DeploymentRecord::from_value).collect())
        .unwrap_or_default()
}

fn self_href(resource: &Value) -> String {
    resource
        .pointer("/_links/self/href")
        .and_then(Value::as_str)
        .map(|h| format!("`{}`", crate::redact::redact_url_text(h)))
        .unwrap_or_default()
}
