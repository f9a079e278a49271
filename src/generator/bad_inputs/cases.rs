//! The rows of the matrix, one function per layer.

use super::builders::*;
use super::{file_name, BadInput, Layer};

/// Every generated row, in matrix order: tar, FITS, `.fits.gz`, nested `.tgz`.
pub fn bad_inputs() -> Vec<BadInput> {
    [tar_rows(), fits_rows(), fits_gz_rows(), tgz_rows()].concat()
}

fn row(layer: Layer, name: &'static str, bytes: Vec<u8>, expect: &'static [&'static str]) -> BadInput {
    BadInput { name, file_name: file_name(name, layer), bytes, layer, expect }
}

fn one() -> Vec<u8> {
    file_entry("pkg/a.txt", b"hello")
}

/// Files opened as a package: not tars at all, or tars damaged in their headers.
fn tar_rows() -> Vec<BadInput> {
    let t = |name, bytes, expect| row(Layer::Tar, name, bytes, expect);
    let with_one = |first: Vec<u8>| [first, one()].concat();
    vec![
        t("empty file", vec![], &["the file is empty"]),
        t("random bytes", random_bytes(4096), &["not a tar archive", "first 512 bytes"]),
        t("tiny file", b"hi".to_vec(), &["only 2 bytes"]),
        t("shorter than one header", one()[..300].to_vec(), &["not a tar archive", "300 bytes"]),
        t("zip", zip_bytes(), &["zip file"]),
        t("pdf", b"%PDF-1.7\n".repeat(100), &["PDF document"]),
        t("png", png_bytes(), &["PNG image"]),
        t("fits given as a package", small_fits(), &["FITS file"]),
        t("gzip given as a package", gzip(&one()), &["gzip file"]),
        t(
            "cut inside a header",
            [one(), file_entry("b", b"x")].concat()[..1100].to_vec(),
            &["inside the tar header at byte offset 1024"],
        ),
        t(
            "cut inside a body",
            [one(), file_entry("pkg/b.txt", &[7; 2000])].concat()[..1700].to_vec(),
            &["entry pkg/b.txt", "2000 bytes", "byte offset 1536"],
        ),
        t(
            "bad checksum first",
            corrupt_checksum(one()),
            &["not a tar archive", "first 512 bytes are not a valid tar header"],
        ),
        t("bad checksum later", [one(), corrupt_checksum(one())].concat(), &["checksum", "offset 1024"]),
        t("size field not octal", raw_entry("x", b"12345678z01\0", b'0', ""), &["size", "offset 0"]),
        t("size field base-256 overflow", raw_entry("x", &[0xff; 12], b'0', ""), &["size", "offset 0"]),
        t(
            "size exceeds the file",
            [one(), raw_entry("pkg/huge.fits", b"77777777777\0", b'0', "")].concat(),
            &["pkg/huge.fits", "8589934591 bytes", "past the end"],
        ),
        t("pax size overflows u64", with_one(pax("size", "99999999999999999999999")), &["pax", "offset 0"]),
        t("pax size near u64 max", with_one(pax("size", "18446744073709551615")), &["offset"]),
        t("pax record length too large", with_one(ext_entry(b'x', b"999 path=a\n")), &["malformed pax", "offset 0"]),
        t("pax record length zero", with_one(ext_entry(b'x', b"0 path=a\n")), &["malformed pax", "offset 0"]),
        t("pax record without equals", with_one(ext_entry(b'x', b"9 pathxx\n")), &["malformed pax", "offset 0"]),
        t(
            "pax header of 1 GiB",
            with_one(raw_entry("pax", b"10000000000\0", b'x', "")),
            &["pax", "1073741824 bytes", "more than"],
        ),
        t(
            "GNU long name of 1 GiB",
            with_one(raw_entry("././@LongLink", b"10000000000\0", b'L', "")),
            &["1073741824 bytes", "more than"],
        ),
        t(
            "pax header then nothing",
            [one(), pax("path", "pkg/z"), end_of_tar()].concat(),
            &["not followed by an entry"],
        ),
    ]
}

/// FITS images with damaged or absurd headers, or cut data.
fn fits_rows() -> Vec<BadInput> {
    let f = |name, bytes, expect| row(Layer::Fits, name, bytes, expect);
    let img = |cards: &[&str]| fits_file(cards, &[]);
    vec![
        f("empty fits", vec![], &["not a FITS file", "the file is empty"]),
        f("random bytes as fits", random_bytes(5760), &["not a FITS file"]),
        f("a tar given as FITS", one(), &["not a FITS file"]),
        f("missing END", no_end(&["BITPIX  = 8", "NAXIS   = 0"]), &["no END card", "2880 bytes"]),
        f("99 990 cards and no data", many_cards(99_990), &["no image data"]),
        f("100 100 cards", many_cards(100_100), &["too large", "100000 cards"]),
        f(
            "NAXISn product overflows",
            img(&[
                "BITPIX  = -64",
                "NAXIS   = 3",
                "NAXIS1  = 4294967296",
                "NAXIS2  = 4294967296",
                "NAXIS3  = 4294967296",
            ]),
            &["absurd data size"],
        ),
        f(
            "asks for terabytes",
            img(&["BITPIX  = -32", "NAXIS   = 3", "NAXIS1  = 100000", "NAXIS2  = 100000", "NAXIS3  = 1000"]),
            &["absurd data size", "[100000, 100000, 1000]", "more than 1 TiB"],
        ),
        f(
            "negative NAXIS1",
            fits_file(&["BITPIX  = 8", "NAXIS   = 2", "NAXIS1  = -5", "NAXIS2  = 2"], &[0; 10]),
            &["NAXIS1"],
        ),
        f("NAXIS 1000", img(&["BITPIX  = 8", "NAXIS   = 1000"]), &["NAXIS"]),
        f("NAXIS2 missing", fits_file(&["BITPIX  = 8", "NAXIS   = 2", "NAXIS1  = 2"], &[0; 4]), &["NAXIS2"]),
        f("unknown BITPIX", fits_file(&["BITPIX  = 12", "NAXIS   = 1", "NAXIS1  = 1"], &[0; 4]), &["BITPIX = 12"]),
        f("BITPIX not a number", img(&["BITPIX  = 'float'", "NAXIS   = 0"]), &["BITPIX"]),
        f(
            "data shorter than declared",
            img_cut(&["BITPIX  = 16", "NAXIS   = 2", "NAXIS1  = 100", "NAXIS2  = 100"], 5000),
            &["NAXIS1 = 100, NAXIS2 = 100, BITPIX = 16", "22880 bytes", "has 7880", "truncated"],
        ),
    ]
}

/// `.fits.gz` images that are not gzip, end early or inflate to garbage.
fn fits_gz_rows() -> Vec<BadInput> {
    let g = |name, bytes, expect| row(Layer::FitsGz, name, bytes, expect);
    let fits = fits_file(&["BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 64", "NAXIS2  = 64"], &[0x3f; 64 * 64 * 4]);
    let gz = gzip(&fits);
    let mut corrupt = gz.clone();
    corrupt.iter_mut().skip(20).take(20).for_each(|b| *b ^= 0x55);
    vec![
        g("empty fits gz", vec![], &["not gzip", "the file is empty"]),
        g("not gzip", fits.clone(), &["not gzip", "[53, 49]"]),
        g("gzip header only", gz[..10].to_vec(), &["gzip ends early", "cut short"]),
        g("ends inside the deflate stream", gz[..gz.len() / 10].to_vec(), &["gzip ends early", "cut short"]),
        g(
            "1 GiB plane declared no data",
            gzip(&fits_file(&["BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 16384", "NAXIS2  = 16384"], &[])),
            &["ends early"],
        ),
        g("ends inside the data", gzip(&fits[..2880 + 1000]), &["ends early", "19264"]),
        g("corrupt deflate data", corrupt, &["gzip stream is corrupt"]),
        g("gzip of random bytes", gzip(&random_bytes(6000)), &["not a FITS file"]),
        g("gzip of a header without END", gzip(&no_end(&["BITPIX  = 8"])), &["no END card"]),
    ]
}

/// Pipeline weblogs (`qa/*.weblog.tgz`) that are damaged or hostile.
fn tgz_rows() -> Vec<BadInput> {
    let w = |name, bytes, expect| row(Layer::Tgz, name, bytes, expect);
    let page = || file_entry("weblog/index.html", b"<p>");
    let tar = |entries: Vec<Vec<u8>>| [entries.concat(), end_of_tar()].concat();
    vec![
        w("empty weblog", vec![], &["ends early, after 0 inflated bytes"]),
        w("a plain tar as weblog", tar(vec![page()]), &["not a gzip file"]),
        w("weblog ends early", gzip(&tar(vec![page()]))[..30].to_vec(), &["ends early", "after 0 inflated bytes"]),
        w("gzip of random bytes as weblog", gzip(&random_bytes(2048)), &["bad tar header at inflated byte 0"]),
        w("bad checksum inside", gzip(&tar(vec![page(), corrupt_checksum(page())])), &["inflated byte 1024"]),
        w(
            "size past the end",
            gzip(&tar(vec![raw_entry("big", b"00000100000\0", b'0', "")])),
            &["ends early", "after 512 inflated bytes"],
        ),
        w(
            "1 GiB file declared no data",
            gzip(&tar(vec![raw_entry("big", b"10000000000\0", b'0', "")])),
            &["ends early"],
        ),
        w(
            "size over the file limit",
            gzip(&tar(vec![raw_entry("big", b"77777777777\0", b'0', "")])),
            &["file big (8589934591 bytes) exceeds the limit of", "bytes"],
        ),
        w(
            "pax header of 1 GiB in a weblog",
            gzip(&tar(vec![raw_entry("pax", b"10000000000\0", b'x', "")])),
            &["exceeds the limit"],
        ),
        w("name with dot-dot", gzip(&tar(vec![file_entry("../escape", b"x")])), &["refused", "../escape"]),
        w("absolute name", gzip(&tar(vec![file_entry("/etc/x", b"x")])), &["refused", "/etc/x"]),
    ]
}
