//! Epoch secrets: when a member is removed, a fresh group secret is sealed to each
//! remaining member's X25519 key with HPKE (RFC 9180, base mode, DHKEM(X25519,
//! HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305), so the removed member, who still holds
//! every earlier secret, cannot read what comes after.

use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::rand_core::{CryptoRng, RngCore};
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::encoding::{b64, b64_array, id_from_hex, id_hex};
use crate::{DeviceKeys, Error, GroupContext, MemberCard, MemberId};

type Kem = X25519HkdfSha256;

/// An epoch secret's length: a group secret's.
pub const EPOCH_SECRET_LEN: usize = 32;
const INFO_LABEL: &[u8] = b"gfms v1 epoch";
const CIPHERTEXT_LEN: usize = EPOCH_SECRET_LEN + 16;

/// The group secret of one epoch (32 bytes), wiped when dropped; `Debug` hides it and
/// `==` compares in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct EpochSecret([u8; EPOCH_SECRET_LEN]);

impl PartialEq for EpochSecret {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for EpochSecret {}

impl EpochSecret {
    /// A fresh secret from the OS CSPRNG.
    pub fn generate() -> Result<Self, Error> {
        let mut secret = Self([0; EPOCH_SECRET_LEN]);
        getrandom::fill(&mut secret.0).map_err(|_| Error::Rng)?;
        Ok(secret)
    }

    /// Wraps stored bytes.
    pub fn from_bytes(bytes: [u8; EPOCH_SECRET_LEN]) -> Self {
        Self(bytes)
    }

    /// The bytes, to become the epoch's group secret.
    pub fn to_bytes(&self) -> [u8; EPOCH_SECRET_LEN] {
        self.0
    }
}

impl std::fmt::Debug for EpochSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EpochSecret(..)")
    }
}

/// An epoch secret sealed to one member: `{"member": <id hex>, "enc": <32-byte HPKE
/// encapsulated key>, "ct": <48-byte ciphertext>}`, both unpadded base64url. HPKE's info
/// is `"gfms v1 epoch"` ‖ group context (32) ‖ epoch (u64 big-endian); its associated
/// data is the member id (16).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SealedWire", into = "SealedWire")]
pub struct SealedEpochSecret {
    /// The member it is sealed to.
    pub member: MemberId,
    enc: [u8; 32],
    ciphertext: [u8; CIPHERTEXT_LEN],
}

#[derive(Serialize, Deserialize)]
struct SealedWire {
    member: String,
    enc: String,
    ct: String,
}

impl From<SealedEpochSecret> for SealedWire {
    fn from(s: SealedEpochSecret) -> Self {
        Self {
            member: id_hex(&s.member),
            enc: b64(&s.enc),
            ct: b64(&s.ciphertext),
        }
    }
}

impl TryFrom<SealedWire> for SealedEpochSecret {
    type Error = Error;
    fn try_from(w: SealedWire) -> Result<Self, Error> {
        Self::from_base64url(
            id_from_hex(&w.member, "sealed secret member")?,
            &w.enc,
            &w.ct,
        )
    }
}

impl SealedEpochSecret {
    /// The sealed secret of `member` from its `enc` and `ct` fields as JSON spells them
    /// (unpadded base64url): for a caller that holds the strings already.
    pub fn from_base64url(member: MemberId, enc: &str, ct: &str) -> Result<Self, Error> {
        Ok(Self {
            member,
            enc: b64_array(enc, "sealed secret enc")?,
            ciphertext: b64_array(ct, "sealed secret ct")?,
        })
    }

    /// Its `enc` field: the encapsulated key, unpadded base64url.
    pub fn enc_base64url(&self) -> String {
        b64(&self.enc)
    }

    /// Its `ct` field: the ciphertext, unpadded base64url.
    pub fn ct_base64url(&self) -> String {
        b64(&self.ciphertext)
    }
}

fn info(context: &GroupContext, epoch: u64) -> [u8; 13 + 32 + 8] {
    let mut out = [0u8; 13 + 32 + 8];
    out[..13].copy_from_slice(INFO_LABEL);
    out[13..45].copy_from_slice(context.as_bytes());
    out[45..].copy_from_slice(&epoch.to_be_bytes());
    out
}

/// Seals `secret` for epoch `epoch` to every `(member id, card)` given, each with its own
/// fresh ephemeral key.
pub fn seal_epoch_secret(
    secret: &EpochSecret,
    context: &GroupContext,
    epoch: u64,
    recipients: &[(MemberId, MemberCard)],
) -> Result<Vec<SealedEpochSecret>, Error> {
    recipients
        .iter()
        .map(|(member, card)| {
            let mut ikm = Ikm([0; 32]);
            getrandom::fill(&mut ikm.0).map_err(|_| Error::Rng)?;
            seal_one(secret, context, epoch, member, card, &ikm.0)
        })
        .collect()
}

/// [`seal_epoch_secret`] with given ephemeral input keying material (RFC 9180's `ikmE`,
/// one per recipient, in order). For test vectors only: an ephemeral key used twice
/// exposes both secrets it sealed.
#[cfg(feature = "vectors")]
pub fn seal_epoch_secret_with_ephemeral(
    secret: &EpochSecret,
    context: &GroupContext,
    epoch: u64,
    recipients: &[(MemberId, MemberCard)],
    ikm_e: &[[u8; 32]],
) -> Result<Vec<SealedEpochSecret>, Error> {
    if ikm_e.len() != recipients.len() {
        return Err(Error::Malformed("ephemeral keys"));
    }
    recipients
        .iter()
        .zip(ikm_e)
        .map(|((member, card), ikm)| seal_one(secret, context, epoch, member, card, ikm))
        .collect()
}

fn seal_one(
    secret: &EpochSecret,
    context: &GroupContext,
    epoch: u64,
    member: &MemberId,
    card: &MemberCard,
    ikm_e: &[u8; 32],
) -> Result<SealedEpochSecret, Error> {
    let (enc, ct) = hpke_seal(
        card.x25519(),
        &info(context, epoch),
        member,
        &secret.0,
        ikm_e,
    )?;
    Ok(SealedEpochSecret {
        member: *member,
        enc,
        ciphertext: ct.try_into().map_err(|_| Error::Malformed("ciphertext"))?,
    })
}

/// RFC 9180 single-shot `SealBase` with the ephemeral key `DeriveKeyPair(ikm_e)`: the one
/// sealing path, which the app feeds fresh random `ikm_e` and the vectors fixed ones.
/// For test vectors only (see [`seal_epoch_secret_with_ephemeral`]).
#[cfg(feature = "vectors")]
pub fn hpke_seal_with_ephemeral(
    recipient: &[u8; 32],
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    ikm_e: &[u8; 32],
) -> Result<([u8; 32], Vec<u8>), Error> {
    hpke_seal(recipient, info, aad, plaintext, ikm_e)
}

fn hpke_seal(
    recipient: &[u8; 32],
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    ikm_e: &[u8; 32],
) -> Result<([u8; 32], Vec<u8>), Error> {
    let pk =
        <Kem as hpke::Kem>::PublicKey::from_bytes(recipient).map_err(|_| Error::InvalidCard)?;
    let mut rng = FixedIkm {
        ikm: Ikm(*ikm_e),
        drawn: false,
        misused: false,
    };
    let (enc, ct) = hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, Kem, _>(
        &OpModeS::Base,
        &pk,
        info,
        plaintext,
        aad,
        &mut rng,
    )
    .map_err(|_| Error::InvalidCard)?;
    if rng.misused {
        return Err(Error::Rng);
    }
    let mut enc_bytes = [0u8; 32];
    enc_bytes.copy_from_slice(&enc.to_bytes());
    Ok((enc_bytes, ct))
}

impl SealedEpochSecret {
    /// Opens this member's sealed secret for `epoch` with its own keys. Any other
    /// recipient, key, epoch or group, or any altered byte: [`Error::EpochSecretUnreadable`].
    pub fn open(
        &self,
        keys: &DeviceKeys,
        context: &GroupContext,
        epoch: u64,
    ) -> Result<EpochSecret, Error> {
        let unreadable = |_| Error::EpochSecretUnreadable;
        let mut scalar = keys.agreement_secret().to_bytes();
        let sk = <Kem as hpke::Kem>::PrivateKey::from_bytes(&scalar);
        scalar.zeroize();
        let sk = sk.map_err(unreadable)?;
        let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&self.enc).map_err(unreadable)?;
        let mut plain = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, Kem>(
            &OpModeR::Base,
            &sk,
            &enc,
            &info(context, epoch),
            &self.ciphertext,
            &self.member,
        )
        .map_err(unreadable)?;
        let secret = <[u8; EPOCH_SECRET_LEN]>::try_from(plain.as_slice())
            .map(EpochSecret)
            .map_err(|_| Error::EpochSecretUnreadable);
        plain.zeroize();
        secret
    }

    /// Finds `me` among an epoch's sealed secrets and opens its secret.
    /// [`Error::NotARecipient`] when none is sealed to `me`.
    pub fn open_mine(
        sealed: &[SealedEpochSecret],
        me: &MemberId,
        keys: &DeviceKeys,
        context: &GroupContext,
        epoch: u64,
    ) -> Result<EpochSecret, Error> {
        sealed
            .iter()
            .find(|s| s.member == *me)
            .ok_or(Error::NotARecipient)?
            .open(keys, context, epoch)
    }
}

/// Ephemeral input keying material, wiped when dropped.
#[derive(Zeroize, ZeroizeOnDrop)]
struct Ikm([u8; 32]);

/// The generator HPKE draws its ephemeral key from: hands out the 32 given bytes once,
/// which is exactly what DHKEM(X25519)'s `GenerateKeyPair` asks for. Any other request
/// is recorded and fails the seal rather than weakening it.
struct FixedIkm {
    ikm: Ikm,
    drawn: bool,
    misused: bool,
}

impl RngCore for FixedIkm {
    fn next_u32(&mut self) -> u32 {
        self.misused = true;
        0
    }

    fn next_u64(&mut self) -> u64 {
        self.misused = true;
        0
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        if self.drawn || dst.len() != self.ikm.0.len() {
            self.misused = true;
            dst.fill(0);
            return;
        }
        dst.copy_from_slice(&self.ikm.0);
        self.drawn = true;
    }
}

impl CryptoRng for FixedIkm {}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9180 A.2.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, base
    /// mode), first encryption: our sealing path with a given `ikmE` is RFC 9180's.
    #[test]
    fn rfc9180_known_answer() {
        let h = |s: &str| hex::decode(s).unwrap();
        let pk_r: [u8; 32] = h("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a")
            .try_into()
            .unwrap();
        let ikm_e: [u8; 32] = h("909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b")
            .try_into()
            .unwrap();
        let (enc, ct) = hpke_seal(
            &pk_r,
            &h("4f6465206f6e2061204772656369616e2055726e"),
            &h("436f756e742d30"),
            &h("4265617574792069732074727574682c20747275746820626561757479"),
            &ikm_e,
        )
        .unwrap();
        assert_eq!(
            hex::encode(enc),
            "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a"
        );
        assert_eq!(
            hex::encode(ct),
            "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28"
        );
    }

    #[test]
    fn info_layout_is_fixed() {
        let i = info(&GroupContext::from_bytes([7; 32]), 0x0102);
        assert_eq!(&i[..13], b"gfms v1 epoch");
        assert_eq!(&i[13..45], &[7; 32]);
        assert_eq!(&i[45..], &[0, 0, 0, 0, 0, 0, 1, 2]);
    }

    #[test]
    fn debug_hides_the_secret() {
        assert_eq!(
            format!("{:?}", EpochSecret::from_bytes([0xab; 32])),
            "EpochSecret(..)"
        );
    }
}
