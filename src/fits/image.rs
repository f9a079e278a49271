//! Decoding pixel data: big-endian bytes → physical `f32` values, and the reads that fetch
//! exactly one plane or one spectrum.

use super::{Bitpix, FitsError, ImageHdu, Scaling};
use crate::plane::Plane;
use crate::source::ReadAt;

/// Largest plane we decode at once (1 GiB of raw bytes): beyond that, wasm32 memory runs out.
pub const MAX_PLANE_BYTES: u64 = 1 << 30;

/// Reads that fetch a spectrum: channels whose pixels lie within this many bytes of each
/// other are fetched in one `read_at` and picked apart.
const SPECTRUM_COALESCE_BYTES: u64 = 1 << 20;

/// Longest spectrum we extract (16 M channels; real cubes have at most ~10^5).
const MAX_SPECTRUM_CHANNELS: u64 = 1 << 24;

/// BZERO that marks 64-bit integers as unsigned (2^63).
const UNSIGNED_64_BZERO: f64 = 9_223_372_036_854_775_808.0;

impl Scaling {
    /// Physical value of a raw integer: BLANK (compared on the raw value) → NaN, then
    /// `raw * bscale + bzero` in f64 (exact for 16- and 32-bit unsigned via BZERO).
    fn int_value(&self, raw: i64, bitpix: Bitpix) -> f32 {
        if self.blank == Some(raw) {
            return f32::NAN;
        }
        if bitpix == Bitpix::I64 && self.bscale == 1.0 && self.bzero == UNSIGNED_64_BZERO {
            return ((raw as u64) ^ (1 << 63)) as f32;
        }
        (raw as f64 * self.bscale + self.bzero) as f32
    }

    /// No BSCALE/BZERO to apply: float values are used as stored.
    pub(super) fn is_identity(&self) -> bool {
        self.bscale == 1.0 && self.bzero == 0.0
    }

    fn float_value(&self, raw: f64) -> f32 {
        (raw * self.bscale + self.bzero) as f32
    }
}

/// Decodes big-endian values (any whole number of pixels) to physical values.
pub(super) fn decode_values(bytes: &[u8], bitpix: Bitpix, s: &Scaling) -> Vec<f32> {
    let mut out = vec![0.0; bytes.len() / bitpix.bytes() as usize];
    decode_into(bytes, bitpix, s, &mut out);
    out
}

/// Decodes big-endian values into `out`, one value per whole pixel of `bytes` (as many as
/// both hold): planes that arrive in chunks are decoded straight into their place.
pub(super) fn decode_into(bytes: &[u8], bitpix: Bitpix, s: &Scaling, out: &mut [f32]) {
    match bitpix {
        Bitpix::U8 => decode_each(bytes, out, |[b]: [u8; 1]| s.int_value(i64::from(b), bitpix)),
        Bitpix::I16 => decode_each(bytes, out, |b| s.int_value(i64::from(i16::from_be_bytes(b)), bitpix)),
        Bitpix::I32 => decode_each(bytes, out, |b| s.int_value(i64::from(i32::from_be_bytes(b)), bitpix)),
        Bitpix::I64 => decode_each(bytes, out, |b| s.int_value(i64::from_be_bytes(b), bitpix)),
        // ALMA products are float32 without scaling: a byte swap the compiler vectorises.
        Bitpix::F32 if s.is_identity() => decode_each(bytes, out, f32::from_be_bytes),
        Bitpix::F32 => decode_each(bytes, out, |b| s.float_value(f64::from(f32::from_be_bytes(b)))),
        Bitpix::F64 => decode_each(bytes, out, |b| s.float_value(f64::from_be_bytes(b))),
    }
}

/// Writes `value(pixel)` for each whole `N`-byte pixel of `bytes` into `out`. Writing into a
/// slice of known length (rather than pushing one value at a time) lets the loop vectorise.
fn decode_each<const N: usize>(bytes: &[u8], out: &mut [f32], value: impl Fn([u8; N]) -> f32) {
    for (slot, pixel) in out.iter_mut().zip(bytes.chunks_exact(N)) {
        let mut raw = [0u8; N];
        raw.copy_from_slice(pixel);
        *slot = value(raw);
    }
}

impl ImageHdu {
    /// Decodes the raw bytes of one plane (as given by [`ImageHdu::plane_range`]).
    pub fn decode_plane(&self, bytes: &[u8]) -> Result<Plane, FitsError> {
        let mut fill = self.plane_fill()?;
        fill.push(bytes)?;
        fill.finish()
    }

    /// Width and height as `usize`, refusing planes too large to hold in memory.
    pub(crate) fn plane_dims(&self) -> Result<(usize, usize), FitsError> {
        let bytes = self.plane_bytes()?;
        let too_big =
            || FitsError::AbsurdSize { what: format!("one plane is {bytes} bytes (limit {MAX_PLANE_BYTES})") };
        if bytes > MAX_PLANE_BYTES {
            return Err(too_big());
        }
        let w = usize::try_from(self.width()).map_err(|_| too_big())?;
        let h = usize::try_from(self.height()).map_err(|_| too_big())?;
        Ok((w, h))
    }

    /// Where the value at 0-based pixel (`x`, `y`) of each channel of `part` lies in the
    /// source (one pixel of `BITPIX` bytes each), for one Stokes plane.
    pub fn pixel_offsets(
        &self,
        x: u64,
        y: u64,
        stokes: u64,
        part: std::ops::Range<u64>,
    ) -> Result<Vec<u64>, FitsError> {
        if x >= self.width() || y >= self.height() {
            return Err(FitsError::OutOfRange {
                what: format!("pixel ({x}, {y}) is outside the {} x {} image", self.width(), self.height()),
            });
        }
        if self.channels() > MAX_SPECTRUM_CHANNELS {
            return Err(FitsError::AbsurdSize { what: format!("a spectrum of {} channels", self.channels()) });
        }
        let part = part.start.min(self.channels())..part.end.min(self.channels());
        let in_plane = (y * self.width() + x) * self.bitpix.bytes();
        part.map(|c| Ok(self.plane_range(self.plane_index(c, stokes)?)?.0 + in_plane)).collect()
    }

    /// Whether a spectrum costs one read per channel: planes too far apart to share reads.
    pub fn spectrum_reads_each_channel(&self) -> bool {
        self.plane_bytes().is_ok_and(|b| b >= SPECTRUM_COALESCE_BYTES)
    }

    /// Physical values of big-endian pixels read elsewhere (e.g. from [`Self::pixel_offsets`]).
    pub fn decode_pixels(&self, bytes: &[u8]) -> Vec<f32> {
        decode_values(bytes, self.bitpix, &self.scaling)
    }

    /// Reads and decodes plane `plane` with one `read_at` of exactly its bytes.
    pub fn read_plane(&self, src: &dyn ReadAt, plane: u64) -> Result<Plane, FitsError> {
        let (offset, len) = self.plane_range(plane)?;
        self.plane_dims()?;
        let bytes = src.read_at(offset, len)?;
        self.decode_plane(&bytes)
    }

    /// The value at 0-based pixel (`x`, `y`) in every channel, for one Stokes plane.
    pub fn pixel_spectrum(&self, src: &dyn ReadAt, x: u64, y: u64, stokes: u64) -> Result<Vec<f32>, FitsError> {
        self.pixel_spectrum_part(src, x, y, stokes, 0..self.channels())
    }

    /// The value at 0-based pixel (`x`, `y`) in the channels of `part`, for one Stokes plane:
    /// the browser fetches a long spectrum in parts so the plot fills in as it is read.
    ///
    /// Cost: the pixel of channel k lies one plane further than that of channel k-1, so
    /// channels are read in runs: all channels whose pixels fall within 1 MiB share one
    /// `read_at` (small cubes: one read), otherwise one read of one element per channel
    /// (in the browser ~1 ms each, so a 4000-channel cube with big planes takes ~4 s).
    pub fn pixel_spectrum_part(
        &self,
        src: &dyn ReadAt,
        x: u64,
        y: u64,
        stokes: u64,
        part: std::ops::Range<u64>,
    ) -> Result<Vec<f32>, FitsError> {
        let offsets = self.pixel_offsets(x, y, stokes, part)?;
        let elem = self.bitpix.bytes();
        let mut values = Vec::with_capacity(offsets.len());
        let mut run_start = 0;
        while let Some(&first) = offsets.get(run_start) {
            let run_len = offsets
                .iter()
                .skip(run_start)
                .take_while(|&&o| o >= first && o - first < SPECTRUM_COALESCE_BYTES)
                .count()
                .max(1);
            let run = offsets.get(run_start..run_start + run_len).unwrap_or(&[]);
            let last = run.iter().copied().max().unwrap_or(first);
            let bytes = src.read_at(first, last - first + elem)?;
            for &o in run {
                let at = (o - first) as usize;
                let raw = bytes.get(at..at + elem as usize).unwrap_or(&[]);
                values.extend(decode_values(raw, self.bitpix, &self.scaling));
            }
            run_start += run_len;
        }
        Ok(values)
    }
}
