//! Shared test support: a scriptable HTTP/1.1 server on the loopback interface,
//! a client wired to it, and small JSON helpers.
//!
//! The server answers each request with the next canned response of its queue and
//! records what it received (method, path, headers, body), so tests can check both
//! directions of an exchange. It understands just enough HTTP/1.1 for the client:
//! `Content-Length` bodies and persistent connections.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use apprunner_client::Client;
use apprunner_runtime::credentials::Credentials;
use apprunner_runtime::{Config, Env};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A generated value's wire form, as the client writes it, read back as JSON.
pub(crate) fn wire_json<T: apprunner_smithy::json::WriteJson + ?Sized>(value: &T) -> Value {
    serde_json::from_slice(&wire_text(value).into_bytes()).expect("the writer writes JSON")
}

/// Reads a generated value from its wire form, as the client reads a response.
pub(crate) fn from_wire<T: apprunner_smithy::json::ReadJson>(
    value: &Value,
) -> Result<T, apprunner_smithy::json::JsonReadError> {
    apprunner_smithy::json::from_slice(&serde_json::to_vec(value).expect("JSON values serialize"))
}

/// A generated value's wire form, as the client writes it.
pub(crate) fn wire_text<T: apprunner_smithy::json::WriteJson + ?Sized>(value: &T) -> String {
    let bytes = apprunner_smithy::json::to_vec(value).expect("the value has a wire form");
    String::from_utf8(bytes).expect("the writer writes UTF-8")
}

pub(crate) const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub(crate) const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub(crate) const REGION: &str = "us-east-1";
/// The ARN of the account's default auto scaling configuration, for canned responses.
pub(crate) const DEFAULT_AUTO_SCALING_ARN: &str = concat!(
    "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/",
    "DefaultConfiguration/1/00000000000000000000000000000001"
);

/// One request as the server received it.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    pub(crate) path: String,
    /// Header names lower-cased, in arrival order.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Recorded {
    /// The value of header `name` (case-insensitive); panics when it appears more than once.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        let mut found = self.headers.iter().filter(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        let first = found.next();
        assert!(found.next().is_none(), "header {name} was sent more than once");
        first
    }

    /// The body parsed as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("request body is not JSON ({error}): {:?}", self.text()))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A response the server will send.
#[derive(Clone, Debug)]
pub(crate) struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Canned {
    /// A JSON response in the awsJson 1.0 content type.
    pub(crate) fn json(status: u16, body: &Value) -> Canned {
        Canned {
            status,
            headers: vec![("Content-Type".to_owned(), "application/x-amz-json-1.0".to_owned())],
            body: serde_json::to_vec(body).expect("serializable JSON"),
        }
    }

    /// A `200 OK` with a JSON body.
    pub(crate) fn ok(body: &Value) -> Canned {
        Canned::json(200, body)
    }

    /// Adds a response header.
    pub(crate) fn header(mut self, name: &str, value: &str) -> Canned {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        _ => "Status",
    }
}

#[derive(Default)]
struct Shared {
    queue: VecDeque<Canned>,
    received: Vec<Recorded>,
}

/// The loopback server; stops when dropped.
pub(crate) struct Server {
    port: u16,
    shared: Arc<Mutex<Shared>>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Starts a server on `127.0.0.1` (a free port) that answers with `responses`, in order.
    /// Once they are used up it answers `599` with a `TestServerExhausted` error, which
    /// no test expects, so an unplanned request shows up as a failure.
    pub(crate) async fn start(responses: impl IntoIterator<Item = Canned>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let shared = Arc::new(Mutex::new(Shared {
            queue: responses.into_iter().collect(),
            received: Vec::new(),
        }));
        let accepting = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, Arc::clone(&accepting)));
            }
        });
        Server { port, shared, task }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far, in order.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().expect("server state").received.clone()
    }

    /// How many canned responses were not used.
    pub(crate) fn unused_responses(&self) -> usize {
        self.shared.lock().expect("server state").queue.len()
    }

    /// A client whose every call goes to this server (see [`client_for`]).
    pub(crate) fn client(&self) -> Client {
        client_for(&self.url())
    }
}

/// A client whose every call goes to `endpoint_url`, with fixed test credentials and
/// an empty in-memory environment: no variables and no home directory, so neither the
/// environment nor the shared config and credentials files of the machine running the
/// tests can leak in.
pub(crate) fn client_for(endpoint_url: &str) -> Client {
    let config = Config::builder()
        .region(REGION)
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "test"))
        .endpoint_url(endpoint_url)
        .env(Env::from_vars::<_, String, String>([]))
        .load()
        .expect("test configuration loads");
    Client::from_conf(config).expect("client builds")
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_connection(mut stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let response = {
            let mut shared = shared.lock().expect("server state");
            shared.received.push(request);
            shared.queue.pop_front()
        };
        let response = response.unwrap_or_else(|| {
            Canned::json(
                599,
                &serde_json::json!({"__type": "TestServerExhausted", "message": "no canned response left"}),
            )
        });
        if stream.write_all(&response.to_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads one request; `None` when the peer closed the connection (or sent garbage).
/// `buffer` carries bytes read past the end of one request over to the next.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(index) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break index;
        }
        if !fill(stream, buffer).await {
            return None;
        }
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map_or(Some(0), |(_, value)| value.parse::<usize>().ok())?;
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        if !fill(stream, buffer).await {
            return None;
        }
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 4096];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(read) => {
            buffer.extend_from_slice(&chunk[..read]);
            true
        }
    }
}
