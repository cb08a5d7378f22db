//! Smithy `bigInteger` and `bigDecimal`, kept as their decimal text so no digit is lost
//! in the types themselves.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! big_number {
    ($name:ident, $what:literal) => {
        #[doc = concat!("An arbitrary-precision ", $what, ", kept as its decimal text.")]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Parses decimal text; `None` if it is not a ", $what, ".")]
            pub fn new(text: &str) -> Option<Self> {
                let number: serde_json::Number = text.trim().parse().ok()?;
                Some(Self(number.to_string()))
            }

            /// Zero.
            pub fn zero() -> Self {
                Self(String::from("0"))
            }

            /// The decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let number: serde_json::Number = self.0.parse().map_err(serde::ser::Error::custom)?;
                number.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let number = serde_json::Number::deserialize(deserializer)?;
                Ok(Self(number.to_string()))
            }
        }
    };
}

big_number!(BigInteger, "integer");
big_number!(BigDecimal, "decimal number");
