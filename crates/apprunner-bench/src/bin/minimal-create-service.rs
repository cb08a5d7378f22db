//! `minimal-create-service N`: sends the reference page's Example 1 CreateService N
//! times in sequence on one client and prints latency statistics.
//!
//! The endpoint comes from `APPRUNNER_ENDPOINT_URL`; requests are signed with the
//! AWS documentation's example key pair in us-east-1. The input is built inside the
//! timed loop, as a caller would. Output: `n=N median_us=.. p99_us=.. min_us=.. max_us=..`;
//! on any failure the error is printed and the exit code is 2.

#[path = "../example_one.rs"]
mod example_one;

use apprunner_client::SdkError;
use apprunner_client::operation::create_service::CreateServiceError;
use apprunner_runtime::credentials::Credentials;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("minimal-create-service: {error}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<String, Box<dyn std::error::Error>> {
    let count: usize = match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("N must be a whole number, got {text:?}"))?,
        None => return Err("usage: minimal-create-service N (with APPRUNNER_ENDPOINT_URL set)".into()),
    };
    if count == 0 {
        return Err("N must be at least 1".into());
    }
    let endpoint = std::env::var("APPRUNNER_ENDPOINT_URL")
        .map_err(|_| "set APPRUNNER_ENDPOINT_URL to the endpoint to call (http://127.0.0.1:PORT)")?;
    let config = apprunner_client::Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "example",
        ))
        .endpoint_url(endpoint)
        .env(apprunner_runtime::Env::from_vars::<_, String, String>([]))
        .load()?;
    let client = apprunner_client::Client::from_conf(config)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut micros = Vec::with_capacity(count);
    runtime.block_on(async {
        for _ in 0..count {
            let started = Instant::now();
            create_once(&client).await?;
            micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
        Ok::<(), Box<dyn std::error::Error>>(())
    })?;
    micros.sort_by(f64::total_cmp);
    let at = |fraction: f64| micros[((micros.len() - 1) as f64 * fraction).round() as usize];
    Ok(format!(
        "n={count} median_us={:.0} p99_us={:.0} min_us={:.0} max_us={:.0}",
        at(0.5),
        at(0.99),
        micros[0],
        micros[micros.len() - 1]
    ))
}

/// Sends one CreateService on `client`, building its input first, as a caller would.
async fn create_once(client: &apprunner_client::Client) -> Result<(), SdkError<CreateServiceError>> {
    let input = example_one::example_one_input().map_err(SdkError::InvalidInput)?;
    client.send(input).await.map(|_| ())
}
