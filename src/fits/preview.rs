//! A strided preview of a plane too large to hold: every `stride`-th pixel of every
//! `stride`-th row, read in blocks of whole rows so memory stays at one block plus the
//! preview, whatever the plane's size (a 32k × 32k float plane is 4 GiB; its preview at
//! stride 8 is 64 MiB and needs 128 reads of 32 MiB).

use super::image::decode_values;
use super::{FitsError, ImageHdu};
use crate::plane::Plane;
use crate::source::ReadAt;

/// Bytes read at once: whole rows, about this many.
const BLOCK: u64 = 32 << 20;

impl ImageHdu {
    /// Reads plane `plane` keeping one pixel in `stride` along each axis.
    pub fn read_plane_preview(&self, src: &dyn ReadAt, plane: u64, stride: u64) -> Result<Plane, FitsError> {
        let stride = stride.max(1);
        let (offset, _) = self.plane_range(plane)?;
        let (width, height) = (self.width(), self.height());
        let row_bytes = width
            .checked_mul(self.bitpix.bytes())
            .ok_or_else(|| FitsError::AbsurdSize { what: format!("rows of {width} pixels") })?;
        if row_bytes == 0 || height == 0 {
            return Err(FitsError::NoImageData);
        }
        let rows_per_block = (BLOCK / row_bytes).max(1);
        let (out_w, out_h) = (width.div_ceil(stride), height.div_ceil(stride));
        let capacity = usize::try_from(out_w.saturating_mul(out_h))
            .map_err(|_| FitsError::AbsurdSize { what: "the preview".into() })?;
        let mut data = Vec::with_capacity(capacity);
        let mut y = 0;
        while y < height {
            let rows = rows_per_block.min(height - y);
            let bytes = src.read_at(offset + y * row_bytes, rows * row_bytes)?;
            for r in (0..rows).filter(|r| (y + r) % stride == 0) {
                let start = (r * row_bytes) as usize;
                let values = decode_values(&bytes[start..start + row_bytes as usize], self.bitpix, &self.scaling);
                data.extend(values.into_iter().step_by(stride as usize));
            }
            y += rows;
        }
        Ok(Plane { width: out_w as usize, height: out_h as usize, data })
    }
}

#[cfg(test)]
mod tests {
    use crate::fits::open_image;
    use crate::generator::fits_writer::{Data, FitsBuilder};
    use crate::source::{CountingSource, MemSource};

    #[test]
    fn keeps_every_stride_th_pixel_of_every_stride_th_row() {
        let values: Vec<f32> = (0..5 * 4).map(|v| v as f32).collect();
        let src =
            CountingSource::new(MemSource(FitsBuilder::primary(-32, &[5, 4]).to_bytes(Data::F32(&values)).unwrap()));
        let hdu = open_image(&src).unwrap();
        let p = hdu.read_plane_preview(&src, 0, 2).unwrap();
        assert_eq!((p.width, p.height), (3, 2));
        assert_eq!(p.data, vec![0.0, 2.0, 4.0, 10.0, 12.0, 14.0]);
        assert_eq!(hdu.read_plane_preview(&src, 0, 1).unwrap(), hdu.read_plane(&src, 0).unwrap());
    }
}
