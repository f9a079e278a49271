//! IRAF's zscale, step for step as astropy's `ZScaleInterval` (itself from STScI numdisplay),
//! so limits match what astronomers get from astropy and DS9.

use super::pixels;
use crate::plane::Plane;

/// Pixels sampled (astropy `n_samples`).
const SAMPLES: usize = 1000;
/// Scaling of the fitted slope (astropy `contrast`).
const CONTRAST: f64 = 0.25;
/// Give up the fit when fewer than this fraction of samples survive (`max_reject`).
const MAX_REJECT: f64 = 0.5;
/// Give up the fit when fewer samples than this survive (`min_npixels`).
const MIN_NPIXELS: usize = 5;
/// Rejection threshold in standard deviations (`krej`).
const KREJ: f64 = 2.5;
/// Rejection iterations (`max_iterations`).
const MAX_ITERATIONS: usize = 5;

/// zscale limits `(z1, z2)` of the finite pixels, (0, 1) when there are none.
pub fn zscale(plane: &Plane) -> (f64, f64) {
    let mut samples = sample(pixels(plane));
    samples.sort_by(f64::total_cmp);
    let (Some(&vmin), Some(&vmax)) = (samples.first(), samples.last()) else {
        return (0.0, 1.0);
    };
    match fit_slope(&samples) {
        Some(slope) => {
            let npix = samples.len();
            let slope = slope / CONTRAST;
            let center = ((npix - 1) / 2) as f64;
            let median = median_of_sorted(&samples);
            (vmin.max(median - (center - 1.0) * slope), vmax.min(median + (npix as f64 - center) * slope))
        }
        None => (vmin, vmax),
    }
}

/// Every `stride`-th finite pixel in data order, at most [`SAMPLES`] of them, with astropy's
/// stride `int(max(1, n / n_samples))` over the finite values.
fn sample(values: &[f32]) -> Vec<f64> {
    let finite = values.iter().filter(|v| v.is_finite()).count();
    let stride = (finite / SAMPLES).max(1);
    values.iter().filter(|v| v.is_finite()).step_by(stride).take(SAMPLES).map(|&v| f64::from(v)).collect()
}

fn median_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    let upper = sorted.get(n / 2).copied().unwrap_or(f64::NAN);
    if n % 2 == 1 {
        upper
    } else {
        let lower = sorted.get(n / 2 - 1).copied().unwrap_or(upper);
        (lower + upper) / 2.0
    }
}

/// The slope of the line fitted to the sorted samples with iterative k-sigma rejection, or
/// `None` when too many samples were rejected for the fit to be trusted.
fn fit_slope(samples: &[f64]) -> Option<f64> {
    let npix = samples.len();
    let minpix = MIN_NPIXELS.max((npix as f64 * MAX_REJECT) as usize);
    let ngrow = 1usize.max((npix as f64 * 0.01) as usize);
    let mut bad = vec![false; npix];
    let mut good = npix;
    let mut last_good = npix + 1;
    let mut slope = None;
    for _ in 0..MAX_ITERATIONS {
        if good >= last_good || good < minpix {
            break;
        }
        let (s, intercept) = line_fit(samples, &bad)?;
        slope = Some(s);
        let flat = |i: usize, y: f64| y - (intercept + s * i as f64);
        let threshold = KREJ * std_of_good(samples, &bad, flat);
        for (i, (&y, b)) in samples.iter().zip(bad.iter_mut()).enumerate() {
            let r = flat(i, y);
            if r < -threshold || r > threshold {
                *b = true;
            }
        }
        bad = dilate(&bad, ngrow);
        last_good = good;
        good = bad.iter().filter(|b| !**b).count();
    }
    if good >= minpix {
        slope
    } else {
        None
    }
}

/// Least-squares line `y = intercept + slope * x` through the good samples (x = index).
fn line_fit(samples: &[f64], bad: &[bool]) -> Option<(f64, f64)> {
    let good = || samples.iter().zip(bad).enumerate().filter(|(_, (_, b))| !**b).map(|(i, (&y, _))| (i as f64, y));
    let n = good().count() as f64;
    if n < 2.0 {
        return None;
    }
    let (sx, sy) = good().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let (sxy, sxx) = good().fold((0.0, 0.0), |(a, b), (x, y)| (a + (x - mx) * (y - my), b + (x - mx) * (x - mx)));
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some((slope, my - slope * mx))
}

/// Population standard deviation of the residuals of the good samples.
fn std_of_good(samples: &[f64], bad: &[bool], flat: impl Fn(usize, f64) -> f64) -> f64 {
    let residuals = || samples.iter().zip(bad).enumerate().filter(|(_, (_, b))| !**b).map(|(i, (&y, _))| flat(i, y));
    let n = residuals().count() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let mean = residuals().sum::<f64>() / n;
    (residuals().map(|r| (r - mean) * (r - mean)).sum::<f64>() / n).sqrt()
}

/// Grows the rejected set as numpy's `convolve(bad, ones(n), mode="same")` does: a bad
/// sample at `j` marks `j - (n-1)/2 ..= j + n/2`.
fn dilate(bad: &[bool], n: usize) -> Vec<bool> {
    let left = (n - 1) / 2;
    let right = n - 1 - left;
    let mut out = vec![false; bad.len()];
    for (j, _) in bad.iter().enumerate().filter(|(_, b)| **b) {
        let start = j.saturating_sub(left);
        let end = (j + right).min(bad.len().saturating_sub(1));
        for slot in out.iter_mut().take(end + 1).skip(start) {
            *slot = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dilation_matches_numpy_same_mode() {
        let mut bad = vec![false; 10];
        bad[4] = true;
        let marked =
            |v: Vec<bool>| -> Vec<usize> { v.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| i).collect() };
        // np.convolve(a, ones(n, bool), mode="same") for n = 1..=5, a[4] = True
        assert_eq!(marked(dilate(&bad, 1)), vec![4]);
        assert_eq!(marked(dilate(&bad, 2)), vec![4, 5]);
        assert_eq!(marked(dilate(&bad, 3)), vec![3, 4, 5]);
        assert_eq!(marked(dilate(&bad, 4)), vec![3, 4, 5, 6]);
        assert_eq!(marked(dilate(&bad, 5)), vec![2, 3, 4, 5, 6]);
        let mut ends = vec![false; 10];
        ends[0] = true;
        ends[9] = true;
        assert_eq!(marked(dilate(&ends, 4)), vec![0, 1, 2, 8, 9]);
    }

    #[test]
    fn sampling_strides_over_finite_values() {
        let mut values: Vec<f32> = (0..2500).map(|i| i as f32).collect();
        values[1] = f32::NAN;
        let s = sample(&values);
        // 2499 finite values -> stride 2 over the finite ones: 0, 3, 5, 7, ...
        assert_eq!(s.len(), 1000);
        assert_eq!(&s[..3], &[0.0, 3.0, 5.0]);
    }
}
