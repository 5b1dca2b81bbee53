//! The CSV people open in a spreadsheet at a trip's end: every expense and every payment,
//! newest first, with members' names; a foreign-currency row also gives its rate and its
//! amount in the group currency, the amount the balances use.
//!
//! Members' words are neutralised against formula injection as `gfms_ledger::export_csv`
//! does ([`text_cell`]); amounts and rates are ours and stay numbers.

use std::borrow::Cow;

use gfms_ledger::{
    EventId, Expense, MemberId, Rate, Settlement, State, currency_exponent, format_amount,
    in_group_currency, split_amount,
};

/// A cell of text a member wrote, safe to open in a spreadsheet: text a spreadsheet would
/// run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return,
/// OWASP's list) gets a leading apostrophe, so it shows as text.
pub(crate) fn text_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// "0.92": how much one unit of `from` is worth in `to`, to 6 decimals at most (the
/// amounts themselves are converted exactly, by the ledger).
pub(crate) fn format_rate(rate: &Rate, from: &str, to: &str) -> String {
    const DECIMALS: u32 = 6;
    let num =
        i128::from(rate.numerator) * 10i128.pow(currency_exponent(from)) * 10i128.pow(DECIMALS);
    let den = i128::from(rate.denominator.max(1)) * 10i128.pow(currency_exponent(to));
    let scaled = (2 * num + den) / (2 * den);
    let scale = 10i128.pow(DECIMALS);
    let text = format!(
        "{}.{:0width$}",
        scaled / scale,
        scaled % scale,
        width = DECIMALS as usize
    );
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One line of the table.
struct Row<'a> {
    date: &'a str,
    id: &'a EventId,
    cells: [String; 14],
}

/// The columns, in order.
fn header(group: Option<&str>) -> [String; 14] {
    [
        "Date".into(),
        "Type".into(),
        "What".into(),
        "Amount".into(),
        "Currency".into(),
        "Rate".into(),
        group.map_or_else(
            || "Amount in group currency".into(),
            |g| format!("Amount in {g}"),
        ),
        "Paid by".into(),
        "For".into(),
        "Category".into(),
        "Shop".into(),
        "Account".into(),
        "Note".into(),
        "Id".into(),
    ]
}

struct Names<'a>(&'a State);

impl Names<'_> {
    fn of(&self, m: &MemberId) -> String {
        self.0
            .members
            .get(m)
            .map_or_else(|| m.to_string(), |x| x.name.clone())
    }

    /// "Ann 12.50; Bob 3.00".
    fn with_amounts(&self, parts: &[(MemberId, i64)], currency: &str) -> String {
        parts
            .iter()
            .map(|(m, a)| format!("{} {}", self.of(m), format_amount(*a, currency)))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The rate and group-currency amount cells of a row in `currency`.
fn conversion(
    group: Option<&str>,
    currency: &str,
    rate: Option<&Rate>,
    converted: Option<i64>,
) -> (String, String) {
    match (group, converted) {
        (Some(g), Some(v)) if g != currency => (
            rate.map(|r| format_rate(r, currency, g))
                .unwrap_or_default(),
            format_amount(v, g),
        ),
        (Some(g), Some(v)) => (String::new(), format_amount(v, g)),
        _ => (String::new(), String::new()),
    }
}

fn expense_row<'a>(state: &State, names: &Names<'_>, id: &'a EventId, e: &'a Expense) -> Row<'a> {
    let group = state.settings.as_ref().map(|s| s.currency.as_str());
    let (rate, converted) = conversion(
        group,
        &e.currency,
        e.rate.as_ref(),
        in_group_currency(state, e),
    );
    let shared = split_amount(e.amount, &e.split)
        .map(|parts| names.with_amounts(&parts, &e.currency))
        .unwrap_or_default();
    Row {
        date: &e.date,
        id,
        cells: [
            text_cell(&e.date).into_owned(),
            if e.amount < 0 { "refund" } else { "expense" }.into(),
            text_cell(&e.title).into_owned(),
            format_amount(e.amount, &e.currency),
            text_cell(&e.currency).into_owned(),
            rate,
            converted,
            text_cell(&names.with_amounts(&e.payers, &e.currency)).into_owned(),
            text_cell(&shared).into_owned(),
            text_cell(&e.category).into_owned(),
            text_cell(&e.shop).into_owned(),
            text_cell(&e.account).into_owned(),
            text_cell(&e.note).into_owned(),
            id.to_string(),
        ],
    }
}

fn payment_row<'a>(
    state: &State,
    names: &Names<'_>,
    id: &'a EventId,
    s: &'a Settlement,
) -> Row<'a> {
    let group = state.settings.as_ref().map(|x| x.currency.as_str());
    let converted = match (group, s.rate) {
        (Some(g), _) if g == s.currency => Some(s.amount),
        (Some(_), Some(r)) if r.check().is_ok() => Some(r.convert(s.amount)),
        _ => None,
    };
    let (rate, converted) = conversion(group, &s.currency, s.rate.as_ref(), converted);
    let (from, to) = (names.of(&s.from), names.of(&s.to));
    Row {
        date: &s.date,
        id,
        cells: [
            text_cell(&s.date).into_owned(),
            "payment".into(),
            text_cell(&format!("{from} paid {to}")).into_owned(),
            format_amount(s.amount, &s.currency),
            text_cell(&s.currency).into_owned(),
            rate,
            converted,
            text_cell(&names.with_amounts(&[(s.from, s.amount)], &s.currency)).into_owned(),
            text_cell(&names.with_amounts(&[(s.to, s.amount)], &s.currency)).into_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            id.to_string(),
        ],
    }
}

/// Every expense and payment of `state` as CSV (RFC 4180), newest day first.
pub fn expenses_and_payments_csv(state: &State) -> String {
    let names = Names(state);
    let mut rows: Vec<Row<'_>> = state
        .expenses
        .iter()
        .map(|(id, e)| expense_row(state, &names, id, e))
        .chain(
            state
                .settlements
                .iter()
                .map(|(id, s)| payment_row(state, &names, id, s)),
        )
        .collect();
    rows.sort_by(|a, b| b.date.cmp(a.date).then(b.id.cmp(a.id)));
    let group = state.settings.as_ref().map(|s| s.currency.as_str());
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header(group));
    for row in rows {
        let _ = w.write_record(&row.cells);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_one_unit_in_the_group_currency() {
        // 0.92 EUR per USD: 92/100 cent per cent
        let r = Rate {
            numerator: 92,
            denominator: 100,
        };
        assert_eq!(format_rate(&r, "USD", "EUR"), "0.92");
        // 1 EUR = 160.5 JPY: 1605 yen per 1000 cents
        let r = Rate {
            numerator: 1605,
            denominator: 1000,
        };
        assert_eq!(format_rate(&r, "EUR", "JPY"), "160.5");
        let third = Rate {
            numerator: 1,
            denominator: 3,
        };
        assert_eq!(format_rate(&third, "EUR", "EUR"), "0.333333");
    }

    #[test]
    fn members_words_cannot_start_a_formula() {
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text_cell("-2+3"), "'-2+3");
        assert_eq!(text_cell("Bakery"), "Bakery");
    }
}
