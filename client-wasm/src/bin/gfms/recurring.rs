//! `gfms recurring …`: recurring expenses (rent, subscriptions). A series is written once;
//! its instances are derived on every device from the series and the day, so `list`,
//! `balances`, `plan` and `stats` count the ones due by today without anyone writing
//! them. An instance is edited or skipped with `gfms edit ID` / `gfms delete ID` like
//! any expense, or here with `--on DAY`.

use gfms_ledger::{EventId, Expense, ExpenseKind, Recurring, Schedule, State, Unit, format_amount};
use gfms_sync::Group;
use serde_json::json;

use crate::args::{RecurringCommand, UnitArg};
use crate::out::say;
use crate::{Result, err, expense_id, today};

/// The state as it stands today: the instances due are among its expenses.
pub fn on_today(group: &mut Group) -> State {
    gfms_ledger::with_due(group.state(), &today())
}

/// The series and day of an instance id due by today, if `id` is one.
pub fn instance(group: &mut Group, id: EventId) -> Option<(EventId, String)> {
    gfms_ledger::due(group.state(), &today())
        .0
        .into_iter()
        .find(|i| i.id == id)
        .map(|i| (i.series, i.date))
}

/// Runs a `gfms recurring` command; returns whether the group changed.
pub fn run(group: &mut Group, command: RecurringCommand, now: u64) -> Result<bool> {
    match command {
        RecurringCommand::Add(a) => {
            let schedule = Schedule {
                unit: match a.every {
                    UnitArg::Day => Unit::Day,
                    UnitArg::Week => Unit::Week,
                    UnitArg::Month => Unit::Month,
                    UnitArg::Year => Unit::Year,
                },
                every: a.interval,
                start: a.expense.date.clone().unwrap_or_else(today),
                until: a.until,
                times: a.times,
            };
            let template = crate::build_expense(group, a.expense, ExpenseKind::Expense)?;
            let body = gfms_ledger::add_recurring(group.state(), Recurring { template, schedule })
                .map_err(err)?;
            say!("{}", group.append(body, now).map_err(err)?);
            Ok(true)
        }
        RecurringCommand::List(f) => {
            list(group, f.json);
            Ok(false)
        }
        RecurringCommand::Stop { id, from } => {
            let from = from.unwrap_or_else(today);
            let body =
                gfms_ledger::stop_recurring(group.state(), expense_id(&id)?, &from).map_err(err)?;
            group.append(body, now).map_err(err)?;
            say!("stopped: no instances on or after {from}");
            Ok(true)
        }
        RecurringCommand::Edit(e) => {
            let series = expense_id(&e.id)?;
            let from = e.from.clone().unwrap_or_else(today);
            let current = group
                .state()
                .recurring
                .get(&series)
                .and_then(|s| s.value_on(&from))
                .ok_or_else(|| {
                    format!("no recurring series {series} with an instance value on {from}")
                })?;
            let template = changed(current, e.amount.as_deref(), e.note, e.shop, e.category)?;
            let body =
                gfms_ledger::edit_series(group.state(), series, &from, template).map_err(err)?;
            group.append(body, now).map_err(err)?;
            say!("the series changes from {from} on");
            Ok(true)
        }
    }
}

/// `value` with the given fields changed (an amount scales several payers and exact
/// parts).
pub fn changed(
    mut value: Expense,
    amount: Option<&str>,
    note: Option<String>,
    shop: Option<String>,
    category: Option<String>,
) -> Result<Expense> {
    if let Some(a) = amount {
        let amount = gfms_ledger::parse_amount(a, &value.currency).map_err(err)?;
        value = gfms_ledger::rescale(&value, amount).map_err(err)?;
    }
    value.note = note.unwrap_or(value.note);
    value.shop = shop.unwrap_or(value.shop);
    value.category = category.unwrap_or(value.category);
    Ok(value)
}

fn unit(u: Unit) -> &'static str {
    match u {
        Unit::Day => "day",
        Unit::Week => "week",
        Unit::Month => "month",
        Unit::Year => "year",
    }
}

fn list(group: &mut Group, as_json: bool) {
    let today = today();
    let state = group.state().clone();
    let rows: Vec<_> = state
        .recurring
        .iter()
        .map(|(id, s)| {
            let now = s
                .value_on(&today)
                .or_else(|| s.templates.last().map(|t| t.template.clone()));
            (id, s, now, s.days(&today).len(), s.next_after(&today))
        })
        .collect();
    if as_json {
        let v: Vec<_> = rows
            .iter()
            .map(|(id, s, value, due, next)| {
                json!({"id": id.to_string(), "schedule": s.schedule, "value": value,
                       "stopped_from": s.stopped_from, "due": due, "next": next})
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    for (id, s, value, due, next) in rows {
        let every = match s.schedule.every {
            1 => format!("every {}", unit(s.schedule.unit)),
            n => format!("every {n} {}s", unit(s.schedule.unit)),
        };
        let (amount, what) = value.map_or((String::new(), String::new()), |v| {
            (
                format!("{} {}", format_amount(v.amount, &v.currency), v.currency),
                format!("{} {}", v.title, v.category).trim().to_string(),
            )
        });
        let next = match (&s.stopped_from, next) {
            (_, Some(n)) => format!("next {n}"),
            (Some(stop), None) => format!("stopped from {stop}"),
            (None, None) => "ended".into(),
        };
        say!(
            "{:>12} {:<16} {every} from {}, {due} due, {next}  {id}",
            amount,
            what,
            s.schedule.start
        );
    }
}
