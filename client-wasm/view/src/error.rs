//! The crate's one error type.

/// Why a saved state cannot be shown from this module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not a saved device state this module reads.
    #[error("not a saved group: {0}")]
    BadState(String),
    /// A saved state the client core changes on load: only the core may show it.
    #[error("the client core must load this group: {0}")]
    NeedsCore(&'static str),
    /// An argument that is not the JSON expected.
    #[error("{0}")]
    BadArgument(String),
}

impl Error {
    /// A stable snake_case code for the app to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadState(_) => "bad_state",
            Error::NeedsCore(_) => "needs_core",
            Error::BadArgument(_) => "bad_argument",
        }
    }
}
