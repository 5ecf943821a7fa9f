//! `GET /`: the HAL index with the real broker's relation names.

use super::Ctx;
use axum::response::Response;
use serde_json::{json, Map, Value};

pub async fn index(ctx: Ctx) -> Response {
    crate::hal::ok(body(&ctx))
}

pub fn body(ctx: &Ctx) -> Value {
    let t =
        |href: &str, title: &str| json!({"href": ctx.url(href), "title": title, "templated": true});
    let f = |href: &str, title: &str| json!({"href": ctx.url(href), "title": title, "templated": false});
    let mut links = Map::new();
    let mut add = |rel: &str, v: Value| {
        links.insert(rel.to_string(), v);
    };
    add(
        "self",
        json!({"href": ctx.url(""), "title": "Index", "templated": false}),
    );
    add(
        "pb:publish-pact",
        t(
            "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
            "Publish a pact",
        ),
    );
    add(
        "pb:publish-contracts",
        f("/contracts/publish", "Publish contracts"),
    );
    add(
        "pb:latest-pact-versions",
        f("/pacts/latest", "Latest pact versions"),
    );
    add(
        "pb:tagged-pact-versions",
        f(
            "/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}",
            "All versions of a pact for a given consumer, provider and consumer version tag",
        ),
    );
    add(
        "pb:branch-pact-versions",
        t(
            "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}",
            "All versions of a pact for a given consumer, provider and consumer version branch",
        ),
    );
    add(
        "pb:latest-branch-pact-versions",
        t(
            "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions",
            "Latest version of a pact for a given consumer, provider and consumer version branch",
        ),
    );
    add("pb:main-branch-pact-versions", t("/pacts/provider/{provider}/consumer/{consumer}/branch/versions", "All versions of a pact for a given consumer, provider and consumer version main branch"));
    add("pb:latest-main-branch-pact-versions", t("/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions", "Latest version of a pact for a given consumer, provider and consumer version main branch"));
    add(
        "pb:provider-pacts-with-main-branch",
        t(
            "/pacts/provider/{provider}/branch",
            "All pact versions for the provider with the main branch of the consumer",
        ),
    );
    add(
        "pb:provider-pacts-with-branch",
        t(
            "/pacts/provider/{provider}/branch/{branch}",
            "All pact versions for the provider with the specified consumer version branch",
        ),
    );
    add(
        "pb:latest-provider-pacts-with-main-branch",
        t(
            "/pacts/provider/{provider}/branch/latest",
            "Latest pact versions for the provider with the main branch of the consumer",
        ),
    );
    add(
        "pb:latest-provider-pacts-with-branch",
        t(
            "/pacts/provider/{provider}/branch/{branch}/latest",
            "Latest pact versions for the provider with the specified consumer version branch",
        ),
    );
    add("pb:pacticipants", f("/pacticipants", "Pacticipants"));
    add(
        "pb:pacticipant",
        t("/pacticipants/{pacticipant}", "Fetch pacticipant by name"),
    );
    add(
        "pb:latest-provider-pacts",
        t(
            "/pacts/provider/{provider}/latest",
            "Latest pacts by provider",
        ),
    );
    add(
        "pb:latest-provider-pacts-with-tag",
        t(
            "/pacts/provider/{provider}/latest/{tag}",
            "Latest pacts for provider with the specified tag",
        ),
    );
    add(
        "pb:provider-pacts-with-tag",
        t(
            "/pacts/provider/{provider}/tag/{tag}",
            "All pact versions for the provider with the specified consumer version tag",
        ),
    );
    add(
        "pb:provider-pacts",
        t(
            "/pacts/provider/{provider}",
            "All pact versions for the specified provider",
        ),
    );
    add(
        "pb:latest-version",
        t(
            "/pacticipants/{pacticipant}/latest-version",
            "Latest pacticipant version",
        ),
    );
    add(
        "pb:latest-tagged-version",
        t(
            "/pacticipants/{pacticipant}/latest-version/{tag}",
            "Latest pacticipant version with the specified tag",
        ),
    );
    add("pb:webhooks", f("/webhooks", "Webhooks"));
    add("pb:webhook", t("/webhooks/{uuid}", "Webhook"));
    add("pb:integrations", f("/integrations", "Integrations"));
    add(
        "pb:pacticipant-version-tag",
        t(
            "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
            "Get, create or delete a tag for a pacticipant version",
        ),
    );
    add(
        "pb:pacticipant-branch",
        t(
            "/pacticipants/{pacticipant}/branches/{branch}",
            "Get or delete a pacticipant branch",
        ),
    );
    add(
        "pb:pacticipant-branch-version",
        t(
            "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
            "Get or add/create a pacticipant version for a branch",
        ),
    );
    add(
        "pb:pacticipant-version",
        t(
            "/pacticipants/{pacticipant}/versions/{version}",
            "Get, create or delete a pacticipant version",
        ),
    );
    add(
        "pb:metrics",
        json!({"href": ctx.url("/metrics"), "title": "Get Pact Broker metrics"}),
    );
    add("pb:can-i-deploy-pacticipant-version-to-tag", t("/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}", "Determine if an application version can be safely deployed to an environment identified by the given tag"));
    add(
        "pb:can-i-deploy-pacticipant-version-to-environment",
        t(
            "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
            "Determine if an application version can be safely deployed to an environment",
        ),
    );
    add(
        "pb:provider-pacts-for-verification",
        t(
            "/pacts/provider/{provider}/for-verification",
            "Pact versions to be verified for the specified provider",
        ),
    );
    add(
        "beta:provider-pacts-for-verification",
        json!({"name": "beta", "href": ctx.url("/pacts/provider/{provider}/for-verification"), "title": "DEPRECATED - please use pb:provider-pacts-for-verification", "templated": true}),
    );
    add("pb:environments", f("/environments", "Environments"));
    add("pb:environment", t("/environments/{uuid}", "Environment"));
    add(
        "curies",
        json!([
            {"name": "pb", "href": ctx.url("/doc/{rel}?context=index"), "templated": true},
            {"name": "beta", "href": ctx.url("/doc/{rel}?context=index"), "templated": true}
        ]),
    );
    json!({ "_links": links })
}
