//! Project automation. `cargo xtask codegen --help` lists the options.

mod codegen;

use anyhow::{Result, bail};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask codegen [--model PATH] [--out DIR] [--service SHAPE_ID] [--check]

Generates the types and client crates from a Smithy JSON AST model, and the
runtime's partition table from model/partitions.json (always into this
repository's crates/apprunner-runtime, whatever --out says).

  --model PATH        the model file (default: model/apprunner.json)
  --out DIR           where the crate folders go (default: crates/)
  --service SHAPE_ID  the service to generate, when the model defines several
  --check             write nothing; fail if any generated file is stale, missing or orphaned";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("codegen") => {}
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(other) => bail!("unknown task `{other}`\n\n{USAGE}"),
    }
    let root = codegen::project_root();
    let mut options = codegen::Options {
        model: root.join("model/apprunner.json"),
        out: root.join("crates"),
        check: false,
        service: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String> {
            match inline.clone().or_else(|| args.next()) {
                Some(value) => Ok(value),
                None => bail!("{name} needs a value\n\n{USAGE}"),
            }
        };
        match flag.as_str() {
            "--model" => options.model = PathBuf::from(value("--model")?),
            "--out" => options.out = PathBuf::from(value("--out")?),
            "--service" => options.service = Some(value("--service")?),
            "--check" => options.check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    codegen::run(&options)?;
    Ok(())
}
