//! Runs a [`Round`] over real HTTP with `ureq`: each step's requests at once, bounded
//! per relay (`carry.rs`), every request bounded by a timeout, a save at each point the
//! engine asks for one.

use std::time::Duration;

use gfms_sync::{Group, HttpRequest, Method, Outcome, Round, Step, SyncReport};

use super::carry::{PER_RELAY, Trace, carry};

/// What a round needs from its host besides HTTP.
pub trait SyncHooks {
    /// Save the group durably (called before uploads and before acks).
    fn persist(&mut self, group: &Group) -> std::io::Result<()>;
    /// Rewrite or drop a request before it is sent (tests use it to crash mid-round).
    fn before_send(&mut self, _request: &HttpRequest) -> bool {
        true
    }
}

/// Saves nothing (for tests that keep the group in memory).
impl SyncHooks for () {
    fn persist(&mut self, _group: &Group) -> std::io::Result<()> {
        Ok(())
    }
}

/// A blocking HTTP driver.
#[derive(Clone)]
pub struct Driver {
    agent: ureq::Agent,
    per_relay: usize,
}

impl Default for Driver {
    fn default() -> Self {
        Self::new(Duration::from_secs(10))
    }
}

/// Why a round stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    /// The host could not save.
    #[error("could not save the group: {0}")]
    Persist(#[from] std::io::Error),
    /// The host stopped the round (a simulated crash).
    #[error("round stopped by the host")]
    Stopped,
}

impl Driver {
    /// A driver whose requests give up after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            // Keep a connection per request that may be in flight to a relay, so the
            // next step reuses them instead of paying new handshakes.
            .max_idle_connections_per_host(PER_RELAY)
            .max_idle_connections(PER_RELAY * 16)
            .build();
        Self {
            agent: config.into(),
            per_relay: PER_RELAY,
        }
    }

    /// The same driver with at most `n` requests in flight to any one relay (at least 1).
    pub fn with_per_relay(mut self, n: usize) -> Self {
        self.per_relay = n.max(1);
        self
    }

    /// Runs one full round: push, pull, re-send, clean up.
    pub fn sync(
        &self,
        group: &mut Group,
        hooks: &mut dyn SyncHooks,
        now_ms: u64,
    ) -> Result<SyncReport, RoundError> {
        self.sync_traced(group, hooks, now_ms)
            .map(|(report, _)| report)
    }

    /// [`Driver::sync`], also saying what the round cost on the wire: its waves (steps of
    /// requests, each one round trip over a network) and the requests in each.
    pub fn sync_traced(
        &self,
        group: &mut Group,
        hooks: &mut dyn SyncHooks,
        now_ms: u64,
    ) -> Result<(SyncReport, Trace), RoundError> {
        let mut trace = Trace::default();
        let mut round = Round::new(group, now_ms);
        loop {
            match round.next(group) {
                Step::Persist => {
                    hooks.persist(group)?;
                    round.persisted();
                }
                Step::Done(report) => return Ok((report, trace)),
                Step::Requests(requests) => {
                    let mut send = Vec::with_capacity(requests.len());
                    for r in requests {
                        if !hooks.before_send(&r) {
                            return Err(RoundError::Stopped);
                        }
                        send.push(r);
                    }
                    // The engine takes each answer as it comes, in any order.
                    let wave = carry(send, self.per_relay, &|r| self.run(r), &mut |id, o| {
                        round.handle(group, id, o)
                    });
                    trace.waves.push(wave);
                }
            }
        }
    }

    /// Makes one request.
    pub fn run(&self, r: &HttpRequest) -> Outcome {
        let mut builder = ureq::http::Request::builder()
            .method(r.method.as_str())
            .uri(&r.url);
        for (k, v) in &r.headers {
            builder = builder.header(k, v);
        }
        let result = match (&r.body, r.method) {
            (Some(body), _) => builder
                .body(body.clone())
                .map_err(|e| e.to_string())
                .and_then(|req| self.agent.run(req).map_err(|e| e.to_string())),
            (None, Method::Put | Method::Post) => builder
                .body(Vec::new())
                .map_err(|e| e.to_string())
                .and_then(|req| self.agent.run(req).map_err(|e| e.to_string())),
            (None, _) => builder
                .body(())
                .map_err(|e| e.to_string())
                .and_then(|req| self.agent.run(req).map_err(|e| e.to_string())),
        };
        match result {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                match resp
                    .body_mut()
                    .with_config()
                    .limit(16 * 1024 * 1024)
                    .read_to_vec()
                {
                    Ok(body) => Outcome::Response { status, body },
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
            Err(e) => Outcome::Failed(e),
        }
    }
}
