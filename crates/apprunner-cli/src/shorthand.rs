//! The AWS CLI's shorthand syntax for structure, list and map parameters.
//!
//! ```text
//! Cpu="1 vCPU",Memory="3 GB"                      a structure
//! Key=a,Value=b Key=c,Value=d                     a list of structures (one argv item each)
//! EgressConfiguration={EgressType=VPC,VpcConnectorArn=arn:...}
//! Names=a,b,c    Names=[a,b,c]                    a list of scalars
//! NAME=Jane,STAGE=prod                            a map
//! ```
//!
//! Parsing happens in two steps, as in the AWS CLI. [`parse`] reads the text alone into a
//! [`Node`] tree: `key=value` pairs separated by commas; a value is a plain word, a quoted
//! string (`"..."` or `'...'`, where `\"`, `\'` and `\\` are the escapes), a comma-separated
//! list (`a,b,c`: a comma followed by something that is not `key=` continues the list), an
//! explicit list `[a,b]` or a nested `{key=value,...}`. Inside a plain word, `\,` is a comma
//! that does not split. Whitespace around separators is ignored.
//!
//! [`to_json`] then reads the tree as the member's schema type says: text becomes an integer,
//! a boolean or a timestamp where the model wants one; a single value becomes a one-item list
//! where a list is expected. A value that cannot be read as its type is kept as text, so that
//! validation reports it with its member path together with every other problem.

use apprunner_smithy::schema::{Type, TypeKind};
use serde_json::{Map, Value};
use std::fmt;

/// A parsed shorthand value, before the schema gives it types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A word or a quoted string.
    Text(String),
    /// `a,b,c` or `[a,b,c]`.
    List(Vec<Node>),
    /// `key=value,...` or `{key=value,...}`, in the order written.
    Map(Vec<(String, Node)>),
}

/// Shorthand text that does not parse, with the place where it went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShorthandError {
    input: String,
    index: usize,
    problem: String,
}

impl fmt::Display for ShorthandError {
    /// The AWS CLI's form: what was expected, then the input with a caret under the spot.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let before = &self.input[..self.index];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count();
        write!(
            f,
            "{} for input:\n{}\n{}^",
            self.problem,
            self.input,
            " ".repeat(column)
        )
    }
}

impl std::error::Error for ShorthandError {}

/// Parses one shorthand parameter: `key=value` pairs separated by commas.
pub fn parse(input: &str) -> Result<Node, ShorthandError> {
    let mut parser = Parser { input, index: 0 };
    let mut pairs: Vec<(String, Node)> = Vec::new();
    loop {
        let start = parser.index;
        let (key, value) = parser.key_value()?;
        if pairs.iter().any(|(k, _)| *k == key) {
            return Err(parser.error_at(
                start,
                format!("The key \"{key}\" is given more than once; each key may appear once"),
            ));
        }
        pairs.push((key, value));
        parser.skip_whitespace();
        if parser.at_end() {
            return Ok(Node::Map(pairs));
        }
        parser.expect(',')?;
    }
}

/// Whether `text` looks like shorthand rather than a bare value: it starts with `key=`.
pub fn looks_like_shorthand(text: &str) -> bool {
    let trimmed = text.trim_start();
    let key_len = trimmed.chars().take_while(|c| is_key_char(*c)).count();
    key_len > 0 && trimmed[key_len..].trim_start().starts_with('=')
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

struct Parser<'a> {
    input: &'a str,
    index: usize,
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.index >= self.input.len()
    }

    fn peek(&self) -> Option<char> {
        self.input[self.index..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.index += c.len_utf8();
        Some(c)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn error_at(&self, index: usize, problem: String) -> ShorthandError {
        ShorthandError {
            input: self.input.to_owned(),
            index,
            problem,
        }
    }

    fn expect(&mut self, wanted: char) -> Result<(), ShorthandError> {
        self.skip_whitespace();
        match self.peek() {
            Some(c) if c == wanted => {
                self.bump();
                self.skip_whitespace();
                Ok(())
            }
            Some(c) => Err(self.error_at(self.index, format!("Expected: '{wanted}', received: '{c}'"))),
            None => Err(self.error_at(self.index, format!("Expected: '{wanted}', received: 'EOF'"))),
        }
    }

    fn key(&mut self) -> Result<String, ShorthandError> {
        self.skip_whitespace();
        let start = self.index;
        while self.peek().is_some_and(is_key_char) {
            self.bump();
        }
        if self.index == start {
            let found = self.peek().map_or_else(|| "EOF".to_owned(), String::from);
            return Err(self.error_at(start, format!("Expected: '<key>', received: '{found}'")));
        }
        Ok(self.input[start..self.index].to_owned())
    }

    fn key_value(&mut self) -> Result<(String, Node), ShorthandError> {
        let key = self.key()?;
        self.expect('=')?;
        let value = self.values()?;
        Ok((key, value))
    }

    /// `values = csv-list / explicit-list / hash-literal`, after `key=`.
    fn values(&mut self) -> Result<Node, ShorthandError> {
        match self.peek() {
            None => Ok(Node::Text(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    /// `a` or `a,b,c`. After each comma, what follows is another item unless it is the
    /// next `key=` (or cannot be an item), in which case the comma ends the value.
    fn csv_value(&mut self) -> Result<Node, ShorthandError> {
        let first = self.first_value(Stop::Pair)?;
        let mut items = vec![first];
        loop {
            self.skip_whitespace();
            if self.peek() != Some(',') {
                break;
            }
            let comma = self.index;
            self.bump();
            self.skip_whitespace();
            if self.at_end() || looks_like_shorthand(&self.input[self.index..]) || !self.can_start_item() {
                self.index = comma;
                break;
            }
            items.push(self.first_value(Stop::Pair)?);
        }
        if items.len() == 1 {
            Ok(items.remove(0))
        } else {
            Ok(Node::List(items))
        }
    }

    fn can_start_item(&self) -> bool {
        self.peek()
            .is_some_and(|c| !matches!(c, ',' | '=' | '[' | '{' | ']' | '}'))
    }

    /// `[value, value, ...]`, where values may be nested lists and `{...}`.
    fn explicit_list(&mut self) -> Result<Node, ShorthandError> {
        self.expect('[')?;
        let mut items = Vec::new();
        while self.peek() != Some(']') {
            if self.at_end() {
                return Err(self.error_at(self.index, "Expected: ']', received: 'EOF'".to_owned()));
            }
            items.push(self.explicit_value()?);
            self.skip_whitespace();
            if self.peek() != Some(']') {
                self.expect(',')?;
            }
        }
        self.bump();
        Ok(Node::List(items))
    }

    fn explicit_value(&mut self) -> Result<Node, ShorthandError> {
        match self.peek() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(Stop::Nested),
        }
    }

    /// `{key=value, ...}`.
    fn hash_literal(&mut self) -> Result<Node, ShorthandError> {
        self.expect('{')?;
        let mut pairs: Vec<(String, Node)> = Vec::new();
        while self.peek() != Some('}') {
            if self.at_end() {
                return Err(self.error_at(self.index, "Expected: '}', received: 'EOF'".to_owned()));
            }
            let start = self.index;
            let key = self.key()?;
            self.expect('=')?;
            let value = self.explicit_value()?;
            if pairs.iter().any(|(k, _)| *k == key) {
                return Err(self.error_at(
                    start,
                    format!("The key \"{key}\" is given more than once; each key may appear once"),
                ));
            }
            pairs.push((key, value));
            self.skip_whitespace();
            if self.peek() != Some('}') {
                self.expect(',')?;
            }
        }
        self.bump();
        Ok(Node::Map(pairs))
    }

    /// A quoted string or a plain word.
    fn first_value(&mut self, stop: Stop) -> Result<Node, ShorthandError> {
        match self.peek() {
            Some(quote @ ('"' | '\'')) => self.quoted(quote).map(Node::Text),
            _ => Ok(Node::Text(self.word(stop))),
        }
    }

    /// `"..."` or `'...'`: `\<quote>` and `\\` are escapes, any other backslash is literal.
    fn quoted(&mut self, quote: char) -> Result<String, ShorthandError> {
        let start = self.index;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(self.error_at(
                        start,
                        format!("Expected: the closing {quote} of the quoted value starting here, received: 'EOF'"),
                    ));
                }
                Some(c) if c == quote => return Ok(out),
                Some('\\') => match self.peek() {
                    Some(next) if next == quote || next == '\\' => {
                        out.push(next);
                        self.bump();
                    }
                    _ => out.push('\\'),
                },
                Some(c) => out.push(c),
            }
        }
    }

    /// A plain word: up to a comma (not `\,`), and inside `[...]`/`{...}` up to the closing
    /// bracket. Trailing whitespace is dropped.
    fn word(&mut self, stop: Stop) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            match c {
                '\\' if self.input[self.index + 1..].starts_with(',') => {
                    out.push(',');
                    self.index += 2;
                    continue;
                }
                ',' => break,
                ']' | '}' if stop == Stop::Nested => break,
                _ => {}
            }
            out.push(c);
            self.bump();
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// A top-level value: ends at a comma.
    Pair,
    /// Inside brackets: ends at a comma or a closing bracket.
    Nested,
}

/// Reads a parsed shorthand value as the schema type `ty` says (see the module docs).
pub fn to_json(node: &Node, ty: &Type) -> Value {
    match (&ty.kind, node) {
        (TypeKind::Shape(shape), Node::Map(pairs)) => {
            let mut out = Map::new();
            for (key, value) in pairs {
                let converted = match shape.member(key) {
                    Some(member) => to_json(value, &member.ty),
                    None => untyped(value),
                };
                out.insert(key.clone(), converted);
            }
            Value::Object(out)
        }
        (TypeKind::Shape(shape), Node::Text(text)) => {
            // A structure with one member called `Value` may be given as the bare value.
            let members = shape.members();
            if let [only] = members
                && only.name == "Value"
                && matches!(only.ty.kind, TypeKind::String)
            {
                let mut out = Map::new();
                out.insert("Value".to_owned(), Value::String(text.clone()));
                return Value::Object(out);
            }
            Value::String(text.clone())
        }
        (TypeKind::Map(_, value_ty), Node::Map(pairs)) => Value::Object(
            pairs
                .iter()
                .map(|(key, value)| (key.clone(), to_json(value, value_ty)))
                .collect(),
        ),
        (TypeKind::List(item_ty), Node::List(items)) => {
            Value::Array(items.iter().map(|item| list_item(item, item_ty)).collect())
        }
        (TypeKind::List(item_ty), single) => Value::Array(vec![list_item(single, item_ty)]),
        (_, Node::Text(text)) => scalar(text, ty),
        (_, other) => untyped(other),
    }
}

/// A list item; a bare value for a list of one-member structures fills that member.
fn list_item(node: &Node, item_ty: &Type) -> Value {
    if let (TypeKind::Shape(shape), Node::Text(text)) = (&item_ty.kind, node)
        && let [only] = shape.members()
    {
        let mut out = Map::new();
        out.insert(only.name.to_owned(), scalar(text, &only.ty));
        return Value::Object(out);
    }
    to_json(node, item_ty)
}

/// Text read as a scalar of type `ty`; text that does not fit stays text.
pub fn scalar(text: &str, ty: &Type) -> Value {
    let trimmed = text.trim();
    match &ty.kind {
        TypeKind::Byte | TypeKind::Short | TypeKind::Integer | TypeKind::Long | TypeKind::BigInteger => trimmed
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_owned())),
        TypeKind::Float | TypeKind::Double | TypeKind::BigDecimal => trimmed
            .parse::<f64>()
            .ok()
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
            .unwrap_or_else(|| Value::String(text.to_owned())),
        TypeKind::Boolean if trimmed.eq_ignore_ascii_case("true") => Value::Bool(true),
        TypeKind::Boolean if trimmed.eq_ignore_ascii_case("false") => Value::Bool(false),
        TypeKind::Timestamp(_) => {
            crate::input::timestamp_to_epoch(trimmed).unwrap_or_else(|| Value::String(text.to_owned()))
        }
        _ => Value::String(text.to_owned()),
    }
}

/// A value whose type the schema does not tell (an unknown key): text stays text.
fn untyped(node: &Node) -> Value {
    match node {
        Node::Text(text) => Value::String(text.clone()),
        Node::List(items) => Value::Array(items.iter().map(untyped).collect()),
        Node::Map(pairs) => Value::Object(pairs.iter().map(|(k, v)| (k.clone(), untyped(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Node {
        Node::Text(s.to_owned())
    }

    fn map(pairs: &[(&str, Node)]) -> Node {
        Node::Map(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    #[test]
    fn pairs_and_spaces() {
        assert_eq!(
            parse("Cpu=1 vCPU,Memory=3 GB").unwrap(),
            map(&[("Cpu", text("1 vCPU")), ("Memory", text("3 GB"))])
        );
        assert_eq!(
            parse(r#"Cpu="1 vCPU", Memory='3 GB'"#).unwrap(),
            map(&[("Cpu", text("1 vCPU")), ("Memory", text("3 GB"))])
        );
        assert_eq!(parse("Key=").unwrap(), map(&[("Key", text(""))]));
    }

    #[test]
    fn lists_stop_at_the_next_key() {
        assert_eq!(
            parse("Names=a,b,c,Other=d").unwrap(),
            map(&[
                ("Names", Node::List(vec![text("a"), text("b"), text("c")])),
                ("Other", text("d"))
            ])
        );
        assert_eq!(
            parse("Names=[a, b],Other=[]").unwrap(),
            map(&[
                ("Names", Node::List(vec![text("a"), text("b")])),
                ("Other", Node::List(vec![]))
            ])
        );
    }

    #[test]
    fn nested_structures() {
        let parsed =
            parse("EgressConfiguration={EgressType=VPC,VpcConnectorArn=arn:aws:apprunner:us-east-1:1:x/y}").unwrap();
        assert_eq!(
            parsed,
            map(&[(
                "EgressConfiguration",
                map(&[
                    ("EgressType", text("VPC")),
                    ("VpcConnectorArn", text("arn:aws:apprunner:us-east-1:1:x/y"))
                ])
            )])
        );
        assert_eq!(
            parse("A={B={C=[x,{D=y}]}}").unwrap(),
            map(&[(
                "A",
                map(&[(
                    "B",
                    map(&[("C", Node::List(vec![text("x"), map(&[("D", text("y"))])]))])
                )])
            )])
        );
    }

    #[test]
    fn quoting_and_escapes() {
        assert_eq!(parse(r#"A="x,y""#).unwrap(), map(&[("A", text("x,y"))]));
        assert_eq!(parse(r"A=x\,y").unwrap(), map(&[("A", text("x,y"))]));
        assert_eq!(parse(r#"A="say \"hi\"""#).unwrap(), map(&[("A", text(r#"say "hi""#))]));
        assert_eq!(
            parse(r"A='it\'s',B='c:\\d'").unwrap(),
            map(&[("A", text("it's")), ("B", text(r"c:\d"))])
        );
        assert_eq!(parse(r#"A="x\y""#).unwrap(), map(&[("A", text(r"x\y"))]));
        assert_eq!(parse("A=x=y").unwrap(), map(&[("A", text("x=y"))]));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let error = parse("Cpu").unwrap_err().to_string();
        assert_eq!(error, "Expected: '=', received: 'EOF' for input:\nCpu\n   ^");
        let error = parse("A=1,A=2").unwrap_err().to_string();
        assert!(error.contains("\"A\" is given more than once"), "{error}");
        assert!(parse(r#"A="open"#).is_err());
        assert!(parse("A={B=1").is_err());
        assert!(parse("A=[1,2").is_err());
        assert!(parse("=x").is_err());
    }

    /// Inputs and what the AWS CLI's own shorthand parser makes of them.
    #[test]
    fn same_trees_as_the_aws_cli() {
        let cases = [
            ("Cpu=1 vCPU,Memory=3 GB", r#"{"Cpu": "1 vCPU", "Memory": "3 GB"}"#),
            ("Names=a,b,c,Other=d", r#"{"Names": ["a", "b", "c"], "Other": "d"}"#),
            ("A=b ,C=d", r#"{"A": "b", "C": "d"}"#),
            ("A= b", r#"{"A": "b"}"#),
            ("A=,B=c", r#"{"A": "", "B": "c"}"#),
            ("A=a,b,c=d,e=f", r#"{"A": ["a", "b"], "c": "d", "e": "f"}"#),
            ("A=[a,b],B=c", r#"{"A": ["a", "b"], "B": "c"}"#),
            ("Key=env,Value=dev,test", r#"{"Key": "env", "Value": ["dev", "test"]}"#),
            ("A={}", r#"{"A": {}}"#),
            ("A=[]", r#"{"A": []}"#),
            ("a.b=c", r#"{"a.b": "c"}"#),
            ("A=x y ,B=z", r#"{"A": "x y", "B": "z"}"#),
        ];
        for (input, expected) in cases {
            let parsed = untyped(&parse(input).unwrap());
            let expected: Value = serde_json::from_str(expected).unwrap();
            assert_eq!(parsed, expected, "{input}");
        }
    }

    #[test]
    fn detection() {
        assert!(looks_like_shorthand("Cpu=1"));
        assert!(looks_like_shorthand(" a.b = c"));
        assert!(!looks_like_shorthand("{\"a\": 1}"));
        assert!(!looks_like_shorthand("hello"));
    }
}
