//! AWS partition data (`partitions.json`, embedded) and the `aws.partition` function.

use std::sync::OnceLock;

use regex_lite::Regex;

use super::value::Value;

/// The partition data, in this module's own format.
const DATA: &str = include_str!("partitions.json");

/// The partition a region falls back to when nothing else matches it.
const DEFAULT_PARTITION: &str = "aws";

/// One partition.
#[derive(Debug)]
struct Partition {
    name: String,
    region_regex: Regex,
    regions: Vec<String>,
    /// The record `aws.partition` returns, `name` included.
    outputs: Value,
}

fn partitions() -> &'static [Partition] {
    static PARTITIONS: OnceLock<Vec<Partition>> = OnceLock::new();
    PARTITIONS.get_or_init(|| load(DATA).unwrap_or_else(|e| panic!("embedded partitions.json is invalid: {e}")))
}

/// Parses the partition data.
fn load(text: &str) -> Result<Vec<Partition>, String> {
    let json: serde_json::Value = serde_json::from_slice(text.as_bytes()).map_err(|e| e.to_string())?;
    let list = json["partitions"].as_array().ok_or("`partitions` must be an array")?;
    list.iter()
        .map(|partition| {
            let name = partition["name"].as_str().ok_or("a partition has no `name`")?;
            let pattern = partition["regionRegex"]
                .as_str()
                .ok_or_else(|| format!("partition {name} has no `regionRegex`"))?;
            let region_regex =
                Regex::new(pattern).map_err(|e| format!("partition {name} has an invalid regionRegex: {e}"))?;
            let regions = partition["regions"]
                .as_array()
                .ok_or_else(|| format!("partition {name} has no `regions`"))?
                .iter()
                .map(|region| region.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("partition {name} has a region that is not a string"))?;
            let outputs = partition["outputs"]
                .as_object()
                .ok_or_else(|| format!("partition {name} has no `outputs`"))?;
            let mut fields = vec![("name", Value::String(name.to_owned()))];
            for key in ["dnsSuffix", "dualStackDnsSuffix", "implicitGlobalRegion"] {
                let value = outputs[key]
                    .as_str()
                    .ok_or_else(|| format!("partition {name} has no string output `{key}`"))?;
                fields.push((key, Value::String(value.to_owned())));
            }
            for key in ["supportsFIPS", "supportsDualStack"] {
                let value = outputs[key]
                    .as_bool()
                    .ok_or_else(|| format!("partition {name} has no boolean output `{key}`"))?;
                fields.push((key, Value::Bool(value)));
            }
            Ok(Partition {
                name: name.to_owned(),
                region_regex,
                regions,
                outputs: Value::record(fields),
            })
        })
        .collect()
}

/// `aws.partition`: the record describing the partition of `region` (`name`,
/// `dnsSuffix`, `dualStackDnsSuffix`, `supportsFIPS`, `supportsDualStack`,
/// `implicitGlobalRegion`). A region listed by a partition belongs to it; otherwise
/// the first partition whose `regionRegex` matches wins; otherwise `aws`.
pub(crate) fn partition(region: &str) -> Value {
    let all = partitions();
    all.iter()
        .find(|p| p.regions.iter().any(|r| r == region))
        .or_else(|| all.iter().find(|p| p.region_regex.is_match(region)))
        .or_else(|| all.iter().find(|p| p.name == DEFAULT_PARTITION))
        .map(|p| p.outputs.clone())
        .unwrap_or_else(|| panic!("partitions.json lacks the `{DEFAULT_PARTITION}` partition"))
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
        let names: Vec<&str> = partitions().iter().map(|p| p.name.as_str()).collect();
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
