//! `compare`: the comparison harness. Run from the project root:
//!
//! ```text
//! cargo run --release --manifest-path bench/compare/Cargo.toml --bin compare -- [options]
//! ```
//!
//! It builds the programs (warm, release), starts `stub-server`, checks that the
//! baseline sends the same request bytes as the project's program, runs the project's
//! `minimal-create-service`, the official SDK's `sdk-minimal-create-service` and the
//! `reqwest-minimal-create-service` baseline against it, runs both CLIs, counts
//! dependencies, strips the binaries, times code generation (and, with
//! `--cold-builds`, cold builds), then prints a Markdown report and writes it to
//! `bench/compare/target/report.md`. Progress goes to stderr; any failure is
//! reported with what to do, and the exit code is 1.

mod child;
mod machine;
mod measure;
mod options;
mod report;
mod same_request;
mod setup;
mod stats;

use child::{StubServer, shell_word};
use measure::programs;
use report::Results;
use setup::{Paths, Sandbox};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match options::parse(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{}", options::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("compare: {message}");
            return ExitCode::FAILURE;
        }
    };
    match run(options, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\ncompare: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: options::Options, args: &[String]) -> Result<(), String> {
    let paths = Paths::locate(options.project.as_deref())?;
    setup::build_all(&paths)?;
    let machine = machine::Machine::describe();
    let sandbox = Sandbox::new()?;
    let programs = programs(&paths);

    let stub = StubServer::start(&paths.theirs("stub-server"))?;
    let endpoint = stub.endpoint();
    eprintln!("==> stub server at {endpoint}");
    eprintln!("==> checking that plain reqwest sends the same request bytes as ours");
    same_request::check(&programs[0], &programs[2], &endpoint, &sandbox)?;
    let rounds = measure::latency_rounds(&programs, options.rounds, options.n, &endpoint, &sandbox)?;
    let starts_ms = measure::start_times(&programs, options.starts, &endpoint, &sandbox)?;
    let cli = if options.cli_runs > 0 {
        let aws = measure::ensure_aws_cli(&paths.compare_target().join("awscli-venv"))?;
        Some(measure::cli_runs(&paths, &aws, options.cli_runs, &endpoint, &sandbox)?)
    } else {
        None
    };
    drop(stub);

    eprintln!("==> dependency counts, stripped sizes");
    let dependencies = measure::for_each_program(&programs, |program| measure::dependency_count(&paths, program))?;
    let stripped_bytes = measure::for_each_program(&programs, |program| measure::stripped_size(&program.binary))?;
    let codegen_ms = measure::codegen(&paths, 5)?;
    let cold_build_seconds = if options.cold_builds {
        Some(measure::cold_builds(&paths, &programs, options.cold_rounds)?)
    } else {
        None
    };

    let results = Results {
        command_line: command_line(args),
        machine,
        labels: programs.map(|program| program.label),
        rounds,
        starts_ms,
        dependencies,
        stripped_bytes,
        cold_build_seconds,
        cli,
        codegen_ms,
        options,
    };
    let text = report::render(&results);
    print!("{text}");
    let path = paths.compare_target().join("report.md");
    std::fs::create_dir_all(paths.compare_target())
        .and_then(|()| std::fs::write(&path, &text))
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    eprintln!("==> report written to {}", path.display());
    Ok(())
}

/// The command that was run, as one would type it in the project root.
fn command_line(args: &[String]) -> String {
    let mut line = "cargo run --release --manifest-path bench/compare/Cargo.toml --bin compare --".to_owned();
    for arg in args {
        line.push(' ');
        line.push_str(&shell_word(arg));
    }
    line
}
