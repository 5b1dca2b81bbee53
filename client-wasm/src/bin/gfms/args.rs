//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// GFMS: shared expenses with no central server. Every member's device holds the whole
/// ledger; records travel encrypted and Shamir-split through independent relays.
#[derive(Parser, Debug)]
#[command(name = "gfms", version)]
pub struct Cli {
    /// Directory holding this device's state for one group.
    #[arg(long, global = true, default_value = ".gfms", value_name = "DIR")]
    pub state: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create or join a group.
    #[command(subcommand)]
    Group(GroupCommand),
    /// Print the invite code for this group (share it privately: it holds the group key).
    Invite,
    /// Record an expense.
    Add(AddArgs),
    /// Record money received for the group (a refund, a deposit back): shared like an
    /// expense, the other way round. --paid-by names who received it.
    Income(AddArgs),
    /// Edit an expense (fields not given keep their value).
    Edit(EditArgs),
    /// Delete an expense.
    Delete {
        /// The expense id (from `list`).
        id: String,
    },
    /// An expense's history (who created it, each edit and what it changed, deletions),
    /// or without an id the group's activity, newest first.
    History {
        /// The expense id (from `list`).
        id: Option<String>,
        /// Only what this member did.
        #[arg(long)]
        member: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Bring a deleted expense back, or an expense back to an earlier value (`--to EVENT`
    /// from `history`, e.g. the value a concurrent edit replaced).
    Restore {
        /// The expense id.
        id: String,
        /// The event whose value to go back to (default: the last value).
        #[arg(long)]
        to: Option<String>,
    },
    /// Attach a receipt (a photo or a PDF, at most 4 MiB) to an expense; its bytes go
    /// out, encrypted, with the next sync. Prints the receipt's hash.
    Attach {
        /// The expense id (from `list`).
        expense: String,
        /// The file (.jpg, .jpeg, .png, .webp, .heic, .pdf).
        file: PathBuf,
        /// The name it shows under (default: the file's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Write an expense's receipt to a file (or to standard output): the first one, or
    /// the one with --hash.
    Receipt {
        /// The expense id.
        expense: String,
        /// Where to write it.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Which receipt (from `show`).
        #[arg(long)]
        hash: Option<String>,
        /// If it is not here, ask the other members to send it again (a member who
        /// joined after it was sent).
        #[arg(long)]
        request: bool,
    },
    /// One expense with its receipts (and whether each has arrived here).
    Show {
        /// The expense id.
        expense: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Record a payment between two members, of any amount ("Bob paid Alice 10 cash").
    #[command(alias = "pay")]
    Settle(SettleArgs),
    /// One full sync round: push, pull, re-send, clean up.
    Sync,
    /// Leave the group: announce it, then keep delivering what you wrote (run again
    /// until it says the group may be deleted from this directory).
    Leave,
    /// Recurring expenses (rent, subscriptions): set one up, list, change, stop.
    #[command(subcommand)]
    Recurring(RecurringCommand),
    /// Expenses, newest first (with the recurring instances due by today).
    List(ListArgs),
    /// Each member's balance.
    Balances(JsonFlag),
    /// The fewest transfers that settle every balance.
    Plan(JsonFlag),
    /// Members and their status (`--safety`: each member's safety code, to compare in
    /// person, and whether the group is signed).
    Members(MembersArgs),
    /// Add someone by name only, or claim such a name as yours.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Rename a member.
    Rename {
        /// Current name.
        member: String,
        /// New name.
        name: String,
    },
    /// Remove a member (a lost phone): they stop blocking sync.
    Remove {
        /// The member's name.
        member: String,
    },
    /// Sync state: pending batches, their `Σ s_i` against `(m − 1)·k`, who lacks them.
    Status(JsonFlag),
    /// Statistics by category, month, shop, account and payer.
    Stats(JsonFlag),
    /// Move the group to another relay set.
    Relays {
        /// Relay URLs, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        relays: Vec<String>,
        /// Threshold k.
        #[arg(long, default_value_t = 2)]
        k: u8,
    },
    /// Export expenses as CSV or the whole event log as JSON (to stdout).
    Export {
        /// Format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Import a JSON export (merges by event id; importing twice changes nothing), or
    /// with --from a Splitwise or Tricount CSV export: prints a preview, then writes it
    /// all or nothing (records the group already has are skipped).
    Import {
        /// The file.
        file: PathBuf,
        /// The app the CSV comes from.
        #[arg(long, value_enum)]
        from: Option<crate::import::From>,
        /// A person in the file who is already a member: NAME=MEMBER (repeatable).
        /// People not named are members of the same name, else new placeholders.
        #[arg(long = "as", value_name = "NAME=MEMBER", requires = "from")]
        mapping: Vec<String>,
        /// The rate of another currency in the file: CURRENCY=RATE, group-currency units
        /// per unit, e.g. USD=0.92 (repeatable).
        #[arg(long, value_name = "CURRENCY=RATE", requires = "from")]
        rate: Vec<String>,
        /// Print the preview only; write nothing.
        #[arg(long, requires = "from")]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum GroupCommand {
    /// Create a group; prints the invite code as the last line.
    Create {
        /// Group name.
        #[arg(long)]
        name: String,
        /// Your name in the group.
        #[arg(long)]
        member: String,
        /// Relay URLs, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        relays: Vec<String>,
        /// Threshold: how many relays' shares rebuild a record.
        #[arg(long, default_value_t = 2)]
        k: u8,
        /// The group's currency (ISO 4217).
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// URL=KEY for a relay that only serves its operator's friends (repeatable;
        /// travels in the invite).
        #[arg(long = "registration-key", value_name = "URL=KEY")]
        registration_keys: Vec<String>,
        /// Everyone else, by name, comma-separated: they share expenses at once, and
        /// each can claim their name on joining (`group join --as NAME`).
        #[arg(long, value_delimiter = ',')]
        with: Vec<String>,
    },
    /// Join a group with an invite code or link.
    Join {
        /// The invite code (or a link with `#join=`).
        code: String,
        /// Your name in the group (default: the name given with --as).
        #[arg(long, required_unless_present = "claim")]
        member: Option<String>,
        /// "I am NAME": claim the member added by that name, so what they paid and
        /// owe becomes yours (done at the first `gfms sync` that brings the history).
        #[arg(long = "as", value_name = "NAME")]
        claim: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum MemberCommand {
    /// Add someone by name only (they need not install the app): they share expenses
    /// and hold a balance; anyone may record for them.
    Add {
        /// Their name.
        name: String,
    },
    /// Claim the member added under NAME as yourself.
    Claim {
        /// The name.
        name: String,
    },
    /// How to pay you (shown with the settle-up plan, with a payment link where the
    /// service has one). Replaces what you gave before.
    PayTo(PayToArgs),
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// Amount, e.g. 12.50 (negative for a refund). With --item, optional: the items'
    /// total (checked if given).
    #[arg(long, allow_hyphen_values = true, required_unless_present = "items")]
    pub amount: Option<String>,
    /// Currency (default: the group's).
    #[arg(long)]
    pub currency: Option<String>,
    /// Group-currency units per unit of --currency, e.g. 1.08 (needed for a foreign currency).
    #[arg(long)]
    pub rate: Option<String>,
    /// Category.
    #[arg(long, default_value = "")]
    pub category: String,
    /// Shop.
    #[arg(long, default_value = "")]
    pub shop: String,
    /// Account (cash, card, …).
    #[arg(long, default_value = "")]
    pub account: String,
    /// Who paid (default: you): a name, or several with their parts, `Alice=20,Bob=10`
    /// (the parts must add up to the amount). For income: who received it.
    #[arg(long)]
    pub paid_by: Option<String>,
    /// An item of an itemized bill, `NAME=PRICE:Alice,Bob` (no names: everyone);
    /// repeatable. The split is then each person's items plus their share of tip and tax.
    #[arg(long = "item", value_name = "NAME=PRICE[:a,b]")]
    pub items: Vec<String>,
    /// Tip on an itemized bill: `10%` of the items, or an amount; spread in proportion
    /// to each person's items.
    #[arg(long, requires = "items")]
    pub tip: Option<String>,
    /// Tax on an itemized bill, like --tip.
    #[arg(long, requires = "items")]
    pub tax: Option<String>,
    /// equal | equal:ann,bob | shares:ann=2,bob=1 | exact:ann=10.00,bob=2.50 | percent:ann=60,bob=40
    #[arg(long, default_value = "equal")]
    pub split: String,
    /// Day, YYYY-MM-DD (default: today, UTC).
    #[arg(long)]
    pub date: Option<String>,
    /// Note.
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Subcommand, Debug)]
pub enum RecurringCommand {
    /// Set up a recurring expense; prints its id. Takes every option of `add`; --date
    /// is the first instance's day (default: today).
    Add(Box<RecurringAddArgs>),
    /// The series: what, how often, how many are due, the next day.
    List(JsonFlag),
    /// Change the whole series from a day on (instances before keep their value).
    Edit(RecurringEditArgs),
    /// Stop a series: no instances on or after --from (default: today). Final.
    Stop {
        /// The series id (from `recurring list`).
        id: String,
        /// The first day without an instance.
        #[arg(long)]
        from: Option<String>,
    },
}

/// How often.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum UnitArg {
    /// Every day.
    Day,
    /// Every week, on the start's weekday.
    Week,
    /// Every month, on the start's day (the 31st: each month's last day when shorter).
    Month,
    /// Every year.
    Year,
}

#[derive(clap::Args, Debug)]
pub struct RecurringAddArgs {
    /// day | week | month | year.
    #[arg(long, value_enum)]
    pub every: UnitArg,
    /// Every N days, weeks, months or years.
    #[arg(long, default_value_t = 1)]
    pub interval: u32,
    /// The last day an instance may fall on.
    #[arg(long)]
    pub until: Option<String>,
    /// How many instances in all.
    #[arg(long)]
    pub times: Option<u32>,
    #[command(flatten)]
    pub expense: AddArgs,
}

#[derive(clap::Args, Debug)]
pub struct RecurringEditArgs {
    /// The series id (from `recurring list`).
    pub id: String,
    /// The first day the change applies to (default: today).
    #[arg(long)]
    pub from: Option<String>,
    /// New amount.
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// New category.
    #[arg(long)]
    pub category: Option<String>,
    /// New shop.
    #[arg(long)]
    pub shop: Option<String>,
    /// New note.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// The expense id (from `list`).
    pub id: String,
    /// New amount.
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// New category.
    #[arg(long)]
    pub category: Option<String>,
    /// New shop.
    #[arg(long)]
    pub shop: Option<String>,
    /// New account.
    #[arg(long)]
    pub account: Option<String>,
    /// New note.
    #[arg(long)]
    pub note: Option<String>,
    /// New day.
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct SettleArgs {
    /// Who paid.
    #[arg(long)]
    pub from: String,
    /// Who received.
    #[arg(long)]
    pub to: String,
    /// Amount.
    #[arg(long)]
    pub amount: String,
    /// Day (default: today, UTC).
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only this category.
    #[arg(long)]
    pub category: Option<String>,
    /// Only this shop.
    #[arg(long)]
    pub shop: Option<String>,
    /// Only this account.
    #[arg(long)]
    pub account: Option<String>,
    /// Text search in shop, category, account and note.
    #[arg(long)]
    pub search: Option<String>,
    /// From this day on.
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this day.
    #[arg(long)]
    pub to: Option<String>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct MembersArgs {
    /// Each member's safety code (compare it with theirs, in person) and key state.
    #[arg(long)]
    pub safety: bool,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct JsonFlag {
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    /// Expenses as CSV.
    Csv,
    /// The whole event log as JSON.
    Json,
    /// Expenses and payments in the shape of Splitwise's export (one net column per
    /// member, a Total balance row per currency), which Splitwise-style tools read.
    Splitwise,
}

#[derive(clap::Args, Debug)]
pub struct PayToArgs {
    /// Whose details (default: yours; anyone may set a name-only member's).
    #[arg(long = "for", value_name = "NAME")]
    pub member: Option<String>,
    /// IBAN (checked).
    #[arg(long)]
    pub iban: Option<String>,
    /// PayPal.me user name.
    #[arg(long)]
    pub paypal: Option<String>,
    /// Revolut user name.
    #[arg(long)]
    pub revolut: Option<String>,
    /// Venmo user name.
    #[arg(long)]
    pub venmo: Option<String>,
    /// Lydia phone number.
    #[arg(long)]
    pub lydia: Option<String>,
    /// Free text ("cash is fine").
    #[arg(long)]
    pub note: Option<String>,
}
