//! Broker paths, built from encoded segments.
//!
//! Names are encoded as Ruby's `ERB::Util.url_encode` does: everything but `A-Z a-z 0-9 - . _ ~`
//! is percent-encoded, so a space is `%20` and `/` is `%2F`. Paths start with `/`; prefix the base URL.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment.
pub fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// Percent-encodes a query-string value (same rules as a segment).
pub fn encode_query(value: &str) -> String {
    encode(value)
}

pub fn pacticipants() -> String {
    "/pacticipants".to_string()
}

pub fn pacticipant(name: &str) -> String {
    format!("/pacticipants/{}", encode(name))
}

pub fn versions(pacticipant: &str) -> String {
    format!("{}/versions", self::pacticipant(pacticipant))
}

pub fn version(pacticipant: &str, version: &str) -> String {
    format!(
        "{}/versions/{}",
        self::pacticipant(pacticipant),
        encode(version)
    )
}

pub fn latest_version(pacticipant: &str, tag: Option<&str>) -> String {
    match tag {
        Some(tag) => format!(
            "{}/latest-version/{}",
            self::pacticipant(pacticipant),
            encode(tag)
        ),
        None => format!("{}/latest-version", self::pacticipant(pacticipant)),
    }
}

pub fn tag(pacticipant: &str, version: &str, tag: &str) -> String {
    format!(
        "{}/tags/{}",
        self::version(pacticipant, version),
        encode(tag)
    )
}

pub fn branches(pacticipant: &str) -> String {
    format!("{}/branches", self::pacticipant(pacticipant))
}

pub fn branch(pacticipant: &str, branch: &str) -> String {
    format!(
        "{}/branches/{}",
        self::pacticipant(pacticipant),
        encode(branch)
    )
}

pub fn branch_version(pacticipant: &str, branch: &str, version: &str) -> String {
    format!(
        "{}/versions/{}",
        self::branch(pacticipant, branch),
        encode(version)
    )
}

pub fn pact(provider: &str, consumer: &str, consumer_version: &str) -> String {
    format!(
        "/pacts/provider/{}/consumer/{}/version/{}",
        encode(provider),
        encode(consumer),
        encode(consumer_version)
    )
}

pub fn pact_version(provider: &str, consumer: &str, sha: &str) -> String {
    format!(
        "/pacts/provider/{}/consumer/{}/pact-version/{}",
        encode(provider),
        encode(consumer),
        sha
    )
}

/// The pact-version path with an opaque metadata segment, as handed out by pacts for verification.
pub fn pact_version_with_metadata(
    provider: &str,
    consumer: &str,
    sha: &str,
    metadata: &str,
) -> String {
    if metadata.is_empty() {
        pact_version(provider, consumer, sha)
    } else {
        format!(
            "{}/metadata/{}",
            pact_version(provider, consumer, sha),
            metadata
        )
    }
}

pub fn verification_results(provider: &str, consumer: &str, sha: &str, metadata: &str) -> String {
    format!(
        "{}/verification-results",
        pact_version_with_metadata(provider, consumer, sha, metadata)
    )
}

pub fn verification_result(provider: &str, consumer: &str, sha: &str, number: i64) -> String {
    format!(
        "{}/verification-results/{}",
        pact_version(provider, consumer, sha),
        number
    )
}

pub fn latest_pact(provider: &str, consumer: &str, tag: Option<&str>) -> String {
    let base = format!(
        "/pacts/provider/{}/consumer/{}/latest",
        encode(provider),
        encode(consumer)
    );
    match tag {
        Some(tag) => format!("{base}/{}", encode(tag)),
        None => base,
    }
}

pub fn provider_pacts_for_verification(provider: &str) -> String {
    format!("/pacts/provider/{}/for-verification", encode(provider))
}

pub fn latest_provider_pacts(provider: &str, tag: Option<&str>) -> String {
    match tag {
        Some(tag) => format!(
            "/pacts/provider/{}/latest/{}",
            encode(provider),
            encode(tag)
        ),
        None => format!("/pacts/provider/{}/latest", encode(provider)),
    }
}

pub fn environments() -> String {
    "/environments".to_string()
}

pub fn environment(uuid: &str) -> String {
    format!("/environments/{}", encode(uuid))
}

pub fn currently_deployed(environment_uuid: &str) -> String {
    format!(
        "{}/deployed-versions/currently-deployed",
        environment(environment_uuid)
    )
}

pub fn currently_supported(environment_uuid: &str) -> String {
    format!(
        "{}/released-versions/currently-supported",
        environment(environment_uuid)
    )
}

pub fn record_deployment(pacticipant: &str, version: &str, environment_uuid: &str) -> String {
    format!(
        "{}/deployed-versions/environment/{}",
        self::version(pacticipant, version),
        encode(environment_uuid)
    )
}

pub fn record_release(pacticipant: &str, version: &str, environment_uuid: &str) -> String {
    format!(
        "{}/released-versions/environment/{}",
        self::version(pacticipant, version),
        encode(environment_uuid)
    )
}

pub fn deployed_version(uuid: &str) -> String {
    format!("/deployed-versions/{}", encode(uuid))
}

pub fn released_version(uuid: &str) -> String {
    format!("/released-versions/{}", encode(uuid))
}

pub fn matrix() -> String {
    "/matrix".to_string()
}

pub fn can_i_deploy() -> String {
    "/can-i-deploy".to_string()
}

pub fn publish_contracts() -> String {
    "/contracts/publish".to_string()
}

pub fn webhooks() -> String {
    "/webhooks".to_string()
}

pub fn webhook(uuid: &str) -> String {
    format!("/webhooks/{}", encode(uuid))
}

/// The secrets webhooks use as `${user.NAME}` (PactFlow and pactline-broker; not the open-source broker).
pub fn secrets() -> String {
    "/secrets".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_like_erb_url_encode() {
        assert_eq!(pacticipant("Foo Thing"), "/pacticipants/Foo%20Thing");
        assert_eq!(
            tag("Foo", "1.0.0", "feat/bar"),
            "/pacticipants/Foo/versions/1.0.0/tags/feat%2Fbar"
        );
        assert_eq!(encode("a~b_c-d.e"), "a~b_c-d.e");
    }

    #[test]
    fn pact_paths() {
        assert_eq!(
            pact("Pricing Service", "Condor", "1.3.0"),
            "/pacts/provider/Pricing%20Service/consumer/Condor/version/1.3.0"
        );
        assert_eq!(
            verification_results("Bar", "Foo", "abc", "bWV0YQ"),
            "/pacts/provider/Bar/consumer/Foo/pact-version/abc/metadata/bWV0YQ/verification-results"
        );
    }
}
