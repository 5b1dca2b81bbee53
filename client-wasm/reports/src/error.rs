//! The crate's one error type.

/// Why a report could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is not the JSON the core hands over (a state, a filter or events).
    #[error("{what} is not valid: {detail}")]
    BadArgument {
        /// Which input.
        what: &'static str,
        /// What the parser said.
        detail: String,
    },
}

impl Error {
    /// A stable snake_case code for the app to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadArgument { .. } => "bad_argument",
        }
    }
}
