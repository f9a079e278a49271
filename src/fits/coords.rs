//! World coordinates of pixels and channels.
//!
//! Celestial: the `wcs` crate (all FITS zenithal, cylindrical, conic projections and HPX,
//! NCP included, with CD / PC+CDELT / CROTA2). It assumes axes 1 and 2 are longitude and
//! latitude, and it panics on a CTYPE1 shorter than 8 bytes, so we only hand it headers whose
//! CTYPE1/CTYPE2 are 8+ ASCII bytes with a longitude then a latitude. Its pixel coordinates
//! are FITS 1-based. Spectral: the `wcs` crate ignores the spectral axis, so the linear
//! FREQ/VRAD/VOPT/... axis is done here (FITS WCS paper III), with radio velocities from
//! RESTFRQ.

use super::header::Header;
use serde_json::{Map, Value};

/// Speed of light (m/s).
const C: f64 = 299_792_458.0;

/// The coordinate systems of one header.
#[derive(Debug)]
pub struct Coords {
    celestial: Option<wcs::WCS>,
    spectral: Option<SpectralAxis>,
    restfrq_hz: Option<f64>,
    specsys: Option<String>,
    frame: String,
    bunit: Option<String>,
}

/// A linear spectral axis: value(pixel) = crval + cdelt * (pixel - crpix), in SI units.
#[derive(Debug, Clone, PartialEq)]
struct SpectralAxis {
    /// First four letters of CTYPE (FREQ, VRAD, VOPT, FELO, VELO, WAVE, ZOPT).
    kind: String,
    crval: f64,
    cdelt: f64,
    crpix: f64,
}

impl Coords {
    /// Reads the WCS of a header; missing or unusable parts give `None` answers, never errors.
    pub fn from_header(h: &Header) -> Coords {
        Coords {
            celestial: celestial_wcs(h),
            spectral: spectral_axis(h),
            restfrq_hz: h.get_f64("RESTFRQ").or_else(|| h.get_f64("RESTFREQ")).filter(|f| *f > 0.0),
            specsys: specsys(h),
            frame: frame(h),
            bunit: h.get_str("BUNIT").filter(|b| !b.is_empty()),
        }
    }

    /// 0-based pixel (x, y) → (RA, Dec) in degrees, RA in [0, 360). Equatorial frames are
    /// returned as written (FK5/ICRS); galactic images are converted to ICRS by the `wcs` crate.
    pub fn pixel_to_world(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let ll = self.celestial.as_ref()?.unproj_lonlat(&wcs::ImgXY::new(x + 1.0, y + 1.0))?;
        let (ra, dec) = (ll.lon().to_degrees().rem_euclid(360.0), ll.lat().to_degrees());
        (ra.is_finite() && dec.is_finite()).then_some((ra, dec))
    }

    /// Frequency (Hz) of a 0-based channel, from a FREQ axis, or from a velocity/wavelength
    /// axis (velocities need RESTFRQ).
    pub fn channel_frequency_hz(&self, channel: f64) -> Option<f64> {
        let axis = self.spectral.as_ref()?;
        let value = axis.crval + axis.cdelt * (channel + 1.0 - axis.crpix);
        let f0 = self.restfrq_hz;
        let f = match axis.kind.as_str() {
            "FREQ" => value,
            "VRAD" | "VELO" => f0? * (1.0 - value / C),
            "VOPT" | "FELO" => f0? / (1.0 + value / C),
            "ZOPT" => f0? / (1.0 + value),
            "WAVE" => C / value,
            _ => return None,
        };
        f.is_finite().then_some(f)
    }

    /// Radio-convention velocity (km/s) of a 0-based channel: a VRAD axis directly, other
    /// axes through their frequency and RESTFRQ.
    pub fn channel_velocity_kms(&self, channel: f64) -> Option<f64> {
        let axis = self.spectral.as_ref()?;
        if matches!(axis.kind.as_str(), "VRAD" | "VELO") {
            return Some((axis.crval + axis.cdelt * (channel + 1.0 - axis.crpix)) / 1000.0);
        }
        let f = self.channel_frequency_hz(channel)?;
        Some(C * (1.0 - f / self.restfrq_hz?) / 1000.0)
    }

    /// Spectral reference frame (SPECSYS, or the AIPS CTYPE suffix: -LSR, -HEL, -OBS).
    pub fn specsys(&self) -> Option<String> {
        self.specsys.clone()
    }

    /// Celestial frame for display: "ICRS", "FK5 J2000", "FK4 B1950", "GALACTIC", ...
    pub fn frame(&self) -> String {
        self.frame.clone()
    }

    /// Pixel unit (BUNIT).
    pub fn bunit(&self) -> Option<String> {
        self.bunit.clone()
    }

    /// Rest frequency (Hz), from RESTFRQ or the older RESTFREQ.
    pub fn restfrq_hz(&self) -> Option<f64> {
        self.restfrq_hz
    }
}

/// "17h45m40.04s" (RA normalised to [0, 360), rounded to 0.01 s).
pub fn format_ra(deg: f64) -> String {
    if !deg.is_finite() {
        return "?".into();
    }
    let centis = (deg.rem_euclid(360.0) / 15.0 * 360_000.0).round() as u64 % (24 * 360_000);
    let (h, rest) = (centis / 360_000, centis % 360_000);
    format!("{h:02}h{:02}m{:02}.{:02}s", rest / 6000, rest % 6000 / 100, rest % 100)
}

/// "-29°00′28.2″" (rounded to 0.1″).
pub fn format_dec(deg: f64) -> String {
    if !deg.is_finite() {
        return "?".into();
    }
    let sign = if deg < 0.0 { '-' } else { '+' };
    let tenths = (deg.abs() * 36_000.0).round() as u64;
    let (d, rest) = (tenths / 36_000, tenths % 36_000);
    format!("{sign}{d:02}°{:02}′{:02}.{}″", rest / 600, rest % 600 / 10, rest % 10)
}

const LONGITUDES: [&str; 4] = ["RA--", "GLON", "ELON", "SLON"];
const LATITUDES: [&str; 4] = ["DEC-", "GLAT", "ELAT", "SLAT"];

/// The celestial WCS, when axes 1 and 2 are longitude and latitude the `wcs` crate can use.
fn celestial_wcs(h: &Header) -> Option<wcs::WCS> {
    let ctype1 = h.get_str("CTYPE1")?;
    let ctype2 = h.get_str("CTYPE2")?;
    let usable = |c: &str, kinds: &[&str]| c.is_ascii() && c.len() >= 8 && kinds.iter().any(|k| c.starts_with(k));
    if !usable(&ctype1, &LONGITUDES) || !usable(&ctype2, &LATITUDES) {
        return None;
    }
    let params: wcs::WCSParams = serde_json::from_value(Value::Object(wcs_keywords(h))).ok()?;
    wcs::WCS::new(&params).ok()
}

/// The header's keywords as a JSON object that deserialises into `wcs::WCSParams`
/// (integers as integers, so they fit both its i64 and f64 fields). Only the two celestial
/// axes are kept: NAXIS = 2, with NAXIS1/2 at least 1 (header-only files have NAXIS = 0).
fn wcs_keywords(h: &Header) -> Map<String, Value> {
    let mut map = Map::new();
    for card in h.cards.iter().filter(|c| c.value.is_some()) {
        let Some(text) = card.value.as_deref() else {
            continue;
        };
        let value = if card.is_string() {
            Value::String(h.get_str(&card.key).unwrap_or_else(|| text.to_string()))
        } else if let Ok(i) = text.trim().parse::<i64>() {
            Value::from(i)
        } else if let Some(f) = h.get_f64(&card.key).filter(|f| f.is_finite()) {
            Value::from(f)
        } else {
            continue;
        };
        map.entry(card.key.clone()).or_insert(value);
    }
    for key in ["NAXIS3", "NAXIS4", "ZNAXIS1", "ZNAXIS2", "ZNAXIS3", "ZNAXIS4"] {
        map.remove(key);
    }
    map.insert("NAXIS".into(), Value::from(2));
    for key in ["NAXIS1", "NAXIS2"] {
        let n = h.get_i64(key).unwrap_or(1).max(1);
        map.insert(key.into(), Value::from(n));
    }
    map
}

/// CTYPEn for n = 1.. as far as the header declares axes (NAXIS or WCSAXES; header-only
/// files have NAXIS = 0 but a full WCS).
fn wcs_axis_count(h: &Header) -> i64 {
    let declared = h.get_i64("NAXIS").unwrap_or(0).max(h.get_i64("WCSAXES").unwrap_or(0));
    declared.clamp(4, 99)
}

fn spectral_axis(h: &Header) -> Option<SpectralAxis> {
    (3..=wcs_axis_count(h)).find_map(|i| {
        let ctype = h.get_str(&format!("CTYPE{i}"))?.trim().to_uppercase();
        let kind: String = ctype.chars().take(4).collect();
        let scale = unit_scale(&kind, h.get_str(&format!("CUNIT{i}")).as_deref())?;
        let cdelt = h.get_f64(&format!("CDELT{i}")).or_else(|| h.get_f64(&format!("CD{i}_{i}")))?;
        let pc = h.get_f64(&format!("PC{i}_{i}")).or_else(|| h.get_f64(&format!("PC{i:03}{i:03}"))).unwrap_or(1.0);
        Some(SpectralAxis {
            kind,
            crval: h.get_f64(&format!("CRVAL{i}"))? * scale,
            cdelt: cdelt * pc * scale,
            crpix: h.get_f64(&format!("CRPIX{i}")).unwrap_or(0.0),
        })
    })
}

/// Factor from the axis unit to SI (Hz, m/s, m); `None` for non-spectral axes or unknown units.
fn unit_scale(kind: &str, cunit: Option<&str>) -> Option<f64> {
    let unit = cunit.map(str::trim).unwrap_or("");
    match kind {
        "FREQ" => match unit {
            "" | "Hz" | "HZ" => Some(1.0),
            "kHz" | "KHZ" => Some(1e3),
            "MHz" | "MHZ" => Some(1e6),
            "GHz" | "GHZ" => Some(1e9),
            _ => None,
        },
        "VRAD" | "VOPT" | "VELO" | "FELO" => match unit {
            "" | "m/s" | "M/S" | "m s-1" => Some(1.0),
            "km/s" | "KM/S" | "km s-1" => Some(1e3),
            _ => None,
        },
        "WAVE" => match unit {
            "" | "m" => Some(1.0),
            "cm" => Some(1e-2),
            "mm" => Some(1e-3),
            "um" => Some(1e-6),
            "nm" => Some(1e-9),
            "Angstrom" | "angstrom" => Some(1e-10),
            _ => None,
        },
        "ZOPT" => Some(1.0),
        _ => None,
    }
}

fn specsys(h: &Header) -> Option<String> {
    if let Some(s) = h.get_str("SPECSYS").filter(|s| !s.is_empty()) {
        return Some(s);
    }
    (3..=wcs_axis_count(h)).find_map(|i| {
        let ctype = h.get_str(&format!("CTYPE{i}"))?;
        match ctype.trim().get(4..)? {
            "-LSR" | "-LSRK" => Some("LSRK".to_string()),
            "-HEL" => Some("BARYCENT".to_string()),
            "-OBS" => Some("TOPOCENT".to_string()),
            _ => None,
        }
    })
}

/// Display name of the celestial frame (FITS WCS paper II §3.1 defaults).
fn frame(h: &Header) -> String {
    let ctype1 = h.get_str("CTYPE1").unwrap_or_default();
    if ctype1.starts_with("GLON") {
        return "GALACTIC".into();
    }
    if ctype1.starts_with("ELON") {
        return "ECLIPTIC".into();
    }
    let equinox = h.get_f64("EQUINOX").or_else(|| h.get_f64("EPOCH"));
    let radesys = h.get_str("RADESYS").or_else(|| h.get_str("RADECSYS")).map(|s| s.trim().to_uppercase());
    let radesys = radesys.unwrap_or_else(|| match equinox {
        Some(e) if e < 1984.0 => "FK4".into(),
        Some(_) => "FK5".into(),
        None => "ICRS".into(),
    });
    match (radesys.as_str(), equinox) {
        ("FK5", e) => format!("FK5 J{}", e.unwrap_or(2000.0)),
        ("FK4" | "FK4-NO-E", e) => format!("{radesys} B{}", e.unwrap_or(1950.0)),
        _ => radesys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sexagesimal_formats_round_and_carry() {
        assert_eq!(format_ra(266.41683), "17h45m40.04s");
        assert_eq!(format_dec(-29.007833), "-29°00′28.2″");
        assert_eq!(format_ra(359.99999999), "00h00m00.00s");
        assert_eq!(format_dec(10.0 - 1e-9), "+10°00′00.0″");
        assert_eq!(format_ra(f64::NAN), "?");
    }
}
