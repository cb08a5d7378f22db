//! Support for the `Deserialize` implementations of generated structures.
//!
//! A derived `Deserialize` carries, per structure, a field-identifier visitor and a
//! `visit_seq` that the awsJson wire form never uses (structures are always JSON
//! objects). Generated structures instead read their members with one shared
//! [`FieldIndex`] seed, so the name lookup is compiled once per deserializer rather
//! than once per structure.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// Deserializes a map key into the position of that name in a structure's member
/// names (aliases come after the members); `None` for a name the structure does not
/// know, whose value the caller then skips.
#[derive(Clone, Copy, Debug)]
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(index).ok().filter(|&index| index < self.0.len()))
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|known| *known == name))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|known| known.as_bytes() == name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_positions() {
        let names = FieldIndex(&["Name", "Tags", "message"]);
        let key = |json: &str| {
            names
                .deserialize(&mut serde_json::Deserializer::from_str(json))
                .unwrap()
        };
        assert_eq!(key(r#""Name""#), Some(0));
        assert_eq!(key(r#""message""#), Some(2));
        assert_eq!(key(r#""Na\u006de""#), Some(0));
        assert_eq!(key(r#""Other""#), None);
    }
}
