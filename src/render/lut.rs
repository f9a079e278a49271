//! The colour lookup table: stretch, histogram equalisation, inversion and colour map baked
//! into [`LUT_SIZE`] RGBA entries once per render, so each pixel costs one subtraction, one
//! multiplication and a table read (no transcendental function per pixel).

use super::colormap::Colormap;
use super::histogram::Histogram;
use super::stretch::Stretch;
use super::RenderSettings;

/// Entries of the table: DS9's 16384, fine enough that even a log stretch with a = 1000
/// moves by at most a few colour levels between entries.
pub(crate) const LUT_SIZE: usize = 16_384;

/// Pixel value → RGBA, for one set of render settings.
pub(crate) struct ColorLut {
    entries: Box<[[u8; 4]; LUT_SIZE]>,
    lo: f64,
    scale: f64,
    nan: [u8; 4],
}

impl ColorLut {
    /// Builds the table. `histogram` feeds histogram equalisation; without it (the colour
    /// bar) HistEq is drawn as linear.
    pub(crate) fn new(settings: &RenderSettings, histogram: Option<&Histogram>) -> ColorLut {
        let map = Colormap::by_name_or_grey(&settings.colormap);
        let mut entries = Box::new([[0u8; 4]; LUT_SIZE]);
        let mut positions = Box::new([0f64; LUT_SIZE]);
        stretch_positions(settings, histogram, &mut positions[..]);
        for (entry, &s) in entries.iter_mut().zip(positions.iter()) {
            let s = if settings.invert { 1.0 - s } else { s };
            let [r, g, b] = map.rgb(s);
            *entry = [r, g, b, 255];
        }
        let span = settings.hi - settings.lo;
        // A degenerate range becomes a step at `lo`: values above it get the top colour,
        // the rest the bottom one (0 × ∞ is NaN, which the index cast sends to 0).
        let scale = if span != 0.0 && span.is_finite() { (LUT_SIZE - 1) as f64 / span } else { f64::INFINITY };
        ColorLut { entries, lo: settings.lo, scale, nan: settings.nan_rgba }
    }

    /// The colour of pixel value `v`: the NaN colour for NaN and ±Inf, the end colours
    /// outside the limits.
    #[inline]
    pub(crate) fn color(&self, v: f32) -> [u8; 4] {
        if !v.is_finite() {
            return self.nan;
        }
        let t = (f64::from(v) - self.lo) * self.scale + 0.5;
        // `as` saturates: negative and NaN go to 0, huge values to the last entry. Through
        // i32 (one instruction, where a cast to usize takes several on the hottest path).
        self.entries[(t as i32).clamp(0, LUT_SIZE as i32 - 1) as usize]
    }

    /// The colour of LUT position `x` in [0, 1] (for the colour bar).
    pub(crate) fn color_at(&self, x: f64) -> [u8; 4] {
        let t = x * (LUT_SIZE - 1) as f64 + 0.5;
        self.entries[(t as usize).min(LUT_SIZE - 1)]
    }

    /// The colour of blanked pixels.
    pub(crate) fn nan(&self) -> [u8; 4] {
        self.nan
    }
}

/// Stretched position in [0, 1] of every table entry (entry i is the value
/// `lo + i / (LUT_SIZE - 1) * (hi - lo)`).
fn stretch_positions(settings: &RenderSettings, histogram: Option<&Histogram>, out: &mut [f64]) {
    let last = (LUT_SIZE - 1) as f64;
    if let (Stretch::HistEq, Some(h)) = (settings.stretch, histogram) {
        if equalise(settings.lo, settings.hi, h, out) {
            return;
        }
    }
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = settings.stretch.apply(i as f64 / last, settings.stretch_param);
    }
}

/// Histogram equalisation: each entry's position is the fraction of the finite pixels
/// between the limits that lie below its value. Returns false (leaving a linear stretch to
/// the caller) when no pixel lies between the limits.
fn equalise(lo: f64, hi: f64, histogram: &Histogram, out: &mut [f64]) -> bool {
    let last = (LUT_SIZE - 1) as f64;
    // The cumulative walk needs increasing values: walk from the smaller limit, then
    // restore entry order for reversed limits.
    let (start, end) = (lo.min(hi), lo.max(hi));
    let values = (0..LUT_SIZE).map(|i| start + (end - start) * (i as f64 / last));
    histogram.cumulative_sorted(values, out);
    if lo > hi {
        out.reverse();
    }
    let (first, final_) = match (out.first(), out.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => return false,
    };
    let range = final_ - first;
    if range == 0.0 || !range.is_finite() {
        return false;
    }
    for slot in out.iter_mut() {
        *slot = ((*slot - first) / range).clamp(0.0, 1.0);
    }
    true
}
