//! Plain-language explanations of name tokens and file kinds, shown as hover text.

use super::Kind;

/// A one-line explanation of a product-name token, or `None` for tokens with no fixed meaning.
pub fn explain_token(token: &str) -> Option<&'static str> {
    let text = match token {
        "pbcor" => "primary-beam corrected image: fluxes are true sky brightness (noise rises toward the edge)",
        "pb" => {
            "primary-beam response of the antennas (1 at the centre, falling outward); divide by it to correct fluxes"
        }
        "mask" => "clean mask: the region where the cleaning algorithm was allowed to find emission",
        "image" => "image as produced by tclean, not primary-beam corrected",
        "residual" => "residual image: what was left after cleaning",
        "psf" => "point spread function (dirty beam) of the observation",
        "model" => "clean model components",
        "flux" => "primary-beam image (old CASA clean naming), or the AMPLITUDE (flux) calibrator intent before .spw",
        "mfs" => "multi-frequency synthesis: one continuum image per spectral window",
        "cont" => "aggregate continuum: all line-free channels of all spectral windows in one image",
        "cube" => "spectral cube: one image plane per channel",
        "repBW" => "cube at the representative bandwidth requested in the proposal",
        "tt0" => "Taylor term 0 of a multi-term image: the intensity at the reference frequency",
        "tt1" => "Taylor term 1 of a multi-term image: the spectral slope term",
        "alpha" => "spectral index map derived from the Taylor terms",
        "alpha.error" => "uncertainty of the spectral index map",
        "error" => "uncertainty map (with alpha: error of the spectral index)",
        "selfcal" => "made from self-calibrated data",
        "regcal" => "made from regularly calibrated data (no self-calibration)",
        "manual" => "imaged by hand by ALMA staff (scriptForImaging), not by the pipeline",
        "sd" => "total-power (single-dish) image",
        "sd.weight" => "weight map of a total-power image",
        "weight" => "weight map (with sd: of a total-power image)",
        "sci" => "science target",
        "bp" => "bandpass calibrator",
        "ph" => "phase calibrator",
        "chk" | "check" => "check source: a quasar imaged to verify phase transfer and astrometry",
        "amp" => "amplitude (flux) calibrator",
        "pol" => "polarization calibrator",
        "pang" => "polarization angle calibrator",
        "plk" | "pol_leak" => "polarization leakage calibrator",
        "I" => "Stokes I: total intensity",
        "Q" | "U" => "linear polarization Stokes parameter",
        "V" => "Stokes V: circular polarization",
        "IQUV" => "full-Stokes image (I, Q, U and V planes)",
        "XXYY" | "XX" | "YY" => "correlation products of linear feeds (old total-power naming)",
        "RR" | "LL" => "correlation products of circular feeds",
        "POLI" => "polarized intensity image",
        "POLA" => "polarization angle image",
        "member" => "archive prefix marking a member observing unit set (the delivery unit)",
        "group" => "group observing unit set: an external product combining several members",
        "gz" => "gzip-compressed file",
        _ => return explain_pattern(token),
    };
    Some(text)
}

/// Tokens recognised by their shape rather than their exact text.
fn explain_pattern(token: &str) -> Option<&'static str> {
    let digits_after = |prefix: &str| {
        token.strip_prefix(prefix).is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    if token.starts_with("spw") {
        Some("spectral window id(s) included in the image, separated by _")
    } else if token.starts_with("uid___") {
        Some("ALMA unique id: A001 = observing unit set (MOUS), A002 = execution block")
    } else if digits_after("iter") {
        Some("tclean iteration (intermediate pipeline image, not a delivered product)")
    } else if super::product::is_stage_token(token) {
        Some("pipeline stage that made this intermediate image")
    } else if digits_after("v") {
        Some("version number: a product re-made after the first delivery")
    } else if digits_after("B") {
        Some("ALMA receiver band")
    } else if token.starts_with("lp_") {
        Some("externally contributed product of a Large Program (lp_<PI name>)")
    } else {
        None
    }
}

/// A one-line explanation of a file kind.
pub fn explain_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "FITS image product",
        Kind::ProductTar => "archive download tar holding the FITS products (one of N parts)",
        Kind::AuxiliaryTar => "archive download tar holding calibration, logs, QA and scripts",
        Kind::AsdmTar => "raw data (ASDM) of one execution block, as downloaded",
        Kind::Readme => "README of the delivery: what the package holds and how to use it",
        Kind::Weblog => "pipeline weblog (compressed HTML site with plots of every stage)",
        Kind::CasaCommands => "every CASA command the pipeline ran, stage by stage",
        Kind::CasaLog => "CASA log of the processing session",
        Kind::ContDat => "continuum frequency ranges found per source and spectral window",
        Kind::FluxCsv => "flux densities adopted for the calibrators",
        Kind::Antennapos => "antenna position corrections applied in calibration",
        Kind::Caltables => "calibration tables (compressed), to re-apply the calibration",
        Kind::Flagversions => "saved flag states of a measurement set (compressed)",
        Kind::Calapply => "applycal commands that calibrate a measurement set",
        Kind::Flagtemplate => "user flagging commands (flagdata template)",
        Kind::Auxproducts => "auxiliary pipeline products: cont.dat, flux.csv, antenna positions, flag templates",
        Kind::ScriptForPi => "script that restores the calibrated data from the raw data",
        Kind::Pipescript => "pipeline script that reproduces the processing",
        Kind::Restorescript => "pipeline script that restores the calibration",
        Kind::Ppr => "pipeline processing request (the recipe and its inputs)",
        Kind::ScriptForCalibration => "manual calibration script",
        Kind::ScriptForImaging => "manual imaging script",
        Kind::Qa2Report => "quality assessment (QA2) report of the delivery",
        Kind::Manifest => "pipeline manifest: machine-readable list of the products",
        Kind::Aquareport => "pipeline quality assessment scores (AQUA report)",
        Kind::PipelineStats => "pipeline statistics (JSON)",
        Kind::Other => "file with no recognised ALMA role",
    }
}
