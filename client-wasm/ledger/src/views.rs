//! Read-only views over the state: statistics, filters and search. All amounts are in
//! the group currency (expenses converted at their own rate).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{EventId, Expense, MemberId, State};

/// The expense amount in the group currency, if it can be computed.
pub fn in_group_currency(state: &State, e: &Expense) -> Option<i64> {
    let group = &state.settings.as_ref()?.currency;
    if &e.currency == group {
        Some(e.amount)
    } else {
        e.rate
            .filter(|r| r.check().is_ok())
            .map(|r| r.convert(e.amount))
    }
}

/// Totals by one dimension.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    /// By category.
    pub by_category: BTreeMap<String, i64>,
    /// By month (`YYYY-MM`).
    pub by_month: BTreeMap<String, i64>,
    /// By shop.
    pub by_shop: BTreeMap<String, i64>,
    /// By account.
    pub by_account: BTreeMap<String, i64>,
    /// By payer (member id hex), what each paid.
    pub by_payer: BTreeMap<String, i64>,
    /// Everything.
    pub total: i64,
    /// Expenses left out: no rate to the group currency, or a total that would leave the
    /// exact range.
    #[serde(default)]
    pub uncounted: Vec<EventId>,
}

/// Spending statistics of the expenses that pass `filter`. Sums are checked: an expense
/// that cannot be converted, or that would carry a total past ±(2^53 − 1), is listed in
/// `uncounted` instead.
pub fn statistics(state: &State, filter: &Filter) -> Statistics {
    let mut s = Statistics::default();
    for (id, e) in filtered(state, filter) {
        let Some(amount) = in_group_currency(state, e) else {
            s.uncounted.push(*id);
            continue;
        };
        let payers: Vec<(MemberId, u64)> = e
            .payers
            .iter()
            .map(|(m, a)| (*m, a.unsigned_abs()))
            .collect();
        let paid = crate::split::distribute(amount, &payers).unwrap_or_default();
        let mut next = s.clone();
        let mut ok = true;
        let mut bump = |map: &mut BTreeMap<String, i64>, key: String, v: i64| {
            let slot = map.entry(key).or_default();
            match crate::bounds::add(*slot, v) {
                Some(sum) => *slot = sum,
                None => ok = false,
            }
        };
        bump(&mut next.by_category, e.category.clone(), amount);
        bump(
            &mut next.by_month,
            e.date.get(..7).unwrap_or(&e.date).to_string(),
            amount,
        );
        bump(&mut next.by_shop, e.shop.clone(), amount);
        bump(&mut next.by_account, e.account.clone(), amount);
        for (m, v) in paid {
            bump(&mut next.by_payer, m.to_string(), v);
        }
        match crate::bounds::add(next.total, amount) {
            Some(total) if ok => {
                next.total = total;
                s = next;
            }
            _ => s.uncounted.push(*id),
        }
    }
    s
}

/// Which expenses to show. Empty fields match everything.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Exact category.
    pub category: Option<String>,
    /// Exact shop.
    pub shop: Option<String>,
    /// Exact account.
    pub account: Option<String>,
    /// Paid by or shared with this member.
    pub member: Option<MemberId>,
    /// First day, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// Case-insensitive text in title, shop, category, account or note.
    pub text: Option<String>,
}

impl Filter {
    /// Whether `e` passes.
    pub fn matches(&self, e: &Expense) -> bool {
        let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        let involves = |m: &MemberId| {
            e.payers.iter().any(|(p, _)| p == m)
                || crate::split_amount(e.amount, &e.split)
                    .is_ok_and(|parts| parts.iter().any(|(p, _)| p == m))
        };
        eq(&self.category, &e.category)
            && eq(&self.shop, &e.shop)
            && eq(&self.account, &e.account)
            && self.member.as_ref().is_none_or(involves)
            && self.from.as_deref().is_none_or(|f| e.date.as_str() >= f)
            && self.to.as_deref().is_none_or(|t| e.date.as_str() <= t)
            && self.text.as_deref().is_none_or(|t| {
                let t = t.to_lowercase();
                [&e.title, &e.shop, &e.category, &e.account, &e.note]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&t))
            })
    }
}

/// The expenses passing `filter`, newest day first (then by id, newest first).
pub fn filtered<'a>(state: &'a State, filter: &Filter) -> Vec<(&'a EventId, &'a Expense)> {
    let mut out: Vec<_> = state
        .expenses
        .iter()
        .filter(|(_, e)| filter.matches(e))
        .collect();
    crate::order::sort_by(&mut out, |a, b| b.1.date.cmp(&a.1.date).then(b.0.cmp(a.0)));
    out
}
