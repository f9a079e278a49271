//! Moment maps of a cube, computed by streaming over its channels one plane at a time:
//! moment 0 (integrated intensity, Σ I Δv, in BUNIT·km/s) and the peak intensity (max I).
//! Planes are added one channel at a time, in order, by whoever reads them (the worker reads
//! the next planes while this one is added), so progress and Cancel get through between
//! planes; memory is two maps and the planes in flight, whatever the cube's size.

use super::coords::Coords;
use super::{FitsError, ImageHdu};
use crate::plane::Plane;

pub struct Moments {
    width: usize,
    height: usize,
    sum: Vec<f64>,
    peak: Vec<f32>,
    seen: Vec<bool>,
    stokes: u64,
    next: u64,
    channels: u64,
    /// Channel width in km/s (1 when the cube has no velocity axis: then moment 0 is Σ I).
    dv_kms: f64,
    velocity: bool,
}

impl Moments {
    /// Prepares to integrate Stokes plane `stokes` of `hdu` over all its channels.
    pub fn new(hdu: &ImageHdu, coords: &Coords, stokes: u64) -> Result<Moments, FitsError> {
        let channels = hdu.channels();
        if channels < 2 {
            return Err(FitsError::Unsupported("moment maps need a cube with more than one channel".into()));
        }
        let pixels =
            usize::try_from(hdu.width().saturating_mul(hdu.height())).ok().filter(|&n| n <= 1 << 28).ok_or_else(
                || FitsError::Unsupported("the planes of this cube are too large for moment maps here".into()),
            )?;
        let dv = match (coords.channel_velocity_kms(0.0), coords.channel_velocity_kms(1.0)) {
            (Some(a), Some(b)) if (b - a).is_finite() && b != a => Some((b - a).abs()),
            _ => None,
        };
        Ok(Moments {
            width: hdu.width() as usize,
            height: hdu.height() as usize,
            sum: vec![0.0; pixels],
            peak: vec![f32::NEG_INFINITY; pixels],
            seen: vec![false; pixels],
            stokes,
            next: 0,
            channels,
            dv_kms: dv.unwrap_or(1.0),
            velocity: dv.is_some(),
        })
    }

    /// The Stokes plane being integrated.
    pub fn stokes(&self) -> u64 {
        self.stokes
    }

    /// Adds the plane of the next channel; returns (channels done, channels in all).
    pub fn add(&mut self, plane: &Plane) -> Result<(u64, u64), FitsError> {
        if self.is_done() {
            return Err(FitsError::OutOfRange { what: format!("all {} channels are already added", self.channels) });
        }
        if (plane.width, plane.height) != (self.width, self.height) {
            return Err(FitsError::OutOfRange {
                what: format!(
                    "a {} x {} plane added to {} x {} moment maps",
                    plane.width, plane.height, self.width, self.height
                ),
            });
        }
        // Branch-free over the four arrays together, so the loop runs as SIMD: blanked
        // pixels add nothing and leave the peak as it was.
        let dv = self.dv_kms;
        let pixels = plane.data.iter().zip(&mut self.sum).zip(&mut self.peak).zip(&mut self.seen);
        for (((&v, sum), peak), seen) in pixels {
            let ok = v.is_finite();
            *sum += if ok { f64::from(v) * dv } else { 0.0 };
            *peak = if ok && v > *peak { v } else { *peak };
            *seen |= ok;
        }
        self.next += 1;
        Ok((self.next, self.channels))
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.channels
    }

    /// Integrated intensity; NaN where no channel had a finite value.
    pub fn moment0(&self) -> Plane {
        self.map(|i| self.sum[i] as f32)
    }

    /// Peak intensity; NaN where no channel had a finite value.
    pub fn peak(&self) -> Plane {
        self.map(|i| self.peak[i])
    }

    /// Whether moment 0 is in BUNIT·km/s (true) or a plain channel sum (no velocity axis).
    pub fn has_velocity(&self) -> bool {
        self.velocity
    }

    fn map(&self, value: impl Fn(usize) -> f32) -> Plane {
        let data = (0..self.sum.len()).map(|i| if self.seen[i] { value(i) } else { f32::NAN }).collect();
        Plane { width: self.width, height: self.height, data }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fits::{coords::Coords, open_image};
    use crate::generator::fits_writer::{Data, FitsBuilder};
    use crate::source::MemSource;

    /// A 2×1×3 cube, 1 km/s channels (VRAD), with a NaN in one pixel of channel 1.
    fn cube() -> MemSource {
        let values = [1.0f32, 2.0, f32::NAN, 4.0, 5.0, 6.0];
        let fits = FitsBuilder::primary(-32, &[2, 1, 3])
            .string("CTYPE3", "VRAD", "")
            .float("CRVAL3", 0.0, "")
            .float("CDELT3", 1000.0, "m/s")
            .float("CRPIX3", 1.0, "")
            .to_bytes(Data::F32(&values))
            .unwrap();
        MemSource(fits)
    }

    #[test]
    fn integrates_and_peaks_over_channels_in_steps() {
        let src = cube();
        let hdu = open_image(&src).unwrap();
        let coords = Coords::from_header(&hdu.header);
        let mut m = Moments::new(&hdu, &coords, 0).unwrap();
        let plane = |c| hdu.read_plane(&src, c).unwrap();
        assert_eq!(m.add(&plane(0)).unwrap(), (1, 3));
        assert_eq!(m.add(&plane(1)).unwrap(), (2, 3));
        assert!(!m.is_done());
        assert_eq!(m.add(&plane(2)).unwrap(), (3, 3));
        assert!(m.is_done() && m.has_velocity());
        assert!(m.add(&plane(2)).is_err(), "no channel after the last");
        assert_eq!(m.moment0().data, vec![1.0 + 5.0, 2.0 + 4.0 + 6.0]);
        assert_eq!(m.peak().data, vec![5.0, 6.0]);
    }

    #[test]
    fn a_plane_of_another_size_is_refused() {
        let src = cube();
        let hdu = open_image(&src).unwrap();
        let mut m = Moments::new(&hdu, &Coords::from_header(&hdu.header), 0).unwrap();
        let wrong = Plane { width: 1, height: 2, data: vec![0.0; 2] };
        assert!(m.add(&wrong).unwrap_err().to_string().contains("1 x 2 plane added to 2 x 1"));
    }

    #[test]
    fn a_single_plane_is_refused() {
        let src = MemSource(FitsBuilder::primary(-32, &[2, 2]).to_bytes(Data::F32(&[0.0; 4])).unwrap());
        let hdu = open_image(&src).unwrap();
        assert!(Moments::new(&hdu, &Coords::from_header(&hdu.header), 0).is_err());
    }
}
