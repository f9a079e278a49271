//! Display limits: min–max, manual, percentiles against an exact sort, zscale against
//! astropy.

use super::*;

/// The same pseudo-random sequence as the Python snippets: values k/1024, exact in f32.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = (1664525 * self.0 + 1013904223) % (1 << 32);
        ((self.0 >> 16) as f32 - 32768.0) / 1024.0
    }
}

/// `lcg_plane` of the Python snippet: noise, NaN every 97th pixel, +500 every 101st.
fn lcg_plane(width: usize, height: usize, seed: u64) -> Plane {
    let mut rng = Lcg(seed);
    let data = (0..width * height)
        .map(|i| {
            let v = rng.next();
            if i % 97 == 0 {
                f32::NAN
            } else if i % 101 == 0 {
                v + 500.0
            } else {
                v
            }
        })
        .collect();
    plane(width, height, data)
}

fn assert_close(actual: (f64, f64), expected: (f64, f64), tol: f64) {
    assert!(
        (actual.0 - expected.0).abs() <= tol && (actual.1 - expected.1).abs() <= tol,
        "got {actual:?}, expected {expected:?}"
    );
}

#[test]
fn min_max_and_manual_limits() {
    let p = plane(4, 1, vec![3.0, f32::NAN, -2.0, f32::INFINITY]);
    let summary = summarize(&p);
    assert_eq!((summary.finite, summary.nan), (2, 2));
    assert_eq!(limits(&p, &summary, LimitMode::MinMax), (-2.0, 3.0));
    assert_eq!(limits(&p, &summary, LimitMode::Manual(5.0, 1.0)), (5.0, 1.0));
    assert_eq!(limits(&p, &summary, LimitMode::Manual(f64::NAN, 1.0)), (-2.0, 3.0));
}

/// numpy's default (linear) percentile on sorted values.
fn exact_percentile(sorted: &[f64], q: f64) -> f64 {
    let rank = q / 100.0 * (sorted.len() - 1) as f64;
    let (i, frac) = (rank.floor() as usize, rank - rank.floor());
    let next = sorted.get(i + 1).copied().unwrap_or(sorted[i]);
    sorted[i] + frac * (next - sorted[i])
}

fn sorted_finite(values: &[f32]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().filter(|v| v.is_finite()).map(|&v| v.into()).collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

#[test]
fn percentiles_match_an_exact_sort() {
    let p = lcg_plane(317, 211, 3);
    let summary = summarize(&p);
    let sorted = sorted_finite(&p.data);
    for q in [0.0, 0.005, 0.25, 5.0, 50.0, 95.0, 99.5, 99.99, 100.0] {
        assert_eq!(percentile(&p, &summary, q), exact_percentile(&sorted, q), "q={q}");
    }
    let (lo, hi) = limits(&p, &summary, LimitMode::Percentile(99.5));
    assert_eq!((lo, hi), (exact_percentile(&sorted, 0.25), exact_percentile(&sorted, 99.75)));
}

#[test]
fn an_outlier_does_not_blur_the_percentiles() {
    // Noise in [-32, 32] plus one 1e9 outlier: with bins of equal width between the
    // extremes the whole noise would sit in one bin; the 99.5 % limits must still be exact.
    let mut rng = Lcg(5);
    let mut data: Vec<f32> = (0..50_000).map(|_| rng.next()).collect();
    data[123] = 1e9;
    let sorted = sorted_finite(&data);
    let p = plane(500, 100, data);
    let summary = summarize(&p);
    let (lo, hi) = limits(&p, &summary, LimitMode::Percentile(99.5));
    assert_eq!((lo, hi), (exact_percentile(&sorted, 0.25), exact_percentile(&sorted, 99.75)));
}

#[test]
fn zscale_matches_astropy() {
    // from astropy.visualization import ZScaleInterval (astropy 8.0.2, numpy 2.4.6)
    // def lcg_plane(w, h, seed):
    //     x = seed; out = np.empty(w * h, dtype=np.float32)
    //     for i in range(w * h):
    //         x = (1664525 * x + 1013904223) % 2**32
    //         v = np.float32(((x >> 16) - 32768) / 1024.0)
    //         if i % 97 == 0: v = np.float32('nan')
    //         elif i % 101 == 0: v = v + np.float32(500.0)
    //         out[i] = v
    //     return out.reshape(h, w)
    // ZScaleInterval().get_limits(lcg_plane(120, 100, 7))
    //   -> (-31.8251953125, 131.75029715054447)
    assert_close(zscale(&lcg_plane(120, 100, 7)), (-31.8251953125, 131.75029715054447), 1e-6);

    // a = lcg_plane(120, 100, 7).ravel().copy()
    // for i in range(a.size):
    //     if i % 103 == 0 and i % 97 != 0 and i % 101 != 0: a[i] -= np.float32(500.0)
    // ZScaleInterval().get_limits(a.reshape(100, 120))
    //   -> (-127.93362301537348, 132.34904170164833)
    let mut two_sided = lcg_plane(120, 100, 7);
    for (i, v) in two_sided.data.iter_mut().enumerate() {
        if i % 103 == 0 && i % 97 != 0 && i % 101 != 0 {
            *v -= 500.0;
        }
    }
    assert_close(zscale(&two_sided), (-127.93362301537348, 132.34904170164833), 1e-6);

    // ZScaleInterval().get_limits(np.arange(10000, dtype=np.float32).reshape(100, 100) ** 2 / 1e4)
    //   -> (0.0, 9980.009765625)
    let ramp = plane(100, 100, (0..10000).map(|i| (i as f32) * (i as f32) / 1e4).collect());
    assert_close(zscale(&ramp), (0.0, 9980.009765625), 1e-6);

    // ZScaleInterval().get_limits(np.array([3.0, 1.0, 2.0], dtype=np.float32)) -> (1.0, 3.0)
    assert_eq!(zscale(&plane(3, 1, vec![3.0, 1.0, 2.0])), (1.0, 3.0));

    let p = lcg_plane(120, 100, 7);
    assert_eq!(limits(&p, &summarize(&p), LimitMode::ZScale), zscale(&p));
}

/// A plane of many identical values (zeros around a source of ones): the percentiles that
/// fall among them are those values exactly, as numpy gives, not a value a hair above.
#[test]
fn percentiles_in_a_bin_of_identical_values_are_exact() {
    let data: Vec<f32> = (0..512 * 512).map(|i| if i % 4 == 0 { 1.0 } else { 0.0 }).collect();
    let plane = Plane { width: 512, height: 512, data };
    let summary = summarize(&plane);
    assert_eq!(limits(&plane, &summary, LimitMode::Percentile(99.5)), (0.0, 1.0));
}

/// The worker summarises a plane slice by slice as its bytes arrive: any slicing gives the
/// summary of the whole plane, and so the same limits.
#[test]
fn a_summary_built_slice_by_slice_is_the_whole_planes() {
    let p = lcg_plane(97, 61, 11);
    let whole = summarize(&p);
    for slice in [1, 7, 1000, p.data.len()] {
        let mut builder = SummaryBuilder::new();
        p.data.chunks(slice).for_each(|values| builder.add(values));
        let summary = builder.finish((p.width * p.height) as u64);
        assert_eq!(summary, whole, "slices of {slice}");
        assert_eq!(limits(&p, &summary, LimitMode::Percentile(99.5)), limits(&p, &whole, LimitMode::Percentile(99.5)));
    }
}

proptest! {
    /// Percentiles are exact for any values: negative and positive zeros, subnormals, NaN
    /// and infinities among them, values crowded in one bin or spread over every exponent.
    #[test]
    fn percentiles_are_exact_for_any_values(
        data in prop::collection::vec(
            prop_oneof![
                Just(f32::NAN), Just(f32::NEG_INFINITY), Just(0.0f32), Just(-0.0f32), Just(1e-42f32),
                any::<f32>(), -1.0f32..1.0, 1000.0f32..1000.001,
            ],
            1..300,
        ),
        q in 0.0f64..=100.0,
    ) {
        let sorted = sorted_finite(&data);
        let p = plane(data.len(), 1, data);
        let summary = summarize(&p);
        let got = percentile(&p, &summary, q);
        if sorted.is_empty() {
            prop_assert!(got.is_nan());
        } else {
            prop_assert_eq!(got, exact_percentile(&sorted, q));
        }
    }
}
