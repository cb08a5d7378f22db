//! Runs the endpoint test cases (`smithy.rules#endpointTests`) that Smithy models carry
//! against the rules engine: the project's own `model/apprunner.json`, and every
//! published model in `../shared/models/` when that folder is there.
//!
//! Each case runs twice: with every parameter set by name, and with the parameters
//! that declare a builtIn the builtin helpers cover set through those helpers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use apprunner_runtime::endpoint::{Endpoint, EndpointError, EndpointParams, EndpointResolver};
use serde_json::Value;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The published App Runner model, in the shared folder.
const PUBLISHED_APPRUNNER: &str = "apprunner-2020-05-15.json";

/// What running one model's cases came to.
#[derive(Debug, Default)]
struct Outcome {
    total: usize,
    passed: usize,
    skipped: usize,
    failures: Vec<String>,
}

impl Outcome {
    fn summary(&self, label: &str) -> String {
        let mut line = format!("{label}: {} endpoint tests passed", self.passed);
        if !self.failures.is_empty() {
            line.push_str(&format!(", {} failed", self.failures.len()));
        }
        if self.skipped > 0 {
            line.push_str(&format!(
                ", {} skipped (parameters of a type the engine cannot take)",
                self.skipped
            ));
        }
        line
    }
}

/// The service shape of a Smithy JSON AST model that carries an endpoint rule set.
fn service_traits(model: &Value) -> Result<&serde_json::Map<String, Value>, String> {
    let shapes = model["shapes"].as_object().ok_or("the model has no `shapes`")?;
    shapes
        .values()
        .filter(|shape| shape["type"] == "service")
        .filter_map(|shape| shape["traits"].as_object())
        .find(|traits| traits.contains_key("smithy.rules#endpointRuleSet"))
        .ok_or_else(|| "the model has no service shape with a smithy.rules#endpointRuleSet trait".to_owned())
}

fn read_model(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

/// Parses the rule set of a model's service.
fn resolver_of(model: &Value) -> Result<EndpointResolver, String> {
    let traits = service_traits(model)?;
    EndpointResolver::from_json(&traits["smithy.rules#endpointRuleSet"].to_string())
        .map_err(|e| format!("its endpoint rule set does not parse: {e}"))
}

/// The test cases of a model's service (none when it has no `endpointTests` trait).
fn test_cases(model: &Value) -> Result<Vec<Value>, String> {
    let traits = service_traits(model)?;
    match traits.get("smithy.rules#endpointTests") {
        None => Ok(Vec::new()),
        Some(tests) => tests["testCases"]
            .as_array()
            .cloned()
            .ok_or_else(|| "its smithy.rules#endpointTests trait has no `testCases` array".to_owned()),
    }
}

/// One case's parameters, as (name, value) pairs; `None` when a value has a type
/// that no parameter can take.
fn case_params(case: &Value) -> Option<Vec<(String, Value)>> {
    let Some(params) = case.get("params") else {
        return Some(Vec::new());
    };
    let params = params.as_object()?;
    params
        .iter()
        .map(|(name, value)| {
            let usable = match value {
                Value::String(_) | Value::Bool(_) => true,
                Value::Array(items) => items.iter().all(Value::is_string),
                _ => false,
            };
            usable.then(|| (name.clone(), value.clone()))
        })
        .collect()
}

/// Builds [`EndpointParams`]; with `via_builtins`, parameters declaring one of the
/// builtIns the helpers cover go through those helpers instead of their names.
fn build_params(resolver: &EndpointResolver, values: &[(String, Value)], via_builtins: bool) -> EndpointParams {
    let built_ins: BTreeMap<&str, &str> = resolver
        .parameters()
        .filter_map(|(name, built_in)| Some((name, built_in?)))
        .collect();
    let mut params = EndpointParams::new();
    for (name, value) in values {
        let built_in = if via_builtins {
            built_ins.get(name.as_str()).copied()
        } else {
            None
        };
        match (built_in, value) {
            (Some("AWS::Region"), Value::String(s)) => params.region(Some(s.clone())),
            (Some("SDK::Endpoint"), Value::String(s)) => params.endpoint(Some(s.clone())),
            (Some("AWS::UseFIPS"), Value::Bool(b)) => params.use_fips(*b),
            (Some("AWS::UseDualStack"), Value::Bool(b)) => params.use_dual_stack(*b),
            (_, Value::String(s)) => params.set_string(name, s.clone()),
            (_, Value::Bool(b)) => params.set_bool(name, *b),
            (_, Value::Array(items)) => params.set_string_list(
                name,
                items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => unreachable!("case_params only lets strings, booleans and string arrays through"),
        };
    }
    params
}

/// Compares a resolution with a case's `expect`; `Err` describes the difference.
fn check(expect: &Value, got: &Result<Endpoint, EndpointError>) -> Result<(), String> {
    if let Some(message) = expect.get("error") {
        let message = message.as_str().ok_or("`expect.error` is not a string")?;
        return match got {
            Err(error) if error.to_string() == message => Ok(()),
            Err(error) => Err(format!("expected error {message:?}, got error {:?}", error.to_string())),
            Ok(endpoint) => Err(format!("expected error {message:?}, got endpoint {:?}", endpoint.url)),
        };
    }
    let Some(want) = expect.get("endpoint") else {
        return Err("the case expects neither an endpoint nor an error".to_owned());
    };
    let endpoint = match got {
        Ok(endpoint) => endpoint,
        Err(error) => {
            return Err(format!(
                "expected endpoint {}, got error {:?}",
                want["url"],
                error.to_string()
            ));
        }
    };
    if want["url"].as_str() != Some(endpoint.url.as_str()) {
        return Err(format!("expected url {}, got {:?}", want["url"], endpoint.url));
    }
    if let Some(headers) = want.get("headers") {
        let got_headers = serde_json::to_value(&endpoint.headers).map_err(|e| e.to_string())?;
        if *headers != got_headers {
            return Err(format!("expected headers {headers}, got {got_headers}"));
        }
    }
    if let Some(properties) = want.get("properties") {
        let written = apprunner_smithy::json::to_vec(&endpoint.properties).expect("documents write");
        let got_properties: Value = serde_json::from_slice(&written).expect("JSON reads");
        if *properties != got_properties {
            return Err(format!("expected properties {properties}, got {got_properties}"));
        }
    }
    Ok(())
}

/// Runs `cases` against `resolver`, labelling failures with `label`.
fn run_cases(label: &str, resolver: &EndpointResolver, cases: &[Value]) -> Outcome {
    let mut outcome = Outcome {
        total: cases.len(),
        ..Outcome::default()
    };
    for (i, case) in cases.iter().enumerate() {
        let documentation = case["documentation"].as_str().unwrap_or("(no documentation)");
        let Some(values) = case_params(case) else {
            outcome.skipped += 1;
            continue;
        };
        let mut problems = Vec::new();
        for via_builtins in [false, true] {
            let params = build_params(resolver, &values, via_builtins);
            if let Err(problem) = check(&case["expect"], &resolver.resolve(&params)) {
                let how = if via_builtins {
                    "builtins through helpers"
                } else {
                    "all by name"
                };
                problems.push(format!("[params {how}] {problem}"));
                if !via_builtins {
                    break;
                }
            }
        }
        if problems.is_empty() {
            outcome.passed += 1;
        } else {
            outcome.failures.push(format!(
                "{label} case {i} ({documentation}), params {}: {}",
                case.get("params").unwrap_or(&Value::Null),
                problems.join("; ")
            ));
        }
    }
    outcome
}

/// Runs a model's own cases against its own rule set.
fn run_model(label: &str, model: &Value) -> Result<Outcome, String> {
    let resolver = resolver_of(model).map_err(|e| format!("{label}: {e}"))?;
    let cases = test_cases(model).map_err(|e| format!("{label}: {e}"))?;
    Ok(run_cases(label, &resolver, &cases))
}

fn report(outcomes: &[(String, Outcome)], errors: &[String]) {
    let failures: Vec<&String> = outcomes.iter().flat_map(|(_, o)| &o.failures).collect();
    if failures.is_empty() && errors.is_empty() {
        return;
    }
    let mut text = String::new();
    for error in errors {
        text.push_str(&format!("\n  {error}"));
    }
    for failure in &failures {
        text.push_str(&format!("\n  {failure}"));
    }
    panic!("{} endpoint test failure(s):{text}", failures.len() + errors.len());
}

#[test]
fn project_model_endpoint_tests() {
    let root = workspace_root();
    let path = root.join("model/apprunner.json");
    assert!(
        path.is_file(),
        "model/apprunner.json is missing ({}): it is a committed project file, and its endpoint rules are tested here",
        path.display()
    );
    let model = read_model(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    match run_model("model/apprunner.json", &model) {
        Ok(outcome) => {
            println!("{}", outcome.summary("model/apprunner.json"));
            outcomes.push(("model/apprunner.json".to_owned(), outcome));
        }
        Err(error) => errors.push(error),
    }
    // The project's rule set must also satisfy the published App Runner test cases.
    let published = root.join("../shared/models").join(PUBLISHED_APPRUNNER);
    if published.is_file() {
        let label = format!("model/apprunner.json with the cases of {PUBLISHED_APPRUNNER}");
        let outcome = read_model(&published)
            .and_then(|published| test_cases(&published))
            .and_then(|cases| Ok(run_cases(&label, &resolver_of(&model)?, &cases)));
        match outcome {
            Ok(outcome) => {
                println!("{}", outcome.summary(&label));
                outcomes.push((label, outcome));
            }
            Err(error) => errors.push(format!("{label}: {error}")),
        }
    } else {
        println!(
            "skipped: ../shared/models not found (published App Runner cases not run against model/apprunner.json)"
        );
    }
    report(&outcomes, &errors);
    let skipped: usize = outcomes.iter().map(|(_, o)| o.skipped).sum();
    assert_eq!(skipped, 0, "endpoint test cases were skipped");
}

#[test]
fn published_models_endpoint_tests() {
    let dir = workspace_root().join("../shared/models");
    if !dir.is_dir() {
        println!("skipped: ../shared/models not found");
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no *.json models", dir.display());

    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    for path in &files {
        let label = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        match read_model(path).and_then(|model| run_model(&label, &model)) {
            Ok(outcome) => {
                println!("{}", outcome.summary(&label));
                outcomes.push((label, outcome));
            }
            Err(error) => errors.push(error),
        }
    }
    let total: usize = outcomes.iter().map(|(_, o)| o.total).sum();
    let passed: usize = outcomes.iter().map(|(_, o)| o.passed).sum();
    let skipped: usize = outcomes.iter().map(|(_, o)| o.skipped).sum();
    println!(
        "{} models: {passed} of {total} endpoint tests passed, {skipped} skipped",
        outcomes.len()
    );
    report(&outcomes, &errors);
    if let Some((_, apprunner)) = outcomes.iter().find(|(label, _)| label == PUBLISHED_APPRUNNER) {
        assert_eq!(
            apprunner.passed, 31,
            "the published App Runner model has 31 endpoint tests"
        );
    }
    assert_eq!(skipped, 0, "endpoint test cases were skipped");
}
