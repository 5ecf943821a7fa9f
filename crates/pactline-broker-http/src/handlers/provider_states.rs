//! Provider states for verifying the official clients' contracts against this broker.
//!
//! Compiled only with the `provider-states` feature and served only when enabled at start (and
//! the binary refuses that on a non-loopback address): a set-up call wipes every record. The
//! states mirror the real broker's `spec/service_consumers/shared_provider_states.rb`.

use super::{json_body, App};
use crate::error::ApiError;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use pactline_broker_domain::builder::TestData;
use serde_json::{json, Value};

/// The broker's `default_json_content`: no interactions, spec 4.0.
fn default_content(td: &mut TestData, consumer: &str, provider: &str) -> Value {
    let n = td.unique_content(consumer, provider);
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [],
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "random": n["interactions"][0]["description"]
    })
}

/// A pact with the default content.
fn create_pact(td: &mut TestData, consumer: &str, version: &str, provider: &str) {
    let c = default_content(td, consumer, provider);
    td.publish_content(consumer, version, provider, &c);
}

/// A new revision of the consumer version's pact, with other content (`revise_pact`).
fn revise_pact(td: &mut TestData, consumer: &str, version: &str, provider: &str) {
    let n = td.unique_content(consumer, provider);
    td.publish_content(
        consumer,
        version,
        provider,
        &json!({"random": n["interactions"][0]["description"]}),
    );
}

/// Builds one named state. Returns false for a state this broker does not know.
fn build(td: &mut TestData, name: &str) -> bool {
    match name {
        "'Condor' exists in the pact-broker with the latest tagged 'production' version 1.2.3" => {
            td.tag("Condor", "1.2.3", "production");
            td.version("Condor", "2.0.0");
        }
        "'Condor' exists in the pact-broker with the latest version 1.2.3" => {
            td.version("Condor", "1.0.0");
            td.version("Condor", "1.2.3");
        }
        "the 'Pricing Service' and 'Condor' already exist in the pact-broker" => {
            td.pacticipant("Condor");
            td.pacticipant("Pricing Service");
        }
        "the pact for Foo Thing version 1.2.3 has been verified by Bar version 4.5.6"
        | "the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6" => {
            let consumer = if name.contains("Foo Thing") { "Foo Thing" } else { "Foo" };
            create_pact(td, consumer, "1.2.3", "Bar");
            revise_pact(td, consumer, "1.2.3", "Bar");
            td.verify(consumer, "1.2.3", "Bar", "4.5.6", true);
            td.verify(consumer, "1.2.3", "Bar", "7.8.9", true);
            create_pact(td, consumer, "2.0.0", "Bar");
            revise_pact(td, consumer, "2.0.0", "Bar");
            td.verify(consumer, "2.0.0", "Bar", "4.5.6", true);
        }
        "the pact for Foo version 1.2.3 and 1.2.4 has been verified by Bar version 4.5.6" => {
            create_pact(td, "Foo", "1.2.3", "Bar");
            revise_pact(td, "Foo", "1.2.3", "Bar");
            td.verify("Foo", "1.2.3", "Bar", "4.5.6", true);
            create_pact(td, "Foo", "1.2.4", "Bar");
            revise_pact(td, "Foo", "1.2.4", "Bar");
            td.verify("Foo", "1.2.4", "Bar", "4.5.6", true);
        }
        "the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6, and 1.2.4 unsuccessfully by 9.9.9"
        | "the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 with tag prod, and 1.2.4 unsuccessfully by 9.9.9" => {
            create_pact(td, "Foo", "1.2.3", "Bar");
            revise_pact(td, "Foo", "1.2.3", "Bar");
            td.verify("Foo", "1.2.3", "Bar", "4.5.6", true);
            if name.contains("with tag prod") {
                td.tag("Bar", "4.5.6", "prod");
            }
            create_pact(td, "Foo", "1.2.4", "Bar");
            revise_pact(td, "Foo", "1.2.4", "Bar");
            td.verify("Foo", "1.2.4", "Bar", "9.9.9", false);
        }
        "the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6 and version 5.6.7" => {
            create_pact(td, "Foo", "1.2.3", "Bar");
            revise_pact(td, "Foo", "1.2.3", "Bar");
            td.verify("Foo", "1.2.3", "Bar", "4.5.6", true);
            td.verify("Foo", "1.2.3", "Bar", "5.6.7", true);
        }
        "the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and version 5.6.7" => {
            create_pact(td, "Foo", "1.2.3", "Bar");
            td.verify("Foo", "1.2.3", "Bar", "4.5.6", true);
            td.tag("Bar", "4.5.6", "prod");
            td.verify("Foo", "1.2.3", "Bar", "5.6.7", true);
        }
        "the 'Pricing Service' already exists in the pact-broker" => {
            let id = td.pacticipant("Pricing Service");
            td.tx(|tx, _| {
                let mut p = tx.state().pacticipant(id).clone();
                p.repository_url = Some("git@git.realestate.com.au:business-systems/pricing-service".into());
                tx.apply(pactline_broker_domain::Change::PutPacticipant(p));
            });
            td.version("Pricing Service", "1.3.0");
        }
        "a pact between Condor and the Pricing Service exists"
        | "the 'Pricing Service' and 'Condor' already exist in the pact-broker, and Condor already has a pact published for version 1.3.0"
        | "a latest pact between Condor and the Pricing Service exists" => {
            create_pact(td, "Condor", "1.3.0", "Pricing Service");
        }
        "'Condor' already exist in the pact-broker, but the 'Pricing Service' does not" => {
            td.pacticipant("Condor");
        }
        "'Condor' exists in the pact-broker" => {
            td.version("Condor", "1.3.0");
        }
        "'Condor' exists in the pact-broker with version 1.3.0, tagged with 'prod'" => {
            td.tag("Condor", "1.3.0", "prod");
        }
        "a pact between Condor and the Pricing Service exists for the production version of Condor"
        | "tagged as prod pact between Condor and the Pricing Service exists" => {
            td.tag("Condor", "1.3.0", "prod");
            create_pact(td, "Condor", "1.3.0", "Pricing Service");
        }
        "a webhook with the uuid 696c5f93-1b7f-44bc-8d03-59440fcaa9a0 exists" => {
            td.pacticipant("Condor");
            td.pacticipant("Pricing Service");
            td.tx(|tx, _| {
                pactline_broker_domain::webhooks::upsert_webhook(
                    tx,
                    "696c5f93-1b7f-44bc-8d03-59440fcaa9a0",
                    pactline_broker_domain::webhooks::WebhookInput {
                        description: Some("a webhook".into()),
                        consumer: Some(pactline_broker_domain::PacticipantSelector::Name("Condor".into())),
                        provider: Some(pactline_broker_domain::PacticipantSelector::Name("Pricing Service".into())),
                        events: vec!["contract_content_changed".into()],
                        enabled: true,
                        request: pactline_broker_domain::WebhookRequest {
                            method: "POST".into(),
                            url: "https://example.org".into(),
                            headers: vec![],
                            body: None,
                            username: None,
                            password: None,
                        },
                    },
                )
            });
        }
        "a pacticipant with name Foo exists" => {
            td.pacticipant("Foo");
        }
        "version 26f353580936ad3b9baddb17b00e84f33c69e7cb of pacticipant Foo does exist" => {
            td.version("Foo", "26f353580936ad3b9baddb17b00e84f33c69e7cb");
        }
        "provider Bar version 4.5.6 has a successful verification for Foo version 1.2.3 tagged prod and a failed verification for version 3.4.5 tagged prod" => {
            td.pacticipant("Foo");
            td.pacticipant("Bar");
            td.tag("Foo", "1.2.3", "prod");
            create_pact(td, "Foo", "1.2.3", "Bar");
            td.verify("Foo", "1.2.3", "Bar", "4.5.6", true);
            td.tag("Foo", "3.4.5", "prod");
            td.publish("Foo", "3.4.5", "Bar");
            td.verify("Foo", "3.4.5", "Bar", "4.5.6", false);
        }
        "an environment exists" => {
            td.tx(|tx, _| {
                pactline_broker_domain::commands::create_environment(tx, pactline_broker_domain::commands::EnvironmentInput {
                    name: "test".into(),
                    display_name: Some("Test".into()),
                    contacts: Some(json!([{"name": "foo", "details": {"emailAddress": "foo@bar.com"}}])),
                    ..Default::default()
                })
            });
        }
        "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for release"
        | "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment" => {
            td.environment_with_uuid("test", "cb632df3-0a0d-4227-aac3-60114dd36479", false);
            td.version("Foo", "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30");
        }
        "an environment with name test and UUID 16926ef3-590f-4e3f-838e-719717aa88c9 exists" => {
            td.environment_with_uuid("test", "16926ef3-590f-4e3f-838e-719717aa88c9", false);
        }
        "an version is deployed to environment with UUID 16926ef3-590f-4e3f-838e-719717aa88c9 with target customer-1" => {
            td.environment_with_uuid("test", "16926ef3-590f-4e3f-838e-719717aa88c9", false);
            td.version("Foo", "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30");
            let d = td.deploy_to_target("Foo", "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30", "test", Some("customer-1"));
            set_deployed_uuid(td, d, "ff3adecf-cfc5-4653-a4e3-f1861092f8e0");
        }
        "a currently deployed version exists" => {
            td.environment_with_uuid("test", "cb632df3-0a0d-4227-aac3-60114dd36479", false);
            td.version("Foo", "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30");
            let d = td.deploy("Foo", "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30", "test");
            set_deployed_uuid(td, d, "ff3adecf-cfc5-4653-a4e3-f1861092f8e0");
        }
        "a branch named main exists for pacticipant Foo" => {
            td.branch("Foo", "1", "main");
        }
        "an environment with name test exists" => {
            td.environment("test", false);
        }
        "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with 2 environments that aren't test available for deployment" => {
            td.version("Foo", "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30");
            td.environment("prod", true);
            td.environment("dev", false);
        }
        // No state, and states that need no data.
        ""
        | "the pb:latest-tagged-version relation exists in the index resource"
        | "the pb:latest-version relation exists in the index resource"
        | "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo does not exist"
        | "the 'Pricing Service' does not exist in the pact-broker"
        | "no pact between Condor and the Pricing Service exists"
        | "'Condor' does not exist in the pact-broker"
        | "no pacticipant version exists for the Pricing Service"
        | "the pacticipant relations are present"
        | "the pb:pacticipant-version relation exists in the index resource"
        | "version 26f353580936ad3b9baddb17b00e84f33c69e7cb of pacticipant Foo does not exist"
        | "the pb:publish-contracts relations exists in the index resource"
        | "the pb:environments relation exists in the index resource"
        | "the pb:pacticipant-branch relation exists in the index resource"
        | "the pb:pacticipant-version and pb:environments relations exist in the index resource" => {}
        _ => return false,
    }
    true
}

fn set_deployed_uuid(td: &mut TestData, id: i64, uuid: &str) {
    td.tx(|tx, _| {
        let mut d = tx.state().deployed_versions[&id].clone();
        d.uuid = uuid.to_string();
        tx.apply(pactline_broker_domain::Change::PutDeployedVersion(d));
    });
}

/// `POST /__pactline/provider-states` with the verifier's `{"state", "params", "action"}`.
pub async fn setup(app: App, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    let name = body
        .get("state")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if body.get("action").and_then(Value::as_str) == Some("teardown") {
        return Ok(crate::hal::ok(json!({})));
    }
    let mut known = true;
    app.reset_with(|td| known = build(td, &name))?;
    if !known {
        return Err(ApiError::BadRequest(format!(
            "unknown provider state `{name}`"
        )));
    }
    Ok(crate::hal::ok(json!({})))
}
