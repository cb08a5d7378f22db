//! The main job: Example 1 of the create-service reference, corrected
//! (`examples/hello-app/create-service.json`), deployed from this repository, until the app
//! answers at its ServiceUrl.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{self, TempDir, call};

#[tokio::test]
async fn example_one_corrected_runs_and_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The example names branch `main`; a checkout on another branch deploys that branch.
    let branch = Command::new("git")
        .args(["rev-parse", "--abbrev-ref", "HEAD"])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    let Some(branch) = branch.filter(|b| b != "HEAD") else {
        eprintln!("skipped: the repository has no branch checked out");
        return;
    };
    let committed = Command::new("git")
        .args(["cat-file", "-e", &format!("{branch}:examples/hello-app/server.py")])
        .current_dir(&root)
        .status()
        .is_ok_and(|status| status.success());
    if !committed {
        eprintln!("skipped: examples/hello-app is not committed on {branch}");
        return;
    }
    let dir = TempDir::new("main-job");
    let mut options = support::real(dir.path());
    options.working_dir = Some(root.clone());
    let endpoint = support::start(options).await;
    let client = support::client(&endpoint.url());
    let text = std::fs::read_to_string(root.join("examples/hello-app/create-service.json")).unwrap();
    let mut input: Value = serde_json::from_str(&text).unwrap();
    input["SourceConfiguration"]["CodeRepository"]["SourceCodeVersion"]["Value"] = json!(branch);

    let started = Instant::now();
    let created = call(&client, "CreateService", input).await.unwrap();
    assert_eq!(created["Service"]["Status"], "OPERATION_IN_PROGRESS");
    assert_eq!(
        created["Service"]["InstanceConfiguration"],
        json!({"Cpu": "1024", "Memory": "3072"})
    );
    let arn = created["Service"]["ServiceArn"].as_str().unwrap().to_owned();
    let service = support::wait_settled(&client, &arn, Duration::from_secs(90)).await;
    assert_eq!(service["Status"], "RUNNING");
    let running = started.elapsed();
    let url = service["ServiceUrl"].as_str().unwrap();
    let response = support::raw(url.parse().unwrap(), "GET", "/", &[], b"").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "Hello, Jane! This is hello-app on App Runner.\n");
    eprintln!("Example 1 corrected: RUNNING after {running:?}, answering at http://{url}/");
    call(&client, "DeleteService", json!({"ServiceArn": arn}))
        .await
        .unwrap();
    support::wait_gone(&client, &arn, Duration::from_secs(30)).await;
    endpoint.shutdown().await;
}
