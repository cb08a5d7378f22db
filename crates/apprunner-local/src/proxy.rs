//! The per-service reverse proxy: what answers at a service's `ServiceUrl`.
//!
//! Each live service has its own local port (its `ServiceUrl` is `127.0.0.1:<port>`), so any
//! HTTP client reaches it without name resolution tricks. Requests are forwarded to the
//! application's port over HTTP/1.1, with the `X-Forwarded-For`, `X-Forwarded-Proto` and
//! `X-Forwarded-Host` headers App Runner's load balancer adds; bodies stream both ways. While
//! the service is not running the proxy answers 503 with the reason; a simulated service is
//! answered by the proxy itself.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use http::header::{self, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::engine::{Backend, ServiceRuntime};
use crate::server::{Body, text_response};

/// Serves a service's port until the task is aborted (which also ends its connections).
pub(crate) async fn serve(listener: TcpListener, runtime: Arc<ServiceRuntime>) {
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "accepting a proxy connection failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        while connections.try_join_next().is_some() {}
        let runtime = runtime.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| handle(request, runtime.clone(), peer));
            let served = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(error) = served {
                tracing::debug!(%error, "proxy connection ended with an error");
            }
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    runtime: Arc<ServiceRuntime>,
    peer: SocketAddr,
) -> Result<Response<Body>, Infallible> {
    let response = match runtime.backend() {
        Backend::App(port) => forward(request, port, peer).await,
        Backend::Simulated => text_response(
            StatusCode::OK,
            format!(
                "{} is a simulated App Runner service (apprunner-local --simulate): no application runs behind it.\n",
                runtime.name
            ),
        ),
        Backend::Starting => text_response(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{} is not running yet: its deployment is in progress.\n", runtime.name),
        ),
        Backend::Down(reason) => text_response(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{} is not running: {reason}\n", runtime.name),
        ),
    };
    Ok(response)
}

/// Headers that belong to one connection and are not forwarded.
const HOP_BY_HOP: &[HeaderName] = &[
    header::CONNECTION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    header::PROXY_AUTHORIZATION,
];

fn strip_hop_by_hop(headers: &mut http::HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named.iter().chain(HOP_BY_HOP) {
        headers.remove(name);
    }
    headers.remove("keep-alive");
    headers.remove("proxy-connection");
}

async fn forward(request: Request<Incoming>, port: u16, peer: SocketAddr) -> Response<Body> {
    let (mut parts, body) = request.into_parts();
    strip_hop_by_hop(&mut parts.headers);
    let forwarded_for = match parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(earlier) => format!("{earlier}, {}", peer.ip()),
        None => peer.ip().to_string(),
    };
    if let Ok(value) = HeaderValue::from_str(&forwarded_for) {
        parts.headers.insert("x-forwarded-for", value);
    }
    parts
        .headers
        .insert("x-forwarded-proto", HeaderValue::from_static("http"));
    if let Some(host) = parts.headers.get(header::HOST).cloned() {
        parts.headers.insert("x-forwarded-host", host);
    }
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    parts.uri = match path.parse() {
        Ok(uri) => uri,
        Err(_) => return text_response(StatusCode::BAD_REQUEST, "The request path is not valid.\n".to_owned()),
    };
    let upstream = Request::from_parts(parts, body);
    let stream = match TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await {
        Ok(stream) => stream,
        Err(error) => {
            return text_response(
                StatusCode::BAD_GATEWAY,
                format!("The application does not accept connections on its port {port}: {error}\n"),
            );
        }
    };
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) = match hyper::client::conn::http1::handshake(TokioIo::new(stream)).await {
        Ok(pair) => pair,
        Err(error) => {
            return text_response(
                StatusCode::BAD_GATEWAY,
                format!("Cannot talk to the application: {error}\n"),
            );
        }
    };
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "upstream connection ended with an error");
        }
    });
    match sender.send_request(upstream).await {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            strip_hop_by_hop(&mut parts.headers);
            Response::from_parts(parts, http_body_util::BodyExt::boxed(body))
        }
        Err(error) => text_response(
            StatusCode::BAD_GATEWAY,
            format!("The application did not answer the request: {error}\n"),
        ),
    }
}
