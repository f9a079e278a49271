//! The bad-input matrix through the command line: each damaged or hostile input of
//! `almapkg::generator::bad_inputs` makes the built `almapkg` exit non-zero with a message on
//! stderr that says what is wrong and where.
//! Also: a sparse package over 5 GiB whose FITS entry starts beyond 4 GiB.

use almapkg::generator::bad_inputs::builders::{end_of_tar, file_entry, raw_entry, raw_header, small_fits};
use almapkg::generator::bad_inputs::{bad_inputs, BadInput, Layer};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::process::{Command, Output};

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

/// A good tar holding a good image and, at `pkg/<name>`, the damaged file.
fn good_tar_with(name: &str, bytes: &[u8]) -> Vec<u8> {
    [file_entry("pkg/good.fits", &small_fits()), file_entry(&format!("pkg/{name}"), bytes), end_of_tar()].concat()
}

/// The commands that show a row to a user: `ls` for a package; `stats` on the loose file
/// and `render` on it as an entry of a good tar for an image. Nested archives have no
/// command of their own (the page reads them); they are checked in the core.
fn commands(case: &BadInput, dir: &TempDir) -> Vec<Vec<String>> {
    let loose = dir.write(&case.file_name, &case.bytes);
    let own = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<String>>();
    match case.layer {
        Layer::Tar => vec![own(&["ls", &loose])],
        Layer::Fits | Layer::FitsGz => {
            let tar = dir.write(&format!("{}.tar", case.file_name), &good_tar_with(&case.file_name, &case.bytes));
            let entry = format!("{tar}::pkg/{}", case.file_name);
            vec![own(&["stats", &loose]), own(&["render", &entry, "-o", "/dev/null"])]
        }
        Layer::Tgz => vec![],
    }
}

/// Every row of the shared matrix through the CLI: a non-zero exit, one `almapkg:` message
/// on stderr with the expected fragments, never a panic.
#[test]
fn cli_matrix() {
    let dir = TempDir::new("matrix");
    let mut failures = Vec::new();
    for case in bad_inputs() {
        for args in commands(&case, &dir) {
            let out = almapkg(&args.iter().map(String::as_str).collect::<Vec<_>>());
            let err = String::from_utf8_lossy(&out.stderr);
            let ok = out.status.code().is_some_and(|c| c != 0)
                && err.starts_with("almapkg: ")
                && !err.contains("panicked")
                && case.expect.iter().all(|e| err.contains(e));
            if !ok {
                failures.push(format!("{} ({}): exit {:?}, stderr {err:?}", case.name, args[0], out.status.code()));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Links a hostile tar may hold: extracting one says where it leads, never follows it out.
#[test]
fn cli_links() {
    let dir = TempDir::new("links");
    let links = [
        file_entry("pkg/a.txt", b"hello"),
        raw_entry("pkg/hard", b"00000000000\0", b'1', "pkg/missing"),
        raw_entry("pkg/loop1", b"00000000000\0", b'2', "loop2"),
        raw_entry("pkg/loop2", b"00000000000\0", b'2', "loop1"),
        end_of_tar(),
    ]
    .concat();
    let tar = dir.write("links.tar", &links);
    for (entry, expect) in [
        ("pkg/hard", ["pkg/hard is a link to pkg/missing", "does not lead to a file"]),
        ("pkg/loop1", ["pkg/loop1 is a link to loop2", "a loop of links"]),
    ] {
        let out = almapkg(&["extract", &tar, entry, "-o", "/dev/null"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && expect.iter().all(|e| err.contains(e)), "{entry}: {err}");
    }
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
    write(end_at, &end_of_tar());
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
