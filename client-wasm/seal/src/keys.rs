//! The key schedule: everything comes from the group secret `G` by HKDF-SHA256, each
//! value under its own info label, per relay with the relay's normalised URL in it.

use gfms_protocol::{GroupId, MemberId, ShareId, Token, TokenHash};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;

const SALT: &[u8] = b"gfms v1";

/// The group secret: 32 random bytes, created with the group, carried only in invites.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct GroupSecret([u8; 32]);

impl GroupSecret {
    /// A fresh secret from the OS CSPRNG.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| Error::Rng)?;
        Ok(Self(bytes))
    }

    /// Wraps stored bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The bytes, for invites and local storage only.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }
}

impl std::fmt::Debug for GroupSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupSecret(..)")
    }
}

/// A batch's id (16 bytes; the sync engine uses a UUIDv7's bytes).
pub type BatchId = [u8; 16];
/// A member's group-wide id (16 bytes), bound into every batch it sends.
pub type SenderId = [u8; 16];

/// The keys derived from a [`GroupSecret`].
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct GroupKeys {
    prk: [u8; 32],
    pub(crate) record_key: [u8; 32],
    pub(crate) group_tag: [u8; 16],
}

impl GroupKeys {
    /// Derives the group's keys.
    pub fn derive(secret: &GroupSecret) -> Self {
        let (prk, _) = Hkdf::<Sha256>::extract(Some(SALT), &secret.0);
        let mut keys = Self {
            prk: prk.into(),
            record_key: [0; 32],
            group_tag: [0; 16],
        };
        keys.record_key = keys.expand(&[b"record key"]);
        keys.group_tag = keys.expand(&[b"group tag"]);
        keys
    }

    fn expand<const N: usize>(&self, info: &[&[u8]]) -> [u8; N] {
        expand(&self.prk, info)
    }

    /// A 16-byte id for the group on this device (storage keys); never sent anywhere.
    pub fn local_id(&self) -> [u8; 16] {
        self.expand(&[b"local group id"])
    }

    /// The keys for one relay. The URL is normalised first, so spellings of one relay
    /// give one set of keys.
    pub fn relay(&self, url: &str) -> Result<RelayKeys, Error> {
        let url = normalize_relay_url(url)?;
        let u = url.as_bytes();
        Ok(RelayKeys {
            token: Token::from_bytes(self.expand(&[b"relay token\0", u])),
            group_id: GroupId::from_bytes(self.expand(&[b"relay group id\0", u])),
            header_key: self.expand(&[b"relay header key\0", u]),
            member_key: self.expand(&[b"relay member key\0", u]),
            share_key: self.expand(&[b"relay share id key\0", u]),
            url,
        })
    }
}

/// What a member uses at one relay.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RelayKeys {
    /// The normalised relay URL.
    #[zeroize(skip)]
    pub url: String,
    /// The group's bearer token at this relay.
    #[zeroize(skip)]
    pub token: Token,
    /// The group's pseudonymous id at this relay.
    #[zeroize(skip)]
    pub group_id: GroupId,
    pub(crate) header_key: [u8; 32],
    member_key: [u8; 32],
    share_key: [u8; 32],
}

impl RelayKeys {
    /// SHA-256 of the token: what registration sends.
    pub fn token_sha256(&self) -> TokenHash {
        TokenHash::from_bytes(Sha256::digest(self.token.as_bytes()).into())
    }

    /// The id under which a batch's share is stored at this relay. Derived, not random,
    /// so a receiver that has read one share's header knows where the batch's other
    /// shares are; keyed per relay, so relays cannot link the ids of one batch.
    pub fn share_id(&self, batch_id: &BatchId) -> ShareId {
        ShareId::from_bytes(expand(&self.share_key, &[b"share id\0", batch_id]))
    }

    /// A member's pseudonym at this relay (unlinkable across relays).
    pub fn member_pseudonym(&self, member: &SenderId) -> MemberId {
        MemberId::from_bytes(expand(&self.member_key, &[b"member pseudonym\0", member]))
    }
}

/// HKDF-Expand of a 32-byte PRK. Lengths here are at most 32 bytes, far below
/// HKDF-SHA256's limit of 8160, and a 32-byte PRK is always valid, so neither call fails.
fn expand<const N: usize>(prk: &[u8; 32], info: &[&[u8]]) -> [u8; N] {
    let mut out = [0u8; N];
    if let Ok(hk) = Hkdf::<Sha256>::from_prk(prk) {
        let _ = hk.expand_multi_info(info, &mut out);
    }
    out
}

/// Normalises a relay URL: `http`/`https` only, scheme and host lowercased, no
/// trailing slash, no query or fragment.
pub fn normalize_relay_url(url: &str) -> Result<String, Error> {
    let bad = || Error::InvalidRelayUrl(url.to_string());
    let trimmed = url.trim();
    let (scheme, rest) = trimmed.split_once("://").ok_or_else(bad)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad());
    }
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if host.is_empty() || host.contains(['@', ' ']) {
        return Err(bad());
    }
    let path = path.trim_end_matches('/');
    let host = host.to_ascii_lowercase();
    Ok(if path.is_empty() {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}/{path}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(byte: u8) -> GroupKeys {
        GroupKeys::derive(&GroupSecret::from_bytes([byte; 32]))
    }

    #[test]
    fn relays_get_unlinkable_tokens_ids_and_pseudonyms() {
        let k = keys(1);
        let a = k.relay("https://a.example").unwrap();
        let b = k.relay("https://b.example").unwrap();
        assert_ne!(a.token, b.token);
        assert_ne!(a.group_id, b.group_id);
        assert_ne!(a.member_pseudonym(&[7; 16]), b.member_pseudonym(&[7; 16]));
        assert_ne!(a.member_pseudonym(&[7; 16]), a.member_pseudonym(&[8; 16]));
        assert_ne!(
            keys(2).relay("https://a.example").unwrap().token,
            a.token,
            "other group"
        );
    }

    #[test]
    fn derivation_is_deterministic_and_url_spelling_does_not_matter() {
        let a = keys(1).relay("HTTPS://A.example/").unwrap();
        let b = keys(1).relay("https://a.example").unwrap();
        assert_eq!(a.token, b.token);
        assert_eq!(a.member_pseudonym(&[3; 16]), b.member_pseudonym(&[3; 16]));
        assert_eq!(a.url, "https://a.example");
    }

    #[test]
    fn relay_urls_are_checked() {
        for bad in [
            "",
            "a.example",
            "ftp://a.example",
            "https://",
            "https://user@host",
            "https:// x",
        ] {
            assert!(normalize_relay_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            normalize_relay_url("http://127.0.0.1:8787/relay/?x=1").unwrap(),
            "http://127.0.0.1:8787/relay"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(
            format!("{:?}", GroupSecret::from_bytes([9; 32])),
            "GroupSecret(..)"
        );
    }
}
