//! The index of a tar built from its headers alone.
//!
//! ALMA deliveries are plain tars of tens of GB. Reading them end to end is out of question in
//! a browser, so the index walks header to header: each header gives the size of the data that
//! follows, which is skipped by offset arithmetic, never read. Headers are read through a
//! read-ahead [`window::Window`] so that hundreds of small packed entries cost one read.
//!
//! The walk ([`TarWalk`]) does no I/O itself: it asks for reads and is given their bytes, so
//! the CLI drives it with file reads ([`index_tar`]) and the browser with asynchronous Blob
//! reads, several tars at once.
//!
//! Damage is reported, not fatal: an interrupted download still lists every complete entry,
//! with [`TarIndex::stopped`] saying what is wrong and where.

mod compact;
mod error;
mod header;
mod links;
mod window;

pub use compact::{CompactEntry, CompactIndex};
pub use error::TarError;
pub use links::{is_safe_path, normalise_path};

use crate::source::ReadAt;
use header::{Extensions, EXTENSION_LIMIT};
use serde::{Deserialize, Serialize};
use window::Window;

/// Size of a tar block: headers and data padding come in these units.
const BLOCK: u64 = 512;

/// One header block.
type Block = [u8; BLOCK as usize];

/// What kind of entry a header describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    File,
    Dir,
    Symlink,
    Hardlink,
    /// Devices, FIFOs, GNU sparse files, volume labels...: listed, never opened.
    Other,
}

/// One entry of a tar, located by offsets so its data can be read in place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TarEntry {
    /// Full path, normalised: no leading `./`, directories without trailing `/`.
    pub path: String,
    #[serde(rename = "type")]
    pub kind: EntryType,
    /// Data size in bytes (0 for directories and links).
    pub size: u64,
    /// Byte offset of the data in the tar.
    pub offset: u64,
    /// Byte offset of the first header block of this entry, pax or GNU long-name headers included.
    pub header_offset: u64,
    /// Target of a symbolic or hard link, as stored.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub link: Option<String>,
    /// Modification time, seconds since 1970.
    pub mtime: u64,
}

impl TarEntry {
    /// A loose file (not in a tar) seen as an entry covering the whole file.
    pub fn loose(path: &str, size: u64) -> TarEntry {
        TarEntry {
            path: path.to_string(),
            kind: EntryType::File,
            size,
            offset: 0,
            header_offset: 0,
            link: None,
            mtime: 0,
        }
    }
}

/// How to read the headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// Bytes read at once when the next header is outside the current window.
    pub window: u64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { window: 1 << 20 }
    }
}

/// The entries of a tar, and why indexing stopped early if it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TarIndex {
    pub entries: Vec<TarEntry>,
    /// Damage met after some valid entries (serialised as its message).
    pub stopped: Option<TarError>,
    /// Number of `read_at` calls made while indexing.
    pub reads: u64,
}

/// Indexes the tar in `src` from its headers alone: [`TarWalk`] driven by synchronous reads.
///
/// `Err` only when nothing usable was found: an empty file, a file that is not a tar (the
/// error says what it looks like instead), or damage before the first entry. Later damage
/// gives `Ok` with the entries read so far and [`TarIndex::stopped`] set.
pub fn index_tar(src: &dyn ReadAt, opts: &IndexOptions) -> Result<TarIndex, TarError> {
    let mut walk = TarWalk::new(src.len(), opts);
    while let Some(read) = walk.next_read() {
        match src.read_at_most(read.offset, read.len) {
            Ok(bytes) => walk.supply(read.offset, bytes),
            Err(e) => walk.fail(read.offset, &e.to_string()),
        }
    }
    walk.finish()
}

/// A read the walk needs before it can go on: `len` bytes at `offset` (clamped to the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadRequest {
    pub offset: u64,
    pub len: u64,
}

/// The walk from header to header, fed read by read: it asks for bytes ([`TarWalk::next_read`])
/// and is given them ([`TarWalk::supply`]), so the same walk runs over synchronous reads
/// ([`index_tar`]) and over a browser's asynchronous ones, several tars at once.
pub struct TarWalk {
    window: Window,
    entries: Vec<TarEntry>,
    /// Offset of the next header.
    pos: u64,
    /// Extended headers read for the entry to come.
    ext: Extensions,
    /// Whether the first block was checked to be a tar header.
    sniffed: bool,
    /// Why the walk ended (`Some(Ok)`: the end of the archive).
    outcome: Option<Result<(), TarError>>,
}

impl TarWalk {
    pub fn new(file_len: u64, opts: &IndexOptions) -> TarWalk {
        let outcome = (file_len == 0).then_some(Err(TarError::Empty));
        TarWalk {
            window: Window::new(file_len, opts.window),
            entries: Vec::new(),
            pos: 0,
            ext: Extensions::default(),
            sniffed: false,
            outcome,
        }
    }

    /// Walks on as far as the bytes supplied allow; returns the read needed next, or `None`
    /// once the walk is over (see [`TarWalk::finish`]).
    pub fn next_read(&mut self) -> Option<ReadRequest> {
        if self.outcome.is_some() {
            return None;
        }
        match self.walk() {
            Ok(Some(read)) => Some(read),
            Ok(None) => {
                self.outcome = Some(Ok(()));
                None
            }
            Err(error) => {
                self.outcome = Some(Err(error));
                None
            }
        }
    }

    /// The bytes read for the last request, starting at `offset`.
    pub fn supply(&mut self, offset: u64, bytes: Vec<u8>) {
        if let Err(error) = self.window.fill(offset, bytes) {
            self.outcome = Some(Err(error));
        }
    }

    /// The last request could not be read: the walk ends there.
    pub fn fail(&mut self, offset: u64, message: &str) {
        self.outcome = Some(Err(TarError::Read { offset, message: message.to_string() }));
    }

    /// Bytes walked so far: how far into the file the walk is.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// The index, once [`TarWalk::next_read`] returned `None`: `Err` when nothing usable was
    /// found (see [`index_tar`]).
    pub fn finish(self) -> Result<TarIndex, TarError> {
        let reads = self.window.reads();
        match self
            .outcome
            .unwrap_or(Err(TarError::Read { offset: self.pos, message: "the walk was not finished".into() }))
        {
            Err(error) if self.entries.is_empty() => Err(error),
            outcome => Ok(TarIndex { entries: self.entries, stopped: outcome.err(), reads }),
        }
    }

    /// Walks until it needs bytes it does not have (`Ok(Some)`), the end of the archive
    /// (`Ok(None)`) or the first damage (`Err`). Each header is handled whole or not at all,
    /// so a walk that stops for bytes starts that header again once they come.
    fn walk(&mut self) -> Result<Option<ReadRequest>, TarError> {
        let file_len = self.window.source_len();
        if !self.sniffed {
            let Some(head) = self.window.get(0, file_len.min(BLOCK))? else {
                return Ok(Some(self.window.request(0, file_len.min(BLOCK))));
            };
            let looks_like_tar = head.len() as u64 == BLOCK
                && Block::try_from(head).is_ok_and(|b| header::is_zero_block(&b) || header::checksum_ok(&b));
            if !looks_like_tar {
                return Err(TarError::NotTar { looks_like: error::sniff_format(head), file_len });
            }
            self.sniffed = true;
        }
        loop {
            let offset = self.pos;
            // End of file at (or, harmlessly, inside the padding after) a complete entry.
            if offset >= file_len {
                return self.ext.first_header.map_or(Ok(None), |offset| Err(TarError::DanglingExtension { offset }));
            }
            if file_len - offset < BLOCK {
                return Err(TarError::TruncatedHeader { offset, file_len });
            }
            let Some(bytes) = self.window.get(offset, BLOCK)? else {
                return Ok(Some(self.window.request(offset, BLOCK)));
            };
            let block = Block::try_from(bytes).map_err(|_| TarError::TruncatedHeader { offset, file_len })?;
            if header::is_zero_block(&block) {
                return self.ext.first_header.map_or(Ok(None), |offset| Err(TarError::DanglingExtension { offset }));
            }
            if !header::checksum_ok(&block) {
                return Err(TarError::BadChecksum { offset });
            }
            let head = header::parse_header(&block, offset)?;
            let data_offset = offset + BLOCK;
            let size = match head.typeflag {
                b'x' | b'L' | b'K' => match self.read_extension(&head, offset)? {
                    Some(size) => size,
                    None => return Ok(Some(self.window.request(offset, BLOCK + head.size))),
                },
                b'g' => self.check_data_fits("pax global header", data_offset, head.size).map(|()| head.size)?,
                _ => self.add_entry(head, data_offset)?,
            };
            self.pos = next_header(data_offset, size).ok_or(TarError::SizeOverflow { offset, size })?;
        }
    }

    /// Reads a pax header or GNU long name/link at `offset` into the extensions; returns its
    /// data size, or `None` when its data is not at hand yet.
    fn read_extension(&mut self, head: &header::Header, offset: u64) -> Result<Option<u64>, TarError> {
        let kind = match head.typeflag {
            b'x' => "pax header",
            b'L' => "GNU long name",
            _ => "GNU long link name",
        };
        if head.size > EXTENSION_LIMIT {
            return Err(TarError::ExtensionTooLarge { offset, kind, size: head.size, limit: EXTENSION_LIMIT });
        }
        self.check_data_fits(kind, offset + BLOCK, head.size)?;
        // With its header block, so that a window read for it holds both.
        let Some(bytes) = self.window.get(offset, BLOCK + head.size)? else { return Ok(None) };
        let data = bytes.get(BLOCK as usize..).unwrap_or_default();
        let ext = &mut self.ext;
        ext.first_header.get_or_insert(offset);
        match head.typeflag {
            b'x' => ext.apply_pax(data, offset)?,
            b'L' => ext.path = Some(header::long_name(data)),
            _ => ext.link = Some(header::long_name(data)),
        }
        Ok(Some(head.size))
    }

    /// Records a real entry, with what its extended headers said; returns its data size.
    fn add_entry(&mut self, head: header::Header, data_offset: u64) -> Result<u64, TarError> {
        let ext = std::mem::take(&mut self.ext);
        let raw_path = ext.path.unwrap_or(head.path);
        let path = normalise_path(&raw_path);
        let size = ext.size.unwrap_or(head.size);
        self.check_data_fits(&path, data_offset, size)?;
        let kind = header::entry_type(head.typeflag, &raw_path);
        let is_link = matches!(kind, EntryType::Symlink | EntryType::Hardlink);
        let has_data = !is_link && kind != EntryType::Dir;
        self.entries.push(TarEntry {
            path,
            kind,
            size: if has_data { size } else { 0 },
            offset: data_offset,
            header_offset: ext.first_header.unwrap_or(data_offset - BLOCK),
            link: if is_link { ext.link.or(head.link) } else { None },
            mtime: ext.mtime.unwrap_or(head.mtime),
        });
        Ok(size)
    }

    /// Fails when `size` bytes of data at `data_offset` go past the end of the file.
    fn check_data_fits(&self, what: &str, data_offset: u64, size: u64) -> Result<(), TarError> {
        let file_len = self.window.source_len();
        match data_offset.checked_add(size) {
            Some(end) if end <= file_len => Ok(()),
            Some(_) => Err(TarError::TruncatedEntry { path: what.to_string(), offset: data_offset, size, file_len }),
            None => Err(TarError::SizeOverflow { offset: data_offset - BLOCK, size }),
        }
    }
}

/// Offset of the header after data of `size` bytes at `data_offset`, padded to a whole block.
fn next_header(data_offset: u64, size: u64) -> Option<u64> {
    let padded = size.checked_add(BLOCK - 1)? / BLOCK * BLOCK;
    data_offset.checked_add(padded)
}

#[cfg(test)]
mod tests;
