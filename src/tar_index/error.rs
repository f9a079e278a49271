//! Why indexing a tar failed or stopped, in words a user who dropped the wrong file understands.

use serde::{Serialize, Serializer};
use std::fmt;

/// What went wrong while reading tar headers. Every variant that concerns a place in the file
/// carries its byte offset, so a damaged download can be diagnosed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TarError {
    /// The file has no bytes at all.
    Empty,
    /// The first block is not a tar header; `looks_like` names the format when recognisable.
    NotTar { looks_like: Option<&'static str>, file_len: u64 },
    /// The source could not be read.
    Read { offset: u64, message: String },
    /// A header block whose checksum does not match its contents.
    BadChecksum { offset: u64 },
    /// A numeric header field that is not a number.
    BadField { offset: u64, field: &'static str, detail: String },
    /// The file ends inside a header block.
    TruncatedHeader { offset: u64, file_len: u64 },
    /// The data of an entry goes past the end of the file (the entry is not indexed).
    TruncatedEntry { path: String, offset: u64, size: u64, file_len: u64 },
    /// A declared size so large that the next header offset overflows.
    SizeOverflow { offset: u64, size: u64 },
    /// A pax header or GNU long name larger than we accept to hold in memory.
    ExtensionTooLarge { offset: u64, kind: &'static str, size: u64, limit: u64 },
    /// A pax record or GNU long name that cannot be parsed.
    MalformedExtension { offset: u64, kind: &'static str, detail: String },
    /// Extended headers (pax, GNU long name) at the end of the archive with no entry after them.
    DanglingExtension { offset: u64 },
}

impl fmt::Display for TarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const CUT: &str = "the file is truncated (an interrupted download?)";
        match self {
            TarError::Empty => write!(f, "not a tar archive: the file is empty"),
            TarError::NotTar { looks_like: Some(what), .. } => {
                write!(f, "not a tar archive (it looks like {what}; almapkg reads plain .tar)")
            }
            TarError::NotTar { looks_like: None, file_len } if *file_len < 512 => {
                write!(f, "not a tar archive (the file is only {file_len} bytes, shorter than one tar header)")
            }
            TarError::NotTar { looks_like: None, .. } => {
                write!(f, "not a tar archive (the first 512 bytes are not a valid tar header)")
            }
            TarError::Read { offset, message } => write!(f, "at byte offset {offset}: {message}"),
            TarError::BadChecksum { offset } => {
                write!(f, "damaged tar header at byte offset {offset}: its checksum does not match")
            }
            TarError::BadField { offset, field, detail } => {
                write!(f, "damaged tar header at byte offset {offset}: bad {field} field ({detail})")
            }
            TarError::TruncatedHeader { offset, file_len } => {
                write!(f, "the file ends at byte {file_len}, inside the tar header at byte offset {offset}: {CUT}")
            }
            TarError::TruncatedEntry { path, offset, size, file_len } => write!(
                f,
                "entry {path}: its {size} bytes of data at byte offset {offset} go past the end of \
                 the file ({file_len} bytes): {CUT}"
            ),
            TarError::SizeOverflow { offset, size } => {
                write!(f, "damaged tar header at byte offset {offset}: declared size {size} is impossibly large")
            }
            TarError::ExtensionTooLarge { offset, kind, size, limit } => {
                write!(f, "{kind} at byte offset {offset} is {size} bytes, more than the {limit} bytes accepted")
            }
            TarError::MalformedExtension { offset, kind, detail } => {
                write!(f, "malformed {kind} at byte offset {offset}: {detail}")
            }
            TarError::DanglingExtension { offset } => {
                write!(f, "the extended header at byte offset {offset} is not followed by an entry: {CUT}")
            }
        }
    }
}

impl std::error::Error for TarError {}

/// Serialised as its human message: that is all a user interface needs to show.
impl Serialize for TarError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Names the format of a file that is not a tar, from its first bytes, for the error message.
pub(super) fn sniff_format(head: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x1f\x8b", "a gzip file"),
        (b"PK\x03\x04", "a zip file"),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"SIMPLE  =", "a FITS file"),
        (b"BZh", "a bzip2 file"),
        (b"\xfd7zXZ\x00", "an xz file"),
        (b"\x28\xb5\x2f\xfd", "a zstd file"),
        (b"<!DOCTYPE", "an HTML page"),
        (b"<html", "an HTML page"),
    ];
    MAGICS.iter().find(|(magic, _)| head.starts_with(magic)).map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_wrong_files() {
        assert_eq!(sniff_format(b"\x1f\x8b\x08\x00"), Some("a gzip file"));
        assert_eq!(sniff_format(b"SIMPLE  =                    T"), Some("a FITS file"));
        assert_eq!(sniff_format(b"PK\x03\x04rest"), Some("a zip file"));
        assert_eq!(sniff_format(b"hello"), None);
    }

    #[test]
    fn gzip_message_tells_what_to_do() {
        let e = TarError::NotTar { looks_like: sniff_format(b"\x1f\x8b"), file_len: 100 };
        assert_eq!(e.to_string(), "not a tar archive (it looks like a gzip file; almapkg reads plain .tar)");
    }
}
