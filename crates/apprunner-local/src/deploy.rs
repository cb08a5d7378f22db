//! Real deployments: clone, build, start, health-check, supervise.
//!
//! For a code repository the endpoint
//!
//! 1. clones the branch (`git clone --branch <Value> --single-branch`) into
//!    `services/<id>/source` (a local path, a `file://` URL, or a remote URL when the machine is
//!    online; git never prompts for credentials), and enters `SourceDirectory` if one is set;
//! 2. reads the configuration: `CodeConfigurationValues` for `ConfigurationSource` `API`, the
//!    repository's `apprunner.yaml` for `REPOSITORY` (`runtime`, `build.commands.pre-build` /
//!    `build` / `post-build`, `build.env`, `run.pre-run`, `run.command`, `run.network.port` and
//!    `run.network.env`, `run.env`);
//! 3. checks that the runtime's tool is on this machine (`python3` for the Python runtimes,
//!    `node`, `java`, `go`, `dotnet`, `php`, `ruby`); a Python service gets its own virtual
//!    environment (`services/<id>/venv`, sharing the machine's packages, with `python` and `pip`
//!    installing into it), as App Runner's Python images have `python` and `pip`;
//! 4. runs the build commands with `sh -c` in the source directory (output in `logs/build.log`);
//! 5. starts the start command with `PORT` set to a free local port (and the variable named by
//!    `run.network.env`, and the runtime environment variables), output in `logs/app.log`;
//! 6. checks health as `HealthCheckConfiguration` says: each `Interval` seconds is one check, a
//!    TCP connection (or an HTTP `GET` of `Path` answered with 2xx) within `Timeout` seconds;
//!    within a check the probe is repeated every 100 ms until it passes, so a quick application
//!    is healthy at once, while `UnhealthyThreshold` failed checks in a row take as long as
//!    they would on App Runner. `HealthyThreshold` passed checks in a row make it healthy.
//!
//! Any failure ends the operation `FAILED` with the reason (in `logs/events.log` and the
//! endpoint's log). Once healthy, a supervisor keeps the application running: it restarts it
//! (with back-off) when it exits or fails `UnhealthyThreshold` checks in a row, and stops it
//! (TERM, then KILL after 10 s) when the service is deleted or the endpoint stops. Every
//! process (clone, build, application) runs in its own process group, so the whole tree is
//! stopped. The running groups are listed in `services/<id>/processes` (with each leader's
//! start time, so a reused process id is never mistaken for one), and a restart after a crash
//! kills what the crashed run left.
//!
//! An image repository needs a container engine: with `docker` or `podman` answering
//! `info`, the image is pulled and run with the local port published; without one the
//! operation fails saying so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apprunner_types::{ConfigurationSource, HealthCheckConfiguration, HealthCheckProtocol, Service};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

use crate::engine::{Backend, Engine, ServiceRuntime};

/// How long an application gets to stop after TERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);
/// How often a probe is repeated within one health check.
const PROBE_RETRY: Duration = Duration::from_millis(100);
/// The longest wait between restarts of a failing application.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What to run for a service.
#[derive(Debug, Clone)]
struct Plan {
    /// The tool the runtime needs (`python3`), if any.
    tool: Option<&'static str>,
    /// Whether the service gets a Python virtual environment.
    python: bool,
    build_commands: Vec<String>,
    build_env: Vec<(String, String)>,
    pre_run: Vec<String>,
    start_command: String,
    /// A variable to set to the port besides `PORT`.
    port_env: Option<String>,
    run_env: Vec<(String, String)>,
    /// For an image: the engine and the container's port.
    container: Option<Container>,
}

#[derive(Debug, Clone)]
struct Container {
    engine: String,
    image: String,
    port: String,
    command: Option<String>,
}

/// The tool a runtime needs, and whether it is Python; `None` for a runtime we do not know.
fn runtime_tool(name: &str) -> Option<(&'static str, bool)> {
    let name = name.to_ascii_lowercase().replace(['_', '-', '.'], "");
    let tool = match name.as_str() {
        n if n.starts_with("python") => ("python3", true),
        n if n.starts_with("nodejs") => ("node", false),
        n if n.starts_with("corretto") => ("java", false),
        n if n.starts_with("go") => ("go", false),
        n if n.starts_with("dotnet") => ("dotnet", false),
        n if n.starts_with("php") => ("php", false),
        n if n.starts_with("ruby") => ("ruby", false),
        _ => return None,
    };
    Some(tool)
}

/// `apprunner.yaml`, the keys this endpoint uses.
#[derive(Debug, Deserialize)]
struct ConfigFile {
    runtime: String,
    #[serde(default)]
    build: Option<BuildSection>,
    run: RunSection,
}

#[derive(Debug, Deserialize)]
struct BuildSection {
    #[serde(default)]
    commands: Option<BuildCommands>,
    #[serde(default)]
    env: Vec<EnvEntry>,
}

#[derive(Debug, Deserialize)]
struct BuildCommands {
    #[serde(default, rename = "pre-build")]
    pre_build: OneOrMany,
    #[serde(default)]
    build: OneOrMany,
    #[serde(default, rename = "post-build")]
    post_build: OneOrMany,
}

#[derive(Debug, Deserialize)]
struct RunSection {
    command: String,
    #[serde(default, rename = "pre-run")]
    pre_run: OneOrMany,
    #[serde(default)]
    network: Option<NetworkSection>,
    #[serde(default)]
    env: Vec<EnvEntry>,
}

#[derive(Debug, Deserialize)]
struct NetworkSection {
    #[serde(default)]
    env: Option<String>,
}

#[derive(Debug, Deserialize)]
struct EnvEntry {
    name: String,
    value: serde_norway::Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(command) => vec![command],
            OneOrMany::Many(commands) => commands,
        }
    }
}

fn yaml_scalar(value: &serde_norway::Value) -> String {
    match value {
        serde_norway::Value::String(text) => text.clone(),
        serde_norway::Value::Number(number) => number.to_string(),
        serde_norway::Value::Bool(flag) => flag.to_string(),
        serde_norway::Value::Null => String::new(),
        other => serde_norway::to_string(other).unwrap_or_default().trim().to_owned(),
    }
}

fn env_pairs(entries: Vec<EnvEntry>) -> Vec<(String, String)> {
    entries
        .into_iter()
        .map(|entry| (entry.name, yaml_scalar(&entry.value)))
        .collect()
}

fn map_pairs(map: Option<&BTreeMap<String, String>>) -> Vec<(String, String)> {
    map.map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// The plan for a code repository service whose source is at `root`.
fn code_plan(service: &Service, root: &Path) -> Result<Plan, String> {
    let code = service
        .source_configuration
        .code_repository
        .as_ref()
        .ok_or("the service has no code repository")?;
    let configuration = code
        .code_configuration
        .as_ref()
        .ok_or("the service has no CodeConfiguration")?;
    if configuration.configuration_source == ConfigurationSource::Repository {
        let path = root.join("apprunner.yaml");
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("ConfigurationSource is REPOSITORY but apprunner.yaml cannot be read: {error}"))?;
        let file: ConfigFile =
            serde_norway::from_str(&text).map_err(|error| format!("apprunner.yaml is not valid: {error}"))?;
        let (tool, python) = runtime_tool(&file.runtime)
            .ok_or_else(|| format!("apprunner.yaml names an unknown runtime {:?}", file.runtime))?;
        let (build_commands, build_env) = match file.build {
            Some(build) => {
                let mut commands = Vec::new();
                if let Some(phases) = build.commands {
                    commands.extend(phases.pre_build.into_vec());
                    commands.extend(phases.build.into_vec());
                    commands.extend(phases.post_build.into_vec());
                }
                (commands, env_pairs(build.env))
            }
            None => (Vec::new(), Vec::new()),
        };
        return Ok(Plan {
            tool: Some(tool),
            python,
            build_commands,
            build_env,
            pre_run: file.run.pre_run.into_vec(),
            start_command: file.run.command,
            port_env: file.run.network.and_then(|network| network.env),
            run_env: env_pairs(file.run.env),
            container: None,
        });
    }
    let values = configuration
        .code_configuration_values
        .as_ref()
        .ok_or("ConfigurationSource is API but CodeConfigurationValues is missing")?;
    let (tool, python) = runtime_tool(values.runtime.as_str()).ok_or_else(|| {
        format!(
            "the runtime {} is not one this endpoint can run",
            values.runtime.as_str()
        )
    })?;
    let start_command = values
        .start_command
        .clone()
        .ok_or("CodeConfigurationValues has no StartCommand, so there is nothing to start")?;
    Ok(Plan {
        tool: Some(tool),
        python,
        build_commands: values.build_command.iter().cloned().collect(),
        build_env: Vec::new(),
        pre_run: Vec::new(),
        start_command,
        port_env: None,
        run_env: map_pairs(values.runtime_environment_variables.as_ref()),
        container: None,
    })
}

/// Whether `program` is an executable file on `PATH`.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// A `docker` or `podman` whose daemon answers, if any.
async fn container_engine() -> Option<String> {
    for engine in ["docker", "podman"] {
        if !on_path(engine) {
            continue;
        }
        let mut command = Command::new(engine);
        command
            .arg("info")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        if let Ok(Ok(status)) = tokio::time::timeout(Duration::from_secs(10), command.status()).await
            && status.success()
        {
            return Some(engine.to_owned());
        }
    }
    None
}

/// Quotes a word for `sh`.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Opens a log file for appending, creating its directory.
fn open_log(path: &Path) -> Result<std::fs::File, String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|error| format!("cannot open {}: {error}", path.display()))
}

fn log_line(path: &Path, line: &str) {
    use std::io::Write;
    if let Ok(mut file) = open_log(path) {
        let stamp = crate::ids::now().fmt(apprunner_smithy::TimestampFormat::DateTime);
        let _ = writeln!(file, "[{stamp}] {line}");
    }
}

/// The last lines of a log, for failure reasons.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(3)..].join(" | ");
    let tail: String = tail
        .chars()
        .rev()
        .take(300)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if tail.is_empty() {
        String::new()
    } else {
        format!(" (last output: {tail})")
    }
}

/// A command for `sh -c`, in its own process group, with the service's environment.
fn shell(command: &str, cwd: &Path, env: &[(String, String)], log: &Path) -> Result<Command, String> {
    let out = open_log(log)?;
    let err = out
        .try_clone()
        .map_err(|error| format!("cannot share {}: {error}", log.display()))?;
    let mut process = Command::new("sh");
    process
        .arg("-c")
        .arg(command)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .kill_on_drop(true);
    #[cfg(unix)]
    process.process_group(0);
    for (name, value) in env {
        process.env(name, value);
    }
    Ok(process)
}

/// Runs one command to its end within `timeout`; output goes to `log`.
async fn run_step(
    runtime: &ServiceRuntime,
    label: &str,
    command: &str,
    cwd: &Path,
    env: &[(String, String)],
    log: &Path,
    timeout: Duration,
) -> Result<(), String> {
    log_line(log, &format!("{label}: {command}"));
    let mut child = shell(command, cwd, env, log)?
        .spawn()
        .map_err(|error| format!("cannot run the {label} command: {error}"))?;
    let pid = child.id().unwrap_or(0);
    runtime.track(pid);
    let result = tokio::time::timeout(timeout, child.wait()).await;
    let outcome = match result {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(format!("the {label} command failed ({status}){}", log_tail(log))),
        Ok(Err(error)) => Err(format!("the {label} command could not be waited for: {error}")),
        Err(_) => {
            signal_group(pid, "KILL");
            let _ = child.wait().await;
            Err(format!(
                "the {label} command did not finish within {} s",
                timeout.as_secs()
            ))
        }
    };
    runtime.untrack(pid);
    outcome
}

/// Clones `branch` of `url` into `into`.
async fn clone(
    runtime: &ServiceRuntime,
    base: Option<&Path>,
    url: &str,
    branch: &str,
    into: &Path,
    log: &Path,
    timeout: Duration,
) -> Result<(), String> {
    if !on_path("git") {
        return Err("git is not installed on this machine, so the repository cannot be cloned".to_owned());
    }
    let _ = std::fs::remove_dir_all(into);
    let local = !url.contains("://") && !url.contains('@');
    // A relative path is relative to the endpoint's working directory.
    let source = if local && Path::new(url).is_relative() {
        base.map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .map(|dir| dir.join(url).to_string_lossy().into_owned())
            .unwrap_or_else(|| url.to_owned())
    } else {
        url.to_owned()
    };
    let depth = if local { "" } else { "--depth 1 " };
    let command = format!(
        "git clone --quiet {depth}--branch {} --single-branch -- {} {}",
        shell_quote(branch),
        shell_quote(&source),
        shell_quote(&into.to_string_lossy())
    );
    let env = vec![
        ("GIT_TERMINAL_PROMPT".to_owned(), "0".to_owned()),
        ("GIT_ASKPASS".to_owned(), "true".to_owned()),
    ];
    let parent = into.parent().unwrap_or(Path::new("."));
    run_step(runtime, "clone", &command, parent, &env, log, timeout)
        .await
        .map_err(|error| format!("the repository {url} (branch {branch}) could not be cloned: {error}"))?;
    let head = tokio::process::Command::new("git")
        .arg("-C")
        .arg(into)
        .args(["rev-parse", "HEAD"])
        .output()
        .await
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default();
    runtime.event(&format!("Cloned {url} branch {branch} at commit {head}."));
    Ok(())
}

/// The source directory inside the checkout.
fn source_root(checkout: &Path, directory: Option<&str>) -> Result<PathBuf, String> {
    let relative = directory.unwrap_or("").trim_start_matches('/');
    let root = checkout.join(relative);
    let (Ok(root_real), Ok(checkout_real)) = (root.canonicalize(), checkout.canonicalize()) else {
        return Err(format!(
            "the SourceDirectory {relative:?} does not exist in the repository"
        ));
    };
    if !root_real.starts_with(&checkout_real) || !root_real.is_dir() {
        return Err(format!(
            "the SourceDirectory {relative:?} is not a directory inside the repository"
        ));
    }
    Ok(root_real)
}

/// The environment of builds and the application: `PATH` with the service's virtual
/// environment first, for Python.
fn base_env(runtime: &ServiceRuntime, plan: &Plan) -> Vec<(String, String)> {
    let mut env = Vec::new();
    if plan.python {
        let venv = runtime.dir.join("venv");
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![venv.join("bin")];
        dirs.extend(std::env::split_paths(&path));
        if let Ok(joined) = std::env::join_paths(dirs) {
            env.push(("PATH".to_owned(), joined.to_string_lossy().into_owned()));
        }
        env.push(("VIRTUAL_ENV".to_owned(), venv.to_string_lossy().into_owned()));
        env.push(("PYTHONUNBUFFERED".to_owned(), "1".to_owned()));
    }
    env
}

/// Makes the runtime's tools available.
async fn prepare_runtime(runtime: &ServiceRuntime, plan: &Plan, log: &Path) -> Result<(), String> {
    if let Some(tool) = plan.tool
        && !on_path(tool)
    {
        return Err(format!(
            "the service's runtime needs {tool}, which is not installed on this machine"
        ));
    }
    if plan.python {
        let venv = runtime.dir.join("venv");
        if !venv.join("bin").join("python").exists() {
            // Without pip of its own (creating one takes seconds); the machine's pip, run by
            // the environment's interpreter, installs into the environment.
            let command = format!(
                "python3 -m venv --without-pip --system-site-packages {}",
                shell_quote(&venv.to_string_lossy())
            );
            run_step(
                runtime,
                "runtime setup",
                &command,
                &runtime.dir,
                &[],
                log,
                Duration::from_secs(120),
            )
            .await?;
        }
        let pip = venv.join("bin").join("pip");
        let script = format!(
            "#!/bin/sh\nexec \"{}\" -m pip \"$@\"\n",
            venv.join("bin").join("python").display()
        );
        std::fs::write(&pip, script).map_err(|error| format!("cannot write {}: {error}", pip.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&pip, std::fs::Permissions::from_mode(0o755));
        }
    }
    Ok(())
}

/// A running application.
#[derive(Debug)]
struct App {
    child: Child,
    pgid: u32,
    port: u16,
}

/// A free local port for an application.
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|error| format!("no free local port for the application: {error}"))
}

/// Starts the application (after `pre-run` commands).
async fn start_app(runtime: &ServiceRuntime, plan: &Plan, root: &Path) -> Result<App, String> {
    let port = free_port()?;
    let log = runtime.log_dir().join("app.log");
    let mut env = base_env(runtime, plan);
    env.extend(plan.run_env.iter().cloned());
    env.push(("PORT".to_owned(), port.to_string()));
    if let Some(name) = &plan.port_env {
        env.push((name.clone(), port.to_string()));
    }
    for command in &plan.pre_run {
        run_step(runtime, "pre-run", command, root, &env, &log, Duration::from_secs(600)).await?;
    }
    let command = match &plan.container {
        None => plan.start_command.clone(),
        Some(container) => {
            let mut words = vec![
                container.engine.clone(),
                "run".to_owned(),
                "--rm".to_owned(),
                "--name".to_owned(),
                format!(
                    "apprunner-local-{}",
                    runtime.dir.file_name().unwrap_or_default().to_string_lossy()
                ),
                "-p".to_owned(),
                format!("127.0.0.1:{port}:{}", container.port),
                "-e".to_owned(),
                format!("PORT={}", container.port),
            ];
            for (name, value) in &plan.run_env {
                words.push("-e".to_owned());
                words.push(format!("{name}={value}"));
            }
            words.push(container.image.clone());
            let mut command: Vec<String> = words.iter().map(|w| shell_quote(w)).collect();
            if let Some(start) = &container.command {
                command.push(start.clone());
            }
            command.join(" ")
        }
    };
    log_line(&log, "starting the application");
    let child = shell(&command, root, &env, &log)?
        .spawn()
        .map_err(|error| format!("cannot start the application: {error}"))?;
    let pgid = child.id().unwrap_or(0);
    runtime.track(pgid);
    Ok(App { child, pgid, port })
}

/// Stops an application: TERM to its group, KILL after the grace period.
async fn terminate(runtime: &ServiceRuntime, app: &mut App) {
    signal_group(app.pgid, "TERM");
    if tokio::time::timeout(STOP_GRACE, app.child.wait()).await.is_err() {
        signal_group(app.pgid, "KILL");
        let _ = app.child.wait().await;
    }
    // Children that ignored TERM go too.
    signal_group(app.pgid, "KILL");
    runtime.untrack(app.pgid);
}

/// One probe of the application.
async fn probe(port: u16, health: &HealthCheckConfiguration, timeout: Duration) -> Result<(), String> {
    let attempt = async {
        let mut stream = TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|error| format!("TCP connection to port {port} failed: {error}"))?;
        if health.protocol.as_ref() != Some(&HealthCheckProtocol::Http) {
            return Ok(());
        }
        let path = health.path.as_deref().unwrap_or("/");
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: apprunner-local-health-check\r\nConnection: close\r\n\r\n"
        );
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|error| format!("sending the HTTP health check failed: {error}"))?;
        let mut head = [0u8; 64];
        let read = stream
            .read(&mut head)
            .await
            .map_err(|error| format!("reading the HTTP health check answer failed: {error}"))?;
        let line = String::from_utf8_lossy(&head[..read]);
        let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(format!(
                "GET {path} answered {}",
                if status == 0 {
                    "nothing usable".to_owned()
                } else {
                    status.to_string()
                }
            ))
        }
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
    }
}

/// The health check settings as durations and counts.
fn health_timing(health: &HealthCheckConfiguration) -> (Duration, Duration, u32, u32) {
    let secs = |value: Option<i32>, default: i32| {
        Duration::from_secs(u64::try_from(value.unwrap_or(default).max(1)).unwrap_or(1))
    };
    let count = |value: Option<i32>, default: i32| u32::try_from(value.unwrap_or(default).max(1)).unwrap_or(1);
    (
        secs(health.interval, 5),
        secs(health.timeout, 2),
        count(health.healthy_threshold, 1),
        count(health.unhealthy_threshold, 5),
    )
}

/// One health check: probes repeatedly for up to `interval`, passing on the first success.
async fn check_once(port: u16, health: &HealthCheckConfiguration) -> Result<(), String> {
    let (interval, timeout, _, _) = health_timing(health);
    let window = Instant::now();
    loop {
        let started = Instant::now();
        let outcome = probe(port, health, timeout).await;
        if outcome.is_ok() || window.elapsed() + PROBE_RETRY >= interval {
            return outcome;
        }
        let spent = started.elapsed();
        tokio::time::sleep(PROBE_RETRY.saturating_sub(spent).max(Duration::from_millis(10))).await;
    }
}

/// Waits until the application passes its health check, fails it, or exits.
async fn wait_healthy(app: &mut App, health: &HealthCheckConfiguration) -> Result<(), String> {
    let (interval, _, healthy_needed, unhealthy_limit) = health_timing(health);
    let (mut passed, mut failed) = (0, 0);
    loop {
        let started = Instant::now();
        let outcome = tokio::select! {
            outcome = check_once(app.port, health) => outcome,
            status = app.child.wait() => {
                let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
                return Err(format!("the application exited ({status}) before passing its health check"));
            }
        };
        match outcome {
            Ok(()) => {
                passed += 1;
                failed = 0;
                if passed >= healthy_needed {
                    return Ok(());
                }
            }
            Err(reason) => {
                passed = 0;
                failed += 1;
                if failed >= unhealthy_limit {
                    return Err(format!("the health check failed {failed} times in a row: {reason}"));
                }
            }
        }
        let rest = interval.saturating_sub(started.elapsed());
        tokio::select! {
            () = tokio::time::sleep(rest) => {}
            status = app.child.wait() => {
                let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
                return Err(format!("the application exited ({status}) before passing its health check"));
            }
        }
    }
}

/// Starts the application and waits for it to be healthy; stops it on failure.
async fn launch(
    runtime: &ServiceRuntime,
    plan: &Plan,
    root: &Path,
    health: &HealthCheckConfiguration,
) -> Result<App, String> {
    let mut app = start_app(runtime, plan, root).await?;
    runtime.event(&format!(
        "Application started on local port {}; checking its health.",
        app.port
    ));
    match wait_healthy(&mut app, health).await {
        Ok(()) => Ok(app),
        Err(reason) => {
            terminate(runtime, &mut app).await;
            Err(format!("{reason}{}", log_tail(&runtime.log_dir().join("app.log"))))
        }
    }
}

/// Deploys a service for its CREATE_SERVICE operation: on success the application runs
/// under a supervisor and the proxy forwards to it.
pub(crate) async fn deploy(
    engine: &Arc<Engine>,
    runtime: &Arc<ServiceRuntime>,
    service: &Service,
) -> Result<(), String> {
    let options = engine.options();
    let build_log = runtime.log_dir().join("build.log");
    let health = crate::api::health_check(service.health_check_configuration.clone());
    let (plan, root) = if let Some(image) = &service.source_configuration.image_repository {
        let Some(container_engine) = container_engine().await else {
            return Err(format!(
                "the image {} cannot run: an image repository needs a container engine (docker or podman with a \
                 running daemon), and this machine has none",
                image.image_identifier
            ));
        };
        let configuration = image.image_configuration.as_ref();
        let plan = Plan {
            tool: None,
            python: false,
            build_commands: vec![format!(
                "{container_engine} pull {}",
                shell_quote(&image.image_identifier)
            )],
            build_env: Vec::new(),
            pre_run: Vec::new(),
            start_command: String::new(),
            port_env: None,
            run_env: map_pairs(configuration.and_then(|c| c.runtime_environment_variables.as_ref())),
            container: Some(Container {
                engine: container_engine,
                image: image.image_identifier.clone(),
                port: configuration
                    .and_then(|c| c.port.clone())
                    .unwrap_or_else(|| "8080".to_owned()),
                command: configuration.and_then(|c| c.start_command.clone()),
            }),
        };
        std::fs::create_dir_all(&runtime.dir)
            .map_err(|error| format!("cannot create {}: {error}", runtime.dir.display()))?;
        (plan, runtime.dir.clone())
    } else {
        let code = service
            .source_configuration
            .code_repository
            .as_ref()
            .ok_or("the service has neither a code nor an image repository")?;
        let checkout = runtime.dir.join("source");
        std::fs::create_dir_all(&runtime.dir)
            .map_err(|error| format!("cannot create {}: {error}", runtime.dir.display()))?;
        clone(
            runtime,
            options.working_dir.as_deref(),
            &code.repository_url,
            &code.source_code_version.value,
            &checkout,
            &build_log,
            options.clone_timeout,
        )
        .await?;
        let root = source_root(&checkout, code.source_directory.as_deref())?;
        let plan = code_plan(service, &root)?;
        (plan, root)
    };
    prepare_runtime(runtime, &plan, &build_log).await?;
    let deadline = Instant::now() + options.build_timeout;
    let mut env = base_env(runtime, &plan);
    env.extend(plan.build_env.iter().cloned());
    for command in &plan.build_commands {
        let left = deadline.saturating_duration_since(Instant::now());
        run_step(runtime, "build", command, &root, &env, &build_log, left).await?;
    }
    if !plan.build_commands.is_empty() {
        runtime.event("Build succeeded.");
    }
    let app = launch(runtime, &plan, &root, &health).await?;
    runtime.set_backend(Backend::App(app.port));
    runtime.event(&format!("Application is healthy on local port {}.", app.port));
    let supervisor = tokio::spawn(supervise(runtime.clone(), plan, root, health, app));
    runtime.set_supervisor(supervisor);
    Ok(())
}

/// Starts the application of a service that was `RUNNING` when the endpoint stopped.
pub(crate) async fn relaunch(_engine: &Arc<Engine>, runtime: &Arc<ServiceRuntime>, service: &Service) {
    let health = crate::api::health_check(service.health_check_configuration.clone());
    let prepared = (|| {
        if service.source_configuration.image_repository.is_some() {
            return Err("applications from images are not restarted after the endpoint restarts".to_owned());
        }
        let code = service
            .source_configuration
            .code_repository
            .as_ref()
            .ok_or("the service has no code repository")?;
        let root = source_root(&runtime.dir.join("source"), code.source_directory.as_deref())?;
        Ok((code_plan(service, &root)?, root))
    })();
    let (plan, root) = match prepared {
        Ok(prepared) => prepared,
        Err(reason) => {
            runtime.event(&format!("Cannot restart the application: {reason}"));
            runtime.set_backend(Backend::Down(reason));
            return;
        }
    };
    runtime.event("Restarting the application after an endpoint restart.");
    let mut stop = runtime.stop_signal();
    let launched = tokio::select! {
        launched = launch(runtime, &plan, &root, &health) => launched,
        _ = stopped(&mut stop) => return,
    };
    match launched {
        Ok(app) => {
            runtime.set_backend(Backend::App(app.port));
            runtime.event(&format!("Application is healthy on local port {}.", app.port));
            let supervisor = tokio::spawn(supervise(runtime.clone(), plan, root, health, app));
            runtime.set_supervisor(supervisor);
        }
        Err(reason) => {
            runtime.event(&format!("The application did not come back: {reason}"));
            runtime.set_backend(Backend::Down(reason.clone()));
            let supervisor = tokio::spawn(supervise_from_down(runtime.clone(), plan, root, health));
            runtime.set_supervisor(supervisor);
        }
    }
}

/// Resolves when the stop signal is `true`.
async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Resolves when the application has failed `UnhealthyThreshold` checks in a row.
async fn unhealthy(port: u16, health: &HealthCheckConfiguration) -> String {
    let (interval, _, _, unhealthy_limit) = health_timing(health);
    let mut failed = 0;
    loop {
        tokio::time::sleep(interval).await;
        match check_once(port, health).await {
            Ok(()) => failed = 0,
            Err(reason) => {
                failed += 1;
                if failed >= unhealthy_limit {
                    return format!("it failed its health check {failed} times in a row: {reason}");
                }
            }
        }
    }
}

/// Keeps a healthy application running until the service stops.
async fn supervise(
    runtime: Arc<ServiceRuntime>,
    plan: Plan,
    root: PathBuf,
    health: HealthCheckConfiguration,
    app: App,
) {
    let mut current = Some(app);
    let mut stop = runtime.stop_signal();
    let mut backoff = Duration::from_secs(1);
    loop {
        if let Some(mut app) = current.take() {
            let started = Instant::now();
            let reason = tokio::select! {
                _ = stopped(&mut stop) => {
                    terminate(&runtime, &mut app).await;
                    return;
                }
                status = app.child.wait() => {
                    format!("the application exited ({})", status.map_or_else(|e| e.to_string(), |s| s.to_string()))
                }
                reason = unhealthy(app.port, &health) => reason,
            };
            runtime.set_backend(Backend::Down(format!("{reason}; it is being restarted")));
            runtime.event(&format!("Replacing the application: {reason}."));
            terminate(&runtime, &mut app).await;
            if started.elapsed() > MAX_BACKOFF * 2 {
                backoff = Duration::from_secs(1);
            }
        }
        tokio::select! {
            _ = stopped(&mut stop) => return,
            () = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
        let launched = tokio::select! {
            _ = stopped(&mut stop) => return,
            launched = launch(&runtime, &plan, &root, &health) => launched,
        };
        match launched {
            Ok(app) => {
                runtime.set_backend(Backend::App(app.port));
                runtime.event(&format!("Application is healthy again on local port {}.", app.port));
                current = Some(app);
            }
            Err(reason) => runtime.event(&format!("Restarting the application failed: {reason}")),
        }
    }
}

/// Like [`supervise`], for an application that is not running yet.
async fn supervise_from_down(
    runtime: Arc<ServiceRuntime>,
    plan: Plan,
    root: PathBuf,
    health: HealthCheckConfiguration,
) {
    let mut stop = runtime.stop_signal();
    let mut backoff = Duration::from_secs(1);
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => return,
            () = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
        let launched = tokio::select! {
            _ = stopped(&mut stop) => return,
            launched = launch(&runtime, &plan, &root, &health) => launched,
        };
        if let Ok(app) = launched {
            runtime.set_backend(Backend::App(app.port));
            runtime.event(&format!("Application is healthy on local port {}.", app.port));
            return supervise(runtime, plan, root, health, app).await;
        }
    }
}

/// The start time of a process (field 22 of `/proc/<pid>/stat`), to tell it from a later
/// process that reuses its id.
pub(crate) fn process_start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    after_name.split_whitespace().nth(19).map(str::to_owned)
}

/// Kills the process groups a crashed run left behind, those still led by the same process.
pub(crate) fn kill_orphans(runtime: &ServiceRuntime) {
    let path = runtime.dir.join("processes");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if let (Some(pgid), Some(start)) = (words.next().and_then(|w| w.parse::<u32>().ok()), words.next())
            && pgid > 1
            && process_start_time(pgid).as_deref() == Some(start)
        {
            tracing::warn!(pgid, service = %runtime.name, "killing processes a previous run left behind");
            signal_group(pgid, "KILL");
        }
    }
    let _ = std::fs::remove_file(path);
}

/// Sends `signal` (`TERM`, `KILL`) to the process group `pgid`.
pub(crate) fn signal_group(pgid: u32, signal: &str) {
    if pgid <= 1 {
        return;
    }
    let _ = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{pgid}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtimes_map_to_tools() {
        assert_eq!(runtime_tool("PYTHON_3"), Some(("python3", true)));
        assert_eq!(runtime_tool("python311"), Some(("python3", true)));
        assert_eq!(runtime_tool("NODEJS_18"), Some(("node", false)));
        assert_eq!(runtime_tool("corretto11"), Some(("java", false)));
        assert_eq!(runtime_tool("COBOL"), None);
    }

    #[test]
    fn apprunner_yaml_common_keys() {
        let text = "version: 1.0\nruntime: python3\nbuild:\n  commands:\n    build:\n      - pip install -r requirements.txt\n  env:\n    - name: STAGE\n      value: build\nrun:\n  runtime-version: 3.11\n  command: python server.py\n  pre-run: echo ready\n  network:\n    port: 8000\n    env: APP_PORT\n  env:\n    - name: NAME\n      value: Jane\n    - name: COUNT\n      value: 3\n";
        let file: ConfigFile = serde_norway::from_str(text).unwrap();
        assert_eq!(file.runtime, "python3");
        let build = file.build.unwrap();
        assert_eq!(
            build.commands.unwrap().build.into_vec(),
            ["pip install -r requirements.txt"]
        );
        assert_eq!(env_pairs(build.env), [("STAGE".to_owned(), "build".to_owned())]);
        assert_eq!(file.run.command, "python server.py");
        assert_eq!(file.run.pre_run.into_vec(), ["echo ready"]);
        assert_eq!(file.run.network.unwrap().env.as_deref(), Some("APP_PORT"));
        assert_eq!(
            env_pairs(file.run.env),
            [
                ("NAME".to_owned(), "Jane".to_owned()),
                ("COUNT".to_owned(), "3".to_owned())
            ]
        );
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
