//! Strided previews: planes too large to display 1:1 under a memory budget are shown by
//! keeping every n-th pixel in both directions, like JS9's image sections but without
//! averaging, so values shown stay real pixel values.

use crate::plane::Plane;

/// Every `stride`-th pixel of `plane` in x and y (starting at pixel (0, 0), FITS order kept),
/// with the smallest stride giving at most `max_pixels` pixels (at least 1). Pixels missing
/// from a short data vector become NaN, so the result always has `width * height` values.
pub fn strided_preview(plane: &Plane, max_pixels: usize) -> Plane {
    let stride = preview_stride(plane.width, plane.height, max_pixels.max(1));
    let width = plane.width.div_ceil(stride);
    let height = plane.height.div_ceil(stride);
    let mut data = Vec::with_capacity(width.saturating_mul(height));
    for y in (0..plane.height).step_by(stride) {
        for x in (0..plane.width).step_by(stride) {
            data.push(plane.get(x, y).unwrap_or(f32::NAN));
        }
    }
    Plane { width, height, data }
}

/// The smallest stride whose preview fits in `max_pixels`.
pub fn preview_stride(width: usize, height: usize, max_pixels: usize) -> usize {
    let fits = |s: usize| width.div_ceil(s).saturating_mul(height.div_ceil(s)) <= max_pixels;
    let total = width as f64 * height as f64;
    // Start just below the exact answer so the loop runs a few steps at most.
    let mut stride = ((total / max_pixels as f64).sqrt().floor() as usize).max(1);
    while !fits(stride) {
        stride += 1;
    }
    stride
}
