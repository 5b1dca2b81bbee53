//! The crate's one error type. Authentication failures are deliberately broad: they
//! say that something did not verify, never which byte or why.

/// Why sealing or opening failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A relay URL that is not `http://` or `https://` with a host.
    #[error("not a relay URL: {0}")]
    InvalidRelayUrl(String),
    /// `k`/`n` out of range for the relays given.
    #[error("invalid threshold k = {k} for {n} relays")]
    InvalidThreshold {
        /// The threshold.
        k: u8,
        /// The relay count.
        n: usize,
    },
    /// Fewer shares than the threshold.
    #[error("need {need} shares of this batch, have {have}")]
    NotEnoughShares {
        /// The threshold.
        need: u8,
        /// Usable shares given.
        have: usize,
    },
    /// No combination of `k` shares produced an authentic batch.
    #[error(
        "no {k} of the {have} shares open the batch: shares were tampered with or belong to another group"
    )]
    NoSubsetAuthenticates {
        /// The threshold.
        k: u8,
        /// Shares tried.
        have: usize,
    },
    /// A share header did not verify under this relay's key.
    #[error("share header did not verify")]
    BadHeader,
    /// The shares given are not all of one batch.
    #[error("shares of different batches given together")]
    MixedBatches,
    /// A batch too large to seal.
    #[error("batch of {0} bytes is too large")]
    TooLarge(usize),
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Rng,
}
