//! Splitting an amount among members, exactly: the parts always sum to the amount.
//! Rounding is largest remainder, ties to the smaller member id, so every device
//! computes the same cents.

use serde::Serialize;

use crate::{Error, MemberId};

/// How an expense is shared.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)] // Deserialize: wire.rs
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Split {
    /// The same part for each member.
    Equal {
        /// Who shares.
        members: Vec<MemberId>,
    },
    /// Parts proportional to weights (2 shares pay twice as much as 1).
    Shares {
        /// Member and weight.
        weights: Vec<(MemberId, u32)>,
    },
    /// Exact parts in minor units; they must sum to the amount.
    Exact {
        /// Member and part.
        amounts: Vec<(MemberId, i64)>,
    },
    /// Percentages in basis points (1 % = 100); they must sum to 10,000.
    Percent {
        /// Member and basis points.
        basis_points: Vec<(MemberId, u32)>,
    },
}

/// Splits `amount` as `split` says; one part per member, sorted by member id.
pub fn split_amount(amount: i64, split: &Split) -> Result<Vec<(MemberId, i64)>, Error> {
    match split {
        Split::Equal { members } => {
            // A member listed twice is still one member: one part each.
            let mut once = members.clone();
            crate::order::sort_by(&mut once, Ord::cmp);
            once.dedup();
            distribute(amount, &once.iter().map(|m| (*m, 1)).collect::<Vec<_>>())
        }
        Split::Shares { weights } => distribute(
            amount,
            &weights
                .iter()
                .map(|(m, w)| (*m, u64::from(*w)))
                .collect::<Vec<_>>(),
        ),
        Split::Percent { basis_points } => {
            let total: u64 = basis_points.iter().map(|(_, b)| u64::from(*b)).sum();
            if total != 10_000 {
                return Err(Error::BadSplit(format!(
                    "percentages add up to {}.{:02} %",
                    total / 100,
                    total % 100
                )));
            }
            distribute(
                amount,
                &basis_points
                    .iter()
                    .map(|(m, b)| (*m, u64::from(*b)))
                    .collect::<Vec<_>>(),
            )
        }
        Split::Exact { amounts } => {
            let total = amounts
                .iter()
                .try_fold(0i64, |acc, (_, a)| acc.checked_add(*a));
            if total != Some(amount) {
                return Err(Error::BadSplit(
                    "exact parts do not add up to the amount".into(),
                ));
            }
            Ok(merge(amounts.iter().map(|(m, a)| (*m, *a)).collect()))
        }
    }
}

/// Distributes `total` in proportion to `weights` by largest remainder.
pub(crate) fn distribute(
    total: i64,
    weights: &[(MemberId, u64)],
) -> Result<Vec<(MemberId, i64)>, Error> {
    let weights: Vec<(MemberId, u64)> =
        merge(weights.iter().map(|(m, w)| (*m, *w as i64)).collect())
            .into_iter()
            .map(|(m, w)| (m, w as u64))
            .collect();
    let sum: u128 = weights.iter().map(|(_, w)| u128::from(*w)).sum();
    if weights.is_empty() || sum == 0 {
        return Err(Error::BadSplit("nobody to split among".into()));
    }
    let magnitude = u128::from(total.unsigned_abs());
    let mut parts: Vec<(MemberId, u128, u128)> = weights
        .iter()
        .map(|(m, w)| {
            (
                *m,
                magnitude * u128::from(*w) / sum,
                magnitude * u128::from(*w) % sum,
            )
        })
        .collect();
    let mut left = magnitude - parts.iter().map(|p| p.1).sum::<u128>();
    // Largest remainder first; ties to the smaller member id (the order `merge` sorted by).
    let mut order: Vec<usize> = (0..parts.len()).collect();
    crate::order::sort_by(&mut order, |&a, &b| {
        parts[b]
            .2
            .cmp(&parts[a].2)
            .then(parts[a].0.cmp(&parts[b].0))
    });
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    let sign = if total < 0 { -1 } else { 1 };
    Ok(parts
        .into_iter()
        .map(|(m, p, _)| (m, sign * p as i64))
        .collect())
}

/// Sums duplicate members and sorts by member id.
fn merge(mut items: Vec<(MemberId, i64)>) -> Vec<(MemberId, i64)> {
    crate::order::sort_by_key(&mut items, |(m, _)| *m);
    let mut out: Vec<(MemberId, i64)> = Vec::with_capacity(items.len());
    for (m, v) in items {
        match out.last_mut() {
            Some((last, sum)) if *last == m => *sum = sum.saturating_add(v),
            _ => out.push((m, v)),
        }
    }
    out
}

impl Default for Split {
    /// Nobody yet (not a valid split: the caller fills it in).
    fn default() -> Self {
        Split::Equal {
            members: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(b: u8) -> MemberId {
        MemberId([b; 16])
    }

    #[test]
    fn equal_split_gives_leftover_cents_deterministically() {
        let parts = split_amount(
            1000,
            &Split::Equal {
                members: vec![m(3), m(1), m(2)],
            },
        )
        .unwrap();
        assert_eq!(parts, vec![(m(1), 334), (m(2), 333), (m(3), 333)]);
        let refund = split_amount(
            -1000,
            &Split::Equal {
                members: vec![m(1), m(2), m(3)],
            },
        )
        .unwrap();
        assert_eq!(refund, vec![(m(1), -334), (m(2), -333), (m(3), -333)]);
    }

    #[test]
    fn shares_percent_and_exact() {
        let s = split_amount(
            900,
            &Split::Shares {
                weights: vec![(m(1), 2), (m(2), 1)],
            },
        )
        .unwrap();
        assert_eq!(s, vec![(m(1), 600), (m(2), 300)]);
        let p = split_amount(
            1001,
            &Split::Percent {
                basis_points: vec![(m(1), 5000), (m(2), 5000)],
            },
        )
        .unwrap();
        assert_eq!(p.iter().map(|x| x.1).sum::<i64>(), 1001);
        assert!(
            split_amount(
                100,
                &Split::Percent {
                    basis_points: vec![(m(1), 5000)]
                }
            )
            .is_err()
        );
        assert!(
            split_amount(
                100,
                &Split::Exact {
                    amounts: vec![(m(1), 60), (m(2), 30)]
                }
            )
            .is_err()
        );
        assert_eq!(
            split_amount(
                90,
                &Split::Exact {
                    amounts: vec![(m(2), 60), (m(1), 30)]
                }
            )
            .unwrap(),
            vec![(m(1), 30), (m(2), 60)]
        );
        assert!(split_amount(100, &Split::Equal { members: vec![] }).is_err());
        assert!(
            split_amount(
                100,
                &Split::Shares {
                    weights: vec![(m(1), 0)]
                }
            )
            .is_err()
        );
    }
}
