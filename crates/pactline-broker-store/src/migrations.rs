//! Versioned schema migrations, in code. `PRAGMA user_version` records how many have run.

/// Each entry runs once, in order, inside one transaction with the version bump.
pub const MIGRATIONS: &[&str] = &[
    // 1: the broker's records.
    r#"
    CREATE TABLE pacticipants (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT,
        repository_url TEXT,
        repository_name TEXT,
        repository_namespace TEXT,
        main_branch TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        number TEXT NOT NULL,
        build_url TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (pacticipant_id, number)
    );
    CREATE TABLE branches (
        id INTEGER PRIMARY KEY,
        pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (pacticipant_id, name)
    );
    CREATE TABLE branch_versions (
        id INTEGER PRIMARY KEY,
        branch_id INTEGER NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        UNIQUE (branch_id, version_id)
    );
    CREATE INDEX branch_versions_version ON branch_versions(version_id);
    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (version_id, name)
    );
    CREATE TABLE pact_versions (
        id INTEGER PRIMARY KEY,
        consumer_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        provider_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        sha TEXT NOT NULL,
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (consumer_id, provider_id, sha)
    );
    CREATE INDEX pact_versions_provider ON pact_versions(provider_id);
    CREATE TABLE pact_publications (
        id INTEGER PRIMARY KEY,
        consumer_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        provider_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        consumer_version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
        pact_version_id INTEGER NOT NULL REFERENCES pact_versions(id) ON DELETE CASCADE,
        revision_number INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (consumer_version_id, provider_id, revision_number)
    );
    CREATE INDEX pact_publications_provider ON pact_publications(provider_id);
    CREATE INDEX pact_publications_consumer ON pact_publications(consumer_id);
    CREATE INDEX pact_publications_pact_version ON pact_publications(pact_version_id);
    CREATE TABLE verifications (
        id INTEGER PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        pact_version_id INTEGER NOT NULL REFERENCES pact_versions(id) ON DELETE CASCADE,
        provider_version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
        success INTEGER NOT NULL,
        build_url TEXT,
        test_results TEXT,
        verified_by TEXT,
        wip INTEGER NOT NULL,
        pending INTEGER,
        consumer_version_selectors TEXT,
        provider_tags TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX verifications_pact_version ON verifications(pact_version_id);
    CREATE INDEX verifications_provider_version ON verifications(provider_version_id);
    CREATE TABLE environments (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT,
        production INTEGER NOT NULL,
        contacts TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE deployed_versions (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
        environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        target TEXT,
        created_at INTEGER NOT NULL,
        undeployed_at INTEGER
    );
    CREATE INDEX deployed_versions_version ON deployed_versions(version_id);
    CREATE TABLE released_versions (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
        environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        support_ended_at INTEGER
    );
    CREATE INDEX released_versions_version ON released_versions(version_id);
    CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        pacticipant_id INTEGER NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (pacticipant_id, name)
    );
    "#,
    // 2: webhooks, their deliveries and the secrets they may use.
    r#"
    CREATE TABLE webhooks (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        description TEXT,
        consumer TEXT,
        provider TEXT,
        events TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        request TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE triggered_webhooks (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        webhook_id INTEGER NOT NULL,
        event_name TEXT NOT NULL,
        params TEXT NOT NULL,
        consumer_id INTEGER,
        provider_id INTEGER,
        pact_version_id INTEGER,
        verification_id INTEGER,
        status TEXT NOT NULL,
        attempts_made INTEGER NOT NULL,
        next_attempt_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX triggered_webhooks_due ON triggered_webhooks(status, next_attempt_at);
    CREATE TABLE webhook_executions (
        id INTEGER PRIMARY KEY,
        triggered_webhook_id INTEGER NOT NULL REFERENCES triggered_webhooks(id) ON DELETE CASCADE,
        success INTEGER NOT NULL,
        logs TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX webhook_executions_triggered ON webhook_executions(triggered_webhook_id);
    CREATE TABLE secrets (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        description TEXT,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    "#,
];
