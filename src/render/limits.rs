//! Display limits: min–max, symmetric percentiles (CARTA/DS9 style), zscale and manual.
//! Everything derives from one [`PlaneSummary`] computed per plane, so changing the mode
//! never re-sorts the plane.

use serde::{Deserialize, Serialize};

use super::histogram::Histogram;
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
    /// The finite values (and the blanks, apart) counted per key bin: exact percentiles
    /// with one more pass, and the cumulative distribution for histogram equalisation.
    pub histogram: Histogram,
}

/// Limits returned when a plane has no finite pixel: a unit range keeps the colour bar
/// meaningful while every pixel is drawn in the NaN colour anyway.
const NO_DATA_LIMITS: (f64, f64) = (0.0, 1.0);

/// One pass over the plane: extremes, counts and the histogram.
pub fn summarize(plane: &Plane) -> PlaneSummary {
    let mut builder = SummaryBuilder::new();
    builder.add(pixels(plane));
    builder.finish((plane.width as u64).saturating_mul(plane.height as u64))
}

/// A [`PlaneSummary`] built from a plane's values in order, slice by slice: the worker
/// feeds it each slice of a plane as it is decoded, so the summary is ready when the last
/// byte has been read.
#[derive(Debug, Clone)]
pub struct SummaryBuilder {
    min: f32,
    max: f32,
    finite: u64,
    histogram: Histogram,
}

impl Default for SummaryBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SummaryBuilder {
    pub fn new() -> Self {
        SummaryBuilder { min: f32::INFINITY, max: f32::NEG_INFINITY, finite: 0, histogram: Histogram::default() }
    }

    /// Counts the next values of the plane.
    pub fn add(&mut self, values: &[f32]) {
        let (min, max, finite) = extremes(values);
        self.min = self.min.min(min);
        self.max = self.max.max(max);
        self.finite += finite;
        self.histogram.add(values);
    }

    /// The summary of a plane of `pixels` pixels (those never added count as blank).
    pub fn finish(self, pixels: u64) -> PlaneSummary {
        let (min, max) =
            if self.finite == 0 { (f64::NAN, f64::NAN) } else { (f64::from(self.min), f64::from(self.max)) };
        PlaneSummary {
            min,
            max,
            finite: self.finite,
            nan: pixels.saturating_sub(self.finite),
            histogram: self.histogram,
        }
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
            match percentiles(plane, summary, &[tail, 100.0 - tail])[..] {
                [lo, hi] => (lo, hi),
                _ => (summary.min, summary.max),
            }
        }
        LimitMode::ZScale => zscale(plane),
    }
}

/// The `q`-th percentile (0–100) of the finite pixels, exactly as numpy's default (linear
/// interpolation between the two ranks either side).
pub fn percentile(plane: &Plane, summary: &PlaneSummary, q: f64) -> f64 {
    percentiles(plane, summary, &[q]).first().copied().unwrap_or(f64::NAN)
}

/// Several percentiles at the cost of one: all their ranks are resolved in one pass.
fn percentiles(plane: &Plane, summary: &PlaneSummary, qs: &[f64]) -> Vec<f64> {
    if summary.finite == 0 {
        return vec![f64::NAN; qs.len()];
    }
    let last = summary.finite - 1;
    let places: Vec<(u64, f64)> = qs
        .iter()
        .map(|q| {
            let rank = (q / 100.0).clamp(0.0, 1.0) * last as f64;
            let below = (rank.floor() as u64).min(last);
            (below, rank - below as f64)
        })
        .collect();
    let ranks: Vec<u64> = places.iter().flat_map(|&(below, _)| [below, (below + 1).min(last)]).collect();
    let values = summary.histogram.values_at_ranks(pixels(plane), &ranks);
    places
        .iter()
        .zip(values.chunks_exact(2))
        .map(|(&(_, frac), pair)| if frac > 0.0 { pair[0] + frac * (pair[1] - pair[0]) } else { pair[0] })
        .collect()
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
