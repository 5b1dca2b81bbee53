//! Member keys with the `gfms` command-line client against three real relays
//! (docs/threat-model.md): a member whose device writes, or publishes a key, in another
//! member's name, and a removed member whose device keeps syncing. Needs the binary
//! built first (`make cli`; tests/run.sh does it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gfms_e2e::Relays;
use gfms_e2e::cli::{json, ok_with_stderr as ok};
use gfms_e2e::scan::readable_events;
use serde_json::Value;

fn saved(state: &Path) -> String {
    std::fs::read_to_string(state.join("group.json")).expect("state file")
}

fn me(state: &Path) -> String {
    let v: Value = serde_json::from_str(&saved(state)).expect("state JSON");
    v["me"].as_str().expect("me").to_string()
}

/// Ann creates a group on `urls`; each other name joins with her invite; everyone syncs
/// until every device knows every member and card.
fn group(base: &Path, urls: &[String], names: &[&str]) -> Vec<PathBuf> {
    let _ = std::fs::remove_dir_all(base);
    let dirs: Vec<PathBuf> = names.iter().map(|n| base.join(n)).collect();
    let created = ok(
        &dirs[0],
        &[
            "group",
            "create",
            "--name",
            "Lisbon trip",
            "--member",
            names[0],
            "--relays",
            &urls.join(","),
            "--k",
            "2",
        ],
    )
    .0;
    let code = created.lines().last().expect("invite").trim().to_string();
    for (dir, name) in dirs.iter().zip(names).skip(1) {
        ok(dir, &["group", "join", &code, "--member", name]);
    }
    sync_all(&dirs, 3);
    for dir in &dirs {
        let safety = ok(dir, &["members", "--safety"]).0;
        assert!(safety.contains("signed: every member"), "{safety}");
    }
    dirs
}

/// Ann, Ben and Cat in a group on three fresh relays `name` (from port `port`), their
/// state directories under target/e2e/`name`/state; the relays stop when dropped.
fn ann_ben_cat(name: &str, port: u16) -> (Relays, PathBuf, Vec<PathBuf>) {
    let relays = Relays::start(name, port, 600, &["a", "b", "c"]);
    let base = gfms_e2e::root().join("target/e2e").join(name).join("state");
    let dirs = group(&base, &relays.urls(), &["Ann", "Ben", "Cat"]);
    (relays, base, dirs)
}

/// `gfms sync` on each directory in turn, `rounds` times; the stderr of every run.
fn sync_all(dirs: &[PathBuf], rounds: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..rounds {
        for d in dirs {
            out.push(ok(d, &["sync"]).1);
        }
    }
    out
}

fn add(state: &Path, amount: &str, shop: &str, paid_by: Option<&str>) -> String {
    let mut args = vec![
        "add",
        "--amount",
        amount,
        "--category",
        "food",
        "--shop",
        shop,
        "--account",
        "cash",
    ];
    if let Some(p) = paid_by {
        args.extend(["--paid-by", p]);
    }
    ok(state, &args).0.trim().to_string()
}

/// The bytes of a member id written as hex.
fn member_bytes(id: &str) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&id[2 * i..2 * i + 2], 16).expect("a hex member id");
    }
    bytes
}

/// What a modified client does to its state file: the event whose text holds `marker`
/// (written on this device and not sent yet, so its next sync sends it) becomes
/// `rewrite(text, card)`, signed with this device's key as member `signer` (hex); `card`
/// is this device's card as an event carries it.
fn rewrite_unsent(
    state: &Path,
    marker: &str,
    signer: &str,
    rewrite: impl Fn(&str, &Value) -> String,
) {
    let mut doc: Value = serde_json::from_str(&saved(state)).expect("state");
    let keys: gfms_identity::DeviceKeys =
        serde_json::from_value(doc["member_keys"]["device"].clone()).expect("keys");
    let context = gfms_identity::GroupContext::from_base64url(
        doc["member_keys"]["context"].as_str().expect("a context"),
    )
    .expect("context");
    let card = serde_json::to_value(keys.card()).expect("a card");
    let mut found = false;
    for e in doc["events"].as_array_mut().expect("events") {
        let text = e["text"].as_str().unwrap_or_default().to_string();
        if !text.contains(marker) {
            continue;
        }
        let text = rewrite(&text, &card);
        let signed = keys.sign_event(&context, &member_bytes(signer), &text);
        e["text"] = text.into();
        e["sig"] = signed.signature().expect("signed").into();
        found = true;
    }
    assert!(found, "the event is in the state file");
    std::fs::write(state.join("group.json"), doc.to_string()).expect("write");
}

/// The ids of the events a device applied.
fn applied(state: &Path) -> BTreeSet<String> {
    let v: Value = json(state, &["export", "--format", "json"]);
    v.as_array()
        .or_else(|| v["events"].as_array())
        .expect("an event log")
        .iter()
        .filter_map(|e| e["id"].as_str().map(str::to_string))
        .collect()
}

/// Misbehaving member: Ben edits his own state file so that his next sync sends an
/// expense whose text names Ann as its author, signed with his own key (what a modified
/// client would send). Ann's and Cat's devices, and Dan's, who joins later and gets
/// Ben's snapshot, keep it aside: not applied, no balance moved, reported by `gfms sync`
/// and `gfms status`, naming Ben as the signer.
#[test]
fn forging_member_cli_an_expense_ben_signs_in_anns_name_is_refused_on_every_device() {
    let (_relays, base, dirs) = ann_ben_cat("cli-forge", 8940);
    let (ann, ben, cat) = (&dirs[0], &dirs[1], &dirs[2]);
    let balances_before = json(cat, &["balances", "--json"]);

    // Ben records an expense paid by Ann, then rewrites its author to Ann and signs the
    // new text with his own key, in his state file.
    let forged = add(ben, "90", "Forged", Some("Ann"));
    let (ann_id, ben_id) = (me(ann), me(ben));
    rewrite_unsent(ben, &forged, &ben_id, |text, _| {
        let text = text.replace(
            &format!(r#""author":"{ben_id}""#),
            &format!(r#""author":"{ann_id}""#),
        );
        assert!(text.contains(&ann_id));
        text
    });

    let warnings = sync_all(&dirs, 3);
    // members by name in the warning, not by id
    let reported = |w: &String| {
        w.contains(&forged)
            && w.contains("kept aside")
            && w.contains("signed by Ben in Ann's name")
            && !w.contains(&ann_id)
            && !w.contains(&ben_id)
    };
    assert!(
        warnings.iter().any(reported),
        "`gfms sync` reports the forgery: {warnings:?}"
    );
    for (name, dir) in [("Ann", ann), ("Cat", cat)] {
        assert!(
            !applied(dir).contains(&forged),
            "{name}'s device applied the forgery"
        );
        let status = ok(dir, &["status"]).0;
        assert!(
            status.contains(&forged) && status.contains("kept aside"),
            "{name}: `gfms status` names it: {status}"
        );
        assert!(status.contains("signed by Ben"), "{name}: {status}");
        let v = json(dir, &["status", "--json"]);
        let aside = v["kept_aside"].as_array().expect("kept_aside");
        assert!(
            aside
                .iter()
                .any(|k| k["event"] == forged.as_str() && k["reason"]["kind"] == "signed_by_other"),
            "{name}: {v}"
        );
    }
    assert_eq!(json(cat, &["balances", "--json"]), balances_before);

    // A member who joins later gets the forgery in Ben's snapshot, and refuses it too.
    let code = ok(ann, &["invite"])
        .0
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    let dan = base.join("Dan");
    ok(&dan, &["group", "join", &code, "--member", "Dan"]);
    let mut all = dirs.clone();
    all.push(dan.clone());
    sync_all(&all, 3);
    assert!(!applied(&dan).contains(&forged), "Dan applied the forgery");
    assert!(applied(&dan).len() > 3, "Dan has the group's history");
    assert_eq!(
        json(&dan, &["balances", "--json"]),
        json(cat, &["balances", "--json"]),
        "Dan's balances are Cat's, who refused the forgery"
    );
}

/// Forging member: Ben's modified client publishes his own key in Ann's name (a
/// `member_keys_published` event whose author is Ann, carrying Ben's card and signed with
/// it as Ann). Ann's card is bound to her member id, so the key is not used: Ann's safety
/// code on Cat's phone is still the one Ann's phone shows, and `gfms sync` warns Ann and
/// Cat, naming Ann (not her id), that another phone published a key in her name.
#[test]
fn forging_member_cli_a_key_ben_publishes_in_anns_name_is_not_used_and_named() {
    let (_relays, _, dirs) = ann_ben_cat("cli-forge-keys", 8947);
    let (ann, ben, cat) = (&dirs[0], &dirs[1], &dirs[2]);
    let ann_code = |dir: &Path| {
        let v = json(dir, &["members", "--safety", "--json"]);
        let ann_id = me(ann);
        v["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["member"] == ann_id.as_str())
            .map(|m| m["safetyCode"].clone())
            .expect("Ann is listed")
    };
    let anns_own = json(ann, &["members", "--safety", "--json"])["mySafetyCode"].clone();
    assert!(anns_own.is_string(), "Ann's device shows her safety code");
    assert_eq!(ann_code(cat), anns_own, "Cat has Ann's card");

    // Ben writes an event, then turns it into a key publication in Ann's name.
    let carrier = add(ben, "1", "Carrier", None);
    let (ann_id, ben_id) = (me(ann), me(ben));
    rewrite_unsent(ben, &carrier, &ann_id, |text, card| {
        let mut event: Value = serde_json::from_str(text).expect("an event");
        event["author"] = ann_id.as_str().into();
        event["body"] = serde_json::json!({ "type": "member_keys_published", "card": card });
        event.to_string()
    });

    let mut warned = BTreeSet::new();
    for _ in 0..3 {
        for (name, dir) in [("Ann", ann), ("Ben", ben), ("Cat", cat)] {
            let stderr = ok(dir, &["sync"]).1;
            if stderr.contains("another phone published 1 key(s) in Ann's name, not used") {
                assert!(
                    !stderr.contains(&ann_id) && !stderr.contains(&ben_id),
                    "{stderr}"
                );
                warned.insert(name);
            }
        }
    }
    for name in ["Ann", "Cat"] {
        assert!(
            warned.contains(name),
            "`gfms sync` on {name}'s device warns of the key in Ann's name (warned: {warned:?})"
        );
    }
    assert_eq!(ann_code(cat), anns_own, "Cat still uses Ann's own card");
    assert_eq!(ann_code(ann), anns_own, "so does Ann's own device");
    // Crashing device (every command is a new process): the mark stays after a restart,
    // where the members are listed; the sync output does not repeat it.
    for dir in [ann, cat] {
        let listed = ok(dir, &["members", "--safety"]).0;
        assert!(
            listed.contains("1 other key(s) published in this name, not used"),
            "{listed}"
        );
        let again = ok(dir, &["sync"]).1;
        assert!(!again.contains("in Ann's name"), "{again}");
    }
}

/// Removed member: Ann removes Cat while Ben, who has not heard of it yet, writes. Cat's
/// `gfms` keeps syncing with its old state: it is told who removed it and keeps what it
/// had, but nothing written after the group settled reaches it — not even by opening
/// every share the relays hold with every secret in its state file. Ann and Ben lose
/// nothing written on either side of the switch.
#[test]
fn removed_member_cli_keeps_syncing_and_opens_nothing_written_after_its_removal() {
    let (relays, _, dirs) = ann_ben_cat("cli-removed", 8944);
    let urls = relays.urls();
    let (ann, ben, cat) = (&dirs[0], &dirs[1], &dirs[2]);
    let before = add(ann, "12", "Before", None);
    sync_all(&dirs, 2);

    ok(ann, &["remove", "Cat"]);
    let during = add(ben, "8", "During", None);
    sync_all(&dirs, 3);
    let status = ok(cat, &["status"]).0;
    assert!(
        status.contains("removed from Lisbon trip by Ann"),
        "Cat's device is told: {status}"
    );
    assert!(applied(cat).contains(&before), "Cat keeps what she had");

    let after = add(ann, "30", "After", None);
    ok(ann, &["sync"]);
    let open_to_cat = readable_events(&saved(cat), &urls);
    assert!(
        !open_to_cat.contains(&after),
        "Cat's secrets open a batch written after her removal"
    );
    sync_all(&dirs, 3);
    assert!(
        !applied(cat).contains(&after),
        "Cat read a record written after"
    );
    let open_to_cat = readable_events(&saved(cat), &urls);
    assert!(!open_to_cat.contains(&after));
    for (name, dir) in [("Ann", ann), ("Ben", ben)] {
        let held = applied(dir);
        for id in [&before, &during, &after] {
            assert!(held.contains(id), "{name} lacks {id}");
        }
    }
    assert_eq!(applied(ann), applied(ben));
    let status = json(ann, &["status", "--json"]);
    assert_eq!(status["outbox"], 0, "Ann delivered everything: {status}");
}
