//! The comparison program: the same work as the project's `minimal-create-service`,
//! written against the official `aws-sdk-apprunner` and `aws-config` the way their
//! documentation shows. `sdk-minimal-create-service N` sends the reference page's
//! Example 1 (corrected) N times in sequence on one client, building the input inside
//! the timed loop, and prints `n=N median_us=.. p99_us=.. min_us=.. max_us=..`.
//! The endpoint comes from `APPRUNNER_ENDPOINT_URL`; any failure exits 2.

use aws_sdk_apprunner::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_apprunner::types::{
    AuthenticationConfiguration, CodeConfiguration, CodeConfigurationValues, CodeRepository, ConfigurationSource,
    InstanceConfiguration, Runtime, SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
};
use std::process::ExitCode;
use std::time::Instant;

type Failure = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("sdk-minimal-create-service: {error}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<String, Failure> {
    let count: usize = match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("N must be a whole number, got {text:?}"))?,
        None => return Err("usage: sdk-minimal-create-service N (with APPRUNNER_ENDPOINT_URL set)".into()),
    };
    if count == 0 {
        return Err("N must be at least 1".into());
    }
    let endpoint = std::env::var("APPRUNNER_ENDPOINT_URL")
        .map_err(|_| "set APPRUNNER_ENDPOINT_URL to the endpoint to call (http://127.0.0.1:PORT)")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let micros = runtime.block_on(async {
        let shared = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "example",
            ))
            .endpoint_url(endpoint)
            .load()
            .await;
        let client = aws_sdk_apprunner::Client::new(&shared);
        let mut micros = Vec::with_capacity(count);
        for _ in 0..count {
            let started = Instant::now();
            create_once(&client).await?;
            micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
        Ok::<_, Failure>(micros)
    })?;
    Ok(summarize(micros))
}

/// Builds Example 1 (corrected) and sends it once.
async fn create_once(client: &aws_sdk_apprunner::Client) -> Result<(), Failure> {
    let values = CodeConfigurationValues::builder()
        .runtime(Runtime::Python3)
        .build_command("pip install -r requirements.txt")
        .start_command("python server.py")
        .port("8080")
        .runtime_environment_variables("NAME", "Jane")
        .build()?;
    let code_configuration = CodeConfiguration::builder()
        .configuration_source(ConfigurationSource::Api)
        .code_configuration_values(values)
        .build()?;
    let repository = CodeRepository::builder()
        .repository_url("https://github.com/my-account/python-hello")
        .source_code_version(
            SourceCodeVersion::builder()
                .r#type(SourceCodeVersionType::Branch)
                .value("main")
                .build()?,
        )
        .code_configuration(code_configuration)
        .build()?;
    let source = SourceConfiguration::builder()
        .code_repository(repository)
        .authentication_configuration(
            AuthenticationConfiguration::builder()
                .connection_arn(
                    "arn:aws:apprunner:us-east-1:123456789012:connection/my-github-connection/e7656250f67242d7819feade6800f59e",
                )
                .build(),
        )
        .build();
    client
        .create_service()
        .service_name("python-app")
        .source_configuration(source)
        .instance_configuration(InstanceConfiguration::builder().cpu("1 vCPU").memory("3 GB").build())
        .send()
        .await?;
    Ok(())
}

/// `n=.. median_us=.. p99_us=.. min_us=.. max_us=..`, the line both programs print.
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
