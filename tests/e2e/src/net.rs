//! A phone's network between the clients and the local relays: one delay proxy per relay
//! (`scripts/delay-proxy.mjs`, a Node process this harness starts and stops), so the
//! benchmarks measure rounds at 40 or 150 ms round-trip time instead of loopback's zero,
//! and count what crosses the wire per route.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

/// Delay proxies in front of relays; stopped when dropped.
pub struct DelayProxies {
    child: Child,
    /// Kept open: the proxy exits when it closes (also if this process dies).
    _stdin: Option<ChildStdin>,
    /// The proxies' URLs, in the order of the upstreams given (give these to clients).
    pub urls: Vec<String>,
    agent: ureq::Agent,
}

impl DelayProxies {
    /// One proxy on `listen[i]` for each relay URL `upstream[i]` (ports on 127.0.0.1), at
    /// `rtt_ms`; with `log`, one JSON line per request is appended there.
    pub fn start(listen: &[u16], upstream: &[String], rtt_ms: u64, log: Option<&Path>) -> Self {
        assert_eq!(listen.len(), upstream.len(), "one listening port per relay");
        let mut cmd = Command::new("node");
        cmd.current_dir(crate::root())
            .arg("scripts/delay-proxy.mjs")
            .args(["--rtt", &rtt_ms.to_string(), "--exit-on-stdin-close"]);
        for (l, u) in listen.iter().zip(upstream) {
            let port = u.rsplit(':').next().expect("relay URL with a port");
            cmd.args(["--map", &format!("{l}={port}")]);
        }
        if let Some(log) = log {
            cmd.arg("--log").arg(log);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node scripts/delay-proxy.mjs");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("proxy stdout");
        let mut lines = BufReader::new(stdout).lines();
        for _ in listen {
            match lines.next() {
                Some(Ok(line)) if line.starts_with("delay-proxy ready") => {}
                other => panic!("delay proxy did not start: {other:?}"),
            }
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            child,
            _stdin: stdin,
            urls: listen
                .iter()
                .map(|p| format!("http://127.0.0.1:{p}"))
                .collect(),
            agent,
        }
    }

    fn control(&self, path: &str) -> serde_json::Value {
        let mut resp = self
            .agent
            .post(&format!("{}/_proxy/{path}", self.urls[0]))
            .send_empty()
            .expect("delay proxy control");
        serde_json::from_slice(&resp.body_mut().read_to_vec().expect("body")).expect("JSON")
    }

    /// Sets the round-trip time of every proxy.
    pub fn set_rtt(&self, ms: u64) {
        self.control(&format!("rtt?ms={ms}"));
    }

    /// Writes a mark into the log (to cut it in phases).
    pub fn mark(&self, label: &str) {
        self.control(&format!("mark?label={label}"));
    }

    /// Counts per `"METHOD route status"`, upgrades and bytes since the last reset.
    pub fn stats(&self) -> serde_json::Value {
        self.control("stats")
    }

    /// Zeroes the counts.
    pub fn reset(&self) {
        self.control("reset");
    }
}

impl Drop for DelayProxies {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
