//! The contract between the runtime and the generated per-operation error enums.

use std::fmt;

/// What is known about an error response, whether or not the model describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// The error code (`InvalidRequestException`), namespace and suffix removed.
    pub code: Option<String>,
    /// The human-readable message from the response body.
    pub message: Option<String>,
    /// The `x-amzn-RequestId` response header.
    pub request_id: Option<String>,
    /// The HTTP status code.
    pub status: u16,
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code.as_deref().unwrap_or("UnknownError"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        write!(f, " (HTTP status {}", self.status)?;
        if let Some(request_id) = &self.request_id {
            write!(f, ", request id {request_id}")?;
        }
        f.write_str(")")
    }
}

/// How a modeled error may be retried (from the `@retryable` trait).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryClass {
    /// `@retryable(throttling: true)`: back off, the caller is sending too fast.
    Throttling,
    /// `@retryable`: a transient failure worth another attempt.
    Transient,
}

/// Implemented by each generated per-operation error enum.
pub trait OperationError: std::error::Error + Send + Sync + Sized + 'static {
    /// Builds the error from an error response: `code` is the sanitized error code,
    /// `body` the raw response body. Unknown codes become the unhandled variant.
    fn from_response(code: &str, body: &[u8], metadata: ErrorMetadata) -> Self;

    /// The response metadata of this error.
    fn metadata(&self) -> &ErrorMetadata;

    /// Whether the model marks this error `@retryable`, and how.
    fn retry_class(&self) -> Option<RetryClass>;
}
