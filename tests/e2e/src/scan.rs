//! What a device could open at real relays with the secrets its saved state holds:
//! every share listed for every group id it can derive, read with each key epoch's keys
//! it has. It lists as a member that fetched nothing (a fresh pseudonym), so it sees
//! every live share its own device could still be offered, and more.

use std::collections::{BTreeMap, BTreeSet};

use gfms_protocol::{ListResponse, MemberId, ShareBody, decode_data, paths};
use gfms_seal::{BatchId, GroupKeys, GroupSecret, SharePart, combine, open, read_share};

/// The epoch secrets a saved state holds: its first, and those of later epochs.
fn secrets(saved: &str) -> Vec<[u8; 32]> {
    let v: serde_json::Value = serde_json::from_str(saved).expect("a saved state");
    let mut hexes = vec![v["secret"].as_str().unwrap_or_default().to_string()];
    if let Some(epochs) = v["member_keys"]["epochs"].as_array() {
        hexes.extend(
            epochs
                .iter()
                .filter_map(|e| e["secret"].as_str().map(str::to_string)),
        );
    }
    hexes
        .iter()
        .filter_map(|h| {
            let mut b = [0u8; 32];
            hex_decode(h, &mut b).then_some(b)
        })
        .collect()
}

fn hex_decode(h: &str, out: &mut [u8; 32]) -> bool {
    if h.len() != 64 || !h.is_ascii() {
        return false;
    }
    for (i, b) in out.iter_mut().enumerate() {
        match u8::from_str_radix(&h[2 * i..2 * i + 2], 16) {
            Ok(v) => *b = v,
            Err(_) => return false,
        }
    }
    true
}

fn get(agent: &ureq::Agent, url: &str, token: &str) -> Option<Vec<u8>> {
    let mut resp = agent
        .get(url)
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .ok()?;
    if resp.status().as_u16() != 200 {
        return None;
    }
    resp.body_mut().read_to_vec().ok()
}

/// The ids (as text) of every event in a batch that the device saved as `saved` could
/// open from what the relays at `urls` (the group's relays, in order) hold now.
pub fn readable_events(saved: &str, urls: &[String]) -> BTreeSet<String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let outsider = MemberId::from_bytes([0xdd; 16]);
    let mut out = BTreeSet::new();
    for secret in secrets(saved) {
        let keys = GroupKeys::derive(&GroupSecret::from_bytes(secret));
        let mut parts: BTreeMap<BatchId, Vec<SharePart>> = BTreeMap::new();
        for (i, url) in urls.iter().enumerate() {
            let Ok(rk) = keys.relay(url) else { continue };
            let token = rk.token.to_string();
            let mut cursor: Option<String> = None;
            loop {
                let mut list_url =
                    format!("{url}{}?member={outsider}", paths::shares(&rk.group_id));
                if let Some(c) = &cursor {
                    list_url.push_str(&format!("&cursor={c}"));
                }
                let Some(body) = get(&agent, &list_url, &token) else {
                    break; // the group was never registered here
                };
                let list: ListResponse = serde_json::from_slice(&body).expect("listing");
                for s in &list.shares {
                    let share_url = format!(
                        "{url}{}?member={outsider}",
                        paths::share(&rk.group_id, &s.id)
                    );
                    let Some(body) = get(&agent, &share_url, &token) else {
                        continue;
                    };
                    let Ok(share) = serde_json::from_slice::<ShareBody>(&body) else {
                        continue;
                    };
                    let Some(blob) = decode_data(&share.data) else {
                        continue;
                    };
                    if let Ok(part) = read_share(&rk, &s.id, i, &blob) {
                        parts.entry(part.header.batch_id).or_default().push(part);
                    }
                }
                match list.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
        }
        for batch in parts.values() {
            if let Ok(opened) = combine(batch).and_then(|c| open(&keys, c)) {
                let v: serde_json::Value =
                    serde_json::from_slice(&opened.plaintext).unwrap_or_default();
                for e in v["events"].as_array().into_iter().flatten() {
                    if let Some(id) = e["id"].as_str() {
                        out.insert(id.to_string());
                    }
                }
            }
        }
    }
    out
}
