//! Stage 2: the model resolved into the small intermediate representation the
//! emitters work from.
//!
//! Resolution does everything once, so emitters only print: targets are followed
//! to their shapes (prelude shapes included), member traits are merged over target
//! traits, Rust names are chosen (through [`super::names`]), operation inputs and
//! outputs are copied into `<Operation>Input` / `<Operation>Output` structures,
//! only shapes reachable from the service's operations are kept, and members that
//! would make a type infinitely large are marked for boxing.

use super::model::{self, Member as ModelMember, Model, Shape, Traits};
use super::names;
use super::pattern::{self, CompiledPattern};
use anyhow::{Context, Result, anyhow, bail};
use apprunner_smithy::rules::RuleSet;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The resolved service, its operations and the named shapes they need.
#[derive(Debug)]
pub(crate) struct Ir {
    pub(crate) service: Service,
    /// Sorted by operation name.
    pub(crate) operations: Vec<Operation>,
    /// Structures, unions, enums and intEnums that become Rust types, keyed by shape id.
    pub(crate) shapes: BTreeMap<String, NamedShape>,
    /// Patterns the generated validation cannot check (shape id, pattern, reason).
    pub(crate) unsupported_patterns: Vec<(String, String, String)>,
    /// Every compiled pattern, in first-use order; [`Constraints::pattern`] indexes it.
    pub(crate) patterns: Vec<CompiledPattern>,
}

/// The wire protocol of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    AwsJson1_0,
    AwsJson1_1,
}

/// Facts about the service.
#[derive(Debug)]
pub(crate) struct Service {
    /// The service shape's name: the `X-Amz-Target` prefix.
    pub(crate) name: String,
    pub(crate) sdk_id: String,
    pub(crate) version: String,
    pub(crate) protocol: Protocol,
    pub(crate) signing_name: String,
    pub(crate) title: Option<String>,
    pub(crate) docs: Option<String>,
    /// The `smithy.rules#endpointRuleSet` trait, parsed and checked by the same
    /// parser tools use at run time.
    pub(crate) endpoint_rule_set: Option<RuleSet>,
    /// `apprunner` for `apprunner-types` and `apprunner-client`.
    pub(crate) crate_stem: String,
}

/// One operation.
#[derive(Debug)]
pub(crate) struct Operation {
    pub(crate) id: String,
    pub(crate) name: String,
    /// `create_service`: the client method and module name.
    pub(crate) method: String,
    /// Shape id of the normalized input structure.
    pub(crate) input: String,
    /// Shape id of the normalized output structure.
    pub(crate) output: String,
    /// Shape ids of the modeled errors (operation and service errors), sorted.
    pub(crate) errors: Vec<String>,
    pub(crate) docs: Option<String>,
    pub(crate) deprecated: Option<Deprecated>,
    pub(crate) paginated: Option<Paginated>,
}

/// The `@paginated` trait, merged with the service's defaults.
#[derive(Debug, Clone)]
pub(crate) struct Paginated {
    /// Input member that carries the continuation token.
    pub(crate) input_token: String,
    /// Output member path (dot-separated) of the next token.
    pub(crate) output_token: String,
    /// Output member path of the page's items, if named.
    pub(crate) items: Option<String>,
    /// Input member that sets the page size, if any.
    pub(crate) page_size: Option<String>,
}

/// The `@deprecated` trait.
#[derive(Debug, Clone)]
pub(crate) struct Deprecated {
    pub(crate) message: Option<String>,
    pub(crate) since: Option<String>,
}

impl Deprecated {
    /// The note rustc shows.
    pub(crate) fn note(&self) -> String {
        match (&self.message, &self.since) {
            (Some(message), Some(since)) => format!("{message} (deprecated since {since})"),
            (Some(message), None) => message.clone(),
            (None, Some(since)) => format!("deprecated since {since}"),
            (None, None) => "deprecated by the service model".to_owned(),
        }
    }
}

/// A shape that becomes a Rust type.
#[derive(Debug)]
pub(crate) struct NamedShape {
    pub(crate) id: String,
    pub(crate) rust_name: String,
    pub(crate) docs: Option<String>,
    pub(crate) deprecated: Option<Deprecated>,
    pub(crate) sensitive: bool,
    pub(crate) kind: NamedKind,
}

/// What kind of Rust type a named shape becomes.
#[derive(Debug)]
pub(crate) enum NamedKind {
    Structure(Structure),
    Union(Vec<Member>),
    Enum(Vec<EnumValue>),
    IntEnum(Vec<IntEnumValue>),
}

/// A structure's members and its role.
#[derive(Debug)]
pub(crate) struct Structure {
    pub(crate) members: Vec<Member>,
    pub(crate) role: Role,
}

/// Why a structure exists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Role {
    Plain,
    /// The input of the named operation.
    Input(String),
    /// The output of the named operation.
    Output(String),
    /// A modeled error.
    Error(ErrorInfo),
}

/// The traits of a modeled error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ErrorInfo {
    /// `client` or `server`.
    pub(crate) fault: String,
    pub(crate) http_status: Option<u16>,
    /// `Some(throttling)` when `@retryable`.
    pub(crate) retryable: Option<bool>,
}

/// A value of a string enum.
#[derive(Debug)]
pub(crate) struct EnumValue {
    pub(crate) variant: String,
    pub(crate) value: String,
    pub(crate) docs: Option<String>,
    pub(crate) deprecated: Option<Deprecated>,
}

/// A value of an intEnum.
#[derive(Debug)]
pub(crate) struct IntEnumValue {
    pub(crate) variant: String,
    pub(crate) value: i32,
    pub(crate) docs: Option<String>,
}

/// A member of a structure or union.
#[derive(Debug)]
pub(crate) struct Member {
    /// The member name on the wire and in the model.
    pub(crate) wire_name: String,
    pub(crate) field: String,
    pub(crate) setter: String,
    pub(crate) docs: Option<String>,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    /// The `@default` value (never `null`), when the emitter can express it.
    pub(crate) default: Option<Value>,
    pub(crate) boxed: bool,
    pub(crate) idempotency_token: bool,
    pub(crate) timestamp_format: Option<TimestampFormat>,
    pub(crate) deprecated: Option<Deprecated>,
}

/// A `@timestampFormat` other than the protocol default (epoch seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimestampFormat {
    DateTime,
    HttpDate,
}

/// A resolved member type with the constraints that apply at this level.
#[derive(Debug, Clone)]
pub(crate) struct Ty {
    pub(crate) kind: TyKind,
    pub(crate) constraints: Constraints,
    /// The target shape (or, for enums, the named enum) is `@sensitive`.
    pub(crate) sensitive: bool,
}

/// The kinds of member type.
#[derive(Debug, Clone)]
pub(crate) enum TyKind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    /// `smithy.api#Unit`: no value (union members that carry nothing).
    Unit,
    /// A structure, union, enum or intEnum, by shape id.
    Named(String),
    List {
        item: Box<Ty>,
        sparse: bool,
    },
    Map {
        key: Box<Ty>,
        value: Box<Ty>,
        sparse: bool,
    },
}

/// Constraint traits, after member traits override target traits.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Constraints {
    pub(crate) length: Option<(Option<u64>, Option<u64>)>,
    /// An index into [`Ir::patterns`].
    pub(crate) pattern: Option<usize>,
    pub(crate) range: Option<(Option<f64>, Option<f64>)>,
}

impl Ty {
    /// Whether anything in this type (without entering named shapes) is sensitive.
    pub(crate) fn contains_sensitive(&self, shapes: &BTreeMap<String, NamedShape>) -> bool {
        self.sensitive
            || match &self.kind {
                TyKind::Named(id) => shapes
                    .get(id)
                    .is_some_and(|s| s.sensitive && matches!(s.kind, NamedKind::Enum(_) | NamedKind::IntEnum(_))),
                TyKind::List { item, .. } => item.contains_sensitive(shapes),
                TyKind::Map { key, value, .. } => key.contains_sensitive(shapes) || value.contains_sensitive(shapes),
                _ => false,
            }
    }
}

const PRELUDE: &str = "smithy.api#";
const UNIT: &str = "smithy.api#Unit";

/// Resolves a parsed model. `service_id` picks the service when the model has several.
pub(crate) fn resolve(model: &Model, service_id: Option<&str>) -> Result<Ir> {
    let shapes = apply_traits(model)?;
    let services: Vec<&String> = shapes
        .iter()
        .filter(|(_, s)| matches!(s, Shape::Service(_)))
        .map(|(id, _)| id)
        .collect();
    let service_id = match (service_id, services.as_slice()) {
        (Some(id), _) => id.to_owned(),
        (None, [only]) => (*only).clone(),
        (None, []) => bail!("the model defines no service shape; a client needs one (type \"service\")"),
        (None, many) => bail!(
            "the model defines {} services ({}); choose one with --service",
            many.len(),
            join(many)
        ),
    };
    let mut resolver = Resolver {
        shapes: &shapes,
        named: BTreeMap::new(),
        pending: Vec::new(),
        renames: match shapes.get(&service_id) {
            Some(Shape::Service(service)) => service.rename.clone(),
            _ => BTreeMap::new(),
        },
        compiled_patterns: BTreeMap::new(),
        patterns: Vec::new(),
        unsupported_patterns: Vec::new(),
    };
    let service = resolver.service(&service_id)?;
    let operations = resolver.operations(&service_id)?;
    while let Some(id) = resolver.pending.pop() {
        if !resolver.named.contains_key(&id) {
            let named = resolver.named_shape(&id)?;
            resolver.named.insert(id, named);
        }
    }
    let mut ir = Ir {
        service,
        operations,
        shapes: resolver.named,
        unsupported_patterns: resolver.unsupported_patterns,
        patterns: resolver.patterns,
    };
    check_type_names(&ir)?;
    mark_boxed_members(&mut ir);
    Ok(ir)
}

fn join(ids: &[&String]) -> String {
    ids.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")
}

/// Folds `apply` shapes into the shapes they target and rejects mixins (which
/// published models never contain: they are flattened before publication).
fn apply_traits(model: &Model) -> Result<BTreeMap<String, Shape>> {
    let mut shapes: BTreeMap<String, Shape> = model
        .shapes
        .iter()
        .filter(|(_, s)| !matches!(s, Shape::Apply(_)))
        .map(|(id, s)| (id.clone(), s.clone()))
        .collect();
    for (id, shape) in &model.shapes {
        if let Some(mixin) = shape.mixins().first() {
            bail!(
                "shape {id} uses the mixin {}; mixins are not supported, flatten the model first (smithy build does)",
                mixin.target
            );
        }
        let Shape::Apply(apply) = shape else { continue };
        let (target, member) = match id.split_once('$') {
            Some((target, member)) => (target, Some(member)),
            None => (id.as_str(), None),
        };
        let shape = shapes
            .get_mut(target)
            .ok_or_else(|| anyhow!("apply {id} targets {target}, which is not defined"))?;
        let traits = match (member, shape) {
            (None, shape) => shape.traits_mut(),
            (Some(member), Shape::Structure(s) | Shape::Union(s) | Shape::Enum(s) | Shape::IntEnum(s)) => {
                &mut s
                    .members
                    .get_mut(member)
                    .ok_or_else(|| anyhow!("apply {id}: {target} has no member {member}"))?
                    .traits
            }
            (Some(_), _) => bail!("apply {id}: only aggregate shapes have members"),
        };
        traits.extend(apply.traits.clone());
    }
    Ok(shapes)
}

struct Resolver<'m> {
    shapes: &'m BTreeMap<String, Shape>,
    named: BTreeMap<String, NamedShape>,
    pending: Vec<String>,
    unsupported_patterns: Vec<(String, String, String)>,
    /// The service's `rename` map: shape id → the name to use in this service.
    renames: BTreeMap<String, String>,
    /// Each pattern (and `@length` maximum) compiled so far: its index in
    /// `patterns`, or why it cannot be compiled; so each is compiled once.
    compiled_patterns: BTreeMap<(String, Option<u64>), Result<usize, String>>,
    patterns: Vec<CompiledPattern>,
}

fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

fn doc(traits: &Traits) -> Option<String> {
    traits
        .get("smithy.api#documentation")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|d| !d.trim().is_empty())
}

fn deprecated(traits: &Traits) -> Option<Deprecated> {
    let value = traits.get("smithy.api#deprecated")?;
    Some(Deprecated {
        message: value.get("message").and_then(Value::as_str).map(str::to_owned),
        since: value.get("since").and_then(Value::as_str).map(str::to_owned),
    })
}

fn string_field(value: &Value, field: &str, context: &str) -> Result<Option<String>> {
    match value.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => bail!("{context}: `{field}` must be a string, found {other}"),
    }
}

impl<'m> Resolver<'m> {
    fn shape(&self, id: &str, referrer: &str) -> Result<&'m Shape> {
        self.shapes.get(id).ok_or_else(|| {
            anyhow!("{referrer} targets {id}, which is not defined in the model; add the shape or fix the target")
        })
    }

    fn service(&mut self, id: &str) -> Result<Service> {
        let Shape::Service(service) = self.shape(id, "--service")? else {
            bail!("{id} is not a service shape");
        };
        let traits = &service.traits;
        let aws_service = traits.get("aws.api#service");
        let sdk_id = match aws_service {
            Some(value) => string_field(value, "sdkId", &format!("{id} trait aws.api#service"))?,
            None => None,
        }
        .unwrap_or_else(|| shape_name(id).to_owned());
        let protocol = if traits.contains_key("aws.protocols#awsJson1_0") {
            Protocol::AwsJson1_0
        } else if traits.contains_key("aws.protocols#awsJson1_1") {
            Protocol::AwsJson1_1
        } else {
            let found: Vec<&String> = traits.keys().filter(|k| k.starts_with("aws.protocols#")).collect();
            bail!(
                "service {id} does not use a supported protocol (found: {}); this generator supports aws.protocols#awsJson1_0 and aws.protocols#awsJson1_1",
                if found.is_empty() {
                    "none".to_owned()
                } else {
                    join(&found)
                }
            );
        };
        let signing_name = match traits.get("aws.auth#sigv4") {
            Some(value) => string_field(value, "name", &format!("{id} trait aws.auth#sigv4"))?
                .ok_or_else(|| anyhow!("service {id}: trait aws.auth#sigv4 needs a `name` (the signing name)"))?,
            None => bail!("service {id} has no aws.auth#sigv4 trait; the runtime signs every request with SigV4"),
        };
        Ok(Service {
            name: shape_name(id).to_owned(),
            crate_stem: names::crate_stem(&sdk_id),
            sdk_id,
            version: service.version.clone(),
            protocol,
            signing_name,
            title: traits
                .get("smithy.api#title")
                .and_then(Value::as_str)
                .map(str::to_owned),
            docs: doc(traits),
            endpoint_rule_set: traits
                .get("smithy.rules#endpointRuleSet")
                .map(|rules| {
                    // The rule set's own parser reads JSON text with the client's reader.
                    RuleSet::from_json(&rules.to_string()).with_context(|| {
                        format!("service {id}: trait smithy.rules#endpointRuleSet cannot be used; fix the rule set")
                    })
                })
                .transpose()?,
        })
    }

    /// Every operation bound to the service, directly or through resources.
    fn operations(&mut self, service_id: &str) -> Result<Vec<Operation>> {
        let Shape::Service(service) = self.shape(service_id, "--service")? else {
            bail!("{service_id} is not a service shape");
        };
        let mut ids = BTreeSet::new();
        let mut resources: Vec<String> = service.resources.iter().map(|t| t.target.clone()).collect();
        ids.extend(service.operations.iter().map(|t| t.target.clone()));
        let mut seen = BTreeSet::new();
        while let Some(resource_id) = resources.pop() {
            if !seen.insert(resource_id.clone()) {
                continue;
            }
            let Shape::Resource(resource) = self.shape(&resource_id, service_id)? else {
                bail!("{resource_id} is listed as a resource but is not a resource shape");
            };
            let lifecycle = [
                &resource.create,
                &resource.put,
                &resource.read,
                &resource.update,
                &resource.delete,
                &resource.list,
            ];
            ids.extend(lifecycle.into_iter().flatten().map(|t| t.target.clone()));
            ids.extend(
                resource
                    .operations
                    .iter()
                    .chain(&resource.collection_operations)
                    .map(|t| t.target.clone()),
            );
            resources.extend(resource.resources.iter().map(|t| t.target.clone()));
            let _ = (&resource.identifiers, &resource.properties);
        }
        let common_errors: Vec<String> = service.errors.iter().map(|t| t.target.clone()).collect();
        let service_paginated = service.traits.get("smithy.api#paginated");
        let mut operations = Vec::new();
        for id in ids {
            operations.push(self.operation(&id, service_id, &common_errors, service_paginated)?);
        }
        let mut methods = BTreeMap::new();
        for operation in &operations {
            if let Some(other) = methods.insert(operation.method.clone(), operation.id.clone()) {
                bail!(
                    "operations {other} and {} both become the method `{}`; rename one in the model",
                    operation.id,
                    operation.method
                );
            }
        }
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(operations)
    }

    fn operation(
        &mut self,
        id: &str,
        service_id: &str,
        common_errors: &[String],
        service_paginated: Option<&Value>,
    ) -> Result<Operation> {
        let Shape::Operation(operation) = self.shape(id, service_id)? else {
            bail!(
                "{id} is bound to the service as an operation but is a {}",
                self.shape(id, service_id)?.kind()
            );
        };
        let name = shape_name(id).to_owned();
        let namespace = id.rsplit_once('#').map_or("", |(ns, _)| ns);
        let input = self.synthesize(
            id,
            operation.input.as_ref(),
            &self.free_id(namespace, &name, "Input"),
            Role::Input(name.clone()),
        )?;
        let output = self.synthesize(
            id,
            operation.output.as_ref(),
            &self.free_id(namespace, &name, "Output"),
            Role::Output(name.clone()),
        )?;
        let mut errors = BTreeSet::new();
        for error in operation.errors.iter().map(|t| &t.target).chain(common_errors) {
            match self.shape(error, id)? {
                Shape::Structure(s) if s.traits.contains_key("smithy.api#error") => {}
                _ => bail!("operation {id} lists {error} as an error, but it is not a structure with the @error trait"),
            }
            self.pending.push(error.clone());
            errors.insert(error.clone());
        }
        let paginated = match operation.traits.get("smithy.api#paginated") {
            Some(own) => Some(self.paginated(id, own, service_paginated)?),
            None => None,
        };
        Ok(Operation {
            id: id.to_owned(),
            method: names::function(&name),
            name,
            input,
            output,
            errors: errors.into_iter().collect(),
            docs: doc(&operation.traits),
            deprecated: deprecated(&operation.traits),
            paginated,
        })
    }

    fn paginated(&self, id: &str, own: &Value, service: Option<&Value>) -> Result<Paginated> {
        let context = format!("operation {id} trait smithy.api#paginated");
        let pick = |field: &str| -> Result<Option<String>> {
            match string_field(own, field, &context)? {
                Some(value) => Ok(Some(value)),
                None => service.map_or(Ok(None), |service| string_field(service, field, &context)),
            }
        };
        let input_token =
            pick("inputToken")?.ok_or_else(|| anyhow!("{context}: no inputToken (here or on the service)"))?;
        let output_token =
            pick("outputToken")?.ok_or_else(|| anyhow!("{context}: no outputToken (here or on the service)"))?;
        Ok(Paginated {
            input_token,
            output_token,
            items: pick("items")?,
            page_size: pick("pageSize")?,
        })
    }

    /// `<Operation>Input` (or `Output`), unless the model already has a shape of
    /// that name, in which case `<Operation>OperationInput`.
    fn free_id(&self, namespace: &str, operation: &str, suffix: &str) -> String {
        let preferred = format!("{namespace}#{operation}{suffix}");
        let taken = |id: &str| {
            self.shapes
                .keys()
                .any(|existing| shape_name(existing) == shape_name(id))
        };
        if taken(&preferred) {
            format!("{namespace}#{operation}Operation{suffix}")
        } else {
            preferred
        }
    }

    /// Copies an operation's input or output structure into `<Operation>Input`/`Output`.
    fn synthesize(
        &mut self,
        operation: &str,
        target: Option<&model::Target>,
        new_id: &str,
        role: Role,
    ) -> Result<String> {
        let members = match target.map(|t| t.target.as_str()) {
            None | Some(UNIT) => model::Members::default(),
            Some(target) => match self.shape(target, operation)? {
                Shape::Structure(s) => s.members.clone(),
                other => bail!(
                    "operation {operation}: its input/output {target} must be a structure, found {}",
                    other.kind()
                ),
            },
        };
        let source_traits = match target.map(|t| t.target.as_str()) {
            Some(target) if target != UNIT => self.shapes.get(target).map(|s| s.traits().clone()).unwrap_or_default(),
            _ => Traits::new(),
        };
        // Errors name the shape as the model does, not its normalized copy.
        let origin = match target.map(|t| t.target.as_str()) {
            Some(target) if target != UNIT => target,
            _ => new_id,
        };
        let members = self.members(origin, &members)?;
        let docs = doc(&source_traits).or_else(|| match &role {
            Role::Input(op) => Some(format!("The input of the {op} operation.")),
            Role::Output(op) => Some(format!("The output of the {op} operation.")),
            _ => None,
        });
        self.named.insert(
            new_id.to_owned(),
            NamedShape {
                id: new_id.to_owned(),
                rust_name: names::type_name(shape_name(new_id)),
                docs,
                deprecated: deprecated(&source_traits),
                sensitive: source_traits.contains_key("smithy.api#sensitive"),
                kind: NamedKind::Structure(Structure { members, role }),
            },
        );
        Ok(new_id.to_owned())
    }

    fn members(&mut self, owner: &str, members: &model::Members) -> Result<Vec<Member>> {
        let mut resolved = Vec::new();
        let mut fields = BTreeMap::new();
        for (name, member) in members {
            let path = format!("{owner}${name}");
            let resolved_member = self.member(&path, name, member)?;
            if let Some(other) = fields.insert(resolved_member.field.clone(), name.clone()) {
                bail!(
                    "{owner}: members {other} and {name} both become the field `{}`",
                    resolved_member.field
                );
            }
            resolved.push(resolved_member);
        }
        Ok(resolved)
    }

    fn member(&mut self, path: &str, name: &str, member: &ModelMember) -> Result<Member> {
        let ty = self.ty(path, &member.target, &member.traits)?;
        let target_traits = self
            .shapes
            .get(&member.target)
            .map(|s| s.traits().clone())
            .unwrap_or_default();
        let default = match member.traits.get("smithy.api#default") {
            Some(Value::Null) | None => None,
            Some(value) => expressible_default(&ty, value, self.shapes).then(|| value.clone()),
        };
        let timestamp_format = match member
            .traits
            .get("smithy.api#timestampFormat")
            .or(target_traits.get("smithy.api#timestampFormat"))
        {
            None => None,
            Some(Value::String(format)) => match format.as_str() {
                "epoch-seconds" => None,
                "date-time" => Some(TimestampFormat::DateTime),
                "http-date" => Some(TimestampFormat::HttpDate),
                other => {
                    bail!("{path}: unknown timestampFormat {other:?}; expected epoch-seconds, date-time or http-date")
                }
            },
            Some(other) => bail!("{path}: timestampFormat must be a string, found {other}"),
        };
        if timestamp_format.is_some() && !matches!(ty.kind, TyKind::Timestamp) {
            if !matches!(ty.kind, TyKind::List { .. } | TyKind::Map { .. }) {
                bail!(
                    "{path}: @timestampFormat applies to timestamps, but the member targets {}",
                    member.target
                );
            }
            bail!("{path}: @timestampFormat on a collection of timestamps is not supported yet");
        }
        Ok(Member {
            wire_name: name.to_owned(),
            field: names::field(name),
            setter: names::setter(name),
            docs: doc(&member.traits).or_else(|| doc(&target_traits)),
            required: member.traits.contains_key("smithy.api#required"),
            default,
            boxed: false,
            idempotency_token: member.traits.contains_key("smithy.api#idempotencyToken"),
            timestamp_format,
            deprecated: deprecated(&member.traits),
            ty,
        })
    }

    /// Resolves a member target into a type, merging member constraints over the target's.
    fn ty(&mut self, path: &str, target: &str, member_traits: &Traits) -> Result<Ty> {
        let builtin = target.strip_prefix(PRELUDE).and_then(prelude_kind);
        let (kind, target_traits) = match (self.shapes.get(target), builtin) {
            (Some(shape), _) => (self.kind_of(path, target, shape)?, shape.traits().clone()),
            (None, Some(kind)) => (kind, Traits::new()),
            (None, None) => {
                bail!("{path} targets {target}, which is not defined in the model; add the shape or fix the target")
            }
        };
        let mut constraints = Constraints::default();
        let mut pattern_source = None;
        for traits in [&target_traits, member_traits] {
            if let Some(value) = traits.get("smithy.api#length") {
                constraints.length =
                    Some(bounds_u64(value).with_context(|| format!("{path}: invalid smithy.api#length {value}"))?);
            }
            if let Some(value) = traits.get("smithy.api#range") {
                constraints.range =
                    Some(bounds_f64(value).with_context(|| format!("{path}: invalid smithy.api#range {value}"))?);
            }
            if let Some(value) = traits.get("smithy.api#pattern") {
                let pattern = value
                    .as_str()
                    .ok_or_else(|| anyhow!("{path}: smithy.api#pattern must be a string, found {value}"))?;
                pattern_source = Some(pattern);
            }
        }
        if let Some(source) = pattern_source {
            let max_chars = constraints.length.and_then(|(_, max)| max);
            let patterns = &mut self.patterns;
            let compiled = self
                .compiled_patterns
                .entry((source.to_owned(), max_chars))
                .or_insert_with(|| {
                    let compiled = pattern::compile(source, max_chars)?;
                    // Limits that change nothing give the same automata: share them.
                    Ok(patterns.iter().position(|known| *known == compiled).unwrap_or_else(|| {
                        patterns.push(compiled);
                        patterns.len() - 1
                    }))
                })
                .clone();
            match compiled {
                Ok(index) => constraints.pattern = Some(index),
                Err(reason) => self
                    .unsupported_patterns
                    .push((path.to_owned(), source.to_owned(), reason)),
            }
        }
        let sensitive = target_traits.contains_key("smithy.api#sensitive");
        Ok(Ty {
            kind,
            constraints,
            sensitive,
        })
    }

    fn kind_of(&mut self, path: &str, target: &str, shape: &Shape) -> Result<TyKind> {
        Ok(match shape {
            Shape::Blob(_) => TyKind::Blob,
            Shape::Boolean(_) => TyKind::Boolean,
            Shape::String(s) if s.traits.contains_key("smithy.api#enum") => {
                self.pending.push(target.to_owned());
                TyKind::Named(target.to_owned())
            }
            Shape::String(_) => TyKind::String,
            Shape::Byte(_) => TyKind::Byte,
            Shape::Short(_) => TyKind::Short,
            Shape::Integer(_) => TyKind::Integer,
            Shape::Long(_) => TyKind::Long,
            Shape::Float(_) => TyKind::Float,
            Shape::Double(_) => TyKind::Double,
            Shape::BigInteger(_) => TyKind::BigInteger,
            Shape::BigDecimal(_) => TyKind::BigDecimal,
            Shape::Timestamp(_) => TyKind::Timestamp,
            Shape::Document(_) => TyKind::Document,
            Shape::Enum(_) | Shape::IntEnum(_) | Shape::Structure(_) | Shape::Union(_) => {
                self.pending.push(target.to_owned());
                TyKind::Named(target.to_owned())
            }
            Shape::List(list) | Shape::Set(list) => TyKind::List {
                item: Box::new(self.ty(&format!("{target}$member"), &list.member.target, &list.member.traits)?),
                sparse: list.traits.contains_key("smithy.api#sparse"),
            },
            Shape::Map(map) => TyKind::Map {
                key: Box::new(self.ty(&format!("{target}$key"), &map.key.target, &map.key.traits)?),
                value: Box::new(self.ty(&format!("{target}$value"), &map.value.target, &map.value.traits)?),
                sparse: map.traits.contains_key("smithy.api#sparse"),
            },
            Shape::Service(_) | Shape::Operation(_) | Shape::Resource(_) | Shape::Apply(_) => {
                bail!(
                    "{path} targets {target}, a {}; members must target data shapes",
                    shape.kind()
                )
            }
        })
    }

    fn named_shape(&mut self, id: &str) -> Result<NamedShape> {
        let shape = self.shape(id, "a member")?;
        let traits = shape.traits();
        let kind = match shape {
            Shape::Structure(s) => {
                let role = match traits.get("smithy.api#error") {
                    Some(fault) => Role::Error(error_info(id, fault, traits)?),
                    None => Role::Plain,
                };
                NamedKind::Structure(Structure {
                    members: self.members(id, &s.members)?,
                    role,
                })
            }
            Shape::Union(s) => {
                let members = self.members(id, &s.members)?;
                if members.is_empty() {
                    bail!("union {id} has no members; a union needs at least one");
                }
                NamedKind::Union(members)
            }
            Shape::Enum(s) => NamedKind::Enum(enum_values(
                id,
                s.members.iter().map(|(name, m)| (name.as_str(), &m.traits)),
            )?),
            Shape::String(_) => NamedKind::Enum(legacy_enum_values(id, &traits["smithy.api#enum"])?),
            Shape::IntEnum(s) => {
                let mut values = Vec::new();
                for (name, member) in &s.members {
                    let value = member
                        .traits
                        .get("smithy.api#enumValue")
                        .and_then(Value::as_i64)
                        .and_then(|v| i32::try_from(v).ok())
                        .ok_or_else(|| anyhow!("intEnum {id}${name}: needs an integer smithy.api#enumValue"))?;
                    values.push(IntEnumValue {
                        variant: names::variant(name),
                        value,
                        docs: doc(&member.traits),
                    });
                }
                check_variants(id, values.iter().map(|v| &v.variant))?;
                NamedKind::IntEnum(values)
            }
            other => bail!("{id}: a {} cannot be used as a named type", other.kind()),
        };
        Ok(NamedShape {
            id: id.to_owned(),
            rust_name: names::type_name(self.renames.get(id).map_or(shape_name(id), String::as_str)),
            docs: doc(traits),
            deprecated: deprecated(traits),
            sensitive: traits.contains_key("smithy.api#sensitive"),
            kind,
        })
    }
}

fn prelude_kind(name: &str) -> Option<TyKind> {
    Some(match name {
        "Blob" => TyKind::Blob,
        "Boolean" | "PrimitiveBoolean" => TyKind::Boolean,
        "String" => TyKind::String,
        "Byte" | "PrimitiveByte" => TyKind::Byte,
        "Short" | "PrimitiveShort" => TyKind::Short,
        "Integer" | "PrimitiveInteger" => TyKind::Integer,
        "Long" | "PrimitiveLong" => TyKind::Long,
        "Float" | "PrimitiveFloat" => TyKind::Float,
        "Double" | "PrimitiveDouble" => TyKind::Double,
        "BigInteger" => TyKind::BigInteger,
        "BigDecimal" => TyKind::BigDecimal,
        "Timestamp" => TyKind::Timestamp,
        "Document" => TyKind::Document,
        "Unit" => TyKind::Unit,
        _ => return None,
    })
}

fn error_info(id: &str, fault: &Value, traits: &Traits) -> Result<ErrorInfo> {
    let fault = match fault.as_str() {
        Some(fault @ ("client" | "server")) => fault.to_owned(),
        _ => bail!("{id}: smithy.api#error must be \"client\" or \"server\", found {fault}"),
    };
    let http_status = match traits.get("smithy.api#httpError") {
        None => None,
        Some(value) => Some(
            value
                .as_u64()
                .and_then(|v| u16::try_from(v).ok())
                .filter(|v| (100..600).contains(v))
                .ok_or_else(|| anyhow!("{id}: smithy.api#httpError must be an HTTP status code, found {value}"))?,
        ),
    };
    let retryable = traits
        .get("smithy.api#retryable")
        .map(|value| value.get("throttling").and_then(Value::as_bool).unwrap_or(false));
    Ok(ErrorInfo {
        fault,
        http_status,
        retryable,
    })
}

fn enum_values<'a>(id: &str, members: impl Iterator<Item = (&'a str, &'a Traits)>) -> Result<Vec<EnumValue>> {
    let mut values = Vec::new();
    for (name, traits) in members {
        let value = match traits.get("smithy.api#enumValue") {
            None => name.to_owned(),
            Some(Value::String(value)) => value.clone(),
            Some(other) => bail!("enum {id}${name}: smithy.api#enumValue must be a string, found {other}"),
        };
        values.push(EnumValue {
            variant: names::variant(name),
            value,
            docs: doc(traits),
            deprecated: deprecated(traits),
        });
    }
    check_variants(id, values.iter().map(|v| &v.variant))?;
    Ok(values)
}

fn legacy_enum_values(id: &str, definitions: &Value) -> Result<Vec<EnumValue>> {
    let Some(definitions) = definitions.as_array() else {
        bail!("{id}: smithy.api#enum must be a list of enum definitions");
    };
    let mut values = Vec::new();
    for definition in definitions {
        let context = format!("{id} trait smithy.api#enum");
        let value =
            string_field(definition, "value", &context)?.ok_or_else(|| anyhow!("{context}: an entry has no value"))?;
        let name = string_field(definition, "name", &context)?.unwrap_or_else(|| value.clone());
        let docs = string_field(definition, "documentation", &context)?;
        let deprecated = definition
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .then_some(Deprecated {
                message: None,
                since: None,
            });
        values.push(EnumValue {
            variant: names::variant(&name),
            value,
            docs,
            deprecated,
        });
    }
    // Names derived from values can collide (`a.b` and `a-b`): number the repeats.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for value in &mut values {
        let count = seen.entry(value.variant.clone()).or_default();
        *count += 1;
        if *count > 1 {
            value.variant = format!("{}{}", value.variant, count);
        }
    }
    check_variants(id, values.iter().map(|v| &v.variant))?;
    Ok(values)
}

fn check_variants<'a>(id: &str, variants: impl Iterator<Item = &'a String>) -> Result<()> {
    let mut seen = BTreeSet::new();
    for variant in variants {
        if !seen.insert(variant) {
            bail!("enum {id}: two values become the Rust variant `{variant}`; rename one in the model");
        }
    }
    Ok(())
}

fn bounds_u64(value: &Value) -> Result<(Option<u64>, Option<u64>)> {
    bounds(value, Value::as_u64, "a non-negative integer")
}

fn bounds_f64(value: &Value) -> Result<(Option<f64>, Option<f64>)> {
    bounds(value, Value::as_f64, "a number")
}

/// The `min` and `max` of a `@length` or `@range` trait value.
fn bounds<T>(value: &Value, read: fn(&Value) -> Option<T>, expected: &str) -> Result<(Option<T>, Option<T>)> {
    if !value.is_object() {
        bail!("expected an object with `min` and/or `max`");
    }
    let get = |field: &str| -> Result<Option<T>> {
        match value.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => read(v)
                .map(Some)
                .ok_or_else(|| anyhow!("`{field}` must be {expected}, found {v}")),
        }
    };
    Ok((get("min")?, get("max")?))
}

/// Whether the emitters can write `value` as a Rust default for `ty`.
fn expressible_default(ty: &Ty, value: &Value, shapes: &BTreeMap<String, Shape>) -> bool {
    match (&ty.kind, value) {
        (TyKind::Boolean, Value::Bool(_)) => true,
        (TyKind::Byte | TyKind::Short | TyKind::Integer | TyKind::Long, Value::Number(n)) => n.is_i64(),
        (TyKind::Float | TyKind::Double, Value::Number(_)) => true,
        (TyKind::String, Value::String(_)) => true,
        (TyKind::List { .. }, Value::Array(items)) => items.is_empty(),
        (TyKind::Map { .. }, Value::Object(entries)) => entries.is_empty(),
        (TyKind::Named(id), Value::String(_)) => matches!(shapes.get(id), Some(Shape::Enum(_) | Shape::String(_))),
        (TyKind::Named(id), Value::Number(n)) => matches!(shapes.get(id), Some(Shape::IntEnum(_))) && n.is_i64(),
        _ => false,
    }
}

/// Two shapes from different namespaces may share a name; Rust types may not.
fn check_type_names(ir: &Ir) -> Result<()> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for shape in ir.shapes.values() {
        for name in [shape.rust_name.clone(), format!("{}Builder", shape.rust_name)] {
            if let Some(other) = seen.insert(name.clone(), &shape.id)
                && other != shape.id
            {
                bail!(
                    "shapes {other} and {} both become the Rust type `{name}`; rename one in the model",
                    shape.id
                );
            }
        }
    }
    Ok(())
}

/// Boxes each member whose structure or union can contain, directly (not
/// through a list or map), the shape that holds the member.
fn mark_boxed_members(ir: &mut Ir) {
    let direct_edges = |shape: &NamedShape| -> Vec<String> {
        let members = match &shape.kind {
            NamedKind::Structure(s) => &s.members,
            NamedKind::Union(members) => members,
            _ => return Vec::new(),
        };
        members
            .iter()
            .filter_map(|m| match &m.ty.kind {
                TyKind::Named(target) => Some(target.clone()),
                _ => None,
            })
            .collect()
    };
    let edges: BTreeMap<String, Vec<String>> = ir
        .shapes
        .iter()
        .map(|(id, shape)| (id.clone(), direct_edges(shape)))
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if seen.insert(id.clone()) {
                stack.extend(edges.get(&id).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (id, shape) in &ir.shapes {
        let members = match &shape.kind {
            NamedKind::Structure(s) => &s.members,
            NamedKind::Union(members) => members,
            _ => continue,
        };
        for (index, member) in members.iter().enumerate() {
            if let TyKind::Named(target) = &member.ty.kind
                && reaches(target, id)
            {
                to_box.push((id.clone(), index));
            }
        }
    }
    for (id, index) in to_box {
        if let Some(shape) = ir.shapes.get_mut(&id) {
            match &mut shape.kind {
                NamedKind::Structure(s) => s.members[index].boxed = true,
                NamedKind::Union(members) => members[index].boxed = true,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_text(shapes: &str) -> Result<Ir> {
        let text = format!(
            r#"{{"smithy": "2.0", "shapes": {{
            "t#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "t#Op"}}],
                "traits": {{"aws.protocols#awsJson1_0": {{}}, "aws.auth#sigv4": {{"name": "svc"}}, "aws.api#service": {{"sdkId": "Svc"}}}}}},
            "t#Op": {{"type": "operation", "input": {{"target": "t#OpRequest"}}, "output": {{"target": "smithy.api#Unit"}}}},
            {shapes}}}}}"#
        );
        resolve(&model::parse(&text, "test.json")?, None)
    }

    #[test]
    fn normalizes_inputs_and_outputs() {
        let ir = resolve_text(
            r#""t#OpRequest": {"type": "structure", "members": {"Name": {"target": "smithy.api#String"}}}"#,
        )
        .unwrap();
        assert_eq!(ir.operations[0].input, "t#OpInput");
        assert_eq!(ir.operations[0].output, "t#OpOutput");
        assert!(ir.shapes.contains_key("t#OpInput") && ir.shapes.contains_key("t#OpOutput"));
        assert!(
            !ir.shapes.contains_key("t#OpRequest"),
            "the original input shape is not emitted twice"
        );
    }

    #[test]
    fn member_constraints_override_target_constraints() {
        let ir = resolve_text(
            r#""t#OpRequest": {"type": "structure", "members": {"Name": {"target": "t#Name", "traits": {"smithy.api#length": {"max": 5}}}}},
               "t#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 10}, "smithy.api#pattern": "^a{1,9}"}}"#,
        )
        .unwrap();
        let NamedKind::Structure(input) = &ir.shapes["t#OpInput"].kind else {
            panic!()
        };
        assert_eq!(input.members[0].ty.constraints.length, Some((None, Some(5))));
        let pattern = &ir.patterns[input.members[0].ty.constraints.pattern.unwrap()];
        assert_eq!(
            (pattern.source.as_str(), pattern.max_chars),
            ("^a{1,9}", Some(5)),
            "compiled for the member's limit"
        );
    }

    #[test]
    fn dangling_targets_name_the_member() {
        let error =
            resolve_text(r#""t#OpRequest": {"type": "structure", "members": {"Name": {"target": "t#Missing"}}}"#)
                .unwrap_err();
        let text = format!("{error:#}");
        assert!(
            text.contains("t#OpRequest$Name") && text.contains("t#Missing"),
            "{text}"
        );
    }

    #[test]
    fn recursive_members_are_boxed_but_lists_are_not() {
        let ir = resolve_text(
            r#""t#OpRequest": {"type": "structure", "members": {"Node": {"target": "t#Node"}}},
               "t#Node": {"type": "structure", "members": {"Next": {"target": "t#Node"}, "Children": {"target": "t#Nodes"}}},
               "t#Nodes": {"type": "list", "member": {"target": "t#Node"}}"#,
        )
        .unwrap();
        let NamedKind::Structure(node) = &ir.shapes["t#Node"].kind else {
            panic!()
        };
        let boxed: Vec<(&str, bool)> = node.members.iter().map(|m| (m.wire_name.as_str(), m.boxed)).collect();
        assert_eq!(
            boxed,
            [("Next", true), ("Children", false)],
            "members keep the model's order"
        );
    }

    #[test]
    fn bad_trait_values_are_reported() {
        let error = resolve_text(
            r#""t#OpRequest": {"type": "structure", "members": {"N": {"target": "t#N"}}},
               "t#N": {"type": "string", "traits": {"smithy.api#length": {"min": "one"}}}"#,
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("smithy.api#length"), "{error:#}");
    }
}
