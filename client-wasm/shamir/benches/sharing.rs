//! Sharing throughput: ours (best kernel and the portable one) against `sharks` and
//! `blahaj`, split and combine, at 64 B … 1 MiB and (n, k) = (3, 2), (5, 3), (10, 3).
//! Prints a markdown table; `scripts/bench-sharing.sh` puts it into docs/benchmarks.md.
//! A measurement, never a pass/fail test. Bounded: each cell runs for about 0.2 s.

// The oracles are native dev-dependencies; the wasm numbers come from client-wasm/bench.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use gfms_shamir::{Kernel, Share, combine_with, split_with};

    const SIZES: [(usize, &str); 4] = [
        (64, "64 B"),
        (1024, "1 KiB"),
        (64 * 1024, "64 KiB"),
        (1024 * 1024, "1 MiB"),
    ];
    const PARAMS: [(u8, u8); 3] = [(3, 2), (5, 3), (10, 3)];
    const BUDGET: Duration = Duration::from_millis(200);

    /// Seconds per operation of `f`, run until the budget is spent (at least twice).
    fn time(mut f: impl FnMut()) -> f64 {
        f(); // warm up
        let start = Instant::now();
        let mut runs = 0u32;
        while runs < 2 || start.elapsed() < BUDGET {
            f();
            runs += 1;
        }
        start.elapsed().as_secs_f64() / f64::from(runs)
    }

    fn mibs(bytes: usize, secs: f64) -> f64 {
        bytes as f64 / secs / (1024.0 * 1024.0)
    }

    fn getrandom_fill(buf: &mut [u8]) -> Result<(), gfms_shamir::Error> {
        getrandom::fill(buf).map_err(|_| gfms_shamir::Error::Rng)
    }

    pub fn main() {
        let kernels = Kernel::available();
        let best = kernels.last().copied().unwrap_or_else(Kernel::portable);
        println!(
            "| size | n, k | op | ours ({}) MiB/s | ours (swar) MiB/s | sharks MiB/s | blahaj MiB/s | ours ÷ sharks | ours ÷ blahaj |",
            best.name()
        );
        println!("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (size, label) in SIZES {
            let secret: Vec<u8> = (0..size).map(|i| (i * 7 + 3) as u8).collect();
            for (n, k) in PARAMS {
                // split
                let ours = time(|| {
                    black_box(gfms_shamir::split(black_box(&secret), k, n).ok());
                });
                let swar = time(|| {
                    black_box(
                        split_with(
                            Kernel::portable(),
                            black_box(&secret),
                            k,
                            n,
                            &mut getrandom_fill,
                        )
                        .ok(),
                    );
                });
                let os_rng = time(|| {
                    let mut coefficients = vec![0u8; (usize::from(k) - 1) * size];
                    black_box(getrandom_fill(&mut coefficients).ok());
                });
                let sharks_t = time(|| {
                    black_box(
                        sharks::Sharks(k)
                            .dealer(black_box(&secret))
                            .take(usize::from(n))
                            .count(),
                    );
                });
                let blahaj_t = time(|| {
                    black_box(
                        blahaj::Sharks(k)
                            .dealer(black_box(&secret))
                            .take(usize::from(n))
                            .count(),
                    );
                });
                row(label, n, k, "split", size, ours, swar, sharks_t, blahaj_t);
                if size == 1024 * 1024 && (n, k) == (3, 2) {
                    eprintln!(
                        "os-rng: {:.0} MiB/s for the coefficients of a 1 MiB (3, 2) split",
                        mibs(size, os_rng)
                    );
                }

                // combine (k shares)
                let shares: Vec<Share> = split_with(best, &secret, k, n, &mut getrandom_fill)
                    .unwrap_or_default()
                    .into_iter()
                    .take(usize::from(k))
                    .collect();
                let theirs: Vec<sharks::Share> = shares
                    .iter()
                    .filter_map(|s| sharks::Share::try_from(s.to_bytes().as_slice()).ok())
                    .collect();
                let theirs_b: Vec<blahaj::Share> = shares
                    .iter()
                    .filter_map(|s| blahaj::Share::try_from(s.to_bytes().as_slice()).ok())
                    .collect();
                let ours = time(|| {
                    black_box(combine_with(best, black_box(&shares)).ok());
                });
                let swar = time(|| {
                    black_box(combine_with(Kernel::portable(), black_box(&shares)).ok());
                });
                let sharks_t = time(|| {
                    black_box(sharks::Sharks(k).recover(black_box(&theirs)).ok());
                });
                let blahaj_t = time(|| {
                    black_box(blahaj::Sharks(k).recover(black_box(&theirs_b)).ok());
                });
                row(label, n, k, "combine", size, ours, swar, sharks_t, blahaj_t);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        label: &str,
        n: u8,
        k: u8,
        op: &str,
        size: usize,
        ours: f64,
        swar: f64,
        sharks_t: f64,
        blahaj_t: f64,
    ) {
        println!(
            "| {label} | {n}, {k} | {op} | {:.0} | {:.0} | {:.1} | {:.1} | {:.0}× | {:.0}× |",
            mibs(size, ours),
            mibs(size, swar),
            mibs(size, sharks_t),
            mibs(size, blahaj_t),
            sharks_t / ours,
            blahaj_t / ours
        );
    }
}
