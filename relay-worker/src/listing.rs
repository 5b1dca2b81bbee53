//! `GET /shares?member=P`: one page of the live shares P has not fetched, oldest first.
//! The cursor is the position of the last share returned, so pages are stable while
//! shares come and go.

use gfms_protocol::{ListResponse, MemberId, ShareId};

use crate::RelayError;
use crate::share::ShareMeta;

/// Parses a cursor `"<put_at>-<share id>"`.
pub fn parse_cursor(s: &str) -> Result<(u64, ShareId), RelayError> {
    let bad = || RelayError::BadRequest("malformed cursor".into());
    let (at, id) = s.split_once('-').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        ShareId::parse(id).map_err(|_| bad())?,
    ))
}

/// One page for `member` from all entries of the group.
pub fn page(
    mut shares: Vec<ShareMeta>,
    member: &MemberId,
    now: u64,
    after: Option<(u64, ShareId)>,
    limit: usize,
) -> ListResponse {
    shares.retain(|s| s.is_new_for(member, now));
    shares.sort_by_key(|s| (s.put_at, s.id));
    if let Some(after) = after {
        shares.retain(|s| (s.put_at, s.id) > after);
    }
    let limit = limit.max(1);
    let next_cursor = (shares.len() > limit).then(|| {
        let last = &shares[limit - 1];
        format!("{}-{}", last.put_at, last.id)
    });
    shares.truncate(limit);
    ListResponse {
        shares: shares.iter().map(ShareMeta::listed).collect(),
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(i: u8, at: u64) -> ShareMeta {
        ShareMeta::new(ShareId::from_bytes([i; 16]), b"x", vec![], at, 10_000)
    }

    #[test]
    fn pages_walk_every_share_once_in_put_order() {
        let member = MemberId::from_bytes([1; 16]);
        let all: Vec<_> = (0..7u8).map(|i| share(i, 100 - u64::from(i))).collect();
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let p = page(all.clone(), &member, 200, cursor, 3);
            seen.extend(p.shares.iter().map(|s| s.put_at));
            match p.next_cursor {
                Some(c) => cursor = Some(parse_cursor(&c).unwrap()),
                None => break,
            }
        }
        assert_eq!(seen, vec![94, 95, 96, 97, 98, 99, 100]);
    }

    #[test]
    fn bad_cursors_are_rejected() {
        for bad in ["", "12", "x-00", "1-zz"] {
            assert!(parse_cursor(bad).is_err(), "{bad}");
        }
    }
}
