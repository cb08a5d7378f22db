//! The `aws.partition` function, over the partition table that `cargo xtask
//! codegen` generates from `model/partitions.json` (`partition_table.rs`).

use apprunner_smithy::pattern::Pattern;

use super::partition_table::{DEFAULT_PARTITION, PARTITIONS};
use super::value::Value;

/// One partition: its name, the regions it claims and what `aws.partition` returns for it.
#[derive(Debug)]
pub(super) struct Partition {
    pub(super) name: &'static str,
    /// Claims regions it does not list (`^us\-gov\-\w+\-\d+$`).
    pub(super) region_regex: Pattern,
    pub(super) regions: &'static [&'static str],
    pub(super) dns_suffix: &'static str,
    pub(super) dual_stack_dns_suffix: &'static str,
    pub(super) supports_fips: bool,
    pub(super) supports_dual_stack: bool,
    pub(super) implicit_global_region: &'static str,
}

/// `aws.partition`: the record describing the partition of `region` (`name`,
/// `dnsSuffix`, `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`,
/// `implicitGlobalRegion`). A region listed by a partition belongs to it; otherwise
/// the first partition whose `regionRegex` matches wins; otherwise `aws`.
pub(crate) fn partition(region: &str) -> Value {
    let partition = PARTITIONS
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|p| p.region_regex.is_match(region)))
        .unwrap_or(&PARTITIONS[DEFAULT_PARTITION]);
    let text = |text: &str| Value::String(text.to_owned());
    Value::record([
        ("name", text(partition.name)),
        ("dnsSuffix", text(partition.dns_suffix)),
        ("dualStackDnsSuffix", text(partition.dual_stack_dns_suffix)),
        ("implicitGlobalRegion", text(partition.implicit_global_region)),
        ("supportsFIPS", Value::Bool(partition.supports_fips)),
        ("supportsDualStack", Value::Bool(partition.supports_dual_stack)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(region: &str) -> String {
        match partition(region) {
            Value::Record(fields) => match &fields["name"] {
                Value::String(name) => name.clone(),
                other => panic!("name is {other:?}"),
            },
            other => panic!("partition returned {other:?}"),
        }
    }

    fn output(region: &str, key: &str) -> Value {
        match partition(region) {
            Value::Record(fields) => fields[key].clone(),
            other => panic!("partition returned {other:?}"),
        }
    }

    #[test]
    fn data_loads_with_every_partition() {
        let names: Vec<&str> = PARTITIONS.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "aws",
                "aws-cn",
                "aws-us-gov",
                "aws-iso",
                "aws-iso-b",
                "aws-iso-e",
                "aws-iso-f",
                "aws-eusc"
            ]
        );
    }

    #[test]
    fn listed_regions() {
        for (region, name) in [
            ("us-east-1", "aws"),
            ("aws-global", "aws"),
            ("cn-north-1", "aws-cn"),
            ("cn-northwest-1", "aws-cn"),
            ("aws-cn-global", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("aws-us-gov-global", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("aws-iso-global", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("aws-iso-b-global", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("us-isof-east-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(name_of(region), name, "{region}");
        }
    }

    #[test]
    fn regex_matches_and_fallback() {
        for (region, name) in [
            ("us-east-99", "aws"),
            ("mx-north-7", "aws"),
            ("cn-north-9", "aws-cn"),
            ("us-gov-central-3", "aws-us-gov"),
            ("us-iso-north-2", "aws-iso"),
            ("us-isob-west-4", "aws-iso-b"),
            ("eu-isoe-north-2", "aws-iso-e"),
            ("us-isof-west-1", "aws-iso-f"),
            ("eusc-de-west-2", "aws-eusc"),
            ("local", "aws"),
            ("", "aws"),
            ("mars-west-1", "aws"),
            ("us-east-1-extra", "aws"),
        ] {
            assert_eq!(name_of(region), name, "{region}");
        }
    }

    #[test]
    fn outputs() {
        assert_eq!(output("us-west-2", "dnsSuffix"), Value::String("amazonaws.com".into()));
        assert_eq!(
            output("us-west-2", "dualStackDnsSuffix"),
            Value::String("api.aws".into())
        );
        assert_eq!(
            output("us-west-2", "implicitGlobalRegion"),
            Value::String("us-east-1".into())
        );
        assert_eq!(
            output("cn-north-1", "dnsSuffix"),
            Value::String("amazonaws.com.cn".into())
        );
        assert_eq!(
            output("cn-north-1", "dualStackDnsSuffix"),
            Value::String("api.amazonwebservices.com.cn".into())
        );
        assert_eq!(
            output("us-gov-east-1", "dnsSuffix"),
            Value::String("amazonaws.com".into())
        );
        assert_eq!(output("us-iso-east-1", "dnsSuffix"), Value::String("c2s.ic.gov".into()));
        assert_eq!(output("us-iso-east-1", "supportsDualStack"), Value::Bool(false));
        assert_eq!(
            output("us-isob-east-1", "dnsSuffix"),
            Value::String("sc2s.sgov.gov".into())
        );
        assert_eq!(
            output("eu-isoe-west-1", "dnsSuffix"),
            Value::String("cloud.adc-e.uk".into())
        );
        assert_eq!(
            output("us-isof-south-1", "dnsSuffix"),
            Value::String("csp.hci.ic.gov".into())
        );
        assert_eq!(
            output("eusc-de-east-1", "dnsSuffix"),
            Value::String("amazonaws.eu".into())
        );
        assert_eq!(output("eusc-de-east-1", "supportsFIPS"), Value::Bool(true));
        assert_eq!(output("eusc-de-east-1", "supportsDualStack"), Value::Bool(false));
    }
}
