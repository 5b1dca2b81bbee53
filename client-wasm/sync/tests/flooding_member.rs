//! A misbehaving member floods the group with events nobody can check: under authors it
//! made up, signed with keys no card carries, and in Alice's name with signatures that do
//! not verify. A device keeps aside at most `MAX_ASIDE_BYTES` of such events, round after
//! round, and the flood cannot push out a real member's events waiting for their card:
//! a newcomer whose card batch opens rounds late still ends holding every event of the
//! history. Run against the simulated relays.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::collections::BTreeSet;

use gfms_ledger::new_event_id;
use gfms_protocol::ShareId;
use gfms_sync::{Group, Invite, Offered};
use sim::{
    SimRelay, acked_share, alice_answers, alice_with_history_and_dave_announced, all_shares,
    aside_bytes, put_raw_batch, round, round_withholding, socket,
};

/// `MAX_ASIDE_BYTES`.
const BOUND: usize = 512 * 1024;

/// Alice's history: more than fits aside on its own.
const HISTORY: usize = 1_400;

/// Mallory's flood: `count` of Alice's expenses rewritten with new ids, under an author
/// made up for each (`made_up`) or in Alice's name, each with a signature no card
/// verifies; sealed with the group secret in batches of 200 and put at every relay.
/// Each batch's shares: (relay, share id, bytes).
fn flood(
    relays: &mut [SimRelay],
    invite: &Invite,
    alice: &Group,
    count: usize,
    made_up: bool,
    seed: u8,
) -> Vec<Vec<(usize, ShareId, String)>> {
    let texts: Vec<String> = alice
        .ledger()
        .stored()
        .filter(|e| e.text().contains("\"expense_added\""))
        .map(|e| e.text().to_string())
        .collect();
    assert!(!texts.is_empty(), "Alice's expenses to copy");
    let forged: Vec<String> = (0..count)
        .map(|i| {
            let mut v: serde_json::Value = serde_json::from_str(&texts[i % texts.len()]).unwrap();
            let n = i as u64;
            let mut random = [seed; 10];
            random[..8].copy_from_slice(&n.to_be_bytes());
            v["id"] = new_event_id(1_000 + n, random).to_string().into();
            if made_up {
                let mut author = [seed; 16];
                author[..8].copy_from_slice(&n.to_be_bytes());
                v["author"] = hex::encode(author).into();
            }
            v.to_string()
        })
        .collect();
    let sig = format!("\"{}\"", "A".repeat(86));
    let mut batches = Vec::new();
    for (b, chunk) in forged.chunks(200).enumerate() {
        let sigs = vec![sig.as_str(); chunk.len()].join(",");
        let plaintext = format!(r#"{{"events":[{}],"sigs":[{sigs}]}}"#, chunk.join(","));
        let mut batch_id = [seed; 16];
        batch_id[0] = b as u8;
        let before = all_shares(relays);
        put_raw_batch(relays, invite, [0x4d; 16], plaintext.as_bytes(), batch_id);
        batches.push(all_shares(relays).difference(&before).cloned().collect());
    }
    batches
}

/// Misbehaving member and withholding relays: Mallory floods the group before and after
/// Dave's first round (made-up authors, and forgeries in Alice's name), several times what
/// fits aside, while the batch with Alice's card is withheld from Dave for two rounds.
/// Alice's events that waited aside stay there, however much more arrives; what Dave
/// keeps aside, and so his saved state, never grows past the bound, in any round; once
/// the card batch opens, Dave holds every event of Alice's history and the forgeries
/// are not applied.
#[test]
fn misbehaving_member_flood_neither_grows_the_aside_list_nor_pushes_out_real_events() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, mut dave) = alice_with_history_and_dave_announced(&mut relays, HISTORY);
    let invite = alice.invite();
    flood(&mut relays, &invite, &alice, 1_200, true, 0xa1);
    flood(&mut relays, &invite, &alice, 400, false, 0xa2);
    let puts = alice_answers(&mut alice, &mut relays, 32);
    let card_batch: BTreeSet<String> = puts[..3].iter().cloned().collect();
    let a = alice.me();
    let held = |g: &Group| g.ledger().stored().count();

    round_withholding(&mut dave, &mut relays, 33, &card_batch);
    assert!(aside_bytes(&dave) <= BOUND, "{}", aside_bytes(&dave));
    let waiting: BTreeSet<_> = dave
        .kept_aside()
        .iter()
        .filter(|k| k.author == Some(a))
        .map(|k| k.event)
        .collect();
    assert!(!waiting.is_empty(), "some of Alice's events wait aside");

    flood(&mut relays, &invite, &alice, 1_200, true, 0xa3);
    round_withholding(&mut dave, &mut relays, 34, &card_batch);
    assert!(aside_bytes(&dave) <= BOUND, "{}", aside_bytes(&dave));
    let still: BTreeSet<_> = dave.kept_aside().iter().map(|k| k.event).collect();
    assert!(
        waiting.is_subset(&still),
        "the flood pushed none of Alice's waiting events out"
    );

    let mut saved = Vec::new();
    for r in 0..5 {
        round(&mut dave, &mut relays, 40 + r);
        assert!(
            aside_bytes(&dave) <= BOUND,
            "round {r}: {}",
            aside_bytes(&dave)
        );
        saved.push(dave.save().unwrap().len());
    }
    assert_eq!(held(&dave), held(&alice), "Dave holds the whole history");
    assert_eq!(dave.export_json().unwrap(), alice.export_json().unwrap());
    assert!(
        saved[4] <= saved[2],
        "Dave's saved state does not grow with rounds of the same flood: {saved:?}"
    );
}

/// Misbehaving member, pushed: with what Dave keeps aside filled by Mallory's flood of
/// made-up authors (the batches that fit stored and acked, the rest not), one more such
/// batch pushed to Dave opens from two shares and merges, but finds no room: Dave owes
/// no ack for it, and his next round acks none of its shares.
#[test]
fn misbehaving_member_flood_pushed_past_the_bound_is_not_acked() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, mut dave) = alice_with_history_and_dave_announced(&mut relays, 20);
    let invite = alice.invite();
    alice_answers(&mut alice, &mut relays, 32);
    round(&mut dave, &mut relays, 33);
    let me = dave.me().0;
    let acked = |relays: &[SimRelay], shares: &[(usize, ShareId, String)]| {
        shares
            .iter()
            .any(|(i, sid, _)| acked_share(relays, &invite, me, *i, sid))
    };
    let first = flood(&mut relays, &invite, &alice, 1_400, true, 0xb1);
    round(&mut dave, &mut relays, 34);
    assert!(
        first.iter().any(|b| acked(&relays, b)),
        "the batches that fit were stored and acked"
    );
    assert!(
        first.iter().any(|b| !acked(&relays, b)),
        "the others found no room"
    );
    let pushed = flood(&mut relays, &invite, &alice, 100, true, 0xb2);
    let mut merged = false;
    for (i, sid, data) in pushed[0].iter().take(2) {
        merged |= matches!(
            dave.offer_share(&socket(&dave, *i), *sid, data, 35),
            Offered::Merged { .. }
        );
    }
    assert!(merged, "two pushed shares open the batch");
    round(&mut dave, &mut relays, 36);
    assert!(
        !acked(&relays, &pushed[0]),
        "no ack for a batch with events left out"
    );
    assert!(aside_bytes(&dave) <= BOUND, "{}", aside_bytes(&dave));
}
