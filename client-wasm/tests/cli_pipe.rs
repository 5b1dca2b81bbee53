//! The `gfms` CLI when its reader goes away early (`gfms list --json | head -1`): it must
//! neither panic nor lose the command's work.
#![cfg(all(feature = "cli", not(target_arch = "wasm32")))]

mod common;

use common::gfms;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Hostile environment: the pipe closes after the first line while `gfms` still has
/// well over a pipe buffer (64 KiB) to write.
#[test]
fn closed_pipe_ends_quietly_without_a_panic() {
    let state = std::env::temp_dir().join(format!("gfms-pipe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let relays = "http://127.0.0.1:1,http://127.0.0.1:2";
    let made = gfms(
        &state,
        &[
            "group", "create", "--name", "Trip", "--member", "Alice", "--relays", relays, "--k",
            "2",
        ],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let note = "n".repeat(2000);
    for i in 0..60 {
        let amount = format!("{}.00", i + 1);
        let added = gfms(&state, &["add", "--amount", &amount, "--note", &note]);
        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
    }

    let mut child = Command::new(env!("CARGO_BIN_EXE_gfms"))
        .arg("--state")
        .arg(&state)
        .args(["list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gfms runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut first)
        .expect("a first line");
    // The reader is dropped here: the pipe is closed with most of the output unwritten.
    let done = child.wait_with_output().expect("gfms ends");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(first.trim(), "[");
    assert!(!stderr.contains("panicked"), "gfms panicked: {stderr}");
    assert!(done.status.success(), "exit {:?}: {stderr}", done.status);
    let _ = std::fs::remove_dir_all(&state);
}
