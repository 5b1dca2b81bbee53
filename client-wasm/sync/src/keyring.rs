//! Everything secret a device holds for a group, in one place: its own member keys
//! (`gfms_identity::DeviceKeys`), the group context every signature is bound to, and the
//! secret of each key epoch it holds, with the keys derived from each.
//!
//! A relay is addressed per epoch: each epoch's secret derives its own group id, token,
//! pseudonyms and share ids at a relay. The engine names such a place an *endpoint*: the
//! relay's URL for epoch 0 (as every release before epochs wrote it, so saved states
//! keep their meaning), `URL#<the epoch's epoch_started event id>` for a later one.

use gfms_identity::{DeviceKeys, GroupContext};
use gfms_ledger::EventId;
use gfms_seal::{GroupKeys, GroupSecret, RelayKeys};
use serde::{Deserialize, Serialize};

use crate::Error;

/// Which epoch: `None` for epoch 0, else the id of the event that started it.
pub(crate) type EpochStart = Option<EventId>;

/// One epoch this device holds the secret of.
pub(crate) struct Epoch {
    pub(crate) number: u64,
    pub(crate) start: EpochStart,
    secret: GroupSecret,
    keys: GroupKeys,
    /// When this device stopped sending in it (0: it still does, or never did): it pulls
    /// from it for [`PREVIOUS_EPOCH_PULL_MS`] more, for members who have not switched.
    pub(crate) superseded_ms: u64,
}

/// How long a device keeps pulling from an epoch it left: members who have not heard
/// of the new one still send there. A relay keeps a share alive by re-puts for at most
/// 14 days (`max_share_lifetime_seconds`).
pub(crate) const PREVIOUS_EPOCH_PULL_MS: u64 = 14 * 24 * 3600 * 1000;

/// An epoch as saved.
#[derive(Serialize, Deserialize)]
pub(crate) struct SavedEpoch {
    number: u64,
    start: EpochStart,
    secret: String,
    #[serde(default)]
    superseded_ms: u64,
}

/// The device's keys and secrets.
pub(crate) struct Keyring {
    device: DeviceKeys,
    context: GroupContext,
    /// Every epoch held, the device's first (its creation or invite) first.
    epochs: Vec<Epoch>,
    /// The epoch new batches are sealed in (an index into `epochs`).
    current: usize,
}

impl Keyring {
    /// A keyring holding one epoch: the group's first (`number` 0) or an invite's.
    pub(crate) fn new(
        device: DeviceKeys,
        context: GroupContext,
        secret: GroupSecret,
        number: u64,
        start: EpochStart,
    ) -> Self {
        Self {
            device,
            context,
            epochs: vec![Epoch::new(number, start, secret)],
            current: 0,
        }
    }

    /// Restores a keyring: the first secret (the saved state's `secret`), the saved
    /// epochs after it and which one is current.
    pub(crate) fn load(
        device: DeviceKeys,
        context: GroupContext,
        first: GroupSecret,
        first_number: u64,
        first_start: EpochStart,
        saved: Vec<SavedEpoch>,
        current: EpochStart,
    ) -> Result<Self, Error> {
        let mut ring = Self::new(device, context, first, first_number, first_start);
        for e in saved {
            let mut secret = [0u8; 32];
            hex::decode_to_slice(&e.secret, &mut secret)
                .map_err(|_| Error::BadState("an epoch secret".into()))?;
            ring.add(e.number, e.start, GroupSecret::from_bytes(secret), 0);
            if let Some(last) = ring.epochs.last_mut() {
                last.superseded_ms = e.superseded_ms;
            }
        }
        ring.epochs[0].superseded_ms = 0;
        ring.current = ring.index(current).unwrap_or(0);
        Ok(ring)
    }

    /// The epochs after the first, as saved.
    pub(crate) fn save_epochs(&self) -> Vec<SavedEpoch> {
        self.epochs
            .iter()
            .skip(1)
            .map(|e| SavedEpoch {
                number: e.number,
                start: e.start,
                secret: hex::encode(e.secret.to_bytes()),
                superseded_ms: e.superseded_ms,
            })
            .collect()
    }

    /// The first epoch's superseded time is saved with the epochs (the first one is
    /// the saved state's own `secret`).
    pub(crate) fn first_superseded_ms(&self) -> u64 {
        self.epochs[0].superseded_ms
    }

    pub(crate) fn set_first_superseded_ms(&mut self, ms: u64) {
        self.epochs[0].superseded_ms = ms;
    }

    /// This device's member keys.
    pub(crate) fn device(&self) -> &DeviceKeys {
        &self.device
    }

    /// The group context every signature and sealed secret is bound to.
    pub(crate) fn context(&self) -> &GroupContext {
        &self.context
    }

    /// The first epoch's secret: for the saved state's `secret` and the local key.
    pub(crate) fn first_secret_bytes(&self) -> [u8; 32] {
        self.epochs[0].secret.to_bytes()
    }

    /// The first epoch's number and start (what the saved state's `secret` is).
    pub(crate) fn first(&self) -> (u64, EpochStart) {
        (self.epochs[0].number, self.epochs[0].start)
    }

    /// The current epoch.
    pub(crate) fn current(&self) -> &Epoch {
        &self.epochs[self.current]
    }

    /// Every epoch held.
    pub(crate) fn epochs(&self) -> &[Epoch] {
        &self.epochs
    }

    fn index(&self, start: EpochStart) -> Option<usize> {
        self.epochs.iter().position(|e| e.start == start)
    }

    /// Whether this device holds the secret of epoch `start`.
    pub(crate) fn holds(&self, start: EpochStart) -> bool {
        self.index(start).is_some()
    }

    /// Adds an epoch's secret (learned from an `epoch_started` or `epoch_shared` event, or
    /// made here) at `now_ms`; one already held is left as it is. It is pulled from as an
    /// epoch left now until the device switches to it (one that lost to another of its
    /// number, or an older one learned late, is left for good).
    pub(crate) fn add(&mut self, number: u64, start: EpochStart, secret: GroupSecret, now_ms: u64) {
        if !self.holds(start) {
            let mut epoch = Epoch::new(number, start, secret);
            epoch.superseded_ms = now_ms.max(1);
            self.epochs.push(epoch);
        }
    }

    /// Seals new batches in epoch `start` from now on; the one left is pulled from a
    /// while longer. Whether the current epoch changed.
    pub(crate) fn switch_to(&mut self, start: EpochStart, now_ms: u64) -> bool {
        let Some(i) = self.index(start) else {
            return false;
        };
        if i == self.current {
            return false;
        }
        self.epochs[self.current].superseded_ms = now_ms.max(1);
        self.epochs[i].superseded_ms = 0;
        self.current = i;
        true
    }

    /// The keys of epoch `start`.
    pub(crate) fn group(&self, start: EpochStart) -> Option<&GroupKeys> {
        self.index(start).map(|i| &self.epochs[i].keys)
    }

    /// The keys at an endpoint (a relay in an epoch).
    pub(crate) fn relay(&self, endpoint: &str) -> Result<RelayKeys, Error> {
        let (url, start) = split_endpoint(endpoint)?;
        let keys = self
            .group(start)
            .ok_or_else(|| Error::BadRelays(format!("no keys for {endpoint}")))?;
        Ok(keys.relay(url)?)
    }

    /// The epochs to pull from at `now_ms`: the current one and those left less than
    /// [`PREVIOUS_EPOCH_PULL_MS`] ago.
    pub(crate) fn pulled(&self, now_ms: u64) -> Vec<EpochStart> {
        self.epochs
            .iter()
            .filter(|e| {
                e.superseded_ms == 0
                    || now_ms.saturating_sub(e.superseded_ms) < PREVIOUS_EPOCH_PULL_MS
            })
            .map(|e| e.start)
            .collect()
    }
}

impl Epoch {
    fn new(number: u64, start: EpochStart, secret: GroupSecret) -> Self {
        Self {
            number,
            start,
            keys: GroupKeys::derive(&secret),
            secret,
            superseded_ms: 0,
        }
    }

    /// The secret's bytes, for invites.
    pub(crate) fn secret_bytes(&self) -> [u8; 32] {
        self.secret.to_bytes()
    }
}

/// The endpoint of relay `url` (normalised) in epoch `start`.
pub(crate) fn endpoint(url: &str, start: EpochStart) -> String {
    match start {
        None => url.to_string(),
        Some(id) => format!("{url}#{id}"),
    }
}

/// An endpoint's relay URL and epoch.
pub(crate) fn split_endpoint(endpoint: &str) -> Result<(&str, EpochStart), Error> {
    match endpoint.split_once('#') {
        None => Ok((endpoint, None)),
        Some((url, id)) => {
            let id = EventId::parse_str(id)
                .map_err(|_| Error::BadState(format!("not an endpoint: {endpoint}")))?;
            Ok((url, Some(id)))
        }
    }
}

/// An endpoint's relay URL (the endpoint itself if it is not one).
pub(crate) fn relay_url(endpoint: &str) -> &str {
    endpoint.split_once('#').map_or(endpoint, |(url, _)| url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_of_epoch_zero_are_the_relay_urls_saved_states_hold() {
        let url = "https://relay.example";
        assert_eq!(endpoint(url, None), url);
        assert_eq!(split_endpoint(url).unwrap(), (url, None));
        let id = EventId::from_u128(7);
        let e = endpoint(url, Some(id));
        assert_eq!(split_endpoint(&e).unwrap(), (url, Some(id)));
        assert_eq!(relay_url(&e), url);
        assert!(split_endpoint("https://relay.example#nope").is_err());
    }
}
