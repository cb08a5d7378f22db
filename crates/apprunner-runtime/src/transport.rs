//! The awsJson transport: the HTTP client, sending one attempt, reading the
//! response within size limits, and making sense of error responses.
//!
//! Everything `reqwest` stays in this module; the rest of the crate sees plain
//! bytes, status codes and the failure classes below.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::sdk_error::{BoxError, DispatchError, DispatchKind, TimeoutError, TimeoutKind};

/// The most a success response body may hold; larger ones are refused, not buffered.
pub(crate) const SUCCESS_BODY_LIMIT: usize = 20 * 1024 * 1024;
/// How much of an error response body is kept (the rest is not read).
pub(crate) const ERROR_BODY_LIMIT: usize = 1024 * 1024;
/// How long an idle pooled connection is kept for reuse.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// The settings the HTTP client is built from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClientSettings {
    pub(crate) connect_timeout: Duration,
    pub(crate) verify_tls: bool,
}

/// Builds the one HTTP client (and connection pool) of a runtime.
///
/// TLS is rustls with the platform's trust store; proxies come from the standard
/// `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` variables; redirects are not
/// followed (a signed request cannot be replayed elsewhere, and AWS never redirects
/// a JSON protocol call); response bodies are not decompressed (none is asked for).
///
/// reqwest's own retry layer is switched off: over HTTP/1.1 it never retries (it
/// only knows HTTP/2 and HTTP/3 refusals), but it kept a copy of every request's
/// headers in case it would. Retries are the runtime's (`retry_loop`).
pub(crate) fn build_client(settings: ClientSettings) -> Result<reqwest::Client, BoxError> {
    // With verification on, the trust store is read on the first handshake, not here (see `tls`).
    let builder = reqwest::Client::builder().tls_backend_preconfigured(crate::tls::client_config(settings.verify_tls)?);
    let client = builder
        .connect_timeout(settings.connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .tcp_nodelay(true)
        .build()?;
    Ok(client)
}

/// The names of the headers every request carries, made at compile time.
pub(crate) mod names {
    use reqwest::header::HeaderName;

    pub(crate) use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST, USER_AGENT};
    pub(crate) const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
    pub(crate) const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
    pub(crate) const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
    pub(crate) const AMZ_SDK_INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");
    pub(crate) const AMZ_SDK_REQUEST: HeaderName = HeaderName::from_static("amz-sdk-request");
}

/// One attempt's request, ready to send (to the endpoint's URL).
#[derive(Debug)]
pub(crate) struct OutgoingRequest {
    pub(crate) headers: HeaderMap,
    /// Shared between attempts: a retry sends the same bytes without copying them.
    pub(crate) body: bytes::Bytes,
}

impl OutgoingRequest {
    /// A request without headers yet.
    pub(crate) fn new(body: bytes::Bytes) -> Self {
        Self {
            headers: HeaderMap::with_capacity(16),
            body,
        }
    }

    /// Adds a header named by one of the constants in [`names`], taking the value
    /// without copying it; `Err` names the header when the value is not valid HTTP.
    pub(crate) fn known_header(&mut self, name: HeaderName, value: String) -> Result<(), String> {
        match HeaderValue::try_from(value) {
            Ok(value) => {
                self.headers.append(name, value);
                Ok(())
            }
            Err(_) => Err(format!("invalid value for header {name}")),
        }
    }

    /// Adds a header checked beforehand.
    pub(crate) fn fixed_header(&mut self, header: &FixedHeader) {
        self.headers.append(header.name.clone(), header.value.clone());
    }
}

/// A header whose name and value are checked once, when a runtime or its endpoint
/// is set up, and then added to every request without checking them again.
#[derive(Clone, Debug)]
pub(crate) struct FixedHeader {
    name: HeaderName,
    value: HeaderValue,
}

impl FixedHeader {
    /// A header named by one of the constants in [`names`]; `Err` names it when the
    /// value is not valid HTTP.
    pub(crate) fn known(name: HeaderName, value: &str) -> Result<Self, String> {
        let value = HeaderValue::from_str(value).map_err(|_| format!("invalid value for header {name}"))?;
        Ok(Self { name, value })
    }

    /// Any header; `Err` names it when the name or value is not valid HTTP.
    pub(crate) fn new(name: &str, value: &str) -> Result<Self, String> {
        let header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name {name:?}"))?;
        Self::known(header_name, value)
    }
}

/// A response read within the size limits.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// Whether the status is a success (2xx).
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A response header as text, if present and printable.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `x-amzn-RequestId` (or `x-amz-request-id`) header.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
    }
}

/// Why one attempt got no usable response.
#[derive(Debug)]
pub(crate) enum SendFailure {
    /// Connecting, sending, or reading failed; retried as transient.
    Dispatch(DispatchError),
    /// The connect timeout expired; retried as a timeout.
    Timeout(TimeoutError),
    /// The success body exceeded the limit: not retried.
    TooLarge {
        status: u16,
        request_id: Option<String>,
        limit: usize,
    },
}

/// Sends one request to `url` and reads its response, keeping at most
/// [`SUCCESS_BODY_LIMIT`] bytes of a success body and [`ERROR_BODY_LIMIT`] of an
/// error body.
pub(crate) async fn send(
    client: &reqwest::Client,
    operation: &'static str,
    url: &reqwest::Url,
    request: OutgoingRequest,
    connect_timeout: Duration,
) -> Result<Response, SendFailure> {
    let OutgoingRequest { headers, body } = request;
    let mut outgoing = reqwest::Request::new(reqwest::Method::POST, url.clone());
    *outgoing.headers_mut() = headers;
    *outgoing.body_mut() = Some(body.into());
    let mut response = match client.execute(outgoing).await {
        Ok(response) => response,
        Err(error) => return Err(classify_send_error(operation, url.as_str(), connect_timeout, error)),
    };
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    // Wanted only when the attempt fails here.
    let request_id = || {
        headers
            .get("x-amzn-requestid")
            .or_else(|| headers.get("x-amz-request-id"))
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let success = (200..300).contains(&status);
    let limit = if success { SUCCESS_BODY_LIMIT } else { ERROR_BODY_LIMIT };
    let too_large = || SendFailure::TooLarge {
        status,
        request_id: request_id(),
        limit,
    };
    let declared = response
        .content_length()
        .and_then(|length| usize::try_from(length).ok());
    if success && declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit - body.len();
                if chunk.len() > room {
                    if success {
                        return Err(too_large());
                    }
                    // Keep what fits of an error body; the rest is not worth reading.
                    body.extend_from_slice(&chunk[..room]);
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) => {
                let failure = DispatchError::new(
                    operation,
                    url.as_str(),
                    DispatchKind::ResponseBody,
                    Some(Box::new(error)),
                )
                .with_response(status, request_id());
                return Err(SendFailure::Dispatch(failure));
            }
        }
    }
    Ok(Response { status, headers, body })
}

fn classify_send_error(
    operation: &'static str,
    url: &str,
    connect_timeout: Duration,
    error: reqwest::Error,
) -> SendFailure {
    if is_tls_failure(&error) {
        return SendFailure::Dispatch(DispatchError::new(
            operation,
            url,
            DispatchKind::Tls,
            Some(Box::new(error)),
        ));
    }
    if error.is_connect() {
        if error.is_timeout() {
            let timeout = TimeoutError::new(operation, url, TimeoutKind::Connect, connect_timeout);
            return SendFailure::Timeout(timeout.with_source(Box::new(error)));
        }
        return SendFailure::Dispatch(DispatchError::new(
            operation,
            url,
            DispatchKind::Connect,
            Some(Box::new(error)),
        ));
    }
    let kind = if error.is_request() || error.is_body() {
        DispatchKind::Connection
    } else {
        DispatchKind::Other
    };
    SendFailure::Dispatch(DispatchError::new(operation, url, kind, Some(Box::new(error))))
}

/// Whether a rustls error is among the causes of `error`. rustls errors travel
/// inside `io::Error`s, whose `source` skips the wrapped error, so each
/// `io::Error` is opened explicitly.
fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<rustls::Error>() {
            return true;
        }
        if let Some(inner) = error.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref())
            && is_tls_failure(inner)
        {
            return true;
        }
        current = error.source();
    }
    false
}

/// What an error response says about itself.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorFacts {
    /// The sanitized error code, if the response names one.
    pub(crate) code: Option<String>,
    /// The message, if the body has one.
    pub(crate) message: Option<String>,
}

/// Reads the code and message of an awsJson error response: the code from the
/// `X-Amzn-Errortype` header, else the body's `__type`, else its `code`; the message
/// from `message`, `Message` or `errorMessage`. A body that is not a JSON object
/// still yields the header's code and, as the message, the HTTP reason phrase and
/// (when the body is text rather than broken JSON) the start of the body.
pub(crate) fn parse_error_response(response: &Response) -> ErrorFacts {
    let object = match apprunner_smithy::json::from_slice(&response.body) {
        Ok(apprunner_smithy::Document::Object(object)) => Some(object),
        _ => None,
    };
    let field = |names: &[&str]| {
        let object = object.as_ref()?;
        names
            .iter()
            .find_map(|name| object.get(*name).and_then(apprunner_smithy::Document::as_str))
            .map(str::to_owned)
    };
    let code = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| field(&["__type", "code", "Code"]))
        .map(|raw| sanitize_error_code(&raw).to_owned())
        .filter(|code| !code.is_empty());
    let mut message = field(&["message", "Message", "errorMessage"]);
    if message.is_none() && object.is_none() {
        let reason = reqwest::StatusCode::from_u16(response.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("unexpected status");
        message = Some(match body_excerpt(&response.body) {
            Some(excerpt) => format!("{reason}; the response body is not JSON and starts with {excerpt:?}"),
            None if response.body.is_empty() => format!("{reason}; the response body is empty"),
            None => format!("{reason}; the response body is not JSON"),
        });
    }
    ErrorFacts { code, message }
}

/// Removes the namespace (`aws.apprunner#`) and any `:`-separated suffix from an
/// error code: `aws.apprunner#InvalidRequestException:http://...` becomes
/// `InvalidRequestException`.
pub(crate) fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let after_hash = before_colon.split_once('#').map_or(before_colon, |(_, code)| code);
    after_hash.trim()
}

/// The start of a body that is plainly not JSON (an HTML error page from a proxy,
/// say), for error messages; `None` for a body that looks like JSON, since a JSON
/// response from the service may hold sensitive values.
pub(crate) fn body_excerpt(body: &[u8]) -> Option<String> {
    const MAX_CHARS: usize = 120;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX_CHARS * 4)]);
    let trimmed = text.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('{') || trimmed.starts_with('[') {
        return None;
    }
    let mut excerpt: String = trimmed
        .chars()
        .take(MAX_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if trimmed.chars().count() > MAX_CHARS || body.len() > MAX_CHARS * 4 {
        excerpt.push('…');
    }
    Some(excerpt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        Response {
            status,
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn sanitizes_codes() {
        assert_eq!(
            sanitize_error_code("InvalidRequestException"),
            "InvalidRequestException"
        );
        assert_eq!(
            sanitize_error_code("com.amazonaws.apprunner#InvalidRequestException"),
            "InvalidRequestException"
        );
        assert_eq!(
            sanitize_error_code(
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError:http://internal.amazon.com/"), "FooError");
    }

    #[test]
    fn parses_codes_and_messages_in_priority_order() {
        let facts = parse_error_response(&response(
            400,
            &[("X-Amzn-Errortype", "HeaderCode:http://x")],
            r#"{"__type":"ns#BodyType","code":"BodyCode","message":"lower","Message":"upper"}"#,
        ));
        assert_eq!(facts.code.as_deref(), Some("HeaderCode"));
        assert_eq!(facts.message.as_deref(), Some("lower"));

        let facts = parse_error_response(&response(
            400,
            &[],
            r#"{"__type":"ns#BodyType","code":"C","Message":"M"}"#,
        ));
        assert_eq!(facts.code.as_deref(), Some("BodyType"));
        assert_eq!(facts.message.as_deref(), Some("M"));

        let facts = parse_error_response(&response(400, &[], r#"{"code":"C","errorMessage":"E"}"#));
        assert_eq!(facts.code.as_deref(), Some("C"));
        assert_eq!(facts.message.as_deref(), Some("E"));

        let facts = parse_error_response(&response(400, &[], "{}"));
        assert_eq!(facts, ErrorFacts::default());
    }

    #[test]
    fn non_json_error_bodies_keep_status_and_excerpt() {
        let facts = parse_error_response(&response(502, &[], "<html>Bad gateway</html>"));
        assert_eq!(facts.code, None);
        assert_eq!(
            facts.message.as_deref(),
            Some("Bad Gateway; the response body is not JSON and starts with \"<html>Bad gateway</html>\"")
        );
        let facts = parse_error_response(&response(503, &[("x-amzn-errortype", "SlowDown")], ""));
        assert_eq!(facts.code.as_deref(), Some("SlowDown"));
        assert_eq!(
            facts.message.as_deref(),
            Some("Service Unavailable; the response body is empty")
        );
        let facts = parse_error_response(&response(400, &[], "{\"message\": \"trunc"));
        assert_eq!(
            facts.message.as_deref(),
            Some("Bad Request; the response body is not JSON")
        );
    }

    #[test]
    fn excerpts_only_non_json_text() {
        assert_eq!(body_excerpt(b"  {\"secret\": 1}"), None);
        assert_eq!(body_excerpt(b"[1]"), None);
        assert_eq!(body_excerpt(b""), None);
        assert_eq!(body_excerpt(b"plain\ntext").as_deref(), Some("plain text"));
        let long = "x".repeat(1000);
        assert_eq!(body_excerpt(long.as_bytes()).unwrap().chars().count(), 121);
    }
}
