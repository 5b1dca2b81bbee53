//! The relays a round talks to: their keys, and how each behaved — down (no answer, or
//! an error) or tampering (bytes that do not authenticate) — which is what the round's
//! report says per relay. A share part's `relay_index` points into the order in which
//! the round first used each relay.

use std::collections::BTreeMap;

use gfms_seal::RelayKeys;

use crate::Group;
use crate::report::{RelayHealth, RelayReport};

struct Contact {
    keys: RelayKeys,
    down: Option<String>,
    tampering: Option<String>,
}

/// Every relay of the round, by URL.
#[derive(Default)]
pub(super) struct RoundRelays {
    by_url: BTreeMap<String, Contact>,
    /// URLs in the order first used.
    order: Vec<String>,
}

impl RoundRelays {
    /// The relay's keys, the relay added on first use (`None`: not a relay URL).
    pub(super) fn add(&mut self, group: &Group, url: &str) -> Option<&RelayKeys> {
        if !self.by_url.contains_key(url) {
            let keys = group.relay_keys(url).ok()?;
            self.order.push(url.to_string());
            self.by_url.insert(
                url.to_string(),
                Contact {
                    keys,
                    down: None,
                    tampering: None,
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

    /// How each relay behaved: tampering outweighs down.
    pub(super) fn report(&self) -> Vec<RelayReport> {
        self.by_url
            .iter()
            .map(|(url, c)| {
                let (health, error) = if let Some(t) = &c.tampering {
                    (RelayHealth::Tampering, Some(t.clone()))
                } else if let Some(d) = &c.down {
                    (RelayHealth::Down, Some(d.clone()))
                } else {
                    (RelayHealth::Up, None)
                };
                RelayReport {
                    url: url.clone(),
                    health,
                    error,
                }
            })
            .collect()
    }
}
