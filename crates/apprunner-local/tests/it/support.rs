//! Shared test support: endpoints in temporary data directories, the generated client wired
//! to them, raw HTTP for requests the client would never send, and polling helpers.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use apprunner_client::Client;
use apprunner_local::{LocalEndpoint, Options};
use apprunner_runtime::credentials::Credentials;
use apprunner_runtime::{Config, Env};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub(crate) const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub(crate) const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub(crate) const REGION: &str = "us-east-1";

/// A directory removed when dropped.
#[derive(Debug)]
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "apprunner-local-{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temporary directory");
        TempDir(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Options for a test endpoint: any free port, simulated deployments of 300 ms.
pub(crate) fn simulated(dir: &Path) -> Options {
    let mut options = Options::new(dir.join("data"));
    options.port = 0;
    options.simulate = true;
    options.simulate_delay = Duration::from_millis(300);
    options
}

/// Options for real deployments with a free port.
pub(crate) fn real(dir: &Path) -> Options {
    let mut options = Options::new(dir.join("data"));
    options.port = 0;
    options
}

pub(crate) async fn start(options: Options) -> LocalEndpoint {
    LocalEndpoint::start(options).await.expect("endpoint starts")
}

/// A client for `url` with the example key pair, one attempt per call.
pub(crate) fn client(url: &str) -> Client {
    client_with(url, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
}

pub(crate) fn client_with(url: &str, access_key_id: &str, secret: &str) -> Client {
    client_in(url, REGION, access_key_id, secret)
}

/// A client for `url` in `region`.
pub(crate) fn client_in(url: &str, region: &str, access_key_id: &str, secret: &str) -> Client {
    let config = Config::builder()
        .region(region)
        .credentials(Credentials::new(access_key_id, secret, None, None, "test"))
        .endpoint_url(url)
        .max_attempts(1)
        .env(Env::from_vars::<_, String, String>([]))
        .load()
        .expect("configuration");
    Client::from_conf(config).expect("client")
}

/// A CreateService input for a simulated service (the repository is never read).
pub(crate) fn create_input(name: &str) -> Value {
    json!({
        "ServiceName": name,
        "SourceConfiguration": {
            "CodeRepository": {
                "RepositoryUrl": "https://example.invalid/repo",
                "SourceCodeVersion": {"Type": "BRANCH", "Value": "main"},
                "CodeConfiguration": {
                    "ConfigurationSource": "API",
                    "CodeConfigurationValues": {"Runtime": "PYTHON_3", "StartCommand": "python3 server.py"}
                }
            }
        }
    })
}

/// Calls an operation by name with JSON input; `Err` is `(code, message, status)`.
pub(crate) async fn call(client: &Client, operation: &str, input: Value) -> Result<Value, (String, String, u16)> {
    let text = serde_json::to_vec(&input).expect("a JSON value serializes");
    let output = client.send_json(operation, &text).await.map_err(|error| {
        (
            error.code().unwrap_or("-").to_owned(),
            error.message().unwrap_or("").to_owned(),
            error.status().unwrap_or(0),
        )
    })?;
    Ok(serde_json::from_slice(&output).expect("the client writes JSON"))
}

/// Polls DescribeService until the status is not `OPERATION_IN_PROGRESS` (or `deadline` passes).
pub(crate) async fn wait_settled(client: &Client, arn: &str, deadline: Duration) -> Value {
    let started = Instant::now();
    loop {
        let described = call(client, "DescribeService", json!({"ServiceArn": arn}))
            .await
            .expect("describe");
        let service = described["Service"].clone();
        if service["Status"] != "OPERATION_IN_PROGRESS" {
            return service;
        }
        assert!(
            started.elapsed() < deadline,
            "still in progress after {deadline:?}: {service}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls until DescribeService says the service is gone.
pub(crate) async fn wait_gone(client: &Client, arn: &str, deadline: Duration) {
    let started = Instant::now();
    loop {
        match call(client, "DescribeService", json!({"ServiceArn": arn})).await {
            Err((code, _, _)) if code == "ResourceNotFoundException" => return,
            Ok(_) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
        assert!(started.elapsed() < deadline, "not deleted after {deadline:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A raw HTTP response.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The error code as a client reads it (header, namespace stripped).
    pub(crate) fn error_code(&self) -> String {
        let raw = self.header("x-amzn-errortype").unwrap_or("");
        raw.split(':').next().unwrap_or("").to_owned()
    }
}

/// Sends one HTTP/1.1 request over a fresh connection and reads the whole response.
pub(crate) async fn raw(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> RawResponse {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("host: {addr}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write body");
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut bytes))
        .await
        .expect("response in time")
        .expect("read");
    parse_response(&bytes)
}

fn parse_response(bytes: &[u8]) -> RawResponse {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("header end");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    RawResponse { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// The headers of an awsJson call to `operation`, signed at `time` with `secret` (the
/// runtime's signer, as the client would sign).
pub(crate) fn signed_headers(
    addr: std::net::SocketAddr,
    operation: &str,
    body: &[u8],
    access_key_id: &str,
    secret: &str,
    time: SystemTime,
) -> Vec<(&'static str, String)> {
    let host = addr.to_string();
    let target = format!("AppRunner.{operation}");
    let base = [
        ("host", host.as_str()),
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", target.as_str()),
    ];
    let credentials = Credentials::new(access_key_id, secret, None, None, "test");
    let added = apprunner_runtime::sign_request_at(
        &format!("http://{host}/"),
        &base,
        body,
        &credentials,
        "apprunner",
        REGION,
        time,
    )
    .expect("signing");
    let mut headers: Vec<(&'static str, String)> = vec![
        ("content-type", "application/x-amz-json-1.0".to_owned()),
        ("x-amz-target", target.clone()),
    ];
    for (name, value) in added {
        let name: &'static str = match name.as_str() {
            "authorization" => "authorization",
            "x-amz-date" => "x-amz-date",
            "x-amz-security-token" => "x-amz-security-token",
            other => panic!("unexpected signed header {other}"),
        };
        headers.push((name, value));
    }
    headers
}
