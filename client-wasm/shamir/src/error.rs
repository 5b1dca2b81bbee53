//! The crate's one error type.

/// Why sharing or combining failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `k` and `n` must satisfy `2 <= k <= n <= 255`.
    #[error("invalid threshold: need 2 <= k <= n <= 255, got k = {k}, n = {n}")]
    InvalidThreshold {
        /// The threshold asked for.
        k: u8,
        /// The share count asked for.
        n: u8,
    },
    /// No shares were given.
    #[error("no shares to combine")]
    NoShares,
    /// A share has `x = 0`, which would be the secret itself.
    #[error("a share has x = 0")]
    ZeroX,
    /// Two shares have the same `x`.
    #[error("two shares have the same x = {0}")]
    DuplicateX(u8),
    /// Shares of different lengths cannot come from one secret.
    #[error("shares have different lengths")]
    LengthMismatch,
    /// Share bytes too short to hold an `x`.
    #[error("a share needs at least its x byte")]
    Truncated,
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Rng,
}
