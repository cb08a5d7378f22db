//! Finding the bytes of a string that JSON treats specially: `"`, `\` and the
//! control characters, which the writer escapes and the reader must stop at.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (read little-endian) that may be special.
///
/// This is the usual "has a zero byte" test, done for `word - 0x20` (control
/// characters) and for `word` xor `"` and xor `\`, with bytes of 0x80 and above
/// excluded by `!word`. A borrow can flag a byte above a special one, but never
/// below, so the lowest flag always marks the first special byte.
fn special_mask(word: u64) -> u64 {
    let control = word.wrapping_sub(ONES * 0x20);
    let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
    let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    (control | quote | backslash) & !word & HIGHS
}

fn is_special(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The position of the first special byte at or after `from`, or `bytes.len()`
/// if there is none. Eight bytes are tested at a time.
#[inline]
pub(crate) fn next_special(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let mask = special_mask(u64::from_le_bytes(word));
        if mask != 0 {
            return at + (mask.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < bytes.len() && !is_special(bytes[at]) {
        at += 1;
    }
    at
}

/// The position of the first special byte in `bytes`, if any.
pub(crate) fn first_special(bytes: &[u8]) -> Option<usize> {
    let at = next_special(bytes, 0);
    (at < bytes.len()).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_special_byte_wherever_it_sits() {
        let specials = [b'"', b'\\', 0x00, 0x0a, 0x1f];
        for length in 0..20 {
            for at in 0..length {
                for special in specials {
                    // Bytes that look close to the specials, and non-ASCII ones.
                    let mut bytes: Vec<u8> = (0..length)
                        .map(|i| [b'a', 0x20, 0x21, 0x23, 0x5d, 0x7f, 0x80, 0xff][i % 8])
                        .collect();
                    bytes[at] = special;
                    if at + 1 < length {
                        bytes[at + 1] = b'"';
                    }
                    assert_eq!(first_special(&bytes), Some(at), "{bytes:?}");
                }
            }
            let plain: Vec<u8> = (0..length).map(|i| [b'a', 0x20, 0x7f, 0xc3, 0xa9][i % 5]).collect();
            assert_eq!(first_special(&plain), None, "{plain:?}");
            assert_eq!(next_special(&plain, 0), length);
        }
    }
}
