//! Splitwise files as users will bring them: the shapes the export takes, and the ways a
//! file edited or re-saved by hand goes wrong.
#![cfg(not(target_arch = "wasm32"))]

use gfms_import::{DateOrder, Error, Options, WarningKind, parse_splitwise};

fn read(text: &str) -> Result<gfms_import::Import, Error> {
    parse_splitwise(text.as_bytes(), &Options::default())
}

const HEADER: &str = "Date,Description,Category,Cost,Currency,Ann,Ben,Cleo\n";

#[test]
fn a_footer_that_disagrees_with_the_rows_is_reported_not_hidden() {
    let text = format!(
        "{HEADER}2024-01-02,Pizza,Dining out,30.00,EUR,20.00,-10.00,-10.00\n\n\
         2024-01-03,Total balance, , ,EUR,20.00,-10.00,-10.01\n"
    );
    let import = read(&text).unwrap();
    assert!(!import.is_balanced());
    assert_eq!(import.differences.len(), 1);
    let d = &import.differences[0];
    assert_eq!(
        (d.currency.as_str(), d.member, d.expected, d.rebuilt),
        ("EUR", 2, -1001, -1000)
    );
}

#[test]
fn a_file_without_footer_is_added_up_and_says_so() {
    let text = format!("{HEADER}2024-01-02,Pizza,Dining out,30.00,EUR,20.00,-10.00,-10.00\n");
    let import = read(&text).unwrap();
    assert!(import.is_balanced());
    assert_eq!(import.balances_expected["EUR"], vec![2000, -1000, -1000]);
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::NoTotals)
    );
}

#[test]
fn an_unknown_language_is_read_by_position_when_the_rows_fit() {
    let text = "Päivämäärä,Kuvaus,Luokka,Hinta,Valuutta,Ann,Ben\n\
                2024-01-02,Pizza,Ruoka,30.00,EUR,15.00,-15.00\n";
    let import = read(text).unwrap();
    assert_eq!(import.members, ["Ann", "Ben"]);
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::HeaderByPosition)
    );
    // A file of another shape is not read by position.
    let other = "Name,Email,Phone,Street,City,Zip\nAnn,a@x.invalid,1,Main St,Oslo,0150\n";
    assert_eq!(read(other).unwrap_err().code(), "not_recognised");
}

#[test]
fn a_note_above_the_header_is_skipped_with_a_warning() {
    let text = format!(
        "Note: does not include group expenses\n\n{HEADER}\
         2024-01-02,Pizza,Dining out,30.00,EUR,20.00,-10.00,-10.00\n"
    );
    let import = read(&text).unwrap();
    assert_eq!(import.expenses[0].line, 4);
    assert_eq!(import.warnings[0].kind, WarningKind::Preamble);
}

#[test]
fn unknown_members_and_missing_cells_are_refused_with_the_line() {
    let extra = format!("{HEADER}2024-01-02,Pizza,Food,30.00,EUR,10.00,-10.00,0.00,5.00\n");
    assert!(matches!(
        read(&extra),
        Err(Error::CellCount {
            line: 2,
            expected: 8,
            found: 9
        })
    ));
    let short = format!("{HEADER}2024-01-02,Pizza,Food,30.00,EUR,10.00,-10.00\n");
    assert!(matches!(
        read(&short),
        Err(Error::CellCount { line: 2, .. })
    ));
    // Blank padding from a spreadsheet is not a member.
    let padded = format!("{HEADER}2024-01-02,Pizza,Food,30.00,EUR,20.00,-10.00,-10.00,,\n");
    assert!(read(&padded).unwrap().is_balanced());
}

#[test]
fn rows_that_do_not_add_up_are_refused_with_the_numbers() {
    let more_than_cost = format!("{HEADER}2024-01-02,Pizza,Food,10.00,EUR,20.00,-10.00,-10.00\n");
    let err = read(&more_than_cost).unwrap_err();
    assert_eq!((err.code(), err.line()), ("does_not_add_up", Some(2)));
    assert!(err.to_string().contains("more than the cost"), "{err}");
    let zero_cost = format!("{HEADER}2024-01-02,Nothing,Food,0.00,EUR,5.00,-5.00,0.00\n");
    assert_eq!(read(&zero_cost).unwrap_err().code(), "does_not_add_up");
}

#[test]
fn footer_rows_must_end_the_file_and_come_once_per_currency() {
    let after = format!(
        "{HEADER}2024-01-02,Pizza,Food,30.00,EUR,20.00,-10.00,-10.00\n\
         2024-01-03,Total balance, , ,EUR,20.00,-10.00,-10.00\n\
         2024-01-04,Taxi,Taxi,9.00,EUR,-3.00,6.00,-3.00\n"
    );
    let err = read(&after).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_row", Some(4)));
    let twice = format!(
        "{HEADER}2024-01-02,Pizza,Food,30.00,EUR,20.00,-10.00,-10.00\n\n\
         2024-01-03,Total balance, , ,EUR,20.00,-10.00,-10.00\n\
         2024-01-03,Total balance, , ,EUR,20.00,-10.00,-10.00\n"
    );
    assert_eq!(read(&twice).unwrap_err().line(), Some(5));
    // A row with no cost in the middle of the file is an expense missing its cost.
    let missing = format!(
        "{HEADER}2024-01-02,Pizza,,,EUR,20.00,-10.00,-10.00\n\
         2024-01-04,Taxi,Taxi,9.00,EUR,-3.00,6.00,-3.00\n"
    );
    let err = read(&missing).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_amount", Some(2)));
}

#[test]
fn payments_not_between_two_members_become_expenses() {
    let text = format!("{HEADER}2024-01-02,Settle,Payment,20.00,EUR,20.00,-10.00,-10.00\n");
    let import = read(&text).unwrap();
    assert_eq!((import.expenses.len(), import.transfers.len()), (1, 0));
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::PaymentAsExpense)
    );
    assert!(import.is_balanced());
}

#[test]
fn rows_that_move_no_balance_are_left_out_with_a_warning() {
    let text = format!(
        "{HEADER}2024-01-02,Own lunch,Food,12.00,EUR,0.00,0.00,0.00\n\
         2024-01-03,Free,Food,0.00,EUR,0.00,0.00,0.00\n"
    );
    let import = read(&text).unwrap();
    assert!(import.expenses.is_empty());
    assert_eq!(
        import
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::Skipped)
            .count(),
        2
    );
}

#[test]
fn ambiguous_dates_are_refused_unless_the_order_is_chosen() {
    let text = format!(
        "{HEADER}03/04/2024,Pizza,Food,30.00,EUR,20.00,-10.00,-10.00\n\
         05/06/2024,Taxi,Taxi,9.00,EUR,-3.00,6.00,-3.00\n"
    );
    let err = read(&text).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_date", Some(2)));
    let options = Options {
        date_order: Some(DateOrder::MonthDayYear),
        ..Options::default()
    };
    let import = parse_splitwise(text.as_bytes(), &options).unwrap();
    assert_eq!(import.expenses[0].date, "2024-03-04");
    // One day over 12 settles it for the whole file.
    let told = text.replace("05/06/2024", "25/06/2024");
    assert_eq!(read(&told).unwrap().expenses[0].date, "2024-04-03");
}

#[test]
fn amounts_a_spreadsheet_could_mean_two_ways_are_refused() {
    let thousands = format!("{HEADER}2024-01-02,Rent,Rent,\"1,200\",EUR,800,-400,-400\n");
    let err = read(&thousands).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_amount", Some(2)));
    assert!(err.to_string().contains("thousands"), "{err}");
    let yen = "Date,Description,Category,Cost,Currency,Ann,Ben\n\
               2024-01-02,Sushi,Food,1200.00,jpy,600.00,-600.00\n\
               2024-01-02,Tea,Food,300.5,JPY,150,-150\n";
    let err = read(yen).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_amount", Some(3)));
}

#[test]
fn several_payers_are_rebuilt_exactly() {
    let text = format!("{HEADER}2024-01-02,Trip,Travel,100.00,EUR,30.00,20.00,-50.00\n");
    let import = read(&text).unwrap();
    let e = &import.expenses[0];
    assert_eq!(e.payers, vec![(0, 6000), (1, 4000)]);
    assert_eq!(e.parts, vec![(0, 3000), (1, 2000), (2, 5000)]);
    assert!(import.is_balanced());
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::InferredPayers)
    );
}
