//! The invite: everything a new device needs to join a group — the group secret, the
//! relays and the threshold — as one code, shared as a link (the code only in the URL
//! fragment, `#join=…`, which browsers never send to a server) or a QR code.
//!
//! Format: `gfms1.` followed by unpadded base64url of JSON
//! `{"v":1,"secret":"<base64url, 32 bytes>","relays":[…],"k":2,"name":"Flat"}`.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gfms_seal::{GroupSecret, normalize_relay_url};
use serde::{Deserialize, Serialize};

use crate::Error;

const PREFIX: &str = "gfms1.";

/// A group invite.
#[derive(Clone, PartialEq, Eq)]
pub struct Invite {
    /// The group secret (32 bytes).
    pub secret: [u8; 32],
    /// The relays, normalised, in the group's order.
    pub relays: Vec<String>,
    /// Threshold `k`.
    pub k: u8,
    /// The group's name, to show before joining.
    pub name: String,
    /// Registration keys of relays that only serve their operator's friends, by
    /// normalised URL (empty for open relays).
    pub registration_keys: BTreeMap<String, String>,
    /// The key epoch `secret` belongs to: 0 until a member is removed, else its number
    /// and the id of the `epoch_started` event that began it.
    pub epoch: u64,
    /// The id of the event that started `epoch` (`None` for epoch 0).
    pub epoch_start: Option<gfms_ledger::EventId>,
    /// The group context (docs/member-keys.md): derived from the group's first secret,
    /// which an invite of a later epoch no longer carries (`None` for epoch 0, where it
    /// is derived from `secret`).
    pub context: Option<[u8; 32]>,
}

impl std::fmt::Debug for Invite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invite")
            .field("relays", &self.relays)
            .field("k", &self.k)
            .field("name", &self.name)
            .field("registration_keys", &self.registration_keys.len())
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    v: u32,
    secret: String,
    relays: Vec<String>,
    k: u8,
    name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    keys: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    epoch: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ctx: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Invite {
    /// The group secret as the sealing layer takes it.
    pub fn group_secret(&self) -> GroupSecret {
        GroupSecret::from_bytes(self.secret)
    }

    /// The code.
    pub fn encode(&self) -> String {
        let wire = Wire {
            v: 1,
            secret: URL_SAFE_NO_PAD.encode(self.secret),
            relays: self.relays.clone(),
            k: self.k,
            name: self.name.clone(),
            keys: self.registration_keys.clone(),
            epoch: self.epoch,
            start: self.epoch_start.map(|s| s.to_string()),
            ctx: self.context.map(|c| URL_SAFE_NO_PAD.encode(c)),
        };
        format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&wire).unwrap_or_default())
        )
    }

    /// A link to the app at `app_url` that joins on open (the code in the fragment).
    pub fn link(&self, app_url: &str) -> String {
        format!(
            "{}#join={}",
            app_url.split('#').next().unwrap_or(app_url),
            self.encode()
        )
    }

    /// Reads a code, or a link containing `#join=<code>`, as pasted or scanned.
    pub fn decode(text: &str) -> Result<Invite, Error> {
        let bad = |why: &str| Error::BadInvite(why.into());
        let text = text.trim();
        let code = text.split_once("#join=").map_or(text, |(_, c)| c);
        let body = code
            .strip_prefix(PREFIX)
            .ok_or_else(|| bad("it does not start with gfms1."))?;
        let json = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| bad("it is damaged (not base64url)"))?;
        let wire: Wire =
            serde_json::from_slice(&json).map_err(|_| bad("it is damaged (not an invite)"))?;
        if wire.v != 1 {
            return Err(bad("it is from a newer version of GFMS"));
        }
        let secret: [u8; 32] = URL_SAFE_NO_PAD
            .decode(&wire.secret)
            .ok()
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| bad("its group secret is not 32 bytes"))?;
        let relays = wire
            .relays
            .iter()
            .map(|r| normalize_relay_url(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::BadInvite(e.to_string()))?;
        if wire.k < 2 || usize::from(wire.k) > relays.len() {
            return Err(bad("its threshold does not fit its relays"));
        }
        let mut registration_keys = BTreeMap::new();
        for (url, key) in wire.keys {
            let url = normalize_relay_url(&url).map_err(|e| Error::BadInvite(e.to_string()))?;
            registration_keys.insert(url, key);
        }
        let epoch_start = match &wire.start {
            Some(s) => Some(
                gfms_ledger::EventId::parse_str(s).map_err(|_| bad("its key epoch is damaged"))?,
            ),
            None => None,
        };
        let context = match &wire.ctx {
            Some(c) => Some(
                URL_SAFE_NO_PAD
                    .decode(c)
                    .ok()
                    .and_then(|c| c.try_into().ok())
                    .ok_or_else(|| bad("its group context is not 32 bytes"))?,
            ),
            None => None,
        };
        let epoch_given = (epoch_start.is_some(), context.is_some());
        if epoch_given != (wire.epoch > 0, wire.epoch > 0) {
            return Err(bad("its key epoch is damaged"));
        }
        Ok(Invite {
            secret,
            relays,
            k: wire.k,
            name: wire.name,
            registration_keys,
            epoch: wire.epoch,
            epoch_start,
            context,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite() -> Invite {
        Invite {
            secret: [7; 32],
            relays: vec![
                "http://127.0.0.1:8787".into(),
                "http://127.0.0.1:8788".into(),
                "http://127.0.0.1:8789".into(),
            ],
            registration_keys: BTreeMap::new(),
            k: 2,
            name: "Flat 3B".into(),
            epoch: 0,
            epoch_start: None,
            context: None,
        }
    }

    /// Older version: an invite of epoch 0 is written as before (a release before
    /// member keys refuses unknown fields); one of a later epoch carries the epoch and
    /// the group context, and round-trips.
    #[test]
    fn older_version_reads_epoch_zero_invites_and_later_epochs_carry_their_context() {
        let plain = invite();
        let json = URL_SAFE_NO_PAD
            .decode(plain.encode().strip_prefix(PREFIX).unwrap())
            .unwrap();
        let fields: BTreeMap<String, serde::de::IgnoredAny> =
            serde_json::from_slice(&json).unwrap();
        assert_eq!(
            fields.keys().collect::<Vec<_>>(),
            ["k", "name", "relays", "secret", "v"]
        );
        let later = Invite {
            epoch: 2,
            epoch_start: Some(gfms_ledger::EventId::from_u128(9)),
            context: Some([3; 32]),
            ..invite()
        };
        assert_eq!(Invite::decode(&later.encode()).unwrap(), later);
        let broken = Invite {
            context: None,
            ..later
        };
        assert!(Invite::decode(&broken.encode()).is_err());
    }

    #[test]
    fn codes_and_links_round_trip() {
        let i = invite();
        assert_eq!(Invite::decode(&i.encode()).unwrap(), i);
        let link = i.link("https://app.example/#old");
        assert!(link.starts_with("https://app.example/#join=gfms1."));
        assert_eq!(Invite::decode(&link).unwrap(), i);
        assert_eq!(
            Invite::decode(&format!("  {}\n", i.encode())).unwrap(),
            i,
            "pasted with whitespace"
        );
    }

    #[test]
    fn damaged_or_foreign_codes_are_refused_with_a_reason() {
        let code = invite().encode();
        for bad in [
            "",
            "hello",
            "gfms1.",
            "gfms1.!!!",
            &code[..code.len() - 5],
            &code.replace("gfms1.", "gfms2."),
        ] {
            assert!(Invite::decode(bad).is_err(), "{bad}");
        }
        let mut i = invite();
        i.k = 4;
        assert!(
            Invite::decode(&i.encode()).is_err(),
            "k larger than the relay count"
        );
    }

    #[test]
    fn registration_keys_travel_in_the_code_but_never_print() {
        let mut i = invite();
        i.registration_keys
            .insert("http://127.0.0.1:8789".into(), "friends-of-carol".into());
        let back = Invite::decode(&i.encode()).unwrap();
        assert_eq!(back.registration_keys, i.registration_keys);
        assert!(!format!("{back:?}").contains("friends-of-carol"));
        // Codes without keys stay as they were.
        assert!(!invite().encode().contains("keys"));
    }

    #[test]
    fn the_secret_never_prints() {
        assert!(!format!("{:?}", invite()).contains("7, 7"));
    }
}
