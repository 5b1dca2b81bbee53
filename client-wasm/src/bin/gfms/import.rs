//! `gfms import --from splitwise|tricount FILE`: a group's history from another app.
//! The file is read and planned (`gfms_import`), the plan is applied to the group in
//! memory (`gfms_client::import_plan`: all or nothing), and the preview is what that
//! gives; only without `--dry-run` is the group saved, and the events then sync like any
//! record.

use std::collections::BTreeMap;
use std::path::Path;

use gfms_client::import_plan;
use gfms_import::{Checked, GroupView, Match, Options, Plan, PlanOptions, Source};
use gfms_ledger::{Rate, balances, currency_exponent, format_amount};
use gfms_sync::Group;

use crate::out::say;
use crate::{Result, err, parse};

/// Which app a file comes from.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum From {
    /// Splitwise's group export (Export as spreadsheet).
    Splitwise,
    /// Tricount's data export (CSV).
    Tricount,
}

/// What `gfms import --from` was given.
pub struct Request<'a> {
    pub from: From,
    pub file: &'a Path,
    pub mapping: &'a [String],
    pub rates: &'a [String],
    pub dry_run: bool,
}

/// A decimal rate in group units per unit of `currency`, as minor units per minor unit.
fn minor_rate(text: &str, currency: &str, group: &str) -> Result<Rate> {
    let r = parse::rate(text)?;
    let (fe, ge) = (currency_exponent(currency), currency_exponent(group));
    let (mut n, mut d) = (i128::from(r.numerator), i128::from(r.denominator));
    if ge >= fe {
        n *= 10i128.pow(ge - fe);
    } else {
        d *= 10i128.pow(fe - ge);
    }
    let g = gcd(n, d);
    let rate = Rate {
        numerator: i64::try_from(n / g).map_err(|_| format!("rate {text:?} is too large"))?,
        denominator: i64::try_from(d / g).map_err(|_| format!("rate {text:?} is too small"))?,
    };
    rate.check()
        .map_err(|_| format!("not an exchange rate: {text:?}"))?;
    Ok(rate)
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.max(1) } else { gcd(b, a % b) }
}

fn options(group: &mut Group, req: &Request) -> Result<PlanOptions> {
    let state = group.state();
    let currency = state
        .settings
        .as_ref()
        .map(|s| s.currency.clone())
        .unwrap_or_default();
    let mut options = PlanOptions::default();
    for pair in req.mapping {
        let (name, member) = pair
            .split_once('=')
            .ok_or_else(|| format!("--as wants NAME=MEMBER, got {pair:?}"))?;
        options
            .mapping
            .insert(name.trim().to_string(), parse::member(state, member)?);
    }
    for pair in req.rates {
        let (cur, rate) = pair
            .split_once('=')
            .ok_or_else(|| format!("--rate wants CURRENCY=RATE, got {pair:?}"))?;
        let cur = cur.trim().to_uppercase();
        let rate = minor_rate(rate, &cur, &currency)?;
        options.rates.insert(cur, rate);
    }
    Ok(options)
}

/// Reads, plans, applies in memory and prints the preview; returns whether the group
/// changed (so the caller saves it). A file that cannot be read whole changes nothing.
pub fn run(group: &mut Group, req: &Request, now_ms: u64) -> Result<bool> {
    let bytes = read(req.file)?;
    let parse_options = Options::default();
    let import = match req.from {
        From::Splitwise => gfms_import::parse_splitwise(&bytes, &parse_options),
        From::Tricount => gfms_import::parse_tricount(&bytes, &parse_options),
    }
    .map_err(|e| format!("{}: {e}; nothing was imported", req.file.display()))?;
    let state = group.state().clone();
    let view = GroupView::new(&state, group.ledger().events());
    let plan = gfms_import::plan(&import, &view, &options(group, req)?)
        .map_err(|e| format!("{}: {e}; nothing was imported", req.file.display()))?;
    preview(&plan);
    if !plan.missing_rates.is_empty() {
        return Err(format!(
            "rows in {} need an exchange rate to the group currency: give --rate CURRENCY=RATE \
             for each; nothing was imported",
            plan.missing_rates.join(", ")
        ));
    }
    let w = plan.writes().map_err(err)?;
    let writes = import_plan::Writes {
        members: w.members,
        names: w.names,
        expenses: w.expenses,
        settlements: w.settlements,
    };
    let applied = import_plan::apply(group, writes, now_ms).map_err(|e| match &e {
        import_plan::ApplyError::Refused { record, error } => match plan.line_of(record) {
            Some(line) => format!("line {line}: {error}; nothing was imported"),
            None => format!("{e}; nothing was imported"),
        },
        e => format!("{e}; nothing was imported"),
    })?;
    let checked = gfms_import::check(&plan, &applied.members, group.state());
    after(group, &plan, &checked);
    let changed = applied.expenses + applied.payments + applied.placeholders > 0;
    if req.dry_run {
        say!("dry run: nothing was written");
        return Ok(false);
    }
    if changed {
        say!("imported; it goes out with the next sync");
    } else {
        say!("nothing new: the group already has every record of this file");
    }
    Ok(changed)
}

fn read(file: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(file).map_err(|e| format!("{}: {e}", file.display()))?;
    if meta.len() > gfms_import::MAX_FILE_BYTES as u64 {
        return Err(format!(
            "{}: the file is {} bytes; the import reads files up to {} bytes; nothing was imported",
            file.display(),
            meta.len(),
            gfms_import::MAX_FILE_BYTES
        ));
    }
    std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))
}

fn preview(plan: &Plan) {
    let app = match plan.source {
        Source::Splitwise => "Splitwise",
        Source::Tricount => "Tricount",
    };
    say!(
        "{app} file: {} people, {} expenses, {} payments",
        plan.members.len(),
        plan.expenses.len(),
        plan.transfers.len()
    );
    say!("people:");
    for m in &plan.members {
        let who = match m.matched {
            Match::Mapped => "the member you named",
            Match::SameName => "the member of that name",
            Match::New => "a new placeholder (to be claimed)",
        };
        // Debug quoting shows control and bidi characters as escapes, not as text that
        // could reorder the line.
        say!("  {:?} → {who}", m.name);
    }
    let (e, t) = plan.new_records();
    let skipped = plan.expenses.len() + plan.transfers.len() - e - t;
    say!("new: {e} expenses, {t} payments; already in the group: {skipped}");
    for w in &plan.warnings {
        match w.line {
            Some(line) => say!("warning: line {line}: {}", w.message.escape_debug()),
            None => say!("warning: {}", w.message.escape_debug()),
        }
    }
}

fn after(group: &mut Group, plan: &Plan, checked: &Checked) {
    let state = group.state();
    let name = |m: &gfms_ledger::MemberId| {
        state
            .members
            .get(m)
            .map_or(m.to_string(), |x| format!("{:?}", x.name))
    };
    say!("balances from this file, per currency:");
    for (cur, people) in &checked.balances {
        let line: Vec<String> = people
            .iter()
            .map(|(m, v)| format!("{} {}", name(m), format_amount(*v, cur)))
            .collect();
        say!("  {cur}: {}", line.join(", "));
    }
    if checked.disagreements.is_empty() {
        let app = match plan.source {
            Source::Splitwise => "Splitwise's Total balance",
            Source::Tricount => "the sums of Tricount's rows",
        };
        say!("check: every balance equals {app}, to the cent");
    } else {
        for d in &checked.disagreements {
            eprintln!(
                "gfms: warning: {} in {}: the file says {}, the import gives {}",
                name(&d.member),
                d.currency,
                format_amount(d.expected, &d.currency),
                format_amount(d.actual, &d.currency)
            );
        }
    }
    let mut total: BTreeMap<String, i64> = BTreeMap::new();
    for (m, v) in balances(state) {
        total.insert(name(&m), v);
    }
    if let Some(s) = &state.settings {
        let line: Vec<String> = total
            .iter()
            .map(|(n, v)| format!("{n} {}", format_amount(*v, &s.currency)))
            .collect();
        say!(
            "group balances after, in {}: {}",
            s.currency,
            line.join(", ")
        );
    }
}
