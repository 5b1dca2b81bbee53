//! Events: everything that happens in a group is one, and the ledger is their set.
//! The schema is versioned (`v`) and open: an event of a kind this version does not know
//! (it parses as [`EventBody::Unknown`]), of a newer `v`, or with a value it cannot read
//! is stored as its exact bytes and not applied (`stored.rs`), so old apps keep and
//! forward new events (receipt attachments, recurring templates) unchanged.

use serde::{Deserialize, Serialize};

use crate::items::Itemized;
use crate::money::check_currency;
use crate::{Card, Error, EventId, MemberId, Rate, SealedSecret, Split, split_amount};

/// The event schema version this code writes.
pub const SCHEMA_VERSION: u32 = 1;

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Schema version.
    pub v: u32,
    /// Unique id (UUIDv7).
    pub id: EventId,
    /// Lamport clock: greater than every event its author had seen.
    pub lamport: u64,
    /// Who wrote it.
    pub author: MemberId,
    /// When, unix ms, by the author's clock (display only; order comes from `lamport`).
    pub at_ms: u64,
    /// What happened.
    pub body: EventBody,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)] // Deserialize: wire.rs
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    /// The group was created (its first settings).
    GroupCreated {
        /// Settings.
        settings: GroupSettings,
    },
    /// New settings (the whole value; last writer wins).
    SettingsChanged {
        /// Settings.
        settings: GroupSettings,
    },
    /// A member joined. A device with member keys puts its card here and signs the
    /// event with it; older devices wrote neither.
    MemberJoined {
        /// Who.
        member: MemberId,
        /// Display name.
        name: String,
        /// The joining device's public card (absent from devices before member keys).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        card: Option<Card>,
        /// The key epoch of the invite it joined with (0, left out, before any).
        #[serde(default, skip_serializing_if = "is_zero")]
        epoch: u64,
    },
    /// A member's new display name.
    MemberRenamed {
        /// Who.
        member: MemberId,
        /// New name.
        name: String,
    },
    /// A member left.
    MemberLeft {
        /// Who.
        member: MemberId,
    },
    /// A member was removed (a lost phone); they no longer block synchronisation.
    MemberRemoved {
        /// Who.
        member: MemberId,
    },
    /// An expense was recorded.
    ExpenseAdded {
        /// The expense's id (the id of the event that added it).
        expense: EventId,
        /// Its value.
        value: Expense,
    },
    /// An expense's new value (the whole value; last writer wins). What versions
    /// before per-field edits write; still applied as before.
    ExpenseEdited {
        /// Which expense.
        expense: EventId,
        /// Its new value.
        value: Expense,
    },
    /// Some fields of an expense changed (the others are kept): concurrent edits of
    /// different fields both survive. See `edits.rs`.
    ExpensePatched {
        /// Which expense.
        expense: EventId,
        /// The last event of this expense its author had applied (tells a concurrent
        /// edit of the same field from a later one, in the history).
        base: Option<EventId>,
        /// The fields it changes.
        changes: crate::ExpenseChanges,
    },
    /// An expense was deleted.
    ExpenseDeleted {
        /// Which expense.
        expense: EventId,
    },
    /// Someone paid someone back.
    SettlementRecorded {
        /// The settlement's id.
        settlement: EventId,
        /// Its value.
        value: Settlement,
    },
    /// A settlement was deleted.
    SettlementDeleted {
        /// Which settlement.
        settlement: EventId,
    },
    /// A member added by name only (someone who has not installed the app): shares
    /// expenses and holds a balance, never receives batches. See `placeholder.rs`.
    PlaceholderAdded {
        /// The placeholder's id: the bytes of this event's id.
        member: MemberId,
        /// Display name.
        name: String,
    },
    /// A member who joined says "I am this placeholder": what names the placeholder
    /// follows them. Applied only when written by `member`, for a placeholder unclaimed
    /// at that point of the ledger order.
    PlaceholderClaimed {
        /// The placeholder.
        placeholder: MemberId,
        /// The member claiming it (the event's author).
        member: MemberId,
    },
    /// How to pay a member (the whole value; last writer wins). Applied only when
    /// written by that member, or by anyone for an unclaimed placeholder, and only if
    /// the details validate.
    PaymentDetailsSet {
        /// Whose details.
        member: MemberId,
        /// The details.
        details: crate::PaymentDetails,
    },
    #[cfg(feature = "recurring")]
    /// A recurring expense was set up (see `recurring.rs`): its instances are derived on
    /// every device, never written.
    RecurringAdded {
        /// The series' id (the id of the event that added it).
        series: EventId,
        /// The template and the schedule.
        value: crate::Recurring,
    },
    #[cfg(feature = "recurring")]
    /// The whole series takes a new template from a day on.
    RecurringEdited {
        /// Which series.
        series: EventId,
        /// The first day it applies to, `YYYY-MM-DD`.
        from: String,
        /// The new template (its date is ignored).
        template: Expense,
    },
    #[cfg(feature = "recurring")]
    /// One instance's own value, or (`None`) the instance is skipped.
    RecurringInstanceSet {
        /// Which series.
        series: EventId,
        /// The instance's day.
        date: String,
        /// Its value.
        value: Option<Expense>,
    },
    #[cfg(feature = "recurring")]
    /// No instances on or after `from` (the earliest stop wins).
    RecurringStopped {
        /// Which series.
        series: EventId,
        /// The first day without an instance.
        from: String,
    },
    /// The group moved to another relay set (URLs and threshold).
    RelaySetChanged {
        /// Relay URLs.
        relays: Vec<String>,
        /// Threshold `k`.
        k: u8,
    },
    /// A member that joined before member keys publishes its device's card, signed with
    /// it, and lists the events it wrote unsigned before: from now on only those of its
    /// events without a signature are its own.
    MemberKeysPublished {
        /// The card.
        card: Card,
        /// The events this member wrote before, unsigned.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        legacy: Vec<EventId>,
    },
    /// A new key epoch: a fresh group secret, sealed to each member who stays (sent
    /// under the previous epoch's secret, which they all hold).
    EpochStarted {
        /// Its number: one past the epoch its author was in.
        epoch: u64,
        /// The secret, sealed to each member.
        secrets: Vec<SealedSecret>,
    },
    /// An epoch's secret sealed to members it was not sealed to when it started (they
    /// joined while it was starting).
    EpochShared {
        /// The epoch's number.
        epoch: u64,
        /// The `epoch_started` event it continues.
        start: EventId,
        /// The secret, sealed to each of those members.
        secrets: Vec<SealedSecret>,
    },
    /// The author's Web Push subscription for this group (`None`: notifications off).
    /// It only ever sets its author's own: no one can redirect another member's.
    PushSubscriptionSet {
        /// Where and how to encrypt notifications for the author's device.
        #[serde(default)]
        subscription: Option<PushSubscription>,
    },
    /// A receipt (an attachment whose bytes travel in their own batches) was attached
    /// to an expense. See `receipts.rs`.
    ReceiptAttached {
        /// Which expense.
        expense: EventId,
        /// SHA-256 of the bytes, lowercase hex.
        hash: String,
        /// Its type.
        mime: String,
        /// Its size in bytes.
        size: u64,
        /// Its file name.
        name: String,
        /// The hash of its preview image, sent as its own attachment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thumb: Option<String>,
    },
    /// A receipt was taken off an expense (for good: see `receipts.rs`).
    ReceiptRemoved {
        /// Which expense.
        expense: EventId,
        /// The receipt's hash.
        hash: String,
    },
    /// A member asks for a receipt's bytes (it joined after they were sent, or lost
    /// them): any member holding them sends its chunks again. Changes no state.
    ReceiptWanted {
        /// The receipt's hash.
        hash: String,
    },
    /// A kind from a newer version of GFMS: kept, ignored.
    #[serde(other)]
    Unknown,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A member device's Web Push subscription (`PushSubscription.toJSON()` of the browser),
/// which the other members' apps encrypt notifications to (RFC 8291).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    /// The push service URL for this device.
    pub endpoint: String,
    /// The device's ECDH P-256 public key, base64url.
    pub p256dh: String,
    /// The device's authentication secret, base64url.
    pub auth: String,
    /// The relay whose VAPID key (`GET /v1/health`) the device subscribed with: push
    /// services accept a subscription's messages only signed with that key, so only that
    /// relay can forward them. Empty in subscriptions that do not say.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relay: String,
}

/// The group's settings.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSettings {
    /// Group name.
    pub name: String,
    /// Default and balance currency.
    pub currency: String,
    /// Categories offered ("classification").
    pub categories: Vec<String>,
    /// Accounts offered (how things were paid).
    pub accounts: Vec<String>,
}

/// An expense, or income received for the group.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expense {
    /// What it was ("Dinner at Zé's"); empty in expenses written before titles existed.
    /// Left out of the JSON when empty, so those expenses keep their bytes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Minor units: negative for a refund, and always for income.
    pub amount: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Conversion to the group currency when `currency` differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Rate>,
    /// Category.
    pub category: String,
    /// Shop.
    pub shop: String,
    /// Account (cash, card, …).
    pub account: String,
    /// Who paid how much (usually one payer); sums to `amount`.
    pub payers: Vec<(MemberId, i64)>,
    /// How it is shared.
    pub split: Split,
    /// Day, `YYYY-MM-DD`.
    pub date: String,
    /// Free text.
    #[serde(default)]
    pub note: String,
    /// An expense, or income (money received for the group: a refund, a deposit back),
    /// which is shared like an expense with the opposite sign.
    #[serde(default, skip_serializing_if = "ExpenseKind::is_expense")]
    #[cfg_attr(feature = "ts", ts(as = "Option<ExpenseKind>", optional))]
    pub kind: ExpenseKind,
    /// The bill's items, tax and tip when itemized; the split is then their exact parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub items: Option<Itemized>,
    /// For a record brought in from another app: a stable id of the row it came from
    /// (`gfms_import`), so importing the same file again skips it. Left out when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<String>"))]
    pub import_id: String,
    /// The receipts attached to it, as the state shows them. Never read from JSON and
    /// never part of an event's value: only `receipt_attached` / `receipt_removed`
    /// events set them (`receipts.rs`).
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<Vec<crate::Receipt>>"))]
    pub receipts: Vec<crate::Receipt>,
}

/// What an expense record is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseKind {
    /// Money spent (a negative amount is a refund, as older versions wrote it).
    #[default]
    Expense,
    /// Money received for the group: the amount is negative, the payers are who
    /// received it.
    Income,
}

impl ExpenseKind {
    fn is_expense(&self) -> bool {
        *self == ExpenseKind::Expense
    }
}

impl Expense {
    /// Checks the expense is well formed for a group with `group_currency`: payers add
    /// up, the split divides the amount, income is negative, and an itemized bill's
    /// items give exactly its amount and parts.
    pub fn validate(&self, group_currency: &str) -> Result<(), Error> {
        check_currency(&self.currency)?;
        if self.kind == ExpenseKind::Income && self.amount >= 0 {
            return Err(Error::IncomeNotNegative(self.amount));
        }
        if let Some(items) = &self.items {
            items.check_against(self.amount, &self.split)?;
        }
        crate::bounds::check_expense(self).map_err(|r| Error::OutOfBounds(r.into()))?;
        if self.currency != group_currency {
            self.rate.ok_or(Error::BadRate)?.check()?;
        }
        let paid = self
            .payers
            .iter()
            .try_fold(0i64, |acc, (_, a)| acc.checked_add(*a))
            .unwrap_or(i64::MAX);
        if paid != self.amount
            || self
                .payers
                .iter()
                .any(|(_, a)| a.signum() * self.amount.signum() < 0)
        {
            return Err(Error::PayersMismatch {
                paid,
                amount: self.amount,
            });
        }
        split_amount(self.amount, &self.split).map(|_| ())
    }
}

/// A repayment from one member to another.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// Who paid.
    pub from: MemberId,
    /// Who received.
    pub to: MemberId,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Conversion to the group currency when `currency` differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Rate>,
    /// Day, `YYYY-MM-DD`.
    pub date: String,
    /// For a payment brought in from another app: a stable id of the row it came from
    /// (`gfms_import`), so importing the same file again skips it. Left out when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<String>"))]
    pub import_id: String,
}
