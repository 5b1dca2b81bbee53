//! The group facade for the PWA: one `GroupClient` per group on the device, and a
//! `SyncRound` the app's `fetch` driver runs. Values cross as JSON strings (the shapes
//! of web/src/core/types.ts, which web/src/core/wasm.ts parses); share bytes cross as
//! `Uint8Array`. Every error is a JS `Error` with a `code`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use gfms_ledger::{
    EventId, Expense, Filter, GroupSettings, MemberId, Settlement, balance_sheet, balances,
    filtered, settle_up, split_amount,
};
use gfms_sync::{Group, Invite};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::error::js_error;

fn sync_err(e: gfms_sync::Error) -> JsValue {
    js_error(e.code(), &e)
}

pub(super) fn parse<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, JsValue> {
    serde_json::from_slice(json.as_bytes())
        .map_err(|e| js_error("bad_argument", format!("{what}: {e}")))
}

pub(super) fn to_json<T: Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| js_error("internal", e))
}

pub(super) fn event_id(s: &str) -> Result<EventId, JsValue> {
    EventId::parse_str(s).map_err(|_| js_error("bad_id", format!("not an id: {s}")))
}

pub(super) fn member_id(s: &str) -> Result<MemberId, JsValue> {
    MemberId::parse(s).map_err(|e| js_error("bad_id", e))
}

pub(super) fn ms(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateOptions {
    name: String,
    member_name: String,
    currency: String,
    relays: Vec<String>,
    k: u8,
    now_ms: f64,
    #[serde(default)]
    registration_keys: BTreeMap<String, String>,
}

/// What an invite says, for `peekInvite`.
#[derive(Serialize)]
struct InvitePeek<'a> {
    name: &'a str,
    relays: &'a [String],
    k: u8,
}

/// One group on this device.
#[wasm_bindgen]
pub struct GroupClient {
    pub(super) group: Rc<RefCell<Group>>,
    /// The device's calendar day (`setToday`): the views count the recurring instances
    /// due by then. Empty: none.
    #[cfg(feature = "recurring")]
    pub(super) today: RefCell<String>,
}

impl GroupClient {
    fn wrap(mut group: Group) -> Self {
        // A browser: share requests without a CORS preflight, a round trip each.
        group.use_simple_requests();
        Self {
            group: Rc::new(RefCell::new(group)),
            #[cfg(feature = "recurring")]
            today: RefCell::default(),
        }
    }

    /// Runs `f` on the state the views show: with the recurring instances due by the
    /// day `setToday` gave, in a build with recurring expenses.
    pub(super) fn viewed<R>(&self, f: impl FnOnce(&gfms_ledger::State) -> R) -> R {
        let mut g = self.group.borrow_mut();
        #[cfg(feature = "recurring")]
        {
            let today = self.today.borrow();
            if !today.is_empty() {
                // a state of its own, computed again rather than copied: no copy of
                // `State` in the wasm (docs/benchmarks.md)
                let mut s = g.ledger().state();
                gfms_ledger::add_due(&mut s, &today);
                return f(&s);
            }
        }
        f(g.state())
    }
}

#[wasm_bindgen]
impl GroupClient {
    /// Creates a group: `{name, memberName, currency, relays, k, nowMs}` as JSON.
    pub fn create(options: &str) -> Result<GroupClient, JsValue> {
        let o: CreateOptions = parse(options, "options")?;
        let settings = GroupSettings {
            name: o.name.trim().to_string(),
            currency: o.currency.trim().to_ascii_uppercase(),
            categories: [
                "Groceries",
                "Restaurants",
                "Rent",
                "Transport",
                "Travel",
                "Fun",
                "Other",
            ]
            .map(String::from)
            .to_vec(),
            accounts: ["Cash", "Card", "Bank"].map(String::from).to_vec(),
        };
        let mut group = Group::create(settings, &o.member_name, &o.relays, o.k, ms(o.now_ms))
            .map_err(sync_err)?;
        for (url, key) in &o.registration_keys {
            group.set_registration_key(url, key).map_err(sync_err)?;
        }
        Ok(Self::wrap(group))
    }

    /// Joins with an invite code or link.
    pub fn join(code: &str, member_name: &str, now_ms: f64) -> Result<GroupClient, JsValue> {
        let invite = Invite::decode(code).map_err(sync_err)?;
        Group::join(&invite, member_name, ms(now_ms))
            .map(Self::wrap)
            .map_err(sync_err)
    }

    /// Restores a group from `save()`'s JSON.
    pub fn load(saved: &str) -> Result<GroupClient, JsValue> {
        Group::load(saved).map(Self::wrap).map_err(sync_err)
    }

    /// What an invite says, without joining: `{name, relays, k}`.
    #[wasm_bindgen(js_name = peekInvite)]
    pub fn peek_invite(code: &str) -> Result<String, JsValue> {
        let i = Invite::decode(code).map_err(sync_err)?;
        to_json(&InvitePeek {
            name: &i.name,
            relays: &i.relays,
            k: i.k,
        })
    }

    /// Stable local key for storage.
    #[wasm_bindgen(js_name = groupKey)]
    pub fn group_key(&self) -> String {
        self.group.borrow().key()
    }

    /// This device's member id.
    pub fn me(&self) -> String {
        self.group.borrow().me().to_string()
    }

    /// The state as JSON: the ledger's state (with `warnings`: members sharing a name,
    /// events not applied; the recurring instances due by `setToday`'s day among its
    /// expenses, and `instances`: each one's series and day) and `device`, what this
    /// device still has to deliver ([`gfms_sync::DeviceView`]).
    pub fn state(&self) -> Result<String, JsValue> {
        #[derive(Serialize)]
        struct View<'a> {
            #[serde(flatten)]
            state: &'a gfms_ledger::State,
            device: gfms_sync::DeviceView,
            #[cfg(feature = "recurring")]
            instances: BTreeMap<EventId, gfms_ledger::InstanceOf>,
        }
        let device = self.group.borrow_mut().device_view();
        #[cfg(feature = "recurring")]
        let instances = self.instances();
        self.viewed(|state| {
            to_json(&View {
                state,
                device,
                #[cfg(feature = "recurring")]
                instances,
            })
        })
    }

    /// Member keys as JSON ([`gfms_sync::KeysView`]): whether the group is signed, this
    /// device's safety code, each member's (or that it runs an older version), the key
    /// epoch. The removed-member notice and the events kept aside are in `state().device`
    /// (`removed`, `kept_aside`).
    pub fn keys(&self) -> Result<String, JsValue> {
        to_json(&self.group.borrow_mut().keys_view())
    }

    /// Everything to keep in storage (holds the group secret). Throws (code
    /// `bad_state`) rather than give anything but the whole state: keep the old save.
    pub fn save(&self) -> Result<String, JsValue> {
        self.group.borrow().save().map_err(sync_err)
    }

    /// The invite code.
    #[wasm_bindgen(js_name = inviteCode)]
    pub fn invite_code(&self) -> String {
        self.group.borrow_mut().invite().encode()
    }

    /// The invite link (`#join=` fragment: never sent to a server).
    #[wasm_bindgen(js_name = inviteLink)]
    pub fn invite_link(&self, app_url: &str) -> String {
        self.group.borrow_mut().invite().link(app_url)
    }

    /// Records an expense (JSON); returns its id.
    #[wasm_bindgen(js_name = addExpense)]
    pub fn add_expense(&self, expense: &str, now_ms: f64) -> Result<String, JsValue> {
        let e: Expense = parse(expense, "expense")?;
        let id = self
            .group
            .borrow_mut()
            .add_expense(e, ms(now_ms))
            .map_err(sync_err)?;
        Ok(id.to_string())
    }

    /// Replaces an expense.
    #[wasm_bindgen(js_name = editExpense)]
    pub fn edit_expense(&self, id: &str, expense: &str, now_ms: f64) -> Result<(), JsValue> {
        let e: Expense = parse(expense, "expense")?;
        self.group
            .borrow_mut()
            .edit_expense(event_id(id)?, e, ms(now_ms))
            .map_err(sync_err)
    }

    /// Deletes an expense.
    #[wasm_bindgen(js_name = deleteExpense)]
    pub fn delete_expense(&self, id: &str, now_ms: f64) -> Result<(), JsValue> {
        self.group
            .borrow_mut()
            .delete_expense(event_id(id)?, ms(now_ms))
            .map_err(sync_err)
    }

    /// Records a repayment (JSON); returns its id.
    #[wasm_bindgen(js_name = recordSettlement)]
    pub fn record_settlement(&self, settlement: &str, now_ms: f64) -> Result<String, JsValue> {
        let s: Settlement = parse(settlement, "settlement")?;
        let id = self
            .group
            .borrow_mut()
            .record_settlement(s, ms(now_ms))
            .map_err(sync_err)?;
        Ok(id.to_string())
    }

    /// Deletes a repayment.
    #[wasm_bindgen(js_name = deleteSettlement)]
    pub fn delete_settlement(&self, id: &str, now_ms: f64) -> Result<(), JsValue> {
        self.group
            .borrow_mut()
            .delete_settlement(event_id(id)?, ms(now_ms))
            .map_err(sync_err)
    }

    /// Renames a member.
    #[wasm_bindgen(js_name = renameMember)]
    pub fn rename_member(&self, member: &str, name: &str, now_ms: f64) -> Result<(), JsValue> {
        self.group
            .borrow_mut()
            .rename_member(member_id(member)?, name, ms(now_ms))
            .map_err(sync_err)
    }

    /// Removes a member (a lost phone).
    #[wasm_bindgen(js_name = removeMember)]
    pub fn remove_member(&self, member: &str, now_ms: f64) -> Result<(), JsValue> {
        self.group
            .borrow_mut()
            .remove_member(member_id(member)?, ms(now_ms))
            .map_err(sync_err)
    }

    /// Notifications on: this device's `PushSubscription.toJSON()` keys as JSON
    /// `{endpoint, p256dh, auth}`; off: an empty string.
    #[wasm_bindgen(js_name = setPush)]
    pub fn set_push(&self, subscription: &str, now_ms: f64) -> Result<(), JsValue> {
        let sub = match subscription {
            "" => None,
            json => Some(parse(json, "push subscription")?),
        };
        self.group
            .borrow_mut()
            .set_push(sub, ms(now_ms))
            .map_err(sync_err)
    }

    /// Leaves the group.
    pub fn leave(&self, now_ms: f64) -> Result<(), JsValue> {
        self.group.borrow_mut().leave(ms(now_ms)).map_err(sync_err)
    }

    /// New settings (JSON).
    #[wasm_bindgen(js_name = changeSettings)]
    pub fn change_settings(&self, settings: &str, now_ms: f64) -> Result<(), JsValue> {
        let s: GroupSettings = parse(settings, "settings")?;
        self.group
            .borrow_mut()
            .change_settings(s, ms(now_ms))
            .map_err(sync_err)
    }

    /// Moves the group to another relay set (JSON array of URLs).
    #[wasm_bindgen(js_name = changeRelays)]
    pub fn change_relays(&self, relays: &str, k: u8, now_ms: f64) -> Result<(), JsValue> {
        let r: Vec<String> = parse(relays, "relays")?;
        self.group
            .borrow_mut()
            .change_relays(&r, k, ms(now_ms))
            .map_err(sync_err)
    }

    /// Expenses matching a filter (JSON), newest first: `[[id, expense], …]`.
    pub fn expenses(&self, filter: &str) -> Result<String, JsValue> {
        let f: Filter = parse(filter, "filter")?;
        self.viewed(|s| to_json(&filtered(s, &f)))
    }

    /// Balance per member (JSON).
    pub fn balances(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&balances(s)))
    }

    /// Balances with what they could not count: `{balances, uncounted: [{id, what,
    /// reason}]}` (JSON).
    #[wasm_bindgen(js_name = balanceSheet)]
    pub fn balance_sheet(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&balance_sheet(s)))
    }

    /// The fewest-transfers plan (JSON).
    #[wasm_bindgen(js_name = settleUp)]
    pub fn settle_up(&self) -> Result<String, JsValue> {
        self.viewed(|s| to_json(&settle_up(&balances(s))))
    }

    /// An expense's parts as split (JSON), or an error with a code.
    #[wasm_bindgen(js_name = splitParts)]
    pub fn split_parts(&self, expense: &str) -> Result<String, JsValue> {
        let e: Expense = parse(expense, "expense")?;
        if e.amount.abs() > gfms_ledger::MAX_AMOUNT {
            return Err(js_error(
                "out_of_bounds",
                "the amount is beyond the largest the app handles (10^13 minor units)",
            ));
        }
        let parts = split_amount(e.amount, &e.split).map_err(|e| js_error(e.code(), &e))?;
        to_json(&parts)
    }

    /// The whole event log, each event's exact stored text as a JSON array (the app reads
    /// who was active when from it).
    pub fn events(&self) -> Result<String, JsValue> {
        let g = self.group.borrow();
        let texts: Vec<&str> = g.ledger().stored().map(|e| e.text()).collect();
        to_json(&texts)
    }

    /// The whole event log for the reports module's JSON backup (statistics and exports
    /// live in `gfms-reports`, loaded on first use, so the first load stays small):
    /// `{"events": [each event's exact stored text], "sigs": [its signature or null]}`, so
    /// events this version does not read are backed up byte for byte, with the signatures
    /// the importing device checks, and the backup names its group.
    #[wasm_bindgen(js_name = backupEvents)]
    pub fn backup_events(&self) -> Result<String, JsValue> {
        #[derive(Serialize)]
        struct Events<'a> {
            events: Vec<&'a str>,
            sigs: Vec<Option<&'a str>>,
        }
        let g = self.group.borrow();
        to_json(&Events {
            events: g.ledger().stored().map(|e| e.text()).collect(),
            sigs: g.ledger().stored().map(|e| e.signature()).collect(),
        })
    }

    /// Imports a JSON export; returns `{added, duplicates}`.
    #[wasm_bindgen(js_name = importJson)]
    pub fn import_json(&self, json: &str) -> Result<String, JsValue> {
        let r = self
            .group
            .borrow_mut()
            .import_json(json)
            .map_err(sync_err)?;
        to_json(&r)
    }

    /// Pending outgoing batches (JSON).
    pub fn pending(&self) -> Result<String, JsValue> {
        to_json(&self.group.borrow().pending())
    }

    /// Unix ms of the last finished round (0: never).
    #[wasm_bindgen(js_name = lastSyncMs)]
    pub fn last_sync_ms(&self) -> f64 {
        self.group.borrow().last_sync_ms() as f64
    }

    /// `[[wsUrl, [subprotocols]]]` (JSON).
    #[wasm_bindgen(js_name = pushEndpoints)]
    pub fn push_endpoints(&self) -> Result<String, JsValue> {
        to_json(&self.group.borrow().push_endpoints())
    }

    /// A relay pushed a share with its bytes (`share_put` with `bytes`): `relay` is the
    /// push socket's URL, `data` the base64url bytes. `"merged"` when its batch opened
    /// (save, then show it; the acks go with the next round), else `"held"`,
    /// `"ignored"` or `"refused"` (the bytes do not authenticate: the next round's report
    /// names the relay). Never throws.
    #[wasm_bindgen(js_name = offerShare)]
    pub fn offer_share(&self, relay: &str, share_id: &str, data: &str, now_ms: f64) -> String {
        let Ok(sid) = gfms_protocol::ShareId::parse(share_id) else {
            return "ignored".into();
        };
        self.group
            .borrow_mut()
            .offer_share(relay, sid, data, ms(now_ms))
            .kind()
            .into()
    }
}
