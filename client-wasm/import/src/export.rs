//! The ledger as a Splitwise-shaped CSV, which Splitwise-style tools (and this crate's
//! own [`crate::parse_splitwise`]) read back: the same columns, each member's net per
//! row, `Payment` rows for settlements and a `Total balance` footer per currency.

use std::collections::BTreeMap;

use gfms_ledger::{EventId, MemberId, State, format_amount, split_amount};

/// A cell of text written by a member, safe to open in a spreadsheet: text starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP's list) gets a leading
/// apostrophe, as `gfms_ledger::export_csv` does; the import takes it off again. Only
/// members' words are treated: the amounts are ours and stay numbers.
fn text_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// One row before writing: when, what, and each member's net in its currency.
struct Line {
    date: String,
    id: EventId,
    description: String,
    category: String,
    cost: i64,
    currency: String,
    nets: Vec<i64>,
}

/// The ledger's expenses and settlements as a Splitwise group export, oldest first.
/// Every member the ledger has seen gets a column. Expenses and settlements the ledger
/// leaves out of its balances (ones that do not validate, a foreign currency without a
/// rate) are left out here too, so the file's `Total balance` rows are the ledger's
/// balances, per currency. An expense's description is its shop, else its note, else
/// its category.
pub fn export_splitwise(state: &State) -> String {
    let members: Vec<&MemberId> = state.members.keys().collect();
    let column: BTreeMap<&MemberId, usize> =
        members.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let name = |m: &MemberId| {
        state
            .members
            .get(m)
            .map_or(String::new(), |x| x.name.clone())
    };
    let group = state.settings.as_ref().map(|s| s.currency.as_str());
    let mut lines: Vec<Line> = Vec::new();
    for (id, e) in &state.expenses {
        let group = group.unwrap_or(&e.currency);
        if e.amount == 0 || e.validate(group).is_err() {
            continue;
        }
        let Ok(owed) = split_amount(e.amount, &e.split) else {
            continue;
        };
        let mut nets = vec![0i64; members.len()];
        let add = |nets: &mut Vec<i64>, m: &MemberId, v: i64| {
            if let Some(i) = column.get(m) {
                nets[*i] = nets[*i].saturating_add(v);
            }
        };
        for (m, a) in &e.payers {
            add(&mut nets, m, *a);
        }
        for (m, a) in &owed {
            add(&mut nets, m, a.saturating_neg());
        }
        let description = [&e.shop, &e.note, &e.category]
            .into_iter()
            .find(|t| !t.trim().is_empty())
            .map_or(String::new(), |t| t.lines().next().unwrap_or("").to_owned());
        lines.push(Line {
            date: e.date.clone(),
            id: *id,
            description,
            category: e.category.clone(),
            cost: e.amount,
            currency: e.currency.clone(),
            nets,
        });
    }
    for (id, s) in &state.settlements {
        let counted =
            group.is_none_or(|g| s.currency == g || s.rate.is_some_and(|r| r.check().is_ok()));
        let (Some(from), Some(to)) = (column.get(&s.from), column.get(&s.to)) else {
            continue;
        };
        if !counted || s.amount == 0 || from == to {
            continue;
        }
        // A negative settlement is the same money moving the other way.
        let (from, to, amount) = if s.amount < 0 {
            (*to, *from, s.amount.saturating_neg())
        } else {
            (*from, *to, s.amount)
        };
        let mut nets = vec![0i64; members.len()];
        nets[from] = amount;
        nets[to] = -amount;
        lines.push(Line {
            date: s.date.clone(),
            id: *id,
            description: format!("{} paid {}", name(members[from]), name(members[to])),
            category: "Payment".into(),
            cost: amount,
            currency: s.currency.clone(),
            nets,
        });
    }
    lines.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));

    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["Date", "Description", "Category", "Cost", "Currency"]
        .map(String::from)
        .into();
    header.extend(members.iter().map(|m| text_cell(&name(m))));
    let _ = w.write_record(&header);
    let mut totals: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for l in &lines {
        let total = totals
            .entry(&l.currency)
            .or_insert_with(|| vec![0; members.len()]);
        for (t, n) in total.iter_mut().zip(&l.nets) {
            *t = t.saturating_add(*n);
        }
        let mut record = vec![
            text_cell(&l.date),
            text_cell(&l.description),
            text_cell(&l.category),
            format_amount(l.cost, &l.currency),
            text_cell(&l.currency),
        ];
        record.extend(l.nets.iter().map(|n| format_amount(*n, &l.currency)));
        let _ = w.write_record(&record);
    }
    // Splitwise separates the footer with an empty line; the csv writer cannot write an
    // empty record, so the footer is written after it.
    let mut out = w.into_inner().unwrap_or_default();
    if !totals.is_empty() {
        out.extend_from_slice(b"\n");
    }
    let mut w = csv::Writer::from_writer(out);
    let last = lines.last().map_or("", |l| l.date.as_str());
    for (currency, total) in &totals {
        let mut record = vec![
            text_cell(last),
            "Total balance".into(),
            " ".into(),
            " ".into(),
            text_cell(currency),
        ];
        record.extend(total.iter().map(|n| format_amount(*n, currency)));
        let _ = w.write_record(&record);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
