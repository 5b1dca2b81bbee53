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
        }
    }
}
