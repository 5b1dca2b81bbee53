//! The crate's one error type.

/// Why a sync input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An invite code that is not one (wrong prefix, encoding or content).
    #[error("not a GFMS invite: {0}")]
    BadInvite(String),
}
