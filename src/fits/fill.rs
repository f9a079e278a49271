//! A plane decoded as its bytes arrive. The browser reads a large plane fastest as several
//! concurrent `Blob` slices; decoding each slice as it lands overlaps the decode with the
//! rest of the read, and needs no buffer of the whole plane's raw bytes.

use super::image::decode_append;
use super::{Bitpix, FitsError, ImageHdu, Scaling};
use crate::plane::Plane;

/// One plane being decoded from chunks pushed in file order.
#[derive(Debug)]
pub struct PlaneFill {
    width: usize,
    height: usize,
    bitpix: Bitpix,
    scaling: Scaling,
    /// Raw bytes the plane has (width × height × bytes per pixel).
    expected: u64,
    received: u64,
    /// The start of a pixel split between two chunks (fewer bytes than one pixel).
    carry: Vec<u8>,
    data: Vec<f32>,
}

impl ImageHdu {
    /// An empty plane of this image's size, to be filled with [`PlaneFill::push`]. The
    /// values are allocated at the first push, once (the plane size was bounded when the
    /// header was read): the worker starts the plane's reads first, and allocating while
    /// they run hides the cost of growing memory for a large plane.
    pub fn plane_fill(&self) -> Result<PlaneFill, FitsError> {
        let expected = self.plane_bytes()?;
        if expected == 0 {
            return Err(FitsError::NoImageData);
        }
        let (width, height) = self.plane_dims()?;
        Ok(PlaneFill {
            width,
            height,
            bitpix: self.bitpix,
            scaling: self.scaling,
            expected,
            received: 0,
            carry: Vec::new(),
            data: Vec::new(),
        })
    }
}

impl PlaneFill {
    /// Decodes the next bytes of the plane (any length; a pixel may straddle two chunks).
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), FitsError> {
        let received = self.received.saturating_add(bytes.len() as u64);
        if received > self.expected {
            return Err(self.size_error(received));
        }
        self.received = received;
        if self.data.capacity() == 0 {
            self.data.reserve_exact(self.width.saturating_mul(self.height));
        }
        let pixel = self.bitpix.bytes() as usize;
        let mut rest = bytes;
        if !self.carry.is_empty() {
            let take = (pixel - self.carry.len()).min(rest.len());
            let (head, tail) = rest.split_at(take);
            self.carry.extend_from_slice(head);
            rest = tail;
            if self.carry.len() == pixel {
                decode_append(&self.carry, self.bitpix, &self.scaling, &mut self.data);
                self.carry.clear();
            }
        }
        let whole = rest.len() - rest.len() % pixel;
        let (body, tail) = rest.split_at(whole);
        decode_append(body, self.bitpix, &self.scaling, &mut self.data);
        self.carry.extend_from_slice(tail);
        Ok(())
    }

    /// The values decoded so far, in file order.
    pub fn decoded(&self) -> &[f32] {
        &self.data
    }

    /// The decoded plane, once every byte has been pushed.
    pub fn finish(self) -> Result<Plane, FitsError> {
        if self.received != self.expected {
            return Err(self.size_error(self.received));
        }
        Ok(Plane { width: self.width, height: self.height, data: self.data })
    }

    fn size_error(&self, got: u64) -> FitsError {
        FitsError::OutOfRange {
            what: format!(
                "a plane of {} x {} pixels needs {} bytes, got {got}",
                self.width, self.height, self.expected
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fits::open_image;
    use crate::source::MemSource;

    fn image(bitpix: &str, data: &[u8]) -> (MemSource, ImageHdu) {
        let mut h = String::new();
        for card in ["SIMPLE  = T", &format!("BITPIX  = {bitpix}"), "NAXIS   = 2", "NAXIS1  = 3", "NAXIS2  = 2", "END"]
        {
            h.push_str(&format!("{card:<80}"));
        }
        let mut bytes = format!("{h:<2880}").into_bytes();
        bytes.extend_from_slice(data);
        bytes.resize(bytes.len().div_ceil(2880) * 2880, 0);
        let src = MemSource(bytes);
        let hdu = open_image(&src).expect("valid test image");
        (src, hdu)
    }

    #[test]
    fn chunks_of_any_size_give_the_plane_read_at_once() {
        let raw: Vec<u8> = [1.5f32, -2.0, 3.25, f32::NAN, 0.0, 7.0].iter().flat_map(|v| v.to_be_bytes()).collect();
        let (src, hdu) = image("-32", &raw);
        let whole = hdu.read_plane(&src, 0).unwrap();
        for chunk in 1..=raw.len() {
            let mut fill = hdu.plane_fill().unwrap();
            raw.chunks(chunk).try_for_each(|c| fill.push(c)).unwrap();
            let plane = fill.finish().unwrap();
            assert_eq!(format!("{:?}", plane.data), format!("{:?}", whole.data), "chunks of {chunk}");
        }
    }

    #[test]
    fn scaling_applies_across_split_pixels() {
        let raw: Vec<u8> = [1i16, -1, 300, 4, 5, 6].iter().flat_map(|v| v.to_be_bytes()).collect();
        let (_, hdu) = image("16", &raw);
        let mut fill = hdu.plane_fill().unwrap();
        raw.chunks(3).try_for_each(|c| fill.push(c)).unwrap();
        assert_eq!(fill.finish().unwrap().data, vec![1.0, -1.0, 300.0, 4.0, 5.0, 6.0]);
    }

    #[test]
    fn too_many_or_too_few_bytes_are_errors() {
        let raw = vec![0u8; 24];
        let (_, hdu) = image("-32", &raw);
        let mut fill = hdu.plane_fill().unwrap();
        let err = fill.push(&[0; 25]).unwrap_err().to_string();
        assert!(err.contains("needs 24 bytes, got 25"), "{err}");
        let mut fill = hdu.plane_fill().unwrap();
        fill.push(&[0; 10]).unwrap();
        let err = fill.finish().unwrap_err().to_string();
        assert!(err.contains("needs 24 bytes, got 10"), "{err}");
    }
}
