//! A static description of a service model, for tools that work from the model
//! at run time rather than through generated types: a command line that turns
//! options into requests, a server that checks what it receives, skeleton and
//! help generators.
//!
//! Generated types crates expose theirs as `schema::SERVICE`. Everything is
//! `'static` data; shapes refer to one another by reference, so recursive models
//! are described without allocation.

/// A service and its operations.
#[derive(Debug)]
pub struct ServiceSchema {
    /// The service shape's name, the `X-Amz-Target` prefix (`AppRunner`).
    pub name: &'static str,
    /// The `sdkId` (`AppRunner`).
    pub sdk_id: &'static str,
    /// The API version (`2020-05-15`).
    pub version: &'static str,
    /// The AWS CLI's name for the service (`apprunner`).
    pub cli_name: &'static str,
    /// Documentation, as Markdown.
    pub docs: &'static str,
    /// The operations, sorted by name.
    pub operations: &'static [OperationSchema],
}

impl ServiceSchema {
    /// The operation with this model name (`CreateService`) or CLI name (`create-service`).
    pub fn operation(&self, name: &str) -> Option<&'static OperationSchema> {
        self.operations.iter().find(|op| op.name == name || op.cli_name == name)
    }
}

/// One operation.
#[derive(Debug)]
pub struct OperationSchema {
    /// The model name (`CreateService`).
    pub name: &'static str,
    /// The AWS CLI's kebab-case name (`create-service`).
    pub cli_name: &'static str,
    /// Documentation, as Markdown.
    pub docs: &'static str,
    /// The normalized input structure.
    pub input: &'static Shape,
    /// The normalized output structure.
    pub output: &'static Shape,
    /// The codes of the modeled errors.
    pub errors: &'static [&'static str],
    /// Pagination, when the operation is `@paginated`.
    pub paginated: Option<Pagination>,
    /// Whether the model marks the operation deprecated.
    pub deprecated: bool,
}

/// The `@paginated` trait.
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    /// Input member that takes the continuation token.
    pub input_token: &'static str,
    /// Output member path (dot-separated) of the next token.
    pub output_token: &'static str,
    /// Output member path of the page's items.
    pub items: Option<&'static str>,
    /// Input member that sets the page size.
    pub page_size: Option<&'static str>,
}

/// A named shape: a structure, union, enum or intEnum.
#[derive(Debug)]
pub struct Shape {
    /// The shape's Rust type name (`SourceConfiguration`).
    pub name: &'static str,
    /// Documentation, as Markdown.
    pub docs: &'static str,
    /// What the shape is.
    pub kind: ShapeKind,
    /// Whether the whole shape is `@sensitive`.
    pub sensitive: bool,
}

impl Shape {
    /// The members of a structure or union (empty for enums).
    pub fn members(&self) -> &'static [Member] {
        match self.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => members,
            _ => &[],
        }
    }

    /// The member with this wire name.
    pub fn member(&self, name: &str) -> Option<&'static Member> {
        self.members().iter().find(|m| m.name == name)
    }
}

/// The kinds of named shape.
#[derive(Debug)]
pub enum ShapeKind {
    /// A structure and its members.
    Structure(&'static [Member]),
    /// A union: exactly one member is set.
    Union(&'static [Member]),
    /// A string enum and its values.
    Enum(&'static [&'static str]),
    /// An intEnum and its values.
    IntEnum(&'static [i32]),
}

/// A member of a structure or union.
#[derive(Debug)]
pub struct Member {
    /// The wire name (`ServiceName`).
    pub name: &'static str,
    /// The AWS CLI's option form of the name (`service-name`).
    pub cli_name: &'static str,
    /// Documentation, as Markdown.
    pub docs: &'static str,
    /// The member's type and constraints.
    pub ty: Type,
    /// `@required` (and no default).
    pub required: bool,
    /// The `@default` value, as JSON text.
    pub default: Option<&'static str>,
    /// `@idempotencyToken`: filled by the client when unset.
    pub idempotency_token: bool,
    /// Whether the model marks the member deprecated.
    pub deprecated: bool,
}

/// A member type with the constraints that apply at this level.
#[derive(Debug)]
pub struct Type {
    /// What values look like.
    pub kind: TypeKind,
    /// `@length` bounds (characters, items, entries or bytes).
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@pattern`, when the generator could compile it.
    pub pattern: Option<&'static crate::pattern::Pattern>,
    /// `@range` bounds.
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// The target is `@sensitive`.
    pub sensitive: bool,
}

/// The kinds of member type.
#[derive(Debug)]
pub enum TypeKind {
    /// Bytes, base64 on the wire.
    Blob,
    /// `true` or `false`.
    Boolean,
    /// Text.
    String,
    /// An 8-bit integer.
    Byte,
    /// A 16-bit integer.
    Short,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// An arbitrary-precision integer.
    BigInteger,
    /// An arbitrary-precision decimal.
    BigDecimal,
    /// An instant, in the given wire format.
    Timestamp(crate::TimestampFormat),
    /// Untyped JSON.
    Document,
    /// No value: a union member that carries nothing (`{}` on the wire).
    Unit,
    /// A structure, union or enum.
    Shape(&'static Shape),
    /// A list of items.
    List(&'static Type),
    /// A map from keys to values.
    Map(&'static Type, &'static Type),
}
