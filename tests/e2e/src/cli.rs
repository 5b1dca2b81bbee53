//! The `gfms` binary as a terminal user runs it: built first (`make cli`; tests/run.sh
//! does it), run with `--state DIR` and arguments.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The debug `gfms` binary of this checkout (or of `CARGO_TARGET_DIR`).
pub fn bin() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let bin = target.join("debug/gfms");
    assert!(
        bin.is_file(),
        "{} is missing: run `make cli` first",
        bin.display()
    );
    bin
}

/// Runs `gfms --state STATE args…` as it is, success or not.
pub fn run(state: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--state")
        .arg(state)
        .args(args)
        .output()
        .expect("run gfms")
}

/// Runs `gfms`, which must succeed; its stdout and stderr.
pub fn ok_with_stderr(state: &Path, args: &[&str]) -> (String, String) {
    let out = run(state, args);
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    );
    assert!(out.status.success(), "gfms {args:?} failed: {stderr}");
    (stdout, stderr)
}

/// Runs `gfms`, which must succeed; its stdout.
pub fn ok(state: &Path, args: &[&str]) -> String {
    ok_with_stderr(state, args).0
}

/// Runs `gfms … --json`-style commands, which must succeed; their stdout as JSON.
pub fn json(state: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(state, args)).expect("JSON output")
}
