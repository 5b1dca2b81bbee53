//! A compressed day of a group: each member's phone is a thread that behaves as the app's
//! scheduler does (`web/src/core/sync/scheduler.ts`, `sockets.ts`): while open it holds a
//! push socket to every relay and runs a round on open, after each change, on every push
//! message that says a share arrived (one that carried its bytes waits for the other
//! relays' pushes, `push_settle`; coalesced while a round runs; "share deleted" alone
//! starts none) and on the poll timer: with every relay's socket open, as here all day,
//! only a safety round every 15 minutes (`SAFETY_POLL_MS`; with a socket down the app
//! polls by the core's `Backoff`, 30 s doubling to 5 min). Time runs `compression` times
//! faster than the day; the relays' TTL is shortened by as much. The sockets' pings
//! (every 30 s, answered by the platform's auto-response) are not counted.
//!
//! Each phone sends what the app sends: the simple forms (share requests, listings that
//! carry status and acks, status, acks: the token in a text/plain body), and it opens a
//! batch from the shares its push sockets bring inline (`Group::offer_share`, as the
//! app's `GroupDoc.offer`), saving before its next round acks them.
//!
//! What each phone sends is counted on the phone (by the round's trigger and the request's
//! kind) and, for preflights, as a browser would send them (WebKit keeps a preflight for
//! 600 s): a request that carries `authorization` (or a JSON body) needs one per distinct
//! URL; the simple forms need none (a relay older than them gets the classic ones).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use gfms_client::native::{Driver, StateDir, SyncHooks};
use gfms_e2e::Device;
use gfms_protocol::{DeleteReason, PushEvent};
use gfms_sync::{Backoff, Group, HttpRequest, Offered, RelayHealth};
use tungstenite::client::IntoClientRequest;

/// The app's poll interval and its ceiling (`POLL_MS`, `MAX_POLL_MS`), seconds.
const POLL_S: f64 = 30.0;
const MAX_POLL_S: f64 = 300.0;
/// The app's timed round while every relay's push socket is open (`SAFETY_POLL_MS`).
const SAFETY_POLL_S: f64 = 900.0;
/// How long a push with its share's bytes waits for the other relays' pushes before its
/// round (the app's `PUSH_SETTLE_MS`, 1 s), real time, as the relays' pushes are not
/// compressed: 100 ms by default, more than the pushes' spread on loopback and, like the
/// app's second against a 15-minute session, small against a compressed session (3.75 s
/// at 240×; a full second there is four minutes of the day, and shifts the day's
/// rounds). `GFMS_QUOTA_SETTLE_MS` sets it; 0 runs the round at once, as the app did before.
fn push_settle() -> Duration {
    let ms = std::env::var("GFMS_QUOTA_SETTLE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    Duration::from_millis(ms)
}

/// WebKit's cap on a cached preflight, seconds (the relays allow 86,400).
const PREFLIGHT_CACHE_S: f64 = 600.0;

/// Why a round ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Trigger {
    /// The app was opened.
    Open,
    /// The member saved a change.
    Write,
    /// A relay pushed "share put" (possibly with deletes).
    PushPut,
    /// A relay pushed an ack (or an acked or expired deletion) while this phone had
    /// changes waiting (the app's `outboxNews`).
    PushAcked,
    /// The poll timer.
    Poll,
}

impl Trigger {
    pub const ALL: [Trigger; 5] = [
        Trigger::Open,
        Trigger::Write,
        Trigger::PushPut,
        Trigger::PushAcked,
        Trigger::Poll,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Trigger::Open => "app opened",
            Trigger::Write => "after a change",
            Trigger::PushPut => "push: share put",
            Trigger::PushAcked => "push: an ack, changes waiting",
            Trigger::Poll => "poll timer (safety, 15 min)",
        }
    }
}

/// The kind of a relay request, from its method, path and body (a simple share request
/// names the classic method in its body; a `POST` listing is a listing).
pub fn kind(method: &str, path: &str, body: Option<&[u8]>) -> &'static str {
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let inner = body
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| v["method"].as_str().map(str::to_string));
    let method = match (method, parts.as_slice(), inner.as_deref()) {
        ("POST", [.., "shares", _], Some(m)) => m,
        ("POST", [.., "shares"], _) => "GET",
        _ => method,
    };
    match (method, parts.as_slice()) {
        ("OPTIONS", _) => "preflight",
        ("POST", ["v1", "groups", _]) => "register",
        ("PUT", [.., "shares", _]) => "put",
        ("GET", [.., "shares", _]) => "fetch",
        ("DELETE", [.., "shares", _]) => "delete",
        ("GET", [.., "shares"]) => "list",
        ("POST", [.., "acks"]) => "ack",
        ("POST", [.., "status"]) => "status",
        ("GET", [.., "ws"]) | ("UPGRADE", _) => "websocket",
        _ => "other",
    }
}

/// The plan of the day: per member, sessions (virtual seconds from the day's start) and
/// the moments it records an expense.
pub struct Plan {
    pub sessions: Vec<Vec<(f64, f64)>>,
    pub writes: Vec<Vec<f64>>,
}

/// `members` members each open the app `sessions` times for `session_s` seconds at
/// random slots of the waking `day_s`; `records` expenses fall on random sessions.
pub fn plan(
    members: usize,
    sessions: usize,
    session_s: f64,
    day_s: f64,
    records: usize,
    seed: u64,
) -> Plan {
    let mut rng = seed | 1;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let slots = (day_s / session_s) as usize;
    let mut all_sessions = Vec::new();
    for _ in 0..members {
        let mut free: Vec<usize> = (0..slots).collect();
        let mut mine: Vec<(f64, f64)> = (0..sessions)
            .map(|_| {
                let slot = free.swap_remove(next(free.len()));
                let start = slot as f64 * session_s;
                (start, start + session_s)
            })
            .collect();
        mine.sort_by(|a, b| a.0.total_cmp(&b.0));
        all_sessions.push(mine);
    }
    let mut writes = vec![Vec::new(); members];
    for _ in 0..records {
        let m = next(members);
        let (start, end) = all_sessions[m][next(sessions)];
        // Not in the first or last 20 s of a session: the app is open around a change.
        let span = (end - start - 40.0).max(1.0);
        writes[m].push(start + 20.0 + next(span as usize) as f64);
    }
    for w in &mut writes {
        w.sort_by(f64::total_cmp);
    }
    Plan {
        sessions: all_sessions,
        writes,
    }
}

/// What one phone sent during the day.
#[derive(Default)]
pub struct PhoneLog {
    /// Rounds per trigger.
    pub rounds: BTreeMap<Trigger, usize>,
    /// Requests per (trigger, kind, relay URL), preflights included as kind "preflight".
    pub requests: BTreeMap<(Trigger, &'static str, String), usize>,
    /// Batches this phone sealed (rounds that sent something).
    pub batches_sent: usize,
    /// Sessions in which this phone recorded at least one expense.
    pub sessions_with_writes: usize,
    /// Push messages received.
    pub pushes: usize,
    /// Rounds that failed (a relay down, a save failed).
    pub failed_rounds: usize,
}

/// The virtual clock: real time since the day began, `compression` times faster.
#[derive(Clone, Copy)]
pub struct Clock {
    pub start: Instant,
    pub compression: f64,
}

impl Clock {
    pub fn at(&self, virtual_s: f64) -> Instant {
        self.start + Duration::from_secs_f64(virtual_s / self.compression)
    }
    pub fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * self.compression
    }
    pub fn real(&self, virtual_s: f64) -> Duration {
        Duration::from_secs_f64(virtual_s / self.compression)
    }
}

/// Counts each request by trigger and kind, and the preflight a browser would send first.
struct Counting<'a> {
    dir: StateDir,
    trigger: Trigger,
    log: &'a mut PhoneLog,
    preflights: &'a mut HashMap<(&'static str, String), f64>,
    clock: Clock,
    /// This phone's own shares: put, or asked the status of (the app's `OwnShares`).
    own: &'a mut BTreeSet<String>,
}

impl SyncHooks for Counting<'_> {
    fn persist(&mut self, group: &Group) -> std::io::Result<()> {
        self.dir.persist(group)
    }
    fn before_send(&mut self, r: &HttpRequest) -> bool {
        note_own(self.own, r);
        let relay = gfms_e2e_origin(&r.url);
        let now = self.clock.now();
        let key = (r.method.as_str(), r.url.clone());
        // A request with `authorization` (or a JSON body) is preflighted; the app's
        // simple requests (a text/plain body carrying the token) are not.
        let needs_preflight = r.headers.iter().any(|(k, v)| {
            k == "authorization" || (k == "content-type" && !v.starts_with("text/plain"))
        });
        if needs_preflight
            && self
                .preflights
                .get(&key)
                .is_none_or(|at| now - at > PREFLIGHT_CACHE_S)
        {
            self.preflights.insert(key, now);
            *self
                .log
                .requests
                .entry((self.trigger, "preflight", relay.clone()))
                .or_default() += 1;
        }
        *self
            .log
            .requests
            .entry((
                self.trigger,
                kind(r.method.as_str(), &r.url, r.body.as_deref()),
                relay,
            ))
            .or_default() += 1;
        true
    }
}

/// Notes the shares a request names as the sender's own: a put's, a status request's.
fn note_own(own: &mut BTreeSet<String>, r: &HttpRequest) {
    let path = r.url.split('?').next().unwrap_or(&r.url);
    let method = r.method.as_str();
    if method == "PUT" && path.contains("/shares/") {
        if let Some(id) = path.rsplit('/').next() {
            own.insert(id.to_string());
        }
    } else if method == "POST"
        && (path.ends_with("/status") || path.ends_with("/shares"))
        && let Some(body) = &r.body
        && let Ok(req) = serde_json::from_slice::<serde_json::Value>(body)
    {
        // A status request's `shares`, a listing's `status` (issue 17).
        for part in ["shares", "status"] {
            let ids = req[part].as_array().into_iter().flatten();
            own.extend(ids.filter_map(|s| s.as_str().map(str::to_string)));
        }
    } else if method == "POST"
        && path.contains("/shares/")
        && let Some(body) = &r.body
        && let Ok(req) = serde_json::from_slice::<serde_json::Value>(body)
        && req["method"] == "PUT"
        && let Some(id) = path.rsplit('/').next()
    {
        own.insert(id.to_string()); // a put in the simple form
    }
}

fn gfms_e2e_origin(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    url[..end].to_string()
}

/// A push socket to one relay; its messages go to `tx` until `stop`.
fn push_socket(
    url: &str,
    protocols: &[String],
    tx: Sender<(String, PushEvent)>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    let url = url.to_string();
    let socket = url.clone();
    let protocols = protocols.join(", ");
    std::thread::spawn(move || {
        let Ok(mut req) = url.as_str().into_client_request() else {
            return;
        };
        if let Ok(v) = protocols.parse() {
            req.headers_mut().insert("sec-websocket-protocol", v);
        }
        let host = gfms_e2e_origin(&url).replace("ws://", "");
        let Ok(stream) = TcpStream::connect(host) else {
            return;
        };
        let Ok((mut ws, _)) = tungstenite::client(req, stream) else {
            return;
        };
        let _ = ws
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(20)));
        loop {
            if stop.load(Ordering::Relaxed) {
                let _ = ws.close(None);
                let _ = ws.flush();
                return;
            }
            match ws.read() {
                Ok(tungstenite::Message::Text(text)) => {
                    if let Ok(event) = serde_json::from_str::<PushEvent>(text.as_str()) {
                        let _ = tx.send((socket.clone(), event));
                    }
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return,
            }
        }
    })
}

/// A phone's state across the day besides its device.
struct Phone {
    driver: Driver,
    log: PhoneLog,
    preflights: HashMap<(&'static str, String), f64>,
    backoff: Backoff,
    clock: Clock,
    /// The last round left changes of this phone waiting for someone.
    waiting: bool,
    /// This phone's own shares (ids, hex).
    own: BTreeSet<String>,
}

impl Phone {
    /// One round, counted; the poll backoff learns from its report as the app's does.
    fn round(&mut self, device: &mut Device, trigger: Trigger) {
        *self.log.rounds.entry(trigger).or_default() += 1;
        let mut hooks = Counting {
            dir: device.dir.clone(),
            trigger,
            log: &mut self.log,
            preflights: &mut self.preflights,
            clock: self.clock,
            own: &mut self.own,
        };
        match self
            .driver
            .sync(&mut device.group, &mut hooks, gfms_e2e::now_ms())
        {
            Ok(report) => {
                self.log.batches_sent += report.sent_batches;
                self.waiting = !report.pending.is_empty();
                let quiet = report.received_batches == 0
                    && report.received_events == 0
                    && report.relays.iter().any(|r| r.health != RelayHealth::Up);
                if quiet {
                    self.backoff.quiet();
                } else {
                    self.backoff.news();
                }
            }
            Err(_) => self.log.failed_rounds += 1,
        }
    }
}

/// A push that is news only for a sender with changes waiting: an ack of one of its own
/// shares, or their deletion by acks or expiry.
fn outbox_news(e: &PushEvent, own: &BTreeSet<String>) -> bool {
    match e {
        PushEvent::ShareAcked { id }
        | PushEvent::ShareDeleted {
            id,
            reason: Some(DeleteReason::Acked | DeleteReason::Expired),
        } => own.contains(&id.to_string()),
        _ => false,
    }
}

/// One phone's day: `device` follows `sessions` and records at `writes`.
pub fn phone(
    mut device: Device,
    sessions: Vec<(f64, f64)>,
    writes: Vec<f64>,
    clock: Clock,
) -> (Device, PhoneLog) {
    let mut p = Phone {
        driver: Driver::default(),
        log: PhoneLog::default(),
        preflights: HashMap::new(),
        backoff: Backoff::new((POLL_S * 1000.0) as u64, (MAX_POLL_S * 1000.0) as u64),
        clock,
        waiting: false,
        own: BTreeSet::new(),
    };
    // What the app sends: the simple forms, where relays take them.
    device.group.use_simple_requests();
    let mut writes = writes.into_iter().peekable();
    let mut cents = 500;
    for (start, end) in sessions {
        std::thread::sleep(clock.at(start).saturating_duration_since(Instant::now()));
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let sockets: Vec<_> = device
            .group
            .push_endpoints()
            .into_iter()
            .map(|(url, protocols)| push_socket(&url, &protocols, tx.clone(), stop.clone()))
            .collect();
        let mut wrote = false;
        // The next poll is due one interval after the last round began (the app waits
        // 30 s after a round that takes well under a second; compressed, rounds take as
        // long as ever, so counting from the start keeps the number of polls right).
        let mut round_start = Instant::now();
        p.round(&mut device, Trigger::Open);
        let session_end = clock.at(end);
        loop {
            // Every socket is open (they connect at once on loopback): the safety poll.
            let next_poll = round_start + clock.real(SAFETY_POLL_S);
            let next_write = writes
                .peek()
                .copied()
                .filter(|&w| w < end)
                .map(|w| clock.at(w));
            let deadline = [Some(next_poll), next_write, Some(session_end)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(session_end);
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(first) => {
                    // Messages that came during the last round or meanwhile: one more round.
                    let mut messages = vec![first];
                    messages.extend(rx.try_iter());
                    // A push that carried its bytes waits for the other relays' pushes
                    // (the app's `PUSH_SETTLE_MS`, real time: the relays' spread is not
                    // compressed); one without runs the round at once.
                    let inline = |m: &(String, PushEvent)| {
                        matches!(m.1, PushEvent::SharePut { bytes: Some(_), .. })
                    };
                    let bare = |m: &(String, PushEvent)| {
                        matches!(m.1, PushEvent::SharePut { bytes: None, .. })
                    };
                    if messages.iter().any(inline) && !messages.iter().any(bare) {
                        let settled = (Instant::now() + push_settle()).min(session_end);
                        while let Ok(m) =
                            rx.recv_timeout(settled.saturating_duration_since(Instant::now()))
                        {
                            let stop = bare(&m);
                            messages.push(m);
                            if stop {
                                break;
                            }
                        }
                    }
                    p.log.pushes += messages.len();
                    let mut merged = false;
                    for (socket, e) in &messages {
                        if let PushEvent::SharePut {
                            id,
                            bytes: Some(bytes),
                        } = e
                        {
                            let now = gfms_e2e::now_ms();
                            let offered = device.group.offer_share(socket, *id, bytes, now);
                            merged |= matches!(offered, Offered::Merged { .. });
                        }
                    }
                    if merged {
                        // The app saves an opened batch at once (`GroupDoc.offer`).
                        let _ = device.dir.persist(&device.group);
                    }
                    let events: Vec<PushEvent> = messages.into_iter().map(|(_, e)| e).collect();
                    // "Share put": something arrived. An ack, or a deletion because of
                    // acks or the expiry: a round only while this phone has changes
                    // waiting (the app's `pushKind` and `outboxNews`).
                    if events
                        .iter()
                        .any(|e| matches!(e, PushEvent::SharePut { .. }))
                    {
                        round_start = Instant::now();
                        p.round(&mut device, Trigger::PushPut);
                    } else if p.waiting && events.iter().any(|e| outbox_news(e, &p.own)) {
                        round_start = Instant::now();
                        p.round(&mut device, Trigger::PushAcked);
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    let now = Instant::now();
                    if next_write.is_some_and(|w| w <= now) {
                        writes.next();
                        cents += 37;
                        device.add(cents, "shop");
                        wrote = true;
                        round_start = Instant::now();
                        p.round(&mut device, Trigger::Write);
                    } else if now >= session_end {
                        break;
                    } else if now >= next_poll {
                        round_start = Instant::now();
                        p.round(&mut device, Trigger::Poll);
                    }
                }
            }
        }
        if wrote {
            p.log.sessions_with_writes += 1;
        }
        stop.store(true, Ordering::Relaxed);
        drop(tx);
        for s in sockets {
            let _ = s.join();
        }
    }
    (device, p.log)
}
