//! Sealing for JavaScript: a group's keys for its relays, `seal` a batch into one share
//! blob per relay (seal, then split for the relays), and `open` it again from fetched
//! blobs (read each share, combine, open; naming tampering relays).

use gfms_protocol::ShareId;
use gfms_seal::{
    GroupKeys, GroupSecret, RelayKeys, combine, open, read_share, seal, split_for_relays,
};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use super::error::js_error;

fn seal_code(e: &gfms_seal::Error) -> &'static str {
    use gfms_seal::Error::*;
    match e {
        InvalidRelayUrl(_) => "invalid_relay_url",
        InvalidThreshold { .. } => "invalid_threshold",
        NotEnoughShares { .. } => "not_enough_shares",
        NoSubsetAuthenticates { .. } => "not_authentic",
        BadHeader => "bad_header",
        MixedBatches => "mixed_batches",
        TooLarge(_) => "too_large",
        Rng => "rng_failed",
    }
}

fn err(e: gfms_seal::Error) -> JsValue {
    js_error(seal_code(&e), &e)
}

fn bytes16(b: &[u8], what: &str) -> Result<[u8; 16], JsValue> {
    b.try_into()
        .map_err(|_| js_error("bad_argument", format!("{what} must be 16 bytes")))
}

/// A group's keys for an ordered list of relays.
#[wasm_bindgen]
pub struct SealingGroup {
    keys: GroupKeys,
    relays: Vec<RelayKeys>,
}

/// One relay's share of a sealed batch.
#[wasm_bindgen(getter_with_clone)]
pub struct SealedShare {
    /// Index into the group's relays.
    #[wasm_bindgen(js_name = relayIndex)]
    pub relay_index: usize,
    /// The share id to put it under (hex).
    #[wasm_bindgen(js_name = shareId)]
    pub share_id: String,
    /// The bytes to put.
    pub blob: Vec<u8>,
}

/// An opened batch.
#[wasm_bindgen(getter_with_clone)]
pub struct OpenedBatch {
    /// The batch bytes.
    pub plaintext: Vec<u8>,
    /// The batch id.
    #[wasm_bindgen(js_name = batchId)]
    pub batch_id: Vec<u8>,
    /// The sender's member id.
    pub sender: Vec<u8>,
    /// Relays (indexes) whose shares were inconsistent: tampered or broken.
    #[wasm_bindgen(js_name = badRelays)]
    pub bad_relays: Vec<usize>,
}

#[wasm_bindgen]
impl SealingGroup {
    /// A fresh 32-byte group secret from the browser's CSPRNG.
    #[wasm_bindgen(js_name = generateSecret)]
    pub fn generate_secret() -> Result<Vec<u8>, JsValue> {
        Ok(GroupSecret::generate().map_err(err)?.to_bytes().to_vec())
    }

    /// The keys of the group with `secret` for these relays (in this order).
    #[wasm_bindgen(constructor)]
    pub fn new(secret: &[u8], relay_urls: Vec<String>) -> Result<SealingGroup, JsValue> {
        let secret: [u8; 32] = secret
            .try_into()
            .map_err(|_| js_error("bad_argument", "the group secret must be 32 bytes"))?;
        let keys = GroupKeys::derive(&GroupSecret::from_bytes(secret));
        let relays = relay_urls
            .iter()
            .map(|u| keys.relay(u))
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        Ok(SealingGroup { keys, relays })
    }

    fn relay_at(&self, i: usize) -> Result<&RelayKeys, JsValue> {
        self.relays
            .get(i)
            .ok_or_else(|| js_error("bad_argument", format!("no relay {i}")))
    }

    /// The group's id at relay `i` (hex).
    #[wasm_bindgen(js_name = relayGroupId)]
    pub fn relay_group_id(&self, i: usize) -> Result<String, JsValue> {
        Ok(self.relay_at(i)?.group_id.to_string())
    }

    /// The bearer token at relay `i` (hex).
    #[wasm_bindgen(js_name = relayToken)]
    pub fn relay_token(&self, i: usize) -> Result<String, JsValue> {
        Ok(self.relay_at(i)?.token.to_string())
    }

    /// SHA-256 of the token at relay `i` (hex), for registration.
    #[wasm_bindgen(js_name = relayTokenSha256)]
    pub fn relay_token_sha256(&self, i: usize) -> Result<String, JsValue> {
        Ok(self.relay_at(i)?.token_sha256().to_string())
    }

    /// A member's pseudonym at relay `i` (hex).
    #[wasm_bindgen(js_name = memberPseudonym)]
    pub fn member_pseudonym(&self, i: usize, member: &[u8]) -> Result<String, JsValue> {
        Ok(self
            .relay_at(i)?
            .member_pseudonym(&bytes16(member, "member")?)
            .to_string())
    }

    /// Pads, seals and splits a batch, `k` of the relays needed to open it.
    pub fn seal(
        &self,
        k: u8,
        batch_id: &[u8],
        sender: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<SealedShare>, JsValue> {
        let sealed = seal(
            &self.keys,
            bytes16(batch_id, "batch id")?,
            bytes16(sender, "sender")?,
            plaintext,
        )
        .map_err(err)?;
        let shares = split_for_relays(&sealed, &self.relays, k).map_err(err)?;
        Ok(shares
            .into_iter()
            .map(|s| SealedShare {
                relay_index: s.relay_index,
                share_id: s.share_id.to_string(),
                blob: s.blob,
            })
            .collect())
    }

    /// Opens a batch from blobs fetched from relays `relay_indexes[i]` under
    /// `share_ids[i]`. Blobs whose header does not verify are counted as bad relays.
    pub fn open(
        &self,
        relay_indexes: Vec<usize>,
        share_ids: Vec<String>,
        blobs: Vec<Uint8Array>,
    ) -> Result<OpenedBatch, JsValue> {
        if relay_indexes.len() != share_ids.len() || share_ids.len() != blobs.len() {
            return Err(js_error(
                "bad_argument",
                "relay indexes, share ids and blobs must have one entry each",
            ));
        }
        let mut parts = Vec::new();
        let mut bad_headers = Vec::new();
        for ((&i, sid), blob) in relay_indexes.iter().zip(&share_ids).zip(&blobs) {
            let relay = self.relay_at(i)?;
            let sid = ShareId::parse(sid).map_err(|e| js_error("bad_argument", e))?;
            let blob = blob.to_vec();
            match read_share(relay, &sid, i, &blob) {
                Ok(part) => parts.push(part),
                Err(_) => bad_headers.push(i),
            }
        }
        let opened = combine(&parts)
            .and_then(|c| open(&self.keys, c))
            .map_err(err)?;
        let mut bad_relays = opened.bad_relays;
        bad_relays.extend(bad_headers);
        bad_relays.sort_unstable();
        Ok(OpenedBatch {
            plaintext: opened.plaintext,
            batch_id: opened.batch_id.to_vec(),
            sender: opened.sender.to_vec(),
            bad_relays,
        })
    }
}
