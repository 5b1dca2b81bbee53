//! The ledger's one error type.

/// Why an event or a value is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not a three-letter ISO 4217 code.
    #[error("not a currency code: {0}")]
    BadCurrency(String),
    /// An amount that cannot be read, or has more decimals than the currency.
    #[error("not an amount in {currency}: {text}")]
    BadAmount {
        /// The text given.
        text: String,
        /// The currency it was meant for.
        currency: String,
    },
    /// A split that cannot divide the amount (no members, weights of zero, parts that
    /// do not add up).
    #[error("invalid split: {0}")]
    BadSplit(String),
    /// The payers do not add up to the amount.
    #[error("payers add up to {paid}, the expense is {amount}")]
    PayersMismatch {
        /// Sum of payer amounts.
        paid: i64,
        /// The expense amount.
        amount: i64,
    },
    /// An exchange rate that is zero or negative.
    #[error("invalid exchange rate")]
    BadRate,
    /// An id that is not 32 lowercase hex characters.
    #[error("not a member id: {0}")]
    BadId(String),
    /// A JSON document that is not a ledger export.
    #[error("not a ledger export: {0}")]
    BadImport(String),
    /// A change to a group whose first event (its settings) is not in the ledger.
    #[error("the group has no settings yet")]
    NoGroup,
    /// An expense, settlement or member the group does not have.
    #[error("no such {0}")]
    NotFound(String),
    /// A group or member name that is empty or too long (its length in characters).
    #[error("a name needs 1 to 80 characters, got {0}")]
    BadName(usize),
    /// A number beyond the bounds the ledger keeps (see `MAX_AMOUNT`).
    #[error("{0}")]
    OutOfBounds(String),
    /// Event text that cannot be keyed (no readable id).
    #[error("not an event: {0}")]
    BadEvent(String),
    /// A backup of another group.
    #[error(
        "this backup is of another group ({backup}); this group is {ours}: nothing was imported"
    )]
    WrongGroup {
        /// The group the backup names (or "unknown" for an old backup without one).
        backup: String,
        /// This group's identity.
        ours: String,
    },
    /// Income with an amount that is not negative (income is money received).
    #[error("income is recorded as a negative amount (money received), got {0}")]
    IncomeNotNegative(i64),
    /// An itemized bill that cannot be split (no items, an item nobody shares, too many).
    #[error("invalid itemized bill: {0}")]
    BadItems(String),
    /// Payment details that are not valid (an IBAN with a wrong checksum, a user name
    /// with characters a link cannot carry, control characters).
    #[error("invalid payment details: {0}")]
    BadPaymentDetails(String),
    /// A change this member may not make (claiming a placeholder already claimed).
    #[error("not allowed: {0}")]
    NotAllowed(String),
    /// An attachment over the limit.
    #[error(
        "the file is {size} bytes; an attachment may be at most {limit} bytes (4 MiB): downscale the photo or split the PDF"
    )]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A day that is not `YYYY-MM-DD` (a real day, years 1900–2999).
    #[error("{0}")]
    BadDate(String),
    /// A recurring expense that cannot work (a step or count out of range, an end
    /// before its start, an instance on a day the series has none).
    #[error("invalid recurring expense: {0}")]
    BadRecurring(String),
    /// A currency change while expenses or settlements exist: they would drop out of the
    /// balances (their amounts and rates are in the old currency).
    #[error(
        "the group has {count} expense(s) and settlement(s) in {currency}; changing its currency would leave them out of the balances. Keep {currency}, or settle up and start a new group"
    )]
    CurrencyInUse {
        /// The current group currency.
        currency: String,
        /// How many live expenses and settlements.
        count: usize,
    },
}

impl Error {
    /// A stable machine-readable code for the error's kind.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadCurrency(_) => "bad_currency",
            Error::BadAmount { .. } => "bad_amount",
            Error::BadSplit(_) => "bad_split",
            Error::PayersMismatch { .. } => "payers_mismatch",
            Error::BadRate => "bad_rate",
            Error::BadId(_) => "bad_id",
            Error::BadImport(_) => "bad_import",
            Error::NoGroup => "no_group",
            Error::NotFound(_) => "not_found",
            // The code the app has always seen for a bad name.
            Error::BadName(_) => "bad_input",
            Error::OutOfBounds(_) => "out_of_bounds",
            Error::BadEvent(_) => "bad_event",
            Error::WrongGroup { .. } => "wrong_group",
            Error::CurrencyInUse { .. } => "currency_in_use",
            Error::IncomeNotNegative(_) => "bad_amount",
            Error::BadItems(_) => "bad_items",
            Error::NotAllowed(_) => "not_allowed",
            Error::TooLarge { .. } => "too_large",
            Error::BadDate(_) => "bad_date",
            Error::BadRecurring(_) => "bad_recurring",
            Error::BadPaymentDetails(_) => "bad_payment_details",
        }
    }
}
