//! Ids: members are 16 random bytes (lowercase hex on the wire); events are UUIDv7,
//! made from a time and random bytes the caller supplies (the ledger has no clock).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// A member's group-wide id.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberId(pub [u8; 16]);

impl MemberId {
    /// Parses 32 lowercase hex characters.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let mut out = [0u8; 16];
        if s.len() != 32 || s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(Error::BadId(s.into()));
        }
        hex::decode_to_slice(s, &mut out).map_err(|_| Error::BadId(s.into()))?;
        Ok(Self(out))
    }
}

impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MemberId({self})")
    }
}

impl Serialize for MemberId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The same text as `Display`, without the formatting machinery per serializer.
        s.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> Deserialize<'de> for MemberId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An event's id: a UUIDv7 (time-ordered, unique without coordination).
pub type EventId = uuid::Uuid;

/// A UUIDv7 from a unix time in milliseconds and 10 random bytes.
pub fn new_event_id(unix_ms: u64, random: [u8; 10]) -> EventId {
    uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid()
}
