//! Where the group's batches go: relay sets (from the ledger's relay-set events, or the
//! invite's until one arrives), and per relay whether this device registered the group
//! there and with which registration key.

use std::collections::{BTreeMap, BTreeSet};

use gfms_ledger::{Event, EventBody, Ledger};
use gfms_seal::normalize_relay_url;
use serde::{Deserialize, Serialize};

use crate::Error;

/// A relay set: URLs (normalised) and threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelaySet {
    /// Relay URLs, in the group's order.
    pub relays: Vec<String>,
    /// Threshold `k`.
    pub k: u8,
}

impl RelaySet {
    /// Checks and normalises a relay set.
    pub fn new(relays: &[String], k: u8) -> Result<Self, Error> {
        let mut out: Vec<String> = Vec::with_capacity(relays.len());
        for r in relays {
            let url = normalize_relay_url(r)?;
            if out.contains(&url) {
                return Err(Error::BadRelays(format!("{url} is listed twice")));
            }
            out.push(url);
        }
        if out.len() > 255 || k < 2 || usize::from(k) > out.len() {
            return Err(Error::BadRelays(format!(
                "need 2 <= k <= n, have k = {k} and n = {}",
                out.len()
            )));
        }
        Ok(Self { relays: out, k })
    }
}

/// The relays' fields of the saved state (named as saved).
pub(crate) struct SavedRelays {
    pub(crate) invite_set: RelaySet,
    pub(crate) registration_keys: BTreeMap<String, String>,
    pub(crate) registered: BTreeSet<String>,
}

/// The group's relays as this device knows them.
pub(crate) struct Relays {
    /// The set the invite named (or the group was created with).
    invite_set: RelaySet,
    /// Keys for relays that serve only their operator's friends, by URL.
    registration_keys: BTreeMap<String, String>,
    /// Relays this device registered the group with.
    registered: BTreeSet<String>,
    /// This host sends share requests in their simple form (a browser: no CORS
    /// preflight; docs/protocol.md). Not saved: the host says so when it loads a group.
    simple: bool,
    /// Relays that answered a simple request 405 (older than the form): classic requests
    /// there from now on, until the group is loaded again (the relay may be updated).
    classic_only: BTreeSet<String>,
    /// Relays that answered a `POST` listing 405 (older than listings that carry status
    /// and acks, and than the simple form of status and acks): a `GET` listing and
    /// classic status and ack requests there, until the group is loaded again.
    plain_listing: BTreeSet<String>,
}

impl Relays {
    pub(crate) fn new(invite_set: RelaySet) -> Self {
        Self {
            invite_set,
            registration_keys: BTreeMap::new(),
            registered: BTreeSet::new(),
            simple: false,
            classic_only: BTreeSet::new(),
            plain_listing: BTreeSet::new(),
        }
    }

    pub(crate) fn load(s: SavedRelays) -> Self {
        Self {
            invite_set: s.invite_set,
            registration_keys: s.registration_keys,
            registered: s.registered,
            simple: false,
            classic_only: BTreeSet::new(),
            plain_listing: BTreeSet::new(),
        }
    }

    pub(crate) fn save(&self) -> SavedRelays {
        SavedRelays {
            invite_set: self.invite_set.clone(),
            registration_keys: self.registration_keys.clone(),
            registered: self.registered.clone(),
        }
    }

    /// Relay sets from the ledger's relay-set events, oldest first.
    fn history(ledger: &Ledger) -> Vec<RelaySet> {
        let mut changes: Vec<&Event> = ledger
            .events()
            .filter(|e| matches!(e.body, EventBody::RelaySetChanged { .. }))
            .collect();
        gfms_ledger::order::sort_by_key(&mut changes, |e| (e.lamport, e.author, e.id));
        changes
            .into_iter()
            .filter_map(|e| match &e.body {
                EventBody::RelaySetChanged { relays, k } => RelaySet::new(relays, *k).ok(),
                _ => None,
            })
            .collect()
    }

    /// The relay set new batches go to.
    pub(crate) fn current(&self, ledger: &Ledger) -> RelaySet {
        Self::history(ledger)
            .pop()
            .unwrap_or_else(|| self.invite_set.clone())
    }

    /// The relays to pull from: the current set, the one before it (members who have not
    /// heard of a change yet still send there) and the invite's.
    pub(crate) fn pull(&self, ledger: &Ledger) -> Vec<String> {
        let mut history = Self::history(ledger);
        let mut out: Vec<String> = Vec::new();
        let mut add = |set: &RelaySet| {
            for r in &set.relays {
                if !out.contains(r) {
                    out.push(r.clone());
                }
            }
        };
        if let Some(cur) = history.pop() {
            add(&cur);
        }
        if let Some(prev) = history.pop() {
            add(&prev);
        }
        add(&self.invite_set);
        out
    }

    /// Where a relay-set change is announced: the current set plus the relays pulled
    /// from before it (threshold of the current), so members who know only the old set
    /// hear of the change.
    pub(crate) fn announcing(&self, ledger: &Ledger, current: &RelaySet) -> RelaySet {
        let mut relays = current.relays.clone();
        for r in self.pull(ledger) {
            if !relays.contains(&r) && relays.len() < 255 {
                relays.push(r);
            }
        }
        RelaySet {
            relays,
            k: current.k,
        }
    }

    /// The registration key for a relay, if it needs one.
    pub(crate) fn registration_key(&self, url: &str) -> Option<String> {
        self.registration_keys.get(url).cloned()
    }

    /// The registration keys of these relays (what an invite carries).
    pub(crate) fn registration_keys_of(&self, relays: &[String]) -> BTreeMap<String, String> {
        gfms_ledger::order::map_of(
            self.registration_keys
                .iter()
                .filter(|(url, _)| relays.contains(url))
                .map(|(u, k)| (u.clone(), k.clone())),
        )
    }

    /// Sets (or, when empty, removes) a relay's registration key; the group registers
    /// there again, with it, at the next round. `url` is normalised.
    pub(crate) fn set_registration_key(&mut self, url: String, key: &str) {
        if key.is_empty() {
            self.registration_keys.remove(&url);
        } else {
            self.registration_keys.insert(url.clone(), key.to_string());
        }
        self.registered.remove(&url);
    }

    /// Keys an invite brought (already normalised).
    pub(crate) fn set_registration_keys(&mut self, keys: BTreeMap<String, String>) {
        self.registration_keys = keys;
    }

    pub(crate) fn is_registered(&self, url: &str) -> bool {
        self.registered.contains(url)
    }

    /// The relay lost the group: register there again.
    pub(crate) fn forgotten(&mut self, url: &str) {
        self.registered.remove(url);
    }

    /// Sends share requests in their simple form from now on, where relays take it.
    pub(crate) fn use_simple_requests(&mut self) {
        self.simple = true;
    }

    /// Whether share requests to `relay` (a relay URL, not an endpoint) go in the simple
    /// form.
    pub(crate) fn simple_at(&self, relay: &str) -> bool {
        self.simple && !self.classic_only.contains(relay)
    }

    /// `relay` does not know the simple form (an older relay answered 405).
    pub(crate) fn classic_only(&mut self, relay: &str) {
        self.classic_only.insert(relay.to_string());
    }

    /// Whether `relay` takes a `POST` listing (with status and acks) and the simple form
    /// of status and ack requests.
    pub(crate) fn lists_posted(&self, relay: &str) -> bool {
        !self.plain_listing.contains(relay)
    }

    /// `relay` does not know the `POST` listing (an older relay answered 405).
    pub(crate) fn plain_listing(&mut self, relay: &str) {
        self.plain_listing.insert(relay.to_string());
    }

    /// The relay accepted the group's registration.
    pub(crate) fn registered(&mut self, url: String) {
        self.registered.insert(url);
    }
}
