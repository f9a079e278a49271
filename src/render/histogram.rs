//! Fine histograms of pixel values: percentile limits without sorting the plane, and the
//! cumulative distribution behind histogram equalisation.

/// Bins of the per-plane histogram: percentiles land within 1/65536 of the data range, and
/// the counts (512 KiB) are cheap to keep per plane.
pub const SUMMARY_BINS: usize = 65_536;

/// Counts of finite values in equal bins over `[lo, hi]`, plus the finite values below `lo`
/// (non-zero only for refinement histograms over part of the range).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    lo: f64,
    hi: f64,
    counts: Vec<u64>,
    below: u64,
    inside: u64,
    /// Smallest and largest value counted inside: an estimate never leaves them, so a bin of
    /// identical values (a plane of many zeros) gives that value exactly.
    least: f64,
    most: f64,
}

/// Where a rank falls: the bin, the finite values before it and the values in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RankHit {
    pub bin: usize,
    pub before: u64,
    pub count: u64,
}

impl Histogram {
    /// Counts the finite values of `values` in `bins` bins over `[lo, hi]`; values above `hi`
    /// are ignored. A degenerate range (`lo == hi`) puts everything equal to `lo` in bin 0.
    pub fn of_values(values: &[f32], lo: f64, hi: f64, bins: usize) -> Histogram {
        let bins = bins.max(1);
        let mut counts = vec![0u64; bins];
        let span = hi - lo;
        let scale = if span > 0.0 && span.is_finite() { bins as f64 / span } else { 0.0 };
        let last = bins - 1;
        let mut below = 0u64;
        let mut inside = 0u64;
        let (mut least, mut most) = (f64::INFINITY, f64::NEG_INFINITY);
        // One comparison pair per value on the common path (NaN fails both).
        for &v in values {
            let v = f64::from(v);
            if v >= lo && v <= hi {
                let bin = (((v - lo) * scale) as usize).min(last);
                if let Some(c) = counts.get_mut(bin) {
                    *c += 1;
                    inside += 1;
                    least = least.min(v);
                    most = most.max(v);
                }
            } else if v < lo && v.is_finite() {
                below += 1;
            }
        }
        Histogram { lo, hi, counts, below, inside, least, most }
    }

    /// Lower edge of the range.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// Upper edge of the range.
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// The counts per bin, lowest values first.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Width of one bin (0 for a degenerate range).
    pub fn bin_width(&self) -> f64 {
        (self.hi - self.lo) / self.counts.len().max(1) as f64
    }

    /// The counts merged into `bins` coarser bins (for drawing the histogram in the UI).
    pub fn rebinned(&self, bins: usize) -> Vec<u64> {
        let bins = bins.clamp(1, self.counts.len().max(1));
        let mut out = vec![0u64; bins];
        let n = self.counts.len();
        for (i, &c) in self.counts.iter().enumerate() {
            if let Some(slot) = out.get_mut(i * bins / n) {
                *slot += c;
            }
        }
        out
    }

    /// Lower edge of bin `bin`.
    pub(crate) fn edge(&self, bin: usize) -> f64 {
        self.lo + bin as f64 * self.bin_width()
    }

    /// The bin holding the value of 0-based rank `rank` among all finite values counted
    /// (including those below the range), or `None` when the rank is outside this histogram.
    pub(crate) fn locate(&self, rank: u64) -> Option<RankHit> {
        let mut before = self.below;
        if rank < before {
            return None;
        }
        for (bin, &count) in self.counts.iter().enumerate() {
            if rank < before + count {
                return Some(RankHit { bin, before, count });
            }
            before += count;
        }
        None
    }

    /// Estimate of the value of rank `rank` inside its bin, assuming the values of the bin
    /// are spread evenly: always within one bin width of the true value.
    pub(crate) fn estimate(&self, hit: RankHit, rank: u64) -> f64 {
        let within = (rank.saturating_sub(hit.before) as f64 + 0.5) / hit.count.max(1) as f64;
        let estimate = (self.edge(hit.bin) + within * self.bin_width()).min(self.hi);
        if self.least <= self.most {
            estimate.clamp(self.least, self.most)
        } else {
            estimate
        }
    }

    /// Finite values counted at or below `v` (values in a bin counted pro rata).
    fn cumulative_at(&self, v: f64, walker: &mut CdfWalker) -> f64 {
        if v.is_nan() || v < self.lo {
            return self.below as f64;
        }
        if v >= self.hi {
            return (self.below + self.inside) as f64;
        }
        let width = self.bin_width();
        let target =
            if width > 0.0 { (((v - self.lo) / width) as usize).min(self.counts.len().saturating_sub(1)) } else { 0 };
        while walker.bin < target {
            walker.before += self.counts.get(walker.bin).copied().unwrap_or(0);
            walker.bin += 1;
        }
        let count = self.counts.get(walker.bin).copied().unwrap_or(0) as f64;
        let frac = if width > 0.0 { ((v - self.edge(walker.bin)) / width).clamp(0.0, 1.0) } else { 1.0 };
        (self.below + walker.before) as f64 + frac * count
    }

    /// The cumulative distribution at `values` (which must be non-decreasing), written to
    /// `out`: one walk over the bins, no allocation.
    pub(crate) fn cumulative_sorted(&self, values: impl Iterator<Item = f64>, out: &mut [f64]) {
        let mut walker = CdfWalker { bin: 0, before: 0 };
        for (slot, v) in out.iter_mut().zip(values) {
            *slot = self.cumulative_at(v, &mut walker);
        }
    }
}

/// Position of a walk over the bins in increasing value order.
struct CdfWalker {
    bin: usize,
    before: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_bins_and_ignores_non_finite() {
        let h = Histogram::of_values(&[0.0, 0.5, 1.0, f32::NAN, f32::INFINITY, -1.0], 0.0, 1.0, 2);
        assert_eq!(h.counts(), &[1, 2]);
        assert_eq!(h.below, 1);
        assert_eq!(h.locate(0), None);
        assert_eq!(h.locate(1), Some(RankHit { bin: 0, before: 1, count: 1 }));
        assert_eq!(h.locate(3), Some(RankHit { bin: 1, before: 2, count: 2 }));
        assert_eq!(h.locate(4), None);
    }

    #[test]
    fn cumulative_interpolates_within_bins() {
        let h = Histogram::of_values(&[0.1, 0.3, 0.6, 0.9], 0.0, 1.0, 2);
        let mut out = [0.0; 4];
        h.cumulative_sorted([-1.0, 0.25, 0.5, 2.0].into_iter(), &mut out);
        assert_eq!(out, [0.0, 1.0, 2.0, 4.0]);
    }

    #[test]
    fn rebinning_keeps_the_total() {
        let values: Vec<f32> = (0..1000).map(|i| i as f32).collect();
        let h = Histogram::of_values(&values, 0.0, 999.0, SUMMARY_BINS);
        let coarse = h.rebinned(10);
        assert_eq!(coarse.len(), 10);
        assert_eq!(coarse.iter().sum::<u64>(), 1000);
    }
}
