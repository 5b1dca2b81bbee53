//! The GFMS sync engine, sans-IO: it decides, the drivers carry bytes.
//!
//! - [`Group`]: one group on one device — secret, member, full ledger, unsent events,
//!   outbox — saved as JSON by the host.
//! - [`Round`]: one sync round as a state machine of HTTP requests and save points.
//! - [`completeness`]: the strict rule (every recipient acked somewhere) beside the
//!   paper's counter `Σ s_i` against `(m − 1)·k`.
//! - [`invite`]: the code that carries a group to a new device.
//! - [`Backoff`]: when to poll next.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod backoff;
pub mod completeness;
mod error;
mod group;
mod http;
pub mod invite;
mod outbox;
mod report;
mod round;

pub use backoff::Backoff;
pub use completeness::{Completeness, RelayStatus, assess};
pub use error::Error;
pub use group::{Group, RelaySet, SAVED_FORMAT};
pub use http::{HttpRequest, Method, Outcome};
pub use invite::Invite;
pub use outbox::{MAX_BATCH_PLAINTEXT, OutgoingBatch, OutgoingShare};
pub use report::{PendingBatch, RelayHealth, RelayReport, SyncReport};
pub use round::{Round, Step};
