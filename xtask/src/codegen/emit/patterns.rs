//! The types crate's `patterns` module: every `@pattern` of the model as the
//! automata [`crate::codegen::pattern`] compiled, in static tables that
//! `apprunner_smithy::pattern` walks.

use super::{Crates, Files, Settings, render};
use crate::codegen::ir::Ir;
use crate::codegen::pattern::{CompiledPattern, Dfa};
use anyhow::Result;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

pub(crate) fn emit(ir: &Ir, crates: &Crates, settings: &Settings, files: &mut Files) -> Result<()> {
    let statics = ir
        .patterns
        .iter()
        .enumerate()
        .map(|(index, pattern)| pattern_static(index, pattern));
    // A model without `@pattern`s gets the module all the same, without the import.
    let import = if ir.patterns.is_empty() {
        quote! {}
    } else {
        quote! { use ::apprunner_smithy::pattern::{Automaton, Pattern}; }
    };
    let tokens = quote! {
        //! The model's `@pattern` constraints, compiled by the code generator into
        //! automata (see `apprunner_smithy::pattern`): validation and the schema share them.

        #import

        #(#statics)*
    };
    let path = format!("{}/src/generated/patterns.rs", crates.types_package);
    files.insert(path.clone(), render(tokens, settings, &path)?);
    Ok(())
}

/// The name of the static for `ir.patterns[index]`.
pub(crate) fn pattern_ident(index: usize) -> Ident {
    format_ident!("PATTERN_{}", index + 1)
}

fn pattern_static(index: usize, pattern: &CompiledPattern) -> TokenStream {
    let name = pattern_ident(index);
    let source = &pattern.source;
    let quoted = if source.contains('`') {
        format!("`` {source} ``")
    } else {
        format!("`{source}`")
    };
    let doc = match pattern.max_chars {
        Some(max) => format!(" {quoted}, for values of at most {max} characters."),
        None => format!(" {quoted}."),
    };
    let (tables, value) = pattern_value(&name, pattern);
    quote! {
        #tables
        #[doc = #doc]
        pub static #name: Pattern = #value;
    }
}

/// The statics holding `pattern`'s automata (named after `name`) and a
/// `Pattern::new(..)` expression that uses them (in scope: `Automaton`, `Pattern`).
pub(crate) fn pattern_value(name: &Ident, pattern: &CompiledPattern) -> (TokenStream, TokenStream) {
    let array = |array_name: &Ident, automata: &[Dfa]| {
        let count = automata.len();
        let automata = automata.iter().map(automaton);
        quote! { static #array_name: [Automaton; #count] = [#(#automata),*]; }
    };
    let required_name = format_ident!("{name}_REQUIRED");
    let required = array(&required_name, &pattern.required);
    let (forbidden, forbidden_ref) = if pattern.forbidden.is_empty() {
        (quote! {}, quote! { &[] })
    } else {
        let forbidden_name = format_ident!("{name}_FORBIDDEN");
        (array(&forbidden_name, &pattern.forbidden), quote! { &#forbidden_name })
    };
    let source = &pattern.source;
    (
        quote! { #required #forbidden },
        quote! { Pattern::new(#source, &#required_name, #forbidden_ref) },
    )
}

fn automaton(dfa: &Dfa) -> TokenStream {
    let tables = dfa.tables();
    let bytes = |bytes: &[u8]| Literal::byte_string(bytes);
    let ascii = bytes(&tables.ascii_classes);
    let run_starts = bytes(&tables.run_starts);
    let run_classes = bytes(&tables.run_classes);
    let class_count = tables.class_count;
    let transitions = bytes(&tables.transitions);
    let accepts = bytes(&tables.accepts);
    quote! { Automaton::new(#ascii, #run_starts, #run_classes, #class_count, #transitions, #accepts) }
}
