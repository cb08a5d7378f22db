//! The API listener: the awsJson 1.0 protocol over HTTP/1.1.
//!
//! A request is checked in the order AWS's request framework checks it, and the first
//! failure is the answer:
//!
//! 1. `POST` with `Content-Type: application/x-amz-json-1.0`; anything else names no operation
//!    of this service: `UnknownOperationException`, 404.
//! 2. `X-Amz-Target: AppRunner.<Operation>` naming an operation of the model; otherwise
//!    `UnknownOperationException`, 400.
//! 3. A body of at most 10 MiB (`RequestEntityTooLargeException`, 413).
//! 4. A valid SigV4 signature (unless authentication is off); see [`crate::auth`].
//! 5. A JSON object (`SerializationException`, 400; an empty body reads as `{}`), whose members
//!    have the model's JSON types (`SerializationException`) and meet its constraints
//!    (`InvalidRequestException`); see [`crate::validate`].
//!
//! Every response carries `x-amzn-RequestId` (a fresh UUID) and `Date` (which clients use to
//! correct their clock when a signature is refused as expired).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::api::{self, Caller};
use crate::engine::Engine;
use crate::error::{ApiError, ErrorCode};

/// The body type of every response the endpoint and the proxies send.
pub(crate) type Body = BoxBody<Bytes, hyper::Error>;

/// The content type of awsJson 1.0 requests and responses.
const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.0";
/// The largest request body read.
const BODY_LIMIT: usize = 10 * 1024 * 1024;

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

/// A plain-text response.
pub(crate) fn text_response(status: StatusCode, text: String) -> Response<Body> {
    let mut response = Response::new(full(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Serves the API on `listener` until `shutdown` turns `true`, then lets requests in flight
/// finish (for up to 5 seconds).
pub(crate) async fn serve(listener: TcpListener, engine: Arc<Engine>, mut shutdown: watch::Receiver<bool>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "accepting an API connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let engine = engine.clone();
        let service = service_fn(move |request| {
            let engine = engine.clone();
            async move { Ok::<_, std::convert::Infallible>(handle(request, engine, peer).await) }
        });
        let connection = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "API connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(5), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after 5 seconds were cut off");
    }
}

async fn handle(request: Request<Incoming>, engine: Arc<Engine>, peer: SocketAddr) -> Response<Body> {
    let started = Instant::now();
    let request_id = crate::ids::uuid();
    let target = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let (status, body, error_type) = match process(request, &engine).await {
        Ok(output) => (StatusCode::OK, output, None),
        Err(error) => {
            tracing::info!(%peer, %target, code = %error.code, status = error.status, message = %error.message, "request refused");
            let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
            (status, error.body(), Some(error.error_type_header()))
        }
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(full(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("x-amzn-requestid", value);
    }
    let date = apprunner_smithy::DateTime::from(SystemTime::now()).fmt(apprunner_smithy::TimestampFormat::HttpDate);
    if let Ok(value) = HeaderValue::from_str(&date) {
        headers.insert(header::DATE, value);
    }
    if let Some(error_type) = error_type.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert("x-amzn-errortype", error_type);
    }
    tracing::debug!(%target, status = status.as_u16(), elapsed_ms = started.elapsed().as_secs_f64() * 1000.0, %request_id, "request");
    response
}

async fn process(request: Request<Incoming>, engine: &Arc<Engine>) -> Result<Value, ApiError> {
    let (parts, body) = request.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if parts.method != Method::POST || !media_type.eq_ignore_ascii_case(JSON_CONTENT_TYPE) {
        let mut error = ApiError::new(
            ErrorCode::UnknownOperation,
            format!(
                "This endpoint serves App Runner's awsJson 1.0 API: POST requests with Content-Type {JSON_CONTENT_TYPE} (this one is {} with {}).",
                parts.method,
                if content_type.is_empty() {
                    "no content type".to_owned()
                } else {
                    format!("{content_type:?}")
                }
            ),
        );
        error.status = 404;
        return Err(error);
    }
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let schema = &apprunner_types::schema::SERVICE;
    let operation = target
        .strip_prefix(schema.name)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|name| schema.operations.iter().find(|op| op.name == name));
    let Some(operation) = operation else {
        let message = if target.is_empty() {
            "The request has no X-Amz-Target header naming the operation (AppRunner.<Operation>).".to_owned()
        } else {
            format!("{target:?} is not an operation of this service.")
        };
        return Err(ApiError::new(ErrorCode::UnknownOperation, message));
    };
    let body = match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            return Err(ApiError::new(
                ErrorCode::RequestEntityTooLarge,
                format!("The request body is larger than {BODY_LIMIT} bytes."),
            ));
        }
        Err(error) => {
            return Err(ApiError::new(
                ErrorCode::Serialization,
                format!("The request body could not be read: {error}"),
            ));
        }
    };
    let options = engine.options();
    let region = if options.require_auth {
        crate::auth::verify(&options.keys, &parts, &body, SystemTime::now())?.region
    } else {
        crate::auth::region_hint(&parts.headers).unwrap_or_else(|| options.default_region.clone())
    };
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(&body).map_err(|error| {
            ApiError::new(
                ErrorCode::Serialization,
                format!(
                    "The request body is not valid JSON: {} (line {}, column {}).",
                    describe_json_error(&error),
                    error.line(),
                    error.column()
                ),
            )
        })?
    };
    crate::validate::check_input(operation.input, &input)?;
    api::dispatch(engine, &Caller { region }, operation.name, input).await
}

/// serde_json's description of a syntax error, without its position (given separately).
fn describe_json_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    text.rsplit_once(" at line ")
        .map_or(text.clone(), |(head, _)| head.to_owned())
}
