//! The requests the engine asks for and the outcomes it takes back: plain data, so a
//! browser `fetch` driver and a native one carry them alike.

use serde::{Deserialize, Serialize};

/// An HTTP method the relay API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One request to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// Hand it back with the outcome.
    pub id: u64,
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// Body, if any (JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Vec<u8>>,
}

/// What became of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The relay answered.
    Response {
        /// HTTP status.
        status: u16,
        /// Body bytes.
        body: Vec<u8>,
    },
    /// No answer: connection refused, timeout, DNS, TLS.
    Failed(String),
}
