//! The client crate: `Client`, one module per operation (error enum, fluent
//! builder, paginator) and the service facts the runtime needs.

use super::rules;
use super::types::setters;
use super::{Crates, Files, Settings, deprecated_attr, doc_attrs, doc_text, ident, lib_shell, render, rust_type};
use crate::codegen::ir::{Ir, Member, NamedKind, Operation, Paginated, Protocol, Structure, TyKind};
use crate::codegen::names;
use anyhow::{Result, anyhow, bail};
use apprunner_smithy::rules::RuleSet;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Emits `src/lib.rs`, `src/client.rs`, `src/endpoint_rules.rs` and `src/operation/*.rs`.
pub(crate) fn emit(ir: &Ir, crates: &Crates, settings: &Settings, files: &mut Files) -> Result<()> {
    let root = format!("{}/src", crates.client_package);
    let mut put = |path: String, tokens: TokenStream| -> Result<()> {
        let text = render(tokens, settings, &path)?;
        files.insert(path, text);
        Ok(())
    };
    put(format!("{root}/lib.rs"), lib_rs(ir, crates))?;
    let root = format!("{root}/generated");
    put(format!("{root}/mod.rs"), generated_mod(crates))?;
    put(format!("{root}/client.rs"), client_rs(ir, crates))?;
    put(format!("{root}/endpoint_rules.rs"), endpoint_rules_rs(ir)?)?;
    let modules: Vec<_> = ir.operations.iter().map(|op| ident(&names::module(&op.name))).collect();
    let module_docs = ir
        .operations
        .iter()
        .map(|op| doc_text(&format!("The {} operation.", op.name)));
    put(
        format!("{root}/operation/mod.rs"),
        quote! {
            #(#module_docs pub mod #modules;)*
        },
    )?;
    for operation in &ir.operations {
        let module = names::module(&operation.name);
        put(
            format!("{root}/operation/{}.rs", module.trim_start_matches("r#")),
            operation_rs(ir, crates, operation)?,
        )?;
    }
    Ok(())
}

fn lib_rs(ir: &Ir, crates: &Crates) -> TokenStream {
    let service = &ir.service;
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    let crate_name = crates.client_package.replace('-', "_");
    let types_crate = crates.types_package.replace('-', "_");
    let example_op = ir
        .operations
        .iter()
        .find(|op| op.name.starts_with("List") && !has_required(ir, &op.input))
        .or_else(|| ir.operations.iter().find(|op| !has_required(ir, &op.input)))
        .or(ir.operations.first());
    let example = match example_op {
        Some(op) => format!(
            "\n# Example\n\n\
             ```no_run\n\
             # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
             // Region, credentials and endpoint come from the environment and ~/.aws, as the AWS SDKs resolve them.\n\
             let client = {crate_name}::Client::from_env()?;\n\
             let output = client.{method}().send().await?;\n\
             println!(\"{{output:?}}\");\n\
             # Ok(())\n\
             # }}\n\
             ```\n",
            method = op.method.trim_start_matches("r#"),
        ),
        None => String::new(),
    };
    let text = format!(
        "A client for {title} (API version {version}), generated from its Smithy model.\n\n\
         # Crate organization\n\n\
         - [`Client`]: one method per operation, each returning a fluent builder whose `send()`\n  \
         validates the input, signs it with SigV4 and sends it; [`Client::send`] sends a prebuilt input.\n\
         - [`operation`]: per operation, its error enum (the modeled errors plus `Unhandled`),\n  \
         its fluent builder and, for paginated operations, its paginator.\n\
         - [`types`]: the data types (the `{types_crate}` crate).\n\
         - [`Config`], [`SdkError`]: configuration and errors from the runtime crate.\n\
         {example}",
        version = service.version,
    );
    lib_shell(&text)
}

fn generated_mod(crates: &Crates) -> TokenStream {
    let types = &crates.types;
    quote! {
        #![warn(missing_docs)]
        #![allow(deprecated, clippy::large_enum_variant, clippy::result_large_err, clippy::too_many_arguments)]

        mod client;
        mod endpoint_rules;
        /// One module per operation: its error enum, fluent builder and paginator.
        pub mod operation;

        pub use client::{Client, Operation};
        pub use endpoint_rules::RULE_SET as ENDPOINT_RULE_SET;
        pub use ::apprunner_runtime::{Config, ConfigBuilder, ErrorMetadata, SdkError};
        /// The data types of the service.
        pub use ::#types as types;
    }
}

fn has_required(ir: &Ir, id: &str) -> bool {
    match &ir.shapes.get(id).map(|s| &s.kind) {
        Some(NamedKind::Structure(s)) => s
            .members
            .iter()
            .any(|m| m.required && m.default.is_none() && !m.idempotency_token),
        _ => false,
    }
}

fn structure<'a>(ir: &'a Ir, id: &str) -> Result<&'a Structure> {
    match ir.shapes.get(id).map(|s| &s.kind) {
        Some(NamedKind::Structure(s)) => Ok(s),
        _ => Err(anyhow!("generator bug: {id} should be a resolved structure")),
    }
}

fn client_rs(ir: &Ir, crates: &Crates) -> TokenStream {
    let service = &ir.service;
    let sdk_id = &service.sdk_id;
    let target_prefix = &service.name;
    let version = &service.version;
    let signing_name = &service.signing_name;
    let protocol = match service.protocol {
        Protocol::AwsJson1_0 => quote! { AwsJson1_0 },
        Protocol::AwsJson1_1 => quote! { AwsJson1_1 },
    };
    let service_docs = doc_attrs(service.docs.as_deref(), "");
    let title = service.title.clone().unwrap_or_else(|| service.sdk_id.clone());
    let client_doc = format!(" A client for {title}.");
    let methods = ir.operations.iter().map(|op| {
        let method = ident(&op.method);
        let module = ident(&names::module(&op.name));
        let builder = format_ident!("{}FluentBuilder", op.name);
        let docs = doc_attrs(op.docs.as_deref(), &format!("Starts a {} request.", op.name));
        let deprecated = deprecated_attr(op.deprecated.as_ref());
        quote! {
            #docs
            #deprecated
            pub fn #method(&self) -> crate::operation::#module::#builder {
                crate::operation::#module::#builder::new(self.clone())
            }
        }
    });
    let types = &crates.types;
    let json_arms = ir.operations.iter().map(|op| {
        let name = &op.name;
        let input = ident(&ir.shapes[&op.input].rust_name);
        quote! { #name => self.send_json_as::<::#types::#input>(input).await, }
    });
    let operation_list = ir
        .operations
        .iter()
        .map(|op| op.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    quote! {
        /// What the runtime needs to know about the service.
        pub(crate) static SERVICE: ::apprunner_runtime::ServiceSpec = ::apprunner_runtime::ServiceSpec {
            sdk_id: #sdk_id,
            target_prefix: #target_prefix,
            api_version: #version,
            protocol: ::apprunner_runtime::Protocol::#protocol,
            signing_name: #signing_name,
            endpoint_rule_set: &crate::generated::endpoint_rules::RULE_SET,
        };

        #[doc = #client_doc]
        ///
        #service_docs
        ///
        /// Cloning is cheap: clones share one connection pool and credentials cache.
        #[derive(Clone, Debug)]
        pub struct Client {
            runtime: ::apprunner_runtime::Runtime,
        }

        impl Client {
            /// Creates a client from explicit configuration.
            ///
            /// # Errors
            ///
            /// When the HTTP client cannot be built.
            pub fn from_conf(config: ::apprunner_runtime::Config) -> ::std::result::Result<Self, ::apprunner_runtime::RuntimeError> {
                ::std::result::Result::Ok(Self { runtime: ::apprunner_runtime::Runtime::new(&SERVICE, config)? })
            }

            /// Creates a client configured from the environment and the shared AWS config files,
            /// as the AWS SDKs and CLI resolve them.
            ///
            /// # Errors
            ///
            /// When a setting is invalid (an unreadable profile file, say) or the client cannot be built.
            pub fn from_env() -> ::std::result::Result<Self, ::apprunner_runtime::RuntimeError> {
                Self::from_conf(::apprunner_runtime::Config::from_env()?)
            }

            /// The configuration this client uses.
            pub fn config(&self) -> &::apprunner_runtime::Config {
                self.runtime.config()
            }

            /// Sends a prebuilt operation input (`CreateServiceInput`, say).
            ///
            /// # Errors
            ///
            /// Any [`SdkError`](::apprunner_runtime::SdkError): invalid input, configuration,
            /// credentials, endpoint, network, timeout, malformed response or a service error.
            pub async fn send<O: Operation>(&self, input: O) -> ::std::result::Result<O::Output, ::apprunner_runtime::SdkError<O::Error>> {
                let mut input = input;
                input.prepare();
                self.runtime.invoke(O::SPEC, &input).await
            }

            pub(crate) fn runtime(&self) -> &::apprunner_runtime::Runtime {
                &self.runtime
            }

            /// Sends the operation named `operation` (its model name, `CreateService`) with its input
            /// as JSON text in the wire form, and returns the output the same way. The input is read
            /// into the generated type and validated exactly as the typed methods do; tools that work
            /// from the model at run time (a command line, for one) use this.
            ///
            /// # Errors
            ///
            /// An unknown operation or an input that does not fit the operation's input type is
            /// [`SdkError::InvalidInput`](::apprunner_runtime::SdkError::InvalidInput); service errors
            /// keep their code, message, request id and status.
            pub async fn send_json(&self, operation: &str, input: &[u8]) -> ::std::result::Result<::std::vec::Vec<u8>, ::apprunner_runtime::SdkError<::apprunner_smithy::ErrorMetadata>> {
                match operation {
                    #(#json_arms)*
                    other => ::std::result::Result::Err(invalid_json_input(::std::format!(
                        "{other:?} is not an operation of this service; expected one of: {}", #operation_list
                    ))),
                }
            }

            async fn send_json_as<O>(&self, input: &[u8]) -> ::std::result::Result<::std::vec::Vec<u8>, ::apprunner_runtime::SdkError<::apprunner_smithy::ErrorMetadata>>
            where
                O: Operation + ::apprunner_smithy::json::ReadJson,
                O::Output: ::apprunner_smithy::json::WriteJson,
            {
                let input: O = ::apprunner_smithy::json::from_slice(input).map_err(|error| invalid_json_input(error.to_string()))?;
                let output = self
                    .send(input)
                    .await
                    .map_err(|error| error.map_service_error(|error| ::apprunner_runtime::OperationError::metadata(&error).clone()))?;
                ::apprunner_smithy::json::to_vec(&output).map_err(|error| {
                    ::apprunner_runtime::SdkError::MalformedResponse(::apprunner_runtime::ResponseError::new(
                        O::SPEC.name,
                        200,
                        ::std::option::Option::None,
                        ::std::format!("the output cannot be written as JSON: {error}"),
                    ))
                })
            }

            #(#methods)*
        }

        fn invalid_json_input(message: ::std::string::String) -> ::apprunner_runtime::SdkError<::apprunner_smithy::ErrorMetadata> {
            ::apprunner_runtime::SdkError::InvalidInput(::apprunner_smithy::ValidationError::new(::std::vec![
                ::apprunner_smithy::Violation { path: ::std::string::String::new(), message },
            ]))
        }

        /// An operation input: what [`Client::send`] accepts.
        pub trait Operation: ::apprunner_smithy::json::WriteJson + ::apprunner_smithy::Validate + ::std::marker::Send + ::std::marker::Sync + 'static {
            /// The operation's output.
            type Output: ::apprunner_smithy::json::ReadJson + ::std::marker::Send;
            /// The operation's error.
            type Error: ::apprunner_runtime::OperationError;
            /// Facts about the operation.
            const SPEC: &'static ::apprunner_runtime::OperationSpec;

            /// Fills members the client sets itself (idempotency tokens left unset).
            fn prepare(&mut self) {}
        }
    }
}

fn endpoint_rules_rs(ir: &Ir) -> Result<TokenStream> {
    Ok(match &ir.service.endpoint_rule_set {
        Some(rule_set) => rules::endpoint_rules_module(rule_set, true),
        None => {
            // Without rules, a configured endpoint URL is the only way to a service.
            let fallback = serde_json::json!({
                "version": "1.0",
                "parameters": {"Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false}},
                "rules": [
                    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}], "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"},
                    {"conditions": [], "error": "the service model has no endpoint rules: set an endpoint URL", "type": "error"}
                ]
            });
            rules::endpoint_rules_module(&RuleSet::from_json(&fallback.to_string())?, false)
        }
    })
}

fn operation_rs(ir: &Ir, crates: &Crates, op: &Operation) -> Result<TokenStream> {
    let types = &crates.types;
    let types_path = quote! { ::#types };
    let input_shape = &ir.shapes[&op.input];
    let output_shape = &ir.shapes[&op.output];
    let input = ident(&input_shape.rust_name);
    let output = ident(&output_shape.rust_name);
    let input_builder = format_ident!("{}Builder", input_shape.rust_name);
    let error = format_ident!("{}Error", op.name);
    let fluent = format_ident!("{}FluentBuilder", op.name);
    let name = &op.name;
    let input_structure = structure(ir, &op.input)?;

    // Idempotency tokens the caller left unset are filled before sending.
    let prepare = input_structure
        .members
        .iter()
        .filter(|m| m.idempotency_token)
        .map(|member| {
            let field = ident(&member.field);
            if member.required || member.default.is_some() {
                quote! {
                    if self.#field.is_empty() {
                        self.#field = ::apprunner_smithy::idempotency_token();
                    }
                }
            } else {
                quote! {
                    if self.#field.is_none() {
                        self.#field = ::std::option::Option::Some(::apprunner_smithy::idempotency_token());
                    }
                }
            }
        });

    // The error enum.
    let error_shapes: Vec<_> = op.errors.iter().map(|id| &ir.shapes[id]).collect();
    let variants: Vec<_> = error_shapes.iter().map(|s| ident(&s.rust_name)).collect();
    let codes: Vec<String> = op
        .errors
        .iter()
        .map(|id| id.rsplit_once('#').map_or(id.clone(), |(_, n)| n.to_owned()))
        .collect();
    let variant_docs = error_shapes
        .iter()
        .map(|s| doc_attrs(s.docs.as_deref(), &format!("The service answered `{}`.", s.rust_name)));
    let predicates = error_shapes.iter().zip(&variants).map(|(shape, variant)| {
        let predicate = format_ident!("is_{}", names::snake(&shape.rust_name));
        let doc = format!(" Whether this is a `{}`.", shape.rust_name);
        quote! {
            #[doc = #doc]
            pub fn #predicate(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    let retry_arms = error_shapes.iter().zip(&variants).filter_map(|(shape, variant)| match &shape.kind {
        NamedKind::Structure(Structure { role: crate::codegen::ir::Role::Error(info), .. }) => info.retryable.map(|throttling| {
            if throttling {
                quote! { Self::#variant(_) => ::std::option::Option::Some(::apprunner_runtime::RetryClass::Throttling), }
            } else {
                quote! { Self::#variant(_) => ::std::option::Option::Some(::apprunner_runtime::RetryClass::Transient), }
            }
        }),
        _ => None,
    });
    let retry_arms: Vec<_> = retry_arms.collect();
    let retry_body = if retry_arms.is_empty() {
        quote! { ::std::option::Option::None }
    } else {
        quote! {
            match self {
                #(#retry_arms)*
                _ => ::std::option::Option::None,
            }
        }
    };
    let error_doc = format!(" The errors the {name} operation can return.");

    // The fluent builder.
    let fluent_setters = input_structure
        .members
        .iter()
        .map(|member| setters(ir, member, &types_path, true));
    let op_docs = doc_attrs(op.docs.as_deref(), "");
    let fluent_doc = format!(
        " Builds and sends a {name} request; created by `Client::{}`.",
        op.method.trim_start_matches("r#")
    );
    let paginator = match &op.paginated {
        Some(paginated) => paginator(ir, op, paginated, &types_path, &input, &output, &error)?,
        None => quote! {},
    };

    // An operation without modeled errors has nothing to read from the body.
    let from_response = if variants.is_empty() {
        quote! {
            let _ = (code, body);
            Self::Unhandled(metadata)
        }
    } else {
        quote! {
            match code {
                #(#codes => match ::apprunner_smithy::json::from_slice::<#types_path::#variants>(if body.is_empty() { b"{}" } else { body }) {
                    ::std::result::Result::Ok(mut error) => {
                        error.meta = metadata;
                        Self::#variants(error)
                    }
                    ::std::result::Result::Err(_) => Self::Unhandled(metadata),
                },)*
                _ => Self::Unhandled(metadata),
            }
        }
    };
    let build_input = if has_required(ir, &op.input) {
        // Report missing members together with the constraint violations of the members that are set.
        quote! {
            match builder.clone().build() {
                ::std::result::Result::Ok(input) => ::std::result::Result::Ok(input),
                ::std::result::Result::Err(missing) => {
                    let mut violations = missing.violations().to_vec();
                    ::apprunner_smithy::Validate::validate_into(&builder, &::apprunner_smithy::ValuePath::Root, &mut violations);
                    violations.sort_by(|a, b| a.path.cmp(&b.path));
                    ::std::result::Result::Err(::apprunner_runtime::SdkError::InvalidInput(::apprunner_smithy::ValidationError::new(violations)))
                }
            }
        }
    } else {
        quote! { ::std::result::Result::Ok(builder.build()) }
    };
    Ok(quote! {
        pub use #types_path::{#input, #output};
        pub use #types_path::builders::#input_builder;

        /// Facts about the operation.
        pub(crate) static SPEC: ::apprunner_runtime::OperationSpec = ::apprunner_runtime::OperationSpec { name: #name };

        impl crate::Operation for #input {
            type Output = #output;
            type Error = #error;
            const SPEC: &'static ::apprunner_runtime::OperationSpec = &SPEC;

            fn prepare(&mut self) {
                #(#prepare)*
            }
        }

        #[doc = #error_doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #error {
            #(#variant_docs #variants(#types_path::#variants),)*
            /// An error the model does not describe for this operation; its code, message,
            /// request id and HTTP status are in the metadata.
            Unhandled(::apprunner_smithy::ErrorMetadata),
        }

        impl #error {
            /// The response metadata: error code, message, request id and HTTP status.
            pub fn meta(&self) -> &::apprunner_smithy::ErrorMetadata {
                ::apprunner_runtime::OperationError::metadata(self)
            }

            /// The error code, such as `InvalidRequestException`.
            pub fn code(&self) -> ::std::option::Option<&str> {
                self.meta().code.as_deref()
            }

            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                self.meta().message.as_deref()
            }

            #(#predicates)*
        }

        impl ::std::fmt::Display for #error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(Self::#variants(error) => ::std::fmt::Display::fmt(error, f),)*
                    Self::Unhandled(meta) => ::std::fmt::Display::fmt(meta, f),
                }
            }
        }

        impl ::std::error::Error for #error {}

        impl ::apprunner_runtime::OperationError for #error {
            fn from_response(code: &str, body: &[u8], metadata: ::apprunner_smithy::ErrorMetadata) -> Self {
                #from_response
            }

            fn metadata(&self) -> &::apprunner_smithy::ErrorMetadata {
                match self {
                    #(Self::#variants(error) => &error.meta,)*
                    Self::Unhandled(meta) => meta,
                }
            }

            fn retry_class(&self) -> ::std::option::Option<::apprunner_runtime::RetryClass> {
                #retry_body
            }
        }

        #[doc = #fluent_doc]
        ///
        #op_docs
        #[derive(Debug, Clone)]
        pub struct #fluent {
            client: crate::Client,
            inner: #input_builder,
        }

        impl #fluent {
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client, inner: #input_builder::default() }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #(#fluent_setters)*

            /// Validates the input, then signs and sends the request.
            ///
            /// # Errors
            ///
            /// Missing required members and constraint violations are reported, all at once,
            /// before anything is sent; then any other [`SdkError`](::apprunner_runtime::SdkError).
            pub async fn send(self) -> ::std::result::Result<#output, ::apprunner_runtime::SdkError<#error>> {
                let input = build_input(self.inner)?;
                self.client.send(input).await
            }

            #paginator
        }

        fn build_input(builder: #input_builder) -> ::std::result::Result<#input, ::apprunner_runtime::SdkError<#error>> {
            #build_input
        }
    })
}

/// Follows a dotted member path (`NextToken`, `Result.NextToken`) through optional
/// structure members, yielding tokens that evaluate to an `Option<&T>` of the final member.
fn member_path_access(ir: &Ir, root: &str, path: &str, start: TokenStream) -> Result<(TokenStream, Member)> {
    let mut shape_id = root.to_owned();
    let mut expr = quote! { ::std::option::Option::Some(#start) };
    let parts: Vec<&str> = path.split('.').collect();
    for (index, part) in parts.iter().enumerate() {
        let structure = structure(ir, &shape_id)?;
        let member = structure
            .members
            .iter()
            .find(|m| m.wire_name == *part)
            .ok_or_else(|| anyhow!("@paginated path {path}: {shape_id} has no member {part}"))?;
        let field = ident(&member.field);
        let optional = !(member.required || member.default.is_some());
        expr = if optional {
            quote! { #expr.and_then(|value| value.#field.as_ref()) }
        } else {
            quote! { #expr.map(|value| &value.#field) }
        };
        if member.boxed {
            expr = quote! { #expr.map(|value| &**value) };
        }
        if index + 1 == parts.len() {
            return Ok((expr, clone_member(member)));
        }
        shape_id = match &member.ty.kind {
            TyKind::Named(id) => id.clone(),
            _ => bail!("@paginated path {path}: {part} is not a structure"),
        };
    }
    Err(anyhow!("@paginated path is empty"))
}

fn clone_member(member: &Member) -> Member {
    Member {
        wire_name: member.wire_name.clone(),
        field: member.field.clone(),
        setter: member.setter.clone(),
        docs: None,
        ty: member.ty.clone(),
        required: member.required,
        default: member.default.clone(),
        boxed: member.boxed,
        idempotency_token: member.idempotency_token,
        timestamp_format: member.timestamp_format,
        deprecated: None,
    }
}

fn paginator(
    ir: &Ir,
    op: &Operation,
    paginated: &Paginated,
    types_path: &TokenStream,
    input: &proc_macro2::Ident,
    output: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
) -> Result<TokenStream> {
    let input_structure = structure(ir, &op.input)?;
    let token_member = input_structure
        .members
        .iter()
        .find(|m| m.wire_name == paginated.input_token)
        .ok_or_else(|| {
            anyhow!(
                "operation {}: @paginated inputToken {} is not an input member",
                op.id,
                paginated.input_token
            )
        })?;
    if token_member.required || token_member.default.is_some() {
        bail!(
            "operation {}: @paginated inputToken {} must be an optional member",
            op.id,
            paginated.input_token
        );
    }
    let token_field = ident(&token_member.field);
    let token_ty = rust_type(&token_member.ty, ir, types_path);
    let (next_token, token_out) = member_path_access(ir, &op.output, &paginated.output_token, quote! { output })?;
    if rust_type(&token_out.ty, ir, types_path).to_string() != token_ty.to_string() {
        bail!(
            "operation {}: @paginated outputToken {} and inputToken {} have different types",
            op.id,
            paginated.output_token,
            paginated.input_token
        );
    }
    // An empty string token means "no more pages" too.
    let next_token = if matches!(token_member.ty.kind, TyKind::String) {
        quote! { #next_token.filter(|token| !token.is_empty()).cloned() }
    } else {
        quote! { #next_token.cloned() }
    };
    let items = match &paginated.items {
        Some(items_path) => {
            let (access, member) = member_path_access(ir, &op.output, items_path, quote! { output })?;
            let item_ty = match &member.ty.kind {
                TyKind::List { item, sparse: false } => rust_type(item, ir, types_path),
                TyKind::List { item, sparse: true } => {
                    let item = rust_type(item, ir, types_path);
                    quote! { ::std::option::Option<#item> }
                }
                TyKind::Map { key, value, .. } => {
                    let key = rust_type(key, ir, types_path);
                    let value = rust_type(value, ir, types_path);
                    quote! { (#key, #value) }
                }
                _ => bail!(
                    "operation {}: @paginated items {} must be a list or map",
                    op.id,
                    items_path
                ),
            };
            let doc = format!(" Sends requests page after page and yields the `{items_path}` items one by one.");
            quote! {
                #[doc = #doc]
                pub fn into_items(self) -> ::apprunner_runtime::ItemStream<#item_ty, #error> {
                    self.into_paginator().items(|output: &#output| #access.map(|items| items.clone().into_iter().collect()).unwrap_or_default())
                }
            }
        }
        None => quote! {},
    };
    let page_size_doc = match &paginated.page_size {
        Some(member) => format!(
            " The page size is the `{member}` set on this builder (`.{}(...)`).",
            names::function(member).trim_start_matches("r#")
        ),
        None => String::new(),
    };
    Ok(quote! {
        /// Sends requests page after page, following the continuation token, as an async
        /// stream of outputs. It stops when the service returns no token (or repeats one).
        #[doc = #page_size_doc]
        pub fn into_paginator(self) -> ::apprunner_runtime::Paginator<#types_path::#input, #output, #error, #token_ty> {
            let input = build_input(self.inner);
            ::apprunner_runtime::Paginator::new(
                self.client.runtime().clone(),
                &SPEC,
                input,
                |input: &mut #types_path::#input, token: ::std::option::Option<#token_ty>| input.#token_field = token,
                |output: &#output| #next_token,
            )
        }

        #items
    })
}
