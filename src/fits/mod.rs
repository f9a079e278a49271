//! FITS images and cubes read plane by plane from a random-access source.
//!
//! [`open_image`] reads only the headers (in 64 KiB windows) and finds the image HDU: the
//! primary, or the first IMAGE extension when the primary has no data. The data are then
//! read one plane at a time ([`ImageHdu::read_plane`]: one `read_at` of exactly that plane),
//! so a 40 GB cube costs one plane of memory. `.fits.gz` files go through [`gz`], which
//! inflates sequentially and keeps one plane.
//!
//! - [`header`]: cards and keyword lookup; [`coords`]: celestial and spectral WCS;
//! - [`beams`]: restoring beams (header or per-channel BEAMS table); [`stats`]: plane statistics.

pub mod beams;
pub mod coords;
mod error;
mod fill;
pub mod gz;
pub mod header;
mod image;
pub mod moments;
mod preview;
pub mod stats;
mod walk;

pub use error::FitsError;
pub use fill::PlaneFill;
pub use header::{Card, Header};

use crate::source::{ReadAt, SourceReader};

/// Read-ahead window for headers: one call reads ~22 header blocks.
const HEADER_WINDOW: u64 = 64 * 1024;

/// Pixel type of the data unit (the BITPIX keyword).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bitpix {
    U8,
    I16,
    I32,
    I64,
    F32,
    F64,
}

impl Bitpix {
    /// Reads and checks BITPIX.
    pub fn from_header(h: &Header) -> Result<Bitpix, FitsError> {
        let b = h.get_i64("BITPIX").ok_or_else(|| FitsError::BadKeyword {
            key: "BITPIX".into(),
            reason: "is missing or not an integer".into(),
        })?;
        match b {
            8 => Ok(Bitpix::U8),
            16 => Ok(Bitpix::I16),
            32 => Ok(Bitpix::I32),
            64 => Ok(Bitpix::I64),
            -32 => Ok(Bitpix::F32),
            -64 => Ok(Bitpix::F64),
            other => Err(FitsError::BadBitpix(other)),
        }
    }

    /// Bytes per pixel.
    pub fn bytes(self) -> u64 {
        match self {
            Bitpix::U8 => 1,
            Bitpix::I16 => 2,
            Bitpix::I32 | Bitpix::F32 => 4,
            Bitpix::I64 | Bitpix::F64 => 8,
        }
    }

    /// The BITPIX value as written in headers.
    pub fn value(self) -> i64 {
        match self {
            Bitpix::U8 => 8,
            Bitpix::I16 => 16,
            Bitpix::I32 => 32,
            Bitpix::I64 => 64,
            Bitpix::F32 => -32,
            Bitpix::F64 => -64,
        }
    }

    fn is_integer(self) -> bool {
        !matches!(self, Bitpix::F32 | Bitpix::F64)
    }
}

/// How stored values become physical values: `physical = raw * bscale + bzero`, with raw
/// integers equal to `blank` meaning "no data" (NaN). BLANK is ignored for float data, where
/// NaN is the blank (a BLANK card on float data is a writer's mistake, not a sentinel).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    pub bscale: f64,
    pub bzero: f64,
    pub blank: Option<i64>,
}

impl Scaling {
    fn from_header(h: &Header, bitpix: Bitpix) -> Scaling {
        Scaling {
            bscale: h.get_f64("BSCALE").unwrap_or(1.0),
            bzero: h.get_f64("BZERO").unwrap_or(0.0),
            blank: if bitpix.is_integer() { h.get_i64("BLANK") } else { None },
        }
    }
}

/// An image HDU located in a source: its header, pixel type, axes and where its data start.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageHdu {
    pub header: Header,
    pub bitpix: Bitpix,
    /// NAXIS1, NAXIS2, ... (empty for a header-only HDU).
    pub shape: Vec<u64>,
    /// Offset of the first data byte from the start of the source (or of the inflated
    /// stream for `.fits.gz`).
    pub data_offset: u64,
    pub scaling: Scaling,
    /// 0 for the primary HDU, n for the n-th extension.
    pub hdu_index: usize,
}

/// Opens the image of a FITS file: reads the headers only and checks that the file holds
/// all the data they declare. Header-only files open fine; reading their planes then fails
/// with [`FitsError::NoImageData`].
pub fn open_image(src: &dyn ReadAt) -> Result<ImageHdu, FitsError> {
    let mut reader = SourceReader::new(src, HEADER_WINDOW);
    let hdu = walk::find_image(&mut reader)?;
    let needed = hdu.data_offset.saturating_add(hdu.data_bytes()?);
    if needed > src.len() {
        return Err(FitsError::Truncated { declared: hdu.describe_axes(), needed, available: src.len() });
    }
    Ok(hdu)
}

/// The cards of a header as JSON for the page's header viewer:
/// `{"cards": [{"key", "value" (string or null), "comment" (string or null), "raw"}]}`.
pub fn header_json(h: &Header) -> serde_json::Value {
    let cards: Vec<serde_json::Value> = h
        .cards
        .iter()
        .map(|c| serde_json::json!({"key": c.key, "value": c.value, "comment": c.comment, "raw": c.raw}))
        .collect();
    serde_json::json!({ "cards": cards })
}

/// Spectral CTYPE prefixes (FITS WCS paper III plus the AIPS `VELO`/`FELO` forms).
const SPECTRAL_CTYPES: [&str; 12] =
    ["FREQ", "VRAD", "VOPT", "FELO", "VELO", "WAVE", "AWAV", "ZOPT", "ENER", "WAVN", "BETA", "VELOCITY"];

impl ImageHdu {
    /// NAXIS1 (0 for a header-only HDU).
    pub fn width(&self) -> u64 {
        self.shape.first().copied().unwrap_or(0)
    }

    /// NAXIS2 (1 for a 1-D image, so a spectrum is a one-row plane).
    pub fn height(&self) -> u64 {
        match self.shape.len() {
            0 => 0,
            1 => 1,
            _ => self.shape.get(1).copied().unwrap_or(0),
        }
    }

    fn ctype(&self, axis: usize) -> String {
        self.header.get_str(&format!("CTYPE{}", axis + 1)).unwrap_or_default().trim().to_uppercase()
    }

    /// 0-based index (≥ 2) of the spectral axis, by CTYPE, wherever it is.
    pub fn spectral_axis(&self) -> Option<usize> {
        (2..self.shape.len()).find(|&a| {
            let ctype = self.ctype(a);
            let prefix = ctype.split('-').next().unwrap_or("");
            SPECTRAL_CTYPES.contains(&prefix)
        })
    }

    /// 0-based index (≥ 2) of the Stokes axis.
    pub fn stokes_axis(&self) -> Option<usize> {
        (2..self.shape.len()).find(|&a| self.ctype(a) == "STOKES")
    }

    /// The axis that `channel` indexes: the spectral axis, or else the first extra axis
    /// that is not Stokes (a cube without CTYPEs is still a cube).
    fn channel_axis(&self) -> Option<usize> {
        self.spectral_axis().or_else(|| (2..self.shape.len()).find(|&a| Some(a) != self.stokes_axis()))
    }

    fn axis_len(&self, axis: Option<usize>) -> u64 {
        axis.and_then(|a| self.shape.get(a)).copied().unwrap_or(1)
    }

    /// Number of channels (1 for a 2-D image).
    pub fn channels(&self) -> u64 {
        self.axis_len(self.channel_axis())
    }

    /// Number of Stokes planes (1 without a Stokes axis).
    pub fn stokes_count(&self) -> u64 {
        self.axis_len(self.stokes_axis())
    }

    /// Number of 2-D planes in the data unit (0 for a header-only HDU).
    pub fn plane_count(&self) -> u64 {
        if self.shape.is_empty() {
            return 0;
        }
        self.shape.iter().skip(2).try_fold(1u64, |acc, &n| acc.checked_mul(n)).unwrap_or(0)
    }

    /// Index of the plane holding (`channel`, `stokes`), whatever the axis order: planes are
    /// stored with axis 3 varying fastest, then axis 4, ...
    pub fn plane_index(&self, channel: u64, stokes: u64) -> Result<u64, FitsError> {
        let (chan_axis, stokes_axis) = (self.channel_axis(), self.stokes_axis());
        if channel >= self.channels() || stokes >= self.stokes_count() {
            return Err(FitsError::OutOfRange {
                what: format!(
                    "channel {channel}, Stokes {stokes} is outside the cube ({} channels, {} Stokes)",
                    self.channels(),
                    self.stokes_count()
                ),
            });
        }
        let mut index = 0u64;
        let mut stride = 1u64;
        for (axis, &len) in self.shape.iter().enumerate().skip(2) {
            let at = if Some(axis) == chan_axis {
                channel
            } else if Some(axis) == stokes_axis {
                stokes
            } else {
                0
            };
            index = index.saturating_add(at.saturating_mul(stride));
            stride = stride.saturating_mul(len);
        }
        Ok(index)
    }

    /// Bytes in one plane.
    pub fn plane_bytes(&self) -> Result<u64, FitsError> {
        self.width().checked_mul(self.height()).and_then(|n| n.checked_mul(self.bitpix.bytes())).ok_or_else(|| {
            FitsError::AbsurdSize { what: format!("a plane of {} x {} pixels", self.width(), self.height()) }
        })
    }

    /// Bytes in the whole data unit (padding excluded).
    pub fn data_bytes(&self) -> Result<u64, FitsError> {
        self.plane_bytes()?
            .checked_mul(self.plane_count())
            .ok_or_else(|| FitsError::AbsurdSize { what: format!("NAXISn = {:?}", self.shape) })
    }

    /// (offset, len) of plane `plane` in the source.
    pub fn plane_range(&self, plane: u64) -> Result<(u64, u64), FitsError> {
        let len = self.plane_bytes()?;
        if self.header.get_bool("GROUPS") == Some(true) {
            return Err(FitsError::Unsupported("random-groups data (uv visibilities), not an image".into()));
        }
        if len == 0 || self.plane_count() == 0 {
            return Err(FitsError::NoImageData);
        }
        if plane >= self.plane_count() {
            return Err(FitsError::OutOfRange {
                what: format!(
                    "plane {plane} does not exist: the image has {} planes (0..{})",
                    self.plane_count(),
                    self.plane_count() - 1
                ),
            });
        }
        let offset = plane
            .checked_mul(len)
            .and_then(|o| o.checked_add(self.data_offset))
            .ok_or_else(|| FitsError::AbsurdSize { what: format!("plane {plane} offset overflows") })?;
        Ok((offset, len))
    }

    /// "NAXIS = [..], BITPIX = .. (HDU n)": how error messages name the data unit.
    fn describe_axes(&self) -> String {
        let axes: Vec<String> = self.shape.iter().enumerate().map(|(i, n)| format!("NAXIS{} = {n}", i + 1)).collect();
        format!("HDU {} with {}, BITPIX = {}", self.hdu_index, axes.join(", "), self.bitpix.value())
    }
}
