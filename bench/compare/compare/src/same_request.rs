//! Checks that the floor (plain reqwest) sends the same bytes as our program.
//!
//! The issue compares our latency with "a plain reqwest POST of the same bytes", so
//! before measuring, the harness runs each of the two programs once (N=1) through a
//! recording relay in front of the stub server and compares the two requests: the
//! same request line, the same headers in the same order with the same values, and
//! the same body. Only what changes from call to call may differ (the signing date,
//! the signature and the invocation id), and only in its hex digits: the lengths must
//! match, so the two requests are the same number of bytes.

use crate::measure::{Program, run_program};
use crate::setup::Sandbox;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

/// Headers whose values change from call to call; they are compared with their hex
/// digits masked.
const PER_CALL_HEADERS: &[&str] = &["x-amz-date", "authorization", "amz-sdk-invocation-id"];

/// How long the relay waits for a request or a response before giving up, so that a
/// stuck program or stub ends the check instead of hanging it.
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// One recorded request: its head's lines (request line first) and its body.
#[derive(Debug, PartialEq)]
pub struct Recorded {
    pub head_lines: Vec<String>,
    pub body: Vec<u8>,
}

/// Runs `ours` and `floor` once each through a relay to `stub_endpoint` and fails
/// unless they sent the same request. Both go through the same relay address, so
/// even their `Host` headers must be equal.
pub fn check(ours: &Program, floor: &Program, stub_endpoint: &str, sandbox: &Sandbox) -> Result<(), String> {
    let stub_address = stub_endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("the stub endpoint `{stub_endpoint}` is not an http:// URL"))?
        .trim_end_matches('/');
    let relay =
        TcpListener::bind("127.0.0.1:0").map_err(|error| format!("cannot open the recording relay: {error}"))?;
    let relay_address = relay
        .local_addr()
        .map_err(|error| format!("cannot read the relay's address: {error}"))?;
    let relay_endpoint = format!("http://{relay_address}");
    let record = |program: &Program| {
        thread::scope(|scope| {
            let relayed = scope.spawn(|| relay_one(&relay, stub_address));
            let run = run_program(program, 1, &relay_endpoint, sandbox);
            if run.is_err() {
                // The program may have failed before connecting: a connection of our
                // own ends the relay's wait (it then fails to read a request).
                let _ = TcpStream::connect(relay_address);
            }
            let relayed = relayed.join().map_err(|_| "the recording relay panicked".to_owned())?;
            // The program's own failure says more than the relay's.
            run?;
            relayed.map_err(|error| format!("recording the {} program's request: {error}", program.label))
        })
    };
    let ours_request = record(ours)?;
    let floor_request = record(floor)?;
    compare(&ours_request, &floor_request).map_err(|difference| {
        format!(
            "the plain reqwest program no longer sends the same request as ours ({difference}); \
             update the headers or body in bench/compare/reqwest-minimal/src/main.rs to match \
             what minimal-create-service sends"
        )
    })
}

/// Accepts one connection, reads one request, relays it to `stub_address` and its
/// response back, and returns the request.
fn relay_one(listener: &TcpListener, stub_address: &str) -> Result<Recorded, String> {
    let (mut client, _) = listener.accept().map_err(|error| format!("accept: {error}"))?;
    client
        .set_read_timeout(Some(IO_TIMEOUT))
        .map_err(|error| error.to_string())?;
    let mut client_reader = BufReader::new(client.try_clone().map_err(|error| error.to_string())?);
    let (head, body) = read_message(&mut client_reader)?;
    let mut stub = TcpStream::connect(stub_address).map_err(|error| format!("connect to the stub: {error}"))?;
    stub.set_read_timeout(Some(IO_TIMEOUT))
        .map_err(|error| error.to_string())?;
    stub.write_all(&head)
        .and_then(|()| stub.write_all(&body))
        .map_err(|error| format!("write to the stub: {error}"))?;
    let (response_head, response_body) = read_message(&mut BufReader::new(stub))?;
    client
        .write_all(&response_head)
        .and_then(|()| client.write_all(&response_body))
        .map_err(|error| format!("write the response back: {error}"))?;
    let head_text = String::from_utf8(head).map_err(|_| "the request head is not UTF-8".to_owned())?;
    Ok(Recorded {
        head_lines: head_text
            .trim_end_matches("\r\n")
            .split("\r\n")
            .map(str::to_owned)
            .collect(),
        body,
    })
}

/// Reads one HTTP/1.1 message with a `Content-Length` body: its head (through the
/// blank line) and its body.
fn read_message(reader: &mut impl BufRead) -> Result<(Vec<u8>, Vec<u8>), String> {
    let mut head = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = Vec::new();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|error| format!("read: {error}"))?;
        if read == 0 {
            return Err("the connection closed inside a message head".to_owned());
        }
        head.extend_from_slice(&line);
        if line == b"\r\n" {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        if let Some((name, value)) = text.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value
                .trim()
                .parse()
                .map_err(|_| format!("bad Content-Length `{}`", value.trim()))?;
        }
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|error| format!("read the body: {error}"))?;
    Ok((head, body))
}

/// `Ok` when `floor` is the same request as `ours`; otherwise the first difference.
pub fn compare(ours: &Recorded, floor: &Recorded) -> Result<(), String> {
    if ours.body != floor.body {
        return Err(format!(
            "bodies differ: {} bytes against {}",
            ours.body.len(),
            floor.body.len()
        ));
    }
    for index in 0..ours.head_lines.len().max(floor.head_lines.len()) {
        let (ours_line, floor_line) = match (ours.head_lines.get(index), floor.head_lines.get(index)) {
            (Some(ours_line), Some(floor_line)) => (ours_line, floor_line),
            (Some(line), None) => return Err(format!("ours sends `{}`, the floor nothing there", name_of(line))),
            (None, Some(line)) => return Err(format!("the floor sends `{}`, ours nothing there", name_of(line))),
            (None, None) => unreachable!("the index is below one of the lengths"),
        };
        let name = name_of(ours_line);
        let same = if PER_CALL_HEADERS.iter().any(|known| name.eq_ignore_ascii_case(known)) {
            mask_hex(ours_line) == mask_hex(floor_line)
        } else {
            ours_line == floor_line
        };
        if !same {
            return Err(format!(
                "head line {}: ours `{ours_line}`, the floor `{floor_line}`",
                index + 1
            ));
        }
    }
    Ok(())
}

/// A head line's header name (the whole line for the request line).
fn name_of(line: &str) -> &str {
    line.split_once(':').map_or(line, |(name, _)| name)
}

/// `line` with every hex digit replaced by `#`, lengths kept.
fn mask_hex(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_ascii_hexdigit() { '#' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(lines: &[&str], body: &str) -> Recorded {
        Recorded {
            head_lines: lines.iter().map(|line| (*line).to_owned()).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn per_call_values_may_differ_in_their_digits_only() {
        let ours = request(
            &[
                "POST / HTTP/1.1",
                "host: h:1",
                "x-amz-date: 20261129T152415Z",
                "accept: */*",
            ],
            "{}",
        );
        let later = request(
            &[
                "POST / HTTP/1.1",
                "host: h:1",
                "x-amz-date: 20261127T075512Z",
                "accept: */*",
            ],
            "{}",
        );
        assert_eq!(compare(&ours, &later), Ok(()));
        let longer = request(
            &[
                "POST / HTTP/1.1",
                "host: h:1",
                "x-amz-date: 20261127T0755120Z",
                "accept: */*",
            ],
            "{}",
        );
        assert!(compare(&ours, &longer).is_err());
    }

    #[test]
    fn order_values_and_bodies_must_match() {
        let ours = request(&["POST / HTTP/1.1", "host: h:1", "accept: */*"], "{}");
        let reordered = request(&["POST / HTTP/1.1", "accept: */*", "host: h:1"], "{}");
        let missing = request(&["POST / HTTP/1.1", "host: h:1"], "{}");
        let other_value = request(&["POST / HTTP/1.1", "host: h:2", "accept: */*"], "{}");
        let other_body = request(&["POST / HTTP/1.1", "host: h:1", "accept: */*"], "{ }");
        for floor in [reordered, missing, other_value, other_body] {
            assert!(compare(&ours, &floor).is_err(), "{floor:?}");
        }
    }

    #[test]
    fn a_program_that_never_connects_fails_the_check_instead_of_hanging_it() {
        let exits_at_once = Program {
            label: "failing",
            binary: "/bin/false".into(),
            workspace: ".".into(),
            package: "none",
            bin: "false",
        };
        let sandbox = Sandbox::new().unwrap();
        let error = check(&exits_at_once, &exits_at_once, "http://127.0.0.1:9", &sandbox).unwrap_err();
        assert!(error.contains("failing program"), "{error}");
    }

    #[test]
    fn a_message_is_read_through_its_body() {
        let mut input: &[u8] = b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}extra";
        let (head, body) = read_message(&mut input).unwrap();
        assert_eq!(head, b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n");
        assert_eq!(body, b"{}");
        let mut truncated: &[u8] = b"POST / HTTP/1.1\r\n";
        assert!(read_message(&mut truncated).is_err());
    }
}
