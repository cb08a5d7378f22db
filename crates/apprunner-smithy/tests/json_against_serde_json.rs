//! The client's JSON reader and writer against an independent implementation,
//! `serde_json`, on many generated documents and on broken copies of them.

use apprunner_smithy::Document;
use apprunner_smithy::json::{from_slice, to_vec};
use serde_json::Value;

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

const CHARACTERS: &[char] = &[
    'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u{0}', '\u{1f}', '\u{7f}', 'é', '✓', '𝄞', '\u{2028}',
];

fn string(random: &mut Random) -> String {
    (0..random.below(12))
        .map(|_| CHARACTERS[random.below(CHARACTERS.len() as u64) as usize])
        .collect()
}

fn value(random: &mut Random, depth: u32) -> Value {
    let kinds = if depth >= 4 { 5 } else { 7 };
    match random.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(random.below(2) == 1),
        2 => Value::from(random.next() as i64 >> random.below(64)),
        3 => {
            let float = f64::from_bits(random.next());
            if float.is_finite() {
                Value::from(float)
            } else {
                Value::from(0.5)
            }
        }
        4 => Value::String(string(random)),
        5 => Value::Array((0..random.below(5)).map(|_| value(random, depth + 1)).collect()),
        _ => Value::Object(
            (0..random.below(5))
                .map(|_| (string(random), value(random, depth + 1)))
                .collect(),
        ),
    }
}

#[test]
fn generated_documents_read_and_write_as_serde_json_does() {
    let mut random = Random(0x5eed_1234_abcd_0001);
    for round in 0..3_000 {
        let original = value(&mut random, 0);
        // Compact text round-trips byte for byte: the same escapes, the same member
        // order (both sort object keys), and number text kept as written.
        let compact = serde_json::to_string(&original).unwrap();
        let document: Document =
            from_slice(compact.as_bytes()).unwrap_or_else(|error| panic!("{round}: {error}\n{compact}"));
        assert_eq!(
            String::from_utf8(to_vec(&document).unwrap()).unwrap(),
            compact,
            "round {round}"
        );
        // Whitespace between tokens changes nothing.
        let pretty = serde_json::to_string_pretty(&original).unwrap();
        let from_pretty: Document =
            from_slice(pretty.as_bytes()).unwrap_or_else(|error| panic!("{round}: {error}\n{pretty}"));
        assert_eq!(from_pretty, document, "round {round}");
    }
}

#[test]
fn broken_documents_are_rejected_as_serde_json_rejects_them() {
    let mut random = Random(0x0bad_cafe_0000_0002);
    let mut rejected = 0;
    for round in 0..5_000 {
        let mut bytes = serde_json::to_vec(&value(&mut random, 0)).unwrap();
        // One random edit: a byte replaced, removed or inserted.
        let at = random.below(bytes.len() as u64 + 1) as usize;
        let byte = b"{}[]\":,\\ 0-.eE+tfnu\x01\xff"[random.below(21) as usize];
        match random.below(3) {
            0 if at < bytes.len() => bytes[at] = byte,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
        let ours = from_slice::<Document>(&bytes);
        let theirs = serde_json::from_slice::<Value>(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        match (&ours, &theirs) {
            (Ok(_), Ok(_)) => {}
            (Err(_), Err(_)) => rejected += 1,
            // Numbers beyond `f64` are `serde_json`'s limit, not JSON's: documents keep their text.
            (Ok(_), Err(error)) if error.to_string().contains("number out of range") => {}
            _ => panic!("round {round}: ours {ours:?}, serde_json {theirs:?}\n{text}"),
        }
    }
    assert!(rejected > 2_000, "most edits break the text; only {rejected} did");
}
