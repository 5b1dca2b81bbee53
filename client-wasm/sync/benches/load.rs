//! The local costs of a large group, without relays: `Group::load`, `Group::save`, the
//! first `state()` of a loaded group, one tap (`add_expense` then `state()`, as the app
//! reads the state for its screen after every change) and a merge of the whole history
//! into a newcomer (the `Authors::admit` path a snapshot takes), at 1,000 and 10,000
//! signed events. Median of several runs; prints a markdown table that
//! `scripts/bench-state.sh` puts into docs/benchmarks.md. A measurement, never a test.

use std::hint::black_box;
use std::time::Instant;

use gfms_ledger::{Expense, GroupSettings, Split};
use gfms_sync::Group;

/// A group of one (Alice) whose ledger holds its 3 opening events and `expenses`
/// signed expenses.
fn history(expenses: usize) -> Group {
    let settings = GroupSettings {
        name: "Lisbon".into(),
        currency: "EUR".into(),
        categories: vec![],
        accounts: vec![],
    };
    let urls: Vec<String> = (0..3).map(|i| format!("https://r{i}.example")).collect();
    let mut g = Group::create(settings, "Alice", &urls, 2, 1).expect("create");
    let values = (0..expenses).map(|i| coffee(g.me(), i)).collect();
    g.add_expenses(values, 10).expect("add expenses");
    g
}

fn coffee(me: gfms_ledger::MemberId, i: usize) -> Expense {
    Expense {
        title: format!("Coffee {i}"),
        amount: 100 + i as i64,
        currency: "EUR".into(),
        payers: vec![(me, 100 + i as i64)],
        split: Split::Equal { members: vec![me] },
        date: "2026-12-01".into(),
        ..Expense::default()
    }
}

/// Median milliseconds of `runs` runs of `f`, each given a fresh input from `setup`
/// (not timed).
fn median_ms<T>(runs: usize, mut setup: impl FnMut() -> T, mut f: impl FnMut(T)) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let input = setup();
            let start = Instant::now();
            f(input);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    println!(
        "| events | `Group::load` | `Group::save` | `state()` after a load | a tap: `add_expense` + `state()` | a merge into a newcomer (`Authors::admit`) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for (expenses, runs) in [(1_000, 9), (10_000, 5)] {
        let mut alice = history(expenses);
        let saved = alice.save().expect("save");
        let events = alice.ledger().len();
        let load = median_ms(runs, || (), |()| _ = black_box(Group::load(&saved)));
        let save = median_ms(runs, || (), |()| _ = black_box(alice.save()));
        let loaded = || Group::load(&saved).expect("load");
        let state = median_ms(runs, loaded, |mut g| {
            _ = black_box(g.state().expenses.len())
        });
        // Taps on one loaded group whose state the screen has read already.
        let mut g = loaded();
        g.state();
        let (mut i, me) = (expenses, g.me());
        let tap = median_ms(
            runs.max(9),
            || {
                i += 1;
                coffee(me, i)
            },
            |value| {
                g.add_expense(value, 20).expect("tap");
                black_box(g.state().expenses.len());
            },
        );
        let invite = alice.invite();
        let stored: Vec<_> = alice.ledger().stored().cloned().collect();
        let merge = median_ms(
            runs,
            || {
                let bob = Group::join(&invite, "Bob", 30).expect("join");
                (bob, stored.clone())
            },
            |(mut bob, events)| _ = black_box(bob.merge_events(events)),
        );
        println!(
            "| {events} | {load:.1} ms | {save:.1} ms | {state:.1} ms | {tap:.2} ms | {merge:.1} ms |"
        );
    }
}
