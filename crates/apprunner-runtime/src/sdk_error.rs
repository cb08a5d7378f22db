//! What a call can fail with, one variant per phase of the request pipeline.
//!
//! Every error says what happened and, where the caller can do something about it,
//! what to do. The phase errors are opaque: they carry the operation name and, when
//! a response was received, its HTTP status and request id, behind accessor methods.
//! No type of the HTTP stack appears here; the underlying failures are kept as
//! [`Error::source`] values.

use std::error::Error;
use std::fmt;
use std::time::Duration;

use apprunner_smithy::ValidationError;

use crate::config::ConfigError;
use crate::credentials::CredentialsError;
use crate::endpoint::EndpointError;
use crate::error::OperationError;

/// A boxed error kept as the `source` of a phase error.
pub(crate) type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// The error of a call made through [`Runtime::invoke`](crate::Runtime::invoke).
///
/// `E` is the operation's generated error enum: the service answered with an error
/// response ([`SdkError::Service`]). Every other variant is a failure of the client
/// side of the call, before or around the service's answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input breaks a constraint of the model; nothing was sent.
    InvalidInput(ValidationError),
    /// The configuration is incomplete or inconsistent (no region, for example).
    Config(ConfigError),
    /// No credentials could be obtained to sign the request.
    Credentials(CredentialsError),
    /// No endpoint could be resolved for the configuration.
    Endpoint(EndpointError),
    /// The request could not be signed, sent, or its response not received.
    Dispatch(DispatchError),
    /// A connect, attempt or operation timeout expired.
    Timeout(TimeoutError),
    /// The service answered, but the answer could not be understood.
    MalformedResponse(ResponseError),
    /// The service answered with an error response.
    Service(E),
}

impl<E> SdkError<E> {
    /// The same failure with the service error converted by `convert`.
    pub(crate) fn map_service<F>(self, convert: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::InvalidInput(error) => SdkError::InvalidInput(error),
            SdkError::Config(error) => SdkError::Config(error),
            SdkError::Credentials(error) => SdkError::Credentials(error),
            SdkError::Endpoint(error) => SdkError::Endpoint(error),
            SdkError::Dispatch(error) => SdkError::Dispatch(error),
            SdkError::Timeout(error) => SdkError::Timeout(error),
            SdkError::MalformedResponse(error) => SdkError::MalformedResponse(error),
            SdkError::Service(error) => SdkError::Service(convert(error)),
        }
    }
}

impl<E: OperationError> SdkError<E> {
    /// The service's error code (`InvalidRequestException`), for service errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            SdkError::Service(error) => error.metadata().code.as_deref(),
            _ => None,
        }
    }

    /// The service's error message, for service errors.
    pub fn message(&self) -> Option<&str> {
        match self {
            SdkError::Service(error) => error.metadata().message.as_deref(),
            _ => None,
        }
    }

    /// The request id of the response, when one was received (quote it to AWS Support).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(error) => error.metadata().request_id.as_deref(),
            SdkError::MalformedResponse(error) => error.request_id(),
            SdkError::Dispatch(error) => error.request_id(),
            _ => None,
        }
    }

    /// The HTTP status of the response, when one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            SdkError::Service(error) => Some(error.metadata().status),
            SdkError::MalformedResponse(error) => Some(error.status()),
            SdkError::Dispatch(error) => error.status(),
            _ => None,
        }
    }

    /// The service error, if this is one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(error) => Some(error),
            _ => None,
        }
    }

    /// A reference to the service error, if this is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(error) => Some(error),
            _ => None,
        }
    }

    /// Converts the service error with `f`, keeping every other variant as it is
    /// (to erase the operation-specific error type, for example).
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::InvalidInput(error) => SdkError::InvalidInput(error),
            SdkError::Config(error) => SdkError::Config(error),
            SdkError::Credentials(error) => SdkError::Credentials(error),
            SdkError::Endpoint(error) => SdkError::Endpoint(error),
            SdkError::Dispatch(error) => SdkError::Dispatch(error),
            SdkError::Timeout(error) => SdkError::Timeout(error),
            SdkError::MalformedResponse(error) => SdkError::MalformedResponse(error),
            SdkError::Service(error) => SdkError::Service(f(error)),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::InvalidInput(error) => fmt::Display::fmt(error, f),
            SdkError::Config(error) => fmt::Display::fmt(error, f),
            SdkError::Credentials(error) => fmt::Display::fmt(error, f),
            SdkError::Endpoint(error) => fmt::Display::fmt(error, f),
            SdkError::Dispatch(error) => fmt::Display::fmt(error, f),
            SdkError::Timeout(error) => fmt::Display::fmt(error, f),
            SdkError::MalformedResponse(error) => fmt::Display::fmt(error, f),
            SdkError::Service(error) => fmt::Display::fmt(error, f),
        }
    }
}

/// Each variant displays as the error it wraps, so the wrapped error's own cause
/// comes next in the chain (no message is repeated by error reporters).
impl<E: Error + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::InvalidInput(error) => error.source(),
            SdkError::Config(error) => error.source(),
            SdkError::Credentials(error) => error.source(),
            SdkError::Endpoint(error) => error.source(),
            SdkError::Dispatch(error) => error.source(),
            SdkError::Timeout(error) => error.source(),
            SdkError::MalformedResponse(error) => error.source(),
            SdkError::Service(error) => error.source(),
        }
    }
}

/// What went wrong while exchanging a request and its response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DispatchKind {
    /// No connection could be made (refused, unreachable, DNS failure).
    Connect,
    /// The TLS handshake failed: the server's certificate is not trusted or does
    /// not match the host, or no protocol version or cipher suite is shared.
    Tls,
    /// The connection failed after the request was sent, before a response arrived.
    Connection,
    /// The connection failed while the response body was being read.
    ResponseBody,
    /// The request could not be signed.
    Signing,
    /// The request could not be built or sent for another reason.
    Other,
}

/// The request could not be signed, sent, or its response not received.
#[derive(Debug)]
pub struct DispatchError {
    operation: &'static str,
    url: String,
    kind: DispatchKind,
    attempts: u32,
    status: Option<u16>,
    request_id: Option<String>,
    source: Option<BoxError>,
}

impl DispatchError {
    pub(crate) fn new(operation: &'static str, url: &str, kind: DispatchKind, source: Option<BoxError>) -> Self {
        Self {
            operation,
            url: url.to_owned(),
            kind,
            attempts: 1,
            status: None,
            request_id: None,
            source,
        }
    }

    pub(crate) fn with_response(mut self, status: u16, request_id: Option<String>) -> Self {
        self.status = Some(status);
        self.request_id = request_id;
        self
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// The operation that failed (`CreateService`).
    pub fn operation(&self) -> &str {
        self.operation
    }

    /// The URL the request was sent to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// What went wrong.
    pub fn kind(&self) -> DispatchKind {
        self.kind
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The HTTP status, when the failure came after the response head arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The request id, when the failure came after the response head arrived.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cause = self
            .source
            .as_deref()
            .map(|source| describe_cause(source))
            .unwrap_or_default();
        let url = &self.url;
        write!(f, "{}: ", self.operation)?;
        match self.kind {
            DispatchKind::Connect => write!(
                f,
                "could not connect to {url}: {cause}; check the endpoint URL, proxy settings and your network"
            )?,
            DispatchKind::Tls => write!(
                f,
                "the TLS handshake with {url} failed: {cause}; check the endpoint URL, the system's trusted \
                 certificates, and any proxy that intercepts TLS"
            )?,
            DispatchKind::Connection => write!(
                f,
                "the connection to {url} failed before a response arrived: {cause}; \
                 the network or a proxy dropped it"
            )?,
            DispatchKind::ResponseBody => {
                write!(f, "the connection to {url} failed while the response was being read")?;
                write_response_facts(f, self.status, self.request_id.as_deref())?;
                write!(f, ": {cause}")?;
            }
            DispatchKind::Signing => write!(f, "could not sign the request: {cause}; check the credentials")?,
            DispatchKind::Other => write!(f, "could not send the request to {url}: {cause}")?,
        }
        write_attempts(f, self.attempts)
    }
}

impl Error for DispatchError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn Error + 'static))
    }
}

/// Which timeout expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection (TCP and TLS) took too long.
    Connect,
    /// One attempt (sending the request and reading the whole response) took too long.
    Attempt,
    /// The whole call, with every attempt and the waits between them, took too long.
    Operation,
}

/// A connect, attempt or operation timeout expired.
#[derive(Debug)]
pub struct TimeoutError {
    operation: &'static str,
    url: String,
    kind: TimeoutKind,
    limit: Duration,
    attempts: u32,
    last_failure: Option<String>,
    source: Option<BoxError>,
}

impl TimeoutError {
    pub(crate) fn new(operation: &'static str, url: &str, kind: TimeoutKind, limit: Duration) -> Self {
        Self {
            operation,
            url: url.to_owned(),
            kind,
            limit,
            attempts: 1,
            last_failure: None,
            source: None,
        }
    }

    pub(crate) fn set_last_failure(&mut self, failure: Option<String>) {
        self.last_failure = failure;
    }

    pub(crate) fn with_source(mut self, source: BoxError) -> Self {
        self.source = Some(source);
        self
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// The operation that timed out (`CreateService`).
    pub fn operation(&self) -> &str {
        self.operation
    }

    /// Which timeout expired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The limit that was exceeded.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// How many attempts were started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (operation, url, limit) = (self.operation, &self.url, self.limit);
        match self.kind {
            TimeoutKind::Connect => write!(
                f,
                "{operation}: could not connect to {url} within the connect timeout of {limit:?}; \
                 check the endpoint URL and your network, or raise the limit with \
                 `Config::builder().connect_timeout(..)`"
            )?,
            TimeoutKind::Attempt => write!(
                f,
                "{operation}: no complete response from {url} within the attempt timeout of {limit:?}; \
                 raise the limit with `Config::builder().attempt_timeout(..)`"
            )?,
            TimeoutKind::Operation => write!(
                f,
                "{operation}: the call did not complete within the operation timeout of {limit:?}; \
                 raise the limit with `Config::builder().operation_timeout(..)`"
            )?,
        }
        write_attempts(f, self.attempts)?;
        if let Some(failure) = &self.last_failure {
            write!(f, "; the last failed attempt: {failure}")?;
        }
        Ok(())
    }
}

impl Error for TimeoutError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn Error + 'static))
    }
}

/// The service answered, but the answer could not be understood.
#[derive(Debug)]
pub struct ResponseError {
    operation: &'static str,
    status: u16,
    request_id: Option<String>,
    problem: String,
    excerpt: Option<String>,
    source: Option<BoxError>,
}

impl ResponseError {
    /// A response `operation` could not use: `problem` says what is wrong with it.
    /// Tools that post-process responses (converting them to JSON, say) report with this too.
    pub fn new(operation: &'static str, status: u16, request_id: Option<String>, problem: String) -> Self {
        Self {
            operation,
            status,
            request_id,
            problem,
            excerpt: None,
            source: None,
        }
    }

    pub(crate) fn with_excerpt(mut self, excerpt: Option<String>) -> Self {
        self.excerpt = excerpt;
        self
    }

    pub(crate) fn with_source(mut self, source: BoxError) -> Self {
        self.source = Some(source);
        self
    }

    /// The operation whose response could not be read (`CreateService`).
    pub fn operation(&self) -> &str {
        self.operation
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id of the response, if it had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the response could not be read", self.operation)?;
        write_response_facts(f, Some(self.status), self.request_id.as_deref())?;
        write!(f, ": {}", self.problem)?;
        if let Some(excerpt) = &self.excerpt {
            write!(f, "; the body starts with {excerpt:?}")?;
        }
        f.write_str(
            "; check that the endpoint URL points at the service (not a proxy or another service), \
             or update the client if the service has changed",
        )
    }
}

impl Error for ResponseError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn Error + 'static))
    }
}

/// Failed to set up a [`Runtime`](crate::Runtime).
#[derive(Debug)]
pub struct RuntimeError {
    what: &'static str,
    source: BoxError,
}

impl RuntimeError {
    pub(crate) fn new(what: &'static str, source: BoxError) -> Self {
        Self { what, source }
    }
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not set up the client: {}: {}", self.what, self.source)
    }
}

impl Error for RuntimeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

impl From<crate::ConfigError> for RuntimeError {
    fn from(error: crate::ConfigError) -> Self {
        Self::new("the configuration is invalid", Box::new(error))
    }
}

fn write_response_facts(f: &mut fmt::Formatter<'_>, status: Option<u16>, request_id: Option<&str>) -> fmt::Result {
    match (status, request_id) {
        (Some(status), Some(id)) => write!(f, " (HTTP status {status}, request id {id})"),
        (Some(status), None) => write!(f, " (HTTP status {status})"),
        (None, Some(id)) => write!(f, " (request id {id})"),
        (None, None) => Ok(()),
    }
}

fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}

/// A short description of the innermost cause of an HTTP stack error: the part
/// worth showing (`connection refused`), not the wrappers around it.
pub(crate) fn describe_cause(error: &(dyn Error + 'static)) -> String {
    let mut current: &(dyn Error + 'static) = error;
    loop {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            let known = match io.kind() {
                ErrorKind::ConnectionRefused => Some("connection refused"),
                ErrorKind::ConnectionReset => Some("connection reset by peer"),
                ErrorKind::ConnectionAborted => Some("connection aborted"),
                ErrorKind::UnexpectedEof => Some("connection closed early"),
                ErrorKind::TimedOut => Some("timed out"),
                _ => None,
            };
            if let Some(known) = known {
                return known.to_owned();
            }
        }
        match current.source() {
            Some(next) => current = next,
            None => return current.to_string(),
        }
    }
}
