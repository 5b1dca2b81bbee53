//! The crate's one error type.

/// Why a sync or group operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An invite code that is not one (wrong prefix, encoding or content).
    #[error("not a GFMS invite: {0}")]
    BadInvite(String),
    /// The ledger refused a change (bad amount, split, currency, name; no such expense,
    /// settlement or member).
    #[error(transparent)]
    Ledger(#[from] gfms_ledger::Error),
    /// Sealing or opening failed (bad relay URL, threshold, too large).
    #[error(transparent)]
    Seal(#[from] gfms_seal::Error),
    /// Member keys failed (a card to seal to that is not one, no randomness).
    #[error(transparent)]
    Keys(#[from] gfms_identity::Error),
    /// Saved device state that cannot be read.
    #[error("saved group state is unreadable: {0}")]
    BadState(String),
    /// The group's history has not arrived yet (a device that just joined).
    #[error("the group's history has not arrived yet; sync first")]
    NotSynced,
    /// This device's member left or was removed.
    #[error("you are no longer a member of this group")]
    NotMember,
    /// A relay set or threshold that cannot work.
    #[error("bad relay set: {0}")]
    BadRelays(String),
    /// The system's random number generator failed.
    #[error("no randomness available")]
    Rng,
}

impl Error {
    /// A stable machine-readable code (what the wasm facade puts on JS errors).
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadInvite(_) => "bad_invite",
            Error::Ledger(e) => e.code(),
            Error::Seal(_) => "seal",
            Error::Keys(_) => "keys",
            Error::BadState(_) => "bad_state",
            Error::NotSynced => "not_synced",
            Error::NotMember => "not_member",
            Error::BadRelays(_) => "bad_relays",
            Error::Rng => "rng",
        }
    }
}
