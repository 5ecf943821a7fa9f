//! Typed Pact Broker client: HAL navigation from the index, token or basic auth, connect and
//! request timeouts, retries with backoff and jitter (idempotent requests only) under an overall
//! deadline, and errors that carry the broker's own messages.
//!
//! Paths come from `pactline_broker_api::paths` (shared with the server) whenever the broker
//! does not offer a relation; relations are followed when it does. Nothing here prints: notices
//! are returned for the caller to show. URLs in errors are [`RedactedUrl`]s and tokens
//! [`Secret`]s, so no `Display` shows a credential.

mod calls;
mod client;
mod error;
pub mod hal;
pub mod matrix;
pub mod redact;
pub mod retry;
pub mod types;
pub mod verification;
pub mod webhooks;

pub use client::{parse_base_url, Auth, BrokerClient, ClientConfig};
pub use error::{broker_messages, Attempts, Error, NotRetried, TransportKind};
pub use matrix::{Ignore, Matrix, MatrixQuery, Notice, Selector, Target, VersionSelector};
pub use redact::{RedactedUrl, Secret};
pub use reqwest::{Method, StatusCode, Url};
pub use retry::RetryPolicy;
pub use types::*;
