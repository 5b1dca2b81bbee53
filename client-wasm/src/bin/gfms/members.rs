//! Members by name only (placeholders) and claiming them.

use std::path::{Path, PathBuf};

use gfms_ledger::{MemberId, State, add_placeholder, claim_placeholder};
use gfms_sync::Group;

use crate::{Result, err};

/// The file a `group join --as NAME` leaves for the first sync that brings the history.
fn claim_file(state_dir: &Path) -> PathBuf {
    state_dir.join("claim-as")
}

/// Adds `name` as a placeholder.
pub fn add(group: &mut Group, name: &str, now: u64) -> Result<()> {
    let body = add_placeholder(group.state(), name).map_err(err)?;
    group.append(body, now).map_err(err)?;
    Ok(())
}

/// The unclaimed placeholder called `name` (case-insensitive).
fn placeholder(state: &State, name: &str) -> Option<MemberId> {
    let want = name.trim().to_lowercase();
    let found: Vec<MemberId> = state
        .active_members()
        .filter(|(_, m)| m.placeholder && m.name.trim().to_lowercase() == want)
        .map(|(id, _)| *id)
        .collect();
    (found.len() == 1).then(|| found[0])
}

/// This device's member claims the placeholder called `name`.
pub fn claim(group: &mut Group, name: &str, now: u64) -> Result<()> {
    let me = group.me();
    let state = group.state();
    let p = placeholder(state, name).ok_or_else(|| {
        format!("no unclaimed member added by the name {name:?} (see `gfms members`)")
    })?;
    let body = claim_placeholder(state, p, me).map_err(err)?;
    group.append(body, now).map_err(err)?;
    Ok(())
}

/// Remembers to claim `name` once the history has arrived.
pub fn claim_later(state_dir: &Path, name: &str) -> Result<()> {
    std::fs::write(claim_file(state_dir), name.trim()).map_err(err)
}

/// After a sync: makes the claim a `group join --as` left, if the history has arrived;
/// returns whether the group changed.
pub fn pending_claim(state_dir: &Path, group: &mut Group, now: u64) -> Result<bool> {
    let file = claim_file(state_dir);
    let Ok(name) = std::fs::read_to_string(&file) else {
        return Ok(false);
    };
    if group.state().settings.is_none() {
        return Ok(false);
    }
    let done = claim(group, &name, now);
    std::fs::remove_file(&file).map_err(err)?;
    match done {
        Ok(()) => {
            crate::out::say!("you are {name} in this group now; it goes out with the next sync");
            Ok(true)
        }
        Err(e) => Err(format!("could not claim {name:?}: {e}")),
    }
}
