// Generated from the Rust types by client-wasm/tests/ts_types.rs (ts-rs): do not edit.
// UPDATE_TS_TYPES=1 cargo test -p client-wasm --features ts --test ts_types
/* eslint-disable */

/** A UUIDv7: the id of an event. */
export type EventId = string;

export type MemberId = string;

export type Rate = { 
/**
 * Numerator (> 0).
 */
numerator: number, 
/**
 * Denominator (> 0).
 */
denominator: number, };

export type Split = { "kind": "equal", 
/**
 * Who shares.
 */
members: Array<MemberId>, } | { "kind": "shares", 
/**
 * Member and weight.
 */
weights: Array<[MemberId, number]>, } | { "kind": "exact", 
/**
 * Member and part.
 */
amounts: Array<[MemberId, number]>, } | { "kind": "percent", 
/**
 * Member and basis points.
 */
basis_points: Array<[MemberId, number]>, };

export type ExpenseKind = "expense" | "income";

export type Item = { 
/**
 * What it was.
 */
name: string, 
/**
 * Its price in minor units (> 0).
 */
price: number, 
/**
 * Who shares it (equally).
 */
members: Array<MemberId>, };

export type Extra = { 
/**
 * "tip", "tax", …
 */
name: string, 
/**
 * A fixed amount in minor units (may be negative: a discount).
 */
amount: number, 
/**
 * A percentage of the items' total, in basis points (10 % = 1000).
 */
basis_points: number, };

export type Itemized = { 
/**
 * The items.
 */
items: Array<Item>, 
/**
 * Tax, tip, service.
 */
extras: Array<Extra>, };

export type Receipt = { 
/**
 * SHA-256 of the bytes, lowercase hex: the attachment's id.
 */
hash: string, 
/**
 * Its type (`image/jpeg`, `application/pdf`, …).
 */
mime: string, 
/**
 * Its size in bytes.
 */
size: number, 
/**
 * The file name it was attached under.
 */
name: string, 
/**
 * The hash of a small preview image sent as its own attachment, if any.
 */
thumb?: string, };

export type ItemizedTotal = { 
/**
 * The items' total.
 */
subtotal: number, 
/**
 * The extras, each in minor units (percentages rounded half away from zero).
 */
extras: Array<number>, 
/**
 * Everything: the expense's amount.
 */
total: number, 
/**
 * Each member's part, sorted by member id; they sum to `total`.
 */
parts: Array<[MemberId, number]>, };

export type Expense = { 
/**
 * What it was ("Dinner at Zé's"); empty in expenses written before titles existed.
 * Left out of the JSON when empty, so those expenses keep their bytes.
 */
title?: string, 
/**
 * Minor units: negative for a refund, and always for income.
 */
amount: number, 
/**
 * ISO 4217 currency.
 */
currency: string, 
/**
 * Conversion to the group currency when `currency` differs.
 */
rate?: Rate | null, 
/**
 * Category.
 */
category: string, 
/**
 * Shop.
 */
shop: string, 
/**
 * Account (cash, card, …).
 */
account: string, 
/**
 * Who paid how much (usually one payer); sums to `amount`.
 */
payers: Array<[MemberId, number]>, 
/**
 * How it is shared.
 */
split: Split, 
/**
 * Day, `YYYY-MM-DD`.
 */
date: string, 
/**
 * Free text.
 */
note: string, 
/**
 * An expense, or income (money received for the group: a refund, a deposit back),
 * which is shared like an expense with the opposite sign.
 */
kind?: ExpenseKind, 
/**
 * The bill's items, tax and tip when itemized; the split is then their exact parts.
 */
items?: Itemized, 
/**
 * For a record brought in from another app: a stable id of the row it came from
 * (`gfms_import`), so importing the same file again skips it. Left out when empty.
 */
import_id?: string, 
/**
 * The receipts attached to it, as the state shows them. Never read from JSON and
 * never part of an event's value: only `receipt_attached` / `receipt_removed`
 * events set them (`receipts.rs`).
 */
receipts?: Array<Receipt>, };

export type Unit = "day" | "week" | "month" | "year";

export type Schedule = { 
/**
 * The step's unit.
 */
unit: Unit, 
/**
 * How many units between instances (1 to [`MAX_EVERY`]).
 */
every: number, 
/**
 * The first instance's day, `YYYY-MM-DD`.
 */
start: string, 
/**
 * The last day an instance may fall on.
 */
until?: string, 
/**
 * How many instances in all (at most [`MAX_OCCURRENCES`]).
 */
times?: number, };

export type Recurring = { 
/**
 * What each instance records (its `date` is each instance's day).
 */
template: Expense, 
/**
 * When.
 */
schedule: Schedule, };

export type TemplateFrom = { 
/**
 * The first day it applies to.
 */
from: string, 
/**
 * The template.
 */
template: Expense, };

export type Series = { 
/**
 * When.
 */
schedule: Schedule, 
/**
 * The templates by the first day each applies to, ascending (the first is the
 * series' own, from its start).
 */
templates: Array<TemplateFrom>, 
/**
 * Instances with a value of their own, or skipped (`null`), by day.
 */
overrides?: { [key in string]: Expense | null }, 
/**
 * No instances on or after this day: the series was stopped.
 */
stopped_from?: string, 
/**
 * Who set it up.
 */
created_by: MemberId, };

export type Instance = { 
/**
 * Its expense id ([`instance_id`]).
 */
id: string, 
/**
 * The series.
 */
series: string, 
/**
 * The occurrence day.
 */
date: string, 
/**
 * Its value.
 */
value: Expense, };

export type Action = "created" | "edited" | "deleted";

export type HistoryEntry = { 
/**
 * The event (give it to [`restore`] to go back to the value it wrote).
 */
event: string, 
/**
 * The expense, settlement or recurring series.
 */
subject: string, 
/**
 * `"expense"`, `"settlement"`, `"series"` (a recurring series set up, edited from
 * `date` on, stopped from `date` on: `deleted`) or `"instance"` (the series'
 * instance on `date` given its own value, or skipped: `deleted`).
 */
what: string, 
/**
 * What happened.
 */
action: Action, 
/**
 * Who did it.
 */
author: MemberId, 
/**
 * When, unix ms by the author's clock (display only).
 */
at_ms: number, 
/**
 * The fields an edit changed, compared with the value before it in ledger order
 * (`amount`, `payers`, `split`, `note`, …); empty otherwise.
 */
changed: Array<string>, 
/**
 * Earlier edits of the same fields this edit's author had not seen (concurrent
 * edits): this one's values replaced theirs, which are one [`restore`] away.
 */
overrides?: Array<string>, 
/**
 * The day a recurring event is about (an edit's or a stop's first day, an
 * instance's day).
 */
date?: string, };

export type PaymentDetails = { 
/**
 * IBAN (checked with its mod-97 checksum), stored without spaces, upper case.
 */
iban?: string, 
/**
 * PayPal.me user name.
 */
paypal?: string, 
/**
 * Revolut user name (revtag, without `@`).
 */
revolut?: string, 
/**
 * Venmo user name (without `@`).
 */
venmo?: string, 
/**
 * Lydia: the phone number the account uses (no link: shown as text).
 */
lydia?: string, 
/**
 * Free text ("cash is fine").
 */
note?: string, };

export type PaymentLink = { 
/**
 * `paypal`, `revolut` or `venmo`.
 */
scheme: string, 
/**
 * An `https://` URL on the service's own domain.
 */
url: string, };

export type PlannedPayment = { 
/**
 * Who pays whom how much.
 */
transfer: Transfer, 
/**
 * The recipient's details, if they gave any.
 */
details: PaymentDetails | null, 
/**
 * Links that pay them (with the amount where the scheme takes one).
 */
links: Array<PaymentLink>, };

export type Settlement = { 
/**
 * Who paid.
 */
from: MemberId, 
/**
 * Who received.
 */
to: MemberId, 
/**
 * Minor units.
 */
amount: number, 
/**
 * ISO 4217 currency.
 */
currency: string, 
/**
 * Conversion to the group currency when `currency` differs.
 */
rate?: Rate | null, 
/**
 * Day, `YYYY-MM-DD`.
 */
date: string, 
/**
 * For a payment brought in from another app: a stable id of the row it came from
 * (`gfms_import`), so importing the same file again skips it. Left out when empty.
 */
import_id?: string, };

export type GroupSettings = { 
/**
 * Group name.
 */
name: string, 
/**
 * Default and balance currency.
 */
currency: string, 
/**
 * Categories offered ("classification").
 */
categories: Array<string>, 
/**
 * Accounts offered (how things were paid).
 */
accounts: Array<string>, };

export type MemberStatus = "active" | "left" | "removed" | "claimed";

export type Member = { 
/**
 * Display name.
 */
name: string, 
/**
 * Whether the member is still in the group.
 */
status: MemberStatus, 
/**
 * Added by name only: shares expenses, never receives batches.
 */
placeholder?: boolean, 
/**
 * For a claimed placeholder: the member who said "this is me".
 */
claimed_by?: MemberId, };

export type PushSubscription = { 
/**
 * The push service URL for this device.
 */
endpoint: string, 
/**
 * The device's ECDH P-256 public key, base64url.
 */
p256dh: string, 
/**
 * The device's authentication secret, base64url.
 */
auth: string, 
/**
 * The relay whose VAPID key (`GET /v1/health`) the device subscribed with: push
 * services accept a subscription's messages only signed with that key, so only that
 * relay can forward them. Empty in subscriptions that do not say.
 */
relay?: string, };

export type Warning = { "kind": "same_name", 
/**
 * The name, as the first of them writes it.
 */
name: string, 
/**
 * Who bears it.
 */
members: Array<MemberId>, } | { "kind": "ignored", 
/**
 * The event.
 */
event: string, 
/**
 * Why, for people.
 */
reason: string, };

export type State = { 
/**
 * Current settings (`None` before the group-created event arrives).
 */
settings: GroupSettings | null, 
/**
 * Every member ever seen.
 */
members: { [key in MemberId]: Member }, 
/**
 * Live expenses by id.
 */
expenses: { [key in string]: Expense }, 
/**
 * Live settlements by id.
 */
settlements: { [key in string]: Settlement }, 
/**
 * The current relay set and threshold.
 */
relays: [Array<string>, number] | null, 
/**
 * How to pay each member who said (see `pay.rs`).
 */
payment_details?: { [key in MemberId]: PaymentDetails }, 
/**
 * Recurring series by id (their instances: `with_due`).
 */
recurring?: { [key in string]: Series }, 
/**
 * Members' Web Push subscriptions (only members who turned notifications on).
 */
push?: { [key in MemberId]: PushSubscription }, 
/**
 * What looks wrong (members sharing a name, events not applied).
 */
warnings: Array<Warning>, };

export type DeviceView = { 
/**
 * This device's member left (or was removed): the group is read-only here.
 */
leaving: boolean, 
/**
 * Leaving, and everything this device wrote — its `member_left` included — reached
 * every member: the group can be deleted from this device.
 */
readyToDelete: boolean, 
/**
 * No other active member is known: a leaving device that is alone is never ready by
 * itself (offer to delete anyway if nobody else ever joined).
 */
alone: boolean, 
/**
 * Events written here and not yet sealed into a batch.
 */
unsent: number, 
/**
 * Batches on their way.
 */
outbox: number, 
/**
 * Events from a newer version of GFMS: kept byte for byte, not applied.
 */
newerEvents: Array<string>, 
/**
 * Batches this version cannot read, kept verbatim until an upgrade reads them.
 */
unreadBatches: number, 
/**
 * Events that arrived and are not applied, with why (a forged or altered signature,
 * none where one is due, signed by a member in another's name, or by a member whose
 * card has not arrived yet). Left out when none.
 */
keptAside?: Array<KeptAside>, 
/**
 * Another member removed this device's member: "You were removed from {group} by
 * {byName}". The group stays here read-only (export it, or delete it). Left out
 * when not removed.
 */
removed?: Removal, };

export type AsideReason = { "kind": "unsigned" } | { "kind": "bad_signature" } | { "kind": "signed_by_other", 
/**
 * Who signed it.
 */
signer: MemberId, } | { "kind": "unknown_key" };

export type KeptAside = { 
/**
 * The event's id.
 */
event: string, 
/**
 * The author its text names (none if unreadable).
 */
author: MemberId | null, 
/**
 * Why it is not applied.
 */
reason: AsideReason, };

export type Removal = { 
/**
 * Who removed it.
 */
by: MemberId, 
/**
 * Their name.
 */
byName: string, 
/**
 * The group's name: "You were removed from {group} by {by_name}".
 */
group: string, 
/**
 * When, by the remover's clock (unix ms).
 */
atMs: number, };

export type KeyState = "published" | "older_version";

export type MemberKeys = { 
/**
 * The member.
 */
member: MemberId, 
/**
 * Published, or still on an older version.
 */
keys: KeyState, 
/**
 * The safety code of its card ("21097 27101 28416 95294 49943 11821"): the same
 * digits on its own phone mean the card is the one its phone made.
 */
safetyCode: string | null, 
/**
 * Other cards published for it (not used): someone tried to publish a key in its
 * name; compare safety codes.
 */
conflictingKeys: number, };

export type KeysView = { 
/**
 * Every active member has published keys: every event is signed and verified.
 */
signed: boolean, 
/**
 * This device's safety code.
 */
mySafetyCode: string, 
/**
 * Every member ever in the group (active or not), with its keys.
 */
members: Array<MemberKeys>, 
/**
 * The key epoch this device sends in (0 until a member left or was removed).
 */
epoch: number, 
/**
 * A member who left or was removed can still read new records: a new epoch waits
 * for every active member to publish keys (those on an older version).
 */
revocationWaits: boolean, };

export type Attached = { 
/**
 * The attachment's hash.
 */
hash: string, 
/**
 * Its preview's hash, if one was given.
 */
thumb: string | null, };

export type ReceiptsPending = { 
/**
 * Chunks this device sent that not every member has yet, or has still to send.
 */
sending: number, 
/**
 * Chunks received of attachments not yet complete.
 */
receiving: number, };

export type Filter = { 
/**
 * Exact category.
 */
category?: string, 
/**
 * Exact shop.
 */
shop?: string, 
/**
 * Exact account.
 */
account?: string, 
/**
 * Paid by or shared with this member.
 */
member?: MemberId, 
/**
 * First day, `YYYY-MM-DD`, inclusive.
 */
from?: string, 
/**
 * Last day, inclusive.
 */
to?: string, 
/**
 * Case-insensitive text in title, shop, category, account or note.
 */
text?: string, };

export type Transfer = { 
/**
 * Who pays.
 */
from: MemberId, 
/**
 * Who receives.
 */
to: MemberId, 
/**
 * Minor units of the group currency.
 */
amount: number, };

export type Uncounted = { 
/**
 * The expense or settlement.
 */
id: string, 
/**
 * `"expense"` or `"settlement"`.
 */
what: string, 
/**
 * Why, for people.
 */
reason: string, };

export type BalanceSheet = { 
/**
 * Each member's balance, minor units of the group currency.
 */
balances: { [key in MemberId]: number }, 
/**
 * Expenses and settlements not counted (no rate to the group currency, invalid,
 * or a total that would leave the exact range).
 */
uncounted: Array<Uncounted>, };

export type Statistics = { 
/**
 * By category.
 */
by_category: { [key in string]: number }, 
/**
 * By month (`YYYY-MM`).
 */
by_month: { [key in string]: number }, 
/**
 * By shop.
 */
by_shop: { [key in string]: number }, 
/**
 * By account.
 */
by_account: { [key in string]: number }, 
/**
 * By payer (member id hex), what each paid.
 */
by_payer: { [key in string]: number }, 
/**
 * Everything.
 */
total: number, 
/**
 * Expenses left out: no rate to the group currency, or a total that would leave the
 * exact range.
 */
uncounted: Array<string>, };

export type MergeReport = { 
/**
 * Events new to this ledger.
 */
added: number, 
/**
 * Events it already had.
 */
duplicates: number, };

export type PendingBatch = { 
/**
 * The batch id (hex).
 */
batch_id: string, 
/**
 * Events it carries.
 */
events: number, 
/**
 * When it was sealed (unix ms).
 */
created_ms: number, 
/**
 * The paper's counter `Σ s_i` over the relays that answered.
 */
sum_s: number, 
/**
 * `(m − 1)·k`.
 */
target: number, 
/**
 * Recipients with no ack at any relay yet.
 */
missing: Array<MemberId>, 
/**
 * Latest expiry of a live copy (unix ms); 0 when none is known.
 */
expires_at: number, 
/**
 * Relays whose copy is gone or unreachable: the same bytes are re-put there.
 */
reput: Array<string>, };

export type RelayHealth = "up" | "down" | "tampering" | "lying";

export type RelayReport = { 
/**
 * The relay URL.
 */
url: string, 
/**
 * Its health.
 */
health: RelayHealth, 
/**
 * What went wrong, if anything.
 */
error?: string | null, };

export type SyncReport = { 
/**
 * New batches sealed and put.
 */
sent_batches: number, 
/**
 * Batches received and merged.
 */
received_batches: number, 
/**
 * Events new to this device.
 */
received_events: number, 
/**
 * Outgoing batches found complete (and deleted at the relays).
 */
completed_batches: number, 
/**
 * Shares put again where a copy expired or vanished.
 */
reput_shares: number, 
/**
 * Every relay the round talked to.
 */
relays: Array<RelayReport>, 
/**
 * Outgoing batches still pending.
 */
pending: Array<PendingBatch>, 
/**
 * Events that arrived and were kept aside, not applied (a bad or missing signature,
 * or signed by a member in another's name), with why. Left out when none (and
 * optional for the app, which builds reports in its tests).
 */
kept_aside?: Array<KeptAside>, 
/**
 * Attachments completed by this round (their bytes wait for `receivedBlob`).
 * Left out when none.
 */
received_blobs?: Array<string>, 
/**
 * Attachment chunks that arrived and were dropped (a wrong hash, a changed part
 * count, oversized, no room), with why. Left out when none.
 */
dropped_chunks?: Array<string>, };
