//! Smithy `bigInteger` and `bigDecimal`, kept as their decimal text so no digit is lost
//! in the types themselves.

macro_rules! big_number {
    ($name:ident, $what:literal, $integer_only:literal) => {
        #[doc = concat!("An arbitrary-precision ", $what, ", kept as its decimal text.")]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Parses decimal text; `None` if it is not a ", $what, ".")]
            ///
            /// The text is kept as given (surrounding whitespace aside), so no
            /// digit is lost however long it is.
            pub fn new(text: &str) -> Option<Self> {
                let text = text.trim();
                crate::json::is_number(text, $integer_only).then(|| Self(text.to_owned()))
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
    };
}

big_number!(BigInteger, "integer", true);
big_number!(BigDecimal, "decimal number", false);
