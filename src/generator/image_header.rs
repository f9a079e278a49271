//! FITS headers of pipeline products, keyword for keyword as CASA `exportfits` and the
//! pipeline's `imageheader.py` write them.

use super::fits_writer::FitsBuilder;
use super::setup::{Member, Source, CASA_VERSION};
use super::sky::Grid;

/// The spectral axis of an image: one wide channel for mfs/cont, many for cubes.
#[derive(Clone, Copy, Debug)]
pub struct FreqAxis {
    /// Frequency of the first channel (CRPIX3 = 1), Hz.
    pub crval_hz: f64,
    pub cdelt_hz: f64,
    pub channels: u64,
    pub rest_hz: f64,
}

/// Everything the header says about one product besides its pixels.
pub struct HeaderSpec<'a> {
    pub member: &'a Member,
    pub source: &'a Source,
    pub grid: Grid,
    pub freq: FreqAxis,
    pub specmode: &'a str,
    /// Comma-separated spw ids, as the `SPW` keyword holds them.
    pub spw_list: String,
    /// `pbcorimage`, `flux` (PB), `cleanmask`, `spectralindex`...
    pub image_type: &'a str,
    pub bunit: &'a str,
    pub with_beam: bool,
    /// DATAMIN/DATAMAX/DATARMS of the finite pixels.
    pub stats: (f64, f64, f64),
}

/// Builds the header of a 4-D float32 product (RA, Dec, FREQ, STOKES).
pub fn product_header(h: &HeaderSpec<'_>) -> FitsBuilder {
    let n = h.grid.n;
    let cell_deg = h.grid.cell_arcsec / 3600.0;
    let mut b = FitsBuilder::primary(-32, &[n, n, h.freq.channels, 1])
        .float("BSCALE", 1.0, "PHYSICAL = PIXEL*BSCALE + BZERO")
        .float("BZERO", 0.0, "");
    if h.with_beam {
        let (bmaj, bmin, bpa) = h.member.imaging.beam_arcsec;
        b = b.float("BMAJ", bmaj / 3600.0, "").float("BMIN", bmin / 3600.0, "").float("BPA", bpa, "");
    }
    b = b
        .string("BTYPE", "Intensity", "")
        .string("OBJECT", &h.source.field, "")
        .string("BUNIT", h.bunit, "Brightness (pixel) unit")
        .string("RADESYS", "ICRS", "")
        .float("LONPOLE", 180.0, "")
        .float("LATPOLE", h.source.dec_deg, "");
    for i in 1..=4 {
        for j in 1..=4 {
            b = b.float(&format!("PC{i:02}_{j:02}"), if i == j { 1.0 } else { 0.0 }, "");
        }
    }
    b = axis(b, 1, "RA---SIN", h.source.ra_deg, -cell_deg, h.grid.crpix(), "deg");
    b = axis(b, 2, "DEC--SIN", h.source.dec_deg, cell_deg, h.grid.crpix(), "deg");
    b = axis(b, 3, "FREQ", h.freq.crval_hz, h.freq.cdelt_hz, 1.0, "Hz");
    b = axis(b, 4, "STOKES", 1.0, 1.0, 1.0, "");
    let b = b
        .float("PV2_1", 0.0, "")
        .float("PV2_2", 0.0, "")
        .float("RESTFRQ", h.freq.rest_hz, "Rest Frequency (Hz)")
        .string("SPECSYS", "LSRK", "Spectral reference frame")
        .float(
            "ALTRVAL",
            super::sky::radio_velocity(h.freq.crval_hz, h.freq.rest_hz) * 1e3,
            "Alternate frequency reference value",
        )
        .float("ALTRPIX", 1.0, "Alternate frequency reference pixel")
        .int("VELREF", 257, "1 LSR, 2 HEL, 3 OBS, +256 Radio")
        .comment("casacore non-standard usage: 4 LSD, 5 GEO, 6 SOU, 7 GAL")
        .string("TELESCOP", "ALMA", "")
        .string("OBSERVER", "pi_hd163296", "")
        .string("DATE-OBS", h.member.date_obs, "")
        .string("TIMESYS", "UTC", "")
        .float("OBSRA", h.source.ra_deg, "")
        .float("OBSDEC", h.source.dec_deg, "")
        .float("OBSGEO-X", 2.225_142_180_269e6, "")
        .float("OBSGEO-Y", -5.440_307_370_349e6, "")
        .float("OBSGEO-Z", -2.481_029_851_874e6, "")
        .string("INSTRUME", "ALMA", "")
        .float("DISTANCE", 0.0, "")
        .string("DATE", "2020-02-14T11:03:44.812000", "Date FITS file was written")
        .string("ORIGIN", &format!("CASA {CASA_VERSION} CASA-PIPELINE"), "");
    pipeline_keywords(b, h)
}

fn axis(b: FitsBuilder, i: u32, ctype: &str, crval: f64, cdelt: f64, crpix: f64, cunit: &str) -> FitsBuilder {
    b.string(&format!("CTYPE{i}"), ctype, "")
        .float(&format!("CRVAL{i}"), crval, "")
        .float(&format!("CDELT{i}"), cdelt, "")
        .float(&format!("CRPIX{i}"), crpix, "")
        .string(&format!("CUNIT{i}"), cunit, "")
}

/// The keywords `imageheader.py` adds so the archive can classify a product.
fn pipeline_keywords(b: FitsBuilder, h: &HeaderSpec<'_>) -> FitsBuilder {
    {
        let centre = h.freq.crval_hz + h.freq.cdelt_hz * (h.freq.channels as f64 - 1.0) / 2.0;
        let width = h.freq.cdelt_hz * h.freq.channels as f64;
        b.string("FIELD", &h.source.field, "")
            .int("NFIELD", 1, "")
            .string("INTENT", h.source.intent.header(), "")
            .string("SPECMODE", h.specmode, "")
            .string("SPW", &h.spw_list, "")
            .string("VIRTSPW", &h.spw_list, "")
            .logical("SPWISVRT", false, "")
            .int("NPOL", 2, "")
            .string("WEIGHT", "briggs", "")
            .float("ROBUST", 0.5, "")
            .float("EFFBW", width.abs(), "")
            .float("CTRFRQ", centre, "")
            .string("LEVEL", "member", "")
            .string("OBSPATT", "sf", "")
            .string("ARRAYS", h.member.array, "")
            .string("SESSION", "session_1", "")
            .int("ITER", 1, "")
            .string("STOKES", "I", "")
            .string("TYPE", h.image_type, "")
            .float("DATAMIN", h.stats.0, "")
            .float("DATAMAX", h.stats.1, "")
            .float("DATARMS", h.stats.2, "")
            .history("CASA-PIPELINE exportfits(stokeslast=True, dropstokes=False, velocity=False, optical=False)")
    }
}
