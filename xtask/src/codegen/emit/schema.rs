//! The types crate's `schema` module: the model as static data, for tools that
//! work from the model at run time (the CLI builds its commands and options from
//! it, validates JSON and shorthand input against it, and writes skeletons).

use super::{Crates, Files, Settings, render};
use crate::codegen::docs;
use crate::codegen::ir::{Ir, NamedKind, NamedShape, Ty, TyKind};
use crate::codegen::names;
use anyhow::Result;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Emits `src/generated/schema.rs` into the types crate.
pub(crate) fn emit(ir: &Ir, crates: &Crates, settings: &Settings, files: &mut Files) -> Result<()> {
    let shapes = ir.shapes.values().map(|shape| shape_static(ir, shape));
    let operations = ir.operations.iter().map(|op| {
        let name = &op.name;
        let cli_name = names::cli(&op.name);
        let docs = markdown(op.docs.as_deref());
        let input = static_name(&ir.shapes[&op.input]);
        let output = static_name(&ir.shapes[&op.output]);
        let (input, output) = (quote! { shapes::#input }, quote! { shapes::#output });
        let errors = op
            .errors
            .iter()
            .map(|id| id.rsplit_once('#').map_or(id.as_str(), |(_, n)| n));
        let paginated = match &op.paginated {
            Some(p) => {
                let input_token = &p.input_token;
                let output_token = &p.output_token;
                let items = option_str(p.items.as_deref());
                let page_size = option_str(p.page_size.as_deref());
                quote! {
                    ::std::option::Option::Some(::apprunner_smithy::schema::Pagination {
                        input_token: #input_token, output_token: #output_token, items: #items, page_size: #page_size,
                    })
                }
            }
            None => quote! { ::std::option::Option::None },
        };
        let deprecated = op.deprecated.is_some();
        quote! {
            ::apprunner_smithy::schema::OperationSchema {
                name: #name,
                cli_name: #cli_name,
                docs: #docs,
                input: &#input,
                output: &#output,
                errors: &[#(#errors),*],
                paginated: #paginated,
                deprecated: #deprecated,
            }
        }
    });
    let service = &ir.service;
    let (name, sdk_id, version) = (&service.name, &service.sdk_id, &service.version);
    let cli_name = &service.crate_stem;
    let service_docs = markdown(service.docs.as_deref());
    let tokens = quote! {
        //! The model as static data: operations, shapes, members, constraints.

        /// The service, its operations and (through them) every shape they use.
        pub static SERVICE: ::apprunner_smithy::schema::ServiceSchema = ::apprunner_smithy::schema::ServiceSchema {
            name: #name,
            sdk_id: #sdk_id,
            version: #version,
            cli_name: #cli_name,
            docs: #service_docs,
            operations: &[#(#operations),*],
        };

        /// Every structure, union and enum, one static each (named after the Rust type).
        pub mod shapes {
            #(#shapes)*
        }
    };
    let path = format!("{}/src/generated/schema.rs", crates.types_package);
    files.insert(path.clone(), render(tokens, settings, &path)?);
    Ok(())
}

fn static_name(shape: &NamedShape) -> proc_macro2::Ident {
    format_ident!("{}", names::snake(&shape.rust_name).to_uppercase())
}

fn markdown(docs: Option<&str>) -> String {
    docs.map(|d| docs::to_markdown(d).join("\n")).unwrap_or_default()
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}

fn shape_static(ir: &Ir, shape: &NamedShape) -> TokenStream {
    let static_ident = static_name(shape);
    let name = &shape.rust_name;
    let docs = markdown(shape.docs.as_deref());
    let sensitive = shape.sensitive;
    let kind = match &shape.kind {
        NamedKind::Structure(structure) => {
            let members = structure.members.iter().map(|m| member(ir, m));
            quote! { ::apprunner_smithy::schema::ShapeKind::Structure(&[#(#members),*]) }
        }
        NamedKind::Union(members) => {
            let members = members.iter().map(|m| member(ir, m));
            quote! { ::apprunner_smithy::schema::ShapeKind::Union(&[#(#members),*]) }
        }
        NamedKind::Enum(values) => {
            let values = values.iter().map(|v| &v.value);
            quote! { ::apprunner_smithy::schema::ShapeKind::Enum(&[#(#values),*]) }
        }
        NamedKind::IntEnum(values) => {
            let values = values.iter().map(|v| v.value);
            quote! { ::apprunner_smithy::schema::ShapeKind::IntEnum(&[#(#values),*]) }
        }
    };
    let doc = format!(" The `{name}` shape.");
    quote! {
        #[doc = #doc]
        pub static #static_ident: ::apprunner_smithy::schema::Shape = ::apprunner_smithy::schema::Shape {
            name: #name,
            docs: #docs,
            kind: #kind,
            sensitive: #sensitive,
        };
    }
}

fn member(ir: &Ir, member: &crate::codegen::ir::Member) -> TokenStream {
    let name = &member.wire_name;
    let cli_name = names::cli(&member.wire_name);
    let docs = markdown(member.docs.as_deref());
    let ty = ty(ir, &member.ty, member.timestamp_format);
    let required = member.required && member.default.is_none();
    let default = option_str(member.default.as_ref().map(|v| v.to_string()).as_deref());
    let idempotency_token = member.idempotency_token;
    let deprecated = member.deprecated.is_some();
    quote! {
        ::apprunner_smithy::schema::Member {
            name: #name,
            cli_name: #cli_name,
            docs: #docs,
            ty: #ty,
            required: #required,
            default: #default,
            idempotency_token: #idempotency_token,
            deprecated: #deprecated,
        }
    }
}

fn ty(ir: &Ir, ty: &Ty, format: Option<crate::codegen::ir::TimestampFormat>) -> TokenStream {
    let kind = match &ty.kind {
        TyKind::Blob => quote! { Blob },
        TyKind::Boolean => quote! { Boolean },
        TyKind::String => quote! { String },
        TyKind::Byte => quote! { Byte },
        TyKind::Short => quote! { Short },
        TyKind::Integer => quote! { Integer },
        TyKind::Long => quote! { Long },
        TyKind::Float => quote! { Float },
        TyKind::Double => quote! { Double },
        TyKind::BigInteger => quote! { BigInteger },
        TyKind::BigDecimal => quote! { BigDecimal },
        TyKind::Timestamp => {
            let format = match format {
                Some(crate::codegen::ir::TimestampFormat::DateTime) => quote! { DateTime },
                Some(crate::codegen::ir::TimestampFormat::HttpDate) => quote! { HttpDate },
                None => quote! { EpochSeconds },
            };
            quote! { Timestamp(::apprunner_smithy::TimestampFormat::#format) }
        }
        TyKind::Document => quote! { Document },
        TyKind::Unit => quote! { Unit },
        TyKind::Named(id) => {
            let target = static_name(&ir.shapes[id]);
            quote! { Shape(&#target) }
        }
        TyKind::List { item, .. } => {
            let item = self::ty(ir, item, None);
            quote! { List(&#item) }
        }
        TyKind::Map { key, value, .. } => {
            let key = self::ty(ir, key, None);
            let value = self::ty(ir, value, None);
            quote! { Map(&#key, &#value) }
        }
    };
    let length = match ty.constraints.length {
        Some((min, max)) => {
            let (min, max) = (opt(min), opt(max));
            quote! { ::std::option::Option::Some((#min, #max)) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let range = match ty.constraints.range {
        Some((min, max)) => {
            let (min, max) = (opt(min), opt(max));
            quote! { ::std::option::Option::Some((#min, #max)) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let pattern = match ty.constraints.pattern {
        Some(index) => {
            let pattern = super::patterns::pattern_ident(index);
            quote! { ::std::option::Option::Some(&crate::patterns::#pattern) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let sensitive = ty.contains_sensitive(&ir.shapes) && !matches!(ty.kind, TyKind::List { .. } | TyKind::Map { .. })
        || ty.sensitive;
    quote! {
        ::apprunner_smithy::schema::Type {
            kind: ::apprunner_smithy::schema::TypeKind::#kind,
            length: #length,
            pattern: #pattern,
            range: #range,
            sensitive: #sensitive,
        }
    }
}

fn opt<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}
