//! The awsJson wire form, read and written without serde's generic layers.
//!
//! Generated types implement [`WriteJson`]: each structure writes its members in
//! model order straight into a [`JsonWriter`]'s buffer, with the wire forms Smithy
//! asks for (floats' `"NaN"` and infinities as strings, timestamps as epoch
//! seconds unless a `@timestampFormat` says otherwise, blobs as base64).

mod number;
mod write;

pub(crate) use number::is_number;

pub use write::{JsonKey, JsonWriteError, JsonWriter, TimestampAs, WriteJson, to_vec};
