//! The broker's SQLite store.
//!
//! SQLite is the record at rest: the broker loads every record into a
//! [`pactline_broker_domain::State`] at start and persists the changes of each write request here,
//! in one transaction, before the request is acknowledged. The database is opened in WAL mode with
//! foreign keys on and an exclusive lock, so two brokers cannot share one file by mistake.

mod migrations;

use chrono::{DateTime, TimeZone, Utc};
use pactline_broker_domain::{model::*, State};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open the database `{path}`: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the database `{path}` is in use by another process (is another pactline-broker running on it?)")]
    Locked { path: PathBuf },
    #[error("the database `{path}` has schema version {found}, newer than this broker knows ({known}); upgrade pactline-broker")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl Error {
    /// Whether the database was busy or locked (a 503 for a request, not a bug).
    pub fn is_busy(&self) -> bool {
        match self {
            Error::Locked { .. } => true,
            Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How hard to flush each commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=NORMAL` in WAL mode: a commit survives a crash of the broker process;
    /// the last commits may be lost on power failure.
    #[default]
    Normal,
    /// `synchronous=FULL`: every commit is flushed to disk before it is acknowledged.
    Full,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

fn ts(t: &Time) -> i64 {
    t.timestamp_millis()
}

fn time(ms: i64) -> Time {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn opt_time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(time)
}

fn json_text(v: &Option<Value>) -> Option<String> {
    v.as_ref().map(|v| v.to_string())
}

fn json_value(s: Option<String>) -> Option<Value> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

impl Store {
    /// Opens (creating if needed) and migrates the database. `:memory:` gives a throwaway one.
    pub fn open(path: impl AsRef<Path>, durability: Durability) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(|source| Error::Open {
            path: path.clone(),
            source,
        })?;
        // A second broker on the same file should fail fast, not wait out the default 5 s.
        conn.busy_timeout(std::time::Duration::from_millis(250))
            .map_err(|source| Error::Open {
                path: path.clone(),
                source,
            })?;
        let memory = path.as_os_str() == ":memory:";
        let sync = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        let pragmas = if memory {
            "PRAGMA foreign_keys = ON;".to_string()
        } else {
            format!(
                "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON;"
            )
        };
        conn.execute_batch(&pragmas).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(ref f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                Error::Locked { path: path.clone() }
            }
            source => Error::Open {
                path: path.clone(),
                source,
            },
        })?;
        let mut store = Store { conn, path };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let known = migrations::MIGRATIONS.len() as i64;
        let found: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.locked_or(e))?;
        if found > known {
            return Err(Error::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        for (i, sql) in migrations::MIGRATIONS
            .iter()
            .enumerate()
            .skip(found as usize)
        {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        Ok(())
    }

    fn locked_or(&self, e: rusqlite::Error) -> Error {
        match e {
            rusqlite::Error::SqliteFailure(ref f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                Error::Locked {
                    path: self.path.clone(),
                }
            }
            e => Error::Sqlite(e),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads every record into a fresh state.
    pub fn load(&self) -> Result<State> {
        let mut state = State::new();
        let c = &self.conn;
        let mut each = |sql: &str, f: &dyn Fn(&Row) -> rusqlite::Result<Change>| -> Result<()> {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt.query_map([], |r| f(r))?;
            for change in rows {
                state.apply(&change?);
            }
            Ok(())
        };
        each("SELECT id, name, display_name, repository_url, repository_name, repository_namespace, main_branch, created_at, updated_at FROM pacticipants ORDER BY id", &|r| {
            Ok(Change::PutPacticipant(Pacticipant {
                id: r.get(0)?,
                name: r.get(1)?,
                display_name: r.get(2)?,
                repository_url: r.get(3)?,
                repository_name: r.get(4)?,
                repository_namespace: r.get(5)?,
                main_branch: r.get(6)?,
                created_at: time(r.get(7)?),
                updated_at: time(r.get(8)?),
            }))
        })?;
        each("SELECT id, pacticipant_id, number, build_url, created_at, updated_at FROM versions ORDER BY id", &|r| {
            Ok(Change::PutVersion(Version {
                id: r.get(0)?,
                pacticipant_id: r.get(1)?,
                number: r.get(2)?,
                build_url: r.get(3)?,
                created_at: time(r.get(4)?),
                updated_at: time(r.get(5)?),
            }))
        })?;
        each(
            "SELECT id, pacticipant_id, name, created_at FROM branches ORDER BY id",
            &|r| {
                Ok(Change::PutBranch(Branch {
                    id: r.get(0)?,
                    pacticipant_id: r.get(1)?,
                    name: r.get(2)?,
                    created_at: time(r.get(3)?),
                }))
            },
        )?;
        each(
            "SELECT id, branch_id, version_id, created_at FROM branch_versions ORDER BY id",
            &|r| {
                Ok(Change::PutBranchVersion(BranchVersion {
                    id: r.get(0)?,
                    branch_id: r.get(1)?,
                    version_id: r.get(2)?,
                    created_at: time(r.get(3)?),
                }))
            },
        )?;
        each(
            "SELECT id, version_id, name, created_at FROM tags ORDER BY id",
            &|r| {
                Ok(Change::PutTag(Tag {
                    id: r.get(0)?,
                    version_id: r.get(1)?,
                    name: r.get(2)?,
                    created_at: time(r.get(3)?),
                }))
            },
        )?;
        each("SELECT id, consumer_id, provider_id, sha, content, created_at FROM pact_versions ORDER BY id", &|r| {
            Ok(Change::PutPactVersion(PactVersion {
                id: r.get(0)?,
                consumer_id: r.get(1)?,
                provider_id: r.get(2)?,
                sha: r.get(3)?,
                content: Arc::from(r.get::<_, String>(4)?),
                created_at: time(r.get(5)?),
            }))
        })?;
        each("SELECT id, consumer_id, provider_id, consumer_version_id, pact_version_id, revision_number, created_at FROM pact_publications ORDER BY id", &|r| {
            Ok(Change::PutPactPublication(PactPublication {
                id: r.get(0)?,
                consumer_id: r.get(1)?,
                provider_id: r.get(2)?,
                consumer_version_id: r.get(3)?,
                pact_version_id: r.get(4)?,
                revision_number: r.get(5)?,
                created_at: time(r.get(6)?),
            }))
        })?;
        each("SELECT id, number, pact_version_id, provider_version_id, success, build_url, test_results, verified_by, wip, pending, consumer_version_selectors, provider_tags, created_at FROM verifications ORDER BY id", &|r| {
            Ok(Change::PutVerification(Verification {
                id: r.get(0)?,
                number: r.get(1)?,
                pact_version_id: r.get(2)?,
                provider_version_id: r.get(3)?,
                success: r.get(4)?,
                build_url: r.get(5)?,
                test_results: json_value(r.get(6)?),
                verified_by: json_value(r.get(7)?),
                wip: r.get(8)?,
                pending: r.get(9)?,
                consumer_version_selectors: json_value(r.get(10)?),
                provider_tags: json_value(r.get(11)?)
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default(),
                created_at: time(r.get(12)?),
            }))
        })?;
        each("SELECT id, uuid, name, display_name, production, contacts, created_at, updated_at FROM environments ORDER BY id", &|r| {
            Ok(Change::PutEnvironment(Environment {
                id: r.get(0)?,
                uuid: r.get(1)?,
                name: r.get(2)?,
                display_name: r.get(3)?,
                production: r.get(4)?,
                contacts: json_value(r.get(5)?),
                created_at: time(r.get(6)?),
                updated_at: time(r.get(7)?),
            }))
        })?;
        each("SELECT id, uuid, pacticipant_id, version_id, environment_id, target, created_at, undeployed_at FROM deployed_versions ORDER BY id", &|r| {
            Ok(Change::PutDeployedVersion(DeployedVersion {
                id: r.get(0)?,
                uuid: r.get(1)?,
                pacticipant_id: r.get(2)?,
                version_id: r.get(3)?,
                environment_id: r.get(4)?,
                target: r.get(5)?,
                created_at: time(r.get(6)?),
                undeployed_at: opt_time(r.get(7)?),
            }))
        })?;
        each("SELECT id, uuid, pacticipant_id, version_id, environment_id, created_at, updated_at, support_ended_at FROM released_versions ORDER BY id", &|r| {
            Ok(Change::PutReleasedVersion(ReleasedVersion {
                id: r.get(0)?,
                uuid: r.get(1)?,
                pacticipant_id: r.get(2)?,
                version_id: r.get(3)?,
                environment_id: r.get(4)?,
                created_at: time(r.get(5)?),
                updated_at: time(r.get(6)?),
                support_ended_at: opt_time(r.get(7)?),
            }))
        })?;
        each(
            "SELECT id, pacticipant_id, name, created_at FROM labels ORDER BY id",
            &|r| {
                Ok(Change::PutLabel(Label {
                    id: r.get(0)?,
                    pacticipant_id: r.get(1)?,
                    name: r.get(2)?,
                    created_at: time(r.get(3)?),
                }))
            },
        )?;
        each("SELECT id, uuid, description, consumer, provider, events, enabled, request, created_at, updated_at FROM webhooks ORDER BY id", &|r| {
            Ok(Change::PutWebhook(Webhook {
                id: r.get(0)?,
                uuid: r.get(1)?,
                description: r.get(2)?,
                consumer: selector_from(r.get(3)?),
                provider: selector_from(r.get(4)?),
                events: json_value(Some(r.get(5)?))
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default(),
                enabled: r.get(6)?,
                request: request_from(&r.get::<_, String>(7)?),
                created_at: time(r.get(8)?),
                updated_at: time(r.get(9)?),
            }))
        })?;
        each("SELECT id, uuid, webhook_id, event_name, params, consumer_id, provider_id, pact_version_id, verification_id, status, attempts_made, next_attempt_at, created_at, updated_at FROM triggered_webhooks ORDER BY id", &|r| {
            Ok(Change::PutTriggeredWebhook(TriggeredWebhook {
                id: r.get(0)?,
                uuid: r.get(1)?,
                webhook_id: r.get(2)?,
                event_name: r.get(3)?,
                params: json_value(Some(r.get(4)?))
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default(),
                consumer_id: r.get(5)?,
                provider_id: r.get(6)?,
                pact_version_id: r.get(7)?,
                verification_id: r.get(8)?,
                status: WebhookStatus::parse(&r.get::<_, String>(9)?),
                attempts_made: r.get(10)?,
                next_attempt_at: opt_time(r.get(11)?),
                created_at: time(r.get(12)?),
                updated_at: time(r.get(13)?),
            }))
        })?;
        each("SELECT id, triggered_webhook_id, success, logs, created_at FROM webhook_executions ORDER BY id", &|r| {
            Ok(Change::PutWebhookExecution(WebhookExecution {
                id: r.get(0)?,
                triggered_webhook_id: r.get(1)?,
                success: r.get(2)?,
                logs: r.get(3)?,
                created_at: time(r.get(4)?),
            }))
        })?;
        each("SELECT id, uuid, name, description, value, created_at, updated_at FROM secrets ORDER BY id", &|r| {
            Ok(Change::PutSecret(Secret {
                id: r.get(0)?,
                uuid: r.get(1)?,
                name: r.get(2)?,
                description: r.get(3)?,
                value: r.get(4)?,
                created_at: time(r.get(5)?),
                updated_at: time(r.get(6)?),
            }))
        })?;
        Ok(state)
    }

    /// Persists the changes of one write, all or nothing.
    pub fn persist(&mut self, changes: &[Change]) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for change in changes {
            apply(&tx, change)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes every record (provider-state set-up for contract verification).
    pub fn clear(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        for table in [
            "labels",
            "released_versions",
            "deployed_versions",
            "environments",
            "verifications",
            "pact_publications",
            "pact_versions",
            "tags",
            "branch_versions",
            "branches",
            "versions",
            "pacticipants",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Number of rows in a table (for tests and diagnostics).
    pub fn count(&self, table: &str) -> Result<i64> {
        let ok = [
            "pacticipants",
            "versions",
            "branches",
            "branch_versions",
            "tags",
            "pact_versions",
            "pact_publications",
            "verifications",
            "environments",
            "deployed_versions",
            "released_versions",
            "labels",
        ];
        if !ok.contains(&table) {
            return Ok(0);
        }
        Ok(self
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }
}

fn selector_text(s: &Option<PacticipantSelector>) -> Option<String> {
    s.as_ref().map(|s| match s {
        PacticipantSelector::Name(n) => serde_json::json!({ "name": n }).to_string(),
        PacticipantSelector::Label(l) => serde_json::json!({ "label": l }).to_string(),
    })
}

fn selector_from(s: Option<String>) -> Option<PacticipantSelector> {
    let v: Value = serde_json::from_str(&s?).ok()?;
    if let Some(n) = v.get("name").and_then(Value::as_str) {
        Some(PacticipantSelector::Name(n.to_string()))
    } else {
        v.get("label")
            .and_then(Value::as_str)
            .map(|l| PacticipantSelector::Label(l.to_string()))
    }
}

fn request_text(r: &WebhookRequest) -> String {
    serde_json::json!({
        "method": r.method,
        "url": r.url,
        "headers": r.headers,
        "body": r.body,
        "username": r.username,
        "password": r.password,
    })
    .to_string()
}

fn request_from(s: &str) -> WebhookRequest {
    let v: Value = serde_json::from_str(s).unwrap_or(Value::Null);
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    WebhookRequest {
        method: text("method").unwrap_or_default(),
        url: text("url").unwrap_or_default(),
        headers: v
            .get("headers")
            .and_then(|h| serde_json::from_value(h.clone()).ok())
            .unwrap_or_default(),
        body: v.get("body").filter(|b| !b.is_null()).cloned(),
        username: text("username"),
        password: text("password"),
    }
}

fn apply(c: &Connection, change: &Change) -> rusqlite::Result<()> {
    match change {
        Change::PutPacticipant(p) => c.prepare_cached(
            "INSERT INTO pacticipants (id, name, display_name, repository_url, repository_name, repository_namespace, main_branch, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, display_name = excluded.display_name,
               repository_url = excluded.repository_url, repository_name = excluded.repository_name,
               repository_namespace = excluded.repository_namespace, main_branch = excluded.main_branch,
               updated_at = excluded.updated_at",
        )?.execute(params![p.id, p.name, p.display_name, p.repository_url, p.repository_name, p.repository_namespace, p.main_branch, ts(&p.created_at), ts(&p.updated_at)]),
        Change::DeletePacticipant(id) => c.prepare_cached("DELETE FROM pacticipants WHERE id = ?1")?.execute([id]),
        Change::PutVersion(v) => c.prepare_cached(
            "INSERT INTO versions (id, pacticipant_id, number, build_url, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET number = excluded.number, build_url = excluded.build_url, updated_at = excluded.updated_at",
        )?.execute(params![v.id, v.pacticipant_id, v.number, v.build_url, ts(&v.created_at), ts(&v.updated_at)]),
        Change::DeleteVersion(id) => c.prepare_cached("DELETE FROM versions WHERE id = ?1")?.execute([id]),
        Change::PutBranch(b) => c.prepare_cached(
            "INSERT INTO branches (id, pacticipant_id, name, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name",
        )?.execute(params![b.id, b.pacticipant_id, b.name, ts(&b.created_at)]),
        Change::DeleteBranch(id) => c.prepare_cached("DELETE FROM branches WHERE id = ?1")?.execute([id]),
        Change::PutBranchVersion(bv) => c.prepare_cached(
            "INSERT INTO branch_versions (id, branch_id, version_id, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO NOTHING",
        )?.execute(params![bv.id, bv.branch_id, bv.version_id, ts(&bv.created_at)]),
        Change::DeleteBranchVersion(id) => c.prepare_cached("DELETE FROM branch_versions WHERE id = ?1")?.execute([id]),
        Change::PutTag(t) => c.prepare_cached(
            "INSERT INTO tags (id, version_id, name, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO NOTHING",
        )?.execute(params![t.id, t.version_id, t.name, ts(&t.created_at)]),
        Change::DeleteTag(id) => c.prepare_cached("DELETE FROM tags WHERE id = ?1")?.execute([id]),
        Change::PutPactVersion(pv) => c.prepare_cached(
            "INSERT INTO pact_versions (id, consumer_id, provider_id, sha, content, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO NOTHING",
        )?.execute(params![pv.id, pv.consumer_id, pv.provider_id, pv.sha, &*pv.content, ts(&pv.created_at)]),
        Change::PutPactPublication(p) => c.prepare_cached(
            "INSERT INTO pact_publications (id, consumer_id, provider_id, consumer_version_id, pact_version_id, revision_number, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET pact_version_id = excluded.pact_version_id, revision_number = excluded.revision_number",
        )?.execute(params![p.id, p.consumer_id, p.provider_id, p.consumer_version_id, p.pact_version_id, p.revision_number, ts(&p.created_at)]),
        Change::DeletePactPublication(id) => c.prepare_cached("DELETE FROM pact_publications WHERE id = ?1")?.execute([id]),
        Change::PutVerification(v) => c.prepare_cached(
            "INSERT INTO verifications (id, number, pact_version_id, provider_version_id, success, build_url, test_results, verified_by, wip, pending, consumer_version_selectors, provider_tags, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT(id) DO NOTHING",
        )?.execute(params![
            v.id, v.number, v.pact_version_id, v.provider_version_id, v.success, v.build_url,
            json_text(&v.test_results), json_text(&v.verified_by), v.wip, v.pending,
            json_text(&v.consumer_version_selectors), serde_json::to_string(&v.provider_tags).unwrap_or_default(), ts(&v.created_at)
        ]),
        Change::PutEnvironment(e) => c.prepare_cached(
            "INSERT INTO environments (id, uuid, name, display_name, production, contacts, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, display_name = excluded.display_name,
               production = excluded.production, contacts = excluded.contacts, updated_at = excluded.updated_at",
        )?.execute(params![e.id, e.uuid, e.name, e.display_name, e.production, json_text(&e.contacts), ts(&e.created_at), ts(&e.updated_at)]),
        Change::DeleteEnvironment(id) => c.prepare_cached("DELETE FROM environments WHERE id = ?1")?.execute([id]),
        Change::PutDeployedVersion(d) => c.prepare_cached(
            "INSERT INTO deployed_versions (id, uuid, pacticipant_id, version_id, environment_id, target, created_at, undeployed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET undeployed_at = excluded.undeployed_at",
        )?.execute(params![d.id, d.uuid, d.pacticipant_id, d.version_id, d.environment_id, d.target, ts(&d.created_at), d.undeployed_at.as_ref().map(ts)]),
        Change::PutReleasedVersion(r) => c.prepare_cached(
            "INSERT INTO released_versions (id, uuid, pacticipant_id, version_id, environment_id, created_at, updated_at, support_ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, support_ended_at = excluded.support_ended_at",
        )?.execute(params![r.id, r.uuid, r.pacticipant_id, r.version_id, r.environment_id, ts(&r.created_at), ts(&r.updated_at), r.support_ended_at.as_ref().map(ts)]),
        Change::PutLabel(l) => c.prepare_cached(
            "INSERT INTO labels (id, pacticipant_id, name, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO NOTHING",
        )?.execute(params![l.id, l.pacticipant_id, l.name, ts(&l.created_at)]),
        Change::DeleteLabel(id) => c.prepare_cached("DELETE FROM labels WHERE id = ?1")?.execute([id]),
        Change::PutWebhook(w) => c.prepare_cached(
            "INSERT INTO webhooks (id, uuid, description, consumer, provider, events, enabled, request, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(id) DO UPDATE SET description = excluded.description, consumer = excluded.consumer,
               provider = excluded.provider, events = excluded.events, enabled = excluded.enabled,
               request = excluded.request, updated_at = excluded.updated_at",
        )?.execute(params![
            w.id, w.uuid, w.description, selector_text(&w.consumer), selector_text(&w.provider),
            serde_json::to_string(&w.events).unwrap_or_default(), w.enabled, request_text(&w.request),
            ts(&w.created_at), ts(&w.updated_at)
        ]),
        Change::DeleteWebhook(id) => c.prepare_cached("DELETE FROM webhooks WHERE id = ?1")?.execute([id]),
        Change::PutTriggeredWebhook(t) => c.prepare_cached(
            "INSERT INTO triggered_webhooks (id, uuid, webhook_id, event_name, params, consumer_id, provider_id, pact_version_id, verification_id, status, attempts_made, next_attempt_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT(id) DO UPDATE SET status = excluded.status, attempts_made = excluded.attempts_made,
               next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at",
        )?.execute(params![
            t.id, t.uuid, t.webhook_id, t.event_name, serde_json::to_string(&t.params).unwrap_or_default(),
            t.consumer_id, t.provider_id, t.pact_version_id, t.verification_id, t.status.as_str(),
            t.attempts_made, t.next_attempt_at.as_ref().map(ts), ts(&t.created_at), ts(&t.updated_at)
        ]),
        Change::PutWebhookExecution(e) => c.prepare_cached(
            "INSERT INTO webhook_executions (id, triggered_webhook_id, success, logs, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO NOTHING",
        )?.execute(params![e.id, e.triggered_webhook_id, e.success, e.logs, ts(&e.created_at)]),
        Change::PutSecret(sec) => c.prepare_cached(
            "INSERT INTO secrets (id, uuid, name, description, value, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
               value = excluded.value, updated_at = excluded.updated_at",
        )?.execute(params![sec.id, sec.uuid, sec.name, sec.description, sec.value, ts(&sec.created_at), ts(&sec.updated_at)]),
        Change::DeleteSecret(id) => c.prepare_cached("DELETE FROM secrets WHERE id = ?1")?.execute([id]),
    }
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pactline_broker_domain::builder::TestData;

    fn build(state: &mut State) -> Vec<Change> {
        let mut td = TestData::new(state);
        td.branch("Foo", "1", "main").tag("Foo", "1", "prod");
        td.publish("Foo", "1", "Bar");
        td.verify("Foo", "1", "Bar", "10", true);
        td.deploy("Bar", "10", "production");
        td.release("Foo", "1", "production");
        td.take_journal()
    }

    #[test]
    fn a_reloaded_store_gives_the_same_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broker.db");
        let mut state = State::new();
        let journal = build(&mut state);
        {
            let mut store = Store::open(&path, Durability::Normal).unwrap();
            store.persist(&journal).unwrap();
        }
        let store = Store::open(&path, Durability::Normal).unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.pacticipants, state.pacticipants);
        assert_eq!(loaded.versions, state.versions);
        assert_eq!(loaded.pact_versions, state.pact_versions);
        assert_eq!(loaded.verifications.len(), 1);
        assert_eq!(loaded.deployed_versions, state.deployed_versions);
        assert_eq!(loaded.released_versions, state.released_versions);
        assert_eq!(loaded.branch_versions, state.branch_versions);
        assert_eq!(loaded.tags, state.tags);
    }

    #[test]
    fn deletes_cascade_like_the_state() {
        let mut state = State::new();
        let journal = build(&mut state);
        let mut store = Store::open(":memory:", Durability::Normal).unwrap();
        store.persist(&journal).unwrap();
        let foo = state.pacticipant_by_name("Foo").unwrap().id;
        let delete = Change::DeletePacticipant(foo);
        state.apply(&delete);
        store.persist(&[delete]).unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.versions.len(), state.versions.len());
        assert_eq!(loaded.pact_publications.len(), 0);
        assert_eq!(loaded.verifications.len(), 0);
        assert_eq!(loaded.released_versions.len(), 0);
    }

    #[test]
    fn a_second_broker_on_the_same_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broker.db");
        let _first = Store::open(&path, Durability::Normal).unwrap();
        let second = Store::open(&path, Durability::Normal);
        assert!(
            matches!(second, Err(Error::Locked { .. })),
            "{:?}",
            second.err()
        );
    }
}
