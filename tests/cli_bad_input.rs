//! The bad-input matrix through the command line: each damaged or hostile input makes the
//! built `almapkg` exit non-zero with one line on stderr that says what is wrong and where.
//! Also: a sparse package over 5 GiB whose FITS entry starts beyond 4 GiB.

#[path = "bad_input/support.rs"]
mod support;

use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::process::{Command, Output};
use support::*;

/// A temporary directory removed at the end of the test.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("almapkg-bad-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn almapkg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_almapkg")).args(args).output().unwrap()
}

/// One row: a file name, its bytes, the command (`{}` stands for the file) and the phrases
/// stderr must contain.
struct Row {
    file: &'static str,
    bytes: Vec<u8>,
    args: &'static [&'static str],
    expect: &'static [&'static str],
}

fn row(file: &'static str, bytes: Vec<u8>, args: &'static [&'static str], expect: &'static [&'static str]) -> Row {
    Row { file, bytes, args, expect }
}

fn end() -> Vec<u8> {
    vec![0; 1024]
}

fn small_fits() -> Vec<u8> {
    fits_file(&["BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 8", "NAXIS2  = 8"], &[0x3f; 8 * 8 * 4])
}

#[test]
fn cli_matrix() {
    let dir = TempDir::new("matrix");
    let one = || file_entry("pkg/a.txt", b"hello");
    let links = [
        one(),
        raw_entry("pkg/hard", b"00000000000\0", b'1', "pkg/missing"),
        raw_entry("pkg/loop1", b"00000000000\0", b'2', "loop2"),
        raw_entry("pkg/loop2", b"00000000000\0", b'2', "loop1"),
        end(),
    ]
    .concat();
    let mut cut_fits = file_entry("pkg/cube.fits", &small_fits());
    cut_fits.truncate(512 + 2880 + 100);
    let rows = vec![
        row("empty.tar", vec![], &["ls", "{}"], &["empty.tar", "the file is empty"]),
        row("random.tar", random_bytes(4096), &["ls", "{}"], &["not a tar archive"]),
        row("a.zip", zip_bytes(), &["ls", "{}"], &["zip file"]),
        row("a.pdf", b"%PDF-1.7\n".repeat(80), &["ls", "{}"], &["PDF document"]),
        row("a.png", png_bytes(), &["ls", "{}"], &["PNG image"]),
        row("image.fits", small_fits(), &["ls", "{}"], &["FITS file"]),
        row("cut-header.tar", one()[..300].to_vec(), &["ls", "{}"], &["not a tar archive", "300 bytes"]),
        row("bad-sum.tar", corrupt_checksum(one()), &["ls", "{}"], &["not a tar archive"]),
        row("size.tar", raw_entry("x", &[0xff; 12], b'0', ""), &["ls", "{}"], &["size", "offset 0"]),
        row(
            "pax.tar",
            [ext_entry(b'x', b"999 path=a\n"), one()].concat(),
            &["ls", "{}"],
            &["malformed pax", "offset 0"],
        ),
        row(
            "links.tar",
            links.clone(),
            &["extract", "{}", "pkg/hard", "-o", "/dev/null"],
            &["pkg/hard is a link to pkg/missing", "does not lead to a file"],
        ),
        row(
            "loop.tar",
            links,
            &["extract", "{}", "pkg/loop1", "-o", "/dev/null"],
            &["pkg/loop1 is a link to loop2", "a loop of links"],
        ),
        row("cut-body.tar", cut_fits, &["stats", "{}::pkg/cube.fits"], &["pkg/cube.fits", "past the end"]),
        row("noend.fits", no_end(&["BITPIX  = 8"]), &["stats", "{}"], &["noend.fits", "no END card"]),
        row("bitpix.fits", fits_file(&["BITPIX  = 12", "NAXIS   = 0"], &[]), &["stats", "{}"], &["BITPIX = 12"]),
        row(
            "huge.fits",
            fits_file(&["BITPIX  = -32", "NAXIS   = 3", "NAXIS1  = 100000", "NAXIS2  = 100000", "NAXIS3  = 1000"], &[]),
            &["stats", "{}"],
            &["absurd data size", "1 TiB"],
        ),
        row(
            "short.fits",
            img_cut(&["BITPIX  = 16", "NAXIS   = 2", "NAXIS1  = 100", "NAXIS2  = 100"], 5000),
            &["render", "{}", "-o", "/dev/null"],
            &["short.fits", "truncated"],
        ),
        row("plain.fits.gz", small_fits(), &["stats", "{}"], &["not gzip"]),
        row("cut.fits.gz", gzip(&small_fits())[..40].to_vec(), &["stats", "{}"], &["cut.fits.gz", "gzip"]),
    ];
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let path = dir.write(r.file, &r.bytes);
            let args: Vec<String> = r.args.iter().map(|a| a.replace("{}", &path)).collect();
            let out = almapkg(&args.iter().map(String::as_str).collect::<Vec<_>>());
            let err = String::from_utf8_lossy(&out.stderr);
            let ok = out.status.code().is_some_and(|c| c != 0)
                && err.starts_with("almapkg: ")
                && r.expect.iter().all(|e| err.contains(e));
            (!ok).then(|| format!("{}: exit {:?}, stderr {err:?}", r.file, out.status.code()))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A package over 5 GiB (sparse on disk) with an 8 x 8 FITS entry starting beyond 4 GiB.
#[test]
fn sparse_package_over_5_gib() {
    let dir = TempDir::new("sparse");
    let path = dir.0.join("big.tar");
    let pad: u64 = 5 << 30;
    let file = std::fs::File::create(&path).unwrap();
    let write = |at: u64, bytes: &[u8]| file.write_all_at(bytes, at).unwrap();
    write(0, &raw_header("pkg/padding.bin", format!("{pad:011o}\0").as_bytes(), b'0', ""));
    let fits_at = 512 + pad;
    write(fits_at, &file_entry("pkg/product/image.fits", &small_fits()));
    let end_at = fits_at + 512 + small_fits().len() as u64;
    write(end_at, &end());
    let tar = path.to_string_lossy().into_owned();
    let spec = format!("{tar}::pkg/product/image.fits");

    let ls = almapkg(&["ls", &tar, "--json"]);
    let listing = String::from_utf8_lossy(&ls.stdout);
    assert!(ls.status.success(), "{}", String::from_utf8_lossy(&ls.stderr));
    assert!(listing.contains(&format!("{}", fits_at + 512)), "{listing}");

    let stats = almapkg(&["stats", &spec, "--json"]);
    let report = String::from_utf8_lossy(&stats.stdout);
    assert!(stats.status.success(), "{}", String::from_utf8_lossy(&stats.stderr));
    assert!(report.contains("64"), "{report}");

    let png = dir.0.join("plane.png").to_string_lossy().into_owned();
    let render = almapkg(&["render", &spec, "-o", &png]);
    assert!(render.status.success(), "{}", String::from_utf8_lossy(&render.stderr));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}
