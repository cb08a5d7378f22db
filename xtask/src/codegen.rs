//! `cargo xtask codegen`: model file → types and client crates.
//!
//! The pipeline is [`model::parse`] (JSON AST into typed structs) →
//! [`ir::resolve`] (names, normalized inputs and outputs, boxing) →
//! [`emit::emit_all`] (Rust via quote, formatted by prettyplease). Only this
//! module touches the disk: it writes a file only when its content changes, and
//! in `--check` mode writes nothing and lists every stale, missing and orphaned file.

pub(crate) mod docs;
pub(crate) mod emit;
pub(crate) mod ir;
pub(crate) mod model;
pub(crate) mod names;
pub(crate) mod partitions;
pub(crate) mod pattern;

use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

/// What `cargo xtask codegen` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The model file (default `model/apprunner.json`).
    pub(crate) model: PathBuf,
    /// The directory that receives the crate folders (default `crates/`).
    pub(crate) out: PathBuf,
    /// Compare instead of writing.
    pub(crate) check: bool,
    /// The service shape id, when the model has several services.
    pub(crate) service: Option<String>,
}

/// What a run found or did, for the summary line.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) written: Vec<String>,
    pub(crate) unchanged: usize,
    pub(crate) stale: Vec<String>,
    pub(crate) missing: Vec<String>,
    pub(crate) orphaned: Vec<String>,
}

impl Outcome {
    /// Adds what another sync found or did.
    fn absorb(&mut self, other: Outcome) {
        self.written.extend(other.written);
        self.unchanged += other.unchanged;
        self.stale.extend(other.stale);
        self.missing.extend(other.missing);
        self.orphaned.extend(other.orphaned);
    }
}

/// The repository root, found from this crate's manifest so the command works from any directory.
pub(crate) fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Generates the crates in memory: file path (relative to `out`) → content.
pub(crate) fn generate(options: &Options) -> Result<emit::Files> {
    let root = project_root();
    let text = std::fs::read_to_string(&options.model).with_context(|| {
        format!(
            "cannot read the model {}; pass an existing file with --model",
            options.model.display()
        )
    })?;
    let label = display_path(&options.model, &root);
    let parsed = model::parse(&text, &label)?;
    let ir = ir::resolve(&parsed, options.service.as_deref())?;
    // One warning per distinct pattern, naming the first member that uses it.
    let mut unsupported: std::collections::BTreeMap<(&str, &str), (&str, usize)> = std::collections::BTreeMap::new();
    for (member, pattern, reason) in &ir.unsupported_patterns {
        unsupported.entry((pattern, reason)).or_insert((member, 0)).1 += 1;
    }
    for ((pattern, reason), (member, count)) in unsupported {
        let others = if count > 1 {
            format!(" and {} other members", count - 1)
        } else {
            String::new()
        };
        eprintln!("warning: the pattern {pattern:?} of {member}{others} is not checked by the validator ({reason})");
    }
    let out = absolute(&options.out)?;
    let runtime_dir = relative_path(&out.join("crate"), &root.join("crates"));
    let settings = emit::Settings {
        model_label: label,
        runtime_dir,
    };
    emit::emit_all(&ir, &settings)
}

/// Runs the command: generate, then write or check.
pub(crate) fn run(options: &Options) -> Result<Outcome> {
    let started = Instant::now();
    let files = generate(options)?;
    // The runtime's partition table does not depend on the model: it always goes
    // to this repository's runtime crate.
    let root = project_root();
    let table = partitions::generate(&root)?;
    let generated_in = started.elapsed();
    let mut outcome = sync(&options.out, &files, options.check)?;
    outcome.absorb(sync(&root, &table, options.check)?);
    let verb = if options.check { "checked" } else { "generated" };
    eprintln!(
        "{verb} {} files from {} in {:.1} ms (generation {:.1} ms): {} written, {} unchanged",
        files.len() + table.len(),
        options.model.display(),
        started.elapsed().as_secs_f64() * 1000.0,
        generated_in.as_secs_f64() * 1000.0,
        outcome.written.len(),
        outcome.unchanged,
    );
    if options.check && !(outcome.stale.is_empty() && outcome.missing.is_empty() && outcome.orphaned.is_empty()) {
        let mut lines = Vec::new();
        lines.extend(outcome.stale.iter().map(|p| format!("  stale:    {p}")));
        lines.extend(outcome.missing.iter().map(|p| format!("  missing:  {p}")));
        lines.extend(outcome.orphaned.iter().map(|p| format!("  orphaned: {p}")));
        bail!(
            "generated code is out of date with the model:\n{}\nrun `cargo xtask codegen` and commit the result",
            lines.join("\n")
        );
    }
    Ok(outcome)
}

/// Brings `out` in line with `files` (or, with `check`, only compares).
///
/// Orphans are files inside a generated crate (one that `files` writes a
/// `Cargo.toml` for) that the generator no longer produces.
fn sync(out: &Path, files: &emit::Files, check: bool) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    for (relative, content) in files {
        let path = out.join(relative);
        match std::fs::read_to_string(&path) {
            Ok(existing) if normalize_newlines(&existing) == *content => outcome.unchanged += 1,
            Ok(_) if check => outcome.stale.push(relative.clone()),
            Err(_) if check => outcome.missing.push(relative.clone()),
            _ => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&path, content).with_context(|| format!("cannot write {}", path.display()))?;
                outcome.written.push(relative.clone());
            }
        }
    }
    let crates: BTreeSet<&str> = files
        .keys()
        .filter_map(|p| p.strip_suffix("/Cargo.toml"))
        .filter(|c| !c.contains('/'))
        .collect();
    for krate in crates {
        let src = out.join(krate).join("src");
        for existing in list_files(&src)? {
            let relative = format!("{krate}/src/{}", existing);
            if !files.contains_key(&relative) {
                if check {
                    outcome.orphaned.push(relative);
                } else {
                    let path = src.join(&existing);
                    std::fs::remove_file(&path)
                        .with_context(|| format!("cannot remove orphaned {}", path.display()))?;
                    eprintln!("removed orphaned {relative}");
                    remove_empty_parents(&path, &src);
                }
            }
        }
    }
    Ok(outcome)
}

/// Removes the now-empty folders between a removed file and `stop`.
fn remove_empty_parents(file: &Path, stop: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == stop || std::fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

/// Every file below `dir`, as `/`-separated paths relative to it (empty if `dir` is absent).
fn list_files(dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = stack.pop() {
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error).with_context(|| format!("cannot list {}", path.display())),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), relative));
            } else {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    Ok(std::env::current_dir()
        .context("cannot read the current directory")?
        .join(path))
}

/// How the header names the model: relative to the repository when inside it.
fn display_path(path: &Path, root: &Path) -> String {
    let path = absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let path = lexical_normalize(&path);
    match path.strip_prefix(lexical_normalize(root)) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The relative path from directory `from` to `to` (both absolute), `/`-separated.
fn relative_path(from: &Path, to: &Path) -> String {
    let from = lexical_normalize(from);
    let to = lexical_normalize(to);
    let from_parts: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_parts.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from_parts.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path(Path::new("/r/crates/x"), Path::new("/r/crates")), "..");
        assert_eq!(
            relative_path(Path::new("/r/target/gen/x"), Path::new("/r/crates")),
            "../../../crates"
        );
    }

    /// The committed crates equal what the committed model generates (the same check as `--check`).
    #[test]
    fn generated_crates_are_fresh() {
        let root = project_root();
        let options = Options {
            model: root.join("model/apprunner.json"),
            out: root.join("crates"),
            check: true,
            service: None,
        };
        if let Err(error) = run(&options) {
            panic!("{error:#}");
        }
    }
}
