//! The group ledger every device holds in full.
//!
//! The ledger is a set of [`Event`]s. Its [`State`] is a pure function of that set —
//! events are applied in `(lamport, author, id)` order, so edits and deletes are
//! last-writer-wins and two devices that saw the same events, in any order and with any
//! duplicates, show the same state. No IO and no clock: callers pass ids and times.
//!
//! Changes a member makes ([`change`]: add an expense, remove a member, …) are checked
//! against the state here and become event bodies the device records ([`Ledger::record`]).
//!
//! Money is integer minor units with an ISO 4217 currency; splits are exact (the parts
//! always sum to the amount, rounding by largest remainder with ties broken by member id),
//! and balances are computed in the group currency.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod balance;
mod bounds;
pub mod change;
#[cfg(feature = "recurring")]
mod dates;
mod edits;
mod error;
mod event;
mod export;
#[cfg(test)]
mod fixtures;
mod fold;
mod history;
mod ids;
mod items;
mod keys;
mod money;
pub mod order;
mod pay;
mod placeholder;
mod receipts;
#[cfg(feature = "recurring")]
mod recurring;
mod rescale;
mod split;
mod state;
mod stored;
mod views;
mod wire;

pub use balance::{BalanceSheet, Transfer, Uncounted, balance_sheet, balances, settle_up};
pub use bounds::{MAX_AMOUNT, MAX_JSON_INT};
pub use edits::ExpenseChanges;
pub use error::Error;
pub use event::{
    Event, EventBody, Expense, ExpenseKind, GroupSettings, PushSubscription, SCHEMA_VERSION,
    Settlement,
};
pub use export::{FORMAT, export_csv, export_json, format_amount, import_json, read_backup};
pub use fold::Fold;
#[cfg(feature = "recurring")]
pub use history::instance_history;
pub use history::{Action, HistoryEntry, activity, changed_fields, history, restore};
pub use ids::{EventId, MemberId, new_event_id};
pub use items::{Extra, Item, Itemized, ItemizedTotal, MAX_EXTRAS, MAX_ITEMS};
pub use keys::{Card, SealedSecret};
pub use money::{Rate, currency_exponent, parse_amount};
pub use pay::{
    MAX_PAYMENT_HANDLE, MAX_PAYMENT_NOTE, PaymentDetails, PaymentLink, PlannedPayment,
    plan_with_details, set_payment_details,
};
pub use placeholder::{add_placeholder, claim_placeholder, placeholder_id};
pub use receipts::{
    MAX_RECEIPT_BYTES, MAX_RECEIPT_MIME, MAX_RECEIPT_NAME, Receipt, attach_receipt, is_hash,
    remove_receipt, want_receipt,
};
#[cfg(feature = "recurring")]
pub use recurring::{
    Instance, InstanceOf, MAX_EVERY, MAX_INSTANCES, MAX_OCCURRENCES, Recurring, Schedule, Series,
    TemplateFrom, Unit, add_due, add_recurring, due, due_instances, edit_instance, edit_series,
    instance_id, stop_recurring, with_due,
};
pub use rescale::rescale;
pub use split::{Split, split_amount};
pub use state::{Ledger, Member, MemberStatus, MergeReport, State, Warning};
pub use stored::{Reading, StoredEvent};
pub use views::{Filter, Statistics, filtered, in_group_currency, statistics};
