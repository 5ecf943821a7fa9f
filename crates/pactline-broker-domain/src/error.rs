//! Domain errors, named as the broker reports them.

use std::collections::BTreeMap;

/// Field → messages, rendered as `{"errors":{field:[messages]}}` (dry-validation's shape).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub BTreeMap<String, Vec<String>>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_default()
            .push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self))
        }
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{k} {}", v.join(", ")))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("validation failed: {0}")]
    Validation(ValidationErrors),
    /// A 404 with the broker's message, e.g. "No pacticipant with name 'X' found".
    #[error("{0}")]
    NotFound(String),
    /// A 409 with the broker's message.
    #[error("{0}")]
    Conflict(String),
    /// A 400 with a plain `{"error": ...}` body.
    #[error("{0}")]
    BadRequest(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
