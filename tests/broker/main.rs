//! Black-box tests of `pactline-broker`: the real binary over HTTP with a SQLite file.

mod durability;
mod server;
mod webhooks;

#[cfg(feature = "official-clients")]
mod official_clients;
