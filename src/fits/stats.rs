//! Statistics of one plane, NaN-aware, for `almapkg stats` and the page's readout.

use crate::plane::Plane;
use serde::Serialize;

/// Summary of the finite pixels of a plane; min/max/mean/std/median are NaN when no pixel is
/// finite. `nan` counts NaN (blank) pixels, `finite` the others (±inf count in neither).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlaneStats {
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    /// Population standard deviation (divides by N, like numpy's default).
    pub std: f64,
    /// Exact median (mean of the two middle values for an even count).
    pub median: f64,
    pub nan: u64,
    pub finite: u64,
}

/// Computes [`PlaneStats`] in f64 (sums of millions of f32 lose precision otherwise).
pub fn plane_stats(plane: &Plane) -> PlaneStats {
    let mut finite: Vec<f32> = plane.data.iter().copied().filter(|v| v.is_finite()).collect();
    let nan = plane.data.iter().filter(|v| v.is_nan()).count() as u64;
    let n = finite.len();
    if n == 0 {
        return PlaneStats {
            min: f64::NAN,
            max: f64::NAN,
            mean: f64::NAN,
            std: f64::NAN,
            median: f64::NAN,
            nan,
            finite: 0,
        };
    }
    let (mut min, mut max, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for &v in &finite {
        let v = f64::from(v);
        min = min.min(v);
        max = max.max(v);
        sum += v;
    }
    let mean = sum / n as f64;
    let var = finite.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / n as f64;
    let median = median_of(&mut finite);
    PlaneStats { min, max, mean, std: var.sqrt(), median, nan, finite: n as u64 }
}

/// Exact median by selection (O(n)); `values` must be non-empty and finite.
fn median_of(values: &mut [f32]) -> f64 {
    let n = values.len();
    let mid = n / 2;
    let (lower, upper, _) = values.select_nth_unstable_by(mid, f32::total_cmp);
    let upper = f64::from(*upper);
    if n % 2 == 1 {
        return upper;
    }
    let below = lower.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    (f64::from(below) + upper) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_ignore_nan_and_take_exact_median() {
        let plane = Plane { width: 3, height: 2, data: vec![4.0, f32::NAN, 1.0, 3.0, 2.0, f32::NAN] };
        let s = plane_stats(&plane);
        assert_eq!((s.min, s.max, s.mean, s.median, s.nan, s.finite), (1.0, 4.0, 2.5, 2.5, 2, 4));
        assert!((s.std - 1.25f64.sqrt()).abs() < 1e-12);
        let odd = Plane { width: 3, height: 1, data: vec![9.0, 1.0, 5.0] };
        assert_eq!(plane_stats(&odd).median, 5.0);
    }

    #[test]
    fn all_nan_plane_has_nan_stats() {
        let s = plane_stats(&Plane { width: 2, height: 1, data: vec![f32::NAN; 2] });
        assert!(s.min.is_nan() && s.median.is_nan());
        assert_eq!((s.nan, s.finite), (2, 0));
    }
}
