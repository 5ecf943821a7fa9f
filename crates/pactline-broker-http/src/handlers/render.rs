//! Bodies shared by several resources, shaped as the real broker's decorators.

use super::Ctx;
use crate::hal::{date, link, named, templated, titled};
use pactline_broker_api::paths;
use pactline_broker_domain::*;
use serde_json::{json, Map, Value};

pub fn version_link(ctx: &Ctx, pacticipant: &str, number: &str) -> Value {
    named(
        ctx.url(&paths::version(pacticipant, number)),
        "Version",
        number,
    )
}

/// `createdAt`, plus `updatedAt` when it differs.
fn timestamps(m: &mut Map<String, Value>, created: &Time, updated: &Time) {
    m.insert("createdAt".into(), json!(date(created)));
    if updated != created {
        m.insert("updatedAt".into(), json!(date(updated)));
    }
}

pub fn pacticipant(ctx: &Ctx, state: &State, p: &Pacticipant) -> Value {
    let name = &p.name;
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if let Some(d) = &p.display_name {
        m.insert("displayName".into(), json!(d));
    }
    if let Some(u) = &p.repository_url {
        m.insert("repositoryUrl".into(), json!(u));
    }
    if let Some(u) = &p.repository_name {
        m.insert("repositoryName".into(), json!(u));
    }
    if let Some(u) = &p.repository_namespace {
        m.insert("repositoryNamespace".into(), json!(u));
    }
    if let Some(b) = &p.main_branch {
        m.insert("mainBranch".into(), json!(b));
    }
    timestamps(&mut m, &p.created_at, &p.updated_at);
    let mut embedded = Map::new();
    if let Some(v) = state.latest_version_of(p.id) {
        let latest = json!({
            "number": v.number,
            "_links": {"self": version_link(ctx, name, &v.number)}
        });
        embedded.insert("latestVersion".into(), latest.clone());
        // The older relation name, still expected by the Ruby client's contract.
        embedded.insert("latest-version".into(), latest);
    }
    let labels: Vec<Value> = state
        .labels_of(p.id)
        .map(|l| json!({"name": l.name, "_links": {"self": link(ctx.url(&format!("{}/labels/{}", paths::pacticipant(name), paths::encode(&l.name))))}}))
        .collect();
    embedded.insert("labels".into(), json!(labels));
    m.insert("_embedded".into(), Value::Object(embedded));
    let base = ctx.url(&paths::pacticipant(name));
    m.insert(
        "_links".into(),
        json!({
            "self": link(base.clone()),
            "pb:versions": link(ctx.url(&paths::versions(name))),
            "versions": link(ctx.url(&paths::versions(name))),
            "pb:branches": link(ctx.url(&paths::branches(name))),
            "pb:version": templated(format!("{base}/versions/{{version}}"), "Get, create or delete a pacticipant version"),
            "pb:deployed-environments": [],
            "pb:version-tag": templated(format!("{base}/versions/{{version}}/tags/{{tag}}"), &format!("Get, create or delete a tag for a version of {name}")),
            "pb:branch-version": templated(format!("{base}/branches/{{branch}}/versions/{{version}}"), &format!("Get or add/create a version for a branch of {name}")),
            "pb:label": templated(format!("{base}/labels/{{label}}"), &format!("Get, create or delete a label for {name}")),
            "pb:can-i-deploy-badge": templated(format!("{base}/latest-version/{{tag}}/can-i-deploy/to/{{environmentTag}}/badge"), &format!("Can I Deploy {name} badge")),
            "pb:can-i-deploy-branch-to-environment-badge": templated(format!("{base}/branches/{{branch}}/latest-version/can-i-deploy/to-environment/{{environment}}/badge"), &format!("Can I Deploy {name} from branch to environment badge")),
            "curies": [{"name": "pb", "href": ctx.url("/doc/{rel}?context=pacticipant"), "templated": true}]
        }),
    );
    Value::Object(m)
}

pub fn tag(ctx: &Ctx, state: &State, t: &Tag) -> Value {
    let v = state.version(t.version_id);
    let p = state.pacticipant(v.pacticipant_id);
    json!({
        "name": t.name,
        "createdAt": date(&t.created_at),
        "_links": {
            "self": titled(ctx.url(&paths::tag(&p.name, &v.number, &t.name)), "Tag"),
            "pb:version": titled(ctx.url(&paths::version(&p.name, &v.number)), "Version"),
            "pb:pacticipant": titled(ctx.url(&paths::pacticipant(&p.name)), "Pacticipant"),
        }
    })
}

pub fn branch_version(ctx: &Ctx, state: &State, bv: &BranchVersion) -> Value {
    let b = state.branch(bv.branch_id);
    let v = state.version(bv.version_id);
    let p = state.pacticipant(v.pacticipant_id);
    let latest = state.branch_head(b.id).is_some_and(|h| h.id == bv.id);
    json!({
        "name": b.name,
        "latest": latest,
        "createdAt": date(&bv.created_at),
        "_links": {
            "self": titled(ctx.url(&paths::branch_version(&p.name, &b.name, &v.number)), "Branch version"),
            "pb:branch": named(ctx.url(&paths::branch(&p.name, &b.name)), "Branch", &b.name),
            "pb:version": named(ctx.url(&paths::version(&p.name, &v.number)), "Version", &v.number),
        }
    })
}

pub fn environment_summary(ctx: &Ctx, e: &Environment) -> Value {
    let mut m = Map::new();
    m.insert("uuid".into(), json!(e.uuid));
    m.insert("name".into(), json!(e.name));
    if let Some(d) = &e.display_name {
        m.insert("displayName".into(), json!(d));
    }
    m.insert("production".into(), json!(e.production));
    m.insert("createdAt".into(), json!(date(&e.created_at)));
    m.insert(
        "_links".into(),
        json!({"self": named(ctx.url(&paths::environment(&e.uuid)), "Environment", &e.name)}),
    );
    Value::Object(m)
}

pub fn environment(ctx: &Ctx, e: &Environment) -> Value {
    let mut m = Map::new();
    m.insert("uuid".into(), json!(e.uuid));
    m.insert("name".into(), json!(e.name));
    if let Some(d) = &e.display_name {
        m.insert("displayName".into(), json!(d));
    }
    m.insert("production".into(), json!(e.production));
    m.insert(
        "contacts".into(),
        e.contacts.clone().unwrap_or_else(|| json!([])),
    );
    timestamps(&mut m, &e.created_at, &e.updated_at);
    m.insert(
        "_links".into(),
        json!({
            "self": named(ctx.url(&paths::environment(&e.uuid)), "Environment", &e.name),
            "pb:currently-deployed-deployed-versions": titled(ctx.url(&paths::currently_deployed(&e.uuid)), "Versions currently deployed to this environment"),
            "pb:currently-supported-released-versions": titled(ctx.url(&paths::currently_supported(&e.uuid)), "Versions released and supported in this environment"),
            "pb:environments": titled(ctx.url(&paths::environments()), "Environments"),
        }),
    );
    Value::Object(m)
}

fn embedded_version(ctx: &Ctx, state: &State, version_id: Id) -> (Value, Value) {
    let v = state.version(version_id);
    let p = state.pacticipant(v.pacticipant_id);
    (
        json!({"name": p.name, "_links": {"self": link(ctx.url(&paths::pacticipant(&p.name)))}}),
        json!({"number": v.number, "_links": {"self": version_link(ctx, &p.name, &v.number)}}),
    )
}

pub fn deployed_version(ctx: &Ctx, state: &State, d: &DeployedVersion) -> Value {
    let (pacticipant, version) = embedded_version(ctx, state, d.version_id);
    let env = state.environment(d.environment_id);
    let mut m = Map::new();
    m.insert("uuid".into(), json!(d.uuid));
    m.insert("currentlyDeployed".into(), json!(d.undeployed_at.is_none()));
    if let Some(t) = &d.target {
        m.insert("applicationInstance".into(), json!(t));
        m.insert("target".into(), json!(t));
    }
    if let Some(u) = &d.undeployed_at {
        m.insert("undeployedAt".into(), json!(date(u)));
    }
    m.insert("createdAt".into(), json!(date(&d.created_at)));
    m.insert(
        "_embedded".into(),
        json!({"pacticipant": pacticipant, "version": version, "environment": environment_summary(ctx, env)}),
    );
    m.insert(
        "_links".into(),
        json!({"self": link(ctx.url(&paths::deployed_version(&d.uuid)))}),
    );
    Value::Object(m)
}

pub fn released_version(ctx: &Ctx, state: &State, r: &ReleasedVersion) -> Value {
    let (pacticipant, version) = embedded_version(ctx, state, r.version_id);
    let env = state.environment(r.environment_id);
    let mut m = Map::new();
    m.insert("uuid".into(), json!(r.uuid));
    m.insert(
        "currentlySupported".into(),
        json!(r.support_ended_at.is_none()),
    );
    if let Some(u) = &r.support_ended_at {
        m.insert("supportEndedAt".into(), json!(date(u)));
    }
    timestamps(&mut m, &r.created_at, &r.updated_at);
    m.insert(
        "_embedded".into(),
        json!({"pacticipant": pacticipant, "version": version, "environment": environment_summary(ctx, env)}),
    );
    m.insert(
        "_links".into(),
        json!({"self": link(ctx.url(&paths::released_version(&r.uuid)))}),
    );
    Value::Object(m)
}

pub fn version(ctx: &Ctx, state: &State, v: &Version) -> Value {
    let p = state.pacticipant(v.pacticipant_id);
    let name = &p.name;
    let mut m = Map::new();
    m.insert("number".into(), json!(v.number));
    if let Some(b) = &v.build_url {
        m.insert("buildUrl".into(), json!(b));
    }
    timestamps(&mut m, &v.created_at, &v.updated_at);
    let branch_versions: Vec<Value> = state
        .branch_versions_of_version(v.id)
        .map(|bv| branch_version(ctx, state, bv))
        .collect();
    let tags: Vec<Value> = state.tags_of(v.id).map(|t| tag(ctx, state, t)).collect();
    m.insert(
        "_embedded".into(),
        json!({"branchVersions": branch_versions, "branches": branch_versions, "tags": tags}),
    );
    let envs: Vec<&Environment> = state.environments.values().collect();
    let deployed: Vec<Value> = state
        .currently_deployed()
        .filter(|d| d.version_id == v.id)
        .map(|d| {
            let e = state.environment(d.environment_id);
            named(
                ctx.url(&paths::environment(&e.uuid)),
                "Environment",
                &e.name,
            )
        })
        .collect();
    let released: Vec<Value> = state
        .currently_supported()
        .filter(|r| r.version_id == v.id)
        .map(|r| {
            let e = state.environment(r.environment_id);
            named(
                ctx.url(&paths::environment(&e.uuid)),
                "Environment",
                &e.name,
            )
        })
        .collect();
    let record_deployment: Vec<Value> = envs
        .iter()
        .map(|e| json!({"title": format!("Record deployment to {}", e.display_name.as_deref().unwrap_or(&e.name)), "name": e.name, "href": ctx.url(&paths::record_deployment(name, &v.number, &e.uuid))}))
        .collect();
    let record_release: Vec<Value> = envs
        .iter()
        .map(|e| json!({"title": format!("Record release to {}", e.display_name.as_deref().unwrap_or(&e.name)), "name": e.name, "href": ctx.url(&paths::record_release(name, &v.number, &e.uuid))}))
        .collect();
    let self_href = ctx.url(&paths::version(name, &v.number));
    m.insert(
        "_links".into(),
        json!({
            "self": named(self_href.clone(), "Version", &v.number),
            "pb:pacticipant": named(ctx.url(&paths::pacticipant(name)), "Pacticipant", name),
            "pb:tag": templated(format!("{self_href}/tags/{{tag}}"), "Get, create or delete a tag for this pacticipant version"),
            "pb:latest-verification-results-where-pacticipant-is-consumer": titled(format!("{self_href}/latest-verification-results"), "Latest verification results for consumer version"),
            "pb:pact-versions": state.publications_of_consumer_version(v.id).iter().map(|pp| {
                let provider = &state.pacticipant(pp.provider_id).name;
                json!({"title": "Pact", "name": format!("Pact between {name} ({}) and {provider}", v.number), "href": ctx.url(&paths::pact(provider, name, &v.number))})
            }).collect::<Vec<_>>(),
            "pb:deployed-environments": deployed,
            "pb:released-environments": released,
            "pb:record-deployment": record_deployment,
            "pb:record-release": record_release,
            "curies": [{"name": "pb", "href": ctx.url("/doc/{rel}?context=version"), "templated": true}]
        }),
    );
    Value::Object(m)
}

/// A pact body: the stored document with the decorator's keys merged over it.
pub fn pact(ctx: &Ctx, state: &State, publication: &PactPublication, metadata: &str) -> Value {
    let pv = state.pact_version(publication.pact_version_id);
    let consumer = &state.pacticipant(publication.consumer_id).name;
    let provider = &state.pacticipant(publication.provider_id).name;
    let cv = state.version(publication.consumer_version_id);
    let mut doc: Value = serde_json::from_str(&pv.content).unwrap_or_else(|_| json!({}));
    let Some(m) = doc.as_object_mut() else {
        return doc;
    };
    m.insert("createdAt".into(), json!(date(&publication.created_at)));
    let self_href = ctx.url(&paths::pact(provider, consumer, &cv.number));
    let title = format!("Pact between {consumer} ({}) and {provider}", cv.number);
    let latest_verification = state.verifications_of_pact_version(pv.id).next_back();
    let mut links = json!({
        "self": {"title": "Pact", "name": title, "href": self_href},
        "pb:consumer": named(ctx.url(&paths::pacticipant(consumer)), "Consumer", consumer),
        "pb:consumer-version": named(ctx.url(&paths::version(consumer, &cv.number)), "Consumer version", &cv.number),
        "pb:consumer-versions": [named(ctx.url(&paths::version(consumer, &cv.number)), "Consumer version", &cv.number)],
        "pb:provider": named(ctx.url(&paths::pacticipant(provider)), "Provider", provider),
        "pb:pact-version": named(ctx.url(&paths::pact_version(provider, consumer, &pv.sha)), "Pact content version permalink", &pv.sha),
        "pb:latest-pact-version": titled(ctx.url(&paths::latest_pact(provider, consumer, None)), "Latest version of this pact"),
        "pb:all-pact-versions": titled(ctx.url(&format!("/pacts/provider/{}/consumer/{}/versions", paths::encode(provider), paths::encode(consumer))), "All versions of this pact"),
        "pb:latest-untagged-pact-version": titled(ctx.url(&format!("{}/untagged", paths::latest_pact(provider, consumer, None))), "Latest untagged version of this pact"),
        "pb:latest-tagged-pact-version": templated(ctx.url(&format!("{}/{{tag}}", paths::latest_pact(provider, consumer, None))), "Latest tagged version of this pact"),
        "pb:consumer-version-tag": templated(ctx.url(&format!("{}/tags/{{tag}}", paths::version(consumer, &cv.number))), "Tag consumer version"),
        "pb:triggered-webhooks": titled(format!("{self_href}/triggered-webhooks"), "Webhooks triggered by the publication of this pact"),
        "pb:pact-webhooks": titled(ctx.url(&format!("/pacts/provider/{}/consumer/{}/webhooks", paths::encode(provider), paths::encode(consumer))), &format!("Webhooks for the pact between {consumer} and {provider}")),
        "pb:publish-verification-results": titled(ctx.url(&paths::verification_results(provider, consumer, &pv.sha, metadata)), "Publish verification results"),
        "pb:matrix-for-consumer-version": titled(ctx.url(&format!("/matrix/provider/{}/consumer/{}?q[][pacticipant]={}&q[][version]={}&latestby=cvpv", paths::encode(provider), paths::encode(consumer), paths::encode(consumer), paths::encode(&cv.number))), "View matrix rows for the consumer version to which this pact belongs"),
        "curies": [{"name": "pb", "href": ctx.url("/doc/{rel}?context=pact"), "templated": true}]
    });
    if let Some(v) = latest_verification {
        links["pb:latest-verification-results"] = titled(
            ctx.url(&paths::verification_result(
                provider, consumer, &pv.sha, v.number,
            )),
            "Latest verification results",
        );
    }
    m.insert("_links".into(), links);
    doc
}

pub fn verification(ctx: &Ctx, state: &State, v: &Verification) -> Value {
    let pv = state.pact_version(v.pact_version_id);
    let consumer = &state.pacticipant(pv.consumer_id).name;
    let provider = &state.pacticipant(pv.provider_id).name;
    let prov_version = state.version(v.provider_version_id);
    let mut m = Map::new();
    m.insert("providerName".into(), json!(provider));
    m.insert(
        "providerApplicationVersion".into(),
        json!(prov_version.number),
    );
    m.insert("success".into(), json!(v.success));
    m.insert("verificationDate".into(), json!(date(&v.created_at)));
    if let Some(b) = &v.build_url {
        m.insert("buildUrl".into(), json!(b));
    }
    if let Some(t) = &v.test_results {
        m.insert("testResults".into(), t.clone());
    }
    if let Some(by) = &v.verified_by {
        // The broker stores and returns these keys in snake case.
        let client = by.get("clientLanguage");
        m.insert(
            "verifiedBy".into(),
            json!({
                "implementation": by.get("implementation"),
                "version": by.get("version"),
                "client_implementation": client.and_then(|c| c.get("name")),
                "client_test_framework": client.and_then(|c| c.get("testFramework")),
                "client_version": client.and_then(|c| c.get("version")),
            }),
        );
    }
    let cv_number = state
        .publications_of_pact_version(pv.id)
        .next_back()
        .map(|p| state.version(p.consumer_version_id).number.clone())
        .unwrap_or_default();
    m.insert(
        "_links".into(),
        json!({
            "self": titled(ctx.url(&paths::verification_result(provider, consumer, &pv.sha, v.number)), "Verification result"),
            "pb:pact-version": titled(ctx.url(&paths::pact_version(provider, consumer, &pv.sha)), "Pact"),
            "pb:provider-version": named(ctx.url(&paths::version(provider, &prov_version.number)), "Provider version", &prov_version.number),
            "pb:consumer-version": named(ctx.url(&paths::version(consumer, &cv_number)), "Consumer version", &cv_number),
            "pb:triggered-webhooks": titled(format!("{}/triggered-webhooks", ctx.url(&paths::verification_result(provider, consumer, &pv.sha, v.number))), "Webhooks triggered by the publication of this verification result"),
        }),
    );
    Value::Object(m)
}
