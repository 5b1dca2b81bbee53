//! The relay's behaviour natively: an in-memory index (atomic between calls, like a
//! Durable Object), in-memory KV whose calls yield to other requests, and a seeded
//! scheduler that interleaves concurrent requests at those yields. Thousands of racing
//! schedules run in seconds; the same invariants are checked against real workerd
//! relays in relay-worker/tests/fuzz.test.mjs.

mod harness;
mod races;
mod rules;

pub(super) use harness::*;
