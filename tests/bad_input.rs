//! The bad-input matrix of the core, one table per layer: every damaged or hostile input
//! gives an error (or a stop reason) that says what is wrong and where, never a panic, a hang
//! or an unbounded allocation. Crashers found by fuzzing (fuzz/) are kept here too.
//!
//! Rows already covered in depth elsewhere (tests/tar_index.rs, tests/fits_synthetic.rs,
//! src/tgz/tests.rs) appear here once more as one line each, so that the matrix is complete
//! in one place; docs/robustness.md lists where each row is tested.

#[path = "bad_input/support.rs"]
mod support;

use almapkg::fits::{self, gz};
use almapkg::source::{FileSource, MemSource, ReadAt};
use almapkg::tar_index::{index_tar, is_safe_path, IndexOptions, TarIndex};
use almapkg::text::{casa_commands, cont_dat};
use almapkg::tgz::{Limits, TgzStream};
use std::path::PathBuf;

#[global_allocator]
static ALLOCATOR: LargestAllocation = LargestAllocation;

/// No single allocation made for one of these small inputs may exceed this, whatever sizes
/// its headers declare.
const ALLOCATION_BOUND: usize = 64 << 20;
use support::*;

/// One row of a matrix: a name, the input, and the phrases the message must contain.
struct Case {
    name: &'static str,
    input: Vec<u8>,
    expect: &'static [&'static str],
}

fn case(name: &'static str, input: Vec<u8>, expect: &'static [&'static str]) -> Case {
    Case { name, input, expect }
}

/// Runs `outcome` on every row and checks its message and its largest allocation; reports
/// all failing rows at once.
fn check(cases: Vec<Case>, outcome: impl Fn(&[u8]) -> String) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let (got, largest) = largest_allocation(|| outcome(&c.input));
            let missing: Vec<&&str> = c.expect.iter().filter(|e| !got.contains(**e)).collect();
            let too_much = largest > ALLOCATION_BOUND;
            (!missing.is_empty() || too_much)
                .then(|| format!("{}: got {got:?}, missing {missing:?}, largest allocation {largest}", c.name))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// What the index says about a tar: its error, why it stopped, or the paths it holds.
fn tar_outcome(bytes: &[u8]) -> String {
    match index_tar(&MemSource(bytes.to_vec()), &IndexOptions::default()) {
        Err(e) => format!("error: {e}"),
        Ok(TarIndex { stopped: Some(e), .. }) => format!("stopped: {e}"),
        Ok(idx) => {
            let paths: Vec<&str> = idx.entries.iter().map(|e| e.path.as_str()).collect();
            format!("ok: {}", paths.join(" "))
        }
    }
}

#[test]
fn tar_matrix() {
    let one = || file_entry("pkg/a.txt", b"hello");
    check(
        vec![
            case("empty file", vec![], &["error", "the file is empty"]),
            case("random bytes", random_bytes(4096), &["error", "not a tar archive", "first 512 bytes"]),
            case("tiny file", b"hi".to_vec(), &["error", "only 2 bytes"]),
            case("zip", zip_bytes(), &["error", "zip file"]),
            case("pdf", b"%PDF-1.7\n".repeat(100), &["error", "PDF document"]),
            case("png", png_bytes(), &["error", "PNG image"]),
            case("fits given as a package", fits_file(&["BITPIX  = 8", "NAXIS   = 0"], &[]), &["error", "FITS file"]),
            case("gzip given as a package", gzip(&one()), &["error", "gzip file"]),
            case(
                "cut inside a header",
                [one(), file_entry("b", b"x")].concat()[..1100].to_vec(),
                &["stopped", "inside the tar header at byte offset 1024"],
            ),
            case(
                "cut inside a body",
                [one(), file_entry("pkg/b.txt", &[7; 2000])].concat()[..1700].to_vec(),
                &["stopped", "entry pkg/b.txt", "2000 bytes", "byte offset 1536"],
            ),
            case(
                "bad checksum first",
                corrupt_checksum(one()),
                &["error", "not a tar archive", "first 512 bytes are not a valid tar header"],
            ),
            case(
                "bad checksum later",
                [one(), corrupt_checksum(one())].concat(),
                &["stopped", "checksum", "offset 1024"],
            ),
            case("size field not octal", raw_entry("x", b"12345678z01\0", b'0', ""), &["error", "size", "offset 0"]),
            case("size field base-256 overflow", raw_entry("x", &[0xff; 12], b'0', ""), &["error", "size", "offset 0"]),
            case(
                "size exceeds the file",
                [one(), raw_entry("pkg/huge.fits", b"77777777777\0", b'0', "")].concat(),
                &["stopped", "pkg/huge.fits", "8589934591 bytes", "past the end"],
            ),
            case(
                "pax size overflows u64",
                [pax("size", "99999999999999999999999"), one()].concat(),
                &["error", "pax", "offset 0"],
            ),
            case("pax size near u64::MAX", [pax("size", "18446744073709551615"), one()].concat(), &["error", "offset"]),
            case(
                "pax record length too large",
                [ext_entry(b'x', b"999 path=a\n"), one()].concat(),
                &["error", "malformed pax", "offset 0"],
            ),
            case(
                "pax record length zero",
                [ext_entry(b'x', b"0 path=a\n"), one()].concat(),
                &["error", "malformed pax", "offset 0"],
            ),
            case(
                "pax record without '='",
                [ext_entry(b'x', b"9 pathxx\n"), one()].concat(),
                &["error", "malformed pax", "offset 0"],
            ),
            case(
                "pax header of 1 GiB",
                [raw_entry("pax", b"10000000000\0", b'x', ""), one()].concat(),
                &["error", "pax", "1073741824 bytes", "more than"],
            ),
            case(
                "GNU long name of 1 GiB",
                [raw_entry("././@LongLink", b"10000000000\0", b'L', ""), one()].concat(),
                &["error", "1073741824 bytes", "more than"],
            ),
            case(
                "pax header then nothing",
                [one(), pax("path", "pkg/z"), vec![0; 1024]].concat(),
                &["stopped", "not followed by an entry"],
            ),
        ],
        tar_outcome,
    );
}

/// Names and links a hostile tar may hold: listed, never followed out of the archive.
#[test]
fn tar_names_and_links() {
    let tar = [
        file_entry("../../etc/passwd", b"x"),
        file_entry("/abs/file", b"y"),
        file_entry("dup.txt", b"first"),
        file_entry("dup.txt", b"second!"),
        raw_entry("hard", b"00000000000\0", b'1', "missing/target"),
        raw_entry("loop/a", b"00000000000\0", b'2', "b"),
        raw_entry("loop/b", b"00000000000\0", b'2', "a"),
        raw_entry("self", b"00000000000\0", b'2', "self/x"),
        raw_entry("out", b"00000000000\0", b'2', "../../../etc"),
        vec![0; 1024],
    ]
    .concat();
    let idx = index_tar(&MemSource(tar), &IndexOptions::default()).unwrap();
    assert!(idx.stopped.is_none());
    assert!(!is_safe_path(&idx.entries[0].path), "{}", idx.entries[0].path);
    assert!(!is_safe_path(&idx.entries[1].path), "{}", idx.entries[1].path);
    assert_eq!(idx.find("dup.txt").map(|e| e.size), Some(7), "the later duplicate wins");
    assert!(idx.resolve_link("hard").is_none(), "hard link to a missing entry");
    assert_eq!(idx.resolve_path("loop/a"), None, "symlink loop");
    assert_eq!(idx.resolve_path("self"), None, "link into itself");
    assert!(idx.resolve_link("out").is_none(), "link out of the archive");
}

/// What opening a FITS file and reading its first plane says.
fn fits_outcome(bytes: &[u8]) -> String {
    let src = MemSource(bytes.to_vec());
    match fits::open_image(&src).and_then(|hdu| hdu.read_plane(&src, 0).map(|_| hdu)) {
        Err(e) => format!("error: {e}"),
        Ok(hdu) => format!("ok: {:?}", hdu.shape),
    }
}

#[test]
fn fits_matrix() {
    let img = |cards: &[&str], data: &[u8]| fits_file(cards, data);
    let many_cards = |n: usize| {
        let mut h = card("SIMPLE  = T").repeat(1);
        h.extend(card("BITPIX  = 8").iter().chain(&card("NAXIS   = 0")));
        h.extend((0..n).flat_map(|i| card(&format!("COMMENT {i}"))));
        h.extend(card("END"));
        h.resize(h.len().div_ceil(2880) * 2880, b' ');
        h
    };
    check(
        vec![
            case("empty file", vec![], &["error", "not a FITS file", "the file is empty"]),
            case("random bytes", random_bytes(5760), &["error", "not a FITS file"]),
            case("a tar given as FITS", file_entry("a", b"x"), &["error", "not a FITS file"]),
            case("missing END", no_end(&["BITPIX  = 8", "NAXIS   = 0"]), &["error", "no END card", "2880 bytes"]),
            case("99 999 cards", many_cards(99_990), &["error", "no image data"]),
            case("100 100 cards", many_cards(100_100), &["error", "too large", "100000 cards"]),
            case(
                "NAXISn product overflows",
                img(
                    &[
                        "BITPIX  = -64",
                        "NAXIS   = 3",
                        "NAXIS1  = 4294967296",
                        "NAXIS2  = 4294967296",
                        "NAXIS3  = 4294967296",
                    ],
                    &[],
                ),
                &["error", "absurd data size"],
            ),
            case(
                "asks for terabytes",
                img(&["BITPIX  = -32", "NAXIS   = 3", "NAXIS1  = 100000", "NAXIS2  = 100000", "NAXIS3  = 1000"], &[]),
                &["error", "absurd data size", "[100000, 100000, 1000]", "more than 1 TiB"],
            ),
            case(
                "negative NAXIS1",
                img(&["BITPIX  = 8", "NAXIS   = 2", "NAXIS1  = -5", "NAXIS2  = 2"], &[0; 10]),
                &["error", "NAXIS1"],
            ),
            case("NAXIS = 1000", img(&["BITPIX  = 8", "NAXIS   = 1000"], &[]), &["error", "NAXIS"]),
            case("NAXIS2 missing", img(&["BITPIX  = 8", "NAXIS   = 2", "NAXIS1  = 2"], &[0; 4]), &["error", "NAXIS2"]),
            case(
                "unknown BITPIX",
                img(&["BITPIX  = 12", "NAXIS   = 1", "NAXIS1  = 1"], &[0; 4]),
                &["error", "BITPIX = 12"],
            ),
            case("BITPIX not a number", img(&["BITPIX  = 'float'", "NAXIS   = 0"], &[]), &["error", "BITPIX"]),
            case(
                "data shorter than declared",
                img_cut(&["BITPIX  = 16", "NAXIS   = 2", "NAXIS1  = 100", "NAXIS2  = 100"], 5000),
                &["error", "NAXIS1 = 100, NAXIS2 = 100, BITPIX = 16", "22880 bytes", "has 7880", "truncated"],
            ),
        ],
        fits_outcome,
    );
}

/// What opening a `.fits.gz` and reading its first plane says.
fn fits_gz_outcome(bytes: &[u8]) -> String {
    let src = MemSource(bytes.to_vec());
    match gz::open_gz_image(&src).and_then(|hdu| gz::read_gz_plane(&src, &hdu, 0).map(|_| hdu)) {
        Err(e) => format!("error: {e}"),
        Ok(hdu) => format!("ok: {:?}", hdu.shape),
    }
}

#[test]
fn fits_gz_matrix() {
    let fits = fits_file(&["BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 64", "NAXIS2  = 64"], &[0x3f; 64 * 64 * 4]);
    let gz = gzip(&fits);
    let mut corrupt = gz.clone();
    corrupt[20..40].iter_mut().for_each(|b| *b ^= 0x55);
    check(
        vec![
            case("empty file", vec![], &["error", "not gzip"]),
            case("not gzip", fits.clone(), &["error", "not gzip", "[53, 49]"]),
            case("gzip header only", gz[..10].to_vec(), &["error"]),
            case("ends inside the header", gz[..gz.len() / 10].to_vec(), &["error"]),
            case(
                "1 GiB plane declared, no data",
                gzip(&fits_file(&["BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 16384", "NAXIS2  = 16384"], &[])),
                &["error", "ends early"],
            ),
            case("ends inside the data", gzip(&fits[..2880 + 1000]), &["error", "ends early", "19264"]),
            case("corrupt deflate data", corrupt, &["error"]),
            case("gzip of random bytes", gzip(&random_bytes(6000)), &["error", "not a FITS file"]),
            case("gzip of a header without END", gzip(&no_end(&["BITPIX  = 8"])), &["error", "no END card"]),
        ],
        fits_gz_outcome,
    );
}

/// What extracting a nested `.tgz` says (with small limits).
fn tgz_outcome(bytes: &[u8]) -> String {
    let limits = Limits { max_entries: 100, ..Limits::default() };
    match TgzStream::new(bytes, limits).read_all() {
        Err(e) => format!("error: {e}"),
        Ok(items) => format!("ok: {} items", items.len()),
    }
}

#[test]
fn tgz_matrix() {
    let one = || file_entry("weblog/index.html", b"<p>");
    let end = || vec![0u8; 1024];
    check(
        vec![
            case("empty file", vec![], &["error", "ends early, after 0 inflated bytes"]),
            case("a plain tar", [one(), end()].concat(), &["error", "not a gzip file"]),
            case("ends early", gzip(&[one(), end()].concat())[..30].to_vec(), &["error"]),
            case("gzip of random bytes", gzip(&random_bytes(2048)), &["error", "bad tar header at inflated byte 0"]),
            case(
                "bad checksum inside",
                gzip(&[one(), corrupt_checksum(one()), end()].concat()),
                &["error", "inflated byte 1024"],
            ),
            case(
                "size past the end",
                gzip(&[raw_entry("big", b"00000100000\0", b'0', ""), end()].concat()),
                &["error"],
            ),
            case(
                "1 GiB file declared, no data",
                gzip(&[raw_entry("big", b"10000000000\0", b'0', ""), end()].concat()),
                &["error", "ends early"],
            ),
            case(
                "size over the file limit",
                gzip(&[raw_entry("big", b"77777777777\0", b'0', ""), end()].concat()),
                &["error", "exceeds the limit"],
            ),
            case(
                "pax header of 1 GiB",
                gzip(&[raw_entry("pax", b"10000000000\0", b'x', ""), end()].concat()),
                &["error", "exceeds the limit"],
            ),
            case(
                "name with ..",
                gzip(&[file_entry("../escape", b"x"), end()].concat()),
                &["error", "refused", "../escape"],
            ),
            case("absolute name", gzip(&[file_entry("/etc/x", b"x"), end()].concat()), &["error", "refused"]),
            case(
                "too many entries",
                gzip(&[(0..150).flat_map(|i| file_entry(&format!("f{i}"), b"")).collect(), end()].concat()),
                &["error", "exceeds the limit of 100"],
            ),
        ],
        tgz_outcome,
    );
}

#[test]
fn text_parsers_on_garbage() {
    for input in [random_bytes(10_000), b"\0\0\0".to_vec(), vec![b'\n'; 100_000], "é".repeat(3000).into_bytes()] {
        let text = String::from_utf8_lossy(&input);
        if let Err(e) = cont_dat::parse(&text) {
            assert!(e.to_string().contains("line"), "{e}");
        }
        let _ = casa_commands::parse(&text).tclean_for_image("a.fits");
    }
}

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.is_dir().then_some(dir).or_else(|| {
        eprintln!("skipping: ../shared/corpus is absent");
        None
    })
}

/// The deliberately broken or non-FITS files of the corpus, opened as FITS and as a package.
#[test]
fn corpus_broken_files() {
    let Some(dir) = corpus() else { return };
    let rows: [(&str, &[&str]); 5] = [
        ("fits-quirks/misc/empty2.fits", &["the file is empty"]),
        ("fits-quirks/sunpy/not_actually_fits.fits", &["not a FITS file"]),
        ("fits-quirks/sunpy/test_ana.fz", &["not a FITS file"]),
        ("fits-quirks/astropy/idcompspec.fits", &["not a FITS file"]),
        ("fits-quirks/astropy/group_invalid.fits", &["not supported"]),
    ];
    for (rel, expect) in rows {
        let src = FileSource::open(&dir.join(rel)).unwrap();
        let bytes = src.read_at(0, src.len()).unwrap();
        let got = fits_outcome(&bytes);
        assert!(expect.iter().all(|e| got.contains(e)), "{rel}: {got}");
        let as_tar = tar_outcome(&bytes);
        assert!(as_tar.starts_with("error: not a tar archive"), "{rel}: {as_tar}");
    }
}
