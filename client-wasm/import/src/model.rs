//! What an import produces: a value the app and the CLI show as a preview, then turn into
//! ledger events ([`ImportedExpense::to_expense`], [`ImportedTransfer::to_settlement`]).
//! Members are referred to by their index in [`Import::members`]; they become
//! placeholder members (names only) until someone claims them.

use std::collections::BTreeMap;

use gfms_ledger::{Expense, ExpenseKind, MemberId, Rate, Settlement, Split};
use serde::{Deserialize, Serialize};

use crate::{DateOrder, Error};

/// Which app a file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Splitwise's group export ("Export as spreadsheet").
    Splitwise,
    /// Tricount's data export (CSV).
    Tricount,
}

/// Choices the user can make when a file alone does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// How to read dates like `03/05/2024` when the file's other dates do not tell.
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// Tricount: the group's default currency, when the file does not show it.
    #[serde(default)]
    pub group_currency: Option<String>,
}

/// Each member's balance (index as in [`Import::members`]) per currency, in minor units:
/// positive is owed to the member, negative owes.
pub type Balances = BTreeMap<String, Vec<i64>>;

/// A whole file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// Where it came from.
    pub source: Source,
    /// Members' names, in the file's column order; each becomes a placeholder member.
    pub members: Vec<String>,
    /// Currencies used: the group's first when the file says it, then the most used (ties
    /// in alphabetical order).
    pub currencies: Vec<String>,
    /// The group's currency when the file says (Tricount's default currency).
    pub group_currency: Option<String>,
    /// Expenses, in file order.
    pub expenses: Vec<ImportedExpense>,
    /// Repayments between two members, in file order.
    pub transfers: Vec<ImportedTransfer>,
    /// The balances the other app shows (Splitwise's `Total balance` rows; for Tricount,
    /// which writes none, each row's paid minus impacted cells added up).
    pub balances_expected: Balances,
    /// The balances the ledger computes from what was rebuilt, per currency.
    pub balances_rebuilt: Balances,
    /// Every member and currency where the two disagree; empty when the import is exact.
    pub differences: Vec<BalanceDifference>,
    /// What was accepted but changed or guessed, for the preview.
    pub warnings: Vec<Warning>,
}

impl Import {
    /// True when every rebuilt balance equals the other app's, to the minor unit.
    pub fn is_balanced(&self) -> bool {
        self.differences.is_empty()
    }

    /// Sets the exchange rate to the group currency of every expense and transfer in
    /// `currency` (the preview asks for one per foreign currency: Splitwise keeps
    /// balances per currency, a GFMS group keeps them in one).
    pub fn set_rate(&mut self, currency: &str, rate: Rate) {
        for e in self.expenses.iter_mut().filter(|e| e.currency == currency) {
            e.rate = Some(rate);
        }
        for t in self.transfers.iter_mut().filter(|t| t.currency == currency) {
            t.rate = Some(rate);
        }
    }
}

/// An expense rebuilt as payers and exact parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedExpense {
    /// The line it came from.
    pub line: u64,
    /// Its description.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The other app's category.
    pub category: String,
    /// Minor units of `currency`; negative for money received (a refund, an income).
    pub amount: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Minor units of the group currency per minor unit of `currency`, when known.
    pub rate: Option<Rate>,
    /// Who paid how much (member index, minor units); sums to `amount`.
    pub payers: Vec<(usize, i64)>,
    /// Who owes how much (member index, minor units); sums to `amount`.
    pub parts: Vec<(usize, i64)>,
    /// Anything else worth keeping (the original amount of a converted row).
    pub note: String,
    /// Money spent, or money received for the group (a refund, an income: the amount,
    /// payers and parts are negative, the payers are who received it).
    pub kind: ExpenseKind,
}

/// A repayment from one member to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedTransfer {
    /// The line it came from.
    pub line: u64,
    /// Its description.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Who paid (member index).
    pub from: usize,
    /// Who received (member index).
    pub to: usize,
    /// Minor units of `currency`, positive.
    pub amount: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Minor units of the group currency per minor unit of `currency`, when known.
    pub rate: Option<Rate>,
}

fn member(members: &[MemberId], index: usize, line: u64) -> Result<MemberId, Error> {
    members.get(index).copied().ok_or_else(|| Error::Row {
        line,
        problem: format!("member {index} has no id"),
    })
}

impl ImportedExpense {
    /// The ledger expense, given the id each member (by index) was given. The title goes
    /// to `shop`, which the app shows as an expense's name; the split is exact.
    pub fn to_expense(&self, members: &[MemberId]) -> Result<Expense, Error> {
        let ids = |list: &[(usize, i64)]| {
            list.iter()
                .map(|(i, a)| Ok((member(members, *i, self.line)?, *a)))
                .collect::<Result<Vec<_>, Error>>()
        };
        Ok(Expense {
            title: String::new(),
            amount: self.amount,
            currency: self.currency.clone(),
            rate: self.rate,
            category: self.category.clone(),
            shop: self.title.clone(),
            account: String::new(),
            payers: ids(&self.payers)?,
            split: Split::Exact {
                amounts: ids(&self.parts)?,
            },
            date: self.date.clone(),
            note: self.note.clone(),
            kind: self.kind,
            ..Expense::default()
        })
    }
}

impl ImportedTransfer {
    /// The ledger settlement, given the id each member (by index) was given.
    pub fn to_settlement(&self, members: &[MemberId]) -> Result<Settlement, Error> {
        Ok(Settlement {
            from: member(members, self.from, self.line)?,
            to: member(members, self.to, self.line)?,
            amount: self.amount,
            currency: self.currency.clone(),
            rate: self.rate,
            date: self.date.clone(),
            import_id: String::new(),
        })
    }
}

/// One member's balance in one currency, where the other app and the rebuild disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceDifference {
    /// The currency.
    pub currency: String,
    /// The member's index.
    pub member: usize,
    /// What the other app shows.
    pub expected: i64,
    /// What the ledger computes from the import.
    pub rebuilt: i64,
}

/// Something accepted but changed, guessed or left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The line it is about, if one.
    pub line: Option<u64>,
    /// What kind of thing happened.
    pub kind: WarningKind,
    /// Said for a person.
    pub message: String,
}

/// The kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Lines before the header (a note at the top of the file) were skipped.
    Preamble,
    /// The header's names were not recognised; its columns were read by position.
    HeaderByPosition,
    /// A member's name was empty or repeated, and was given a distinct one.
    RenamedMember,
    /// A text was longer than the import keeps, and was cut.
    Shortened,
    /// Control characters in a text were replaced by spaces.
    ControlCharacters,
    /// A row that changes no balance (a zero amount, nobody paying) was left out.
    Skipped,
    /// Several payers in one row: what each paid is inferred (the balances are exact).
    InferredPayers,
    /// A payment row that is not between two people was imported as an expense.
    PaymentAsExpense,
    /// No `Total balance` row for a currency: the rows themselves were added up.
    NoTotals,
    /// A stated exchange rate does not reproduce the converted amount; the rate is taken
    /// from the two amounts instead.
    RateFromAmounts,
    /// A foreign-currency row whose shares are in the group currency was imported in
    /// the group currency (its original amount is in the note).
    ConvertedToGroupCurrency,
    /// More warnings than are kept; the rest are counted here.
    TooManyWarnings,
}

/// At most this many warnings are kept (a hostile file could earn one per row).
pub(crate) const MAX_WARNINGS: usize = 200;

/// Collects warnings up to [`MAX_WARNINGS`], then counts.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    list: Vec<Warning>,
    dropped: usize,
}

impl Warnings {
    pub fn push(&mut self, line: Option<u64>, kind: WarningKind, message: String) {
        if self.list.len() < MAX_WARNINGS {
            self.list.push(Warning {
                line,
                kind,
                message,
            });
        } else {
            self.dropped += 1;
        }
    }

    /// Warns about what cleaning a text cell did.
    pub fn cleaned(&mut self, line: u64, what: &str, cleaned: crate::text::Cleaned) {
        if cleaned.controls {
            self.push(
                Some(line),
                WarningKind::ControlCharacters,
                format!("control characters in the {what} were replaced by spaces"),
            );
        }
        if cleaned.shortened {
            self.push(
                Some(line),
                WarningKind::Shortened,
                format!("the {what} was too long and was cut"),
            );
        }
    }

    pub fn finish(mut self) -> Vec<Warning> {
        if self.dropped > 0 {
            self.list.push(Warning {
                line: None,
                kind: WarningKind::TooManyWarnings,
                message: format!("{} more warnings", self.dropped),
            });
        }
        self.list
    }
}
