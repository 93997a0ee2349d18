//! The retry schedule: exponential back-off with jitter from the injected entropy, up to a maximum
//! number of attempts. The library computes when; the host sends.

use jiff::SignedDuration;

use super::CallbackError;
use crate::entropy::Entropy;

/// How a delivery attempt ended, from the receiver's HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// 2xx: done.
    Delivered,
    /// Try again later (network error, 5xx, 408, 429 and other non-2xx).
    Retry,
    /// 410 Gone: the endpoint asks never to be called again.
    GiveUp,
}

impl AttemptOutcome {
    /// Classifies an HTTP status; `None` stands for a network error or timeout.
    pub fn from_status(status: Option<u16>) -> Self {
        match status {
            Some(200..=299) => Self::Delivered,
            Some(410) => Self::GiveUp,
            _ => Self::Retry,
        }
    }
}

/// Back-off policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included: 1 to 50.
    pub max_attempts: u32,
    /// Delay before the second attempt (before jitter): 1 s to 1 h.
    pub initial_delay: SignedDuration,
    /// Growth per attempt: 1 to 10.
    pub multiplier: u32,
    /// Largest delay (before jitter): at least `initial_delay`, at most 7 days.
    pub max_delay: SignedDuration,
}

impl Default for RetryPolicy {
    /// 8 attempts: after about 5 s, 10 s, 20 s, 40 s, 80 s, 160 s and 320 s (each jittered
    /// between half and all of it).
    fn default() -> Self {
        Self {
            max_attempts: 8,
            initial_delay: SignedDuration::from_secs(5),
            multiplier: 2,
            max_delay: SignedDuration::from_hours(1),
        }
    }
}

impl RetryPolicy {
    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), CallbackError> {
        if !(1..=50).contains(&self.max_attempts) {
            return Err(CallbackError::InvalidPolicy("max_attempts must be 1 to 50"));
        }
        if self.initial_delay < SignedDuration::from_secs(1)
            || self.initial_delay > SignedDuration::from_hours(1)
        {
            return Err(CallbackError::InvalidPolicy(
                "initial_delay must be 1 s to 1 h",
            ));
        }
        if !(1..=10).contains(&self.multiplier) {
            return Err(CallbackError::InvalidPolicy("multiplier must be 1 to 10"));
        }
        if self.max_delay < self.initial_delay || self.max_delay > SignedDuration::from_hours(168) {
            return Err(CallbackError::InvalidPolicy(
                "max_delay must be at least initial_delay and at most 7 days",
            ));
        }
        Ok(())
    }

    /// The wait after failed attempt `attempt` (1-based) before the next, or `None` when no attempt
    /// is left. "Equal jitter": half the exponential delay plus a uniform random share of the other
    /// half, at millisecond resolution, so retries of many sessions spread out.
    pub fn delay_after(
        &self,
        attempt: u32,
        entropy: &dyn Entropy,
    ) -> Result<Option<SignedDuration>, CallbackError> {
        self.validate()?;
        if attempt == 0 || attempt >= self.max_attempts {
            return Ok(None);
        }
        let initial = duration_ms(self.initial_delay);
        let cap = duration_ms(self.max_delay);
        let growth = u64::from(self.multiplier).saturating_pow(attempt - 1);
        let base = initial.saturating_mul(growth).min(cap);
        let half = base / 2;
        let mut bytes = [0u8; 8];
        entropy.fill(&mut bytes);
        let jitter = u64::from_le_bytes(bytes) % (base - half + 1);
        let ms = half.saturating_add(jitter);
        Ok(Some(SignedDuration::from_millis(
            i64::try_from(ms).unwrap_or(i64::MAX),
        )))
    }

    /// The whole schedule: the waits before attempts 2 to `max_attempts`.
    pub fn schedule(&self, entropy: &dyn Entropy) -> Result<Vec<SignedDuration>, CallbackError> {
        let mut out = Vec::new();
        for attempt in 1..self.max_attempts {
            if let Some(d) = self.delay_after(attempt, entropy)? {
                out.push(d);
            }
        }
        Ok(out)
    }
}

fn duration_ms(d: SignedDuration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entropy::SeededEntropy;

    #[test]
    fn schedule_grows_within_jitter_bounds_and_stops() {
        let policy = RetryPolicy::default();
        let e = SeededEntropy::from_u64(1);
        let schedule = policy.schedule(&e).unwrap();
        assert_eq!(schedule.len(), 7);
        for (i, d) in schedule.iter().enumerate() {
            let base = 5_000i64 * (1 << i);
            let ms = i64::try_from(d.as_millis()).unwrap();
            assert!(
                ms >= base / 2 && ms <= base,
                "attempt {}: {ms} vs {base}",
                i + 1
            );
        }
        assert_eq!(policy.delay_after(8, &e).unwrap(), None);
        // Same seed, same schedule.
        assert_eq!(
            schedule,
            policy.schedule(&SeededEntropy::from_u64(1)).unwrap()
        );
    }

    #[test]
    fn cap_and_invalid_policies() {
        let policy = RetryPolicy {
            max_attempts: 50,
            max_delay: SignedDuration::from_secs(60),
            ..RetryPolicy::default()
        };
        let e = SeededEntropy::from_u64(2);
        let last = policy.delay_after(49, &e).unwrap().unwrap();
        assert!(last <= SignedDuration::from_secs(60) && last >= SignedDuration::from_secs(30));
        let bad = RetryPolicy {
            max_attempts: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(
            bad.delay_after(1, &e).unwrap_err().code(),
            "callback.invalid_policy"
        );
        assert_eq!(
            AttemptOutcome::from_status(Some(204)),
            AttemptOutcome::Delivered
        );
        assert_eq!(
            AttemptOutcome::from_status(Some(410)),
            AttemptOutcome::GiveUp
        );
        assert_eq!(AttemptOutcome::from_status(None), AttemptOutcome::Retry);
        assert_eq!(
            AttemptOutcome::from_status(Some(503)),
            AttemptOutcome::Retry
        );
    }
}
