//! A sync round in the facade: the app's driver (web/src/core/sync/driver.ts) asks for
//! the next step, makes its requests with `fetch`, and hands each answer back.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use gfms_sync::{Group, Outcome, Round, Step};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::group::{GroupClient, ms, to_json};

#[wasm_bindgen]
impl GroupClient {
    /// Starts a sync round.
    #[wasm_bindgen(js_name = syncRound)]
    pub fn sync_round(&self, now_ms: f64) -> SyncRound {
        let round = Round::new(&mut self.group.borrow_mut(), ms(now_ms));
        SyncRound {
            group: self.group.clone(),
            round,
            bodies: BTreeMap::new(),
        }
    }
}

/// A sync round in progress: the app's driver makes its requests with `fetch`.
#[wasm_bindgen]
pub struct SyncRound {
    group: Rc<RefCell<Group>>,
    round: Round,
    bodies: BTreeMap<u64, Vec<u8>>,
}

/// A step as the app's driver reads it: `{kind, requests?, report?}`. Plain structs rather
/// than `serde_json::json!`, which would pull `serde_json::Value` and a second serializer
/// for every type it holds into the first load.
#[derive(Serialize)]
struct WireStep<'a, R: Serialize> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    requests: Option<Vec<WireRequest>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a R>,
}

#[derive(Serialize)]
struct WireRequest {
    id: u64,
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    has_body: bool,
}

#[wasm_bindgen]
impl SyncRound {
    /// The next step as JSON: `{kind: "requests", requests}`, `{kind: "persist"}` or
    /// `{kind: "done", report}`. Request bodies come from `body(id)`.
    #[wasm_bindgen(js_name = next)]
    pub fn step(&mut self) -> Result<String, JsValue> {
        let step = self.round.next(&mut self.group.borrow_mut());
        match step {
            Step::Persist => to_json(&WireStep::<()> {
                kind: "persist",
                requests: None,
                report: None,
            }),
            Step::Done(report) => to_json(&WireStep {
                kind: "done",
                requests: None,
                report: Some(&report),
            }),
            Step::Requests(requests) => {
                let wire: Vec<WireRequest> = requests
                    .into_iter()
                    .map(|r| {
                        let has_body = r.body.is_some();
                        if let Some(b) = r.body {
                            self.bodies.insert(r.id, b);
                        }
                        WireRequest {
                            id: r.id,
                            method: r.method.as_str(),
                            url: r.url,
                            headers: r.headers,
                            has_body,
                        }
                    })
                    .collect();
                to_json(&WireStep::<()> {
                    kind: "requests",
                    requests: Some(wire),
                    report: None,
                })
            }
        }
    }

    /// The body of request `id` (taken: call once).
    pub fn body(&mut self, id: f64) -> Option<Vec<u8>> {
        self.bodies.remove(&(id as u64))
    }

    /// The relay answered request `id`.
    pub fn handle(&mut self, id: f64, status: u16, body: &[u8]) {
        self.bodies.remove(&(id as u64));
        let outcome = Outcome::Response {
            status,
            body: body.to_vec(),
        };
        self.round
            .handle(&mut self.group.borrow_mut(), id as u64, outcome);
    }

    /// Request `id` got no answer.
    pub fn fail(&mut self, id: f64, message: &str) {
        self.bodies.remove(&(id as u64));
        self.round.handle(
            &mut self.group.borrow_mut(),
            id as u64,
            Outcome::Failed(message.to_string()),
        );
    }

    /// The app saved the group durably.
    pub fn persisted(&mut self) {
        self.round.persisted();
    }
}
