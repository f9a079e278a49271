//! Random-access byte sources.
//!
//! Everything almapkg reads goes through [`ReadAt`]: a dropped `File` in the browser (read by
//! `Blob.slice` in the worker), a file on disk in the CLI, or a byte vector in tests. Offsets
//! and lengths are `u64` because packages exceed 4 GiB and `usize` is 32-bit on wasm32.

use std::cell::Cell;
use std::fmt;

/// Why a read failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// The requested range ends past the end of the source.
    OutOfRange { offset: u64, len: u64, source_len: u64 },
    /// The underlying file could not be read (I/O error, permission, file changed...).
    Io(String),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::OutOfRange { offset, len, source_len } => write!(
                f,
                "read of {len} bytes at offset {offset} goes past the end of the file ({source_len} bytes): the file is truncated"
            ),
            SourceError::Io(msg) => write!(f, "read failed: {msg}"),
        }
    }
}

impl std::error::Error for SourceError {}

/// A source of bytes that can be read at any offset.
///
/// Implementations should make each call cheap relative to its size: in the browser every
/// call costs ~1 ms whatever its length, so callers read ahead in large windows.
pub trait ReadAt {
    /// Total length in bytes.
    fn len(&self) -> u64;

    /// Reads exactly `len` bytes at `offset`, or fails with [`SourceError::OutOfRange`].
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads up to `len` bytes at `offset`, clamped to the end of the source.
    fn read_at_most(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        let end = offset.saturating_add(len).min(self.len());
        if offset >= end {
            return Ok(Vec::new());
        }
        self.read_at(offset, end - offset)
    }
}

/// Checks a requested range against a source length.
pub fn check_range(offset: u64, len: u64, source_len: u64) -> Result<(), SourceError> {
    match offset.checked_add(len) {
        Some(end) if end <= source_len => Ok(()),
        _ => Err(SourceError::OutOfRange { offset, len, source_len }),
    }
}

/// A reference to a source is a source, so readers can own or borrow what they read.
impl<T: ReadAt + ?Sized> ReadAt for &T {
    fn len(&self) -> u64 {
        (**self).len()
    }
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        (**self).read_at(offset, len)
    }
}

/// An in-memory source (tests, decompressed nested archives, small loose files).
pub struct MemSource(pub Vec<u8>);

impl ReadAt for MemSource {
    fn len(&self) -> u64 {
        self.0.len() as u64
    }
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        check_range(offset, len, self.len())?;
        Ok(self.0[offset as usize..(offset + len) as usize].to_vec())
    }
}

/// A window `[start, start + len)` of another source, itself a source: a tar entry seen as a
/// file. It borrows its source (`SubSource<&dyn ReadAt>`) or owns it (an entry kept open).
pub struct SubSource<S> {
    pub inner: S,
    pub start: u64,
    pub len: u64,
}

impl<S: ReadAt> ReadAt for SubSource<S> {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        check_range(offset, len, self.len)?;
        self.inner.read_at(self.start + offset, len)
    }
}

/// Wraps a source and counts the calls and bytes, so tests can prove what was (not) read.
pub struct CountingSource<S> {
    pub inner: S,
    pub reads: Cell<u64>,
    pub bytes: Cell<u64>,
}

impl<S: ReadAt> CountingSource<S> {
    pub fn new(inner: S) -> Self {
        CountingSource { inner, reads: Cell::new(0), bytes: Cell::new(0) }
    }
}

impl<S: ReadAt> ReadAt for CountingSource<S> {
    fn len(&self) -> u64 {
        self.inner.len()
    }
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        self.reads.set(self.reads.get() + 1);
        self.bytes.set(self.bytes.get() + len);
        self.inner.read_at(offset, len)
    }
}

/// Adapts a [`ReadAt`] to `std::io::Read + Seek`, so that `tar` and `flate2` can stream from it.
/// Reads are buffered in windows of `window` bytes to keep the number of calls low.
/// It owns or borrows its source (`S` may be `&dyn ReadAt`).
pub struct SourceReader<S: ReadAt> {
    src: S,
    pos: u64,
    window: u64,
    buf: Vec<u8>,
    buf_start: u64,
}

impl<S: ReadAt> SourceReader<S> {
    pub fn new(src: S, window: u64) -> Self {
        SourceReader { src, pos: 0, window: window.max(512), buf: Vec::new(), buf_start: 0 }
    }
    pub fn position(&self) -> u64 {
        self.pos
    }
}

impl<S: ReadAt> std::io::Read for SourceReader<S> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let buf_end = self.buf_start + self.buf.len() as u64;
        if self.pos < self.buf_start || self.pos >= buf_end {
            self.buf = self.src.read_at_most(self.pos, self.window).map_err(std::io::Error::other)?;
            self.buf_start = self.pos;
            if self.buf.is_empty() {
                return Ok(0);
            }
        }
        let at = (self.pos - self.buf_start) as usize;
        let n = out.len().min(self.buf.len() - at);
        out[..n].copy_from_slice(&self.buf[at..at + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<S: ReadAt> std::io::Seek for SourceReader<S> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            std::io::SeekFrom::Start(n) => Some(n),
            std::io::SeekFrom::End(d) => self.src.len().checked_add_signed(d),
            std::io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before start"))?;
        Ok(self.pos)
    }
}

/// A file on disk (CLI and native tests).
#[cfg(not(target_arch = "wasm32"))]
pub struct FileSource {
    file: std::fs::File,
    len: u64,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileSource {
    pub fn open(path: &std::path::Path) -> Result<Self, SourceError> {
        let file = std::fs::File::open(path).map_err(|e| SourceError::Io(format!("{}: {e}", path.display())))?;
        let len = file.metadata().map_err(|e| SourceError::Io(e.to_string()))?.len();
        Ok(FileSource { file, len })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ReadAt for FileSource {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        use std::os::unix::fs::FileExt;
        check_range(offset, len, self.len)?;
        let mut buf = vec![0u8; usize::try_from(len).map_err(|_| SourceError::Io("read too large".into()))?];
        self.file.read_exact_at(&mut buf, offset).map_err(|e| SourceError::Io(e.to_string()))?;
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, SeekFrom};

    #[test]
    fn mem_source_checks_ranges() {
        let s = MemSource(vec![1, 2, 3, 4]);
        assert_eq!(s.read_at(1, 2).unwrap(), vec![2, 3]);
        assert!(matches!(s.read_at(3, 2), Err(SourceError::OutOfRange { .. })));
        assert!(matches!(s.read_at(u64::MAX, 2), Err(SourceError::OutOfRange { .. })));
        assert_eq!(s.read_at_most(2, 10).unwrap(), vec![3, 4]);
    }

    #[test]
    fn reader_buffers_in_windows() {
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let src = CountingSource::new(MemSource(data.clone()));
        let mut r = SourceReader::new(&src, 1024);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        assert_eq!(src.reads.get(), 5);
        r.seek(SeekFrom::Start(4000)).unwrap();
        let mut b = [0u8; 4];
        r.read_exact(&mut b).unwrap();
        assert_eq!(b[0], data[4000]);
    }
}
