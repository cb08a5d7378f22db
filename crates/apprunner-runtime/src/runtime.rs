//! [`Runtime`]: the request pipeline every generated operation goes through.
//!
//! One call is: validate the input, serialize it once, resolve the endpoint (once
//! per runtime), then attempts until one succeeds or the retry strategy gives up.
//! Each attempt gets credentials (cached by the provider), builds and signs the
//! request, sends it, and reads the response within a size limit, all within the
//! attempt timeout. The whole call runs within the operation timeout, waits
//! included; one timer serves both (the nearer deadline).
//!
//! Only the ends of a call depend on the operation's types (the input's validation
//! and serialization, the output's parsing, the typed error); the exchange between
//! them is not generic, so it is compiled once, here, however many operations a
//! program calls.

use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use apprunner_smithy::json::{JsonReadError, ReadJson, WriteJson};
use apprunner_smithy::{Validate, ValidationError, Violation};
use tracing::Instrument;

use crate::config::Config;
use crate::endpoint::{EndpointParams, EndpointResolver};
use crate::error::{ErrorMetadata, OperationError, RetryClass};
use crate::retry::{self, RetryKind, TokenBucket};
use crate::sdk_error::{DispatchError, DispatchKind, ResponseError, RuntimeError, SdkError, TimeoutError, TimeoutKind};
use crate::service::{OperationSpec, ServiceSpec};
use crate::signing::{self, SigningScope};
use crate::transport::{self, ClientSettings, FixedHeader, OutgoingRequest, SendFailure, names};

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
    /// `Content-Type` and `User-Agent`: the same for every request.
    constant_headers: [FixedHeader; 2],
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
    /// The `Host` header, checked once.
    host_header: FixedHeader,
    /// The headers the endpoint rules ask for, checked once.
    headers: Vec<FixedHeader>,
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
enum AttemptError {
    Final(SdkError<RawServiceError>),
    Retryable(SdkError<RawServiceError>, RetryKind),
}

impl Runtime {
    /// A runtime for `service` with `config`: builds the HTTP client (rustls; the
    /// configured connect timeout and TLS verification; proxies from the standard
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` variables). Nothing is sent until the
    /// first call.
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
        let resolver = EndpointResolver::new(service.endpoint_rule_set);
        let http = transport::build_client(ClientSettings {
            connect_timeout: config.timeouts().connect,
            verify_tls: config.verify_tls(),
        })
        .map_err(|error| RuntimeError::new("the HTTP client could not be built", error))?;
        let header_error = |problem: String| RuntimeError::new("a request header could not be made", problem.into());
        let constant_headers = [
            FixedHeader::known(names::CONTENT_TYPE, service.protocol.content_type()).map_err(header_error)?,
            FixedHeader::known(names::USER_AGENT, &user_agent(config.app_name())).map_err(header_error)?,
        ];
        Ok(Runtime {
            inner: Arc::new(Inner {
                signing_keys: signing::SigningKeyCache::new(),
                service,
                config,
                http,
                resolver,
                endpoint: OnceLock::new(),
                constant_headers,
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
        I: WriteJson + Validate + ?Sized + Sync,
        O: ReadJson,
        E: OperationError,
    {
        // Only what depends on the operation's types is generic: validating and
        // serializing the input, reading the output, building the typed error.
        // The exchange itself (endpoint, retries, signing, sending, timeouts) is
        // one future behind a `dyn` pointer (see `exchange`).
        input.validate().map_err(SdkError::InvalidInput)?;
        let body = serialize_input(input).map_err(SdkError::InvalidInput)?;
        let response = self
            .exchange(operation, body, modeled_retry_class::<E>)
            .await
            .map_err(|error| error.map_service(|raw| E::from_response(&raw.code, &raw.body, raw.metadata)))?;
        apprunner_smithy::json::from_slice(output_json(&response))
            .map_err(|error| SdkError::MalformedResponse(malformed_output(operation, &response, error)))
    }

    /// Sends `body` as a call of `operation` and returns the success response:
    /// attempts until one succeeds or the retry strategy gives up, all within the
    /// operation timeout. `classify` says how the operation's modeled errors retry.
    ///
    /// The future is boxed and returned as `dyn Future` on purpose. An `async fn`'s
    /// state machine is compiled in whichever crate polls it, so returned as
    /// `impl Future` the whole exchange was compiled again in every crate that
    /// calls an operation (at the end of a build, where nothing runs in
    /// parallel). Behind the `dyn` pointer it is compiled once, here; and its
    /// state, over a kilobyte, is not copied into the caller's future.
    #[inline(never)]
    fn exchange(
        &self,
        operation: &'static OperationSpec,
        body: Vec<u8>,
        classify: ClassifyServiceError,
    ) -> Pin<Box<dyn Future<Output = Result<transport::Response, SdkError<RawServiceError>>> + Send + '_>> {
        let span = tracing::debug_span!(
            "apprunner_call",
            service = self.inner.service.sdk_id,
            operation = operation.name,
            attempts = tracing::field::Empty,
        );
        let call = Call {
            operation,
            classify,
            span: span.clone(),
            deadline: self
                .inner
                .config
                .timeouts()
                .operation
                .and_then(|limit| Some((tokio::time::Instant::now().checked_add(limit)?, limit))),
        };
        Box::pin(self.attempts(call, body).instrument(span))
    }

    /// The whole call: the endpoint, then the retry loop; failures are logged
    /// (without messages, which can echo input values) with the attempts made.
    async fn attempts(&self, call: Call, body: Vec<u8>) -> Result<transport::Response, SdkError<RawServiceError>> {
        let (result, attempts) = match self.endpoint() {
            Ok(endpoint) => self.retry_loop(&call, &endpoint, body).await,
            Err(error) => (Err(error), 0),
        };
        call.span.record("attempts", attempts);
        result.map_err(|error| {
            let error = with_attempts(error, attempts);
            tracing::debug!(attempts, error = failure_summary(&error), "call failed");
            error
        })
    }

    /// Attempts until one succeeds or the retry strategy gives up; returns the
    /// outcome and the number of attempts made.
    async fn retry_loop(
        &self,
        call: &Call,
        endpoint: &ResolvedEndpoint,
        body: Vec<u8>,
    ) -> (Result<transport::Response, SdkError<RawServiceError>>, u32) {
        let payload_sha256 = signing::sha256_hex(&body);
        let body = bytes::Bytes::from(body);
        let retry_config = self.inner.config.retry();
        let max_attempts = retry_config.max_attempts.max(1);
        let initial_backoff = self.inner.hooks.initial_backoff.unwrap_or(retry_config.initial_backoff);
        let max_backoff = retry_config.max_backoff;
        let invocation_id = apprunner_smithy::idempotency_token();
        let mut retry_cost = None;
        let mut last_failure = None;
        let mut attempt = 1;
        let result = loop {
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let context = AttemptContext {
                span: span.clone(),
                call,
                endpoint,
                body: &body,
                payload_sha256: &payload_sha256,
                invocation_id: &invocation_id,
                attempt,
                max_attempts,
            };
            // One timer per attempt: the attempt timeout, or what is left of the
            // operation timeout when that comes first. The attempt is boxed: its
            // state (the HTTP exchange) is over a kilobyte, and unboxed it would be
            // copied into each enclosing future and on every move between them.
            let attempt_future = Box::pin(self.attempt(context).instrument(span));
            let outcome = self.within_deadlines(call, attempt_future).await;
            let (error, kind) = match outcome {
                Ok(Ok(response)) => {
                    self.inner.retry_quota.on_success(retry_cost);
                    break Ok(response);
                }
                Ok(Err(AttemptError::Final(error))) => break Err(error),
                Ok(Err(AttemptError::Retryable(error, kind))) => (error, kind),
                Err(DeadlineExpired::Attempt(limit)) => {
                    let error =
                        TimeoutError::new(call.operation.name, endpoint.url.as_str(), TimeoutKind::Attempt, limit);
                    (SdkError::Timeout(error), RetryKind::Timeout)
                }
                Err(DeadlineExpired::Operation(limit)) => {
                    break Err(operation_timeout(call, limit, last_failure.take()));
                }
            };
            if attempt >= max_attempts {
                break Err(error);
            }
            let Some(cost) = self.inner.retry_quota.try_acquire(kind) else {
                tracing::debug!(attempt, "retry quota exhausted; not retrying");
                break Err(error);
            };
            retry_cost = Some(cost);
            let summary = failure_summary(&error);
            let delay = retry::backoff(attempt, initial_backoff, max_backoff, retry::jitter());
            tracing::debug!(
                attempt,
                reason = ?kind,
                error = summary.as_str(),
                delay_ms = delay.as_secs_f64() * 1000.0,
                "retrying after backoff"
            );
            last_failure = Some(summary);
            if let Some((deadline, limit)) = call.deadline
                && tokio::time::Instant::now() + delay >= deadline
            {
                tokio::time::sleep_until(deadline).await;
                break Err(operation_timeout(call, limit, last_failure.take()));
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
        (result, attempt)
    }

    /// Runs one attempt within the attempt timeout and what is left of the
    /// operation timeout, whichever ends first, with one timer.
    async fn within_deadlines<T>(&self, call: &Call, future: impl Future<Output = T>) -> Result<T, DeadlineExpired> {
        let attempt_limit = self.inner.config.timeouts().attempt;
        let attempt_deadline =
            attempt_limit.and_then(|limit| Some((tokio::time::Instant::now().checked_add(limit)?, limit)));
        let (deadline, expired) = match (attempt_deadline, call.deadline) {
            (Some((at, limit)), Some((operation_at, _))) if at < operation_at => (at, DeadlineExpired::Attempt(limit)),
            (_, Some((operation_at, limit))) => (operation_at, DeadlineExpired::Operation(limit)),
            (Some((at, limit)), None) => (at, DeadlineExpired::Attempt(limit)),
            (None, None) => return Ok(future.await),
        };
        tokio::time::timeout_at(deadline, future)
            .await
            .map_err(|_elapsed| expired)
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
        let host = host_header(&url);
        let rule_headers = resolved
            .headers
            .iter()
            .flat_map(|(name, values)| values.iter().map(move |value| FixedHeader::new(name, value)));
        let header_error = |problem| {
            SdkError::Endpoint(crate::endpoint::EndpointError::InvalidRuleSet(format!(
                "the endpoint asks for a header HTTP cannot carry: {problem}"
            )))
        };
        let host_header = FixedHeader::known(names::HOST, &host).map_err(header_error)?;
        let headers = rule_headers.collect::<Result<Vec<_>, _>>().map_err(header_error)?;
        let endpoint = Arc::new(ResolvedEndpoint {
            url: request_url(&url),
            host,
            host_header,
            headers,
            signing_name: signing_name.unwrap_or_else(|| self.inner.service.signing_name.to_owned()),
            signing_region: signing_region.unwrap_or(region),
        });
        tracing::debug!(url = %endpoint.url, "resolved endpoint");
        Ok(Arc::clone(self.inner.endpoint.get_or_init(|| endpoint)))
    }

    /// One attempt: credentials, signing, sending, and reading the response. A
    /// success response is returned as it is; an error response is classified.
    async fn attempt(&self, context: AttemptContext<'_>) -> Result<transport::Response, AttemptError> {
        let AttemptContext {
            span,
            call,
            endpoint,
            body,
            payload_sha256,
            invocation_id,
            attempt,
            max_attempts,
        } = context;
        let operation = call.operation;
        let inner = &*self.inner;
        let credentials = inner
            .config
            .credentials_provider()
            .credentials()
            .await
            .map_err(|error| AttemptError::Final(SdkError::Credentials(error)))?;

        let target = [inner.service.target_prefix, ".", operation.name].concat();
        let signed: [(&str, &str); 3] = [
            ("host", &endpoint.host),
            ("content-type", inner.service.protocol.content_type()),
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
        let signature = signing::sign_post(
            endpoint.url.as_str(),
            &signed,
            payload_sha256,
            &credentials,
            scope,
            self.signing_time(),
            &inner.signing_keys,
        )
        .map_err(|error| dispatch_error(DispatchKind::Signing, Some(Box::new(error))))?;

        let mut request = OutgoingRequest::new(body.clone());
        for header in std::iter::once(&endpoint.host_header).chain(&inner.constant_headers) {
            request.fixed_header(header);
        }
        let per_attempt = [
            (names::X_AMZ_TARGET, Some(target)),
            (names::AMZ_SDK_INVOCATION_ID, Some(invocation_id.to_owned())),
            (names::AMZ_SDK_REQUEST, Some(sdk_request_value(attempt, max_attempts))),
            (names::X_AMZ_DATE, Some(signature.amz_date)),
            (names::AUTHORIZATION, Some(signature.authorization)),
            (names::X_AMZ_SECURITY_TOKEN, signature.security_token),
        ];
        for (name, value) in per_attempt {
            if let Some(value) = value {
                request
                    .known_header(name, value)
                    .map_err(|problem| dispatch_error(DispatchKind::Other, Some(problem.into())))?;
            }
        }
        for header in &endpoint.headers {
            request.fixed_header(header);
        }

        tracing::trace!(body_bytes = body.len(), "sending request");
        let started = Instant::now();
        let connect_timeout = inner.config.timeouts().connect;
        let sent = transport::send(&inner.http, operation.name, &endpoint.url, request, connect_timeout).await;
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
            return Ok(response);
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
        if code.is_some_and(|code| EXPIRED_CREDENTIALS_CODES.contains(&code)) {
            tracing::debug!("the service refused the credentials as expired; dropping the cached ones");
            inner.config.credentials_provider().invalidate().await;
        }
        let skewed = skew_changed && code.is_some_and(|code| CLOCK_SKEW_CODES.contains(&code));
        let modeled = (call.classify)(code.unwrap_or(""), &response.body, &metadata);
        let retry = retry::classify_response(code, response.status)
            .or(match modeled {
                Some(RetryClass::Throttling) => Some(RetryKind::Throttling),
                Some(RetryClass::Transient) => Some(RetryKind::Transient),
                None => None,
            })
            .or(skewed.then_some(RetryKind::Transient));
        let error = SdkError::Service(RawServiceError {
            code: code.unwrap_or("").to_owned(),
            body: response.body,
            metadata,
        });
        Err(match retry {
            Some(kind) => AttemptError::Retryable(error, kind),
            None => AttemptError::Final(error),
        })
    }
}

/// How a call's modeled errors retry: the operation's error type, asked through a
/// plain function so that the retry loop need not be generic over it.
type ClassifyServiceError = fn(code: &str, body: &[u8], metadata: &ErrorMetadata) -> Option<RetryClass>;

/// The [`ClassifyServiceError`] of the error type `E`.
fn modeled_retry_class<E: OperationError>(code: &str, body: &[u8], metadata: &ErrorMetadata) -> Option<RetryClass> {
    E::from_response(code, body, metadata.clone()).retry_class()
}

/// An error response, kept as received until the call's operation turns it into
/// its typed error.
#[derive(Debug)]
struct RawServiceError {
    /// The sanitized error code; empty when the response names none.
    code: String,
    body: Vec<u8>,
    metadata: ErrorMetadata,
}

/// What every attempt of one call shares.
struct Call {
    operation: &'static OperationSpec,
    classify: ClassifyServiceError,
    /// The call's span, which records the number of attempts.
    span: tracing::Span,
    /// When the operation timeout expires, and its length.
    deadline: Option<(tokio::time::Instant, Duration)>,
}

/// Which timeout ended an attempt.
#[derive(Clone, Copy, Debug)]
enum DeadlineExpired {
    Attempt(Duration),
    Operation(Duration),
}

/// The operation timeout's error, naming the latest retried failure if any.
fn operation_timeout(call: &Call, limit: Duration, last_failure: Option<String>) -> SdkError<RawServiceError> {
    let mut error = TimeoutError::new(call.operation.name, "", TimeoutKind::Operation, limit);
    error.set_last_failure(last_failure);
    SdkError::Timeout(error)
}

/// The JSON of a success response: its body, or `{}` for an empty one.
fn output_json(response: &transport::Response) -> &[u8] {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &response.body
    }
}

/// The error of a success response whose body is not the operation's output.
fn malformed_output(operation: &OperationSpec, response: &transport::Response, error: JsonReadError) -> ResponseError {
    // The reader's messages never quote a value from the body.
    let problem = format!("it is not a valid {} result: {error}", operation.name);
    malformed(operation, response, problem, Box::new(error))
}

fn malformed(
    operation: &OperationSpec,
    response: &transport::Response,
    problem: String,
    source: Box<dyn std::error::Error + Send + Sync>,
) -> ResponseError {
    tracing::debug!(status = response.status, "call failed: malformed response");
    ResponseError::new(
        operation.name,
        response.status,
        response.request_id().map(str::to_owned),
        problem,
    )
    .with_excerpt(transport::body_excerpt(&response.body))
    .with_source(source)
}

/// What one attempt needs to know.
struct AttemptContext<'a> {
    span: tracing::Span,
    call: &'a Call,
    endpoint: &'a ResolvedEndpoint,
    body: &'a bytes::Bytes,
    payload_sha256: &'a str,
    invocation_id: &'a str,
    attempt: u32,
    max_attempts: u32,
}

/// The JSON body of an input.
fn serialize_input<I: WriteJson + ?Sized>(input: &I) -> Result<Vec<u8>, ValidationError> {
    apprunner_smithy::json::to_vec(input).map_err(|error| {
        ValidationError::new(vec![Violation {
            path: String::new(),
            message: format!("the input cannot be serialized as JSON: {error}"),
        }])
    })
}

/// The `amz-sdk-request` header's value, `attempt=N; max=M`, written without the
/// formatting machinery (it is built for every attempt).
fn sdk_request_value(attempt: u32, max_attempts: u32) -> String {
    let mut value = String::with_capacity(32);
    value.push_str("attempt=");
    push_decimal(&mut value, attempt);
    value.push_str("; max=");
    push_decimal(&mut value, max_attempts);
    value
}

/// Appends `number` in decimal.
fn push_decimal(out: &mut String, mut number: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// Notes the number of attempts made on the errors that report it.
fn with_attempts(mut error: SdkError<RawServiceError>, attempts: u32) -> SdkError<RawServiceError> {
    match &mut error {
        SdkError::Dispatch(inner) => inner.set_attempts(attempts),
        SdkError::Timeout(inner) => inner.set_attempts(attempts),
        _ => {}
    }
    error
}

/// A log-safe summary of a failure: its class and, for service errors, the code
/// and status, never a message (messages can echo input values).
fn failure_summary(error: &SdkError<RawServiceError>) -> String {
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
            let metadata = &error.metadata;
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
    fn sdk_request_values_count_attempts() {
        assert_eq!(sdk_request_value(1, 3), "attempt=1; max=3");
        assert_eq!(sdk_request_value(10, 10), "attempt=10; max=10");
        assert_eq!(sdk_request_value(0, u32::MAX), "attempt=0; max=4294967295");
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
        struct Empty {}
        impl WriteJson for Empty {
            fn write_json(&self, out: &mut apprunner_smithy::json::JsonWriter) {
                out.start_object();
                out.end_object();
            }
        }
        assert_eq!(serialize_input(&Empty {}).unwrap(), b"{}");
    }

    #[test]
    fn an_input_without_a_wire_form_is_invalid_input() {
        struct Unsendable;
        impl WriteJson for Unsendable {
            fn write_json(&self, out: &mut apprunner_smithy::json::JsonWriter) {
                out.fail("cannot send the Unknown variant of union U");
            }
        }
        let error = serialize_input(&Unsendable).unwrap_err();
        assert!(
            error.to_string().contains("cannot send the Unknown variant of union U"),
            "{error}"
        );
    }
}
