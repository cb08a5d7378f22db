//! `reqwest-minimal-create-service N`: the baseline for the latency comparison — a
//! plain reqwest POST of the bytes the App Runner clients send for Example 1
//! (corrected), with no SDK around it.
//!
//! Nothing is built or signed per call: the JSON body is a fixed byte string (the
//! exact bytes `minimal-create-service` sends), and the headers are the ones that
//! program sends, in its order, with values of the same lengths: the `X-Amz-Date` and
//! `Authorization` pair is one the project's client once computed, and the
//! invocation id is a fixed one. So the request is the same bytes on the wire (the
//! harness checks this before measuring). The server it is meant for (the
//! `stub-server`) does not verify signatures. reqwest and rustls have the features they
//! have in `crates/apprunner-runtime` (rustls with ring, no default features); the
//! crypto provider is ring's default one, as a plain reqwest program would install.
//!
//! It builds one `reqwest::Client`, then sends the request N times in sequence on its
//! keep-alive connection, reading each response body to the end and requiring status
//! 200. The endpoint comes from `APPRUNNER_ENDPOINT_URL`. Output:
//! `n=N median_us=.. p99_us=.. min_us=.. max_us=..`; any failure exits 2.

#[path = "../../../../crates/apprunner-bench/src/timed_calls.rs"]
mod timed_calls;

use std::process::ExitCode;
use timed_calls::Failure;

/// The CreateService body for Example 1 (corrected), byte for byte as the project's
/// client serializes it (`bench/compare/example-one.json`, which has no final newline;
/// the harness passes the same JSON to both CLIs).
const BODY: &str = include_str!("../../example-one.json");

/// A precomputed SigV4 date and signature (AKIDEXAMPLE, us-east-1).
const AMZ_DATE: &str = "20261127T075512Z";
/// The project's client's `User-Agent` on Linux x86-64.
const USER_AGENT: &str = "apprunner-rs/0.1.0 (linux; x86_64)";
/// An `amz-sdk-invocation-id` of the client's form (it sends a new random one per call).
const INVOCATION_ID: &str = "9fab1160-fe53-417b-8cd7-50e1259bacdf";
/// The client's `amz-sdk-request` on a first attempt.
const SDK_REQUEST: &str = "attempt=1; max=3";
const AUTHORIZATION: &str = concat!(
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/apprunner/aws4_request, ",
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, ",
    "Signature=3b6390901043553cb3c8d6fc223e7b0c616093741e635a3d8f82c3f17b8598bc",
);

fn main() -> ExitCode {
    timed_calls::main("reqwest-minimal-create-service", |settings| {
        // reqwest is built with rustls but without a crypto provider; ring's default one is
        // installed, as a plain reqwest program would do.
        // An error here only means one is already installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let host = host_header(&settings.endpoint)?;
        runtime.block_on(timed_calls::time_calls(settings.count, || {
            post_once(&client, &settings.endpoint, &host)
        }))
    })
}

/// Sends the fixed request once and reads the whole response; status must be 200.
/// The headers are inserted in the order `minimal-create-service` sends them, `Host`
/// first (left to reqwest, it would come last).
async fn post_once(client: &reqwest::Client, endpoint: &str, host: &str) -> Result<(), Failure> {
    let response = client
        .post(endpoint)
        .header("host", host)
        .header("content-type", "application/x-amz-json-1.0")
        .header("user-agent", USER_AGENT)
        .header("x-amz-target", "AppRunner.CreateService")
        .header("amz-sdk-invocation-id", INVOCATION_ID)
        .header("amz-sdk-request", SDK_REQUEST)
        .header("x-amz-date", AMZ_DATE)
        .header("authorization", AUTHORIZATION)
        .body(BODY)
        .send()
        .await?;
    let status = response.status();
    let body = response.bytes().await?;
    if status != reqwest::StatusCode::OK {
        return Err(format!("CreateService answered {status}: {}", String::from_utf8_lossy(&body)).into());
    }
    Ok(())
}

/// The `Host` header of `endpoint`: its host, and its port when one is given.
fn host_header(endpoint: &str) -> Result<String, Failure> {
    let url = reqwest::Url::parse(endpoint)
        .map_err(|error| format!("APPRUNNER_ENDPOINT_URL `{endpoint}` is not a URL: {error}"))?;
    let host = url
        .host_str()
        .ok_or_else(|| format!("APPRUNNER_ENDPOINT_URL `{endpoint}` names no host"))?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_body_is_the_exact_bytes() {
        assert_eq!(
            super::BODY.len(),
            640,
            "example-one.json changed (or gained a final newline)"
        );
        assert!(super::BODY.starts_with(r#"{"ServiceName":"python-app","#) && super::BODY.ends_with('}'));
    }

    #[test]
    fn the_host_header_keeps_a_given_port() {
        assert_eq!(super::host_header("http://127.0.0.1:8080").unwrap(), "127.0.0.1:8080");
        assert_eq!(super::host_header("http://localhost/").unwrap(), "localhost");
        assert!(super::host_header("not a url").is_err());
    }
}
