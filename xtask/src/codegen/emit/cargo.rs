//! The generated crates' manifests.

use super::{Crates, Files, Settings, header};
use crate::codegen::ir::Ir;

/// Writes `Cargo.toml` for both crates.
pub(crate) fn emit(ir: &Ir, crates: &Crates, settings: &Settings, files: &mut Files) {
    let service = &ir.service;
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    let dir = &settings.runtime_dir;
    let smithy = format!(r#"apprunner-smithy = {{ path = "{dir}/apprunner-smithy", version = "0.1.0" }}"#);
    let runtime = format!(r#"apprunner-runtime = {{ path = "{dir}/apprunner-runtime", version = "0.1.0" }}"#);
    let types = format!(
        r#"{types_package} = {{ path = "../{types_package}", version = "0.1.0" }}"#,
        types_package = crates.types_package
    );
    let manifest = |package: &str, what: &str, dependencies: &[&str]| {
        format!(
            r#"{header}
[package]
name = "{package}"
description = "{what} {title} ({version}), generated from its Smithy model."
version = "0.1.0"
edition = "2024"
rust-version = "1.94"
license = "MIT OR Apache-2.0"

[dependencies]
{dependencies}

[lints]
workspace = true
"#,
            header = header("#", settings),
            version = service.version,
            dependencies = dependencies.join("\n"),
        )
    };
    files.insert(
        format!("{}/Cargo.toml", crates.types_package),
        manifest(&crates.types_package, "Data types of", &[&smithy]),
    );
    files.insert(
        format!("{}/Cargo.toml", crates.client_package),
        manifest(&crates.client_package, "Client for", &[&types, &runtime, &smithy]),
    );
}
