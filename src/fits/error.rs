//! Why reading a FITS file failed, said for a human: what is wrong and where.

use crate::source::SourceError;
use std::fmt;

/// Everything that can go wrong while reading FITS headers and data.
#[derive(Debug, Clone, PartialEq)]
pub enum FitsError {
    /// The first card is not `SIMPLE  =` (or `XTENSION=` for an extension).
    NotFits { first_card: String },
    /// No END card before the end of the file or before the header size limit.
    NoEnd { searched_bytes: u64 },
    /// The header is larger than we accept (cards or bytes).
    HeaderTooLarge { cards: u64, bytes: u64 },
    /// A card that cannot be read, with its 1-based number in the header.
    BadCard { number: u64, key: String, reason: String },
    /// A mandatory keyword is missing or has the wrong type.
    BadKeyword { key: String, reason: String },
    /// BITPIX is not one of 8, 16, 32, 64, -32, -64.
    BadBitpix(i64),
    /// The data unit is larger than any file we accept, or its size overflows.
    AbsurdSize { what: String },
    /// The file stops before the end of the declared data.
    Truncated { declared: String, needed: u64, available: u64 },
    /// The HDU has no pixels (NAXIS = 0, or an axis of length 0).
    NoImageData,
    /// A plane, channel, Stokes or pixel index outside the cube.
    OutOfRange { what: String },
    /// Something valid FITS that we do not read (tile compression, random groups...).
    Unsupported(String),
    /// A `.gz` file that is not gzip, or ends early, or is corrupt.
    Gzip(String),
    /// The byte source failed.
    Source(SourceError),
}

impl fmt::Display for FitsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitsError::NotFits { first_card } => {
                write!(f, "not a FITS file (first card is {})", first_card.trim_end())
            }
            FitsError::NoEnd { searched_bytes } => {
                write!(f, "header has no END card within the first {searched_bytes} bytes")
            }
            FitsError::HeaderTooLarge { cards, bytes } => write!(
                f,
                "header is too large ({cards} cards, {bytes} bytes without an END card; the limits are 100000 cards and 30 MB)"
            ),
            FitsError::BadCard { number, key, reason } => write!(f, "card {number} ({key}) {reason}"),
            FitsError::BadKeyword { key, reason } => write!(f, "keyword {key}: {reason}"),
            FitsError::BadBitpix(b) => write!(f, "BITPIX = {b} is not a valid FITS BITPIX (8, 16, 32, 64, -32 or -64)"),
            FitsError::AbsurdSize { what } => write!(f, "absurd data size: {what}"),
            FitsError::Truncated { declared, needed, available } => write!(
                f,
                "{declared}: the data would need {needed} bytes but the file has {available}: the file is truncated"
            ),
            FitsError::NoImageData => write!(f, "this FITS file has no image data (NAXIS = 0 or an empty axis): only its header can be shown"),
            FitsError::OutOfRange { what } => write!(f, "{what}"),
            FitsError::Unsupported(what) => write!(f, "not supported: {what}"),
            FitsError::Gzip(what) => write!(f, "{what}"),
            FitsError::Source(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FitsError {}

impl From<SourceError> for FitsError {
    fn from(e: SourceError) -> Self {
        FitsError::Source(e)
    }
}
