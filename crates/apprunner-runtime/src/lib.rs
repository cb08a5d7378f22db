//! The hand-written runtime behind generated AWS JSON-protocol clients.
//!
//! Everything a call needs that does not depend on the service model lives here:
//! configuration ([`Config`]), credentials ([`credentials`]), endpoint rules
//! ([`endpoint`]), SigV4 signing, the awsJson transport, retries and timeouts.
//! Generated client crates describe their service with a [`ServiceSpec`], their
//! operations with an [`OperationSpec`], and their errors through
//! [`OperationError`]; then they call [`Runtime::invoke`].
#![warn(missing_docs)]

mod config;
pub mod credentials;
pub mod endpoint;
mod env;
mod error;
mod map;
mod paginator;
pub mod profile;
mod retry;
mod runtime;
mod sdk_error;
mod service;
mod signing;
mod tls;
mod transport;

pub use config::{
    Config, ConfigBuilder, ConfigError, CredentialsSource, DefaultChain, RetryConfig, RetryMode, Timeouts,
};
pub use env::Env;
pub use error::{ErrorMetadata, OperationError, RetryClass};
pub use paginator::{ItemStream, Paginator};
pub use runtime::Runtime;
#[doc(hidden)]
pub use runtime::TestHooks;
pub use sdk_error::{DispatchError, DispatchKind, ResponseError, RuntimeError, SdkError, TimeoutError, TimeoutKind};
pub use service::{OperationSpec, Protocol, ServiceSpec};
#[doc(hidden)]
pub use signing::sign_request_at;
