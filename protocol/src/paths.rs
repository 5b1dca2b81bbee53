//! HTTP paths: builders for the client and one parser for the relay, so both sides
//! agree on every route.

use crate::{GroupId, ShareId};

/// `GET /v1/health`
pub const HEALTH: &str = "/v1/health";

/// `/v1/groups/{gid}`
pub fn group(gid: &GroupId) -> String {
    format!("/v1/groups/{gid}")
}
/// `/v1/groups/{gid}/shares`
pub fn shares(gid: &GroupId) -> String {
    format!("/v1/groups/{gid}/shares")
}
/// `/v1/groups/{gid}/shares/{sid}`
pub fn share(gid: &GroupId, sid: &ShareId) -> String {
    format!("/v1/groups/{gid}/shares/{sid}")
}
/// `/v1/groups/{gid}/acks`
pub fn acks(gid: &GroupId) -> String {
    format!("/v1/groups/{gid}/acks")
}
/// `/v1/groups/{gid}/status`
pub fn status(gid: &GroupId) -> String {
    format!("/v1/groups/{gid}/status")
}
/// `/v1/groups/{gid}/ws`
pub fn ws(gid: &GroupId) -> String {
    format!("/v1/groups/{gid}/ws")
}

/// `/v1/groups/{gid}/push`: forward one encrypted Web Push notification.
pub fn push(gid: &GroupId) -> String {
    format!("/v1/groups/{gid}/push")
}

/// A route the relay serves, with its ids parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `/v1/health`
    Health,
    /// `/v1/groups/{gid}`
    Group(GroupId),
    /// `/v1/groups/{gid}/shares` (`POST`: a listing that carries status and acks,
    /// [`crate::ListRequest`])
    Shares(GroupId),
    /// `/v1/groups/{gid}/shares/{sid}` (`POST`: the simple form of the others,
    /// [`crate::SimpleShareRequest`])
    Share(GroupId, ShareId),
    /// `/v1/groups/{gid}/acks`
    Acks(GroupId),
    /// `/v1/groups/{gid}/status`
    Status(GroupId),
    /// `/v1/groups/{gid}/ws`
    Ws(GroupId),
    /// `/v1/groups/{gid}/push`
    Push(GroupId),
}

/// Why a path is not a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteError {
    /// No such route.
    NotFound,
    /// The route's shape matches but an id is malformed.
    BadId,
}

impl Route {
    /// Parses a request path (without query string).
    pub fn parse(path: &str) -> Result<Route, RouteError> {
        let rest = path.strip_prefix("/v1/").ok_or(RouteError::NotFound)?;
        let parts: Vec<&str> = rest.split('/').collect();
        let gid = |s: &str| GroupId::parse(s).map_err(|_| RouteError::BadId);
        match parts.as_slice() {
            ["health"] => Ok(Route::Health),
            ["groups", g] => Ok(Route::Group(gid(g)?)),
            ["groups", g, "shares"] => Ok(Route::Shares(gid(g)?)),
            ["groups", g, "shares", s] => {
                let sid = ShareId::parse(s).map_err(|_| RouteError::BadId)?;
                Ok(Route::Share(gid(g)?, sid))
            }
            ["groups", g, "acks"] => Ok(Route::Acks(gid(g)?)),
            ["groups", g, "status"] => Ok(Route::Status(gid(g)?)),
            ["groups", g, "ws"] => Ok(Route::Ws(gid(g)?)),
            ["groups", g, "push"] => Ok(Route::Push(gid(g)?)),
            _ => Err(RouteError::NotFound),
        }
    }

    /// The HTTP methods this route answers (besides `OPTIONS` for CORS preflight).
    pub fn methods(&self) -> &'static [&'static str] {
        match self {
            Route::Health | Route::Ws(_) => &["GET"],
            Route::Shares(_) => &["GET", "POST"],
            Route::Group(_) => &["POST"],
            Route::Share(..) => &["PUT", "GET", "DELETE", "POST"],
            Route::Acks(_) | Route::Status(_) | Route::Push(_) => &["POST"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_and_parser_agree() {
        let g = GroupId::from_bytes([7; 16]);
        let s = ShareId::from_bytes([9; 16]);
        assert_eq!(Route::parse(HEALTH), Ok(Route::Health));
        assert_eq!(Route::parse(&group(&g)), Ok(Route::Group(g)));
        assert_eq!(Route::parse(&shares(&g)), Ok(Route::Shares(g)));
        assert_eq!(Route::parse(&share(&g, &s)), Ok(Route::Share(g, s)));
        assert_eq!(Route::parse(&acks(&g)), Ok(Route::Acks(g)));
        assert_eq!(Route::parse(&status(&g)), Ok(Route::Status(g)));
        assert_eq!(Route::parse(&ws(&g)), Ok(Route::Ws(g)));
        assert_eq!(Route::parse(&push(&g)), Ok(Route::Push(g)));
    }

    #[test]
    fn bad_paths_are_not_found_and_bad_ids_are_bad() {
        assert_eq!(Route::parse("/"), Err(RouteError::NotFound));
        assert_eq!(Route::parse("/v1/groups"), Err(RouteError::NotFound));
        assert_eq!(Route::parse("/v2/health"), Err(RouteError::NotFound));
        assert_eq!(Route::parse("/v1/groups/xyz"), Err(RouteError::BadId));
        assert_eq!(Route::parse("/v1/health/"), Err(RouteError::NotFound));
        let g = GroupId::from_bytes([7; 16]);
        assert_eq!(
            Route::parse(&format!("{}/other", group(&g))),
            Err(RouteError::NotFound)
        );
    }
}
