//! The JSON number grammar, scanned without converting: big numbers keep every
//! digit, and the reader knows where a number ends before it converts it.

/// What a scanned number looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NumberText {
    /// How many bytes the number takes.
    pub(crate) len: usize,
    /// Whether it has no fraction and no exponent.
    pub(crate) integer: bool,
}

/// Scans the JSON number at the start of `bytes`: `-`? then `0` or a digit run not
/// starting with `0`, then an optional `.digits` and an optional `e`/`E`, sign,
/// digits. `None` when `bytes` does not start with one.
pub(crate) fn scan(bytes: &[u8]) -> Option<NumberText> {
    let digits_from = |at: usize| {
        bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    match bytes.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => at += digits_from(at),
        _ => return None,
    }
    let mut integer = true;
    if bytes.get(at) == Some(&b'.') {
        let run = digits_from(at + 1);
        if run == 0 {
            return None;
        }
        at += 1 + run;
        integer = false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let run = digits_from(at);
        if run == 0 {
            return None;
        }
        at += run;
        integer = false;
    }
    Some(NumberText { len: at, integer })
}

/// Whether all of `text` is one JSON number (an integer, if `integer_only`).
pub(crate) fn is_number(text: &str, integer_only: bool) -> bool {
    scan(text.as_bytes()).is_some_and(|number| number.len == text.len() && (number.integer || !integer_only))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_is_json_s() {
        for good in [
            "0",
            "-0",
            "7",
            "-12",
            "1.5",
            "0.25",
            "1e9",
            "1E+9",
            "2.5e-3",
            "123456789012345678901234567890",
        ] {
            assert!(is_number(good, false), "{good}");
        }
        for bad in [
            "", "-", "01", "+1", "1.", ".5", "1e", "1e+", "0x10", "1 ", "NaN", "Infinity", "--1",
        ] {
            assert!(!is_number(bad, false), "{bad}");
        }
        assert!(is_number("-42", true));
        assert!(!is_number("4.2", true));
        assert!(!is_number("4e2", true));
        assert_eq!(scan(b"12,").map(|n| n.len), Some(2));
        assert_eq!(scan(b"1.5e3}").map(|n| (n.len, n.integer)), Some((5, false)));
    }
}
