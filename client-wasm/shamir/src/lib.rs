//! Shamir k-of-n secret sharing over GF(256), constant time, interoperable with the sharks crate.
