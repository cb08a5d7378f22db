//! The document the output side works on: JSON data whose objects keep their member order.
//!
//! `serde_json::Value` (without the workspace-wide `preserve_order` feature) sorts object keys,
//! but the AWS CLI prints members in the order it holds them: the model's order for responses
//! and the expression's order for `--query` multi-select hashes (`{Name: ..., Arn: ...}`).
//! [`Node`] keeps that order. Integers and floats stay apart, as Python keeps `int` and `float`
//! apart, because the formats print them differently (`5` and `5.0`).

use serde_json::Value;

/// A JSON value whose objects keep insertion order.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction or exponent (or too large for an `i64`).
    Float(f64),
    /// Text.
    String(String),
    /// A list.
    List(Vec<Node>),
    /// An object; keys are unique.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets `key` of an object: replaces the value in place, or appends the member.
    pub fn insert(members: &mut Vec<(String, Node)>, key: String, value: Node) {
        match members.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => members.push((key, value)),
        }
    }

    /// Whether this is a list or an object (a "non-scalar" in the AWS CLI's formatters).
    pub fn is_container(&self) -> bool {
        matches!(self, Node::List(_) | Node::Object(_))
    }

    /// Python's truth value of the equivalent object (`not value`): empty text, lists and
    /// objects, `null`, `false` and zero are false.
    pub fn py_truthy(&self) -> bool {
        match self {
            Node::Null => false,
            Node::Bool(b) => *b,
            Node::Int(i) => *i != 0,
            Node::Float(f) => *f != 0.0,
            Node::String(s) => !s.is_empty(),
            Node::List(items) => !items.is_empty(),
            Node::Object(members) => !members.is_empty(),
        }
    }

    /// Reads a `serde_json::Value` (objects in the value's key order).
    pub fn from_json(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => number_node(n),
            Value::String(s) => Node::String(s.clone()),
            Value::Array(items) => Node::List(items.iter().map(Node::from_json).collect()),
            Value::Object(map) => Node::Object(map.iter().map(|(k, v)| (k.clone(), Node::from_json(v))).collect()),
        }
    }

    /// Writes a `serde_json::Value` (object order is then the map's; non-finite floats become `null`).
    pub fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Node::String(s) => Value::String(s.clone()),
            Node::List(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Object(members) => Value::Object(members.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

/// Reads JSON text into a [`Node`], keeping object members in the order written (later
/// duplicates replace earlier values, as Python's `json.loads` does).
impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Int(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node, E> {
        Ok(i64::try_from(value).map_or(Node::Float(value as f64), Node::Int))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node, E> {
        Ok(Node::Float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            Node::insert(&mut members, key, value);
        }
        Ok(Node::Object(members))
    }
}

pub(crate) fn number_node(n: &serde_json::Number) -> Node {
    match n.as_i64() {
        Some(i) => Node::Int(i),
        None => Node::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

/// Python's `repr(float)`: the shortest text that reads back as the same float, in positional
/// notation for exponents from -4 to 15 (`0.0001`, `123.0`) and scientific otherwise
/// (`1e-05`, `1.5e+16`); `inf`, `-inf` and `nan` for the non-finite values.
pub fn py_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.2345e6", "-5e-7".
    let formatted = format!("{value:e}");
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let text = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        format!("{sign}{text}")
    } else {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exponent.abs())
    }
}

/// Python's `str()` of the equivalent object, as the text and table formats print scalars:
/// `True`, `None`, `1.5`, and for lists and objects their Python `repr`.
pub fn py_str(node: &Node) -> String {
    match node {
        Node::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr()` of the equivalent object (`{'a': [1, None]}`).
pub fn py_repr(node: &Node) -> String {
    match node {
        Node::Null => "None".to_owned(),
        Node::Bool(true) => "True".to_owned(),
        Node::Bool(false) => "False".to_owned(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => py_float_repr(*f),
        Node::String(s) => py_str_repr(s),
        Node::List(items) => format!("[{}]", items.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Node::Object(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}: {}", py_str_repr(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr()` of a `str`: single quotes unless the text has a single quote and no double one.
fn py_str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_prints_them() {
        for (value, text) in [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (123456789012345.0, "123456789012345.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e22, "1e+22"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1605899125.123, "1605899125.123"),
            (-0.0, "-0.0"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(py_float_repr(value), text, "{value}");
        }
    }

    #[test]
    fn python_str_and_repr() {
        let node = Node::Object(vec![
            ("a".into(), Node::List(vec![Node::Int(1), Node::Null, Node::Bool(true)])),
            ("it's".into(), Node::String("x\ny".into())),
        ]);
        assert_eq!(py_str(&node), r#"{'a': [1, None, True], "it's": 'x\ny'}"#);
        assert_eq!(py_str(&Node::String("plain".into())), "plain");
        assert_eq!(py_str(&Node::Float(2.0)), "2.0");
    }
}
