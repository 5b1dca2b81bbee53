//! GFMS sealing: HKDF key schedule, padded XChaCha20-Poly1305 batches, share headers, robust open.
