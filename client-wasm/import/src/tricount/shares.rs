//! A Tricount row's `Paid by` and `Impacted to` cells, and the members a name points to.

use crate::Error;
use crate::cells::{MAX_NAME, amount, shown};
use crate::text::{Row, clean};

pub(super) fn mixed(line: u64) -> Error {
    Error::DoesNotAddUp {
        line,
        problem: "the row mixes positive and negative amounts".into(),
    }
}

/// A row's `Paid by` and `Impacted to` cells, read in a currency.
pub(super) struct Shares<'a> {
    pub row: &'a Row,
    pub header: &'a Row,
    pub members: usize,
    /// The sign of the row's amount; every cell carries it or is zero.
    pub sign: i64,
    /// The members the `Paid by` column names.
    pub named: &'a [usize],
}

impl Shares<'_> {
    /// Paid and impacted magnitudes in `currency`, each adding up to `total`. Paid cells
    /// all blank or zero mean the one named payer paid `total`.
    pub fn read(&self, currency: &str, total: i64) -> Result<(Vec<i64>, Vec<i64>), Error> {
        let (row, line, m) = (self.row, self.row.line, self.members);
        let cells = |from: usize| {
            (from..from + m)
                .map(|i| {
                    let v = amount(row, self.header, i, currency, true)?;
                    if v.signum() * self.sign < 0 {
                        return Err(mixed(line));
                    }
                    Ok(v.abs())
                })
                .collect::<Result<Vec<i64>, Error>>()
        };
        let (mut paid, impacted) = (cells(9)?, cells(9 + m)?);
        if paid.iter().all(|p| *p == 0) {
            match self.named {
                [p] => paid[*p] = total,
                [] => {
                    let problem = "nobody paid".into();
                    return Err(Error::Row { line, problem });
                }
                _ => {
                    let problem = format!("several members are called {:?}", row.cell(7));
                    return Err(Error::Row { line, problem });
                }
            }
        } else if !self.named.is_empty() && self.named.iter().all(|p| paid[*p] == 0) {
            return Err(Error::DoesNotAddUp {
                line,
                problem: format!("paid by {:?}, whose paid cell is zero", row.cell(7)),
            });
        }
        let sum = |v: &[i64]| v.iter().map(|x| i128::from(*x)).sum::<i128>();
        if sum(&paid) != i128::from(total) || sum(&impacted) != i128::from(total) {
            return Err(Error::DoesNotAddUp {
                line,
                problem: format!(
                    "paid cells add up to {}, impacted cells to {}, the amount is {}",
                    shown(sum(&paid), currency),
                    shown(sum(&impacted), currency),
                    shown(total.into(), currency)
                ),
            });
        }
        Ok((paid, impacted))
    }
}

/// The members called `name`: exactly, or else ignoring case.
pub(super) fn find(written: &[String], name: &str) -> Vec<usize> {
    let (name, _) = clean(name, MAX_NAME);
    let matching = |same: &dyn Fn(&String) -> bool| -> Vec<usize> {
        written
            .iter()
            .enumerate()
            .filter(|(_, w)| same(w))
            .map(|(i, _)| i)
            .collect()
    };
    let exact = matching(&|w| *w == name);
    if exact.is_empty() {
        matching(&|w| w.to_lowercase() == name.to_lowercase())
    } else {
        exact
    }
}
