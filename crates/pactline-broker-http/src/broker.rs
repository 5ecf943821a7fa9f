//! The broker's running state: records in memory, the store, and how a write is made durable.

use crate::error::ApiError;
use crate::AuthConfig;
use chrono::{SubsecRound, Utc};
use pactline_broker_domain::webhooks::WebhookPolicy;
use pactline_broker_domain::{Change, Settings, State, Tx};
use pactline_broker_store::Store;
use std::sync::{Mutex, RwLock};

#[derive(Debug, Clone, Default)]
pub struct BrokerConfig {
    /// Absolute base URL for links; when unset, links are built from the request's Host.
    pub base_url: Option<String>,
    pub auth: AuthConfig,
    pub settings: Settings,
    /// Serves `POST /__pactline/provider-states` (builds have the `provider-states` feature).
    pub enable_provider_states: bool,
    /// Where webhooks may send requests, and how often they retry.
    pub webhook_policy: WebhookPolicy,
}

pub struct Broker {
    state: RwLock<State>,
    store: Mutex<Store>,
    pub config: BrokerConfig,
    /// Wakes the webhook worker when a write has created deliveries.
    pub(crate) webhooks_due: tokio::sync::Notify,
}

impl Broker {
    /// Loads every record from the store.
    pub fn new(store: Store, config: BrokerConfig) -> Result<Broker, pactline_broker_store::Error> {
        let state = store.load()?;
        Ok(Broker {
            state: RwLock::new(state),
            store: Mutex::new(store),
            config,
            webhooks_due: tokio::sync::Notify::new(),
        })
    }

    /// Creates or updates secrets (from the environment at start); values are never returned.
    pub fn load_secrets(&self, secrets: Vec<(String, String)>) -> Result<(), ApiError> {
        if secrets.is_empty() {
            return Ok(());
        }
        self.write(|tx, _| {
            for (name, value) in secrets {
                if tx
                    .state()
                    .secret_by_name(&name)
                    .is_some_and(|s| s.value == value)
                {
                    continue;
                }
                let description = Some("from the broker's environment".to_string());
                pactline_broker_domain::webhooks::upsert_secret(tx, &name, &value, description);
            }
            Ok(())
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.config.settings
    }

    /// Runs a read against the current records.
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        f(&state)
    }

    /// Runs one write: the changes are applied in memory, persisted in one database transaction,
    /// and only then acknowledged. If the write fails after changing anything, the records are
    /// reloaded from the database so memory never holds what was not committed.
    pub fn write<R>(
        &self,
        f: impl FnOnce(&mut Tx, &Settings) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        let now = Utc::now().trunc_subsecs(3);
        let mut tx = Tx::new(&mut state, now);
        let result = f(&mut tx, &self.config.settings);
        let journal = tx.into_journal();
        let outcome = match result {
            Ok(value) => store
                .persist(&journal)
                .map(|_| value)
                .map_err(ApiError::from),
            Err(e) => Err(e),
        };
        if outcome.is_err() && !journal.is_empty() {
            match store.load() {
                Ok(fresh) => *state = fresh,
                Err(e) => tracing::error!("reloading records after a failed write: {e}"),
            }
        }
        // Deliveries are sent only after their event is committed.
        if outcome.is_ok()
            && journal
                .iter()
                .any(|c| matches!(c, Change::PutTriggeredWebhook(t) if t.attempts_made == 0))
        {
            self.webhooks_due.notify_one();
        }
        outcome
    }
}

#[cfg(feature = "provider-states")]
impl Broker {
    /// Replaces every record with what `build` makes (provider states for contract verification).
    pub fn reset_with(
        &self,
        build: impl FnOnce(&mut pactline_broker_domain::builder::TestData),
    ) -> Result<(), ApiError> {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        let mut fresh = State::new();
        let journal = {
            let mut td = pactline_broker_domain::builder::TestData::new(&mut fresh)
                .starting_at(Utc::now().trunc_subsecs(3));
            td.auto_advance = false;
            build(&mut td);
            td.take_journal()
        };
        store.clear()?;
        store.persist(&journal)?;
        *state = fresh;
        Ok(())
    }
}
