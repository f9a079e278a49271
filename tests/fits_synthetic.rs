//! FITS decoding on small files built in the test: exact values for every BITPIX, scaling,
//! blanks, axis orders, plane ranges, and clear errors on broken files.

mod fits_support;

use almapkg::fits::{self, gz, Bitpix, FitsError};
use almapkg::source::{CountingSource, MemSource};
use fits_support::{card, f32_data, fits, hdu, image_cards};

fn open(bytes: Vec<u8>) -> (MemSource, fits::ImageHdu) {
    let src = MemSource(bytes);
    let hdu = fits::open_image(&src).unwrap();
    (src, hdu)
}

fn plane0(bitpix: i64, extra: &[String], data: Vec<u8>) -> Vec<f32> {
    let n = data.len() as u64 / (bitpix.unsigned_abs() / 8);
    let (src, hdu) = open(fits(bitpix, &[n, 1], extra, &data));
    hdu.read_plane(&src, 0).unwrap().data
}

#[test]
fn every_bitpix_decodes_exactly() {
    assert_eq!(plane0(8, &[], vec![0, 7, 255]), [0.0, 7.0, 255.0]);
    let i16s: Vec<u8> = [-32768i16, -1, 300].iter().flat_map(|v| v.to_be_bytes()).collect();
    assert_eq!(plane0(16, &[], i16s), [-32768.0, -1.0, 300.0]);
    let i32s: Vec<u8> = [-70000i32, 5, 1 << 20].iter().flat_map(|v| v.to_be_bytes()).collect();
    assert_eq!(plane0(32, &[], i32s), [-70000.0, 5.0, 1048576.0]);
    let i64s: Vec<u8> = [-3i64, 1 << 40].iter().flat_map(|v| v.to_be_bytes()).collect();
    assert_eq!(plane0(64, &[], i64s), [-3.0, 1099511627776.0]);
    assert_eq!(plane0(-32, &[], f32_data([1.5, -2.25])), [1.5, -2.25]);
    let f64s: Vec<u8> = [0.125f64, -1e10].iter().flat_map(|v| v.to_be_bytes()).collect();
    assert_eq!(plane0(-64, &[], f64s), [0.125, -1e10]);
}

#[test]
fn bscale_bzero_and_unsigned_integers() {
    let i16s: Vec<u8> = [-32768i16, 0, 32767].iter().flat_map(|v| v.to_be_bytes()).collect();
    assert_eq!(plane0(16, &[card("BZERO", "32768")], i16s.clone()), [0.0, 32768.0, 65535.0]);
    assert_eq!(plane0(16, &[card("BSCALE", "2.5"), card("BZERO", "-1.0")], i16s), [-81921.0, -1.0, 81916.5]);
    let i32s: Vec<u8> = [i32::MIN, i32::MAX].iter().flat_map(|v| v.to_be_bytes()).collect();
    assert_eq!(plane0(32, &[card("BZERO", "2147483648")], i32s), [0.0, 4294967295.0f64 as f32]);
    let i64s: Vec<u8> = [i64::MIN, -1, 0].iter().flat_map(|v| v.to_be_bytes()).collect();
    let got = plane0(64, &[card("BZERO", "9223372036854775808")], i64s);
    assert_eq!(got, [0.0, i64::MAX as f32, 9223372036854775808.0]);
}

#[test]
fn blank_is_compared_on_raw_integers_and_nan_passes_through() {
    let i16s: Vec<u8> = [-32768i16, 0, 5].iter().flat_map(|v| v.to_be_bytes()).collect();
    let got = plane0(16, &[card("BZERO", "32768"), card("BLANK", "-32768")], i16s);
    assert!(got[0].is_nan());
    assert_eq!(&got[1..], [32768.0, 32773.0]);
    // BLANK on float data is ignored; NaN is the float blank.
    let got = plane0(-32, &[card("BLANK", "0")], f32_data([0.0, f32::NAN]));
    assert_eq!(got[0], 0.0);
    assert!(got[1].is_nan());
}

/// A cube whose every pixel of plane k equals k.
fn cube(shape: &[u64], ctypes: &[&str]) -> (MemSource, fits::ImageHdu) {
    let planes: u64 = shape[2..].iter().product();
    let per = shape[0] * shape[1];
    let data = f32_data((0..planes).flat_map(|k| std::iter::repeat_n(k as f32, per as usize)));
    let extra: Vec<String> =
        ctypes.iter().enumerate().map(|(i, c)| card(&format!("CTYPE{}", i + 1), &format!("'{c}'"))).collect();
    open(fits(-32, shape, &extra, &data))
}

#[test]
fn spectral_and_stokes_axes_in_either_order() {
    let (src, h) = cube(&[2, 2, 3, 2], &["RA---SIN", "DEC--SIN", "FREQ", "STOKES"]);
    assert_eq!((h.spectral_axis(), h.stokes_axis(), h.channels(), h.stokes_count()), (Some(2), Some(3), 3, 2));
    assert_eq!(h.plane_index(2, 1).unwrap(), 5);
    assert_eq!(h.read_plane(&src, h.plane_index(1, 1).unwrap()).unwrap().data, [4.0; 4]);
    assert_eq!(h.pixel_spectrum(&src, 1, 1, 1).unwrap(), [3.0, 4.0, 5.0]);

    let (src, h) = cube(&[2, 2, 2, 3], &["RA---SIN", "DEC--SIN", "STOKES", "VRAD"]);
    assert_eq!((h.spectral_axis(), h.stokes_axis(), h.channels(), h.stokes_count()), (Some(3), Some(2), 3, 2));
    assert_eq!(h.plane_index(2, 1).unwrap(), 5);
    assert_eq!(h.plane_index(1, 0).unwrap(), 2);
    assert_eq!(h.pixel_spectrum(&src, 0, 1, 0).unwrap(), [0.0, 2.0, 4.0]);
    assert!(h.plane_index(3, 0).is_err());
}

#[test]
fn plane_ranges_and_single_reads() {
    let (src, h) = cube(&[3, 2, 4], &["RA---TAN", "DEC--TAN", "FREQ"]);
    assert_eq!(h.data_offset, 2880);
    assert_eq!(h.plane_range(0).unwrap(), (2880, 24));
    assert_eq!(h.plane_range(3).unwrap(), (2880 + 72, 24));
    let e = h.plane_range(4).unwrap_err().to_string();
    assert!(e.contains("plane 4 does not exist"), "{e}");
    let counting = CountingSource::new(src);
    fits::open_image(&counting).unwrap();
    assert_eq!(counting.reads.get(), 1, "the header is read in one 64 KiB window");
    counting.reads.set(0);
    counting.bytes.set(0);
    let p = h.read_plane(&counting, 2).unwrap();
    assert_eq!((p.width, p.height, counting.reads.get(), counting.bytes.get()), (3, 2, 1, 24));
}

#[test]
fn degenerate_axes_and_1d_images() {
    let (src, h) = cube(&[2, 2, 1, 1], &["RA---SIN", "DEC--SIN", "FREQ", "STOKES"]);
    assert_eq!((h.plane_count(), h.channels()), (1, 1));
    assert_eq!(h.read_plane(&src, 0).unwrap().data.len(), 4);
    let (src, h) = open(fits(-32, &[3], &[], &f32_data([1.0, 2.0, 3.0])));
    let p = h.read_plane(&src, 0).unwrap();
    assert_eq!((p.width, p.height), (3, 1));
}

#[test]
fn truncated_data_is_an_error_naming_both_sizes() {
    let mut bytes = fits(-32, &[10, 10], &[], &f32_data((0..100).map(|v| v as f32)));
    bytes.truncate(2880 + 200);
    let e = fits::open_image(&MemSource(bytes)).unwrap_err().to_string();
    assert!(e.contains("NAXIS2 = 10") && e.contains("3280") && e.contains("3080"), "{e}");
}

#[test]
fn lone_quote_card_is_an_error_not_a_panic() {
    let mut cards = image_cards(-32, &[1, 1]);
    cards.push("OBJECT  = '".into());
    let e = fits::open_image(&MemSource(hdu(&cards, &f32_data([1.0])))).unwrap_err();
    assert_eq!(e.to_string(), "card 6 (OBJECT) has an unterminated string");
}

#[test]
fn absurd_sizes_and_bad_bitpix_are_refused() {
    let huge = fits(-64, &[1 << 30, 1 << 30, 1 << 30], &[], &[]);
    let e = fits::open_image(&MemSource(huge)).unwrap_err();
    assert!(matches!(e, FitsError::AbsurdSize { .. }), "{e}");
    let overflow = fits(8, &[u32::MAX as u64, u32::MAX as u64, u32::MAX as u64], &[], &[]);
    assert!(matches!(fits::open_image(&MemSource(overflow)), Err(FitsError::AbsurdSize { .. })));
    let e = fits::open_image(&MemSource(fits(12, &[1, 1], &[], &[0]))).unwrap_err();
    assert_eq!(e.to_string(), "BITPIX = 12 is not a valid FITS BITPIX (8, 16, 32, 64, -32 or -64)");
}

#[test]
fn headers_without_end_and_non_fits_files() {
    let cards = std::iter::once(card("SIMPLE", "T")).chain((1..36 * 3).map(|i| card(&format!("K{i}"), "1")));
    let bytes: Vec<u8> = cards.flat_map(|c| format!("{c:<80}").into_bytes()).collect();
    let e = fits::open_image(&MemSource(bytes)).unwrap_err().to_string();
    assert_eq!(e, "header has no END card within the first 8640 bytes");
    let e = fits::open_image(&MemSource(b"<html>not fits</html>".to_vec())).unwrap_err().to_string();
    assert!(e.starts_with("not a FITS file (first card is \"<html>"), "{e}");
}

#[test]
fn empty_primary_then_image_extension() {
    let mut bytes = hdu(&image_cards(8, &[]), &[]);
    let mut ext = vec![card("XTENSION", "'IMAGE   '"), card("BITPIX", "-32"), card("NAXIS", "2")];
    ext.extend([card("NAXIS1", "2"), card("NAXIS2", "1"), card("PCOUNT", "0"), card("GCOUNT", "1")]);
    bytes.extend(hdu(&ext, &f32_data([7.0, 8.0])));
    let (src, h) = open(bytes);
    assert_eq!((h.hdu_index, h.data_offset, h.bitpix), (1, 2 * 2880, Bitpix::F32));
    assert_eq!(h.read_plane(&src, 0).unwrap().data, [7.0, 8.0]);
}

#[test]
fn header_only_file_opens_but_has_no_planes() {
    let mut cards = image_cards(-32, &[]);
    cards.push(card("BMAJ", "0.001"));
    let (src, h) = open(hdu(&cards, &[]));
    assert_eq!(h.plane_count(), 0);
    let e = h.read_plane(&src, 0).unwrap_err().to_string();
    assert!(e.starts_with("this FITS file has no image data"), "{e}");
    let json = fits::header_json(&h.header);
    assert_eq!(json["cards"][3]["key"], "BMAJ");
    assert_eq!(json["cards"][3]["value"], "0.001");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn gzip_files_decode_plane_by_plane() {
    let (plain_src, plain) = cube(&[2, 2, 3], &["RA---SIN", "DEC--SIN", "FREQ"]);
    let src = MemSource(gzip(&plain_src.0));
    let h = gz::open_gz_image(&src).unwrap();
    assert_eq!(h, plain);
    assert_eq!(gz::read_gz_plane(&src, &h, 2).unwrap(), plain.read_plane(&plain_src, 2).unwrap());

    let mut cut = plain_src.0.clone();
    cut.truncate(2880 + 20);
    let e = gz::read_gz_plane(&MemSource(gzip(&cut)), &h, 1).unwrap_err().to_string();
    assert!(e.starts_with("gzip ends early"), "{e}");
    let mut cut_gz = gzip(&plain_src.0);
    cut_gz.truncate(cut_gz.len() - 30);
    let e = gz::read_gz_plane(&MemSource(cut_gz), &h, 2).unwrap_err().to_string();
    assert!(e.starts_with("gzip ends early"), "{e}");
    let e = gz::open_gz_image(&plain_src).unwrap_err().to_string();
    assert!(e.starts_with("not gzip"), "{e}");
}

#[test]
fn huge_headers_are_refused() {
    let cards = std::iter::once(card("SIMPLE", "T")).chain((1..36 * 2800).map(|_| "COMMENT x".to_string()));
    let bytes: Vec<u8> = cards.flat_map(|c| format!("{c:<80}").into_bytes()).collect();
    let e = fits::open_image(&MemSource(bytes)).unwrap_err().to_string();
    assert!(e.starts_with("header is too large (100008 cards"), "{e}");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Mutating bytes of a valid header never panics: errors are values.
        #[test]
        fn mutated_headers(flips in proptest::collection::vec((0usize..2880, any::<u8>()), 1..8)) {
            let mut bytes = fits(16, &[4, 3, 2], &[card("OBJECT", "'M 31'"), card("BLANK", "-1")], &[1; 48]);
            for (at, b) in flips {
                bytes[at] = b;
            }
            let src = MemSource(bytes);
            if let Ok(h) = fits::open_image(&src) {
                let _ = h.read_plane(&src, 0);
                let _ = h.pixel_spectrum(&src, 0, 0, 0);
            }
        }
    }
}
