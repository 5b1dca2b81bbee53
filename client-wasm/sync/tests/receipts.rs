//! Receipts over the simulated relays: an attachment's chunks travel as their own
//! batches, reach every member byte for byte, and leave the relays once every member
//! acked them — also for a member away past the relays' TTL (the sender re-puts) and
//! past a relay that serves flipped bytes.
#![cfg(not(target_arch = "wasm32"))]

mod sim;

use gfms_sync::{CHUNK_BYTES, Group, RelayHealth};
// Every round here moves the relays' clocks too: their TTL counts.
use sim::round_on_relay_clocks as round;
use sim::{Lie, SimRelay, spend, trio, url};

const TTL_MS: u64 = 3_600_000;

/// A JPEG-like photo of `len` bytes: the magic, an Exif block, a GPS-ish string.
fn photo(len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE1];
    b.extend_from_slice(b"Exif\0\0GPS 38.7223N 9.1393W");
    b.extend((b.len()..len).map(|i| (i as u8).wrapping_mul(131).wrapping_add(7)));
    b
}

fn relays() -> Vec<SimRelay> {
    (0..3)
        .map(|_| SimRelay {
            ttl_ms: TTL_MS,
            ..SimRelay::up()
        })
        .collect()
}

/// Takes what a device completed: hash → bytes.
fn taken(g: &mut Group) -> Vec<(String, Vec<u8>)> {
    g.take_received_blobs()
        .into_iter()
        .map(|h| {
            let bytes = g.received_blob(&h).expect("bytes handed once");
            assert!(g.received_blob(&h).is_none());
            (h, bytes)
        })
        .collect()
}

/// Curious relay: a 300 KB photo with its preview reaches Bob and Carol byte for byte,
/// the expense shows it on every device, and once all acked nothing is left on any
/// relay; no relay ever held the photo's bytes in the clear.
#[test]
fn curious_relays_a_receipt_reaches_every_member_and_leaves_the_relays() {
    let mut relays = relays();
    let (mut alice, mut bob, mut carol, _) = trio(&mut relays, round);
    let id = spend(&mut alice, "Dinner", 4200, 100);
    let bytes = photo(300_000);
    let thumb = photo(9_000);
    let att = alice
        .attach_receipt(id, &bytes, "image/jpeg", "till.jpg", Some(&thumb), 101)
        .unwrap();
    assert_eq!(
        alice.receipts_pending().sending,
        3,
        "two chunks and a preview"
    );
    round(&mut alice, &mut relays, 110);
    assert_eq!(
        alice.receipts_pending().sending,
        3,
        "on their way until acked"
    );
    let held: Vec<String> = relays
        .iter()
        .flat_map(|r| r.groups.values().flat_map(|(_, s)| s.values()))
        .map(|s| s.data.clone())
        .collect();
    assert!(held.len() >= 9);
    // Needles long enough not to turn up by chance in a megabyte of ciphertext (three
    // bytes alone do, about one run in twenty; four, about one in four thousand): the
    // JPEG start with its APP1 marker and Exif header, the GPS text, and a stretch of
    // the image itself.
    let needles: [&[u8]; 3] = [
        b"\xFF\xD8\xFF\xE1Exif\0\0",
        b"GPS 38.7223N",
        &bytes[150_000..150_032],
    ];
    for data in &held {
        let raw = gfms_protocol::decode_data(data).unwrap();
        for needle in needles {
            assert!(
                !raw.windows(needle.len()).any(|w| w == needle),
                "{needle:?} on a relay"
            );
        }
    }
    for (g, now) in [(&mut bob, 120), (&mut carol, 121)] {
        let report = round(g, &mut relays, now);
        assert_eq!(report.received_blobs.len(), 2, "{report:?}");
        let mut got = taken(g);
        got.sort();
        let mut want = vec![(att.hash.clone(), bytes.clone())];
        want.push((att.thumb.clone().unwrap(), thumb.clone()));
        want.sort();
        assert_eq!(got, want);
        let shown = &g.state().expenses[&id].receipts;
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].hash, att.hash);
        assert_eq!(shown[0].size, 300_000);
        assert_eq!(shown[0].thumb, att.thumb);
        assert_eq!(g.receipts_pending().receiving, 0);
    }
    round(&mut alice, &mut relays, 130);
    round(&mut alice, &mut relays, 131);
    assert_eq!(alice.outbox_len(), 0);
    assert_eq!(alice.receipts_pending().sending, 0);
    assert_eq!(relays.iter().map(SimRelay::share_count).sum::<usize>(), 0);
}

/// Offline for weeks: Carol is away past the relays' TTL several times; Alice re-puts
/// the chunks each round, and Carol gets the receipt when she is back.
#[test]
fn offline_member_past_the_ttl_still_gets_the_receipt() {
    let mut relays = relays();
    let (mut alice, mut bob, mut carol, _) = trio(&mut relays, round);
    let id = spend(&mut alice, "Dinner", 4200, 100);
    let bytes = photo(2 * CHUNK_BYTES + 17);
    let att = alice
        .attach_receipt(id, &bytes, "application/pdf", "bill.pdf", None, 101)
        .unwrap();
    round(&mut alice, &mut relays, 110);
    round(&mut bob, &mut relays, 120);
    assert_eq!(taken(&mut bob), vec![(att.hash.clone(), bytes.clone())]);
    let mut now = 200;
    for _ in 0..3 {
        now += TTL_MS + 1;
        let report = round(&mut alice, &mut relays, now);
        assert!(report.reput_shares > 0, "{report:?}");
        assert_eq!(alice.receipts_pending().sending, 3);
    }
    round(&mut carol, &mut relays, now + 10);
    assert_eq!(taken(&mut carol), vec![(att.hash.clone(), bytes)]);
    // Bob's acks went with the copies that expired before Alice saw them: he acks the
    // copies put again (and takes nothing twice).
    round(&mut bob, &mut relays, now + 15);
    assert!(taken(&mut bob).is_empty());
    round(&mut alice, &mut relays, now + 20);
    round(&mut alice, &mut relays, now + 21);
    assert_eq!(alice.outbox_len(), 0);
    assert_eq!(relays.iter().map(SimRelay::share_count).sum::<usize>(), 0);
}

/// Lying relay (n − k of them) serves another share's bytes: the chunks still open
/// from the two honest relays, the receipt arrives whole, and the relay is named.
#[test]
fn lying_relay_serving_other_bytes_does_not_stop_a_receipt() {
    let mut relays = relays();
    let (mut alice, mut bob, _carol, _) = trio(&mut relays, round);
    relays[1].lie = Lie::ServeAnotherShare;
    let id = spend(&mut alice, "Dinner", 4200, 100);
    // Six chunks: Bob draws k = 2 of 3 relays per batch at random, so over seven batches
    // he meets the liar but for a chance of (1/3)^7.
    let bytes = photo(5 * CHUNK_BYTES + 1000);
    let att = alice
        .attach_receipt(id, &bytes, "application/pdf", "bill.pdf", None, 101)
        .unwrap();
    round(&mut alice, &mut relays, 110);
    let mut got = Vec::new();
    let mut named = false;
    for t in 0..4 {
        let report = round(&mut bob, &mut relays, 120 + t);
        named |= report
            .relays
            .iter()
            .any(|r| r.url == url(1) && r.health == RelayHealth::Tampering);
        got.extend(taken(&mut bob));
    }
    assert_eq!(got, vec![(att.hash, bytes)]);
    assert!(named, "the tampering relay is named");
}

/// A 10 MB PDF is refused with the limit in the message, and nothing changes.
#[test]
fn hostile_input_a_10_mb_pdf_is_refused_and_nothing_changes() {
    let mut relays = relays();
    let (mut alice, _bob, _carol, _) = trio(&mut relays, round);
    let id = spend(&mut alice, "Dinner", 4200, 100);
    let before = alice.save().unwrap();
    let pdf = vec![b'%'; 10 * 1024 * 1024];
    let e = alice
        .attach_receipt(id, &pdf, "application/pdf", "big.pdf", None, 101)
        .unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert!(e.to_string().contains("4194304 bytes (4 MiB)"), "{e}");
    assert_eq!(alice.save().unwrap(), before);
    assert_eq!(alice.receipts_pending().sending, 0);
}

/// Offline for weeks, then a new phone: Dave joins after a receipt was delivered and
/// deleted from the relays; he sees it listed, asks for it (`receipt_wanted`), Bob — who
/// holds it — sends it again, and Dave gets the bytes. Bytes that are not the receipt's
/// are refused.
#[test]
fn a_member_who_joined_later_asks_for_a_receipt_and_a_holder_sends_it_again() {
    let mut relays = relays();
    let (mut alice, mut bob, mut carol, _) = trio(&mut relays, round);
    let id = spend(&mut alice, "Dinner", 4200, 100);
    let bytes = photo(CHUNK_BYTES + 333);
    let att = alice
        .attach_receipt(id, &bytes, "image/jpeg", "till.jpg", None, 101)
        .unwrap();
    round(&mut alice, &mut relays, 110);
    round(&mut bob, &mut relays, 111);
    round(&mut carol, &mut relays, 112);
    assert_eq!(taken(&mut carol).len(), 1);
    let held = taken(&mut bob);
    assert_eq!(held, vec![(att.hash.clone(), bytes.clone())]);
    round(&mut alice, &mut relays, 113);
    assert_eq!(alice.outbox_len(), 0);

    let mut dave = Group::join(&alice.invite(), "Dave", 200).unwrap();
    for t in 0..4 {
        for (i, g) in [&mut dave, &mut alice, &mut bob, &mut carol]
            .into_iter()
            .enumerate()
        {
            round(g, &mut relays, 210 + t * 10 + i as u64);
        }
    }
    assert_eq!(dave.state().expenses[&id].receipts.len(), 1);
    assert!(
        taken(&mut dave).is_empty(),
        "its bytes left before Dave joined"
    );
    dave.request_receipt(&att.hash, 300).unwrap();
    assert!(dave.wanted_receipts().is_empty(), "not his own request");
    round(&mut dave, &mut relays, 301);
    round(&mut bob, &mut relays, 302);
    assert_eq!(bob.wanted_receipts(), vec![att.hash.clone()]);
    let e = bob
        .resend_receipt(&att.hash, b"not the photo", 302)
        .unwrap_err();
    assert_eq!(e.code(), "not_allowed");
    bob.resend_receipt(&att.hash, &bytes, 302).unwrap();
    assert!(bob.wanted_receipts().is_empty(), "answered once");
    round(&mut bob, &mut relays, 303);
    round(&mut dave, &mut relays, 304);
    assert_eq!(taken(&mut dave), vec![(att.hash.clone(), bytes)]);
    // Alice and Carol, who had it, take nothing twice.
    round(&mut alice, &mut relays, 305);
    round(&mut carol, &mut relays, 306);
    let again = (taken(&mut alice), taken(&mut carol));
    assert!(again.0.is_empty() && again.1.is_empty(), "{again:?}");
    // Carol keeps only previews on her phone: she let the photo go, and asks again.
    carol.request_receipt(&att.hash, 400).unwrap();
    round(&mut carol, &mut relays, 401);
    round(&mut bob, &mut relays, 402);
    assert_eq!(bob.wanted_receipts(), vec![att.hash.clone()]);
    bob.resend_receipt(&att.hash, &held[0].1, 402).unwrap();
    round(&mut bob, &mut relays, 403);
    round(&mut carol, &mut relays, 404);
    assert_eq!(taken(&mut carol), held);
}
