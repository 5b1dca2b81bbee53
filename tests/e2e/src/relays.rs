//! Three real local relays, started for one test and stopped when it ends.

use std::path::PathBuf;
use std::process::Command;

use gfms_protocol::{ListResponse, MemberId, paths};
use gfms_seal::GroupKeys;

/// Relays a, b, c on `base`, `base + 1`, `base + 2`.
pub struct Relays {
    dir: PathBuf,
    started: Vec<&'static str>,
    base: u16,
    ttl: u64,
}

impl Relays {
    /// Starts the relays named in `only` (of "a", "b", "c") with share TTL `ttl` seconds.
    pub fn start(name: &str, base: u16, ttl: u64, only: &[&'static str]) -> Self {
        Self::start_with(name, base, ttl, only, &[])
    }

    /// Like [`Relays::start`], with relay variables (`NAME:VALUE`) for every relay.
    pub fn start_with(
        name: &str,
        base: u16,
        ttl: u64,
        only: &[&'static str],
        vars: &[&str],
    ) -> Self {
        let dir = crate::root().join("target/e2e").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        let relays = Self {
            dir: dir.clone(),
            started: only.to_vec(),
            base,
            ttl,
        };
        let status = Command::new("bash")
            .current_dir(crate::root())
            .args(["scripts/relays.sh", "start", "--dir"])
            .arg(&dir)
            .args(["--base-port", &base.to_string(), "--ttl", &ttl.to_string()])
            .args(["--only", &only.join(" ")])
            .args(vars.iter().flat_map(|v| ["--var", v]))
            .status()
            .expect("run scripts/relays.sh");
        assert!(
            status.success(),
            "relays did not start (logs in {})",
            dir.display()
        );
        relays
    }

    /// Forgetful relay: stops relay `name`, deletes everything it persisted (KV and its
    /// Durable Objects: every group is unknown to it now) and starts it again on the
    /// same port.
    pub fn wipe(&self, name: &'static str) {
        self.stop(name);
        std::fs::remove_dir_all(self.dir.join(name)).expect("remove the relay's state");
        self.restart(name);
    }

    /// Starts relay `name` again (after [`Relays::stop`]) with the state it persisted.
    pub fn restart(&self, name: &'static str) {
        let status = Command::new("bash")
            .current_dir(crate::root())
            .args(["scripts/relays.sh", "start", "--dir"])
            .arg(&self.dir)
            .args(["--base-port", &self.base.to_string()])
            .args(["--ttl", &self.ttl.to_string(), "--only", name])
            .status()
            .expect("run scripts/relays.sh");
        assert!(status.success(), "relay {name} did not restart");
    }

    /// Down relay: stops relay `name` (it stays down).
    pub fn stop(&self, name: &'static str) {
        let _ = Command::new("bash")
            .current_dir(crate::root())
            .args(["scripts/relays.sh", "stop", "--dir"])
            .arg(&self.dir)
            .args(["--only", name])
            .status();
    }

    /// The URL of relay `name` (whether started or not).
    pub fn url(&self, name: &str) -> String {
        let offset = match name {
            "a" => 0,
            "b" => 1,
            _ => 2,
        };
        format!("http://127.0.0.1:{}", self.base + offset)
    }

    /// URLs of a, b and c.
    pub fn urls(&self) -> Vec<String> {
        ["a", "b", "c"].iter().map(|r| self.url(r)).collect()
    }

    /// How many live shares relay `url` holds for the group, as any member would list
    /// them (a fresh pseudonym has fetched nothing).
    pub fn live_shares(url: &str, keys: &GroupKeys) -> usize {
        let rk = keys.relay(url).expect("relay keys");
        let outsider = MemberId::from_bytes([0xee; 16]);
        let target = format!("{url}{}?member={outsider}", paths::shares(&rk.group_id));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut resp = agent
            .get(&target)
            .header("authorization", &format!("Bearer {}", rk.token))
            .call()
            .expect("list shares");
        if resp.status().as_u16() == 404 {
            return 0; // group never registered here
        }
        let body = resp.body_mut().read_to_vec().expect("body");
        let list: ListResponse = serde_json::from_slice(&body).expect("listing JSON");
        list.shares.len()
    }
}

impl Drop for Relays {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .current_dir(crate::root())
            .args(["scripts/relays.sh", "stop", "--dir"])
            .arg(&self.dir)
            .args(["--only", &self.started.join(" ")])
            .status();
    }
}
