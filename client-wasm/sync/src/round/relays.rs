//! The relays a round talks to, per endpoint (a relay in a key epoch): their keys, and
//! how each behaved — down (no answer, or an error), tampering (bytes that do not
//! authenticate) or lying (acks without the member's receipt) — which is what the
//! round's report says per relay. A share part's `relay_index` points into the order in
//! which the round first used each endpoint.

use std::collections::BTreeMap;

use gfms_seal::RelayKeys;

use crate::Group;
use crate::keyring::{EpochStart, endpoint, relay_url};
use crate::report::{RelayHealth, RelayReport};

struct Contact {
    keys: RelayKeys,
    down: Option<String>,
    tampering: Option<String>,
    lying: Option<String>,
    /// Share requests go in the simple form (no CORS preflight).
    simple: bool,
    /// The relay takes a `POST` listing (status and acks riding along) and the simple
    /// form of status and acks.
    posted: bool,
}

/// Every endpoint of the round.
pub(super) struct RoundRelays {
    by_url: BTreeMap<String, Contact>,
    /// Endpoints in the order first used.
    order: Vec<String>,
    /// The current key epoch: a relay's health is what its endpoint in it says (an
    /// earlier epoch's endpoint may be gone for good).
    current: EpochStart,
}

impl RoundRelays {
    pub(super) fn new(current: EpochStart) -> Self {
        Self {
            by_url: BTreeMap::new(),
            order: Vec::new(),
            current,
        }
    }

    /// The relay's keys, the relay added on first use (`None`: not a relay URL).
    pub(super) fn add(&mut self, group: &Group, url: &str) -> Option<&RelayKeys> {
        if !self.by_url.contains_key(url) {
            let keys = group.relay_keys(url).ok()?;
            let simple = group.relays.simple_at(relay_url(url));
            let posted = group.relays.lists_posted(relay_url(url));
            self.order.push(url.to_string());
            self.by_url.insert(
                url.to_string(),
                Contact {
                    keys,
                    down: None,
                    tampering: None,
                    lying: None,
                    simple,
                    posted,
                },
            );
        }
        self.by_url.get(url).map(|c| &c.keys)
    }

    /// Like [`RoundRelays::add`], but `None` once the relay is down: nothing more is
    /// asked of it this round.
    pub(super) fn add_up(&mut self, group: &Group, url: &str) -> Option<&RelayKeys> {
        self.add(group, url)?;
        self.up(url)
    }

    /// The keys of a relay of the round.
    pub(super) fn keys(&self, url: &str) -> Option<&RelayKeys> {
        self.by_url.get(url).map(|c| &c.keys)
    }

    /// The keys of a relay of the round that is not down.
    pub(super) fn up(&self, url: &str) -> Option<&RelayKeys> {
        self.by_url
            .get(url)
            .filter(|c| c.down.is_none())
            .map(|c| &c.keys)
    }

    pub(super) fn is_up(&self, url: &str) -> bool {
        self.up(url).is_some()
    }

    pub(super) fn contains(&self, url: &str) -> bool {
        self.by_url.contains_key(url)
    }

    /// The relays' URLs, sorted.
    pub(super) fn urls(&self) -> Vec<String> {
        self.by_url.keys().cloned().collect()
    }

    /// The index share parts from this relay carry.
    pub(super) fn index_of(&self, url: &str) -> usize {
        self.order.iter().position(|u| u == url).unwrap_or(0)
    }

    pub(super) fn url_at(&self, index: usize) -> Option<&str> {
        self.order.get(index).map(String::as_str)
    }

    /// Whether share requests to this endpoint go in the simple form.
    pub(super) fn simple(&self, url: &str) -> bool {
        self.by_url.get(url).is_some_and(|c| c.simple)
    }

    /// Whether listings at this endpoint are `POST`s (carrying status and acks).
    pub(super) fn posted(&self, url: &str) -> bool {
        self.by_url.get(url).is_some_and(|c| c.posted)
    }

    /// Whether status and ack requests to this endpoint go in the simple form.
    pub(super) fn simple_posts(&self, url: &str) -> bool {
        self.by_url.get(url).is_some_and(|c| c.posted && c.simple)
    }

    /// The relay refused a `POST` listing (405) or a simple status or ack: `GET`
    /// listings and classic status and acks at each of its endpoints from now on.
    pub(super) fn plain_listing(&mut self, url: &str) {
        let relay = relay_url(url).to_string();
        for (endpoint, c) in &mut self.by_url {
            if relay_url(endpoint) == relay {
                c.posted = false;
            }
        }
    }

    /// The relay answered a simple request 405: classic requests at each of its
    /// endpoints from now on.
    pub(super) fn classic_only(&mut self, url: &str) {
        let relay = relay_url(url).to_string();
        for (endpoint, c) in &mut self.by_url {
            if relay_url(endpoint) == relay {
                c.simple = false;
            }
        }
    }

    /// The relay did not answer, or refused: the first reason is kept.
    pub(super) fn mark_down(&mut self, url: &str, why: String) {
        if let Some(c) = self.by_url.get_mut(url) {
            c.down.get_or_insert(why);
        }
    }

    /// The relay served bytes that do not authenticate: the first reason is kept.
    pub(super) fn mark_tampering(&mut self, url: &str, why: &str) {
        if let Some(c) = self.by_url.get_mut(url) {
            c.tampering.get_or_insert_with(|| why.to_string());
        }
    }

    /// The relay reported acks it has no receipts for: the first reason is kept.
    pub(super) fn mark_lying(&mut self, url: &str, why: String) {
        if let Some(c) = self.by_url.get_mut(url) {
            c.lying.get_or_insert(why);
        }
    }

    /// How each relay (by URL, over its endpoints) behaved: tampering outweighs lying,
    /// which outweighs down. Down counts at the current epoch's endpoint when the round
    /// used it (an earlier epoch's group may be gone from the relay for good).
    pub(super) fn report(&self) -> Vec<RelayReport> {
        let mut by_relay: Vec<(&str, Vec<(&String, &Contact)>)> = Vec::new();
        for (endpoint, c) in &self.by_url {
            gfms_ledger::order::slot(&mut by_relay, relay_url(endpoint)).push((endpoint, c));
        }
        gfms_ledger::order::sort_by_key(&mut by_relay, |(url, _)| *url);
        by_relay
            .into_iter()
            .map(|(url, contacts)| {
                let current = endpoint(url, self.current);
                let uses_current = contacts.iter().any(|(e, _)| **e == current);
                let first = |f: fn(&Contact) -> &Option<String>| {
                    contacts.iter().find_map(|(_, c)| f(c).clone())
                };
                let down = contacts
                    .iter()
                    .filter(|(e, _)| !uses_current || **e == current)
                    .find_map(|(_, c)| c.down.clone());
                let (health, error) = if let Some(t) = first(|c| &c.tampering) {
                    (RelayHealth::Tampering, Some(t))
                } else if let Some(l) = first(|c| &c.lying) {
                    (RelayHealth::Lying, Some(l))
                } else if let Some(d) = down {
                    (RelayHealth::Down, Some(d))
                } else {
                    (RelayHealth::Up, None)
                };
                RelayReport {
                    url: url.to_string(),
                    health,
                    error,
                }
            })
            .collect()
    }
}
