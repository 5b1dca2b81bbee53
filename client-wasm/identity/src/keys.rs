//! A device's keys in one group ([`DeviceKeys`]) and their public halves
//! ([`MemberCard`]).

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use x25519_dalek::{PublicKey as AgreementPublic, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop};

use sha2::{Digest, Sha256};

use crate::encoding::{b64, b64_array};
use crate::{Error, MemberId};

/// The domain label of a member id derived from a card.
pub const MEMBER_ID_LABEL: &[u8] = b"gfms v1 member id";

/// A member's public keys in one group: Ed25519 to verify what it signs, X25519 to seal
/// secrets to it. Travels in the member's `member_joined` event; `{"ed25519": …,
/// "x25519": …}` in JSON, each 32 bytes as unpadded base64url. Parsing refuses keys no
/// honest device makes (see [`Error::InvalidCard`]) and any second spelling of a key.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CardWire", into = "CardWire")]
pub struct MemberCard {
    ed25519: VerifyingKey,
    x25519: [u8; 32],
}

#[derive(Serialize, Deserialize)]
struct CardWire {
    ed25519: String,
    x25519: String,
}

impl From<MemberCard> for CardWire {
    fn from(card: MemberCard) -> Self {
        Self {
            ed25519: b64(card.ed25519.as_bytes()),
            x25519: b64(&card.x25519),
        }
    }
}

impl TryFrom<CardWire> for MemberCard {
    type Error = Error;
    fn try_from(wire: CardWire) -> Result<Self, Error> {
        Self::from_base64url(&wire.ed25519, &wire.x25519)
    }
}

impl MemberCard {
    /// The card of two keys in their JSON spelling (unpadded base64url), as the JSON form
    /// reads them: for a caller that holds the two strings already (no JSON round trip).
    pub fn from_base64url(ed25519: &str, x25519: &str) -> Result<Self, Error> {
        Self::from_keys(
            &b64_array(ed25519, "card ed25519 key")?,
            &b64_array(x25519, "card x25519 key")?,
        )
    }

    /// The card of these public keys, if both are usable.
    pub fn from_keys(ed25519: &[u8; 32], x25519: &[u8; 32]) -> Result<Self, Error> {
        let verifying = VerifyingKey::from_bytes(ed25519).map_err(|_| Error::InvalidCard)?;
        // A small-order key would let anyone pass off one signature as valid for many
        // messages; a non-canonical encoding would give one key two cards.
        if verifying.is_weak() || verifying.to_edwards().compress().as_bytes() != ed25519 {
            return Err(Error::InvalidCard);
        }
        // Any clamped scalar times a small-order point is the identity: the shared
        // secret with such a key would be all zeros, whoever computes it.
        let probe = StaticSecret::from([0x55; 32]).diffie_hellman(&AgreementPublic::from(*x25519));
        if !probe.was_contributory() {
            return Err(Error::InvalidCard);
        }
        Ok(Self {
            ed25519: verifying,
            x25519: *x25519,
        })
    }

    /// The card as JSON: `{"ed25519": …, "x25519": …}`.
    pub fn to_json(&self) -> String {
        // Two strings: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses [`MemberCard::to_json`]'s form: [`Error::Malformed`] for the wrong shape or
    /// encoding, [`Error::InvalidCard`] for unusable keys. Unknown fields are ignored.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let wire: CardWire =
            serde_json::from_slice(json.as_bytes()).map_err(|_| Error::Malformed("card"))?;
        Self::try_from(wire)
    }

    /// The card as 64 bytes: the Ed25519 key, then the X25519 key.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(self.ed25519.as_bytes());
        out[32..].copy_from_slice(&self.x25519);
        out
    }

    /// Parses [`MemberCard::to_bytes`]'s form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; 64] = bytes.try_into().map_err(|_| Error::Malformed("card"))?;
        let (ed, x) = bytes.split_at(32);
        Self::from_keys(
            ed.try_into().map_err(|_| Error::Malformed("card"))?,
            x.try_into().map_err(|_| Error::Malformed("card"))?,
        )
    }

    /// The member id this card stands for: the first 16 bytes of SHA-256(`"gfms v1
    /// member id"` ‖ the card's 64 bytes). A device with member keys takes it as its
    /// member id when it creates or joins a group, so a member's card is bound to its id
    /// with no trust on first use: no one can publish another card for that id.
    pub fn member_id(&self) -> MemberId {
        let digest = Sha256::new()
            .chain_update(MEMBER_ID_LABEL)
            .chain_update(self.to_bytes())
            .finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        id
    }

    /// The Ed25519 public key.
    pub fn ed25519(&self) -> &[u8; 32] {
        self.ed25519.as_bytes()
    }

    /// The X25519 public key.
    pub fn x25519(&self) -> &[u8; 32] {
        &self.x25519
    }

    /// Whether `signature` is this card's over `message`, by RFC 8032 with the strict
    /// checks of `verify_strict` (no small-order `R`, canonical `S`), so a signature has
    /// one valid form.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.ed25519
            .verify_strict(message, &Signature::from_bytes(signature))
            .is_ok()
    }
}

impl std::fmt::Debug for MemberCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberCard")
            .field("ed25519", &b64(self.ed25519.as_bytes()))
            .field("x25519", &b64(&self.x25519))
            .finish()
    }
}

/// One device's private keys in one group: an Ed25519 signing key and an X25519
/// key-agreement key. Kept in the device's saved state (`{"ed25519_seed": …,
/// "x25519_secret": …}`, unpadded base64url), never sent; wiped from memory when dropped,
/// and `Debug` shows only the public card.
#[derive(Clone)]
pub struct DeviceKeys {
    signing: SigningKey,
    agreement: StaticSecret,
    card: MemberCard,
}

impl DeviceKeys {
    /// Fresh keys from the OS CSPRNG.
    pub fn generate() -> Result<Self, Error> {
        let mut seeds = Seeds([0; 64]);
        getrandom::fill(&mut seeds.0).map_err(|_| Error::Rng)?;
        let (ed, x) = seeds.0.split_at(32);
        Self::from_secrets(
            ed.try_into().map_err(|_| Error::Rng)?,
            x.try_into().map_err(|_| Error::Rng)?,
        )
    }

    /// Keys from stored secrets: the 32-byte Ed25519 seed (RFC 8032's private key) and the
    /// 32-byte X25519 scalar (clamped when used, RFC 7748). Refuses a pair whose public
    /// halves would make an unusable card (which random bytes make with probability
    /// about 2^-250).
    pub fn from_secrets(ed25519_seed: &[u8; 32], x25519_secret: &[u8; 32]) -> Result<Self, Error> {
        let signing = SigningKey::from_bytes(ed25519_seed);
        let agreement = StaticSecret::from(*x25519_secret);
        let card = MemberCard::from_keys(
            signing.verifying_key().as_bytes(),
            AgreementPublic::from(&agreement).as_bytes(),
        )?;
        Ok(Self {
            signing,
            agreement,
            card,
        })
    }

    /// The public card to publish.
    pub fn card(&self) -> &MemberCard {
        &self.card
    }

    /// Ed25519 signature over `message` (deterministic, RFC 8032).
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The X25519 scalar, for opening sealed secrets.
    pub(crate) fn agreement_secret(&self) -> &StaticSecret {
        &self.agreement
    }
}

impl std::fmt::Debug for DeviceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKeys")
            .field("card", &self.card)
            .finish_non_exhaustive()
    }
}

/// Scratch for fresh secrets, wiped when dropped.
#[derive(Zeroize, ZeroizeOnDrop)]
struct Seeds([u8; 64]);

/// The saved-state form, wiped when dropped.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct KeysWire {
    ed25519_seed: String,
    x25519_secret: String,
}

impl Serialize for DeviceKeys {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seed = self.signing.to_bytes();
        let mut scalar = self.agreement.to_bytes();
        let wire = KeysWire {
            ed25519_seed: b64(&seed),
            x25519_secret: b64(&scalar),
        };
        seed.zeroize();
        scalar.zeroize();
        wire.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DeviceKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = KeysWire::deserialize(deserializer)?;
        let parse = || -> Result<Self, Error> {
            let mut seed = b64_array(&wire.ed25519_seed, "ed25519 seed")?;
            let mut scalar = b64_array(&wire.x25519_secret, "x25519 secret")?;
            let keys = Self::from_secrets(&seed, &scalar);
            seed.zeroize();
            scalar.zeroize();
            keys
        };
        parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> DeviceKeys {
        DeviceKeys::from_secrets(&[7; 32], &[9; 32]).unwrap()
    }

    #[test]
    fn saved_keys_come_back_with_the_same_card() {
        let json = serde_json::to_string(&keys()).unwrap();
        let back: DeviceKeys = serde_json::from_str(&json).unwrap();
        assert_eq!(back.card(), keys().card());
        assert_eq!(back.sign(b"m"), keys().sign(b"m"));
    }

    #[test]
    fn debug_never_shows_a_private_key() {
        let k = keys();
        let text = format!("{k:?}");
        let saved = serde_json::to_string(&k).unwrap();
        let wire: serde_json::Value = serde_json::from_str(&saved).unwrap();
        for field in ["ed25519_seed", "x25519_secret"] {
            let secret = wire[field].as_str().unwrap();
            assert!(!text.contains(secret), "{field} in {text}");
            assert!(!text.contains(&hex::encode(b64_array::<32>(secret, "s").unwrap())));
        }
        assert!(text.contains(&b64(k.card().ed25519())));
    }

    #[test]
    fn card_round_trips_as_json_and_bytes() {
        let card = *keys().card();
        let json = serde_json::to_string(&card).unwrap();
        assert_eq!(serde_json::from_str::<MemberCard>(&json).unwrap(), card);
        assert_eq!(MemberCard::from_bytes(&card.to_bytes()).unwrap(), card);
        let wire: serde_json::Value = serde_json::from_str(&json).unwrap();
        let (ed, x) = (
            wire["ed25519"].as_str().unwrap(),
            wire["x25519"].as_str().unwrap(),
        );
        assert_eq!(MemberCard::from_base64url(ed, x).unwrap(), card);
        assert_eq!(
            MemberCard::from_base64url(x, &format!("{ed}=")),
            Err(Error::Malformed("card x25519 key")),
            "a second spelling is refused as in JSON"
        );
        assert_eq!(
            MemberCard::from_bytes(&[0; 63]),
            Err(Error::Malformed("card"))
        );
    }

    #[test]
    fn hostile_member_cards_with_small_order_keys_are_refused() {
        let good = *keys().card();
        // The Ed25519 identity point (small order) and an X25519 point of order 8.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let order8 =
            hex::decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
                .unwrap();
        let order8: [u8; 32] = order8.try_into().unwrap();
        assert_eq!(
            MemberCard::from_keys(&identity, good.x25519()),
            Err(Error::InvalidCard)
        );
        assert_eq!(
            MemberCard::from_keys(good.ed25519(), &order8),
            Err(Error::InvalidCard)
        );
        assert_eq!(
            MemberCard::from_keys(good.ed25519(), &[0; 32]),
            Err(Error::InvalidCard)
        );
        // A second spelling of a point (y = p + 18, not reduced) and a y with no x.
        let mut unreduced = [0xff; 32];
        unreduced[31] = 0x7f;
        assert_eq!(
            MemberCard::from_keys(&unreduced, good.x25519()),
            Err(Error::InvalidCard)
        );
        let mut not_a_point = [0; 32];
        not_a_point[0] = 2;
        assert_eq!(
            MemberCard::from_keys(&not_a_point, good.x25519()),
            Err(Error::InvalidCard)
        );
    }
}
