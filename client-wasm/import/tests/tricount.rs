//! Tricount files: currencies and rates, the three transaction types, and rows that
//! cannot be read one way only.
#![cfg(not(target_arch = "wasm32"))]

use gfms_import::{Error, Import, Options, WarningKind, parse_tricount};

const HEADER: &str = "Title,Amount,Currency,Exchange rate,Amount in default currency,\
Transaction type,Category,Paid by,Date & time,Paid by Ann,Paid by Bo,Impacted to Ann,Impacted to Bo\n";
const GROCERIES: &str =
    "Groceries,-20.00,EUR,1,-20.00,Normal,Food,Ann,2024-08-01 10:00,-20.00,0,-10.00,-10.00\n";

fn read(rows: &str) -> Result<Import, Error> {
    parse_tricount(format!("{HEADER}{rows}").as_bytes(), &Options::default())
}

#[test]
fn a_stated_rate_that_is_rounded_gives_way_to_the_two_amounts() {
    // 33.33 USD at 0.9 is 29.997: Tricount shows 30.00; 0.9 would give 30.00 too, but
    // at 0.91 (rounded from 0.9001) it would not.
    let import = read(&format!(
        "{GROCERIES}Taxi,-33.33,USD,0.91,-30.00,Normal,Transport,Bo,2024-08-02 10:00,0,-33.33,-16.67,-16.66\n"
    ))
    .unwrap();
    let taxi = &import.expenses[1];
    let rate = taxi.rate.unwrap();
    assert_eq!(rate.convert(taxi.amount), 3000);
    assert_eq!((rate.numerator, rate.denominator), (1000, 1111));
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::RateFromAmounts)
    );
}

#[test]
fn shares_written_in_the_group_currency_import_in_the_group_currency() {
    let import = read(&format!(
        "{GROCERIES}Taxi,-33.33,USD,0.9,-30.00,Normal,Transport,Bo,2024-08-02 10:00,0,-30.00,-15.00,-15.00\n"
    ))
    .unwrap();
    let taxi = &import.expenses[1];
    assert_eq!(
        (taxi.amount, taxi.currency.as_str(), taxi.rate),
        (3000, "EUR", None)
    );
    assert!(taxi.note.contains("33.33 USD"), "{}", taxi.note);
    assert!(import.is_balanced());
    // Even when the group's currency has decimals the row's does not.
    let import = read(&format!(
        "{GROCERIES}Ramen,-4500,JPY,160.5,-28.04,Normal,,Bo,2024-08-02,0,-28.04,-14.02,-14.02\n"
    ))
    .unwrap();
    assert_eq!(
        (
            import.expenses[1].amount,
            import.expenses[1].currency.as_str()
        ),
        (2804, "EUR")
    );
    // A row of zero with shares is not a row to skip.
    let err = read("Zero,0,EUR,1,0,Normal,,Ann,2024-08-01,0,0,-5.00,5.00\n").unwrap_err();
    assert_eq!((err.code(), err.line()), ("does_not_add_up", Some(2)));
}

#[test]
fn the_group_currency_is_chosen_when_the_file_does_not_show_it() {
    let only_foreign = "Taxi,-10.00,USD,0.9,-9.00,Normal,,Bo,2024-08-02,0,-10.00,-5.00,-5.00\n\
                        Bus,-4.00,CHF,1.05,-4.20,Normal,,Bo,2024-08-02,0,-4.00,-2.00,-2.00\n";
    assert_eq!(read(only_foreign).unwrap_err().code(), "not_recognised");
    let options = Options {
        group_currency: Some("EUR".into()),
        ..Options::default()
    };
    let import = parse_tricount(format!("{HEADER}{only_foreign}").as_bytes(), &options).unwrap();
    assert_eq!(import.currencies, ["EUR", "CHF", "USD"]);
    // "Amount in default currency (GBP)" says it.
    let stated = HEADER.replace("default currency,", "default currency (GBP),");
    let import = parse_tricount(
        format!("{stated}{only_foreign}").as_bytes(),
        &Options::default(),
    );
    assert_eq!(import.unwrap().group_currency.as_deref(), Some("GBP"));
}

#[test]
fn unknown_transaction_types_are_refused_not_guessed() {
    // "Reimbursement" could be a transfer or money received: opposite balances.
    let err = read(&format!(
        "{GROCERIES}Back,-10.00,EUR,1,-10.00,Reimbursement,,Bo,2024-08-03,0,-10.00,-10.00,0\n"
    ))
    .unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_row", Some(3)));
    assert!(err.to_string().contains("Money transfer"), "{err}");
}

#[test]
fn rows_mixing_signs_or_payers_are_refused() {
    let mixed = "Odd,-20.00,EUR,1,-20.00,Normal,,Ann,2024-08-01,-20.00,0,10.00,-30.00\n";
    assert_eq!(read(mixed).unwrap_err().code(), "does_not_add_up");
    let two_senders =
        "Pay,-20.00,EUR,1,-20.00,Money transfer,,Ann,2024-08-01,-10.00,-10.00,0,-20.00\n";
    assert_eq!(read(two_senders).unwrap_err().code(), "bad_row");
    let wrong_payer = "Pay,-20.00,EUR,1,-20.00,Normal,,Bo,2024-08-01,-20.00,0,-10.00,-10.00\n";
    assert_eq!(read(wrong_payer).unwrap_err().code(), "does_not_add_up");
    let nobody = "Pay,-20.00,EUR,1,-20.00,Normal,,,2024-08-01,0,0,-10.00,-10.00\n";
    assert_eq!(read(nobody).unwrap_err().code(), "bad_row");
}

#[test]
fn a_payer_named_without_amounts_paid_the_whole_row() {
    let import = read("Cake,12.00,EUR,1,12.00,Normal,,bo,2024-08-01,,,6.00,6.00\n").unwrap();
    assert_eq!(import.expenses[0].payers, vec![(1, 1200)]);
    assert!(import.is_balanced());
}

#[test]
fn a_foreign_row_without_its_converted_amount_is_refused() {
    let err = read(&format!(
        "{GROCERIES}Taxi,-10.00,USD,0.9,,Normal,,Bo,2024-08-02,0,-10.00,-5.00,-5.00\n"
    ))
    .unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_row", Some(3)));
}

#[test]
fn two_members_with_one_name_are_told_apart_by_their_cells_or_refused() {
    let header = HEADER.replace("Bo", "Ann");
    let read = |row: &str| parse_tricount(format!("{header}{row}").as_bytes(), &Options::default());
    let import =
        read("Cake,-12.00,EUR,1,-12.00,Normal,,Ann,2024-08-01,0,-12.00,-6.00,-6.00\n").unwrap();
    assert_eq!(import.members, ["Ann", "Ann (2)"]);
    assert_eq!(import.expenses[0].payers, vec![(1, 1200)]);
    let err = read("Cake,-12.00,EUR,1,-12.00,Normal,,Ann,2024-08-01,,,-6.00,-6.00\n").unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_row", Some(2)));
}

#[test]
fn an_exchange_rate_that_is_not_a_number_is_refused() {
    let err = read(&format!(
        "{GROCERIES}Taxi,-10.00,USD,about 0.9,-9.00,Normal,,Bo,2024-08-02,0,-10.00,-5.00,-5.00\n"
    ))
    .unwrap_err();
    assert_eq!((err.code(), err.line()), ("bad_row", Some(3)));
    assert!(err.to_string().contains("exchange rate"), "{err}");
}

/// Adversary: a careless importer. An income written as a bare negative expense reads
/// as a refund in old versions but is refused by the editor's income checks and shows as
/// "expense" in the app; it must arrive as the ledger's income kind.
#[test]
fn an_income_arrives_as_the_income_kind_not_a_bare_negative_amount() {
    use gfms_ledger::{ExpenseKind, MemberId};
    let import = read(&format!(
        "{GROCERIES}Deposit back,50.00,EUR,1,50.00,Income,,Ann,2024-08-03 10:00,50.00,0,25.00,25.00\n"
    ))
    .unwrap();
    let ids = [MemberId([1; 16]), MemberId([2; 16])];
    let groceries = import.expenses[0].to_expense(&ids).unwrap();
    assert_eq!(groceries.kind, ExpenseKind::Expense);
    let deposit = import.expenses[1].to_expense(&ids).unwrap();
    assert_eq!(deposit.kind, ExpenseKind::Income);
    assert_eq!(deposit.amount, -5000);
    assert_eq!(deposit.payers, vec![(ids[0], -5000)]);
    deposit.validate("EUR").unwrap();
}
