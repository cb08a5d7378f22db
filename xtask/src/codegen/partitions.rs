//! `model/partitions.json` → the runtime's partition table.
//!
//! The `aws.partition` function of endpoint rule sets maps a region to its
//! partition: the partition that lists the region, else the first whose region
//! pattern matches it, else `aws`. The data lives in the model folder and is
//! turned into static Rust here, region patterns included (compiled like
//! `@pattern`s), so the runtime neither parses JSON nor compiles a regular
//! expression to resolve an endpoint.

use super::emit::{self, Files, Settings};
use super::pattern;
use anyhow::{Context, Result, bail};
use quote::{format_ident, quote};
use serde::Deserialize;
use std::path::Path;

/// Where the data is, relative to the repository root.
pub(crate) const SOURCE: &str = "model/partitions.json";
/// Where the table goes, relative to the repository root.
pub(crate) const TABLE: &str = "crates/apprunner-runtime/src/endpoint/partition_table.rs";
/// The partition for regions no other partition claims.
const DEFAULT_PARTITION: &str = "aws";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartitionsFile {
    /// What the file is, for its readers (not used here).
    #[serde(default, rename = "comment")]
    _comment: Option<String>,
    partitions: Vec<PartitionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PartitionEntry {
    name: String,
    region_regex: String,
    regions: Vec<String>,
    outputs: Outputs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Outputs {
    dns_suffix: String,
    dual_stack_dns_suffix: String,
    #[serde(rename = "supportsFIPS")]
    supports_fips: bool,
    supports_dual_stack: bool,
    implicit_global_region: String,
}

/// The partition table generated from the data under `root`: path (relative to
/// `root`) → content.
pub(crate) fn generate(root: &Path) -> Result<Files> {
    let path = root.join(SOURCE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the partition data {}; restore it from git", path.display()))?;
    let file: PartitionsFile =
        serde_json::from_str(&text).with_context(|| format!("{SOURCE} is not valid partition data"))?;
    let Some(default) = file.partitions.iter().position(|p| p.name == DEFAULT_PARTITION) else {
        bail!("{SOURCE} has no `{DEFAULT_PARTITION}` partition; regions nothing else claims fall back to it");
    };
    let mut tables = Vec::new();
    let mut entries = Vec::new();
    for (index, partition) in file.partitions.iter().enumerate() {
        let compiled = pattern::compile(&partition.region_regex, None).map_err(|reason| {
            anyhow::anyhow!(
                "{SOURCE}: the regionRegex {:?} of partition {} cannot be compiled: {reason}",
                partition.region_regex,
                partition.name
            )
        })?;
        let (statics, region_regex) =
            emit::patterns::pattern_value(&format_ident!("REGION_REGEX_{}", index + 1), &compiled);
        tables.push(statics);
        let PartitionEntry {
            name, regions, outputs, ..
        } = partition;
        let Outputs {
            dns_suffix,
            dual_stack_dns_suffix,
            supports_fips,
            supports_dual_stack,
            implicit_global_region,
        } = outputs;
        entries.push(quote! {
            Partition {
                name: #name,
                region_regex: #region_regex,
                regions: &[#(#regions),*],
                dns_suffix: #dns_suffix,
                dual_stack_dns_suffix: #dual_stack_dns_suffix,
                supports_fips: #supports_fips,
                supports_dual_stack: #supports_dual_stack,
                implicit_global_region: #implicit_global_region,
            }
        });
    }
    let count = entries.len();
    let tokens = quote! {
        //! The partitions of `model/partitions.json`, for the `aws.partition` endpoint function.

        use ::apprunner_smithy::pattern::{Automaton, Pattern};
        use super::partitions::Partition;

        #(#tables)*

        /// Every partition, in the order their region patterns are tried.
        pub(super) static PARTITIONS: [Partition; #count] = [#(#entries),*];

        /// The index of the partition for regions no other partition claims (`aws`).
        pub(super) const DEFAULT_PARTITION: usize = #default;
    };
    let settings = Settings {
        model_label: SOURCE.to_owned(),
        runtime_dir: String::new(),
    };
    let mut files = Files::new();
    files.insert(TABLE.to_owned(), emit::render(tokens, &settings, TABLE)?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generates from `data` written to a scratch repository root.
    fn generate_from(data: &str) -> Result<Files> {
        let root = std::env::temp_dir().join(format!("xtask-partitions-{}-{:x}", std::process::id(), {
            use std::hash::{BuildHasher, RandomState};
            RandomState::new().hash_one(data)
        }));
        std::fs::create_dir_all(root.join("model")).unwrap();
        std::fs::write(root.join(SOURCE), data).unwrap();
        let result = generate(&root);
        std::fs::remove_dir_all(&root).unwrap();
        result
    }

    fn partition(name: &str, regex: &str) -> String {
        format!(
            r#"{{"name": "{name}", "regionRegex": "{regex}", "regions": ["{name}-1"], "outputs": {{"dnsSuffix": "d",
               "dualStackDnsSuffix": "s", "supportsFIPS": true, "supportsDualStack": false, "implicitGlobalRegion": "g"}}}}"#
        )
    }

    #[test]
    fn the_project_data_generates_the_committed_table() {
        let files = generate(&crate::codegen::project_root()).unwrap();
        let committed = std::fs::read_to_string(crate::codegen::project_root().join(TABLE)).unwrap();
        assert_eq!(files[TABLE], committed.replace("\r\n", "\n"));
    }

    #[test]
    fn bad_data_is_reported_with_the_field_and_the_fix() {
        let aws = partition("aws", "^aws\\\\-\\\\d+$");
        let generated = generate_from(&format!(r#"{{"partitions": [{aws}]}}"#)).unwrap();
        assert!(generated[TABLE].contains("DEFAULT_PARTITION: usize = 0usize"));
        let cases = [
            (
                format!(r#"{{"partitions": [{}]}}"#, partition("aws-cn", "^cn$")),
                "no `aws` partition",
            ),
            (
                format!(r#"{{"partitions": [{aws}, {}]}}"#, partition("bad", "^a\\\\b")),
                "partition bad cannot be compiled: word boundaries",
            ),
            (
                format!(r#"{{"partitions": [{aws}], "extra": 1}}"#),
                "not valid partition data",
            ),
            (
                r#"{"partitions": [{"name": "aws"}]}"#.to_owned(),
                "not valid partition data",
            ),
        ];
        for (data, expected) in cases {
            let error = format!("{:#}", generate_from(&data).unwrap_err());
            assert!(error.contains(expected), "{error}");
        }
    }
}
