//! The hand-written runtime behind generated AWS JSON-protocol clients.
//!
//! Everything a call needs that does not depend on the service model lives here:
//! configuration ([`Config`]), credentials ([`credentials`]), endpoint rules
//! ([`endpoint`]), SigV4 signing, the awsJson transport, retries and timeouts.
//! Generated client crates describe their service with a [`ServiceSpec`], their
//! operations with an [`OperationSpec`], and their errors through
//! [`OperationError`]; then they call [`Runtime::invoke`].
#![warn(missing_docs)]

pub mod credentials;
pub mod endpoint;
mod error;
mod service;

pub use error::{ErrorMetadata, OperationError, RetryClass};
pub use service::{OperationSpec, Protocol, ServiceSpec};
