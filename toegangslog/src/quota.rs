//! The per-user limit on person-level reads: at most so many client records shown per minute (a
//! sliding window; a caseload page of 50 rows counts 50, one trajectory 1), so that one account
//! cannot page through the whole register, in few large pages or many small ones. A read beyond
//! it is refused and logged as refused ([`crate::QUOTUM_REGEL`]). Each server counts its own
//! requests: behind a load balancer with N servers a user gets at most N times the limit.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window the limit counts over.
const VENSTER: Duration = Duration::from_secs(60);

/// Counts person-level reads per user.
#[derive(Debug)]
pub struct ReadQuota {
    per_minuut: usize,
    gelezen: Mutex<HashMap<String, Venster>>,
}

/// One user's reads in the last minute: when, and how many records each.
#[derive(Debug, Default)]
struct Venster {
    reads: VecDeque<(Instant, usize)>,
    som: usize,
}

impl ReadQuota {
    /// At most `per_minuut` client records shown per user per minute (0: no limit).
    pub fn new(per_minuut: usize) -> Self {
        Self {
            per_minuut,
            gelezen: Mutex::default(),
        }
    }

    /// The limit (0: none).
    pub fn per_minuut(&self) -> usize {
        self.per_minuut
    }

    /// Counts a read of `aantal` records by `gebruiker` now; `false` (and not counted) if it
    /// would exceed the limit.
    pub fn take(&self, gebruiker: &str, aantal: usize) -> bool {
        self.take_at(gebruiker, aantal, Instant::now())
    }

    /// [`Self::take`] at `nu`.
    pub fn take_at(&self, gebruiker: &str, aantal: usize, nu: Instant) -> bool {
        if self.per_minuut == 0 {
            return true;
        }
        let mut gelezen = self.gelezen.lock().expect("quota");
        if gelezen.len() > 10_000 {
            gelezen.retain(|_, v| {
                v.reads
                    .back()
                    .is_some_and(|(t, _)| nu.duration_since(*t) < VENSTER)
            });
        }
        let v = gelezen.entry(gebruiker.to_owned()).or_default();
        while let Some((t, n)) = v.reads.front().copied()
            && nu.duration_since(t) >= VENSTER
        {
            v.reads.pop_front();
            v.som -= n;
        }
        if v.som + aantal > self.per_minuut {
            return false;
        }
        v.reads.push_back((nu, aantal));
        v.som += aantal;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_the_limit_per_minute_and_others_their_own() {
        let q = ReadQuota::new(100);
        let t0 = Instant::now();
        assert!((0..3).all(|i| q.take_at("a", 30, t0 + Duration::from_secs(i))));
        assert!(
            !q.take_at("a", 11, t0 + Duration::from_secs(10)),
            "101 records in a minute"
        );
        assert!(
            q.take_at("a", 10, t0 + Duration::from_secs(10)),
            "exactly the limit"
        );
        assert!(!q.take_at("a", 1, t0 + Duration::from_secs(20)));
        assert!(
            q.take_at("b", 100, t0 + Duration::from_secs(10)),
            "another user"
        );
        assert!(
            !q.take_at("a", 31, t0 + Duration::from_secs(60)),
            "one read of 30 left the window"
        );
        assert!(q.take_at("a", 30, t0 + Duration::from_secs(60)));
        assert!(
            !q.take_at("a", 101, t0 + Duration::from_secs(600)),
            "one read above the limit"
        );
        assert!(
            ReadQuota::new(0).take_at("a", 1_000, t0),
            "0 means no limit"
        );
    }
}
