//! Identifiers and times in App Runner's formats.

use apprunner_types::DateTime;

/// A fresh UUID (version 4), the form of operation and request ids.
pub(crate) fn uuid() -> String {
    apprunner_smithy::idempotency_token()
}

/// A fresh service id: 32 lower-case hex digits, as App Runner's are.
pub(crate) fn service_id() -> String {
    uuid().replace('-', "")
}

/// The current time, to the millisecond (App Runner's timestamps carry milliseconds).
pub(crate) fn now() -> DateTime {
    let now = DateTime::now();
    let millis = now.subsec_nanos() / 1_000_000;
    DateTime::from_parts(now.secs(), millis * 1_000_000)
}

/// `arn:aws:apprunner:<region>:<account>:service/<name>/<id>`.
pub(crate) fn service_arn(region: &str, account: &str, name: &str, id: &str) -> String {
    format!(
        "arn:{}:apprunner:{region}:{account}:service/{name}/{id}",
        partition(region)
    )
}

/// The ARN of App Runner's default auto scaling configuration in a Region.
pub(crate) fn default_auto_scaling_arn(region: &str, account: &str) -> String {
    format!(
        "arn:{}:apprunner:{region}:{account}:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001",
        partition(region)
    )
}

/// The AWS partition a Region belongs to.
fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_app_runner() {
        let id = service_id();
        assert_eq!(id.len(), 32);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        let arn = service_arn("eu-west-1", "123456789012", "web", &id);
        assert_eq!(
            arn,
            format!("arn:aws:apprunner:eu-west-1:123456789012:service/web/{id}")
        );
        assert!(service_arn("cn-north-1", "1", "a", "b").starts_with("arn:aws-cn:"));
        assert_eq!(now().subsec_nanos() % 1_000_000, 0);
    }
}
