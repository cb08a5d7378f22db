//! `minimal-create-service` as the comparison harness runs it: a child process sending
//! Example 1 to an endpoint on 127.0.0.1, here the project's local App Runner endpoint
//! with simulated deployments, started in this process.

use std::path::PathBuf;
use std::process::{Command, Output};

use apprunner_local::{LocalEndpoint, Options};

/// A started local endpoint, the runtime serving it and its data directory.
struct Endpoint {
    runtime: tokio::runtime::Runtime,
    endpoint: Option<LocalEndpoint>,
    data_dir: PathBuf,
}

impl Endpoint {
    fn start(label: &str) -> Endpoint {
        let data_dir = std::env::temp_dir().join(format!("apprunner-bench-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        let mut options = Options::new(&data_dir);
        options.port = 0;
        options.simulate = true;
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        let endpoint = runtime.block_on(LocalEndpoint::start(options)).expect("local endpoint");
        Endpoint {
            runtime,
            endpoint: Some(endpoint),
            data_dir,
        }
    }

    fn url(&self) -> String {
        self.endpoint.as_ref().expect("running").url()
    }

    /// The names of the services the endpoint holds, read with the generated client.
    fn service_names(&self) -> Vec<String> {
        let config = apprunner_client::Config::builder()
            .region("us-east-1")
            .credentials(apprunner_runtime::credentials::Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "test",
            ))
            .endpoint_url(self.url())
            .env(apprunner_runtime::Env::from_vars::<_, String, String>([]))
            .load()
            .expect("configuration");
        let client = apprunner_client::Client::from_conf(config).expect("client");
        let input = apprunner_types::ListServicesInput::builder().build();
        let output = self.runtime.block_on(client.send(input)).expect("ListServices");
        output
            .service_summary_list
            .into_iter()
            .filter_map(|summary| summary.service_name)
            .collect()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if let Some(endpoint) = self.endpoint.take() {
            self.runtime.block_on(endpoint.shutdown());
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Runs the program with `args` and, when given, `APPRUNNER_ENDPOINT_URL`. The program
/// reads its environment as a caller's program would, so it gets nothing else: no
/// home directory (no AWS config files) and no `AWS_*` or proxy variables.
fn run(args: &[&str], endpoint_url: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_minimal-create-service"));
    command.args(args).env_clear();
    if let Some(url) = endpoint_url {
        command.env("APPRUNNER_ENDPOINT_URL", url);
    }
    command.output().expect("minimal-create-service runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn one_call_creates_the_service_and_prints_the_statistics_line() {
    let endpoint = Endpoint::start("one-call");
    let output = run(&["1"], Some(&endpoint.url()));
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    let line = text(&output.stdout);
    let fields: Vec<(&str, &str)> = line
        .trim_end()
        .split(' ')
        .map(|field| field.split_once('=').expect("name=value"))
        .collect();
    let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, ["n", "median_us", "p99_us", "min_us", "max_us"], "line: {line}");
    assert_eq!(fields[0].1, "1");
    let micros: Vec<u64> = fields[1..]
        .iter()
        .map(|(_, value)| value.parse().expect("whole microseconds"))
        .collect();
    // With one call, every statistic is that call's time.
    assert!(micros.iter().all(|&value| value == micros[0]), "line: {line}");
    assert_eq!(endpoint.service_names(), ["python-app"]);
}

#[test]
fn a_failed_call_exits_2_and_names_the_error() {
    let endpoint = Endpoint::start("duplicate");
    // The second CreateService of the same name is refused, as App Runner refuses it.
    let output = run(&["2"], Some(&endpoint.url()));
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "stdout: {}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("minimal-create-service: "), "stderr: {stderr}");
    assert!(stderr.contains("python-app already exists"), "stderr: {stderr}");
}

#[test]
fn bad_arguments_exit_2_with_what_to_do() {
    let url = Some("http://127.0.0.1:9");
    for (args, endpoint_url, expected) in [
        (
            &[][..],
            url,
            "usage: minimal-create-service N (with APPRUNNER_ENDPOINT_URL set)",
        ),
        (&["ten"][..], url, "N must be a whole number, got \"ten\""),
        (&["0"][..], url, "N must be at least 1"),
        (&["5"][..], None, "set APPRUNNER_ENDPOINT_URL to the endpoint to call"),
        (
            &["5"][..],
            Some("localhost:8787"),
            "expected an http:// or https:// URL",
        ),
    ] {
        let output = run(args, endpoint_url);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
