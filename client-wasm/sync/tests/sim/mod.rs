//! Simulated relays (`relays.rs`), in memory, and a driver that runs a device's round
//! against them. Shared by the proptest (`simulated.rs`) and
//! the saved-state fixture test (`saved_state.rs`). Every state a round saves is checked
//! against the first screen's reader (`view.rs`). Their contents serialise, so a fixture
//! can hold a whole world: relays and the devices' saved states.
#![allow(dead_code, unused_imports)]

pub mod devices;
pub mod invariants;
mod newcomer;
mod newer;
mod relays;
pub mod scan;
pub mod schedule;
mod shortcuts;
mod view;

pub use newcomer::{
    alice_answers, alice_with_history_and_dave_announced, aside_bytes, round_with,
    round_withholding, share_of,
};
pub use newer::{acked_anywhere, acked_share, all_shares, put_raw_batch, socket};

pub use relays::{Lie, Share, SimRelay};
pub use shortcuts::{RoundAt, pair, round, round_on_relay_clocks, settings, spend, trio};
pub use view::assert_view_agrees;

use gfms_sync::{Group, HttpRequest, Outcome, Round, Step, SyncReport};

/// Relay `i`'s URL.
pub fn url(i: usize) -> String {
    format!("http://relay{i}.test")
}

/// Which relay a request goes to.
pub fn relay_index(r: &HttpRequest) -> Option<usize> {
    (0..10).find(|i| r.url.starts_with(&format!("{}/", url(*i))))
}

/// What a test does with each step of a round.
pub enum Act {
    /// Carry the request to its relay.
    Send,
    /// Lossy relay: carry it, let the relay apply it, and lose the response.
    Lose,
    /// Answer it with this outcome instead.
    Answer(Outcome),
    /// Stop the round here (a crash): nothing after this is sent or saved.
    Crash,
}

/// How a round ended.
pub enum Ended {
    Done(SyncReport),
    Crashed,
}

/// Runs one round of `group` against `relays`. `persist` is called at each save point;
/// `choose` decides about each request (in the order the round gives them).
pub fn run_round(
    group: &mut Group,
    relays: &mut [SimRelay],
    now_ms: u64,
    persist: &mut dyn FnMut(&Group),
    choose: &mut dyn FnMut(&HttpRequest) -> Act,
) -> Ended {
    run_round_with(
        group,
        relays,
        now_ms,
        &mut |g| {
            persist(g);
            true
        },
        choose,
    )
}

/// Like [`run_round`], but `persist` may crash the device at a save point (return
/// false: it stops there, unsaved).
pub fn run_round_with(
    group: &mut Group,
    relays: &mut [SimRelay],
    now_ms: u64,
    persist: &mut dyn FnMut(&Group) -> bool,
    choose: &mut dyn FnMut(&HttpRequest) -> Act,
) -> Ended {
    let mut round = Round::new(group, now_ms);
    loop {
        match round.next(group) {
            Step::Persist => {
                if !persist(group) {
                    return Ended::Crashed;
                }
                assert_view_agrees(group);
                round.persisted();
            }
            Step::Done(report) => return Ended::Done(report),
            Step::Requests(reqs) => {
                for r in reqs {
                    let act = choose(&r);
                    let outcome = match act {
                        Act::Crash => return Ended::Crashed,
                        Act::Answer(o) => o,
                        Act::Send | Act::Lose => {
                            let o = match relay_index(&r).and_then(|i| relays.get_mut(i)) {
                                Some(relay) => relay.handle(&r),
                                None => Outcome::Failed("no such host".into()),
                            };
                            match act {
                                Act::Lose => Outcome::Failed("response lost".into()),
                                _ => o,
                            }
                        }
                    };
                    round.handle(group, r.id, outcome);
                }
            }
        }
    }
}

/// The signature the device whose saved state is `saved` puts on an event's text (what
/// a newer version of this device would write; the harness reads its private keys).
pub fn sign_as(saved: &str, text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(saved).expect("a saved state");
    let keys: gfms_identity::DeviceKeys =
        serde_json::from_value(v["member_keys"]["device"].clone()).expect("device keys");
    let context = gfms_identity::GroupContext::from_base64url(
        v["member_keys"]["context"].as_str().expect("a context"),
    )
    .expect("a context");
    let me: gfms_ledger::MemberId = serde_json::from_value(v["me"].clone()).expect("me");
    keys.sign_event(&context, &me.0, text)
        .signature()
        .expect("signed")
        .to_string()
}

/// Which relay a URL is.
pub fn relay_index_of(relay_url: &str) -> Option<usize> {
    (0..10).find(|i| relay_url == url(*i))
}
