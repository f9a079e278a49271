//! Warming the wasm code up at start-up. V8 compiles a wasm function on its first call with
//! its baseline compiler and optimises it only after it has run for a while (never in the
//! middle of a call), so the user's first package and first image would otherwise run on
//! slow code: ~100 ms more for the package, ~0.8 s more for a 4096² plane. The worker calls
//! [`warm_up`] once, before any file is dropped, then maps the memory the first image will
//! need ([`warm_up_memory`]) where memory is not scarce.

use super::kept::{compact_to_js, package_view, Entries};
use super::{coords, to_js};
use crate::tar_index::{index_tar, CompactIndex, IndexOptions, TarEntry};
use wasm_bindgen::prelude::*;

/// Runs the image pipeline (FITS decode, summary, limits, render) on a small synthetic plane
/// a few times. V8 first runs wasm with its baseline compiler and optimises a function only
/// after it has run for a while — and never in the middle of a call — so without this the
/// user's first big plane would be decoded by unoptimised code (measured: ~0.8 s extra at
/// 4096²). The worker calls it once at start-up, before any file is dropped.
#[wasm_bindgen]
pub fn warm_up() {
    let side = 128usize;
    let mut fits = String::new();
    for card in [
        "SIMPLE  =                    T",
        "BITPIX  =                  -32",
        "NAXIS   =                    2",
        "NAXIS1  =                  128",
        "NAXIS2  =                  128",
        "END",
    ] {
        fits.push_str(&format!("{card:<80}"));
    }
    let mut bytes = format!("{fits:<2880}").into_bytes();
    for i in 0..side * side {
        bytes.extend_from_slice(&((i % 97) as f32).to_be_bytes());
    }
    let src = crate::source::MemSource(bytes);
    let settings = |lo, hi| crate::render::RenderSettings { lo, hi, ..Default::default() };
    warm_up_header();
    warm_up_index();
    warm_up_package();
    let mut rgba = vec![0u8; side * side * 4];
    for _ in 0..40 {
        // As a plane read by the worker: decoded and summarised slice by slice.
        let Ok(hdu) = crate::fits::open_image(&src) else { return };
        let Ok(fill) = hdu.plane_fill() else { return };
        let mut filling = super::planes::Filling::new(fill, true);
        for slice in src.0.get(2880..).unwrap_or_default().chunks(side * 4 * 16) {
            if filling.push(slice).is_err() {
                return;
            }
        }
        let Ok((plane, Some(summary))) = filling.finish() else { return };
        let (lo, hi) = crate::render::limits(&plane, &summary, crate::render::LimitMode::Percentile(99.5));
        crate::render::render_into(&plane, &settings(lo, hi), &summary, &mut rgba);
    }
}

/// Bytes of memory made ready for the first image: a 4096² float32 plane.
const FIRST_PLANE_BYTES: usize = 64 << 20;

/// Touches [`FIRST_PLANE_BYTES`] of fresh memory page by page, then frees it. Memory that
/// wasm grows into is mapped by the OS only when first written, and on this VM that costs
/// ~1 ms per MiB: ~70 ms of the first 4096² image, paid here instead, before any file is
/// dropped. The allocator keeps the freed block (wasm memory never shrinks), so the first
/// plane is given pages already mapped. The cost: the worker holds 64 MiB from start-up,
/// so the worker skips this on devices that report little memory.
#[wasm_bindgen]
pub fn warm_up_memory() {
    const PAGE: usize = 4096;
    let mut block = vec![0u8; FIRST_PLANE_BYTES];
    for byte in block.iter_mut().step_by(PAGE) {
        *byte = 1;
    }
    std::hint::black_box(&block);
}

/// The package side of opening a tar (index made compact and read back, files classified, the model passed
/// to the page), warmed like the pixels: V8 compiles wasm functions on their first call and
/// optimises them later, so the first package shown otherwise costs ~100 ms more.
fn warm_up_package() {
    let member = "2019.1.00123.S/science_goal.uid___A001_X1_X1/group.uid___A001_X1_X2/member.uid___A001_X1_X3";
    let mut paths = vec![
        format!("{member}/README"),
        format!("{member}/log/member.uid___A001_X1_X3.hifa_calimage.casa_commands.log"),
        format!("{member}/qa/member.uid___A001_X1_X3.hifa_calimage.weblog.tgz"),
        format!("{member}/calibration/member.uid___A001_X1_X3.hifa_calimage.auxproducts.tgz"),
        format!("{member}/script/member.uid___A001_X1_X3.hifa_calimage.casa_piperestorescript.py"),
    ];
    for spw in [25, 27, 29, 31] {
        for kind in ["cube.I.pbcor.fits", "cube.I.pb.fits.gz", "cube.I.mask.fits.gz", "mfs.I.pbcor.fits"] {
            paths.push(format!("{member}/product/member.uid___A001_X1_X3.J1234-5678_sci.spw{spw}.{kind}"));
        }
    }
    let entries: Vec<TarEntry> = paths.iter().map(|p| TarEntry::loose(p, 1 << 20)).collect();
    for _ in 0..10 {
        let Ok(columns) = compact_to_js(&CompactIndex::new(&entries)) else { return };
        let Ok(files) = Entries::Kept(columns).files(0) else { return };
        let _ = package_view(&files, &["warm-up.tar".to_string()]);
    }
}

/// The header walk of a tar (window, checksum, fields, paths), warmed like the rest: the first
/// tar's first headers would otherwise be read by code compiled on the spot.
fn warm_up_index() {
    let mut builder = tar::Builder::new(Vec::new());
    for i in 0..32 {
        let mut header = tar::Header::new_ustar();
        header.set_size(600);
        header.set_mode(0o644);
        header.set_cksum();
        let path = format!("2019.1.00123.S/member.uid___A001_X1_X3/product/file{i}.fits");
        if builder.append_data(&mut header, path, &[0u8; 600][..]).is_err() {
            return;
        }
    }
    let Ok(bytes) = builder.into_inner() else { return };
    let src = crate::source::MemSource(bytes);
    for _ in 0..10 {
        let Ok(index) = index_tar(&src, &IndexOptions::default()) else { return };
        let _ = CompactIndex::new(&index.entries);
        let _ = Entries::Read(index.entries).files(0);
    }
}

/// The header side of opening an image (cards, WCS, the header as a JS object), warmed
/// like the pixels: the first image of a session otherwise spends ~50 ms more here.
fn warm_up_header() {
    let cards = [
        "SIMPLE  = T",
        "BITPIX  = -32",
        "NAXIS   = 3",
        "NAXIS1  = 4",
        "NAXIS2  = 4",
        "NAXIS3  = 4",
        "BUNIT   = 'Jy/beam '",
        "BMAJ    = 1.0E-4",
        "BMIN    = 1.0E-4",
        "BPA     = 30.0",
        "CTYPE1  = 'RA---SIN'",
        "CRVAL1  = 150.0",
        "CDELT1  = -1.0E-5",
        "CRPIX1  = 2.0",
        "CUNIT1  = 'deg     '",
        "CTYPE2  = 'DEC--SIN'",
        "CRVAL2  = -30.0",
        "CDELT2  = 1.0E-5",
        "CRPIX2  = 2.0",
        "CUNIT2  = 'deg     '",
        "CTYPE3  = 'FREQ    '",
        "CRVAL3  = 2.3E11",
        "CDELT3  = 1.0E6",
        "CRPIX3  = 1.0",
        "CUNIT3  = 'Hz      '",
        "RESTFRQ = 2.305E11",
        "SPECSYS = 'LSRK    '",
        "RADESYS = 'ICRS    '",
        "END",
    ];
    let text: String = cards.iter().map(|c| format!("{c:<80}")).collect();
    let mut bytes = format!("{text:<2880}").into_bytes();
    bytes.resize(2880 * 2, 0);
    let src = crate::source::MemSource(bytes);
    for _ in 0..20 {
        let Ok(hdu) = crate::fits::open_image(&src) else { return };
        let wcs = coords::Coords::from_header(&hdu.header);
        let _ = wcs.pixel_to_world(1.0, 1.0).map(|(ra, dec)| (coords::format_ra(ra), coords::format_dec(dec)));
        let _: Vec<_> = (0..4).map(|c| wcs.channel_velocity_kms(c as f64)).collect();
        let _ = to_js(&crate::fits::header_json(&hdu.header));
    }
}
