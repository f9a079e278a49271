//! The bad-input matrix of the core: every damaged or hostile input of
//! `almapkg::generator::bad_inputs` (the list the CLI and browser tests use too) gives an
//! error, or a stop reason, that says what is wrong and where, never a panic, a hang or an
//! unbounded allocation. Rows that only make sense in the core (link resolution, small
//! limits, the text parsers) follow.

#[path = "bad_input/support.rs"]
mod support;

use almapkg::fits::{self, gz};
use almapkg::generator::bad_inputs::builders::{end_of_tar, file_entry, gzip, random_bytes, raw_entry};
use almapkg::generator::bad_inputs::{bad_inputs, Layer, CORPUS_BAD_INPUTS};
use almapkg::source::{FileSource, MemSource, ReadAt};
use almapkg::tar_index::{index_tar, is_safe_path, IndexOptions, TarIndex};
use almapkg::text::{casa_commands, cont_dat};
use almapkg::tgz::{Limits, TgzStream};
use std::path::PathBuf;
use support::*;

#[global_allocator]
static ALLOCATOR: LargestAllocation = LargestAllocation;

/// No single allocation made for one of these small inputs may exceed this, whatever sizes
/// its headers declare.
const ALLOCATION_BOUND: usize = 64 << 20;

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

/// What opening a FITS file and reading its first plane says.
fn fits_outcome(bytes: &[u8]) -> String {
    let src = MemSource(bytes.to_vec());
    match fits::open_image(&src).and_then(|hdu| hdu.read_plane(&src, 0).map(|_| hdu)) {
        Err(e) => format!("error: {e}"),
        Ok(hdu) => format!("ok: {:?}", hdu.shape),
    }
}

/// What opening a `.fits.gz` and reading its first plane says.
fn fits_gz_outcome(bytes: &[u8]) -> String {
    let src = MemSource(bytes.to_vec());
    match gz::open_gz_image(&src).and_then(|hdu| gz::read_gz_plane(&src, &hdu, 0).map(|_| hdu)) {
        Err(e) => format!("error: {e}"),
        Ok(hdu) => format!("ok: {:?}", hdu.shape),
    }
}

/// What extracting a nested `.tgz` says.
fn tgz_outcome(bytes: &[u8], limits: Limits) -> String {
    match TgzStream::new(bytes, limits).read_all() {
        Err(e) => format!("error: {e}"),
        Ok(items) => format!("ok: {} items", items.len()),
    }
}

fn outcome(layer: Layer, bytes: &[u8]) -> String {
    match layer {
        Layer::Tar => tar_outcome(bytes),
        Layer::Fits => fits_outcome(bytes),
        Layer::FitsGz => fits_gz_outcome(bytes),
        Layer::Tgz => tgz_outcome(bytes, Limits::default()),
    }
}

/// Every row of the shared matrix: not accepted, the expected fragments in the message, and
/// no allocation beyond the bound. All failing rows are reported at once.
#[test]
fn matrix() {
    let failures: Vec<String> = bad_inputs()
        .iter()
        .filter_map(|c| {
            let (got, largest) = largest_allocation(|| outcome(c.layer, &c.bytes));
            let missing: Vec<&&str> = c.expect.iter().filter(|e| !got.contains(**e)).collect();
            let bad = got.starts_with("ok") || !missing.is_empty() || largest > ALLOCATION_BOUND;
            bad.then(|| {
                format!("{} ({:?}): got {got:?}, missing {missing:?}, largest allocation {largest}", c.name, c.layer)
            })
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn matrix_names_are_unique_and_fit_the_layer() {
    let cases = bad_inputs();
    let mut names: Vec<&str> = cases.iter().map(|c| c.file_name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "file names collide");
    for c in &cases {
        let ext = match c.layer {
            Layer::Tar => ".tar",
            Layer::Fits => ".fits",
            Layer::FitsGz => ".fits.gz",
            Layer::Tgz => ".weblog.tgz",
        };
        assert!(c.file_name.ends_with(ext) && !c.expect.is_empty(), "{}", c.file_name);
    }
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
        end_of_tar(),
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

/// The entry-count limit, with a small limit so that the test stays small.
#[test]
fn tgz_too_many_entries() {
    let limits = Limits { max_entries: 100, ..Limits::default() };
    let many: Vec<u8> = (0..150).flat_map(|i| file_entry(&format!("f{i}"), b"")).collect();
    let (got, largest) = largest_allocation(|| tgz_outcome(&gzip(&[many, end_of_tar()].concat()), limits));
    assert!(got.contains("exceeds the limit of 100"), "{got}");
    assert!(largest <= ALLOCATION_BOUND, "{largest}");
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
    for row in CORPUS_BAD_INPUTS {
        let src = FileSource::open(&dir.join(row.path)).unwrap();
        let bytes = src.read_at(0, src.len()).unwrap();
        let got = outcome(row.layer, &bytes);
        assert!(got.starts_with("error") && row.expect.iter().all(|e| got.contains(e)), "{}: {got}", row.path);
        let as_tar = tar_outcome(&bytes);
        assert!(as_tar.starts_with("error: not a tar archive"), "{}: {as_tar}", row.path);
    }
}
