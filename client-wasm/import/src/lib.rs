//! Moving a group's history in from Splitwise and Tricount, and out again in
//! Splitwise's shape.
//!
//! [`parse_splitwise`] and [`parse_tricount`] (or [`parse`], which tells them apart) read
//! an export file into an [`Import`]: members as placeholder names, expenses rebuilt as
//! payers and exact parts, settlements as transfers between two members. Pure functions
//! over bytes: no IO, no clock, no floats. A file is imported whole or refused with the
//! line that is wrong; what is accepted but changed is listed in [`Import::warnings`].
//!
//! The import checks itself: it hands what it rebuilt to the ledger
//! ([`gfms_ledger::balances`]) and compares each member's balance, per currency, with the
//! one the other app shows ([`Import::differences`]).
//!
//! [`export_splitwise`] writes a ledger [`gfms_ledger::State`] in Splitwise's shape, and
//! reading that back gives the same balances (property test).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod amount;
mod cells;
mod check;
mod date;
mod error;
mod export;
mod model;
mod plan;
mod splitwise;
mod text;
mod tricount;
#[cfg(target_arch = "wasm32")]
mod wasm;
mod writes;

pub use cells::MAX_MEMBERS;
pub use date::DateOrder;
pub use error::Error;
pub use export::export_splitwise;
pub use model::{
    BalanceDifference, Balances, Import, ImportedExpense, ImportedTransfer, Options, Source,
    Warning, WarningKind,
};
pub use plan::{
    GroupMember, GroupView, MAX_RECORDS, Match, Plan, PlanOptions, PlannedExpense, PlannedMember,
    PlannedTransfer, plan,
};
pub use splitwise::parse_splitwise;
pub use text::MAX_FILE_BYTES;
pub use tricount::parse_tricount;
pub use writes::{Checked, Disagreement, Writes, check};

/// Reads an export from either app: a header with Tricount's paired `Paid by` /
/// `Impacted to` member columns is Tricount's, anything else is read as Splitwise's.
pub fn parse(bytes: &[u8], options: &Options) -> Result<Import, Error> {
    let rows = text::read_rows(bytes)?;
    if rows
        .iter()
        .take(20)
        .any(|r| tricount::member_columns(r).is_some())
    {
        tricount::from_rows(&rows, options)
    } else {
        splitwise::from_rows(&rows, options)
    }
}
