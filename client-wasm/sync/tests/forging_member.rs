//! A forging member, and a relay that replays or re-orders batches. Bob's device writes
//! an expense "paid by Alice" — signed with his own key, or not signed at all — and
//! seals it with the group secret he holds, as a modified client would. Every other
//! device keeps it aside with the reason (the sync report names it); no balance moves. The
//! rules that hold only for an event's own author (a claim, payment details, a push
//! subscription) are applied under the member whose signature verified, so the same
//! forgery cannot claim, redirect payments or notifications in Alice's name. A relay
//! that puts a genuine batch again, or serves batches in another order, changes nothing.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_ledger::{
    EventBody, Expense, MemberId, PaymentDetails, PushSubscription, Split, StoredEvent, balances,
};
use gfms_sync::{AsideReason, Group};
use sim::{SimRelay, put_raw_batch, round, sign_as, trio, url};

fn expense(payer: gfms_ledger::MemberId, members: Vec<gfms_ledger::MemberId>) -> Expense {
    Expense {
        title: "Dinner".into(),
        amount: 9000,
        currency: "EUR".into(),
        rate: None,
        category: "food".into(),
        shop: "Zé's".into(),
        account: "cash".into(),
        payers: vec![(payer, 9000)],
        split: Split::Equal { members },
        date: "2026-11-25".into(),
        note: String::new(),
        ..Expense::default()
    }
}

/// The text of an expense by Bob, its author rewritten to Alice: what Bob's modified
/// client sends in her name.
fn forged_text(
    bob: &Group,
    alice: gfms_ledger::MemberId,
    members: Vec<gfms_ledger::MemberId>,
) -> String {
    let mut scratch = Group::load(&bob.save().unwrap()).unwrap();
    let id = scratch.add_expense(expense(alice, members), 50).unwrap();
    let text = scratch.ledger().get_stored(&id).unwrap().text().to_string();
    text.replace(
        &format!(r#""author":"{}""#, bob.me()),
        &format!(r#""author":"{alice}""#),
    )
}

#[test]
fn forging_member_signed_or_unsigned_expense_as_alice_is_kept_aside_on_every_device() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, bob, mut carol, invite) = trio(&mut relays, round);
    let members: Vec<_> = alice.state().active_members().map(|(m, _)| *m).collect();
    let before = balances(carol.state());
    let a = alice.me();
    let signed = forged_text(&bob, a, members.clone());
    let sig = sign_as(&bob.save().unwrap(), &signed);
    let unsigned = forged_text(&bob, a, members);
    let forged_ids = [
        StoredEvent::from_text(signed.clone(), None).unwrap().id(),
        StoredEvent::from_text(unsigned.clone(), None).unwrap().id(),
    ];
    let plaintext = format!(r#"{{"events":[{signed},{unsigned}],"sigs":["{sig}",null]}}"#);
    let b = bob.me();
    put_raw_batch(&mut relays, &invite, b.0, plaintext.as_bytes(), [9; 16]);
    for (name, g) in [("alice", &mut alice), ("carol", &mut carol)] {
        let report = round(g, &mut relays, 100);
        for id in &forged_ids {
            assert!(
                g.ledger().get_stored(id).is_none(),
                "{name} applied a forgery"
            );
        }
        let aside = g.kept_aside();
        assert_eq!(aside.len(), 2, "{name} keeps both aside");
        let signer = aside.iter().find(|k| k.event == forged_ids[0]).unwrap();
        assert_eq!(
            signer.reason,
            AsideReason::SignedByOther { signer: b },
            "{name}"
        );
        let unsigned = aside.iter().find(|k| k.event == forged_ids[1]).unwrap();
        assert_eq!(unsigned.reason, AsideReason::Unsigned, "{name}");
        assert_eq!(
            report.kept_aside.len(),
            2,
            "{name}'s sync report names them"
        );
        assert!(
            report.warnings().iter().any(|l| l.contains("kept aside")),
            "{name}: {:?}",
            report.warnings()
        );
    }
    assert_eq!(balances(carol.state()), before, "no balance moved");
    // Kept aside across a restart.
    let reloaded = Group::load(&carol.save().unwrap()).unwrap();
    assert_eq!(reloaded.kept_aside().len(), 2);
}

#[test]
fn replaying_relay_a_genuine_batch_put_again_and_out_of_order_changes_nothing() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, _bob, mut carol, invite) = trio(&mut relays, round);
    let members: Vec<_> = alice.state().active_members().map(|(m, _)| *m).collect();
    let first = alice
        .add_expense(expense(alice.me(), members.clone()), 60)
        .unwrap();
    let second = alice.add_expense(expense(alice.me(), members), 61).unwrap();
    round(&mut alice, &mut relays, 62);
    round(&mut carol, &mut relays, 63);
    let events = carol.ledger().stored().count();
    let state = balances(carol.state());
    // The relay replays Alice's two events as new batches, the second first.
    for (id, batch) in [(second, [5; 16]), (first, [6; 16])] {
        let e = alice.ledger().get_stored(&id).unwrap();
        let plaintext = format!(
            r#"{{"events":[{}],"sigs":["{}"]}}"#,
            e.text(),
            e.signature().expect("signed")
        );
        put_raw_batch(
            &mut relays,
            &invite,
            alice.me().0,
            plaintext.as_bytes(),
            batch,
        );
    }
    round(&mut carol, &mut relays, 70);
    assert_eq!(carol.ledger().stored().count(), events, "nothing new");
    assert_eq!(balances(carol.state()), state, "no balance moved");
    assert!(carol.kept_aside().is_empty());
}

fn subscription(device: &str) -> PushSubscription {
    PushSubscription {
        endpoint: format!("https://web.push.apple.com/{device}"),
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
            .into(),
        auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
        relay: url(0),
    }
}

fn paypal(name: &str) -> PaymentDetails {
    PaymentDetails {
        paypal: Some(name.into()),
        ..PaymentDetails::default()
    }
}

/// The text of `body` written by Bob's device, its author rewritten to `alice`.
fn forged_as(bob: &Group, alice: MemberId, body: EventBody, at: u64) -> String {
    let mut scratch = Group::load(&bob.save().unwrap()).unwrap();
    let id = scratch.append(body, at).unwrap();
    let text = scratch.ledger().get_stored(&id).unwrap().text().to_string();
    text.replace(
        &format!(r#""author":"{}""#, bob.me()),
        &format!(r#""author":"{alice}""#),
    )
}

/// Author-only rules (a placeholder claim, payment details, a push subscription) hold
/// for the member whose signature verified: Bob, signing in Alice's name, cannot make
/// her claim a placeholder (and take on its debts), send payments meant for her to his
/// PayPal, or have her notifications pushed to his phone.
#[test]
fn forging_member_claim_payment_details_and_push_in_alices_name_are_kept_aside() {
    let mut relays: Vec<SimRelay> = (0..3).map(|_| SimRelay::up()).collect();
    let (mut alice, mut bob, mut carol, invite) = trio(&mut relays, round);
    let a = alice.me();
    let b = bob.me();
    alice.set_push(Some(subscription("alice")), 60).unwrap();
    alice
        .append(
            EventBody::PaymentDetailsSet {
                member: a,
                details: paypal("alice"),
            },
            61,
        )
        .unwrap();
    let zoe = alice
        .append(
            EventBody::PlaceholderAdded {
                member: MemberId([0; 16]),
                name: "Zoë".into(),
            },
            62,
        )
        .unwrap();
    let zoe = gfms_ledger::placeholder_id(zoe);
    round(&mut alice, &mut relays, 63);
    round(&mut bob, &mut relays, 64);
    round(&mut carol, &mut relays, 65);
    assert!(carol.state().members.contains_key(&zoe));

    let forged = [
        EventBody::PlaceholderClaimed {
            placeholder: zoe,
            member: a,
        },
        EventBody::PaymentDetailsSet {
            member: a,
            details: paypal("bob"),
        },
        EventBody::PushSubscriptionSet {
            subscription: Some(subscription("bob")),
        },
    ];
    let mut texts = Vec::new();
    let mut sigs = Vec::new();
    let mut ids = Vec::new();
    for (n, body) in forged.into_iter().enumerate() {
        let text = forged_as(&bob, a, body, 70 + n as u64);
        sigs.push(format!(r#""{}""#, sign_as(&bob.save().unwrap(), &text)));
        ids.push(StoredEvent::from_text(text.clone(), None).unwrap().id());
        texts.push(text);
    }
    let plaintext = format!(
        r#"{{"events":[{}],"sigs":[{}]}}"#,
        texts.join(","),
        sigs.join(",")
    );
    put_raw_batch(&mut relays, &invite, b.0, plaintext.as_bytes(), [8; 16]);
    for (name, g) in [("alice", &mut alice), ("carol", &mut carol)] {
        round(g, &mut relays, 100);
        let aside = g.kept_aside();
        for id in &ids {
            assert!(g.ledger().get_stored(id).is_none(), "{name} applied one");
            let k = aside.iter().find(|k| k.event == *id).expect("kept aside");
            assert_eq!(k.reason, AsideReason::SignedByOther { signer: b }, "{name}");
        }
        let state = g.state();
        assert_eq!(
            state.members[&zoe].claimed_by, None,
            "{name}: Zoë unclaimed"
        );
        assert_eq!(
            state.payment_details.get(&a),
            Some(&paypal("alice")),
            "{name}: Alice's PayPal"
        );
        assert_eq!(
            state.push.get(&a),
            Some(&subscription("alice")),
            "{name}: Alice's phone"
        );
    }
}
