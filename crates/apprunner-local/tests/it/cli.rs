//! Command-line clients against the endpoint: the project's `apprunner` (when its binary has
//! been built next to this test) and the real AWS CLI (when installed), both unchanged.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::process::Command;

use crate::support::{self, TempDir, call};

/// Runs a command with the example credentials and no shared config; `(exit code, stdout, stderr)`.
async fn run(program: &PathBuf, args: &[&str]) -> (i32, String, String) {
    let output = tokio::time::timeout(
        Duration::from_secs(120),
        Command::new(program)
            .args(args)
            .env("AWS_ACCESS_KEY_ID", support::ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", support::SECRET_ACCESS_KEY)
            .env("AWS_DEFAULT_REGION", support::REGION)
            .env("AWS_REGION", support::REGION)
            .env("AWS_CONFIG_FILE", "/nonexistent/apprunner-local/config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/apprunner-local/credentials",
            )
            .env("AWS_PAGER", "")
            .env("APPRUNNER_WAIT_INTERVAL", "0.2")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_ENDPOINT_URL")
            .output(),
    )
    .await
    .expect("the command finishes in time")
    .expect("the command runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn input_file(dir: &TempDir, name: &str) -> String {
    let path = dir.path().join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_vec(&support::create_input(name)).unwrap()).unwrap();
    format!("file://{}", path.display())
}

/// The project CLI's binary, if it has been built (by `cargo test --workspace` or `cargo build`).
fn project_cli() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?;
    let binary = dir.join(format!("apprunner{}", std::env::consts::EXE_SUFFIX));
    binary.is_file().then_some(binary)
}

#[tokio::test]
async fn the_project_cli_runs_the_lifecycle() {
    let Some(cli) = project_cli() else {
        eprintln!("skipped: the apprunner binary is not built (cargo build -p apprunner-cli)");
        return;
    };
    let dir = TempDir::new("project-cli");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let url = endpoint.url();
    let input = input_file(&dir, "cli-app");
    let (code, stdout, stderr) = run(
        &cli,
        &[
            "create-service",
            "--cli-input-json",
            &input,
            "--endpoint-url",
            &url,
            "--wait",
        ],
    )
    .await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let created: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("JSON output: {stdout}"));
    let arn = created["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    let client = support::client(&url);
    let described = call(&client, "DescribeService", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    assert_eq!(described["Service"]["Status"], "RUNNING");
    let (code, stdout, stderr) = run(
        &cli,
        &[
            "delete-service",
            "--service-arn",
            &arn,
            "--endpoint-url",
            &url,
            "--wait",
        ],
    )
    .await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let error = call(&client, "DescribeService", json!({"ServiceArn": arn}))
        .await
        .unwrap_err();
    assert_eq!(error.0, "ResourceNotFoundException");
    endpoint.shutdown().await;
}

#[tokio::test]
async fn the_aws_cli_works_unchanged() {
    let aws = PathBuf::from("aws");
    let available = Command::new(&aws)
        .arg("--version")
        .output()
        .await
        .is_ok_and(|output| output.status.success());
    if !available {
        eprintln!("skipped: the AWS CLI is not installed");
        return;
    }
    let dir = TempDir::new("aws-cli");
    let endpoint = support::start(support::simulated(dir.path())).await;
    let url = endpoint.url();
    let input = input_file(&dir, "aws-cli-app");
    let common = ["--endpoint-url", url.as_str(), "--output", "json"];

    let mut args = vec!["apprunner", "create-service", "--cli-input-json", input.as_str()];
    args.extend(common);
    let (code, stdout, stderr) = run(&aws, &args).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let created: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(created["Service"]["Status"], "OPERATION_IN_PROGRESS");
    let arn = created["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    let client = support::client(&url);
    support::wait_settled(&client, &arn, Duration::from_secs(10)).await;

    let mut args = vec!["apprunner", "describe-service", "--service-arn", arn.as_str()];
    args.extend(common);
    let (code, stdout, stderr) = run(&aws, &args).await;
    assert_eq!(code, 0, "{stderr}");
    let described: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(described["Service"]["Status"], "RUNNING");
    assert_eq!(described["Service"]["InstanceConfiguration"]["Cpu"], "1024");

    let mut args = vec!["apprunner", "list-operations", "--service-arn", arn.as_str()];
    args.extend(common);
    let (code, stdout, stderr) = run(&aws, &args).await;
    assert_eq!(code, 0, "{stderr}");
    let operations: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(operations["OperationSummaryList"][0]["Status"], "SUCCEEDED");

    let mut args = vec!["apprunner", "list-services"];
    args.extend(common);
    let (code, stdout, stderr) = run(&aws, &args).await;
    assert_eq!(code, 0, "{stderr}");
    let listed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(listed["ServiceSummaryList"][0]["ServiceArn"], arn.as_str());

    let mut args = vec!["apprunner", "delete-service", "--service-arn", arn.as_str()];
    args.extend(common);
    let (code, _, stderr) = run(&aws, &args).await;
    assert_eq!(code, 0, "{stderr}");
    support::wait_gone(&client, &arn, Duration::from_secs(10)).await;

    // A modeled error, as the AWS CLI prints it.
    let mut args = vec!["apprunner", "describe-service", "--service-arn", arn.as_str()];
    args.extend(common);
    let (code, _, stderr) = run(&aws, &args).await;
    // AWS CLI v2 exits with 254 for a service error, v1 with 255.
    assert!(matches!(code, 254 | 255), "{code}: {stderr}");
    assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
    // A wrong secret: the AWS CLI reports the signature error.
    let output = Command::new(&aws)
        .args(["apprunner", "list-services", "--endpoint-url", url.as_str()])
        .env("AWS_ACCESS_KEY_ID", support::ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .env("AWS_DEFAULT_REGION", support::REGION)
        .env("AWS_CONFIG_FILE", "/nonexistent/apprunner-local/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/apprunner-local/credentials",
        )
        .env("AWS_MAX_ATTEMPTS", "1")
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("InvalidSignatureException"), "{stderr}");
    endpoint.shutdown().await;
}
