//! SigV4 verification of incoming requests.
//!
//! The endpoint recomputes the signature with the same canonicalization the SDKs and the AWS
//! CLI use (header-based SigV4, `AWS4-HMAC-SHA256`, the path URI-encoded twice as for every
//! service but S3) from the secret key it holds for the request's access key id, and compares
//! it in constant time (`ring::hmac::verify`). Failures are answered as AWS answers them:
//!
//! | what is wrong | code | status |
//! | --- | --- | --- |
//! | no `Authorization` header | `MissingAuthenticationTokenException` | 403 |
//! | header malformed, a part missing, no date, `host` not signed | `IncompleteSignatureException` | 400 |
//! | access key id unknown | `UnrecognizedClientException` | 403 |
//! | dated more than 5 minutes from the endpoint's clock | `InvalidSignatureException` ("Signature expired" / "not yet current") | 400 |
//! | scope of another service or day, or the signature differs | `InvalidSignatureException` | 403 |
//!
//! The Region of the credential scope becomes the Region of the request: it goes into the
//! ARNs of the services created. A session token (`x-amz-security-token`) is accepted when it
//! is signed, and not checked further: the endpoint issues no temporary credentials.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use apprunner_smithy::{DateTime, TimestampFormat};
use ring::{digest, hmac};

use crate::error::{ApiError, ErrorCode};

/// The SigV4 signing name of App Runner.
pub(crate) const SIGNING_NAME: &str = "apprunner";
/// How far a request's date may be from the endpoint's clock.
const MAX_SKEW: Duration = Duration::from_secs(5 * 60);
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The AWS documentation's example access key id, accepted by default.
pub const EXAMPLE_ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// The secret key that goes with [`EXAMPLE_ACCESS_KEY_ID`].
pub const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The key pairs the endpoint accepts signatures from.
#[derive(Clone, Default)]
pub struct KeyStore {
    secrets: HashMap<String, String>,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<&String> = self.secrets.keys().collect();
        ids.sort();
        f.debug_struct("KeyStore").field("access_key_ids", &ids).finish()
    }
}

impl KeyStore {
    /// No keys at all.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Only the AWS documentation's example pair (`AKIDEXAMPLE`).
    pub fn example() -> Self {
        let mut store = Self::default();
        store.insert(EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY);
        store
    }

    /// Adds (or replaces) a key pair.
    pub fn insert(&mut self, access_key_id: impl Into<String>, secret_access_key: impl Into<String>) {
        self.secrets.insert(access_key_id.into(), secret_access_key.into());
    }

    /// The number of key pairs.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Whether there is no key pair.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// Adds the key pairs of a file. Two forms are understood, and may be mixed:
    ///
    /// - one pair per line, `ACCESS_KEY_ID SECRET_ACCESS_KEY` (whitespace-separated);
    /// - the AWS shared credentials format: `[profile]` sections with `aws_access_key_id = ...`
    ///   and `aws_secret_access_key = ...` (so `~/.aws/credentials` can be used as it is).
    ///
    /// Blank lines and lines starting with `#` or `;` are skipped.
    pub fn add_file(&mut self, path: &Path) -> Result<usize, String> {
        let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let before = self.secrets.len();
        let mut pending_id: Option<String> = None;
        let mut pending_secret: Option<String> = None;
        let flush = |id: &mut Option<String>, secret: &mut Option<String>, store: &mut Self| {
            if let (Some(id), Some(secret)) = (id.take(), secret.take()) {
                store.insert(id, secret);
            }
            *id = None;
            *secret = None;
        };
        for (number, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if line.starts_with('[') {
                flush(&mut pending_id, &mut pending_secret, self);
                continue;
            }
            if let Some((key, value)) = line.split_once('=') {
                match key.trim().to_ascii_lowercase().as_str() {
                    "aws_access_key_id" => pending_id = Some(value.trim().to_owned()),
                    "aws_secret_access_key" => pending_secret = Some(value.trim().to_owned()),
                    _ => {}
                }
                if pending_id.is_some() && pending_secret.is_some() {
                    flush(&mut pending_id, &mut pending_secret, self);
                }
                continue;
            }
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(id), Some(secret), None) => self.insert(id, secret),
                _ => {
                    return Err(format!(
                        "{}:{}: expected `ACCESS_KEY_ID SECRET_ACCESS_KEY` or `name = value`",
                        path.display(),
                        number + 1
                    ));
                }
            }
        }
        flush(&mut pending_id, &mut pending_secret, self);
        Ok(self.secrets.len() - before)
    }

    fn secret(&self, access_key_id: &str) -> Option<&str> {
        self.secrets.get(access_key_id).map(String::as_str)
    }
}

/// What a verified signature tells about the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verified {
    /// The Region of the credential scope.
    pub(crate) region: String,
}

/// The parts of an `Authorization` header.
#[derive(Debug)]
struct Authorization<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::IncompleteSignature, message)
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, ApiError> {
    let (algorithm, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "The Authorization header must use the {ALGORITHM} algorithm; this one starts with {algorithm:?}."
        )));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(incomplete(format!(
                "{part:?} in the Authorization header is not a key=value pair."
            )));
        };
        match key.trim() {
            "Credential" => credential = Some(value.trim()),
            "SignedHeaders" => signed_headers = Some(value.trim()),
            "Signature" => signature = Some(value.trim()),
            _ => {}
        }
    }
    let missing: Vec<&str> = [
        ("Credential", credential.is_none()),
        ("SignedHeaders", signed_headers.is_none()),
        ("Signature", signature.is_none()),
    ]
    .iter()
    .filter(|(_, absent)| *absent)
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        return Err(incomplete(format!(
            "The Authorization header lacks {}.",
            missing.join(", ")
        )));
    }
    let credential = credential.unwrap_or_default();
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope[..] else {
        return Err(incomplete(format!(
            "The Credential {credential:?} must have the form ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request."
        )));
    };
    if terminator != "aws4_request" || access_key_id.is_empty() || region.is_empty() || date.len() != 8 {
        return Err(incomplete(format!(
            "The Credential {credential:?} must have the form ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request."
        )));
    }
    let signed_headers: Vec<&str> = signed_headers
        .unwrap_or_default()
        .split(';')
        .filter(|h| !h.is_empty())
        .collect();
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers,
        signature: signature.unwrap_or_default(),
    })
}

/// The Region of the request's credential scope, without verifying anything (for `--no-auth`).
pub(crate) fn region_hint(headers: &http::HeaderMap) -> Option<String> {
    let header = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    parse_authorization(header).ok().map(|auth| auth.region.to_owned())
}

/// `20150830T123600Z` as a time.
fn parse_amz_date(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| text.get(range).filter(|s| s.bytes().all(|c| c.is_ascii_digit()));
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        digits(0..4)?,
        digits(4..6)?,
        digits(6..8)?,
        digits(9..11)?,
        digits(11..13)?,
        digits(13..15)?
    );
    DateTime::parse(&rfc3339, TimestampFormat::DateTime).ok()
}

/// A time as `20150830T123600Z`.
fn format_amz_date(time: DateTime) -> String {
    let text = time.fmt(TimestampFormat::DateTime);
    let text = text.split('.').next().unwrap_or(&text).trim_end_matches('Z');
    format!("{}Z", text.replace(['-', ':'], ""))
}

/// Verifies the SigV4 signature of a request at `now`.
pub(crate) fn verify(
    keys: &KeyStore,
    parts: &http::request::Parts,
    body: &[u8],
    now: SystemTime,
) -> Result<Verified, ApiError> {
    let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
        return Err(ApiError::new(
            ErrorCode::MissingAuthenticationToken,
            "The request is not signed: it has no Authorization header.",
        ));
    };
    let header = header
        .to_str()
        .map_err(|_| incomplete("The Authorization header is not printable ASCII."))?;
    let auth = parse_authorization(header)?;
    if !auth.signed_headers.contains(&"host") {
        return Err(incomplete("The host header must be among the SignedHeaders."));
    }
    let amz_date = match parts.headers.get("x-amz-date").and_then(|value| value.to_str().ok()) {
        Some(text) => text.trim().to_owned(),
        None => match parts
            .headers
            .get(http::header::DATE)
            .and_then(|value| value.to_str().ok())
        {
            Some(text) => match DateTime::parse(text, TimestampFormat::HttpDate) {
                Ok(time) => format_amz_date(time),
                Err(_) => return Err(incomplete(format!("The Date header {text:?} is not an HTTP date."))),
            },
            None => return Err(incomplete("A signed request needs an X-Amz-Date or a Date header.")),
        },
    };
    let Some(request_time) = parse_amz_date(&amz_date) else {
        return Err(incomplete(format!(
            "The X-Amz-Date {amz_date:?} is not in the form YYYYMMDDTHHMMSSZ."
        )));
    };
    let Some(secret) = keys.secret(auth.access_key_id) else {
        return Err(ApiError::new(
            ErrorCode::UnrecognizedClient,
            format!(
                "The access key id {} is not one this endpoint accepts; add it with --credentials-file.",
                auth.access_key_id
            ),
        ));
    };
    let now_time = DateTime::from(now);
    let skew = now_time.as_secs_f64() - request_time.as_secs_f64();
    if skew > MAX_SKEW.as_secs_f64() {
        return Err(ApiError::signature_expired(format!(
            "Signature expired: the request is dated {amz_date}, more than 5 minutes before the endpoint's time {}.",
            format_amz_date(now_time)
        )));
    }
    if -skew > MAX_SKEW.as_secs_f64() {
        return Err(ApiError::signature_expired(format!(
            "Signature not yet current: the request is dated {amz_date}, more than 5 minutes after the endpoint's time {}.",
            format_amz_date(now_time)
        )));
    }
    if auth.service != SIGNING_NAME {
        return Err(ApiError::new(
            ErrorCode::InvalidSignature,
            format!(
                "The credential is scoped to the service {:?}; App Runner requests must be scoped to {SIGNING_NAME:?}.",
                auth.service
            ),
        ));
    }
    if !amz_date.starts_with(auth.date) {
        return Err(ApiError::new(
            ErrorCode::InvalidSignature,
            format!(
                "The credential scope's date {} is not the day of the request date {amz_date}.",
                auth.date
            ),
        ));
    }
    let canonical = canonical_request(
        parts,
        &auth.signed_headers,
        &hex(digest::digest(&digest::SHA256, body).as_ref()),
    );
    let scope = format!("{}/{}/{}/aws4_request", auth.date, auth.region, auth.service);
    let string_to_sign = string_to_sign(&amz_date, &scope, &canonical);
    let key = signing_key(secret, auth.date, auth.region, auth.service);
    let provided = unhex(auth.signature);
    let matches = provided.is_some_and(|tag| hmac::verify(&key, string_to_sign.as_bytes(), &tag).is_ok());
    if !matches {
        return Err(ApiError::new(
            ErrorCode::InvalidSignature,
            format!(
                "The signature does not match the one computed from the request with the secret key of {}. \
                 Canonical request: {canonical:?}. String to sign: {string_to_sign:?}.",
                auth.access_key_id
            ),
        ));
    }
    Ok(Verified {
        region: auth.region.to_owned(),
    })
}

fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    let hashed = hex(digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref());
    format!("{ALGORITHM}\n{amz_date}\n{scope}\n{hashed}")
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let step = |key: &[u8], data: &str| hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data.as_bytes());
    let k_date = step(format!("AWS4{secret}").as_bytes(), date);
    let k_region = step(k_date.as_ref(), region);
    let k_service = step(k_region.as_ref(), service);
    let k_signing = step(k_service.as_ref(), "aws4_request");
    hmac::Key::new(hmac::HMAC_SHA256, k_signing.as_ref())
}

/// The SigV4 canonical request of `parts` over `signed_headers`.
fn canonical_request(parts: &http::request::Parts, signed_headers: &[&str], payload_hash: &str) -> String {
    let mut headers = String::new();
    for name in signed_headers {
        let values: Vec<String> = if *name == "host" && parts.headers.get(http::header::HOST).is_none() {
            // HTTP/2 carries the host in the URI authority.
            parts
                .uri
                .authority()
                .map(|a| a.as_str().to_owned())
                .into_iter()
                .collect()
        } else {
            parts
                .headers
                .get_all(*name)
                .iter()
                .map(|value| collapse_whitespace(&String::from_utf8_lossy(value.as_bytes())))
                .collect()
        };
        headers.push_str(name);
        headers.push(':');
        headers.push_str(&values.join(","));
        headers.push('\n');
    }
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        parts.method.as_str(),
        canonical_uri(parts.uri.path()),
        canonical_query(parts.uri.query().unwrap_or("")),
        headers,
        signed_headers.join(";"),
        payload_hash
    )
}

fn collapse_whitespace(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The path with dot segments removed, URI-encoded once more (SigV4's double encoding).
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = segments.join("/");
    if !normalized.starts_with('/') {
        normalized.insert(0, '/');
    }
    uri_encode(&normalized, false)
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decode(key), true),
                uri_encode(&percent_decode(value), true),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(byte) = text
                .get(index + 1..index + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 3986 encoding of everything but unreserved characters (and `/` unless `encode_slash`).
fn uri_encode(text: &str, encode_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
            b'/' if !encode_slash => out.push('/'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(&text[index..index + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
        let mut builder = http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    /// The `get-vanilla` case of the AWS SigV4 test suite.
    #[test]
    fn matches_the_sigv4_test_suite_vanilla_case() {
        let request = parts(
            "GET",
            "/",
            &[("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")],
        );
        let canonical = canonical_request(
            &request,
            &["host", "x-amz-date"],
            &hex(digest::digest(&digest::SHA256, b"").as_ref()),
        );
        let string_to_sign = string_to_sign(
            "20150830T123600Z",
            "20150830/us-east-1/service/aws4_request",
            &canonical,
        );
        let key = signing_key(EXAMPLE_SECRET_ACCESS_KEY, "20150830", "us-east-1", "service");
        let signature = hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
        assert_eq!(
            signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn canonical_uri_and_query_follow_sigv4() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a/./b/../c"), "/a/c");
        assert_eq!(canonical_uri("/a%20b"), "/a%2520b");
        assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
        assert_eq!(canonical_query("k=a%20b"), "k=a%20b");
    }

    #[test]
    fn dates_round_trip() {
        let time = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(format_amz_date(time), "20150830T123600Z");
        assert!(parse_amz_date("2015-08-30").is_none());
    }

    #[test]
    fn malformed_headers_are_incomplete_signatures() {
        for header in [
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/apprunner/aws4_request",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/us-east-1/apprunner, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 garbage",
            "Basic dXNlcjpwYXNz",
        ] {
            let error = parse_authorization(header).unwrap_err();
            assert_eq!(error.code, ErrorCode::IncompleteSignature, "{header}");
            assert_eq!(error.status, 400);
        }
    }

    #[test]
    fn key_files_in_both_forms() {
        let dir = std::env::temp_dir().join(format!("apprunner-local-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("keys");
        std::fs::write(
            &file,
            "# comment\nAKIDONE secret/one\n[default]\naws_access_key_id = AKIDTWO\naws_secret_access_key = secret2\n",
        )
        .unwrap();
        let mut store = KeyStore::empty();
        assert_eq!(store.add_file(&file).unwrap(), 2);
        assert_eq!(store.secret("AKIDONE"), Some("secret/one"));
        assert_eq!(store.secret("AKIDTWO"), Some("secret2"));
        std::fs::write(&file, "one two three\n").unwrap();
        assert!(store.add_file(&file).unwrap_err().contains(":1:"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
