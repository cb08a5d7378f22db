//! `stub-server [--port N]`: a local keep-alive HTTP/1.1 server on 127.0.0.1 that
//! answers every POST with the same canned App Runner CreateService response.
//!
//! It exists so that the comparison harness can time clients against a server whose
//! cost is small and the same for all of them: one thread per connection, Nagle's
//! algorithm off, the response bytes built once at start-up. Requests are still
//! parsed properly (request line, headers up to the blank line, exactly
//! `Content-Length` body bytes, `Expect: 100-continue`, `Connection: close`,
//! several requests per connection, requests split across reads); a malformed
//! request gets `400 Bad Request` and the connection is closed.
//!
//! When it is ready it prints `listening on http://127.0.0.1:PORT` on stdout.
//! `--port 0` (the default) picks a free port. Standard library only.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::Arc;

/// The request id every response carries.
const REQUEST_ID: &str = "5b8f4c1e-3d2a-4e6f-9a7b-0c1d2e3f4a5b";
/// The largest request head (request line and headers) accepted.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The largest request body accepted.
const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;
/// How much is read from the socket at a time.
const READ_CHUNK: usize = 16 * 1024;

const USAGE: &str = "usage: stub-server [--port N]

Serves a canned App Runner CreateService response to every POST on
http://127.0.0.1:N (N = 0, the default, picks a free port) and prints
`listening on http://127.0.0.1:PORT` once it is ready.";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("stub-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let Some(port) = parse_port(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    let port = listener
        .local_addr()
        .map_err(|error| format!("cannot read the listening address: {error}"))?
        .port();
    let responses = Arc::new(Responses::build());
    let mut stdout = io::stdout();
    writeln!(stdout, "listening on http://127.0.0.1:{port}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write to stdout: {error}"))?;
    for incoming in listener.incoming() {
        match incoming {
            Ok(stream) => start_connection(stream, Arc::clone(&responses)),
            Err(error) => eprintln!("stub-server: accept failed: {error}"),
        }
    }
    Ok(())
}

/// Reads the options: `Ok(None)` means `--help` was asked for.
fn parse_port(mut args: impl Iterator<Item = String>) -> Result<Option<u16>, String> {
    let mut port = 0;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => args.next().ok_or("--port needs a value")?,
            other => match other.strip_prefix("--port=") {
                Some(value) => value.to_owned(),
                None => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            },
        };
        port = value
            .parse()
            .map_err(|_| format!("--port must be a number from 0 to 65535, got {value:?}"))?;
    }
    Ok(Some(port))
}

/// The response bytes, built once and shared by all connections.
struct Responses {
    /// The CreateService answer on a connection that stays open.
    created: Vec<u8>,
    /// The same answer with `Connection: close`.
    created_then_close: Vec<u8>,
}

impl Responses {
    fn build() -> Self {
        let body = create_service_body();
        let head = |extra: &str| {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: {REQUEST_ID}\r\n\
                 Content-Length: {}\r\n{extra}\r\n",
                body.len()
            )
        };
        Self {
            created: [head("").as_bytes(), body.as_bytes()].concat(),
            created_then_close: [head("Connection: close\r\n").as_bytes(), body.as_bytes()].concat(),
        }
    }
}

/// A realistic CreateService response: the `Service` structure carries every member
/// the App Runner model marks required, plus `ServiceUrl`, the health check and the
/// observability setting a real service reports. `CreatedAt`/`UpdatedAt` are epoch
/// seconds, as awsJson1_0 sends timestamps.
fn create_service_body() -> String {
    let service_id = "8fe1e10304f84fd2b0df550fe98a71fa";
    let account = "arn:aws:apprunner:us-east-1:123456789012";
    format!(
        concat!(
            r#"{{"OperationId":"17fe9f55-7e91-4097-b243-fcabbb69a4cf","Service":{{"#,
            r#""ServiceName":"python-app","ServiceId":"{id}","#,
            r#""ServiceArn":"{account}:service/python-app/{id}","#,
            r#""ServiceUrl":"psbqam834h.us-east-1.awsapprunner.com","#,
            r#""CreatedAt":1606988801.123,"UpdatedAt":1606988801.123,"Status":"OPERATION_IN_PROGRESS","#,
            r#""SourceConfiguration":{{"CodeRepository":{{"RepositoryUrl":"https://github.com/my-account/python-hello","#,
            r#""SourceCodeVersion":{{"Type":"BRANCH","Value":"main"}},"#,
            r#""CodeConfiguration":{{"ConfigurationSource":"API","CodeConfigurationValues":{{"#,
            r#""Runtime":"PYTHON_3","BuildCommand":"pip install -r requirements.txt","#,
            r#""StartCommand":"python server.py","Port":"8080","RuntimeEnvironmentVariables":{{"NAME":"Jane"}}}}}}}},"#,
            r#""AutoDeploymentsEnabled":true,"AuthenticationConfiguration":{{"ConnectionArn":"#,
            r#""{account}:connection/my-github-connection/e7656250f67242d7819feade6800f59e"}}}},"#,
            r#""InstanceConfiguration":{{"Cpu":"1024","Memory":"3072"}},"#,
            r#""HealthCheckConfiguration":{{"Protocol":"TCP","Path":"/","Interval":10,"Timeout":5,"#,
            r#""HealthyThreshold":1,"UnhealthyThreshold":5}},"#,
            r#""AutoScalingConfigurationSummary":{{"AutoScalingConfigurationArn":"#,
            r#""{account}:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001","#,
            r#""AutoScalingConfigurationName":"DefaultConfiguration","AutoScalingConfigurationRevision":1}},"#,
            r#""NetworkConfiguration":{{"EgressConfiguration":{{"EgressType":"DEFAULT"}},"#,
            r#""IngressConfiguration":{{"IsPubliclyAccessible":true}},"IpAddressType":"IPV4"}},"#,
            r#""ObservabilityConfiguration":{{"ObservabilityEnabled":false}}}}}}"#,
        ),
        id = service_id,
        account = account,
    )
}

/// Serves one connection on its own thread.
fn start_connection(stream: TcpStream, responses: Arc<Responses>) {
    let spawned = std::thread::Builder::new()
        .name("connection".into())
        .spawn(move || serve(stream, &responses));
    if let Err(error) = spawned {
        eprintln!("stub-server: cannot start a connection thread: {error}");
    }
}

/// Answers requests on `stream` until the client closes it, asks to close it, or
/// sends something malformed. I/O errors only end the connection.
fn serve(mut stream: TcpStream, responses: &Responses) {
    if stream.set_nodelay(true).is_err() {
        return;
    }
    let mut connection = Connection::default();
    if let Err(error) = connection.serve(&mut stream, responses)
        && !matches!(
            error.kind(),
            ErrorKind::ConnectionReset | ErrorKind::BrokenPipe | ErrorKind::UnexpectedEof
        )
    {
        eprintln!("stub-server: connection ended: {error}");
    }
}

/// What the server needs to know about one request head.
#[derive(Debug, PartialEq)]
struct Head {
    is_post: bool,
    content_length: u64,
    expect_continue: bool,
    close_after: bool,
}

/// Bytes received on a connection and not yet consumed.
#[derive(Default)]
struct Connection {
    buffer: Vec<u8>,
    /// How far `buffer` has been searched for the end of the head.
    scanned: usize,
}

impl Connection {
    fn serve(&mut self, stream: &mut TcpStream, responses: &Responses) -> io::Result<()> {
        loop {
            let head_len = match self.read_head(stream)? {
                HeadRead::Complete(len) => len,
                HeadRead::Closed => return Ok(()),
                HeadRead::TooLarge => return reject(stream, "431 Request Header Fields Too Large", "head too large"),
            };
            let head = match self.buffer.get(..head_len).map(parse_head) {
                Some(Ok(head)) => head,
                Some(Err(reason)) => return reject(stream, "400 Bad Request", reason),
                None => return reject(stream, "400 Bad Request", "incomplete head"),
            };
            if head.content_length > MAX_BODY_BYTES {
                return reject(stream, "413 Content Too Large", "body too large");
            }
            // Fits in usize: it is at most MAX_HEAD_BYTES + MAX_BODY_BYTES.
            let request_len = head_len + head.content_length as usize;
            if head.expect_continue && head.content_length > 0 && self.buffer.len() == head_len {
                stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            }
            if !self.read_until(stream, request_len)? {
                return Ok(()); // the client went away mid-body
            }
            self.buffer.drain(..request_len);
            self.scanned = 0;
            stream.write_all(response_for(&head, responses).as_ref())?;
            if head.close_after {
                return stream.shutdown(Shutdown::Write);
            }
        }
    }

    /// Reads until `buffer` holds a complete head (ending in CRLFCRLF) and returns
    /// its length. Empty lines before a request line are skipped, as RFC 9112 asks.
    fn read_head(&mut self, stream: &mut TcpStream) -> io::Result<HeadRead> {
        loop {
            while self.buffer.starts_with(b"\r\n") {
                self.buffer.drain(..2);
                self.scanned = 0;
            }
            let from = self.scanned.saturating_sub(3);
            if let Some(at) = find(&self.buffer[from.min(self.buffer.len())..], b"\r\n\r\n") {
                return Ok(HeadRead::Complete(from + at + 4));
            }
            self.scanned = self.buffer.len();
            if self.buffer.len() > MAX_HEAD_BYTES {
                return Ok(HeadRead::TooLarge);
            }
            if self.fill(stream)? == 0 {
                if self.buffer.is_empty() {
                    return Ok(HeadRead::Closed);
                }
                return Err(io::Error::new(ErrorKind::UnexpectedEof, "connection closed mid-head"));
            }
        }
    }

    /// Reads until `buffer` holds at least `len` bytes; `false` if the peer closed first.
    fn read_until(&mut self, stream: &mut TcpStream, len: usize) -> io::Result<bool> {
        while self.buffer.len() < len {
            if self.fill(stream)? == 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// One read from the socket into `buffer`; returns how many bytes came (0 at EOF).
    fn fill(&mut self, stream: &mut TcpStream) -> io::Result<usize> {
        let mut chunk = [0u8; READ_CHUNK];
        loop {
            match stream.read(&mut chunk) {
                Ok(count) => {
                    self.buffer.extend_from_slice(&chunk[..count]);
                    return Ok(count);
                }
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
        }
    }
}

/// The outcome of reading a request head.
enum HeadRead {
    /// The head is the first `usize` bytes of the buffer.
    Complete(usize),
    /// The client closed the connection between requests.
    Closed,
    TooLarge,
}

/// The bytes to answer `head` with.
fn response_for<'a>(head: &Head, responses: &'a Responses) -> std::borrow::Cow<'a, [u8]> {
    match (head.is_post, head.close_after) {
        (true, false) => responses.created.as_slice().into(),
        (true, true) => responses.created_then_close.as_slice().into(),
        (false, close) => format!(
            "HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\nContent-Length: 0\r\n{}\r\n",
            if close { "Connection: close\r\n" } else { "" }
        )
        .into_bytes()
        .into(),
    }
}

/// Sends an error status with `reason` as a text body, then closes the connection.
fn reject(stream: &mut TcpStream, status: &str, reason: &str) -> io::Result<()> {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reason}",
        reason.len()
    );
    stream.write_all(response.as_bytes())?;
    stream.shutdown(Shutdown::Write)
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Parses a request head (request line, header lines, the final CRLFCRLF).
fn parse_head(bytes: &[u8]) -> Result<Head, &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "request head is not UTF-8")?;
    let text = text
        .strip_suffix("\r\n\r\n")
        .ok_or("request head does not end in CRLFCRLF")?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().ok_or("missing request line")?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("request line is not `METHOD TARGET VERSION`");
    };
    if !is_token(method) {
        return Err("invalid method");
    }
    if target.is_empty() || target.bytes().any(|byte| byte.is_ascii_control()) {
        return Err("invalid request target");
    }
    let http_1_0 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err("unsupported HTTP version"),
    };

    let mut content_length: Option<u64> = None;
    let mut expect_continue = false;
    let (mut close, mut keep_alive, mut host) = (false, false, false);
    for line in lines {
        if line.starts_with([' ', '\t']) {
            return Err("obsolete header line folding");
        }
        let (name, value) = line.split_once(':').ok_or("header line without a colon")?;
        if !is_token(name) {
            return Err("invalid header name");
        }
        let value = value.trim_matches([' ', '\t']);
        if value.bytes().any(|byte| byte.is_ascii_control() && byte != b'\t') {
            return Err("control character in a header value");
        }
        if name.eq_ignore_ascii_case("content-length") {
            let length = parse_content_length(value)?;
            if content_length.is_some_and(|earlier| earlier != length) {
                return Err("conflicting Content-Length headers");
            }
            content_length = Some(length);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err("Transfer-Encoding is not supported; send Content-Length");
        } else if name.eq_ignore_ascii_case("expect") {
            if !value.eq_ignore_ascii_case("100-continue") {
                return Err("unsupported expectation");
            }
            expect_continue = true;
        } else if name.eq_ignore_ascii_case("connection") {
            for option in value.split(',').map(str::trim) {
                close |= option.eq_ignore_ascii_case("close");
                keep_alive |= option.eq_ignore_ascii_case("keep-alive");
            }
        } else if name.eq_ignore_ascii_case("host") {
            host = true;
        }
    }
    if !http_1_0 && !host {
        return Err("HTTP/1.1 request without Host");
    }
    Ok(Head {
        is_post: method == "POST",
        content_length: content_length.unwrap_or(0),
        expect_continue,
        close_after: close || (http_1_0 && !keep_alive),
    })
}

/// A Content-Length value: decimal digits only.
fn parse_content_length(value: &str) -> Result<u64, &'static str> {
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err("invalid Content-Length");
    }
    value.parse().map_err(|_| "Content-Length too large")
}

/// An HTTP token (RFC 9110 `tchar`s, at least one).
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Head, &'static str> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn parses_a_signed_post() {
        let parsed = head("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 640\r\nx-amz-target: A.B\r\n\r\n");
        assert_eq!(
            parsed,
            Ok(Head {
                is_post: true,
                content_length: 640,
                expect_continue: false,
                close_after: false
            })
        );
    }

    #[test]
    fn honours_expect_and_close() {
        let parsed = head(
            "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: Close\r\nContent-Length: 3\r\n\r\n",
        );
        let parsed = parsed.expect("valid head");
        assert!(parsed.expect_continue && parsed.close_after);
        assert!(head("GET / HTTP/1.0\r\n\r\n").expect("valid head").close_after);
    }

    #[test]
    fn rejects_malformed_heads() {
        for bad in [
            "POST /\r\n\r\n",
            "POST / HTTP/1.1\r\n\r\n",
            "POST / HTTP/2\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "POST / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        ] {
            assert!(head(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn the_body_is_json_with_the_required_members() {
        let body = create_service_body();
        for member in [
            "\"ServiceName\"",
            "\"ServiceId\"",
            "\"ServiceArn\"",
            "\"CreatedAt\"",
            "\"UpdatedAt\"",
            "\"Status\"",
            "\"SourceConfiguration\"",
            "\"InstanceConfiguration\"",
            "\"AutoScalingConfigurationSummary\"",
            "\"NetworkConfiguration\"",
            "\"OperationId\"",
        ] {
            assert!(body.contains(member), "missing {member}");
        }
        let opens = body.matches('{').count();
        assert_eq!(opens, body.matches('}').count());
    }
}
