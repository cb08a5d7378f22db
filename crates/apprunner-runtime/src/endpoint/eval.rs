//! Evaluation of a parsed rule set.

use std::collections::BTreeMap;

use crate::map::SortedMap;

use super::value::Value;
use super::{Endpoint, EndpointError, functions, partitions};
use apprunner_smithy::rules::{Call, Expr, Func, PathStep, Rule, RuleKind, RuleSet, Template, TemplatePart};

/// Evaluates `rule_set` with the given parameter values (unset parameters absent).
pub(crate) fn resolve(rule_set: &RuleSet, parameters: Vec<(&str, Value)>) -> Result<Endpoint, EndpointError> {
    let mut scope = Scope { bindings: parameters };
    match eval_rules(&rule_set.rules, &mut scope)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(EndpointError::NoRuleMatched),
    }
}

/// The values visible to an expression: parameters, then assignments of the
/// conditions evaluated so far (the latest binding of a name wins).
struct Scope<'a> {
    bindings: Vec<(&'a str, Value)>,
}

impl Scope<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.bindings.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

fn type_error(func: &Func, message: impl std::fmt::Display) -> EndpointError {
    EndpointError::InvalidRuleSet(format!("`{}` {message}", func.name()))
}

/// Evaluates rules in order; `Ok(None)` when none of them matched.
fn eval_rules<'a>(rules: &'a [Rule], scope: &mut Scope<'a>) -> Result<Option<Endpoint>, EndpointError> {
    for rule in rules {
        let in_scope = scope.bindings.len();
        let outcome = eval_rule(rule, scope);
        scope.bindings.truncate(in_scope);
        if let Some(endpoint) = outcome? {
            return Ok(Some(endpoint));
        }
    }
    Ok(None)
}

/// Evaluates one rule; `Ok(None)` when one of its conditions does not hold.
fn eval_rule<'a>(rule: &'a Rule, scope: &mut Scope<'a>) -> Result<Option<Endpoint>, EndpointError> {
    for condition in rule.conditions.iter() {
        match eval_call(&condition.call, scope)? {
            None | Some(Value::Bool(false)) => return Ok(None),
            Some(value) => {
                if let Some(name) = &condition.assign {
                    scope.bindings.push((name, value));
                }
            }
        }
    }
    match &rule.kind {
        RuleKind::Endpoint(spec) => {
            let url = required_string(&spec.url, scope, "the endpoint url")?;
            let mut headers = BTreeMap::new();
            for (name, values) in spec.headers.iter() {
                let values = values
                    .iter()
                    .map(|value| required_string(value, scope, &format!("header `{name}`")))
                    .collect::<Result<Vec<_>, _>>()?;
                headers.insert(name.to_string(), values);
            }
            let mut properties = BTreeMap::new();
            for (name, value) in spec.properties.iter() {
                let value = eval_expr(value, scope)?.ok_or_else(|| {
                    EndpointError::InvalidRuleSet(format!("endpoint property `{name}` refers to an unset value"))
                })?;
                properties.insert(name.to_string(), value.to_document());
            }
            Ok(Some(Endpoint {
                url,
                headers,
                properties,
            }))
        }
        RuleKind::Error(message) => Err(EndpointError::RuleError(required_string(
            message,
            scope,
            "the error message",
        )?)),
        // Tree rules are terminal: once their conditions hold, one of their rules must match.
        RuleKind::Tree(rules) => match eval_rules(rules, scope)? {
            Some(endpoint) => Ok(Some(endpoint)),
            None => Err(EndpointError::NoRuleMatched),
        },
    }
}

fn required_string(expr: &Expr, scope: &Scope<'_>, what: &str) -> Result<String, EndpointError> {
    match eval_expr(expr, scope)? {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(EndpointError::InvalidRuleSet(format!(
            "{what} must be a string, not a {}",
            other.type_name()
        ))),
        None => Err(EndpointError::InvalidRuleSet(format!(
            "{what} refers to an unset value"
        ))),
    }
}

/// Evaluates an expression; `Ok(None)` is the unset value.
fn eval_expr(expr: &Expr, scope: &Scope<'_>) -> Result<Option<Value>, EndpointError> {
    Ok(match expr {
        Expr::Template(template) => eval_template(template, scope)?.map(Value::String),
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Int(i) => Some(Value::Int(*i)),
        Expr::Array(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items.iter() {
                match eval_expr(item, scope)? {
                    Some(value) => values.push(value),
                    None => return Ok(None),
                }
            }
            Some(Value::Array(values))
        }
        Expr::Record(fields) => {
            let mut values = SortedMap::new();
            for (key, item) in fields.iter() {
                match eval_expr(item, scope)? {
                    Some(value) => values.insert(key.to_string(), value),
                    None => return Ok(None),
                };
            }
            Some(Value::Record(values))
        }
        Expr::Ref(name) => scope.get(name).cloned(),
        Expr::Call(call) => eval_call(call, scope)?,
    })
}

/// Renders a template; `Ok(None)` when a substitution is unset.
fn eval_template(template: &Template, scope: &Scope<'_>) -> Result<Option<String>, EndpointError> {
    let mut out = String::new();
    for part in template.parts.iter() {
        match part {
            TemplatePart::Literal(text) => out.push_str(text),
            TemplatePart::Var { name, path } => {
                let Some(value) = scope.get(name) else {
                    return Ok(None);
                };
                match get_attr(value, path) {
                    Some(Value::String(s)) => out.push_str(s),
                    Some(other) => {
                        return Err(EndpointError::InvalidRuleSet(format!(
                            "template substitution `{name}` is a {}, not a string",
                            other.type_name()
                        )));
                    }
                    None => return Ok(None),
                }
            }
        }
    }
    Ok(Some(out))
}

/// Follows a `getAttr` path; `None` for a missing field or an index out of range.
pub(crate) fn get_attr<'v>(value: &'v Value, path: &[PathStep]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, step| match (value, step) {
        (Value::Record(fields), PathStep::Key(key)) => fields.get(&**key),
        (Value::Array(items), PathStep::Index(index)) => items.get(*index),
        _ => None,
    })
}

fn eval_call(call: &Call, scope: &Scope<'_>) -> Result<Option<Value>, EndpointError> {
    let func = &call.func;
    if let Func::IsSet = func {
        return Ok(Some(Value::Bool(eval_expr(&call.args[0], scope)?.is_some())));
    }
    // Every other function yields unset when one of its arguments is unset.
    let mut args = Vec::with_capacity(call.args.len());
    for arg in call.args.iter() {
        match eval_expr(arg, scope)? {
            Some(value) => args.push(value),
            None => return Ok(None),
        }
    }
    let string = |i: usize| match &args[i] {
        Value::String(s) => Ok(s.as_str()),
        other => Err(type_error(
            func,
            format_args!("expects a string, got a {}", other.type_name()),
        )),
    };
    let boolean = |i: usize| match &args[i] {
        Value::Bool(b) => Ok(*b),
        other => Err(type_error(
            func,
            format_args!("expects a boolean, got a {}", other.type_name()),
        )),
    };
    let integer = |i: usize| match &args[i] {
        Value::Int(n) => usize::try_from(*n).map_err(|_| type_error(func, format_args!("got a negative index {n}"))),
        other => Err(type_error(
            func,
            format_args!("expects an integer, got a {}", other.type_name()),
        )),
    };
    Ok(match func {
        Func::IsSet => unreachable!("handled above"),
        Func::Not => Some(Value::Bool(!boolean(0)?)),
        Func::BooleanEquals => Some(Value::Bool(boolean(0)? == boolean(1)?)),
        Func::StringEquals => Some(Value::Bool(string(0)? == string(1)?)),
        Func::GetAttr(path) => get_attr(&args[0], path).cloned(),
        Func::ParseUrl => functions::parse_url(string(0)?),
        Func::Substring => functions::substring(string(0)?, integer(1)?, integer(2)?, boolean(3)?).map(Value::String),
        Func::UriEncode => Some(Value::String(functions::uri_encode(string(0)?))),
        Func::IsValidHostLabel => Some(Value::Bool(functions::is_valid_host_label(string(0)?, boolean(1)?))),
        Func::AwsPartition => Some(partitions::partition(string(0)?)),
        Func::AwsParseArn => functions::parse_arn(string(0)?),
        Func::AwsIsVirtualHostableS3Bucket => Some(Value::Bool(functions::is_virtual_hostable_s3_bucket(
            string(0)?,
            boolean(1)?,
        ))),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{EndpointParams, EndpointResolver};
    use super::*;

    fn resolver(rules: &str) -> EndpointResolver {
        let json = format!(
            r#"{{"version": "1.0", "parameters": {{
                "Region": {{"type": "String", "builtIn": "AWS::Region"}},
                "UseFIPS": {{"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false}},
                "Bucket": {{"type": "String"}},
                "Names": {{"type": "stringArray", "default": ["a", "b"]}}
            }}, "rules": {rules}}}"#
        );
        EndpointResolver::from_json(&json).unwrap()
    }

    #[test]
    fn get_attr_paths() {
        let value = Value::record([
            ("name", Value::String("n".into())),
            (
                "list",
                Value::Array(vec![
                    Value::String("x".into()),
                    Value::record([("deep", Value::Bool(true))]),
                ]),
            ),
        ]);
        let key = |k: &'static str| PathStep::Key(k.into());
        let index = PathStep::Index;
        assert_eq!(get_attr(&value, &[key("name")]), Some(&Value::String("n".into())));
        assert_eq!(
            get_attr(&value, &[key("list"), index(0)]),
            Some(&Value::String("x".into()))
        );
        assert_eq!(
            get_attr(&value, &[key("list"), index(1), key("deep")]),
            Some(&Value::Bool(true))
        );
        assert_eq!(get_attr(&value, &[key("list"), index(2)]), None);
        assert_eq!(get_attr(&value, &[key("missing")]), None);
        assert_eq!(get_attr(&value, &[key("name"), index(0)]), None);
        let list = Value::Array(vec![Value::String("first".into())]);
        assert_eq!(get_attr(&list, &[index(0)]), Some(&Value::String("first".into())));
    }

    #[test]
    fn conditions_assignments_templates_headers_and_properties() {
        let r = resolver(
            r#"[{"conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Region"}]},
                    {"fn": "aws.partition", "argv": ["{Region}"], "assign": "P"},
                    {"fn": "getAttr", "argv": [{"ref": "Names"}, "[1]"], "assign": "Second"}
                ],
                "endpoint": {
                    "url": "https://{Second}.{Region}.{P#dnsSuffix}/{{x}}",
                    "headers": {"x-h": ["{P#name}", "lit"]},
                    "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "n": 1, "b": true}]}
                },
                "type": "endpoint"},
               {"conditions": [], "error": "no region", "type": "error"}]"#,
        );
        let endpoint = r
            .resolve(EndpointParams::new().region(Some("us-west-2".into())))
            .unwrap();
        assert_eq!(endpoint.url, "https://b.us-west-2.amazonaws.com/{x}");
        assert_eq!(endpoint.headers["x-h"], vec!["aws".to_owned(), "lit".to_owned()]);
        let properties = apprunner_smithy::json::to_vec(&endpoint.properties).unwrap();
        assert_eq!(
            String::from_utf8(properties).unwrap(),
            r#"{"authSchemes":[{"b":true,"n":1,"name":"sigv4","signingRegion":"us-west-2"}]}"#
        );
        assert_eq!(endpoint.sigv4_overrides(), Some((None, Some("us-west-2".to_owned()))));
        let err = r.resolve(&EndpointParams::new()).unwrap_err();
        assert_eq!(err, EndpointError::RuleError("no region".into()));
        assert_eq!(err.to_string(), "no region");
    }

    #[test]
    fn tree_rules_are_terminal() {
        let r = resolver(
            r#"[{"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                 "rules": [{"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}],
                            "endpoint": {"url": "https://x"}, "type": "endpoint"}],
                 "type": "tree"},
                {"conditions": [], "endpoint": {"url": "https://fallback"}, "type": "endpoint"}]"#,
        );
        assert_eq!(
            r.resolve(EndpointParams::new().region(Some("x".into()))).unwrap().url,
            "https://x"
        );
        assert_eq!(
            r.resolve(EndpointParams::new().region(Some("y".into()))),
            Err(EndpointError::NoRuleMatched)
        );
        assert_eq!(r.resolve(&EndpointParams::new()).unwrap().url, "https://fallback");
    }

    #[test]
    fn unset_arguments_fail_the_condition() {
        let r = resolver(
            r#"[{"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Bucket"}, "b"]}],
                 "endpoint": {"url": "https://bucket"}, "type": "endpoint"},
                {"conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]}]}],
                 "endpoint": {"url": "https://none"}, "type": "endpoint"}]"#,
        );
        assert_eq!(r.resolve(&EndpointParams::new()).unwrap().url, "https://none");
        assert_eq!(
            r.resolve(EndpointParams::new().set_string("Bucket", "b")).unwrap().url,
            "https://bucket"
        );
        assert_eq!(
            r.resolve(EndpointParams::new().set_string("Bucket", "c")),
            Err(EndpointError::NoRuleMatched)
        );
    }

    #[test]
    fn parameters_defaults_and_type_checks() {
        let r = resolver(r#"[{"conditions": [], "error": "{Region}", "type": "error"}]"#);
        let mut declared: Vec<_> = r.parameters().collect();
        declared.sort();
        assert_eq!(
            declared,
            vec![
                ("Bucket", None),
                ("Names", None),
                ("Region", Some("AWS::Region")),
                ("UseFIPS", Some("AWS::UseFIPS"))
            ]
        );
        // Named values win over builtins.
        let mut params = EndpointParams::new();
        params.region(Some("builtin".into())).set_string("Region", "named");
        assert_eq!(r.resolve(&params), Err(EndpointError::RuleError("named".into())));
        params.set_bool("UseFIPS", true).set_string_list("Names", vec![]);
        assert!(r.resolve(&params).is_err());
        assert!(matches!(
            r.resolve(EndpointParams::new().set_string("UseFIPS", "yes")),
            Err(EndpointError::InvalidParameter(_))
        ));
        assert!(matches!(
            r.resolve(EndpointParams::new().set_string("Nope", "x")),
            Err(EndpointError::InvalidParameter(_))
        ));
        let required = EndpointResolver::from_json(
            r#"{"version": "1.0", "parameters": {"R": {"type": "string", "required": true}},
                "rules": [{"conditions": [], "endpoint": {"url": "{R}"}, "type": "endpoint"}]}"#,
        )
        .unwrap();
        assert_eq!(
            required.resolve(&EndpointParams::new()),
            Err(EndpointError::MissingParameter("R".into()))
        );
        assert_eq!(
            required
                .resolve(EndpointParams::new().set_string("R", "u"))
                .unwrap()
                .url,
            "u"
        );
    }
}
