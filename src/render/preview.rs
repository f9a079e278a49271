//! Strided views: a plane larger than the screen is drawn from every n-th pixel in both
//! directions ([`super::render_strided_into`]), like JS9's image sections but without
//! averaging, so values shown stay real pixel values.

/// The smallest stride whose strided view fits in `max_pixels` (at least 1 pixel).
pub fn preview_stride(width: usize, height: usize, max_pixels: usize) -> usize {
    let max_pixels = max_pixels.max(1);
    let fits = |s: usize| width.div_ceil(s).saturating_mul(height.div_ceil(s)) <= max_pixels;
    let total = width as f64 * height as f64;
    // Start just below the exact answer so the loop runs a few steps at most.
    let mut stride = ((total / max_pixels as f64).sqrt().floor() as usize).max(1);
    while !fits(stride) {
        stride += 1;
    }
    stride
}

/// How many pixels of a `width` × `height` plane to render when it is drawn fitted in a box of
/// `box_width` × `box_height` device pixels: about the box's area whatever the plane's size
/// (at least 64², and every pixel — `usize::MAX` — once the plane fits at 1:1 or better).
pub fn fit_pixels(width: usize, height: usize, box_width: f64, box_height: f64) -> usize {
    let factor = (box_width / width.max(1) as f64).min(box_height / height.max(1) as f64);
    if factor.is_nan() || factor >= 1.0 {
        return usize::MAX;
    }
    let pixels = width as f64 * height as f64 * factor.max(0.0).powi(2);
    (pixels.ceil() as usize).max(64 * 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fitted_plane_renders_about_the_boxs_pixels() {
        // 4096² in a 1000 × 700 box: 700² pixels, a stride of 6.
        assert_eq!(fit_pixels(4096, 4096, 1000.0, 700.0), 700 * 700);
        assert_eq!(preview_stride(4096, 4096, fit_pixels(4096, 4096, 1000.0, 700.0)), 6);
        assert_eq!(fit_pixels(512, 512, 1000.0, 700.0), usize::MAX, "smaller than the box: all");
        assert_eq!(fit_pixels(100_000, 100_000, 1.0, 1.0), 64 * 64, "never fewer than 64²");
        assert_eq!(fit_pixels(0, 0, f64::NAN, 5.0), usize::MAX);
    }
}
