//! A relay that lies: a small HTTP proxy in front of a real relay that passes every
//! request through but either flips one byte of every share it serves ([`TamperProxy::
//! start`]: the share's header still authenticates, the flipped byte is in the Shamir
//! part, so only the combine step can tell) or rewrites every status it answers — a
//! `POST /status` answer, and the status a `POST` listing carries — to list every member
//! pseudonym it has seen as having fetched and acked every share
//! ([`TamperProxy::start_lying_acks`]: only the members' signed receipts can tell).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use gfms_protocol::{
    AckRequest, ListResponse, MemberId, ShareBody, ShareStatus, StatusResponse, decode_data,
    encode_data,
};

/// What the proxy alters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lie {
    /// One byte of every share served.
    ShareBytes,
    /// Every status answer: every member seen fetched and acked every share.
    Acks,
}

/// The pseudonyms the proxy has seen in requests.
type Seen = Arc<Mutex<BTreeSet<MemberId>>>;

/// The proxy; it stops when dropped.
pub struct TamperProxy {
    /// Its URL (give this to clients as the relay).
    pub url: String,
    stop: Arc<AtomicBool>,
    /// How many shares it has altered.
    pub tampered: Arc<AtomicUsize>,
}

impl TamperProxy {
    /// Listens on `port` and forwards to `upstream`, flipping a byte of every share.
    pub fn start(port: u16, upstream: &str) -> Self {
        Self::start_lying(port, upstream, Lie::ShareBytes)
    }

    /// Listens on `port` and forwards to `upstream`, listing every member it has seen as
    /// having fetched and acked every share in every status answer (`tampered` counts
    /// the answers rewritten).
    pub fn start_lying_acks(port: u16, upstream: &str) -> Self {
        Self::start_lying(port, upstream, Lie::Acks)
    }

    fn start_lying(port: u16, upstream: &str, lie: Lie) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind tamper proxy");
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let tampered = Arc::new(AtomicUsize::new(0));
        let upstream = upstream.to_string();
        let (stop2, tampered2) = (stop.clone(), tampered.clone());
        let seen: Seen = Arc::default();
        std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into();
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (agent, upstream, tampered, seen) = (
                            agent.clone(),
                            upstream.clone(),
                            tampered2.clone(),
                            seen.clone(),
                        );
                        std::thread::spawn(move || {
                            let _ = serve(stream, &agent, &upstream, &tampered, lie, &seen);
                        });
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            stop,
            tampered,
        }
    }
}

impl Drop for TamperProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(
    stream: TcpStream,
    agent: &ureq::Agent,
    upstream: &str,
    tampered: &AtomicUsize,
    lie: Lie,
    seen: &Seen,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("GET").to_string(),
        parts.next().unwrap_or("/").to_string(),
    );
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            let (k, v) = (k.trim().to_lowercase(), v.trim().to_string());
            if k == "content-length" {
                length = v.parse().unwrap_or(0);
            }
            if k == "authorization" || k == "content-type" {
                headers.push((k, v));
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    if let Ok(mut seen) = seen.lock() {
        let query = path.split_once('?').map_or("", |(_, q)| q);
        seen.extend(
            query
                .split('&')
                .filter_map(|kv| kv.strip_prefix("member="))
                .filter_map(|m| MemberId::parse(m).ok()),
        );
        if let Ok(ack) = serde_json::from_slice::<AckRequest>(&body) {
            seen.insert(ack.member);
        }
    }

    let mut req = ureq::http::Request::builder()
        .method(method.as_str())
        .uri(format!("{upstream}{path}"));
    for (k, v) in &headers {
        req = req.header(k, v);
    }
    let (status, mut out) = match req
        .body(body)
        .map_err(std::io::Error::other)
        .and_then(|r| agent.run(r).map_err(std::io::Error::other))
    {
        Ok(mut resp) => (
            resp.status().as_u16(),
            resp.body_mut().read_to_vec().unwrap_or_default(),
        ),
        Err(_) => (
            502,
            b"{\"error\":\"retry\",\"message\":\"upstream\"}".to_vec(),
        ),
    };
    let is_share = method == "GET" && path.contains("/shares/");
    let route = path.split_once('?').map_or(path.as_str(), |(p, _)| p);
    let is_status = method == "POST" && route.ends_with("/status");
    let is_listing = method == "POST" && route.ends_with("/shares");
    if lie == Lie::Acks
        && is_status
        && status == 200
        && let Ok(mut answer) = serde_json::from_slice::<StatusResponse>(&out)
        && let Ok(seen) = seen.lock()
    {
        lie_about(&mut answer.shares, &seen);
        out = serde_json::to_vec(&answer).unwrap_or_default();
        tampered.fetch_add(1, Ordering::Relaxed);
    }
    if lie == Lie::Acks
        && is_listing
        && status == 200
        && let Ok(mut answer) = serde_json::from_slice::<ListResponse>(&out)
        && let Some(shares) = answer.status.as_mut()
        && !shares.is_empty()
        && let Ok(seen) = seen.lock()
    {
        lie_about(shares, &seen);
        out = serde_json::to_vec(&answer).unwrap_or_default();
        tampered.fetch_add(1, Ordering::Relaxed);
    }
    if lie == Lie::ShareBytes
        && is_share
        && status == 200
        && let Ok(mut share) = serde_json::from_slice::<ShareBody>(&out)
        && let Some(mut bytes) = decode_data(&share.data)
        && let Some(last) = bytes.last_mut()
    {
        *last ^= 0x5a;
        share.data = encode_data(&bytes);
        out = serde_json::to_vec(&share).unwrap_or_default();
        tampered.fetch_add(1, Ordering::Relaxed);
    }
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        out.len()
    )?;
    stream.write_all(&out)?;
    stream.flush()
}

/// The lie: every member the proxy has seen fetched and acked every share.
fn lie_about(shares: &mut [ShareStatus], seen: &BTreeSet<MemberId>) {
    for s in shares {
        s.ackers = seen.iter().copied().collect();
        s.fetchers = seen.iter().copied().collect();
        s.fetch_count = seen.len() as u64;
    }
}
