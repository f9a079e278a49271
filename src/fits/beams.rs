//! Restoring beams: one beam in the header (BMAJ/BMIN/BPA, degrees), or one per channel in
//! the `BEAMS` binary-table extension CASA writes when `CASAMBM = T`.
//!
//! The table is decoded here (five scalar columns) instead of through fitsrs, which would
//! need a reader over the whole file (its offsets are `usize`) to reach an extension.

use super::header::{read_header, Header};
use super::walk::{data_unit_bytes, padded};
use super::{FitsError, ImageHdu};
use crate::source::{ReadAt, SourceReader};
use serde::Serialize;
use std::io::{Seek, SeekFrom};

/// Most extensions we look through for the BEAMS table.
const MAX_EXTENSIONS: usize = 100;
/// Largest BEAMS table we read (rows × row bytes): a million channels of 5 columns fit.
const MAX_TABLE_BYTES: u64 = 64 << 20;

/// A restoring beam: FWHM axes in arcseconds, position angle in degrees (east of north).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Beam {
    pub bmaj_arcsec: f64,
    pub bmin_arcsec: f64,
    pub bpa_deg: f64,
}

/// The single beam of the header (BMAJ/BMIN in degrees), if present.
pub fn header_beam(h: &Header) -> Option<Beam> {
    let bmaj = h.get_f64("BMAJ")?;
    let bmin = h.get_f64("BMIN")?;
    Some(Beam { bmaj_arcsec: bmaj * 3600.0, bmin_arcsec: bmin * 3600.0, bpa_deg: h.get_f64("BPA").unwrap_or(0.0) })
}

/// Per-channel beams of a `CASAMBM = T` image, for the first polarisation in the table, indexed
/// by channel. `Ok(None)` when the image has no multi-beam table. A value equal to the
/// smallest normal f32 (1.1754944e-38, the "NaN PSF" sentinel WSClean/CASA write for an
/// empty channel) becomes NaN.
pub fn read_beams_table(src: &dyn ReadAt, hdu: &ImageHdu) -> Result<Option<Vec<Beam>>, FitsError> {
    if hdu.header.get_bool("CASAMBM") != Some(true) {
        return Ok(None);
    }
    let mut pos = hdu.data_offset.saturating_add(padded(hdu.data_bytes()?));
    let mut reader = SourceReader::new(src, 64 * 1024);
    for _ in 0..MAX_EXTENSIONS {
        if pos >= src.len() {
            break;
        }
        reader.seek(SeekFrom::Start(pos)).map_err(super::header::io_error)?;
        let (header, header_len) = read_header(&mut reader, false)?;
        let data_start = pos.saturating_add(header_len);
        if header.get_str("EXTNAME").as_deref() == Some("BEAMS")
            && header.get_str("XTENSION").as_deref() == Some("BINTABLE")
        {
            return Table::parse(&header)?.read_beams(src, data_start, hdu.channels()).map(Some);
        }
        pos = data_start.saturating_add(padded(data_unit_bytes(&header)?));
    }
    Ok(None)
}

/// Where the five beam columns sit in a row, and their units.
struct Table {
    row_bytes: u64,
    rows: u64,
    columns: Vec<Column>,
}

struct Column {
    name: String,
    offset: u64,
    kind: u8,
    unit: String,
}

impl Table {
    fn parse(h: &Header) -> Result<Table, FitsError> {
        let bad = |key: &str, reason: &str| FitsError::BadKeyword {
            key: key.into(),
            reason: format!("in the BEAMS table {reason}"),
        };
        let row_bytes =
            h.get_i64("NAXIS1").and_then(|n| u64::try_from(n).ok()).ok_or_else(|| bad("NAXIS1", "is missing"))?;
        let rows =
            h.get_i64("NAXIS2").and_then(|n| u64::try_from(n).ok()).ok_or_else(|| bad("NAXIS2", "is missing"))?;
        let fields = h.get_i64("TFIELDS").unwrap_or(0).clamp(0, 999);
        let mut columns = Vec::new();
        let mut offset = 0u64;
        for i in 1..=fields {
            let form = h.get_str(&format!("TFORM{i}")).unwrap_or_default();
            let (repeat, kind) =
                split_tform(&form).ok_or_else(|| bad(&format!("TFORM{i}"), &format!("'{form}' is not understood")))?;
            let name = h.get_str(&format!("TTYPE{i}")).unwrap_or_default().trim().to_uppercase();
            let unit = h.get_str(&format!("TUNIT{i}")).unwrap_or_default().trim().to_lowercase();
            columns.push(Column { name, offset, kind, unit });
            let bytes = if kind == b'X' { repeat.div_ceil(8) } else { repeat.saturating_mul(type_bytes(kind)) };
            offset = offset.saturating_add(bytes);
        }
        if row_bytes == 0 || offset > row_bytes {
            return Err(bad("NAXIS1", &format!("is {row_bytes} but the columns need {offset} bytes")));
        }
        Ok(Table { row_bytes, rows, columns })
    }

    fn column(&self, name: &str) -> Result<&Column, FitsError> {
        self.columns.iter().find(|c| c.name == name).ok_or_else(|| FitsError::BadKeyword {
            key: "TTYPEn".into(),
            reason: format!("the BEAMS table has no {name} column"),
        })
    }

    fn read_beams(&self, src: &dyn ReadAt, start: u64, channels: u64) -> Result<Vec<Beam>, FitsError> {
        let total = self.rows.checked_mul(self.row_bytes).filter(|&t| t <= MAX_TABLE_BYTES);
        let total = total.ok_or_else(|| FitsError::AbsurdSize {
            what: format!("a BEAMS table of {} rows of {} bytes", self.rows, self.row_bytes),
        })?;
        let bytes = src.read_at(start, total)?;
        let (bmaj, bmin, bpa) = (self.column("BMAJ")?, self.column("BMIN")?, self.column("BPA")?);
        let (chan, pol) = (self.column("CHAN").ok(), self.column("POL").ok());
        let rows: Vec<&[u8]> = bytes.chunks_exact(self.row_bytes.max(1) as usize).collect();
        let first_pol = rows.iter().filter_map(|r| pol.and_then(|p| p.value(r))).fold(f64::INFINITY, f64::min);
        let mut beams = vec![
            Beam { bmaj_arcsec: f64::NAN, bmin_arcsec: f64::NAN, bpa_deg: f64::NAN };
            channels.min(self.rows) as usize
        ];
        for (i, row) in rows.iter().enumerate() {
            if pol.and_then(|p| p.value(row)).is_some_and(|p| p != first_pol) {
                continue;
            }
            let index = chan.and_then(|c| c.value(row)).map_or(i as f64, |c| c);
            let Some(slot) = usize::try_from(index as i64).ok().and_then(|k| beams.get_mut(k)) else {
                continue;
            };
            *slot = Beam {
                bmaj_arcsec: to_arcsec(bmaj.value(row), &bmaj.unit),
                bmin_arcsec: to_arcsec(bmin.value(row), &bmin.unit),
                bpa_deg: to_degrees(bpa.value(row), &bpa.unit),
            };
        }
        Ok(beams)
    }
}

impl Column {
    /// The value of this column in a row, as f64; the NaN-PSF sentinel becomes NaN.
    fn value(&self, row: &[u8]) -> Option<f64> {
        let at = usize::try_from(self.offset).ok()?;
        let bytes = row.get(at..at + type_bytes(self.kind) as usize)?;
        let v = match (self.kind, bytes) {
            (b'E', &[a, b, c, d]) => f64::from(f32::from_be_bytes([a, b, c, d])),
            (b'J', &[a, b, c, d]) => f64::from(i32::from_be_bytes([a, b, c, d])),
            (b'I', &[a, b]) => f64::from(i16::from_be_bytes([a, b])),
            (b'D', &[a, b, c, d, e, f, g, h]) => f64::from_be_bytes([a, b, c, d, e, f, g, h]),
            (b'K', &[a, b, c, d, e, f, g, h]) => i64::from_be_bytes([a, b, c, d, e, f, g, h]) as f64,
            _ => return None,
        };
        Some(if v == f64::from(f32::MIN_POSITIVE) { f64::NAN } else { v })
    }
}

/// "E", "1E", "2J" → (repeat, type letter); only the scalar numeric types a BEAMS table uses
/// (others are sized so later columns stay aligned).
fn split_tform(form: &str) -> Option<(u64, u8)> {
    let form = form.trim();
    let digits = form.chars().take_while(char::is_ascii_digit).count();
    let repeat = if digits == 0 { 1 } else { form.get(..digits)?.parse().ok()? };
    let kind = *form.as_bytes().get(digits)?;
    (type_bytes(kind) > 0).then_some((repeat, kind))
}

fn type_bytes(kind: u8) -> u64 {
    match kind {
        b'L' | b'X' | b'B' | b'A' => 1,
        b'I' => 2,
        b'J' | b'E' => 4,
        b'K' | b'D' | b'C' | b'P' => 8,
        b'M' | b'Q' => 16,
        _ => 0,
    }
}

fn to_arcsec(v: Option<f64>, unit: &str) -> f64 {
    let v = v.unwrap_or(f64::NAN);
    match unit {
        "deg" | "degree" | "degrees" => v * 3600.0,
        "arcmin" => v * 60.0,
        "rad" => v.to_degrees() * 3600.0,
        _ => v,
    }
}

fn to_degrees(v: Option<f64>, unit: &str) -> f64 {
    let v = v.unwrap_or(f64::NAN);
    if unit == "rad" {
        v.to_degrees()
    } else {
        v
    }
}
