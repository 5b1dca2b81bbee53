//! Share requests in their simple form (issue 17): the app sends share puts, fetches and
//! deletes as CORS-simple `POST`s (the token in the body: no preflight, one round trip
//! less per share in a browser). Against a relay older than the form, which answers
//! them 405, it asks again in the classic form at once and keeps to it there, so a
//! group whose relays are of mixed ages syncs as before.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_ledger::EventId;
use gfms_sync::{Group, HttpRequest, Method, RelayHealth, SyncReport};
use sim::{Act, Ended, SimRelay, run_round, spend, url};

/// Which relay a request goes to.
fn relay_of(r: &HttpRequest) -> usize {
    (0..4)
        .find(|i| r.url.starts_with(&url(*i)))
        .expect("a relay")
}

/// Whether a request is a share request in the simple form.
fn is_simple(r: &HttpRequest) -> bool {
    let path = r.url.split('?').next().unwrap_or_default();
    r.method == Method::Post && path.contains("/shares/")
}

/// A round; also the simple requests it sent to each relay.
fn round_counting(g: &mut Group, relays: &mut [SimRelay], now: u64) -> (SyncReport, Vec<usize>) {
    let mut simple = vec![0; relays.len()];
    let mut count = |r: &HttpRequest| {
        if is_simple(r) {
            simple[relay_of(r)] += 1;
        }
        Act::Send
    };
    match run_round(g, relays, now, &mut |_| {}, &mut count) {
        Ended::Done(report) => (report, simple),
        Ended::Crashed => panic!("no crash was asked for"),
    }
}

fn holds(g: &mut Group, id: EventId) -> bool {
    g.ledger().events().any(|e| e.id == id)
}

/// Alice and Bob on relays 0–2 (k = 2), relay 2 `older`; both apps use the simple form
/// when `browsers`.
fn group(browsers: bool) -> (Group, Group, Vec<SimRelay>, u64) {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    relays[2].older = true;
    let (alice, bob, t) = sim::pair(&mut relays, browsers);
    (alice, bob, relays, t)
}

/// Older relay (the Older or newer version adversary, at a relay): a browser's simple
/// share requests are answered 405 there; the app asks again in the classic form in the
/// same round, so nothing is late and no relay is reported down. The newer relays take
/// the simple form.
#[test]
fn older_relay_the_app_falls_back_to_classic_requests_in_the_same_round() {
    let (mut alice, mut bob, mut relays, mut t) = group(true);
    assert_eq!(alice.outbox_len() + bob.outbox_len(), 0, "set up");
    let pizza = spend(&mut alice, "Pizza", 3240, t);
    t += 1;
    let (sent, _) = round_counting(&mut alice, &mut relays, t);
    assert!(
        sent.relays.iter().all(|r| r.health == RelayHealth::Up),
        "{sent:?}"
    );
    assert!(
        relays.iter().all(|r| r.share_count() > 0),
        "every relay, the older one too, holds its share after one round"
    );
    t += 1;
    let (got, _) = round_counting(&mut bob, &mut relays, t);
    assert!(
        holds(&mut bob, pizza),
        "Bob has the expense after one round"
    );
    assert!(
        got.relays.iter().all(|r| r.health == RelayHealth::Up),
        "{got:?}"
    );
    assert!(relays[0].simple_requests + relays[1].simple_requests > 0);
    assert_eq!(relays[2].simple_requests, 0, "an older relay took none");

    // Having heard 405 once, the app sends the older relay classic requests only.
    let soup = spend(&mut alice, "Soup", 900, t);
    let mut simple_to_older = 0;
    for _ in 0..3 {
        for g in [&mut alice, &mut bob] {
            t += 1;
            simple_to_older += round_counting(g, &mut relays, t).1[2];
        }
    }
    assert_eq!(simple_to_older, 0);
    assert!(holds(&mut bob, soup));
    assert_eq!(
        alice.outbox_len() + bob.outbox_len(),
        0,
        "every batch delivered"
    );
    assert!(relays.iter().all(|r| r.share_count() == 0), "and deleted");
}

/// Ageing device's relays: every relay is older than the form; the app syncs as before.
#[test]
fn older_relays_everywhere_the_app_syncs_with_classic_requests() {
    let (mut alice, mut bob, mut relays, mut t) = group(true);
    relays[0].older = true;
    relays[1].older = true;
    let taken: Vec<usize> = relays.iter().map(|r| r.simple_requests).collect();
    let pizza = spend(&mut alice, "Pizza", 3240, t);
    for _ in 0..3 {
        for g in [&mut alice, &mut bob] {
            t += 1;
            let (report, _) = round_counting(g, &mut relays, t);
            assert!(
                report.relays.iter().all(|r| r.health == RelayHealth::Up),
                "{report:?}"
            );
        }
    }
    assert!(holds(&mut bob, pizza));
    assert_eq!(alice.outbox_len() + bob.outbox_len(), 0);
    assert!(relays.iter().all(|r| r.share_count() == 0));
    let now: Vec<usize> = relays.iter().map(|r| r.simple_requests).collect();
    assert_eq!(now, taken, "none taken since the relays got older");
}

/// The CLI (a host that does not ask for the simple form) sends classic requests only.
#[test]
fn a_host_that_does_not_ask_sends_only_classic_requests() {
    let (mut alice, mut bob, mut relays, mut t) = group(false);
    let pizza = spend(&mut alice, "Pizza", 3240, t);
    let mut simple = 0;
    for _ in 0..2 {
        for g in [&mut alice, &mut bob] {
            t += 1;
            simple += round_counting(g, &mut relays, t).1.iter().sum::<usize>();
        }
    }
    assert!(holds(&mut bob, pizza));
    assert_eq!(simple, 0);
}
