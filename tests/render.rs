//! Rendering: stretches, limits, colour maps and RGBA output on small synthetic planes.
//! Reference numbers come from astropy 8.0.2 (the snippets are next to the values).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use almapkg::plane::Plane;
use almapkg::render::{
    colorbar_rgba, colormap_names, colormap_rgb, limits, percentile, preview_stride, render_into, render_rgba, render_strided_into,
    summarize, zscale, LimitMode, RenderSettings, Stretch, SummaryBuilder,
};
use proptest::prelude::*;

#[path = "render/limits.rs"]
mod limits;

/// Counts the bytes allocated by the current thread, to check that rendering allocates
/// nothing proportional to the plane.
struct CountingAlloc;

thread_local! {
    static ALLOCATED: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size() as u64));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn allocated() -> u64 {
    ALLOCATED.with(|a| a.get())
}

fn plane(width: usize, height: usize, data: Vec<f32>) -> Plane {
    Plane { width, height, data }
}

fn settings(lo: f64, hi: f64, stretch: Stretch) -> RenderSettings {
    RenderSettings { lo, hi, stretch, ..RenderSettings::default() }
}

/// The pixels of a rendered RGBA buffer.
fn rgba_pixels(bytes: &[u8]) -> Vec<[u8; 4]> {
    bytes.chunks_exact(4).map(|p| [p[0], p[1], p[2], p[3]]).collect()
}

fn render_row(values: &[f32], s: &RenderSettings) -> Vec<[u8; 4]> {
    let p = plane(values.len(), 1, values.to_vec());
    rgba_pixels(&render_rgba(&p, s, &summarize(&p)))
}

// ---------------------------------------------------------------- stretches

#[test]
fn stretches_match_astropy() {
    // astropy: LogStretch(1000), AsinhStretch(0.1), SinhStretch(1/3), PowerStretch(2),
    // SqrtStretch(), SquaredStretch() applied to np.array([0.0, 0.1, 0.5, 1.0]).
    let cases: [(Stretch, [f64; 4]); 6] = [
        (Stretch::Log, [0.0, 0.6680104684941067, 0.8998157120437035, 1.0]),
        (Stretch::Asinh, [0.0, 0.2939653260048424, 0.7712696419200371, 1.0]),
        (Stretch::Sinh, [0.0, 0.030397693687904296, 0.2125480174711402, 1.0]),
        (Stretch::Power, [0.0, 0.01, 0.25, 1.0]),
        (Stretch::Sqrt, [0.0, 0.31622776601683794, std::f64::consts::FRAC_1_SQRT_2, 1.0]),
        (Stretch::Squared, [0.0, 0.01, 0.25, 1.0]),
    ];
    for (stretch, expected) in cases {
        for (x, want) in [0.0, 0.1, 0.5, 1.0].into_iter().zip(expected) {
            let got = stretch.apply(x, 0.0);
            assert!((got - want).abs() < 1e-12, "{stretch:?}({x}) = {got}, want {want}");
        }
    }
    assert_eq!(Stretch::Linear.apply(0.3, 0.0), 0.3);
    assert!((Stretch::Power.apply(0.25, 0.5) - 0.5).abs() < 1e-12);
    assert!((Stretch::Log.apply(0.5, 10.0) - (6.0f64.ln() / 11.0f64.ln())).abs() < 1e-12);
}

#[test]
fn every_stretch_maps_values_through_the_lookup_table_exactly() {
    const LAST: f64 = 16383.0;
    let values = [0.0f32, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0];
    for stretch in
        [Stretch::Linear, Stretch::Sqrt, Stretch::Log, Stretch::Asinh, Stretch::Power, Stretch::Sinh, Stretch::Squared]
    {
        let row = render_row(&values, &settings(0.0, 1.0, stretch));
        for (&v, px) in values.iter().zip(&row) {
            // value -> nearest of 16384 table entries -> stretch -> grey byte
            let index = (f64::from(v) * LAST + 0.5).floor();
            let grey = (stretch.apply(index / LAST, 0.0) * 255.0).round() as u8;
            assert_eq!(*px, [grey, grey, grey, 255], "{stretch:?} at {v}");
        }
    }
}

#[test]
fn values_outside_the_limits_clamp_to_the_end_colours() {
    let row = render_row(&[-5.0, 10.0, 20.0, 25.0], &settings(10.0, 20.0, Stretch::Linear));
    assert_eq!(row, vec![[0, 0, 0, 255], [0, 0, 0, 255], [255; 4], [255; 4]]);
}

#[test]
fn histogram_equalisation_spreads_a_skewed_distribution() {
    // Cubes of 0..1000: a linear stretch puts the median pixel near 1/8 of the range,
    // equalisation puts it in the middle of the colour map.
    let values: Vec<f32> = (0..1001).map(|i| (i as f32).powi(3)).collect();
    let s = settings(0.0, 1e9, Stretch::HistEq);
    let row = render_row(&values, &s);
    let grey = |i: usize| i32::from(row[i][0]);
    assert!((grey(500) - 128).abs() <= 2, "median grey {}", grey(500));
    assert!((grey(250) - 64).abs() <= 2, "quartile grey {}", grey(250));
    assert_eq!(grey(0), 0);
    assert_eq!(grey(1000), 255);
    let linear = render_row(&values, &settings(0.0, 1e9, Stretch::Linear));
    assert!(linear[500][0] < 40);
}

// ---------------------------------------------------------------- colours and layout

#[test]
fn nan_and_infinities_get_the_nan_colour() {
    let s = RenderSettings { nan_rgba: [1, 2, 3, 4], ..settings(0.0, 1.0, Stretch::Linear) };
    let row = render_row(&[f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.5], &s);
    assert_eq!(&row[..3], &[[1, 2, 3, 4]; 3]);
    assert_eq!(row[3], [128, 128, 128, 255]);
}

#[test]
fn invert_swaps_the_ends_of_the_colour_map() {
    let s = RenderSettings { invert: true, ..settings(0.0, 1.0, Stretch::Linear) };
    assert_eq!(render_row(&[0.0, 1.0], &s), vec![[255; 4], [0, 0, 0, 255]]);
}

#[test]
fn reversed_limits_invert_like_ds9() {
    let row = render_row(&[0.0, 1.0], &settings(1.0, 0.0, Stretch::Linear));
    assert_eq!(row, vec![[255; 4], [0, 0, 0, 255]]);
}

#[test]
fn first_output_row_is_the_last_fits_row() {
    // FITS row 0 (bottom) is all 0, row 2 (top) is all 1.
    let p = plane(2, 3, vec![0.0, 0.0, 0.5, 0.5, 1.0, 1.0]);
    let out = rgba_pixels(&render_rgba(&p, &settings(0.0, 1.0, Stretch::Linear), &summarize(&p)));
    assert_eq!(out.len(), 6);
    assert_eq!(&out[..2], &[[255; 4]; 2]);
    assert_eq!(&out[4..], &[[0, 0, 0, 255]; 2]);
}

#[test]
fn colour_map_ends_match_colorous() {
    let cases = [
        ("viridis", colorous::VIRIDIS, false),
        ("inferno", colorous::INFERNO, false),
        ("turbo", colorous::TURBO, false),
        ("cubehelix", colorous::CUBEHELIX, false),
        ("rdbu", colorous::RED_BLUE, false),
        ("spectral", colorous::SPECTRAL, false),
        ("heat", colorous::YELLOW_ORANGE_RED, true),
    ];
    for (name, gradient, reversed) in cases {
        let s = RenderSettings { colormap: name.to_string(), ..settings(0.0, 1.0, Stretch::Linear) };
        let row = render_row(&[0.0, 1.0], &s);
        let (low, high) = if reversed { (1.0, 0.0) } else { (0.0, 1.0) };
        for (px, t) in row.iter().zip([low, high]) {
            let c = gradient.eval_continuous(t);
            assert_eq!(*px, [c.r, c.g, c.b, 255], "{name} at {t}");
        }
    }
}

#[test]
fn colour_maps_are_named_and_unknown_names_fall_back_to_grey() {
    let names = colormap_names();
    assert!(names.len() >= 12);
    for required in [
        "grey",
        "viridis",
        "inferno",
        "magma",
        "plasma",
        "cividis",
        "turbo",
        "cubehelix",
        "rainbow",
        "heat",
        "rdbu",
        "spectral",
    ] {
        assert!(names.contains(&required), "{required} missing");
    }
    for name in names {
        assert!(colormap_rgb(name, 0.5).is_some(), "{name} does not resolve");
    }
    assert_eq!(colormap_rgb("GRAY", 1.0), Some([255, 255, 255]));
    assert_eq!(colormap_rgb("nope", 0.5), None);
    let s = RenderSettings { colormap: "nope".into(), ..settings(0.0, 1.0, Stretch::Linear) };
    assert_eq!(render_row(&[1.0], &s), vec![[255; 4]]);
}

#[test]
fn colour_bar_is_monotonic_in_both_orientations() {
    let s = settings(0.0, 1.0, Stretch::Log);
    let bar = rgba_pixels(&colorbar_rgba(&s, 64, 3));
    assert_eq!(bar.len(), 64 * 3);
    let first_row: Vec<u8> = bar[..64].iter().map(|p| p[0]).collect();
    assert!(first_row.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!((first_row[0], first_row[63]), (0, 255));
    // Log stretch: the middle of the bar is already bright.
    assert!(first_row[32] > 200);

    let vertical = rgba_pixels(&colorbar_rgba(&s, 2, 50));
    let column: Vec<u8> = vertical.iter().step_by(2).map(|p| p[0]).collect();
    assert!(column.windows(2).all(|w| w[0] >= w[1]), "top must be brightest");
    assert!(colorbar_rgba(&s, 0, 10).is_empty());
}

// ---------------------------------------------------------------- degenerate input

#[test]
fn degenerate_planes_render_without_panicking() {
    let s = settings(0.0, 1.0, Stretch::HistEq);
    let empty = plane(0, 0, vec![]);
    let summary = summarize(&empty);
    assert_eq!(summary.finite, 0);
    assert_eq!(limits(&empty, &summary, LimitMode::Percentile(99.0)), (0.0, 1.0));
    assert_eq!(zscale(&empty), (0.0, 1.0));
    assert!(render_rgba(&empty, &s, &summary).is_empty());

    let all_nan = plane(2, 2, vec![f32::NAN; 4]);
    let summary = summarize(&all_nan);
    assert_eq!(summary.nan, 4);
    assert_eq!(limits(&all_nan, &summary, LimitMode::ZScale), (0.0, 1.0));
    let out = rgba_pixels(&render_rgba(&all_nan, &s, &summary));
    assert_eq!(out, vec![[0, 0, 0, 0]; 4]);

    // Short data: the missing pixel (top-right, drawn second) gets the NaN colour.
    let short = plane(2, 2, vec![1.0, 1.0, 1.0]);
    let out = rgba_pixels(&render_rgba(&short, &settings(0.0, 1.0, Stretch::Linear), &summarize(&short)));
    assert_eq!(out, vec![[255; 4], [0, 0, 0, 0], [255; 4], [255; 4]]);

    // Long data: the extra values are ignored everywhere.
    let long = plane(1, 1, vec![1.0, 1e30]);
    assert_eq!(summarize(&long).max, 1.0);
    assert_eq!(render_rgba(&long, &s, &summarize(&long)).len(), 4);
}

#[test]
fn a_constant_plane_renders_as_a_step() {
    let p = plane(3, 1, vec![7.0; 3]);
    let summary = summarize(&p);
    let (lo, hi) = limits(&p, &summary, LimitMode::Percentile(99.5));
    assert_eq!((lo, hi), (7.0, 7.0));
    for stretch in [Stretch::Linear, Stretch::Log, Stretch::HistEq] {
        let row = render_row(&[6.0, 7.0, 8.0], &settings(lo, hi, stretch));
        assert_eq!(row, vec![[0, 0, 0, 255], [0, 0, 0, 255], [255; 4]], "{stretch:?}");
    }
}

proptest! {
    #[test]
    fn arbitrary_planes_never_panic(
        width in 0usize..6,
        height in 0usize..6,
        data in prop::collection::vec(
            prop_oneof![Just(f32::NAN), Just(f32::INFINITY), Just(f32::MAX), any::<f32>(), -2.0f32..2.0],
            0..40,
        ),
        lo in prop_oneof![Just(f64::NAN), any::<f64>(), -1.0f64..1.0],
        hi in prop_oneof![Just(f64::INFINITY), any::<f64>(), -1.0f64..1.0],
        stretch_index in 0usize..8,
        param in any::<f64>(),
        mode_index in 0usize..4,
    ) {
        let stretches = [Stretch::Linear, Stretch::Sqrt, Stretch::Log, Stretch::Asinh,
            Stretch::Power, Stretch::Sinh, Stretch::Squared, Stretch::HistEq];
        let p = plane(width, height, data);
        let summary = summarize(&p);
        let modes = [LimitMode::MinMax, LimitMode::Percentile(99.5), LimitMode::ZScale,
            LimitMode::Manual(lo, hi)];
        let _ = limits(&p, &summary, modes[mode_index]);
        let s = RenderSettings { stretch_param: param, ..settings(lo, hi, stretches[stretch_index]) };
        prop_assert_eq!(render_rgba(&p, &s, &summary).len(), width * height * 4);
        let mut strided = vec![0u8; width.div_ceil(3) * height.div_ceil(3) * 4];
        render_strided_into(&p, 3, &s, &summary, &mut strided);
    }
}

// ---------------------------------------------------------------- preview, memory, serde

#[test]
fn a_strided_render_draws_every_nth_pixel_in_fits_order() {
    // 10 x 7 values 0..70; the last row is short (data missing), so its pixels are blank.
    let p = plane(10, 7, (0..66).map(|i| i as f32).collect());
    let summary = summarize(&p);
    let s = RenderSettings { nan_rgba: [9, 9, 9, 9], ..settings(0.0, 69.0, Stretch::Linear) };
    // stride 2 would give 5 x 4 = 20 pixels; stride 3 keeps columns 0,3,6,9 and rows 0,3,6
    assert_eq!(preview_stride(10, 7, 19), 3);
    let mut out = vec![0u8; 4 * 3 * 4];
    render_strided_into(&p, 3, &s, &summary, &mut out);
    let kept = plane(4, 3, vec![0.0, 3.0, 6.0, 9.0, 30.0, 33.0, 36.0, 39.0, 60.0, 63.0, f32::NAN, f32::NAN]);
    assert_eq!(out, render_rgba(&kept, &s, &summary), "top row first: FITS rows 6, 3, 0");
    assert_eq!(preview_stride(10, 7, 1000), 1);
    assert_eq!(preview_stride(10, 7, 0), 10, "at least one pixel");
    let mut one = vec![0u8; 4];
    render_strided_into(&p, 10, &s, &summary, &mut one);
    assert_eq!(one, render_rgba(&plane(1, 1, vec![0.0]), &s, &summary));
}

#[test]
fn rendering_a_large_plane_allocates_only_the_lookup_table() {
    let n = 2048;
    let p = plane(n, n, (0..n * n).map(|i| (i % 1000) as f32).collect());
    let summary = summarize(&p);
    let mut out = vec![0u8; n * n * 4];
    let s = RenderSettings { colormap: "viridis".into(), ..settings(0.0, 999.0, Stretch::HistEq) };
    render_into(&p, &s, &summary, &mut out);
    let before = allocated();
    render_into(&p, &s, &summary, &mut out);
    let used = allocated() - before;
    // The table (64 KiB) and its positions (128 KiB) at most: nothing per pixel.
    assert!(used <= 256 * 1024, "render_into allocated {used} bytes");
    assert_eq!(out, render_rgba(&p, &s, &summary));
}

#[test]
fn settings_and_modes_have_stable_json_shapes() {
    assert_eq!(serde_json::to_string(&Stretch::HistEq).unwrap(), "\"histeq\"");
    assert_eq!(serde_json::to_string(&LimitMode::ZScale).unwrap(), "\"zscale\"");
    assert_eq!(serde_json::to_string(&LimitMode::Percentile(99.5)).unwrap(), "{\"percentile\":99.5}");
    let s = RenderSettings::default();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(
        json,
        "{\"lo\":0.0,\"hi\":1.0,\"stretch\":\"linear\",\"stretch_param\":0.0,\
         \"colormap\":\"grey\",\"invert\":false,\"nan_rgba\":[0,0,0,0]}"
    );
    assert_eq!(serde_json::from_str::<RenderSettings>(&json).unwrap(), s);
}
