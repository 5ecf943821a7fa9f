//! Secrets never reach `Display`: URLs lose their credentials and tokens print as `***`.

use std::fmt;

use reqwest::Url;

/// A URL that displays without its user name, password or fragment.
///
/// Query strings are kept (the broker's own links carry no secrets in them),
/// except parameters whose name says they hold one (`token`, `password`, …).
#[derive(Clone, PartialEq, Eq)]
pub struct RedactedUrl(Box<Url>);

impl RedactedUrl {
    pub fn new(url: Url) -> Self {
        RedactedUrl(Box::new(url))
    }

    /// The real URL, credentials included: for sending, never for printing.
    pub fn expose(&self) -> &Url {
        &self.0
    }

    /// The redacted text.
    pub fn redacted(&self) -> String {
        redact_url(&self.0)
    }
}

impl fmt::Display for RedactedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for RedactedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedactedUrl({})", self.redacted())
    }
}

/// Query parameter names whose values are secrets.
const SECRET_PARAMS: &[&str] = &[
    "token",
    "access_token",
    "password",
    "secret",
    "key",
    "apikey",
];

/// `url` as text without user info, fragment or secret-looking query values.
pub fn redact_url(url: &Url) -> String {
    let mut url = url.clone();
    let had_user = !url.username().is_empty() || url.password().is_some();
    // Setting these can only fail for URLs that cannot have credentials at all.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_fragment(None);
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret = SECRET_PARAMS
                    .iter()
                    .any(|s| k.to_ascii_lowercase().contains(s));
                (
                    k.into_owned(),
                    if secret { "***".into() } else { v.into_owned() },
                )
            })
            .collect();
        if pairs.iter().any(|(_, v)| v == "***") {
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    let text = url.to_string();
    if had_user {
        // Say that credentials were there, without showing them.
        text.replacen("://", "://***@", 1)
    } else {
        text
    }
}

/// Redacts a URL given as text; text that is not a URL is shown only up to its first `@`.
pub fn redact_url_text(text: &str) -> String {
    match Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => redact_url(&url),
        _ => match text.find('@') {
            Some(at) => match text.find("://") {
                Some(scheme) if scheme < at => {
                    format!("{}://***@{}", &text[..scheme], &text[at + 1..])
                }
                _ => "***".to_string(),
            },
            None => text.to_string(),
        },
    }
}

/// A secret string (token, password): `Display` and `Debug` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: for the `Authorization` header and masking only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_display() {
        let url = Url::parse("https://ci:s3cret@broker.example.com/pacts?x=1#frag").unwrap();
        let shown = RedactedUrl::new(url).to_string();
        assert_eq!(shown, "https://***@broker.example.com/pacts?x=1");
        assert!(!shown.contains("s3cret"));
        assert!(!shown.contains("ci:"));
    }

    #[test]
    fn plain_urls_are_unchanged() {
        let url = Url::parse("http://127.0.0.1:9292/matrix?q[][pacticipant]=Foo").unwrap();
        assert_eq!(
            redact_url(&url),
            "http://127.0.0.1:9292/matrix?q[][pacticipant]=Foo"
        );
    }

    #[test]
    fn secret_query_parameters_are_masked() {
        let url = Url::parse("https://b.example/x?access_token=abc123&name=Foo").unwrap();
        let shown = redact_url(&url);
        assert!(!shown.contains("abc123"), "{shown}");
        assert!(shown.contains("name=Foo"), "{shown}");
    }

    #[test]
    fn unparseable_text_with_credentials_is_cut() {
        assert_eq!(
            redact_url_text("http://user:pw@[bad/x"),
            "http://***@[bad/x"
        );
        assert_eq!(redact_url_text("user:pw@host"), "***");
        assert_eq!(redact_url_text("not a url"), "not a url");
    }

    #[test]
    fn secrets_print_as_stars() {
        let s = Secret::new("tok-123");
        assert_eq!(s.to_string(), "***");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "tok-123");
    }
}
