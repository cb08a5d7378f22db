//! `--output json`: what Python's `json.dump(value, indent=4, ensure_ascii=False)` writes, as
//! the AWS CLI calls it, followed by a newline. An empty object prints nothing at all (the AWS
//! CLI skips `{}` so that operations without output print nothing).

use super::node::{Node, py_float_repr};

/// The `--output json` text of `value`.
pub fn render(value: &Node) -> String {
    if matches!(value, Node::Object(members) if members.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    write_pretty(&mut out, value, 0);
    out.push('\n');
    out
}

fn write_pretty(out: &mut String, value: &Node, depth: usize) {
    match value {
        Node::List(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(out, depth + 1);
                write_pretty(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push(']');
        }
        Node::Object(members) if !members.is_empty() => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(out, depth + 1);
                write_string(out, key, false);
                out.push_str(": ");
                write_pretty(out, item, depth + 1);
            }
            out.push('\n');
            indent(out, depth);
            out.push('}');
        }
        scalar => write_compact(out, scalar, ", ", ": ", false),
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

/// Python's `json.dumps(value, separators=(item, key), ensure_ascii=...)` without indentation.
pub fn dumps(value: &Node, item_separator: &str, key_separator: &str, ensure_ascii: bool) -> String {
    let mut out = String::new();
    write_compact(&mut out, value, item_separator, key_separator, ensure_ascii);
    out
}

fn write_compact(out: &mut String, value: &Node, item_sep: &str, key_sep: &str, ensure_ascii: bool) {
    match value {
        Node::Null => out.push_str("null"),
        Node::Bool(true) => out.push_str("true"),
        Node::Bool(false) => out.push_str("false"),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Float(f) => out.push_str(&json_float(*f)),
        Node::String(s) => write_string(out, s, ensure_ascii),
        Node::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                write_compact(out, item, item_sep, key_sep, ensure_ascii);
            }
            out.push(']');
        }
        Node::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                write_string(out, key, ensure_ascii);
                out.push_str(key_sep);
                write_compact(out, item, item_sep, key_sep, ensure_ascii);
            }
            out.push('}');
        }
    }
}

/// Python's `float.__repr__`, with JSON's names for the non-finite values.
fn json_float(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        py_float_repr(value)
    }
}

/// A JSON string as Python's encoder writes it: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other
/// control characters as `\u00XX`; with `ensure_ascii`, everything past ASCII as `\uXXXX`
/// (surrogate pairs above the BMP).
fn write_string(out: &mut String, text: &str, ensure_ascii: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ensure_ascii && (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_values_indent_by_four() {
        let value = Node::Object(vec![
            ("Name".into(), Node::String("Grüß \"dich\"\t".into())),
            ("Empty".into(), Node::List(vec![])),
            ("None".into(), Node::Object(vec![])),
            (
                "List".into(),
                Node::List(vec![Node::Int(1), Node::Float(2.0), Node::Null, Node::Bool(false)]),
            ),
        ]);
        assert_eq!(
            render(&value),
            "{\n    \"Name\": \"Grüß \\\"dich\\\"\\t\",\n    \"Empty\": [],\n    \"None\": {},\n    \"List\": [\n        1,\n        2.0,\n        null,\n        false\n    ]\n}\n"
        );
    }

    #[test]
    fn empty_object_prints_nothing_but_other_empty_values_print() {
        assert_eq!(render(&Node::Object(vec![])), "");
        assert_eq!(render(&Node::List(vec![])), "[]\n");
        assert_eq!(render(&Node::Null), "null\n");
        assert_eq!(render(&Node::String(String::new())), "\"\"\n");
    }

    #[test]
    fn compact_dumps_as_python() {
        let value = Node::Object(vec![
            ("NextToken".into(), Node::String("é".into())),
            ("boto_truncate_amount".into(), Node::Int(2)),
        ]);
        assert_eq!(
            dumps(&value, ", ", ": ", true),
            r#"{"NextToken": "\u00e9", "boto_truncate_amount": 2}"#
        );
        assert_eq!(
            dumps(&value, ",", ":", false),
            r#"{"NextToken":"é","boto_truncate_amount":2}"#
        );
    }
}
