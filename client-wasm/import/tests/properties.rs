//! Property tests: any group the ledger can hold, exported in Splitwise's shape and read
//! back, has the same balances; and no sequence of bytes makes the parsers panic.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use gfms_import::{Import, Options, export_splitwise, parse, parse_splitwise, parse_tricount};
use gfms_ledger::{
    Expense, GroupSettings, Member, MemberId, MemberStatus, Rate, Settlement, Split, State,
    balances, new_event_id,
};
use proptest::prelude::*;

const GROUP: &str = "EUR";
const CURRENCIES: [&str; 4] = ["EUR", "JPY", "KWD", "USD"];

fn id(i: usize) -> MemberId {
    MemberId([i as u8 + 1; 16])
}

/// Names a member could type: plain, repeated, formulas, quotes, separators, newlines,
/// right-to-left text, emoji, empty.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{0,8}",
        Just("Alex".to_owned()),
        Just("=1+2".to_owned()),
        Just("-Bob".to_owned()),
        Just("@ann".to_owned()),
        Just("Mc\"Q\", Jr.;".to_owned()),
        Just("two\nlines".to_owned()),
        Just("سارا".to_owned()),
        Just("🎉".to_owned()),
        Just(String::new()),
    ]
}

/// `total` cut into `k` parts of the same sign.
fn cut(total: i64, k: usize, seed: &[u16]) -> Vec<i64> {
    let weights: Vec<i64> = (0..k)
        .map(|i| i64::from(seed[i % seed.len()]) + 1)
        .collect();
    let sum: i64 = weights.iter().sum();
    let mut parts: Vec<i64> = weights.iter().map(|w| total / sum * w).collect();
    let left = total - parts.iter().sum::<i64>();
    parts[0] += left;
    parts
}

#[derive(Debug, Clone)]
struct Shape {
    amount: i64,
    currency: usize,
    payers: Vec<usize>,
    split_kind: u8,
    sharers: Vec<usize>,
    seed: Vec<u16>,
    day: u8,
}

fn shape(members: usize) -> impl Strategy<Value = Shape> {
    (
        prop_oneof![4 => 1i64..2_000_000, 1 => -50_000i64..0, 1 => Just(0i64)],
        0..CURRENCIES.len(),
        prop::collection::vec(0..members, 1..=3),
        0u8..4,
        prop::collection::vec(0..members, 1..=members),
        prop::collection::vec(0u16..100, 1..6),
        1u8..28,
    )
        .prop_map(
            |(amount, currency, payers, split_kind, sharers, seed, day)| Shape {
                amount,
                currency,
                payers,
                split_kind,
                sharers,
                seed,
                day,
            },
        )
}

fn expense(s: &Shape) -> Expense {
    let currency = CURRENCIES[s.currency];
    let mut payers: Vec<usize> = s.payers.clone();
    payers.dedup();
    let paid = cut(s.amount, payers.len(), &s.seed);
    let members: Vec<MemberId> = s.sharers.iter().map(|i| id(*i)).collect();
    let split = match s.split_kind {
        0 => Split::Equal { members },
        1 => Split::Shares {
            weights: members
                .iter()
                .enumerate()
                .map(|(k, m)| (*m, u32::from(s.seed[k % s.seed.len()]) + 1))
                .collect(),
        },
        2 => Split::Exact {
            amounts: members
                .iter()
                .copied()
                .zip(cut(s.amount, members.len(), &s.seed))
                .collect(),
        },
        _ => Split::Percent {
            basis_points: members
                .iter()
                .copied()
                .zip(
                    cut(10_000, members.len(), &s.seed)
                        .into_iter()
                        .map(|b| b as u32),
                )
                .collect(),
        },
    };
    Expense {
        title: String::new(),
        amount: s.amount,
        currency: currency.into(),
        rate: (currency != GROUP).then_some(Rate {
            numerator: 1 + i64::from(s.seed[0]),
            denominator: 7,
        }),
        category: ["Food", "Payment", "=cmd", ""][usize::from(s.seed[0]) % 4].into(),
        shop: ["Bakery", "-5% off", "", "x,y"][usize::from(s.seed[0]) % 4].into(),
        account: String::new(),
        payers: payers.into_iter().map(id).zip(paid).collect(),
        split,
        date: format!("2024-03-{:02}", s.day),
        note: String::new(),
        ..Default::default()
    }
}

fn group() -> impl Strategy<Value = State> {
    (1usize..7).prop_flat_map(|m| {
        (
            prop::collection::vec(name(), m),
            prop::collection::vec(shape(m), 0..25),
            prop::collection::vec((0..m, 0..m, -5_000i64..100_000, 0..CURRENCIES.len()), 0..6),
        )
            .prop_map(|(names, shapes, settlements)| {
                let mut state = State {
                    settings: Some(GroupSettings {
                        name: "trip".into(),
                        currency: GROUP.into(),
                        categories: vec![],
                        accounts: vec![],
                    }),
                    ..State::default()
                };
                for (i, n) in names.into_iter().enumerate() {
                    let status = MemberStatus::Active;
                    state.members.insert(
                        id(i),
                        Member {
                            name: n,
                            status,
                            placeholder: false,
                            claimed_by: None,
                        },
                    );
                }
                for (k, s) in shapes.iter().enumerate() {
                    let key = new_event_id(1_700_000_000_000 + k as u64, [k as u8; 10]);
                    state.expenses.insert(key, expense(s));
                }
                for (k, (from, to, amount, c)) in settlements.into_iter().enumerate() {
                    let key = new_event_id(1_800_000_000_000 + k as u64, [k as u8; 10]);
                    let currency = CURRENCIES[c];
                    let settlement = Settlement {
                        from: id(from),
                        to: id(to),
                        amount,
                        currency: currency.into(),
                        rate: (currency != GROUP).then_some(Rate {
                            numerator: 3,
                            denominator: 2,
                        }),
                        date: "2024-04-01".into(),
                        import_id: String::new(),
                    };
                    state.settlements.insert(key, settlement);
                }
                state
            })
    })
}

/// The ledger's balances for the part of `state` in `currency`, as if it were the
/// group's currency: what Splitwise's per-currency `Total balance` row must say.
fn ledger_balances_in(state: &State, currency: &str) -> Vec<i64> {
    let mut part = state.clone();
    if let Some(s) = part.settings.as_mut() {
        s.currency = currency.into();
    }
    part.expenses.retain(|_, e| e.currency == currency);
    part.settlements.retain(|_, s| s.currency == currency);
    balances(&part).into_values().collect()
}

fn round_trip(state: &State) -> Import {
    let csv = export_splitwise(state);
    parse_splitwise(csv.as_bytes(), &Options::default()).unwrap_or_else(|e| panic!("{e}\n{csv}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Export, import: every member's balance per currency is the ledger's, the file's
    /// Total balance rows agree with the rebuild, and the members come back in order.
    #[test]
    fn any_group_exported_to_splitwise_and_read_back_keeps_its_balances(state in group()) {
        let import = round_trip(&state);
        prop_assert!(import.is_balanced(), "{:?}", import.differences);
        prop_assert_eq!(import.members.len(), state.members.len());
        for currency in CURRENCIES {
            let want = ledger_balances_in(&state, currency);
            let got = import
                .balances_rebuilt
                .get(currency)
                .cloned()
                .unwrap_or_else(|| vec![0; want.len()]);
            prop_assert_eq!(got, want, "{}", currency);
        }
        for e in &import.expenses {
            prop_assert_eq!(e.payers.iter().map(|p| p.1).sum::<i64>(), e.amount);
            prop_assert_eq!(e.parts.iter().map(|p| p.1).sum::<i64>(), e.amount);
        }
    }

    /// In a group with one currency, the imported balances are the ledger's own balances
    /// of the original group.
    #[test]
    fn a_one_currency_group_comes_back_with_the_ledgers_balances(mut state in group()) {
        state.expenses.retain(|_, e| e.currency == GROUP);
        state.settlements.retain(|_, s| s.currency == GROUP);
        let import = round_trip(&state);
        let want: Vec<i64> = balances(&state).into_values().collect();
        let got = import.balances_rebuilt.get(GROUP).cloned();
        let got = got.unwrap_or_else(|| vec![0; want.len()]);
        prop_assert_eq!(got, want);
    }

    /// Exporting again what was imported gives the same file's balances: the rebuilt
    /// expenses are ledger expenses the export accepts.
    #[test]
    fn an_import_written_back_as_ledger_values_exports_the_same_totals(state in group()) {
        let import = round_trip(&state);
        let ids: Vec<MemberId> = (0..import.members.len()).map(id).collect();
        let mut again = State { settings: state.settings.clone(), ..State::default() };
        for (i, n) in import.members.iter().enumerate() {
            let status = MemberStatus::Active;
            again.members.insert(ids[i], Member { name: n.clone(), status, placeholder: false, claimed_by: None });
        }
        for (k, e) in import.expenses.iter().enumerate() {
            let mut e = e.to_expense(&ids).unwrap();
            e.rate = (e.currency != GROUP).then_some(Rate { numerator: 1, denominator: 1 });
            again.expenses.insert(new_event_id(k as u64, [1; 10]), e);
        }
        for (k, t) in import.transfers.iter().enumerate() {
            let mut s = t.to_settlement(&ids).unwrap();
            s.rate = (s.currency != GROUP).then_some(Rate { numerator: 1, denominator: 1 });
            again.settlements.insert(new_event_id(k as u64, [2; 10]), s);
        }
        let second = round_trip(&again);
        // A currency whose rows all net to zero may vanish (such rows change nothing).
        let moving = |b: &BTreeMap<String, Vec<i64>>| -> BTreeMap<String, Vec<i64>> {
            b.iter()
                .filter(|(_, v)| v.iter().any(|x| *x != 0))
                .map(|(c, v)| (c.clone(), v.clone()))
                .collect()
        };
        prop_assert_eq!(moving(&second.balances_expected), moving(&import.balances_expected));
    }

    /// A hostile file: any bytes. The parsers return a value or an error, never panic.
    #[test]
    fn hostile_file_of_arbitrary_bytes_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let options = Options::default();
        let _ = parse(&bytes, &options);
        let _ = parse_splitwise(&bytes, &options);
        let _ = parse_tricount(&bytes, &options);
    }

    /// A hostile file: a real export with bytes changed, inserted or cut. Never a panic;
    /// whatever is accepted is whole (every expense's payers and parts add up).
    #[test]
    fn hostile_file_mutated_from_a_real_export_never_panics_or_half_imports(
        which in 0usize..FIXTURES.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes = FIXTURES[which].to_vec();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => bytes.truncate(i),
            }
        }
        let options = Options::default();
        let results = [parse(&bytes, &options), parse_tricount(&bytes, &options)];
        for import in results.into_iter().flatten() {
            let members = import.members.len();
            for e in &import.expenses {
                prop_assert_eq!(e.payers.iter().map(|p| p.1).sum::<i64>(), e.amount);
                prop_assert_eq!(e.parts.iter().map(|p| p.1).sum::<i64>(), e.amount);
                prop_assert!(e.payers.iter().chain(&e.parts).all(|(m, _)| *m < members));
            }
            for t in &import.transfers {
                prop_assert!(t.from < members && t.to < members);
            }
        }
    }
}

const FIXTURES: [&[u8]; 4] = [
    include_bytes!("../../../tests/fixtures/import/splitwise-multi-currency.csv"),
    include_bytes!("../../../tests/fixtures/import/splitwise-translated-de.csv"),
    include_bytes!("../../../tests/fixtures/import/tricount-trip.csv"),
    include_bytes!("../../../tests/fixtures/import/tricount-semicolon.csv"),
];
