//! Real deployments of `examples/hello-app` from temporary git repositories: build, start,
//! health check, proxy, restart, delete; and the ways a deployment fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{self, TempDir, call};

/// How long a real deployment may take in these tests.
const DEPLOY_DEADLINE: Duration = Duration::from_secs(90);

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-app")
}

/// A git repository (branch `main`) holding the example app, plus `extra` files.
pub(crate) fn example_repository(dir: &Path, extra: &[(&str, &str)]) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    for entry in std::fs::read_dir(example_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), repo.join(entry.file_name())).unwrap();
    }
    for (name, text) in extra {
        std::fs::write(repo.join(name), text).unwrap();
    }
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(&repo)
            .output()
            .expect("git runs");
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "--quiet"]);
    git(&["checkout", "--quiet", "-B", "main"]);
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "hello-app"]);
    repo
}

pub(crate) fn code_service(name: &str, url: &str, configuration: Value, health: Value) -> Value {
    json!({
        "ServiceName": name,
        "SourceConfiguration": {
            "AutoDeploymentsEnabled": false,
            "CodeRepository": {
                "RepositoryUrl": url,
                "SourceCodeVersion": {"Type": "BRANCH", "Value": "main"},
                "CodeConfiguration": configuration,
            }
        },
        "HealthCheckConfiguration": health,
    })
}

pub(crate) fn api_configuration(start: &str) -> Value {
    json!({
        "ConfigurationSource": "API",
        "CodeConfigurationValues": {
            "Runtime": "PYTHON_3",
            "BuildCommand": "pip install -r requirements.txt",
            "StartCommand": start,
            "Port": "8080",
            "RuntimeEnvironmentVariables": {"NAME": "Jane"}
        }
    })
}

/// GET `path` from the service URL until it answers 200 (or the deadline passes).
pub(crate) async fn get_until_ok(url: &str, path: &str, deadline: Duration) -> support::RawResponse {
    let started = Instant::now();
    loop {
        if let Ok(addr) = url.parse()
            && tokio::net::TcpStream::connect(addr).await.is_ok()
        {
            let response = support::raw(addr, "GET", path, &[], b"").await;
            if response.status == 200 {
                return response;
            }
        }
        assert!(
            started.elapsed() < deadline,
            "{url}{path} did not answer 200 within {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn failure_reason(dir: &Path, service: &Value) -> String {
    let id = service["ServiceId"].as_str().unwrap();
    std::fs::read_to_string(dir.join("data/services").join(id).join("logs/events.log")).unwrap_or_default()
}

#[tokio::test]
async fn deploys_the_example_app_serves_it_restarts_it_and_deletes_it() {
    let dir = TempDir::new("deploy");
    let repo = example_repository(dir.path(), &[]);
    let options = support::real(dir.path());
    let endpoint = support::start(options.clone()).await;
    let client = support::client(&endpoint.url());

    // API configuration, from a file:// URL, with an HTTP health check.
    let started = Instant::now();
    let created = call(
        &client,
        "CreateService",
        code_service(
            "hello-api",
            &format!("file://{}", repo.display()),
            api_configuration("python server.py"),
            json!({"Protocol": "HTTP", "Path": "/health", "Interval": 1}),
        ),
    )
    .await
    .unwrap();
    let arn = created["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    let url = created["Service"]["ServiceUrl"].as_str().unwrap().to_owned();
    // Until the app is healthy, the proxy says so.
    let early = support::raw(url.parse().unwrap(), "GET", "/", &[], b"").await;
    assert!(matches!(early.status, 200 | 503), "{}", early.status);

    // REPOSITORY configuration (apprunner.yaml), from a plain path, with the default TCP check.
    let from_yaml = call(
        &client,
        "CreateService",
        code_service(
            "hello-yaml",
            &repo.display().to_string(),
            json!({"ConfigurationSource": "REPOSITORY"}),
            json!({}),
        ),
    )
    .await
    .unwrap();
    let yaml_arn = from_yaml["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    let yaml_url = from_yaml["Service"]["ServiceUrl"].as_str().unwrap().to_owned();

    let service = support::wait_settled(&client, &arn, DEPLOY_DEADLINE).await;
    assert_eq!(
        service["Status"],
        "RUNNING",
        "{}",
        failure_reason(dir.path(), &service).await
    );
    let deploy_time = started.elapsed();
    let operations = call(&client, "ListOperations", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    assert_eq!(operations["OperationSummaryList"][0]["Status"], "SUCCEEDED");

    let hello = get_until_ok(&url, "/", Duration::from_secs(5)).await;
    assert_eq!(hello.text(), "Hello, Jane! This is hello-app on App Runner.\n");
    // PORT is a free local port, not the configured 8080.
    let env = get_until_ok(&url, "/env", Duration::from_secs(5)).await.json();
    assert_eq!(env["NAME"], "Jane");
    assert_ne!(env["PORT"], "8080");
    let missing = support::raw(url.parse().unwrap(), "GET", "/nothing", &[], b"").await;
    assert_eq!(missing.status, 404);

    let yaml_service = support::wait_settled(&client, &yaml_arn, DEPLOY_DEADLINE).await;
    assert_eq!(
        yaml_service["Status"],
        "RUNNING",
        "{}",
        failure_reason(dir.path(), &yaml_service).await
    );
    let greeting = get_until_ok(&yaml_url, "/", Duration::from_secs(5)).await;
    assert_eq!(
        greeting.text(),
        "Hello, apprunner.yaml! This is hello-app on App Runner.\n"
    );

    // Logs per service.
    let logs = dir
        .path()
        .join("data/services")
        .join(service["ServiceId"].as_str().unwrap())
        .join("logs");
    let build_log = std::fs::read_to_string(logs.join("build.log")).unwrap();
    assert!(build_log.contains("pip install -r requirements.txt"), "{build_log}");
    let app_log = std::fs::read_to_string(logs.join("app.log")).unwrap();
    assert!(app_log.contains("hello-app listening on port"), "{app_log}");

    // A restart of the endpoint stops the applications and starts them again.
    endpoint.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(url.as_str()).await.is_err(),
        "the port closes with the endpoint"
    );
    let endpoint = support::start(options).await;
    let client = support::client(&endpoint.url());
    let again = get_until_ok(&url, "/", Duration::from_secs(30)).await;
    assert_eq!(again.text(), "Hello, Jane! This is hello-app on App Runner.\n");

    // Deleting stops the application.
    let pid_file = logs.parent().unwrap().join("processes");
    let pgid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(Path::new(&format!("/proc/{pgid}")).exists() || !cfg!(target_os = "linux"));
    call(&client, "DeleteService", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    support::wait_gone(&client, &arn, Duration::from_secs(30)).await;
    // The service's proxy closes its port once the deletion has stopped it (shortly after
    // the service disappears from the API; allow a few seconds on a loaded machine).
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(url.as_str()).await.is_ok() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        tokio::net::TcpStream::connect(url.as_str()).await.is_err(),
        "{url} still accepts connections"
    );
    if cfg!(target_os = "linux") {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Path::new(&format!("/proc/{pgid}")).exists() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            !Path::new(&format!("/proc/{pgid}")).exists(),
            "the application process is gone"
        );
    }
    assert!(
        !logs.parent().unwrap().join("source").exists(),
        "the checkout is removed"
    );
    assert!(logs.join("events.log").exists(), "the logs stay");
    call(&client, "DeleteService", json!({"ServiceArn": yaml_arn}))
        .await
        .unwrap();
    support::wait_gone(&client, &yaml_arn, Duration::from_secs(30)).await;
    endpoint.shutdown().await;
    eprintln!("first real deployment reached RUNNING in {deploy_time:?}");
}

#[tokio::test]
async fn failed_deployments_end_create_failed_with_the_reason() {
    let dir = TempDir::new("failures");
    let repo = example_repository(dir.path(), &[]);
    let endpoint = support::start(support::real(dir.path())).await;
    let client = support::client(&endpoint.url());
    let url = repo.display().to_string();
    let fast_check = json!({"Interval": 1, "Timeout": 1, "UnhealthyThreshold": 2});
    let cases = [
        (
            "never-listens",
            code_service("never-listens", &url, api_configuration("sleep 60"), fast_check.clone()),
            "health check failed 2 times in a row",
        ),
        (
            "wrong-path",
            code_service(
                "wrong-path",
                &url,
                api_configuration("python server.py"),
                json!({"Protocol": "HTTP", "Path": "/missing", "Interval": 1, "UnhealthyThreshold": 2}),
            ),
            "answered 404",
        ),
        (
            "exits-early",
            code_service("exits-early", &url, api_configuration("exit 3"), fast_check.clone()),
            "exited",
        ),
        (
            "build-fails",
            {
                let mut input = code_service(
                    "build-fails",
                    &url,
                    api_configuration("python server.py"),
                    fast_check.clone(),
                );
                input["SourceConfiguration"]["CodeRepository"]["CodeConfiguration"]["CodeConfigurationValues"]["BuildCommand"] =
                    json!("echo compiling; false");
                input
            },
            "the build command failed",
        ),
        (
            "no-repository",
            code_service(
                "no-repository",
                &dir.path().join("missing").display().to_string(),
                api_configuration("python server.py"),
                fast_check.clone(),
            ),
            "could not be cloned",
        ),
        (
            "no-branch",
            {
                let mut input = code_service(
                    "no-branch",
                    &url,
                    api_configuration("python server.py"),
                    fast_check.clone(),
                );
                input["SourceConfiguration"]["CodeRepository"]["SourceCodeVersion"]["Value"] = json!("release");
                input
            },
            "could not be cloned",
        ),
        (
            "no-yaml-dir",
            {
                let mut input = code_service(
                    "no-yaml-dir",
                    &url,
                    json!({"ConfigurationSource": "REPOSITORY"}),
                    fast_check.clone(),
                );
                input["SourceConfiguration"]["CodeRepository"]["SourceDirectory"] = json!("nowhere");
                input
            },
            "SourceDirectory",
        ),
    ];
    let mut created = Vec::new();
    for (name, input, reason) in cases {
        let output = call(&client, "CreateService", input)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        created.push((
            name,
            output["Service"]["ServiceArn"].as_str().unwrap().to_owned(),
            reason,
        ));
    }
    for (name, arn, reason) in &created {
        let service = support::wait_settled(&client, arn, DEPLOY_DEADLINE).await;
        assert_eq!(service["Status"], "CREATE_FAILED", "{name}");
        let operations = call(&client, "ListOperations", json!({"ServiceArn": arn}))
            .await
            .unwrap();
        assert_eq!(operations["OperationSummaryList"][0]["Status"], "FAILED", "{name}");
        assert!(operations["OperationSummaryList"][0]["EndedAt"].is_number());
        let events = failure_reason(dir.path(), &service).await;
        assert!(events.contains(reason), "{name}: expected {reason:?} in {events}");
        // The failed service answers 503 at its URL, and can be deleted.
        let url = service["ServiceUrl"].as_str().unwrap();
        let response = support::raw(url.parse().unwrap(), "GET", "/", &[], b"").await;
        assert_eq!(response.status, 503, "{name}");
    }
    let (_, arn, _) = &created[0];
    call(&client, "DeleteService", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    support::wait_gone(&client, arn, Duration::from_secs(30)).await;
    endpoint.shutdown().await;
}

#[tokio::test]
async fn an_image_repository_needs_a_container_engine() {
    let engine_available = ["docker", "podman"].iter().any(|engine| {
        Command::new(engine)
            .arg("info")
            .output()
            .is_ok_and(|output| output.status.success())
    });
    if engine_available {
        eprintln!("skipped: a container engine is available on this machine");
        return;
    }
    let dir = TempDir::new("image");
    let endpoint = support::start(support::real(dir.path())).await;
    let client = support::client(&endpoint.url());
    let created = call(
        &client,
        "CreateService",
        json!({
            "ServiceName": "image-app",
            "SourceConfiguration": {"ImageRepository": {
                "ImageIdentifier": "public.ecr.aws/aws-containers/hello-app-runner:latest",
                "ImageRepositoryType": "ECR_PUBLIC",
                "ImageConfiguration": {"Port": "8000"}
            }}
        }),
    )
    .await
    .unwrap();
    assert_eq!(
        created["Service"]["SourceConfiguration"]["AutoDeploymentsEnabled"],
        false
    );
    let service = support::wait_settled(
        &client,
        created["Service"]["ServiceArn"].as_str().unwrap(),
        DEPLOY_DEADLINE,
    )
    .await;
    assert_eq!(service["Status"], "CREATE_FAILED");
    let events = failure_reason(dir.path(), &service).await;
    assert!(events.contains("container engine"), "{events}");
    endpoint.shutdown().await;
}
