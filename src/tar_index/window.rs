//! Read-ahead over a [`ReadAt`]: headers are parsed out of large windows so that packed small
//! entries cost one read per window, not one per header (each read costs ~1 ms in a browser).
//!
//! The window adapts: it starts small (a 1 MiB read costs several times a 16 KiB one: 9-15
//! against 2-5 ms in a browser, ~10 ms on a 51-entry product tar whose floor is ~58 ms), and
//! is small again right after a jump over an entry's body (a product tar of big FITS files),
//! as the next header is most likely followed by another big body; a miss right at the end
//! of the previous window means packed small entries, and it grows ×4.

use super::{ReadRequest, TarError};

/// Window read first, and right after jumping over a body: a header, pax records and a few
/// small entries.
const SMALL: u64 = 16 << 10;

/// The current window `[start, start + data.len())` of a file of `file_len` bytes, and how
/// many reads it took. It reads nothing itself: it says which read to make
/// ([`Window::request`]) and is given the bytes ([`Window::fill`]).
pub(super) struct Window {
    file_len: u64,
    /// The largest window.
    size: u64,
    /// The size of the next read.
    next: u64,
    start: u64,
    data: Vec<u8>,
    reads: u64,
    /// The range the last request had to cover, to check what comes back against.
    needed: Option<(u64, u64)>,
}

impl Window {
    /// A window of at most `size` bytes (at least one tar block) over a file of `file_len`.
    pub(super) fn new(file_len: u64, size: u64) -> Self {
        let size = size.max(super::BLOCK);
        Window { file_len, size, next: SMALL.min(size), start: 0, data: Vec::new(), reads: 0, needed: None }
    }

    pub(super) fn source_len(&self) -> u64 {
        self.file_len
    }

    pub(super) fn reads(&self) -> u64 {
        self.reads
    }

    /// The `len` bytes at `offset` if the window holds them all (`Ok(None)` if not: ask for
    /// [`Window::request`]). Callers check that the range lies inside the file first.
    pub(super) fn get(&self, offset: u64, len: u64) -> Result<Option<&[u8]>, TarError> {
        let end = offset.checked_add(len).ok_or(TarError::SizeOverflow { offset, size: len })?;
        let window_end = self.start.saturating_add(self.data.len() as u64);
        if offset < self.start || end > window_end {
            return Ok(None);
        }
        let from = usize::try_from(offset - self.start).ok();
        let to = usize::try_from(end - self.start).ok();
        Ok(from.zip(to).and_then(|(from, to)| self.data.get(from..to)))
    }

    /// The read that brings `len` bytes at `offset` into a new window starting there: at
    /// least `len` bytes, more by the adaptive window size, clamped to the end of the file.
    pub(super) fn request(&mut self, offset: u64, len: u64) -> ReadRequest {
        // Skipping more than a whole window means a big body was jumped over.
        let window_end = self.start.saturating_add(self.data.len() as u64);
        let jumped = offset.saturating_sub(window_end) > self.size;
        if jumped {
            self.next = SMALL.min(self.size);
        } else if self.reads > 0 {
            self.next = self.next.saturating_mul(4).min(self.size);
        }
        self.needed = Some((offset, len));
        let end = offset.saturating_add(self.next.max(len)).min(self.file_len);
        ReadRequest { offset, len: end.saturating_sub(offset) }
    }

    /// The bytes read for the last request, starting at `offset`, become the window; an
    /// error if they do not cover what the request had to (asking again would loop).
    pub(super) fn fill(&mut self, offset: u64, data: Vec<u8>) -> Result<(), TarError> {
        self.start = offset;
        self.data = data;
        self.reads += 1;
        match self.needed.take() {
            Some((at, len)) if self.get(at, len)?.is_none() => {
                let message = format!("the source returned fewer than the {len} bytes requested");
                Err(TarError::Read { offset: at, message })
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads what `w` asks for from `file` (as index_tar does); returns the bytes read.
    fn read(w: &mut Window, file: &[u8], offset: u64, len: u64) -> u64 {
        let r = w.request(offset, len);
        w.fill(r.offset, file[r.offset as usize..(r.offset + r.len) as usize].to_vec()).unwrap();
        r.len
    }

    #[test]
    fn starts_small_grows_while_packed_and_is_small_again_after_a_jump() {
        let file = vec![0u8; 8 << 20];
        let mut w = Window::new(file.len() as u64, 1 << 20);
        assert_eq!(read(&mut w, &file, 0, 512), SMALL, "the first window is small");
        assert_eq!(read(&mut w, &file, SMALL, 512), 4 * SMALL, "contiguous: the window grows");
        assert_eq!(read(&mut w, &file, 5 * SMALL, 512), 16 * SMALL);
        assert_eq!(read(&mut w, &file, 21 * SMALL, 512), 1 << 20, "up to the largest window");
        assert_eq!(read(&mut w, &file, 6 << 20, 512), SMALL, "after a jump, a small read");
        assert_eq!(w.reads(), 5);
    }

    #[test]
    fn holds_what_was_read_and_nothing_else() {
        let file: Vec<u8> = (0..4096u32).map(|i| i as u8).collect();
        let mut w = Window::new(4096, 2048);
        assert_eq!(w.get(0, 512).unwrap(), None);
        read(&mut w, &file, 0, 512);
        assert_eq!(w.get(0, 512).unwrap().map(|b| b[1]), Some(1));
        assert_eq!(w.get(1536, 512).unwrap().map(|b| b[0]), Some(0));
        assert_eq!(w.get(16000, 512).unwrap(), None, "past the window");
        assert_eq!(read(&mut w, &file, 4000, 96), 96, "clamped to the end of the file");
    }

    #[test]
    fn a_short_read_is_an_error_not_a_request_again() {
        let mut w = Window::new(4096, 1024);
        let r = w.request(0, 512);
        let err = w.fill(r.offset, vec![0; 100]).unwrap_err();
        assert!(err.to_string().contains("fewer than the 512 bytes"), "{err}");
        assert!(w.get(u64::MAX, 512).is_err(), "an overflowing range is an error");
    }
}
