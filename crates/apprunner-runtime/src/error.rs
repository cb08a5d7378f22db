//! The contract between the runtime and the generated per-operation error enums.

pub use apprunner_smithy::ErrorMetadata;

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

/// The untyped error: code, message, request id and status, whatever the operation.
/// Tools that call operations by name (a CLI, say) use it in place of a generated enum.
impl OperationError for ErrorMetadata {
    fn from_response(_code: &str, _body: &[u8], metadata: ErrorMetadata) -> Self {
        metadata
    }

    fn metadata(&self) -> &ErrorMetadata {
        self
    }

    fn retry_class(&self) -> Option<RetryClass> {
        None
    }
}
