//! Turning a [`Plane`] into pixels on screen: display limits (min–max, percentiles, zscale,
//! manual), stretches, colour maps and RGBA output, in the ways CARTA and DS9 users expect.
//!
//! The work is split so that re-stretching is cheap: [`summarize`] runs once per plane
//! (extremes and a 65536-bin histogram), [`limits`] uses that summary, and [`render_into`]
//! bakes stretch + colour map + inversion into a lookup table before one pass over the
//! pixels, writing RGBA bytes with the image's top row first (FITS rows go bottom-up).

mod colormap;
mod histogram;
mod limits;
mod lut;
mod preview;
mod stretch;
mod zscale;

use serde::{Deserialize, Serialize};

pub use colormap::{colormap_names, colormap_rgb};
pub use histogram::{Histogram, SUMMARY_BINS};
pub use limits::{limits, percentile, summarize, LimitMode, PlaneSummary, SummaryBuilder};
pub use preview::{fit_pixels, preview_stride};
pub use stretch::Stretch;
pub use zscale::zscale;

use crate::plane::Plane;
use lut::ColorLut;

/// Everything that decides how a plane is drawn once its limits are known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenderSettings {
    /// Value drawn with the bottom colour (lower values clamp to it).
    pub lo: f64,
    /// Value drawn with the top colour (higher values clamp to it). `hi < lo` inverts the
    /// mapping; `hi == lo` draws a step at `lo`.
    pub hi: f64,
    pub stretch: Stretch,
    /// The stretch's parameter: log exponent `a`, asinh softening, power gamma, sinh `a`.
    /// 0 (or any non-positive or non-finite value) means the stretch's default.
    pub stretch_param: f64,
    /// One of [`colormap_names`]; unknown names draw in grey.
    pub colormap: String,
    /// Reverse the colour map (top colour for low values).
    pub invert: bool,
    /// Colour of NaN and ±Inf pixels (transparent by default).
    pub nan_rgba: [u8; 4],
}

impl Default for RenderSettings {
    fn default() -> Self {
        RenderSettings {
            lo: 0.0,
            hi: 1.0,
            stretch: Stretch::Linear,
            stretch_param: 0.0,
            colormap: "grey".to_string(),
            invert: false,
            nan_rgba: [0, 0, 0, 0],
        }
    }
}

/// The plane drawn as RGBA bytes, `width * height * 4` of them, top image row first.
/// An empty vector when that size does not fit in memory addresses.
pub fn render_rgba(plane: &Plane, settings: &RenderSettings, summary: &PlaneSummary) -> Vec<u8> {
    let Some(len) = rgba_len(plane.width, plane.height) else {
        return Vec::new();
    };
    let mut out = vec![0u8; len];
    render_into(plane, settings, summary, &mut out);
    out
}

/// [`render_rgba`] into a caller's buffer (the web layer reuses one per view). Rows that do
/// not fit in `out` are skipped and bytes past `width * height * 4` are left untouched; pixels
/// missing from a short data vector get the NaN colour.
pub fn render_into(plane: &Plane, settings: &RenderSettings, summary: &PlaneSummary, out: &mut [u8]) {
    render_strided_into(plane, 1, settings, summary, out);
}

/// [`render_into`] of every `stride`-th pixel along both axes, starting at pixel (0, 0): a
/// plane larger than the screen is drawn with about as many pixels as the screen shows,
/// straight from the plane (no reduced copy made first). The output is
/// `width.div_ceil(stride)` × `height.div_ceil(stride)` pixels; values shown stay real
/// pixel values (no averaging, as JS9's image sections).
pub fn render_strided_into(plane: &Plane, stride: usize, settings: &RenderSettings, summary: &PlaneSummary, out: &mut [u8]) {
    let stride = stride.max(1);
    let (width, height) = (plane.width.div_ceil(stride), plane.height.div_ceil(stride));
    let lut = ColorLut::new(settings, Some(&summary.histogram));
    let Some(row_bytes) = width.checked_mul(4).filter(|&n| n > 0) else {
        return;
    };
    let nan = lut.nan();
    for (r, out_row) in out.chunks_exact_mut(row_bytes).take(height).enumerate() {
        let source = fits_row(plane, (height - 1 - r) * stride);
        let mut targets = out_row.chunks_exact_mut(4);
        for (&v, px) in source.iter().step_by(stride).zip(targets.by_ref()) {
            px.copy_from_slice(&lut.color(v));
        }
        for px in targets {
            px.copy_from_slice(&nan);
        }
    }
}

/// The colour bar for `settings`, `width * height * 4` RGBA bytes: low to high from left to
/// right when wider than tall, else from bottom to top. It shows the stretch as drawn,
/// except histogram equalisation, which needs the plane and is shown linear.
pub fn colorbar_rgba(settings: &RenderSettings, width: usize, height: usize) -> Vec<u8> {
    let Some(len) = rgba_len(width, height) else {
        return Vec::new();
    };
    let lut = ColorLut::new(settings, None);
    let horizontal = width >= height;
    let fraction = |i: usize, n: usize| {
        if n > 1 {
            i as f64 / (n - 1) as f64
        } else {
            0.5
        }
    };
    let mut out = vec![0u8; len];
    for (row, out_row) in out.chunks_exact_mut(width.max(1) * 4).enumerate() {
        for (col, px) in out_row.chunks_exact_mut(4).enumerate() {
            let x = if horizontal { fraction(col, width) } else { 1.0 - fraction(row, height) };
            px.copy_from_slice(&lut.color_at(x));
        }
    }
    out
}

/// `width * height * 4`, or `None` on overflow.
fn rgba_len(width: usize, height: usize) -> Option<usize> {
    width.checked_mul(height)?.checked_mul(4)
}

/// The pixels of the plane that belong to it: at most `width * height` values.
pub(crate) fn pixels(plane: &Plane) -> &[f32] {
    let n = plane.width.saturating_mul(plane.height).min(plane.data.len());
    plane.data.get(..n).unwrap_or(&[])
}

/// FITS row `y` (0 = bottom), possibly shorter than `width` (or empty) when data is missing.
fn fits_row(plane: &Plane, y: usize) -> &[f32] {
    let data = pixels(plane);
    let start = y.saturating_mul(plane.width).min(data.len());
    let end = start.saturating_add(plane.width).min(data.len());
    data.get(start..end).unwrap_or(&[])
}
