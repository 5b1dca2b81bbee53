//! Members' Web Push subscriptions in the ledger: each member sets only their own, the
//! last one wins, off removes it, and a malformed one is not applied.
#![cfg(not(target_arch = "wasm32"))]

use gfms_ledger::{
    EventBody, GroupSettings, Ledger, MemberId, PushSubscription, State, Warning, change,
    new_event_id,
};

const ALICE: MemberId = MemberId([1; 16]);
const BOB: MemberId = MemberId([2; 16]);

fn record(ledger: &mut Ledger, author: MemberId, n: u64, body: EventBody) {
    ledger.record(
        author,
        new_event_id(1_700_000_000_000 + n, [n as u8; 10]),
        n,
        body,
    );
}

fn group() -> Ledger {
    let mut l = Ledger::default();
    let settings = GroupSettings {
        name: "Flat".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    record(&mut l, ALICE, 1, change::create_group(settings).unwrap());
    record(
        &mut l,
        ALICE,
        2,
        change::join(ALICE, "Alice", None, 0).unwrap(),
    );
    record(&mut l, BOB, 3, change::join(BOB, "Bob", None, 0).unwrap());
    l
}

fn sub(device: &str) -> PushSubscription {
    PushSubscription {
        endpoint: format!("https://web.push.apple.com/{device}"),
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
            .into(),
        auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
        relay: "https://relay-a.example".into(),
    }
}

fn set(subscription: Option<PushSubscription>) -> EventBody {
    EventBody::PushSubscriptionSet { subscription }
}

#[test]
fn a_members_subscription_is_their_own_and_the_last_one_wins() {
    let mut l = group();
    record(&mut l, BOB, 4, set(Some(sub("old-phone"))));
    record(&mut l, BOB, 5, set(Some(sub("new-phone"))));
    record(&mut l, ALICE, 6, set(Some(sub("alice"))));
    let s = l.state();
    assert_eq!(s.push.get(&BOB), Some(&sub("new-phone")));
    assert_eq!(s.push.get(&ALICE), Some(&sub("alice")));
    // Turning notifications off removes only the author's.
    record(&mut l, ALICE, 7, set(None));
    let s = l.state();
    assert_eq!(s.push.get(&ALICE), None);
    assert_eq!(s.push.get(&BOB), Some(&sub("new-phone")));
}

#[test]
fn hostile_member_cannot_plant_a_malformed_subscription() {
    let mut l = group();
    for (n, bad) in [
        PushSubscription {
            endpoint: "http://127.0.0.1:1/".into(),
            ..sub("x")
        },
        PushSubscription {
            p256dh: "short".into(),
            ..sub("x")
        },
        PushSubscription {
            auth: "not base64 at all!!!!!".into(),
            ..sub("x")
        },
    ]
    .into_iter()
    .enumerate()
    {
        record(&mut l, BOB, 4 + n as u64, set(Some(bad)));
    }
    let s = l.state();
    assert!(s.push.is_empty());
    assert_eq!(
        s.warnings
            .iter()
            .filter(|w| matches!(w, Warning::Ignored { .. }))
            .count(),
        3
    );
}

#[test]
fn newer_client_data_older_states_and_events_still_load() {
    // A state saved before subscriptions existed has no `push`.
    let saved = serde_json::to_value(group().state()).unwrap();
    assert!(saved.get("push").is_none());
    let loaded: State = serde_json::from_value(saved).unwrap();
    assert!(loaded.push.is_empty());
    // An event without a subscription field is "off".
    let body: EventBody = serde_json::from_str(r#"{"type":"push_subscription_set"}"#).unwrap();
    assert_eq!(body, set(None));
}

#[test]
fn the_app_cannot_record_a_malformed_subscription() {
    let state = group().state();
    assert_eq!(
        change::set_push(&state, Some(sub("x"))).unwrap(),
        set(Some(sub("x")))
    );
    assert_eq!(change::set_push(&state, None).unwrap(), set(None));
    let bad = PushSubscription {
        endpoint: "https://fcm.googleapis.com/x".into(),
        auth: "AAAA".into(),
        ..sub("x")
    };
    assert!(matches!(
        change::set_push(&state, Some(bad)),
        Err(gfms_ledger::Error::OutOfBounds(_))
    ));
    assert!(
        change::set_push(&State::default(), None).is_err(),
        "no group yet"
    );
}
