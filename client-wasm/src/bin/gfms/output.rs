//! What the read-only commands print: a table for people, `--json` for scripts.

use std::collections::BTreeMap;

use gfms_ledger::{Filter, MemberId, filtered, format_amount, statistics};
use gfms_sync::Group;
use serde_json::json;

use crate::out::say;
use crate::warnings::{kept_aside_lines, leaving_line, warnings};

pub(crate) fn names(group: &mut Group) -> BTreeMap<MemberId, String> {
    group
        .state()
        .members
        .iter()
        .map(|(id, m)| (*id, m.name.clone()))
        .collect()
}

pub(crate) fn name(names: &BTreeMap<MemberId, String>, id: &MemberId) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_string())
}

fn currency(group: &mut Group) -> String {
    group
        .state()
        .settings
        .as_ref()
        .map_or_else(|| "EUR".to_string(), |s| s.currency.clone())
}

fn print_json(v: &serde_json::Value) {
    say!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

pub fn list(group: &mut Group, filter: &Filter, as_json: bool) {
    let names = names(group);
    // Recurring instances are the expenses the state holds only as of today.
    let written: Vec<gfms_ledger::EventId> = group.state().expenses.keys().copied().collect();
    let state = &crate::recurring::on_today(group);
    let recurring = |id: &gfms_ledger::EventId| written.binary_search(id).is_err();
    let rows = filtered(state, filter);
    if as_json {
        let v: Vec<_> = rows
            .iter()
            .map(|(id, e)| {
                json!({
                    "id": id.to_string(),
                    "date": e.date,
                    "amount": e.amount,
                    "currency": e.currency,
                    "display": format_amount(e.amount, &e.currency),
                    "category": e.category,
                    "shop": e.shop,
                    "account": e.account,
                    "paid_by": e.payers.iter().map(|(m, a)| json!({"member": name(&names, m), "amount": a})).collect::<Vec<_>>(),
                    "note": e.note,
                    "kind": e.kind,
                    "items": e.items,
                    "recurring": recurring(id),
                })
            })
            .collect();
        print_json(&json!(v));
        return;
    }
    for (id, e) in rows {
        let payer = e
            .payers
            .iter()
            .map(|(m, _)| name(&names, m))
            .collect::<Vec<_>>()
            .join("+");
        let paid = match e.kind {
            gfms_ledger::ExpenseKind::Income => "received by",
            gfms_ledger::ExpenseKind::Expense => "paid by",
        };
        let mark = if recurring(id) { " (recurring)" } else { "" };
        say!(
            "{}  {:>12} {}  {:<12} {:<16} {:<8} {paid} {:<10} {}{mark}",
            e.date,
            format_amount(e.amount, &e.currency),
            e.currency,
            e.category,
            e.shop,
            e.account,
            payer,
            id
        );
    }
}

pub fn balance_table(group: &mut Group, as_json: bool) {
    let names = names(group);
    let cur = currency(group);
    let state = &crate::recurring::on_today(group);
    // A claimed name-only member's history is its claimer's: it has nothing left to show.
    let b: BTreeMap<MemberId, i64> = gfms_ledger::balances(state)
        .into_iter()
        .filter(|(m, _)| {
            state
                .members
                .get(m)
                .is_none_or(|x| x.status != gfms_ledger::MemberStatus::Claimed)
        })
        .collect();
    if as_json {
        let v: serde_json::Map<String, serde_json::Value> =
            b.iter().map(|(m, a)| (name(&names, m), json!(a))).collect();
        print_json(&json!({"currency": cur, "balances": v}));
        return;
    }
    for (m, a) in &b {
        say!(
            "{:<16} {:>12} {cur}",
            name(&names, m),
            format_amount(*a, &cur)
        );
    }
}

pub fn plan(group: &mut Group, as_json: bool) {
    let names = names(group);
    let cur = currency(group);
    let plan = gfms_ledger::plan_with_details(&crate::recurring::on_today(group));
    if as_json {
        let v: Vec<_> = plan
            .iter()
            .map(|p| {
                let t = &p.transfer;
                json!({"from": name(&names, &t.from), "to": name(&names, &t.to), "amount": t.amount,
                       "pay_to": p.details, "links": p.links})
            })
            .collect();
        print_json(&json!({"currency": cur, "transfers": v}));
        return;
    }
    if plan.is_empty() {
        say!("all settled");
    }
    for p in plan {
        let t = &p.transfer;
        say!(
            "{} pays {} {} {cur}",
            name(&names, &t.from),
            name(&names, &t.to),
            format_amount(t.amount, &cur)
        );
        if let Some(d) = &p.details {
            for (label, v) in [("IBAN", &d.iban), ("Lydia", &d.lydia), ("note", &d.note)] {
                if let Some(v) = v {
                    say!("    {label}: {v}");
                }
            }
        }
        for l in &p.links {
            say!("    {}: {}", l.scheme, l.url);
        }
    }
}

pub fn members(group: &mut Group, as_json: bool) {
    let me = group.me();
    let waiting: BTreeMap<MemberId, usize> = group
        .pending()
        .iter()
        .flat_map(|p| p.missing.iter())
        .fold(BTreeMap::new(), |mut acc, m| {
            *acc.entry(*m).or_default() += 1;
            acc
        });
    let state = group.state();
    if as_json {
        let v: Vec<_> = state
            .members
            .iter()
            .map(|(id, m)| {
                json!({"id": id.to_string(), "name": m.name, "status": m.status, "you": *id == me,
                       "placeholder": m.placeholder,
                       "waiting_batches": waiting.get(id).copied().unwrap_or(0)})
            })
            .collect();
        print_json(&json!(v));
        return;
    }
    for (id, m) in &state.members {
        let you = if *id == me { " (you)" } else { "" };
        let status = serde_json::to_value(m.status)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let sync = match (waiting.get(id), m.placeholder) {
            (_, true) => "added by name (no device)".into(),
            (Some(n), _) => format!("waiting for {n} batch(es)"),
            (None, _) => "up to date".into(),
        };
        say!("{:<16} {:<8} {sync}{you}", m.name, status);
    }
}

pub fn status(group: &mut Group, as_json: bool) {
    let names = names(group);
    let pending = group.pending().to_vec();
    let unsent = group.unsent_count();
    let last = group.last_sync_ms();
    if as_json {
        let v: Vec<_> = pending
            .iter()
            .map(|p| {
                json!({
                    "batch_id": p.batch_id, "events": p.events, "created_ms": p.created_ms,
                    "sum_s": p.sum_s, "target": p.target,
                    "missing": p.missing.iter().map(|m| name(&names, m)).collect::<Vec<_>>(),
                    "expires_at": p.expires_at, "reput": p.reput,
                })
            })
            .collect();
        let warnings = group.state().warnings.clone();
        print_json(&json!({"last_sync_ms": last, "unsent_events": unsent,
                           "outbox": group.outbox_len(), "pending": v,
                           "leaving": group.leaving(), "ready_to_delete": group.ready_to_delete(),
                           "alone": group.alone(),
                           "newer_events": group.newer_events(),
                           "unread_batches": group.unread_batches(),
                           "kept_aside": group.kept_aside(),
                           "removal": group.removal(),
                           "warnings": warnings}));
        return;
    }
    if group.leaving() {
        say!("{}", leaving_line(group));
    }
    let newer = group.newer_events().len();
    if newer > 0 || group.unread_batches() > 0 {
        say!(
            "{newer} event(s) and {} batch(es) from a newer version of GFMS are kept, not shown; upgrade to see them",
            group.unread_batches()
        );
    }
    for w in warnings(group) {
        say!("warning: {w}");
    }
    for line in kept_aside_lines(group) {
        say!("warning: {line}");
    }
    say!(
        "last sync: {}",
        if last == 0 { "never".into() } else { utc(last) }
    );
    say!(
        "unsent events: {unsent}; batches on their way: {}",
        group.outbox_len()
    );
    for p in pending {
        let missing: Vec<String> = p.missing.iter().map(|m| name(&names, m)).collect();
        say!(
            "batch {} ({} event{}): sum s_i = {} of (m-1)k = {}; missing: {}; expires {}",
            p.batch_id.get(..12).unwrap_or(&p.batch_id),
            p.events,
            if p.events == 1 { "" } else { "s" },
            p.sum_s,
            p.target,
            if missing.is_empty() {
                "-".into()
            } else {
                missing.join(", ")
            },
            utc(p.expires_at)
        );
    }
}

/// Unix milliseconds as a UTC time a person reads ("2026-11-25 13:04:05 UTC"); the
/// number itself if it is out of range.
fn utc(ms: u64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => format!(
            "{} {:02}:{:02}:{:02} UTC",
            t.date(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => format!("{ms} (unix ms)"),
    }
}

pub fn stats(group: &mut Group, as_json: bool) {
    let names = names(group);
    let cur = currency(group);
    let mut s = statistics(&crate::recurring::on_today(group), &Filter::default());
    s.by_payer = s
        .by_payer
        .into_iter()
        .map(|(k, v)| {
            let label = MemberId::parse(&k).map(|m| name(&names, &m)).unwrap_or(k);
            (label, v)
        })
        .collect();
    if as_json {
        print_json(&json!({"currency": cur, "statistics": s}));
        return;
    }
    say!("total {} {cur}", format_amount(s.total, &cur));
    for (title, map) in [
        ("category", &s.by_category),
        ("month", &s.by_month),
        ("shop", &s.by_shop),
        ("account", &s.by_account),
        ("payer", &s.by_payer),
    ] {
        say!("by {title}:");
        for (k, v) in map {
            say!("  {k:<20} {:>12}", format_amount(*v, &cur));
        }
    }
}

/// `gfms members --safety`: this device's safety code, each member's (or that it still
/// runs a release before member keys), and whether the group is signed.
pub fn safety(group: &mut Group, as_json: bool) {
    let view = group.keys_view();
    if as_json {
        print_json(&json!(view));
        return;
    }
    let names: BTreeMap<MemberId, String> = group
        .state()
        .members
        .iter()
        .map(|(id, m)| (*id, m.name.clone()))
        .collect();
    say!("your safety code: {}", view.my_safety_code);
    for m in &view.members {
        let name = names.get(&m.member).map_or("?", String::as_str);
        let code = match &m.safety_code {
            Some(code) => code.clone(),
            None => "no keys yet (runs an older version)".into(),
        };
        let conflict = if m.conflicting_keys > 0 {
            format!(
                " — {} other key(s) published in this name, not used",
                m.conflicting_keys
            )
        } else {
            String::new()
        };
        say!("{name:<16} {code}{conflict}");
    }
    if view.signed {
        say!("signed: every member's events are signed and checked");
    } else {
        say!("not signed yet: waiting for the members above without keys to update");
    }
    for line in kept_aside_lines(group) {
        say!("{line}");
    }
}

pub fn history(group: &mut Group, lines: &[gfms_ledger::HistoryEntry], as_json: bool) {
    let names = names(group);
    if as_json {
        let v: Vec<_> = lines
            .iter()
            .map(|h| {
                json!({"event": h.event.to_string(), "subject": h.subject.to_string(),
                            "what": h.what, "action": h.action, "author": name(&names, &h.author),
                            "at": utc(h.at_ms), "changed": h.changed, "date": h.date,
                            "overrides": h.overrides.iter().map(ToString::to_string).collect::<Vec<_>>()})
            })
            .collect();
        print_json(&json!(v));
        return;
    }
    for h in lines {
        let action = serde_json::to_value(h.action)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let changed = if h.changed.is_empty() {
            String::new()
        } else {
            format!(" ({})", h.changed.join(", "))
        };
        let changed = match &h.date {
            Some(d) => format!("{changed} on {d}"),
            None => changed,
        };
        say!(
            "{}  {:<10} {} {} {}{changed}  [{}]",
            utc(h.at_ms),
            name(&names, &h.author),
            action,
            h.what,
            h.subject,
            h.event
        );
        for other in &h.overrides {
            say!(
                "    replaced a concurrent edit of the same field: gfms restore {} --to {other}",
                h.subject
            );
        }
    }
}
