//! Display limits: min–max, symmetric percentiles (CARTA/DS9 style), zscale and manual.
//! Everything derives from one [`PlaneSummary`] computed per plane, so changing the mode
//! never re-sorts the plane.

use serde::{Deserialize, Serialize};

use super::histogram::{Histogram, RankHit, SUMMARY_BINS};
use super::{pixels, zscale};
use crate::plane::Plane;

/// How the display limits are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LimitMode {
    /// The smallest and largest finite values.
    MinMax,
    /// The central `p` per cent of the finite pixels, with equal tails on both sides
    /// (99.5 clips the lowest and highest 0.25 %), like CARTA's and DS9's percentile ranks.
    Percentile(f64),
    /// IRAF's zscale, as astropy's `ZScaleInterval` with its defaults.
    ZScale,
    /// Limits given by the user, used as they are.
    Manual(f64, f64),
}

/// Statistics of one plane, computed once and reused by every limit mode and by
/// histogram equalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaneSummary {
    /// Smallest finite value (NaN when the plane has no finite pixel).
    pub min: f64,
    /// Largest finite value (NaN when the plane has no finite pixel).
    pub max: f64,
    /// Number of finite pixels.
    pub finite: u64,
    /// Number of pixels that are NaN or ±Inf (blanked), counted over `width * height`
    /// (pixels missing from a short data vector count as blank).
    pub nan: u64,
    /// [`SUMMARY_BINS`] bins over `[min, max]`.
    pub histogram: Histogram,
}

/// Limits returned when a plane has no finite pixel: a unit range keeps the colour bar
/// meaningful while every pixel is drawn in the NaN colour anyway.
const NO_DATA_LIMITS: (f64, f64) = (0.0, 1.0);

/// A bin holding more than this fraction of the pixels is refined with another pass, so
/// noise-dominated radio images (a narrow peak plus a few bright sources) still get
/// percentiles resolved within the noise.
const REFINE_FRACTION: u64 = 1000;

/// At most this many refinement passes per value: each narrows the bin 65536-fold.
const MAX_REFINEMENTS: usize = 2;

/// Two passes over the plane: extremes and counts, then the histogram between them.
pub fn summarize(plane: &Plane) -> PlaneSummary {
    let values = pixels(plane);
    let (min, max, finite) = extremes(values);
    let (min, max) = if finite == 0 { (f64::NAN, f64::NAN) } else { (f64::from(min), f64::from(max)) };
    let total = (plane.width as u64).saturating_mul(plane.height as u64);
    PlaneSummary {
        min,
        max,
        finite,
        nan: total.saturating_sub(finite),
        histogram: Histogram::of_values(values, min, max, SUMMARY_BINS),
    }
}

/// Smallest and largest finite values and how many values are finite. Kept in `LANES`
/// independent accumulators with branch-free updates, so the loop runs as SIMD; each
/// lane counts at most 2^28 values (planes are at most 1 GiB), within `u32`.
fn extremes(values: &[f32]) -> (f32, f32, u64) {
    const LANES: usize = 16;
    let mut lo = [f32::INFINITY; LANES];
    let mut hi = [f32::NEG_INFINITY; LANES];
    let mut count = [0u32; LANES];
    let blocks = values.chunks_exact(LANES);
    let rest = blocks.remainder();
    for block in blocks {
        for i in 0..LANES {
            let v = block[i];
            let ok = v.is_finite();
            lo[i] = if ok && v < lo[i] { v } else { lo[i] };
            hi[i] = if ok && v > hi[i] { v } else { hi[i] };
            count[i] += u32::from(ok);
        }
    }
    let mut min = lo.iter().copied().fold(f32::INFINITY, f32::min);
    let mut max = hi.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut finite: u64 = count.iter().map(|&c| u64::from(c)).sum();
    for &v in rest.iter().filter(|v| v.is_finite()) {
        min = min.min(v);
        max = max.max(v);
        finite += 1;
    }
    (min, max, finite)
}

/// The display limits `(lo, hi)` for `mode`. Never fails: a plane without finite pixels
/// gets (0, 1), and a manual mode with non-finite values falls back to min–max.
pub fn limits(plane: &Plane, summary: &PlaneSummary, mode: LimitMode) -> (f64, f64) {
    if summary.finite == 0 {
        return NO_DATA_LIMITS;
    }
    match mode {
        LimitMode::MinMax => (summary.min, summary.max),
        LimitMode::Manual(lo, hi) if lo.is_finite() && hi.is_finite() => (lo, hi),
        LimitMode::Manual(..) => (summary.min, summary.max),
        LimitMode::Percentile(p) => {
            let p = if p.is_nan() { 100.0 } else { p.clamp(0.0, 100.0) };
            let tail = (100.0 - p) / 2.0;
            (percentile(plane, summary, tail), percentile(plane, summary, 100.0 - tail))
        }
        LimitMode::ZScale => zscale(plane),
    }
}

/// The `q`-th percentile (0–100) of the finite pixels, with numpy's default linear
/// interpolation between ranks, to within one bin of the summary histogram.
pub fn percentile(plane: &Plane, summary: &PlaneSummary, q: f64) -> f64 {
    if summary.finite == 0 {
        return f64::NAN;
    }
    let last = summary.finite - 1;
    let rank = (q / 100.0).clamp(0.0, 1.0) * last as f64;
    let below = (rank.floor() as u64).min(last);
    let frac = rank - below as f64;
    let a = value_at_rank(plane, summary, below);
    if frac <= 0.0 || below == last {
        return a;
    }
    let b = value_at_rank(plane, summary, below + 1);
    a + frac * (b - a)
}

/// The value of 0-based rank `rank` among the finite pixels, refining crowded bins.
fn value_at_rank(plane: &Plane, summary: &PlaneSummary, rank: u64) -> f64 {
    let crowded = (summary.finite / REFINE_FRACTION).max(1);
    let Some(mut hit) = summary.histogram.locate(rank) else {
        return summary.max;
    };
    let mut best = summary.histogram.estimate(hit, rank);
    let mut hist = None::<Histogram>;
    for _ in 0..MAX_REFINEMENTS {
        if hit.count <= crowded {
            break;
        }
        let current = hist.as_ref().unwrap_or(&summary.histogram);
        let Some((finer, finer_hit)) = refine(plane, current, hit, rank) else {
            break;
        };
        best = finer.estimate(finer_hit, rank);
        hit = finer_hit;
        hist = Some(finer);
    }
    best
}

/// A new histogram over the single bin `hit` of `coarse`, and where `rank` falls in it;
/// `None` when the bin cannot be narrowed or rounding put the rank outside it.
fn refine(plane: &Plane, coarse: &Histogram, hit: RankHit, rank: u64) -> Option<(Histogram, RankHit)> {
    let lo = coarse.edge(hit.bin);
    let hi = (lo + coarse.bin_width()).min(coarse.hi());
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let finer = Histogram::of_values(pixels(plane), lo, hi, SUMMARY_BINS);
    let finer_hit = finer.locate(rank)?;
    Some((finer, finer_hit))
}

#[cfg(test)]
mod tests {
    use super::extremes;

    #[test]
    fn extremes_skip_nan_and_infinities_in_every_lane_and_the_tail() {
        for len in [0usize, 1, 15, 16, 17, 40, 1000] {
            let values: Vec<f32> = (0..len)
                .map(|i| match i % 7 {
                    0 => f32::NAN,
                    1 => f32::INFINITY,
                    2 => f32::NEG_INFINITY,
                    _ => (i as f32 * 0.37).sin() * 100.0,
                })
                .collect();
            let finite: Vec<f32> = values.iter().copied().filter(|v| v.is_finite()).collect();
            let (min, max, count) = extremes(&values);
            assert_eq!(count, finite.len() as u64, "len {len}");
            if !finite.is_empty() {
                assert_eq!(min, finite.iter().copied().fold(f32::INFINITY, f32::min), "len {len}");
                assert_eq!(max, finite.iter().copied().fold(f32::NEG_INFINITY, f32::max), "len {len}");
            }
        }
    }
}
