//! `--output text`: the AWS CLI's tab-separated lines.
//!
//! The rules, as the AWS CLI applies them:
//! - an object prints its scalar members on one line, tab-separated, in key order, preceded by
//!   the upper-cased name it was found under (nothing at the top level); then each list or
//!   object member, in key order, under its own name;
//! - a list of objects prints one such line per object; the scalar columns are the union of the
//!   objects' scalar keys (sorted), with an empty field where an object lacks one;
//! - a list of scalars prints one `NAME<TAB>value` line per item under a name, or all items on
//!   one tab-separated line at the top level; nested lists are flattened the same way;
//! - scalars print as Python's `str()`: `True`, `None`, `1.5`.

use super::node::{Node, py_str};

/// The `--output text` lines of `value`.
pub fn render(value: &Node) -> String {
    let mut out = String::new();
    format_value(&mut out, value, None, None);
    out
}

fn format_value(out: &mut String, value: &Node, identifier: Option<&str>, scalar_keys: Option<&[String]>) {
    match value {
        Node::Object(members) => format_object(out, members, identifier, scalar_keys),
        Node::List(items) => format_list(out, items, identifier),
        scalar => {
            out.push_str(&py_str(scalar));
            out.push('\n');
        }
    }
}

fn format_list(out: &mut String, items: &[Node], identifier: Option<&str>) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(|item| matches!(item, Node::Object(_))) {
        let keys = all_scalar_keys(items);
        for item in items {
            format_value(out, item, identifier, Some(&keys));
        }
    } else if items.iter().any(|item| matches!(item, Node::List(_))) {
        let (scalars, containers): (Vec<&Node>, Vec<&Node>) = items.iter().partition(|item| !item.is_container());
        if !scalars.is_empty() {
            format_scalar_list(out, &scalars, identifier);
        }
        for item in containers {
            format_value(out, item, identifier, None);
        }
    } else {
        format_scalar_list(out, &items.iter().collect::<Vec<_>>(), identifier);
    }
}

fn format_scalar_list(out: &mut String, items: &[&Node], identifier: Option<&str>) {
    match identifier {
        Some(name) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", name.to_uppercase(), py_str(item)));
            }
        }
        None => {
            out.push_str(&items.iter().map(|item| py_str(item)).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
    }
}

fn format_object(
    out: &mut String,
    members: &[(String, Node)],
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) {
    let mut scalars: Vec<String> = Vec::new();
    let mut containers: Vec<(&str, &Node)> = Vec::new();
    match scalar_keys {
        None => {
            let mut sorted: Vec<&(String, Node)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            for (key, value) in sorted {
                if value.is_container() {
                    containers.push((key, value));
                } else {
                    scalars.push(py_str(value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                let value = members.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                scalars.push(value.map(py_str).unwrap_or_default());
            }
            let mut rest: Vec<&(String, Node)> = members.iter().filter(|(k, _)| !keys.contains(k)).collect();
            rest.sort_by(|a, b| a.0.cmp(&b.0));
            containers.extend(rest.into_iter().map(|(k, v)| (k.as_str(), v)));
        }
    }
    if !scalars.is_empty() {
        if let Some(name) = identifier {
            scalars.insert(0, name.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in containers {
        format_value(out, value, Some(key), None);
    }
}

/// The sorted union of the scalar-valued keys of the objects in `items`.
fn all_scalar_keys(items: &[Node]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for item in items {
        if let Node::Object(members) = item {
            for (key, value) in members {
                if !value.is_container() && !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    keys.sort();
    keys
}
