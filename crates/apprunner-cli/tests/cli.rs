//! The built `apprunner` binary against a loopback App Runner stub: exit codes, standard output
//! and error, and the requests the stub received.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Canned, Cli, OPERATION_ID, Stub, operations, page_examples, reference_page, service, service_arn};

const IMAGE: &str = "public.ecr.aws/aws-containers/hello-app-runner:latest";
const KMS_KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012";
const VPC_CONNECTOR: &str = "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/my-connector/1/0123456789abcdef";
const AUTO_SCALING: &str = "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/high/1/0123456789abcdef";
const OBSERVABILITY: &str =
    "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/xray/1/0123456789abcdef";
const ROLE: &str = "arn:aws:iam::123456789012:role/my-instance-role";

fn image_source_json() -> Value {
    json!({"ImageRepository": {"ImageIdentifier": IMAGE, "ImageRepositoryType": "ECR_PUBLIC"}})
}

/// The body every option of create-service produces, written once in JSON.
fn full_body() -> Value {
    json!({
        "ServiceName": "hello-app",
        "SourceConfiguration": {
            "ImageRepository": {
                "ImageIdentifier": IMAGE,
                "ImageRepositoryType": "ECR_PUBLIC",
                "ImageConfiguration": {"Port": "8080", "RuntimeEnvironmentVariables": {"NAME": "Jane", "STAGE": "prod"}}
            },
            "AutoDeploymentsEnabled": false
        },
        "InstanceConfiguration": {"Cpu": "1 vCPU", "Memory": "3 GB", "InstanceRoleArn": ROLE},
        "Tags": [{"Key": "team", "Value": "web"}, {"Key": "env", "Value": "dev,test"}],
        "EncryptionConfiguration": {"KmsKey": KMS_KEY},
        "HealthCheckConfiguration": {"Protocol": "HTTP", "Path": "/health", "Interval": 5, "Timeout": 2,
                                     "HealthyThreshold": 1, "UnhealthyThreshold": 5},
        "AutoScalingConfigurationArn": AUTO_SCALING,
        "NetworkConfiguration": {"EgressConfiguration": {"EgressType": "VPC", "VpcConnectorArn": VPC_CONNECTOR}},
        "ObservabilityConfiguration": {"ObservabilityEnabled": true, "ObservabilityConfigurationArn": OBSERVABILITY}
    })
}

#[test]
fn version() {
    let run = Cli::bare().args(["--version"]).run();
    run.expect_code(0);
    assert!(run.stdout.starts_with("apprunner-cli/"), "{}", run.stdout);
    assert!(run.stdout.contains("apprunner-api/2020-05-15"), "{}", run.stdout);
}

#[test]
fn every_create_service_option_in_shorthand() {
    let stub = Stub::start();
    let run = Cli::new(&stub)
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
            &format!(
                "ImageRepository={{ImageIdentifier={IMAGE},ImageRepositoryType=ECR_PUBLIC,\
                 ImageConfiguration={{Port=8080,RuntimeEnvironmentVariables={{NAME=Jane,STAGE=prod}}}}}},\
                 AutoDeploymentsEnabled=false"
            ),
            "--instance-configuration",
            &format!("Cpu=\"1 vCPU\",Memory='3 GB',InstanceRoleArn={ROLE}"),
            "--tags",
            "Key=team,Value=web",
            "Key=env,Value=\"dev,test\"",
            "--encryption-configuration",
            &format!("KmsKey={KMS_KEY}"),
            "--health-check-configuration",
            "Protocol=HTTP,Path=/health,Interval=5,Timeout=2,HealthyThreshold=1,UnhealthyThreshold=5",
            "--auto-scaling-configuration-arn",
            AUTO_SCALING,
            "--network-configuration",
            &format!("EgressConfiguration={{EgressType=VPC,VpcConnectorArn={VPC_CONNECTOR}}}"),
            "--observability-configuration",
            &format!("ObservabilityEnabled=true,ObservabilityConfigurationArn={OBSERVABILITY}"),
        ])
        .run();
    run.expect_code(0);
    assert_eq!(stub.bodies("CreateService"), vec![full_body()]);
    let request = &stub.requests()[0];
    assert_eq!(request.header("x-amz-target"), Some("AppRunner.CreateService"));
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("/us-east-1/apprunner/aws4_request")
    );
    assert_eq!(run.json()["OperationId"], OPERATION_ID);
}

#[test]
fn every_create_service_option_in_json() {
    let stub = Stub::start();
    let body = full_body();
    let mut args = vec!["create-service".to_owned()];
    for (name, value) in body.as_object().unwrap() {
        let option = match name.as_str() {
            "ServiceName" => "--service-name",
            "SourceConfiguration" => "--source-configuration",
            "InstanceConfiguration" => "--instance-configuration",
            "Tags" => "--tags",
            "EncryptionConfiguration" => "--encryption-configuration",
            "HealthCheckConfiguration" => "--health-check-configuration",
            "AutoScalingConfigurationArn" => "--auto-scaling-configuration-arn",
            "NetworkConfiguration" => "--network-configuration",
            "ObservabilityConfiguration" => "--observability-configuration",
            other => panic!("{other}"),
        };
        args.push(option.to_owned());
        args.push(match value {
            Value::String(text) => text.clone(),
            other => serde_json::to_string_pretty(other).unwrap(),
        });
    }
    Cli::new(&stub).args(&args).run().expect_code(0);
    assert_eq!(stub.bodies("CreateService"), vec![body]);
}

#[test]
fn list_items_may_each_be_json() {
    let stub = Stub::start();
    Cli::new(&stub)
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
        ])
        .args([image_source_json().to_string()])
        .args(["--tags", r#"{"Key": "a", "Value": "1"}"#, "Key=b,Value=2"])
        .run()
        .expect_code(0);
    assert_eq!(
        stub.bodies("CreateService")[0]["Tags"],
        json!([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    );
}

#[test]
fn file_values() {
    let stub = Stub::start();
    Cli::new(&stub)
        .file("source.json", &image_source_json().to_string())
        .file("name.txt", "hello-app")
        .args([
            "create-service",
            "--service-name",
            "file://name.txt",
            "--source-configuration",
            "file://source.json",
            "--instance-configuration",
            "fileb://instance.txt",
        ])
        .file("instance.txt", "Cpu=2048,Memory=4096")
        .run()
        .expect_code(0);
    let body = &stub.bodies("CreateService")[0];
    assert_eq!(body["ServiceName"], "hello-app");
    assert_eq!(body["SourceConfiguration"], image_source_json());
    assert_eq!(body["InstanceConfiguration"], json!({"Cpu": "2048", "Memory": "4096"}));

    let run = Cli::new(&stub)
        .args(["create-service", "--cli-input-json", "file://missing.json"])
        .run();
    run.expect_code(252)
        .stderr_has("Error parsing parameter '--cli-input-json': Unable to load paramfile file://missing.json");
}

#[test]
fn cli_input_json_with_options_overriding_it() {
    let stub = Stub::start();
    let input = json!({
        "ServiceName": "from-file",
        "SourceConfiguration": image_source_json(),
        "InstanceConfiguration": {"Cpu": "1 vCPU", "Memory": "2 GB"}
    });
    Cli::new(&stub)
        .file("input.json", &input.to_string())
        .args([
            "create-service",
            "--cli-input-json",
            "file://input.json",
            "--service-name",
            "from-cli",
        ])
        .run()
        .expect_code(0);
    let mut expected = input;
    expected["ServiceName"] = json!("from-cli");
    assert_eq!(stub.bodies("CreateService"), vec![expected]);

    // Inline, and an option replaces the whole member (no merge).
    Cli::new(&stub)
        .args(["create-service", "--cli-input-json"])
        .args([
            json!({"ServiceName": "inline-app", "SourceConfiguration": image_source_json(),
                      "InstanceConfiguration": {"Cpu": "1 vCPU", "Memory": "2 GB"}})
            .to_string(),
        ])
        .args(["--instance-configuration", "Memory=4 GB"])
        .run()
        .expect_code(0);
    assert_eq!(
        stub.bodies("CreateService")[1]["InstanceConfiguration"],
        json!({"Memory": "4 GB"})
    );
}

#[test]
fn cli_input_yaml() {
    let stub = Stub::start();
    let yaml = format!(
        "ServiceName: yaml-app\nSourceConfiguration:\n  ImageRepository:\n    ImageIdentifier: {IMAGE}\n    \
         ImageRepositoryType: ECR_PUBLIC\n    ImageConfiguration:\n      Port: '8080'\n      \
         RuntimeEnvironmentVariables:\n        NAME: Jane\nHealthCheckConfiguration:\n  Interval: 5\n"
    );
    Cli::new(&stub)
        .file("input.yaml", &yaml)
        .args([
            "create-service",
            "--cli-input-yaml",
            "file://input.yaml",
            "--tags",
            "Key=a,Value=b",
        ])
        .run()
        .expect_code(0);
    let body = &stub.bodies("CreateService")[0];
    assert_eq!(body["ServiceName"], "yaml-app");
    assert_eq!(body["HealthCheckConfiguration"], json!({"Interval": 5}));
    assert_eq!(
        body["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"],
        json!({"Port": "8080", "RuntimeEnvironmentVariables": {"NAME": "Jane"}})
    );
    assert_eq!(body["Tags"], json!([{"Key": "a", "Value": "b"}]));

    let run = Cli::new(&stub)
        .args(["create-service", "--cli-input-yaml", &yaml, "--cli-input-json", "{}"])
        .run();
    run.expect_code(252)
        .stderr_has("Cannot specify both --cli-input-json and --cli-input-yaml");
    assert_eq!(stub.bodies("CreateService").len(), 1);
}

#[test]
fn skeletons() {
    let run = Cli::bare().args(["create-service", "--generate-cli-skeleton"]).run();
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["ServiceName"], "");
    assert_eq!(json["HealthCheckConfiguration"]["Interval"], 0);
    assert_eq!(json["SourceConfiguration"]["AutoDeploymentsEnabled"], true);
    assert!(
        run.stdout
            .starts_with("{\n    \"AutoScalingConfigurationArn\": \"\",\n"),
        "{}",
        run.stdout
    );

    let same = Cli::bare()
        .args(["create-service", "--generate-cli-skeleton", "input"])
        .run();
    assert_eq!(same.stdout, run.stdout);

    let yaml = Cli::bare()
        .args(["create-service", "--generate-cli-skeleton", "yaml-input"])
        .run();
    yaml.expect_code(0);
    assert!(yaml.stdout.contains("ServiceName: '' # [REQUIRED]"), "{}", yaml.stdout);
    let from_yaml: Value = serde_norway::from_str(&yaml.stdout).unwrap();
    assert_eq!(from_yaml, json);

    // `output` checks the input first, then prints a sample response; nothing is sent.
    let stub = Stub::start();
    let missing = Cli::new(&stub)
        .args(["create-service", "--generate-cli-skeleton", "output"])
        .run();
    missing
        .expect_code(252)
        .stderr_has("Missing required parameter in input: \"ServiceName\"");
    let output = Cli::new(&stub)
        .args([
            "create-service",
            "--generate-cli-skeleton",
            "output",
            "--service-name",
            "hello-app",
        ])
        .args(["--source-configuration", &image_source_json().to_string()])
        .run();
    output.expect_code(0);
    assert_eq!(output.json()["OperationId"], "OperationId");
    assert_eq!(output.json()["Service"]["ServiceName"], "ServiceName");
    assert!(stub.requests().is_empty());
}

#[test]
fn reference_page_examples_as_written_fail_with_explanations() {
    let Some(page) = reference_page() else {
        eprintln!("skipped: ../shared/seed is absent");
        return;
    };
    let examples = page_examples(&page);
    assert_eq!(examples.len(), 3);
    let stub = Stub::start();
    for (index, example) in examples.iter().enumerate() {
        let run = Cli::new(&stub)
            .file("input.json", &serde_json::to_string_pretty(example).unwrap())
            .args(["create-service", "--cli-input-json", "file://input.json"])
            .run();
        run.expect_code(252)
            .stderr_has("Parameter validation failed:")
            .stderr_has(
                "Unknown parameter in InstanceConfiguration: \"CPU\", must be one of: Cpu, Memory, InstanceRoleArn",
            )
            .stderr_has("Did you mean \"Cpu\"? Member names are case-sensitive.")
            .stderr_has(
                "RuntimeEnvironmentVariables, value: *** Sensitive Data Redacted ***, type: list, valid types: map",
            )
            .stderr_has("write a JSON object from each name to its value, {\"NAME\": \"value\", ...}");
        assert!(
            !run.stderr.contains("Jane"),
            "a sensitive value was echoed:\n{}",
            run.stderr
        );
        if index == 2 {
            // The page's image identifier is mangled (`---dkr---ecr---...rproxy...`).
            run.stderr_has("Invalid value for parameter SourceConfiguration.ImageRepository.ImageIdentifier");
        }
    }
    assert!(stub.requests().is_empty(), "nothing may be sent");
}

/// The page's example with its known mistakes corrected.
fn corrected(example: &Value) -> Value {
    fn fix(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if let Some(cpu) = map.remove("CPU") {
                    map.insert("Cpu".to_owned(), cpu);
                }
                if let Some(Value::Array(list)) = map.get("RuntimeEnvironmentVariables") {
                    let merged: serde_json::Map<String, Value> = list
                        .iter()
                        .flat_map(|item| item.as_object().cloned().unwrap_or_default())
                        .collect();
                    map.insert("RuntimeEnvironmentVariables".to_owned(), Value::Object(merged));
                }
                if let Some(Value::String(image)) = map.get_mut("ImageIdentifier") {
                    *image = image.replace("---", ".").replace(".rproxy.goskope.com", "");
                }
                map.values_mut().for_each(fix);
            }
            Value::Array(items) => items.iter_mut().for_each(fix),
            _ => {}
        }
    }
    let mut fixed = example.clone();
    fix(&mut fixed);
    fixed
}

#[test]
fn reference_page_examples_corrected_succeed() {
    let Some(page) = reference_page() else {
        eprintln!("skipped: ../shared/seed is absent");
        return;
    };
    let stub = Stub::start();
    let examples = page_examples(&page);
    for example in &examples {
        let fixed = corrected(example);
        let run = Cli::new(&stub)
            .file("input.json", &fixed.to_string())
            .args(["create-service", "--cli-input-json", "file://input.json"])
            .run();
        run.expect_code(0);
        assert_eq!(stub.bodies("CreateService").last(), Some(&fixed));
        assert_eq!(run.json()["Service"]["ServiceName"], fixed["ServiceName"]);
    }
    let third = &stub.bodies("CreateService")[2];
    assert_eq!(
        third["SourceConfiguration"]["ImageRepository"]["ImageIdentifier"],
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/golang-app:latest"
    );
    assert_eq!(
        third["InstanceConfiguration"],
        json!({"Cpu": "1 vCPU", "Memory": "3 GB"})
    );
}

#[test]
fn validation_reports_every_problem_at_once() {
    let stub = Stub::start();
    let run = Cli::new(&stub)
        .args([
            "create-service",
            "--service-name",
            "-x",
            "--source-configuration",
            "AutoDeploymentsEnabled=true",
            "--health-check-configuration",
            "Protocol=tcp,Interval=0,Timeot=3",
            "--instance-configuration",
            "Cpu=1 vCPU,Memroy=2 GB",
            "--tags",
            "Key=aws:owner,Value=me",
        ])
        .run();
    run.expect_code(252)
        .stderr_has("Parameter validation failed:")
        .stderr_has("Invalid length for parameter ServiceName, value: 2 characters, valid length: 4 to 40 characters")
        .stderr_has("Invalid value for parameter ServiceName, value: \"-x\", must match pattern")
        .stderr_has(
            "Missing required parameter in SourceConfiguration: one of \"CodeRepository\" or \"ImageRepository\"",
        )
        .stderr_has(
            "Invalid value for parameter HealthCheckConfiguration.Protocol, value: \"tcp\", valid values: TCP, HTTP",
        )
        .stderr_has("Did you mean \"TCP\"?")
        .stderr_has("Invalid range for parameter HealthCheckConfiguration.Interval, value: 0, valid range: 1 to 20")
        .stderr_has("Unknown parameter in HealthCheckConfiguration: \"Timeot\"")
        .stderr_has("Did you mean \"Timeout\"?")
        .stderr_has("Unknown parameter in InstanceConfiguration: \"Memroy\"")
        .stderr_has("Did you mean \"Memory\"?")
        .stderr_has("Invalid value for parameter Tags[0].Key, value: \"aws:owner\", must match pattern: ^(?!aws:).+$");
    assert!(stub.requests().is_empty());
}

#[test]
fn missing_required_members() {
    let stub = Stub::start();
    let run = Cli::new(&stub).args(["create-service"]).run();
    run.expect_code(252)
        .stderr_has("apprunner: error: the following arguments are required: --service-name, --source-configuration");
    // From an input file, the members are checked in the merged input, every one at once.
    let run = Cli::new(&stub).args(["create-service", "--cli-input-json", "{}"]).run();
    run.expect_code(252)
        .stderr_has("Missing required parameter in input: \"ServiceName\"")
        .stderr_has("Give it with --service-name.")
        .stderr_has("Missing required parameter in input: \"SourceConfiguration\"");
    let run = Cli::new(&stub)
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
        ])
        .args([r#"{"ImageRepository": {"ImageIdentifier": "public.ecr.aws/a/b:1"}}"#])
        .run();
    run.expect_code(252)
        .stderr_has("Missing required parameter in SourceConfiguration.ImageRepository: \"ImageRepositoryType\"");
    assert!(stub.requests().is_empty());
}

#[test]
fn both_repositories_are_refused() {
    let stub = Stub::start();
    let mut source = image_source_json();
    source["CodeRepository"] =
        json!({"RepositoryUrl": "https://github.com/a/b", "SourceCodeVersion": {"Type": "BRANCH", "Value": "main"}});
    let run = Cli::new(&stub)
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
        ])
        .args([source.to_string()])
        .run();
    run.expect_code(252).stderr_has(
        "Invalid parameter combination in SourceConfiguration: \"CodeRepository\" and \"ImageRepository\" cannot be given together",
    );
}

#[test]
fn wrong_json_types_say_what_to_write() {
    let stub = Stub::start();
    let source = json!({"ImageRepository": {"ImageIdentifier": IMAGE, "ImageRepositoryType": "ECR_PUBLIC",
        "ImageConfiguration": {"Port": 8080}}});
    let run = Cli::new(&stub)
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
        ])
        .args([source.to_string()])
        .args(["--health-check-configuration", r#"{"Interval": "5"}"#])
        .args(["--instance-configuration", "Cpu=1,2"])
        .run();
    run.expect_code(252)
        .stderr_has("Invalid type for parameter SourceConfiguration.ImageRepository.ImageConfiguration.Port, value: 8080, type: integer, valid types: string")
        .stderr_has("Write \"8080\" in quotes")
        .stderr_has("Invalid type for parameter HealthCheckConfiguration.Interval, value: \"5\", type: string, valid types: integer")
        .stderr_has("Write 5 without quotes.")
        .stderr_has("quote a value that contains commas");
}

#[test]
fn command_line_errors() {
    // As argparse does in the AWS CLI: missing required options first, then (our addition) the
    // unknown ones with a hint.
    let run = Cli::bare().args(["create-service", "--servce-name", "x"]).run();
    run.expect_code(252)
        .stderr_has("usage: apprunner [options] <command> [parameters]")
        .stderr_has("apprunner: error: the following arguments are required: --service-name, --source-configuration\n")
        .stderr_has("Unknown options: --servce-name, x")
        .stderr_has("Did you mean --service-name?");
    let run = Cli::bare().args(["list-services", "--servce-name", "x"]).run();
    run.expect_code(252)
        .stderr_has("  apprunner <command> help\n\nUnknown options: --servce-name, x\n");
    let run = Cli::bare().args(["crate-service"]).run();
    run.expect_code(252)
        .stderr_has("Invalid choice: 'crate-service'")
        .stderr_has("Did you mean 'create-service'?");
    Cli::bare()
        .args([] as [&str; 0])
        .run()
        .expect_code(252)
        .stderr_has("the following arguments are required: command");
    Cli::bare()
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
            "{}",
        ])
        .args(["--instance-configuration", "Cpu"])
        .run()
        .expect_code(252)
        .stderr_has(
            "Error parsing parameter '--instance-configuration': Expected: '=', received: 'EOF' for input:\nCpu\n   ^",
        );
    Cli::bare()
        .args(["list-services", "--no-paginate", "--max-items", "2"])
        .run()
        .expect_code(252)
        .stderr_has("Cannot specify --no-paginate along with pagination arguments: --max-items");
}

#[test]
fn no_region_is_exit_253() {
    let stub = Stub::start();
    let run = Cli::bare()
        .credentials()
        .args(["list-services", "--endpoint-url", &stub.url])
        .run();
    run.expect_code(253)
        .stderr_has("You must specify a region. You can also configure your region by running \"aws configure\".");
    assert!(stub.requests().is_empty());
}

#[test]
fn unknown_profile_is_exit_253() {
    let stub = Stub::start();
    let run = Cli::new(&stub).args(["list-services", "--profile", "nope"]).run();
    run.expect_code(253)
        .stderr_has("The config profile (nope) could not be found\n")
        .stderr_has("AWS profile `nope` (selected by --profile) is not defined in")
        .stderr_has("`aws configure --profile nope`");
    assert!(stub.requests().is_empty());
}

#[test]
fn no_credentials_is_exit_253() {
    let stub = Stub::start();
    let run = Cli::bare()
        .args(["list-services", "--endpoint-url", &stub.url, "--region", "us-east-1"])
        .run();
    run.expect_code(253).stderr_has("Unable to locate credentials.");
    assert!(stub.requests().is_empty());
}

#[test]
fn service_error_is_exit_254() {
    let stub = Stub::start();
    stub.script(
        "CreateService",
        Canned::error(
            400,
            "InvalidRequestException",
            "Service name hello-app is already in use",
        ),
    );
    let run = Cli::new(&stub)
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
        ])
        .args([image_source_json().to_string()])
        .run();
    run.expect_code(254);
    assert_eq!(
        run.stderr,
        "\nAn error occurred (InvalidRequestException) when calling the CreateService operation: Service name \
         hello-app is already in use\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn connection_failure_is_exit_255() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let run = Cli::bare()
        .credentials()
        .args([
            "list-services",
            "--endpoint-url",
            &url,
            "--region",
            "us-east-1",
            "--cli-connect-timeout",
            "2",
        ])
        .run();
    run.expect_code(255).stderr_has("could not connect");
}

#[test]
fn read_timeout_is_exit_255() {
    let stub = Stub::start();
    stub.script(
        "ListServices",
        Canned::ok(json!({"ServiceSummaryList": []})).delayed(Duration::from_secs(3)),
    );
    let run = Cli::new(&stub).args(["list-services", "--cli-read-timeout", "1"]).run();
    run.expect_code(255).stderr_has("timed out");
}

#[test]
fn missing_profile_is_exit_253() {
    let stub = Stub::start();
    Cli::new(&stub)
        .env("AWS_PROFILE", "nope")
        .args(["list-services"])
        .run()
        .expect_code(253)
        .stderr_has("AWS profile `nope`");
}

#[test]
fn region_and_output_from_the_profile_and_environment() {
    let stub = Stub::start();
    let run = Cli::bare()
        .credentials()
        .file("config", "[profile dev]\nregion = eu-west-1\noutput = json\n")
        .args(["list-services", "--profile", "dev", "--endpoint-url", &stub.url])
        .run();
    run.expect_code(0);
    let auth = stub.requests()[0].header("authorization").unwrap().to_owned();
    assert!(auth.contains("/eu-west-1/apprunner/aws4_request"), "{auth}");

    Cli::bare()
        .credentials()
        .env("AWS_DEFAULT_REGION", "ap-northeast-1")
        .args(["list-services", "--endpoint-url", &stub.url])
        .run()
        .expect_code(0);
    let auth = stub.requests()[1].header("authorization").unwrap().to_owned();
    assert!(auth.contains("/ap-northeast-1/apprunner/aws4_request"), "{auth}");
}

#[test]
fn output_format_from_option_environment_and_profile() {
    let stub = Stub::start();
    let list = ["list-services", "--query", "ServiceSummaryList[0].ServiceName"];
    let run = Cli::new(&stub).args(list).run();
    run.expect_code(0);
    assert_eq!(run.stdout, "\"hello-app\"\n");

    let run = Cli::new(&stub).env("AWS_DEFAULT_OUTPUT", "text").args(list).run();
    assert_eq!(run.expect_code(0).stdout, "hello-app\n");

    let run = Cli::new(&stub)
        .file("config", "[default]\noutput = yaml\n")
        .args(list)
        .run();
    assert_eq!(run.expect_code(0).stdout, "hello-app\n...\n");

    // The option wins over the environment, which wins over the profile.
    let run = Cli::new(&stub)
        .file("config", "[default]\noutput = yaml\n")
        .env("AWS_DEFAULT_OUTPUT", "text")
        .args(list)
        .args(["--output", "json"])
        .run();
    assert_eq!(run.expect_code(0).stdout, "\"hello-app\"\n");

    Cli::new(&stub)
        .args(["list-services", "--output", "xml"])
        .run()
        .expect_code(252)
        .stderr_has("argument --output: invalid choice: 'xml'");
    Cli::new(&stub)
        .env("AWS_DEFAULT_OUTPUT", "xml")
        .args(["list-services"])
        .run()
        .expect_code(253)
        .stderr_has("Invalid AWS_DEFAULT_OUTPUT");
    Cli::new(&stub)
        .args(["list-services", "--query", "ServiceSummaryList[?"])
        .run()
        .expect_code(252)
        .stderr_has("Bad value for --query ServiceSummaryList[?");
    assert_eq!(
        stub.requests().len(),
        4,
        "invalid --output and --query are refused before sending"
    );
}

#[test]
fn wait_follows_the_operation_until_running() {
    let stub = Stub::start();
    stub.script("ListOperations", Canned::ok(operations(&["IN_PROGRESS"])));
    stub.script(
        "DescribeService",
        Canned::ok(json!({"Service": service("hello-app", "OPERATION_IN_PROGRESS", &Value::Null)})),
    );
    let run = Cli::new(&stub)
        .env("APPRUNNER_WAIT_INTERVAL", "0.05")
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--wait",
            "--source-configuration",
        ])
        .args([image_source_json().to_string()])
        .run();
    run.expect_code(0)
        .stderr_has("Waiting for service hello-app: operation IN_PROGRESS, service OPERATION_IN_PROGRESS")
        .stderr_has("Service hello-app is RUNNING");
    assert_eq!(run.json()["OperationId"], OPERATION_ID);
    let calls: Vec<String> = stub.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(
        calls,
        [
            "CreateService",
            "ListOperations",
            "DescribeService",
            "ListOperations",
            "DescribeService"
        ]
    );
    assert_eq!(
        stub.bodies("ListOperations")[0],
        json!({"ServiceArn": service_arn("hello-app")})
    );
}

#[test]
fn wait_reports_a_failed_operation() {
    let stub = Stub::start();
    stub.script("ListOperations", Canned::ok(operations(&["FAILED"])));
    stub.script(
        "DescribeService",
        Canned::ok(json!({"Service": service("hello-app", "CREATE_FAILED", &Value::Null)})),
    );
    let run = Cli::new(&stub)
        .env("APPRUNNER_WAIT_INTERVAL", "0.05")
        .args([
            "create-service",
            "--service-name",
            "hello-app",
            "--wait",
            "--source-configuration",
        ])
        .args([image_source_json().to_string()])
        .run();
    run.expect_code(255)
        .stderr_has(&format!(
            "Waiter ServiceRunning failed: operation {OPERATION_ID} ended FAILED"
        ))
        .stderr_has("CREATE_FAILED");
}

#[test]
fn wait_times_out() {
    let stub = Stub::start();
    for _ in 0..20 {
        stub.script("ListOperations", Canned::ok(operations(&["IN_PROGRESS"])));
    }
    let run = Cli::new(&stub)
        .env("APPRUNNER_WAIT_INTERVAL", "0.2")
        .args([
            "delete-service",
            "--service-arn",
            &service_arn("hello-app"),
            "--wait",
            "--wait-timeout",
            "0.5s",
        ])
        .run();
    run.expect_code(255)
        .stderr_has("Waiter ServiceDeleted failed: gave up after");
}

#[test]
fn delete_wait_ends_when_the_service_is_gone() {
    let stub = Stub::start();
    stub.script(
        "DescribeService",
        Canned::error(400, "ResourceNotFoundException", "no such service"),
    );
    let run = Cli::new(&stub)
        .env("APPRUNNER_WAIT_INTERVAL", "0.05")
        .args(["delete-service", "--service-arn", &service_arn("hello-app"), "--wait"])
        .run();
    run.expect_code(0).stderr_has("Service hello-app is DELETED");
}

#[test]
fn help_pages() {
    let run = Cli::bare().args(["help"]).run();
    run.expect_code(0);
    for command in [
        "create-service",
        "delete-service",
        "describe-service",
        "list-operations",
        "list-services",
    ] {
        assert!(run.stdout.contains(&format!("o {command}")), "{}", run.stdout);
    }
    for line in [
        vec!["create-service", "help"],
        vec!["create-service", "--help"],
        vec!["--region", "x", "create-service", "-h"],
    ] {
        let run = Cli::bare().args(&line).run();
        run.expect_code(0);
        assert!(
            run.stdout.contains("--instance-configuration (structure)"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("Cpu=string,Memory=string,InstanceRoleArn=string"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("Key=string,Value=string ..."), "{}", run.stdout);
    }
}

#[test]
fn debug_logs_without_secrets() {
    let stub = Stub::start();
    let source = json!({"ImageRepository": {"ImageIdentifier": IMAGE, "ImageRepositoryType": "ECR_PUBLIC",
        "ImageConfiguration": {"RuntimeEnvironmentVariables": {"DB_PASSWORD": "hunter2"}}}});
    let run = Cli::new(&stub)
        .args([
            "--debug",
            "create-service",
            "--service-name",
            "hello-app",
            "--source-configuration",
        ])
        .args([source.to_string()])
        .run();
    run.expect_code(0)
        .stderr_has("request parameters")
        .stderr_has("response");
    for secret in ["hunter2", "DB_PASSWORD", support::SECRET_ACCESS_KEY] {
        assert!(
            !run.stderr.contains(secret),
            "{secret} in the debug log:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        stub.bodies("CreateService")[0]["SourceConfiguration"]["ImageRepository"]["ImageConfiguration"],
        json!({"RuntimeEnvironmentVariables": {"DB_PASSWORD": "hunter2"}})
    );
}

#[test]
fn ctrl_c_is_exit_130() {
    let stub = Stub::start();
    stub.script(
        "ListServices",
        Canned::ok(json!({"ServiceSummaryList": []})).delayed(Duration::from_secs(10)),
    );
    let child = Cli::new(&stub).args(["list-services"]).spawn();
    // Wait until the request has arrived, then interrupt.
    for _ in 0..100 {
        if !stub.requests().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
