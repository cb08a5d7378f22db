//! Where things are, what gets built, and the clean environment children run in.

use crate::child::{Output, TempDir, run_checked};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The corrected Example 1 as JSON: the exact body the minimal programs send, and
/// the `--cli-input-json` both CLIs get.
pub const EXAMPLE_ONE_JSON: &str = include_str!("../../example-one.json");

/// The locations the harness works with.
#[derive(Debug)]
pub struct Paths {
    /// The project root (the main Cargo workspace).
    pub project: PathBuf,
    /// `bench/compare`, this harness's own workspace.
    pub compare: PathBuf,
    /// The `cargo` to run (the one running us, if known).
    pub cargo: OsString,
}

impl Paths {
    /// The project root from `--project`, or three levels above this package's
    /// manifest (`<root>/bench/compare/compare`).
    pub fn locate(project: Option<&Path>) -> Result<Self, String> {
        let guess = match project {
            Some(dir) => dir.to_path_buf(),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.."),
        };
        let project = guess
            .canonicalize()
            .map_err(|error| format!("cannot open the project directory {}: {error}", guess.display()))?;
        if !project.join("crates/apprunner-bench/Cargo.toml").is_file() {
            return Err(format!(
                "{} does not look like the project root (no crates/apprunner-bench); pass --project DIR",
                project.display()
            ));
        }
        Ok(Self {
            compare: project.join("bench/compare"),
            cargo: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
            project,
        })
    }

    /// The project's release binary `name`.
    pub fn ours(&self, name: &str) -> PathBuf {
        self.project.join("target/release").join(name)
    }

    /// This workspace's release binary `name`.
    pub fn theirs(&self, name: &str) -> PathBuf {
        self.compare.join("target/release").join(name)
    }

    /// `bench/compare/target`, where the report and the AWS CLI's virtualenv go.
    pub fn compare_target(&self) -> PathBuf {
        self.compare.join("target")
    }

    /// A `cargo` command run in `dir`, with the default target directory.
    pub fn cargo_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(&self.cargo);
        command.args(args).current_dir(dir).env_remove("CARGO_TARGET_DIR");
        command
    }
}

/// The incremental release builds done before measuring: (directory, cargo arguments).
pub fn warm_builds(paths: &Paths) -> Vec<(&Path, Vec<&'static str>)> {
    let release = |args: &[&'static str]| [&["build", "--release"], args].concat();
    let mut builds = vec![
        (
            paths.project.as_path(),
            release(&["-p", "apprunner-bench", "--bin", "minimal-create-service"]),
        ),
        (paths.project.as_path(), release(&["-p", "apprunner-cli"])),
        (paths.project.as_path(), release(&["-p", "xtask"])),
    ];
    // One package at a time: building the whole workspace at once would unify the
    // features of shared dependencies (rustls, tokio, hyper) across the programs,
    // and the SDK program would no longer be built as its users build it.
    for package in ["sdk-minimal", "reqwest-minimal", "stub-server", "compare"] {
        builds.push((paths.compare.as_path(), release(&["-p", package])));
    }
    builds
}

/// Runs the warm builds, with cargo's output on stderr.
pub fn build_all(paths: &Paths) -> Result<(), String> {
    for (dir, args) in warm_builds(paths) {
        eprintln!("==> cargo {} (in {})", args.join(" "), dir.display());
        run_checked(&mut paths.cargo_in(dir, &args), Output::Show, "a release build")
            .map_err(|error| format!("{error}\nFix the build, then run the harness again."))?;
    }
    Ok(())
}

/// A private HOME with empty AWS config and credentials files, and an environment
/// without the caller's AWS settings or proxies, for every measured child.
#[derive(Debug)]
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Result<Self, String> {
        let dir = TempDir::new("sandbox")?;
        let create = |path: PathBuf, is_dir: bool| {
            let made = if is_dir {
                std::fs::create_dir(&path)
            } else {
                std::fs::write(&path, "")
            };
            made.map_err(|error| format!("cannot create {}: {error}", path.display()))
        };
        create(dir.path().join("home"), true)?;
        create(dir.path().join("config"), false)?;
        create(dir.path().join("credentials"), false)?;
        Ok(Self { dir })
    }

    /// Puts `command` in the sandbox.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        for (key, _) in std::env::vars_os() {
            let name = key.to_string_lossy().to_ascii_lowercase();
            if name.starts_with("aws_") || ["http_proxy", "https_proxy", "all_proxy"].contains(&name.as_str()) {
                command.env_remove(&key);
            }
        }
        command
            .env("HOME", self.dir.path().join("home"))
            .env("AWS_CONFIG_FILE", self.dir.path().join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.dir.path().join("credentials"))
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
    }
}
