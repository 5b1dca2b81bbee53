//! Changing an expense's amount without breaking it: the payers and exact parts are
//! scaled in proportion so they still add up, instead of refusing the edit because "the
//! parts must add up".

use crate::split::distribute;
use crate::{Error, Expense, MemberId, Split};

/// The expense with a new amount, its payers and exact parts scaled to it in proportion
/// (largest remainder, ties to the smaller member id), so they add up exactly. Equal,
/// shares and percent splits need nothing. An itemized bill changes through its items,
/// not here.
pub fn rescale(expense: &Expense, amount: i64) -> Result<Expense, Error> {
    if expense.items.is_some() {
        return Err(Error::BadItems(
            "an itemized bill's amount follows its items: change an item".into(),
        ));
    }
    if !crate::bounds::amount_ok(amount) {
        return Err(Error::OutOfBounds(
            "the amount is beyond the largest the app handles (10^13 minor units)".into(),
        ));
    }
    let mut out = expense.clone();
    out.amount = amount;
    out.payers = scale_parts(&expense.payers, amount)?;
    if let Split::Exact { amounts } = &expense.split {
        out.split = Split::Exact {
            amounts: scale_parts(amounts, amount)?,
        };
    }
    Ok(out)
}

/// `parts` scaled to add up to `amount`, in proportion to their sizes (largest
/// remainder, ties to the smaller member id); equally when they are all zero.
pub(crate) fn scale_parts(
    parts: &[(MemberId, i64)],
    amount: i64,
) -> Result<Vec<(MemberId, i64)>, Error> {
    let weights: Vec<(MemberId, u64)> = if parts.iter().all(|(_, a)| *a == 0) {
        // Nothing to be proportional to: share it equally.
        parts.iter().map(|(m, _)| (*m, 1)).collect()
    } else {
        parts.iter().map(|(m, a)| (*m, a.unsigned_abs())).collect()
    };
    distribute(amount, &weights)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{exact, m};

    #[test]
    fn rescaling_an_exact_split_keeps_it_exact() {
        let e = rescale(&exact(), 1001).unwrap();
        assert_eq!(e.payers, vec![(m(1), 601), (m(2), 400)]);
        let Split::Exact { amounts } = &e.split else {
            panic!("still exact")
        };
        assert_eq!(amounts.iter().map(|p| p.1).sum::<i64>(), 1001);
        assert!(e.validate("EUR").is_ok());
        let refund = rescale(&exact(), -500).unwrap();
        assert!(refund.validate("EUR").is_ok());
        assert!(rescale(&exact(), i64::MAX).is_err());
    }
}
