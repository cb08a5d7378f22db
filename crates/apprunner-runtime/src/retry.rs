//! The AWS "standard" retry strategy: which failures are worth another attempt,
//! how long to wait before it, and a client-wide retry quota that stops retry
//! storms when a service is failing.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::time::Duration;

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// The service asked the caller to slow down.
    Throttling,
    /// A transient server or network failure.
    Transient,
    /// The attempt ran out of time; costs more of the retry quota.
    Timeout,
}

/// Error codes that mean "slow down", retried with backoff.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "IDPCommunicationError",
];

/// HTTP statuses of transient failures.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Classifies an error response by its code and HTTP status.
pub(crate) fn classify_response(code: Option<&str>, status: u16) -> Option<RetryKind> {
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_CODES.contains(&code) {
            return Some(RetryKind::Transient);
        }
    }
    TRANSIENT_STATUSES.contains(&status).then_some(RetryKind::Transient)
}

/// The wait before the attempt following failed attempt number `attempt` (1-based):
/// `fraction * min(max, base * 2^(attempt - 1))`, `fraction` in `[0, 1)` (the
/// standard strategy's "full jitter").
pub(crate) fn backoff(attempt: u32, base: Duration, max: Duration, fraction: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(31);
    let ceiling = base.saturating_mul(1u32 << exponent).min(max);
    ceiling.mul_f64(fraction.clamp(0.0, 1.0))
}

/// A uniformly distributed number in `[0, 1)` for backoff jitter.
///
/// Jitter needs no cryptographic quality, only independence between clients:
/// the standard library's randomly keyed hasher provides that without a dependency.
pub(crate) fn jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x9e37_79b9_7f4a_7c15);
    // The top 53 bits fill an f64 mantissa exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The standard strategy's retry quota, shared by every call of one client.
///
/// Each retry takes tokens (more after a timeout); a success puts some back. An
/// empty bucket means most recent attempts failed: further retries would only add
/// load to a struggling service, so failures are reported at once instead.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    tokens: Mutex<u32>,
    capacity: u32,
}

impl TokenBucket {
    /// Tokens in a new bucket, and the most it holds.
    pub(crate) const CAPACITY: u32 = 500;
    /// Tokens one retry takes.
    pub(crate) const RETRY_COST: u32 = 5;
    /// Tokens one retry after a timeout takes.
    pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
    /// Tokens a first-attempt success puts back.
    pub(crate) const SUCCESS_REFILL: u32 = 1;

    /// A full bucket of `capacity` tokens.
    pub(crate) fn new(capacity: u32) -> Self {
        Self {
            tokens: Mutex::new(capacity),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // The guarded value is a plain counter: a panic elsewhere cannot leave it torn.
        self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes the tokens for one retry of a failure of `kind`; `None` when the quota
    /// is spent and the failure must be reported instead.
    pub(crate) fn try_acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => Self::TIMEOUT_RETRY_COST,
            RetryKind::Throttling | RetryKind::Transient => Self::RETRY_COST,
        };
        let mut tokens = self.lock();
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// Records a success: `retry_cost` is what the retry that succeeded took
    /// (returned in full), `None` for a first-attempt success.
    pub(crate) fn on_success(&self, retry_cost: Option<u32>) {
        let refill = retry_cost.unwrap_or(Self::SUCCESS_REFILL);
        let mut tokens = self.lock();
        *tokens = tokens.saturating_add(refill).min(self.capacity);
    }

    /// Tokens left.
    pub(crate) fn available(&self) -> u32 {
        *self.lock()
    }
}

impl Default for TokenBucket {
    fn default() -> Self {
        Self::new(Self::CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_codes_and_statuses() {
        assert_eq!(
            classify_response(Some("ThrottlingException"), 400),
            Some(RetryKind::Throttling)
        );
        assert_eq!(classify_response(Some("SlowDown"), 503), Some(RetryKind::Throttling));
        assert_eq!(
            classify_response(Some("RequestTimeout"), 400),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify_response(Some("InternalError"), 400),
            Some(RetryKind::Transient)
        );
        assert_eq!(classify_response(None, 502), Some(RetryKind::Transient));
        assert_eq!(classify_response(Some("Whatever"), 504), Some(RetryKind::Transient));
        assert_eq!(classify_response(Some("InvalidRequestException"), 400), None);
        assert_eq!(classify_response(None, 501), None);
        assert_eq!(classify_response(None, 404), None);
    }

    #[test]
    fn backoff_grows_exponentially_and_caps() {
        const MAX_BACKOFF: Duration = Duration::from_secs(20);
        let base = Duration::from_secs(1);
        let backoff = |attempt, base, fraction| backoff(attempt, base, MAX_BACKOFF, fraction);
        assert_eq!(backoff(1, base, 0.999_999), Duration::from_secs(1).mul_f64(0.999_999));
        assert_eq!(backoff(2, base, 0.5), Duration::from_secs(1));
        assert_eq!(backoff(3, base, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(6, base, 0.5), Duration::from_secs(10));
        assert_eq!(backoff(7, base, 0.5), Duration::from_secs(10), "capped at 20 s");
        assert_eq!(backoff(200, base, 1.0), MAX_BACKOFF);
        assert_eq!(backoff(3, base, 0.0), Duration::ZERO);
        assert_eq!(backoff(2, Duration::from_millis(1), 0.5), Duration::from_millis(1));
    }

    #[test]
    fn jitter_is_in_range_and_varies() {
        let samples: Vec<f64> = (0..64).map(|_| jitter()).collect();
        assert!(samples.iter().all(|x| (0.0..1.0).contains(x)));
        let first = samples[0];
        assert!(samples.iter().any(|x| *x != first), "64 identical samples");
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        assert!((0.2..0.8).contains(&mean), "mean {mean}");
    }

    #[test]
    fn bucket_exhaustion_stops_retries() {
        let bucket = TokenBucket::default();
        let mut retries = 0;
        while bucket.try_acquire(RetryKind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, 100, "500 tokens at 5 a retry");
        assert_eq!(bucket.available(), 0);
        assert_eq!(bucket.try_acquire(RetryKind::Throttling), None);

        // First-attempt successes refill one token each; a retry needs five.
        for _ in 0..4 {
            bucket.on_success(None);
        }
        assert_eq!(bucket.try_acquire(RetryKind::Transient), None);
        bucket.on_success(None);
        assert_eq!(bucket.try_acquire(RetryKind::Transient), Some(5));
    }

    #[test]
    fn timeouts_cost_more_and_successful_retries_return_their_cost() {
        let bucket = TokenBucket::new(12);
        assert_eq!(bucket.try_acquire(RetryKind::Timeout), Some(10));
        assert_eq!(bucket.try_acquire(RetryKind::Timeout), None, "2 left");
        bucket.on_success(Some(10));
        assert_eq!(bucket.available(), 12);
        bucket.on_success(Some(10));
        assert_eq!(bucket.available(), 12, "never above capacity");
    }
}
