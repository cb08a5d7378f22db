//! Errors as the endpoint answers them: a code, an HTTP status and a message, sent as an
//! awsJson error response (`x-amzn-ErrorType` header and `{"__type": ..., "Message": ...}` body).
//!
//! Two families exist, as on AWS. The service's modeled errors (the five exceptions of the
//! App Runner model) are namespaced `com.amazonaws.apprunner#` and carry `Message`, the member
//! the model gives them. The framework's errors (protocol and authentication failures, which
//! happen before an operation runs) are namespaced `com.amazon.coral.service#` and carry a
//! lower-case `message`, as AWS's request framework writes them. Clients strip the namespace
//! and accept either spelling of the message member.

use std::fmt;

/// The namespace of modeled App Runner errors in `__type`.
const SERVICE_NAMESPACE: &str = "com.amazonaws.apprunner";
/// The namespace of request-framework errors in `__type`.
const FRAMEWORK_NAMESPACE: &str = "com.amazon.coral.service";
/// The model bounds `ErrorMessage` to 600 characters.
const MESSAGE_LIMIT: usize = 600;

/// Every error code the endpoint sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A modeled error: an input breaks a constraint or a rule of the service.
    InvalidRequest,
    /// A modeled error: the ARN names no service (of this account and Region).
    ResourceNotFound,
    /// A modeled error: the service cannot take the request in its current state.
    InvalidState,
    /// A modeled error: the account's service quota is used up.
    ServiceQuotaExceeded,
    /// A modeled error: the endpoint failed.
    InternalServiceError,
    /// The body is not JSON, or a member has the wrong JSON type.
    Serialization,
    /// The `X-Amz-Target` (or the content type) names no operation of this service.
    UnknownOperation,
    /// The body is larger than the endpoint accepts.
    RequestEntityTooLarge,
    /// The request carries no SigV4 signature.
    MissingAuthenticationToken,
    /// The `Authorization` header is malformed or lacks a part.
    IncompleteSignature,
    /// The signature does not match, or is dated too far from the endpoint's clock.
    InvalidSignature,
    /// The access key id is not one the endpoint knows.
    UnrecognizedClient,
}

impl ErrorCode {
    /// The code as clients see it after stripping the namespace.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "InvalidRequestException",
            ErrorCode::ResourceNotFound => "ResourceNotFoundException",
            ErrorCode::InvalidState => "InvalidStateException",
            ErrorCode::ServiceQuotaExceeded => "ServiceQuotaExceededException",
            ErrorCode::InternalServiceError => "InternalServiceErrorException",
            ErrorCode::Serialization => "SerializationException",
            ErrorCode::UnknownOperation => "UnknownOperationException",
            ErrorCode::RequestEntityTooLarge => "RequestEntityTooLargeException",
            ErrorCode::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorCode::IncompleteSignature => "IncompleteSignatureException",
            ErrorCode::InvalidSignature => "InvalidSignatureException",
            ErrorCode::UnrecognizedClient => "UnrecognizedClientException",
        }
    }

    /// Whether the code is one of the App Runner model's exceptions.
    fn is_modeled(self) -> bool {
        matches!(
            self,
            ErrorCode::InvalidRequest
                | ErrorCode::ResourceNotFound
                | ErrorCode::InvalidState
                | ErrorCode::ServiceQuotaExceeded
                | ErrorCode::InternalServiceError
        )
    }

    /// The HTTP status AWS sends with the code.
    ///
    /// Modeled errors: 400, except `InternalServiceErrorException` (500). Framework errors
    /// follow AWS's common-error table: 400 for a malformed body or signature, 403 for a
    /// missing token, an unknown key or a signature that does not match, 413 for an
    /// oversized body. An expired signature is answered with 400 by
    /// [`ApiError::signature_expired`], as AWS's JSON services do.
    fn default_status(self) -> u16 {
        match self {
            ErrorCode::InternalServiceError => 500,
            ErrorCode::MissingAuthenticationToken | ErrorCode::InvalidSignature | ErrorCode::UnrecognizedClient => 403,
            ErrorCode::RequestEntityTooLarge => 413,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer: code, HTTP status and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// What went wrong.
    pub code: ErrorCode,
    /// The HTTP status of the response.
    pub status: u16,
    /// The message (at most 600 characters, as the model allows).
    pub message: String,
}

impl ApiError {
    /// An error with the code's usual status.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if message.chars().count() > MESSAGE_LIMIT {
            message = message.chars().take(MESSAGE_LIMIT - 1).collect();
            message.push('…');
        }
        Self {
            code,
            status: code.default_status(),
            message,
        }
    }

    /// `InvalidRequestException`.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    /// `ResourceNotFoundException` for a service ARN.
    pub fn service_not_found(arn: &str) -> Self {
        Self::new(
            ErrorCode::ResourceNotFound,
            format!("No service with the ARN {arn} exists in this account and Region."),
        )
    }

    /// `InternalServiceErrorException`, logging the cause (which is not sent).
    pub fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(
            ErrorCode::InternalServiceError,
            "The endpoint failed to process the request; its log has the details.",
        )
    }

    /// `InvalidSignatureException` for a request dated too far from the endpoint's clock (400).
    pub fn signature_expired(message: impl Into<String>) -> Self {
        let mut error = Self::new(ErrorCode::InvalidSignature, message);
        error.status = 400;
        error
    }

    /// The `x-amzn-ErrorType` header value.
    pub fn error_type_header(&self) -> String {
        if self.code.is_modeled() {
            format!("{}:http://internal.amazon.com/coral/{SERVICE_NAMESPACE}/", self.code)
        } else {
            format!("{}:http://internal.amazon.com/coral/{FRAMEWORK_NAMESPACE}/", self.code)
        }
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        if self.code.is_modeled() {
            serde_json::json!({
                "__type": format!("{SERVICE_NAMESPACE}#{}", self.code),
                "Message": self.message,
            })
        } else {
            serde_json::json!({
                "__type": format!("{FRAMEWORK_NAMESPACE}#{}", self.code),
                "message": self.message,
            })
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modeled_and_framework_errors_differ_in_namespace_and_message_member() {
        let modeled = ApiError::invalid_request("bad");
        assert_eq!(modeled.status, 400);
        assert_eq!(
            modeled.body(),
            serde_json::json!({"__type": "com.amazonaws.apprunner#InvalidRequestException", "Message": "bad"})
        );
        assert!(modeled.error_type_header().starts_with("InvalidRequestException:"));
        let framework = ApiError::new(ErrorCode::MissingAuthenticationToken, "none");
        assert_eq!(framework.status, 403);
        assert_eq!(framework.body()["message"], "none");
        assert_eq!(ApiError::signature_expired("old").status, 400);
        assert_eq!(ApiError::new(ErrorCode::InternalServiceError, "x").status, 500);
    }

    #[test]
    fn long_messages_are_cut_to_the_model_limit() {
        let error = ApiError::invalid_request("x".repeat(1000));
        assert_eq!(error.message.chars().count(), 600);
    }
}
