//! Test support: a loopback App Runner stub and a runner for the built `apprunner` binary.
//!
//! The stub is a small HTTP/1.1 server on 127.0.0.1 (a thread per connection, `Content-Length`
//! bodies, persistent connections) that records every request and answers from a script of
//! canned responses per operation, falling back to a plausible success for each operation. The
//! runner starts the binary with a clean environment: fixed test credentials, `HOME` and the
//! AWS config files in a fresh temporary folder (no real profile leaks in), and instance
//! metadata turned off, so nothing leaves the machine.

#![allow(dead_code, unreachable_pub)]

use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const OPERATION_ID: &str = "17fe9f55-7e91-4097-b243-fcabbb69a4cf";
pub const SERVICE_ID: &str = "8fe1e10304f84fd2b0df550fe98a71fa";

/// The ARN the stub gives service `name`.
pub fn service_arn(name: &str) -> String {
    format!("arn:aws:apprunner:us-east-1:123456789012:service/{name}/{SERVICE_ID}")
}

/// One request as the stub received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The operation, from `X-Amz-Target` (`CreateService`).
    pub operation: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body as JSON.
    pub body: Value,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A scripted response.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub body: Value,
    pub delay: Duration,
}

impl Canned {
    pub fn ok(body: Value) -> Canned {
        Canned {
            status: 200,
            body,
            delay: Duration::ZERO,
        }
    }

    /// An awsJson error response.
    pub fn error(status: u16, code: &str, message: &str) -> Canned {
        Canned {
            status,
            body: json!({"__type": format!("com.amazonaws.apprunner#{code}"), "Message": message}),
            delay: Duration::ZERO,
        }
    }

    pub fn delayed(mut self, delay: Duration) -> Canned {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    scripts: HashMap<String, VecDeque<Canned>>,
}

/// The loopback App Runner stub.
pub struct Stub {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Stub {
    pub fn start() -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Stub { url, state }
    }

    /// Queues `canned` as the next answer to `operation`.
    pub fn script(&self, operation: &str, canned: Canned) {
        let mut state = self.state.lock().unwrap();
        state.scripts.entry(operation.to_owned()).or_default().push_back(canned);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The bodies received for `operation`.
    pub fn bodies(&self, operation: &str) -> Vec<Value> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation == operation)
            .map(|r| r.body)
            .collect()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let operation = headers
            .iter()
            .find(|(n, _)| n == "x-amz-target")
            .map(|(_, v)| v.rsplit('.').next().unwrap_or_default().to_owned())
            .unwrap_or_default();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let canned = {
            let mut state = state.lock().unwrap();
            state.requests.push(Recorded {
                operation: operation.clone(),
                headers,
                body: body.clone(),
            });
            state.scripts.get_mut(&operation).and_then(VecDeque::pop_front)
        }
        .unwrap_or_else(|| default_response(&operation, &body));
        std::thread::sleep(canned.delay);
        let payload = serde_json::to_vec(&canned.body).unwrap();
        let reason = if canned.status == 200 { "OK" } else { "Error" };
        let head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\
             x-amzn-RequestId: 11111111-2222-3333-4444-555555555555\r\n\r\n",
            canned.status,
            payload.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&payload).is_err() {
            return;
        }
    }
}

/// A service description as App Runner returns it.
pub fn service(name: &str, status: &str, request: &Value) -> Value {
    let source = request
        .get("SourceConfiguration")
        .cloned()
        .unwrap_or_else(|| json!({"ImageRepository": {"ImageIdentifier": "public.ecr.aws/aws-containers/hello-app-runner:latest", "ImageRepositoryType": "ECR_PUBLIC"}}));
    json!({
        "ServiceName": name,
        "ServiceId": SERVICE_ID,
        "ServiceArn": service_arn(name),
        "ServiceUrl": "psbqam834h.us-east-1.awsapprunner.com",
        "CreatedAt": 1_605_899_125,
        "UpdatedAt": 1_605_899_125,
        "Status": status,
        "SourceConfiguration": source,
        "InstanceConfiguration": request.get("InstanceConfiguration").cloned().unwrap_or_else(|| json!({"Cpu": "1024", "Memory": "2048"})),
        "AutoScalingConfigurationSummary": {
            "AutoScalingConfigurationArn": "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001",
            "AutoScalingConfigurationName": "DefaultConfiguration",
            "AutoScalingConfigurationRevision": 1
        },
        "NetworkConfiguration": {"EgressConfiguration": {"EgressType": "DEFAULT"}}
    })
}

fn default_response(operation: &str, request: &Value) -> Canned {
    let name_from_arn = |request: &Value| {
        request["ServiceArn"]
            .as_str()
            .and_then(|arn| arn.split('/').nth(1))
            .unwrap_or("hello-app")
            .to_owned()
    };
    match operation {
        "CreateService" => {
            let name = request["ServiceName"].as_str().unwrap_or("hello-app");
            Canned::ok(json!({"OperationId": OPERATION_ID, "Service": service(name, "OPERATION_IN_PROGRESS", request)}))
        }
        "DeleteService" => Canned::ok(json!({
            "OperationId": OPERATION_ID,
            "Service": service(&name_from_arn(request), "OPERATION_IN_PROGRESS", &Value::Null)
        })),
        "DescribeService" => Canned::ok(json!({"Service": service(&name_from_arn(request), "RUNNING", &Value::Null)})),
        "ListOperations" => Canned::ok(operations(&["SUCCEEDED"])),
        "ListServices" => Canned::ok(json!({"ServiceSummaryList": [{
            "ServiceName": "hello-app", "ServiceId": SERVICE_ID, "ServiceArn": service_arn("hello-app"),
            "ServiceUrl": "psbqam834h.us-east-1.awsapprunner.com", "CreatedAt": 1_605_899_125,
            "UpdatedAt": 1_605_899_125, "Status": "RUNNING"}]})),
        _ => Canned::error(400, "UnknownOperationException", "unknown operation"),
    }
}

/// A ListOperations page with our operation in `status`.
pub fn operations(statuses: &[&str]) -> Value {
    let list: Vec<Value> = statuses
        .iter()
        .map(|status| {
            json!({"Id": OPERATION_ID, "Type": "CREATE_SERVICE", "Status": status,
                   "TargetArn": service_arn("hello-app"), "StartedAt": 1_605_899_125, "UpdatedAt": 1_605_899_130})
        })
        .collect();
    json!({"OperationSummaryList": list})
}

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Panics with the whole run shown unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(self.stderr.contains(text), "stderr lacks {text:?}:\n{}", self.stderr);
        self
    }
}

/// A fresh temporary folder for one test.
pub fn temp_dir() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A command line for the binary, with a clean environment.
pub struct Cli {
    command: Command,
    pub dir: PathBuf,
}

impl Cli {
    /// No endpoint, region or credentials: only the isolated home folder.
    pub fn bare() -> Cli {
        let dir = temp_dir();
        let mut command = Command::new(env!("CARGO_BIN_EXE_apprunner"));
        command
            .env_clear()
            .env("HOME", &dir)
            .env("AWS_CONFIG_FILE", dir.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_MAX_ATTEMPTS", "1")
            .current_dir(&dir)
            .stdin(Stdio::null());
        Cli { command, dir }
    }

    /// Pointed at `stub`, with a region and test credentials.
    pub fn new(stub: &Stub) -> Cli {
        let mut cli = Cli::bare().credentials();
        cli.command.args(["--endpoint-url", &stub.url, "--region", "us-east-1"]);
        cli
    }

    pub fn credentials(mut self) -> Cli {
        self.command
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Cli {
        self.command.env(name, value);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Cli
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.command.args(args);
        self
    }

    /// Writes `contents` to `name` in the test's folder (the working directory).
    pub fn file(self, name: &str, contents: &str) -> Cli {
        std::fs::write(self.dir.join(name), contents).unwrap();
        self
    }

    pub fn run(mut self) -> Run {
        let output = self.command.output().expect("run apprunner");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn spawn(mut self) -> std::process::Child {
        self.command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn apprunner")
    }
}

/// The reference page, when `../shared` is beside the workspace.
pub fn reference_page() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/aws-apprunner-create-service.txt");
    std::fs::read_to_string(path).ok()
}

/// The `input.json` of each example of the reference page, parsed, in page order.
pub fn page_examples(page: &str) -> Vec<Value> {
    let mut examples = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find("Contents of input.json") {
        rest = &rest[at..];
        let start = rest.find('{').expect("an object after the marker");
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut end = start;
        for (index, c) in rest[start..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + index + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        examples.push(serde_json::from_str(&rest[start..end]).expect("the example is JSON"));
        rest = &rest[end..];
    }
    examples
}
