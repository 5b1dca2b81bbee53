//! What a relay's day costs on Cloudflare, from the requests it served (the delay
//! proxy's log, one JSON line per request with the JSON answer of each non-GET) mapped to
//! the platform operations each route's code performs (`relay-worker/src/glue/mod.rs`
//! and `object.rs`; `docs/benchmarks.md` lists the mapping), plus what the log cannot
//! show: the Durable Object's alarms, replayed from the expiry times the relay returned.
//!
//! Row counts follow the SQLite-backed Durable Object billing: every key-value `get` is a
//! row read, every `put` and `delete` a row written, each `setAlarm` a row written, a
//! `list` reads every row it scans. Share bytes are rows of the object's `share_bytes`
//! table (`glue/storage.rs`): a put or delete of them is a row written, a read a row
//! read. The relay uses no KV any more; the KV columns stay so older runs compare.

use std::collections::BTreeMap;

use serde_json::Value;

/// One relay's usage of what the platform meters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub worker_requests: f64,
    pub do_requests: f64,
    pub kv_reads: f64,
    pub kv_writes: f64,
    pub kv_deletes: f64,
    pub rows_read: f64,
    pub rows_written: f64,
    /// Durable Object active time, GB-s (128 MB billed while a request runs).
    pub do_gb_s: f64,
    pub alarms: f64,
}

impl Usage {
    pub fn scaled(&self, f: f64) -> Usage {
        Usage {
            worker_requests: self.worker_requests * f,
            do_requests: self.do_requests * f,
            kv_reads: self.kv_reads * f,
            kv_writes: self.kv_writes * f,
            kv_deletes: self.kv_deletes * f,
            rows_read: self.rows_read * f,
            rows_written: self.rows_written * f,
            do_gb_s: self.do_gb_s * f,
            alarms: self.alarms * f,
        }
    }

    pub fn add(&mut self, o: &Usage) {
        self.worker_requests += o.worker_requests;
        self.do_requests += o.do_requests;
        self.kv_reads += o.kv_reads;
        self.kv_writes += o.kv_writes;
        self.kv_deletes += o.kv_deletes;
        self.rows_read += o.rows_read;
        self.rows_written += o.rows_written;
        self.do_gb_s += o.do_gb_s;
        self.alarms += o.alarms;
    }

    /// (name, used, free daily limit) for every metered resource.
    pub fn against_free(&self) -> [(&'static str, f64, f64); 8] {
        [
            ("Worker requests", self.worker_requests, 100_000.0),
            ("Durable Object requests", self.do_requests, 100_000.0),
            ("KV reads", self.kv_reads, 100_000.0),
            ("KV writes", self.kv_writes, 1_000.0),
            ("KV deletes", self.kv_deletes, 1_000.0),
            ("DO SQLite rows read", self.rows_read, 5_000_000.0),
            ("DO SQLite rows written", self.rows_written, 100_000.0),
            ("DO duration (GB-s)", self.do_gb_s, 13_000.0),
        ]
    }

    /// How many such groups fit one free account, and the limit that binds.
    pub fn groups_per_free_account(&self) -> (f64, &'static str) {
        self.against_free()
            .into_iter()
            .filter(|(_, used, _)| *used > 0.0)
            .map(|(name, used, limit)| (limit / used, name))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((f64::INFINITY, "none"))
    }

    /// The monthly bill of a Workers Paid account serving `groups` such groups (30 days):
    /// the $5 subscription, then each metered line beyond what it includes.
    pub fn paid_month(&self, groups: f64) -> Vec<(&'static str, f64, f64)> {
        let m = self.scaled(groups * 30.0);
        let over = |used: f64, included: f64, per_million: f64| {
            ((used - included).max(0.0) / 1e6) * per_million
        };
        vec![
            ("subscription", 0.0, 5.0),
            (
                "Worker requests (10 M incl., $0.30/M)",
                m.worker_requests,
                over(m.worker_requests, 10e6, 0.30),
            ),
            (
                "KV reads (10 M incl., $0.50/M)",
                m.kv_reads,
                over(m.kv_reads, 10e6, 0.50),
            ),
            (
                "KV writes (1 M incl., $5/M)",
                m.kv_writes,
                over(m.kv_writes, 1e6, 5.0),
            ),
            (
                "KV deletes (1 M incl., $5/M)",
                m.kv_deletes,
                over(m.kv_deletes, 1e6, 5.0),
            ),
            (
                "DO requests (1 M incl., $0.15/M)",
                m.do_requests,
                over(m.do_requests, 1e6, 0.15),
            ),
            (
                "DO duration GB-s (400 k incl., $12.50/M)",
                m.do_gb_s,
                over(m.do_gb_s, 400e3, 12.50),
            ),
            (
                "DO rows read (25 G incl., $0.001/M)",
                m.rows_read,
                over(m.rows_read, 25e9, 0.001),
            ),
            (
                "DO rows written (50 M incl., $1/M)",
                m.rows_written,
                over(m.rows_written, 50e6, 1.0),
            ),
        ]
    }
}

/// The share index of one relay's Durable Object, replayed from its answers: share id
/// to expiry (ms), and the alarm set.
#[derive(Default)]
struct Index {
    shares: BTreeMap<String, u64>,
    alarm: Option<u64>,
}

impl Index {
    /// Runs every alarm due by `t`: each lists the index, sweeps what expired (the bytes'
    /// row deleted, index read, delete and group record update per share) and sets the
    /// next alarm.
    fn alarms_until(&mut self, t: u64, u: &mut Usage) {
        while let Some(at) = self.alarm.filter(|&a| a <= t) {
            u.do_requests += 1.0;
            u.alarms += 1.0;
            u.rows_read += self.shares.len() as f64;
            let expired: Vec<String> = self
                .shares
                .iter()
                .filter(|(_, e)| **e <= at)
                .map(|(k, _)| k.clone())
                .collect();
            for sid in expired {
                self.shares.remove(&sid);
                u.rows_read += 2.0;
                u.rows_written += 3.0;
            }
            self.alarm = self.shares.values().min().copied();
            if self.alarm.is_some() {
                u.rows_written += 1.0;
            }
        }
    }

    fn put(&mut self, sid: &str, expires_at: u64, u: &mut Usage) {
        self.shares.insert(sid.to_string(), expires_at);
        if self.alarm.is_none_or(|a| a > expires_at) {
            self.alarm = Some(expires_at);
            u.rows_written += 1.0;
        }
    }
}

fn sid_of(path: &str) -> String {
    path.rsplit('/').next().unwrap_or_default().to_string()
}

fn ids(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The usage of one relay from its log lines (in time order) and the preflights browsers
/// would have sent it. Lines with a `mark` are skipped.
/// The rows an ack answer (`POST …/acks`, or a listing's `acks`) cost.
fn acks_cost(json: &Value, index: &mut Index, u: &mut Usage) {
    let acked = ids(json.get("acked"));
    let deleted = ids(json.get("deleted"));
    let unknown = ids(json.get("unknown"));
    u.rows_read += (acked.len() + unknown.len()) as f64;
    u.rows_written += (acked.len() - deleted.len().min(acked.len())) as f64;
    for sid in deleted {
        index.shares.remove(&sid);
        u.rows_read += 2.0;
        u.rows_written += 3.0;
    }
}

/// The classic method a share request stood for: a simple one (`POST` on a share's
/// URL, the method in its body, which the log does not keep) is known by its answer —
/// a fetch's has `data`, a delete's `deleted`, a put's `created`; a refused one counts
/// as a fetch (the share looked up, nothing more).
fn as_classic<'a>(method: &'a str, route: &str, json: &Value) -> &'a str {
    if method != "POST" || route != "/v1/groups/{gid}/shares/{sid}" {
        return method;
    }
    if json.get("deleted").is_some() {
        "DELETE"
    } else if json.get("created").is_some() || json.get("complete").is_some() {
        "PUT"
    } else {
        "GET"
    }
}

pub fn relay_usage(lines: &[Value], preflights: f64) -> Usage {
    let mut u = Usage {
        worker_requests: preflights,
        ..Usage::default()
    };
    let mut index = Index::default();
    for line in lines {
        let t = line["t"].as_u64().unwrap_or(0);
        index.alarms_until(t, &mut u);
        let method = line["method"].as_str().unwrap_or("");
        let route = line["route"].as_str().unwrap_or("");
        let status = line["status"].as_u64().unwrap_or(0);
        let json = &line["json"];
        u.worker_requests += 1.0;
        if method == "OPTIONS" || route == "/v1/health" || status == 502 || status == 504 {
            continue; // answered by the Worker itself (or never reached it)
        }
        // Every group route goes to the group's Durable Object, which reads the group
        // record first (register reads it too).
        u.do_requests += 1.0;
        u.do_gb_s += line["upstream_ms"].as_f64().unwrap_or(0.0) / 1000.0 * 0.128;
        u.rows_read += 1.0;
        let ok = (200..300).contains(&status) || status == 101;
        let method = as_classic(method, route, json);
        match (method, route) {
            ("POST", "/v1/groups/{gid}") if status == 201 => u.rows_written += 1.0,
            ("PUT", "/v1/groups/{gid}/shares/{sid}") if ok => {
                // group, share; the bytes' row; group, share again; share and group
                // written; the alarm moved if this share expires first.
                u.rows_read += 4.0;
                u.rows_written += 3.0;
                let expires = json["expires_at"].as_u64().unwrap_or(t);
                index.put(
                    &sid_of(line["path"].as_str().unwrap_or("")),
                    expires,
                    &mut u,
                );
            }
            ("PUT", _) => u.rows_read += 2.0,
            ("GET", "/v1/groups/{gid}/shares/{sid}") => {
                // the live share; on 200 also the bytes' row, the share again, the
                // fetch written.
                u.rows_read += 1.0;
                if status == 200 {
                    u.rows_read += 2.0;
                    u.rows_written += 1.0;
                } else if status == 503 {
                    u.rows_read += 1.0;
                }
            }
            ("DELETE", _) => {
                // the bytes' row deleted whether or not the share is there; then the
                // index entry.
                u.rows_written += 1.0;
                u.rows_read += 1.0;
                if json["deleted"].as_bool() == Some(true) {
                    u.rows_read += 1.0;
                    u.rows_written += 2.0;
                    index
                        .shares
                        .remove(&sid_of(line["path"].as_str().unwrap_or("")));
                }
            }
            ("GET", "/v1/groups/{gid}/shares") => u.rows_read += index.shares.len() as f64,
            ("POST", "/v1/groups/{gid}/shares") if ok => {
                // A listing that carries acks (recorded first) and status (issue 17).
                if json["acks"].is_object() {
                    acks_cost(&json["acks"], &mut index, &mut u);
                }
                u.rows_read += index.shares.len() as f64;
                u.rows_read += json["status"].as_array().map_or(0, Vec::len) as f64;
            }
            ("POST", "/v1/groups/{gid}/acks") if ok => acks_cost(json, &mut index, &mut u),
            ("POST", "/v1/groups/{gid}/status") if ok => {
                u.rows_read += json["shares"].as_array().map_or(0, Vec::len) as f64;
            }
            _ => {} // websocket accept (group read only), errors after the group read
        }
    }
    // Everything still held expires by tomorrow: its sweeps belong to this day.
    index.alarms_until(u64::MAX, &mut u);
    u
}
