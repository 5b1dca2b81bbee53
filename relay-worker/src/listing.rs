//! `GET /shares?member=P`: one page of the live shares P has not fetched, oldest first.
//! The cursor is the position of the last share returned, so pages are stable while
//! shares come and go.

use gfms_protocol::{ListResponse, MemberId, ShareId};

use crate::RelayError;
use crate::share::ShareRecord;

/// Where a page starts and how long it is, from the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageQuery {
    /// The position after which the page starts.
    pub after: Option<(u64, ShareId)>,
    /// How many shares at most: `limit` clamped to `1..=max_list_page`.
    pub limit: usize,
}

/// Reads `cursor` and `limit` from query pairs; other keys are ignored.
pub fn page_query<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    max_list_page: usize,
) -> Result<PageQuery, RelayError> {
    let mut q = PageQuery {
        after: None,
        limit: max_list_page,
    };
    for (k, v) in pairs {
        match k {
            "cursor" => q.after = Some(parse_cursor(v)?),
            "limit" => {
                let n: usize = v.parse().map_err(|_| {
                    RelayError::BadRequest("limit must be a non-negative integer".into())
                })?;
                q.limit = n.clamp(1, max_list_page.max(1));
            }
            _ => {}
        }
    }
    Ok(q)
}

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
    mut shares: Vec<ShareRecord>,
    member: &MemberId,
    now: u64,
    PageQuery { after, limit }: PageQuery,
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
        shares: shares.iter().map(ShareRecord::listed).collect(),
        next_cursor,
        status: None,
        acks: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(i: u8, at: u64) -> ShareRecord {
        let mut s = ShareRecord::new(ShareId::from_bytes([i; 16]), "00".into(), 1, at);
        s.held = crate::share::Held::Live;
        s.expires_at = at + 10_000;
        s
    }

    #[test]
    fn pages_walk_every_share_once_in_put_order() {
        let member = MemberId::from_bytes([1; 16]);
        let all: Vec<_> = (0..7u8).map(|i| share(i, 100 - u64::from(i))).collect();
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let p = page(
                all.clone(),
                &member,
                200,
                PageQuery {
                    after: cursor,
                    limit: 3,
                },
            );
            seen.extend(p.shares.iter().map(|s| s.put_at));
            match p.next_cursor {
                Some(c) => cursor = Some(parse_cursor(&c).unwrap()),
                None => break,
            }
        }
        assert_eq!(seen, vec![94, 95, 96, 97, 98, 99, 100]);
    }

    #[test]
    fn limit_is_clamped_and_must_be_a_number() {
        let q = |pairs: &[(&'static str, &'static str)]| page_query(pairs.iter().copied(), 200);
        assert_eq!(q(&[("limit", "0")]).unwrap().limit, 1);
        assert_eq!(q(&[("limit", "5000")]).unwrap().limit, 200);
        assert_eq!(q(&[("member", "x")]).unwrap().limit, 200);
        assert!(q(&[("limit", "-1")]).is_err());
        assert!(q(&[("limit", "3x")]).is_err());
    }

    #[test]
    fn bad_cursors_are_rejected() {
        for bad in ["", "12", "x-00", "1-zz"] {
            assert!(parse_cursor(bad).is_err(), "{bad}");
        }
    }
}
