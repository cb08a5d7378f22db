//! The endpoint rule set the generator wrote into the client is the model's, and it
//! resolves as the parsed trait does.

use apprunner_runtime::endpoint::{EndpointParams, EndpointResolver};
use apprunner_smithy::rules::RuleSet;

/// The `smithy.rules#endpointRuleSet` trait of `model/apprunner.json`, as JSON.
fn model_trait() -> serde_json::Value {
    let mut model: serde_json::Value =
        serde_json::from_str(include_str!("../../model/apprunner.json")).expect("the model is JSON");
    model["shapes"]["com.amazonaws.apprunner#AppRunner"]["traits"]["smithy.rules#endpointRuleSet"].take()
}

#[test]
fn the_generated_rule_set_equals_the_models_trait() {
    let parsed = RuleSet::from_json(&model_trait().to_string()).expect("the model's rule set parses");
    assert_eq!(apprunner_client::ENDPOINT_RULE_SET, parsed);
}

#[test]
fn generated_and_parsed_rule_sets_resolve_alike() {
    let generated = EndpointResolver::new(&apprunner_client::ENDPOINT_RULE_SET);
    let parsed = EndpointResolver::from_json(&model_trait().to_string()).unwrap();
    for region in [
        None,
        Some("us-east-1"),
        Some("cn-north-1"),
        Some("us-gov-west-1"),
        Some("eu-west-3"),
    ] {
        for fips in [false, true] {
            for dual_stack in [false, true] {
                let mut params = EndpointParams::new();
                params
                    .region(region.map(str::to_owned))
                    .use_fips(fips)
                    .use_dual_stack(dual_stack);
                assert_eq!(
                    generated.resolve(&params),
                    parsed.resolve(&params),
                    "{region:?}, FIPS {fips}, dual-stack {dual_stack}"
                );
            }
        }
    }
    let mut params = EndpointParams::new();
    params.region(Some("us-east-1".into()));
    assert_eq!(
        generated.resolve(&params).unwrap().url,
        "https://apprunner.us-east-1.amazonaws.com"
    );
}
