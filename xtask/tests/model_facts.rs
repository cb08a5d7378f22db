//! Checks `model/apprunner.json`, the project's own Smithy model of App Runner.
//!
//! Our model is hand-authored (its documentation and endpoint rules are written by
//! the project), but every *fact* in it — shape ids, types, members, targets,
//! constraint traits, enum values, errors, pagination — must agree with the model
//! AWS publishes. When that reference file is present at
//! `../shared/models/apprunner-2020-05-15.json` (relative to the workspace root) the
//! tests below compare the two; when it is absent they say so and only run the
//! checks that need nothing but our own model.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

const NAMESPACE: &str = "com.amazonaws.apprunner#";
const SERVICE: &str = "com.amazonaws.apprunner#AppRunner";
const OPERATIONS: [&str; 5] = [
    "CreateService",
    "ListOperations",
    "DescribeService",
    "DeleteService",
    "ListServices",
];
const PUBLISHED: &str = "../shared/models/apprunner-2020-05-15.json";
const OURS: &str = "model/apprunner.json";

const DOCUMENTATION: &str = "smithy.api#documentation";
const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const RULE_TESTS: &str = "smithy.rules#endpointTests";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn our_model() -> Value {
    read_json(&workspace_root().join(OURS))
}

/// The published model, or `None` (after saying so) when the reference folder is absent.
fn published_model(what: &str) -> Option<Value> {
    let path = workspace_root().join(PUBLISHED);
    if path.is_file() {
        Some(read_json(&path))
    } else {
        println!("skipped: {PUBLISHED} not found; {what} not compared");
        None
    }
}

fn shapes(model: &Value) -> &Map<String, Value> {
    model["shapes"].as_object().expect("model has a `shapes` object")
}

fn empty_map() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

/// The traits of a shape or member; a missing `traits` key is the same as `{}`.
fn traits(value: &Value) -> &Map<String, Value> {
    match value.get("traits").and_then(Value::as_object) {
        Some(traits) => traits,
        None => empty_map(),
    }
}

fn target(reference: &Value) -> Option<&str> {
    reference.get("target").and_then(Value::as_str)
}

fn documentation(value: &Value) -> Option<&str> {
    traits(value).get(DOCUMENTATION).and_then(Value::as_str)
}

/// Every shape id reachable from the five operations, following input, output,
/// errors, structure/union/enum members, list `member` and map `key`/`value`.
/// Only shapes of our namespace are returned (prelude targets such as `smithy.api#Unit` are not).
fn reachable(model: &Value) -> BTreeSet<String> {
    let shapes = shapes(model);
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = OPERATIONS.iter().map(|op| format!("{NAMESPACE}{op}")).collect();
    while let Some(id) = queue.pop_front() {
        if !id.starts_with(NAMESPACE) || !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = shapes.get(&id) else { continue };
        let mut refs: Vec<&Value> = Vec::new();
        for key in ["input", "output", "member", "key", "value"] {
            refs.extend(shape.get(key));
        }
        refs.extend(shape.get("errors").and_then(Value::as_array).into_iter().flatten());
        refs.extend(
            shape
                .get("members")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.values()),
        );
        queue.extend(refs.into_iter().filter_map(target).map(str::to_owned));
    }
    seen
}

/// Compares two trait maps, ignoring documentation and the keys in `skip`.
fn compare_traits(
    diffs: &mut Vec<String>,
    place: &str,
    ours: &Map<String, Value>,
    published: &Map<String, Value>,
    skip: &[&str],
) {
    let keys: BTreeSet<&String> = ours.keys().chain(published.keys()).collect();
    for key in keys {
        if key == DOCUMENTATION || skip.contains(&key.as_str()) {
            continue;
        }
        match (ours.get(key), published.get(key)) {
            (Some(a), Some(b)) if a != b => diffs.push(format!("{place}: trait {key} is {a} but published has {b}")),
            (Some(_), None) => diffs.push(format!("{place}: trait {key} is not in the published model")),
            (None, Some(b)) => diffs.push(format!("{place}: trait {key} (= {b}) is missing")),
            _ => {}
        }
    }
}

fn compare_reference(diffs: &mut Vec<String>, place: &str, ours: Option<&Value>, published: Option<&Value>) {
    match (ours, published) {
        (None, None) => {}
        (Some(_), None) => diffs.push(format!("{place}: present here but not in the published model")),
        (None, Some(b)) => diffs.push(format!("{place}: missing (published targets {:?})", target(b))),
        (Some(a), Some(b)) => {
            if target(a) != target(b) {
                diffs.push(format!(
                    "{place}: target {:?} but published has {:?}",
                    target(a),
                    target(b)
                ));
            }
            compare_traits(diffs, place, traits(a), traits(b), &[]);
        }
    }
}

fn target_set(shape: &Value, key: &str) -> BTreeSet<String> {
    shape
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(target)
        .map(str::to_owned)
        .collect()
}

fn compare_shape(diffs: &mut Vec<String>, id: &str, ours: &Value, published: &Value) {
    if ours["type"] != published["type"] {
        diffs.push(format!(
            "{id}: type {} but published has {}",
            ours["type"], published["type"]
        ));
        return;
    }
    let keys = |shape: &Value| -> BTreeSet<String> {
        shape
            .as_object()
            .map(|o| o.keys().filter(|k| *k != "traits").cloned().collect())
            .unwrap_or_default()
    };
    let (our_keys, published_keys) = (keys(ours), keys(published));
    for key in our_keys.symmetric_difference(&published_keys) {
        let side = if our_keys.contains(key) {
            "only here"
        } else {
            "only in the published model"
        };
        diffs.push(format!("{id}: property `{key}` is {side}"));
    }
    compare_traits(diffs, id, traits(ours), traits(published), &[]);

    for key in ["input", "output", "member", "key", "value"] {
        compare_reference(diffs, &format!("{id} {key}"), ours.get(key), published.get(key));
    }
    let (our_errors, published_errors) = (target_set(ours, "errors"), target_set(published, "errors"));
    if our_errors != published_errors {
        diffs.push(format!(
            "{id}: errors {our_errors:?} but published has {published_errors:?}"
        ));
    }

    let members = |shape: &Value| {
        shape
            .get("members")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (our_members, published_members) = (members(ours), members(published));
    let names: BTreeSet<&String> = our_members.keys().chain(published_members.keys()).collect();
    for name in names {
        compare_reference(
            diffs,
            &format!("{id}${name}"),
            our_members.get(name),
            published_members.get(name),
        );
    }
}

fn compare_service(diffs: &mut Vec<String>, ours: &Value, published: &Value) {
    if ours["type"] != "service" {
        diffs.push(format!("{SERVICE}: type {} is not `service`", ours["type"]));
    }
    if ours["version"] != published["version"] {
        diffs.push(format!(
            "{SERVICE}: version {} but published has {}",
            ours["version"], published["version"]
        ));
    }
    let expected: BTreeSet<String> = OPERATIONS.iter().map(|op| format!("{NAMESPACE}{op}")).collect();
    let listed = target_set(ours, "operations");
    if listed != expected {
        diffs.push(format!(
            "{SERVICE}: operations {listed:?} but the model must list exactly {expected:?}"
        ));
    }
    let published_ops = target_set(published, "operations");
    for op in listed.difference(&published_ops) {
        diffs.push(format!(
            "{SERVICE}: operation {op} is not an operation of the published service"
        ));
    }
    for key in ["resources", "rename", "errors"] {
        if ours.get(key) != published.get(key) {
            diffs.push(format!("{SERVICE}: property `{key}` differs from the published model"));
        }
    }
    // sdkId, endpointPrefix, the signing name, the protocol, title... everything but
    // our own prose and our own endpoint rules.
    compare_traits(diffs, SERVICE, traits(ours), traits(published), &[RULE_SET, RULE_TESTS]);
    for (key, field) in [
        ("aws.api#service", "sdkId"),
        ("aws.api#service", "endpointPrefix"),
        ("aws.auth#sigv4", "name"),
    ] {
        if traits(ours).get(key).and_then(|t| t.get(field)).is_none() {
            diffs.push(format!("{SERVICE}: {key} has no `{field}`"));
        }
    }
    if !traits(ours).contains_key("aws.protocols#awsJson1_0") {
        diffs.push(format!(
            "{SERVICE}: the aws.protocols#awsJson1_0 protocol trait is missing"
        ));
    }
}

fn fail_with(title: &str, diffs: &[String]) {
    assert!(
        diffs.is_empty(),
        "{title} ({} problems):\n  {}",
        diffs.len(),
        diffs.join("\n  ")
    );
}

#[test]
fn facts_agree_with_published_model() {
    let ours = our_model();
    let Some(published) = published_model("model facts") else {
        return;
    };
    let (our_shapes, published_shapes) = (shapes(&ours), shapes(&published));
    let mut diffs = Vec::new();

    if ours["smithy"] != "2.0" {
        diffs.push(format!("`smithy` version is {} instead of \"2.0\"", ours["smithy"]));
    }
    for (id, shape) in our_shapes {
        match (id.as_str(), published_shapes.get(id)) {
            (_, None) => diffs.push(format!("{id}: no such shape in the published model")),
            (SERVICE, Some(published_shape)) => compare_service(&mut diffs, shape, published_shape),
            (_, Some(published_shape)) => compare_shape(&mut diffs, id, shape, published_shape),
        }
    }
    if !our_shapes.contains_key(SERVICE) {
        diffs.push(format!("{SERVICE}: the service shape is missing"));
    }

    // Completeness both ways: exactly the shapes the five operations need.
    let needed = reachable(&published);
    for id in &needed {
        if !our_shapes.contains_key(id) {
            diffs.push(format!(
                "{id}: reachable from the five operations but missing from our model"
            ));
        }
    }
    for id in our_shapes.keys() {
        if id != SERVICE && !needed.contains(id) {
            diffs.push(format!(
                "{id}: not reachable from the five operations in the published model"
            ));
        }
    }
    let our_reachable = reachable(&ours);
    for id in our_shapes.keys() {
        if id != SERVICE && !our_reachable.contains(id) {
            diffs.push(format!(
                "{id}: present in our model but not reachable through our own operations"
            ));
        }
    }

    fail_with("our model disagrees with the published App Runner model", &diffs);
}

#[test]
fn model_is_self_consistent() {
    let ours = our_model();
    let shapes = shapes(&ours);
    let mut diffs = Vec::new();

    let ids: Vec<&String> = shapes.keys().collect();
    let text = fs::read_to_string(workspace_root().join(OURS)).expect("model is readable");
    let positions: Vec<usize> = ids
        .iter()
        .map(|id| text.find(&format!("\n    \"{id}\": {{")).unwrap_or(0))
        .collect();
    if !positions.windows(2).all(|w| w[0] < w[1]) {
        diffs.push("shapes are not written in shape-id order".to_owned());
    }
    if !text.ends_with("}\n") {
        diffs.push("the file does not end with a newline".to_owned());
    }

    for (id, shape) in shapes {
        if !id.starts_with(NAMESPACE) {
            diffs.push(format!("{id}: outside the {NAMESPACE} namespace"));
        }
        let mut refs: Vec<(String, &Value)> = Vec::new();
        for key in ["input", "output", "member", "key", "value"] {
            refs.extend(shape.get(key).map(|r| (format!("{id} {key}"), r)));
        }
        for key in ["errors", "operations"] {
            refs.extend(
                shape
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|r| (format!("{id} {key}"), r)),
            );
        }
        for (name, member) in shape.get("members").and_then(Value::as_object).into_iter().flatten() {
            refs.push((format!("{id}${name}"), member));
        }
        for (place, reference) in refs {
            match target(reference) {
                Some(t) if t.starts_with("smithy.api#") || shapes.contains_key(t) => {}
                other => diffs.push(format!("{place}: target {other:?} does not resolve")),
            }
        }
        if shape["type"] == "enum" {
            for (name, member) in shape["members"].as_object().into_iter().flatten() {
                if !traits(member).get("smithy.api#enumValue").is_some_and(Value::is_string) {
                    diffs.push(format!(
                        "{id}${name}: enum member without a string smithy.api#enumValue"
                    ));
                }
            }
        }
    }
    let runtime = shapes
        .get(&format!("{NAMESPACE}Runtime"))
        .and_then(|s| s["members"].as_object())
        .map_or(0, Map::len);
    if runtime != 12 {
        diffs.push(format!("Runtime has {runtime} values, expected 12"));
    }
    let create_input = shapes
        .get(&format!("{NAMESPACE}CreateServiceRequest"))
        .and_then(|s| s["members"].as_object())
        .map_or(0, Map::len);
    if create_input != 9 {
        diffs.push(format!("CreateServiceRequest has {create_input} members, expected 9"));
    }
    fail_with("our model is not self-consistent", &diffs);
}

#[test]
fn documentation_is_complete_and_our_own() {
    let ours = our_model();
    let mut diffs = Vec::new();
    for (id, shape) in shapes(&ours) {
        let kind = shape["type"].as_str().unwrap_or_default();
        let is_error = traits(shape).contains_key("smithy.api#error");
        if matches!(kind, "service" | "operation" | "structure") || is_error {
            if documentation(shape).is_none_or(|d| d.trim().is_empty()) {
                diffs.push(format!("{id}: {kind} has no documentation"));
            }
            for (name, member) in shape.get("members").and_then(Value::as_object).into_iter().flatten() {
                if documentation(member).is_none_or(|d| d.trim().is_empty()) {
                    diffs.push(format!("{id}${name}: member has no documentation"));
                }
            }
        }
    }
    let rules = &traits(&shapes(&ours)[SERVICE])[RULE_SET];
    for (name, parameter) in rules["parameters"].as_object().into_iter().flatten() {
        if parameter["documentation"].as_str().is_none_or(|d| d.trim().is_empty()) {
            diffs.push(format!("endpoint parameter {name} has no documentation"));
        }
    }

    if let Some(published) = published_model("documentation originality") {
        let published_shapes = shapes(&published);
        let normalize = |text: &str| -> String {
            let mut plain = String::new();
            let mut in_tag = false;
            for c in text.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        plain.push(' ');
                    }
                    _ if !in_tag => plain.extend(c.to_lowercase()),
                    _ => {}
                }
            }
            plain.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let mut check = |place: String, ours: Option<&str>, published: Option<&str>| {
            if let (Some(a), Some(b)) = (ours, published)
                && normalize(a) == normalize(b)
            {
                diffs.push(format!("{place}: documentation is the published text"));
            }
        };
        for (id, shape) in shapes(&ours) {
            let Some(published_shape) = published_shapes.get(id) else {
                continue;
            };
            check(id.clone(), documentation(shape), documentation(published_shape));
            for (name, member) in shape.get("members").and_then(Value::as_object).into_iter().flatten() {
                let published_member = published_shape.get("members").and_then(|m| m.get(name));
                check(
                    format!("{id}${name}"),
                    documentation(member),
                    published_member.and_then(documentation),
                );
            }
        }
        let published_rules = &traits(&published_shapes[SERVICE])[RULE_SET];
        for (name, parameter) in rules["parameters"].as_object().into_iter().flatten() {
            check(
                format!("endpoint parameter {name}"),
                parameter["documentation"].as_str(),
                published_rules["parameters"][name]["documentation"].as_str(),
            );
        }
        let published_docs: BTreeSet<String> = test_cases(&published)
            .iter()
            .filter_map(|case| case["documentation"].as_str())
            .map(normalize)
            .collect();
        for case in test_cases(&ours) {
            if let Some(doc) = case["documentation"].as_str()
                && published_docs.contains(&normalize(doc))
            {
                diffs.push(format!("endpoint test {doc:?}: documentation is the published text"));
            }
        }
    }
    fail_with("documentation problems", &diffs);
}

// ---------------------------------------------------------------------------
// Endpoint rules: a small evaluator, enough for the functions the rule sets use.
// ---------------------------------------------------------------------------

/// The partitions the tests exercise, as facts from AWS's partition data.
fn partition(region: &str) -> Value {
    let (name, dns, dual_stack_dns, dual_stack) = if region.starts_with("cn-") {
        ("aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", true)
    } else if region.starts_with("us-gov-") {
        ("aws-us-gov", "amazonaws.com", "api.aws", true)
    } else if region.starts_with("us-isob-") {
        ("aws-iso-b", "sc2s.sgov.gov", "sc2s.sgov.gov", false)
    } else if region.starts_with("us-iso-") {
        ("aws-iso", "c2s.ic.gov", "c2s.ic.gov", false)
    } else {
        ("aws", "amazonaws.com", "api.aws", true)
    };
    serde_json::json!({
        "name": name,
        "dnsSuffix": dns,
        "dualStackDnsSuffix": dual_stack_dns,
        "supportsFIPS": true,
        "supportsDualStack": dual_stack,
    })
}

type Scope = BTreeMap<String, Value>;

fn template(text: &str, scope: &Scope) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| format!("unclosed template in {text:?}"))?
            + start;
        let name = &rest[start + 1..end];
        let value = match name.split_once('#') {
            Some((variable, attribute)) => scope.get(variable).map(|v| &v[attribute]),
            None => scope.get(name),
        };
        match value {
            Some(Value::String(s)) => out.push_str(s),
            Some(Value::Bool(b)) => out.push_str(&b.to_string()),
            _ => return Err(format!("template variable {name} is unset")),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Evaluates an expression; `Value::Null` stands for "unset".
fn evaluate(expression: &Value, scope: &Scope) -> Result<Value, String> {
    if let Some(name) = expression.get("ref").and_then(Value::as_str) {
        return Ok(scope.get(name).cloned().unwrap_or(Value::Null));
    }
    if let Some(function) = expression.get("fn").and_then(Value::as_str) {
        let args = expression["argv"]
            .as_array()
            .ok_or("function without argv")?
            .iter()
            .map(|a| evaluate(a, scope))
            .collect::<Result<Vec<_>, _>>()?;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
        return Ok(match function {
            "isSet" => Value::Bool(!arg(0).is_null()),
            "not" => Value::Bool(!arg(0).as_bool().ok_or("not() of a non-boolean")?),
            "booleanEquals" | "stringEquals" => Value::Bool(arg(0) == arg(1)),
            "getAttr" => {
                let path = arg(1);
                arg(0)
                    .get(path.as_str().ok_or("getAttr path is not a string")?)
                    .cloned()
                    .unwrap_or(Value::Null)
            }
            "aws.partition" => partition(arg(0).as_str().ok_or("aws.partition of an unset region")?),
            other => return Err(format!("function {other} is not supported by this evaluator")),
        });
    }
    match expression {
        Value::String(s) => template(s, scope).map(Value::String),
        other => Ok(other.clone()),
    }
}

fn evaluate_rules(rules: &Value, scope: &Scope) -> Result<Value, String> {
    'rules: for rule in rules.as_array().ok_or("rules is not an array")? {
        let mut scope = scope.clone();
        for condition in rule["conditions"].as_array().ok_or("rule without conditions")? {
            let value = evaluate(condition, &scope)?;
            if value.is_null() || value == Value::Bool(false) {
                continue 'rules;
            }
            if let Some(name) = condition.get("assign").and_then(Value::as_str) {
                scope.insert(name.to_owned(), value);
            }
        }
        return match rule["type"].as_str() {
            Some("tree") => evaluate_rules(&rule["rules"], &scope),
            Some("error") => Ok(serde_json::json!({ "error": evaluate(&rule["error"], &scope)? })),
            Some("endpoint") => {
                Ok(serde_json::json!({ "endpoint": { "url": evaluate(&rule["endpoint"]["url"], &scope)? } }))
            }
            other => Err(format!("unknown rule type {other:?}")),
        };
    }
    Err("no rule matched".to_owned())
}

fn resolve(rule_set: &Value, params: &Value) -> Result<Value, String> {
    let mut scope = Scope::new();
    for (name, parameter) in rule_set["parameters"]
        .as_object()
        .ok_or("rule set without parameters")?
    {
        let value = params
            .get(name)
            .cloned()
            .or_else(|| parameter.get("default").cloned())
            .unwrap_or(Value::Null);
        if value.is_null() && parameter["required"] == true {
            return Err(format!("required parameter {name} is unset"));
        }
        scope.insert(name.clone(), value);
    }
    evaluate_rules(&rule_set["rules"], &scope)
}

fn test_cases(model: &Value) -> Vec<Value> {
    traits(&shapes(model)[SERVICE])[RULE_TESTS]["testCases"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn rule_set(model: &Value) -> &Value {
    &traits(&shapes(model)[SERVICE])[RULE_SET]
}

fn params(case: &Value) -> Value {
    case.get("params").cloned().unwrap_or_else(|| Value::Object(Map::new()))
}

/// Runs test cases against a rule set, collecting one line per disagreement.
fn run_cases(diffs: &mut Vec<String>, label: &str, rules: &Value, cases: &[Value]) {
    for case in cases {
        let params = params(case);
        match resolve(rules, &params) {
            Ok(got) if got == case["expect"] => {}
            Ok(got) => diffs.push(format!("{label}: {params} gave {got} but expected {}", case["expect"])),
            Err(e) => diffs.push(format!("{label}: {params} failed to evaluate: {e}")),
        }
    }
}

#[test]
fn endpoint_rules_pass_their_own_tests() {
    let ours = our_model();
    let rules = rule_set(&ours);
    let mut diffs = Vec::new();

    assert_eq!(rules["version"], "1.0", "rule set version");
    let expected_parameters = [
        ("Region", "AWS::Region", "String", false, None),
        ("UseDualStack", "AWS::UseDualStack", "Boolean", true, Some(false)),
        ("UseFIPS", "AWS::UseFIPS", "Boolean", true, Some(false)),
        ("Endpoint", "SDK::Endpoint", "String", false, None),
    ];
    let parameters = rules["parameters"].as_object().expect("parameters");
    if parameters.len() != expected_parameters.len() {
        diffs.push(format!("the rule set has {} parameters, expected 4", parameters.len()));
    }
    for (name, built_in, kind, required, default) in expected_parameters {
        let parameter = &parameters[name];
        if parameter["builtIn"] != built_in || parameter["type"] != kind || parameter["required"] != required {
            diffs.push(format!(
                "parameter {name}: expected builtIn {built_in}, type {kind}, required {required}"
            ));
        }
        if parameter.get("default").and_then(Value::as_bool) != default {
            diffs.push(format!("parameter {name}: expected default {default:?}"));
        }
    }

    let tests = &traits(&shapes(&ours)[SERVICE])[RULE_TESTS];
    assert_eq!(tests["version"], "1.0", "endpoint tests version");
    let cases = test_cases(&ours);
    let regions: BTreeSet<&str> = cases.iter().filter_map(|c| c["params"]["Region"].as_str()).collect();
    for region in [
        "us-east-1",
        "eu-west-1",
        "ap-northeast-1",
        "cn-north-1",
        "us-gov-east-1",
        "us-iso-east-1",
        "us-isob-east-1",
    ] {
        if !regions.contains(region) {
            diffs.push(format!("no endpoint test for {region}"));
        }
    }
    let errors: BTreeSet<&str> = cases.iter().filter_map(|c| c["expect"]["error"].as_str()).collect();
    for error in [
        "Invalid Configuration: FIPS and custom endpoint are not supported",
        "Invalid Configuration: Dualstack and custom endpoint are not supported",
        "Invalid Configuration: Missing Region",
    ] {
        if !errors.contains(error) {
            diffs.push(format!("no endpoint test expects {error:?}"));
        }
    }
    for case in &cases {
        if case["documentation"].as_str().is_none_or(str::is_empty) {
            diffs.push(format!("endpoint test {} has no documentation", params(case)));
        }
    }
    run_cases(&mut diffs, "our rules, our tests", rules, &cases);
    fail_with("endpoint rule set problems", &diffs);
}

#[test]
fn endpoint_rules_agree_with_published_rules() {
    let ours = our_model();
    let Some(published) = published_model("endpoint rules") else {
        return;
    };
    let mut diffs = Vec::new();
    let (our_cases, published_cases) = (test_cases(&ours), test_cases(&published));

    // Our rules give AWS's answers, and AWS's rules give our answers.
    run_cases(
        &mut diffs,
        "our rules, published tests",
        rule_set(&ours),
        &published_cases,
    );
    run_cases(
        &mut diffs,
        "published rules, our tests",
        rule_set(&published),
        &our_cases,
    );

    // Where both sets have a case with the same parameters, they expect the same.
    let with_defaults = |case: &Value| {
        let mut p = params(case);
        for flag in ["UseFIPS", "UseDualStack"] {
            p.as_object_mut()
                .expect("params is an object")
                .entry(flag)
                .or_insert(Value::Bool(false));
        }
        p
    };
    let mut shared = 0;
    for ours_case in &our_cases {
        let key = with_defaults(ours_case);
        for published_case in published_cases.iter().filter(|c| with_defaults(c) == key) {
            shared += 1;
            if published_case["expect"] != ours_case["expect"] {
                diffs.push(format!(
                    "{key}: we expect {} but the published test expects {}",
                    ours_case["expect"], published_case["expect"]
                ));
            }
        }
    }
    if shared == 0 {
        diffs.push("no endpoint test shares its parameters with a published one".to_owned());
    }
    fail_with("endpoint rules disagree with the published ones", &diffs);
}
