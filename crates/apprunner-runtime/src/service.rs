//! What a generated client tells the runtime about its service and operations.

/// The JSON protocol a service speaks; the two differ only in the content type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`: `Content-Type: application/x-amz-json-1.0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: `Content-Type: application/x-amz-json-1.1`.
    AwsJson1_1,
}

impl Protocol {
    /// The request and response content type of the protocol.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// Facts about a service, taken from its model by the generator.
#[derive(Debug)]
pub struct ServiceSpec {
    /// The `sdkId` of the `aws.api#service` trait, such as `AppRunner`.
    pub sdk_id: &'static str,
    /// The service shape's name, the prefix of `X-Amz-Target` (`AppRunner.CreateService`).
    pub target_prefix: &'static str,
    /// The service's `version`, such as `2020-05-15`.
    pub api_version: &'static str,
    /// The JSON protocol.
    pub protocol: Protocol,
    /// The `name` of the `aws.auth#sigv4` trait: the SigV4 signing name.
    pub signing_name: &'static str,
    /// The service's `smithy.rules#endpointRuleSet` trait, written out as data by the
    /// generator.
    pub endpoint_rule_set: &'static apprunner_smithy::rules::RuleSet,
}

impl ServiceSpec {
    /// The service-specific suffix of `AWS_ENDPOINT_URL_<SUFFIX>`: the `sdkId`
    /// upper-cased with spaces and dashes turned into underscores (`APPRUNNER`).
    pub fn env_suffix(&self) -> String {
        self.sdk_id
            .chars()
            .map(|c| {
                if c == ' ' || c == '-' {
                    '_'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    }

    /// The service id used in shared config files (`services` sections): the
    /// `sdkId` lower-cased with spaces turned into underscores (`apprunner`).
    pub fn config_id(&self) -> String {
        self.sdk_id
            .chars()
            .map(|c| if c == ' ' { '_' } else { c.to_ascii_lowercase() })
            .collect()
    }
}

/// Facts about one operation, taken from its model by the generator.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operation's shape name, such as `CreateService`.
    pub name: &'static str,
}
