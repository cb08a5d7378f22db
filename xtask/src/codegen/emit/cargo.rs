//! The generated crates' manifests.

use super::{Crates, Files, Settings, header};
use crate::codegen::ir::Ir;

/// Writes `Cargo.toml` for both crates.
pub(crate) fn emit(ir: &Ir, crates: &Crates, settings: &Settings, files: &mut Files) {
    let service = &ir.service;
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    let dir = &settings.runtime_dir;
    let types = format!(
        r#"{header}
[package]
name = "{types_package}"
description = "Data types of {title} ({version}), generated from its Smithy model."
version = "0.1.0"
edition = "2024"
rust-version = "1.94"
license = "MIT OR Apache-2.0"

[dependencies]
apprunner-smithy = {{ path = "{dir}/apprunner-smithy", version = "0.1.0" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[lints]
workspace = true
"#,
        header = header("#", settings),
        types_package = crates.types_package,
        version = service.version,
    );
    let client = format!(
        r#"{header}
[package]
name = "{client_package}"
description = "Client for {title} ({version}), generated from its Smithy model."
version = "0.1.0"
edition = "2024"
rust-version = "1.94"
license = "MIT OR Apache-2.0"

[dependencies]
{types_package} = {{ path = "../{types_package}", version = "0.1.0" }}
apprunner-runtime = {{ path = "{dir}/apprunner-runtime", version = "0.1.0" }}
apprunner-smithy = {{ path = "{dir}/apprunner-smithy", version = "0.1.0" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[lints]
workspace = true
"#,
        header = header("#", settings),
        client_package = crates.client_package,
        types_package = crates.types_package,
        version = service.version,
    );
    files.insert(format!("{}/Cargo.toml", crates.types_package), types);
    files.insert(format!("{}/Cargo.toml", crates.client_package), client);
}
