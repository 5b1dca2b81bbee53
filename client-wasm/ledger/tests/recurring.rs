//! Recurring expenses: instances derived the same on every device from the series'
//! events and the day, month ends, one instance or the whole series edited, stops, and
//! hostile schedules bounded.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use gfms_ledger::{
    Error, Event, EventBody, EventId, Expense, GroupSettings, Ledger, MAX_INSTANCES,
    MAX_OCCURRENCES, MemberId, Recurring, SCHEMA_VERSION, Schedule, Split, Unit, Warning, balances,
    change, due, instance_id, new_event_id, with_due,
};
use proptest::prelude::*;

const ALICE: MemberId = MemberId([1; 16]);
const BOB: MemberId = MemberId([2; 16]);

fn id(n: u64) -> EventId {
    new_event_id(1_700_000_000_000 + n, [n as u8; 10])
}

fn flat() -> Ledger {
    let mut l = Ledger::default();
    let settings = GroupSettings {
        name: "Flat".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    l.record(ALICE, id(1), 0, change::create_group(settings).unwrap());
    // Each member joins by itself.
    for (n, (who, name)) in [(ALICE, "Alice"), (BOB, "Bob")].into_iter().enumerate() {
        let n = n as u64 + 2;
        l.record(who, id(n), n, change::join(who, name, None, 0).unwrap());
    }
    l
}

fn rent(amount: i64) -> Expense {
    Expense {
        title: "Rent".into(),
        amount,
        currency: "EUR".into(),
        payers: vec![(ALICE, amount)],
        split: Split::Equal {
            members: vec![ALICE, BOB],
        },
        category: "rent".into(),
        ..Default::default()
    }
}

fn monthly(start: &str) -> Schedule {
    Schedule {
        unit: Unit::Month,
        every: 1,
        start: start.into(),
        until: None,
        times: None,
    }
}

fn with_rent(l: &mut Ledger, start: &str) -> EventId {
    let body = gfms_ledger::add_recurring(
        &l.state(),
        Recurring {
            template: rent(80_000),
            schedule: monthly(start),
        },
    )
    .unwrap();
    l.record(ALICE, id(10), 10, body)
}

/// Rent on the 31st: one instance a month, on each month's last day when shorter, each
/// with an id from the series and the day; balances count the months due by today.
#[test]
fn rent_on_the_31st_falls_on_each_month_end_and_counts_in_balances() {
    let mut l = flat();
    let series = with_rent(&mut l, "2027-01-31");
    let s = l.state();
    let (instances, cut) = due(&s, "2027-04-30");
    assert!(cut.is_empty());
    let days: Vec<&str> = instances.iter().map(|i| i.date.as_str()).collect();
    assert_eq!(
        days,
        ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
    );
    assert!(
        instances
            .iter()
            .all(|i| i.id == instance_id(series, &i.date))
    );
    assert_eq!(instances[1].value.date, "2027-02-28");
    let on = with_due(&s, "2027-04-30");
    assert_eq!(on.expenses.len(), 4);
    let b = balances(&on);
    assert_eq!((b[&ALICE], b[&BOB]), (160_000, -160_000));
    assert!(
        with_due(&s, "2027-01-30").expenses.is_empty(),
        "nothing due yet"
    );
    assert!(
        s.expenses.is_empty(),
        "the state itself holds the series only"
    );
}

/// Two writers: two phones that both "see March come" agree on March, and there is
/// nothing to duplicate: the instance is no one's event.
#[test]
fn two_writers_never_create_the_same_month_twice() {
    let mut alice = flat();
    with_rent(&mut alice, "2027-01-31");
    let bob = alice.clone();
    let (a, _) = due(&alice.state(), "2027-03-31");
    let (b, _) = due(&bob.state(), "2027-03-31");
    assert_eq!(a, b);
    let mut merged = alice.clone();
    merged.merge(bob.events().cloned());
    assert_eq!(due(&merged.state(), "2027-03-31").0.len(), 3);
}

/// One instance (its own value, or skipped), the whole series from a day on, a stop.
#[test]
fn one_instance_or_the_whole_series_from_a_day_and_a_stop() {
    let mut l = flat();
    let series = with_rent(&mut l, "2027-01-31");
    let mut february = rent(60_000);
    february.note = "half month".into();
    let body =
        gfms_ledger::edit_instance(&l.state(), series, "2027-02-28", Some(february)).unwrap();
    l.record(BOB, id(11), 11, body);
    let body = gfms_ledger::edit_series(&l.state(), series, "2027-04-01", rent(90_000)).unwrap();
    l.record(ALICE, id(12), 12, body);
    let body = gfms_ledger::edit_instance(&l.state(), series, "2027-05-31", None).unwrap();
    l.record(ALICE, id(13), 13, body);
    let body = gfms_ledger::stop_recurring(&l.state(), series, "2027-07-01").unwrap();
    l.record(ALICE, id(14), 14, body);
    let (instances, _) = due(&l.state(), "2027-12-31");
    let got: Vec<(&str, i64, &str)> = instances
        .iter()
        .map(|i| (i.date.as_str(), i.value.amount, i.value.note.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("2027-01-31", 80_000, ""),
            ("2027-02-28", 60_000, "half month"),
            ("2027-03-31", 80_000, ""),
            ("2027-04-30", 90_000, ""),
            ("2027-06-30", 90_000, ""),
        ]
    );
    assert_eq!(
        l.state().recurring[&series].next_after("2027-06-30"),
        None,
        "stopped"
    );
}

/// Hostile input from a member: schedules that cannot work and instances on days the
/// series has none are refused with the reason.
/// The activity names each recurring event: set up, an instance changed (the fields
/// that differ from the template) or skipped, the series edited from a day and stopped;
/// an instance's history is its series' lines and its own.
#[test]
fn history_names_each_recurring_event_and_an_instance_has_its_series_lines() {
    let mut l = flat();
    let series = with_rent(&mut l, "2027-01-31");
    let s = l.state();
    let body = gfms_ledger::edit_instance(&s, series, "2027-02-28", Some(rent(85_000))).unwrap();
    l.record(BOB, id(11), 11, body);
    let body = gfms_ledger::edit_instance(&s, series, "2027-03-31", None).unwrap();
    l.record(BOB, id(12), 12, body);
    let body = gfms_ledger::edit_series(&s, series, "2027-04-30", rent(90_000)).unwrap();
    l.record(ALICE, id(13), 13, body);
    let body = gfms_ledger::stop_recurring(&s, series, "2027-06-01").unwrap();
    l.record(ALICE, id(14), 14, body);
    let lines: Vec<_> = gfms_ledger::activity(&l, None, 10)
        .into_iter()
        .map(|h| {
            let action = serde_json::to_value(h.action).unwrap();
            (h.what, action, h.changed, h.date)
        })
        .collect();
    let line = |what: &str, action: &str, changed: &[&str], date: Option<&str>| {
        (
            what.to_string(),
            serde_json::json!(action),
            changed.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            date.map(String::from),
        )
    };
    assert_eq!(
        lines,
        [
            line("series", "deleted", &[], Some("2027-06-01")),
            line(
                "series",
                "edited",
                &["amount", "payers"],
                Some("2027-04-30")
            ),
            line("instance", "deleted", &[], Some("2027-03-31")),
            line(
                "instance",
                "edited",
                &["amount", "payers"],
                Some("2027-02-28")
            ),
            line("series", "created", &[], None),
        ]
    );
    let feb = instance_id(series, "2027-02-28");
    let of_feb = gfms_ledger::instance_history(&l, series, feb);
    assert_eq!(
        of_feb.len(),
        4,
        "the series' three lines and February's own"
    );
    assert_eq!(of_feb[1].date.as_deref(), Some("2027-02-28"));
    assert_eq!(
        gfms_ledger::history(&l, series).len(),
        5,
        "the series: every line"
    );
}

#[test]
fn hostile_member_bad_schedules_are_refused_with_the_reason() {
    let mut l = flat();
    let series = with_rent(&mut l, "2027-01-31");
    let s = l.state();
    let add = |schedule: Schedule| {
        change_err(gfms_ledger::add_recurring(
            &s,
            Recurring {
                template: rent(100),
                schedule,
            },
        ))
    };
    let mut bad = monthly("2027-01-31");
    bad.until = Some("2026-01-01".into());
    assert_eq!(add(bad), "bad_recurring");
    let mut bad = monthly("2027-01-31");
    bad.times = Some(MAX_OCCURRENCES + 1);
    assert_eq!(add(bad), "bad_recurring");
    let mut bad = monthly("2027-01-31");
    bad.every = 0;
    assert_eq!(add(bad), "bad_recurring");
    assert_eq!(add(monthly("2027-02-30")), "bad_date");
    assert_eq!(add(monthly("3027-01-01")), "bad_date");
    assert_eq!(
        change_err(gfms_ledger::edit_instance(&s, series, "2027-02-27", None)),
        "bad_recurring"
    );
    assert_eq!(
        change_err(gfms_ledger::stop_recurring(&s, id(99), "2027-02-27")),
        "not_found"
    );
}

fn change_err(r: Result<EventBody, Error>) -> &'static str {
    r.map(|_| ()).unwrap_err().code()
}

fn raw(n: u64, lamport: u64, author: MemberId, body: EventBody) -> Event {
    Event {
        v: SCHEMA_VERSION,
        id: id(n),
        lamport,
        author,
        at_ms: 0,
        body,
    }
}

/// Hostile member: series written past the checks — every day for a thousand years, a
/// million times, from 1900 — each yield at most MAX_OCCURRENCES instances, the group at
/// most MAX_INSTANCES (the rest listed as a warning), and a schedule that cannot work is
/// not applied at all.
#[test]
fn hostile_member_every_day_for_a_thousand_years_is_bounded() {
    let mut l = flat();
    for n in 0..7 {
        let mut schedule = Schedule {
            unit: Unit::Day,
            every: 1,
            start: "1900-01-01".into(),
            until: Some("2900-01-01".into()),
            times: None,
        };
        if n == 6 {
            schedule.times = Some(1_000_000);
        }
        l.merge([raw(
            100 + n,
            20,
            BOB,
            EventBody::RecurringAdded {
                series: id(100 + n),
                value: Recurring {
                    template: rent(100),
                    schedule,
                },
            },
        )]);
    }
    let s = l.state();
    assert_eq!(
        s.recurring.len(),
        6,
        "the million-times schedule is not applied"
    );
    let on = with_due(&s, "2999-12-31");
    assert_eq!(
        on.expenses.len(),
        MAX_INSTANCES.min(6 * MAX_OCCURRENCES as usize)
    );
    let cut = on
        .warnings
        .iter()
        .filter(|w| matches!(w, Warning::Ignored { .. }))
        .count();
    assert!(cut >= 1, "{:?}", on.warnings);
}

/// One random recurring event on the shared series.
fn op() -> impl Strategy<Value = (u8, u64, u8, u16, u8)> {
    (0u8..2, 11u64..16, 0u8..4, 0u16..400, 0u8..5)
}

fn day(offset: u16) -> String {
    // 2027-01-01 plus `offset` days, through the public schedule (no calendar here).
    let s = gfms_ledger::Series {
        schedule: Schedule {
            unit: Unit::Day,
            every: 1,
            start: "2027-01-01".into(),
            until: None,
            times: None,
        },
        templates: vec![],
        overrides: Default::default(),
        stopped_from: None,
        created_by: ALICE,
    };
    s.days("2028-12-31")[usize::from(offset)].clone()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    /// Two writers, offline, in any order with duplicates: series edits, instance edits
    /// and stops give every device the same instances, no id twice, and only days the
    /// schedule has.
    #[test]
    fn two_writers_recurring_events_converge_and_never_duplicate(
        ops in proptest::collection::vec(op(), 0..16),
        unit in 0u8..4,
        seed in any::<u64>(),
    ) {
        let mut l = flat();
        let unit = [Unit::Day, Unit::Week, Unit::Month, Unit::Year][usize::from(unit)];
        let add = gfms_ledger::add_recurring(&l.state(), Recurring {
            template: rent(1000),
            schedule: Schedule { unit, every: 1 + u32::from(seed as u8 % 3), start: "2027-01-31".into(), until: None, times: None },
        }).unwrap();
        let series = l.record(ALICE, id(10), 10, add);
        let days = l.state().recurring[&series].days("2030-12-31");
        let events: Vec<Event> = ops.iter().enumerate().map(|(n, (author, lamport, kind, offset, amount))| {
            let author = [ALICE, BOB][usize::from(*author)];
            let on = days[usize::from(*offset) % days.len()].clone();
            let body = match kind {
                0 => EventBody::RecurringEdited { series, from: day(*offset), template: rent(1000 + i64::from(*amount)) },
                1 => EventBody::RecurringInstanceSet { series, date: on, value: (*amount > 0).then(|| rent(i64::from(*amount))) },
                2 => EventBody::RecurringStopped { series, from: day(*offset) },
                _ => EventBody::RecurringInstanceSet { series, date: on, value: None },
            };
            raw(200 + n as u64, *lamport, author, body)
        }).collect();
        let shuffled = common::shuffled(&events, seed);
        let mut a = l.clone();
        a.merge(events.clone());
        let mut b = l.clone();
        for chunk in shuffled.chunks(2) {
            b.merge(chunk.to_vec());
            b.merge(events.iter().take(2).cloned());
        }
        let (sa, sb) = (a.state(), b.state());
        prop_assert_eq!(&sa, &sb);
        let (ia, _) = due(&sa, "2030-12-31");
        prop_assert_eq!(&ia, &due(&sb, "2030-12-31").0);
        let ids: std::collections::BTreeSet<EventId> = ia.iter().map(|i| i.id).collect();
        prop_assert_eq!(ids.len(), ia.len(), "no instance twice");
        prop_assert!(ia.iter().all(|i| days.contains(&i.date) && i.value.date == i.date));
        let on = with_due(&sa, "2030-12-31");
        prop_assert_eq!(balances(&on).values().sum::<i64>(), 0);
    }
}
