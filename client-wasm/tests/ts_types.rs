//! The TypeScript types of the JSON the facade hands the app (`web/src/core/types.gen.ts`)
//! are generated from the Rust types with ts-rs, so the two cannot drift: this test
//! generates them again and fails if the checked-in file differs. After changing one of
//! these types, write the file anew with
//! `UPDATE_TS_TYPES=1 cargo test -p client-wasm --features ts --test ts_types`.
#![cfg(all(feature = "ts", not(target_arch = "wasm32")))]

use gfms_ledger::{
    Action, BalanceSheet, Expense, ExpenseKind, Extra, Filter, GroupSettings, HistoryEntry,
    Instance, Item, Itemized, ItemizedTotal, Member, MemberId, MemberStatus, MergeReport,
    PaymentDetails, PaymentLink, PlannedPayment, PushSubscription, Rate, Receipt, Recurring,
    Schedule, Series, Settlement, Split, State, Statistics, TemplateFrom, Transfer, Uncounted,
    Unit, Warning,
};
use gfms_sync::{
    AsideReason, Attached, DeviceView, KeptAside, KeyState, KeysView, MemberKeys, PendingBatch,
    ReceiptsPending, RelayHealth, RelayReport, Removal, SyncReport,
};
use ts_rs::{Config, TS};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src/core/types.gen.ts");

fn generated() -> String {
    // Amounts are minor units and times unix ms: far below 2^53, and JSON numbers in JS.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        MemberId::decl(&cfg),
        Rate::decl(&cfg),
        Split::decl(&cfg),
        ExpenseKind::decl(&cfg),
        Item::decl(&cfg),
        Extra::decl(&cfg),
        Itemized::decl(&cfg),
        Receipt::decl(&cfg),
        ItemizedTotal::decl(&cfg),
        Expense::decl(&cfg),
        Unit::decl(&cfg),
        Schedule::decl(&cfg),
        Recurring::decl(&cfg),
        TemplateFrom::decl(&cfg),
        Series::decl(&cfg),
        Instance::decl(&cfg),
        Action::decl(&cfg),
        HistoryEntry::decl(&cfg),
        PaymentDetails::decl(&cfg),
        PaymentLink::decl(&cfg),
        PlannedPayment::decl(&cfg),
        Settlement::decl(&cfg),
        GroupSettings::decl(&cfg),
        MemberStatus::decl(&cfg),
        Member::decl(&cfg),
        PushSubscription::decl(&cfg),
        Warning::decl(&cfg),
        State::decl(&cfg),
        DeviceView::decl(&cfg),
        AsideReason::decl(&cfg),
        KeptAside::decl(&cfg),
        Removal::decl(&cfg),
        KeyState::decl(&cfg),
        MemberKeys::decl(&cfg),
        KeysView::decl(&cfg),
        Attached::decl(&cfg),
        ReceiptsPending::decl(&cfg),
        Filter::decl(&cfg),
        Transfer::decl(&cfg),
        Uncounted::decl(&cfg),
        BalanceSheet::decl(&cfg),
        Statistics::decl(&cfg),
        MergeReport::decl(&cfg),
        PendingBatch::decl(&cfg),
        RelayHealth::decl(&cfg),
        RelayReport::decl(&cfg),
        SyncReport::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by client-wasm/tests/ts_types.rs (ts-rs): do not edit.\n\
         // UPDATE_TS_TYPES=1 cargo test -p client-wasm --features ts --test ts_types\n\
         /* eslint-disable */\n\n\
         /** A UUIDv7: the id of an event. */\n\
         export type EventId = string;\n",
    );
    for decl in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    out
}

#[test]
fn typescript_types_match_the_rust_types() {
    let want = generated();
    if std::env::var_os("UPDATE_TS_TYPES").is_some() {
        std::fs::write(FILE, &want).expect("write types.gen.ts");
        return;
    }
    let have = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        have == want,
        "web/src/core/types.gen.ts is not what the Rust types generate; run\n  \
         UPDATE_TS_TYPES=1 cargo test -p client-wasm --features ts --test ts_types\n\
         --- generated ---\n{want}"
    );
}
