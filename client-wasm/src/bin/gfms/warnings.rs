//! Warnings for people: a sync round's (relays by URL, members by name, events kept
//! aside, keys published in a member's name), the standing ones `gfms status` shows,
//! and the line for a member who left.

use std::collections::BTreeMap;

use gfms_ledger::MemberId;
use gfms_sync::Group;

use crate::output::{name, names};

/// What a leaving device still has to do, as one line.
pub fn leaving_line(group: &mut Group) -> String {
    if let Some(r) = group.removal() {
        format!(
            "you were removed from {} by {}: this copy is read-only and gets nothing new; `gfms export` keeps it, and this state directory may be deleted",
            r.group, r.by_name
        )
    } else if group.ready_to_delete() {
        "you left the group and everything you wrote was delivered: this state directory may be deleted".into()
    } else if group.alone() {
        "leaving: no other member is known here, so nothing can be handed over yet; if nobody else ever joined, this state directory may be deleted".into()
    } else {
        format!(
            "leaving: {} unsent event(s) and {} batch(es) still to deliver; run `gfms leave` (or `gfms sync`) again",
            group.unsent_count(),
            group.outbox_len()
        )
    }
}

/// The events kept aside (not applied: a bad or missing signature, or signed by a
/// member in another's name), for people, with members by name.
pub fn kept_aside_lines(group: &mut Group) -> Vec<String> {
    let names = names(group);
    group
        .kept_aside()
        .iter()
        .map(|k| aside_line(&names, k, "kept aside, not applied"))
        .collect()
}

/// "event … by Ann {what}: signed by Ben in Ann's name".
fn aside_line(names: &BTreeMap<MemberId, String>, k: &gfms_sync::KeptAside, what: &str) -> String {
    let author = k
        .author
        .map_or_else(|| "an unknown member".to_string(), |a| name(names, &a));
    let why = match &k.reason {
        gfms_sync::AsideReason::SignedByOther { signer } => {
            format!("signed by {} in {author}'s name", name(names, signer))
        }
        other => other.describe(),
    };
    format!("event {} by {author} {what}: {why}", k.event)
}

/// `text` with every member id in it replaced by the member's name (a relay's error
/// names members by id).
fn with_names(names: &BTreeMap<MemberId, String>, text: &str) -> String {
    names
        .iter()
        .fold(text.to_string(), |t, (id, n)| t.replace(&id.to_string(), n))
}

/// A sync round's warnings, for people: relays by URL, members by name. Relays that
/// were down, served tampered data or reported acks no member signed; events kept aside
/// this round; and members in whose name another phone published keys this round
/// (compare safety codes: `gfms members --safety`).
pub fn sync_warnings(group: &mut Group, report: &gfms_sync::SyncReport) -> Vec<String> {
    use gfms_sync::RelayHealth;
    let names = names(group);
    let mut out: Vec<String> = report
        .relays
        .iter()
        .filter_map(|r| {
            let what = match r.health {
                RelayHealth::Up => return None,
                RelayHealth::Down => "unreachable",
                RelayHealth::Tampering => "served tampered data",
                RelayHealth::Lying => "reported acks no member signed (its word is not taken)",
            };
            Some(match &r.error {
                Some(e) => format!("relay {} {what}: {}", r.url, with_names(&names, e)),
                None => format!("relay {} {what}", r.url),
            })
        })
        .collect();
    out.extend(
        report
            .kept_aside
            .iter()
            .map(|k| aside_line(&names, k, "kept aside")),
    );
    // Named in the round that brought the key (an event kept aside in that member's
    // name); `gfms members --safety` shows it after, every time.
    let named: Vec<_> = report.kept_aside.iter().filter_map(|k| k.author).collect();
    let keys = group.keys_view();
    let conflicting = keys
        .members
        .iter()
        .filter(|m| m.conflicting_keys > 0 && named.contains(&m.member));
    out.extend(conflicting.map(|m| {
        format!(
            "another phone published {} key(s) in {}'s name, not used: compare safety codes (gfms members --safety)",
            m.conflicting_keys,
            name(&names, &m.member)
        )
    }));
    out
}

/// The state's warnings, for people.
pub fn warnings(group: &mut Group) -> Vec<String> {
    let state = group.state().clone();
    let mut out: Vec<String> = state
        .warnings
        .iter()
        .map(|w| match w {
            gfms_ledger::Warning::SameName { name, members } => format!(
                "{} members are named {name:?} ({}); rename one",
                members.len(),
                members
                    .iter()
                    .map(|m| m.to_string()[..8].to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            gfms_ledger::Warning::Ignored { event, reason } => {
                format!("event {event} is not applied: {reason}")
            }
        })
        .collect();
    out.extend(
        gfms_ledger::balance_sheet(&state)
            .uncounted
            .iter()
            .map(|u| format!("{} {} is not in the balances: {}", u.what, u.id, u.reason)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gfms_ledger::GroupSettings;
    use gfms_sync::{AsideReason, KeptAside, RelayHealth, RelayReport, SyncReport};

    /// Ann's device, with Ben in the group (added by name: his id and name are known).
    fn ann_and_ben() -> (Group, MemberId, MemberId) {
        let settings = GroupSettings {
            name: "Trip".into(),
            currency: "EUR".into(),
            categories: vec![],
            accounts: vec![],
        };
        let relays = [
            "https://r1.example".to_string(),
            "https://r2.example".to_string(),
        ];
        let mut ann = Group::create(settings, "Ann", &relays, 2, 1_000).expect("create");
        crate::members::add(&mut ann, "Ben", 2_000).expect("add Ben");
        let a = ann.me();
        let b = ann
            .state()
            .members
            .iter()
            .find(|(_, m)| m.name == "Ben")
            .map(|(id, _)| *id)
            .expect("Ben");
        (ann, a, b)
    }

    #[test]
    fn sync_warnings_name_members_by_name_and_relays_by_url() {
        // adversaries: a lying relay (acks with no receipt) and a forging member (Ben
        // signs an event in Ann's name)
        let (mut ann, a, b) = ann_and_ben();
        let report = SyncReport {
            relays: vec![
                RelayReport {
                    url: "https://r1.example".into(),
                    health: RelayHealth::Lying,
                    error: Some(format!(
                        "listed member {b} as having batch 00ff without its signed receipt"
                    )),
                },
                RelayReport {
                    url: "https://r2.example".into(),
                    health: RelayHealth::Up,
                    error: None,
                },
            ],
            kept_aside: vec![KeptAside {
                event: gfms_ledger::new_event_id(3_000, [7; 10]),
                author: Some(a),
                reason: AsideReason::SignedByOther { signer: b },
            }],
            ..SyncReport::default()
        };
        let lines = sync_warnings(&mut ann, &report);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(
            lines[0],
            "relay https://r1.example reported acks no member signed (its word is not taken): listed member Ben as having batch 00ff without its signed receipt"
        );
        assert!(
            lines[1].ends_with("by Ann kept aside: signed by Ben in Ann's name"),
            "{}",
            lines[1]
        );
        for line in &lines {
            assert!(!line.contains(&a.to_string()) && !line.contains(&b.to_string()));
        }
    }
}
