//! `gfms`: the command-line client. Each command loads the state directory, does one
//! thing, and saves atomically; an error is one line on stderr and exit status 1, with
//! nothing half-written.

mod args;
mod expense;
mod import;
mod members;
mod out;
mod output;
mod parse;
mod receipts;
mod recurring;
mod warnings;

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use gfms_client::native::{Driver, StateDir};
use gfms_ledger::{EventId, ExpenseKind, Filter, GroupSettings, Settlement, parse_amount};
use gfms_sync::{Group, Invite};

use args::{Cli, Command, Format, GroupCommand, MemberCommand};
use out::{say, say_raw};

type Result<T> = std::result::Result<T, String>;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).and_then(|()| out::failure().map_or(Ok(()), Err)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gfms: {e}");
            ExitCode::FAILURE
        }
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn run(cli: Cli) -> Result<()> {
    let dir = StateDir::new(&cli.state);
    match cli.command {
        Command::Group(GroupCommand::Create {
            name,
            member,
            relays,
            k,
            currency,
            registration_keys,
            with,
        }) => {
            let settings = GroupSettings {
                name,
                currency: currency.to_uppercase(),
                categories: ["food", "groceries", "rent", "transport", "fun", "other"]
                    .map(String::from)
                    .to_vec(),
                accounts: ["cash", "card", "bank"].map(String::from).to_vec(),
            };
            let mut group = Group::create(settings, &member, &relays, k, now_ms()).map_err(err)?;
            for pair in &registration_keys {
                let (url, key) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("--registration-key wants URL=KEY, got {pair:?}"))?;
                group.set_registration_key(url, key).map_err(err)?;
            }
            for name in &with {
                members::add(&mut group, name, now_ms())?;
            }
            dir.create(&group).map_err(err)?;
            say!(
                "created group {:?} with {} relays (k = {k})",
                group.name(),
                relays.len()
            );
            say!("invite (share it privately; it holds the group key):");
            say!("{}", group.invite().encode());
            Ok(())
        }
        Command::Group(GroupCommand::Join {
            code,
            member,
            claim,
        }) => {
            let member = member.or(claim.clone()).unwrap_or_default();
            let invite = Invite::decode(&code).map_err(err)?;
            let group = Group::join(&invite, &member, now_ms()).map_err(err)?;
            if let Ok(mut held) = dir.load()
                && held.key() == group.key()
            {
                // Opening the invite again would make a second member for this device.
                let me = held.me();
                let as_whom = held
                    .state()
                    .members
                    .get(&me)
                    .map_or("a member whose join has not synced yet".into(), |m| {
                        m.name.clone()
                    });
                return Err(format!(
                    "already a member of {:?} in {} (as {as_whom}); nothing changed",
                    held.name(),
                    cli.state.display(),
                ));
            }
            dir.create(&group).map_err(err)?;
            if let Some(name) = &claim {
                members::claim_later(&cli.state, name)?;
            }
            say!(
                "joined {:?}; run `gfms sync` to announce yourself and receive the ledger",
                invite.name
            );
            Ok(())
        }
        Command::Sync => {
            sync(&dir)?;
            let mut group = dir.load().map_err(err)?;
            if members::pending_claim(&cli.state, &mut group, now_ms())? {
                dir.save(&group).map_err(err)?;
            }
            Ok(())
        }
        Command::Leave => leave(&dir),
        Command::Attach {
            expense,
            file,
            name,
        } => receipts::attach(&dir, &expense, &file, name),
        Command::Receipt {
            expense,
            out,
            hash,
            request,
        } => receipts::receipt(&dir, &expense, hash, out, request),
        Command::Show { expense, json } => receipts::show(&dir, &expense, json),
        command => {
            let mut group = dir.load().map_err(err)?;
            let changed = apply(&mut group, command)?;
            if changed {
                dir.save(&group).map_err(err)?;
            }
            Ok(())
        }
    }
}

/// Records an expense or an income.
fn add(group: &mut Group, a: args::AddArgs, kind: ExpenseKind, now: u64) -> Result<bool> {
    let expense = build_expense(group, a, kind)?;
    let id = group.add_expense(expense, now).map_err(err)?;
    say!("{id}");
    Ok(true)
}

/// The expense or income `gfms add` (or `recurring add`) words describe.
fn build_expense(
    group: &mut Group,
    mut a: args::AddArgs,
    kind: ExpenseKind,
) -> Result<gfms_ledger::Expense> {
    let state = group.state().clone();
    let settings = state
        .settings
        .clone()
        .ok_or_else(|| err(gfms_sync::Error::NotSynced))?;
    let currency = a
        .currency
        .take()
        .unwrap_or(settings.currency.clone())
        .to_uppercase();
    let rate = match (&a.rate, currency == settings.currency) {
        (Some(r), _) => Some(parse::rate(r)?),
        (None, true) => None,
        (None, false) => {
            return Err(format!(
                "{currency} is not the group currency ({}): give --rate",
                settings.currency
            ));
        }
    };
    let date = a.date.take().unwrap_or_else(today);
    expense::build(&state, group.me(), a, kind, currency, rate, date)
}

/// Runs a command on a loaded group; returns whether the group changed.
fn apply(group: &mut Group, command: Command) -> Result<bool> {
    let now = now_ms();
    match command {
        Command::Group(_) => Err("this state directory already holds a group".into()),
        Command::Member(MemberCommand::Add { name }) => {
            members::add(group, &name, now)?;
            Ok(true)
        }
        Command::Member(MemberCommand::PayTo(p)) => {
            let member = match &p.member {
                Some(name) => parse::member(group.state(), name)?,
                None => group.me(),
            };
            let details = gfms_ledger::PaymentDetails {
                iban: p.iban,
                paypal: p.paypal,
                revolut: p.revolut,
                venmo: p.venmo,
                lydia: p.lydia,
                note: p.note,
            };
            let me = group.me();
            let body = gfms_ledger::set_payment_details(group.state(), member, me, details)
                .map_err(err)?;
            group.append(body, now).map_err(err)?;
            Ok(true)
        }
        Command::Member(MemberCommand::Claim { name }) => {
            members::claim(group, &name, now)?;
            Ok(true)
        }
        Command::History { id, member, json } => {
            let member = match member {
                Some(name) => Some(parse::member(group.state(), &name)?),
                None => None,
            };
            let lines = match id {
                Some(id) => gfms_ledger::history(group.ledger(), expense_id(&id)?),
                None => gfms_ledger::activity(group.ledger(), member, 200),
            };
            output::history(group, &lines, json);
            Ok(false)
        }
        Command::Restore { id, to } => {
            let to = to.as_deref().map(expense_id).transpose()?;
            let body = gfms_ledger::restore(group.ledger(), expense_id(&id)?, to).map_err(err)?;
            let id = group.append(body, now).map_err(err)?;
            say!("{id}");
            Ok(true)
        }
        Command::Invite => {
            say!("{}", group.invite().encode());
            Ok(false)
        }
        Command::Add(a) => add(group, a, ExpenseKind::Expense, now),
        Command::Income(a) => add(group, a, ExpenseKind::Income, now),
        Command::Edit(e) => {
            let id = expense_id(&e.id)?;
            let mut value = recurring::on_today(group)
                .expenses
                .get(&id)
                .cloned()
                .ok_or_else(|| format!("no expense {id}"))?;
            if let Some(a) = e.amount {
                let mut amount = parse_amount(&a, &value.currency).map_err(err)?;
                if value.kind == ExpenseKind::Income && amount > 0 {
                    amount = -amount;
                }
                // Only the amount travels: the payers and exact parts are scaled to it
                // where it is applied, so a concurrent change of the payers merges. An
                // itemized bill's amount is refused here (change an item).
                gfms_ledger::rescale(&value, amount).map_err(err)?;
                value.amount = amount;
            }
            value.category = e.category.unwrap_or(value.category);
            value.shop = e.shop.unwrap_or(value.shop);
            value.account = e.account.unwrap_or(value.account);
            value.note = e.note.unwrap_or(value.note);
            value.date = e.date.unwrap_or(value.date);
            if let Some((series, day)) = recurring::instance(group, id) {
                // One instance of a series gets a value of its own (its day stays).
                let value = gfms_ledger::rescale(&value, value.amount).map_err(err)?;
                let body = gfms_ledger::edit_instance(group.state(), series, &day, Some(value))
                    .map_err(err)?;
                group.append(body, now).map_err(err)?;
                return Ok(true);
            }
            group.edit_expense(id, value, now).map_err(err)?;
            Ok(true)
        }
        Command::Delete { id } => {
            let id = expense_id(&id)?;
            if let Some((series, day)) = recurring::instance(group, id) {
                // One instance of a series is skipped; the series goes on.
                let body =
                    gfms_ledger::edit_instance(group.state(), series, &day, None).map_err(err)?;
                group.append(body, now).map_err(err)?;
                return Ok(true);
            }
            group.delete_expense(id, now).map_err(err)?;
            Ok(true)
        }
        Command::Recurring(r) => recurring::run(group, r, now),
        Command::Settle(s) => {
            let state = group.state().clone();
            let currency = state
                .settings
                .as_ref()
                .map(|s| s.currency.clone())
                .ok_or_else(|| err(gfms_sync::Error::NotSynced))?;
            let value = Settlement {
                from: parse::member(&state, &s.from)?,
                to: parse::member(&state, &s.to)?,
                amount: parse_amount(&s.amount, &currency).map_err(err)?,
                currency,
                rate: None,
                date: s.date.unwrap_or_else(today),
                import_id: String::new(),
            };
            say!("{}", group.record_settlement(value, now).map_err(err)?);
            Ok(true)
        }
        Command::Sync
        | Command::Leave
        | Command::Attach { .. }
        | Command::Receipt { .. }
        | Command::Show { .. } => Err("run with the state directory".into()),
        Command::List(l) => {
            let filter = Filter {
                category: l.category,
                shop: l.shop,
                account: l.account,
                member: None,
                from: l.from,
                to: l.to,
                text: l.search,
            };
            output::list(group, &filter, l.json);
            Ok(false)
        }
        Command::Balances(f) => {
            output::balance_table(group, f.json);
            Ok(false)
        }
        Command::Plan(f) => {
            output::plan(group, f.json);
            Ok(false)
        }
        Command::Members(f) if f.safety => {
            output::safety(group, f.json);
            Ok(false)
        }
        Command::Members(f) => {
            output::members(group, f.json);
            Ok(false)
        }
        Command::Status(f) => {
            output::status(group, f.json);
            Ok(false)
        }
        Command::Stats(f) => {
            output::stats(group, f.json);
            Ok(false)
        }
        Command::Rename { member, name } => {
            let id = parse::member(group.state(), &member)?;
            group.rename_member(id, &name, now).map_err(err)?;
            Ok(true)
        }
        Command::Remove { member } => {
            let id = parse::member(group.state(), &member)?;
            group.remove_member(id, now).map_err(err)?;
            Ok(true)
        }
        Command::Relays { relays, k } => {
            group.change_relays(&relays, k, now).map_err(err)?;
            say!(
                "the group moves to {} relays (k = {k}) with the next sync",
                relays.len()
            );
            Ok(true)
        }
        Command::Export { format } => {
            match format {
                Format::Csv => say_raw!("{}", gfms_ledger::export_csv(group.state())),
                Format::Json => say!("{}", group.export_json().map_err(err)?),
                Format::Splitwise => {
                    say_raw!("{}", gfms_import::export_splitwise(group.state()))
                }
            }
            Ok(false)
        }
        Command::Import {
            file,
            from: Some(from),
            mapping,
            rate,
            dry_run,
        } => import::run(
            group,
            &import::Request {
                from,
                file: &file,
                mapping: &mapping,
                rates: &rate,
                dry_run,
            },
            now_ms(),
        ),
        Command::Import { file, .. } => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let report = group.import_json(&text).map_err(err)?;
            say!(
                "imported {} new events ({} already here)",
                report.added,
                report.duplicates
            );
            Ok(report.added > 0)
        }
    }
}

/// One sync round; relays that are down or tampering are warnings, not failures, as
/// long as the round itself could run.
fn sync(dir: &StateDir) -> Result<()> {
    let mut group = dir.load().map_err(err)?;
    let mut hooks = dir.clone();
    let report = Driver::default()
        .sync(&mut group, &mut hooks, now_ms())
        .map_err(err)?;
    for w in warnings::sync_warnings(&mut group, &report) {
        eprintln!("gfms: warning: {w}");
    }
    let receipts = receipts::store_received(dir, &mut group)?;
    say!(
        "sent {} batch(es), received {} batch(es) with {} new event(s), {} complete, {} re-sent; {} pending",
        report.sent_batches,
        report.received_batches,
        report.received_events,
        report.completed_batches,
        report.reput_shares,
        report.pending.len()
    );
    if receipts > 0 {
        say!("{receipts} receipt file(s) received");
    }
    if group.leaving() {
        say!("{}", warnings::leaving_line(&mut group));
    }
    Ok(())
}

/// Leaving is a queued state: announce it (once), then sync; the group stays here,
/// read-only, until everything this device wrote — its leaving included — reached every
/// member. Then it says the directory may be deleted.
fn leave(dir: &StateDir) -> Result<()> {
    let mut group = dir.load().map_err(err)?;
    if !group.leaving() {
        group.leave(now_ms()).map_err(err)?;
        dir.save(&group).map_err(err)?;
    }
    sync(dir)
}

fn expense_id(s: &str) -> Result<EventId> {
    EventId::parse_str(s.trim()).map_err(|_| format!("not an expense id: {s:?}"))
}
