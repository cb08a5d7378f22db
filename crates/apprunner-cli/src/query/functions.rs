//! The JMESPath built-in functions, with jmespath.py's argument checks and messages.

use super::QueryEvalError;
use super::eval::{Number, as_number, describe, eval, jmespath_type_name, py_eq, python_type_name, to_string};
use super::parser::Ast;
use crate::output::node::Node;

type Result<T> = std::result::Result<T, QueryEvalError>;

/// An evaluated argument: a value, or an expression reference (`&field`).
enum Arg<'a> {
    Value(Node),
    Expref(&'a Ast),
}

/// One parameter's accepted types, as the signatures name them (`array-number`).
type Types = &'static [&'static str];

struct Signature {
    params: &'static [Types],
    variadic: bool,
}

fn signature(name: &str) -> Option<Signature> {
    const ANY: Types = &[];
    let (params, variadic): (&'static [Types], bool) = match name {
        "abs" | "ceil" | "floor" => (&[&["number"]], false),
        "avg" | "sum" => (&[&["array-number"]], false),
        "not_null" => (&[ANY], true),
        "to_array" | "to_string" | "to_number" | "type" => (&[ANY], false),
        "contains" => (&[&["array", "string"], ANY], false),
        "length" => (&[&["string", "array", "object"]], false),
        "ends_with" | "starts_with" => (&[&["string"], &["string"]], false),
        "reverse" => (&[&["array", "string"]], false),
        "join" => (&[&["string"], &["array-string"]], false),
        "map" => (&[&["expref"], &["array"]], false),
        "max" | "min" => (&[&["array-number", "array-string"]], false),
        "merge" => (&[&["object"]], true),
        "sort" => (&[&["array-string", "array-number"]], false),
        "keys" | "values" => (&[&["object"]], false),
        "sort_by" | "min_by" | "max_by" => (&[&["array"], &["expref"]], false),
        _ => return None,
    };
    Some(Signature { params, variadic })
}

fn type_error(function: &str, value: &str, actual: &str, expected: &[&str]) -> QueryEvalError {
    let expected = expected.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    QueryEvalError::new(format!(
        "In function {function}(), invalid type for value: {value}, expected one of: [{expected}], received: \"{actual}\""
    ))
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "argument" } else { "arguments" }
}

pub(crate) fn call(name: &str, arg_asts: &[Ast], current: &Node) -> Result<Node> {
    let mut args = Vec::with_capacity(arg_asts.len());
    for ast in arg_asts {
        args.push(match ast {
            Ast::Expref(inner) => Arg::Expref(inner),
            other => Arg::Value(eval(other, current)?),
        });
    }
    if matches!(name, "sort_by" | "min_by" | "max_by" | "map") {
        return call_expref_function(name, args);
    }
    let Some(signature) = signature(name) else {
        return Err(QueryEvalError::new(format!("Unknown function: {name}()")));
    };
    let expected = signature.params.len();
    if signature.variadic {
        if args.len() < expected {
            return Err(QueryEvalError::new(format!(
                "Expected at least {expected} {} for function {name}(), received {}",
                plural(expected),
                args.len()
            )));
        }
    } else if args.len() != expected {
        return Err(QueryEvalError::new(format!(
            "Expected {expected} {} for function {name}(), received {}",
            plural(expected),
            args.len()
        )));
    }
    for (arg, types) in args.iter().zip(signature.params) {
        check_type(name, arg, types)?;
    }
    run(name, args)
}

fn check_type(function: &str, arg: &Arg<'_>, types: Types) -> Result<()> {
    if types.is_empty() {
        return Ok(());
    }
    let value = match arg {
        Arg::Expref(_) => {
            return if types.contains(&"expref") {
                Ok(())
            } else {
                Err(type_error(function, "<expression>", "expref", types))
            };
        }
        Arg::Value(value) => value,
    };
    let actual = jmespath_type_name(value);
    let top_ok = types.iter().any(|t| t.split('-').next() == Some(actual));
    if !top_ok {
        return Err(type_error(function, &describe(value), actual, types));
    }
    let subtypes: Vec<&str> = types.iter().filter_map(|t| t.split_once('-').map(|(_, s)| s)).collect();
    let Node::List(items) = value else {
        return Ok(());
    };
    if subtypes.is_empty() {
        return Ok(());
    }
    let allowed = if subtypes.len() == 1 {
        subtypes[0]
    } else {
        let Some(first) = items.first() else {
            return Ok(());
        };
        match subtypes
            .iter()
            .find(|s| jmespath_type_name(first) == **s && !matches!(first, Node::Bool(_)))
        {
            Some(s) => s,
            None => return Err(type_error(function, &describe(first), python_type_name(first), types)),
        }
    };
    for item in items {
        let ok = match allowed {
            "number" => matches!(item, Node::Int(_) | Node::Float(_)),
            "string" => matches!(item, Node::String(_)),
            _ => true,
        };
        if !ok {
            return Err(type_error(function, &describe(item), python_type_name(item), types));
        }
    }
    Ok(())
}

fn value(arg: Arg<'_>) -> Node {
    match arg {
        Arg::Value(node) => node,
        Arg::Expref(_) => Node::Null,
    }
}

fn list(node: Node) -> Vec<Node> {
    match node {
        Node::List(items) => items,
        _ => Vec::new(),
    }
}

fn run(name: &str, args: Vec<Arg<'_>>) -> Result<Node> {
    let mut args: std::collections::VecDeque<Node> = args.into_iter().map(value).collect();
    let mut next = || args.pop_front().unwrap_or(Node::Null);
    Ok(match name {
        "abs" => match as_number(&next()) {
            Some(Number::Int(i)) => Node::Int(i.abs()),
            Some(Number::Float(f)) => Node::Float(f.abs()),
            None => Node::Null,
        },
        "ceil" | "floor" => match as_number(&next()) {
            Some(Number::Int(i)) => Node::Int(i),
            Some(Number::Float(f)) => {
                let rounded = if name == "ceil" { f.ceil() } else { f.floor() };
                if rounded.abs() < 9.0e18 {
                    Node::Int(rounded as i64)
                } else {
                    Node::Float(rounded)
                }
            }
            None => Node::Null,
        },
        "avg" => {
            let items = list(next());
            if items.is_empty() {
                Node::Null
            } else {
                let total: f64 = items.iter().filter_map(as_number).map(Number::as_f64).sum();
                Node::Float(total / items.len() as f64)
            }
        }
        "sum" => sum(&list(next())),
        "not_null" => args.into_iter().find(|node| *node != Node::Null).unwrap_or(Node::Null),
        "merge" => {
            let mut merged = Vec::new();
            for arg in args {
                if let Node::Object(members) = arg {
                    for (k, v) in members {
                        Node::insert(&mut merged, k, v);
                    }
                }
            }
            Node::Object(merged)
        }
        "to_array" => match next() {
            Node::List(items) => Node::List(items),
            other => Node::List(vec![other]),
        },
        "to_string" => Node::String(to_string(&next())),
        "to_number" => to_number(&next()),
        "type" => Node::String(jmespath_type_name(&next()).to_owned()),
        "contains" => {
            let subject = next();
            let search = next();
            match (&subject, &search) {
                (Node::String(s), Node::String(needle)) => Node::Bool(s.contains(needle.as_str())),
                (Node::String(_), other) => {
                    return Err(QueryEvalError::new(format!(
                        "'in <string>' requires string as left operand, not {}",
                        python_type_name(other)
                    )));
                }
                (Node::List(items), _) => Node::Bool(items.iter().any(|item| py_eq(item, &search))),
                _ => Node::Bool(false),
            }
        }
        "length" => Node::Int(match next() {
            Node::String(s) => s.chars().count() as i64,
            Node::List(items) => items.len() as i64,
            Node::Object(members) => members.len() as i64,
            _ => 0,
        }),
        "ends_with" | "starts_with" => {
            let (Node::String(subject), Node::String(affix)) = (next(), next()) else {
                return Ok(Node::Null);
            };
            Node::Bool(if name == "ends_with" {
                subject.ends_with(&affix)
            } else {
                subject.starts_with(&affix)
            })
        }
        "reverse" => match next() {
            Node::String(s) => Node::String(s.chars().rev().collect()),
            Node::List(mut items) => {
                items.reverse();
                Node::List(items)
            }
            _ => Node::Null,
        },
        "join" => {
            let separator = match next() {
                Node::String(s) => s,
                _ => String::new(),
            };
            let parts: Vec<String> = list(next())
                .into_iter()
                .map(|item| match item {
                    Node::String(s) => s,
                    other => describe(&other),
                })
                .collect();
            Node::String(parts.join(&separator))
        }
        "max" | "min" => {
            let mut best: Option<Node> = None;
            for item in list(next()) {
                best = Some(match best {
                    None => item,
                    Some(current) => {
                        let ordering = order(&item, &current, name)?;
                        let better = if name == "max" {
                            ordering.is_gt()
                        } else {
                            ordering.is_lt()
                        };
                        if better { item } else { current }
                    }
                });
            }
            best.unwrap_or(Node::Null)
        }
        "sort" => {
            let mut items = list(next());
            let mut error = None;
            items.sort_by(|a, b| {
                order(a, b, "sort").unwrap_or_else(|e| {
                    error.get_or_insert(e);
                    std::cmp::Ordering::Equal
                })
            });
            if let Some(error) = error {
                return Err(error);
            }
            Node::List(items)
        }
        "keys" => match next() {
            Node::Object(members) => Node::List(members.into_iter().map(|(k, _)| Node::String(k)).collect()),
            _ => Node::Null,
        },
        "values" => match next() {
            Node::Object(members) => Node::List(members.into_iter().map(|(_, v)| v).collect()),
            _ => Node::Null,
        },
        other => return Err(QueryEvalError::new(format!("Unknown function: {other}()"))),
    })
}

fn sum(items: &[Node]) -> Node {
    let mut total = Number::Int(0);
    for item in items {
        total = match (total, as_number(item)) {
            (Number::Int(a), Some(Number::Int(b))) => match a.checked_add(b) {
                Some(sum) => Number::Int(sum),
                None => Number::Float(a as f64 + b as f64),
            },
            (a, Some(b)) => Number::Float(a.as_f64() + b.as_f64()),
            (a, None) => a,
        };
    }
    total.node()
}

/// `to_number()`: numbers as they are, text read as Python's `int()` then `float()` read it.
fn to_number(node: &Node) -> Node {
    match node {
        Node::Int(_) | Node::Float(_) => node.clone(),
        Node::String(text) => {
            let trimmed = text.trim();
            let plain = python_numeric_text(trimmed);
            if let Some(Ok(i)) = plain.as_ref().map(|p| p.parse::<i64>()) {
                return Node::Int(i);
            }
            let lower = trimmed.to_ascii_lowercase();
            let special = matches!(lower.trim_start_matches(['+', '-']), "inf" | "infinity" | "nan");
            match plain.filter(|p| !p.is_empty()) {
                Some(p) => p.parse::<f64>().map_or(Node::Null, Node::Float),
                None if special => trimmed.parse::<f64>().map_or(Node::Null, Node::Float),
                None => Node::Null,
            }
        }
        _ => Node::Null,
    }
}

/// Number text with Python's digit-group underscores removed; `None` when an underscore is
/// misplaced or a character cannot be part of a number.
fn python_numeric_text(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let digit = |j: Option<&char>| j.is_some_and(char::is_ascii_digit);
            if !(i > 0 && digit(chars.get(i - 1)) && digit(chars.get(i + 1))) {
                return None;
            }
            continue;
        }
        if !(c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E')) {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// Python's ordering of two sort keys: numbers with numbers, strings with strings.
fn order(a: &Node, b: &Node, function: &str) -> Result<std::cmp::Ordering> {
    match (a, b) {
        (Node::String(x), Node::String(y)) => Ok(x.cmp(y)),
        _ => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => Ok(x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)),
            _ => Err(QueryEvalError::new(format!(
                "In function {function}(), '<' not supported between instances of '{}' and '{}'",
                python_type_name(a),
                python_type_name(b)
            ))),
        },
    }
}

/// `sort_by`, `min_by`, `max_by` and `map`: the functions that take an expression reference.
fn call_expref_function(name: &str, args: Vec<Arg<'_>>) -> Result<Node> {
    if args.len() != 2 {
        return Err(QueryEvalError::new(format!(
            "Expected 2 arguments for function {name}(), received {}",
            args.len()
        )));
    }
    let signature = signature(name).expect("known function");
    for (arg, types) in args.iter().zip(signature.params) {
        check_type(name, arg, types)?;
    }
    let (first, second) = {
        let mut it = args.into_iter();
        (it.next(), it.next())
    };
    if name == "map" {
        let (Some(Arg::Expref(expression)), Some(Arg::Value(Node::List(items)))) = (first, second) else {
            return Ok(Node::Null);
        };
        return Ok(Node::List(
            items.iter().map(|item| eval(expression, item)).collect::<Result<_>>()?,
        ));
    }
    let (Some(Arg::Value(Node::List(items))), Some(Arg::Expref(expression))) = (first, second) else {
        return Ok(Node::Null);
    };
    if name == "sort_by" {
        let Some(first) = items.first() else {
            return Ok(Node::List(items));
        };
        let required = jmespath_type_name(&eval(expression, first)?);
        if !matches!(required, "number" | "string") {
            return Err(type_error("sort_by", &describe(first), required, &["string", "number"]));
        }
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let key = key_of(expression, &item, &[required], "sort_by")?;
            keyed.push((key, item));
        }
        let mut error = None;
        keyed.sort_by(|(a, _), (b, _)| {
            order(a, b, "sort_by").unwrap_or_else(|e| {
                error.get_or_insert(e);
                std::cmp::Ordering::Equal
            })
        });
        if let Some(error) = error {
            return Err(error);
        }
        return Ok(Node::List(keyed.into_iter().map(|(_, item)| item).collect()));
    }
    let mut best: Option<(Node, Node)> = None;
    for item in items {
        let key = key_of(expression, &item, &["number", "string"], name)?;
        best = Some(match best {
            None => (key, item),
            Some((best_key, best_item)) => {
                let ordering = order(&key, &best_key, name)?;
                let better = if name == "max_by" {
                    ordering.is_gt()
                } else {
                    ordering.is_lt()
                };
                if better { (key, item) } else { (best_key, best_item) }
            }
        });
    }
    Ok(best.map_or(Node::Null, |(_, item)| item))
}

fn key_of(expression: &Ast, item: &Node, allowed: &[&str], function: &str) -> Result<Node> {
    let key = eval(expression, item)?;
    let actual = jmespath_type_name(&key);
    if !allowed.contains(&actual) {
        return Err(type_error(function, &describe(&key), actual, allowed));
    }
    Ok(key)
}
