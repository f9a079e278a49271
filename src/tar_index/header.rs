//! One tar header block and the extended headers (pax `x`, GNU `L`/`K`) that modify the next
//! entry. Field decoding (octal with NUL or space terminators, GNU base-256, ustar prefix)
//! is the `tar` crate's; checksums are verified here because the crate does not.

use super::{Block, EntryType, TarError};

/// Largest pax header or GNU long name/link we hold in memory.
pub(super) const EXTENSION_LIMIT: u64 = 64 * 1024;

/// The fields of one header block that the index needs.
pub(super) struct Header {
    pub typeflag: u8,
    pub size: u64,
    pub path: String,
    pub link: Option<String>,
    pub mtime: u64,
}

/// True for the zero blocks that mark the end of an archive.
pub(super) fn is_zero_block(block: &[u8]) -> bool {
    block.iter().all(|&b| b == 0)
}

/// Checks the header checksum: the sum of all bytes with the checksum field counted as spaces,
/// unsigned (POSIX) or signed (some historic tars).
pub(super) fn checksum_ok(block: &Block) -> bool {
    let Ok(stored) = as_tar_header(block).cksum() else {
        return false;
    };
    let field = 148..156;
    let (mut unsigned, mut signed) = (0u32, 0i32);
    for (i, &b) in block.iter().enumerate() {
        let b = if field.contains(&i) { b' ' } else { b };
        unsigned += u32::from(b);
        signed += i32::from(b as i8);
    }
    stored == unsigned || i64::from(stored) == i64::from(signed)
}

fn as_tar_header(block: &Block) -> tar::Header {
    let mut header = tar::Header::new_old();
    *header.as_mut_bytes() = *block;
    header
}

/// Decodes a header block (checksum already verified) found at `offset`.
pub(super) fn parse_header(block: &Block, offset: u64) -> Result<Header, TarError> {
    let header = as_tar_header(block);
    let size = header.entry_size().map_err(|e| TarError::BadField { offset, field: "size", detail: e.to_string() })?;
    Ok(Header {
        typeflag: block[156],
        size,
        path: String::from_utf8_lossy(&header.path_bytes()).into_owned(),
        link: header.link_name_bytes().map(|l| String::from_utf8_lossy(&l).into_owned()),
        mtime: header.mtime().unwrap_or(0),
    })
}

/// The entry type from the type flag; v7 tars mark directories only by a trailing '/'.
pub(super) fn entry_type(typeflag: u8, raw_path: &str) -> EntryType {
    match typeflag {
        b'0' | 0 | b'7' if raw_path.ends_with('/') => EntryType::Dir,
        b'0' | 0 | b'7' => EntryType::File,
        b'5' => EntryType::Dir,
        b'2' => EntryType::Symlink,
        b'1' => EntryType::Hardlink,
        _ => EntryType::Other,
    }
}

/// What extended headers say about the next real entry.
#[derive(Default)]
pub(super) struct Extensions {
    /// Offset of the first extended header, which is where the entry starts.
    pub first_header: Option<u64>,
    pub path: Option<String>,
    pub link: Option<String>,
    pub size: Option<u64>,
    pub mtime: Option<u64>,
}

impl Extensions {
    /// Applies the records of a pax `x` header found at `offset`.
    pub(super) fn apply_pax(&mut self, data: &[u8], offset: u64) -> Result<(), TarError> {
        let malformed = |detail: String| TarError::MalformedExtension { offset, kind: "pax header", detail };
        for record in tar::PaxExtensions::new(data) {
            let record = record.map_err(|e| malformed(e.to_string()))?;
            let value = String::from_utf8_lossy(record.value_bytes());
            match record.key_bytes() {
                b"path" => self.path = Some(value.into_owned()),
                b"linkpath" => self.link = Some(value.into_owned()),
                b"size" => {
                    let size = value.parse().map_err(|_| malformed(format!("size={value} is not a number")))?;
                    self.size = Some(size);
                }
                b"mtime" => self.mtime = value.split('.').next().and_then(|s| s.parse().ok()),
                _ => {}
            }
        }
        Ok(())
    }
}

/// The name held by a GNU `L` or `K` entry: its data up to the first NUL.
pub(super) fn long_name(data: &[u8]) -> String {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    String::from_utf8_lossy(data.get(..end).unwrap_or(data)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_block(path: &str, size: u64) -> Block {
        let mut h = tar::Header::new_ustar();
        h.set_path(path).unwrap();
        h.set_size(size);
        h.set_cksum();
        *h.as_bytes()
    }

    #[test]
    fn checksum_detects_a_flipped_byte() {
        let mut block = header_block("a.txt", 3);
        assert!(checksum_ok(&block));
        block[10] ^= 1;
        assert!(!checksum_ok(&block));
    }

    #[test]
    fn pax_records_override_path_link_and_size() {
        let mut ext = Extensions::default();
        ext.apply_pax(b"20 path=a/long/name\n19 size=9000000000\n11 mtime=5\n", 0).unwrap();
        assert_eq!(ext.path.as_deref(), Some("a/long/name"));
        assert_eq!(ext.size, Some(9_000_000_000));
        assert_eq!(ext.mtime, Some(5));
        let err = ext.apply_pax(b"99 path=x\n", 1536).unwrap_err();
        assert!(err.to_string().contains("1536"), "{err}");
    }

    #[test]
    fn v7_directory_is_known_by_its_slash() {
        assert_eq!(entry_type(0, "dir/"), EntryType::Dir);
        assert_eq!(entry_type(b'0', "file"), EntryType::File);
        assert_eq!(entry_type(b'S', "sparse"), EntryType::Other);
    }

    #[test]
    fn long_name_stops_at_nul() {
        assert_eq!(long_name(b"abc\0\0"), "abc");
        assert_eq!(long_name(b"abc"), "abc");
    }
}
