//! The client crate's `endpoint_rules` module: the service's endpoint rule set as
//! `static` data of `apprunner_smithy::rules` types, which the runtime evaluates.
//! Nothing is parsed when a program starts, and no rule set parser is linked into it.

use super::doc_text;
use apprunner_smithy::rules::{
    Call, Condition, EndpointSpec, Expr, Func, Literal, ParamType, Parameter, PathStep, Rule, RuleKind, RuleSet,
    Template, TemplatePart,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The module's tokens: `RULE_SET`, documented.
pub(crate) fn endpoint_rules_module(rule_set: &RuleSet, from_model: bool) -> TokenStream {
    let value = rule_set_value(rule_set);
    let docs = doc_text(if from_model {
        "The service's endpoint rule set (its `smithy.rules#endpointRuleSet` trait), which the\n\
         client evaluates for every call. `EndpointResolver::new(&ENDPOINT_RULE_SET)` resolves\n\
         endpoints without a client."
    } else {
        "The model has no `smithy.rules#endpointRuleSet`: this rule set, which the\n\
         client evaluates for every call, only accepts a configured endpoint URL."
    });
    quote! {
        use ::apprunner_smithy::rules;
        use ::std::borrow::Cow::Borrowed;

        #docs
        pub static RULE_SET: rules::RuleSet = #value;
    }
}

/// A `RuleSet { .. }` expression for `rule_set`. The generated file brings
/// `rules` (the `apprunner_smithy::rules` module) and `Borrowed` into scope.
fn rule_set_value(rule_set: &RuleSet) -> TokenStream {
    let parameters = list(rule_set.parameters.iter().map(parameter));
    let rules = list(rule_set.rules.iter().map(rule));
    quote! { rules::RuleSet { parameters: #parameters, rules: #rules } }
}

fn list(items: impl Iterator<Item = TokenStream>) -> TokenStream {
    quote! { Borrowed(&[#(#items),*]) }
}

fn text(text: &str) -> TokenStream {
    quote! { Borrowed(#text) }
}

fn optional_text(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => {
            let value = text(value);
            quote! { Some(#value) }
        }
        None => quote! { None },
    }
}

fn parameter(parameter: &Parameter) -> TokenStream {
    let name = text(&parameter.name);
    let kind = match parameter.kind {
        ParamType::String => quote! { String },
        ParamType::Boolean => quote! { Boolean },
        ParamType::StringArray => quote! { StringArray },
    };
    let built_in = optional_text(parameter.built_in.as_deref());
    let required = parameter.required;
    let default = match &parameter.default {
        Some(Literal::String(value)) => {
            let value = text(value);
            quote! { Some(rules::Literal::String(#value)) }
        }
        Some(Literal::Bool(value)) => quote! { Some(rules::Literal::Bool(#value)) },
        Some(Literal::StringArray(items)) => {
            let items = list(items.iter().map(|item| text(item)));
            quote! { Some(rules::Literal::StringArray(#items)) }
        }
        None => quote! { None },
    };
    quote! {
        rules::Parameter {
            name: #name,
            kind: rules::ParamType::#kind,
            built_in: #built_in,
            required: #required,
            default: #default,
        }
    }
}

fn rule(value: &Rule) -> TokenStream {
    let conditions = list(value.conditions.iter().map(condition));
    let kind = match &value.kind {
        RuleKind::Endpoint(spec) => {
            let spec = endpoint(spec);
            quote! { rules::RuleKind::Endpoint(#spec) }
        }
        RuleKind::Error(message) => {
            let message = expr(message);
            quote! { rules::RuleKind::Error(#message) }
        }
        RuleKind::Tree(rules) => {
            let rules = list(rules.iter().map(rule));
            quote! { rules::RuleKind::Tree(#rules) }
        }
    };
    quote! { rules::Rule { conditions: #conditions, kind: #kind } }
}

fn condition(condition: &Condition) -> TokenStream {
    let call = call(&condition.call);
    let assign = optional_text(condition.assign.as_deref());
    quote! { rules::Condition { call: #call, assign: #assign } }
}

fn endpoint(spec: &EndpointSpec) -> TokenStream {
    let url = expr(&spec.url);
    let headers = list(spec.headers.iter().map(|(name, values)| {
        let name = text(name);
        let values = list(values.iter().map(expr));
        quote! { (#name, #values) }
    }));
    let properties = list(spec.properties.iter().map(|(name, value)| named_expr(name, value)));
    quote! { rules::EndpointSpec { url: #url, headers: #headers, properties: #properties } }
}

fn named_expr(name: &str, value: &Expr) -> TokenStream {
    let name = text(name);
    let value = expr(value);
    quote! { (#name, #value) }
}

fn expr(expr: &Expr) -> TokenStream {
    match expr {
        Expr::Template(template) => {
            let template = self::template(template);
            quote! { rules::Expr::Template(#template) }
        }
        Expr::Bool(value) => quote! { rules::Expr::Bool(#value) },
        Expr::Int(value) => quote! { rules::Expr::Int(#value) },
        Expr::Array(items) => {
            let items = list(items.iter().map(self::expr));
            quote! { rules::Expr::Array(#items) }
        }
        Expr::Record(fields) => {
            let fields = list(fields.iter().map(|(name, value)| named_expr(name, value)));
            quote! { rules::Expr::Record(#fields) }
        }
        Expr::Ref(name) => {
            let name = text(name);
            quote! { rules::Expr::Ref(#name) }
        }
        Expr::Call(call) => {
            let call = self::call(call);
            quote! { rules::Expr::Call(#call) }
        }
    }
}

fn call(call: &Call) -> TokenStream {
    let func = match &call.func {
        Func::IsSet => quote! { IsSet },
        Func::Not => quote! { Not },
        Func::BooleanEquals => quote! { BooleanEquals },
        Func::StringEquals => quote! { StringEquals },
        Func::GetAttr(path) => {
            let path = self::path(path);
            quote! { GetAttr(#path) }
        }
        Func::ParseUrl => quote! { ParseUrl },
        Func::Substring => quote! { Substring },
        Func::UriEncode => quote! { UriEncode },
        Func::IsValidHostLabel => quote! { IsValidHostLabel },
        Func::AwsPartition => quote! { AwsPartition },
        Func::AwsParseArn => quote! { AwsParseArn },
        Func::AwsIsVirtualHostableS3Bucket => quote! { AwsIsVirtualHostableS3Bucket },
    };
    let args = list(call.args.iter().map(expr));
    quote! { rules::Call { func: rules::Func::#func, args: #args } }
}

fn path(steps: &[PathStep]) -> TokenStream {
    list(steps.iter().map(|step| match step {
        PathStep::Key(key) => {
            let key = text(key);
            quote! { rules::PathStep::Key(#key) }
        }
        PathStep::Index(index) => quote! { rules::PathStep::Index(#index) },
    }))
}

fn template(template: &Template) -> TokenStream {
    let parts = list(template.parts.iter().map(|part| match part {
        TemplatePart::Literal(literal) => {
            let literal = text(literal);
            quote! { rules::TemplatePart::Literal(#literal) }
        }
        TemplatePart::Var { name, path } => {
            let name = text(name);
            let path = self::path(path);
            quote! { rules::TemplatePart::Var { name: #name, path: #path } }
        }
    }));
    quote! { rules::Template { parts: #parts } }
}
