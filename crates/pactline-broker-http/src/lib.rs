//! The broker's HTTP API: the real Pact Broker's routes and bodies on axum.
//!
//! [`Broker`] holds the records in memory and the SQLite store; [`router`] builds the axum app.

mod auth;
mod broker;
mod delivery;
mod error;
mod hal;
mod handlers;
mod router;

pub use auth::{Access, AuthConfig};
pub use broker::{Broker, BrokerConfig};
pub use delivery::spawn_worker;
pub use error::ApiError;
pub use router::router;
