//! How to pay a member: IBAN, PayPal.me, Revolut, Venmo, Lydia, free text. Kept in the
//! ledger (encrypted like everything else), set by the member (or by anyone for an
//! unclaimed placeholder), carried by the settle-up plan with a payment link where a
//! scheme exists. Every field is validated when written *and* when applied (an event
//! from a hostile device with a `javascript:` or control character is not applied), and
//! links are built here from validated user names only, never from a URL a member gave.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, MemberId, State, Transfer, format_amount, settle_up};

/// The longest free-text payment note, in characters.
pub const MAX_PAYMENT_NOTE: usize = 140;
/// The longest user name of a payment service, in characters.
pub const MAX_PAYMENT_HANDLE: usize = 40;

/// How to pay a member. Every field is optional.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentDetails {
    /// IBAN (checked with its mod-97 checksum), stored without spaces, upper case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub iban: Option<String>,
    /// PayPal.me user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub paypal: Option<String>,
    /// Revolut user name (revtag, without `@`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub revolut: Option<String>,
    /// Venmo user name (without `@`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub venmo: Option<String>,
    /// Lydia: the phone number the account uses (no link: shown as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub lydia: Option<String>,
    /// Free text ("cash is fine").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub note: Option<String>,
}

/// A link that opens a payment app, built from validated details.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLink {
    /// `paypal`, `revolut` or `venmo`.
    pub scheme: String,
    /// An `https://` URL on the service's own domain.
    pub url: String,
}

/// One payment of the settle-up plan, with how to pay its recipient.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPayment {
    /// Who pays whom how much.
    pub transfer: Transfer,
    /// The recipient's details, if they gave any.
    pub details: Option<PaymentDetails>,
    /// Links that pay them (with the amount where the scheme takes one).
    pub links: Vec<PaymentLink>,
}

fn bad(what: impl Into<String>) -> Error {
    Error::BadPaymentDetails(what.into())
}

/// Whether an IBAN (no spaces, upper case) has a valid shape and mod-97 checksum.
fn iban_ok(iban: &str) -> bool {
    let b = iban.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    let rotated = b[4..].iter().chain(&b[..4]);
    let mut rem: u32 = 0;
    for c in rotated {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Control characters and the bidirectional overrides that make text read otherwise.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn handle_ok(h: &str) -> bool {
    (1..=MAX_PAYMENT_HANDLE).contains(&h.chars().count())
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl PaymentDetails {
    /// The details cleaned up (IBAN without spaces, upper case; a leading `@` dropped
    /// from user names; text trimmed; empty fields dropped), then checked.
    pub fn normalized(mut self) -> Result<Self, Error> {
        let clean = |v: Option<String>| {
            v.map(|s| s.trim().trim_start_matches('@').to_string())
                .filter(|s| !s.is_empty())
        };
        self.iban = self
            .iban
            .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
            .map(|s| s.to_ascii_uppercase())
            .filter(|s| !s.is_empty());
        self.paypal = clean(self.paypal);
        self.revolut = clean(self.revolut);
        self.venmo = clean(self.venmo);
        self.lydia = clean(self.lydia);
        self.note = self
            .note
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        self.validate()?;
        Ok(self)
    }

    /// Checks every field: an IBAN with its checksum, user names of letters, digits,
    /// `_`, `-` and `.` only (so no link can carry anything else), a phone number of
    /// digits, spaces and a leading `+`, a note without control characters.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(iban) = &self.iban
            && !iban_ok(iban)
        {
            return Err(bad("not a valid IBAN (check the digits)"));
        }
        for (name, h) in [
            ("PayPal.me", &self.paypal),
            ("Revolut", &self.revolut),
            ("Venmo", &self.venmo),
        ] {
            if let Some(h) = h
                && !handle_ok(h)
            {
                return Err(bad(format!(
                    "a {name} user name has 1 to {MAX_PAYMENT_HANDLE} letters, digits, _ - or ."
                )));
            }
        }
        if let Some(p) = &self.lydia {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            let ok = p
                .char_indices()
                .all(|(i, c)| c.is_ascii_digit() || c == ' ' || (c == '+' && i == 0));
            if !ok || !(6..=15).contains(&digits) {
                return Err(bad("a Lydia phone number has 6 to 15 digits"));
            }
        }
        if let Some(n) = &self.note
            && (n.chars().count() > MAX_PAYMENT_NOTE || n.chars().any(hidden))
        {
            return Err(bad(format!(
                "a note has at most {MAX_PAYMENT_NOTE} characters and no control characters"
            )));
        }
        Ok(())
    }

    /// Links that pay `amount` minor units of `currency` to this member: PayPal.me (with
    /// the amount and currency), Revolut, Venmo (with the amount in US dollars only).
    /// None for details that do not validate.
    pub fn links(&self, amount: i64, currency: &str) -> Vec<PaymentLink> {
        if self.validate().is_err() {
            return Vec::new();
        }
        let value = format_amount(amount, currency);
        let mut out = Vec::new();
        if let Some(u) = &self.paypal {
            let url = match amount > 0 && currency.len() == 3 {
                true => format!("https://paypal.me/{u}/{value}{currency}"),
                false => format!("https://paypal.me/{u}"),
            };
            out.push(PaymentLink {
                scheme: "paypal".into(),
                url,
            });
        }
        if let Some(u) = &self.revolut {
            out.push(PaymentLink {
                scheme: "revolut".into(),
                url: format!("https://revolut.me/{u}"),
            });
        }
        if let Some(u) = &self.venmo {
            let url = match amount > 0 && currency == "USD" {
                true => format!("https://venmo.com/{u}?txn=pay&amount={value}"),
                false => format!("https://venmo.com/{u}"),
            };
            out.push(PaymentLink {
                scheme: "venmo".into(),
                url,
            });
        }
        out
    }
}

/// The settle-up plan with each recipient's payment details and links.
pub fn plan_with_details(state: &State) -> Vec<PlannedPayment> {
    let currency = state
        .settings
        .as_ref()
        .map_or(String::new(), |s| s.currency.clone());
    settle_up(&crate::balances(state))
        .into_iter()
        .map(|t| {
            let details = state.payment_details.get(&t.to).cloned();
            let links = details
                .as_ref()
                .map_or_else(Vec::new, |d| d.links(t.amount, &currency));
            PlannedPayment {
                transfer: t,
                details,
                links,
            }
        })
        .collect()
}

/// `by` sets how to pay `member`: their own details, or a placeholder's nobody claimed.
pub fn set_payment_details(
    state: &State,
    member: MemberId,
    by: MemberId,
    details: PaymentDetails,
) -> Result<crate::EventBody, Error> {
    state.settings.as_ref().ok_or(Error::NoGroup)?;
    let details = details.normalized()?;
    if !may_set(&state.members, member, by) {
        return Err(Error::NotAllowed(
            "only a member, or anyone for a name-only member, sets how to pay them".into(),
        ));
    }
    Ok(crate::EventBody::PaymentDetailsSet { member, details })
}

/// Whether `by` may set `member`'s details.
pub(crate) fn may_set(
    members: &BTreeMap<MemberId, crate::Member>,
    member: MemberId,
    by: MemberId,
) -> bool {
    match members.get(&member) {
        Some(m) if m.placeholder => m.status == crate::MemberStatus::Active,
        Some(_) => member == by,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_with_their_checksum() {
        assert!(iban_ok("DE89370400440532013000"));
        assert!(iban_ok("GB82WEST12345698765432"));
        assert!(!iban_ok("DE89370400440532013001"));
        assert!(!iban_ok("DE89"));
        let d = PaymentDetails {
            iban: Some("de89 3704 0044 0532 0130 00".into()),
            ..Default::default()
        }
        .normalized()
        .unwrap();
        assert_eq!(d.iban.as_deref(), Some("DE89370400440532013000"));
    }

    /// Hostile member: payment details that would make a link run script, point
    /// elsewhere, or hide text with control characters are refused.
    #[test]
    fn hostile_member_javascript_urls_and_control_characters_are_refused() {
        for paypal in [
            "javascript:alert(1)",
            "alice/../../evil.example",
            "https://evil.example",
            "al ice",
            "alice?x=1",
            "alice#x",
        ] {
            let d = PaymentDetails {
                paypal: Some(paypal.into()),
                ..Default::default()
            };
            assert!(d.clone().normalized().is_err(), "{paypal}");
            assert!(d.links(100, "EUR").is_empty());
        }
        let note = PaymentDetails {
            note: Some("cash\u{202e}is fine\u{0007}".into()),
            ..Default::default()
        };
        assert!(note.normalized().is_err());
        let lydia = PaymentDetails {
            lydia: Some("+33 6 12 34 56 78; javascript:".into()),
            ..Default::default()
        };
        assert!(lydia.normalized().is_err());
    }

    #[test]
    fn links_carry_the_amount_where_the_scheme_takes_one() {
        let d = PaymentDetails {
            paypal: Some("@alice".into()),
            revolut: Some("alice_r".into()),
            venmo: Some("alice-v".into()),
            ..Default::default()
        }
        .normalized()
        .unwrap();
        let links = d.links(1250, "EUR");
        assert_eq!(links[0].url, "https://paypal.me/alice/12.50EUR");
        assert_eq!(links[1].url, "https://revolut.me/alice_r");
        assert_eq!(links[2].url, "https://venmo.com/alice-v");
        assert_eq!(
            d.links(1250, "USD")[2].url,
            "https://venmo.com/alice-v?txn=pay&amount=12.50"
        );
        assert!(links.iter().all(|l| l.url.starts_with("https://")));
    }
}
