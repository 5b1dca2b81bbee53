//! The group secret and the keys derived from it: everything secret a device holds for
//! a group, in one place (where key epochs will live).

use gfms_seal::{GroupKeys, GroupSecret, RelayKeys};

use crate::Error;

/// The group's secret and its derived keys.
pub(crate) struct Keyring {
    secret: GroupSecret,
    keys: GroupKeys,
}

impl Keyring {
    pub(crate) fn new(secret: GroupSecret) -> Self {
        Self {
            keys: GroupKeys::derive(&secret),
            secret,
        }
    }

    /// The secret's bytes: for invites and the saved state only.
    pub(crate) fn secret_bytes(&self) -> [u8; 32] {
        self.secret.to_bytes()
    }

    /// The keys that seal and open batches.
    pub(crate) fn group(&self) -> &GroupKeys {
        &self.keys
    }

    /// The keys for one relay (its URL is normalised first).
    pub(crate) fn relay(&self, url: &str) -> Result<RelayKeys, Error> {
        Ok(self.keys.relay(url)?)
    }
}
