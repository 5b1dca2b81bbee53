//! Shares a relay pushes with their bytes (issue 17): the receiver opens a batch from
//! `k` pushed shares with no list and no fetch, owes the acks and sends them with its
//! next round, and the sender sees the batch delivered. A lying relay's push — flipped
//! bytes, another share's bytes under this id, another group's share, an old share
//! replayed — changes nothing and is named `tampering` as a fetched one would be.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use std::collections::BTreeMap;

use gfms_protocol::ShareId;
use gfms_sync::{Group, HttpRequest, Method, Offered, Outcome, RelayHealth, SyncReport};
use sim::{Act, Ended, SimRelay, round, run_round, settings, socket, spend, url};

/// A round; also the share fetches it made, by relay.
fn round_counting_fetches(g: &mut Group, relays: &mut [SimRelay], now: u64) -> (SyncReport, usize) {
    let mut fetches = 0;
    let mut count = |r: &HttpRequest| {
        let is_share = r.url.split('?').next().unwrap_or("").contains("/shares/");
        if r.method == Method::Get && is_share {
            fetches += 1;
        }
        Act::Send
    };
    match run_round(g, relays, now, &mut |_| {}, &mut count) {
        Ended::Done(report) => (report, fetches),
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

/// Every share each relay holds: relay index → share id → bytes (as pushed).
type Held = Vec<BTreeMap<ShareId, String>>;

fn held(relays: &[SimRelay]) -> Held {
    relays
        .iter()
        .map(|r| {
            r.groups
                .values()
                .flat_map(|(_, shares)| shares.iter().map(|(s, x)| (*s, x.data.clone())))
                .collect()
        })
        .collect()
}

/// The shares put since `before`, per relay: what each relay's `share_put` push carries.
fn pushed(before: &Held, relays: &[SimRelay]) -> Vec<(usize, ShareId, String)> {
    let now = held(relays);
    let mut out = Vec::new();
    for (r, shares) in now.iter().enumerate() {
        for (sid, data) in shares {
            if !before[r].contains_key(sid) {
                out.push((r, *sid, data.clone()));
            }
        }
    }
    out
}

/// A group of Alice and Bob on three relays, k = 2, set up.
fn pair() -> (Group, Group, Vec<SimRelay>, u64) {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut alice = Group::create(settings("Porto"), "Alice", &urls, 2, 1).unwrap();
    let mut bob = Group::join(&alice.invite(), "Bob", 2).unwrap();
    let mut t = 10;
    for _ in 0..3 {
        for g in [&mut alice, &mut bob] {
            t += 1;
            round(g, &mut relays, t);
        }
    }
    assert_eq!(alice.outbox_len() + bob.outbox_len(), 0, "set up");
    (alice, bob, relays, t)
}

fn health(report: &SyncReport, r: usize) -> RelayHealth {
    report
        .relays
        .iter()
        .find(|x| x.url == url(r))
        .map(|x| x.health)
        .expect("the relay is reported")
}

#[test]
fn a_batch_opens_from_two_pushed_shares_with_no_fetch_and_its_acks_deliver_it() {
    let (mut alice, mut bob, mut relays, mut t) = pair();
    let before = held(&relays);
    let lunch = spend(&mut alice, "Francesinha", 2400, t);
    round(&mut alice, &mut relays, t + 1);
    let pushes = pushed(&before, &relays);
    assert_eq!(pushes.len(), 3, "one share per relay");
    t += 2;

    let (r0, s0, d0) = &pushes[0];
    let (r1, s1, d1) = &pushes[1];
    assert_eq!(
        bob.offer_share(&socket(&bob, *r0), *s0, d0, t),
        Offered::Held
    );
    assert!(
        bob.ledger().get(&lunch).is_none(),
        "one share opens nothing"
    );
    // The same push again (a re-put) changes nothing.
    assert_eq!(
        bob.offer_share(&socket(&bob, *r0), *s0, d0, t),
        Offered::Held
    );
    // The relay's URL works as well as its socket's.
    assert!(matches!(
        bob.offer_share(&url(*r1), *s1, d1, t),
        Offered::Merged { events } if events > 0
    ));
    assert!(bob.ledger().get(&lunch).is_some(), "on Bob's phone");
    // The third push is of a batch stored here now.
    let (r2, s2, d2) = &pushes[2];
    assert_eq!(
        bob.offer_share(&socket(&bob, *r2), *s2, d2, t),
        Offered::Ignored
    );

    // Bob's next round only lists and acks: nothing fetched, nothing tampering.
    t += 1;
    let (report, fetches) = round_counting_fetches(&mut bob, &mut relays, t);
    assert_eq!(fetches, 0, "the pushed shares needed no fetch");
    assert_eq!(report.received_batches, 0, "merged before the round");
    for r in 0..3 {
        assert_eq!(health(&report, r), RelayHealth::Up);
    }
    // Completeness is as sound as before: Alice sees it delivered from Bob's signed
    // receipts, and cleans up.
    for _ in 0..2 {
        t += 1;
        round(&mut alice, &mut relays, t);
    }
    assert_eq!(alice.outbox_len(), 0, "delivered to Bob");
}

/// Adversary: a lying relay (ADVERSARIES.md: "serves another share's bytes or flipped
/// bytes; replays old shares"), here through its pushes. Flipped bytes, another share's
/// bytes under this share's id, another group's share and an old share replayed: none
/// opens or changes anything, the first three name the relay `tampering` in the next
/// round's report (as a fetched share would), and the round delivers the batch from the
/// honest relays.
#[test]
fn lying_relay_pushes_flipped_moved_foreign_and_replayed_shares_and_changes_nothing() {
    let (mut alice, mut bob, mut relays, mut t) = pair();
    let liar = 0;

    // An old batch, delivered: its shares, captured.
    let before = held(&relays);
    spend(&mut alice, "Bifana", 350, t);
    round(&mut alice, &mut relays, t + 1);
    let old = pushed(&before, &relays);
    for _ in 0..2 {
        for g in [&mut bob, &mut alice] {
            t += 2;
            round(g, &mut relays, t);
        }
    }
    assert_eq!(alice.outbox_len(), 0);

    // Another group's share, on the same relays.
    let urls: Vec<String> = (0..3).map(url).collect();
    let mut zed = Group::create(settings("Other"), "Zed", &urls, 2, t).unwrap();
    let mut yan = Group::join(&zed.invite(), "Yan", t).unwrap();
    for _ in 0..2 {
        for g in [&mut zed, &mut yan] {
            t += 1;
            round(g, &mut relays, t);
        }
    }
    let before = held(&relays);
    spend(&mut zed, "Not yours", 100, t);
    round(&mut zed, &mut relays, t + 1);
    let foreign = pushed(&before, &relays);

    // The new batch.
    t += 2;
    let before = held(&relays);
    let dinner = spend(&mut alice, "Tripas", 1800, t);
    round(&mut alice, &mut relays, t + 1);
    let new = pushed(&before, &relays);
    let (_, sid, data) = new.iter().find(|(r, _, _)| *r == liar).unwrap().clone();
    let at_liar = socket(&bob, liar);
    let ledger_before = bob.export_json().unwrap();

    // Flipped bytes.
    let mut flipped = gfms_protocol::decode_data(&data).unwrap();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let flipped = gfms_protocol::encode_data(&flipped);
    assert_eq!(bob.offer_share(&at_liar, sid, &flipped, t), Offered::Held);
    let header_flipped = {
        let mut b = gfms_protocol::decode_data(&data).unwrap();
        b[4] ^= 1;
        gfms_protocol::encode_data(&b)
    };
    assert!(matches!(
        bob.offer_share(&at_liar, sid, &header_flipped, t),
        Offered::Refused(_)
    ));
    // Another share's bytes (another relay's share of the same batch) under this id.
    let (_, _, other) = new.iter().find(|(r, _, _)| *r != liar).unwrap();
    assert!(matches!(
        bob.offer_share(&at_liar, sid, other, t),
        Offered::Refused(_)
    ));
    // Another group's share, under its own id and under this one.
    let (_, zsid, zdata) = foreign.iter().find(|(r, _, _)| *r == liar).unwrap();
    assert!(matches!(
        bob.offer_share(&at_liar, *zsid, zdata, t),
        Offered::Refused(_)
    ));
    assert!(matches!(
        bob.offer_share(&at_liar, sid, zdata, t),
        Offered::Refused(_)
    ));
    // An old share, replayed: a batch stored here already.
    let (_, osid, odata) = old.iter().find(|(r, _, _)| *r == liar).unwrap();
    assert_eq!(bob.offer_share(&at_liar, *osid, odata, t), Offered::Ignored);
    // Not base64.
    assert!(matches!(
        bob.offer_share(&at_liar, sid, "not base64!", t),
        Offered::Refused(_)
    ));
    assert_eq!(bob.export_json().unwrap(), ledger_before, "nothing changed");
    assert!(bob.ledger().get(&dinner).is_none());

    // The next round names the liar and delivers the batch from the honest relays.
    t += 1;
    let report = round(&mut bob, &mut relays, t);
    assert_eq!(health(&report, liar), RelayHealth::Tampering);
    assert!(
        bob.ledger().get(&dinner).is_some(),
        "delivered by the round"
    );
    for _ in 0..2 {
        t += 1;
        round(&mut alice, &mut relays, t);
    }
    assert_eq!(alice.outbox_len(), 0);
}

/// Adversary: a lying relay whose pushed share authenticates its header but carries
/// flipped share bytes. With one honest relay's push that is `k` shares that do not
/// open: held, not merged; the third relay's push opens the batch and names the liar.
#[test]
fn lying_relay_pushes_a_share_that_does_not_combine_and_the_third_push_names_it() {
    let (mut alice, mut bob, mut relays, mut t) = pair();
    t += 1;
    let before = held(&relays);
    let coffee = spend(&mut alice, "Galão", 180, t);
    round(&mut alice, &mut relays, t + 1);
    let pushes = pushed(&before, &relays);
    let liar = pushes[0].0;
    let mut bad = gfms_protocol::decode_data(&pushes[0].2).unwrap();
    let last = bad.len() - 1;
    bad[last] ^= 0x40;
    let bad = gfms_protocol::encode_data(&bad);
    // The header authenticates, only the share's value is wrong: with one honest
    // relay's push that is k shares that do not open, held.
    assert_eq!(
        bob.offer_share(&socket(&bob, liar), pushes[0].1, &bad, t),
        Offered::Held
    );
    let (r, s, d) = &pushes[1];
    assert_eq!(bob.offer_share(&socket(&bob, *r), *s, d, t), Offered::Held);
    assert!(bob.ledger().get(&coffee).is_none());
    let (r, s, d) = &pushes[2];
    assert!(matches!(
        bob.offer_share(&socket(&bob, *r), *s, d, t),
        Offered::Merged { .. }
    ));
    assert!(bob.ledger().get(&coffee).is_some());
    let report = round(&mut bob, &mut relays, t + 1);
    assert_eq!(health(&report, liar), RelayHealth::Tampering);
}

/// Adversary: a crash at any step. The app saves a batch opened from pushed shares after
/// `offer_share` returns, perhaps while a round runs; an ack says "durably stored", so the
/// round that sends the acks saves first, and no ack leaves before that save.
#[test]
fn crash_at_any_step_no_ack_of_a_pushed_batch_leaves_before_a_save() {
    use std::cell::RefCell;
    let (mut alice, mut bob, mut relays, mut t) = pair();
    t += 1;
    let before = held(&relays);
    spend(&mut alice, "Pastel de nata", 130, t);
    round(&mut alice, &mut relays, t + 1);
    for (r, s, d) in pushed(&before, &relays) {
        bob.offer_share(&socket(&bob, r), s, &d, t);
    }
    let log = RefCell::new(Vec::new());
    let ended = run_round(
        &mut bob,
        &mut relays,
        t + 2,
        &mut |_| log.borrow_mut().push("save"),
        &mut |r| {
            if r.method == Method::Post && r.url.contains("/acks") {
                log.borrow_mut().push("ack");
            }
            // The listings show nothing new (the round has nothing of its own to save):
            // only the pushed batch's acks are owed.
            if r.method == Method::Get && r.url.contains("/shares?") {
                return Act::Answer(Outcome::Response {
                    status: 200,
                    body: br#"{"shares":[],"next_cursor":null}"#.to_vec(),
                });
            }
            Act::Send
        },
    );
    assert!(matches!(ended, Ended::Done(_)));
    let log = log.into_inner();
    let first_ack = log
        .iter()
        .position(|e| *e == "ack")
        .expect("the round acks");
    assert!(
        log[..first_ack].contains(&"save"),
        "a save before the first ack: {log:?}"
    );
}

/// Every relay's push of a change reached the receiver (the app's usual case): the
/// third, of a batch already stored from the first two, owes its ack too, so the next
/// round is a listing per relay, each carrying its relay's ack, and no request more (the
/// third relay's share was listed and acked in a request of its own before).
#[test]
fn three_pushes_of_a_change_cost_the_next_round_one_listing_per_relay_and_nothing_more() {
    // Relays since inline pushes: what a member acked is left out of its listing.
    let mut relays: Vec<SimRelay> = (0..3)
        .map(|_| SimRelay {
            leaves_out_acked: true,
            ..SimRelay::up()
        })
        .collect();
    let (mut alice, mut bob, mut t) = sim::pair(&mut relays, true);
    let before = held(&relays);
    spend(&mut alice, "Bifana", 450, t);
    round(&mut alice, &mut relays, t + 1);
    t += 2;
    let verdicts: Vec<Offered> = pushed(&before, &relays)
        .iter()
        .map(|(r, s, d)| bob.offer_share(&socket(&bob, *r), *s, d, t))
        .collect();
    assert!(
        matches!(verdicts[1], Offered::Merged { .. }),
        "{verdicts:?}"
    );
    assert_eq!(verdicts[2], Offered::Ignored);

    let mut made = Vec::new();
    let ended = run_round(&mut bob, &mut relays, t + 1, &mut |_| {}, &mut |r| {
        let body: serde_json::Value =
            serde_json::from_slice(r.body.as_deref().unwrap_or_default()).unwrap_or_default();
        let acks = body["acks"].as_array().map_or(0, Vec::len);
        made.push(format!(
            "{:?} {} acks={acks}",
            r.method,
            r.url
                .split('?')
                .next()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default()
        ));
        Act::Send
    });
    assert!(matches!(ended, Ended::Done(_)));
    assert_eq!(
        made,
        vec!["Post shares acks=1"; 3],
        "a listing per relay, each with its ack"
    );
    for _ in 0..2 {
        t += 2;
        round(&mut alice, &mut relays, t);
    }
    assert_eq!(alice.outbox_len(), 0, "delivered to Bob");
}
