//! Black-box tests of the action binaries (publish-pact, can-i-deploy-gate, record-results) against a real pactline-broker.

mod bad_input;
mod chaos;
mod flow;
mod support;
