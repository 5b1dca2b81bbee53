//! What the `gfms` CLI tests share: running the built binary on a state directory, and a
//! group on one device whose relays are never reached.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `gfms --state STATE ARGS…` and returns what it printed and how it exited.
pub fn gfms(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gfms"))
        .arg("--state")
        .arg(state)
        .args(args)
        .output()
        .expect("gfms runs")
}

/// Runs a command that must succeed; its stdout.
pub fn ok(state: &Path, args: &[&str]) -> String {
    let out = gfms(state, args);
    assert!(
        out.status.success(),
        "gfms {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a command that must fail; returns stderr, after checking the exit status is 1
/// (refused) or 2 (a usage error, as clap reports it) and nothing panicked.
pub fn fails(state: &Path, args: &[&str]) -> String {
    let out = gfms(state, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "gfms {args:?} should fail: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// Runs a command that must succeed and print JSON.
pub fn json(state: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(state, args)).expect("JSON output")
}

/// A fresh state directory `gfms-{suite}-{tag}-{pid}` holding group `name` created by
/// Alice with `extra` arguments (`--with`, `--currency`, …), on two relays that are
/// never reached.
pub fn offline_group(suite: &str, tag: &str, name: &str, extra: &[&str]) -> PathBuf {
    let state = std::env::temp_dir().join(format!("gfms-{suite}-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let mut args = vec![
        "group",
        "create",
        "--name",
        name,
        "--member",
        "Alice",
        "--relays",
        "http://127.0.0.1:1,http://127.0.0.1:2",
    ];
    args.extend_from_slice(extra);
    ok(&state, &args);
    state
}
