//! The workspace's end-to-end tests: one binary, one module per concern.
//!
//! - [`page_examples`]: the CLI reference page's examples read and written by the types;
//! - [`wire`]: details of the awsJson wire form (timestamps, unknown members and enum values);
//! - [`validation`]: constraint checks and required members, with member paths;
//! - [`redaction`]: `Debug` never prints `@sensitive` values;
//! - [`client`]: the client against a loopback server ([`support`]);
//! - [`endpoint`]: the generated endpoint rule set against the model's.

mod client;
mod endpoint;
mod page_examples;
mod redaction;
mod support;
mod validation;
mod wire;
