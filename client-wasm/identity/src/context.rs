//! The group context: 32 bytes that name one group in everything signed or sealed for it,
//! so a signature or a sealed secret from one group is worthless in another.

use hkdf::Hkdf;
use sha2::Sha256;

use crate::Error;
use crate::encoding::{b64, b64_array};

/// 32 bytes naming one group, fixed for the group's whole life (every epoch). Fixed
/// length, so the messages that embed it split in one way only.
///
/// The engine derives it once from the group's first secret ([`GroupContext::derive`])
/// and keeps it in its state; it is not secret from members, and a member joining after
/// an epoch change receives it with the invite.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupContext([u8; 32]);

impl GroupContext {
    /// The context of a group whose first secret (the one in its first invites) is
    /// `first_secret`: HKDF-SHA256 with salt `"gfms v1"`, that secret as input keying
    /// material, info `"group context"`, 32 bytes: the key schedule of
    /// `docs/share-format.md`, under its own label.
    pub fn derive(first_secret: &[u8; 32]) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(b"gfms v1"), first_secret);
        let mut out = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's 8160-byte limit: this cannot fail.
        let _ = hk.expand(b"group context", &mut out);
        Self(out)
    }

    /// Wraps stored bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Unpadded base64url, for invites and saved state.
    pub fn to_base64url(&self) -> String {
        b64(&self.0)
    }

    /// Parses [`GroupContext::to_base64url`]'s form.
    pub fn from_base64url(text: &str) -> Result<Self, Error> {
        b64_array(text, "group context").map(Self)
    }
}

impl std::fmt::Debug for GroupContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GroupContext({})", self.to_base64url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_first_secret_names_its_own_group() {
        let a = GroupContext::derive(&[1; 32]);
        assert_eq!(a, GroupContext::derive(&[1; 32]));
        assert_ne!(a, GroupContext::derive(&[2; 32]));
        assert_eq!(GroupContext::from_base64url(&a.to_base64url()), Ok(a));
    }
}
