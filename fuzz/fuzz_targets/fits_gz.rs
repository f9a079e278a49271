//! `.fits.gz` streaming: gzip framing, then FITS headers and one plane from the inflated
//! stream.
#![no_main]

use almapkg::fits::gz::{open_gz_image, read_gz_plane};
use almapkg::source::MemSource;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = MemSource(data.to_vec());
    let Ok(hdu) = open_gz_image(&src) else { return };
    let last = hdu.plane_count().saturating_sub(1);
    let _ = read_gz_plane(&src, &hdu, 0);
    let _ = read_gz_plane(&src, &hdu, last);
});
