//! The Pact Broker wire contract shared by pactline's client and server.
//!
//! Client and server both build paths from here, so a path cannot drift between them
//! (the real broker keeps the same single place in `pact_broker_urls.rb`).

pub mod paths;
pub mod rels;
