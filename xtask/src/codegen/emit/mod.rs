//! Stage 3: Rust source from the intermediate representation.
//!
//! Each emitter returns files as text keyed by their path inside the output
//! directory; none touches the disk. Code is built with `quote`, parsed back with
//! `syn` (which catches any emitter bug as an error, not as broken output) and
//! printed by `prettyplease`; [`render`] then puts the "generated" header on top.

pub(crate) mod cargo;
pub(crate) mod client;
pub(crate) mod patterns;
pub(crate) mod rules;
pub(crate) mod schema;
pub(crate) mod types;

use super::docs;
use super::ir::{Ir, Ty, TyKind};
use anyhow::{Context, Result};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// Generated files keyed by path relative to the output directory (`apprunner-types/src/lib.rs`).
pub(crate) type Files = BTreeMap<String, String>;

/// Where the generated crates find their dependencies, and what the header says.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The model path as the header should show it (relative to the repository when inside it).
    pub(crate) model_label: String,
    /// Path from a generated crate's directory to the directory holding the
    /// hand-written crates (`..` when generating into `crates/`).
    pub(crate) runtime_dir: String,
}

/// The crate and module names a model's generated crates use.
pub(crate) struct Crates {
    pub(crate) types_package: String,
    pub(crate) client_package: String,
    pub(crate) types: Ident,
}

impl Crates {
    pub(crate) fn new(ir: &Ir) -> Self {
        let types_package = format!("{}-types", ir.service.crate_stem);
        Self {
            types: ident(&types_package.replace('-', "_")),
            client_package: format!("{}-client", ir.service.crate_stem),
            types_package,
        }
    }
}

/// Emits every file of both crates.
pub(crate) fn emit_all(ir: &Ir, settings: &Settings) -> Result<Files> {
    let crates = Crates::new(ir);
    let mut files = Files::new();
    types::emit(ir, &crates, settings, &mut files)?;
    patterns::emit(ir, &crates, settings, &mut files)?;
    schema::emit(ir, &crates, settings, &mut files)?;
    client::emit(ir, &crates, settings, &mut files)?;
    cargo::emit(ir, &crates, settings, &mut files);
    Ok(files)
}

/// An identifier from a name the naming module produced (raw identifiers included).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` attributes for model documentation (HTML converted to Markdown).
/// `fallback` is used when the model has no documentation (every public item gets some).
pub(crate) fn doc_attrs(docs: Option<&str>, fallback: &str) -> TokenStream {
    let mut lines = docs.map(docs::to_markdown).unwrap_or_default();
    if lines.is_empty() && !fallback.is_empty() {
        lines.push(fallback.to_owned());
    }
    plain_doc_lines(&lines)
}

/// `#[doc = "..."]` attributes for text the generator writes itself (already Markdown).
pub(crate) fn doc_text(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    plain_doc_lines(&lines)
}

/// A generated crate's `lib.rs`: crate documentation (`text`, Markdown) and the
/// `generated` module, kept away from `cargo fmt` (prettyplease formats it).
pub(crate) fn lib_shell(text: &str) -> TokenStream {
    let docs = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #line] }
    });
    quote! {
        #(#docs)*

        #[rustfmt::skip]
        mod generated;
        pub use generated::*;
    }
}

fn plain_doc_lines(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#attrs)* }
}

/// A `#[deprecated]` attribute when the model says so.
pub(crate) fn deprecated_attr(deprecated: Option<&super::ir::Deprecated>) -> TokenStream {
    match deprecated {
        Some(deprecated) => {
            let note = deprecated.note();
            quote! { #[deprecated(note = #note)] }
        }
        None => quote! {},
    }
}

/// The Rust type of a member value (without the `Option` of optional members).
/// `prefix` is the path to the types crate's root (`crate` inside it).
pub(crate) fn rust_type(ty: &Ty, ir: &Ir, prefix: &TokenStream) -> TokenStream {
    match &ty.kind {
        TyKind::Blob => quote! { ::apprunner_smithy::Blob },
        TyKind::Boolean => quote! { bool },
        TyKind::String => quote! { ::std::string::String },
        TyKind::Byte => quote! { i8 },
        TyKind::Short => quote! { i16 },
        TyKind::Integer => quote! { i32 },
        TyKind::Long => quote! { i64 },
        TyKind::Float => quote! { f32 },
        TyKind::Double => quote! { f64 },
        TyKind::BigInteger => quote! { ::apprunner_smithy::BigInteger },
        TyKind::BigDecimal => quote! { ::apprunner_smithy::BigDecimal },
        TyKind::Timestamp => quote! { ::apprunner_smithy::DateTime },
        TyKind::Document => quote! { ::apprunner_smithy::Document },
        TyKind::Unit => quote! { ::apprunner_smithy::Unit },
        TyKind::Named(id) => {
            let name = ident(&ir.shapes[id].rust_name);
            quote! { #prefix::#name }
        }
        TyKind::List { item, sparse } => {
            let item = rust_type(item, ir, prefix);
            if *sparse {
                quote! { ::std::vec::Vec<::std::option::Option<#item>> }
            } else {
                quote! { ::std::vec::Vec<#item> }
            }
        }
        TyKind::Map { key, value, sparse } => {
            let key = rust_type(key, ir, prefix);
            let value = rust_type(value, ir, prefix);
            if *sparse {
                quote! { ::std::collections::BTreeMap<#key, ::std::option::Option<#value>> }
            } else {
                quote! { ::std::collections::BTreeMap<#key, #value> }
            }
        }
    }
}

/// Formats a token stream as a Rust file with the generated-code header.
pub(crate) fn render(tokens: TokenStream, settings: &Settings, path: &str) -> Result<String> {
    let file: syn::File =
        syn::parse2(tokens).with_context(|| format!("generator bug: the code for {path} is not valid Rust"))?;
    Ok(format!("{}\n{}", header("//", settings), prettyplease::unparse(&file)))
}

/// The first line of every generated file.
pub(crate) fn header(comment: &str, settings: &Settings) -> String {
    format!(
        "{comment} @generated by `cargo xtask codegen` from {}. Do not edit: change the model or the generator and regenerate.",
        settings.model_label
    )
}
