//! Model-independent Smithy data types shared by every generated crate.
//!
//! The generated types crate describes one service; the pieces that mean the same
//! thing in every Smithy model live here instead, written once and tested once:
//!
//! - [`DateTime`], [`Blob`], [`Document`], [`BigInteger`] and [`BigDecimal`]: the
//!   Smithy simple types that have no exact Rust standard-library equivalent,
//!   serialized in the awsJson wire form;
//! - [`json`]: the awsJson wire form, written by [`json::JsonWriter`] and read by
//!   [`json::JsonReader`] for the types that implement [`json::WriteJson`] and
//!   [`json::ReadJson`];
//! - [`validation`]: the [`Validate`] trait and the constraint checks (`@length`,
//!   `@pattern`, `@range`, `@required`) that generated `validate()` methods call;
//! - [`pattern`]: `@pattern` checks, walking automata the code generator compiled;
//! - [`rules`]: endpoint rule sets as data, written out by the code generator or
//!   parsed from the model's JSON (the runtime evaluates them);
//! - [`UnknownVariantValue`]: what a forward-compatible enum keeps for a value it
//!   does not know;
//! - [`idempotency_token`]: fresh UUIDs for `@idempotencyToken` members;
//! - [`REDACTED`]: what `Debug` prints in place of a `@sensitive` value;
//! - [`schema`]: a static description of a model, which generated crates expose
//!   for tools that work from the model at run time (a CLI, a server).

mod blob;
pub mod correction;
mod document;
mod error_metadata;
pub mod json;
mod numbers;
pub mod pattern;
pub mod rules;
pub mod schema;
mod time;
mod token;
pub mod validation;

pub use blob::Blob;
pub use correction::ErrorCorrection;
pub use document::{Document, Unit};
pub use error_metadata::ErrorMetadata;
pub use numbers::{BigDecimal, BigInteger};
pub use time::{DateTime, DateTimeParseError, TimestampFormat};
pub use token::idempotency_token;
pub use validation::{Validate, ValidationError, ValuePath, Violation};

/// Printed by generated `Debug` implementations in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The raw value of an enum variant the generated code does not know.
///
/// Servers add enum values over time; a client built from an older model keeps
/// the value it received (and sends it back unchanged) instead of failing.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// Wraps a raw value. Generated enums call this for values they do not know.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for UnknownVariantValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

/// The raw value of an `intEnum` variant the generated code does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownIntVariantValue(pub i32);
