//! Every route, in one place, grouped by what uses it (the real broker's `api.rb`).

use crate::broker::Broker;
use crate::error::ApiError;
use crate::handlers::*;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use std::sync::Arc;

/// The version of the real Pact Broker whose API this server implements.
pub const COMPATIBLE_BROKER_VERSION: &str = "2.120.0";

pub fn router(broker: Arc<Broker>) -> Router {
    let r = Router::new()
        .route("/", get(index::index))
        // Publishing
        .route("/contracts/publish", post(publish::publish_contracts))
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
            get(pacts::get_by_version)
                .put(pacts::put_pact)
                .patch(pacts::patch_pact)
                .delete(pacts::delete_pact),
        )
        // Pacts
        .route("/pacts/latest", get(pacts::latest_pacts))
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}",
            get(pacts::get_by_sha),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}",
            get(pacts::get_by_sha_with_metadata),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/latest",
            get(pacts::get_latest),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/latest/{tag}",
            get(pacts::get_latest_tagged),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest",
            get(pacts::get_latest_for_branch),
        )
        .route(
            "/pacts/provider/{provider}/branch/latest",
            get(pacts::latest_provider_pacts_for_main_branch),
        )
        .route(
            "/pacts/provider/{provider}/branch/{branch}/latest",
            get(pacts::latest_provider_pacts_for_branch),
        )
        .route("/pacts/provider/{provider}/latest", get(pacts::latest_provider_pacts))
        .route(
            "/pacts/provider/{provider}/latest/{tag}",
            get(pacts::latest_provider_pacts_tagged),
        )
        .route(
            "/pacts/provider/{provider}/for-verification",
            get(for_verification::get).post(for_verification::post),
        )
        // Verification results
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results",
            post(verifications::publish),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}/verification-results",
            post(verifications::publish_with_metadata),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results/{number}",
            get(verifications::get),
        )
        // Badges
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/latest/badge",
            get(badges::pact_badge),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/latest/badge.svg",
            get(badges::pact_badge),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/latest/{tag}/badge",
            get(badges::tagged_pact_badge),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/latest/{tag}/badge.svg",
            get(badges::tagged_pact_badge),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}/badge",
            get(badges::can_i_deploy_badge),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}/badge.svg",
            get(badges::can_i_deploy_badge),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}/badge",
            get(badges::can_i_deploy_branch_badge),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}/badge.svg",
            get(badges::can_i_deploy_branch_badge),
        )
        // Pacticipants, versions, branches, tags
        .route(
            "/pacticipants",
            get(pacticipants::list).post(pacticipants::create),
        )
        .route(
            "/pacticipants/{pacticipant}",
            get(pacticipants::get)
                .patch(pacticipants::patch)
                .put(pacticipants::put)
                .delete(pacticipants::delete),
        )
        .route("/pacticipants/{pacticipant}/versions", get(versions::list))
        .route(
            "/pacticipants/{pacticipant}/versions/{version}",
            get(versions::get)
                .put(versions::put)
                .patch(versions::patch)
                .delete(versions::delete),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version",
            get(versions::latest),
        )
        .route(
            "/pacticipants/{pacticipant}/latest-version/{tag}",
            get(versions::latest_tagged),
        )
        .route(
            "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
            put(versions::put_tag)
                .get(versions::get_tag)
                .delete(versions::delete_tag),
        )
        .route("/pacticipants/{pacticipant}/branches", get(versions::branches))
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}",
            get(versions::get_branch).delete(versions::delete_branch),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/latest-version",
            get(versions::branch_latest_version),
        )
        .route(
            "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
            put(versions::put_branch_version)
                .get(versions::get_branch_version)
                .delete(versions::delete_branch_version),
        )
        // Webhooks, their deliveries, and the secrets they use
        .route("/webhooks", get(webhooks::index).post(webhooks::post))
        .route("/webhooks/execute", post(webhooks::execute_unsaved))
        .route(
            "/webhooks/{uuid}",
            get(webhooks::get).put(webhooks::put).delete(webhooks::delete),
        )
        .route("/webhooks/{uuid}/execute", post(webhooks::execute))
        .route(
            "/webhooks/provider/{provider}/consumer/{consumer}",
            get(webhooks::for_pair).post(webhooks::post_for_pair),
        )
        .route(
            "/webhooks/provider/{provider}",
            get(webhooks::for_provider).post(webhooks::post_for_provider),
        )
        .route(
            "/webhooks/consumer/{consumer}",
            get(webhooks::for_consumer).post(webhooks::post_for_consumer),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/webhooks",
            get(webhooks::for_pact),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/webhooks/status",
            get(webhooks::status),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/version/{version}/triggered-webhooks",
            get(webhooks::triggered_for_pact),
        )
        .route(
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results/{number}/triggered-webhooks",
            get(webhooks::triggered_for_verification),
        )
        .route("/triggered-webhooks/{uuid}/logs", get(webhooks::logs))
        .route("/secrets", get(webhooks::list_secrets).post(webhooks::create_secret))
        .route("/secrets/{uuid}", axum::routing::delete(webhooks::delete_secret))
        // Matrix and can-i-deploy
        .route("/matrix", get(matrix::matrix))
        .route("/can-i-deploy", get(matrix::can_i_deploy))
        // Environments, deployments, releases
        .route(
            "/environments",
            get(environments::list).post(environments::create),
        )
        .route(
            "/environments/{uuid}",
            get(environments::get)
                .put(environments::put)
                .delete(environments::delete),
        )
        .route(
            "/environments/{uuid}/deployed-versions/currently-deployed",
            get(deployments::currently_deployed),
        )
        .route(
            "/environments/{uuid}/released-versions/currently-supported",
            get(deployments::currently_supported),
        )
        .route(
            "/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{uuid}",
            get(deployments::deployed_for_version).post(deployments::record_deployment),
        )
        .route(
            "/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{uuid}",
            get(deployments::released_for_version).post(deployments::record_release),
        )
        .route(
            "/deployed-versions/{uuid}",
            get(deployments::get_deployed).patch(deployments::patch_deployed),
        )
        .route(
            "/released-versions/{uuid}",
            get(deployments::get_released).patch(deployments::patch_released),
        );

    #[cfg(feature = "provider-states")]
    let r = if broker.config.enable_provider_states {
        r.route("/__pactline/provider-states", post(provider_states::setup))
    } else {
        r
    };

    r.fallback(|| async { ApiError::NoRoute })
        .layer(middleware::from_fn_with_state(broker.clone(), authenticate))
        .layer(middleware::from_fn(common_headers))
        .with_state(broker)
}

async fn authenticate(State(broker): State<Arc<Broker>>, req: Request, next: Next) -> Response {
    if let Err(e) = broker
        .config
        .auth
        .check(req.method(), req.uri().path(), req.headers())
    {
        return e.into_response();
    }
    next.run(req).await
}

async fn common_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-pact-broker-version",
        HeaderValue::from_static(COMPATIBLE_BROKER_VERSION),
    );
    h.insert("vary", HeaderValue::from_static("Accept"));
    res
}
