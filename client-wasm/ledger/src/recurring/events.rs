//! What members write about a recurring series — set it up, edit the whole series from a
//! day, edit or skip one instance, stop it — checked against the state, and how each
//! event applies in ledger order.

use std::collections::BTreeMap;

use super::{Recurring, Series, TemplateFrom, bad};
use crate::dates::parse;
use crate::{Error, EventBody, EventId, Expense, MemberId, State};

/// Why a recurring event's values cannot be applied, if they cannot.
pub(crate) fn check_body(body: &EventBody) -> Result<(), &'static str> {
    let day = |d: &str| {
        parse(d)
            .map(|_| ())
            .map_err(|_| "a recurring day that is not a day")
    };
    match body {
        EventBody::RecurringAdded { value, .. } => {
            value
                .schedule
                .check()
                .map_err(|_| "a recurring schedule that cannot work (too many instances)")?;
            crate::bounds::check_expense(&value.template)
        }
        EventBody::RecurringEdited { from, template, .. } => {
            day(from)?;
            crate::bounds::check_expense(template)
        }
        EventBody::RecurringInstanceSet { date, value, .. } => {
            day(date)?;
            value.as_ref().map_or(Ok(()), crate::bounds::check_expense)
        }
        EventBody::RecurringStopped { from, .. } => day(from),
        _ => Ok(()),
    }
}

/// Applies a recurring event, in ledger order.
pub(crate) fn apply(s: &mut State, author: MemberId, body: &EventBody) {
    match body {
        EventBody::RecurringAdded { series, value } => {
            s.recurring.entry(*series).or_insert_with(|| Series {
                schedule: value.schedule.clone(),
                templates: vec![TemplateFrom {
                    from: value.schedule.start.clone(),
                    template: value.template.clone(),
                }],
                overrides: BTreeMap::new(),
                stopped_from: None,
                created_by: author,
            });
        }
        EventBody::RecurringEdited {
            series,
            from,
            template,
        } => {
            if let Some(r) = s.recurring.get_mut(series) {
                // Templates stay ascending: those from `from` on are replaced.
                r.templates.retain(|t| t.from.as_str() < from.as_str());
                r.templates.push(TemplateFrom {
                    from: from.clone(),
                    template: template.clone(),
                });
            }
        }
        EventBody::RecurringInstanceSet {
            series,
            date,
            value,
        } => {
            if let Some(r) = s.recurring.get_mut(series) {
                r.overrides.insert(date.clone(), value.clone());
            }
        }
        EventBody::RecurringStopped { series, from } => {
            if let Some(r) = s.recurring.get_mut(series)
                && r.stopped_from.as_deref().is_none_or(|s| from.as_str() < s)
            {
                r.stopped_from = Some(from.clone());
            }
        }
        _ => {}
    }
}

fn series(state: &State, id: EventId) -> Result<&Series, Error> {
    state
        .recurring
        .get(&id)
        .ok_or_else(|| Error::NotFound(format!("recurring series {id}")))
}

fn check_value(state: &State, value: &Expense) -> Result<(), Error> {
    let currency = &state.settings.as_ref().ok_or(Error::NoGroup)?.currency;
    value.validate(currency)?;
    crate::change::check_members(state, crate::change::expense_members(value))
}

/// Sets up a recurring expense: a schedule that works and a template that is a valid
/// expense among known members. The device records it with [`crate::Ledger::record`],
/// which names the series by that event.
pub fn add_recurring(state: &State, mut value: Recurring) -> Result<EventBody, Error> {
    value.schedule.check()?;
    value.template.date.clone_from(&value.schedule.start);
    check_value(state, &value.template)?;
    Ok(EventBody::RecurringAdded {
        series: EventId::nil(),
        value,
    })
}

/// The whole series takes `template` from `from` on (instances before keep theirs).
pub fn edit_series(
    state: &State,
    id: EventId,
    from: &str,
    mut template: Expense,
) -> Result<EventBody, Error> {
    series(state, id)?;
    parse(from)?;
    template.date = from.to_string();
    check_value(state, &template)?;
    Ok(EventBody::RecurringEdited {
        series: id,
        from: from.to_string(),
        template,
    })
}

/// One instance gets a value of its own (`None`: this one is skipped).
pub fn edit_instance(
    state: &State,
    id: EventId,
    date: &str,
    value: Option<Expense>,
) -> Result<EventBody, Error> {
    if !series(state, id)?.falls_on(date) {
        return Err(bad(format!("no instance falls on {date}")));
    }
    let value = match value {
        Some(mut v) => {
            v.date = date.to_string();
            check_value(state, &v)?;
            Some(v)
        }
        None => None,
    };
    Ok(EventBody::RecurringInstanceSet {
        series: id,
        date: date.to_string(),
        value,
    })
}

/// Stops the series: no instances on or after `from`. Final: to go on, set up another.
pub fn stop_recurring(state: &State, id: EventId, from: &str) -> Result<EventBody, Error> {
    series(state, id)?;
    parse(from)?;
    Ok(EventBody::RecurringStopped {
        series: id,
        from: from.to_string(),
    })
}
