//! End-to-end checks of `cargo xtask codegen` as a user runs it: golden fixtures,
//! AWS's published models, broken models, and that the output compiles.
//!
//! Set `UPDATE_EXPECT=1` to rewrite the golden files after a deliberate change.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run xtask")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch directory inside the target directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Runs cargo with `args` in a workspace of generated crates and asserts that it
/// succeeds. All such builds share one target directory so the dependencies
/// compile once.
fn cargo_succeeds(workspace: &Path, args: &[&str], failure: &str) {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("codegen-check");
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "{failure} in {}:\n{}",
        workspace.display(),
        text(&output.stderr)
    );
}

/// Runs clippy with warnings denied on a workspace of generated crates.
fn clippy_denying_warnings(workspace: &Path) {
    cargo_succeeds(
        workspace,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
        "generated crates do not compile cleanly",
    );
}

fn fixtures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("xtask/test_data"))
        .expect("xtask/test_data exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.join("model.json").is_file())
        .collect();
    found.sort();
    found
}

#[test]
fn golden_fixtures_match_the_generator() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    for fixture in fixtures() {
        let model = fixture.join("model.json");
        let expected = fixture.join("expected");
        let mut args = vec![
            "codegen",
            "--model",
            model.to_str().unwrap(),
            "--out",
            expected.to_str().unwrap(),
        ];
        if !update {
            args.push("--check");
        }
        let output = xtask(&args);
        assert!(
            output.status.success(),
            "{} differs from what the generator produces (rerun with UPDATE_EXPECT=1 if the change is intended):\n{}",
            fixture.display(),
            text(&output.stderr)
        );
    }
}

#[test]
fn golden_fixtures_compile_without_warnings() {
    for fixture in fixtures() {
        clippy_denying_warnings(&fixture.join("expected"));
    }
}

fn published_models() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/models");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: ../shared/models not found; published models not generated");
        return None;
    };
    let mut models: Vec<PathBuf> = entries
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    models.sort();
    Some(models)
}

/// Every published model generates, deterministically, and the eighteen crates
/// compile together with warnings (clippy's included) denied. Compiling them is
/// what finds the shapes App Runner's model lacks: maps keyed by enums, enums
/// with `@length`, operations without modeled errors, models without `@pattern`s.
/// Each client's generated endpoint rule set must also equal its model's trait as
/// parsed at run time (whose cases `apprunner-runtime`'s `endpoint_rules` test runs).
#[test]
fn every_published_model_generates_and_compiles() {
    let Some(models) = published_models() else { return };
    assert_eq!(
        models.len(),
        9,
        "expected the nine published models in ../shared/models"
    );
    let workspace = scratch("published");
    let mut members = Vec::new();
    let mut rule_set_checks = Vec::new();
    for model in models {
        let name = model.file_stem().unwrap().to_string_lossy().into_owned();
        let out = workspace.join(&name);
        let output = xtask(&[
            "codegen",
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = text(&output.stderr);
        assert!(output.status.success(), "{name} did not generate:\n{stderr}");
        assert!(
            stderr.contains(" ms "),
            "the command reports how long it took: {stderr}"
        );
        // Generating again over the same output writes nothing: the output is deterministic.
        let again = xtask(&[
            "codegen",
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--check",
        ]);
        assert!(
            again.status.success(),
            "{name}: a second run found differences:\n{}",
            text(&again.stderr)
        );
        for entry in std::fs::read_dir(&out).expect("generated crates") {
            let package = entry
                .expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if package.ends_with("-client") {
                let rules = out.join(&package).join("src/generated/endpoint_rules.rs");
                rule_set_checks.push((name.clone(), model.clone(), rules));
            }
            members.push(format!("\"{name}/{package}\""));
        }
        if name.starts_with("apprunner-") {
            let operations = std::fs::read_dir(out.join("apprunner-client/src/generated/operation"))
                .expect("operation modules")
                .filter(|entry| entry.as_ref().is_ok_and(|e| e.file_name() != "mod.rs"))
                .count();
            assert_eq!(operations, 37, "one module per operation of the published model");
        }
    }
    members.sort();
    assert_eq!(members.len(), 18, "a types and a client crate per model: {members:?}");
    write_rule_set_check(&workspace.join("rule-sets"), &rule_set_checks);
    members.push("\"rule-sets\"".to_owned());
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n\
             [workspace.lints.rust]\nwarnings = \"deny\"\nunreachable_pub = \"deny\"\nmissing_debug_implementations = \"deny\"\n",
            members.join(", ")
        ),
    )
    .expect("write wrapper workspace");
    clippy_denying_warnings(&workspace);
    cargo_succeeds(
        &workspace,
        &["test", "--quiet", "-p", "published-rule-sets"],
        "a generated rule set differs from its model's",
    );
}

/// A crate whose test compares each generated rule set (the client's
/// `endpoint_rules.rs`, included as a module) with its model's
/// `smithy.rules#endpointRuleSet` trait, the model read by the client's JSON reader
/// and the trait parsed by `RuleSet::from_value`.
fn write_rule_set_check(dir: &Path, checks: &[(String, PathBuf, PathBuf)]) {
    let smithy = root().join("crates/apprunner-smithy");
    std::fs::create_dir_all(dir.join("src")).expect("create the check crate");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"published-rule-sets\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\napprunner-smithy = {{ path = {:?} }}\nserde_json = \"1\"\n",
            smithy.to_string_lossy()
        ),
    )
    .expect("write the check crate's manifest");
    let mut source = String::from(
        "//! Each generated endpoint rule set equals its model's trait, parsed at run time.\n#![cfg(test)]\n\n",
    );
    for (index, (_, _, rules)) in checks.iter().enumerate() {
        source.push_str(&format!(
            "#[path = {:?}]\nmod rules_{index};\n",
            rules.to_string_lossy()
        ));
    }
    source.push_str(
        "\nfn check(name: &str, model: &str, generated: &apprunner_smithy::rules::RuleSet) {\n    \
         let text = std::fs::read_to_string(model).expect(\"read the model\");\n    \
         let model: apprunner_smithy::Document = apprunner_smithy::json::from_slice(text.as_bytes()).expect(\"the model is JSON\");\n    \
         let service = model.get(\"shapes\").and_then(|shapes| shapes.as_object()).expect(\"shapes\").values()\n        \
         .find(|shape| shape.get(\"type\").and_then(|kind| kind.as_str()) == Some(\"service\")).expect(\"a service shape\");\n    \
         let rules = service.get(\"traits\").and_then(|traits| traits.get(\"smithy.rules#endpointRuleSet\")).expect(\"a rule set\");\n    \
         let parsed = apprunner_smithy::rules::RuleSet::from_value(rules).expect(\"the model's rule set parses\");\n    \
         assert!(*generated == parsed, \"{name}: the generated rule set differs from the model's trait\");\n}\n\n\
         #[test]\nfn generated_rule_sets_equal_the_models() {\n",
    );
    for (index, (name, model, _)) in checks.iter().enumerate() {
        source.push_str(&format!(
            "    check({name:?}, {:?}, &rules_{index}::RULE_SET);\n",
            model.to_string_lossy()
        ));
    }
    source.push_str("}\n");
    std::fs::write(dir.join("src/lib.rs"), source).expect("write the check crate's source");
}

fn generate_broken(name: &str, model: &str) -> String {
    let dir = scratch(&format!("broken-{name}"));
    let path = dir.join("model.json");
    std::fs::write(&path, model).expect("write model");
    let output = xtask(&[
        "codegen",
        "--model",
        path.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(!output.status.success(), "{name}: a broken model must fail");
    assert!(
        !dir.join("out").exists(),
        "{name}: nothing may be written for a broken model"
    );
    text(&output.stderr)
}

const SERVICE: &str = r#""t#S": {"type": "service", "version": "1", "operations": [{"target": "t#Op"}],
    "traits": {"aws.protocols#awsJson1_0": {}, "aws.auth#sigv4": {"name": "s"}}},
  "t#Op": {"type": "operation", "input": {"target": "t#In"}}"#;

#[test]
fn broken_models_get_clear_errors() {
    let error = generate_broken(
        "json",
        "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {\n    \"a#B\": {\"type\": }\n  }\n}\n",
    );
    assert!(
        error.contains("model.json:4:"),
        "invalid JSON names line and column: {error}"
    );

    let error = generate_broken(
        "dangling",
        &format!(
            r#"{{"smithy": "2.0", "shapes": {{ {SERVICE}, "t#In": {{"type": "structure", "members": {{"X": {{"target": "t#Nope"}}}}}} }}}}"#
        ),
    );
    assert!(
        error.contains("t#Nope") && error.contains("$X"),
        "a dangling target names the member: {error}"
    );

    let error = generate_broken(
        "type",
        &format!(r#"{{"smithy": "2.0", "shapes": {{ {SERVICE}, "t#In": {{"type": "gizmo"}} }}}}"#),
    );
    assert!(
        error.contains("t#In") && error.contains("gizmo"),
        "an unknown shape type names the shape: {error}"
    );

    let error = generate_broken(
        "trait",
        &format!(
            r#"{{"smithy": "2.0", "shapes": {{ {SERVICE}, "t#In": {{"type": "structure", "members": {{"X": {{"target": "t#N"}}}}}},
            "t#N": {{"type": "integer", "traits": {{"smithy.api#range": {{"min": "low"}}}}}} }}}}"#
        ),
    );
    assert!(
        error.contains("smithy.api#range") && error.contains("t#In$X"),
        "a bad trait value names trait and member: {error}"
    );

    let error = generate_broken(
        "rules",
        r#"{"smithy": "2.0", "shapes": {"t#S": {"type": "service", "version": "1", "operations": [{"target": "t#Op"}],
            "traits": {"aws.protocols#awsJson1_0": {}, "aws.auth#sigv4": {"name": "s"},
              "smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {}, "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "error": "e", "type": "error"}]}}},
          "t#Op": {"type": "operation"}}}"#,
    );
    assert!(
        error.contains("t#S")
            && error.contains("smithy.rules#endpointRuleSet")
            && error.contains("rules[0].conditions[0]")
            && error.contains("`Region`"),
        "a bad endpoint rule set names the service, the rule and the problem: {error}"
    );

    let error = generate_broken(
        "protocol",
        r#"{"smithy": "2.0", "shapes": {"t#S": {"type": "service", "traits": {"aws.protocols#restJson1": {}}}}}"#,
    );
    assert!(
        error.contains("t#S") && error.contains("restJson1"),
        "an unsupported protocol is named: {error}"
    );
}

#[test]
fn check_mode_names_stale_missing_and_orphaned_files() {
    let out = scratch("check-mode");
    let model = root().join("xtask/test_data/kitchen_sink/model.json");
    let model = model.to_str().unwrap();
    let generated = xtask(&["codegen", "--model", model, "--out", out.to_str().unwrap()]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));

    let types = out.join("kitchen-sink-types/src");
    std::fs::write(types.join("generated/kind.rs"), "// edited by hand\n").unwrap();
    std::fs::remove_file(types.join("generated/priority.rs")).unwrap();
    std::fs::write(types.join("generated/leftover.rs"), "// no longer generated\n").unwrap();

    let checked = xtask(&["codegen", "--model", model, "--out", out.to_str().unwrap(), "--check"]);
    let stderr = text(&checked.stderr);
    assert!(!checked.status.success());
    assert!(
        stderr.contains("stale:    kitchen-sink-types/src/generated/kind.rs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing:  kitchen-sink-types/src/generated/priority.rs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("orphaned: kitchen-sink-types/src/generated/leftover.rs"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(types.join("generated/kind.rs")).unwrap(),
        "// edited by hand\n",
        "--check writes nothing"
    );

    let fixed = xtask(&["codegen", "--model", model, "--out", out.to_str().unwrap()]);
    assert!(fixed.status.success());
    assert!(
        !types.join("generated/leftover.rs").exists(),
        "orphans are removed when regenerating"
    );
    let clean = xtask(&["codegen", "--model", model, "--out", out.to_str().unwrap(), "--check"]);
    assert!(clean.status.success(), "{}", text(&clean.stderr));
}
