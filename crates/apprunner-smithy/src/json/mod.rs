//! The awsJson wire form, read and written without serde's generic layers.
//!
//! Generated types implement [`WriteJson`] and [`ReadJson`]. A structure writes
//! its members in model order straight into a [`JsonWriter`]'s buffer, and reads
//! them from a [`JsonReader`] that walks the text without building a tree. Both
//! ends keep the wire forms Smithy asks for: floats' `"NaN"` and infinities as
//! strings, timestamps as epoch seconds unless a `@timestampFormat` says
//! otherwise, blobs as base64, big numbers with every digit.

mod number;
mod read;
mod scan;
mod write;

pub(crate) use number::is_number;

pub use read::{JsonReadError, JsonReader, ReadJson, corrected, from_slice, read_timestamp};
pub use write::{JsonKey, JsonWriteError, JsonWriter, TimestampAs, WriteJson, to_vec};
