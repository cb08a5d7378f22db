//! Wire round trips of the three examples on the AWS CLI reference page for
//! `aws apprunner create-service`.
//!
//! The page is read at test time from `../shared/seed/` next to the workspace; when
//! it is not there the tests print `skipped: ../shared/seed not found` and pass.
//! Each example is an `aws apprunner create-service` command whose arguments are
//! `file://` JSON documents shown further down as "Contents of <file>", followed by
//! the command's `Output:`. The tests rebuild the CreateService input from the
//! command (`--cli-input-json` is the whole input; any other `--option` becomes
//! the member of the same name in PascalCase), repair the page's known mistakes,
//! and check that the generated types read and write exactly that JSON.
//!
//! What is repaired, programmatically:
//!
//! - `"CPU"` is renamed `"Cpu"`, the model's member name;
//! - `RuntimeEnvironmentVariables` written as a list of objects becomes a map: an
//!   item `{"Name": n, "Value": v}` contributes `n: v`; any other item (the page
//!   writes `{"NAME": "Jane"}`) contributes each of its entries as they are;
//! - in outputs only, timestamps printed as RFC 3339 text (as the CLI shows them)
//!   become epoch seconds, the awsJson wire form.
//!
//! The outputs on the page also leave out two members the model requires in
//! `Service` (`AutoScalingConfigurationSummary`, `NetworkConfiguration`); see
//! [`page_outputs_round_trip_once_completed`] for what the types do about that.

use apprunner_smithy::{DateTime, TimestampFormat, Validate};
use apprunner_types::{ConfigurationSource, CreateServiceInput, CreateServiceOutput, ServiceStatus};
use serde_json::{Map, Value, json};

const SEED_PAGE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/seed/aws-apprunner-create-service.txt"
);

/// Members whose target is a timestamp, anywhere in the CreateService output.
const TIMESTAMP_MEMBERS: &[&str] = &["CreatedAt", "UpdatedAt", "DeletedAt", "StartedAt", "EndedAt"];

fn read_page() -> Option<String> {
    match std::fs::read_to_string(SEED_PAGE) {
        Ok(text) => Some(text),
        Err(_) => {
            println!("skipped: ../shared/seed not found");
            None
        }
    }
}

/// One example of the page, as printed (mistakes included).
#[derive(Debug)]
struct Example {
    title: String,
    input: Value,
    output: Value,
}

/// One kind of repair of the page's mistakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    /// `"CPU"` → `"Cpu"`.
    Cpu,
    /// An env-var list → a map.
    EnvLists,
    /// RFC 3339 text → epoch seconds.
    Timestamps,
}

/// What the inputs on the page need.
const INPUT_FIXES: &[Fix] = &[Fix::Cpu, Fix::EnvLists];
/// What the outputs on the page need.
const OUTPUT_FIXES: &[Fix] = &[Fix::Cpu, Fix::EnvLists, Fix::Timestamps];

/// What [`repair`] changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Repairs {
    cpu_renamed: usize,
    env_lists_to_maps: usize,
    timestamps_to_epoch: usize,
}

/// The examples of the page, in order.
fn examples(page: &str) -> Vec<Example> {
    let mut starts: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in page.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let is_heading = trimmed
            .strip_prefix("Example ")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()) && rest.contains(':'));
        if is_heading {
            starts.push((offset, trimmed));
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(index, &(start, title))| {
            let end = starts.get(index + 1).map_or(page.len(), |&(next, _)| next);
            let section = &page[start..end];
            Example {
                title: title.to_owned(),
                input: command_input(section),
                output: json_after(section, "Output:"),
            }
        })
        .collect()
}

/// The CreateService input that the example's command line describes.
fn command_input(section: &str) -> Value {
    let command_at = section
        .find("aws apprunner create-service")
        .expect("the example has an `aws apprunner create-service` command");
    let mut command = String::new();
    for line in section[command_at..].lines() {
        let line = line.trim_end();
        match line.strip_suffix('\\') {
            Some(continued) => {
                command.push_str(continued);
                command.push(' ');
            }
            None => {
                command.push_str(line);
                break;
            }
        }
    }
    let mut words = command.split_whitespace().skip(3).peekable();
    let mut input = Map::new();
    while let Some(word) = words.next() {
        let option = word
            .strip_prefix("--")
            .unwrap_or_else(|| panic!("unexpected word {word:?} in {command:?}"));
        let argument = words.next_if(|next| !next.starts_with("--"));
        let value = match argument {
            Some(argument) => match argument.strip_prefix("file://") {
                Some(file) => json_after(section, &format!("Contents of {file}")),
                None => Value::String(argument.trim_matches(['"', '\'']).to_owned()),
            },
            None => Value::Bool(true),
        };
        if option == "cli-input-json" {
            let Value::Object(members) = value else {
                panic!("--cli-input-json is not a JSON object")
            };
            input.extend(members);
        } else {
            input.insert(pascal_case(option), value);
        }
    }
    Value::Object(input)
}

/// `auto-scaling-configuration-arn` → `AutoScalingConfigurationArn`.
fn pascal_case(option: &str) -> String {
    option
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The first JSON document that starts after `marker` in `text`.
fn json_after(text: &str, marker: &str) -> Value {
    let at = text.find(marker).unwrap_or_else(|| panic!("{marker:?} not found"));
    let rest = &text[at + marker.len()..];
    let start = rest
        .find(['{', '['])
        .unwrap_or_else(|| panic!("no JSON after {marker:?}"));
    serde_json::Deserializer::from_str(&rest[start..])
        .into_iter::<Value>()
        .next()
        .unwrap_or_else(|| panic!("no JSON after {marker:?}"))
        .unwrap_or_else(|error| panic!("the JSON after {marker:?} does not parse: {error}"))
}

/// Repairs the page's known mistakes in `value` (see the module documentation).
fn repair(value: &mut Value, fixes: &[Fix], repairs: &mut Repairs) {
    match value {
        Value::Object(members) => {
            if fixes.contains(&Fix::Cpu)
                && let Some(cpu) = members.remove("CPU")
            {
                members.insert("Cpu".to_owned(), cpu);
                repairs.cpu_renamed += 1;
            }
            if fixes.contains(&Fix::EnvLists)
                && let Some(Value::Array(items)) = members.get("RuntimeEnvironmentVariables")
            {
                let map = env_list_to_map(items);
                members.insert("RuntimeEnvironmentVariables".to_owned(), Value::Object(map));
                repairs.env_lists_to_maps += 1;
            }
            if fixes.contains(&Fix::Timestamps) {
                for name in TIMESTAMP_MEMBERS {
                    if let Some(Value::String(text)) = members.get(*name) {
                        let instant = DateTime::parse(text, TimestampFormat::DateTime)
                            .unwrap_or_else(|error| panic!("{name}: {error}"));
                        members.insert((*name).to_owned(), epoch_seconds(instant));
                        repairs.timestamps_to_epoch += 1;
                    }
                }
            }
            for member in members.values_mut() {
                repair(member, fixes, repairs);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| repair(item, fixes, repairs)),
        _ => {}
    }
}

fn env_list_to_map(items: &[Value]) -> Map<String, Value> {
    let mut map = Map::new();
    for item in items {
        let Value::Object(entry) = item else {
            panic!("RuntimeEnvironmentVariables item is not an object: {item}")
        };
        match (entry.len(), entry.get("Name"), entry.get("Value")) {
            (2, Some(Value::String(name)), Some(value)) => {
                map.insert(name.clone(), value.clone());
            }
            _ => map.extend(entry.clone()),
        }
    }
    map
}

/// A timestamp in its wire form: a JSON number of seconds since the epoch.
fn epoch_seconds(instant: DateTime) -> Value {
    if instant.subsec_nanos() == 0 {
        json!(instant.secs())
    } else {
        json!(instant.as_secs_f64())
    }
}

fn repaired(value: &Value, fixes: &[Fix]) -> (Value, Repairs) {
    let mut value = value.clone();
    let mut repairs = Repairs::default();
    repair(&mut value, fixes, &mut repairs);
    (value, repairs)
}

#[test]
fn page_has_three_examples_with_input_and_output() {
    let Some(page) = read_page() else { return };
    let examples = examples(&page);
    assert_eq!(examples.len(), 3, "{examples:#?}");
    for example in &examples {
        assert!(
            example.input["ServiceName"].is_string(),
            "{}: {}",
            example.title,
            example.input
        );
        assert!(example.input["SourceConfiguration"].is_object(), "{}", example.title);
        assert!(example.output["OperationId"].is_string(), "{}", example.title);
        assert!(example.output["Service"].is_object(), "{}", example.title);
    }
    let sources: Vec<bool> = examples
        .iter()
        .map(|example| example.input["SourceConfiguration"].get("CodeRepository").is_some())
        .collect();
    assert_eq!(
        sources,
        [true, true, false],
        "two code-repository examples, then an image one"
    );
}

#[test]
fn pascal_case_maps_cli_options_to_members() {
    assert_eq!(pascal_case("service-name"), "ServiceName");
    assert_eq!(
        pascal_case("auto-scaling-configuration-arn"),
        "AutoScalingConfigurationArn"
    );
    assert_eq!(pascal_case("tags"), "Tags");
}

#[test]
fn env_lists_become_maps() {
    let items = [json!({"Name": "A", "Value": "1"}), json!({"NAME": "Jane"})];
    assert_eq!(
        Value::Object(env_list_to_map(&items)),
        json!({"A": "1", "NAME": "Jane"})
    );
}

#[test]
fn repaired_page_inputs_round_trip_exactly() {
    let Some(page) = read_page() else { return };
    for example in examples(&page) {
        let (wire, repairs) = repaired(&example.input, INPUT_FIXES);
        assert_eq!(
            (repairs.cpu_renamed, repairs.env_lists_to_maps),
            (1, 1),
            "{}: each page input has one `CPU` and one env-var list",
            example.title
        );
        let input: CreateServiceInput = crate::support::from_wire(&wire.clone())
            .unwrap_or_else(|error| panic!("{}: {error}\n{wire:#}", example.title));
        let written = crate::support::wire_json(&input);
        assert_eq!(written, wire, "{}: the round trip must be exact", example.title);

        assert_eq!(input.service_name, example.input["ServiceName"].as_str().unwrap());
        let instance = input.instance_configuration.as_ref().expect("InstanceConfiguration");
        assert_eq!(instance.cpu.as_deref(), Some("1 vCPU"), "{}", example.title);
        assert_eq!(instance.memory.as_deref(), Some("3 GB"), "{}", example.title);
        let source = &input.source_configuration;
        let env = match (&source.code_repository, &source.image_repository) {
            (Some(code), None) => {
                let values = code
                    .code_configuration
                    .as_ref()
                    .and_then(|configuration| configuration.code_configuration_values.as_ref())
                    .expect("CodeConfigurationValues");
                assert_eq!(values.runtime.as_str(), "PYTHON_3");
                assert!(!values.runtime.is_unknown());
                values.runtime_environment_variables.clone()
            }
            (None, Some(image)) => {
                assert_eq!(image.image_repository_type.as_str(), "ECR");
                image
                    .image_configuration
                    .as_ref()
                    .and_then(|configuration| configuration.runtime_environment_variables.clone())
            }
            other => panic!("{}: exactly one repository expected, got {other:?}", example.title),
        };
        let env = env.expect("RuntimeEnvironmentVariables");
        assert_eq!(env.get("NAME").map(String::as_str), Some("Jane"), "{}", example.title);
    }
}

#[test]
fn unrepaired_page_inputs_are_rejected_or_lossy() {
    let Some(page) = read_page() else { return };
    for example in examples(&page) {
        // As printed: the env-var list cannot be read as a map, so reading fails and
        // names the member.
        let error = crate::support::from_wire::<CreateServiceInput>(&example.input.clone())
            .expect_err("the page's env-var list is not a map");
        let message = error.to_string();
        assert!(
            message.contains("RuntimeEnvironmentVariables`: expected an object, found an array"),
            "{}: {message}",
            example.title
        );

        // With only the env-var list repaired, `"CPU"` is an unknown member: the types
        // ignore unknown members (inputs are read as leniently as responses), so it is
        // silently dropped rather than reported, and `Cpu` is absent.
        let (lists_only, repairs) = repaired(&example.input, &[Fix::EnvLists]);
        assert_eq!(repairs.cpu_renamed, 0);
        assert!(lists_only["InstanceConfiguration"]["CPU"].is_string());
        let input: CreateServiceInput = crate::support::from_wire(&lists_only).expect("reads");
        let instance = input.instance_configuration.as_ref().expect("InstanceConfiguration");
        assert_eq!(instance.cpu, None, "{}", example.title);
        assert_eq!(instance.memory.as_deref(), Some("3 GB"));
        let written = crate::support::wire_json(&input);
        assert_eq!(written["InstanceConfiguration"], json!({"Memory": "3 GB"}));
    }
}

#[test]
fn repaired_page_inputs_validate() {
    let Some(page) = read_page() else { return };
    let examples = examples(&page);
    for example in &examples {
        let (wire, _) = repaired(&example.input, INPUT_FIXES);
        let input: CreateServiceInput = crate::support::from_wire(&wire).expect("reads");
        let paths: Vec<String> = match input.validate() {
            Ok(()) => Vec::new(),
            Err(error) => error.violations().iter().map(|v| v.path.clone()).collect(),
        };
        if example.input["SourceConfiguration"].get("ImageRepository").is_some() {
            // The page's image identifier is not an ECR image URI (its host name reads
            // `123456789012---dkr---ecr---...`), so the model's pattern rejects it.
            assert_eq!(
                paths,
                ["SourceConfiguration.ImageRepository.ImageIdentifier"],
                "{}",
                example.title
            );
        } else {
            assert_eq!(paths, Vec::<String>::new(), "{}", example.title);
        }
    }
}

/// What the page's outputs leave out although the model requires it in `Service`;
/// the values are this test's own, realistic for a new service.
fn complete_service(output: &mut Value) {
    let service = output["Service"].as_object_mut().expect("Service object");
    service.entry("AutoScalingConfigurationSummary").or_insert_with(|| {
        json!({
            "AutoScalingConfigurationArn": crate::support::DEFAULT_AUTO_SCALING_ARN,
            "AutoScalingConfigurationName": "DefaultConfiguration",
            "AutoScalingConfigurationRevision": 1
        })
    });
    service.entry("NetworkConfiguration").or_insert_with(|| {
        json!({
            "EgressConfiguration": {"EgressType": "DEFAULT"},
            "IngressConfiguration": {"IsPubliclyAccessible": true}
        })
    });
}

#[test]
fn page_outputs_lacking_required_members_read_with_zero_values() {
    let Some(page) = read_page() else { return };
    for example in examples(&page) {
        let (wire, repairs) = repaired(&example.output, OUTPUT_FIXES);
        assert_eq!(
            repairs.timestamps_to_epoch, 2,
            "{}: CreatedAt and UpdatedAt",
            example.title
        );
        // The page's outputs leave out two members the model marks required. Smithy's client
        // error correction reads them as zero values instead of failing the whole response.
        let output = crate::support::from_wire::<CreateServiceOutput>(&wire)
            .unwrap_or_else(|error| panic!("{}: {error}", example.title));
        let summary = &output.service.auto_scaling_configuration_summary;
        assert!(summary.auto_scaling_configuration_arn.is_none(), "{}", example.title);
        assert!(
            output.service.network_configuration.egress_configuration.is_none(),
            "{}",
            example.title
        );
    }
}

#[test]
fn page_outputs_round_trip_once_completed() {
    let Some(page) = read_page() else { return };
    for example in examples(&page) {
        let (mut wire, _) = repaired(&example.output, OUTPUT_FIXES);
        complete_service(&mut wire);
        let output: CreateServiceOutput = crate::support::from_wire(&wire.clone())
            .unwrap_or_else(|error| panic!("{}: {error}\n{wire:#}", example.title));
        let written = crate::support::wire_json(&output);
        assert_eq!(written, wire, "{}: the round trip must be exact", example.title);

        let page_service = &example.output["Service"];
        assert_eq!(output.operation_id, example.output["OperationId"].as_str().unwrap());
        assert_eq!(
            output.service.service_name,
            example.input["ServiceName"].as_str().unwrap()
        );
        assert_eq!(
            output.service.service_name,
            page_service["ServiceName"].as_str().unwrap()
        );
        assert_eq!(output.service.status, ServiceStatus::OperationInProgress);
        let created = page_service["CreatedAt"]
            .as_str()
            .expect("the page prints CreatedAt as text");
        assert_eq!(output.service.created_at.to_string(), created, "{}", example.title);
        assert_eq!(
            output.service.created_at,
            DateTime::parse(created, TimestampFormat::DateTime).unwrap()
        );
        assert!(
            wire["Service"]["CreatedAt"].is_i64(),
            "wire timestamps are epoch seconds"
        );

        let (input_wire, _) = repaired(&example.input, INPUT_FIXES);
        let input: CreateServiceInput = crate::support::from_wire(&input_wire).expect("reads");
        assert_eq!(
            Some(&output.service.instance_configuration),
            input.instance_configuration.as_ref()
        );

        // The outputs of the code examples print `"ConfigurationSource": "Api"`, which is
        // not one of the enum's values (`REPOSITORY`, `API`): it is kept as `Unknown`
        // and written back unchanged (the round trip above).
        if let Some(code) = &output.service.source_configuration.code_repository {
            let source = &code
                .code_configuration
                .as_ref()
                .expect("CodeConfiguration")
                .configuration_source;
            assert!(source.is_unknown(), "{source:?}");
            assert_eq!(source.as_str(), "Api");
            assert_ne!(*source, ConfigurationSource::Api);
        }
    }
}
