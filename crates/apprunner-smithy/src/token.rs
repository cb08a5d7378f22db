//! Idempotency tokens (and any other fresh identifier a client needs per call).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh random UUID (version 4) in its hyphenated lower-case form, for members
/// with the `@idempotencyToken` trait that the caller left unset.
///
/// Tokens must be unique, not secret. The operating system's randomness is read
/// once per process, for a 128-bit seed; each token then mixes the seed with a
/// counter through a bijective 64-bit finalizer, so no two tokens of a process
/// share their random bits and none costs a system call (a call asks for one
/// per request, for its invocation id).
pub fn idempotency_token() -> String {
    static SEED: OnceLock<[u64; 2]> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let [seed_high, seed_low] = *SEED.get_or_init(seed);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let high = mix(seed_high ^ count);
    let low = mix(seed_low.wrapping_add(count.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    text
}

/// The process's seed: OS randomness, or (very unusually, when there is none)
/// the clock and the process id, which still differ between processes.
fn seed() -> [u64; 2] {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        bytes[..8].copy_from_slice(&(now.as_nanos() as u64).to_le_bytes());
        bytes[8..12].copy_from_slice(&std::process::id().to_le_bytes());
    }
    let (high, low) = bytes.split_at(8);
    [
        u64::from_le_bytes(high.try_into().unwrap_or_default()),
        u64::from_le_bytes(low.try_into().unwrap_or_default()),
    ]
}

/// The 64-bit finalizer of MurmurHash3: a bijection that spreads every input bit
/// over the whole output.
fn mix(mut value: u64) -> u64 {
    value ^= value >> 33;
    value = value.wrapping_mul(0xff51_afd7_ed55_8ccd);
    value ^= value >> 33;
    value = value.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    value ^ (value >> 33)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn tokens_are_version_4_uuids_and_differ() {
        let first = super::idempotency_token();
        let second = super::idempotency_token();
        assert_ne!(first, second);
        assert_eq!(first.len(), 36);
        assert_eq!(&first[14..15], "4");
        assert!(matches!(&first[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn many_tokens_are_all_distinct() {
        let tokens: HashSet<String> = (0..100_000).map(|_| super::idempotency_token()).collect();
        assert_eq!(tokens.len(), 100_000);
    }

    #[test]
    fn the_mix_is_not_the_identity() {
        assert_ne!(super::mix(1), 1);
        assert_ne!(super::mix(1), super::mix(2));
    }
}
