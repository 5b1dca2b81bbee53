//! The import's one error type. Every error about a row names its line (1-based, as a
//! text editor counts), so the user can open the file and see what is wrong.

/// Why a file cannot be imported. An import either succeeds whole or fails with one of
/// these: nothing is ever half-imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The file is larger than [`crate::MAX_FILE_BYTES`].
    #[error("the file is {bytes} bytes; the import reads files up to {limit} bytes")]
    TooLarge {
        /// The file's size.
        bytes: usize,
        /// The ceiling.
        limit: usize,
    },
    /// The bytes are not text in an encoding we read without guessing (UTF-8, or UTF-16
    /// with a byte-order mark).
    #[error("line {line} is not UTF-8 text (save the file as \"CSV UTF-8\" and try again)")]
    Encoding {
        /// The line holding the first bad byte.
        line: u64,
    },
    /// No header row of the expected shape.
    #[error("not a {format} export: {problem}")]
    NotRecognised {
        /// Which format was expected ("Splitwise", "Tricount").
        format: &'static str,
        /// What was missing.
        problem: String,
    },
    /// The header row is of the right shape but cannot be used (too many members, a
    /// member column without a matching column, …).
    #[error("line {line}: {problem}")]
    Header {
        /// The header's line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// A row has more or fewer cells than the header.
    #[error("line {line}: {found} cells, the header has {expected}")]
    CellCount {
        /// The row's line.
        line: u64,
        /// Cells in the header.
        expected: usize,
        /// Cells in the row.
        found: usize,
    },
    /// An amount that cannot be read exactly in its currency.
    #[error("line {line}, column {column:?}: {text:?} is not an amount in {currency}: {problem}")]
    Amount {
        /// The row's line.
        line: u64,
        /// The column's header.
        column: String,
        /// The cell.
        text: String,
        /// The currency it was meant for.
        currency: String,
        /// Why it was refused.
        problem: &'static str,
    },
    /// A date that cannot be read as a calendar day.
    #[error("line {line}: {text:?} is not a date ({problem})")]
    Date {
        /// The row's line.
        line: u64,
        /// The cell.
        text: String,
        /// Why it was refused.
        problem: &'static str,
    },
    /// A currency cell that is not a three-letter code.
    #[error("line {line}: {text:?} is not a currency code (three capital letters, like EUR)")]
    Currency {
        /// The row's line.
        line: u64,
        /// The cell.
        text: String,
    },
    /// A row names someone who has no column in the header.
    #[error("line {line}: {name:?} is not one of the members in the header")]
    UnknownMember {
        /// The row's line.
        line: u64,
        /// The name given.
        name: String,
    },
    /// A row's amounts do not add up (members' nets not summing to zero, shares not
    /// summing to the amount, a payment that is not between two people, …).
    #[error("line {line}: {problem}")]
    DoesNotAddUp {
        /// The row's line.
        line: u64,
        /// What does not add up, with the numbers.
        problem: String,
    },
    /// Anything else wrong with one row (an unknown transaction type, an exchange rate
    /// that matches neither direction, …).
    #[error("line {line}: {problem}")]
    Row {
        /// The row's line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// The caller's mapping of people in the file to group members does not fit.
    #[error("{0}")]
    Mapping(String),
    /// More expenses and payments than one import takes.
    #[error("the file has {records} expenses and payments; one import takes at most {limit}")]
    TooMany {
        /// Records in the file.
        records: usize,
        /// The ceiling ([`crate::MAX_RECORDS`]).
        limit: usize,
    },
}

impl Error {
    /// A stable machine-readable code for the error's kind.
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "too_large",
            Error::Encoding { .. } => "encoding",
            Error::NotRecognised { .. } => "not_recognised",
            Error::Header { .. } => "bad_header",
            Error::CellCount { .. } => "cell_count",
            Error::Amount { .. } => "bad_amount",
            Error::Date { .. } => "bad_date",
            Error::Currency { .. } => "bad_currency",
            Error::UnknownMember { .. } => "unknown_member",
            Error::DoesNotAddUp { .. } => "does_not_add_up",
            Error::Row { .. } => "bad_row",
            Error::Mapping(_) => "bad_mapping",
            Error::TooMany { .. } => "too_many_rows",
        }
    }

    /// The line the error is about, when it is about one.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::TooLarge { .. }
            | Error::NotRecognised { .. }
            | Error::Mapping(_)
            | Error::TooMany { .. } => None,
            Error::Encoding { line }
            | Error::Header { line, .. }
            | Error::CellCount { line, .. }
            | Error::Amount { line, .. }
            | Error::Date { line, .. }
            | Error::Currency { line, .. }
            | Error::UnknownMember { line, .. }
            | Error::DoesNotAddUp { line, .. }
            | Error::Row { line, .. } => Some(*line),
        }
    }
}
