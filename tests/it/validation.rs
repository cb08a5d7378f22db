//! Constraint checks (`Validate::validate`) and required members (`build()`): every
//! kind of constraint, the member path of each violation, all violations at once,
//! and no `@sensitive` value in any message.

use std::collections::BTreeMap;

use apprunner_smithy::{Validate, ValidationError, validation};
use apprunner_types::{
    CodeConfiguration, CodeConfigurationValues, CodeRepository, ConfigurationSource, CreateServiceInput,
    HealthCheckConfiguration, ImageConfiguration, ImageRepository, ImageRepositoryType, InstanceConfiguration,
    ListOperationsInput, ListServicesInput, Runtime, SourceCodeVersion, SourceCodeVersionType, SourceConfiguration,
    Tag,
};

const CODE_VALUES: &str = "SourceConfiguration.CodeRepository.CodeConfiguration.CodeConfigurationValues";

/// The violations of `value` as `(path, message)` pairs; empty when it is valid.
fn violations(value: &impl Validate) -> Vec<(String, String)> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(error) => pairs(&error),
    }
}

fn pairs(error: &ValidationError) -> Vec<(String, String)> {
    error
        .violations()
        .iter()
        .map(|violation| (violation.path.clone(), violation.message.clone()))
        .collect()
}

fn paths(value: &impl Validate) -> Vec<String> {
    violations(value).into_iter().map(|(path, _)| path).collect()
}

fn code_values() -> CodeConfigurationValues {
    CodeConfigurationValues::builder()
        .runtime(Runtime::Python311)
        .build_command("pip install -r requirements.txt")
        .start_command("python app.py")
        .port("8080")
        .build()
        .expect("complete")
}

fn code_source(values: CodeConfigurationValues) -> SourceConfiguration {
    SourceConfiguration::builder()
        .code_repository(
            CodeRepository::builder()
                .repository_url("https://github.com/example/hello")
                .source_code_version(
                    SourceCodeVersion::builder()
                        .r#type(SourceCodeVersionType::Branch)
                        .value("main")
                        .build()
                        .expect("complete"),
                )
                .code_configuration(
                    CodeConfiguration::builder()
                        .configuration_source(ConfigurationSource::Api)
                        .code_configuration_values(values)
                        .build()
                        .expect("complete"),
                )
                .build()
                .expect("complete"),
        )
        .build()
}

fn input(name: &str) -> apprunner_types::builders::CreateServiceInputBuilder {
    CreateServiceInput::builder()
        .service_name(name)
        .source_configuration(code_source(code_values()))
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

#[test]
fn a_valid_input_has_no_violations() {
    let valid = input("python-app")
        .tags(tag("team", "web"))
        .instance_configuration(InstanceConfiguration::builder().cpu("1 vCPU").memory("2 GB").build())
        .health_check_configuration(
            HealthCheckConfiguration::builder()
                .interval(20)
                .healthy_threshold(1)
                .build(),
        )
        .build()
        .expect("complete");
    assert_eq!(violations(&valid), []);
}

#[test]
fn string_length_is_checked() {
    let short = input("abc").build().unwrap();
    let found = violations(&short);
    assert!(
        found.contains(&(
            "ServiceName".to_owned(),
            "has 3 characters; it must have between 4 and 40".to_owned()
        )),
        "{found:?}"
    );

    let long = input(&"a".repeat(41)).build().unwrap();
    let found = violations(&long);
    assert!(
        found.contains(&(
            "ServiceName".to_owned(),
            "has 41 characters; it must have between 4 and 40".to_owned()
        )),
        "{found:?}"
    );
    // The bounds themselves are fine.
    assert_eq!(violations(&input("abcd").build().unwrap()), []);
    assert_eq!(violations(&input(&"a".repeat(40)).build().unwrap()), []);
}

#[test]
fn string_pattern_is_checked() {
    // Long enough, but must start with a letter or digit.
    let found = violations(&input("-python-app").build().unwrap());
    assert_eq!(
        found,
        [(
            "ServiceName".to_owned(),
            "\"-python-app\" does not match the required pattern ^[A-Za-z0-9][A-Za-z0-9-_]{3,39}$".to_owned()
        )]
    );
    assert_eq!(paths(&input("python app").build().unwrap()), ["ServiceName"]);
    assert_eq!(paths(&input("python_app-2").build().unwrap()), Vec::<String>::new());
}

#[test]
fn list_items_are_checked_with_their_index() {
    let tagged = input("python-app")
        .tags(tag("team", "web"))
        .tags(tag("aws:cloudformation:stack-name", "x"))
        .tags(tag("", "empty key"))
        .tags(tag(&"k".repeat(129), "long key"))
        .build()
        .unwrap();
    let found = violations(&tagged);
    let found_paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
    // `Tags[1]`: the reserved `aws:` prefix fails the look-ahead pattern `^(?!aws:).+$`;
    // `Tags[2]`: an empty key fails the length and the pattern; `Tags[3]`: too long.
    assert_eq!(
        found_paths,
        ["Tags[1].Key", "Tags[2].Key", "Tags[2].Key", "Tags[3].Key"]
    );
    assert!(found[0].1.contains("^(?!aws:).+$"), "{found:?}");
    assert!(found[0].1.contains("\"aws:cloudformation:stack-name\""), "{found:?}");
    assert_eq!(found[1].1, "has 0 characters; it must have between 1 and 128");
    assert_eq!(found[3].1, "has 129 characters; it must have between 1 and 128");
}

#[test]
fn number_ranges_are_checked() {
    for (max, ok) in [(0, false), (1, true), (20, true), (21, false), (-3, false)] {
        let list = ListServicesInput::builder().max_results(max).build();
        let expected = if ok {
            Vec::new()
        } else {
            vec![(
                "MaxResults".to_owned(),
                format!("is {max}; it must be between 1 and 20"),
            )]
        };
        assert_eq!(violations(&list), expected, "MaxResults {max}");
    }

    let operations = ListOperationsInput::builder()
        .service_arn("arn:aws:apprunner:us-east-1:123456789012:service/python-app/8fe1e10304f84fd2b0df550fe98a71fa")
        .max_results(50)
        .build()
        .unwrap();
    assert_eq!(paths(&operations), ["MaxResults"]);

    let health = input("python-app")
        .health_check_configuration(
            HealthCheckConfiguration::builder()
                .interval(0)
                .timeout(21)
                .healthy_threshold(20)
                .unhealthy_threshold(25)
                .path("")
                .build(),
        )
        .build()
        .unwrap();
    assert_eq!(
        violations(&health),
        [
            (
                "HealthCheckConfiguration.Path".to_owned(),
                "has 0 characters; it must have at least 1".to_owned()
            ),
            (
                "HealthCheckConfiguration.Interval".to_owned(),
                "is 0; it must be between 1 and 20".to_owned()
            ),
            (
                "HealthCheckConfiguration.Timeout".to_owned(),
                "is 21; it must be between 1 and 20".to_owned()
            ),
            (
                "HealthCheckConfiguration.UnhealthyThreshold".to_owned(),
                "is 25; it must be between 1 and 20".to_owned()
            ),
        ]
    );
}

#[test]
fn nested_members_have_full_paths() {
    let mut values = code_values();
    values.start_command = Some("python app.py\nrm -rf /".to_owned());
    values.build_command = Some(String::new());
    let nested = input("python-app")
        .source_configuration(code_source(values))
        .build()
        .unwrap();
    assert_eq!(
        paths(&nested),
        [
            format!("{CODE_VALUES}.BuildCommand"),
            format!("{CODE_VALUES}.StartCommand")
        ]
    );

    let image = input("python-app")
        .source_configuration(
            SourceConfiguration::builder()
                .image_repository(
                    ImageRepository::builder()
                        .image_identifier("not an image")
                        .image_repository_type(ImageRepositoryType::Ecr)
                        .image_configuration(ImageConfiguration::builder().start_command("a\rb").build())
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .build()
        .unwrap();
    assert_eq!(
        paths(&image),
        [
            "SourceConfiguration.ImageRepository.ImageIdentifier",
            "SourceConfiguration.ImageRepository.ImageConfiguration.StartCommand",
        ]
    );
}

#[test]
fn map_entries_are_checked_with_a_redacted_key() {
    // Both maps of the model have `@sensitive` keys, so their entries' paths show
    // `[<redacted key>]` instead of the `["KEY"]` form used for other maps.
    let mut values = code_values();
    values.runtime_environment_variables = Some(BTreeMap::from([
        (String::new(), "value of an empty name".to_owned()),
        ("OK".to_owned(), "fine".to_owned()),
    ]));
    values.runtime_environment_secrets = Some(BTreeMap::from([(
        "DB_PASSWORD".to_owned(),
        String::new(), // an empty ARN: too short
    )]));
    let mapped = input("python-app")
        .source_configuration(code_source(values))
        .build()
        .unwrap();
    assert_eq!(
        violations(&mapped),
        [
            (
                format!("{CODE_VALUES}.RuntimeEnvironmentVariables[<redacted key>]"),
                "has 0 characters; it must have between 1 and 51200".to_owned()
            ),
            (
                format!("{CODE_VALUES}.RuntimeEnvironmentSecrets[<redacted key>]"),
                "has 0 characters; it must have between 1 and 2048".to_owned()
            ),
        ]
    );
    // The path forms, as the smithy crate builds them.
    let root = validation::ValuePath::Root;
    let vars = validation::member_path(&root, "Vars");
    assert_eq!(validation::key_path(&vars, "KEY", false).to_string(), "Vars[\"KEY\"]");
    assert_eq!(
        validation::key_path(&vars, "KEY", true).to_string(),
        "Vars[<redacted key>]"
    );
    let tags = validation::member_path(&root, "Tags");
    assert_eq!(validation::index_path(&tags, 1).to_string(), "Tags[1]");
}

#[test]
fn all_violations_are_reported_at_once() {
    let mut values = code_values();
    values.start_command = Some("line one\nline two".to_owned());
    let bad = CreateServiceInput::builder()
        .service_name("x")
        .source_configuration(code_source(values))
        .instance_configuration(InstanceConfiguration::builder().cpu("3 vCPU").memory("2 GB").build())
        .health_check_configuration(HealthCheckConfiguration::builder().interval(99).build())
        .tags(tag("ok", "ok"))
        .tags(tag("aws:reserved", "x"))
        .auto_scaling_configuration_arn("not-an-arn")
        .build()
        .unwrap();
    let error = bad.validate().expect_err("invalid");
    let found: Vec<&str> = error.violations().iter().map(|v| v.path.as_str()).collect();
    let start_command = format!("{CODE_VALUES}.StartCommand");
    assert_eq!(
        found,
        [
            "ServiceName",
            "ServiceName",
            start_command.as_str(),
            "InstanceConfiguration.Cpu",
            "Tags[1].Key",
            "HealthCheckConfiguration.Interval",
            "AutoScalingConfigurationArn",
        ]
    );
    let text = error.to_string();
    assert!(text.starts_with("invalid input, 7 problems:"), "{text}");
    for violation in error.violations() {
        assert!(text.contains(&violation.to_string()), "{text}");
    }
}

#[test]
fn sensitive_values_are_never_echoed() {
    const MARKER: &str = "S3CR3T-MARKER";
    let mut values = code_values();
    values.start_command = Some(format!("echo {MARKER}\n"));
    values.build_command = Some(format!("\r{MARKER}"));
    values.runtime_environment_variables = Some(BTreeMap::from([
        (format!("{MARKER}-{}", "K".repeat(51_200)), "v".to_owned()),
        ("NAME".to_owned(), format!("{MARKER}{}", "v".repeat(51_200))),
    ]));
    values.runtime_environment_secrets = Some(BTreeMap::from([(format!("{MARKER}-NAME"), String::new())]));
    let image_config = ImageConfiguration::builder()
        .start_command(format!("{MARKER}\r\n"))
        .build();
    let mut source = code_source(values);
    source.image_repository = Some(
        ImageRepository::builder()
            .image_identifier("public.ecr.aws/aws-containers/hello-app-runner:latest")
            .image_repository_type(ImageRepositoryType::EcrPublic)
            .image_configuration(image_config)
            .build()
            .unwrap(),
    );
    let sensitive = input("python-app").source_configuration(source).build().unwrap();
    let error = sensitive.validate().expect_err("invalid");
    assert_eq!(error.violations().len(), 6, "{error}");
    let shown = format!("{error}\n{error:?}");
    assert!(!shown.contains(MARKER), "{shown}");
    assert!(
        shown.contains("the value does not match the required pattern"),
        "{shown}"
    );

    // A non-sensitive value, by contrast, is quoted to help find it.
    let plain = input("python app").build().unwrap().validate().expect_err("invalid");
    assert!(plain.to_string().contains("\"python app\""), "{plain}");
}

#[test]
fn build_reports_every_missing_required_member() {
    let error = CreateServiceInput::builder().build().expect_err("nothing set");
    assert_eq!(
        pairs(&error),
        [
            (
                "ServiceName".to_owned(),
                "is required but was not set (use `.service_name(...)`)".to_owned()
            ),
            (
                "SourceConfiguration".to_owned(),
                "is required but was not set (use `.source_configuration(...)`)".to_owned()
            ),
        ]
    );
    assert_eq!(
        error.to_string(),
        "invalid input, 2 problems:\n  - ServiceName: is required but was not set (use `.service_name(...)`)\n  \
         - SourceConfiguration: is required but was not set (use `.source_configuration(...)`)"
    );

    let one = CreateServiceInput::builder()
        .service_name("python-app")
        .build()
        .expect_err("one missing");
    assert_eq!(
        one.to_string(),
        "invalid input: SourceConfiguration: is required but was not set (use `.source_configuration(...)`)"
    );

    let nested: Vec<String> = pairs(&CodeRepository::builder().build().expect_err("nothing set"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(nested, ["RepositoryUrl", "SourceCodeVersion"]);
    let image: Vec<String> = pairs(&ImageRepository::builder().build().expect_err("nothing set"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(image, ["ImageIdentifier", "ImageRepositoryType"]);
    assert_eq!(
        pairs(&CodeConfigurationValues::builder().build().expect_err("no runtime")),
        [(
            "Runtime".to_owned(),
            "is required but was not set (use `.runtime(...)`)".to_owned()
        )]
    );
    let operations = ListOperationsInput::builder()
        .max_results(5)
        .build()
        .expect_err("no ARN");
    assert_eq!(pairs(&operations)[0].0, "ServiceArn");
}

#[test]
fn build_checks_presence_only_and_validate_checks_constraints() {
    // `build()` does not run the constraint checks: an out-of-range value builds,
    // and `validate()` (which the client runs before sending) reports it.
    let built = input("ab").build().expect("required members are set");
    assert_eq!(paths(&built), ["ServiceName", "ServiceName"]);
}
