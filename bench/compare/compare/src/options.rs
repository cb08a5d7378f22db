//! The command-line options, parsed by hand.

use std::path::PathBuf;

pub const USAGE: &str = "\
usage: cargo run --release --manifest-path bench/compare/Cargo.toml --bin compare -- [OPTIONS]

Builds the project's minimal CreateService program, the official-SDK program and a
plain-reqwest baseline, runs them against a local stub server and prints a Markdown
report (also written to bench/compare/target/report.md).

options:
  --rounds R      latency rounds; each runs every program once (default 5)
  --n N           requests per latency run, at least 1 (default 2000)
  --starts K      start-to-first-response runs of each program (default 30)
  --cli-runs M    whole-process runs of each CLI; 0 skips the CLI row (default 10)
  --cold-builds   also time cold release builds (about 8 minutes a round)
  --cold-rounds C cold-build rounds, each building every program once in
                  rotated order; the table shows the median (default 3)
  --project DIR   the project root (default: found from this program's location)
  -h, --help      this text";

/// What the harness was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub rounds: usize,
    pub n: usize,
    pub starts: usize,
    pub cli_runs: usize,
    pub cold_builds: bool,
    pub cold_rounds: usize,
    pub project: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            rounds: 5,
            n: 2000,
            starts: 30,
            cli_runs: 10,
            cold_builds: false,
            cold_rounds: 3,
            project: None,
        }
    }
}

/// The arguments as given, or `Ok(None)` for `--help`.
pub fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match name {
            "-h" | "--help" => return Ok(None),
            "--rounds" => options.rounds = count(name, &value()?, 1)?,
            "--n" => options.n = count(name, &value()?, 1)?,
            "--starts" => options.starts = count(name, &value()?, 1)?,
            "--cli-runs" => options.cli_runs = count(name, &value()?, 0)?,
            "--cold-rounds" => options.cold_rounds = count(name, &value()?, 1)?,
            "--project" => options.project = Some(PathBuf::from(value()?)),
            "--cold-builds" if inline.is_none() => options.cold_builds = true,
            _ => return Err(format!("unknown option {arg:?}\n\n{USAGE}")),
        }
    }
    Ok(Some(options))
}

/// A whole number of at least `minimum`.
fn count(name: &str, text: &str, minimum: usize) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(value) if value >= minimum => Ok(value),
        _ => Err(format!(
            "{name} must be a whole number of at least {minimum}, got {text:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn defaults_and_overrides() {
        assert_eq!(parse(&[]), Ok(Some(Options::default())));
        let parsed = parse(&args(
            "--rounds 2 --n=500 --starts 5 --cli-runs 0 --cold-builds --cold-rounds 2 --project /p",
        ))
        .expect("valid")
        .expect("not help");
        assert_eq!(
            parsed,
            Options {
                rounds: 2,
                n: 500,
                starts: 5,
                cli_runs: 0,
                cold_builds: true,
                cold_rounds: 2,
                project: Some(PathBuf::from("/p")),
            }
        );
        assert_eq!(parse(&args("--n 3 --help")), Ok(None));
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "--n 0",
            "--n",
            "--rounds x",
            "--starts -1",
            "--frobnicate",
            "--cold-builds=yes",
            "--cold-rounds 0",
            "extra",
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad}");
        }
    }
}
