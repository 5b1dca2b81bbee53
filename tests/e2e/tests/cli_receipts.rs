//! `gfms attach` / `gfms receipt` against real relays: a photo and a PDF attached on
//! Alice's device reach Bob's byte for byte, through a relay that flips bytes; nothing a
//! relay persisted holds a JPEG or PDF header or EXIF text; a 10 MB PDF is refused and
//! changes nothing. Needs the binary built first (`make cli`; tests/run.sh does it).

use std::path::{Path, PathBuf};

use gfms_e2e::cli::{ok, run as gfms};
use gfms_e2e::{Relays, TamperProxy};

/// `gfms sync` on each state directory in turn.
fn sync(dirs: &[&PathBuf]) {
    for dir in dirs {
        ok(dir, &["sync"]);
    }
}

/// `gfms receipt EXPENSE [--hash HASH] --out OUT` on `state`, which must succeed: the
/// bytes it wrote.
fn receipt(state: &Path, expense: &str, hash: Option<&str>, out: &Path) -> Vec<u8> {
    let mut args = vec!["receipt", expense];
    if let Some(h) = hash {
        args.extend(["--hash", h]);
    }
    args.extend(["--out", out.to_str().expect("a UTF-8 path")]);
    ok(state, &args);
    std::fs::read(out).expect("the receipt, written")
}

/// A ~300 KB JPEG-like photo: the JPEG start and APP1 markers, an Exif block with a
/// GPS position, then noise.
fn photo() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x40];
    b.extend_from_slice(b"Exif\0\0GPSLatitude 38.7223 N GPSLongitude 9.1393 W");
    let mut x: u32 = 12345;
    while b.len() < 300_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        b.push((x >> 16) as u8);
    }
    b
}

fn pdf(len: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.7\n% receipt of the Lisbon dinner\n".to_vec();
    b.resize(len, b' ');
    b
}

/// Every file under `dir`, read whole.
fn files(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
}

/// Curious relay: what any relay persisted (`--persist-to`: its Durable Object SQLite,
/// share bytes included) holds none of the receipts' telltale bytes. The needles are
/// long enough not to turn up by chance in the megabytes of ciphertext persisted (the
/// 3-byte JPEG start alone does, about one run in twenty, and 4 bytes about one in a
/// thousand): the JPEG start with its APP1 marker and Exif header, the PDF's start,
/// the GPS text, the PDF's words, and a 32-byte stretch of the photo itself.
fn assert_nothing_readable(run: &Path) -> usize {
    let mut all = Vec::new();
    for relay in ["a", "b", "c"] {
        files(&run.join(relay), &mut all);
    }
    assert!(!all.is_empty(), "the relays persisted something");
    let photo = photo();
    let needles: [&[u8]; 5] = [
        b"\xFF\xD8\xFF\xE1\x00\x40Exif\0\0",
        b"%PDF-1.7\n% receipt",
        b"GPSLatitude 38.7223 N",
        b"Lisbon dinner",
        &photo[150_000..150_032],
    ];
    for (path, bytes) in &all {
        for n in needles {
            assert!(
                !bytes.windows(n.len()).any(|w| w == n),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(n)
            );
        }
    }
    all.iter().map(|(_, b)| b.len()).sum()
}

#[test]
fn curious_and_tampering_relays_carry_receipts_they_cannot_read() {
    let relays = Relays::start("cli-receipts", 8950, 600, &["a", "b", "c"]);
    // Lying relay: c flips a byte of every share it serves (k = 2 of 3 still honest).
    let proxy = TamperProxy::start(8953, &relays.url("c"));
    let base = gfms_e2e::root().join("target/e2e/cli-receipts/state");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("state base");
    let (alice, bob) = (base.join("alice"), base.join("bob"));
    let urls = [relays.url("a"), relays.url("b"), proxy.url.clone()].join(",");
    let created = ok(
        &alice,
        &[
            "group", "create", "--name", "Lisbon", "--member", "Alice", "--relays", &urls, "--k",
            "2",
        ],
    );
    let code = created.lines().last().expect("invite").trim().to_string();
    ok(&bob, &["group", "join", &code, "--member", "Bob"]);
    sync(&[&alice, &bob, &alice, &bob]);
    let expense = ok(
        &alice,
        &[
            "add",
            "--amount",
            "84",
            "--category",
            "food",
            "--shop",
            "Zé",
        ],
    )
    .trim()
    .to_string();
    let (jpg, doc) = (base.join("till.jpg"), base.join("bill.pdf"));
    std::fs::write(&jpg, photo()).unwrap();
    std::fs::write(&doc, pdf(40_000)).unwrap();
    let jpg_hash = ok(&alice, &["attach", &expense, jpg.to_str().unwrap()])
        .trim()
        .to_string();
    let pdf_hash = ok(
        &alice,
        &["attach", &expense, doc.to_str().unwrap(), "--name", "Bill"],
    )
    .trim()
    .to_string();
    ok(&alice, &["sync"]);

    // Before Bob syncs, he sees the receipts listed and says they have not arrived.
    ok(&bob, &["sync"]);
    let shown = ok(&bob, &["show", &expense]);
    assert!(
        shown.contains("till.jpg") && shown.contains("Bill"),
        "{shown}"
    );
    let mut tries = 0;
    while ok(&bob, &["show", &expense]).contains("not yet received") && tries < 4 {
        ok(&bob, &["sync"]);
        tries += 1;
    }
    let (got_jpg, got_pdf) = (base.join("got.jpg"), base.join("got.pdf"));
    assert_eq!(
        receipt(&bob, &expense, None, &got_jpg),
        photo(),
        "the photo, byte for byte"
    );
    assert_eq!(
        receipt(&bob, &expense, Some(&pdf_hash), &got_pdf),
        pdf(40_000),
        "the PDF, byte for byte"
    );
    assert!(bob.join("attachments").join(&jpg_hash).is_file());
    assert!(
        proxy.tampered.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "the tampering relay served flipped shares, and was survived"
    );
    let persisted = assert_nothing_readable(&gfms_e2e::root().join("target/e2e/cli-receipts"));
    assert!(
        persisted > 3 * 300_000,
        "the scan saw the relays' copies of the chunks ({persisted} bytes persisted)"
    );

    // Hostile input: a 10 MB PDF is refused with the limit, and nothing changes.
    let big = base.join("huge.pdf");
    std::fs::write(&big, pdf(10 * 1024 * 1024)).unwrap();
    let before = std::fs::read(alice.join("group.json")).unwrap();
    let refused = gfms(&alice, &["attach", &expense, big.to_str().unwrap()]);
    assert!(!refused.status.success());
    let msg = String::from_utf8_lossy(&refused.stderr);
    assert!(msg.contains("4 MiB") && msg.contains("4194304"), "{msg}");
    assert_eq!(std::fs::read(alice.join("group.json")).unwrap(), before);

    // Once Bob acked, Alice deletes the chunks everywhere; still nothing readable.
    sync(&[&alice, &bob, &alice]);
    let status: serde_json::Value =
        serde_json::from_str(&ok(&alice, &["status", "--json"])).expect("JSON");
    assert_eq!(
        status["outbox"], 0,
        "every chunk complete and deleted: {status}"
    );
    assert_nothing_readable(&gfms_e2e::root().join("target/e2e/cli-receipts"));

    // Dave joins after the receipts left the relays: he sees them listed, asks for the
    // photo, Bob's next sync sends it again, and Dave gets it byte for byte.
    let dave = base.join("dave");
    ok(&dave, &["group", "join", &code, "--member", "Dave"]);
    sync(&[&dave, &alice, &bob, &dave, &alice, &bob, &dave]);
    let shown = ok(&dave, &["show", &expense]);
    assert!(shown.contains("not yet received"), "{shown}");
    let missing = gfms(&dave, &["receipt", &expense, "--out", "/dev/null"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("not yet received from the relays"));
    ok(
        &dave,
        &["receipt", &expense, "--hash", &jpg_hash, "--request"],
    );
    ok(&dave, &["sync"]);
    let answered = ok(&bob, &["sync"]);
    assert!(answered.contains("sent again"), "{answered}");
    sync(&[&bob, &dave]);
    assert_eq!(
        receipt(&dave, &expense, Some(&jpg_hash), &base.join("dave.jpg")),
        photo(),
        "sent again, byte for byte"
    );
}
