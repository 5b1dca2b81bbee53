//! A device of a newer version, as far as the relays can tell: it seals any plaintext
//! (a payload with events this version does not read, or a shape it does not know) and
//! puts its shares straight into the simulated relays.

use std::collections::BTreeSet;

use gfms_protocol::ShareId;
use gfms_seal::{GroupKeys, seal, split_for_relays};
use gfms_sync::{Group, Invite};

use super::{Share, SimRelay, url};

/// Seals `plaintext` as a batch from `sender` and puts one share at each of the first
/// `n` relays (registering the group there if it is not); returns the batch id.
pub fn put_raw_batch(
    relays: &mut [SimRelay],
    invite: &Invite,
    sender: [u8; 16],
    plaintext: &[u8],
    batch_id: [u8; 16],
) -> [u8; 16] {
    let keys = GroupKeys::derive(&invite.group_secret());
    let relay_keys: Vec<_> = (0..relays.len())
        .map(|i| keys.relay(&url(i)).expect("relay keys"))
        .collect();
    let sealed = seal(&keys, batch_id, sender, plaintext).expect("sealed");
    let shares = split_for_relays(&sealed, &relay_keys, invite.k).expect("split");
    for s in shares {
        let rk = &relay_keys[s.relay_index];
        let relay = &mut relays[s.relay_index];
        let expires_at = if relay.ttl_ms == 0 {
            0
        } else {
            relay.now_ms + relay.ttl_ms
        };
        let group = relay
            .groups
            .entry(rk.group_id.to_string())
            .or_insert_with(|| (rk.token_sha256(), Default::default()));
        group.1.insert(
            s.share_id,
            Share {
                data: gfms_protocol::encode_data(&s.blob),
                expires_at,
                ..Share::default()
            },
        );
    }
    batch_id
}

/// Whether the member with `pseudonym_of` (per relay) acked any share at any relay.
pub fn acked_anywhere(relays: &[SimRelay], invite: &Invite, member: [u8; 16]) -> bool {
    let keys = GroupKeys::derive(&invite.group_secret());
    relays.iter().enumerate().any(|(i, r)| {
        let rk = keys.relay(&url(i)).expect("relay keys");
        let p = rk.member_pseudonym(&member);
        r.groups
            .get(&rk.group_id.to_string())
            .is_some_and(|(_, shares)| shares.values().any(|s| s.ackers.contains(&p)))
    })
}

/// Whether `member` acked share `sid` at relay `i`.
pub fn acked_share(
    relays: &[SimRelay],
    invite: &Invite,
    member: [u8; 16],
    i: usize,
    sid: &ShareId,
) -> bool {
    let keys = GroupKeys::derive(&invite.group_secret());
    let rk = keys.relay(&url(i)).expect("relay keys");
    let p = rk.member_pseudonym(&member);
    relays[i]
        .groups
        .get(&rk.group_id.to_string())
        .and_then(|(_, shares)| shares.get(sid))
        .is_some_and(|s| s.ackers.contains(&p))
}

/// Every share the relays hold: (relay index, share id, bytes).
pub fn all_shares(relays: &[SimRelay]) -> BTreeSet<(usize, ShareId, String)> {
    relays
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.groups.values().flat_map(move |(_, shares)| {
                shares.iter().map(move |(s, x)| (i, *s, x.data.clone()))
            })
        })
        .collect()
}

/// The push socket URL `g`'s app has for relay `r`.
pub fn socket(g: &Group, r: usize) -> String {
    let prefix = url(r).replace("http://", "ws://");
    g.push_endpoints()
        .into_iter()
        .map(|(u, _)| u)
        .find(|u| u.starts_with(&prefix))
        .expect("a socket per relay")
}
