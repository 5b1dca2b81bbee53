//! Racing requests: many interleavings of concurrent puts, fetches, acks, deletes and
//! alarms, checked against the invariants a member relies on.

use std::future::Future;
use std::pin::Pin;

use gfms_protocol::{AckRequest, Limits, MemberId, Receipt, ShareId, ShareReceipt, decode_data};
use proptest::prelude::*;

use super::*;
use crate::RelayError;
use crate::listing::PageQuery;

/// What a request in a race answered.
#[derive(Debug)]
enum Answer {
    Put(ShareId, Vec<u8>, Result<u16, RelayError>),
    Fetch(ShareId, Result<Vec<u8>, RelayError>),
    Other(Result<(), RelayError>),
}

type Request<'a> = Pin<Box<dyn Future<Output = Answer> + 'a>>;

/// Checks what must hold whenever no request is in flight.
fn check_settled(
    w: &World<'_>,
    accepted: &[(ShareId, Vec<u8>)],
    ids: &[ShareId],
    now: u64,
) -> Result<(), TestCaseError> {
    let relay = w.relay();
    let status = block_on(relay.status(ids, now)).unwrap();
    for s in &status.shares {
        // Someone the share is addressed to who can be counted (the lists are bounded).
        let addressed = |m: &MemberId| s.recipients.is_empty() || s.recipients.contains(m);
        let addressee = s
            .fetchers
            .iter()
            .copied()
            .find(addressed)
            .or_else(|| s.recipients.first().copied())
            .unwrap_or(member(1));
        let mut fetched =
            block_on(relay.fetch(s.id, addressee, now)).map(|b| decode_data(&b.data).unwrap());
        if let Err(RelayError::QuotaExceeded(_)) = fetched {
            // The share lists as many fetchers as it may, and not this addressee (the
            // recipients changed): read what a counted fetcher would get.
            let record = block_on(relay.record(&s.id)).unwrap().unwrap();
            let key = relay.kv_key(&s.id, record.generation);
            fetched = w
                .blobs
                .map
                .borrow()
                .get(&key)
                .cloned()
                .ok_or(RelayError::Retry("missing"));
        }
        if s.live {
            let bytes = fetched
                .map_err(|e| TestCaseError::fail(format!("status says live, fetch says {e:?}")))?;
            prop_assert!(
                accepted.iter().any(|(id, b)| *id == s.id && *b == bytes),
                "served bytes no accepted put brought"
            );
            prop_assert!(
                s.recipients.is_empty() || !s.recipients.iter().all(|r| s.ackers.contains(r)),
                "a complete share is still live"
            );
        } else {
            prop_assert_eq!(fetched, Err(RelayError::NotFound("share")));
        }
        prop_assert_eq!(s.fetch_count as usize, s.fetchers.len());
        prop_assert!(s.fetchers.len() <= w.limits.max_members_per_group);
        prop_assert!(s.ackers.len() <= w.limits.max_members_per_group);
        prop_assert!(s.receipts.len() <= s.ackers.len());
    }
    // KV holds exactly the bytes the index refers to: nothing lost, nothing orphaned.
    prop_assert_eq!(w.kv_keys(), w.referenced_keys());
    // The group's usage matches its records.
    let group = block_on(relay.group()).unwrap().unwrap();
    let held = block_on(relay.held_records()).unwrap();
    let retained = block_on(relay.retained_records()).unwrap();
    prop_assert_eq!(group.shares as usize, held.len());
    prop_assert_eq!(group.bytes, held.iter().map(|r| r.size).sum::<u64>());
    prop_assert_eq!(group.retained as usize, retained.len());
    prop_assert!(retained.len() <= w.limits.max_shares_per_group);
    Ok(())
}

fn collect_accepted(answers: &[Answer], accepted: &mut Vec<(ShareId, Vec<u8>)>) {
    for a in answers {
        if let Answer::Put(id, bytes, Ok(200 | 201)) = a {
            accepted.push((*id, bytes.clone()));
        }
    }
}

fn check_fetches(answers: &[Answer], accepted: &[(ShareId, Vec<u8>)]) -> Result<(), TestCaseError> {
    for a in answers {
        match a {
            Answer::Fetch(id, Ok(bytes)) => prop_assert!(
                accepted.iter().any(|(i, b)| i == id && b == bytes),
                "a fetch returned bytes no accepted put brought"
            ),
            Answer::Fetch(_, Err(e)) => prop_assert!(
                matches!(
                    e,
                    RelayError::NotFound(_) | RelayError::Retry(_) | RelayError::QuotaExceeded(_)
                ),
                "fetch answered {e:?}"
            ),
            Answer::Put(_, _, Err(e)) => prop_assert!(
                matches!(
                    e,
                    RelayError::Conflict(_)
                        | RelayError::Retry(_)
                        | RelayError::Unavailable(_)
                        | RelayError::QuotaExceeded(_)
                        | RelayError::Gone
                ),
                "put answered {e:?}"
            ),
            Answer::Other(Err(e)) => prop_assert!(false, "answered {e:?}"),
            _ => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Issue 13 #11: six puts of different bytes under one fresh id, racing fetches.
    #[test]
    fn racing_puts_of_other_bytes_never_leave_a_live_share_unreadable(seed: u64, named in any::<bool>()) {
        let rng = Seeded::new(seed);
        let w = World::registered(&rng, Limits::default());
        let relay = w.relay();
        let id = sid(1);
        let recipients: Vec<MemberId> = if named { vec![member(1), member(2)] } else { vec![] };
        let mut requests: Vec<Request<'_>> = Vec::new();
        for i in 0..6u8 {
            let bytes = vec![i % 3 + 1; 10 + usize::from(i % 3)];
            let req = put_req(&bytes, &recipients);
            let relay = &relay;
            requests.push(Box::pin(async move {
                Answer::Put(id, bytes, relay.put(id, req, 10).await.map(|(s, _)| s))
            }));
        }
        for _ in 0..4 {
            let relay = &relay;
            requests.push(Box::pin(async move {
                let r = relay.fetch(id, member(1), 10).await;
                Answer::Fetch(id, r.map(|b| decode_data(&b.data).unwrap()))
            }));
        }
        let answers = w.race(requests);
        let mut accepted = Vec::new();
        collect_accepted(&answers, &mut accepted);
        accepted.sort();
        accepted.dedup();
        prop_assert_eq!(accepted.len(), 1, "exactly one of the different byte strings wins");
        check_fetches(&answers, &accepted)?;
        check_settled(&w, &accepted, &[id], 10)?;
    }

    /// Many members, every route, KV failures and the alarm, racing over a few shares
    /// while time moves past TTLs, retention and the lifetime ceiling.
    #[test]
    fn racing_members_keep_every_invariant(seed: u64, kv_failures in any::<bool>()) {
        let rng = Seeded::new(seed);
        let limits = Limits {
            ttl_seconds: 10,
            receipt_retention_seconds: 25,
            max_share_lifetime_seconds: 40,
            max_members_per_group: 4,
            max_shares_per_group: 3,
            group_idle_seconds: 10_000,
            ..Limits::default()
        };
        let w = World::registered(&rng, limits);
        if kv_failures {
            w.blobs.fail_one_put_in.set(5);
        }
        let relay = w.relay();
        let ids: Vec<ShareId> = (1..=4).map(sid).collect();
        let members: Vec<MemberId> = (1..=6).map(member).collect();
        let mut accepted = Vec::new();
        let mut now = 1_000;
        for _burst in 0..10 {
            let mut requests: Vec<Request<'_>> = Vec::new();
            for _ in 0..12 {
                let id = ids[rng.below(ids.len() as u64) as usize];
                let m = members[rng.below(members.len() as u64) as usize];
                let relay = &relay;
                let t = now;
                match rng.below(10) {
                    0..=2 => {
                        let bytes = vec![id.as_bytes()[0]; 4 + rng.below(2) as usize];
                        let recipients = match rng.below(3) {
                            0 => vec![],
                            1 => members[..2].to_vec(),
                            _ => members[..5].to_vec(),
                        };
                        let req = put_req(&bytes, &recipients);
                        requests.push(Box::pin(async move {
                            Answer::Put(id, bytes, relay.put(id, req, t).await.map(|(s, _)| s))
                        }));
                    }
                    3..=4 => requests.push(Box::pin(async move {
                        let r = relay.fetch(id, m, t).await;
                        Answer::Fetch(id, r.map(|b| decode_data(&b.data).unwrap()))
                    })),
                    5..=6 => {
                        let receipt = Receipt::new(vec![m.as_bytes()[0]; 64 + rng.below(2) as usize]).unwrap();
                        let req = AckRequest {
                            member: m,
                            shares: vec![id, id, ids[0]],
                            receipts: vec![ShareReceipt { share: id, receipt }],
                        };
                        requests.push(Box::pin(async move {
                            Answer::Other(relay.ack(req, t).await.map(|_| ()))
                        }));
                    }
                    7 => requests.push(Box::pin(async move {
                        Answer::Other(relay.delete(id, t).await.map(|_| ()))
                    })),
                    8 => requests.push(Box::pin(async move {
                        Answer::Other(relay.sweep(t).await.map(|_| ()))
                    })),
                    _ => {
                        let q = PageQuery { after: None, limit: 10 };
                        requests.push(Box::pin(async move {
                            Answer::Other(relay.list(&m, q, t).await.map(|_| ()))
                        }));
                    }
                }
            }
            let answers = w.race(requests);
            collect_accepted(&answers, &mut accepted);
            check_fetches(&answers, &accepted)?;
            check_settled(&w, &accepted, &ids, now)?;
            now += rng.below(12_000);
        }
        // Long after: the alarm leaves nothing behind but the group.
        let later = now + 100_000;
        block_on(relay.sweep(later)).unwrap();
        block_on(relay.sweep(later)).unwrap();
        prop_assert!(w.kv_keys().is_empty());
        let left: Vec<String> = w.index.map.borrow().keys().cloned().collect();
        prop_assert_eq!(left, vec!["group".to_string()]);
    }
}
