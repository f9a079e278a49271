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
    let (mut min, mut max, mut finite) = (f64::INFINITY, f64::NEG_INFINITY, 0u64);
    for &v in values {
        if v.is_finite() {
            let v = f64::from(v);
            min = min.min(v);
            max = max.max(v);
            finite += 1;
        }
    }
    if finite == 0 {
        (min, max) = (f64::NAN, f64::NAN);
    }
    let total = (plane.width as u64).saturating_mul(plane.height as u64);
    PlaneSummary {
        min,
        max,
        finite,
        nan: total.saturating_sub(finite),
        histogram: Histogram::of_values(values, min, max, SUMMARY_BINS),
    }
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
