//! Evaluating a parsed expression, with the semantics of the reference JMESPath implementation
//! the AWS CLI uses (jmespath.py) where the specification leaves room: ordering comparisons
//! also work on strings (`CreatedAt > '2024-01-01'`), numbers never equal booleans, and the
//! functions' type errors read the same.

use super::QueryEvalError;
use super::parser::{Ast, Comparator};
use crate::output::json;
use crate::output::node::{Node, py_str};

type Result<T> = std::result::Result<T, QueryEvalError>;

pub(crate) fn eval(ast: &Ast, value: &Node) -> Result<Node> {
    Ok(match ast {
        Ast::Identity | Ast::Current => value.clone(),
        Ast::Field(name) => value.get(name).cloned().unwrap_or(Node::Null),
        Ast::Literal(node) => node.clone(),
        Ast::Subexpression(children) | Ast::IndexExpression(children) => {
            let mut result = value.clone();
            for child in children {
                result = eval(child, &result)?;
            }
            result
        }
        Ast::Pipe(left, right) => eval(right, &eval(left, value)?)?,
        Ast::Index(index) => match value {
            Node::List(items) => python_index(items.len(), *index)
                .map(|i| items[i].clone())
                .unwrap_or(Node::Null),
            _ => Node::Null,
        },
        Ast::Slice(start, stop, step) => match value {
            Node::List(items) => Node::List(slice(items, *start, *stop, *step)?),
            _ => Node::Null,
        },
        Ast::Projection(left, right) => match eval(left, value)? {
            Node::List(items) => project(&items, right)?,
            _ => Node::Null,
        },
        Ast::ValueProjection(left, right) => match eval(left, value)? {
            Node::Object(members) => {
                let values: Vec<Node> = members.into_iter().map(|(_, v)| v).collect();
                project(&values, right)?
            }
            _ => Node::Null,
        },
        Ast::FilterProjection(left, right, condition) => match eval(left, value)? {
            Node::List(items) => {
                let mut collected = Vec::new();
                for item in &items {
                    if is_true(&eval(condition, item)?) {
                        let current = eval(right, item)?;
                        if current != Node::Null {
                            collected.push(current);
                        }
                    }
                }
                Node::List(collected)
            }
            _ => Node::Null,
        },
        Ast::Flatten(inner) => match eval(inner, value)? {
            Node::List(items) => {
                let mut merged = Vec::new();
                for item in items {
                    match item {
                        Node::List(inner) => merged.extend(inner),
                        other => merged.push(other),
                    }
                }
                Node::List(merged)
            }
            _ => Node::Null,
        },
        Ast::Comparator(comparator, left, right) => {
            let left = eval(left, value)?;
            let right = eval(right, value)?;
            compare(*comparator, &left, &right)?
        }
        Ast::Or(left, right) => {
            let matched = eval(left, value)?;
            if is_true(&matched) {
                matched
            } else {
                eval(right, value)?
            }
        }
        Ast::And(left, right) => {
            let matched = eval(left, value)?;
            if is_true(&matched) {
                eval(right, value)?
            } else {
                matched
            }
        }
        Ast::Not(inner) => {
            let result = eval(inner, value)?;
            Node::Bool(match result {
                Node::Int(_) | Node::Float(_) => false,
                other => !other.py_truthy(),
            })
        }
        Ast::MultiSelectList(items) => {
            if *value == Node::Null {
                return Ok(Node::Null);
            }
            Node::List(items.iter().map(|item| eval(item, value)).collect::<Result<_>>()?)
        }
        Ast::MultiSelectHash(pairs) => {
            if *value == Node::Null {
                return Ok(Node::Null);
            }
            let mut members = Vec::new();
            for (key, item) in pairs {
                Node::insert(&mut members, key.clone(), eval(item, value)?);
            }
            Node::Object(members)
        }
        Ast::Function(name, args) => super::functions::call(name, args, value)?,
        // An expression reference outside a function argument has no JSON value; the AWS CLI
        // fails when it prints one.
        Ast::Expref(_) => return Err(QueryEvalError::new("Encountered unrecognized type in JSON encoder.")),
    })
}

fn project(items: &[Node], right: &Ast) -> Result<Node> {
    let mut collected = Vec::new();
    for item in items {
        let current = eval(right, item)?;
        if current != Node::Null {
            collected.push(current);
        }
    }
    Ok(Node::List(collected))
}

/// JMESPath's false values: `null`, `false`, and empty text, lists and objects (not zero).
pub(crate) fn is_true(value: &Node) -> bool {
    match value {
        Node::Null | Node::Bool(false) => false,
        Node::String(s) => !s.is_empty(),
        Node::List(items) => !items.is_empty(),
        Node::Object(members) => !members.is_empty(),
        _ => true,
    }
}

fn python_index(len: usize, index: i64) -> Option<usize> {
    let len = len as i64;
    let index = if index < 0 { index + len } else { index };
    (0..len).contains(&index).then_some(index as usize)
}

/// Python's `list[start:stop:step]`.
pub(crate) fn slice(items: &[Node], start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Result<Vec<Node>> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(QueryEvalError::new("slice step cannot be zero"));
    }
    let len = items.len() as i64;
    let clamp = |bound: Option<i64>, default: i64| -> i64 {
        match bound {
            None => default,
            Some(b) if b < 0 => {
                let b = b + len;
                if b < 0 { if step < 0 { -1 } else { 0 } } else { b }
            }
            Some(b) if b >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(b) => b,
        }
    };
    let (start, stop) = if step > 0 {
        (clamp(start, 0), clamp(stop, len))
    } else {
        (clamp(start, len - 1), clamp(stop, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if (0..len).contains(&i) {
            out.push(items[i as usize].clone());
        }
        i += step;
    }
    Ok(out)
}

/// Python's `==` between the equivalent objects (`True == 1`, `1 == 1.0`, dicts unordered).
pub(crate) fn py_eq(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Null, Node::Null) => true,
        (Node::String(x), Node::String(y)) => x == y,
        (Node::List(x), Node::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| py_eq(a, b)),
        (Node::Object(x), Node::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| b.get(k).is_some_and(|other| py_eq(v, other)))
        }
        _ => match (numeric(a, true), numeric(b, true)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// The value of a number (and, when `bools`, of a boolean) as an `f64`-comparable pair.
fn numeric(node: &Node, bools: bool) -> Option<Number> {
    match node {
        Node::Int(i) => Some(Number::Int(*i)),
        Node::Float(f) => Some(Number::Float(*f)),
        Node::Bool(b) if bools => Some(Number::Int(i64::from(*b))),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Number {
    Int(i64),
    Float(f64),
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a.partial_cmp(b),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }
}

impl Number {
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    pub(crate) fn node(self) -> Node {
        match self {
            Number::Int(i) => Node::Int(i),
            Number::Float(f) => Node::Float(f),
        }
    }
}

pub(crate) fn as_number(node: &Node) -> Option<Number> {
    numeric(node, false)
}

fn compare(comparator: Comparator, left: &Node, right: &Node) -> Result<Node> {
    let equal = || {
        let bool_vs_number = |a: &Node, b: &Node| matches!(a, Node::Bool(_)) && as_number(b).is_some();
        !(bool_vs_number(left, right) || bool_vs_number(right, left)) && py_eq(left, right)
    };
    let ordering = match comparator {
        Comparator::Eq => return Ok(Node::Bool(equal())),
        Comparator::Ne => return Ok(Node::Bool(!equal())),
        _ => python_order(left, right, comparator)?,
    };
    Ok(match ordering {
        None => Node::Null,
        Some(ordering) => Node::Bool(match comparator {
            Comparator::Lt => ordering.is_lt(),
            Comparator::Lte => ordering.is_le(),
            Comparator::Gt => ordering.is_gt(),
            Comparator::Gte => ordering.is_ge(),
            Comparator::Eq | Comparator::Ne => unreachable!("handled above"),
        }),
    })
}

/// Ordering for `<`, `<=`, `>`, `>=`: numbers with numbers, strings with strings; `None` when
/// either side is neither (the comparison is then `null`); an error for a string against a
/// number, as Python refuses it.
fn python_order(left: &Node, right: &Node, comparator: Comparator) -> Result<Option<std::cmp::Ordering>> {
    let comparable = |n: &Node| matches!(n, Node::String(_)) || as_number(n).is_some();
    if !comparable(left) || !comparable(right) {
        return Ok(None);
    }
    match (left, right) {
        (Node::String(a), Node::String(b)) => Ok(Some(a.cmp(b))),
        _ => match (as_number(left), as_number(right)) {
            (Some(a), Some(b)) => Ok(a.partial_cmp(&b)),
            _ => {
                let symbol = match comparator {
                    Comparator::Lt => "<",
                    Comparator::Lte => "<=",
                    Comparator::Gt => ">",
                    _ => ">=",
                };
                Err(QueryEvalError::new(format!(
                    "'{symbol}' not supported between instances of '{}' and '{}'",
                    python_type_name(left),
                    python_type_name(right)
                )))
            }
        },
    }
}

/// The Python type name of the equivalent object (`str`, `int`, `NoneType`).
pub(crate) fn python_type_name(node: &Node) -> &'static str {
    match node {
        Node::Null => "NoneType",
        Node::Bool(_) => "bool",
        Node::Int(_) => "int",
        Node::Float(_) => "float",
        Node::String(_) => "str",
        Node::List(_) => "list",
        Node::Object(_) => "dict",
    }
}

/// The JMESPath type name (`string`, `number`, `null`).
pub(crate) fn jmespath_type_name(node: &Node) -> &'static str {
    match node {
        Node::Null => "null",
        Node::Bool(_) => "boolean",
        Node::Int(_) | Node::Float(_) => "number",
        Node::String(_) => "string",
        Node::List(_) => "array",
        Node::Object(_) => "object",
    }
}

/// `to_string()`: text as is, anything else as compact JSON (ASCII only, as Python writes it).
pub(crate) fn to_string(node: &Node) -> String {
    match node {
        Node::String(s) => s.clone(),
        other => json::dumps(other, ",", ":", true),
    }
}

/// `str()` of a value in error messages.
pub(crate) fn describe(node: &Node) -> String {
    py_str(node)
}
