//! In-memory storage and a seeded scheduler for the relay's native tests.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use gfms_protocol::{
    Limits, MemberId, PushEvent, PutShareRequest, RegisterRequest, ShareId, Token, encode_data,
};

use super::super::Relay;
use super::super::store::{Audience, Blobs, Index, Push};
use crate::RelayError;
use crate::auth::hash_token;

/// xorshift64*: small, seeded, good enough to pick schedules.
pub struct Seeded(Cell<u64>);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        Self(Cell::new(seed.max(1)))
    }
    pub fn next(&self) -> u64 {
        let mut x = self.0.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0.set(x);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The Durable Object's storage: every call completes at once, so nothing else runs
/// between two of them unless a KV call yields.
#[derive(Default)]
pub struct MemIndex {
    pub map: RefCell<BTreeMap<String, String>>,
    pub alarm: Cell<Option<u64>>,
}

impl Index for MemIndex {
    async fn get(&self, key: &str) -> Result<Option<String>, RelayError> {
        Ok(self.map.borrow().get(key).cloned())
    }
    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<String>>, RelayError> {
        let map = self.map.borrow();
        Ok(keys.iter().map(|k| map.get(k).cloned()).collect())
    }
    async fn put(&self, key: &str, value: String) -> Result<(), RelayError> {
        self.map.borrow_mut().insert(key.into(), value);
        Ok(())
    }
    async fn delete(&self, key: &str) -> Result<(), RelayError> {
        self.map.borrow_mut().remove(key);
        Ok(())
    }
    async fn list(&self, prefix: &str) -> Result<Vec<String>, RelayError> {
        let map = self.map.borrow();
        Ok(map
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v.clone())
            .collect())
    }
    async fn alarm(&self) -> Result<Option<u64>, RelayError> {
        Ok(self.alarm.get())
    }
    async fn set_alarm(&self, at: u64) -> Result<(), RelayError> {
        self.alarm.set(Some(at));
        Ok(())
    }
    async fn clear(&self) -> Result<(), RelayError> {
        self.map.borrow_mut().clear();
        self.alarm.set(None);
        Ok(())
    }
}

/// KV: each call yields a seeded number of times before it takes effect, so concurrent
/// requests interleave there; puts fail with a seeded probability when asked to.
pub struct MemBlobs<'r> {
    pub map: RefCell<BTreeMap<String, Vec<u8>>>,
    rng: &'r Seeded,
    pub fail_one_put_in: Cell<u64>,
}

impl<'r> MemBlobs<'r> {
    pub fn new(rng: &'r Seeded) -> Self {
        Self {
            map: RefCell::default(),
            rng,
            fail_one_put_in: Cell::new(0),
        }
    }
    fn pause(&self) -> Yield {
        Yield(self.rng.below(4) as u32)
    }
}

impl Blobs for MemBlobs<'_> {
    async fn put(&self, key: &str, bytes: &[u8], ttl_seconds: u64) -> Result<(), RelayError> {
        assert!(ttl_seconds >= 60, "KV refuses an expiry under 60 s");
        self.pause().await;
        let n = self.fail_one_put_in.get();
        if n > 0 && self.rng.below(n) == 0 {
            return Err(RelayError::Unavailable("KV put failed".into()));
        }
        self.map.borrow_mut().insert(key.into(), bytes.to_vec());
        Ok(())
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, RelayError> {
        self.pause().await;
        Ok(self.map.borrow().get(key).cloned())
    }
    async fn delete(&self, key: &str) -> Result<(), RelayError> {
        self.pause().await;
        self.map.borrow_mut().remove(key);
        Ok(())
    }
}

/// Pending `n` times, then ready: a point where other requests run.
pub struct Yield(u32);

impl Future for Yield {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            Poll::Ready(())
        } else {
            self.0 -= 1;
            Poll::Pending
        }
    }
}

/// The WebSockets: what was pushed, to whom.
#[derive(Default)]
pub struct Sockets {
    pub sent: RefCell<Vec<(PushEvent, Option<Vec<MemberId>>)>>,
    pub closed: Cell<bool>,
}

impl Push for Sockets {
    fn push(&self, event: &PushEvent, to: Audience<'_>) {
        let to = match to {
            Audience::All => None,
            Audience::Members(m) => Some(m.to_vec()),
        };
        self.sent.borrow_mut().push((event.clone(), to));
    }
    fn close_all(&self) {
        self.closed.set(true);
    }
}

/// One group's relay with in-memory storage.
pub struct World<'r> {
    pub index: MemIndex,
    pub blobs: MemBlobs<'r>,
    pub sockets: Sockets,
    pub limits: Limits,
    pub rng: &'r Seeded,
}

pub const TOKEN: Token = Token::from_bytes([9; 32]);

impl<'r> World<'r> {
    pub fn new(rng: &'r Seeded, limits: Limits) -> Self {
        Self {
            index: MemIndex::default(),
            blobs: MemBlobs::new(rng),
            sockets: Sockets::default(),
            limits,
            rng,
        }
    }

    pub fn relay(&self) -> Relay<'_, MemIndex, MemBlobs<'r>, Sockets> {
        Relay::new(
            &self.index,
            &self.blobs,
            &self.sockets,
            self.limits,
            "do1".into(),
        )
    }

    /// A world with a registered group.
    pub fn registered(rng: &'r Seeded, limits: Limits) -> Self {
        let w = Self::new(rng, limits);
        let req = RegisterRequest {
            token_sha256: hash_token(&TOKEN),
            registration_key: None,
        };
        block_on(w.relay().register(&req, None, async || Ok(true), 0)).unwrap();
        w
    }

    /// Runs requests concurrently, interleaved at KV calls by the seeded scheduler.
    pub fn race<'a, T>(&self, futures: Vec<Pin<Box<dyn Future<Output = T> + 'a>>>) -> Vec<T> {
        run_interleaved(futures, self.rng)
    }

    /// The KV keys the index refers to: the bytes of every record holding bytes.
    pub fn referenced_keys(&self) -> Vec<String> {
        let relay = self.relay();
        let held = block_on(relay.held_records()).unwrap();
        let mut keys: Vec<String> = held
            .iter()
            .map(|r| relay.kv_key(&r.id, r.generation))
            .collect();
        keys.sort();
        keys
    }

    pub fn kv_keys(&self) -> Vec<String> {
        self.blobs.map.borrow().keys().cloned().collect()
    }
}

pub fn sid(b: u8) -> ShareId {
    ShareId::from_bytes([b; 16])
}

pub fn member(b: u8) -> MemberId {
    MemberId::from_bytes([b; 16])
}

pub fn put_req(bytes: &[u8], recipients: &[MemberId]) -> PutShareRequest {
    PutShareRequest {
        data: encode_data(bytes),
        recipients: recipients.to_vec(),
    }
}

/// Polls every future, choosing which to poll next with `rng`, until all are done.
pub fn run_interleaved<'a, T>(
    mut futures: Vec<Pin<Box<dyn Future<Output = T> + 'a>>>,
    rng: &Seeded,
) -> Vec<T> {
    let mut out: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    let mut open: Vec<usize> = (0..futures.len()).collect();
    let mut cx = Context::from_waker(Waker::noop());
    while !open.is_empty() {
        let pick = rng.below(open.len() as u64) as usize;
        let i = open[pick];
        if let Poll::Ready(v) = futures[i].as_mut().poll(&mut cx) {
            out[i] = Some(v);
            open.swap_remove(pick);
        }
    }
    out.into_iter()
        .map(|v| v.expect("every future finished"))
        .collect()
}

/// Runs one future alone.
pub fn block_on<T>(f: impl Future<Output = T>) -> T {
    let rng = Seeded::new(1);
    run_interleaved(vec![Box::pin(f)], &rng)
        .pop()
        .expect("one result")
}
