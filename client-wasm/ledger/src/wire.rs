//! Reading the internally tagged enums (`EventBody`, `Split`) without serde's buffering.
//!
//! `#[derive(Deserialize)]` with `#[serde(tag = …)]` reads every value into serde's private
//! `Content` tree and deserializes it a second time from there: a second deserializer for
//! every field type, about a quarter of the serde code in the client wasm. Here the value
//! is kept as its JSON text (`RawValue`, no tree), the tag is read from it, then the
//! variant's fields are read from the same text with the one JSON reader the crate uses
//! (`from_slice`). The JSON read is exactly what the derive read: same tag field, same
//! snake_case names, unknown fields ignored, `EventBody::Unknown` for a kind this version
//! does not know. Serialising is still derived (it does not buffer), so the enums keep
//! their `#[serde(tag = …)]` attribute and their TypeScript types.
//!
//! Adding a variant (or a field) to `EventBody` or `Split`: add it to the enum as usual
//! (`#[derive(Serialize)]` writes it), then add one line for it below, in the same list,
//! as `Variant = "snake_case_tag" { field: Type, … }` with the field's serde attributes
//! (`#[serde(default)]` for a field older events lack). Forgetting the line does not
//! compile (`tag_of` matches every variant); a wrong tag or field fails the round-trip
//! test in this file.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::{EventBody, EventId, Expense, GroupSettings, MemberId, Settlement, Split};

/// Reads the fields of one variant from the value's text.
fn fields<T: serde::de::DeserializeOwned, E: serde::de::Error>(raw: &RawValue) -> Result<T, E> {
    serde_json::from_slice(raw.get().as_bytes()).map_err(E::custom)
}

/// `impl Deserialize` for an internally tagged enum with struct variants and unit
/// variants (`units`): `other` is what a tag not in the lists reads as (`None`: an error).
macro_rules! tagged {
    ($enum:ident, tag = $tag_field:literal, other = $other:expr,
     units = [$($unit:ident = $utag:literal),*], {
        $($variant:ident = $tag:literal { $($(#[$attr:meta])* $field:ident: $ty:ty),* $(,)? })*
    }) => {
        impl<'de> Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                struct Tag {
                    #[serde(rename = $tag_field)]
                    tag: String,
                }
                let raw = Box::<RawValue>::deserialize(d)?;
                let tag = fields::<Tag, D::Error>(&raw)?.tag;
                match tag.as_str() {
                    $($tag => {
                        #[derive(Deserialize)]
                        struct Fields { $($(#[$attr])* $field: $ty),* }
                        let f = fields::<Fields, D::Error>(&raw)?;
                        Ok($enum::$variant { $($field: f.$field),* })
                    })*
                    $($utag => Ok($enum::$unit),)*
                    _ => {
                        let other: Option<$enum> = $other;
                        other.ok_or_else(|| {
                            serde::de::Error::unknown_variant(&tag, &[$($tag),*])
                        })
                    }
                }
            }
        }

        impl $enum {
            /// The tag each variant is written with; lists every variant, so a variant
            /// missing from the list above does not compile.
            #[cfg_attr(not(test), allow(dead_code))]
            fn tag_of(&self) -> &'static str {
                match self {
                    $($enum::$variant { .. } => $tag,)*
                    $($enum::$unit => $utag,)*
                }
            }
        }
    };
}

tagged!(EventBody, tag = "type", other = Some(EventBody::Unknown), units = [Unknown = "unknown"], {
    GroupCreated = "group_created" { settings: GroupSettings }
    SettingsChanged = "settings_changed" { settings: GroupSettings }
    MemberJoined = "member_joined" { member: MemberId, name: String }
    MemberRenamed = "member_renamed" { member: MemberId, name: String }
    MemberLeft = "member_left" { member: MemberId }
    MemberRemoved = "member_removed" { member: MemberId }
    ExpenseAdded = "expense_added" { expense: EventId, value: Expense }
    ExpenseEdited = "expense_edited" { expense: EventId, value: Expense }
    ExpenseDeleted = "expense_deleted" { expense: EventId }
    SettlementRecorded = "settlement_recorded" { settlement: EventId, value: Settlement }
    SettlementDeleted = "settlement_deleted" { settlement: EventId }
    RelaySetChanged = "relay_set_changed" { relays: Vec<String>, k: u8 }
});

tagged!(Split, tag = "kind", other = None, units = [], {
    Equal = "equal" { members: Vec<MemberId> }
    Shares = "shares" { weights: Vec<(MemberId, u32)> }
    Exact = "exact" { amounts: Vec<(MemberId, i64)> }
    Percent = "percent" { basis_points: Vec<(MemberId, u32)> }
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rate;

    fn m(b: u8) -> MemberId {
        MemberId([b; 16])
    }

    fn expense(split: Split) -> Expense {
        Expense {
            title: "Dinner".into(),
            amount: 1200,
            currency: "USD".into(),
            rate: Some(Rate {
                numerator: 9,
                denominator: 10,
            }),
            category: "food".into(),
            shop: "Zé's".into(),
            account: "card".into(),
            payers: vec![(m(1), 1200)],
            split,
            date: "2026-11-30".into(),
            note: String::new(),
        }
    }

    fn every_body() -> Vec<EventBody> {
        let settings = GroupSettings {
            name: "Trip".into(),
            currency: "EUR".into(),
            categories: vec!["food".into()],
            accounts: vec!["cash".into()],
        };
        let id = EventId::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);
        let splits = [
            Split::Equal {
                members: vec![m(1), m(2)],
            },
            Split::Shares {
                weights: vec![(m(1), 2), (m(2), 1)],
            },
            Split::Exact {
                amounts: vec![(m(1), 700), (m(2), 500)],
            },
            Split::Percent {
                basis_points: vec![(m(1), 5000), (m(2), 5000)],
            },
        ];
        let mut bodies = vec![
            EventBody::GroupCreated {
                settings: settings.clone(),
            },
            EventBody::SettingsChanged { settings },
            EventBody::MemberJoined {
                member: m(1),
                name: "Ana".into(),
            },
            EventBody::MemberRenamed {
                member: m(1),
                name: "Anna".into(),
            },
            EventBody::MemberLeft { member: m(2) },
            EventBody::MemberRemoved { member: m(3) },
            EventBody::ExpenseDeleted { expense: id },
            EventBody::SettlementRecorded {
                settlement: id,
                value: Settlement {
                    from: m(1),
                    to: m(2),
                    amount: 300,
                    currency: "EUR".into(),
                    rate: None,
                    date: "2026-11-30".into(),
                },
            },
            EventBody::SettlementDeleted { settlement: id },
            EventBody::RelaySetChanged {
                relays: vec!["https://a.example".into()],
                k: 2,
            },
            EventBody::Unknown,
        ];
        for split in splits {
            bodies.push(EventBody::ExpenseAdded {
                expense: id,
                value: expense(split.clone()),
            });
            bodies.push(EventBody::ExpenseEdited {
                expense: id,
                value: expense(split),
            });
        }
        bodies
    }

    /// Older or newer version: what this version writes, every kind and every split,
    /// reads back the same, under the tag the derive writes.
    #[test]
    fn older_or_newer_version_reads_every_kind_and_split_it_writes() {
        for body in every_body() {
            let json = serde_json::to_string(&body).unwrap();
            assert!(
                json.starts_with(&format!("{{\"type\":\"{}\"", body.tag_of())),
                "{json}"
            );
            if let EventBody::ExpenseAdded { value, .. } = &body {
                let split = serde_json::to_string(&value.split).unwrap();
                assert!(split.starts_with(&format!("{{\"kind\":\"{}\"", value.split.tag_of())));
            }
            let back: EventBody = serde_json::from_slice(json.as_bytes()).unwrap();
            assert_eq!(back, body, "{json}");
        }
    }

    /// Older or newer version: a writer that puts the tag last and adds fields this
    /// version does not know is read as before (the derive accepted both); a kind this
    /// version does not know is `Unknown`; a split kind it does not know, or a body with
    /// no tag, is refused (the event is then kept unread, `stored.rs`).
    #[test]
    fn older_or_newer_version_tag_anywhere_unknown_fields_and_kinds() {
        let member = "01".repeat(16);
        let json = format!(
            r#"{{"member":"{member}","future":{{"a":[1,2]}},"name":"Ana","type":"member_joined"}}"#
        );
        assert_eq!(
            serde_json::from_slice::<EventBody>(json.as_bytes()).unwrap(),
            EventBody::MemberJoined {
                member: m(1),
                name: "Ana".into()
            }
        );
        let newer = r#"{"type":"receipt_attached","receipt":{"sha":"00"}}"#;
        assert_eq!(
            serde_json::from_slice::<EventBody>(newer.as_bytes()).unwrap(),
            EventBody::Unknown
        );
        let split = format!(r#"{{"members":["{member}"],"kind":"equal"}}"#);
        assert_eq!(
            serde_json::from_slice::<Split>(split.as_bytes()).unwrap(),
            Split::Equal {
                members: vec![m(1)]
            }
        );
        for refused in [
            r#"{"kind":"by_income","members":[]}"#,
            r#"{"members":[]}"#,
            r#"{"kind":"equal"}"#,
        ] {
            assert!(
                serde_json::from_slice::<Split>(refused.as_bytes()).is_err(),
                "{refused}"
            );
        }
        for refused in [r#"{"member":"00"}"#, r#"{"type":"member_left"}"#, "[]", "7"] {
            assert!(
                serde_json::from_slice::<EventBody>(refused.as_bytes()).is_err(),
                "{refused}"
            );
        }
    }
}
