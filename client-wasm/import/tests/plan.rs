//! Planning an import into a group: who each person is, stable import ids, what the
//! group already has, and the rates still missing.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use gfms_import::{
    Error, GroupMember, GroupView, Match, Options, Plan, PlanOptions, parse_splitwise, plan,
};
use gfms_ledger::MemberId;

const FILE: &str = "Date,Description,Category,Cost,Currency,Ann,Bob,Carol
2024-03-01,Hotel,Lodging,300.00,EUR,200.00,-100.00,-100.00
2024-03-02,Coffee,Food,6.00,EUR,4.00,-2.00,-2.00
2024-03-02,Coffee,Food,6.00,EUR,4.00,-2.00,-2.00
2024-03-03,Taxi,Transport,9.00,USD,-3.00,6.00,-3.00
2024-03-06,Bob paid Ann,Payment,50.00,EUR,-50.00,50.00,0.00
";

/// The same history, columns in another order, `;` and decimal commas: a re-export.
const REORDERED: &str = "Date;Description;Category;Cost;Currency;Carol;Ann;Bob
2024-03-01;Hotel;Lodging;300,00;EUR;-100,00;200,00;-100,00
2024-03-02;Coffee;Food;6,00;EUR;-2,00;4,00;-2,00
2024-03-02;Coffee;Food;6,00;EUR;-2,00;4,00;-2,00
2024-03-03;Taxi;Transport;9,00;USD;-3,00;-3,00;6,00
2024-03-06;Bob paid Ann;Payment;50,00;EUR;0,00;-50,00;50,00
";

fn ann() -> MemberId {
    MemberId([1; 16])
}

fn group() -> GroupView {
    GroupView {
        currency: "EUR".into(),
        members: vec![GroupMember {
            id: ann(),
            name: "ann".into(),
        }],
        import_ids: BTreeSet::new(),
    }
}

fn planned(text: &str, group: &GroupView, options: &PlanOptions) -> Result<Plan, Error> {
    plan(
        &parse_splitwise(text.as_bytes(), &Options::default())?,
        group,
        options,
    )
}

fn ids(p: &Plan) -> BTreeSet<String> {
    p.expenses
        .iter()
        .map(|e| e.import_id.clone())
        .chain(p.transfers.iter().map(|t| t.import_id.clone()))
        .collect()
}

#[test]
fn people_match_members_by_name_or_become_placeholders() {
    let p = planned(FILE, &group(), &PlanOptions::default()).unwrap();
    let matched: Vec<_> = p
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.member, m.matched))
        .collect();
    assert_eq!(
        matched,
        vec![
            ("Ann", Some(ann()), Match::SameName),
            ("Bob", None, Match::New),
            ("Carol", None, Match::New),
        ]
    );
    assert_eq!(p.missing_rates, vec!["USD".to_string()]);
    let w = p.writes().unwrap();
    assert_eq!((w.members[0], w.names[0].as_str()), (ann(), ""));
    assert_eq!(w.names[1], "Bob");
    let line = p.line_of(&w.expenses[3].import_id);
    assert_eq!(line, Some(5), "the taxi");
    assert_eq!(w.expenses.len(), 4);
    assert_eq!(w.settlements.len(), 1);
}

/// Adversary: a user importing the same history twice, from a re-export.
#[test]
fn ids_are_stable_across_re_exports_and_distinct_for_identical_rows() {
    let a = planned(FILE, &group(), &PlanOptions::default()).unwrap();
    let b = planned(REORDERED, &group(), &PlanOptions::default()).unwrap();
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(ids(&a).len(), 5, "the two coffees are two records");

    let mut held = group();
    held.import_ids = ids(&a).into_iter().take(3).collect();
    let again = planned(REORDERED, &held, &PlanOptions::default()).unwrap();
    let (e, t) = again.new_records();
    assert_eq!(e + t, 2);
    assert_eq!(
        again.writes().unwrap().expenses.len() + again.writes().unwrap().settlements.len(),
        2
    );
}

#[test]
fn a_mapping_that_does_not_fit_is_refused() {
    let mut o = PlanOptions::default();
    o.mapping.insert("Dora".into(), ann());
    assert!(matches!(
        planned(FILE, &group(), &o),
        Err(Error::Mapping(_))
    ));
    let mut o = PlanOptions::default();
    o.mapping.insert("Bob".into(), ann());
    let err = planned(FILE, &group(), &o).unwrap_err();
    assert_eq!(
        err.code(),
        "bad_mapping",
        "Ann by name and Bob by mapping: {err}"
    );
    let mut o = PlanOptions::default();
    o.mapping.insert("bob".into(), MemberId([9; 16]));
    assert!(matches!(
        planned(FILE, &group(), &o),
        Err(Error::Mapping(_))
    ));
}

/// Adversary: a hostile file with more records than one import takes.
#[test]
fn more_than_max_records_is_refused_before_anything_is_planned() {
    let mut text = String::from("Date,Description,Category,Cost,Currency,Ann,Bob\n");
    for _ in 0..=gfms_import::MAX_RECORDS {
        text.push_str("2024-03-01,Coffee,Food,2.00,EUR,1.00,-1.00\n");
    }
    let err = planned(&text, &group(), &PlanOptions::default()).unwrap_err();
    assert_eq!(err.code(), "too_many_rows");
}
