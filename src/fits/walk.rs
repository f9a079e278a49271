//! Walking the HDUs of a FITS stream to find the image: the primary HDU, or the first IMAGE
//! extension when the primary has no data. Works on a seekable source (skipping a data unit
//! is a seek) and on a gzip stream (skipping is inflate-and-discard).

use super::header::{read_header, Header, BLOCK_LEN};
use super::{Bitpix, FitsError, ImageHdu, Scaling};
use crate::source::{ReadAt, SourceReader};
use std::io::{Read, Seek, SeekFrom};

/// Most HDUs we look through for an image (a MEF with thousands of tables is not an image).
const MAX_HDUS: usize = 1000;
/// Largest data unit we accept (1 TiB): anything bigger is a corrupt header.
pub const MAX_DATA_BYTES: u64 = 1 << 40;

/// A sequential FITS byte stream that can skip forward.
pub(crate) trait HduStream: Read {
    fn skip(&mut self, n: u64) -> Result<(), FitsError>;
}

impl HduStream for SourceReader<&dyn ReadAt> {
    fn skip(&mut self, n: u64) -> Result<(), FitsError> {
        let n = i64::try_from(n).map_err(|_| FitsError::AbsurdSize { what: format!("cannot skip {n} bytes") })?;
        self.seek(SeekFrom::Current(n)).map(|_| ()).map_err(super::header::io_error)
    }
}

/// Finds the image HDU; `Ok` with an empty shape when the file holds only headers/tables.
pub(crate) fn find_image<S: HduStream>(stream: &mut S) -> Result<ImageHdu, FitsError> {
    let (header, header_len) = read_header(stream, true)?;
    let primary = image_from_header(header, 0, header_len, 0)?;
    if primary.data_bytes()? > 0 || primary.header.get_bool("GROUPS") == Some(true) {
        return Ok(primary);
    }
    let mut pos = header_len;
    let mut skip = 0u64;
    for index in 1..MAX_HDUS {
        if stream.skip(skip).is_err() {
            break;
        }
        pos = pos.saturating_add(skip);
        let Ok((header, header_len)) = read_header(stream, false) else {
            break;
        };
        let Ok(data) = data_unit_bytes(&header).map(padded) else {
            break;
        };
        if header.get_str("XTENSION").as_deref() == Some("IMAGE") {
            let hdu = image_from_header(header, pos, header_len, index)?;
            if hdu.data_bytes()? > 0 {
                return Ok(hdu);
            }
        } else if header.get_bool("ZIMAGE") == Some(true) {
            let kind = header.get_str("ZCMPTYPE").unwrap_or_else(|| "unknown".into());
            return Err(FitsError::Unsupported(format!(
                "the image is tile-compressed (ZCMPTYPE = {kind}, HDU {index}); decompress it with fpack -F/funpack first"
            )));
        }
        pos = pos.saturating_add(header_len);
        skip = data;
    }
    Ok(primary)
}

/// Rounds a data size up to whole FITS blocks.
pub(crate) fn padded(len: u64) -> u64 {
    len.div_ceil(BLOCK_LEN).saturating_mul(BLOCK_LEN)
}

/// Size in bytes of the data unit described by a header (any HDU type), padding excluded.
pub(crate) fn data_unit_bytes(h: &Header) -> Result<u64, FitsError> {
    let bitpix = Bitpix::from_header(h)?;
    let shape = axes(h)?;
    if shape.is_empty() {
        return Ok(0);
    }
    let groups = h.get_bool("GROUPS") == Some(true) && shape.first() == Some(&0);
    let axes = if groups { shape.get(1..).unwrap_or(&[]) } else { &shape[..] };
    let count = axes.iter().try_fold(1u64, |acc, &n| acc.checked_mul(n));
    let pcount = h.get_i64("PCOUNT").unwrap_or(0).max(0) as u64;
    let gcount = h.get_i64("GCOUNT").unwrap_or(1).max(0) as u64;
    count
        .and_then(|c| c.checked_add(pcount))
        .and_then(|c| c.checked_mul(gcount))
        .and_then(|c| c.checked_mul(bitpix.bytes()))
        .filter(|&b| b <= MAX_DATA_BYTES)
        .ok_or_else(|| FitsError::AbsurdSize {
            what: format!("NAXISn = {shape:?} with BITPIX = {} is more than 1 TiB of data", bitpix.value()),
        })
}

/// NAXIS1..NAXISn, checked.
pub(crate) fn axes(h: &Header) -> Result<Vec<u64>, FitsError> {
    let naxis = h.get_i64("NAXIS").ok_or_else(|| missing("NAXIS"))?;
    if !(0..=999).contains(&naxis) {
        return Err(FitsError::BadKeyword { key: "NAXIS".into(), reason: format!("{naxis} is not between 0 and 999") });
    }
    (1..=naxis)
        .map(|i| {
            let key = format!("NAXIS{i}");
            let n = h.get_i64(&key).ok_or_else(|| missing(&key))?;
            u64::try_from(n).map_err(|_| FitsError::BadKeyword { key, reason: format!("{n} is negative") })
        })
        .collect()
}

fn missing(key: &str) -> FitsError {
    FitsError::BadKeyword { key: key.into(), reason: "is missing or not an integer".into() }
}

/// Builds an [`ImageHdu`] from a parsed header starting at `header_start`.
pub(crate) fn image_from_header(
    header: Header,
    header_start: u64,
    header_len: u64,
    hdu_index: usize,
) -> Result<ImageHdu, FitsError> {
    let bitpix = Bitpix::from_header(&header)?;
    let shape = axes(&header)?;
    data_unit_bytes(&header)?;
    let scaling = Scaling::from_header(&header, bitpix);
    let data_offset = header_start
        .checked_add(header_len)
        .ok_or_else(|| FitsError::AbsurdSize { what: "header offset overflows".into() })?;
    Ok(ImageHdu { header, bitpix, shape, data_offset, scaling, hdu_index })
}
