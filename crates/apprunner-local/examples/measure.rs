//! Measures the endpoint in-process with the generated client: start time, call latency
//! (simulated mode, SigV4 verified on every call), and throughput with concurrent clients.
//!
//! `cargo run --release -p apprunner-local --example measure`

use std::time::{Duration, Instant};

use apprunner_client::Client;
use apprunner_local::{LocalEndpoint, Options};
use apprunner_runtime::credentials::Credentials;
use apprunner_runtime::{Config, Env};
use serde_json::{Value, json};

fn client(url: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            apprunner_local::EXAMPLE_ACCESS_KEY_ID,
            apprunner_local::EXAMPLE_SECRET_ACCESS_KEY,
            None,
            None,
            "measure",
        ))
        .endpoint_url(url)
        .env(Env::from_vars::<_, String, String>([]))
        .load()
        .expect("configuration");
    Client::from_conf(config).expect("client")
}

fn input(name: &str) -> Value {
    json!({
        "ServiceName": name,
        "SourceConfiguration": {"CodeRepository": {
            "RepositoryUrl": "https://example.invalid/repo",
            "SourceCodeVersion": {"Type": "BRANCH", "Value": "main"},
            "CodeConfiguration": {"ConfigurationSource": "API",
                "CodeConfigurationValues": {"Runtime": "PYTHON_3", "StartCommand": "python server.py"}}
        }}
    })
}

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "{label:<34} n={:<5} p50 {:>7.3} ms  p90 {:>7.3} ms  p99 {:>7.3} ms",
        samples.len(),
        at(0.5),
        at(0.9),
        at(0.99)
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("apprunner-local-measure-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut options = Options::new(&dir);
    options.port = 0;
    options.simulate = true;
    options.simulate_delay = Duration::from_millis(100);
    options.max_services = 1000;

    let started = Instant::now();
    let endpoint = LocalEndpoint::start(options.clone()).await.expect("start");
    println!(
        "start (new data directory)         {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let client = client(&endpoint.url());

    let mut creates = Vec::new();
    let mut arns = Vec::new();
    for index in 0..200 {
        let started = Instant::now();
        let created = send(&client, "CreateService", input(&format!("svc-{index:04}")))
            .await
            .expect("create");
        creates.push(started.elapsed());
        arns.push(created["Service"]["ServiceArn"].as_str().unwrap().to_owned());
    }
    summary("CreateService (one transaction)", creates);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut describes = Vec::new();
    for arn in arns.iter().cycle().take(1000) {
        let started = Instant::now();
        send(&client, "DescribeService", json!({"ServiceArn": arn}))
            .await
            .expect("describe");
        describes.push(started.elapsed());
    }
    summary("DescribeService", describes);

    let mut lists = Vec::new();
    for _ in 0..300 {
        let started = Instant::now();
        send(&client, "ListServices", json!({"MaxResults": 20}))
            .await
            .expect("list");
        lists.push(started.elapsed());
    }
    summary("ListServices (page of 20)", lists);

    let mut errors = Vec::new();
    for _ in 0..300 {
        let started = Instant::now();
        let error = send(&client, "DescribeService", json!({"ServiceArn": "arn:aws:apprunner:us-east-1:123456789012:service/x/0123456789abcdef0123456789abcdef"}))
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some("ResourceNotFoundException"));
        errors.push(started.elapsed());
    }
    summary("DescribeService -> not found", errors);

    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for arn in arns.iter().take(16) {
        let client = client.clone();
        let arn = arn.clone();
        tasks.spawn(async move {
            for _ in 0..250 {
                send(&client, "DescribeService", json!({"ServiceArn": arn}))
                    .await
                    .expect("describe");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed();
    println!(
        "DescribeService, 16 clients         {:.0} calls/s (4000 calls in {:.2} s)",
        4000.0 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );

    let started = Instant::now();
    endpoint.shutdown().await;
    println!(
        "shutdown (200 services)            {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let started = Instant::now();
    let endpoint = LocalEndpoint::start(options).await.expect("restart");
    println!(
        "restart (200 services resumed)     {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    endpoint.shutdown().await;
    let size = std::fs::metadata(dir.join("state.sqlite3"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("state.sqlite3 with 200 services    {} KiB", size / 1024);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Calls `operation` with a JSON value and reads the output back as one.
async fn send(
    client: &apprunner_client::Client,
    operation: &str,
    input: serde_json::Value,
) -> Result<serde_json::Value, apprunner_runtime::SdkError<apprunner_smithy::ErrorMetadata>> {
    let text = serde_json::to_vec(&input).expect("a JSON value serializes");
    let output = client.send_json(operation, &text).await?;
    Ok(serde_json::from_slice(&output).expect("the client writes JSON"))
}
