//! Compatibility measured with the official Pact tools (feature `official-clients`):
//! the Ruby client's contract verified against our broker by the official Rust verifier, and
//! the official CLIs publishing, deploying, verifying and asking can-i-deploy.

mod clients;
mod contract;
