//! What is known about an error response.

use std::fmt;

/// What is known about an error response, whether or not the model describes it.
///
/// It lives here, beside the generated types, because modeled error structures
/// carry it (outside their wire form) so that a caller matching on a modeled error
/// still sees the request id and HTTP status.
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

impl std::error::Error for ErrorMetadata {}
