//! Recurring expenses (rent, subscriptions): a series is a template and a schedule
//! (every N days, weeks, months or years, from a start, until a day or for a number of
//! times). Its instances are **derived**, never written: every device computes the same
//! instances from the series' events and the day it asks about ([`with_due`]), each under
//! an id derived from the series and the occurrence day ([`instance_id`]). So two phones
//! never create the same month twice — nobody creates it; there is nothing to duplicate.
//!
//! What members write: a series (`recurring_added`), a new template from a day on
//! (`recurring_edited`, "the whole series from March"), one instance's own value or its
//! skipping (`recurring_instance_set`), a stop from a day on (`recurring_stopped`). All
//! are applied in ledger order; a stop is final (the earliest stop day wins).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::dates::{Day, parse};
use crate::{Error, EventId, Expense, MemberId, State, Warning};

mod events;
pub use events::{add_recurring, edit_instance, edit_series, stop_recurring};
pub(crate) use events::{apply, check_body};

/// At most this many instances of one series, whatever its schedule says (ten years of
/// a daily series; a monthly one is far below it).
pub const MAX_OCCURRENCES: u32 = 3660;

/// At most this many instances in one group's view: series past it (in id order) are
/// cut there and listed as a warning.
pub const MAX_INSTANCES: usize = 20_000;

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
    /// Every `every` months on the start's day, or the month's last day when it is
    /// shorter (the 31st gives 30 April and 28 or 29 February).
    Month,
    /// Every `every` years on the start's day (29 February: 28 February in common years).
    Year,
}

fn one() -> u32 {
    1
}

/// When a series' instances fall.
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

/// A recurring expense as written: each instance's value and the schedule.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurring {
    /// What each instance records (its `date` is each instance's day).
    pub template: Expense,
    /// When.
    pub schedule: Schedule,
}

/// A template from a day on (a whole-series edit adds one).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateFrom {
    /// The first day it applies to.
    pub from: String,
    /// The template.
    pub template: Expense,
}

/// A series as the state shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    /// When.
    pub schedule: Schedule,
    /// The templates by the first day each applies to, ascending (the first is the
    /// series' own, from its start).
    pub templates: Vec<TemplateFrom>,
    /// Instances with a value of their own, or skipped (`null`), by day.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, as = "Option<BTreeMap<String, Option<Expense>>>")
    )]
    pub overrides: BTreeMap<String, Option<Expense>>,
    /// No instances on or after this day: the series was stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub stopped_from: Option<String>,
    /// Who set it up.
    pub created_by: MemberId,
}

/// One derived instance.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// Its expense id ([`instance_id`]).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub id: EventId,
    /// The series.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub series: EventId,
    /// The occurrence day.
    pub date: String,
    /// Its value.
    pub value: Expense,
}

/// The expense id of `series`' instance on `date`: the same on every device, and never
/// an event's id (a UUIDv8 from SHA-256, where events are UUIDv7).
pub fn instance_id(series: EventId, date: &str) -> EventId {
    let mut h = Sha256::new();
    h.update(b"gfms/recurring-instance/v1\0");
    h.update(series.as_bytes());
    h.update(date.as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    EventId::from_bytes(bytes)
}

pub(crate) fn bad(why: String) -> Error {
    Error::BadRecurring(why)
}

impl Schedule {
    /// Checks the schedule can work: a real start day, a step of 1 to [`MAX_EVERY`], an
    /// end not before the start, 1 to [`MAX_OCCURRENCES`] instances.
    pub fn check(&self) -> Result<(), Error> {
        let start = parse(&self.start)?;
        if !(1..=MAX_EVERY).contains(&self.every) {
            return Err(bad(format!(
                "the step must be 1 to {MAX_EVERY}, got {}",
                self.every
            )));
        }
        if let Some(until) = &self.until
            && parse(until)? < start
        {
            return Err(bad(format!(
                "it ends ({until}) before it starts ({})",
                self.start
            )));
        }
        match self.times {
            Some(n) if n == 0 || n > MAX_OCCURRENCES => {
                Err(bad(format!("1 to {MAX_OCCURRENCES} instances, not {n}")))
            }
            _ => Ok(()),
        }
    }

    /// The `n`-th instance's day (0 is the start), computed from the start so months
    /// never drift.
    fn nth(&self, start: Day, n: u32) -> Option<Day> {
        let steps = i64::from(n) * i64::from(self.every.clamp(1, MAX_EVERY));
        match self.unit {
            Unit::Day => start.add_days(steps),
            Unit::Week => start.add_days(steps * 7),
            Unit::Month => start.add_months(start.day, steps),
            Unit::Year => start.add_months(start.day, steps * 12),
        }
    }

    /// The instances' days in order, while `keep` says so: never more than
    /// [`MAX_OCCURRENCES`], nor past `until`, `times` or the stop day.
    fn walk(&self, stop: Option<Day>, mut keep: impl FnMut(Day) -> bool) {
        let Ok(start) = parse(&self.start) else {
            return;
        };
        let until = self.until.as_deref().and_then(|u| parse(u).ok());
        let times = self.times.unwrap_or(MAX_OCCURRENCES).min(MAX_OCCURRENCES);
        for n in 0..times {
            match self.nth(start, n) {
                Some(d) if until.is_none_or(|u| d <= u) && stop.is_none_or(|s| d < s) => {
                    if !keep(d) {
                        return;
                    }
                }
                _ => return,
            }
        }
    }
}

impl Series {
    fn stop(&self) -> Option<Day> {
        self.stopped_from.as_deref().and_then(|s| parse(s).ok())
    }

    /// The instances' days up to `through` (inclusive), in order.
    pub fn days(&self, through: &str) -> Vec<String> {
        let Ok(through) = parse(through) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.schedule.walk(self.stop(), |d| {
            d <= through && {
                out.push(d.to_string());
                true
            }
        });
        out
    }

    /// The first instance's day after `today`, if the series goes on.
    pub fn next_after(&self, today: &str) -> Option<String> {
        let today = parse(today).ok()?;
        let mut next = None;
        self.schedule.walk(self.stop(), |d| {
            if d > today {
                next = Some(d.to_string());
            }
            next.is_none()
        });
        next
    }

    /// Whether an instance falls on `date` (stopped or not).
    pub(crate) fn falls_on(&self, date: &str) -> bool {
        let Ok(day) = parse(date) else {
            return false;
        };
        let mut found = false;
        self.schedule.walk(None, |d| {
            found = d == day;
            d < day
        });
        found
    }

    /// The value of the instance on `date` (before placeholders are followed): its own
    /// value, or the template in force that day with the day as its date; `None` when
    /// skipped.
    pub fn value_on(&self, date: &str) -> Option<Expense> {
        if let Some(own) = self.overrides.get(date) {
            return own.clone().map(|mut v| {
                v.date = date.to_string();
                v
            });
        }
        let t = self
            .templates
            .iter()
            .rev()
            .find(|t| t.from.as_str() <= date)
            .or(self.templates.first())?;
        let mut value = t.template.clone();
        value.date = date.to_string();
        Some(value)
    }
}

/// The instances due on `today` (on or before it), every series in id order, each
/// series' in day order; at most [`MAX_INSTANCES`] in all (the second value lists the
/// series cut short).
pub fn due(state: &State, today: &str) -> (Vec<Instance>, Vec<EventId>) {
    let mut out = Vec::new();
    let mut cut = Vec::new();
    for (series, s) in &state.recurring {
        for date in s.days(today) {
            if out.len() == MAX_INSTANCES {
                cut.push(*series);
                break;
            }
            if let Some(mut value) = s.value_on(&date) {
                crate::placeholder::follow_expense(&mut value, |m| {
                    crate::placeholder::resolve(state, m)
                });
                out.push(Instance {
                    id: instance_id(*series, &date),
                    series: *series,
                    date,
                    value,
                });
            }
        }
    }
    (out, cut)
}

/// Which series an instance belongs to, and its day: what the app's `state().instances`
/// holds for each instance (by expense id), and how `history` finds an instance's series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceOf {
    /// The series.
    pub series: EventId,
    /// The occurrence day.
    pub date: String,
}

/// The instances due on `today` (as [`due`]) by expense id, each with its series and
/// day; none when `today` is not a day (the app has not said which day it is).
// Inlined where the facades call it, as their own copies were: out of line it made the
// first-screen and client modules ~250 B larger gzipped (same code, a worse layout).
#[inline]
pub fn due_instances(state: &State, today: &str) -> BTreeMap<EventId, InstanceOf> {
    if parse(today).is_err() {
        return BTreeMap::new();
    }
    due(state, today)
        .0
        .into_iter()
        .map(|i| {
            let of = InstanceOf {
                series: i.series,
                date: i.date,
            };
            (i.id, of)
        })
        .collect()
}

/// The state as it stands on `today`: the recurring instances due by then are among its
/// expenses (so the expense list, balances, statistics and settle-up count them).
pub fn with_due(state: &State, today: &str) -> State {
    let mut s = state.clone();
    add_due(&mut s, today);
    s
}

/// [`with_due`] in place: the instances due on `today` join `state`'s expenses. (The
/// app's client calls it on a state of its own, so the wasm holds no copy of `State`.)
pub fn add_due(state: &mut State, today: &str) {
    let (instances, cut) = due(state, today);
    for i in instances {
        state.expenses.insert(i.id, i.value);
    }
    state
        .warnings
        .extend(cut.into_iter().map(|event| Warning::Ignored {
            event,
            reason: format!("a recurring series past the group's {MAX_INSTANCES} instances"),
        }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(unit: Unit, start: &str) -> Series {
        Series {
            schedule: Schedule {
                unit,
                every: 1,
                start: start.into(),
                until: None,
                times: None,
            },
            templates: vec![TemplateFrom {
                from: start.into(),
                template: Expense::default(),
            }],
            overrides: BTreeMap::new(),
            stopped_from: None,
            created_by: MemberId([1; 16]),
        }
    }

    #[test]
    fn monthly_on_the_31st_falls_on_each_month_end() {
        let s = series(Unit::Month, "2027-01-31");
        assert_eq!(
            s.days("2027-05-31"),
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2027-05-31"
            ]
        );
        assert_eq!(s.next_after("2027-02-01").as_deref(), Some("2027-02-28"));
        assert!(s.falls_on("2027-04-30") && !s.falls_on("2027-04-29"));
        let leap = series(Unit::Year, "2028-02-29");
        assert_eq!(
            leap.days("2032-03-01"),
            [
                "2028-02-29",
                "2029-02-28",
                "2030-02-28",
                "2031-02-28",
                "2032-02-29"
            ]
        );
    }

    #[test]
    fn ends_by_day_by_count_and_by_stop() {
        let mut s = series(Unit::Week, "2026-12-01");
        s.schedule.times = Some(3);
        assert_eq!(
            s.days("2027-12-31"),
            ["2026-12-01", "2026-12-08", "2026-12-15"]
        );
        s.schedule.times = None;
        s.schedule.until = Some("2026-12-14".into());
        assert_eq!(s.days("2027-12-31"), ["2026-12-01", "2026-12-08"]);
        s.schedule.until = None;
        s.stopped_from = Some("2026-12-08".into());
        assert_eq!(
            s.days("2027-12-31"),
            ["2026-12-01"],
            "none on or after the stop"
        );
        assert_eq!(s.next_after("2026-12-01"), None);
        assert!(
            s.falls_on("2026-12-15"),
            "a stopped series' days are still its days"
        );
    }

    /// Hostile member: every day for 1,000 years, or a million times, is refused when
    /// written and, arriving anyway, yields at most MAX_OCCURRENCES instances.
    #[test]
    fn hostile_member_every_day_for_a_thousand_years_is_bounded() {
        let mut s = series(Unit::Day, "1900-01-01");
        s.schedule.until = Some("2900-01-01".into());
        assert_eq!(s.days("2999-12-31").len(), MAX_OCCURRENCES as usize);
        s.schedule.times = Some(1_000_000);
        assert!(matches!(s.schedule.check(), Err(Error::BadRecurring(_))));
        assert_eq!(s.days("2999-12-31").len(), MAX_OCCURRENCES as usize);
        s.schedule.times = None;
        s.schedule.every = u32::MAX;
        assert!(s.schedule.check().is_err());
        assert!(s.days("2999-12-31").len() <= MAX_OCCURRENCES as usize);
        assert_eq!(s.next_after("2999-12-31"), None);
    }

    #[test]
    fn instance_ids_depend_on_series_and_day_only_and_are_never_event_ids() {
        let a = EventId::from_u128(7);
        assert_eq!(instance_id(a, "2027-01-31"), instance_id(a, "2027-01-31"));
        assert_ne!(instance_id(a, "2027-01-31"), instance_id(a, "2027-02-28"));
        assert_ne!(
            instance_id(a, "2027-01-31"),
            instance_id(EventId::from_u128(8), "2027-01-31")
        );
        assert_eq!(instance_id(a, "2027-01-31").get_version_num(), 8);
    }

    #[test]
    fn due_instances_name_each_instance_series_and_day() {
        let a = EventId::from_u128(7);
        let mut state = State::default();
        state.recurring.insert(a, series(Unit::Month, "2027-01-31"));
        let of = |date: &str| {
            let of = InstanceOf {
                series: a,
                date: date.into(),
            };
            (instance_id(a, date), of)
        };
        assert_eq!(
            due_instances(&state, "2027-03-30"),
            BTreeMap::from([of("2027-01-31"), of("2027-02-28")]),
            "the instances due by 30 March, not the 31st's"
        );
        assert!(
            due_instances(&state, "").is_empty(),
            "no day given: no instances"
        );
    }
}
