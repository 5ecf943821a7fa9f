//! Pact files before anything is sent: find them (files, directories, globs), validate every one, and merge files of the same consumer and provider.
//!
//! Merging follows the broker's rule (`PATCH` of a pact, `pacts/merger.rb`): an interaction
//! or message is identified by its description and provider state(s). The same one in two
//! files is kept once; the same description and state with different content is an error
//! naming both files, since either choice would silently drop a test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pactline_cli::UsageError;
use serde_json::Value;

/// One valid pact file.
#[derive(Debug, Clone)]
pub struct PactFile {
    pub path: PathBuf,
    pub consumer: String,
    pub provider: String,
    pub doc: Value,
}

/// The pact to publish for one consumer/provider pair.
#[derive(Debug, Clone)]
pub struct Merged {
    pub consumer: String,
    pub provider: String,
    pub doc: Value,
    pub files: Vec<PathBuf>,
}

fn has_glob(path: &str) -> bool {
    path.contains(['*', '?', '['])
}

/// The pact files named by `paths`: files as given, `*.json` in directories, glob matches.
///
/// # Errors
///
/// A path that does not exist, a directory without `*.json`, a glob matching nothing.
pub fn collect(paths: &[String]) -> Result<Vec<PathBuf>, UsageError> {
    let mut out: Vec<PathBuf> = Vec::new();
    for raw in paths {
        let normalised = raw.replace('\\', "/");
        let found: Vec<PathBuf> = if has_glob(&normalised) {
            let matches = glob::glob(&normalised).map_err(|e| {
                UsageError::new(format!(
                    "pact path `{raw}` is not a valid glob pattern: {e}"
                ))
            })?;
            let files: Vec<PathBuf> = matches
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            if files.is_empty() {
                return Err(UsageError::new(format!(
                    "pact path `{raw}` matches no files: check the pattern and that the pact tests ran before this step"
                )));
            }
            files
        } else {
            let path = Path::new(&normalised);
            if path.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(|e| {
                        UsageError::new(format!("cannot list pact directory `{raw}`: {e}"))
                    })?
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                    .collect();
                files.sort();
                if files.is_empty() {
                    return Err(UsageError::new(format!(
                        "pact directory `{raw}` has no `*.json` files: check that the pact tests ran before this step"
                    )));
                }
                files
            } else if path.is_file() {
                vec![path.to_path_buf()]
            } else {
                return Err(UsageError::new(format!(
                    "pact file `{raw}` does not exist: check the path (relative to `{}`) and that the pact tests ran before this step",
                    std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default()
                )));
            }
        };
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// Why one file is not a valid pact, or `Ok` with its names.
fn validate(path: &Path) -> Result<PactFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))?;
    if !doc.is_object() {
        return Err("not a pact: the document is not a JSON object".into());
    }
    let name = |role: &str| -> Result<String, String> {
        match doc.get(role).and_then(|p| p.get("name")) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(Value::String(_)) => Err(format!("`{role}.name` is blank")),
            Some(_) => Err(format!("`{role}.name` is not a string")),
            None => Err(format!("`{role}.name` is missing")),
        }
    };
    let consumer = name("consumer")?;
    let provider = name("provider")?;
    let interactions = doc.get("interactions");
    let messages = doc.get("messages");
    let is_array = |v: Option<&Value>| v.is_some_and(Value::is_array);
    if !is_array(interactions) && !is_array(messages) {
        return Err(match (interactions, messages) {
            (Some(_), _) => "`interactions` is not an array".into(),
            (_, Some(_)) => "`messages` is not an array".into(),
            _ => "has no `interactions` or `messages` array".into(),
        });
    }
    Ok(PactFile {
        path: path.to_path_buf(),
        consumer,
        provider,
        doc,
    })
}

/// Loads and validates every file, reporting every invalid one at once.
///
/// # Errors
///
/// One error naming each invalid file and what is wrong with it.
pub fn load_all(files: &[PathBuf]) -> Result<Vec<PactFile>, UsageError> {
    let mut ok = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        match validate(f) {
            Ok(p) => ok.push(p),
            Err(why) => problems.push(format!("pact file `{}`: {why}", f.display())),
        }
    }
    match problems.len() {
        0 => Ok(ok),
        1 => Err(UsageError::new(format!(
            "{}; nothing was published",
            problems[0]
        ))),
        n => Err(UsageError::new(format!(
            "{n} invalid pact files: {}; nothing was published",
            problems.join("; ")
        ))),
    }
}

/// The one consumer all files belong to (a publication is one consumer version).
///
/// # Errors
///
/// Files naming different consumers, each listed with its file.
pub fn single_consumer(pacts: &[PactFile]) -> Result<String, UsageError> {
    let mut by_consumer: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in pacts {
        by_consumer
            .entry(p.consumer.as_str())
            .or_default()
            .push(format!("`{}`", p.path.display()));
    }
    if by_consumer.len() == 1 {
        return Ok(pacts[0].consumer.clone());
    }
    let listed: Vec<String> = by_consumer
        .iter()
        .map(|(c, files)| format!("`{c}` in {}", files.join(", ")))
        .collect();
    Err(UsageError::new(format!(
        "the pact files name {} different consumers ({}): one publication is one consumer version, so publish each consumer's pacts in its own step; nothing was published",
        by_consumer.len(),
        listed.join("; ")
    )))
}

/// The identity of an interaction or message: description and provider state(s).
fn key(item: &Value) -> String {
    let description = item.get("description").cloned().unwrap_or(Value::Null);
    let state = item
        .get("providerStates")
        .or_else(|| item.get("providerState"))
        .cloned()
        .unwrap_or(Value::Null);
    serde_json::json!([description, state]).to_string()
}

fn describe(item: &Value) -> String {
    let d = item
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("(no description)");
    match item
        .get("providerState")
        .and_then(Value::as_str)
        .or_else(|| {
            item.pointer("/providerStates/0/name")
                .and_then(Value::as_str)
        }) {
        Some(s) => format!("`{d}` given `{s}`"),
        None => format!("`{d}`"),
    }
}

/// Merges the files of each consumer/provider pair, in file order.
///
/// # Errors
///
/// The same interaction (description and provider state) with different content in two files.
pub fn merge_pairs(pacts: Vec<PactFile>) -> Result<Vec<Merged>, UsageError> {
    let mut out: Vec<Merged> = Vec::new();
    for p in pacts {
        let Some(m) = out
            .iter_mut()
            .find(|m| m.consumer == p.consumer && m.provider == p.provider)
        else {
            out.push(Merged {
                consumer: p.consumer,
                provider: p.provider,
                doc: p.doc,
                files: vec![p.path],
            });
            continue;
        };
        for field in ["interactions", "messages"] {
            let Some(Value::Array(incoming)) = p.doc.get(field) else {
                continue;
            };
            let target = m
                .doc
                .as_object_mut()
                .expect("validated as an object")
                .entry(field)
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(existing) = target else {
                continue;
            };
            for item in incoming {
                let k = key(item);
                match existing.iter().find(|e| key(e) == k) {
                    Some(e) if e == item => {}
                    Some(_) => {
                        return Err(UsageError::new(format!(
                            "pact files {} and `{}` both have {} for `{}` → `{}` with different content: \
                             rename one or remove the stale file; nothing was published",
                            m.files
                                .iter()
                                .map(|f| format!("`{}`", f.display()))
                                .collect::<Vec<_>>()
                                .join(", "),
                            p.path.display(),
                            describe(item),
                            m.consumer,
                            m.provider
                        )))
                    }
                    None => existing.push(item.clone()),
                }
            }
        }
        m.files.push(p.path);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn pact(consumer: &str, provider: &str, interactions: Value) -> String {
        json!({"consumer":{"name":consumer},"provider":{"name":provider},"interactions":interactions,
               "metadata":{"pactSpecification":{"version":"2.0.0"}}})
        .to_string()
    }

    #[test]
    fn every_invalid_file_is_reported_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let rows = [
            ("broken.json", "{\"consumer\":", "not valid JSON"),
            ("array.json", "[]", "not a JSON object"),
            (
                "noconsumer.json",
                r#"{"provider":{"name":"B"},"interactions":[]}"#,
                "`consumer.name` is missing",
            ),
            (
                "blank.json",
                r#"{"consumer":{"name":" "},"provider":{"name":"B"},"interactions":[]}"#,
                "`consumer.name` is blank",
            ),
            (
                "noprovider.json",
                r#"{"consumer":{"name":"A"},"interactions":[]}"#,
                "`provider.name` is missing",
            ),
            (
                "nointeractions.json",
                r#"{"consumer":{"name":"A"},"provider":{"name":"B"}}"#,
                "no `interactions` or `messages` array",
            ),
            (
                "badinteractions.json",
                r#"{"consumer":{"name":"A"},"provider":{"name":"B"},"interactions":{}}"#,
                "`interactions` is not an array",
            ),
        ];
        for (name, text, want) in rows {
            let p = write(dir.path(), name, text);
            let err = load_all(std::slice::from_ref(&p)).unwrap_err().to_string();
            assert!(err.contains(&format!("`{}`", p.display())), "{err}");
            assert!(err.contains(want), "{name}: {err}");
            assert!(err.ends_with("nothing was published"), "{err}");
        }
        let a = write(dir.path(), "x.json", "nope");
        let b = write(dir.path(), "y.json", "[]");
        let err = load_all(&[a, b]).unwrap_err().to_string();
        assert!(err.starts_with("2 invalid pact files"), "{err}");
    }

    #[test]
    fn messages_pacts_are_valid() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "m.json",
            r#"{"consumer":{"name":"A"},"provider":{"name":"B"},"messages":[]}"#,
        );
        assert_eq!(load_all(&[p]).unwrap()[0].provider, "B");
    }

    #[test]
    fn paths_directories_and_globs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a.json", "{}");
        write(d, "b.json", "{}");
        write(d, "notes.txt", "x");
        let dir_str = d.display().to_string();
        assert_eq!(collect(std::slice::from_ref(&dir_str)).unwrap().len(), 2);
        assert_eq!(collect(&[format!("{dir_str}/*.json")]).unwrap().len(), 2);
        assert_eq!(
            collect(&[format!("{dir_str}/a.json"), format!("{dir_str}/*.json")])
                .unwrap()
                .len(),
            2,
            "deduplicated"
        );
        let err = collect(&[format!("{dir_str}/missing.json")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing.json` does not exist"), "{err}");
        let err = collect(&[format!("{dir_str}/*.yaml")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("matches no files"), "{err}");
        let empty = tempfile::tempdir().unwrap();
        let err = collect(&[empty.path().display().to_string()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("has no `*.json` files"), "{err}");
    }

    #[test]
    fn files_must_share_one_consumer() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a.json", &pact("Web", "API", json!([])));
        let b = write(dir.path(), "b.json", &pact("Mobile", "API", json!([])));
        let pacts = load_all(&[a, b]).unwrap();
        let err = single_consumer(&pacts).unwrap_err().to_string();
        assert!(
            err.contains("`Web` in `") && err.contains("`Mobile` in `"),
            "{err}"
        );
    }

    #[test]
    fn same_pair_files_merge_by_description_and_state() {
        let dir = tempfile::tempdir().unwrap();
        let i1 = json!({"description":"get","providerState":"exists","request":{"method":"GET","path":"/a"},"response":{"status":200}});
        let i2 = json!({"description":"get","providerState":"missing","request":{"method":"GET","path":"/a"},"response":{"status":404}});
        let i3 = json!({"description":"post","request":{"method":"POST","path":"/a"},"response":{"status":201}});
        let a = write(dir.path(), "a.json", &pact("Web", "API", json!([i1, i2])));
        let b = write(dir.path(), "b.json", &pact("Web", "API", json!([i2, i3])));
        let c = write(dir.path(), "c.json", &pact("Web", "Other", json!([i3])));
        let merged = merge_pairs(load_all(&[a, b, c]).unwrap()).unwrap();
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].doc["interactions"].as_array().unwrap().len(), 3);
        assert_eq!(merged[0].files.len(), 2);
        assert_eq!(merged[1].provider, "Other");
    }

    #[test]
    fn conflicting_duplicates_name_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let i1 = json!({"description":"get","providerState":"exists","request":{"method":"GET","path":"/a"},"response":{"status":200}});
        let i1b = json!({"description":"get","providerState":"exists","request":{"method":"GET","path":"/b"},"response":{"status":200}});
        let a = write(dir.path(), "a.json", &pact("Web", "API", json!([i1])));
        let b = write(dir.path(), "b.json", &pact("Web", "API", json!([i1b])));
        let err = merge_pairs(load_all(&[a, b]).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("a.json`") && err.contains("b.json`"), "{err}");
        assert!(err.contains("`get` given `exists`"), "{err}");
    }
}
