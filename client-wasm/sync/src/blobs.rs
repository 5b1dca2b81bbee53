//! Attachment bytes in flight: the chunks this device still has to seal, the chunks
//! received of attachments not yet complete, and the attachments completed here that the
//! host has not taken yet. Storage of finished attachments is the host's (IndexedDB, the
//! CLI's state dir): the engine never holds them all.
//!
//! An attachment travels as its own batches, one chunk each: [`CHUNK_BYTES`] of its
//! bytes at most, so a chunk's plaintext fits the 192 KiB padding bucket. A chunk's
//! plaintext is [`MAGIC`], one line of JSON (the [`ChunkHeader`]), a newline, then the
//! raw bytes — binary, not base64. It is not JSON, so a release without receipts keeps
//! it verbatim as a batch it cannot read (`Inbox::keep_unread`), and reads it once
//! upgraded (`Group::load`).

use gfms_ledger::{MAX_RECEIPT_BYTES, is_hash};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a chunk's plaintext starts with.
pub const MAGIC: &[u8] = b"GFMS-blob/1\n";
/// The most attachment bytes in one chunk: with its header and the padding's length
/// prefix, a chunk's plaintext pads to 192 KiB.
pub const CHUNK_BYTES: usize = 192 * 1024 - 512;
/// The most chunks an attachment of [`MAX_RECEIPT_BYTES`] needs.
pub const MAX_PARTS: u32 = (MAX_RECEIPT_BYTES as usize).div_ceil(CHUNK_BYTES) as u32;
/// The most bytes of attachments held here at once, incoming parts and completed
/// attachments the host has not taken: a flood of chunks (or of attachments no expense
/// refers to yet) cannot fill the device.
pub const MAX_HELD_BYTES: usize = 32 * 1024 * 1024;
/// How long the parts of an incomplete attachment, and the hash of a completed one,
/// are kept: past every relay's TTL, like received batch ids.
pub const HELD_MS: u64 = crate::inbox::SEEN_RETENTION_MS;

/// A chunk's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkHeader {
    /// SHA-256 of the whole attachment, lowercase hex.
    pub hash: String,
    /// Which chunk, from 0.
    pub part: u32,
    /// How many chunks.
    pub parts: u32,
    /// The attachment's type.
    pub mime: String,
    /// The whole attachment's size in bytes.
    pub size: u64,
}

impl ChunkHeader {
    /// The bytes chunk `part` must carry, if the header is consistent.
    fn expected_len(&self) -> Option<usize> {
        let size = usize::try_from(self.size).ok()?;
        let ok = is_hash(&self.hash)
            && self.size > 0
            && self.size <= MAX_RECEIPT_BYTES
            && self.parts as usize == size.div_ceil(CHUNK_BYTES)
            && self.part < self.parts
            && self.mime.len() <= gfms_ledger::MAX_RECEIPT_MIME;
        if !ok {
            return None;
        }
        let before = self.part as usize * CHUNK_BYTES;
        Some((size - before).min(CHUNK_BYTES))
    }
}

/// The plaintext of one chunk.
pub fn encode_chunk(header: &ChunkHeader, bytes: &[u8]) -> Vec<u8> {
    // Strings and integers: serialising cannot fail.
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Vec::with_capacity(MAGIC.len() + json.len() + 1 + bytes.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&json);
    out.push(b'\n');
    out.extend_from_slice(bytes);
    out
}

/// Whether an opened batch is a chunk.
pub fn is_chunk(plaintext: &[u8]) -> bool {
    plaintext.starts_with(MAGIC)
}

/// Why a received chunk was dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    /// Not a chunk, or its header is unreadable or inconsistent (a part beyond the
    /// count, a count that does not match the size, a size over the limit).
    #[error("an attachment chunk with an unreadable header")]
    Header,
    /// More or fewer bytes than its header says.
    #[error("an attachment chunk of the wrong size for {0}")]
    Size(String),
    /// Its header differs from the other parts of the same attachment (the part count
    /// or size changed).
    #[error("an attachment chunk that does not match the other parts of {0}")]
    Mismatch(String),
    /// The parts put together do not give the bytes the hash names: all parts dropped.
    #[error("attachment {0} does not match its hash: dropped")]
    Hash(String),
    /// Holding it would pass [`MAX_HELD_BYTES`].
    #[error("no room for more attachments in flight: a chunk of {0} was dropped")]
    Full(String),
}

/// Reads a chunk's plaintext.
pub fn decode_chunk(plaintext: &[u8]) -> Result<(ChunkHeader, &[u8]), ChunkError> {
    let rest = plaintext.strip_prefix(MAGIC).ok_or(ChunkError::Header)?;
    let end = rest
        .iter()
        .take(1024)
        .position(|b| *b == b'\n')
        .ok_or(ChunkError::Header)?;
    let header: ChunkHeader =
        serde_json::from_slice(&rest[..end]).map_err(|_| ChunkError::Header)?;
    let bytes = &rest[end + 1..];
    match header.expected_len() {
        None => Err(ChunkError::Header),
        Some(n) if n != bytes.len() => Err(ChunkError::Size(header.hash)),
        Some(_) => Ok((header, bytes)),
    }
}

/// The chunk plaintexts of an attachment.
pub fn chunks(hash: &str, mime: &str, bytes: &[u8]) -> Vec<Vec<u8>> {
    let parts = bytes.chunks(CHUNK_BYTES).count() as u32;
    bytes
        .chunks(CHUNK_BYTES)
        .enumerate()
        .map(|(i, c)| {
            let header = ChunkHeader {
                hash: hash.to_string(),
                part: i as u32,
                parts,
                mime: mime.to_string(),
                size: bytes.len() as u64,
            };
            encode_chunk(&header, c)
        })
        .collect()
}

/// A chunk waiting for the next round to seal it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Queued {
    /// `hash#part`, for the outbox and the sync panel.
    pub(crate) label: String,
    /// Its plaintext.
    pub(crate) plaintext: Vec<u8>,
}

/// What attachments this device holds in flight. Plain lists, searched in order: they
/// are short, and each map type would add its own code to the app's wasm. Saved as one
/// base64url string of a binary layout (`to_bytes`), which needs no serde reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Blobs {
    queued: Vec<Queued>,
    /// Chunks received of attachments not yet complete: (unix ms, plaintext).
    parts: Vec<(u64, Vec<u8>)>,
    /// Completed here, not yet taken by the host: (hash, bytes).
    completed: Vec<(String, Vec<u8>)>,
    /// Completed, not yet announced by `take_completed`.
    announce: Vec<String>,
    /// Hashes completed lately (hash, unix ms): a chunk of one arriving again (a re-put
    /// the relay already had acked) is not collected again.
    done: Vec<(String, u64)>,
    /// The `receipt_wanted` events this device answered (sent the chunks again).
    pub(crate) answered: Vec<gfms_ledger::EventId>,
}

/// Record tags of the saved layout.
const QUEUED: u8 = 0;
const PART: u8 = 1;
const COMPLETED: u8 = 2;
const ANNOUNCE: u8 = 3;
const DONE: u8 = 4;
const ANSWERED: u8 = 5;

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
}

/// Reads the saved layout front to back.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = u32::from_le_bytes(self.take(4)?.try_into().ok()?);
        Some(self.take(n as usize)?.to_vec())
    }
    fn hash(&mut self) -> Option<String> {
        String::from_utf8(self.take(64)?.to_vec()).ok()
    }
}

impl Blobs {
    /// The saved layout: records of a tag and their fields (lengths u32, times u64,
    /// little endian; hashes as their 64 hex characters).
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for q in &self.queued {
            out.push(QUEUED);
            put_bytes(&mut out, &q.plaintext);
        }
        for (at, p) in &self.parts {
            out.push(PART);
            out.extend_from_slice(&at.to_le_bytes());
            put_bytes(&mut out, p);
        }
        for (h, d) in &self.completed {
            out.push(COMPLETED);
            out.extend_from_slice(h.as_bytes());
            put_bytes(&mut out, d);
        }
        for h in &self.announce {
            out.push(ANNOUNCE);
            out.extend_from_slice(h.as_bytes());
        }
        for (h, at) in &self.done {
            out.push(DONE);
            out.extend_from_slice(h.as_bytes());
            out.extend_from_slice(&at.to_le_bytes());
        }
        for id in &self.answered {
            out.push(ANSWERED);
            out.extend_from_slice(id.as_bytes());
        }
        out
    }

    fn from_bytes(b: &[u8]) -> Option<Self> {
        let mut r = Reader(b);
        let mut out = Blobs::default();
        while let Some(tag) = r.take(1) {
            match tag[0] {
                QUEUED => {
                    let plaintext = r.bytes()?;
                    let (h, _) = decode_chunk(&plaintext).ok()?;
                    let label = format!("{}#{}", h.hash, h.part);
                    out.queued.push(Queued { label, plaintext });
                }
                PART => out.parts.push((r.u64()?, r.bytes()?)),
                COMPLETED => out.completed.push((r.hash()?, r.bytes()?)),
                ANNOUNCE => out.announce.push(r.hash()?),
                DONE => out.done.push((r.hash()?, r.u64()?)),
                ANSWERED => out
                    .answered
                    .push(gfms_ledger::EventId::from_slice(r.take(16)?).ok()?),
                _ => return None,
            }
        }
        Some(out)
    }
}

impl Serialize for Blobs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&gfms_protocol::encode_data(&self.to_bytes()))
    }
}

impl<'de> Deserialize<'de> for Blobs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        gfms_protocol::decode_data(&text)
            .and_then(|b| Blobs::from_bytes(&b))
            .ok_or_else(|| serde::de::Error::custom("unreadable attachments in flight"))
    }
}

impl Blobs {
    /// Queues an attachment's chunks to be sealed by the next round. An attachment
    /// already queued is not queued again. The host holds it: its chunks coming back (a
    /// member sending it again) are not collected.
    pub(crate) fn queue(&mut self, hash: &str, mime: &str, bytes: &[u8], now_ms: u64) {
        if !self.done.iter().any(|(h, _)| h == hash) {
            self.done.push((hash.to_string(), now_ms));
        }
        let prefix = format!("{hash}#");
        if self.queued.iter().any(|q| q.label.starts_with(&prefix)) {
            return;
        }
        for (i, plaintext) in chunks(hash, mime, bytes).into_iter().enumerate() {
            self.queued.push(Queued {
                label: format!("{hash}#{i}"),
                plaintext,
            });
        }
    }

    /// The chunks to seal now; they leave the queue (the outbox holds them sealed).
    pub(crate) fn take_queued(&mut self) -> Vec<Queued> {
        std::mem::take(&mut self.queued)
    }

    /// Puts chunks back in the queue (sealing them failed).
    pub(crate) fn requeue(&mut self, chunks: Vec<Queued>) {
        self.queued.extend(chunks);
    }

    fn held_bytes(&self) -> usize {
        let parts: usize = self.parts.iter().map(|(_, p)| p.len()).sum();
        parts + self.completed.iter().map(|(_, d)| d.len()).sum::<usize>()
    }

    /// The parts held of attachment `hash`, read (their plaintext was checked when
    /// they came in), with their index in `parts`.
    fn parts_of(&self, hash: &str) -> Vec<(usize, ChunkHeader, &[u8])> {
        self.parts
            .iter()
            .enumerate()
            .filter_map(|(i, (_, p))| decode_chunk(p).ok().map(|(h, b)| (i, h, b)))
            .filter(|(_, h, _)| h.hash == hash)
            .collect()
    }

    /// Takes a received chunk's plaintext: `Ok(Some(hash))` when it completes an
    /// attachment (then waiting in `completed` for the host), `Ok(None)` when held (or a
    /// duplicate), an error when dropped.
    pub(crate) fn receive(
        &mut self,
        plaintext: &[u8],
        now_ms: u64,
    ) -> Result<Option<String>, ChunkError> {
        let (h, bytes) = decode_chunk(plaintext)?;
        let known = |list: &[(String, _)]| list.iter().any(|(k, _)| *k == h.hash);
        if known(&self.done) || self.completed.iter().any(|(k, _)| *k == h.hash) {
            return Ok(None);
        }
        let held = self.parts_of(&h.hash);
        if held
            .iter()
            .any(|(_, o, _)| (o.parts, o.size, &o.mime) != (h.parts, h.size, &h.mime))
        {
            return Err(ChunkError::Mismatch(h.hash));
        }
        if held.iter().any(|(_, o, _)| o.part == h.part) {
            return Ok(None);
        }
        if held.len() + 1 < h.parts as usize {
            if self.held_bytes() + plaintext.len() > MAX_HELD_BYTES {
                return Err(ChunkError::Full(h.hash));
            }
            self.parts.push((now_ms, plaintext.to_vec()));
            return Ok(None);
        }
        // The last part: put the attachment together, in part order.
        let mut pieces: Vec<&[u8]> = vec![&[]; h.parts as usize];
        for (_, o, b) in held.iter().chain([&(0, h.clone(), bytes)]) {
            if let Some(slot) = pieces.get_mut(o.part as usize) {
                *slot = b;
            }
        }
        let whole = pieces.concat();
        let drop: Vec<usize> = held.iter().map(|(i, ..)| *i).collect();
        for i in drop.into_iter().rev() {
            self.parts.remove(i);
        }
        if hex::encode(Sha256::digest(&whole)) != h.hash {
            return Err(ChunkError::Hash(h.hash));
        }
        if self.held_bytes() + whole.len() > MAX_HELD_BYTES {
            return Err(ChunkError::Full(h.hash));
        }
        self.done.push((h.hash.clone(), now_ms));
        self.completed.push((h.hash.clone(), whole));
        self.announce.push(h.hash.clone());
        Ok(Some(h.hash))
    }

    /// The host no longer holds `hash` (it kept only the preview) and asked for it
    /// again: its chunks are collected when they come.
    pub(crate) fn forget_done(&mut self, hash: &str) {
        self.done.retain(|(h, _)| h != hash);
    }

    /// Hashes completed since the last call.
    pub(crate) fn take_completed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.announce)
    }

    /// A completed attachment's bytes, handed over once.
    pub(crate) fn take_bytes(&mut self, hash: &str) -> Option<Vec<u8>> {
        self.announce.retain(|h| h != hash);
        let i = self.completed.iter().position(|(h, _)| h == hash)?;
        Some(self.completed.remove(i).1)
    }

    /// Forgets parts and hashes older than [`HELD_MS`].
    pub(crate) fn round_over(&mut self, now_ms: u64) {
        let fresh = |at: &u64| now_ms.saturating_sub(*at) < HELD_MS;
        self.parts.retain(|(at, _)| fresh(at));
        self.done.retain(|(_, at)| fresh(at));
    }

    /// Chunks waiting to be sealed.
    pub(crate) fn queued_count(&self) -> usize {
        self.queued.len()
    }

    /// Parts held of attachments not yet complete.
    pub(crate) fn receiving_count(&self) -> usize {
        self.parts.len()
    }

    /// True when nothing is held (the saved state leaves the field out).
    pub(crate) fn is_empty(&self) -> bool {
        self.queued.is_empty()
            && self.parts.is_empty()
            && self.completed.is_empty()
            && self.announce.is_empty()
            && self.done.is_empty()
            && self.answered.is_empty()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn blob(len: usize, seed: u8) -> (String, Vec<u8>) {
        let bytes: Vec<u8> = (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect();
        (hex::encode(Sha256::digest(&bytes)), bytes)
    }

    #[test]
    fn a_chunk_pads_to_the_192_kib_bucket_and_an_attachment_of_the_limit_fits() {
        let (hash, bytes) = blob(CHUNK_BYTES + 1, 1);
        let c = chunks(&hash, "application/pdf", &bytes);
        assert_eq!(c.len(), 2);
        assert_eq!(gfms_seal::padding::bucket(c[0].len()), 192 * 1024);
        assert!(c[0].starts_with(MAGIC));
        assert_eq!(MAX_PARTS, 22);
        assert!(MAX_PARTS as usize * CHUNK_BYTES >= MAX_RECEIPT_BYTES as usize);
    }

    proptest! {
        /// Racing, lossy relays: chunks arrive in any order, some twice; the attachment
        /// completes once, byte-identical.
        #[test]
        fn racing_relays_any_order_with_duplicates_completes_once(
            len in 1usize..(3 * CHUNK_BYTES + 10),
            order in proptest::collection::vec(0usize..64, 1..12),
        ) {
            let (hash, bytes) = blob(len, 7);
            let parts = chunks(&hash, "image/jpeg", &bytes);
            let mut schedule: Vec<usize> = order.iter().map(|i| i % parts.len()).collect();
            schedule.extend(0..parts.len()); // every part at least once, at the end
            let mut b = Blobs::default();
            let mut done = 0;
            for i in schedule {
                if let Some(h) = b.receive(&parts[i], 1).unwrap() {
                    prop_assert_eq!(&h, &hash);
                    done += 1;
                }
            }
            prop_assert_eq!(done, 1);
            prop_assert_eq!(b.take_completed(), vec![hash.clone()]);
            prop_assert_eq!(b.take_bytes(&hash), Some(bytes));
            prop_assert_eq!(b.take_bytes(&hash), None);
            prop_assert_eq!(b.receiving_count(), 0);
        }
    }

    /// Misbehaving member: parts whose bytes do not give the hash are all dropped, and
    /// reported; nothing is handed to the host.
    #[test]
    fn misbehaving_member_wrong_hash_is_dropped() {
        let (_, bytes) = blob(CHUNK_BYTES + 5, 2);
        let lie = "ab".repeat(32);
        let parts = chunks(&lie, "image/jpeg", &bytes);
        let mut b = Blobs::default();
        assert_eq!(b.receive(&parts[0], 1), Ok(None));
        assert_eq!(b.receive(&parts[1], 1), Err(ChunkError::Hash(lie)));
        assert!(b.take_completed().is_empty());
        assert_eq!(b.receiving_count(), 0);
    }

    /// Misbehaving member: a part count or size that changes between parts of one
    /// attachment, a part beyond the count, bytes of the wrong length, an oversized
    /// attachment — each dropped with a reason, the parts held so far kept.
    #[test]
    fn misbehaving_member_changed_part_count_or_oversize_is_dropped() {
        let (hash, bytes) = blob(2 * CHUNK_BYTES + 3, 3);
        let parts = chunks(&hash, "image/jpeg", &bytes);
        let mut b = Blobs::default();
        assert_eq!(b.receive(&parts[0], 1), Ok(None));
        // the same hash, sent again as a shorter attachment (2 parts)
        let short = chunks(&hash, "image/jpeg", &bytes[..CHUNK_BYTES + 1]);
        assert_eq!(
            b.receive(&short[1], 1),
            Err(ChunkError::Mismatch(hash.clone()))
        );
        let header = |part, parts, size| ChunkHeader {
            hash: hash.clone(),
            part,
            parts,
            mime: "image/jpeg".into(),
            size,
        };
        let beyond = encode_chunk(&header(3, 3, bytes.len() as u64), &[1]);
        assert_eq!(b.receive(&beyond, 1), Err(ChunkError::Header));
        let wrong_len = encode_chunk(&header(1, 3, bytes.len() as u64), &[1, 2, 3]);
        assert_eq!(
            b.receive(&wrong_len, 1),
            Err(ChunkError::Size(hash.clone()))
        );
        let huge = MAX_RECEIPT_BYTES + 1;
        let over = encode_chunk(&header(0, MAX_PARTS + 1, huge), &bytes[..CHUNK_BYTES]);
        assert_eq!(b.receive(&over, 1), Err(ChunkError::Header));
        assert_eq!(
            b.receive(b"GFMS-blob/1\nnot json", 1),
            Err(ChunkError::Header)
        );
        assert_eq!(b.receive(b"GFMS-blob/1\n", 1), Err(ChunkError::Header));
        assert_eq!(b.receiving_count(), 1);
        // the honest parts still complete it
        assert_eq!(b.receive(&parts[1], 1), Ok(None));
        assert_eq!(b.receive(&parts[2], 1), Ok(Some(hash)));
    }

    /// Misbehaving member floods chunks of attachments that never complete: what is
    /// held stays bounded, and parts are forgotten after [`HELD_MS`].
    #[test]
    fn misbehaving_member_flood_is_bounded_and_expires() {
        let mut b = Blobs::default();
        let mut refused = 0;
        for seed in 0..200u8 {
            let (hash, bytes) = blob(2 * CHUNK_BYTES, seed);
            let first = &chunks(&hash, "image/jpeg", &bytes)[0];
            if b.receive(first, 10).is_err() {
                refused += 1;
            }
        }
        assert!(refused > 0);
        assert!(b.held_bytes() <= MAX_HELD_BYTES);
        b.round_over(10 + HELD_MS);
        assert_eq!(b.receiving_count(), 0);
    }

    /// Crash at any step: what is in flight survives the saved state's JSON.
    #[test]
    fn crash_in_flight_parts_and_queue_survive_a_save() {
        let (hash, bytes) = blob(CHUNK_BYTES + 9, 4);
        let parts = chunks(&hash, "image/png", &bytes);
        let mut b = Blobs::default();
        b.queue(&hash, "image/png", &bytes, 1);
        b.queue(&hash, "image/png", &bytes, 1);
        assert_eq!(b.queued_count(), 2);
        let (other, other_bytes) = blob(CHUNK_BYTES + 9, 5);
        let other_parts = chunks(&other, "image/png", &other_bytes);
        b.receive(&other_parts[1], 1).unwrap();
        assert_eq!(b.receive(&parts[1], 1), Ok(None), "its own: not collected");
        let json = serde_json::to_string(&b).unwrap();
        let mut back: Blobs = serde_json::from_str(&json).unwrap();
        assert_eq!(back, b);
        assert_eq!(back.receive(&other_parts[0], 2), Ok(Some(other.clone())));
        assert_eq!(back.take_bytes(&other), Some(other_bytes));
    }
}

/// `tests/vectors/receipt-chunk.json`: the chunk format as another implementation
/// reads it, one case each, expected failures included.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod vectors {
    use super::*;

    const FILE: &str = include_str!("../../../tests/vectors/receipt-chunk.json");

    #[test]
    fn older_or_newer_version_chunks_read_as_the_vectors_say() {
        let doc: serde_json::Value = serde_json::from_str(FILE).unwrap();
        assert_eq!(doc["chunk_bytes"], CHUNK_BYTES);
        let bytes = hex::decode(doc["attachment"].as_str().unwrap()).unwrap();
        let hash = doc["hash"].as_str().unwrap();
        assert_eq!(hex::encode(Sha256::digest(&bytes)), hash);
        let cases = doc["cases"].as_array().unwrap();
        let first = hex::decode(cases[0]["plaintext"].as_str().unwrap()).unwrap();
        assert_eq!(chunks(hash, "image/jpeg", &bytes), vec![first]);
        for case in cases {
            let plaintext = hex::decode(case["plaintext"].as_str().unwrap()).unwrap();
            let got = match decode_chunk(&plaintext) {
                Ok((h, b)) => {
                    assert_eq!((h.hash.as_str(), b), (hash, bytes.as_slice()));
                    "ok"
                }
                Err(ChunkError::Header) => "header",
                Err(ChunkError::Size(_)) => "size",
                Err(e) => panic!("{e}"),
            };
            assert_eq!(got, case["expect"], "{}", case["description"]);
        }
    }
}
