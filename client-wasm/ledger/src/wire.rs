//! Reading the internally tagged enums (`EventBody`, `Split`) without serde's buffering.
//!
//! `#[derive(Deserialize)]` with `#[serde(tag = …)]` reads every value into serde's private
//! `Content` tree and deserializes it a second time from there: a second deserializer for
//! every field type, about a quarter of the serde code in the client wasm. Here the
//! object's members are kept as their JSON text (`RawValue`, no tree; one reader for all
//! variants), the tag is read, then each of the variant's fields from its text with the
//! one JSON reader the crate uses (`from_slice`). The JSON read is exactly what the derive read: same tag field, same
//! snake_case names, unknown fields ignored, `EventBody::Unknown` for a kind this version
//! does not know. Serialising is still derived (it does not buffer), so the enums keep
//! their `#[serde(tag = …)]` attribute and their TypeScript types.
//!
//! Adding a variant (or a field) to `EventBody` or `Split`: add it to the enum as usual
//! (`#[derive(Serialize)]` writes it), then add one line for it below, in the same list,
//! as `Variant = "snake_case_tag" { field: Type, … }`; a field older events lack is an
//! `Option` (missing reads as `None`) or is written `field: Type = Type::default()` (the
//! derive's `#[serde(default)]`). Forgetting the line does not
//! compile (`tag_of` matches every variant); a wrong tag or field fails the round-trip
//! test in this file.

use std::borrow::Cow;

use serde::de::{DeserializeOwned, Error, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::{EventBody, EventId, Expense, GroupSettings, MemberId, Settlement, Split};

/// A JSON object's members, each kept as its text: one reader for every variant of every
/// enum here, each field then read from its text with its own type's reader.
struct Members<'de>(Vec<(Name<'de>, Box<RawValue>)>);

/// A member's name: borrowed from the input when it has no escapes (an event's every
/// name), so reading an event allocates no string per field name.
struct Name<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Text)
    }
}

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<Name<'de>, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(Object)
    }
}

impl Members<'_> {
    /// The field `name` (as the derive reads it: twice is an error; missing is `None`
    /// for an `Option`, `default` when given, an error otherwise).
    fn get<T: DeserializeOwned, E: Error>(
        &self,
        name: &'static str,
        default: Option<fn() -> T>,
    ) -> Result<T, E> {
        let mut found = self.0.iter().filter(|(k, _)| k.0 == name);
        match (found.next(), found.next(), default) {
            (Some(_), Some(_), _) => Err(E::duplicate_field(name)),
            (Some((_, raw)), None, _) => {
                serde_json::from_slice(raw.get().as_bytes()).map_err(E::custom)
            }
            (None, _, Some(default)) => Ok(default()),
            (None, _, None) => serde_json::from_slice(b"null").map_err(|_| E::missing_field(name)),
        }
    }
}

/// `impl Deserialize` for an internally tagged enum with struct variants and unit
/// variants (`units`): `other` is what a tag not in the lists reads as (`None`: an error).
/// A field written `field: Type = default` reads as `default` when missing (the
/// derive's `#[serde(default)]`).
macro_rules! tagged {
    ($enum:ident, tag = $tag_field:literal, other = $other:expr,
     units = [$($unit:ident = $utag:literal),*], {
        $($(#[$attr:meta])* $variant:ident = $tag:literal { $($field:ident: $ty:ty $(= $default:expr)?),* $(,)? })*
    }) => {
        impl<'de> Deserialize<'de> for $enum {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let members = Members::deserialize(d)?;
                let tag: String = members.get($tag_field, None)?;
                match tag.as_str() {
                    $($(#[$attr])* $tag => Ok($enum::$variant {
                        $($field: members.get::<$ty, D::Error>(
                            stringify!($field),
                            tagged!(@default $ty $(, $default)?),
                        )?),*
                    }),)*
                    $($utag => Ok($enum::$unit),)*
                    _ => {
                        let other: Option<$enum> = $other;
                        other.ok_or_else(|| Error::unknown_variant(&tag, &[$($tag),*]))
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
                    $($(#[$attr])* $enum::$variant { .. } => $tag,)*
                    $($enum::$unit => $utag,)*
                }
            }
        }
    };
    (@default $ty:ty) => { None };
    (@default $ty:ty, $default:expr) => { Some((|| $default) as fn() -> $ty) };
}

tagged!(EventBody, tag = "type", other = Some(EventBody::Unknown), units = [Unknown = "unknown"], {
    GroupCreated = "group_created" { settings: GroupSettings }
    SettingsChanged = "settings_changed" { settings: GroupSettings }
    MemberJoined = "member_joined" {
        member: MemberId, name: String, card: Option<crate::Card>, epoch: u64 = 0
    }
    MemberRenamed = "member_renamed" { member: MemberId, name: String }
    MemberLeft = "member_left" { member: MemberId }
    MemberRemoved = "member_removed" { member: MemberId }
    ExpenseAdded = "expense_added" { expense: EventId, value: Expense }
    ExpenseEdited = "expense_edited" { expense: EventId, value: Expense }
    ExpensePatched = "expense_patched" { expense: EventId, base: Option<EventId>, changes: crate::ExpenseChanges }
    ExpenseDeleted = "expense_deleted" { expense: EventId }
    SettlementRecorded = "settlement_recorded" { settlement: EventId, value: Settlement }
    SettlementDeleted = "settlement_deleted" { settlement: EventId }
    PlaceholderAdded = "placeholder_added" { member: MemberId, name: String }
    PlaceholderClaimed = "placeholder_claimed" { placeholder: MemberId, member: MemberId }
    PaymentDetailsSet = "payment_details_set" { member: MemberId, details: crate::PaymentDetails }
    PushSubscriptionSet = "push_subscription_set" { subscription: Option<crate::PushSubscription> }
    #[cfg(feature = "recurring")]
    RecurringAdded = "recurring_added" { series: EventId, value: crate::Recurring }
    #[cfg(feature = "recurring")]
    RecurringEdited = "recurring_edited" { series: EventId, from: String, template: Expense }
    #[cfg(feature = "recurring")]
    RecurringInstanceSet = "recurring_instance_set" { series: EventId, date: String, value: Option<Expense> }
    #[cfg(feature = "recurring")]
    RecurringStopped = "recurring_stopped" { series: EventId, from: String }
    RelaySetChanged = "relay_set_changed" { relays: Vec<String>, k: u8 }
    MemberKeysPublished = "member_keys_published" {
        card: crate::Card, legacy: Vec<EventId> = Vec::new()
    }
    EpochStarted = "epoch_started" { epoch: u64, secrets: Vec<crate::SealedSecret> }
    EpochShared = "epoch_shared" {
        epoch: u64, start: EventId, secrets: Vec<crate::SealedSecret>
    }
    ReceiptAttached = "receipt_attached" {
        expense: EventId, hash: String, mime: String, size: u64, name: String,
        thumb: Option<String>
    }
    ReceiptRemoved = "receipt_removed" { expense: EventId, hash: String }
    ReceiptWanted = "receipt_wanted" { hash: String }
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
            ..Expense::default()
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
        let card = crate::Card {
            ed25519: "ed".into(),
            x25519: "x".into(),
        };
        let sealed = crate::SealedSecret {
            member: m(2),
            enc: "enc".into(),
            ct: "ct".into(),
        };
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
                card: None,
                epoch: 0,
            },
            EventBody::MemberJoined {
                member: m(2),
                name: "Bo".into(),
                card: Some(card.clone()),
                epoch: 3,
            },
            EventBody::MemberRenamed {
                member: m(1),
                name: "Anna".into(),
            },
            EventBody::MemberLeft { member: m(2) },
            EventBody::MemberRemoved { member: m(3) },
            EventBody::ExpenseDeleted { expense: id },
            EventBody::ExpensePatched {
                expense: id,
                base: Some(id),
                changes: crate::ExpenseChanges::from_json(r#"{"note":"offline","items":null}"#)
                    .unwrap(),
            },
            EventBody::ExpensePatched {
                expense: id,
                base: None,
                changes: crate::ExpenseChanges::default(),
            },
            EventBody::SettlementRecorded {
                settlement: id,
                value: Settlement {
                    from: m(1),
                    to: m(2),
                    amount: 300,
                    currency: "EUR".into(),
                    rate: None,
                    date: "2026-11-30".into(),
                    import_id: String::new(),
                },
            },
            EventBody::SettlementDeleted { settlement: id },
            EventBody::PlaceholderAdded {
                member: m(4),
                name: "Zoë".into(),
            },
            EventBody::PlaceholderClaimed {
                placeholder: m(4),
                member: m(1),
            },
            EventBody::PaymentDetailsSet {
                member: m(1),
                details: crate::PaymentDetails {
                    paypal: Some("ana".into()),
                    ..Default::default()
                },
            },
            EventBody::PushSubscriptionSet { subscription: None },
            EventBody::RelaySetChanged {
                relays: vec!["https://a.example".into()],
                k: 2,
            },
            EventBody::MemberKeysPublished {
                card: card.clone(),
                legacy: vec![id],
            },
            EventBody::MemberKeysPublished {
                card,
                legacy: Vec::new(),
            },
            EventBody::EpochStarted {
                epoch: 1,
                secrets: vec![sealed.clone()],
            },
            EventBody::EpochShared {
                epoch: 1,
                start: id,
                secrets: vec![sealed],
            },
            EventBody::ReceiptAttached {
                expense: id,
                hash: "ab".repeat(32),
                mime: "image/jpeg".into(),
                size: 1234,
                name: "till.jpg".into(),
                thumb: Some("cd".repeat(32)),
            },
            EventBody::ReceiptAttached {
                expense: id,
                hash: "ab".repeat(32),
                mime: "application/pdf".into(),
                size: 1,
                name: String::new(),
                thumb: None,
            },
            EventBody::ReceiptRemoved {
                expense: id,
                hash: "ab".repeat(32),
            },
            EventBody::ReceiptWanted {
                hash: "ab".repeat(32),
            },
            EventBody::Unknown,
        ];
        #[cfg(feature = "recurring")]
        bodies.extend([
            EventBody::RecurringAdded {
                series: id,
                value: crate::Recurring {
                    template: expense(Split::Equal {
                        members: vec![m(1)],
                    }),
                    schedule: crate::Schedule {
                        unit: crate::Unit::Month,
                        every: 1,
                        start: "2026-01-31".into(),
                        until: Some("2027-01-31".into()),
                        times: None,
                    },
                },
            },
            EventBody::RecurringEdited {
                series: id,
                from: "2026-03-01".into(),
                template: expense(Split::Equal {
                    members: vec![m(2)],
                }),
            },
            EventBody::RecurringInstanceSet {
                series: id,
                date: "2026-02-28".into(),
                value: None,
            },
            EventBody::RecurringStopped {
                series: id,
                from: "2026-06-01".into(),
            },
        ]);
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
                name: "Ana".into(),
                card: None,
                epoch: 0,
            }
        );
        let newer = r#"{"type":"trip_planned","trip":{"to":"Porto"}}"#;
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

    #[derive(Debug, PartialEq)]
    enum Probe {
        A { x: u8, y: Option<u8>, z: Vec<u8> },
    }
    tagged!(Probe, tag = "t", other = None, units = [], {
        A = "a" { x: u8, y: Option<u8>, z: Vec<u8> = Vec::new() }
    });

    /// Older or newer version: a field an older writer left out reads as `None` or as its
    /// default; a field given twice is refused, as the derive refused it.
    #[test]
    fn older_or_newer_version_missing_and_repeated_fields() {
        let read = |json: &str| serde_json::from_slice::<Probe>(json.as_bytes());
        let a = read(r#"{"t":"a","x":1}"#).unwrap();
        assert_eq!(a.tag_of(), "a");
        assert_eq!(
            a,
            Probe::A {
                x: 1,
                y: None,
                z: Vec::new()
            }
        );
        assert_eq!(
            read(r#"{"z":[3],"y":2,"t":"a","x":1}"#).unwrap(),
            Probe::A {
                x: 1,
                y: Some(2),
                z: vec![3]
            }
        );
        assert!(read(r#"{"t":"a"}"#).is_err());
        assert!(read(r#"{"t":"a","x":1,"x":2}"#).is_err());
        assert!(read(r#"{"t":"a","t":"a","x":1}"#).is_err());
    }
}
