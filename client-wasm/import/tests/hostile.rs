//! Hostile files and hostile input from a member: huge cells, huge headers, a million
//! empty lines, control characters, formulas, files over the ceiling. Each ends in a
//! bounded value or a clear error, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use gfms_import::{
    Error, MAX_FILE_BYTES, MAX_MEMBERS, Options, WarningKind, parse, parse_splitwise,
};

const HEADER: &str = "Date,Description,Category,Cost,Currency,Ann,Ben\n";

fn read(text: &str) -> Result<gfms_import::Import, Error> {
    parse(text.as_bytes(), &Options::default())
}

#[test]
fn hostile_input_from_a_member_100_kb_texts_are_cut_and_said() {
    let huge = "é".repeat(100_000);
    let text = format!(
        "Date,Description,Category,Cost,Currency,{huge},Ben\n\
         2024-01-02,{huge},{huge},30.00,EUR,15.00,-15.00\n"
    );
    let import = read(&text).unwrap();
    assert!(import.members[0].chars().count() <= 100);
    assert!(import.expenses[0].title.chars().count() <= 500);
    assert!(import.expenses[0].category.chars().count() <= 500);
    let cut = import
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Shortened);
    assert_eq!(cut.count(), 3);
    assert!(import.is_balanced());
}

#[test]
fn hostile_file_a_million_empty_lines_are_skipped_and_lines_still_counted() {
    let blank = "\n".repeat(1_000_000);
    let text = format!(
        "{HEADER}2024-01-02,Pizza,Food,30.00,EUR,15.00,-15.00\n{blank}\
         2024-01-03,Total balance, , ,EUR,15.00,-15.00\n{blank}"
    );
    assert!(text.len() < MAX_FILE_BYTES);
    let import = read(&text).unwrap();
    assert!(import.is_balanced());
    let bad = format!("{HEADER}{blank}2024-01-02,Pizza,Food,30.0.0,EUR,15.00,-15.00\n");
    assert_eq!(read(&bad).unwrap_err().line(), Some(1_000_002));
}

#[test]
fn hostile_file_over_the_ceiling_is_refused_before_it_is_read() {
    let bytes = vec![b','; MAX_FILE_BYTES + 1];
    assert!(matches!(
        parse_splitwise(&bytes, &Options::default()),
        Err(Error::TooLarge {
            limit: MAX_FILE_BYTES,
            ..
        })
    ));
}

#[test]
fn hostile_file_with_thousands_of_member_columns_is_refused() {
    let names: Vec<String> = (0..MAX_MEMBERS + 1).map(|i| format!("m{i}")).collect();
    let text = format!(
        "Date,Description,Category,Cost,Currency,{}\n",
        names.join(",")
    );
    let err = read(&text).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_header", Some(1)));
}

#[test]
fn hostile_file_with_a_warning_on_every_row_keeps_a_bounded_list() {
    let mut text = HEADER.to_owned();
    for _ in 0..5_000 {
        text.push_str("2024-01-02,bell\u{7},Food,30.00,EUR,15.00,-15.00\n");
    }
    let import = read(&text).unwrap();
    assert_eq!(import.expenses.len(), 5_000);
    assert_eq!(import.warnings.len(), 201);
    let last = import.warnings.last().unwrap();
    assert_eq!(last.kind, WarningKind::TooManyWarnings);
    // 5,000 rows with control characters and the missing footer: 5,001, 200 kept.
    assert_eq!(last.message, "4801 more warnings");
}

#[test]
fn hostile_file_with_an_unclosed_quote_is_refused_with_its_line() {
    let text = format!(
        "{HEADER}2024-01-02,\"Pizza,Food,30.00,EUR,15.00,-15.00\n2024-01-03,Taxi,Taxi,9.00,EUR,4.50,-4.50\n"
    );
    let err = read(&text).unwrap_err();
    assert_eq!((err.code(), err.line()), ("cell_count", Some(2)));
}

#[test]
fn hostile_input_from_a_member_control_characters_in_numbers_are_refused() {
    let text = format!("{HEADER}2024-01-02,Pizza,Food,30\u{0}.00,EUR,15.00,-15.00\n");
    let err = read(&text).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_amount", Some(2)));
    let text = format!("{HEADER}2024-01-02,Pizza,Food,30.00,EUR,15.00,\u{202e}-15.00\n");
    assert_eq!(read(&text).unwrap_err().code(), "bad_amount");
}

#[test]
fn a_utf16_file_from_excel_reads_like_its_utf8_twin() {
    let text = "Date\tDescription\tCategory\tCost\tCurrency\tZoë\tBen\n\
                2024-01-02\tCrème brûlée\tFood\t9.00\tEUR\t4.50\t-4.50\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let a = parse(&utf16, &Options::default()).unwrap();
    let b = read(text).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.members[0], "Zoë");
    // Half a code unit at the end is not text.
    utf16.push(0x41);
    assert_eq!(
        parse(&utf16, &Options::default()).unwrap_err().code(),
        "encoding"
    );
}

#[test]
fn nothing_is_half_imported_an_error_on_the_last_row_returns_no_import() {
    let mut text = HEADER.to_owned();
    for _ in 0..100 {
        text.push_str("2024-01-02,Pizza,Food,30.00,EUR,15.00,-15.00\n");
    }
    text.push_str("2024-01-02,Pizza,Food,30.00,EUR,15.00,-15.01\n");
    assert_eq!(read(&text).unwrap_err().line(), Some(102));
}

#[test]
fn hostile_file_with_huge_amounts_is_refused_before_any_sum_can_overflow() {
    let text = format!(
        "{HEADER}2024-01-02,Yacht,Boats,90000000000000000.00,EUR,90000000000000000.00,-90000000000000000.00\n"
    );
    let err = read(&text).unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_amount", Some(2)));
    assert!(err.to_string().contains("larger"), "{err}");
    // The largest accepted amount on 800 rows still adds up exactly (a balance of
    // 8·10^15 minor units, inside 2^53).
    let row = "2024-01-02,Y,B,100000000000.00,EUR,100000000000.00,-100000000000.00\n";
    let import = read(&format!("{HEADER}{}", row.repeat(800))).unwrap();
    assert!(import.is_balanced());
    // On every row a 5 MiB file can hold, no sum overflows: the ledger leaves out of its
    // balances what would carry one past 2^53 − 1 (docs/ledger.md), so the rebuilt
    // balances are shown as differing rather than wrapped.
    let text = format!("{HEADER}{}", row.repeat(MAX_FILE_BYTES / row.len() - 1));
    let import = read(&text).unwrap();
    assert!(!import.is_balanced());
}
