//! The storage the relay's rules run over, as three small traits, so the same code runs
//! in the Durable Object and natively in tests:
//!
//! - [`Index`]: the group's Durable Object storage. Between two of its calls no other
//!   request of the group runs (a Durable Object admits no other event while it only
//!   awaits its own storage), so a read-modify-write with no other IO in between is
//!   atomic.
//! - [`Blobs`]: where share bytes live (a table of the same Durable Object's SQLite;
//!   until issue 17, KV). The rules still treat a call to it as external IO, after which
//!   whatever was read before must be read again: that costs nothing now, keeps them
//!   right for any store, and the native tests still interleave requests there.
//! - [`Push`]: the group's WebSockets.

use gfms_protocol::{MemberId, PushEvent};

use crate::RelayError;

/// The Durable Object's key-value storage and alarm.
#[allow(async_fn_in_trait)] // the relay is single-threaded (wasm): no Send bound wanted
pub trait Index {
    /// The value under `key`.
    async fn get(&self, key: &str) -> Result<Option<String>, RelayError>;
    /// The values under `keys`, in order.
    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<String>>, RelayError>;
    /// Stores a value.
    async fn put(&self, key: &str, value: String) -> Result<(), RelayError>;
    /// Deletes a key (absent keys are fine).
    async fn delete(&self, key: &str) -> Result<(), RelayError>;
    /// Every value whose key starts with `prefix`.
    async fn list(&self, prefix: &str) -> Result<Vec<String>, RelayError>;
    /// When the alarm is set for, unix ms.
    async fn alarm(&self) -> Result<Option<u64>, RelayError>;
    /// Sets the alarm (replacing any earlier one).
    async fn set_alarm(&self, at: u64) -> Result<(), RelayError>;
    /// Deletes every key and the alarm.
    async fn clear(&self) -> Result<(), RelayError>;
}

/// Share bytes.
#[allow(async_fn_in_trait)]
pub trait Blobs {
    /// Stores bytes; a store that can expire them may forget them after `ttl_seconds`
    /// (the alarm deletes them anyway).
    async fn put(&self, key: &str, bytes: &[u8], ttl_seconds: u64) -> Result<(), RelayError>;
    /// The bytes under `key`, if the store has them.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RelayError>;
    /// Deletes `key` (absent keys are fine).
    async fn delete(&self, key: &str) -> Result<(), RelayError>;
}

/// Who hears a push event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience<'a> {
    /// Every socket of the group.
    All,
    /// The sockets of these members.
    Members(&'a [MemberId]),
}

/// The group's WebSockets.
pub trait Push {
    /// Sends an event (best effort: a socket that fails is skipped).
    fn push(&self, event: &PushEvent, to: Audience<'_>);
    /// Closes every socket: the group is gone.
    fn close_all(&self);
}
