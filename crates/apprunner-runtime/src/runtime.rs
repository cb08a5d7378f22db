//! [`Runtime`]: the request pipeline every generated operation goes through.
//!
//! One call is: validate the input, serialize it once, resolve the endpoint (once
//! per runtime), then attempts until one succeeds or the retry strategy gives up.
//! Each attempt gets credentials (cached by the provider), builds and signs the
//! request, sends it within the attempt timeout, and reads the response within a
//! size limit. The whole call runs within the operation timeout, waits included.

use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use apprunner_smithy::{Validate, ValidationError, Violation};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::config::Config;
use crate::endpoint::{EndpointParams, EndpointResolver};
use crate::error::{ErrorMetadata, OperationError, RetryClass};
use crate::retry::{self, RetryKind, TokenBucket};
use crate::sdk_error::{DispatchError, DispatchKind, ResponseError, RuntimeError, SdkError, TimeoutError, TimeoutKind};
use crate::service::{OperationSpec, ServiceSpec};
use crate::signing::{self, SigningScope};
use crate::transport::{self, ClientSettings, OutgoingRequest, SendFailure};

/// The client side of a service: configuration, one HTTP connection pool, the
/// parsed endpoint rules and the retry quota, shared by every call.
///
/// Cloning is cheap and clones share everything, connection pool included; build
/// one runtime per configuration and reuse it.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceSpec,
    /// The day's SigV4 signing key, kept between calls.
    signing_keys: signing::SigningKeyCache,
    config: Config,
    http: reqwest::Client,
    resolver: EndpointResolver,
    endpoint: OnceLock<Arc<ResolvedEndpoint>>,
    user_agent: String,
    retry_quota: TokenBucket,
    /// How far the service's clock is ahead of ours, in seconds (0 unless it is
    /// off by a minute or more); signatures are dated by the service's clock.
    clock_skew: AtomicI64,
    hooks: TestHooks,
}

/// Error codes of requests refused for their date; retried once the clock skew is known.
const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// Error codes meaning the credentials have expired: the cached ones are dropped.
const EXPIRED_CREDENTIALS_CODES: &[&str] = &["ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId"];

/// Clock differences below this are ignored (the `Date` header has one-second
/// resolution; SigV4 tolerates five minutes).
const CLOCK_SKEW_THRESHOLD_SECS: i64 = 60;

/// Replacements for parts of a [`Runtime`] that make tests slow or unrepeatable.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default)]
pub struct TestHooks {
    /// The clock signatures are dated by, instead of the system clock.
    pub clock: Option<fn() -> SystemTime>,
    /// The backoff base, instead of the configured one.
    pub initial_backoff: Option<Duration>,
}

/// The endpoint of every call of a runtime, with what signing needs to know of it.
#[derive(Debug)]
struct ResolvedEndpoint {
    /// The request URL: the endpoint with the path `/` (parsed once, not per call).
    url: reqwest::Url,
    /// The `Host` header value: the host, and the port unless it is the scheme's default.
    host: String,
    /// Headers the endpoint rules ask for.
    headers: Vec<(String, String)>,
    signing_name: String,
    signing_region: String,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("service", &self.inner.service.sdk_id)
            .field("config", &self.inner.config)
            .field(
                "endpoint",
                &self.inner.endpoint.get().map(|endpoint| endpoint.url.as_str()),
            )
            .field("retry_quota", &self.inner.retry_quota.available())
            .finish_non_exhaustive()
    }
}

/// One failed attempt, and whether the retry strategy may try again.
enum AttemptError<E> {
    Final(SdkError<E>),
    Retryable(SdkError<E>, RetryKind),
}

impl Runtime {
    /// A runtime for `service` with `config`: builds the HTTP client (rustls; the
    /// configured connect timeout and TLS verification; proxies from the standard
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` variables) and parses the service's
    /// endpoint rule set. Nothing is sent until the first call.
    pub fn new(service: &'static ServiceSpec, config: Config) -> Result<Runtime, RuntimeError> {
        Self::with_test_hooks(service, config, TestHooks::default())
    }

    /// Like [`Runtime::new`], with the clock or the backoff replaced (for tests).
    #[doc(hidden)]
    pub fn with_test_hooks(
        service: &'static ServiceSpec,
        config: Config,
        hooks: TestHooks,
    ) -> Result<Runtime, RuntimeError> {
        let resolver = EndpointResolver::from_json(service.endpoint_rule_set)
            .map_err(|error| RuntimeError::new("the service's endpoint rule set is invalid", Box::new(error)))?;
        let http = transport::build_client(ClientSettings {
            connect_timeout: config.timeouts().connect,
            verify_tls: config.verify_tls(),
        })
        .map_err(|error| RuntimeError::new("the HTTP client could not be built", error))?;
        let user_agent = user_agent(config.app_name());
        Ok(Runtime {
            inner: Arc::new(Inner {
                signing_keys: signing::SigningKeyCache::new(),
                service,
                config,
                http,
                resolver,
                endpoint: OnceLock::new(),
                user_agent,
                retry_quota: TokenBucket::default(),
                clock_skew: AtomicI64::new(0),
                hooks,
            }),
        })
    }

    /// The configuration calls are made with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service this runtime calls.
    pub fn service(&self) -> &'static ServiceSpec {
        self.inner.service
    }

    /// Calls `operation` with `input`, returning its output or error.
    ///
    /// The input is validated first; an invalid input is
    /// [`SdkError::InvalidInput`] and nothing is sent. Throttling, transient
    /// failures (HTTP 500/502/503/504, broken connections, attempt timeouts) and
    /// errors the model marks `@retryable` are retried with exponential backoff and
    /// jitter, up to the configured number of attempts; other errors are returned
    /// at once.
    pub async fn invoke<I, O, E>(&self, operation: &'static OperationSpec, input: &I) -> Result<O, SdkError<E>>
    where
        I: Serialize + Validate + ?Sized + Sync,
        O: DeserializeOwned,
        E: OperationError,
    {
        let span = tracing::debug_span!(
            "apprunner_call",
            service = self.inner.service.sdk_id,
            operation = operation.name,
            attempts = tracing::field::Empty,
        );
        self.call(operation, input, span.clone()).instrument(span).await
    }

    async fn call<I, O, E>(
        &self,
        operation: &'static OperationSpec,
        input: &I,
        span: tracing::Span,
    ) -> Result<O, SdkError<E>>
    where
        I: Serialize + Validate + ?Sized + Sync,
        O: DeserializeOwned,
        E: OperationError,
    {
        input.validate().map_err(SdkError::InvalidInput)?;
        let body = serialize_input(input).map_err(SdkError::InvalidInput)?;
        let progress = Progress::default();
        // Boxed: the retry loop's state is kilobytes, and moving it into the timeout
        // and then into this future would copy it twice per call.
        let attempts = Box::pin(self.attempts(operation, body, &progress));
        let result = match self.inner.config.timeouts().operation {
            Some(limit) => match tokio::time::timeout(limit, attempts).await {
                Ok(result) => result,
                Err(_elapsed) => {
                    let mut error = TimeoutError::new(operation.name, "", TimeoutKind::Operation, limit);
                    error.set_attempts(progress.attempts.load(Ordering::Relaxed));
                    error.set_last_failure(progress.take_last_failure());
                    Err(SdkError::Timeout(error))
                }
            },
            None => attempts.await,
        };
        let made = progress.attempts.load(Ordering::Relaxed);
        span.record("attempts", made);
        if let Err(error) = &result {
            tracing::debug!(attempts = made, error = failure_summary(error), "call failed");
        }
        result
    }

    /// The retry loop; `progress` tracks it for the operation timeout's message.
    async fn attempts<O, E>(
        &self,
        operation: &'static OperationSpec,
        body: Vec<u8>,
        progress: &Progress,
    ) -> Result<O, SdkError<E>>
    where
        O: DeserializeOwned,
        E: OperationError,
    {
        let endpoint = self.endpoint()?;
        let payload_sha256 = signing::sha256_hex(&body);
        let retry_config = self.inner.config.retry();
        let max_attempts = retry_config.max_attempts.max(1);
        let initial_backoff = self.inner.hooks.initial_backoff.unwrap_or(retry_config.initial_backoff);
        let max_backoff = retry_config.max_backoff;
        let invocation_id = apprunner_smithy::idempotency_token();
        let mut retry_cost = None;
        let mut attempt = 1;
        loop {
            progress.attempts.store(attempt, Ordering::Relaxed);
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let context = AttemptContext {
                span: span.clone(),
                operation,
                endpoint: &endpoint,
                body: &body,
                payload_sha256: &payload_sha256,
                invocation_id: &invocation_id,
                attempt,
                max_attempts,
            };
            let (error, kind) = match self.attempt(context).instrument(span).await {
                Ok(output) => {
                    self.inner.retry_quota.on_success(retry_cost);
                    return Ok(output);
                }
                Err(AttemptError::Final(error)) => return Err(with_attempts(error, attempt)),
                Err(AttemptError::Retryable(error, kind)) => (error, kind),
            };
            if attempt >= max_attempts {
                return Err(with_attempts(error, attempt));
            }
            let Some(cost) = self.inner.retry_quota.try_acquire(kind) else {
                tracing::debug!(attempt, "retry quota exhausted; not retrying");
                return Err(with_attempts(error, attempt));
            };
            retry_cost = Some(cost);
            progress.set_last_failure(failure_summary(&error));
            let delay = retry::backoff(attempt, initial_backoff, max_backoff, retry::jitter());
            tracing::debug!(
                attempt,
                reason = ?kind,
                error = failure_summary(&error),
                delay_ms = delay.as_secs_f64() * 1000.0,
                "retrying after backoff"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The time to date a signature by: the system clock corrected by the known
    /// clock skew (or the test clock).
    fn signing_time(&self) -> SystemTime {
        if let Some(clock) = self.inner.hooks.clock {
            return clock();
        }
        let skew = self.inner.clock_skew.load(Ordering::Relaxed);
        let skew_duration = Duration::from_secs(skew.unsigned_abs());
        let now = SystemTime::now();
        let corrected = if skew >= 0 {
            now.checked_add(skew_duration)
        } else {
            now.checked_sub(skew_duration)
        };
        corrected.unwrap_or(now)
    }

    /// Records the skew between our clock and the `Date` of an error response;
    /// `true` when it changed by the threshold or more (a request refused for its
    /// date is then worth retrying with the corrected time).
    fn learn_clock_skew(&self, response: &transport::Response) -> bool {
        let Some(server_time) = response
            .header("date")
            .and_then(|date| apprunner_smithy::DateTime::parse(date, apprunner_smithy::TimestampFormat::HttpDate).ok())
        else {
            return false;
        };
        let local = apprunner_smithy::DateTime::from(SystemTime::now()).secs();
        let measured = server_time.secs().saturating_sub(local);
        let skew = if measured.abs() >= CLOCK_SKEW_THRESHOLD_SECS {
            measured
        } else {
            0
        };
        let previous = self.inner.clock_skew.swap(skew, Ordering::Relaxed);
        let changed = skew.abs_diff(previous) >= CLOCK_SKEW_THRESHOLD_SECS.unsigned_abs();
        if changed {
            tracing::debug!(
                skew_secs = skew,
                "the service's clock differs from ours; correcting signature dates"
            );
        }
        changed
    }

    /// The endpoint of every call, resolved on first use.
    fn endpoint<E>(&self) -> Result<Arc<ResolvedEndpoint>, SdkError<E>> {
        if let Some(endpoint) = self.inner.endpoint.get() {
            return Ok(Arc::clone(endpoint));
        }
        let config = &self.inner.config;
        let region = config.region().map_err(SdkError::Config)?.to_owned();
        let mut params = EndpointParams::new();
        params
            .region(Some(region.clone()))
            .use_fips(config.use_fips())
            .use_dual_stack(config.use_dual_stack())
            .endpoint(config.endpoint_url(self.inner.service).map(|url| url.to_string()));
        let resolved = self.inner.resolver.resolve(&params).map_err(SdkError::Endpoint)?;
        let url = reqwest::Url::parse(&resolved.url).map_err(|error| {
            SdkError::Endpoint(crate::endpoint::EndpointError::InvalidParameter(format!(
                "the resolved endpoint `{}` is not a valid URL: {error}",
                resolved.url
            )))
        })?;
        let (signing_name, signing_region) = resolved.sigv4_overrides().unwrap_or_default();
        let endpoint = Arc::new(ResolvedEndpoint {
            url: request_url(&url),
            host: host_header(&url),
            headers: resolved
                .headers
                .iter()
                .flat_map(|(name, values)| values.iter().map(move |value| (name.clone(), value.clone())))
                .collect(),
            signing_name: signing_name.unwrap_or_else(|| self.inner.service.signing_name.to_owned()),
            signing_region: signing_region.unwrap_or(region),
        });
        tracing::debug!(url = %endpoint.url, "resolved endpoint");
        Ok(Arc::clone(self.inner.endpoint.get_or_init(|| endpoint)))
    }

    async fn attempt<O, E>(&self, context: AttemptContext<'_>) -> Result<O, AttemptError<E>>
    where
        O: DeserializeOwned,
        E: OperationError,
    {
        let AttemptContext {
            span,
            operation,
            endpoint,
            body,
            payload_sha256,
            invocation_id,
            attempt,
            max_attempts,
        } = context;
        let inner = &*self.inner;
        let credentials = inner
            .config
            .credentials_provider()
            .credentials()
            .await
            .map_err(|error| AttemptError::Final(SdkError::Credentials(error)))?;

        let target = format!("{}.{}", inner.service.target_prefix, operation.name);
        let content_type = inner.service.protocol.content_type();
        let signed: [(&str, &str); 3] = [
            ("host", &endpoint.host),
            ("content-type", content_type),
            ("x-amz-target", &target),
        ];
        let scope = SigningScope {
            name: &endpoint.signing_name,
            region: &endpoint.signing_region,
        };
        let dispatch_error = |kind, source| {
            AttemptError::Final(SdkError::Dispatch(DispatchError::new(
                operation.name,
                endpoint.url.as_str(),
                kind,
                source,
            )))
        };
        let signature_headers = signing::sign_post(
            endpoint.url.as_str(),
            &signed,
            payload_sha256,
            &credentials,
            scope,
            self.signing_time(),
            &inner.signing_keys,
        )
        .map_err(|error| dispatch_error(DispatchKind::Signing, Some(Box::new(error))))?;

        let mut request = OutgoingRequest::new(endpoint.url.clone(), body.to_vec());
        let sdk_request = format!("attempt={attempt}; max={max_attempts}");
        let fixed = [
            ("user-agent", inner.user_agent.as_str()),
            ("amz-sdk-invocation-id", invocation_id),
            ("amz-sdk-request", sdk_request.as_str()),
        ];
        let all_headers = signed
            .iter()
            .chain(fixed.iter())
            .copied()
            .chain(
                endpoint
                    .headers
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str())),
            )
            .chain(signature_headers.iter().map(|(name, value)| (*name, value.as_str())));
        for (name, value) in all_headers {
            request
                .header(name, value)
                .map_err(|problem| dispatch_error(DispatchKind::Other, Some(problem.into())))?;
        }

        tracing::trace!(body_bytes = body.len(), "sending request");
        let started = Instant::now();
        let connect_timeout = inner.config.timeouts().connect;
        let exchange = Box::pin(transport::send(&inner.http, operation.name, request, connect_timeout));
        let sent = match inner.config.timeouts().attempt {
            Some(limit) => match tokio::time::timeout(limit, exchange).await {
                Ok(sent) => sent,
                Err(_elapsed) => {
                    let error = TimeoutError::new(operation.name, endpoint.url.as_str(), TimeoutKind::Attempt, limit);
                    return Err(AttemptError::Retryable(SdkError::Timeout(error), RetryKind::Timeout));
                }
            },
            None => exchange.await,
        };
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        span.record("latency_ms", latency_ms);
        let response = match sent {
            Ok(response) => response,
            Err(SendFailure::Dispatch(error)) => {
                let retry = match error.kind() {
                    DispatchKind::Connect | DispatchKind::Connection | DispatchKind::ResponseBody => {
                        Some(RetryKind::Transient)
                    }
                    _ => None,
                };
                return Err(match retry {
                    Some(kind) => AttemptError::Retryable(SdkError::Dispatch(error), kind),
                    None => AttemptError::Final(SdkError::Dispatch(error)),
                });
            }
            Err(SendFailure::Timeout(error)) => {
                return Err(AttemptError::Retryable(SdkError::Timeout(error), RetryKind::Timeout));
            }
            Err(SendFailure::TooLarge {
                status,
                request_id,
                limit,
            }) => {
                span.record("status", status);
                let problem = format!(
                    "the response body is larger than the {} MiB limit",
                    limit / (1024 * 1024)
                );
                let error = ResponseError::new(operation.name, status, request_id, problem);
                return Err(AttemptError::Final(SdkError::MalformedResponse(error)));
            }
        };
        let request_id = response.request_id().map(str::to_owned);
        span.record("status", response.status);
        if let Some(request_id) = &request_id {
            span.record("request_id", request_id.as_str());
        }
        tracing::debug!(
            status = response.status,
            body_bytes = response.body.len(),
            latency_ms,
            "response received"
        );

        if response.is_success() {
            let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
                b"{}"
            } else {
                &response.body
            };
            // Checking the whole body as UTF-8 once is cheaper than checking each
            // string in it (and one parser instance per output type keeps the
            // binary smaller than two).
            let malformed = |problem: String, source: Box<dyn std::error::Error + Send + Sync>| {
                let error = ResponseError::new(operation.name, response.status, request_id.clone(), problem)
                    .with_excerpt(transport::body_excerpt(&response.body))
                    .with_source(source);
                AttemptError::Final(SdkError::MalformedResponse(error))
            };
            let text = std::str::from_utf8(body).map_err(|error| {
                let problem = format!(
                    "it is not a valid {} result: byte {} is not UTF-8",
                    operation.name,
                    error.valid_up_to() + 1
                );
                malformed(problem, Box::new(error))
            })?;
            return serde_json::from_str(text).map_err(|error| {
                let problem = format!(
                    "it is not a valid {} result: {}",
                    operation.name,
                    transport::describe_json_error(&error)
                );
                malformed(problem, Box::new(error))
            });
        }

        let skew_changed = self.learn_clock_skew(&response);
        let facts = transport::parse_error_response(&response);
        let metadata = ErrorMetadata {
            code: facts.code.clone(),
            message: facts.message,
            request_id,
            status: response.status,
        };
        let code = facts.code.as_deref();
        let error = E::from_response(code.unwrap_or(""), &response.body, metadata);
        if code.is_some_and(|code| EXPIRED_CREDENTIALS_CODES.contains(&code)) {
            tracing::debug!("the service refused the credentials as expired; dropping the cached ones");
            inner.config.credentials_provider().invalidate().await;
        }
        let skewed = skew_changed && code.is_some_and(|code| CLOCK_SKEW_CODES.contains(&code));
        let retry = retry::classify_response(code, response.status)
            .or(match error.retry_class() {
                Some(RetryClass::Throttling) => Some(RetryKind::Throttling),
                Some(RetryClass::Transient) => Some(RetryKind::Transient),
                None => None,
            })
            .or(skewed.then_some(RetryKind::Transient));
        Err(match retry {
            Some(kind) => AttemptError::Retryable(SdkError::Service(error), kind),
            None => AttemptError::Final(SdkError::Service(error)),
        })
    }
}

/// How far a call got, readable after its future is dropped by the operation timeout.
#[derive(Debug, Default)]
struct Progress {
    /// Attempts started.
    attempts: AtomicU32,
    /// A log-safe summary of the latest retried failure.
    last_failure: std::sync::Mutex<Option<String>>,
}

impl Progress {
    fn set_last_failure(&self, failure: String) {
        *self
            .last_failure
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(failure);
    }

    fn take_last_failure(&self) -> Option<String> {
        self.last_failure
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }
}

/// What one attempt needs to know.
struct AttemptContext<'a> {
    span: tracing::Span,
    operation: &'static OperationSpec,
    endpoint: &'a ResolvedEndpoint,
    body: &'a [u8],
    payload_sha256: &'a str,
    invocation_id: &'a str,
    attempt: u32,
    max_attempts: u32,
}

/// The JSON body of an input: `{}` for an input without members.
fn serialize_input<I: Serialize + ?Sized>(input: &I) -> Result<Vec<u8>, ValidationError> {
    match serde_json::to_vec(input) {
        Ok(body) if body == b"null" => Ok(b"{}".to_vec()),
        Ok(body) => Ok(body),
        Err(error) => Err(ValidationError::new(vec![Violation {
            path: String::new(),
            message: format!("the input cannot be serialized as JSON: {error}"),
        }])),
    }
}

/// Notes the number of attempts made on the errors that report it.
fn with_attempts<E>(mut error: SdkError<E>, attempts: u32) -> SdkError<E> {
    match &mut error {
        SdkError::Dispatch(inner) => inner.set_attempts(attempts),
        SdkError::Timeout(inner) => inner.set_attempts(attempts),
        _ => {}
    }
    error
}

/// A log-safe summary of a failure: its class and, for service errors, the code
/// and status, never a message (messages can echo input values).
fn failure_summary<E: OperationError>(error: &SdkError<E>) -> String {
    match error {
        SdkError::InvalidInput(_) => "invalid input".to_owned(),
        SdkError::Config(_) => "configuration error".to_owned(),
        SdkError::Credentials(_) => "credentials error".to_owned(),
        SdkError::Endpoint(_) => "endpoint error".to_owned(),
        SdkError::Dispatch(error) => match error.kind() {
            DispatchKind::Connect => "could not connect".to_owned(),
            DispatchKind::Tls => "TLS handshake failed".to_owned(),
            DispatchKind::Connection => "connection lost before the response".to_owned(),
            DispatchKind::ResponseBody => "connection lost while reading the response".to_owned(),
            DispatchKind::Signing => "signing failed".to_owned(),
            _ => "the request could not be sent".to_owned(),
        },
        SdkError::Timeout(error) => {
            let which = match error.kind() {
                TimeoutKind::Connect => "connect",
                TimeoutKind::Attempt => "attempt",
                _ => "operation",
            };
            format!("{which} timeout of {:?}", error.limit())
        }
        SdkError::MalformedResponse(error) => format!("malformed response (HTTP {})", error.status()),
        SdkError::Service(error) => {
            let metadata = error.metadata();
            format!(
                "{} (HTTP {})",
                metadata.code.as_deref().unwrap_or("UnknownError"),
                metadata.status
            )
        }
    }
}

/// `apprunner-rs/{version} ({os}; {arch})`, then ` app/{name}` when configured.
fn user_agent(app_name: Option<&str>) -> String {
    let mut agent = format!(
        "apprunner-rs/{} ({}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    if let Some(name) = app_name.filter(|name| !name.is_empty()) {
        let token: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        agent.push_str(" app/");
        agent.push_str(&token);
    }
    agent
}

/// The request URL of the awsJson protocol: the endpoint with the path `/` (or the
/// endpoint's own path, ending in `/`), without query or fragment.
fn request_url(endpoint: &reqwest::Url) -> reqwest::Url {
    let mut url = endpoint.clone();
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

/// The `Host` header for `url`: the port is left out when it is the scheme's default.
fn host_header(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_urls_and_hosts() {
        let url = reqwest::Url::parse("https://apprunner.us-east-1.amazonaws.com").unwrap();
        assert_eq!(request_url(&url).as_str(), "https://apprunner.us-east-1.amazonaws.com/");
        assert_eq!(host_header(&url), "apprunner.us-east-1.amazonaws.com");
        let url = reqwest::Url::parse("http://127.0.0.1:8080/prefix?x=1").unwrap();
        assert_eq!(request_url(&url).as_str(), "http://127.0.0.1:8080/prefix/");
        assert_eq!(host_header(&url), "127.0.0.1:8080");
        let url = reqwest::Url::parse("https://[::1]:443").unwrap();
        assert_eq!(host_header(&url), "[::1]");
    }

    #[test]
    fn user_agent_names_version_platform_and_app() {
        let agent = user_agent(None);
        assert!(agent.starts_with(&format!("apprunner-rs/{} (", env!("CARGO_PKG_VERSION"))));
        assert!(!agent.contains("app/"));
        assert!(user_agent(Some("my app/1")).ends_with(" app/my_app_1"));
    }

    #[test]
    fn empty_inputs_serialize_as_an_object() {
        #[derive(Serialize)]
        struct Empty {}
        assert_eq!(serialize_input(&Empty {}).unwrap(), b"{}");
        assert_eq!(serialize_input(&()).unwrap(), b"{}");
    }
}
