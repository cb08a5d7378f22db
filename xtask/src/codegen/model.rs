//! Stage 1: the Smithy JSON AST, read faithfully into typed structs.
//!
//! Nothing here interprets the model; [`super::ir`] does. Parsing happens in two
//! steps so that every error says where it is: the text is first read as JSON
//! (errors carry line and column), then each shape is read on its own (errors
//! carry the shape id).

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Trait values keyed by absolute trait id (`smithy.api#required`).
pub(crate) type Traits = BTreeMap<String, Value>;

/// A whole model file.
#[derive(Debug)]
pub(crate) struct Model {
    /// Shapes keyed by absolute shape id (`com.amazonaws.apprunner#CreateService`).
    pub(crate) shapes: BTreeMap<String, Shape>,
}

/// A reference to another shape (`{"target": "..."}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Target {
    pub(crate) target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Member {
    pub(crate) target: String,
    #[serde(default)]
    pub(crate) traits: Traits,
}

/// One shape, by its `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub(crate) enum Shape {
    Blob(Simple),
    Boolean(Simple),
    String(Simple),
    Byte(Simple),
    Short(Simple),
    Integer(Simple),
    Long(Simple),
    Float(Simple),
    Double(Simple),
    BigInteger(Simple),
    BigDecimal(Simple),
    Timestamp(Simple),
    Document(Simple),
    Enum(Aggregate),
    IntEnum(Aggregate),
    List(ListShape),
    Set(ListShape),
    Map(MapShape),
    Structure(Aggregate),
    Union(Aggregate),
    Service(ServiceShape),
    Operation(OperationShape),
    Resource(ResourceShape),
    Apply(ApplyShape),
}

/// A simple shape: only traits (and mixins).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Simple {
    #[serde(default)]
    pub(crate) traits: Traits,
    #[serde(default)]
    pub(crate) mixins: Vec<Target>,
}

/// Members in the model's order (which generated types and the CLI's output keep).
#[derive(Debug, Clone, Default)]
pub(crate) struct Members(pub(crate) Vec<(String, Member)>);

impl Members {
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &Member)> {
        self.0.iter().map(|(name, member)| (name, member))
    }

    #[cfg(test)]
    pub(crate) fn get(&self, name: &str) -> Option<&Member> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, member)| member)
    }

    pub(crate) fn get_mut(&mut self, name: &str) -> Option<&mut Member> {
        self.0.iter_mut().find(|(n, _)| n == name).map(|(_, member)| member)
    }
}

impl<'a> IntoIterator for &'a Members {
    type Item = (&'a String, &'a Member);
    type IntoIter = Box<dyn Iterator<Item = Self::Item> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ordered;
        impl<'de> serde::de::Visitor<'de> for Ordered {
            type Value = Members;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of members keyed by name")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members: Vec<(String, Member)> = Vec::new();
                while let Some((name, member)) = map.next_entry::<String, Member>()? {
                    if members.iter().any(|(existing, _)| *existing == name) {
                        return Err(serde::de::Error::custom(format!("member {name:?} is defined twice")));
                    }
                    members.push((name, member));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Ordered)
    }
}

/// A structure, union, enum or intEnum.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Aggregate {
    #[serde(default)]
    pub(crate) members: Members,
    #[serde(default)]
    pub(crate) traits: Traits,
    #[serde(default)]
    pub(crate) mixins: Vec<Target>,
}

/// A list (or Smithy 1.0 set).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListShape {
    pub(crate) member: Member,
    #[serde(default)]
    pub(crate) traits: Traits,
    #[serde(default)]
    pub(crate) mixins: Vec<Target>,
}

/// A map.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MapShape {
    pub(crate) key: Member,
    pub(crate) value: Member,
    #[serde(default)]
    pub(crate) traits: Traits,
    #[serde(default)]
    pub(crate) mixins: Vec<Target>,
}

/// A service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceShape {
    #[serde(default)]
    pub(crate) version: String,
    #[serde(default)]
    pub(crate) operations: Vec<Target>,
    #[serde(default)]
    pub(crate) resources: Vec<Target>,
    #[serde(default)]
    pub(crate) errors: Vec<Target>,
    #[serde(default)]
    pub(crate) rename: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) traits: Traits,
    #[serde(default)]
    pub(crate) mixins: Vec<Target>,
}

/// An operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OperationShape {
    pub(crate) input: Option<Target>,
    pub(crate) output: Option<Target>,
    #[serde(default)]
    pub(crate) errors: Vec<Target>,
    #[serde(default)]
    pub(crate) traits: Traits,
    #[serde(default)]
    pub(crate) mixins: Vec<Target>,
}

/// A resource: only its operations matter to a client.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourceShape {
    #[serde(default)]
    pub(crate) identifiers: BTreeMap<String, Target>,
    #[serde(default)]
    pub(crate) properties: BTreeMap<String, Target>,
    pub(crate) create: Option<Target>,
    pub(crate) put: Option<Target>,
    pub(crate) read: Option<Target>,
    pub(crate) update: Option<Target>,
    pub(crate) delete: Option<Target>,
    pub(crate) list: Option<Target>,
    #[serde(default)]
    pub(crate) operations: Vec<Target>,
    #[serde(default, rename = "collectionOperations")]
    pub(crate) collection_operations: Vec<Target>,
    #[serde(default)]
    pub(crate) resources: Vec<Target>,
    #[serde(default)]
    pub(crate) traits: Traits,
    #[serde(default)]
    pub(crate) mixins: Vec<Target>,
}

/// Traits applied to a shape defined elsewhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApplyShape {
    #[serde(default)]
    pub(crate) traits: Traits,
    /// Never present in a model (`apply` takes no mixins); here so every shape has the field.
    #[serde(skip)]
    pub(crate) mixins: Vec<Target>,
}

/// Evaluates `$expr` with `$body` bound to the shape's payload, whatever its type.
macro_rules! on_body {
    ($shape:expr, $body:ident => $expr:expr) => {
        match $shape {
            Shape::Blob($body)
            | Shape::Boolean($body)
            | Shape::String($body)
            | Shape::Byte($body)
            | Shape::Short($body)
            | Shape::Integer($body)
            | Shape::Long($body)
            | Shape::Float($body)
            | Shape::Double($body)
            | Shape::BigInteger($body)
            | Shape::BigDecimal($body)
            | Shape::Timestamp($body)
            | Shape::Document($body) => $expr,
            Shape::Enum($body) | Shape::IntEnum($body) | Shape::Structure($body) | Shape::Union($body) => $expr,
            Shape::List($body) | Shape::Set($body) => $expr,
            Shape::Map($body) => $expr,
            Shape::Service($body) => $expr,
            Shape::Operation($body) => $expr,
            Shape::Resource($body) => $expr,
            Shape::Apply($body) => $expr,
        }
    };
}

impl Shape {
    /// The shape's own traits.
    pub(crate) fn traits(&self) -> &Traits {
        on_body!(self, body => &body.traits)
    }

    /// The shape's own traits, for `apply` to extend.
    pub(crate) fn traits_mut(&mut self) -> &mut Traits {
        on_body!(self, body => &mut body.traits)
    }

    /// The shape's mixins (always none for `apply`).
    pub(crate) fn mixins(&self) -> &[Target] {
        on_body!(self, body => &body.mixins)
    }

    /// The Smithy name of the shape's type, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Shape::Blob(_) => "blob",
            Shape::Boolean(_) => "boolean",
            Shape::String(_) => "string",
            Shape::Byte(_) => "byte",
            Shape::Short(_) => "short",
            Shape::Integer(_) => "integer",
            Shape::Long(_) => "long",
            Shape::Float(_) => "float",
            Shape::Double(_) => "double",
            Shape::BigInteger(_) => "bigInteger",
            Shape::BigDecimal(_) => "bigDecimal",
            Shape::Timestamp(_) => "timestamp",
            Shape::Document(_) => "document",
            Shape::Enum(_) => "enum",
            Shape::IntEnum(_) => "intEnum",
            Shape::List(_) => "list",
            Shape::Set(_) => "set",
            Shape::Map(_) => "map",
            Shape::Structure(_) => "structure",
            Shape::Union(_) => "union",
            Shape::Service(_) => "service",
            Shape::Operation(_) => "operation",
            Shape::Resource(_) => "resource",
            Shape::Apply(_) => "apply",
        }
    }
}

/// Reads a model from JSON text. `origin` names the file in messages.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Model> {
    let document: Value = serde_json::from_str(text).map_err(|error| {
        anyhow!("{origin}:{}:{}: invalid JSON: {error}", error.line(), error.column())
            .context("the model file is not valid JSON; fix the syntax at that line and column")
    })?;
    let Value::Object(top) = document else {
        bail!("{origin}: a Smithy JSON AST model must be a JSON object with a \"shapes\" member");
    };
    match top.get("smithy").and_then(Value::as_str) {
        Some(version) if version.starts_with('1') || version.starts_with('2') => {}
        Some(version) => bail!("{origin}: unsupported Smithy IDL version {version:?}; expected \"2.0\" or \"1.0\""),
        None => bail!(
            "{origin}: missing the \"smithy\" version member; a JSON AST model starts with {{\"smithy\": \"2.0\", ...}}"
        ),
    }
    if top.get("shapes").is_some_and(|shapes| !shapes.is_object()) {
        bail!("{origin}: \"shapes\" must be an object keyed by shape id");
    }
    // Read each shape from its own text, so member order (which `Value` objects
    // do not keep) survives into the generated types.
    #[derive(Deserialize)]
    struct Shapes<'a> {
        #[serde(borrow, default)]
        shapes: BTreeMap<String, &'a serde_json::value::RawValue>,
    }
    let raw: Shapes<'_> = serde_json::from_str(text).with_context(|| format!("{origin}: cannot read \"shapes\""))?;
    let mut parsed = BTreeMap::new();
    for (id, value) in raw.shapes {
        if !id.contains('#') {
            bail!("{origin}: shape id {id:?} is not absolute; shape ids look like namespace#Name");
        }
        let shape: Shape = serde_json::from_str(value.get())
            .with_context(|| format!("{origin}: shape {id} cannot be read (check its \"type\" and members)"))?;
        parsed.insert(id, shape);
    }
    Ok(Model { shapes: parsed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_reports_line_and_column() {
        let error = parse("{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}", "bad.json").unwrap_err();
        assert!(format!("{error:#}").contains("bad.json:3:"), "{error:#}");
    }

    #[test]
    fn unknown_shape_type_names_the_shape() {
        let text = r#"{"smithy": "2.0", "shapes": {"a.b#Thing": {"type": "widget"}}}"#;
        let error = format!("{:#}", parse(text, "m.json").unwrap_err());
        assert!(error.contains("a.b#Thing") && error.contains("widget"), "{error}");
    }

    #[test]
    fn reads_members_and_traits() {
        let text = r#"{"smithy": "2.0", "shapes": {"a.b#S": {"type": "structure", "members": {
            "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}}}}"#;
        let model = parse(text, "m.json").unwrap();
        let Shape::Structure(shape) = &model.shapes["a.b#S"] else {
            panic!("not a structure")
        };
        assert!(
            shape
                .members
                .get("Name")
                .unwrap()
                .traits
                .contains_key("smithy.api#required")
        );
    }
}
