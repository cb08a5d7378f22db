//! The `apprunner-local` binary killed with SIGKILL: every service is whole afterwards, the
//! processes the dead run left are killed, and unfinished work resumes.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::deploy::{api_configuration, code_service, example_repository, get_until_ok};
use crate::support::{self, TempDir, call};

/// Starts the binary on a free port; returns it and its URL.
async fn spawn_endpoint(data: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apprunner-local"))
        .args(["--port", "0", "--log-level", "warn", "--data-dir"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("the endpoint reports its address in time")
        .unwrap()
        .expect("a line");
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned();
    (child, url)
}

fn process_groups(service_dir: &Path) -> Vec<u32> {
    std::fs::read_to_string(service_dir.join("processes"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_whitespace().next()?.parse().ok())
        .collect()
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

async fn wait_until(what: &str, deadline: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < deadline,
            "{what} did not happen within {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_killed_endpoint_leaves_whole_services_and_resumes() {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: process checks read /proc");
        return;
    }
    let dir = TempDir::new("crash");
    let repo = example_repository(dir.path(), &[]);
    let data = dir.path().join("data");
    let marker: PathBuf = dir.path().join("go-on");
    let (mut endpoint, url) = spawn_endpoint(&data).await;
    let client = support::client(&url);

    // A build that waits for the marker file.
    let build = format!(
        "i=0; while [ ! -e '{}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done",
        marker.display()
    );
    let mut input = code_service(
        "crash-app",
        &repo.display().to_string(),
        api_configuration("python server.py"),
        json!({"Interval": 1}),
    );
    input["SourceConfiguration"]["CodeRepository"]["CodeConfiguration"]["CodeConfigurationValues"]["BuildCommand"] =
        json!(build);
    let created = call(&client, "CreateService", input).await.unwrap();
    let arn = created["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    let service_dir = data
        .join("services")
        .join(created["Service"]["ServiceId"].as_str().unwrap());
    let build_log = service_dir.join("logs/build.log");
    wait_until("the build starting", Duration::from_secs(30), || {
        std::fs::read_to_string(&build_log).is_ok_and(|log| log.contains("build: i=0"))
    })
    .await;
    // The endpoint records the build's process group right after starting it; the
    // build's first output can come before that record.
    wait_until(
        "the build's process group being recorded",
        Duration::from_secs(10),
        || !process_groups(&service_dir).is_empty(),
    )
    .await;
    let builds = process_groups(&service_dir);
    assert_eq!(builds.len(), 1, "one build running");

    // SIGKILL mid-build: the build is orphaned, the service stays whole and in progress.
    endpoint.kill().await.unwrap();
    assert!(alive(builds[0]), "the build outlives the killed endpoint");
    let (mut endpoint, url) = spawn_endpoint(&data).await;
    let client = support::client(&url);
    wait_until("the orphaned build being killed", Duration::from_secs(10), || {
        !alive(builds[0])
    })
    .await;
    let described = call(&client, "DescribeService", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    assert_eq!(described["Service"]["Status"], "OPERATION_IN_PROGRESS");
    assert_eq!(described["Service"]["ServiceName"], "crash-app");
    let operations = call(&client, "ListOperations", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    assert_eq!(operations["OperationSummaryList"].as_array().unwrap().len(), 1);
    assert_eq!(operations["OperationSummaryList"][0]["Status"], "IN_PROGRESS");

    // The resumed deployment finishes once the build may go on.
    std::fs::write(&marker, "").unwrap();
    let service = support::wait_settled(&client, &arn, Duration::from_secs(60)).await;
    assert_eq!(service["Status"], "RUNNING");
    let service_url = service["ServiceUrl"].as_str().unwrap().to_owned();
    get_until_ok(&service_url, "/", Duration::from_secs(10)).await;

    // SIGKILL while the app runs: the next run kills the orphaned app and starts it again.
    let apps = process_groups(&service_dir);
    assert_eq!(apps.len(), 1, "one application running");
    endpoint.kill().await.unwrap();
    assert!(alive(apps[0]));
    let (mut endpoint, url) = spawn_endpoint(&data).await;
    let client = support::client(&url);
    wait_until("the orphaned app being killed", Duration::from_secs(10), || {
        !alive(apps[0])
    })
    .await;
    let again = get_until_ok(&service_url, "/", Duration::from_secs(30)).await;
    assert_eq!(again.text(), "Hello, Jane! This is hello-app on App Runner.\n");

    // A graceful stop (SIGTERM) stops the app and exits cleanly.
    let apps = process_groups(&service_dir);
    let pid = endpoint.id().unwrap();
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status();
    let status = tokio::time::timeout(Duration::from_secs(30), endpoint.wait())
        .await
        .expect("the endpoint stops in time")
        .unwrap();
    assert!(status.success(), "{status}");
    assert!(apps.iter().all(|pgid| !alive(*pgid)), "the app stops with the endpoint");
    drop(client);
}
