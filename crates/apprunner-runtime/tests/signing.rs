//! SigV4 signatures checked against an independent implementation written here
//! from the specification, and secrets kept out of logs and error messages.

mod support;

use std::fmt::Write as _;
use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apprunner_runtime::credentials::Credentials;
use apprunner_runtime::{Protocol, SdkError, ServiceSpec};
use support::{
    ACCESS_KEY_ID, Input, Reply, SECRET_ACCESS_KEY, SESSION_TOKEN, TestError, TestServer, call, config,
    create_service_input, credentials, new_runtime, runtime_at,
};

// ---------------------------------------------------------------------------
// SHA-256 (FIPS 180-4) and HMAC (RFC 2104), independent of the crate under test.
// ---------------------------------------------------------------------------

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

fn sha256(message: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    // Padding: a 1 bit, zeros to 56 mod 64 bytes, then the bit length big-endian.
    let mut data = message.to_vec();
    data.push(0x80);
    while data.len() % 64 != 56 {
        data.push(0);
    }
    data.extend_from_slice(&((message.len() as u64) * 8).to_be_bytes());
    for block in data.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for t in 0..64 {
            let big_s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(big_s1)
                .wrapping_add(ch)
                .wrapping_add(K[t])
                .wrapping_add(w[t]);
            let big_s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = big_s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *state = state.wrapping_add(value);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block_key = [0u8; 64];
    if key.len() > 64 {
        block_key[..32].copy_from_slice(&sha256(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = block_key.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(message);
    let mut outer: Vec<u8> = block_key.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha256(&inner));
    sha256(&outer)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[test]
fn the_reference_hashes_match_published_vectors() {
    assert_eq!(
        hex(&sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex(&sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    assert_eq!(
        hex(&sha256(b"")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    // RFC 4231, test cases 2 and 6 (a key longer than the block).
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        hex(&hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First"
        )),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

// ---------------------------------------------------------------------------
// SigV4 from the specification.
// ---------------------------------------------------------------------------

/// The `Authorization` header for a `POST /` with `headers` (all of them signed)
/// and `body`, by the SigV4 steps: canonical request, string to sign, derived key.
fn reference_authorization(
    headers: &[(&str, &str)],
    body: &[u8],
    amz_date: &str,
    region: &str,
    service: &str,
) -> String {
    let mut canonical: Vec<(String, String)> = headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    canonical.sort();
    let signed_headers = canonical
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical_request = String::from("POST\n/\n\n");
    for (name, value) in &canonical {
        canonical_request.push_str(&format!("{name}:{value}\n"));
    }
    canonical_request.push_str(&format!("\n{signed_headers}\n{}", hex(&sha256(body))));

    let date = &amz_date[..8];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&sha256(canonical_request.as_bytes()))
    );
    let k_date = hmac_sha256(format!("AWS4{SECRET_ACCESS_KEY}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"aws4_request");
    let signature = hex(&hmac_sha256(&k_signing, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

/// 2015-08-30T12:36:00Z, the time of the AWS SigV4 test suite.
fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn signs_create_service_like_the_specification() {
    let body = serde_json::to_vec(&create_service_input().0).unwrap();
    for session in [false, true] {
        let host = "apprunner.us-east-1.amazonaws.com";
        let request_headers = [
            ("host", host),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "AppRunner.CreateService"),
        ];
        let added = apprunner_runtime::sign_request_at(
            "https://apprunner.us-east-1.amazonaws.com/",
            &request_headers,
            &body,
            &credentials(session),
            "apprunner",
            "us-east-1",
            fixed_time(),
        )
        .unwrap();
        assert_eq!(header(&added, "x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(header(&added, "x-amz-security-token"), session.then_some(SESSION_TOKEN));

        let mut signed = request_headers.to_vec();
        signed.push(("x-amz-date", "20150830T123600Z"));
        if session {
            signed.push(("x-amz-security-token", SESSION_TOKEN));
        }
        let expected = reference_authorization(&signed, &body, "20150830T123600Z", "us-east-1", "apprunner");
        assert_eq!(
            header(&added, "authorization"),
            Some(expected.as_str()),
            "session: {session}"
        );
    }
}

#[test]
fn the_known_signature_of_an_empty_create_service() {
    // Pinned, so a change of signer (or of the reference) cannot go unnoticed.
    let added = apprunner_runtime::sign_request_at(
        "https://apprunner.us-east-1.amazonaws.com/",
        &[
            ("host", "apprunner.us-east-1.amazonaws.com"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "AppRunner.CreateService"),
        ],
        b"{}",
        &credentials(false),
        "apprunner",
        "us-east-1",
        fixed_time(),
    )
    .unwrap();
    let authorization = header(&added, "authorization").unwrap();
    let reference = reference_authorization(
        &[
            ("host", "apprunner.us-east-1.amazonaws.com"),
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "AppRunner.CreateService"),
            ("x-amz-date", "20150830T123600Z"),
        ],
        b"{}",
        "20150830T123600Z",
        "us-east-1",
        "apprunner",
    );
    assert_eq!(authorization, reference);
    assert!(authorization.starts_with(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/apprunner/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
    ));
}

/// Recomputes the signature of a request as the server received it.
fn check_received_signature(request: &support::Recorded, region: &str, service: &str) {
    let authorization = request.header("authorization").expect("signed");
    let signed_names = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap();
    let signed: Vec<(&str, &str)> = signed_names
        .split(';')
        .map(|name| (name, request.header(name).unwrap_or_else(|| panic!("{name} not sent"))))
        .collect();
    let date = request.header("x-amz-date").unwrap();
    let expected = reference_authorization(&signed, &request.body, date, region, service);
    assert_eq!(authorization, expected);
}

#[tokio::test]
async fn the_request_on_the_wire_carries_a_valid_signature() {
    for session in [false, true] {
        let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
        let runtime = runtime_at(config(&server.url()).credentials(credentials(session)), fixed_time);
        call(&runtime, &create_service_input()).await.unwrap();
        let request = &server.requests()[0];
        assert_eq!(request.header("x-amz-date"), Some("20150830T123600Z"));
        let authorization = request.header("authorization").unwrap();
        let expected_names = if session {
            "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        } else {
            "content-type;host;x-amz-date;x-amz-target"
        };
        assert!(
            authorization.contains(&format!("SignedHeaders={expected_names},")),
            "{authorization}"
        );
        check_received_signature(request, "us-east-1", "apprunner");
    }
}

#[tokio::test]
async fn endpoint_auth_scheme_overrides_name_and_region() {
    static RULES: &str = r#"{
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false}
        },
        "rules": [{
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "endpoint": {
                "url": {"ref": "Endpoint"},
                "properties": {"authSchemes": [
                    {"name": "sigv4", "signingName": "apprunner-alt", "signingRegion": "eu-west-3"}
                ]},
                "headers": {"x-test-endpoint": ["yes"]}
            },
            "type": "endpoint"
        }]
    }"#;
    static SERVICE: LazyLock<ServiceSpec> = LazyLock::new(|| ServiceSpec {
        sdk_id: "AppRunner",
        target_prefix: "AppRunner",
        api_version: "2020-05-15",
        protocol: Protocol::AwsJson1_1,
        signing_name: "apprunner",
        endpoint_rule_set: support::rule_set(RULES),
    });
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let runtime = apprunner_runtime::Runtime::new(&SERVICE, config(&server.url()).load().unwrap()).unwrap();
    let _: support::Output = runtime
        .invoke::<_, _, TestError>(&support::CREATE_SERVICE, &create_service_input())
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(request.header("x-test-endpoint"), Some("yes"));
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("/eu-west-3/apprunner-alt/aws4_request"),
        "{request:?}"
    );
    check_received_signature(request, "eu-west-3", "apprunner-alt");
}

#[tokio::test]
async fn an_endpoint_header_http_cannot_carry_is_an_endpoint_error() {
    static RULES: &str = r#"{
        "version": "1.0",
        "parameters": {
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false}
        },
        "rules": [{
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "endpoint": {"url": {"ref": "Endpoint"}, "headers": {"x-bad header": ["yes"]}},
            "type": "endpoint"
        }]
    }"#;
    static SERVICE: LazyLock<ServiceSpec> = LazyLock::new(|| ServiceSpec {
        sdk_id: "AppRunner",
        target_prefix: "AppRunner",
        api_version: "2020-05-15",
        protocol: Protocol::AwsJson1_0,
        signing_name: "apprunner",
        endpoint_rule_set: support::rule_set(RULES),
    });
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let runtime = apprunner_runtime::Runtime::new(&SERVICE, config(&server.url()).load().unwrap()).unwrap();
    let error = runtime
        .invoke::<_, support::Output, TestError>(&support::CREATE_SERVICE, &create_service_input())
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Endpoint(_)), "{error:?}");
    assert!(error.to_string().contains("\"x-bad header\""), "{error}");
    assert!(server.requests().is_empty(), "nothing is sent");
}

// ---------------------------------------------------------------------------
// Secrets stay out of Debug and Display (logs: see tests/logging.rs).
// ---------------------------------------------------------------------------

const BODY_MARKER: &str = "BODY-MARKER-7f3a";

fn assert_no_secrets(text: &str, signatures: &[String]) {
    assert!(!text.contains(SECRET_ACCESS_KEY), "secret key in: {text}");
    assert!(!text.contains(SESSION_TOKEN), "session token in: {text}");
    assert!(!text.contains(BODY_MARKER), "request body in: {text}");
    for signature in signatures {
        assert!(!text.contains(signature.as_str()), "signature in: {text}");
    }
}

#[tokio::test]
async fn errors_do_not_show_secrets_or_the_request_body() {
    let input = Input(serde_json::json!({"ServiceName": "svc", "Secret": BODY_MARKER}));
    let mut errors: Vec<SdkError<TestError>> = Vec::new();
    for reply in [
        Reply::json(400, r#"{"__type":"InvalidRequestException","message":"no"}"#),
        Reply::text(200, "not json"),
        Reply::RawThenClose(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{".to_vec()),
        Reply::Hang,
    ] {
        let server = TestServer::start(vec![reply]).await;
        let runtime = new_runtime(
            config(&server.url())
                .credentials(credentials(true))
                .attempt_timeout(Duration::from_millis(100))
                .max_attempts(1),
        );
        errors.push(call(&runtime, &input).await.unwrap_err());
    }
    let invalid = Input(serde_json::json!({"ServiceName": "", "Secret": BODY_MARKER}));
    let runtime = new_runtime(config("http://127.0.0.1:9").credentials(credentials(true)));
    errors.push(call(&runtime, &invalid).await.unwrap_err());

    let kinds: Vec<&str> = errors
        .iter()
        .map(|error| match error {
            SdkError::Service(_) => "service",
            SdkError::MalformedResponse(_) => "malformed",
            SdkError::Dispatch(_) => "dispatch",
            SdkError::Timeout(_) => "timeout",
            SdkError::InvalidInput(_) => "invalid",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["service", "malformed", "dispatch", "timeout", "invalid"]);
    for error in &errors {
        let mut text = format!("{error}\n{error:?}");
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            text.push_str(&format!("\n{cause}\n{cause:?}"));
            source = cause.source();
        }
        assert_no_secrets(&text, &[]);
    }
}

#[test]
fn credentials_debug_is_redacted() {
    let credentials = Credentials::new(
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        Some(SESSION_TOKEN.into()),
        None,
        "test",
    );
    assert_no_secrets(&format!("{credentials:?}"), &[]);
}
