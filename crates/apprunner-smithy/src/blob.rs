//! Smithy `blob`: bytes, base64-encoded on the JSON wire.

use std::fmt;

/// Binary data. On the awsJson wire it is a base64 string (standard alphabet, padded).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Takes the bytes out.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// The bytes in standard, padded base64.
    pub fn to_base64(&self) -> String {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for chunk in self.0.chunks(3) {
            let word = (u32::from(chunk[0]) << 16)
                | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
                | u32::from(*chunk.get(2).unwrap_or(&0));
            for index in 0..4 {
                if index <= chunk.len() {
                    out.push(ALPHABET[(word >> (18 - 6 * index) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Decodes standard base64 (padding optional, ASCII whitespace ignored).
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
        let mut word = 0u32;
        let mut bits = 0;
        let mut padding = 0;
        for (position, character) in text.bytes().enumerate() {
            let value = match character {
                b'A'..=b'Z' => character - b'A',
                b'a'..=b'z' => character - b'a' + 26,
                b'0'..=b'9' => character - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => {
                    padding += 1;
                    continue;
                }
                b' ' | b'\n' | b'\r' | b'\t' => continue,
                _ => {
                    return Err(format!(
                        "invalid base64 character {:?} at offset {position}",
                        character as char
                    ));
                }
            };
            if padding > 0 {
                return Err(format!("base64 data continues after padding at offset {position}"));
            }
            word = (word << 6) | u32::from(value);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                bytes.push((word >> bits) as u8);
                word &= (1 << bits) - 1;
            }
        }
        if bits >= 6 || padding > 2 {
            return Err("base64 data has a truncated final group".to_owned());
        }
        Ok(Self(bytes))
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Blob;

    #[test]
    fn base64_round_trips_every_tail_length() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let blob = Blob::new(text.as_bytes());
            let encoded = blob.to_base64();
            assert_eq!(Blob::from_base64(&encoded).unwrap(), blob, "{encoded}");
        }
        assert_eq!(Blob::new("foobar").to_base64(), "Zm9vYmFy");
        assert_eq!(Blob::new("fo").to_base64(), "Zm8=");
        assert!(Blob::from_base64("Zm9v!").is_err());
        assert!(Blob::from_base64("Z").is_err());
    }
}
