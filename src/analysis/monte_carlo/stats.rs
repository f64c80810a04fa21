//! Summary statistics of simulated figures.

use serde::Serialize;

/// Summary statistics of a simulated figure.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// The number of draws the statistics rest on.
    pub draws: u64,
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation (n − 1; 0 for one draw).
    pub sd: f64,
    /// The smallest draw.
    pub min: f64,
    /// The 5th percentile.
    pub p5: f64,
    /// The 25th percentile.
    pub p25: f64,
    /// The median.
    pub p50: f64,
    /// The 75th percentile.
    pub p75: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// The largest draw.
    pub max: f64,
}

/// The percentiles reported, as shares.
const PERCENTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

impl Stats {
    /// Statistics of values; percentiles interpolate linearly between order
    /// statistics (position p · (n − 1), as R's type 7 and numpy's default).
    /// Sums run in the given order, so equal inputs give equal bits. The
    /// order statistics come from selection (O(n)), not a full sort: the same
    /// values a sort gives.
    ///
    /// ```
    /// let s = som::analysis::monte_carlo::Stats::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
    /// assert_eq!((s.mean, s.p50, s.p25, s.min, s.draws), (2.5, 2.5, 1.75, 1.0, 4));
    /// ```
    pub fn of(values: &[f64]) -> Option<Stats> {
        Stats::of_owned(values.to_vec())
    }

    /// [`Stats::of`], reordering the given values in place of a copy.
    pub(crate) fn of_owned(mut values: Vec<f64>) -> Option<Stats> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        // The ranks needed, ascending: min, each percentile's two neighbours, max.
        let mut ranks = vec![0, n - 1];
        for p in PERCENTILES {
            let pos = p * (n - 1) as f64;
            ranks.push(pos.floor() as usize);
            ranks.push(pos.ceil() as usize);
        }
        ranks.sort_unstable();
        ranks.dedup();
        // Select each rank in the part above the previous one.
        let mut selected = Vec::with_capacity(ranks.len());
        let mut start = 0;
        for r in ranks {
            let (_, v, _) = values[start..].select_nth_unstable_by(r - start, f64::total_cmp);
            selected.push((r, *v));
            start = r;
        }
        let value = |rank: usize| {
            selected
                .iter()
                .find(|(r, _)| *r == rank)
                .map_or(f64::NAN, |(_, v)| *v)
        };
        let q = |p: f64| {
            let pos = p * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = pos.ceil() as usize;
            value(lo) + (value(hi) - value(lo)) * (pos - lo as f64)
        };
        Some(Stats {
            draws: n as u64,
            mean,
            sd,
            min: value(0),
            p5: q(PERCENTILES[0]),
            p25: q(PERCENTILES[1]),
            p50: q(PERCENTILES[2]),
            p75: q(PERCENTILES[3]),
            p95: q(PERCENTILES[4]),
            max: value(n - 1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A full sort is the reference for the selected order statistics.
        #[test]
        fn selection_gives_the_order_statistics_of_a_sort(
            values in prop::collection::vec(-1e9f64..1e9, 1..300),
        ) {
            let s = Stats::of(&values).unwrap();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len();
            let q = |p: f64| {
                let pos = p * (n - 1) as f64;
                let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
                sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
            };
            prop_assert_eq!(s.min, sorted[0]);
            prop_assert_eq!(s.max, sorted[n - 1]);
            prop_assert_eq!([s.p5, s.p25, s.p50, s.p75, s.p95], PERCENTILES.map(q));
            prop_assert_eq!(s.draws, n as u64);
        }
    }
}
