//! Building an expense or an income from `gfms add` / `gfms income` words: several
//! payers (`--paid-by Alice=20,Bob=10`), itemized bills (`--item`, `--tip`, `--tax`).

use gfms_ledger::{
    Expense, ExpenseKind, Extra, Itemized, MemberId, Rate, State, format_amount, parse_amount,
};

use crate::Result;
use crate::args::AddArgs;
use crate::parse;

/// The expense (or income, when `kind` says so) `a` describes, with `me` as the payer
/// when none is named. For income the amount is entered positive and stored negative;
/// the payers are who received the money.
pub fn build(
    state: &State,
    me: MemberId,
    a: AddArgs,
    kind: ExpenseKind,
    currency: String,
    rate: Option<Rate>,
    date: String,
) -> Result<Expense> {
    let (amount, split, items) = if a.items.is_empty() {
        if a.tip.is_some() || a.tax.is_some() {
            return Err("--tip and --tax go with --item".into());
        }
        let text = a.amount.as_deref().ok_or("give --amount (or --item)")?;
        let amount = parse_amount(text, &currency).map_err(|e| e.to_string())?;
        (amount, parse::split(state, &a.split, &currency)?, None)
    } else {
        if kind == ExpenseKind::Income {
            return Err("income cannot be itemized".into());
        }
        if a.split != "equal" {
            return Err("an itemized bill is split by its items: drop --split".into());
        }
        let bill = Itemized {
            items: a
                .items
                .iter()
                .map(|spec| parse::item(state, spec, &currency))
                .collect::<Result<_>>()?,
            extras: [("tip", &a.tip), ("tax", &a.tax)]
                .into_iter()
                .filter_map(|(name, spec)| spec.as_ref().map(|s| parse::extra(name, s, &currency)))
                .collect::<Result<Vec<Extra>>>()?,
        };
        let (total, split) = bill.split().map_err(|e| e.to_string())?;
        if let Some(text) = &a.amount {
            let given = parse_amount(text, &currency).map_err(|e| e.to_string())?;
            if given != total {
                return Err(format!(
                    "the items come to {}, not {}: drop --amount or fix the items",
                    format_amount(total, &currency),
                    format_amount(given, &currency)
                ));
            }
        }
        (total, split, Some(bill))
    };
    let amount = match kind {
        ExpenseKind::Income if amount <= 0 => {
            return Err("income is an amount received: give it as a positive number".into());
        }
        ExpenseKind::Income => -amount,
        ExpenseKind::Expense => amount,
    };
    let payers = match &a.paid_by {
        Some(spec) => parse::payers(state, spec, amount, &currency)?,
        None => vec![(me, amount)],
    };
    Ok(Expense {
        title: String::new(),
        amount,
        currency,
        rate,
        category: a.category,
        shop: a.shop,
        account: a.account,
        payers,
        split,
        date,
        note: a.note,
        kind,
        items,
        import_id: String::new(),
        receipts: Vec::new(),
    })
}
