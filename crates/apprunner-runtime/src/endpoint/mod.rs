//! The Smithy endpoint rules engine (rule set version 1.0), with AWS partition data.
//!
//! A service's `smithy.rules#endpointRuleSet` trait becomes an [`EndpointResolver`]:
//! generated clients hand it the rule set the code generator wrote out as static data
//! ([`EndpointResolver::new`]), tools and tests parse it from JSON
//! ([`EndpointResolver::from_json`]). Each call then fills an [`EndpointParams`] (builtins such as
//! the region through [`EndpointParams::region`], others by name) and
//! [`resolves`](EndpointResolver::resolve) it into an [`Endpoint`], or into the rule
//! set's own error message ([`EndpointError::RuleError`]).
//!
//! ```
//! use apprunner_runtime::endpoint::{EndpointParams, EndpointResolver};
//!
//! let rules = r#"{
//!   "version": "1.0",
//!   "parameters": { "Region": { "type": "String", "builtIn": "AWS::Region", "required": true } },
//!   "rules": [{
//!     "conditions": [{ "fn": "aws.partition", "argv": [{ "ref": "Region" }], "assign": "P" }],
//!     "endpoint": { "url": "https://demo.{Region}.{P#dnsSuffix}" },
//!     "type": "endpoint"
//!   }]
//! }"#;
//! let resolver = EndpointResolver::from_json(rules).unwrap();
//! let endpoint = resolver.resolve(EndpointParams::new().region(Some("cn-north-1".into()))).unwrap();
//! assert_eq!(endpoint.url, "https://demo.cn-north-1.amazonaws.com.cn");
//! ```

mod eval;
mod functions;
#[rustfmt::skip]
mod partition_table;
mod partitions;
mod value;

use std::collections::BTreeMap;
use std::sync::Arc;

use apprunner_smithy::rules::{InvalidRuleSet, ParamType, RuleSet};

use crate::map::SortedMap;

use value::Value;

/// The builtIn id of the region parameter.
const BUILTIN_REGION: &str = "AWS::Region";
/// The builtIn id of the FIPS switch.
const BUILTIN_USE_FIPS: &str = "AWS::UseFIPS";
/// The builtIn id of the dual-stack switch.
const BUILTIN_USE_DUAL_STACK: &str = "AWS::UseDualStack";
/// The builtIn id of the endpoint override.
const BUILTIN_ENDPOINT: &str = "SDK::Endpoint";

/// A `smithy.rules#endpointRuleSet`, ready to resolve endpoints.
///
/// Cloning is cheap: the rules are static data or shared.
#[derive(Debug, Clone)]
pub struct EndpointResolver {
    rule_set: Rules,
}

/// Where an [`EndpointResolver`]'s rules live.
#[derive(Debug, Clone)]
enum Rules {
    /// Written out by the code generator.
    Static(&'static RuleSet),
    /// Parsed at run time.
    Parsed(Arc<RuleSet>),
}

impl EndpointResolver {
    /// A resolver for a rule set held in static data, as generated clients hold
    /// theirs: nothing is parsed or copied.
    pub const fn new(rule_set: &'static RuleSet) -> Self {
        EndpointResolver {
            rule_set: Rules::Static(rule_set),
        }
    }

    /// Parses the rule set from its JSON text (the trait's value).
    ///
    /// Errors ([`EndpointError::InvalidRuleSet`]) name what is wrong and where, such as
    /// an unknown function or a rule without `type`.
    pub fn from_json(rule_set: &str) -> Result<Self, EndpointError> {
        RuleSet::from_json(rule_set).map(Self::parsed).map_err(Into::into)
    }

    /// Parses the rule set from an already-parsed JSON value.
    pub fn from_value(rule_set: &apprunner_smithy::Document) -> Result<Self, EndpointError> {
        RuleSet::from_value(rule_set).map(Self::parsed).map_err(Into::into)
    }

    fn parsed(rule_set: RuleSet) -> Self {
        EndpointResolver {
            rule_set: Rules::Parsed(Arc::new(rule_set)),
        }
    }

    fn rule_set(&self) -> &RuleSet {
        match &self.rule_set {
            Rules::Static(rule_set) => rule_set,
            Rules::Parsed(rule_set) => rule_set,
        }
    }

    /// Evaluates the rules for `params`.
    ///
    /// A parameter without a value takes the rule set's `default`; a `required` one
    /// with neither is [`EndpointError::MissingParameter`]. A value set by name wins
    /// over one set through a builtin helper.
    pub fn resolve(&self, params: &EndpointParams) -> Result<Endpoint, EndpointError> {
        let rule_set = self.rule_set();
        if let Some(name) = params.named.keys().find(|name| rule_set.parameter(name).is_none()) {
            return Err(EndpointError::InvalidParameter(format!(
                "`{name}` is not a parameter of this rule set"
            )));
        }
        let mut bound = Vec::with_capacity(rule_set.parameters.len());
        for parameter in rule_set.parameters.iter() {
            let given = params.named.get(&*parameter.name).or_else(|| {
                parameter
                    .built_in
                    .as_deref()
                    .and_then(|built_in| params.builtins.get(built_in))
            });
            let value = match given {
                Some(given) => Some(given.to_value(&parameter.name, parameter.kind)?),
                None => parameter.default.as_ref().map(Value::from_literal),
            };
            match value {
                Some(value) => bound.push((&*parameter.name, value)),
                None if parameter.required => return Err(EndpointError::MissingParameter(parameter.name.to_string())),
                None => {}
            }
        }
        eval::resolve(rule_set, bound)
    }

    /// The parameters the rule set declares, each with its `builtIn` (such as
    /// `("Region", Some("AWS::Region"))`).
    pub fn parameters(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.rule_set()
            .parameters
            .iter()
            .map(|parameter| (&*parameter.name, parameter.built_in.as_deref()))
    }
}

/// A value given for one parameter.
#[derive(Debug, Clone, PartialEq)]
enum ParamValue {
    String(String),
    Bool(bool),
    StringList(Vec<String>),
}

impl ParamValue {
    /// Checks the value against the declared type and converts it for evaluation.
    fn to_value(&self, name: &str, kind: ParamType) -> Result<Value, EndpointError> {
        match (self, kind) {
            (ParamValue::String(s), ParamType::String) => Ok(Value::String(s.clone())),
            (ParamValue::Bool(b), ParamType::Boolean) => Ok(Value::Bool(*b)),
            (ParamValue::StringList(items), ParamType::StringArray) => {
                Ok(Value::Array(items.iter().cloned().map(Value::String).collect()))
            }
            (given, kind) => {
                let given = match given {
                    ParamValue::String(_) => "a string",
                    ParamValue::Bool(_) => "a boolean",
                    ParamValue::StringList(_) => "a list of strings",
                };
                Err(EndpointError::InvalidParameter(format!(
                    "parameter `{name}` is of type {}, but {given} was given",
                    kind.name()
                )))
            }
        }
    }
}

/// The input of [`EndpointResolver::resolve`]: parameter values by name, and builtin
/// values by builtIn id (mapped to whichever parameter declares that builtIn when
/// resolving, and ignored when none does).
#[derive(Debug, Clone, Default)]
pub struct EndpointParams {
    named: SortedMap<String, ParamValue>,
    builtins: SortedMap<&'static str, ParamValue>,
}

impl EndpointParams {
    /// No values set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the `string` parameter `name`.
    pub fn set_string(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.named.insert(name.to_owned(), ParamValue::String(value.into()));
        self
    }

    /// Sets the `boolean` parameter `name`.
    pub fn set_bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.named.insert(name.to_owned(), ParamValue::Bool(value));
        self
    }

    /// Sets the `stringArray` parameter `name`.
    pub fn set_string_list(&mut self, name: &str, value: Vec<String>) -> &mut Self {
        self.named.insert(name.to_owned(), ParamValue::StringList(value));
        self
    }

    /// Sets (or, with `None`, clears) the `AWS::Region` builtin.
    pub fn region(&mut self, v: Option<String>) -> &mut Self {
        self.set_builtin(BUILTIN_REGION, v.map(ParamValue::String))
    }

    /// Sets the `AWS::UseFIPS` builtin.
    pub fn use_fips(&mut self, v: bool) -> &mut Self {
        self.set_builtin(BUILTIN_USE_FIPS, Some(ParamValue::Bool(v)))
    }

    /// Sets the `AWS::UseDualStack` builtin.
    pub fn use_dual_stack(&mut self, v: bool) -> &mut Self {
        self.set_builtin(BUILTIN_USE_DUAL_STACK, Some(ParamValue::Bool(v)))
    }

    /// Sets (or, with `None`, clears) the `SDK::Endpoint` builtin: an endpoint URL override.
    pub fn endpoint(&mut self, v: Option<String>) -> &mut Self {
        self.set_builtin(BUILTIN_ENDPOINT, v.map(ParamValue::String))
    }

    fn set_builtin(&mut self, built_in: &'static str, value: Option<ParamValue>) -> &mut Self {
        match value {
            Some(value) => self.builtins.insert(built_in, value),
            None => self.builtins.remove(built_in),
        };
        self
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The endpoint URL, such as `https://apprunner.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers to add to the request, each with its values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Extra properties, such as `authSchemes`.
    pub properties: BTreeMap<String, apprunner_smithy::Document>,
}

impl Endpoint {
    /// The first `authSchemes` entry named `sigv4`, as its (`signingName`,
    /// `signingRegion`) overrides; `None` when there is no such entry.
    pub fn sigv4_overrides(&self) -> Option<(Option<String>, Option<String>)> {
        let schemes = self.properties.get("authSchemes")?.as_array()?;
        let scheme = schemes
            .iter()
            .find(|scheme| scheme.get("name").and_then(apprunner_smithy::Document::as_str) == Some("sigv4"))?;
        let field = |key: &str| {
            scheme
                .get(key)
                .and_then(apprunner_smithy::Document::as_str)
                .map(str::to_owned)
        };
        Some((field("signingName"), field("signingRegion")))
    }
}

impl From<InvalidRuleSet> for EndpointError {
    fn from(error: InvalidRuleSet) -> Self {
        EndpointError::InvalidRuleSet(error.message().to_owned())
    }
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EndpointError {
    /// An `error` rule matched; displays exactly the rule's message.
    #[error("{0}")]
    RuleError(String),
    /// The rule set is malformed, or failed while being evaluated (a type mismatch).
    #[error("invalid endpoint rule set: {0}")]
    InvalidRuleSet(String),
    /// A `required` parameter has neither a value nor a default.
    #[error("missing required endpoint parameter `{0}`")]
    MissingParameter(String),
    /// A parameter value was given that the rule set does not declare, or of the wrong type.
    #[error("invalid endpoint parameter: {0}")]
    InvalidParameter(String),
    /// No rule matched (at the top level, or within a tree rule whose conditions held).
    #[error("no endpoint rule matched the parameters")]
    NoRuleMatched,
}
