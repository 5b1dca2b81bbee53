//! When to poll next: soon while things happen, less often while nothing does or
//! relays fail, at once when a relay pushes news.

/// Poll interval with exponential backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    min_ms: u64,
    max_ms: u64,
    current_ms: u64,
}

impl Backoff {
    /// Starts at `min_ms`, doubles up to `max_ms`.
    pub fn new(min_ms: u64, max_ms: u64) -> Self {
        let min_ms = min_ms.max(1);
        Self {
            min_ms,
            max_ms: max_ms.max(min_ms),
            current_ms: min_ms,
        }
    }

    /// The wait before the next poll.
    pub fn delay_ms(&self) -> u64 {
        self.current_ms
    }

    /// A round brought news (or a push arrived): poll soon again.
    pub fn news(&mut self) {
        self.current_ms = self.min_ms;
    }

    /// A round brought nothing, or relays failed: wait longer.
    pub fn quiet(&mut self) {
        self.current_ms = self.current_ms.saturating_mul(2).min(self.max_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_to_the_cap_and_resets_on_news() {
        let mut b = Backoff::new(5_000, 300_000);
        let mut seen = Vec::new();
        for _ in 0..8 {
            seen.push(b.delay_ms());
            b.quiet();
        }
        assert_eq!(
            seen,
            [
                5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000
            ]
        );
        b.news();
        assert_eq!(b.delay_ms(), 5_000);
    }
}
