//! A fluent builder of broker data for tests and provider states (the real broker's `td`).
//!
//! Each call runs in its own [`Tx`] against the builder's state; the journal of every change is
//! kept so a store can persist what was built.

use crate::commands::{self, EnvironmentInput, NewVerification, OnConflict, TagOptions};
use crate::model::*;
use crate::state::State;
use crate::tx::Tx;
use crate::Settings;
use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};

/// The display name the real broker's test data gives an environment (`name.camelcase(true)`).
fn display_name(name: &str) -> String {
    name.split(['_', '-'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

pub struct TestData<'a> {
    pub state: &'a mut State,
    pub settings: Settings,
    pub now: Time,
    journal: Vec<Change>,
    counter: u64,
    /// Whether `now` advances one second after each call, so records get distinct times.
    pub auto_advance: bool,
}

impl<'a> TestData<'a> {
    pub fn new(state: &'a mut State) -> Self {
        TestData {
            state,
            settings: Settings::default(),
            now: Utc
                .with_ymd_and_hms(2021, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            journal: Vec::new(),
            counter: 0,
            auto_advance: true,
        }
    }

    pub fn starting_at(mut self, now: Time) -> Self {
        self.now = now;
        self
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, seconds: i64) -> &mut Self {
        self.now += Duration::seconds(seconds);
        self
    }

    /// Runs one write and keeps its changes.
    pub fn tx<R>(&mut self, f: impl FnOnce(&mut Tx, &Settings) -> R) -> R {
        let mut tx = Tx::new(self.state, self.now);
        let r = f(&mut tx, &self.settings);
        self.journal.extend(tx.into_journal());
        if self.auto_advance {
            self.now += Duration::seconds(1);
        }
        r
    }

    /// Every change made so far, in order.
    pub fn take_journal(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.journal)
    }

    pub fn pacticipant(&mut self, name: &str) -> Id {
        self.tx(|tx, _| commands::ensure_pacticipant(tx, name).0)
    }

    pub fn pacticipant_with_main_branch(&mut self, name: &str, main_branch: &str) -> Id {
        let id = self.pacticipant(name);
        self.tx(|tx, _| {
            let mut p = tx.state().pacticipant(id).clone();
            p.main_branch = Some(main_branch.to_string());
            tx.apply(Change::PutPacticipant(p));
        });
        id
    }

    pub fn version(&mut self, pacticipant: &str, number: &str) -> Id {
        self.tx(|tx, _| {
            let p = commands::ensure_pacticipant(tx, pacticipant).0;
            commands::ensure_version(tx, p, number).0
        })
    }

    pub fn branch(&mut self, pacticipant: &str, number: &str, branch: &str) -> &mut Self {
        let v = self.version(pacticipant, number);
        self.tx(|tx, s| commands::add_branch_version(tx, s, v, branch));
        self
    }

    pub fn tag(&mut self, pacticipant: &str, number: &str, tag: &str) -> &mut Self {
        let v = self.version(pacticipant, number);
        self.tx(|tx, s| commands::add_tag(tx, s, v, tag, TagOptions::default()));
        self
    }

    /// Content unique to each call, so every publication has its own SHA.
    pub fn unique_content(&mut self, consumer: &str, provider: &str) -> Value {
        self.counter += 1;
        json!({
            "consumer": {"name": consumer},
            "provider": {"name": provider},
            "interactions": [{
                "description": format!("a request {}", self.counter),
                "request": {"method": "GET", "path": format!("/things/{}", self.counter)},
                "response": {"status": 200}
            }],
            "metadata": {"pactSpecification": {"version": "2.0.0"}}
        })
    }

    /// Publishes a pact with unique content. Returns the pact version id.
    pub fn publish(&mut self, consumer: &str, consumer_version: &str, provider: &str) -> Id {
        let content = self.unique_content(consumer, provider);
        self.publish_content(consumer, consumer_version, provider, &content)
    }

    /// Publishes a pact with the same content as the previous publication between the pair.
    pub fn publish_same_as_last(
        &mut self,
        consumer: &str,
        consumer_version: &str,
        provider: &str,
    ) -> Id {
        let (c, p) = (
            self.state.pacticipant_by_name(consumer).map(|p| p.id),
            self.state.pacticipant_by_name(provider).map(|p| p.id),
        );
        let content = match (c, p) {
            (Some(c), Some(p)) => self
                .state
                .current_publications_for_provider(p)
                .into_iter()
                .rfind(|x| x.consumer_id == c)
                .map(|x| {
                    crate::content::without_ids(
                        &serde_json::from_str(&self.state.pact_version(x.pact_version_id).content)
                            .unwrap_or(Value::Null),
                    )
                }),
            _ => None,
        };
        let content = content.unwrap_or_else(|| self.unique_content(consumer, provider));
        self.publish_content(consumer, consumer_version, provider, &content)
    }

    pub fn publish_content(
        &mut self,
        consumer: &str,
        consumer_version: &str,
        provider: &str,
        content: &Value,
    ) -> Id {
        self.tx(|tx, _| {
            let c = commands::ensure_pacticipant(tx, consumer).0;
            let p = commands::ensure_pacticipant(tx, provider).0;
            let v = commands::ensure_version(tx, c, consumer_version).0;
            commands::publish_pact(tx, v, p, content, OnConflict::Overwrite)
                .map(|r| r.pact_version_id)
                .unwrap_or_default()
        })
    }

    /// Publishes new content as a new revision of an existing consumer version's pact.
    pub fn revise(&mut self, consumer: &str, consumer_version: &str, provider: &str) -> Id {
        self.publish(consumer, consumer_version, provider)
    }

    /// Verifies the current pact of `consumer_version` by `provider_version`. Returns the verification id.
    pub fn verify(
        &mut self,
        consumer: &str,
        consumer_version: &str,
        provider: &str,
        provider_version: &str,
        success: bool,
    ) -> Id {
        self.verify_with(
            consumer,
            consumer_version,
            provider,
            provider_version,
            NewVerification {
                success,
                ..Default::default()
            },
        )
    }

    pub fn verify_with(
        &mut self,
        consumer: &str,
        consumer_version: &str,
        provider: &str,
        provider_version: &str,
        v: NewVerification,
    ) -> Id {
        self.tx(|tx, _| {
            let c = commands::ensure_pacticipant(tx, consumer).0;
            let p = commands::ensure_pacticipant(tx, provider).0;
            let cv = commands::ensure_version(tx, c, consumer_version).0;
            let pv = commands::ensure_version(tx, p, provider_version).0;
            let pact_version = tx
                .state()
                .latest_publication_for(cv, p)
                .map(|x| x.pact_version_id)
                .expect("verify: no pact published for this consumer version and provider");
            commands::create_verification(tx, pact_version, pv, v)
        })
    }

    /// Verifies as [`TestData::verify`] does, then gives the verification a chosen public number,
    /// as the real broker's `td.create_verification(number: n)` does (numbers may then repeat).
    pub fn verify_numbered(
        &mut self,
        consumer: &str,
        consumer_version: &str,
        provider: &str,
        provider_version: &str,
        success: bool,
        number: i64,
    ) -> Id {
        let id = self.verify(
            consumer,
            consumer_version,
            provider,
            provider_version,
            success,
        );
        self.tx(|tx, _| {
            let mut v = tx.state().verification(id).clone();
            v.number = number;
            tx.apply(Change::PutVerification(v));
        });
        id
    }

    pub fn environment(&mut self, name: &str, production: bool) -> Id {
        if let Some(e) = self.state.environment_by_name(name) {
            return e.id;
        }
        self.tx(|tx, _| {
            commands::create_environment(
                tx,
                EnvironmentInput {
                    name: name.to_string(),
                    display_name: Some(display_name(name)),
                    production,
                    ..Default::default()
                },
            )
        })
    }

    pub fn environment_with_uuid(&mut self, name: &str, uuid: &str, production: bool) -> Id {
        self.tx(|tx, _| {
            commands::create_environment(
                tx,
                EnvironmentInput {
                    uuid: Some(uuid.to_string()),
                    name: name.to_string(),
                    display_name: Some(display_name(name)),
                    production,
                    ..Default::default()
                },
            )
        })
    }

    pub fn deploy(&mut self, pacticipant: &str, version: &str, environment: &str) -> Id {
        self.deploy_to_target(pacticipant, version, environment, None)
    }

    pub fn deploy_to_target(
        &mut self,
        pacticipant: &str,
        version: &str,
        environment: &str,
        target: Option<&str>,
    ) -> Id {
        let env = self.environment(
            environment,
            environment == "production" || environment == "prod",
        );
        let v = self.version(pacticipant, version);
        self.tx(|tx, _| commands::record_deployment(tx, v, env, target).0)
    }

    pub fn release(&mut self, pacticipant: &str, version: &str, environment: &str) -> Id {
        let env = self.environment(
            environment,
            environment == "production" || environment == "prod",
        );
        let v = self.version(pacticipant, version);
        self.tx(|tx, _| commands::record_release(tx, v, env).0)
    }

    pub fn undeploy(&mut self, deployed_version_id: Id) {
        self.tx(|tx, _| commands::undeploy(tx, deployed_version_id));
    }

    pub fn end_support(&mut self, released_version_id: Id) {
        self.tx(|tx, _| commands::end_support(tx, released_version_id));
    }
}
