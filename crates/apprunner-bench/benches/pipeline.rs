//! Micro-benchmarks of one CreateService call's client-side work:
//! `cargo bench -p apprunner-bench`.

#[path = "../src/example_one.rs"]
mod example_one;

use apprunner_runtime::credentials::Credentials;
use apprunner_runtime::endpoint::{EndpointParams, EndpointResolver};
use apprunner_smithy::Validate;
use divan::black_box;
use std::time::SystemTime;

fn main() {
    divan::main();
}

/// Build the reference page's Example 1 input, validate it and serialize it.
#[divan::bench]
fn build_validate_serialize() -> Vec<u8> {
    let input = example_one::example_one_input().expect("complete input");
    input.validate().expect("valid input");
    apprunner_smithy::json::to_vec(black_box(&input)).expect("a wire form")
}

/// Build the input alone, with the builders a caller uses.
#[divan::bench]
fn build_input() -> apprunner_types::CreateServiceInput {
    example_one::example_one_input().expect("complete input")
}

/// Serialize a built input to its JSON body.
#[divan::bench]
fn serialize(bencher: divan::Bencher<'_, '_>) {
    let input = example_one::example_one_input().expect("complete input");
    bencher.bench_local(|| apprunner_smithy::json::to_vec(black_box(&input)).expect("a wire form"));
}

/// Validate the input alone (every `@length`, `@pattern` and `@range` of the model).
#[divan::bench]
fn validate(bencher: divan::Bencher<'_, '_>) {
    let input = example_one::example_one_input().expect("complete input");
    bencher.bench_local(|| black_box(&input).validate().expect("valid input"));
}

/// Sign the serialized request with SigV4.
#[divan::bench]
fn sign(bencher: divan::Bencher<'_, '_>) {
    let body = apprunner_smithy::json::to_vec(&example_one::example_one_input().expect("complete input"))
        .expect("a wire form");
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench",
    );
    let headers = [
        ("host", "apprunner.us-east-1.amazonaws.com"),
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "AppRunner.CreateService"),
    ];
    bencher.bench_local(|| {
        apprunner_runtime::sign_request_at(
            "https://apprunner.us-east-1.amazonaws.com/",
            &headers,
            black_box(&body),
            &credentials,
            "apprunner",
            "us-east-1",
            SystemTime::now(),
        )
        .expect("signed")
    });
}

/// Deserialize a CreateService response.
#[divan::bench]
fn deserialize_response(bencher: divan::Bencher<'_, '_>) {
    let body = br#"{"OperationId":"17fe9f55-7e91-4097-b243-fcabbb69a4cf","Service":{"ServiceName":"python-app","ServiceId":"8fe1e10304f84fd2b0df550fe98a71fa","ServiceArn":"arn:aws:apprunner:us-east-1:123456789012:service/python-app/8fe1e10304f84fd2b0df550fe98a71fa","ServiceUrl":"psbqam834h.us-east-1.awsapprunner.com","CreatedAt":1606502725.123,"UpdatedAt":1606502725.123,"Status":"OPERATION_IN_PROGRESS","SourceConfiguration":{"CodeRepository":{"RepositoryUrl":"https://github.com/my-account/python-hello","SourceCodeVersion":{"Type":"BRANCH","Value":"main"},"CodeConfiguration":{"ConfigurationSource":"API","CodeConfigurationValues":{"Runtime":"PYTHON_3","BuildCommand":"pip install -r requirements.txt","StartCommand":"python server.py","Port":"8080","RuntimeEnvironmentVariables":{"NAME":"Jane"}}}},"AutoDeploymentsEnabled":true},"InstanceConfiguration":{"Cpu":"1024","Memory":"3072"},"HealthCheckConfiguration":{"Protocol":"TCP","Interval":10,"Timeout":5,"HealthyThreshold":1,"UnhealthyThreshold":5},"AutoScalingConfigurationSummary":{"AutoScalingConfigurationArn":"arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001","AutoScalingConfigurationName":"DefaultConfiguration","AutoScalingConfigurationRevision":1},"NetworkConfiguration":{"EgressConfiguration":{"EgressType":"DEFAULT"},"IngressConfiguration":{"IsPubliclyAccessible":true}}}}"#;
    bencher.bench_local(|| {
        apprunner_smithy::json::from_slice::<apprunner_types::CreateServiceOutput>(black_box(body))
            .expect("valid output")
    });
}

/// Parse a shorthand argument and convert it to JSON for its member type, as the CLI does
/// for `--source-configuration`.
#[divan::bench]
fn parse_shorthand(bencher: divan::Bencher<'_, '_>) {
    let member = apprunner_types::schema::SERVICE
        .operation("CreateService")
        .and_then(|op| op.input.member("SourceConfiguration"))
        .expect("the model has SourceConfiguration");
    let text = "ImageRepository={ImageIdentifier=public.ecr.aws/aws-containers/hello-app-runner:latest,\
                ImageRepositoryType=ECR_PUBLIC,ImageConfiguration={Port=8000,RuntimeEnvironmentVariables={NAME=Jane}}},\
                AutoDeploymentsEnabled=false";
    bencher.bench_local(|| {
        let node = apprunner_cli::shorthand::parse(black_box(text)).expect("valid shorthand");
        apprunner_cli::shorthand::to_json(&node, &member.ty)
    });
}

/// Resolve the endpoint from the rule set the generator wrote into the client.
#[divan::bench]
fn resolve_endpoint(bencher: divan::Bencher<'_, '_>) {
    let resolver = EndpointResolver::new(&apprunner_client::ENDPOINT_RULE_SET);
    let mut params = EndpointParams::new();
    params.region(Some("us-east-1".to_owned()));
    bencher.bench_local(|| resolver.resolve(black_box(&params)).expect("resolves"));
}
