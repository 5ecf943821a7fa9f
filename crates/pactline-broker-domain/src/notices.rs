//! Notices: the typed messages the broker returns to clients (`debug`, `info`, `success`,
//! `warning`, `prompt`, `error`).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
}

impl Notice {
    pub fn new(kind: &'static str, text: impl Into<String>) -> Self {
        Notice {
            kind,
            text: text.into(),
        }
    }
    pub fn debug(text: impl Into<String>) -> Self {
        Self::new("debug", text)
    }
    pub fn info(text: impl Into<String>) -> Self {
        Self::new("info", text)
    }
    pub fn success(text: impl Into<String>) -> Self {
        Self::new("success", text)
    }
    pub fn warning(text: impl Into<String>) -> Self {
        Self::new("warning", text)
    }
    pub fn prompt(text: impl Into<String>) -> Self {
        Self::new("prompt", text)
    }
    pub fn error(text: impl Into<String>) -> Self {
        Self::new("error", text)
    }
}
