//! Smithy endpoint rule sets (`smithy.rules#endpointRuleSet`, version 1.x) as data.
//!
//! A [`RuleSet`] is either written out as `static` data by the code generator, which
//! is how generated clients carry their service's rules (no JSON is parsed when a
//! program starts), or parsed from the trait's JSON value with [`RuleSet::from_json`]
//! and [`RuleSet::from_value`] (the generator itself, tools and tests). Every list and
//! string is a [`Cow`], borrowed in the first case and owned in the second, so one set
//! of types serves both. Evaluation lives in the runtime crate.
//!
//! Parsing checks everything that can be checked without parameter values: rule and
//! parameter shapes, function names and argument counts, template syntax, `getAttr`
//! paths, and that every reference names a parameter or a value assigned earlier in
//! an enclosing rule.

use std::borrow::Cow;
use std::fmt;

use std::collections::BTreeMap as Map;

use crate::Document as Json;

/// A list in a rule set: borrowed from static data, or owned when parsed.
pub type List<T> = Cow<'static, [T]>;
/// A string in a rule set: borrowed from static data, or owned when parsed.
pub type Text = Cow<'static, str>;

/// A whole rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The declared parameters, in the order the rule set lists them.
    pub parameters: List<Parameter>,
    /// The top-level rules, tried in order.
    pub rules: List<Rule>,
}

impl RuleSet {
    /// Parses a rule set from the trait's JSON text.
    pub fn from_json(text: &str) -> Result<RuleSet, InvalidRuleSet> {
        let value: Json = crate::json::from_slice(text.as_bytes())
            .map_err(|e| invalid(format!("the rule set is not valid JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// Parses a rule set from the trait's already-parsed JSON value.
    pub fn from_value(json: &Json) -> Result<RuleSet, InvalidRuleSet> {
        parse_rule_set(json)
    }

    /// The parameter declared as `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// Why a rule set could not be parsed: what is wrong and where (such as
/// `unknown function `foo` in rules[1].conditions[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRuleSet {
    message: String,
}

impl InvalidRuleSet {
    /// The description of the problem, without a prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidRuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid endpoint rule set: {}", self.message)
    }
}

impl std::error::Error for InvalidRuleSet {}

/// The declared type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl ParamType {
    /// The type's name as the rule set spells it.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        }
    }
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name rules refer to it by.
    pub name: Text,
    /// Its declared type.
    pub kind: ParamType,
    /// The `builtIn` that fills it, such as `AWS::Region`.
    pub built_in: Option<Text>,
    /// Whether resolution fails when it has neither a value nor a default.
    pub required: bool,
    /// The value it takes when none is given.
    pub default: Option<Literal>,
}

/// A parameter's `default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// For a `string` parameter.
    String(Text),
    /// For a `boolean` parameter.
    Bool(bool),
    /// For a `stringArray` parameter.
    StringArray(List<Text>),
}

/// One rule: conditions, then what happens when they all hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Calls that must all hold (neither unset nor `false`), in order.
    pub conditions: List<Condition>,
    /// What the rule yields once they do.
    pub kind: RuleKind,
}

/// What a rule yields once its conditions hold.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// An endpoint.
    Endpoint(EndpointSpec),
    /// An error with this message.
    Error(Expr),
    /// The first of these rules that matches; none matching is an error.
    Tree(List<Rule>),
}

/// A condition: a function call, its result optionally bound to a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The call.
    pub call: Call,
    /// The name its result is bound to for the rest of the rule.
    pub assign: Option<Text>,
}

/// The endpoint an `endpoint` rule describes.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointSpec {
    /// The URL.
    pub url: Expr,
    /// Headers, each with its values.
    pub headers: List<(Text, List<Expr>)>,
    /// Properties such as `authSchemes`.
    pub properties: List<(Text, Expr)>,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string literal, which may contain `{...}` substitutions.
    Template(Template),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// An array of expressions.
    Array(List<Expr>),
    /// A record of expressions (in endpoint properties).
    Record(List<(Text, Expr)>),
    /// `{"ref": name}`: a parameter or an assigned value.
    Ref(Text),
    /// A function call.
    Call(Call),
}

/// A function call. For `getAttr` the path is part of [`Func::GetAttr`] and `args`
/// holds only the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function.
    pub func: Func,
    /// Its arguments.
    pub args: List<Expr>,
}

/// The functions of the standard library and the AWS extensions.
#[derive(Debug, Clone, PartialEq)]
pub enum Func {
    /// `isSet`.
    IsSet,
    /// `not`.
    Not,
    /// `booleanEquals`.
    BooleanEquals,
    /// `stringEquals`.
    StringEquals,
    /// `getAttr`, with its parsed path.
    GetAttr(List<PathStep>),
    /// `parseURL`.
    ParseUrl,
    /// `substring`.
    Substring,
    /// `uriEncode`.
    UriEncode,
    /// `isValidHostLabel`.
    IsValidHostLabel,
    /// `aws.partition`.
    AwsPartition,
    /// `aws.parseArn`.
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket`.
    AwsIsVirtualHostableS3Bucket,
}

impl Func {
    /// Looks a function up by its rule set name, with its argument count.
    fn by_name(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "isSet" => (Func::IsSet, 1),
            "not" => (Func::Not, 1),
            "booleanEquals" => (Func::BooleanEquals, 2),
            "stringEquals" => (Func::StringEquals, 2),
            "getAttr" => (Func::GetAttr(Cow::Borrowed(&[])), 2),
            "parseURL" => (Func::ParseUrl, 1),
            "substring" => (Func::Substring, 4),
            "uriEncode" => (Func::UriEncode, 1),
            "isValidHostLabel" => (Func::IsValidHostLabel, 2),
            "aws.partition" => (Func::AwsPartition, 1),
            "aws.parseArn" => (Func::AwsParseArn, 1),
            "aws.isVirtualHostableS3Bucket" => (Func::AwsIsVirtualHostableS3Bucket, 2),
            _ => return None,
        })
    }

    /// The function's rule set name.
    pub fn name(&self) -> &'static str {
        match self {
            Func::IsSet => "isSet",
            Func::Not => "not",
            Func::BooleanEquals => "booleanEquals",
            Func::StringEquals => "stringEquals",
            Func::GetAttr(_) => "getAttr",
            Func::ParseUrl => "parseURL",
            Func::Substring => "substring",
            Func::UriEncode => "uriEncode",
            Func::IsValidHostLabel => "isValidHostLabel",
            Func::AwsPartition => "aws.partition",
            Func::AwsParseArn => "aws.parseArn",
            Func::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A record field.
    Key(Text),
    /// An array element.
    Index(usize),
}

/// A string with substitutions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Literal text and substitutions, in order.
    pub parts: List<TemplatePart>,
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Text copied as is.
    Literal(Text),
    /// `{name}` or `{name#path}`.
    Var {
        /// The parameter or assigned value.
        name: Text,
        /// The `getAttr` path into it (empty for the value itself).
        path: List<PathStep>,
    },
}

/// Parses a `getAttr` path such as `resourceId[1]` or `a.b[0][2]`.
fn parse_path(path: &str) -> Result<Vec<PathStep>, String> {
    if path.is_empty() {
        return Err("the path is empty".to_owned());
    }
    let mut steps = Vec::new();
    for (i, segment) in path.split('.').enumerate() {
        let (key, mut indexes) = match segment.find('[') {
            Some(at) => segment.split_at(at),
            None => (segment, ""),
        };
        if key.is_empty() && (i > 0 || indexes.is_empty()) {
            return Err(format!("`{path}` has an empty segment"));
        }
        if !key.is_empty() {
            steps.push(PathStep::Key(key.to_owned().into()));
        }
        while !indexes.is_empty() {
            let close = indexes
                .find(']')
                .ok_or_else(|| format!("`{path}` has an unclosed `[`"))?;
            let digits = &indexes[1..close];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{path}` has an index that is not a number: `[{digits}]`"));
            }
            let index = digits
                .parse()
                .map_err(|_| format!("`{path}` has an index out of range: `[{digits}]`"))?;
            steps.push(PathStep::Index(index));
            indexes = &indexes[close + 1..];
            if !indexes.is_empty() && !indexes.starts_with('[') {
                return Err(format!("`{path}` has text after an index"));
            }
        }
    }
    Ok(steps)
}

/// Parses a template string: `{name}` and `{name#path}` substitute, `{{` and `}}`
/// stand for single braces.
fn parse_template(text: &str) -> Result<Template, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            '{' if rest.starts_with("{{") => {
                literal.push('{');
                rest = &rest[2..];
            }
            '}' if rest.starts_with("}}") => {
                literal.push('}');
                rest = &rest[2..];
            }
            '{' => {
                let close = rest
                    .find('}')
                    .ok_or_else(|| format!("template `{text}` has an unclosed `{{`"))?;
                let inner = &rest[1..close];
                let (name, path) = match inner.split_once('#') {
                    Some((name, path)) => (name, parse_path(path).map_err(|e| format!("template `{text}`: {e}"))?),
                    None => (inner, Vec::new()),
                };
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("template `{text}` has an invalid name `{{{inner}}}`"));
                }
                if !literal.is_empty() {
                    parts.push(TemplatePart::Literal(std::mem::take(&mut literal).into()));
                }
                parts.push(TemplatePart::Var {
                    name: name.to_owned().into(),
                    path: path.into(),
                });
                rest = &rest[close + 1..];
            }
            '}' => return Err(format!("template `{text}` has an unmatched `}}`")),
            c => {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !literal.is_empty() {
        parts.push(TemplatePart::Literal(literal.into()));
    }
    Ok(Template { parts: parts.into() })
}

fn invalid(message: String) -> InvalidRuleSet {
    InvalidRuleSet { message }
}

fn object<'a>(value: &'a Json, at: fmt::Arguments<'_>) -> Result<&'a Map<String, Json>, InvalidRuleSet> {
    value
        .as_object()
        .ok_or_else(|| invalid(format!("{at} must be an object")))
}

fn array<'a>(value: &'a Json, at: fmt::Arguments<'_>) -> Result<&'a Vec<Json>, InvalidRuleSet> {
    value
        .as_array()
        .ok_or_else(|| invalid(format!("{at} must be an array")))
}

fn string<'a>(value: &'a Json, at: fmt::Arguments<'_>) -> Result<&'a str, InvalidRuleSet> {
    value.as_str().ok_or_else(|| invalid(format!("{at} must be a string")))
}

fn field<'a>(object: &'a Map<String, Json>, key: &str, at: fmt::Arguments<'_>) -> Result<&'a Json, InvalidRuleSet> {
    object
        .get(key)
        .ok_or_else(|| invalid(format!("{at} is missing `{key}`")))
}

/// Parses a whole `smithy.rules#endpointRuleSet` value.
fn parse_rule_set(json: &Json) -> Result<RuleSet, InvalidRuleSet> {
    let root = object(json, format_args!("the rule set"))?;
    let version = string(
        field(root, "version", format_args!("the rule set"))?,
        format_args!("`version`"),
    )?;
    if version != "1.0" && !version.starts_with("1.") {
        return Err(invalid(format!("unsupported rule set version `{version}`")));
    }
    let mut parameters = Vec::new();
    if let Some(declared) = root.get("parameters") {
        for (name, declaration) in object(declared, format_args!("`parameters`"))? {
            parameters.push(parse_parameter(name, declaration)?);
        }
    }
    let mut parser = Parser {
        names: parameters.iter().map(|p| p.name.to_string()).collect(),
    };
    let rules = parser.rules(field(root, "rules", format_args!("the rule set"))?, "rules")?;
    Ok(RuleSet {
        parameters: parameters.into(),
        rules,
    })
}

fn parse_parameter(name: &str, declaration: &Json) -> Result<Parameter, InvalidRuleSet> {
    let at = format!("parameter `{name}`");
    let declaration = object(declaration, format_args!("{at}"))?;
    let kind = string(
        field(declaration, "type", format_args!("{at}"))?,
        format_args!("the `type` of {at}"),
    )?;
    let kind = match kind.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => return Err(invalid(format!("{at} has unknown type `{kind}`"))),
    };
    let built_in = match declaration.get("builtIn") {
        Some(b) => Some(string(b, format_args!("the `builtIn` of {at}"))?.to_owned().into()),
        None => None,
    };
    let required = match declaration.get("required") {
        Some(r) => r
            .as_bool()
            .ok_or_else(|| invalid(format!("the `required` of {at} must be a boolean")))?,
        None => false,
    };
    let default = match declaration.get("default") {
        None | Some(Json::Null) => None,
        Some(default) => {
            let value = match (kind, default) {
                (ParamType::String, Json::String(s)) => Some(Literal::String(s.clone().into())),
                (ParamType::Boolean, Json::Bool(b)) => Some(Literal::Bool(*b)),
                (ParamType::StringArray, Json::Array(items)) => items
                    .iter()
                    .map(|item| item.as_str().map(|s| Text::from(s.to_owned())))
                    .collect::<Option<Vec<_>>>()
                    .map(|items| Literal::StringArray(items.into())),
                _ => None,
            };
            Some(value.ok_or_else(|| invalid(format!("the `default` of {at} is not a {}", kind.name())))?)
        }
    };
    Ok(Parameter {
        name: name.to_owned().into(),
        kind,
        built_in,
        required,
        default,
    })
}

/// Parser state: the names in scope (parameters, then assignments of enclosing rules).
struct Parser {
    names: Vec<String>,
}

impl Parser {
    fn rules(&mut self, json: &Json, at: &str) -> Result<List<Rule>, InvalidRuleSet> {
        array(json, format_args!("`{at}`"))?
            .iter()
            .enumerate()
            .map(|(i, rule)| self.rule(rule, &format!("{at}[{i}]")))
            .collect()
    }

    fn rule(&mut self, json: &Json, at: &str) -> Result<Rule, InvalidRuleSet> {
        let rule = object(json, format_args!("rule {at}"))?;
        let kind = string(
            field(rule, "type", format_args!("rule {at}"))?,
            format_args!("the `type` of rule {at}"),
        )?;
        let in_scope = self.names.len();
        let result = self.rule_body(rule, kind, at);
        self.names.truncate(in_scope);
        result
    }

    fn rule_body(&mut self, rule: &Map<String, Json>, kind: &str, at: &str) -> Result<Rule, InvalidRuleSet> {
        let mut conditions = Vec::new();
        if let Some(list) = rule.get("conditions") {
            for (i, condition) in array(list, format_args!("the `conditions` of rule {at}"))?
                .iter()
                .enumerate()
            {
                conditions.push(self.condition(condition, &format!("{at}.conditions[{i}]"))?);
            }
        }
        let kind = match kind {
            "endpoint" => RuleKind::Endpoint(self.endpoint(field(rule, "endpoint", format_args!("rule {at}"))?, at)?),
            "error" => {
                RuleKind::Error(self.expr(field(rule, "error", format_args!("rule {at}"))?, &format!("{at}.error"))?)
            }
            "tree" => {
                RuleKind::Tree(self.rules(field(rule, "rules", format_args!("rule {at}"))?, &format!("{at}.rules"))?)
            }
            other => return Err(invalid(format!("rule {at} has unknown type `{other}`"))),
        };
        Ok(Rule {
            conditions: conditions.into(),
            kind,
        })
    }

    fn condition(&mut self, json: &Json, at: &str) -> Result<Condition, InvalidRuleSet> {
        let condition = object(json, format_args!("condition {at}"))?;
        if !condition.contains_key("fn") {
            return Err(invalid(format!("condition {at} is missing `fn`")));
        }
        let call = self.call(condition, at)?;
        let assign = match condition.get("assign") {
            Some(name) => {
                let name = string(name, format_args!("the `assign` of {at}"))?;
                self.names.push(name.to_owned());
                Some(name.to_owned().into())
            }
            None => None,
        };
        Ok(Condition { call, assign })
    }

    fn endpoint(&self, json: &Json, at: &str) -> Result<EndpointSpec, InvalidRuleSet> {
        let endpoint = object(json, format_args!("the endpoint of rule {at}"))?;
        let url = self.expr(
            field(endpoint, "url", format_args!("the endpoint of rule {at}"))?,
            &format!("{at}.endpoint.url"),
        )?;
        let mut headers = Vec::new();
        if let Some(map) = endpoint.get("headers") {
            for (name, values) in object(map, format_args!("{at}.endpoint.headers"))? {
                let values_at = format!("{at}.endpoint.headers.{name}");
                let values = array(values, format_args!("{values_at}"))?
                    .iter()
                    .map(|value| self.expr(value, &values_at))
                    .collect::<Result<_, _>>()?;
                headers.push((Text::from(name.clone()), values));
            }
        }
        let mut properties = Vec::new();
        if let Some(map) = endpoint.get("properties") {
            for (name, value) in object(map, format_args!("{at}.endpoint.properties"))? {
                properties.push((
                    Text::from(name.clone()),
                    self.expr(value, &format!("{at}.endpoint.properties.{name}"))?,
                ));
            }
        }
        Ok(EndpointSpec {
            url,
            headers: headers.into(),
            properties: properties.into(),
        })
    }

    fn check_name(&self, name: &str, at: &str) -> Result<(), InvalidRuleSet> {
        if self.names.iter().any(|n| n == name) {
            Ok(())
        } else {
            Err(invalid(format!(
                "{at} refers to `{name}`, which is neither a parameter nor assigned by an enclosing condition"
            )))
        }
    }

    fn expr(&self, json: &Json, at: &str) -> Result<Expr, InvalidRuleSet> {
        Ok(match json {
            Json::String(text) => {
                let template = parse_template(text).map_err(|e| invalid(format!("{at}: {e}")))?;
                for part in template.parts.iter() {
                    if let TemplatePart::Var { name, .. } = part {
                        self.check_name(name, at)?;
                    }
                }
                Expr::Template(template)
            }
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => Expr::Int(
                json.as_i64()
                    .ok_or_else(|| invalid(format!("{at}: `{}` is not an integer", n.as_str())))?,
            ),
            Json::Array(items) => Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.expr(item, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(object) if object.contains_key("ref") => {
                let name = string(&object["ref"], format_args!("the `ref` of {at}"))?;
                self.check_name(name, at)?;
                Expr::Ref(name.to_owned().into())
            }
            Json::Object(object) if object.contains_key("fn") => Expr::Call(self.call(object, at)?),
            Json::Object(object) => Expr::Record(
                object
                    .iter()
                    .map(|(key, value)| Ok((Text::from(key.clone()), self.expr(value, &format!("{at}.{key}"))?)))
                    .collect::<Result<_, InvalidRuleSet>>()?,
            ),
            Json::Null => return Err(invalid(format!("{at}: null is not an expression"))),
        })
    }

    fn call(&self, call: &Map<String, Json>, at: &str) -> Result<Call, InvalidRuleSet> {
        let name = string(
            field(call, "fn", format_args!("{at}"))?,
            format_args!("the `fn` of {at}"),
        )?;
        let (mut func, arity) =
            Func::by_name(name).ok_or_else(|| invalid(format!("unknown function `{name}` in {at}")))?;
        let argv = array(
            field(call, "argv", format_args!("{at}"))?,
            format_args!("the `argv` of {at}"),
        )?;
        if argv.len() != arity {
            return Err(invalid(format!(
                "`{name}` takes {arity} argument(s), but {at} passes {}",
                argv.len()
            )));
        }
        if let Func::GetAttr(path) = &mut func {
            let text = argv[1]
                .as_str()
                .ok_or_else(|| invalid(format!("the path given to `getAttr` in {at} must be a string")))?;
            *path = parse_path(text)
                .map_err(|e| invalid(format!("`getAttr` in {at}: {e}")))?
                .into();
            let target = self.expr(&argv[0], &format!("{at}.argv[0]"))?;
            return Ok(Call {
                func,
                args: vec![target].into(),
            });
        }
        let args = argv
            .iter()
            .enumerate()
            .map(|(i, arg)| self.expr(arg, &format!("{at}.argv[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(Call { func, args })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, path: Vec<PathStep>) -> TemplatePart {
        TemplatePart::Var {
            name: name.to_owned().into(),
            path: path.into(),
        }
    }

    fn lit(text: &str) -> TemplatePart {
        TemplatePart::Literal(text.to_owned().into())
    }

    #[test]
    fn template_with_refs_attributes_and_escapes() {
        let t = parse_template("https://x.{Region}.{PartitionResult#dnsSuffix}").unwrap();
        assert_eq!(
            t.parts,
            vec![
                lit("https://x."),
                var("Region", vec![]),
                lit("."),
                var("PartitionResult", vec![PathStep::Key("dnsSuffix".into())]),
            ]
        );
        let t = parse_template("{{literal}} {{{Name}}}").unwrap();
        assert_eq!(t.parts, vec![lit("{literal} {"), var("Name", vec![]), lit("}")]);
        let t = parse_template("{Arn#resourceId[1]}").unwrap();
        assert_eq!(
            t.parts,
            vec![var("Arn", vec![PathStep::Key("resourceId".into()), PathStep::Index(1)])]
        );
        assert_eq!(parse_template("").unwrap().parts, vec![]);
        assert_eq!(parse_template("plain").unwrap().parts, vec![lit("plain")]);
    }

    #[test]
    fn bad_templates_are_rejected() {
        for bad in ["{Region", "a}b", "{}", "{Re gion}", "{X#}", "{X#a[}", "{X#a[b]}"] {
            assert!(parse_template(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn paths() {
        use PathStep::{Index, Key};
        assert_eq!(parse_path("name").unwrap(), vec![Key("name".into())]);
        assert_eq!(
            parse_path("a.b[0]").unwrap(),
            vec![Key("a".into()), Key("b".into()), Index(0)]
        );
        assert_eq!(parse_path("[2]").unwrap(), vec![Index(2)]);
        assert_eq!(
            parse_path("a[1][12].c").unwrap(),
            vec![Key("a".into()), Index(1), Index(12), Key("c".into())]
        );
        for bad in ["", "a..b", "a.", "a[", "a[x]", "a[-1]", "a[1]b", ".a"] {
            assert!(parse_path(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn parse_errors_name_the_problem() {
        let err = |json: &str| match RuleSet::from_json(json) {
            Err(error) => error.message().to_owned(),
            other => panic!("expected an invalid rule set, got {other:?}"),
        };
        let message = err(r#"{"version": "1.0", "parameters": {}, "rules": [
            {"conditions": [], "error": "e", "type": "error"},
            {"conditions": [{"fn": "foo", "argv": []}], "error": "e", "type": "error"}]}"#);
        assert!(
            message.contains("unknown function `foo` in rules[1].conditions[0]"),
            "{message}"
        );
        let message = err(r#"{"version": "1.0", "parameters": {}, "rules": [{"conditions": [], "error": "e"}]}"#);
        assert!(message.contains("rules[0] is missing `type`"), "{message}");
        let message = err(r#"{"version": "1.0", "parameters": {}, "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "e", "type": "error"}]}"#);
        assert!(message.contains("`Nope`"), "{message}");
        let message = err(r#"{"version": "1.0", "parameters": {}, "rules": [
            {"conditions": [{"fn": "not", "argv": [true, false]}], "error": "e", "type": "error"}]}"#);
        assert!(message.contains("`not` takes 1 argument"), "{message}");
        let message = err(r#"{"version": "1.0", "parameters": {"A": {"type": "integer"}}, "rules": []}"#);
        assert!(message.contains("unknown type `integer`"), "{message}");
    }

    #[test]
    fn assignments_are_scoped_to_their_rule() {
        let rules = r#"{"version": "1.0", "parameters": {"R": {"type": "string"}}, "rules": [
            {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "R"}], "assign": "P"}],
             "rules": [{"conditions": [], "endpoint": {"url": "{P#name}"}, "type": "endpoint"}], "type": "tree"},
            {"conditions": [], "endpoint": {"url": "{P#name}"}, "type": "endpoint"}]}"#;
        let err = RuleSet::from_json(rules).unwrap_err();
        assert!(err.to_string().contains("rules[1].endpoint.url refers to `P`"), "{err}");
    }
}
