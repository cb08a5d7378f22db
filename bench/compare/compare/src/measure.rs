//! The measurements. Each function runs its children through
//! [`run_measured`](crate::child::run_measured) and returns plain figures.

use crate::child::{Measured, Output, TempDir, run_checked};
use crate::setup::{EXAMPLE_ONE_JSON, Paths, Sandbox};
use crate::stats::{ProgramLine, median};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// One of the minimal CreateService programs, and where it is built.
#[derive(Debug, Clone)]
pub struct Program {
    pub label: &'static str,
    /// Its release binary.
    pub binary: PathBuf,
    /// The Cargo workspace it is built in.
    pub workspace: PathBuf,
    /// Its package, as `cargo tree -p` and `cargo build -p` take it.
    pub package: &'static str,
    /// Its binary target, as `cargo build --bin` takes it.
    pub bin: &'static str,
}

/// The three programs, in this order everywhere: ours, the official SDK's, plain
/// reqwest (the floor: the HTTP/TLS stack every program pays for).
pub fn programs(paths: &Paths) -> [Program; 3] {
    let ours = |package, bin| Program {
        label: "ours",
        binary: paths.ours(bin),
        workspace: paths.project.clone(),
        package,
        bin,
    };
    let theirs = |label, package, bin| Program {
        label,
        binary: paths.theirs(bin),
        workspace: paths.compare.clone(),
        package,
        bin,
    };
    [
        ours("apprunner-bench", "minimal-create-service"),
        theirs("official SDK", "sdk-minimal", "sdk-minimal-create-service"),
        theirs("plain reqwest", "reqwest-minimal", "reqwest-minimal-create-service"),
    ]
}

/// `measure` applied to each program in order; the first failure stops it.
pub fn for_each_program<T>(
    programs: &[Program; 3],
    mut measure: impl FnMut(&Program) -> Result<T, String>,
) -> Result<[T; 3], String> {
    let [ours, official, floor] = programs;
    Ok([measure(ours)?, measure(official)?, measure(floor)?])
}

/// The index order of round `round`: it starts with program `round mod count`.
pub fn rotation(round: usize, count: usize) -> Vec<usize> {
    (0..count).map(|offset| (round + offset) % count).collect()
}

/// One run of a minimal program: its result line and what the process cost.
#[derive(Debug, Clone)]
pub struct Run {
    pub line: ProgramLine,
    pub wall: Duration,
    pub rss_mib: f64,
    /// The process's CPU time, user and system, start-up included.
    pub cpu: Duration,
}

impl Run {
    /// The process's CPU time divided by its number of calls, in µs (start-up
    /// included, spread over the calls).
    pub fn cpu_us_per_call(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.line.n as f64
    }
}

/// Runs `program N` against `endpoint` and checks its result line.
pub fn run_program(program: &Program, n: usize, endpoint: &str, sandbox: &Sandbox) -> Result<Run, String> {
    let mut command = Command::new(&program.binary);
    command.arg(n.to_string()).env("APPRUNNER_ENDPOINT_URL", endpoint);
    let measured = run_checked(
        sandbox.apply(&mut command),
        Output::Capture,
        &format!("the {} program", program.label),
    )?;
    let line = ProgramLine::parse(&measured.stdout).map_err(|error| {
        format!(
            "the {} program ({}) printed an unexpected line: {error}",
            program.label, measured.command
        )
    })?;
    if line.n != n {
        return Err(format!("the {} program reported n={} for N={n}", program.label, line.n));
    }
    Ok(Run {
        line,
        wall: measured.wall,
        rss_mib: measured.peak_rss_mib()?,
        cpu: measured.cpu,
    })
}

/// A latency run as recorded for the report.
#[derive(Debug, Clone)]
pub struct RoundRun {
    pub round: usize,
    /// 1-based place in the round's order.
    pub place: usize,
    pub program: usize,
    pub run: Run,
}

/// `rounds` rounds, each running every program with `n` requests in rotating order.
pub fn latency_rounds(
    programs: &[Program],
    rounds: usize,
    n: usize,
    endpoint: &str,
    sandbox: &Sandbox,
) -> Result<Vec<RoundRun>, String> {
    let mut runs = Vec::new();
    for round in 0..rounds {
        for (place, index) in rotation(round, programs.len()).into_iter().enumerate() {
            let program = &programs[index];
            eprintln!("==> latency round {}/{rounds}: {} (N={n})", round + 1, program.label);
            let run = run_program(program, n, endpoint, sandbox)?;
            runs.push(RoundRun {
                round: round + 1,
                place: place + 1,
                program: index,
                run,
            });
        }
    }
    Ok(runs)
}

/// Wall milliseconds from spawn to exit of `starts` interleaved N=1 runs per program.
pub fn start_times(
    programs: &[Program],
    starts: usize,
    endpoint: &str,
    sandbox: &Sandbox,
) -> Result<Vec<Vec<f64>>, String> {
    eprintln!("==> start to first response: {starts} runs of each program with N=1");
    let mut times = vec![Vec::with_capacity(starts); programs.len()];
    for start in 0..starts {
        for index in rotation(start, programs.len()) {
            let run = run_program(&programs[index], 1, endpoint, sandbox)?;
            times[index].push(milliseconds(run.wall));
        }
    }
    Ok(times)
}

/// The number of distinct packages `program`'s package depends on (normal and
/// build dependencies, transitively), from `cargo tree` run in its workspace.
pub fn dependency_count(paths: &Paths, program: &Program) -> Result<usize, String> {
    let args = ["tree", "-p", program.package, "-e", "normal,build", "--prefix", "none"];
    let measured = run_checked(
        &mut paths.cargo_in(&program.workspace, &args),
        Output::Capture,
        &format!("cargo tree (the {} program's dependencies)", program.label),
    )?;
    let packages: BTreeSet<&str> = measured
        .stdout
        .lines()
        .map(|line| line.split(" (").next().unwrap_or(line).trim())
        .filter(|line| !line.is_empty())
        .collect();
    // The program's own package is not a dependency.
    Ok(packages.len().saturating_sub(1))
}

/// The size in bytes of `binary` after `strip` (run on a copy).
pub fn stripped_size(binary: &Path) -> Result<u64, String> {
    let scratch = TempDir::new("strip")?;
    let copy = scratch
        .path()
        .join(binary.file_name().unwrap_or_else(|| "binary".as_ref()));
    std::fs::copy(binary, &copy).map_err(|error| {
        format!(
            "cannot copy {} to strip it: {error}; did the build succeed?",
            binary.display()
        )
    })?;
    run_checked(
        Command::new("strip").arg(&copy),
        Output::Capture,
        "strip (from binutils)",
    )?;
    let metadata = std::fs::metadata(&copy).map_err(|error| format!("cannot read {}: {error}", copy.display()))?;
    Ok(metadata.len())
}

/// Wall seconds of `rounds` cold release builds of each program (see
/// [`cold_build`]), after `cargo fetch` in every workspace they are built in.
/// Each round builds every program once, starting with program `round mod 3`,
/// so that no program always builds first or last. Indexed like [`programs`]:
/// one vector of seconds per program, in round order.
pub fn cold_builds(paths: &Paths, programs: &[Program; 3], rounds: usize) -> Result<Vec<Vec<f64>>, String> {
    let mut fetched: Vec<&Path> = Vec::new();
    for workspace in programs.iter().map(|program| program.workspace.as_path()) {
        if fetched.contains(&workspace) {
            continue;
        }
        eprintln!("==> cargo fetch (in {})", workspace.display());
        run_checked(&mut paths.cargo_in(workspace, &["fetch"]), Output::Show, "cargo fetch")?;
        fetched.push(workspace);
    }
    let mut seconds = vec![Vec::with_capacity(rounds); programs.len()];
    for round in 0..rounds {
        eprintln!("==> cold-build round {} of {rounds}", round + 1);
        for index in rotation(round, programs.len()) {
            seconds[index].push(cold_build(paths, &programs[index])?);
        }
    }
    Ok(seconds)
}

/// Wall seconds of a release build of `program` alone into an empty target
/// directory, offline (its dependencies must have been fetched).
pub fn cold_build(paths: &Paths, program: &Program) -> Result<f64, String> {
    let target = TempDir::new("cold-target")?;
    let args = [
        "build",
        "--release",
        "--offline",
        "-p",
        program.package,
        "--bin",
        program.bin,
    ];
    eprintln!(
        "==> cold: cargo {} (in {}, empty target dir)",
        args.join(" "),
        program.workspace.display()
    );
    let mut command = paths.cargo_in(&program.workspace, &args);
    command.env("CARGO_TARGET_DIR", target.path());
    let measured = run_checked(
        &mut command,
        Output::Show,
        &format!("the cold release build of the {} program", program.label),
    )?;
    Ok(measured.wall.as_secs_f64())
}

/// Whole-process runs of the two CLIs: wall milliseconds and peak RSS (MiB) of each run.
#[derive(Debug, Default)]
pub struct CliFigures {
    pub ours_ms: Vec<f64>,
    pub ours_rss_mib: Vec<f64>,
    pub aws_ms: Vec<f64>,
    pub aws_rss_mib: Vec<f64>,
    pub aws_version: String,
}

/// `runs` interleaved `create-service` calls with our CLI and the AWS CLI.
pub fn cli_runs(
    paths: &Paths,
    aws: &Path,
    runs: usize,
    endpoint: &str,
    sandbox: &Sandbox,
) -> Result<CliFigures, String> {
    let mut figures = CliFigures {
        aws_version: aws_version(aws, sandbox),
        ..CliFigures::default()
    };
    let ours = paths.ours("apprunner");
    eprintln!(
        "==> CLI whole process: {runs} runs each of {} and {}",
        ours.display(),
        aws.display()
    );
    for run in 0..runs {
        for which in rotation(run, 2) {
            let measured = if which == 0 {
                create_service_with(&ours, &[], endpoint, sandbox)?
            } else {
                create_service_with(aws, &["apprunner"], endpoint, sandbox)?
            };
            let (times, rss) = if which == 0 {
                (&mut figures.ours_ms, &mut figures.ours_rss_mib)
            } else {
                (&mut figures.aws_ms, &mut figures.aws_rss_mib)
            };
            times.push(milliseconds(measured.wall));
            rss.push(measured.peak_rss_mib()?);
        }
    }
    Ok(figures)
}

/// Runs `<cli> [prefix] create-service` with Example 1 against `endpoint`; it must
/// exit 0 and print the operation id.
fn create_service_with(cli: &Path, prefix: &[&str], endpoint: &str, sandbox: &Sandbox) -> Result<Measured, String> {
    let mut command = Command::new(cli);
    command
        .args(prefix)
        .args(["create-service", "--cli-input-json", EXAMPLE_ONE_JSON.trim_end()])
        .args(["--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"]);
    sandbox
        .apply(&mut command)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let measured = run_checked(&mut command, Output::Capture, "a CLI create-service call")?;
    if !measured.stdout.contains("17fe9f55-7e91-4097-b243-fcabbb69a4cf") {
        return Err(format!(
            "`{}` exited 0 but did not print the stub's OperationId; it printed:\n{}",
            measured.command, measured.stdout
        ));
    }
    Ok(measured)
}

/// `aws --version`, for the report.
fn aws_version(aws: &Path, sandbox: &Sandbox) -> String {
    let mut command = Command::new(aws);
    command.arg("--version");
    crate::child::run_measured(sandbox.apply(&mut command), Output::Capture)
        .ok()
        .map(|measured| format!("{}{}", measured.stdout, measured.stderr))
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "aws (version unknown)".to_owned())
}

/// The AWS CLI in `<venv>/bin/aws`, installed from PyPI into a new virtualenv if missing.
pub fn ensure_aws_cli(venv: &Path) -> Result<PathBuf, String> {
    let aws = venv.join("bin/aws");
    if aws.is_file() {
        return Ok(aws);
    }
    eprintln!(
        "==> the AWS CLI is not installed yet: creating the virtualenv {}",
        venv.display()
    );
    let hint = "it needs python3 with the venv module and access to PyPI";
    run_checked(
        Command::new("python3").args(["-m", "venv"]).arg(venv),
        Output::Show,
        "python3 -m venv",
    )
    .map_err(|error| format!("{error}\n({hint})"))?;
    eprintln!("==> pip install awscli (into {})", venv.display());
    run_checked(
        Command::new(venv.join("bin/pip")).args(["install", "awscli"]),
        Output::Show,
        "pip install awscli",
    )
    .map_err(|error| format!("{error}\n({hint}; remove {} to start over)", venv.display()))?;
    if aws.is_file() {
        Ok(aws)
    } else {
        Err(format!("pip installed awscli but {} is missing", aws.display()))
    }
}

/// Median wall milliseconds of `runs` code generations from the published model,
/// or why it could not be measured.
pub fn codegen(paths: &Paths, runs: usize) -> Result<Result<f64, String>, String> {
    let model = "../shared/models/apprunner-2020-05-15.json";
    if !paths.project.join(model).is_file() {
        return Ok(Err(format!("not measured: {model} is missing")));
    }
    eprintln!("==> codegen of {model}: {runs} runs");
    let xtask = paths.ours("xtask");
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let out = TempDir::new("codegen")?;
        let mut command = Command::new(&xtask);
        command
            .args(["codegen", "--model", model, "--out"])
            .arg(out.path())
            .current_dir(&paths.project);
        times.push(milliseconds(
            run_checked(&mut command, Output::Capture, "xtask codegen")?.wall,
        ));
    }
    Ok(Ok(median(&times)))
}

pub fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

#[cfg(test)]
mod tests {
    use super::rotation;

    #[test]
    fn rotation_starts_with_the_round() {
        assert_eq!(rotation(0, 3), [0, 1, 2]);
        assert_eq!(rotation(1, 3), [1, 2, 0]);
        assert_eq!(rotation(5, 3), [2, 0, 1]);
    }
}
