//! Support for the `Deserialize` implementations of generated structures.
//!
//! A derived `Deserialize` carries, per structure, a field-identifier visitor and a
//! `visit_seq` that the awsJson wire form never uses (structures are always JSON
//! objects). Generated structures instead read their members with one shared
//! [`FieldIndex`] seed, so the name lookup is compiled once per deserializer rather
//! than once per structure.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};

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

/// Reads the value of the member `name` into `slot`; a member the object has
/// already given is an error, as in a derived `Deserialize`.
pub fn read_once<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
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

    #[test]
    fn a_member_is_read_once() {
        struct Once(Option<u32>);
        impl<'de> Deserialize<'de> for Once {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Members;
                impl<'de> Visitor<'de> for Members {
                    type Value = Once;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Once, A::Error> {
                        let mut slot = None;
                        while map.next_key_seed(FieldIndex(&["N"]))?.is_some() {
                            read_once(&mut map, &mut slot, "N")?;
                        }
                        Ok(Once(slot))
                    }
                }
                deserializer.deserialize_map(Members)
            }
        }
        assert_eq!(serde_json::from_str::<Once>(r#"{"N": 1}"#).unwrap().0, Some(1));
        let error = serde_json::from_str::<Once>(r#"{"N": 1, "N": 2}"#).err().unwrap();
        assert!(error.to_string().starts_with("duplicate field `N`"), "{error}");
    }
}
