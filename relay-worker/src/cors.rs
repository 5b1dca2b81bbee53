//! CORS: the app is served from another origin than the relays, so browsers need the
//! relay's permission. Only the configured origins get it; auth is the bearer token,
//! never cookies, so credentials are never allowed.

use crate::RelayError;

/// Methods a browser may use.
pub const ALLOW_METHODS: &str = "GET, POST, PUT, DELETE, OPTIONS";
/// Headers a browser may send.
pub const ALLOW_HEADERS: &str = "authorization, content-type";
/// Headers a browser may read from an answer.
pub const EXPOSE_HEADERS: &str = "retry-after, allow";
/// How long a browser may cache a preflight answer, seconds.
pub const MAX_AGE: &str = "86400";

/// The allowed origins, from the `ALLOWED_ORIGINS` var (comma-separated; `*` for any).
#[derive(Debug, Clone, Default)]
pub struct AllowedOrigins(Vec<String>);

impl AllowedOrigins {
    /// Parses the var.
    pub fn parse(var: &str) -> Self {
        Self(
            var.split(',')
                .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
                .filter(|o| !o.is_empty())
                .collect(),
        )
    }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, if allowed.
    pub fn allow(&self, origin: Option<&str>) -> Option<String> {
        let origin = origin?;
        let normal = origin.trim_end_matches('/').to_ascii_lowercase();
        self.0
            .iter()
            .any(|o| o == "*" || *o == normal)
            .then(|| origin.to_string())
    }

    /// Whether a request a browser sends with no preflight (the simple form of a share
    /// request) may be answered: a page on an origin the relay does not allow gets the
    /// 403 its preflight would have got. No `Origin` is no browser (the CLI): allowed.
    pub fn admits_simple(&self, origin: Option<&str>) -> Result<(), RelayError> {
        match origin {
            Some(o) if self.allow(Some(o)).is_none() => {
                Err(RelayError::Forbidden("this origin is not allowed"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_origins_are_allowed() {
        let a = AllowedOrigins::parse("http://127.0.0.1:5173, https://App.example/");
        assert_eq!(
            a.allow(Some("http://127.0.0.1:5173")).as_deref(),
            Some("http://127.0.0.1:5173")
        );
        assert!(a.allow(Some("https://app.example")).is_some());
        assert_eq!(a.allow(Some("https://evil.example")), None);
        assert_eq!(a.allow(None), None);
        assert!(
            AllowedOrigins::parse("*")
                .allow(Some("https://x"))
                .is_some()
        );
        assert_eq!(AllowedOrigins::parse("").allow(Some("https://x")), None);
    }

    /// Hostile page: a simple request skips the preflight, so the relay refuses a page
    /// on another origin itself.
    #[test]
    fn a_simple_request_from_an_origin_not_allowed_is_forbidden() {
        let a = AllowedOrigins::parse("https://app.example");
        assert_eq!(a.admits_simple(Some("https://app.example")), Ok(()));
        assert_eq!(a.admits_simple(None), Ok(()), "the CLI sends no Origin");
        assert!(matches!(
            a.admits_simple(Some("https://evil.example")),
            Err(RelayError::Forbidden(_))
        ));
        assert!(matches!(
            a.admits_simple(Some("null")),
            Err(RelayError::Forbidden(_))
        ));
    }
}
