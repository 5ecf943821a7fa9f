//! The example workflows use the repository's actions as they are: every `with:` input a step
//! passes to `./actions/<name>` is declared in that action's `action.yml`, and every required
//! input is passed. (Schema validation and actionlint run in `scripts/lint-actions.sh`.)

use pactline_e2e::workspace_root;
use serde_json::Value;
use std::collections::BTreeSet;

fn yaml(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_input_the_examples_pass_exists_in_the_action() {
    let root = workspace_root();
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("workflows-examples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "the four example workflows are there");
    for file in &files {
        let wf = yaml(file);
        for (job, body) in wf["jobs"].as_object().unwrap() {
            for step in body["steps"].as_array().into_iter().flatten() {
                let Some(action) = step["uses"]
                    .as_str()
                    .and_then(|u| u.strip_prefix("./actions/"))
                else {
                    continue;
                };
                let manifest = yaml(&root.join("actions").join(action).join("action.yml"));
                let inputs = manifest["inputs"].as_object().cloned().unwrap_or_default();
                let given: BTreeSet<String> = step["with"]
                    .as_object()
                    .map(|w| w.keys().cloned().collect())
                    .unwrap_or_default();
                for name in &given {
                    if !inputs.contains_key(name) {
                        problems.push(format!("{}: job `{job}` passes `{name}`, which ./actions/{action} does not declare", file.display()));
                    }
                }
                for (name, spec) in &inputs {
                    if spec["required"].as_bool() == Some(true) && !given.contains(name) {
                        problems.push(format!("{}: job `{job}` does not pass the required `{name}` of ./actions/{action}", file.display()));
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        checked >= 8,
        "the examples use the actions ({checked} steps checked)"
    );
}
