//! The types crate: one file per structure, union and enum, with builders,
//! redacting `Debug`, constraint validation and the awsJson wire form.

use super::{Crates, Files, Settings, deprecated_attr, doc_attrs, ident, lib_shell, render, rust_type};
use crate::codegen::ir::{
    EnumValue, IntEnumValue, Ir, Member, NamedKind, NamedShape, Role, Structure, TimestampFormat, Ty, TyKind,
};
use crate::codegen::names;
use anyhow::{Result, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// Emits `src/lib.rs`, `src/generated/mod.rs` and one file per named shape under `src/generated/`.
pub(crate) fn emit(ir: &Ir, crates: &Crates, settings: &Settings, files: &mut Files) -> Result<()> {
    let root = format!("{}/src", crates.types_package);
    let mut modules = Vec::new();
    for shape in ir.shapes.values() {
        let module = names::module(&shape.rust_name);
        let tokens = match &shape.kind {
            NamedKind::Structure(structure) => structure_file(ir, shape, structure)?,
            NamedKind::Union(members) => union_file(ir, shape, members)?,
            NamedKind::Enum(values) => enum_file(shape, values),
            NamedKind::IntEnum(values) => int_enum_file(shape, values),
        };
        let path = format!("{root}/generated/{}.rs", module.trim_start_matches("r#"));
        files.insert(path.clone(), render(tokens, settings, &path)?);
        modules.push((module, shape));
    }
    let path = format!("{root}/generated/mod.rs");
    files.insert(path.clone(), render(shapes_mod(&modules), settings, &path)?);
    let path = format!("{root}/lib.rs");
    files.insert(path.clone(), render(lib_rs(ir, crates), settings, &path)?);
    Ok(())
}

fn lib_rs(ir: &Ir, crates: &Crates) -> TokenStream {
    let service = &ir.service;
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    let client_crate = crates.client_package.replace('-', "_");
    let text = format!(
        "Data types of {title} (API version {version}), generated from its Smithy model.\n\n\
         # Crate organization\n\n\
         - One type per structure, union and enum of the model, at the crate root:\n  \
         operation inputs and outputs are named `<Operation>Input` and `<Operation>Output`,\n  \
         modeled errors keep their model names.\n\
         - [`builders`]: a builder per structure; `build()` reports every missing required member at once.\n\
         - Every type implements [`Validate`], which checks the model's `@length`, `@pattern` and\n  \
         `@range` constraints and reports every violation with its member path.\n\
         - `WriteJson` and `ReadJson` give the exact awsJson wire form: model member names, absent members omitted,\n  \
         timestamps as epoch seconds, blobs as base64, unknown response members ignored.\n\
         - Enums keep values this crate does not know in an `Unknown` variant.\n\
         - `Debug` never prints `@sensitive` values.\n\n\
         To call the service, use the `{client_crate}` crate, which re-exports this one.",
        version = service.version,
    );
    lib_shell(&text)
}

fn shapes_mod(modules: &[(String, &NamedShape)]) -> TokenStream {
    let declarations = modules.iter().map(|(module, _)| {
        let module = ident(module);
        quote! { mod #module; }
    });
    let exports = modules.iter().map(|(module, shape)| {
        let module = ident(module);
        let name = ident(&shape.rust_name);
        quote! { pub use #module::#name; }
    });
    let builders = modules
        .iter()
        .filter(|(_, shape)| matches!(shape.kind, NamedKind::Structure(_)))
        .map(|(module, shape)| {
            let module = ident(module);
            let builder = format_ident!("{}Builder", shape.rust_name);
            quote! { pub use super::#module::#builder; }
        });
    quote! {
        #![warn(missing_docs)]
        #![allow(deprecated, clippy::large_enum_variant, clippy::too_many_arguments, clippy::new_without_default)]

        #(#declarations)*
        pub mod patterns;
        pub mod schema;
        #(#exports)*
        pub use ::apprunner_smithy::{Blob, BigDecimal, BigInteger, DateTime, Document, ErrorMetadata, Validate, ValidationError, Violation};

        /// Builders for the structures of this crate.
        pub mod builders {
            #(#builders)*
        }
    }
}

/// How a member is stored in its structure.
enum Storage {
    /// `T`: required, or with a default.
    Plain,
    /// `Option<T>`.
    Optional,
}

fn storage(member: &Member) -> Storage {
    if member.required || member.default.is_some() {
        Storage::Plain
    } else {
        Storage::Optional
    }
}

fn stored_type(ir: &Ir, member: &Member) -> TokenStream {
    let inner = rust_type(&member.ty, ir, &quote! { crate });
    let inner = if member.boxed {
        quote! { ::std::boxed::Box<#inner> }
    } else {
        inner
    };
    match storage(member) {
        Storage::Plain => inner,
        Storage::Optional => quote! { ::std::option::Option<#inner> },
    }
}

/// `WriteJson` for a structure: an object with each member under its wire name,
/// in model order. An absent optional member is left out, never written as `null`.
/// The error metadata of a modeled error is not part of the wire form and is
/// never written.
fn write_json_impl(name: &proc_macro2::Ident, members: &[Member]) -> TokenStream {
    let writes = members.iter().map(|member| {
        let field = ident(&member.field);
        let wire = &member.wire_name;
        match (storage(member), timestamp_text(member)) {
            (Storage::Plain, None) => quote! { out.member(#wire, &self.#field); },
            (Storage::Plain, Some(format)) => quote! {
                out.member(#wire, &::apprunner_smithy::json::TimestampAs(&self.#field, #format));
            },
            (Storage::Optional, None) => quote! { out.optional_member(#wire, self.#field.as_ref()); },
            (Storage::Optional, Some(format)) => quote! {
                if let ::std::option::Option::Some(value) = &self.#field {
                    out.member(#wire, &::apprunner_smithy::json::TimestampAs(value, #format));
                }
            },
        }
    });
    quote! {
        impl ::apprunner_smithy::json::WriteJson for #name {
            fn write_json(&self, out: &mut ::apprunner_smithy::json::JsonWriter) {
                out.start_object();
                #(#writes)*
                out.end_object();
            }
        }
    }
}

/// The `@timestampFormat` a timestamp member is written in, when it is text
/// rather than the default epoch seconds.
fn timestamp_text(member: &Member) -> Option<TokenStream> {
    let format = match member.timestamp_format? {
        TimestampFormat::DateTime => quote! { DateTime },
        TimestampFormat::HttpDate => quote! { HttpDate },
    };
    Some(quote! { ::apprunner_smithy::TimestampFormat::#format })
}

/// `ReadJson` for a structure: a JSON object whose members are matched by wire
/// name (unknown ones skipped, a repeated one an error). A member that is absent
/// or `null` takes its model default, or for a required member its type's zero
/// value (Smithy's client error correction), or stays `None`. A modeled error
/// also accepts its message member spelled `message` or `Message`, as services
/// send both.
fn read_json_impl(ir: &Ir, name: &proc_macro2::Ident, structure: &Structure, is_error: bool) -> TokenStream {
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut fields = Vec::new();
    // The wire names the reader looks each member name up in, in model order;
    // an arm matches the positions of its member's names.
    let mut names: Vec<String> = Vec::new();
    for (index, member) in structure.members.iter().enumerate() {
        let field = ident(&member.field);
        let local = format_ident!("m{index}");
        let wire = &member.wire_name;
        let mut spellings = vec![wire.clone()];
        if is_error && wire.eq_ignore_ascii_case("message") {
            spellings.push(if wire == "message" { "Message" } else { "message" }.to_owned());
        }
        let mut positions = Vec::new();
        for spelling in spellings {
            positions.push(proc_macro2::Literal::usize_unsuffixed(names.len()));
            names.push(spelling);
        }
        let read = match timestamp_text(member) {
            Some(format) => quote! {
                reader.member_with(&mut #local, #wire, |reader| ::apprunner_smithy::json::read_timestamp(reader, #format))?
            },
            None => quote! { reader.member(&mut #local, #wire)? },
        };
        arms.push(quote! { #(#positions)|* => #read, });
        let ty = stored_type(ir, member);
        locals.push(match storage(member) {
            Storage::Optional => quote! { let mut #local: #ty = ::std::option::Option::None; },
            Storage::Plain => quote! { let mut #local: ::std::option::Option<#ty> = ::std::option::Option::None; },
        });
        fields.push(match storage(member) {
            Storage::Optional => quote! { #field: #local, },
            Storage::Plain if member.default.is_some() => {
                let function = default_fn_name(member);
                quote! { #field: #local.unwrap_or_else(#function), }
            }
            Storage::Plain => quote! { #field: ::apprunner_smithy::json::corrected(#local), },
        });
    }
    let meta = if is_error {
        quote! { meta: ::std::default::Default::default(), }
    } else {
        quote! {}
    };
    let body = if arms.is_empty() {
        quote! {
            while reader.next_member()?.is_some() {
                reader.skip_value()?;
            }
        }
    } else {
        quote! {
            const NAMES: &[&str] = &[#(#names),*];
            #(#locals)*
            let mut next = 0;
            while let ::std::option::Option::Some(index) = reader.next_member_of(NAMES, &mut next)? {
                match index {
                    #(#arms)*
                    _ => reader.skip_value()?,
                }
            }
        }
    };
    quote! {
        impl ::apprunner_smithy::json::ReadJson for #name {
            fn read_json(reader: &mut ::apprunner_smithy::json::JsonReader<'_>) -> ::std::result::Result<Self, ::apprunner_smithy::json::JsonReadError> {
                reader.start_object()?;
                #body
                ::std::result::Result::Ok(Self { #(#fields)* #meta })
            }
        }
    }
}

fn default_fn_name(member: &Member) -> proc_macro2::Ident {
    format_ident!("default_{}", member.field.trim_start_matches("r#"))
}

/// The Rust expression of a member's `@default` value.
fn default_expr(ir: &Ir, member: &Member) -> TokenStream {
    let value = member.default.as_ref().unwrap_or(&Value::Null);
    match (&member.ty.kind, value) {
        (TyKind::Boolean, Value::Bool(b)) => quote! { #b },
        (TyKind::Byte, Value::Number(n)) => literal_int::<i8>(n),
        (TyKind::Short, Value::Number(n)) => literal_int::<i16>(n),
        (TyKind::Integer, Value::Number(n)) => literal_int::<i32>(n),
        (TyKind::Long, Value::Number(n)) => literal_int::<i64>(n),
        (TyKind::Float, Value::Number(n)) => {
            let v = n.as_f64().unwrap_or_default() as f32;
            quote! { #v }
        }
        (TyKind::Double, Value::Number(n)) => {
            let v = n.as_f64().unwrap_or_default();
            quote! { #v }
        }
        (TyKind::String, Value::String(s)) => quote! { ::std::string::String::from(#s) },
        (TyKind::List { .. }, _) => quote! { ::std::vec::Vec::new() },
        (TyKind::Map { .. }, _) => quote! { ::std::collections::BTreeMap::new() },
        (TyKind::Named(id), Value::String(s)) => {
            let name = ident(&ir.shapes[id].rust_name);
            quote! { crate::#name::from(#s) }
        }
        (TyKind::Named(id), Value::Number(n)) => {
            let name = ident(&ir.shapes[id].rust_name);
            let v = literal_int::<i32>(n);
            quote! { crate::#name::from(#v) }
        }
        _ => quote! { ::std::default::Default::default() },
    }
}

fn literal_int<T: TryFrom<i64> + quote::ToTokens + Default>(n: &serde_json::Number) -> TokenStream {
    let value = n.as_i64().and_then(|v| T::try_from(v).ok()).unwrap_or_default();
    quote! { #value }
}

fn message_member(structure: &Structure) -> Option<&Member> {
    structure
        .members
        .iter()
        .find(|m| m.wire_name.eq_ignore_ascii_case("message") && matches!(m.ty.kind, TyKind::String))
}

fn structure_file(ir: &Ir, shape: &NamedShape, structure: &Structure) -> Result<TokenStream> {
    let name = ident(&shape.rust_name);
    let builder = format_ident!("{}Builder", shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` shape of the model.", shape.rust_name),
    );
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let is_error = matches!(structure.role, Role::Error(_));
    let fields = structure.members.iter().map(|member| {
        let field = ident(&member.field);
        let ty = stored_type(ir, member);
        let docs = doc_attrs(member.docs.as_deref(), &format!("The `{}` member.", member.wire_name));
        let deprecated = deprecated_attr(member.deprecated.as_ref());
        quote! { #docs #deprecated pub #field: #ty, }
    });
    let meta_field = if is_error {
        quote! {
            /// Response metadata (request id, HTTP status); not part of the wire form.
            pub meta: ::apprunner_smithy::ErrorMetadata,
        }
    } else {
        quote! {}
    };
    let default_fns = structure.members.iter().filter(|m| m.default.is_some()).map(|member| {
        let function = default_fn_name(member);
        let inner = rust_type(&member.ty, ir, &quote! { crate });
        let ty = if member.boxed {
            quote! { ::std::boxed::Box<#inner> }
        } else {
            inner
        };
        let value = default_expr(ir, member);
        let value = if member.boxed {
            quote! { ::std::boxed::Box::new(#value) }
        } else {
            value
        };
        quote! {
            fn #function() -> #ty { #value }
        }
    });
    let correction_fields = structure.members.iter().map(|member| {
        let field = ident(&member.field);
        if member.default.is_some() {
            let function = default_fn_name(member);
            quote! { #field: #function(), }
        } else if member.required {
            quote! { #field: ::apprunner_smithy::correction::error_correction(), }
        } else {
            quote! { #field: ::std::option::Option::None, }
        }
    });
    let correction_meta = if is_error {
        quote! { meta: ::std::default::Default::default(), }
    } else {
        quote! {}
    };
    let correction = quote! {
        impl ::apprunner_smithy::ErrorCorrection for #name {
            fn error_correction() -> Self {
                Self { #(#correction_fields)* #correction_meta }
            }
        }
    };
    let debug_struct = debug_impl(ir, shape, &structure.members, &name, false);
    let debug_builder = debug_impl(ir, shape, &structure.members, &builder, true);
    let validate = validate_structure(ir, &name, &structure.members, false);
    let validate_builder = validate_structure(ir, &builder, &structure.members, true);
    let builder_code = builder_impl(ir, shape, structure, &name, &builder)?;
    let serialize = write_json_impl(&name, &structure.members);
    let deserialize = read_json_impl(ir, &name, structure, is_error);
    let error_impls = match &structure.role {
        Role::Error(_) => {
            let code = shape.id.rsplit_once('#').map_or(shape.id.as_str(), |(_, n)| n);
            let message = match message_member(structure) {
                Some(member) => {
                    let field = ident(&member.field);
                    match storage(member) {
                        Storage::Optional => quote! { self.#field.as_deref() },
                        Storage::Plain => quote! { ::std::option::Option::Some(self.#field.as_str()) },
                    }
                }
                None => quote! { self.meta.message.as_deref() },
            };
            quote! {
                impl #name {
                    /// The error code services send for this error.
                    pub const CODE: &'static str = #code;

                    /// The error message, if the service sent one.
                    pub fn message(&self) -> ::std::option::Option<&str> {
                        #message
                    }
                }

                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(Self::CODE)?;
                        if let ::std::option::Option::Some(message) = self.message() {
                            write!(f, ": {message}")?;
                        }
                        ::std::result::Result::Ok(())
                    }
                }

                impl ::std::error::Error for #name {}
            }
        }
        _ => quote! {},
    };
    Ok(quote! {
        #docs
        #deprecated
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #meta_field
        }

        #serialize
        #deserialize

        impl #name {
            /// A builder for this structure.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #(#default_fns)*
        #debug_struct
        #validate
        #builder_code
        #debug_builder
        #validate_builder
        #correction
        #error_impls
    })
}

/// `Debug` that shows `@sensitive` members (and whole sensitive structures) as redacted.
fn debug_impl(
    ir: &Ir,
    shape: &NamedShape,
    members: &[Member],
    name: &proc_macro2::Ident,
    builder: bool,
) -> TokenStream {
    let label = name.to_string();
    if shape.sensitive {
        let format = format!("{label}({{}})");
        return quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    write!(f, #format, ::apprunner_smithy::REDACTED)
                }
            }
        };
    }
    let fields = members.iter().map(|member| {
        let field = ident(&member.field);
        let field_name = member.field.trim_start_matches("r#");
        let optional = builder || matches!(storage(member), Storage::Optional);
        if member.ty.contains_sensitive(&ir.shapes) {
            if optional {
                quote! { debug.field(#field_name, &self.#field.as_ref().map(|_| ::apprunner_smithy::REDACTED)); }
            } else {
                quote! { debug.field(#field_name, &::apprunner_smithy::REDACTED); }
            }
        } else {
            quote! { debug.field(#field_name, &self.#field); }
        }
    });
    let meta = if !builder && members_are_error(shape) {
        quote! { debug.field("meta", &self.meta); }
    } else {
        quote! {}
    };
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut debug = f.debug_struct(#label);
                #(#fields)*
                #meta
                debug.finish()
            }
        }
    }
}

fn members_are_error(shape: &NamedShape) -> bool {
    matches!(
        &shape.kind,
        NamedKind::Structure(Structure {
            role: Role::Error(_),
            ..
        })
    )
}

/// `Validate` for a structure, or (`builder`) for its builder, whose members are all optional.
fn validate_structure(ir: &Ir, name: &proc_macro2::Ident, members: &[Member], builder: bool) -> TokenStream {
    let checks: Vec<TokenStream> = members
        .iter()
        .filter_map(|member| {
            let body = value_checks(ir, &member.ty, quote! { value }, 0);
            if body.is_empty() {
                return None;
            }
            let field = ident(&member.field);
            let wire = &member.wire_name;
            // Builders hold every member as an unboxed `Option`.
            let rebind = if member.boxed && !builder {
                quote! { let value = &**value; }
            } else {
                quote! {}
            };
            let storage = if builder { Storage::Optional } else { storage(member) };
            let bind = match storage {
                Storage::Optional => quote! { if let ::std::option::Option::Some(value) = &self.#field },
                Storage::Plain => quote! { let value = &self.#field; },
            };
            Some(match storage {
                Storage::Optional => quote! {
                    #bind {
                        #rebind
                        let path = &::apprunner_smithy::validation::member_path(path, #wire);
                        #body
                    }
                },
                Storage::Plain => quote! {
                    {
                        #bind
                        #rebind
                        let path = &::apprunner_smithy::validation::member_path(path, #wire);
                        #body
                    }
                },
            })
        })
        .collect();
    let (path, out) = if checks.is_empty() {
        (quote! { _path }, quote! { _out })
    } else {
        (quote! { path }, quote! { out })
    };
    quote! {
        impl ::apprunner_smithy::Validate for #name {
            fn validate_into(&self, #path: &::apprunner_smithy::ValuePath<'_>, #out: &mut ::std::vec::Vec<::apprunner_smithy::Violation>) {
                #(#checks)*
            }
        }
    }
}

/// Checks for one value of type `ty`, bound as a reference named by `value`, at `path`.
fn value_checks(ir: &Ir, ty: &Ty, value: TokenStream, depth: usize) -> TokenStream {
    let mut checks = Vec::new();
    let sensitive = ty.contains_sensitive(&ir.shapes);
    // The text that `@length` and `@pattern` constrain: a string's own, or an enum's value.
    let text = match &ty.kind {
        TyKind::String => Some(value.clone()),
        TyKind::Named(id) if matches!(ir.shapes[id].kind, NamedKind::Enum(_)) => Some(quote! { #value.as_str() }),
        _ => None,
    };
    if let Some((min, max)) = ty.constraints.length {
        let (length, unit) = match (&ty.kind, &text) {
            (_, Some(text)) => (
                quote! { ::apprunner_smithy::validation::string_length(#text) },
                quote! { Characters },
            ),
            (TyKind::List { .. }, _) => (quote! { #value.len() as u64 }, quote! { Items }),
            (TyKind::Map { .. }, _) => (quote! { #value.len() as u64 }, quote! { Entries }),
            (TyKind::Blob, _) => (quote! { #value.as_bytes().len() as u64 }, quote! { Bytes }),
            _ => (quote! {}, quote! {}),
        };
        if !length.is_empty() {
            let min = option_tokens(min);
            let max = option_tokens(max);
            checks.push(quote! {
                ::apprunner_smithy::validation::check_length(out, path, #length, #min, #max, ::apprunner_smithy::validation::LengthUnit::#unit);
            });
        }
    }
    if let (Some(index), Some(text)) = (ty.constraints.pattern, &text) {
        let pattern = super::patterns::pattern_ident(index);
        checks.push(quote! {
            ::apprunner_smithy::validation::check_pattern(out, path, #text, &crate::patterns::#pattern, #sensitive);
        });
    }
    if let Some((min, max)) = ty.constraints.range {
        let number = match &ty.kind {
            TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Float => Some(quote! { f64::from(*#value) }),
            TyKind::Long => Some(quote! { *#value as f64 }),
            TyKind::Double => Some(quote! { *#value }),
            _ => None,
        };
        if let Some(number) = number {
            let min = option_f64(min);
            let max = option_f64(max);
            checks.push(quote! { ::apprunner_smithy::validation::check_range(out, path, #number, #min, #max); });
        }
    }
    match &ty.kind {
        TyKind::Named(id) if matches!(ir.shapes[id].kind, NamedKind::Structure(_) | NamedKind::Union(_)) => {
            checks.push(quote! { ::apprunner_smithy::Validate::validate_into(#value, path, out); });
        }
        TyKind::List { item, sparse } => {
            let item_value = format_ident!("item{}", depth);
            let index = format_ident!("index{}", depth);
            let inner = value_checks(ir, item, quote! { #item_value }, depth + 1);
            let bind = if *sparse {
                quote! { let ::std::option::Option::Some(#item_value) = #item_value else { continue }; }
            } else {
                quote! {}
            };
            if !inner.is_empty() {
                checks.push(quote! {
                    for (#index, #item_value) in #value.iter().enumerate() {
                        #bind
                        let path = &::apprunner_smithy::validation::index_path(path, #index);
                        #inner
                    }
                });
            }
        }
        TyKind::Map {
            key,
            value: map_value,
            sparse,
        } => {
            let key_var = format_ident!("key{}", depth);
            let value_var = format_ident!("entry{}", depth);
            let key_sensitive = key.contains_sensitive(&ir.shapes);
            let key_checks = value_checks(ir, key, quote! { #key_var }, depth + 1);
            let value_checks = value_checks(ir, map_value, quote! { #value_var }, depth + 1);
            let value_used = !value_checks.is_empty();
            let bind = if *sparse && value_used {
                quote! { let ::std::option::Option::Some(#value_var) = #value_var else { continue }; }
            } else {
                quote! {}
            };
            let (pattern, entries) = if value_used {
                (quote! { (#key_var, #value_var) }, quote! { #value })
            } else {
                (quote! { #key_var }, quote! { #value.keys() })
            };
            // A map key is a string or an enum; a path names the enum key by its text.
            let key_text = match key.kind {
                TyKind::Named(_) => quote! { #key_var.as_str() },
                _ => quote! { #key_var },
            };
            if value_used || !key_checks.is_empty() {
                checks.push(quote! {
                    for #pattern in #entries {
                        let path = &::apprunner_smithy::validation::key_path(path, #key_text, #key_sensitive);
                        #key_checks
                        #bind
                        #value_checks
                    }
                });
            }
        }
        _ => {}
    }
    quote! { #(#checks)* }
}

fn option_tokens(value: Option<u64>) -> TokenStream {
    match value {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}

fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}

/// The operator methods (`Add::add(self, rhs) -> Self` and its kin) that a
/// setter's shape, `fn name(self, value) -> Self`, matches: clippy's
/// `should_implement_trait` asks for the trait instead. A model member can take
/// such a name (ECS's `KernelCapabilities` has `add`); its setter is allowed to.
const OPERATOR_METHODS: &[&str] = &[
    "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
];

/// The setters a member gets on builders: `name(value)` (or `name(item)` that
/// appends to a list, `name(key, value)` that inserts into a map) and `set_name(Option<...>)`.
pub(crate) fn setters(ir: &Ir, member: &Member, prefix: &TokenStream, delegate: bool) -> TokenStream {
    let field = ident(&member.field);
    let setter = ident(&member.setter);
    let setter_text = names::function(&member.wire_name);
    let setter_name = ident(&setter_text);
    let deprecated = deprecated_attr(member.deprecated.as_ref());
    let attrs = if OPERATOR_METHODS.contains(&setter_text.as_str()) {
        quote! { #deprecated #[allow(clippy::should_implement_trait)] }
    } else {
        deprecated.clone()
    };
    let docs = doc_attrs(
        member.docs.as_deref(),
        &format!("Sets the `{}` member.", member.wire_name),
    );
    let whole = rust_type(&member.ty, ir, prefix);
    let (adder, set) = match &member.ty.kind {
        TyKind::List { item, sparse } => {
            let item_ty = rust_type(item, ir, prefix);
            let item_ty = if *sparse {
                quote! { ::std::option::Option<#item_ty> }
            } else {
                item_ty
            };
            let body = if delegate {
                quote! { self.inner = self.inner.#setter_name(item); }
            } else {
                quote! { self.#field.get_or_insert_with(::std::vec::Vec::new).push(item.into()); }
            };
            (
                quote! {
                    #docs
                    ///
                    /// Appends one item; call repeatedly to add more.
                    #attrs
                    pub fn #setter_name(mut self, item: impl ::std::convert::Into<#item_ty>) -> Self {
                        #body
                        self
                    }
                },
                whole,
            )
        }
        TyKind::Map { key, value, sparse } => {
            let key_ty = rust_type(key, ir, prefix);
            let value_ty = rust_type(value, ir, prefix);
            let value_ty = if *sparse {
                quote! { ::std::option::Option<#value_ty> }
            } else {
                value_ty
            };
            let body = if delegate {
                quote! { self.inner = self.inner.#setter_name(key, value); }
            } else {
                quote! { self.#field.get_or_insert_with(::std::collections::BTreeMap::new).insert(key.into(), value.into()); }
            };
            (
                quote! {
                    #docs
                    ///
                    /// Inserts one entry; call repeatedly to add more.
                    #attrs
                    pub fn #setter_name(mut self, key: impl ::std::convert::Into<#key_ty>, value: impl ::std::convert::Into<#value_ty>) -> Self {
                        #body
                        self
                    }
                },
                whole,
            )
        }
        _ => {
            let body = if delegate {
                quote! { self.inner = self.inner.#setter_name(input); }
            } else {
                quote! { self.#field = ::std::option::Option::Some(input.into()); }
            };
            (
                quote! {
                    #docs
                    #attrs
                    pub fn #setter_name(mut self, input: impl ::std::convert::Into<#whole>) -> Self {
                        #body
                        self
                    }
                },
                whole,
            )
        }
    };
    let set_body = if delegate {
        quote! { self.inner = self.inner.#setter(input); }
    } else {
        quote! { self.#field = input; }
    };
    let wire = &member.wire_name;
    let set_doc = format!(" Sets or clears `{wire}`.");
    quote! {
        #adder

        #[doc = #set_doc]
        #deprecated
        pub fn #setter(mut self, input: ::std::option::Option<#set>) -> Self {
            #set_body
            self
        }
    }
}

fn builder_impl(
    ir: &Ir,
    shape: &NamedShape,
    structure: &Structure,
    name: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
) -> Result<TokenStream> {
    let fields = structure.members.iter().map(|member| {
        let field = ident(&member.field);
        let ty = rust_type(&member.ty, ir, &quote! { crate });
        quote! { #field: ::std::option::Option<#ty>, }
    });
    let setters = structure
        .members
        .iter()
        .map(|member| setters(ir, member, &quote! { crate }, false));
    let required: Vec<&Member> = structure
        .members
        .iter()
        .filter(|m| m.required && m.default.is_none() && !m.idempotency_token)
        .collect();
    let missing_checks = required.iter().map(|member| {
        let field = ident(&member.field);
        let wire = &member.wire_name;
        let message = format!("is required but was not set (use `.{}(...)`)", names::function(&member.wire_name).trim_start_matches("r#"));
        quote! {
            if self.#field.is_none() {
                missing.push(::apprunner_smithy::Violation { path: ::std::string::String::from(#wire), message: ::std::string::String::from(#message) });
            }
        }
    });
    let required_fields: Vec<_> = required.iter().map(|m| ident(&m.field)).collect();
    let assignments = structure.members.iter().map(|member| {
        let field = ident(&member.field);
        let value = if member.idempotency_token {
            let token = quote! { self.#field.unwrap_or_else(::apprunner_smithy::idempotency_token) };
            if member.required || member.default.is_some() {
                token
            } else {
                quote! { ::std::option::Option::Some(#token) }
            }
        } else if member.required && member.default.is_none() {
            quote! { #field }
        } else if member.default.is_some() {
            let function = default_fn_name(member);
            if member.boxed {
                quote! { self.#field.map(::std::boxed::Box::new).unwrap_or_else(#function) }
            } else {
                quote! { self.#field.unwrap_or_else(#function) }
            }
        } else {
            quote! { self.#field }
        };
        let value = if member.boxed && member.required && member.default.is_none() {
            quote! { ::std::boxed::Box::new(#value) }
        } else if member.boxed && !member.required && member.default.is_none() {
            quote! { #value.map(::std::boxed::Box::new) }
        } else {
            value
        };
        if field == value.to_string() {
            quote! { #field, }
        } else {
            quote! { #field: #value, }
        }
    });
    let meta = if matches!(structure.role, Role::Error(_)) {
        quote! { meta: ::std::default::Default::default(), }
    } else {
        quote! {}
    };
    let build_doc = format!(" Builds the [`{}`].", shape.rust_name);
    let build = if required.is_empty() {
        quote! {
            #[doc = #build_doc]
            pub fn build(self) -> #name {
                #name { #(#assignments)* #meta }
            }
        }
    } else {
        quote! {
            #[doc = #build_doc]
            ///
            /// # Errors
            ///
            /// Lists every required member that was not set.
            pub fn build(self) -> ::std::result::Result<#name, ::apprunner_smithy::ValidationError> {
                let mut missing = ::std::vec::Vec::new();
                #(#missing_checks)*
                let (#(::std::option::Option::Some(#required_fields),)*) = (#(self.#required_fields,)*) else {
                    return ::std::result::Result::Err(::apprunner_smithy::ValidationError::new(missing));
                };
                ::std::result::Result::Ok(#name { #(#assignments)* #meta })
            }
        }
    };
    let doc = format!(" A builder for [`{}`].", shape.rust_name);
    Ok(quote! {
        #[doc = #doc]
        #[derive(Clone, Default, PartialEq)]
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            #(#setters)*
            #build
        }
    })
}

fn union_file(ir: &Ir, shape: &NamedShape, members: &[Member]) -> Result<TokenStream> {
    let name = ident(&shape.rust_name);
    let label = shape.rust_name.clone();
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` shape of the model.", shape.rust_name),
    );
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    for member in members {
        if member.timestamp_format.is_some() {
            bail!(
                "{}${}: @timestampFormat on a union member is not supported yet",
                shape.id,
                member.wire_name
            );
        }
    }
    let variants: Vec<_> = members.iter().map(|m| ident(&names::variant(&m.wire_name))).collect();
    let wires: Vec<_> = members.iter().map(|m| m.wire_name.clone()).collect();
    let types = members.iter().map(|member| {
        let ty = rust_type(&member.ty, ir, &quote! { crate });
        if member.boxed {
            quote! { ::std::boxed::Box<#ty> }
        } else {
            ty
        }
    });
    let member_docs = members
        .iter()
        .map(|m| doc_attrs(m.docs.as_deref(), &format!("The `{}` member.", m.wire_name)));
    let debug_arms = members.iter().zip(&variants).map(|(member, variant)| {
        let variant_name = variant.to_string();
        if member.ty.contains_sensitive(&ir.shapes) || shape.sensitive {
            quote! { Self::#variant(_) => f.debug_tuple(#variant_name).field(&::apprunner_smithy::REDACTED).finish(), }
        } else {
            quote! { Self::#variant(value) => f.debug_tuple(#variant_name).field(value).finish(), }
        }
    });
    let validate_arms = members.iter().zip(&variants).filter_map(|(member, variant)| {
        let body = value_checks(ir, &member.ty, quote! { value }, 0);
        if body.is_empty() {
            return None;
        }
        let wire = &member.wire_name;
        let rebind = if member.boxed {
            quote! { let value = &**value; }
        } else {
            quote! {}
        };
        let check = quote! {
            #rebind
            let path = &::apprunner_smithy::validation::member_path(path, #wire);
            #body
        };
        Some((quote! { Self::#variant(value) }, check))
    });
    let validate_arms: Vec<_> = validate_arms.collect();
    let (path, out) = if validate_arms.is_empty() {
        (quote! { _path }, quote! { _out })
    } else {
        (quote! { path }, quote! { out })
    };
    let validate_match = match validate_arms.as_slice() {
        [] => quote! {},
        [(pattern, check)] => quote! { if let #pattern = self { #check } },
        arms => {
            let (patterns, checks): (Vec<_>, Vec<_>) = arms.iter().cloned().unzip();
            quote! {
                match self {
                    #(#patterns => { #checks })*
                    _ => {}
                }
            }
        }
    };
    let read_arms = members.iter().zip(&variants).map(|(member, variant)| {
        let wire = &member.wire_name;
        let value =
            quote! { ::apprunner_smithy::json::ReadJson::read_json(reader).map_err(|error| error.within(#wire))? };
        let value = if member.boxed {
            quote! { ::std::boxed::Box::new(#value) }
        } else {
            value
        };
        quote! { #wire => Self::#variant(#value), }
    });
    let unknown_message =
        format!("cannot send the Unknown variant of union {label}: it stands for a member this client does not know");
    let empty_message = format!("union {label} has no member set; exactly one is expected");
    let many_message = format!("union {label} has more than one member set; exactly one is expected");
    Ok(quote! {
        #docs
        #deprecated
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#member_docs #variants(#types),)*
            /// A member this version of the crate does not know (the service is newer than the model).
            Unknown,
        }

        impl ::apprunner_smithy::ErrorCorrection for #name {
            fn error_correction() -> Self {
                Self::Unknown
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    Self::Unknown => f.write_str("Unknown"),
                }
            }
        }

        impl ::apprunner_smithy::Validate for #name {
            fn validate_into(&self, #path: &::apprunner_smithy::ValuePath<'_>, #out: &mut ::std::vec::Vec<::apprunner_smithy::Violation>) {
                #validate_match
            }
        }

        impl ::apprunner_smithy::json::WriteJson for #name {
            fn write_json(&self, out: &mut ::apprunner_smithy::json::JsonWriter) {
                out.start_object();
                match self {
                    #(Self::#variants(value) => out.member(#wires, value),)*
                    Self::Unknown => out.fail(#unknown_message),
                }
                out.end_object();
            }
        }

        impl ::apprunner_smithy::json::ReadJson for #name {
            fn read_json(reader: &mut ::apprunner_smithy::json::JsonReader<'_>) -> ::std::result::Result<Self, ::apprunner_smithy::json::JsonReadError> {
                // Exactly one member is set; `null` members and `__type` (which
                // some services add) do not count, and an unknown one is kept as
                // `Unknown`.
                reader.start_object()?;
                let mut set: ::std::option::Option<Self> = ::std::option::Option::None;
                while let ::std::option::Option::Some(key) = reader.next_member()? {
                    if &*key == "__type" {
                        reader.skip_value()?;
                        continue;
                    }
                    if reader.take_null()? {
                        continue;
                    }
                    if set.is_some() {
                        return ::std::result::Result::Err(reader.error(#many_message));
                    }
                    set = ::std::option::Option::Some(match &*key {
                        #(#read_arms)*
                        _ => {
                            reader.skip_value()?;
                            Self::Unknown
                        }
                    });
                }
                set.ok_or_else(|| reader.error(#empty_message))
            }
        }
    })
}

fn enum_file(shape: &NamedShape, values: &[EnumValue]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` shape of the model.", shape.rust_name),
    );
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let variants: Vec<_> = values.iter().map(|v| ident(&v.variant)).collect();
    let wire: Vec<_> = values.iter().map(|v| v.value.clone()).collect();
    let variant_docs = values.iter().map(|v| {
        let own = doc_attrs(v.docs.as_deref(), "");
        let value = format!(" `{}`", v.value);
        let deprecated = deprecated_attr(v.deprecated.as_ref());
        if v.docs.is_some() {
            quote! { #own #[doc = ""] #[doc = #value] #deprecated }
        } else {
            quote! { #[doc = #value] #deprecated }
        }
    });
    let debug = if shape.sensitive {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(::apprunner_smithy::REDACTED)
                }
            }
        }
    } else {
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        Self::Unknown(value) => write!(f, "Unknown({:?})", value.as_str()),
                        known => f.write_str(known.as_str()),
                    }
                }
            }
        }
    };
    let any_deprecated = values.iter().any(|v| v.deprecated.is_some());
    let allow = if any_deprecated {
        quote! { #[allow(deprecated)] }
    } else {
        quote! {}
    };
    quote! {
        #docs
        #deprecated
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the crate does not know; it is kept as received.
            Unknown(::apprunner_smithy::UnknownVariantValue),
        }

        #allow
        impl #name {
            /// Every value this version of the crate knows, in model order.
            pub const VALUES: &'static [&'static str] = &[#(#wire),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wire,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the crate knows.
            pub fn values() -> &'static [&'static str] {
                Self::VALUES
            }

            /// Whether this is a value the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        #allow
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wire => Self::#variants,)*
                    other => Self::Unknown(::apprunner_smithy::UnknownVariantValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::apprunner_smithy::ErrorCorrection for #name {
            fn error_correction() -> Self {
                Self::Unknown(::apprunner_smithy::UnknownVariantValue::new(""))
            }
        }

        #debug

        impl ::apprunner_smithy::json::WriteJson for #name {
            fn write_json(&self, out: &mut ::apprunner_smithy::json::JsonWriter) {
                out.string(self.as_str());
            }
        }

        impl ::apprunner_smithy::json::JsonKey for #name {
            fn json_key(&self) -> &str {
                self.as_str()
            }
        }

        impl ::apprunner_smithy::json::ReadJson for #name {
            fn read_json(reader: &mut ::apprunner_smithy::json::JsonReader<'_>) -> ::std::result::Result<Self, ::apprunner_smithy::json::JsonReadError> {
                reader.string().map(|text| Self::from(&*text))
            }
        }
    }
}

fn int_enum_file(shape: &NamedShape, values: &[IntEnumValue]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` shape of the model.", shape.rust_name),
    );
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let variants: Vec<_> = values.iter().map(|v| ident(&v.variant)).collect();
    let numbers: Vec<_> = values.iter().map(|v| v.value).collect();
    let variant_docs = values.iter().map(|v| {
        let own = doc_attrs(v.docs.as_deref(), "");
        let value = format!(" `{}`", v.value);
        if v.docs.is_some() {
            quote! { #own #[doc = ""] #[doc = #value] }
        } else {
            quote! { #[doc = #value] }
        }
    });
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the crate does not know; it is kept as received.
            Unknown(::apprunner_smithy::UnknownIntVariantValue),
        }

        impl #name {
            /// Every value this version of the crate knows, in model order.
            pub const VALUES: &'static [i32] = &[#(#numbers),*];

            /// The value as it appears on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(Self::#variants => #numbers,)*
                    Self::Unknown(value) => value.0,
                }
            }

            /// Whether this is a value the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::apprunner_smithy::ErrorCorrection for #name {
            fn error_correction() -> Self {
                Self::from(0)
            }
        }

        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#numbers => Self::#variants,)*
                    other => Self::Unknown(::apprunner_smithy::UnknownIntVariantValue(other)),
                }
            }
        }

        impl ::apprunner_smithy::json::WriteJson for #name {
            fn write_json(&self, out: &mut ::apprunner_smithy::json::JsonWriter) {
                out.integer(i64::from(self.as_i32()));
            }
        }

        impl ::apprunner_smithy::json::ReadJson for #name {
            fn read_json(reader: &mut ::apprunner_smithy::json::JsonReader<'_>) -> ::std::result::Result<Self, ::apprunner_smithy::json::JsonReadError> {
                <i32 as ::apprunner_smithy::json::ReadJson>::read_json(reader).map(Self::from)
            }
        }
    }
}
