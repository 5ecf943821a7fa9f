//! HAL links: reading a relation (one link or an array of them) and expanding `{placeholder}` templates with encoded values.

use serde_json::Value;

use pactline_broker_api::paths::encode;

/// One HAL link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub name: Option<String>,
    pub title: Option<String>,
}

impl Link {
    fn from_value(v: &Value) -> Option<Link> {
        let href = v.get("href")?.as_str()?.to_string();
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        Some(Link {
            href,
            name: text("name"),
            title: text("title"),
        })
    }

    /// The href with each `{key}` replaced by its percent-encoded value.
    pub fn expand(&self, params: &[(&str, &str)]) -> String {
        expand(&self.href, params)
    }
}

/// Every link of `relation` in `resource._links` (a single link reads as one).
pub fn links(resource: &Value, relation: &str) -> Vec<Link> {
    match resource.get("_links").and_then(|l| l.get(relation)) {
        Some(Value::Array(items)) => items.iter().filter_map(Link::from_value).collect(),
        Some(v) => Link::from_value(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The first link of `relation`.
pub fn link(resource: &Value, relation: &str) -> Option<Link> {
    links(resource, relation).into_iter().next()
}

/// The link of `relation` whose `name` is `name` (as `pb:record-deployment` per environment).
pub fn named_link(resource: &Value, relation: &str, name: &str) -> Option<Link> {
    links(resource, relation)
        .into_iter()
        .find(|l| l.name.as_deref() == Some(name))
}

/// Replace each `{key}` in `template` with the percent-encoded value.
pub fn expand(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in params {
        out = out.replace(&format!("{{{key}}}"), &encode(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn single_and_array_relations() {
        let v = json!({"_links":{
            "pb:one":{"href":"http://b/x","title":"X"},
            "pb:many":[{"href":"http://b/1","name":"test"},{"href":"http://b/2","name":"production"}]
        }});
        assert_eq!(link(&v, "pb:one").unwrap().href, "http://b/x");
        assert_eq!(links(&v, "pb:many").len(), 2);
        assert_eq!(
            named_link(&v, "pb:many", "production").unwrap().href,
            "http://b/2"
        );
        assert!(named_link(&v, "pb:many", "prod").is_none());
        assert!(link(&v, "pb:none").is_none());
    }

    #[test]
    fn templates_expand_with_encoded_values() {
        let l = Link {
            href: "http://b/pacticipants/{pacticipant}/versions/{version}".into(),
            name: None,
            title: None,
        };
        assert_eq!(
            l.expand(&[("pacticipant", "My App"), ("version", "1.0/feat")]),
            "http://b/pacticipants/My%20App/versions/1.0%2Ffeat"
        );
    }
}
