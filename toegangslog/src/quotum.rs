//! The per-user limit on person-level reads: at most so many reads of person-level data per
//! minute (a sliding window), so that one account cannot page through the whole register. A read
//! beyond it is refused and logged as refused ([`crate::QUOTUM_REGEL`]). Each server counts its
//! own requests: behind a load balancer with N servers a user gets at most N times the limit.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window the limit counts over.
const VENSTER: Duration = Duration::from_secs(60);

/// Counts person-level reads per user.
#[derive(Debug)]
pub struct Quotum {
    per_minuut: usize,
    gelezen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Quotum {
    /// At most `per_minuut` person-level reads per user per minute (0: no limit).
    pub fn nieuw(per_minuut: usize) -> Self {
        Self {
            per_minuut,
            gelezen: Mutex::default(),
        }
    }

    /// The limit (0: none).
    pub fn per_minuut(&self) -> usize {
        self.per_minuut
    }

    /// Counts a read by `gebruiker` now; `false` (and not counted) if it would exceed the limit.
    pub fn neem(&self, gebruiker: &str) -> bool {
        self.neem_op(gebruiker, Instant::now())
    }

    /// [`Self::neem`] at `nu`.
    pub fn neem_op(&self, gebruiker: &str, nu: Instant) -> bool {
        if self.per_minuut == 0 {
            return true;
        }
        let mut gelezen = self.gelezen.lock().expect("quota");
        if gelezen.len() > 10_000 {
            gelezen.retain(|_, r| r.back().is_some_and(|t| nu.duration_since(*t) < VENSTER));
        }
        let reads = gelezen.entry(gebruiker.to_owned()).or_default();
        while reads
            .front()
            .is_some_and(|t| nu.duration_since(*t) >= VENSTER)
        {
            reads.pop_front();
        }
        if reads.len() >= self.per_minuut {
            return false;
        }
        reads.push_back(nu);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_the_limit_per_minute_and_others_their_own() {
        let q = Quotum::nieuw(3);
        let t0 = Instant::now();
        assert!((0..3).all(|i| q.neem_op("a", t0 + Duration::from_secs(i))));
        assert!(
            !q.neem_op("a", t0 + Duration::from_secs(10)),
            "fourth in a minute"
        );
        assert!(q.neem_op("b", t0 + Duration::from_secs(10)), "another user");
        assert!(!q.neem_op("a", t0 + Duration::from_secs(59)));
        assert!(
            q.neem_op("a", t0 + Duration::from_secs(60)),
            "the first left the window"
        );
        assert!(Quotum::nieuw(0).neem_op("a", t0), "0 means no limit");
    }
}
