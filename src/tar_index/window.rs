//! Read-ahead over a [`ReadAt`]: headers are parsed out of large windows so that packed small
//! entries cost one read per window, not one per header (each read costs ~1 ms in a browser).
//!
//! The window adapts: it starts small (a 1 MiB read costs several times a 16 KiB one: ~15
//! against ~5 ms in a browser, most of what a 51-entry product tar's index adds to its
//! reads), and right after a jump over an entry's body (a product tar of big FITS files) it
//! is small again, as the next header is most likely followed by another big body; a miss
//! right at the end of the previous window means packed small entries, and it grows ×4.

use super::TarError;
use crate::source::ReadAt;

/// Window read first, and right after jumping over a body: a header, pax records and a few
/// small entries.
const SMALL: u64 = 16 << 10;

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
    /// A window of at most `size` bytes (at least one tar block).
    pub(super) fn new(src: &'a dyn ReadAt, size: u64) -> Self {
        let size = size.max(super::BLOCK);
        Window { src, size, next: SMALL.min(size), start: 0, data: Vec::new(), reads: 0 }
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
            if jumped {
                self.next = SMALL.min(self.size);
            } else if self.reads > 0 {
                self.next = self.next.saturating_mul(4).min(self.size);
            }
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
    fn starts_small_grows_while_packed_and_is_small_again_after_a_jump() {
        let src = CountingSource::new(MemSource(vec![0; 8 << 20]));
        let mut w = Window::new(&src, 1 << 20);
        w.bytes(0, 512).unwrap();
        assert_eq!(src.bytes.get(), SMALL, "the first window is small");
        w.bytes(SMALL, 512).unwrap();
        assert_eq!(src.bytes.get(), SMALL + 4 * SMALL, "contiguous: the window grows");
        w.bytes(5 * SMALL, 512).unwrap();
        w.bytes(21 * SMALL, 512).unwrap();
        assert_eq!(src.bytes.get(), SMALL + 4 * SMALL + 16 * SMALL + (1 << 20), "up to the largest window");
        let read = src.bytes.get();
        w.bytes(6 << 20, 512).unwrap();
        assert_eq!(src.bytes.get(), read + SMALL, "after a jump, a small read");
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
