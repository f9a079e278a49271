//! A plane decoded as its bytes arrive. The browser reads a large plane fastest as several
//! concurrent `Blob` slices; decoding each slice as it lands overlaps the decode with the
//! rest of the read, and needs no buffer of the whole plane's raw bytes. Float32 planes
//! without scaling (what ALMA writes) can even take their raw bytes straight into their
//! values' memory and be decoded there ([`PlaneFill::room`]).

use super::image::decode_into;
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
    /// The plane's values, filled in order: set aside by `reserve` (or at the first chunk),
    /// made (zeroed) slice by slice as chunks arrive.
    data: Vec<f32>,
    /// Values decoded so far.
    filled: usize,
}

impl ImageHdu {
    /// An empty plane of this image's size, to be filled with [`PlaneFill::push`]. The
    /// values are allocated by [`PlaneFill::reserve`] or at the first push, once (the plane
    /// size was bounded when the header was read).
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
            filled: 0,
        })
    }
}

impl PlaneFill {
    /// Decodes the next bytes of the plane (any length; a pixel may straddle two chunks).
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), FitsError> {
        self.receive(bytes.len())?;
        let pixel = self.bitpix.bytes() as usize;
        let mut rest = bytes;
        if !self.carry.is_empty() {
            let take = (pixel - self.carry.len()).min(rest.len());
            let (head, tail) = rest.split_at(take);
            self.carry.extend_from_slice(head);
            rest = tail;
            if self.carry.len() == pixel {
                let carry = std::mem::take(&mut self.carry);
                self.decode(&carry);
            }
        }
        let whole = rest.len() - rest.len() % pixel;
        let (body, tail) = rest.split_at(whole);
        self.decode(body);
        self.carry.extend_from_slice(tail);
        Ok(())
    }

    /// Room for the next `len` raw bytes inside the plane's own values, for a float32 plane
    /// without scaling: the caller copies the bytes there, then calls
    /// [`PlaneFill::decode_in_place`]. That saves copying every chunk into a buffer of its
    /// own and out again. None when the plane is not such a plane, or `len` bytes are not
    /// whole pixels at a pixel boundary, or more than the plane has.
    pub fn room(&mut self, len: usize) -> Option<&mut [u8]> {
        let fits = self.bitpix == Bitpix::F32
            && self.scaling.is_identity()
            && self.carry.is_empty()
            && len.is_multiple_of(4)
            && self.received.checked_add(len as u64).is_some_and(|r| r <= self.expected);
        if !fits {
            return None;
        }
        let values = self.next_values(len / 4)?;
        // SAFETY: the bytes of an f32 slice: u8 has alignment 1 and no invalid values, and
        // every bit pattern is a valid f32, so whatever the caller writes stays sound.
        Some(unsafe { std::slice::from_raw_parts_mut(values.as_mut_ptr().cast::<u8>(), values.len() * 4) })
    }

    /// Decodes the `len` big-endian bytes just copied into [`PlaneFill::room`].
    pub fn decode_in_place(&mut self, len: usize) -> Result<(), FitsError> {
        if self.room(len).is_none() {
            return Err(FitsError::OutOfRange {
                what: format!("{len} bytes placed in a plane that has no room for them"),
            });
        }
        self.receive(len)?;
        let from = self.filled;
        for v in self.data.get_mut(from..from + len / 4).unwrap_or_default() {
            *v = f32::from_bits(u32::from_be(v.to_bits()));
        }
        self.filled += len / 4;
        Ok(())
    }

    /// Counts `len` more raw bytes, refusing more than the plane has.
    fn receive(&mut self, len: usize) -> Result<(), FitsError> {
        let received = self.received.saturating_add(len as u64);
        if received > self.expected {
            return Err(self.size_error(received));
        }
        self.received = received;
        Ok(())
    }

    /// Sets the plane's memory aside now rather than at the first chunk: the worker calls
    /// this once the plane's reads are issued. Only set aside, not written: fresh memory is
    /// mapped by the OS at its first write (~1 ms per MiB here), so zeroing the whole plane
    /// here would block the worker for that long before the first slice (~190 ms at 8192²);
    /// each slice's values are made as it arrives instead ([`PlaneFill::next_values`]).
    pub fn reserve(&mut self) {
        let total = self.width.saturating_mul(self.height);
        self.data.reserve_exact(total.saturating_sub(self.data.len()));
    }

    /// The next `count` values to fill (zeroed when first handed out), or None past the
    /// plane's end.
    fn next_values(&mut self, count: usize) -> Option<&mut [f32]> {
        let end = self.filled.checked_add(count)?;
        if end > self.width.saturating_mul(self.height) {
            return None;
        }
        self.reserve();
        if self.data.len() < end {
            self.data.resize(end, 0.0);
        }
        self.data.get_mut(self.filled..end)
    }

    /// Decodes whole pixels into the next values.
    fn decode(&mut self, bytes: &[u8]) {
        let (bitpix, scaling) = (self.bitpix, self.scaling);
        let count = bytes.len() / bitpix.bytes() as usize;
        if let Some(out) = self.next_values(count) {
            decode_into(bytes, bitpix, &scaling, out);
            self.filled += count;
        }
    }

    /// The values decoded so far, in file order.
    pub fn decoded(&self) -> &[f32] {
        self.data.get(..self.filled).unwrap_or_default()
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
    fn float_planes_decode_in_place_as_if_pushed() {
        let raw: Vec<u8> = [1.5f32, -2.0, 3.25, f32::NAN, 0.0, 7.0].iter().flat_map(|v| v.to_be_bytes()).collect();
        let (src, hdu) = image("-32", &raw);
        let whole = hdu.read_plane(&src, 0).unwrap();
        for reserved in [false, true] {
            let mut fill = hdu.plane_fill().unwrap();
            if reserved {
                fill.reserve();
            }
            for chunk in raw.chunks(8) {
                fill.room(chunk.len()).expect("room for whole pixels").copy_from_slice(chunk);
                fill.decode_in_place(chunk.len()).unwrap();
            }
            assert_eq!(
                format!("{:?}", fill.finish().unwrap().data),
                format!("{:?}", whole.data),
                "reserved: {reserved}"
            );
        }
    }

    #[test]
    fn room_only_for_whole_unscaled_float_pixels_that_fit() {
        let (_, hdu) = image("-32", &[0; 24]);
        let mut fill = hdu.plane_fill().unwrap();
        assert!(fill.room(6).is_none(), "not whole pixels");
        assert!(fill.room(28).is_none(), "more than the plane");
        fill.push(&[0; 2]).unwrap();
        assert!(fill.room(4).is_none(), "a pixel is split");
        assert!(fill.decode_in_place(4).is_err());
        let (_, ints) = image("16", &[0; 12]);
        assert!(ints.plane_fill().unwrap().room(4).is_none(), "integers are scaled, not copied");
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
