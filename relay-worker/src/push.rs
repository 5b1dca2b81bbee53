//! Web Push forwarding rules: which endpoints the relay forwards to (the push
//! services' own origins, never an open forwarder), the VAPID signature (RFC 8292,
//! an ES256 JWT), the per-group rate, and the payload bound. Pure; the request to the
//! push service is made in `glue`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gfms_protocol::{MAX_PUSH_PAYLOAD_BYTES, PushForwardRequest};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde::{Deserialize, Serialize};

use crate::RelayError;

/// Hosts of the push services browsers use: exact names, and suffixes (`*.`).
const PUSH_HOSTS: &[&str] = &[
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
];

/// How long a VAPID token is valid (RFC 8292 allows at most 24 h).
const VAPID_LIFETIME_SECONDS: u64 = 12 * 3600;

/// A checked forward: where to send, the bytes, and for how long the service keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    /// The subscription endpoint, as given.
    pub endpoint: String,
    /// Its origin (`scheme://host[:port]`), the VAPID audience.
    pub origin: String,
    /// The encrypted body.
    pub payload: Vec<u8>,
    /// The push service's TTL header.
    pub ttl: u32,
}

/// Checks a request: an allowed endpoint and a payload within the bound. `test_origin`
/// is the `PUSH_TEST_ORIGIN` var (e.g. `http://127.0.0.1:8799`), the loopback stand-in
/// for a push service in tests; unset in production.
pub fn check(req: PushForwardRequest, test_origin: Option<&str>) -> Result<Forward, RelayError> {
    let origin = allowed_origin(&req.endpoint, test_origin)?;
    let payload = URL_SAFE_NO_PAD
        .decode(&req.payload)
        .map_err(|_| RelayError::BadRequest("payload is not unpadded base64url".into()))?;
    if payload.is_empty() {
        return Err(RelayError::BadRequest("empty payload".into()));
    }
    if payload.len() > MAX_PUSH_PAYLOAD_BYTES {
        return Err(RelayError::TooLarge {
            what: "push payload",
            size: payload.len(),
            limit: MAX_PUSH_PAYLOAD_BYTES,
        });
    }
    Ok(Forward {
        endpoint: req.endpoint,
        origin,
        payload,
        ttl: req.ttl.min(28 * 86_400),
    })
}

/// The endpoint's origin if it is a push service's (`https`, an allowed host, default
/// port, no user info), or exactly the configured test origin.
pub fn allowed_origin(endpoint: &str, test_origin: Option<&str>) -> Result<String, RelayError> {
    const REFUSED: RelayError = RelayError::Forbidden("push endpoint is not a known push service");
    if endpoint.len() > 2048 || endpoint.chars().any(|c| c.is_whitespace() || c == '\\') {
        return Err(REFUSED);
    }
    let (scheme, rest) = endpoint.split_once("://").ok_or(REFUSED)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let origin = format!("{scheme}://{authority}");
    if let Some(test) = test_origin.map(str::trim).filter(|t| !t.is_empty())
        && origin == test.trim_end_matches('/')
    {
        return Ok(origin);
    }
    if scheme != "https" || authority.contains('@') {
        return Err(REFUSED);
    }
    let host = authority.strip_suffix(":443").unwrap_or(authority);
    let host = host.to_ascii_lowercase();
    let valid_label =
        |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !host.split('.').all(valid_label) {
        return Err(REFUSED);
    }
    let allowed = PUSH_HOSTS.iter().any(|p| match p.strip_prefix('*') {
        Some(suffix) => host.ends_with(suffix) && host.len() > suffix.len(),
        None => host == *p,
    });
    if allowed { Ok(origin) } else { Err(REFUSED) }
}

/// The relay's VAPID key pair.
pub struct Vapid {
    key: SigningKey,
}

impl Vapid {
    /// From `VAPID_PRIVATE_KEY`: the P-256 private scalar, 32 bytes, base64url (the
    /// `d` of a JWK). `None` if it is missing or not such a key.
    pub fn from_private(b64: &str) -> Option<Vapid> {
        let bytes = URL_SAFE_NO_PAD
            .decode(b64.trim().trim_end_matches('='))
            .ok()?;
        let key = SigningKey::from_slice(&bytes).ok()?;
        Some(Vapid { key })
    }

    /// The public key, uncompressed point in base64url: the app's
    /// `applicationServerKey` and the `k=` of the header.
    pub fn public_key(&self) -> String {
        let point = self.key.verifying_key().to_encoded_point(false);
        URL_SAFE_NO_PAD.encode(point.as_bytes())
    }

    /// The `Authorization` header for a push service origin (RFC 8292 §3).
    pub fn authorization(&self, audience: &str, subject: &str, now_secs: u64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({
            "aud": audience,
            "exp": now_secs + VAPID_LIFETIME_SECONDS,
            "sub": subject,
        });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{claims}");
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        let jwt = format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        );
        format!("vapid t={jwt}, k={}", self.public_key())
    }
}

/// Notifications forwarded for a group in the current minute (kept in the group's
/// Durable Object storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PushWindow {
    /// Minute since the epoch.
    pub minute: u64,
    /// Forwards counted in it.
    pub count: u32,
}

impl PushWindow {
    /// The window after admitting one more forward at `now_ms`, or `None` if the group
    /// is over `per_minute`.
    pub fn admit(self, now_ms: u64, per_minute: u32) -> Option<PushWindow> {
        let minute = now_ms / 60_000;
        let count = if self.minute == minute { self.count } else { 0 };
        (count < per_minute).then_some(PushWindow {
            minute,
            count: count + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier as _;

    fn req(endpoint: &str, payload: &[u8]) -> PushForwardRequest {
        PushForwardRequest {
            endpoint: endpoint.into(),
            payload: URL_SAFE_NO_PAD.encode(payload),
            ttl: 60,
        }
    }

    #[test]
    fn open_forwarder_abuser_reaches_only_push_services() {
        for ok in [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://updates.push.services.mozilla.com/wpush/v2/x",
            "https://web.push.apple.com/QGx",
            "https://wns2-by3p.notify.windows.com/w/?token=1",
            "https://FCM.googleapis.com:443/x",
        ] {
            assert!(allowed_origin(ok, None).is_ok(), "{ok}");
        }
        for bad in [
            "http://fcm.googleapis.com/x",
            "https://127.0.0.1/x",
            "http://127.0.0.1:1/",
            "https://169.254.169.254/latest",
            "https://push.apple.com/x",
            "https://evil.com/fcm.googleapis.com",
            "https://fcm.googleapis.com.evil.com/x",
            "https://fcm.googleapis.com@evil.com/x",
            "https://evilpush.apple.com/x",
            "https://fcm.googleapis.com:8443/x",
            "https://[::1]/x",
            "fcm.googleapis.com/x",
            "https://fcm.googleapis.com\\@evil.com/",
        ] {
            assert!(allowed_origin(bad, None).is_err(), "{bad}");
        }
        // The test stand-in only when configured, and only exactly it.
        let test = Some("http://127.0.0.1:8799");
        assert!(allowed_origin("http://127.0.0.1:8799/sub/1", test).is_ok());
        assert!(allowed_origin("http://127.0.0.1:8798/sub/1", test).is_err());
        assert!(allowed_origin("http://127.0.0.1:8799@evil.com/", test).is_err());
    }

    #[test]
    fn hostile_member_payload_is_bounded() {
        let ep = "https://fcm.googleapis.com/x";
        assert!(check(req(ep, &[1; MAX_PUSH_PAYLOAD_BYTES]), None).is_ok());
        assert!(matches!(
            check(req(ep, &[1; MAX_PUSH_PAYLOAD_BYTES + 1]), None),
            Err(RelayError::TooLarge { .. })
        ));
        assert!(check(req(ep, &[]), None).is_err());
        let mut bad = req(ep, b"x");
        bad.payload = "not base64!".into();
        assert!(check(bad, None).is_err());
    }

    #[test]
    fn flooding_member_is_held_to_the_rate_per_minute() {
        let mut w = PushWindow::default();
        let t = 10 * 60_000;
        for _ in 0..3 {
            w = w.admit(t, 3).expect("within the rate");
        }
        assert_eq!(w.admit(t + 59_999, 3), None);
        assert_eq!(w.admit(t + 60_000, 3).map(|w| w.count), Some(1));
    }

    #[test]
    fn vapid_header_is_a_valid_es256_jwt_for_the_audience() {
        // RFC 8292's example key pair is not given; any valid scalar works.
        let d = URL_SAFE_NO_PAD.encode([7u8; 32]);
        let vapid = Vapid::from_private(&d).expect("key");
        assert!(Vapid::from_private("short").is_none());
        assert!(Vapid::from_private(&URL_SAFE_NO_PAD.encode([0u8; 32])).is_none());
        let header = vapid.authorization("https://fcm.googleapis.com", "mailto:a@b.c", 1000);
        let (t, k) = header
            .strip_prefix("vapid t=")
            .and_then(|r| r.split_once(", k="))
            .expect("shape");
        assert_eq!(k, vapid.public_key());
        let (input, sig) = t.rsplit_once('.').expect("jwt");
        let claims = input.split('.').nth(1).expect("claims");
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).expect("b64")).expect("json");
        assert_eq!(claims["aud"], "https://fcm.googleapis.com");
        assert_eq!(claims["exp"], 1000 + VAPID_LIFETIME_SECONDS);
        let point = URL_SAFE_NO_PAD.decode(k).expect("b64");
        assert_eq!(point.len(), 65);
        let vk = VerifyingKey::from_sec1_bytes(&point).expect("point");
        let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).expect("b64")).expect("sig");
        assert!(vk.verify(input.as_bytes(), &sig).is_ok());
    }
}
