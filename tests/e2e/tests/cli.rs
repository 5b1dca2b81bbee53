//! The `gfms` command-line client against real relays: what a terminal user or a script
//! sees. Needs the binary built first (`make cli`; tests/run.sh does it).

use gfms_e2e::Relays;
use gfms_e2e::cli::{json, ok, run as gfms};

#[test]
fn a_terminal_user_creates_joins_adds_syncs_and_exports() {
    let relays = Relays::start("cli", 8877, 600, &["a", "b", "c"]);
    let base = gfms_e2e::root().join("target/e2e/cli/state");
    let _ = std::fs::remove_dir_all(&base);
    let (ann, ben) = (base.join("ann"), base.join("ben"));
    let urls = relays.urls().join(",");

    let created = ok(
        &ann,
        &[
            "group", "create", "--name", "Trip", "--member", "Ann", "--relays", &urls, "--k", "2",
        ],
    );
    let code = created
        .lines()
        .last()
        .expect("invite line")
        .trim()
        .to_string();
    assert!(
        code.starts_with("gfms1."),
        "the invite code is the last line"
    );
    ok(&ben, &["group", "join", &code, "--member", "Ben"]);
    for dir in [&ann, &ben, &ann, &ben] {
        ok(dir, &["sync"]);
    }
    let members = json(&ben, &["members", "--json"]);
    assert_eq!(
        members.as_array().map(Vec::len),
        Some(2),
        "Ben sees both members: {members}"
    );

    ok(
        &ann,
        &[
            "add",
            "--amount",
            "12.50",
            "--currency",
            "EUR",
            "--category",
            "food",
            "--shop",
            "Deli",
            "--account",
            "cash",
        ],
    );
    ok(
        &ann,
        &[
            "add",
            "--amount",
            "30",
            "--category",
            "fuel",
            "--shop",
            "Station",
            "--account",
            "card",
            "--paid-by",
            "Ben",
            "--split",
            "percent:Ann=60,Ben=40",
            "--note",
            "A7",
        ],
    );

    // A mistake is one line on stderr, a failing exit, and nothing written.
    let before = std::fs::read(ann.join("group.json")).expect("state");
    let bad = gfms(&ann, &["add", "--amount", "1.234", "--category", "food"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("gfms: "));
    assert_eq!(
        std::fs::read(ann.join("group.json")).expect("state"),
        before
    );

    ok(&ann, &["sync"]);
    let status = json(&ann, &["status", "--json"]);
    let pending = &status["pending"][0];
    assert_eq!(pending["target"], 2, "(m - 1)·k = 1·2");
    assert_eq!(pending["missing"], serde_json::json!(["Ben"]));
    ok(&ben, &["sync"]);
    ok(&ann, &["sync"]);
    assert_eq!(
        json(&ann, &["status", "--json"])["pending"],
        serde_json::json!([])
    );

    let list = json(&ben, &["list", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let balances = json(&ben, &["balances", "--json"]);
    // Ann paid 12.50 split equally (Ben owes 6.25); Ben paid 30 of which Ann owes 18.
    assert_eq!(balances["balances"]["Ben"], 1175);
    assert_eq!(balances["balances"]["Ann"], -1175);
    let plan = json(&ann, &["plan", "--json"]);
    assert_eq!(plan["transfers"][0]["from"], "Ann");
    assert_eq!(plan["transfers"][0]["amount"], 1175);

    let csv = ok(&ben, &["export", "--format", "csv"]);
    assert!(csv.lines().count() >= 3, "a header and two expenses: {csv}");
    let export = ok(&ann, &["export", "--format", "json"]);
    let file = base.join("export.json");
    std::fs::write(&file, export).expect("write export");
    let imported = ok(&ben, &["import", file.to_str().expect("path")]);
    assert!(imported.contains("imported 0 new events"), "{imported}");
}

#[test]
fn relays_for_friends_only_take_the_key_from_the_invite() {
    let relays = Relays::start_with(
        "cli-keys",
        8895,
        600,
        &["a", "b", "c"],
        &["REGISTRATION_KEY:tea-at-five"],
    );
    let base = gfms_e2e::root().join("target/e2e/cli-keys/state");
    let _ = std::fs::remove_dir_all(&base);
    let (ann, ben, eve) = (base.join("ann"), base.join("ben"), base.join("eve"));
    let urls = relays.urls();

    // Without the key the relays refuse: sync still exits 0, with a warning per relay.
    ok(
        &eve,
        &[
            "group",
            "create",
            "--name",
            "Nope",
            "--member",
            "Eve",
            "--relays",
            &urls.join(","),
            "--k",
            "2",
        ],
    );
    let refused = gfms(&eve, &["sync"]);
    assert!(refused.status.success());
    let warnings = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(warnings.matches("warning").count(), 3, "{warnings}");
    assert!(warnings.contains("forbidden"), "{warnings}");

    let mut create = vec![
        "group", "create", "--name", "Tea", "--member", "Ann", "--k", "2",
    ];
    let joined = urls.join(",");
    create.extend(["--relays", &joined]);
    let keys: Vec<String> = urls.iter().map(|u| format!("{u}=tea-at-five")).collect();
    for k in &keys {
        create.extend(["--registration-key", k]);
    }
    let code = ok(&ann, &create)
        .lines()
        .last()
        .expect("invite")
        .trim()
        .to_string();
    ok(&ben, &["group", "join", &code, "--member", "Ben"]);
    for dir in [&ann, &ben, &ann, &ben] {
        let out = gfms(dir, &["sync"]);
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).is_empty(),
            "no relay refused: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        json(&ben, &["members", "--json"]).as_array().map(Vec::len),
        Some(2)
    );
}

/// Down relays, then back: a terminal user leaves while every relay is down. `gfms leave`
/// keeps the group and says what is still owed; once the relays are back and Ann has
/// synced, `gfms leave` again says the directory may be deleted, and Ann sees Ben gone
/// and waits for nothing.
#[test]
fn a_terminal_user_leaves_offline_and_is_told_when_everything_is_delivered() {
    let relays = Relays::start("cli-leave", 8902, 600, &["a", "b", "c"]);
    let base = gfms_e2e::root().join("target/e2e/cli-leave/state");
    let _ = std::fs::remove_dir_all(&base);
    let (ann, ben) = (base.join("ann"), base.join("ben"));
    let urls = relays.urls();
    let code = ok(
        &ann,
        &[
            "group",
            "create",
            "--name",
            "Flat",
            "--member",
            "Ann",
            "--relays",
            &urls.join(","),
            "--k",
            "2",
        ],
    )
    .lines()
    .last()
    .expect("invite")
    .trim()
    .to_string();
    ok(&ben, &["group", "join", &code, "--member", "Ben"]);
    for dir in [&ben, &ann, &ben, &ann] {
        ok(dir, &["sync"]);
    }
    for r in ["a", "b", "c"] {
        relays.stop(r);
    }
    let offline = ok(&ben, &["leave"]);
    assert!(offline.contains("still to deliver"), "{offline}");
    assert_eq!(json(&ben, &["status", "--json"])["leaving"], true);
    assert!(ben.join("group.json").is_file(), "the group is kept");

    for r in ["a", "b", "c"] {
        relays.restart(r);
    }
    ok(&ben, &["leave"]);
    ok(&ann, &["sync"]);
    let done = ok(&ben, &["leave"]);
    assert!(done.contains("may be deleted"), "{done}");
    let status = json(&ben, &["status", "--json"]);
    assert_eq!(status["ready_to_delete"], true);
    let members = json(&ann, &["members", "--json"]);
    assert!(
        members.to_string().contains("left"),
        "Ann sees Ben left: {members}"
    );
    ok(&ann, &["sync"]);
    assert_eq!(json(&ann, &["status", "--json"])["outbox"], 0);
}

/// People who never install the app share expenses from the start and hold nothing up;
/// when one of them installs it after all, `group join --as` makes their history theirs.
#[test]
fn a_name_only_member_holds_nothing_up_and_claims_their_history_on_joining() {
    let relays = Relays::start("cli-names", 8908, 600, &["a", "b", "c"]);
    let base = gfms_e2e::root().join("target/e2e/cli-names/state");
    let _ = std::fs::remove_dir_all(&base);
    let (ann, ben) = (base.join("ann"), base.join("ben"));
    let urls = relays.urls().join(",");
    let created = ok(
        &ann,
        &[
            "group", "create", "--name", "Trip", "--member", "Ann", "--relays", &urls, "--with",
            "Ben,Cara",
        ],
    );
    let code = created
        .lines()
        .last()
        .expect("invite line")
        .trim()
        .to_string();
    // Ben paid 30 for the three of them; Ann recorded it for him.
    ok(
        &ann,
        &["add", "--amount", "30", "--paid-by", "Ann=10,Ben=20"],
    );
    ok(&ann, &["sync"]);
    assert_eq!(
        json(&ann, &["status", "--json"])["pending"],
        serde_json::json!([]),
        "name-only members are not waited for"
    );

    ok(&ben, &["group", "join", &code, "--as", "Ben"]);
    ok(&ben, &["sync"]);
    ok(&ann, &["sync"]);
    let claimed = ok(&ben, &["sync"]);
    assert!(claimed.contains("you are Ben"), "{claimed}");
    ok(&ben, &["sync"]);
    ok(&ann, &["sync"]);
    for dir in [&ann, &ben] {
        let b = json(dir, &["balances", "--json"]);
        assert_eq!(b["balances"]["Ben"], 1000, "{b}");
        assert_eq!(b["balances"]["Cara"], -1000, "{b}");
    }
    let members = json(&ann, &["members", "--json"]);
    let ben_row = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Ben" && m["status"] == "active")
        .expect("Ben is a member");
    assert_eq!(ben_row["placeholder"], false);
}
