//! What rides with a listing (issue 17): a round's `POST` listing carries the status of
//! the sender's own shares and the acks owed, so a round makes one request per relay
//! where it made up to three. Against a relay older than that (it answers the `POST`
//! listing 405), or one that takes it but leaves the parts out, the round asks as
//! before and nothing is late; a relay that lies in the listing's status is no more
//! believed than in `POST …/status`.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_sync::{Group, HttpRequest, Method, Offered, RelayHealth, SyncReport};
use sim::{Act, Ended, Lie, SimRelay, round, run_round, spend, url};

/// Requests of a round by kind and relay: (kind, relay index).
fn round_logged(
    g: &mut Group,
    relays: &mut [SimRelay],
    now: u64,
) -> (SyncReport, Vec<(&'static str, usize)>) {
    let mut log = Vec::new();
    let mut note = |r: &HttpRequest| {
        let path = r.url.split('?').next().unwrap_or_default();
        let kind = match r.method {
            Method::Post if path.ends_with("/shares") => "posted list",
            Method::Get if path.ends_with("/shares") => "list",
            Method::Post if path.ends_with("/status") => "status",
            Method::Post if path.ends_with("/acks") => "ack",
            _ => "other",
        };
        log.push((kind, sim::relay_index(r).expect("a relay")));
        Act::Send
    };
    match run_round(g, relays, now, &mut |_| {}, &mut note) {
        Ended::Done(report) => (report, log),
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

fn count(log: &[(&str, usize)], kind: &str, relay: usize) -> usize {
    log.iter()
        .filter(|(k, r)| *k == kind && *r == relay)
        .count()
}

/// Alice and Bob on relays 0–2 (k = 2), set up; both apps use the simple forms.
fn pair(prepare: impl Fn(&mut [SimRelay])) -> (Group, Group, Vec<SimRelay>, u64) {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    prepare(&mut relays);
    let (alice, bob, t) = sim::pair(&mut relays, true);
    assert_eq!(alice.outbox_len() + bob.outbox_len(), 0, "set up");
    (alice, bob, relays, t)
}

fn all_up(report: &SyncReport) -> bool {
    report.relays.iter().all(|r| r.health == RelayHealth::Up)
}

/// The sender's round asks no `POST …/status` of a relay whose listing carried it, and
/// completes the batch on the receipts it brought.
#[test]
fn the_senders_status_comes_with_its_listing() {
    let (mut alice, mut bob, mut relays, t) = pair(|_| {});
    spend(&mut alice, "Pizza", 3240, t);
    round(&mut alice, &mut relays, t + 1);
    round(&mut bob, &mut relays, t + 2);
    let (report, log) = round_logged(&mut alice, &mut relays, t + 3);
    assert!(all_up(&report), "{report:?}");
    assert_eq!(alice.outbox_len(), 0, "complete on Bob's receipts");
    for r in 0..3 {
        assert_eq!(count(&log, "posted list", r), 1, "{log:?}");
        assert_eq!(count(&log, "status", r), 0, "{log:?}");
        assert_eq!(count(&log, "list", r), 0, "{log:?}");
    }
    assert!(relays.iter().all(|r| r.simple_requests > 0));
}

/// Older relay (the Older or newer version adversary, at a relay): relay 2 answers the
/// `POST` listing 405 and a simple status or ack 401, as relays before them do. The
/// round lists there again with a `GET` at once, asks status and sends acks in their
/// classic requests, and reports no relay down; from then on it asks that relay only
/// in the older forms.
#[test]
fn older_relay_gets_a_plain_listing_and_classic_status_and_acks_in_the_same_round() {
    let (mut alice, mut bob, mut relays, t) = pair(|r| r[2].plain_listing = true);
    let pizza = spend(&mut alice, "Pizza", 3240, t);
    let (sent, log) = round_logged(&mut alice, &mut relays, t + 1);
    assert!(all_up(&sent), "{sent:?}");
    assert_eq!(count(&log, "posted list", 2), 0, "known older since set-up");
    assert_eq!(count(&log, "list", 2), 1);
    let (got, log) = round_logged(&mut bob, &mut relays, t + 2);
    assert!(all_up(&got), "{got:?}");
    assert!(
        bob.ledger().get(&pizza).is_some(),
        "Bob has it in one round"
    );
    let (_, log2) = round_logged(&mut alice, &mut relays, t + 3);
    assert_eq!(alice.outbox_len(), 0, "and Alice sees it delivered");
    assert_eq!(count(&log2, "status", 2), 1, "asked there as before");
    assert_eq!(count(&log2, "status", 0) + count(&log2, "status", 1), 0);
    assert_eq!(relays[2].posted_listings, 0);
    assert!(count(&log, "list", 2) > 0);
}

/// A relay updated while the group was loaded: the first `POST` listing to an older
/// relay is answered 405, the round lists again with a `GET` in the same wave's wake and
/// nothing is reported down.
#[test]
fn older_relay_found_mid_round_is_listed_again_at_once() {
    let (mut alice, mut bob, mut relays, t) = pair(|_| {});
    relays[1].plain_listing = true;
    let pizza = spend(&mut alice, "Pizza", 3240, t);
    let (sent, log) = round_logged(&mut alice, &mut relays, t + 1);
    assert!(all_up(&sent), "{sent:?}");
    assert_eq!(
        (count(&log, "posted list", 1), count(&log, "list", 1)),
        (1, 1)
    );
    assert_eq!(count(&log, "status", 1), 1, "its status asked on its own");
    let (got, _) = round_logged(&mut bob, &mut relays, t + 2);
    assert!(all_up(&got), "{got:?}");
    assert!(bob.ledger().get(&pizza).is_some());
    round(&mut alice, &mut relays, t + 3);
    assert_eq!(alice.outbox_len(), 0);
}

/// A relay that takes the `POST` listing but leaves out what rides with it (no
/// `status`, no `acks` in the answer, no ack recorded): the round asks `POST …/status`
/// and sends the acks as before, and the batch completes all the same.
#[test]
fn a_relay_that_ignores_what_rides_is_asked_as_before() {
    let (mut alice, mut bob, mut relays, t) = pair(|r| r[0].ignores_riding = true);
    let pizza = spend(&mut alice, "Pizza", 3240, t);
    round(&mut alice, &mut relays, t + 1);
    round(&mut bob, &mut relays, t + 2);
    assert!(bob.ledger().get(&pizza).is_some());
    let (report, log) = round_logged(&mut alice, &mut relays, t + 3);
    assert!(all_up(&report), "{report:?}");
    assert_eq!(count(&log, "status", 0), 1, "{log:?}");
    assert_eq!(count(&log, "status", 1) + count(&log, "status", 2), 0);
    assert_eq!(alice.outbox_len(), 0);
}

/// Lying relay: in the status its listing carries, relay 1 lists every member it has
/// seen as having fetched and acked the batch (and adds a receipt of its own making).
/// Carol never fetched it: Alice keeps the batch, names the relay, and asks no separate
/// status (the lie came with the listing).
#[test]
fn lying_relay_in_the_listings_status_cannot_complete_a_batch() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, mut bob, _carol, _) = sim::trio(&mut relays, round);
    relays[1].lie = Lie::FabricateAcks;
    spend(&mut alice, "Dinner", 4200, 100);
    round(&mut alice, &mut relays, 101);
    round(&mut bob, &mut relays, 102);
    for t in 0..3 {
        let (report, log) = round_logged(&mut alice, &mut relays, 110 + t);
        assert_eq!(
            alice.outbox_len(),
            1,
            "a relay's word never completes a batch"
        );
        assert_eq!(log.iter().filter(|(k, _)| *k == "status").count(), 0);
        let lying = report.relays.iter().find(|r| r.url == url(1)).unwrap();
        assert_eq!(lying.health, RelayHealth::Lying, "{:?}", lying.error);
    }
}

/// Acks owed for a batch opened from pushed shares ride with the next round's listing:
/// that round makes no `POST …/acks` for them, and the sender sees the batch delivered.
#[test]
fn acks_for_pushed_shares_ride_with_the_listing() {
    let (mut alice, mut bob, mut relays, t) = pair(|r| {
        for relay in r {
            relay.leaves_out_acked = true;
        }
    });
    let lunch = spend(&mut alice, "Francesinha", 2400, t);
    round(&mut alice, &mut relays, t + 1);
    for (r, relay) in relays.iter().enumerate().take(2) {
        let prefix = url(r).replace("http://", "ws://");
        let socket = bob
            .push_endpoints()
            .into_iter()
            .map(|(u, _)| u)
            .find(|u| u.starts_with(&prefix))
            .expect("a socket per relay");
        let (sid, share) = relay
            .groups
            .values()
            .flat_map(|(_, shares)| shares.iter())
            .next()
            .map(|(s, x)| (*s, x.data.clone()))
            .expect("Alice's share");
        let offered = bob.offer_share(&socket, sid, &share, t + 2);
        assert!(
            matches!(offered, Offered::Held | Offered::Merged { .. }),
            "relay {r}: {offered:?}"
        );
    }
    assert!(bob.ledger().get(&lunch).is_some(), "opened from the pushes");
    let (got, log) = round_logged(&mut bob, &mut relays, t + 3);
    assert!(all_up(&got), "{got:?}");
    // Relays 0 and 1 took their acks with the listing; relay 2 lists its share of the
    // batch (never pushed here), which is acked on its own, as before.
    assert_eq!(count(&log, "ack", 0) + count(&log, "ack", 1), 0, "{log:?}");
    assert_eq!(log.iter().filter(|(k, _)| *k == "posted list").count(), 3);
    round(&mut alice, &mut relays, t + 4);
    assert_eq!(
        alice.outbox_len(),
        0,
        "delivered on the riding acks' receipts"
    );
}
