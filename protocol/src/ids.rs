//! Identifiers on the wire. All are fixed-size byte strings written as lowercase hex;
//! parsing is strict (exact length, lowercase only) so one value has one spelling.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected} lowercase hex characters")]
pub struct IdError {
    /// How many hex characters the id needs.
    pub expected: usize,
}

macro_rules! hex_id {
    ($(#[$doc:meta])* $name:ident, $len:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name([u8; $len]);

        impl $name {
            /// Length in bytes.
            pub const LEN: usize = $len;

            /// Wraps raw bytes.
            pub const fn from_bytes(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }

            /// The raw bytes.
            pub const fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }

            /// Parses strict lowercase hex of exactly `2 * LEN` characters.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                parse_hex::<$len>(s).map(Self)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&hex::encode(self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&hex::encode(self.0))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

hex_id!(
    /// A group's pseudonymous id at one relay (derived per relay, so relays cannot link).
    GroupId,
    16
);
hex_id!(
    /// A share's id at one relay (random per relay and batch).
    ShareId,
    16
);
hex_id!(
    /// A member's pseudonym at one relay (derived per relay).
    MemberId,
    16
);
hex_id!(
    /// A group's bearer token at one relay. Sent as `Authorization: Bearer <hex>`.
    Token,
    32
);
hex_id!(
    /// SHA-256 of a [`Token`]: the only form in which a relay keeps it.
    TokenHash,
    32
);

fn parse_hex<const N: usize>(s: &str) -> Result<[u8; N], IdError> {
    let err = IdError { expected: 2 * N };
    if s.len() != 2 * N
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(err);
    }
    let mut out = [0u8; N];
    hex::decode_to_slice(s, &mut out).map_err(|_| err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_hex_and_json() {
        let id = ShareId::from_bytes([0xab; 16]);
        assert_eq!(id.to_string(), "ab".repeat(16));
        assert_eq!(ShareId::parse(&id.to_string()), Ok(id));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<ShareId>(&json).unwrap(), id);
    }

    #[test]
    fn parsing_is_strict() {
        assert!(
            GroupId::parse(&"AB".repeat(16)).is_err(),
            "uppercase has a second spelling"
        );
        assert!(GroupId::parse(&"ab".repeat(15)).is_err());
        assert!(GroupId::parse(&"ab".repeat(17)).is_err());
        assert!(GroupId::parse(&"zz".repeat(16)).is_err());
        assert!(GroupId::parse("").is_err());
        assert!(Token::parse(&"0".repeat(64)).is_ok());
        assert!(serde_json::from_str::<MemberId>("\"../../etc\"").is_err());
    }
}
