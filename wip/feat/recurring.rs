//! Recurring expenses: a template and a schedule (every N days, weeks, months or years,
//! until a day or for a number of times). Instances are **materialised**: when one is
//! due (its day has come on the device writing it), a device writes it as an ordinary
//! `expense_added` whose expense id is derived from the rule's id and the day
//! ([`instance_id`]). Two devices that write the same month write the same expense id,
//! and the ledger keeps the first add of an id (in ledger order) and ignores the other:
//! one instance, whoever wrote it and whichever arrived first. Older versions see the
//! instances as plain expenses.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use crate::dates::{add_days, add_months, format, parse};
use crate::{Error, EventId, Expense, MemberId};

/// At most this many instances of one rule, ever (a daily rule for 2.7 years, a
/// monthly one for 83): a rule asking for more is refused, and one that arrives anyway
/// stops there.
pub const MAX_OCCURRENCES: u32 = 1000;

/// The longest step: every 1,000 days, weeks, months or years.
pub const MAX_EVERY: u32 = 1000;

/// The step of a schedule.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Every `every` days.
    Day,
    /// Every `every` weeks (the start's weekday).
    Week,
    /// Every `every` months, on the start's day of the month (or the month's last day
    /// when it is shorter: the 31st gives 30 April and 28 or 29 February).
    Month,
    /// Every `every` years, on the start's day (29 February gives 28 February in
    /// common years).
    Year,
}

fn one() -> u32 {
    1
}

/// When the instances fall.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The step's unit.
    pub unit: Unit,
    /// How many units between instances (1 to [`MAX_EVERY`]).
    #[serde(default = "one")]
    pub every: u32,
    /// The first instance's day, `YYYY-MM-DD`.
    pub start: String,
    /// The last day an instance may fall on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub until: Option<String>,
    /// How many instances in all (at most [`MAX_OCCURRENCES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub times: Option<u32>,
}

/// A recurring expense as written: the template of every instance and the schedule.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurring {
    /// What each instance records (its date is each instance's day).
    pub template: Expense,
    /// When.
    #[serde(flatten)]
    pub schedule: Schedule,
}

/// Which rule and day an expense is an instance of.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// The rule.
    pub rule: EventId,
    /// The instance's day.
    pub date: String,
}

/// A template from a day on: a series edit adds one.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateFrom {
    /// First day it applies to.
    pub from: String,
    /// The template.
    pub template: Expense,
}

/// A recurring rule as the state shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurringRule {
    /// When.
    #[serde(flatten)]
    pub schedule: Schedule,
    /// The templates, by the first day each applies to (ascending).
    pub templates: Vec<TemplateFrom>,
    /// No instances on or after this day (the series was stopped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub stopped_from: Option<String>,
    /// Who set it up.
    pub created_by: MemberId,
}

/// The id of the instance of `rule` on `date`: the same on every device, so two devices
/// that write the same instance write the same expense.
pub fn instance_id(rule: EventId, date: &str) -> EventId {
    let mut h = Sha256::new();
    h.update(b"gfms/recurring-instance/v1\0");
    h.update(rule.as_bytes());
    h.update(date.as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

impl Schedule {
    /// Checks the schedule can work: a real start day, a step of 1 to [`MAX_EVERY`], an
    /// end not before the start, at most [`MAX_OCCURRENCES`] instances.
    pub fn check(&self) -> Result<(), Error> {
        let start = parse(&self.start)?;
        if !(1..=MAX_EVERY).contains(&self.every) {
            return Err(Error::BadRecurring(format!(
                "the step must be 1 to {MAX_EVERY}, got {}",
                self.every
            )));
        }
        if let Some(until) = &self.until
            && parse(until)? < start
        {
            return Err(Error::BadRecurring(format!(
                "it ends ({until}) before it starts ({})",
                self.start
            )));
        }
        match self.times {
            Some(0) => Err(Error::BadRecurring("zero times".into())),
            Some(n) if n > MAX_OCCURRENCES => Err(Error::BadRecurring(format!(
                "at most {MAX_OCCURRENCES} instances, asked for {n}"
            ))),
            _ => Ok(()),
        }
    }

    /// The `n`-th instance's day (0 is the start), computed from the start so months
    /// never drift.
    fn nth(&self, start: Date, n: u32) -> Option<Date> {
        let steps = i64::from(n) * i64::from(self.every.clamp(1, MAX_EVERY));
        match self.unit {
            Unit::Day => add_days(start, steps),
            Unit::Week => add_days(start, steps * 7),
            Unit::Month => add_months(start, start.day(), steps),
            Unit::Year => add_months(start, start.day(), steps * 12),
        }
    }

    /// The instances' days up to `through` (inclusive) and before `stopped_from`, in
    /// order: never more than [`MAX_OCCURRENCES`], whatever the rule says.
    pub fn days(&self, through: &str, stopped_from: Option<&str>) -> Vec<String> {
        let (Ok(start), Ok(through)) = (parse(&self.start), parse(through)) else {
            return Vec::new();
        };
        let until = self.until.as_deref().and_then(|u| parse(u).ok());
        let stop = stopped_from.and_then(|s| parse(s).ok());
        let times = self.times.unwrap_or(MAX_OCCURRENCES).min(MAX_OCCURRENCES);
        let mut out = Vec::new();
        for n in 0..times {
            let Some(day) = self.nth(start, n) else {
                break;
            };
            if day > through || until.is_some_and(|u| day > u) || stop.is_some_and(|s| day >= s)
            {
                break;
            }
            out.push(format(day));
        }
        out
    }

    /// The first instance's day after `today`, if the series goes on.
    pub fn next_after(&self, today: &str, stopped_from: Option<&str>) -> Option<String> {
        let start = parse(&self.start).ok()?;
        let today = parse(today).ok()?;
        let until = self.until.as_deref().and_then(|u| parse(u).ok());
        let stop = stopped_from.and_then(|s| parse(s).ok());
        let times = self.times.unwrap_or(MAX_OCCURRENCES).min(MAX_OCCURRENCES);
        // A binary search would do; the bound keeps the walk short anyway.
        (0..times)
            .map_while(|n| self.nth(start, n))
            .take_while(|d| until.is_none_or(|u| *d <= u) && stop.is_none_or(|s| *d < s))
            .find(|d| *d > today)
            .map(format)
    }
}

impl RecurringRule {
    /// The template for an instance on `date`: the one with the latest `from` not after
    /// it.
    pub fn template_for(&self, date: &str) -> Option<&Expense> {
        self.templates
            .iter()
            .rev()
            .find(|t| t.from.as_str() <= date)
            .or(self.templates.first())
            .map(|t| &t.template)
    }

    /// The instance of this rule (id `rule`) on `date`, as it is written.
    pub fn instance(&self, rule: EventId, date: &str) -> Option<(EventId, Expense)> {
        let mut value = self.template_for(date)?.clone();
        value.date = date.to_string();
        value.instance = Some(Instance {
            rule,
            date: date.to_string(),
        });
        Some((instance_id(rule, date), value))
    }

    /// A series edit: `template` from `from` on, replacing templates from that day on.
    pub(crate) fn edit(&mut self, from: &str, template: Expense) {
        self.templates.retain(|t| t.from.as_str() < from);
        self.templates.push(TemplateFrom {
            from: from.to_string(),
            template,
        });
    }

    /// A stop: the earliest stop day wins, whatever order stops arrive in.
    pub(crate) fn stop(&mut self, from: &str) {
        if self.stopped_from.as_deref().is_none_or(|s| from < s) {
            self.stopped_from = Some(from.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(unit: Unit, start: &str) -> Schedule {
        Schedule {
            unit,
            every: 1,
            start: start.into(),
            until: None,
            times: None,
        }
    }

    #[test]
    fn monthly_on_the_31st_clamps_to_each_month_end() {
        let s = schedule(Unit::Month, "2027-01-31");
        assert_eq!(
            s.days("2027-05-31", None),
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2027-05-31"
            ]
        );
        assert_eq!(s.next_after("2027-02-01", None).as_deref(), Some("2027-02-28"));
    }

    #[test]
    fn ends_by_day_by_count_and_by_stop() {
        let mut s = schedule(Unit::Week, "2026-12-01");
        s.times = Some(3);
        assert_eq!(
            s.days("2027-12-31", None),
            ["2026-12-01", "2026-12-08", "2026-12-15"]
        );
        s.times = None;
        s.until = Some("2026-12-14".into());
        assert_eq!(s.days("2027-12-31", None), ["2026-12-01", "2026-12-08"]);
        s.until = None;
        assert_eq!(
            s.days("2027-12-31", Some("2026-12-08")),
            ["2026-12-01"],
            "no instance on or after the stop day"
        );
        assert_eq!(s.next_after("2026-12-01", Some("2026-12-08")), None);
    }

    /// Hostile input from a member: a rule of a million instances is refused, and one
    /// that arrives anyway yields at most MAX_OCCURRENCES.
    #[test]
    fn hostile_member_a_million_instances_are_bounded() {
        let mut s = schedule(Unit::Day, "1900-01-01");
        s.times = Some(1_000_000);
        assert!(matches!(s.check(), Err(Error::BadRecurring(_))));
        assert_eq!(s.days("2999-12-31", None).len(), MAX_OCCURRENCES as usize);
        s.times = None;
        s.every = u32::MAX;
        assert!(s.check().is_err());
        assert!(s.days("2999-12-31", None).len() <= MAX_OCCURRENCES as usize);
    }

    #[test]
    fn instance_ids_depend_on_rule_and_day_only() {
        let rule = EventId::from_u128(7);
        assert_eq!(instance_id(rule, "2027-01-31"), instance_id(rule, "2027-01-31"));
        assert_ne!(instance_id(rule, "2027-01-31"), instance_id(rule, "2027-02-28"));
        assert_ne!(
            instance_id(rule, "2027-01-31"),
            instance_id(EventId::from_u128(8), "2027-01-31")
        );
    }
}
