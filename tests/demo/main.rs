//! The README's first command, as a test: `pactline-demo` runs the whole loop on the embedded
//! broker with the real binaries (stand-ins only for GitHub and the provider service) and must
//! end with the compatible change deployed and the breaking one blocked.

use pactline_e2e::bin;
use std::process::Command;

#[test]
fn the_demo_runs_the_whole_loop_and_blocks_the_breaking_change() {
    let out = Command::new(bin("pactline-demo"))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CARGO")
        .output()
        .expect("running pactline-demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the demo failed:\n{stdout}\n{stderr}");
    for expected in [
        "GitHub received repository_dispatch for acme/orders-api",
        "Computer says yes",
        "Recorded deployment of web-app version c0ffee1 to production",
        "Actual map is missing the following keys: currency",
        "Computer says no",
        "The loop ran: the compatible change was verified and deployed, the breaking one was blocked.",
    ] {
        assert!(stdout.contains(expected), "missing `{expected}` in:\n{stdout}");
    }
    // The GitHub token the broker holds never shows.
    assert!(!stdout.contains("demo-token-kept-by-the-broker"));
}
