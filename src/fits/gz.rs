//! `.fits.gz`: a whole FITS file compressed with gzip. There is no random access into a
//! gzip stream, so we inflate from the start every time and discard what precedes the wanted
//! plane (bounded memory: a 64 KiB scratch buffer plus one plane; time grows with the plane
//! index).

use super::header::io_error;
use super::walk::{find_image, HduStream};
use super::{FitsError, ImageHdu};
use crate::plane::Plane;
use crate::source::{ReadAt, SourceReader};
use flate2::read::MultiGzDecoder;
use std::io::Read;

/// Window for reading the compressed bytes from the source.
const GZ_WINDOW: u64 = 1 << 20;

/// A gzip stream over a source, counting inflated bytes for error messages.
struct GzStream<'a> {
    inner: MultiGzDecoder<SourceReader<&'a dyn ReadAt>>,
    pos: u64,
}

impl Read for GzStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl HduStream for GzStream<'_> {
    fn skip(&mut self, n: u64) -> Result<(), FitsError> {
        let start = self.pos;
        let copied = std::io::copy(&mut self.by_ref().take(n), &mut std::io::sink()).map_err(io_error)?;
        if copied < n {
            return Err(ends_early(start + n, start + copied));
        }
        Ok(())
    }
}

fn ends_early(needed: u64, got: u64) -> FitsError {
    FitsError::Gzip(format!("gzip ends early: the inflated FITS stops at byte {got} but {needed} bytes are needed"))
}

/// Opens a gzip stream after checking the magic bytes.
fn gz_stream(src: &dyn ReadAt) -> Result<GzStream<'_>, FitsError> {
    let magic = src.read_at_most(0, 2)?;
    if magic.is_empty() {
        return Err(FitsError::Gzip("not gzip: the file is empty".into()));
    }
    if magic != [0x1f, 0x8b] {
        return Err(FitsError::Gzip(format!("not gzip: the file starts with {magic:02x?}, not 1f 8b")));
    }
    Ok(GzStream { inner: MultiGzDecoder::new(SourceReader::new(src, GZ_WINDOW)), pos: 0 })
}

/// Reads the headers of a `.fits.gz` and finds its image. `data_offset` is counted in the
/// inflated stream. The data are not checked for completeness here (that would inflate the
/// whole file); [`read_gz_plane`] reports a stream that ends early.
pub fn open_gz_image(src: &dyn ReadAt) -> Result<ImageHdu, FitsError> {
    find_image(&mut gz_stream(src)?)
}

/// Inflates up to plane `plane` and decodes it.
pub fn read_gz_plane(src: &dyn ReadAt, hdu: &ImageHdu, plane: u64) -> Result<Plane, FitsError> {
    let (offset, len) = hdu.plane_range(plane)?;
    hdu.plane_dims()?;
    let mut stream = gz_stream(src)?;
    stream.skip(offset)?;
    // Grow with the data actually inflated, never to the size the header declares: a tiny
    // hostile file may declare a 1 GiB plane.
    let mut bytes = Vec::with_capacity(len.min(GZ_WINDOW) as usize);
    let filled = stream.by_ref().take(len).read_to_end(&mut bytes).map_err(io_error)?;
    if (filled as u64) < len {
        return Err(ends_early(offset + len, offset + filled as u64));
    }
    hdu.decode_plane(&bytes)
}
