//! `reqwest-minimal-create-service N`: the baseline for the latency comparison — a
//! plain reqwest POST of the bytes the App Runner clients send for Example 1
//! (corrected), with no SDK around it.
//!
//! Nothing is built or signed per call: the JSON body is a fixed byte string (the
//! exact bytes `minimal-create-service` sends) and the `X-Amz-Date`/`Authorization`
//! pair is one the project's client once computed. The server it is meant for (the
//! `stub-server`) does not verify signatures. reqwest and rustls have the features they
//! have in `crates/apprunner-runtime` (rustls with ring, no default features); the
//! crypto provider is ring's default one, as a plain reqwest program would install.
//!
//! It builds one `reqwest::Client`, then sends the request N times in sequence on its
//! keep-alive connection, reading each response body to the end and requiring status
//! 200. The endpoint comes from `APPRUNNER_ENDPOINT_URL`. Output:
//! `n=N median_us=.. p99_us=.. min_us=.. max_us=..`; any failure exits 2.

use std::process::ExitCode;
use std::time::Instant;

type Failure = Box<dyn std::error::Error>;

/// The CreateService body for Example 1 (corrected), byte for byte as the project's
/// client serializes it (`bench/compare/example-one.json`, which has no final newline;
/// the harness passes the same JSON to both CLIs).
const BODY: &str = include_str!("../../example-one.json");

/// A precomputed SigV4 date and signature (AKIDEXAMPLE, us-east-1).
const AMZ_DATE: &str = "20261127T075512Z";
const AUTHORIZATION: &str = concat!(
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/apprunner/aws4_request, ",
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, ",
    "Signature=3b6390901043553cb3c8d6fc223e7b0c616093741e635a3d8f82c3f17b8598bc",
);

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("reqwest-minimal-create-service: {error}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<String, Failure> {
    let count: usize = match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("N must be a whole number, got {text:?}"))?,
        None => return Err("usage: reqwest-minimal-create-service N (with APPRUNNER_ENDPOINT_URL set)".into()),
    };
    if count == 0 {
        return Err("N must be at least 1".into());
    }
    let endpoint = std::env::var("APPRUNNER_ENDPOINT_URL")
        .map_err(|_| "set APPRUNNER_ENDPOINT_URL to the endpoint to call (http://127.0.0.1:PORT)")?;
    // reqwest is built with rustls but without a crypto provider; ring's default one is
    // installed, as a plain reqwest program would do.
    // An error here only means one is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let micros = runtime.block_on(async {
        let mut micros = Vec::with_capacity(count);
        for _ in 0..count {
            let started = Instant::now();
            post_once(&client, &endpoint).await?;
            micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
        Ok::<_, Failure>(micros)
    })?;
    Ok(summarize(micros))
}

/// Sends the fixed request once and reads the whole response; status must be 200.
async fn post_once(client: &reqwest::Client, endpoint: &str) -> Result<(), Failure> {
    let response = client
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", "AppRunner.CreateService")
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

/// `n=.. median_us=.. p99_us=.. min_us=.. max_us=..`, the line all the programs print.
fn summarize(mut micros: Vec<f64>) -> String {
    micros.sort_by(f64::total_cmp);
    let at = |fraction: f64| micros[((micros.len() - 1) as f64 * fraction).round() as usize];
    format!(
        "n={} median_us={:.0} p99_us={:.0} min_us={:.0} max_us={:.0}",
        micros.len(),
        at(0.5),
        at(0.99),
        micros[0],
        micros[micros.len() - 1]
    )
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
}
