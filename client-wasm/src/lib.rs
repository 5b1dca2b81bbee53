//! GFMS client library: a wasm-bindgen facade over the pure-Rust core crates
//! (`gfms-shamir`, `gfms-seal`, `gfms-ledger`, `gfms-sync`), a native driver and the CLI.
