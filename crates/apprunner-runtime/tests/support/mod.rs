//! A minimal HTTP/1.1 server on the loopback interface for transport tests.
//!
//! It answers requests with a script of [`Reply`]s (the last one repeats), records
//! every request it reads, and counts the connections it accepts. It understands
//! just enough HTTP/1.1 for the client under test: `Content-Length` request bodies
//! and keep-alive connections.
#![allow(dead_code, unreachable_pub)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response with a `Content-Length` body.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// These exact bytes, then the connection is closed.
    RawThenClose(Vec<u8>),
    /// The connection is closed without a response.
    Close,
    /// No response, ever (the connection stays open).
    Hang,
    /// Waits, then answers with the inner reply.
    Delay(Duration, Box<Reply>),
    /// A 200 response whose body is `size` bytes of `x`, sent with a declared
    /// `Content-Length` (`declared`) or chunked (`!declared`).
    Huge { size: usize, declared: bool },
}

impl Reply {
    /// A response with a JSON body and the awsJson content type.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), "application/x-amz-json-1.0".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A response with a body of any content type (or none, for an empty `body`).
    pub fn text(status: u16, body: &str) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// The same reply with one more header (only for [`Reply::Full`]).
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names as sent (case kept), in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The request line and headers, exactly as received.
    pub head: String,
    /// Which accepted connection (0-based) carried it.
    pub connection: usize,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    script: Vec<Reply>,
    next: usize,
    requests: Vec<Recorded>,
    connections: usize,
}

impl State {
    fn next_reply(&mut self) -> Reply {
        let index = self.next.min(self.script.len().saturating_sub(1));
        self.next += 1;
        self.script
            .get(index)
            .cloned()
            .unwrap_or_else(|| Reply::text(599, "no scripted reply"))
    }
}

/// The running server; stops when dropped.
pub struct TestServer {
    port: u16,
    tls: bool,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server answering with `script`, in order, repeating the last reply.
    pub async fn start(script: Vec<Reply>) -> TestServer {
        Self::start_with(script, None).await
    }

    /// Like [`TestServer::start`], over TLS with a self-signed certificate for
    /// `127.0.0.1` (not trusted by the system).
    pub async fn start_tls(script: Vec<Reply>) -> TestServer {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certificate = CertificateDer::from_pem_slice(include_bytes!("tls/cert.pem")).unwrap();
        let key = PrivateKeyDer::from_pem_slice(include_bytes!("tls/key.pem")).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)
            .unwrap();
        Self::start_with(script, Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))).await
    }

    async fn start_with(script: Vec<Reply>, tls: Option<tokio_rustls::TlsAcceptor>) -> TestServer {
        let tls_enabled = tls.is_some();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            script,
            ..State::default()
        }));
        let accept_state = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let connection = {
                    let mut state = accept_state.lock().unwrap();
                    state.connections += 1;
                    state.connections - 1
                };
                let state = Arc::clone(&accept_state);
                match tls.clone() {
                    None => {
                        tokio::spawn(serve(stream, connection, state));
                    }
                    Some(acceptor) => {
                        tokio::spawn(async move {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                serve(stream, connection, state).await;
                            }
                        });
                    }
                }
            }
        });
        TestServer {
            port,
            tls: tls_enabled,
            state,
            task,
        }
    }

    /// `http://127.0.0.1:PORT` (`https` over TLS), the endpoint URL to configure.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every request read so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// How many requests were read so far.
    pub fn request_count(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }

    /// How many connections were accepted so far.
    pub fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A port with nothing listening on it (bound, then released).
pub async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A listener whose accept queue is full, so new connections hang in the TCP
/// handshake (Linux drops their SYNs): a deterministic connect timeout on
/// loopback. Returns the listener (keep it alive) and its URL.
pub async fn unresponsive_listener() -> (Vec<TcpStream>, String) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = socket.local_addr().unwrap().port();
    let listener = socket.listen(0).unwrap();
    let mut held = Vec::new();
    for _ in 0..8 {
        let connect = TcpStream::connect(("127.0.0.1", port));
        match tokio::time::timeout(Duration::from_millis(50), connect).await {
            Ok(Ok(stream)) => held.push(stream),
            _ => break,
        }
    }
    // The listener itself must stay open too: leak it into a task that holds it.
    tokio::spawn(async move {
        let _listener = listener;
        std::future::pending::<()>().await;
    });
    (held, format!("http://127.0.0.1:{port}"))
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, connection: usize, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer, connection).await else {
            return;
        };
        let reply = {
            let mut state = state.lock().unwrap();
            state.requests.push(request);
            state.next_reply()
        };
        if !respond(&mut stream, reply).await {
            return;
        }
    }
}

/// Sends `reply`; `false` when the connection is finished.
async fn respond<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S, reply: Reply) -> bool {
    match reply {
        Reply::Full { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (name, value) in &headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await.is_ok()
        }
        Reply::RawThenClose(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
            false
        }
        Reply::Close => false,
        Reply::Hang => {
            std::future::pending::<()>().await;
            false
        }
        Reply::Delay(delay, inner) => {
            tokio::time::sleep(delay).await;
            Box::pin(respond(stream, *inner)).await
        }
        Reply::Huge { size, declared } => {
            let head = if declared {
                format!("HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n")
            } else {
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_owned()
            };
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let block = vec![b'x'; 64 * 1024];
            let mut left = size;
            while left > 0 {
                let n = left.min(block.len());
                let written = if declared {
                    stream.write_all(&block[..n]).await
                } else {
                    let mut chunk = format!("{n:x}\r\n").into_bytes();
                    chunk.extend_from_slice(&block[..n]);
                    chunk.extend_from_slice(b"\r\n");
                    stream.write_all(&chunk).await
                };
                if written.is_err() {
                    return false;
                }
                left -= n;
            }
            if !declared && stream.write_all(b"0\r\n\r\n").await.is_err() {
                return false;
            }
            true
        }
    }
}

/// Reads one request; `None` when the peer closed the connection or sent garbage.
async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut S,
    buffer: &mut Vec<u8>,
    connection: usize,
) -> Option<Recorded> {
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Recorded {
        method,
        path,
        headers,
        body,
        head,
        connection,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

// ---------------------------------------------------------------------------
// A test service: the App Runner rule set from the project model, an input type
// that validates, and an operation error enum with one modeled error.
// ---------------------------------------------------------------------------

use std::fmt;
use std::sync::OnceLock;
use std::time::SystemTime;

use apprunner_runtime::credentials::{Credentials, SharedCredentialsProvider};
use apprunner_runtime::{
    Config, ErrorMetadata, OperationError, OperationSpec, Protocol, RetryClass, Runtime, SdkError, ServiceSpec,
    TestHooks,
};
use apprunner_smithy::rules::RuleSet;
use apprunner_smithy::{Validate, Violation};

/// The App Runner model's endpoint rule set.
fn apprunner_rule_set() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let model: serde_json::Value =
            serde_json::from_str(include_str!("../../../../model/apprunner.json")).expect("model JSON");
        let service = &model["shapes"]["com.amazonaws.apprunner#AppRunner"];
        RuleSet::from_value(&to_document(&service["traits"]["smithy.rules#endpointRuleSet"]))
            .expect("the model's rule set")
    })
}

/// Parses a rule set for a test's service and keeps it for the rest of the test run.
pub fn rule_set(json: &str) -> &'static RuleSet {
    Box::leak(Box::new(RuleSet::from_json(json).expect("the test's rule set")))
}

/// The App Runner service as a generated client would describe it.
pub fn service() -> &'static ServiceSpec {
    static SERVICE: OnceLock<ServiceSpec> = OnceLock::new();
    SERVICE.get_or_init(|| ServiceSpec {
        sdk_id: "AppRunner",
        target_prefix: "AppRunner",
        api_version: "2020-05-15",
        protocol: Protocol::AwsJson1_0,
        signing_name: "apprunner",
        endpoint_rule_set: apprunner_rule_set(),
    })
}

pub static CREATE_SERVICE: OperationSpec = OperationSpec { name: "CreateService" };

pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const SESSION_TOKEN: &str = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN";

/// Long-term credentials, or temporary ones with `session`.
pub fn credentials(session: bool) -> Credentials {
    Credentials::new(
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        session.then(|| SESSION_TOKEN.to_owned()),
        None,
        "test",
    )
}

/// A configuration pointing at `endpoint` in us-east-1 with static credentials,
/// and an empty environment.
pub fn config(endpoint: &str) -> apprunner_runtime::ConfigBuilder<SharedCredentialsProvider> {
    Config::builder()
        .env(apprunner_runtime::Env::from_vars([("HOME", "/nonexistent")]))
        .region("us-east-1")
        .credentials(credentials(false))
        .endpoint_url(endpoint)
}

/// Millisecond backoff, so retry tests stay fast.
pub const TEST_BACKOFF: std::time::Duration = std::time::Duration::from_millis(1);

/// A runtime for `config`, with millisecond backoff.
pub fn new_runtime(config: apprunner_runtime::ConfigBuilder<SharedCredentialsProvider>) -> Runtime {
    let hooks = TestHooks {
        initial_backoff: Some(TEST_BACKOFF),
        ..TestHooks::default()
    };
    Runtime::with_test_hooks(service(), config.load().expect("config"), hooks).expect("runtime")
}

/// A runtime for `config` whose signing clock is stuck at `clock`.
pub fn runtime_at(
    config: apprunner_runtime::ConfigBuilder<SharedCredentialsProvider>,
    clock: fn() -> SystemTime,
) -> Runtime {
    let hooks = TestHooks {
        clock: Some(clock),
        initial_backoff: Some(TEST_BACKOFF),
    };
    Runtime::with_test_hooks(service(), config.load().expect("config"), hooks).expect("runtime")
}

/// Any JSON as an operation input; a `ServiceName` of `""` is invalid.
#[derive(Debug)]
pub struct Input(pub serde_json::Value);

/// Sent as the JSON value itself.
impl apprunner_smithy::json::WriteJson for Input {
    fn write_json(&self, out: &mut apprunner_smithy::json::JsonWriter) {
        to_document(&self.0).write_json(out);
    }
}

impl Validate for Input {
    fn validate_into(&self, path: &apprunner_smithy::ValuePath<'_>, out: &mut Vec<Violation>) {
        if self.0.get("ServiceName").and_then(serde_json::Value::as_str) == Some("") {
            out.push(Violation {
                path: apprunner_smithy::validation::member_path(path, "ServiceName").to_string(),
                message: "has 0 characters; it must have between 4 and 40".to_owned(),
            });
        }
    }
}

/// A CreateService-like input.
pub fn create_service_input() -> Input {
    Input(serde_json::json!({
        "ServiceName": "my-service",
        "SourceConfiguration": {
            "ImageRepository": {
                "ImageIdentifier": "public.ecr.aws/nginx/nginx:latest",
                "ImageRepositoryType": "ECR_PUBLIC"
            },
            "AutoDeploymentsEnabled": false
        }
    }))
}

/// The test operation's errors: one modeled, one modeled and `@retryable`, and
/// everything else.
#[derive(Debug)]
pub enum TestError {
    InvalidRequest(ErrorMetadata),
    ServiceBusy(ErrorMetadata),
    Unhandled(ErrorMetadata),
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.metadata(), f)
    }
}

impl std::error::Error for TestError {}

impl OperationError for TestError {
    fn from_response(code: &str, _body: &[u8], metadata: ErrorMetadata) -> Self {
        match code {
            "InvalidRequestException" => TestError::InvalidRequest(metadata),
            "ServiceBusyException" => TestError::ServiceBusy(metadata),
            _ => TestError::Unhandled(metadata),
        }
    }

    fn metadata(&self) -> &ErrorMetadata {
        match self {
            TestError::InvalidRequest(m) | TestError::ServiceBusy(m) | TestError::Unhandled(m) => m,
        }
    }

    fn retry_class(&self) -> Option<RetryClass> {
        match self {
            TestError::ServiceBusy(_) => Some(RetryClass::Transient),
            _ => None,
        }
    }
}

/// The output: any JSON value.
pub type Output = apprunner_smithy::Document;

/// A `serde_json` value as the client's own document type.
pub fn to_document(value: &serde_json::Value) -> apprunner_smithy::Document {
    apprunner_smithy::json::from_slice(&serde_json::to_vec(value).expect("JSON values serialize")).expect("JSON reads")
}

/// A document as a `serde_json` value, for indexing in assertions.
pub fn to_value(document: &apprunner_smithy::Document) -> serde_json::Value {
    serde_json::from_slice(&apprunner_smithy::json::to_vec(document).expect("documents write")).expect("JSON reads")
}

/// Calls CreateService with `input`.
pub async fn call(runtime: &Runtime, input: &Input) -> Result<Output, SdkError<TestError>> {
    runtime.invoke(&CREATE_SERVICE, input).await
}
