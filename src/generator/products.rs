//! The FITS products of one member OUS, named and laid out as the archive delivers them.
//!
//! Science targets get the aggregate continuum family (`tt0`/`tt1` pbcor, `pb.tt0`, `alpha`,
//! `alpha.error`, mask), one `mfs` image and one continuum-subtracted `cube` per spw;
//! calibrators get per-spw `mfs` images; the check source gets one EB-prefixed image.
//! Every pbcor image comes with its gzipped `.pb.fits.gz` and `.mask.fits.gz`.

use super::fits_writer::{Data, FitsBuilder};
use super::image_header::{product_header, FreqAxis, HeaderSpec};
use super::setup::{Intent, Member, Source, Spw, SPEED_OF_LIGHT_KMS};
use super::sky::{beam_noise, convolve_beam, primary_beam, radio_velocity, Grid, Model, Rng};
use super::stages::{CAL_IMAGING_STAGE, CONT_IMAGING_STAGE, CUBE_IMAGING_STAGE, MFS_IMAGING_STAGE};
use super::tarball::gzip;

/// The pipeline's `pblimit`: pbcor pixels below it are blanked (NaN).
const PB_LIMIT: f64 = 0.2;

/// One file of the `product/` folder.
pub struct Product {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The sky model behind each field.
pub fn model_of(source: &Source) -> Model {
    match source.intent {
        Intent::Science if source.field.starts_with("HD") => {
            Model::Disk { incl_deg: 46.7, pa_deg: 133.3, flux_jy: 0.75, v_kep_1as: 4.2 }
        }
        Intent::Science => Model::Cores,
        Intent::Bandpass => Model::Point { flux_jy: 3.1, dx: 0.0, dy: 0.0 },
        Intent::Phase => Model::Point { flux_jy: 0.42, dx: 0.0, dy: 0.0 },
        Intent::Check => Model::Point { flux_jy: 0.055, dx: 0.03, dy: -0.02 },
    }
}

/// Half-width (km/s) of the velocity range where a field emits line: excluded from cont.dat.
pub fn line_half_width(model: &Model) -> Option<f64> {
    match model {
        Model::Disk { .. } => Some(5.5),
        Model::Cores => Some(7.0),
        Model::Point { .. } => None,
    }
}

/// The cube's spectral axis for a field: the spw tuned so the line, Doppler-shifted to the
/// field's LSRK velocity, sits in the middle channel.
pub fn cube_axis(member: &Member, source: &Source, spw: &Spw) -> FreqAxis {
    let channels = member.imaging.channels;
    let centre = spw.rest_hz * (1.0 - source.vlsr / SPEED_OF_LIGHT_KMS);
    FreqAxis {
        crval_hz: centre - spw.channel_hz * (channels / 2) as f64,
        cdelt_hz: spw.channel_hz,
        channels,
        rest_hz: spw.rest_hz,
    }
}

/// The spw as one wide channel (mfs images), centred on the cube's band.
fn mfs_axis(member: &Member, source: &Source, spw: &Spw) -> FreqAxis {
    let cube = cube_axis(member, source, spw);
    let width = cube.cdelt_hz * cube.channels as f64;
    FreqAxis {
        crval_hz: cube.crval_hz - cube.cdelt_hz / 2.0 + width / 2.0,
        cdelt_hz: width,
        channels: 1,
        rest_hz: spw.rest_hz,
    }
}

/// The aggregate continuum axis spanning all spws.
fn cont_axis(member: &Member, source: &Source) -> FreqAxis {
    let axes: Vec<FreqAxis> = member.spws.iter().map(|s| mfs_axis(member, source, s)).collect();
    let lo = axes.iter().map(|a| a.crval_hz - a.cdelt_hz / 2.0).fold(f64::INFINITY, f64::min);
    let hi = axes.iter().map(|a| a.crval_hz + a.cdelt_hz / 2.0).fold(f64::NEG_INFINITY, f64::max);
    FreqAxis { crval_hz: (lo + hi) / 2.0, cdelt_hz: hi - lo, channels: 1, rest_hz: (lo + hi) / 2.0 }
}

/// One observed plane: pbcor image (NaN below the PB limit), primary beam and clean mask.
struct Plane {
    pbcor: Vec<f64>,
    pb: Vec<f64>,
    mask: Vec<f64>,
}

/// Images one field of one member: holds the geometry and the noise generator.
struct Imager<'a> {
    member: &'a Member,
    source: &'a Source,
    model: Model,
    grid: Grid,
    rng: Rng,
}

impl Imager<'_> {
    fn fwhm_px(&self) -> f64 {
        let (bmaj, bmin, _) = self.member.imaging.beam_arcsec;
        (bmaj * bmin).sqrt() / self.grid.cell_arcsec
    }

    /// Sky (Jy/arcsec²) times PB, convolved with the beam, plus noise, then PB-corrected.
    fn observe(&mut self, freq_hz: f64, sky: impl Fn(f64, f64) -> f64, rms: f64) -> Plane {
        let n = self.grid.n as usize;
        let pix_area = self.grid.cell_arcsec * self.grid.cell_arcsec;
        let pb = primary_beam(self.grid, freq_hz, self.member.imaging.dish_m);
        let mut flux: Vec<f64> = self.grid.map(|x, y| sky(x, y) * pix_area);
        if let Some((jy, dx, dy)) = self.model.point(freq_hz) {
            let i = (self.grid.crpix() - 1.0 - dx / self.grid.cell_arcsec).round() as usize;
            let j = (self.grid.crpix() - 1.0 + dy / self.grid.cell_arcsec).round() as usize;
            if let Some(p) = flux.get_mut(j * n + i) {
                *p += jy;
            }
        }
        let attenuated: Vec<f64> = flux.iter().zip(&pb).map(|(f, p)| f * p).collect();
        let fwhm_px = self.fwhm_px();
        let clean = convolve_beam(&attenuated, n, fwhm_px);
        let noise = beam_noise(&mut self.rng, n, fwhm_px, rms);
        let inside = |p: &f64| *p >= PB_LIMIT;
        let pbcor = clean
            .iter()
            .zip(&noise)
            .zip(&pb)
            .map(|((c, e), p)| if inside(p) { (c + e) / p } else { f64::NAN })
            .collect();
        let mask = clean.iter().zip(&pb).map(|(c, p)| if inside(p) && *c > 4.0 * rms { 1.0 } else { 0.0 }).collect();
        Plane { pbcor, pb, mask }
    }
}

/// Noise levels (Jy/beam) for cont, mfs and cube products of an array.
fn noise(member: &Member) -> (f64, f64, f64) {
    if member.array == "7m" {
        (6e-4, 1.5e-3, 4e-2)
    } else {
        (8e-5, 2.5e-4, 7e-3)
    }
}

/// One `tclean` run of the pipeline: a field, its spws and specmode. Each run gives one
/// product family; `casa_commands.log` lists the same runs.
pub struct ImagingRun<'a> {
    pub source: &'a Source,
    pub spws: Vec<Spw>,
    pub specmode: &'static str,
    /// `member.<MOUS>`, or the EB uid for per-EB check-source images.
    pub prefix: String,
    pub imsize: u64,
    /// Pipeline stage that made it (the `s<N>_0` token of the pipeline image name).
    pub stage: u32,
}

impl ImagingRun<'_> {
    /// `<prefix>.<source>_<intent>.spw<ids>.<specmode>.I`: the stem shared by the family.
    pub fn stem(&self) -> String {
        let ids: Vec<String> = self.spws.iter().map(|s| s.id.to_string()).collect();
        format!(
            "{}.{}_{}.spw{}.{}.I",
            self.prefix,
            self.source.product_name(),
            self.source.intent.token(),
            ids.join("_"),
            self.specmode
        )
    }
}

/// The imaging runs of a member, in pipeline order: calibrators and check source, then per
/// science target an mfs image per spw, the aggregate continuum and a cube per spw.
pub fn imaging_runs<'a>(member: &Member, sources: &'a [Source]) -> Vec<ImagingRun<'a>> {
    let img = &member.imaging;
    let run = |source, spws: &[Spw], specmode, prefix: &str, imsize, stage| ImagingRun {
        source,
        spws: spws.to_vec(),
        specmode,
        prefix: prefix.to_string(),
        imsize,
        stage,
    };
    let mut runs = Vec::new();
    let cal_size = img.imsize / 2;
    for source in sources {
        match source.intent {
            Intent::Bandpass | Intent::Phase => {
                for spw in &member.spws {
                    runs.push(run(
                        source,
                        std::slice::from_ref(spw),
                        "mfs",
                        &member.prefix(),
                        cal_size,
                        CAL_IMAGING_STAGE,
                    ));
                }
            }
            Intent::Check => {
                let eb = member.ebs.first().copied().unwrap_or(member.mous);
                runs.push(run(source, &member.spws, "mfs", eb, cal_size, CAL_IMAGING_STAGE));
            }
            Intent::Science => {}
        }
    }
    for source in sources.iter().filter(|s| s.intent == Intent::Science) {
        for spw in &member.spws {
            runs.push(run(source, std::slice::from_ref(spw), "mfs", &member.prefix(), img.imsize, MFS_IMAGING_STAGE));
        }
        runs.push(run(source, &member.spws, "cont", &member.prefix(), img.imsize, CONT_IMAGING_STAGE));
        for spw in &member.spws {
            runs.push(run(
                source,
                std::slice::from_ref(spw),
                "cube",
                &member.prefix(),
                img.cube_imsize,
                CUBE_IMAGING_STAGE,
            ));
        }
    }
    runs
}

/// All products of a member, in delivery order.
pub fn member_products(member: &Member, sources: &[Source], seed: u64) -> Result<Vec<Product>, String> {
    let mut out = Vec::new();
    let array_salt = u64::from(member.spws.first().map_or(0, |s| s.id)) << 40;
    for (k, run) in imaging_runs(member, sources).iter().enumerate() {
        let mut imager = Imager {
            member,
            source: run.source,
            model: model_of(run.source),
            grid: Grid { n: run.imsize, cell_arcsec: member.imaging.cell_arcsec },
            rng: Rng::new(seed ^ (k as u64 + 1).wrapping_mul(0x9E37_79B9) ^ array_salt),
        };
        match (run.specmode, run.spws.as_slice()) {
            ("cont", _) => continuum_family(&mut imager, run, &mut out)?,
            ("cube", [spw]) => cube_image(&mut imager, run, spw, &mut out)?,
            _ => mfs_image(&mut imager, run, &mut out)?,
        }
    }
    Ok(out)
}

/// Serialises one product (float32, 4-D), gzipping `.gz` names.
struct Layer<'a> {
    suffix: &'a str,
    image_type: &'a str,
    bunit: &'a str,
    with_beam: bool,
}

const PBCOR: Layer = Layer { suffix: "pbcor.fits", image_type: "pbcorimage", bunit: "Jy/beam", with_beam: true };
const PB: Layer = Layer { suffix: "pb.fits.gz", image_type: "flux", bunit: "", with_beam: false };
const MASK: Layer = Layer { suffix: "mask.fits.gz", image_type: "cleanmask", bunit: "", with_beam: false };

#[allow(clippy::too_many_arguments)]
fn emit(
    im: &Imager<'_>,
    stem: &str,
    layer: &Layer<'_>,
    specmode: &str,
    spws: &[Spw],
    freq: FreqAxis,
    data: &[f64],
    out: &mut Vec<Product>,
) -> Result<(), String> {
    let spw_list: Vec<String> = spws.iter().map(|s| s.id.to_string()).collect();
    let spec = HeaderSpec {
        member: im.member,
        source: im.source,
        grid: im.grid,
        freq,
        specmode,
        spw_list: spw_list.join(","),
        image_type: layer.image_type,
        bunit: layer.bunit,
        with_beam: layer.with_beam,
        stats: stats(data),
    };
    let pixels: Vec<f32> = data.iter().map(|v| *v as f32).collect();
    let fits: FitsBuilder = product_header(&spec);
    let bytes = fits.to_bytes(Data::F32(&pixels))?;
    let name = format!("{stem}.{}", layer.suffix);
    let bytes = if name.ends_with(".gz") { gzip(&bytes).map_err(|e| e.to_string())? } else { bytes };
    out.push(Product { name, bytes });
    Ok(())
}

/// DATAMIN, DATAMAX, DATARMS of the finite pixels.
fn stats(data: &[f64]) -> (f64, f64, f64) {
    let finite: Vec<f64> = data.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let min = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let rms = (finite.iter().map(|v| v * v).sum::<f64>() / finite.len() as f64).sqrt();
    (min, max, rms)
}

fn mfs_image(im: &mut Imager<'_>, run: &ImagingRun<'_>, out: &mut Vec<Product>) -> Result<(), String> {
    let spws = run.spws.as_slice();
    let freq = match spws {
        [spw] => mfs_axis(im.member, im.source, spw),
        _ => cont_axis(im.member, im.source),
    };
    let model = im.model.clone();
    let plane = im.observe(freq.crval_hz, |x, y| model.continuum(x, y, freq.crval_hz), noise(im.member).1);
    let stem = run.stem();
    emit(im, &stem, &PBCOR, "mfs", spws, freq, &plane.pbcor, out)?;
    emit(im, &stem, &PB, "mfs", spws, freq, &plane.pb, out)?;
    emit(im, &stem, &MASK, "mfs", spws, freq, &plane.mask, out)
}

/// The mtmfs aggregate continuum: Taylor terms, spectral index and its error.
fn continuum_family(im: &mut Imager<'_>, run: &ImagingRun<'_>, out: &mut Vec<Product>) -> Result<(), String> {
    let member = im.member;
    let freq = cont_axis(member, im.source);
    let model = im.model.clone();
    let rms = noise(member).0;
    let tt0 = im.observe(freq.crval_hz, |x, y| model.continuum(x, y, freq.crval_hz), rms);
    let alpha_true = model.spectral_index();
    let (mut alpha, mut alpha_err, mut tt1) = (Vec::new(), Vec::new(), Vec::new());
    for (v, p) in tt0.pbcor.iter().zip(&tt0.pb) {
        let snr = v * p / rms;
        let err = 2.0 / snr.abs().max(1e-3);
        let a = alpha_true + err * im.rng.gaussian().clamp(-3.0, 3.0);
        let bright = snr.is_finite() && snr > 10.0;
        alpha.push(if bright { a } else { f64::NAN });
        alpha_err.push(if bright { err } else { f64::NAN });
        tt1.push(if v.is_finite() { v * alpha_true + 0.3 * rms / p * im.rng.gaussian() } else { f64::NAN });
    }
    let spws = member.spws.clone();
    let stem = run.stem();
    let layer = |suffix, image_type, bunit, with_beam| Layer { suffix, image_type, bunit, with_beam };
    emit(im, &stem, &layer("tt0.pbcor.fits", "pbcorimage", "Jy/beam", true), "cont", &spws, freq, &tt0.pbcor, out)?;
    emit(im, &stem, &layer("tt1.pbcor.fits", "pbcorimage", "Jy/beam", true), "cont", &spws, freq, &tt1, out)?;
    emit(im, &stem, &layer("pb.tt0.fits.gz", "flux", "", false), "cont", &spws, freq, &tt0.pb, out)?;
    emit(im, &stem, &MASK, "cont", &spws, freq, &tt0.mask, out)?;
    emit(im, &stem, &layer("alpha.fits", "spectralindex", "", true), "cont", &spws, freq, &alpha, out)?;
    emit(im, &stem, &layer("alpha.error.fits", "spectralindexerror", "", true), "cont", &spws, freq, &alpha_err, out)
}

/// A continuum-subtracted cube in which the line moves across the channels.
fn cube_image(im: &mut Imager<'_>, run: &ImagingRun<'_>, spw: &Spw, out: &mut Vec<Product>) -> Result<(), String> {
    let freq = cube_axis(im.member, im.source, spw);
    let model = im.model.clone();
    let (mut pbcor, mut pb, mut mask) = (Vec::new(), Vec::new(), Vec::new());
    // The PB changes by under 1% across the band; one plane for all channels keeps the
    // gzipped PB cube small, as the real ones are.
    let centre_hz = freq.crval_hz + freq.cdelt_hz * (freq.channels / 2) as f64;
    for c in 0..freq.channels {
        let f = freq.crval_hz + freq.cdelt_hz * c as f64;
        let v = radio_velocity(f, spw.rest_hz) - im.source.vlsr;
        let plane = im.observe(centre_hz, |x, y| model.line(x, y, v), noise(im.member).2);
        pbcor.extend(plane.pbcor);
        pb.extend(plane.pb);
        mask.extend(plane.mask);
    }
    let spws = std::slice::from_ref(spw);
    let stem = run.stem();
    emit(im, &stem, &PBCOR, "cube", spws, freq, &pbcor, out)?;
    emit(im, &stem, &PB, "cube", spws, freq, &pb, out)?;
    emit(im, &stem, &MASK, "cube", spws, freq, &mask, out)
}
