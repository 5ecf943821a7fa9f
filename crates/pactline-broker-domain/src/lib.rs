//! The Pact Broker's domain as plain data and functions: no I/O.
//!
//! [`State`] holds every record in memory; writes go through a [`Tx`] that journals each
//! [`model::Change`] so the store can persist the same changes in one database transaction.

pub mod builder;
pub mod commands;
pub mod content;
pub mod error;
pub mod for_verification;
pub mod matrix;
pub mod model;
pub mod notices;
pub mod pending;
pub mod rack;
pub mod state;
pub mod tx;
pub mod webhooks;

pub use error::{Error, Result, ValidationErrors};
pub use model::*;
pub use state::State;
pub use tx::Tx;

/// Broker behaviour switches, with the real broker's defaults.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `allow_dangerous_contract_modification` (false: a changed pact for an existing version is a 409).
    pub allow_dangerous_contract_modification: bool,
    /// `use_first_tag_as_branch`, within `use_first_tag_as_branch_time_limit` seconds of the version's creation.
    pub use_first_tag_as_branch: bool,
    pub use_first_tag_as_branch_time_limit: i64,
    /// `auto_detect_main_branch` with `main_branch_candidates`.
    pub auto_detect_main_branch: bool,
    pub main_branch_candidates: Vec<String>,
    /// `create_deployed_versions_for_tags`.
    pub create_deployed_versions_for_tags: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            allow_dangerous_contract_modification: false,
            use_first_tag_as_branch: true,
            use_first_tag_as_branch_time_limit: 10,
            auto_detect_main_branch: true,
            main_branch_candidates: vec!["develop".into(), "main".into(), "master".into()],
            create_deployed_versions_for_tags: true,
        }
    }
}
