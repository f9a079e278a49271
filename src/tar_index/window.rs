//! Read-ahead over a [`ReadAt`]: headers are parsed out of large windows so that packed small
//! entries cost one read per window, not one per header (each read costs ~1 ms in a browser).
//!
//! The window adapts: right after a jump over an entry's body (a product tar of big FITS
//! files) the next header is most likely followed by another big body, so only a small
//! window is read there (a 1 MiB read costs several times a 16 KiB one); a miss right at
//! the end of the previous window means packed small entries, and the window grows back.

use super::TarError;
use crate::source::ReadAt;

/// Window read right after jumping over a body: a header, pax records and a few small entries.
const AFTER_JUMP: u64 = 16 << 10;

/// The current window `[start, start + data.len())` of the source, and how many reads it took.
pub(super) struct Window<'a> {
    src: &'a dyn ReadAt,
    /// The largest window.
    size: u64,
    /// The size of the next read.
    next: u64,
    start: u64,
    data: Vec<u8>,
    reads: u64,
}

impl<'a> Window<'a> {
    /// A window of `size` bytes (at least one tar block).
    pub(super) fn new(src: &'a dyn ReadAt, size: u64) -> Self {
        let size = size.max(super::BLOCK);
        Window { src, size, next: size, start: 0, data: Vec::new(), reads: 0 }
    }

    pub(super) fn source_len(&self) -> u64 {
        self.src.len()
    }

    pub(super) fn reads(&self) -> u64 {
        self.reads
    }

    /// Returns `len` bytes at `offset`. When they are not all inside the current window, a new
    /// window is read starting at `offset` (at least `len` bytes, clamped to the end of file).
    /// Callers check that the range lies inside the source first.
    pub(super) fn bytes(&mut self, offset: u64, len: u64) -> Result<&[u8], TarError> {
        let end = offset.checked_add(len).ok_or(TarError::SizeOverflow { offset, size: len })?;
        let window_end = self.start.saturating_add(self.data.len() as u64);
        if offset < self.start || end > window_end {
            // Skipping more than a whole window means a big body was jumped over.
            let jumped = offset.saturating_sub(window_end) > self.size;
            self.next = if jumped { AFTER_JUMP.min(self.size) } else { self.next.saturating_mul(4).min(self.size) };
            self.data = self
                .src
                .read_at_most(offset, self.next.max(len))
                .map_err(|e| TarError::Read { offset, message: e.to_string() })?;
            self.start = offset;
            self.reads += 1;
        }
        let from = usize::try_from(offset - self.start).ok();
        let to = usize::try_from(end - self.start).ok();
        from.zip(to).and_then(|(from, to)| self.data.get(from..to)).ok_or_else(|| TarError::Read {
            offset,
            message: format!("the source returned fewer than the {len} bytes requested"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{CountingSource, MemSource};

    #[test]
    fn reads_little_after_a_jump_and_grows_again_when_entries_are_packed() {
        let src = CountingSource::new(MemSource(vec![0; 8 << 20]));
        let mut w = Window::new(&src, 1 << 20);
        w.bytes(0, 512).unwrap();
        assert_eq!(src.bytes.get(), 1 << 20, "the first window is large");
        w.bytes(3 << 20, 512).unwrap();
        assert_eq!(src.bytes.get(), (1 << 20) + AFTER_JUMP, "after a jump, a small read");
        w.bytes((3 << 20) + AFTER_JUMP, 512).unwrap();
        assert_eq!(src.bytes.get(), (1 << 20) + AFTER_JUMP + 4 * AFTER_JUMP, "contiguous: the window grows");
    }

    #[test]
    fn reads_once_per_window() {
        let src = MemSource((0..4096u32).map(|i| i as u8).collect());
        let mut w = Window::new(&src, 2048);
        assert_eq!(w.bytes(0, 512).unwrap()[1], 1);
        assert_eq!(w.bytes(1536, 512).unwrap()[0], 0);
        assert_eq!(w.reads(), 1);
        assert_eq!(w.bytes(1800, 512).unwrap()[0], (1800 % 256) as u8);
        assert_eq!(w.reads(), 2);
    }

    #[test]
    fn short_source_is_an_error_not_a_panic() {
        let src = MemSource(vec![0; 100]);
        let mut w = Window::new(&src, 1024);
        assert!(w.bytes(0, 512).is_err());
        assert!(w.bytes(u64::MAX, 512).is_err());
    }
}
