//! What the `gfms` CLI tests share: running the built binary on a state directory.

use std::path::Path;
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
