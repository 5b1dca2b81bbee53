//! The harness of the end-to-end tests: real relays (workerd via `scripts/relays.sh`),
//! devices that persist like the CLI does, a tampering proxy, delay proxies that put a
//! phone's round-trip time in front of the relays, and checks made from outside the
//! clients (what does a relay still hold?).

pub mod cli;
pub mod device;
pub mod net;
pub mod relays;
pub mod scan;
pub mod tamper;

pub use device::Device;
pub use net::DelayProxies;
pub use relays::Relays;
pub use tamper::TamperProxy;

/// The repository root.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// Unix milliseconds now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
