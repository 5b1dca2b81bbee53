//! How a round's requests travel: every request of one [`Step::Requests`] at once, as the
//! app's `Promise.all` does, at most [`PER_RELAY`] at a time to any one relay (a
//! browser's six connections per host), each outcome handed back the moment it arrives,
//! in whatever order the relays answer. Over a real network a step then costs about one
//! round trip however many requests it holds: a round costs its number of steps
//! ("waves") times the RTT, not its number of requests.
//!
//! [`Step::Requests`]: gfms_sync::Step::Requests

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gfms_sync::{HttpRequest, Outcome};

/// Requests in flight at once to one relay.
pub const PER_RELAY: usize = 6;

/// One step's requests, as carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wave {
    /// Requests in the step.
    pub requests: usize,
    /// Distinct relays (origins) they went to.
    pub relays: usize,
    /// From the first request sent to the last answer in.
    pub elapsed: Duration,
}

/// What a round cost on the wire: one [`Wave`] per step of requests, in order. Its
/// length is the number of sequential round trips the round needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    /// The waves, in order.
    pub waves: Vec<Wave>,
}

impl Trace {
    /// Requests over all waves.
    pub fn requests(&self) -> usize {
        self.waves.iter().map(|w| w.requests).sum()
    }
}

/// The origin (`scheme://host:port`) a request goes to: the unit the per-relay bound
/// counts in.
pub(crate) fn origin(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    &url[..end]
}

/// Carries `requests` with `run`, at most `per_relay` at once per origin and all origins
/// at once, and gives each `(id, outcome)` to `answer` as it arrives. Returns when every
/// request has an outcome (or its worker died, which the round counts as failed).
pub(crate) fn carry(
    requests: Vec<HttpRequest>,
    per_relay: usize,
    run: &(dyn Fn(&HttpRequest) -> Outcome + Sync),
    answer: &mut dyn FnMut(u64, Outcome),
) -> Wave {
    let started = Instant::now();
    let count = requests.len();
    let mut by_relay: BTreeMap<String, Vec<HttpRequest>> = BTreeMap::new();
    for r in requests {
        by_relay
            .entry(origin(&r.url).to_string())
            .or_default()
            .push(r);
    }
    let relays = by_relay.len();
    let queues: Vec<Mutex<std::vec::IntoIter<HttpRequest>>> = by_relay
        .into_values()
        .map(|q| Mutex::new(q.into_iter()))
        .collect();
    let (tx, rx) = mpsc::channel::<(u64, Outcome)>();
    std::thread::scope(|s| {
        let mut workers = Vec::new();
        for queue in &queues {
            let n = queue.lock().map_or(0, |q| q.len()).min(per_relay.max(1));
            for _ in 0..n {
                let tx = tx.clone();
                workers.push(s.spawn(move || {
                    // Each worker takes the relay's next request when it is free, so one
                    // slow request holds back no other.
                    while let Some(r) = queue.lock().ok().and_then(|mut q| q.next()) {
                        if tx.send((r.id, run(&r))).is_err() {
                            return;
                        }
                    }
                }));
            }
        }
        drop(tx);
        for (id, outcome) in rx {
            answer(id, outcome);
        }
        // A worker that panicked leaves its requests unanswered; the round then counts
        // them as failed. Joining here keeps the panic from crossing into the caller.
        for w in workers {
            let _ = w.join();
        }
    });
    Wave {
        requests: count,
        relays,
        elapsed: started.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Condvar};

    use gfms_sync::Method;

    use super::*;

    fn req(id: u64, relay: &str) -> HttpRequest {
        HttpRequest {
            id,
            method: Method::Get,
            url: format!("{relay}/v1/groups/g/shares/{id}?member=m"),
            headers: Vec::new(),
            body: None,
        }
    }

    #[test]
    fn origin_is_scheme_host_and_port() {
        assert_eq!(
            origin("http://127.0.0.1:8787/v1/health"),
            "http://127.0.0.1:8787"
        );
        assert_eq!(
            origin("https://relay.example/v1?x=1"),
            "https://relay.example"
        );
        assert_eq!(origin("https://relay.example"), "https://relay.example");
    }

    /// Every request is answered once, with its own id, whatever the order.
    #[test]
    fn every_request_gets_its_own_outcome_once() {
        let requests: Vec<HttpRequest> = (1..=40)
            .map(|i| req(i, ["http://a", "http://b", "http://c"][i as usize % 3]))
            .collect();
        let run = |r: &HttpRequest| Outcome::Response {
            status: 200,
            body: r.id.to_le_bytes().to_vec(),
        };
        let mut seen = HashMap::new();
        let wave = carry(requests, PER_RELAY, &run, &mut |id, outcome| {
            *seen.entry(id).or_insert(0) += 1;
            assert_eq!(
                outcome,
                Outcome::Response {
                    status: 200,
                    body: id.to_le_bytes().to_vec()
                }
            );
        });
        assert_eq!(seen.len(), 40);
        assert!(seen.values().all(|&n| n == 1));
        assert_eq!((wave.requests, wave.relays), (40, 3));
    }

    /// Hostile client of a relay, seen from our side: a step with many requests to one
    /// relay never has more than `PER_RELAY` in flight there, while the other relays get
    /// theirs at the same time.
    #[test]
    fn at_most_per_relay_in_flight_to_one_relay() {
        let in_flight: HashMap<&str, AtomicUsize> = [("http://a", 0), ("http://b", 0)]
            .into_iter()
            .map(|(k, v)| (k, AtomicUsize::new(v)))
            .collect();
        let peak: HashMap<&str, AtomicUsize> = [("http://a", 0), ("http://b", 0)]
            .into_iter()
            .map(|(k, v)| (k, AtomicUsize::new(v)))
            .collect();
        let requests: Vec<HttpRequest> = (1..=30)
            .map(|i| req(i, if i % 5 == 0 { "http://b" } else { "http://a" }))
            .collect();
        let run = |r: &HttpRequest| {
            let relay = origin(&r.url);
            let now = in_flight[relay].fetch_add(1, Ordering::SeqCst) + 1;
            peak[relay].fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
            in_flight[relay].fetch_sub(1, Ordering::SeqCst);
            Outcome::Failed("no relay here".into())
        };
        let mut answered = 0;
        carry(requests, PER_RELAY, &run, &mut |_, _| answered += 1);
        assert_eq!(answered, 30);
        assert!(peak["http://a"].load(Ordering::SeqCst) <= PER_RELAY);
        assert!(peak["http://b"].load(Ordering::SeqCst) <= PER_RELAY);
    }

    /// Slow relay: its request is still out when the fast relays' answers are handed on;
    /// the round hears from them first instead of waiting for the slowest.
    #[test]
    fn slow_relay_holds_back_no_other_answer() {
        let released = Arc::new((Mutex::new(false), Condvar::new()));
        let requests = vec![
            req(1, "http://slow"),
            req(2, "http://a"),
            req(3, "http://b"),
        ];
        let gate = released.clone();
        let run = move |r: &HttpRequest| {
            if origin(&r.url) == "http://slow" {
                // Held until the others were handed on (or, were the driver to wait for
                // every answer first, until the bound below; the order check then fails).
                let (lock, cv) = &*gate;
                let guard = lock.lock().expect("lock");
                let _ = cv
                    .wait_timeout_while(guard, Duration::from_secs(5), |go| !*go)
                    .expect("wait");
            }
            Outcome::Response {
                status: 200,
                body: Vec::new(),
            }
        };
        let mut order = Vec::new();
        carry(requests, PER_RELAY, &run, &mut |id, _| {
            order.push(id);
            if order.len() == 2 {
                let (lock, cv) = &*released;
                *lock.lock().expect("lock") = true;
                cv.notify_all();
            }
        });
        assert_eq!(order.len(), 3);
        assert_eq!(order[2], 1, "the slow relay's answer came last: {order:?}");
    }
}
