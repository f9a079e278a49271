//! One 2-D plane of pixel values, decoded and scaled: what the renderer draws and the
//! statistics are computed on.

/// Pixel values of one image plane as physical values (BSCALE/BZERO applied, BLANK → NaN).
///
/// Rows are stored in FITS order: row 0 is the *bottom* row of the image (y up), so
/// `data[y * width + x]` is FITS pixel (x + 1, y + 1). Renderers flip when drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Plane {
    /// The value at 0-based pixel (x, y), or `None` outside the plane.
    pub fn get(&self, x: usize, y: usize) -> Option<f32> {
        if x < self.width && y < self.height {
            self.data.get(y * self.width + x).copied()
        } else {
            None
        }
    }
}
