//! Synthetic sky: sources, a rotating disk, the primary beam and correlated noise.
//!
//! Images are made the way an interferometer sees the sky: sky (Jy/pixel) times primary beam,
//! convolved with the synthesised beam (peak-normalised, so the result is in Jy/beam), plus
//! noise smoothed on the beam scale. Dividing by the primary beam gives the `pbcor` image.

use super::setup::SPEED_OF_LIGHT_KMS;

/// SplitMix64: tiny, seedable, and the same on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn gaussian(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// A square pixel grid centred on the phase centre (CASA puts CRPIX at n/2 + 1).
#[derive(Clone, Copy, Debug)]
pub struct Grid {
    pub n: u64,
    pub cell_arcsec: f64,
}

impl Grid {
    pub fn crpix(&self) -> f64 {
        (self.n / 2 + 1) as f64
    }

    /// Offsets (arcsec east, arcsec north) of 0-based pixel (i, j).
    pub fn offset(&self, i: u64, j: u64) -> (f64, f64) {
        // RA grows to the east, i.e. towards lower pixel numbers (CDELT1 < 0).
        let east = -((i + 1) as f64 - self.crpix()) * self.cell_arcsec;
        let north = ((j + 1) as f64 - self.crpix()) * self.cell_arcsec;
        (east, north)
    }

    pub fn len(&self) -> usize {
        (self.n * self.n) as usize
    }

    pub fn map(&self, f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.len());
        for j in 0..self.n {
            for i in 0..self.n {
                let (x, y) = self.offset(i, j);
                out.push(f(x, y));
            }
        }
        out
    }
}

/// Gaussian primary beam of a dish at a frequency: FWHM = 1.13 λ/D.
pub fn primary_beam(grid: Grid, freq_hz: f64, dish_m: f64) -> Vec<f64> {
    let fwhm = 1.13 * (SPEED_OF_LIGHT_KMS * 1e3 / freq_hz) / dish_m * 206_264.806;
    grid.map(|x, y| (-4.0 * 2f64.ln() * (x * x + y * y) / (fwhm * fwhm)).exp())
}

/// What is on the sky around one field.
#[derive(Clone, Debug)]
pub enum Model {
    /// A protoplanetary disk: ringed dust continuum and Keplerian line emission.
    Disk { incl_deg: f64, pa_deg: f64, flux_jy: f64, v_kep_1as: f64 },
    /// A star-forming clump: compact cores, each with its own velocity.
    Cores,
    /// A quasar: a point source, possibly a little off centre.
    Point { flux_jy: f64, dx: f64, dy: f64 },
}

/// Cores of the clump: (dx, dy, fwhm arcsec, flux Jy, velocity offset km/s).
const CORES: [(f64, f64, f64, f64, f64); 5] = [
    (0.0, 0.0, 1.5, 0.060, 0.0),
    (-4.2, 2.8, 2.0, 0.025, -2.2),
    (3.5, -3.1, 1.2, 0.018, 1.8),
    (6.8, 5.5, 3.0, 0.012, 3.0),
    (-8.0, -6.5, 4.0, 0.010, -3.5),
];

fn gauss2(x: f64, y: f64, fwhm: f64) -> f64 {
    (-4.0 * 2f64.ln() * (x * x + y * y) / (fwhm * fwhm)).exp()
}

impl Model {
    /// Deprojected radius (arcsec) and azimuth cosine in the disk plane.
    fn disk_coords(x: f64, y: f64, incl_deg: f64, pa_deg: f64) -> (f64, f64) {
        let pa = pa_deg.to_radians();
        let (major, minor) = (x * pa.sin() + y * pa.cos(), x * pa.cos() - y * pa.sin());
        let minor = minor / incl_deg.to_radians().cos();
        let r = (major * major + minor * minor).sqrt();
        (r, if r > 0.0 { major / r } else { 0.0 })
    }

    /// Continuum brightness in Jy per square arcsec at `freq_hz` (spectral index included).
    pub fn continuum(&self, x: f64, y: f64, freq_hz: f64) -> f64 {
        let nu = freq_hz / 225e9;
        match *self {
            Model::Disk { incl_deg, pa_deg, flux_jy, .. } => {
                let (r, _) = Self::disk_coords(x, y, incl_deg, pa_deg);
                let rings =
                    1.0 - 0.7 * (-((r - 0.55) / 0.12).powi(2)).exp() - 0.5 * (-((r - 0.85) / 0.1).powi(2)).exp();
                flux_jy * nu.powf(2.3) * (-(r / 0.5)).exp() * rings.max(0.0) / 0.9
            }
            Model::Cores => CORES
                .iter()
                .map(|&(dx, dy, fwhm, flux, _)| {
                    flux * nu.powf(3.0) * gauss2(x - dx, y - dy, fwhm) / (1.133 * fwhm * fwhm)
                })
                .sum(),
            Model::Point { .. } => 0.0,
        }
    }

    /// Point-source flux density (Jy) and position, for the models that have one.
    pub fn point(&self, freq_hz: f64) -> Option<(f64, f64, f64)> {
        match *self {
            Model::Point { flux_jy, dx, dy } => Some((flux_jy * (freq_hz / 225e9).powf(-0.7), dx, dy)),
            _ => None,
        }
    }

    /// Line brightness (Jy per square arcsec) at LSRK velocity `v` offset from systemic (km/s).
    pub fn line(&self, x: f64, y: f64, v: f64) -> f64 {
        match *self {
            Model::Disk { incl_deg, pa_deg, v_kep_1as, .. } => {
                let (r, cos_phi) = Self::disk_coords(x, y, incl_deg, pa_deg);
                if !(0.05..4.0).contains(&r) {
                    return 0.0;
                }
                let v_los = v_kep_1as / r.sqrt() * incl_deg.to_radians().sin() * cos_phi;
                0.15 * (-(r / 1.8)).exp() * (-((v_los - v) / 0.35).powi(2) / 2.0).exp()
            }
            Model::Cores => CORES
                .iter()
                .map(|&(dx, dy, fwhm, flux, dv)| {
                    let vel = (v - dv - 0.15 * dx) / 1.1;
                    4.0 * flux * gauss2(x - dx, y - dy, fwhm * 1.6) / (fwhm * fwhm) * (-vel * vel / 2.0).exp()
                })
                .sum(),
            Model::Point { .. } => 0.0,
        }
    }

    /// Spectral index seen in the `alpha` image where the source is bright.
    pub fn spectral_index(&self) -> f64 {
        match self {
            Model::Disk { .. } => 2.3,
            Model::Cores => 3.0,
            Model::Point { .. } => -0.7,
        }
    }
}

/// Convolution with a circular Gaussian of `fwhm_px`, peak-normalised: Jy/pixel → Jy/beam.
pub fn convolve_beam(plane: &[f64], n: usize, fwhm_px: f64) -> Vec<f64> {
    let kernel = beam_kernel(fwhm_px);
    let half = (kernel.len() / 2) as isize;
    let pass = |src: &[f64], horizontal: bool| -> Vec<f64> {
        let mut out = vec![0.0; src.len()];
        for j in 0..n {
            for i in 0..n {
                let mut acc = 0.0;
                for (k, w) in kernel.iter().enumerate() {
                    let d = k as isize - half;
                    let (ii, jj) = if horizontal { (i as isize + d, j as isize) } else { (i as isize, j as isize + d) };
                    if (0..n as isize).contains(&ii) && (0..n as isize).contains(&jj) {
                        acc += w * src[jj as usize * n + ii as usize];
                    }
                }
                out[j * n + i] = acc;
            }
        }
        out
    };
    pass(&pass(plane, true), false)
}

fn beam_kernel(fwhm_px: f64) -> Vec<f64> {
    let sigma = (fwhm_px / 2.3548).max(0.3);
    let half = (3.0 * sigma).ceil() as isize;
    (-half..=half).map(|d| (-(d * d) as f64 / (2.0 * sigma * sigma)).exp()).collect()
}

/// Noise correlated on the beam scale with the requested rms (Jy/beam).
pub fn beam_noise(rng: &mut Rng, n: usize, fwhm_px: f64, rms: f64) -> Vec<f64> {
    let white: Vec<f64> = (0..n * n).map(|_| rng.gaussian()).collect();
    let k = beam_kernel(fwhm_px);
    let gain: f64 = k.iter().map(|w| w * w).sum::<f64>(); // per axis; separable → squared
    let scale = rms / gain;
    convolve_beam(&white, n, fwhm_px).into_iter().map(|v| v * scale).collect()
}

/// LSRK velocity (km/s, radio convention) of a frequency for a line at `rest_hz`.
pub fn radio_velocity(freq_hz: f64, rest_hz: f64) -> f64 {
    SPEED_OF_LIGHT_KMS * (1.0 - freq_hz / rest_hz)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_gaussian_has_unit_variance() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        let xs: Vec<f64> = (0..20000).map(|_| a.gaussian()).collect();
        let var = xs.iter().map(|x| x * x).sum::<f64>() / xs.len() as f64;
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn beam_convolution_keeps_a_point_source_peak() {
        let mut plane = vec![0.0; 15 * 15];
        plane[7 * 15 + 7] = 2.0;
        let out = convolve_beam(&plane, 15, 3.0);
        assert!((out[7 * 15 + 7] - 2.0).abs() < 1e-9);
        assert!(out[7 * 15 + 9] < 1.0);
    }

    #[test]
    fn noise_has_the_requested_rms() {
        let noise = beam_noise(&mut Rng::new(1), 64, 3.0, 0.5);
        let rms = (noise.iter().map(|v| v * v).sum::<f64>() / noise.len() as f64).sqrt();
        assert!((rms - 0.5).abs() < 0.1, "rms {rms}");
    }

    #[test]
    fn disk_line_moves_across_velocities() {
        let disk = Model::Disk { incl_deg: 46.7, pa_deg: 133.0, flux_jy: 0.7, v_kep_1as: 4.0 };
        // The red and blue sides of the disk light up at opposite velocities.
        let pa = 133f64.to_radians();
        let (x, y) = (pa.sin(), pa.cos());
        assert!(disk.line(x, y, 2.1) > 10.0 * disk.line(x, y, -2.1));
        assert!(disk.line(-x, -y, -2.1) > 10.0 * disk.line(-x, -y, 2.1));
    }
}
