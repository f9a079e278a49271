//! Archive-level tests of the tar index: formats, damage, huge offsets, read counts, real data.

use almapkg::source::{CountingSource, FileSource, MemSource, ReadAt};
use almapkg::tar_index::{index_tar, EntryType, IndexOptions, TarError, TarIndex};
use proptest::prelude::*;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use tar::{Builder, Header};

const GIB: u64 = 1 << 30;

fn index(bytes: &[u8]) -> Result<TarIndex, TarError> {
    index_tar(&MemSource(bytes.to_vec()), &IndexOptions::default())
}

fn file_header(path: &str, size: u64) -> Header {
    let mut h = Header::new_gnu();
    h.set_path(path).unwrap();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(1_700_000_000);
    h.set_cksum();
    h
}

/// Three files a (100 bytes), b (5000 bytes), c (3 bytes), and the end-of-archive blocks.
fn abc_tar() -> Vec<u8> {
    let mut b = Builder::new(Vec::new());
    for (name, len) in [("a", 100), ("b", 5000), ("c", 3)] {
        let data = vec![name.as_bytes()[0]; len];
        b.append(&file_header(name, len as u64), data.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

/// The index agrees with the `tar` crate's own reader on paths and data offsets of files.
fn assert_agrees_with_tar_crate(bytes: &[u8], idx: &TarIndex) {
    let mut archive = tar::Archive::new(bytes);
    let theirs: Vec<(String, u64)> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.header().entry_type() == tar::EntryType::Regular)
        .map(|e| {
            let path = e.path().unwrap().to_string_lossy().trim_start_matches("./").to_string();
            (path, e.raw_file_position())
        })
        .collect();
    let ours: Vec<(String, u64)> =
        idx.entries.iter().filter(|e| e.kind == EntryType::File).map(|e| (e.path.clone(), e.offset)).collect();
    assert_eq!(ours, theirs);
}

#[test]
fn lists_files_dirs_and_links_with_normalised_paths() {
    let mut b = Builder::new(Vec::new());
    let mut dir = Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_size(0);
    b.append_data(&mut dir, "./data/", std::io::empty()).unwrap();
    b.append(&file_header("./data/x.fits", 11), &b"hello world"[..]).unwrap();
    let mut link = Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    b.append_link(&mut link, "data/latest", "x.fits").unwrap();
    let mut hard = Header::new_gnu();
    hard.set_entry_type(tar::EntryType::Link);
    hard.set_size(0);
    b.append_link(&mut hard, "copy.fits", "./data/x.fits").unwrap();
    let bytes = b.into_inner().unwrap();

    let idx = index(&bytes).unwrap();
    let summary: Vec<_> = idx.entries.iter().map(|e| (e.path.as_str(), e.kind, e.size, e.link.as_deref())).collect();
    assert_eq!(
        summary,
        [
            ("data", EntryType::Dir, 0, None),
            ("data/x.fits", EntryType::File, 11, None),
            ("data/latest", EntryType::Symlink, 0, Some("x.fits")),
            ("copy.fits", EntryType::Hardlink, 0, Some("./data/x.fits")),
        ]
    );
    let x = &idx.entries[1];
    assert_eq!((x.header_offset, x.offset, x.mtime), (512, 1024, 1_700_000_000));
    assert_eq!(&bytes[1024..1035], b"hello world");
    for path in ["data/latest", "copy.fits", "./data/x.fits"] {
        assert_eq!(idx.resolve_link(path), Some(x), "{path}");
    }
    assert_eq!(idx.stopped, None);
    assert_agrees_with_tar_crate(&bytes, &idx);
}

#[test]
fn ustar_prefix_is_joined_to_the_name() {
    let long_dir = "science_goal.uid___A001_X1296_X1c5/group.uid___A001_X1296_X1c6/member.uid___A001_X1296_X1c7";
    let path = format!("{long_dir}/product/a.fits");
    let mut h = Header::new_ustar();
    h.set_path(&path).unwrap();
    h.set_size(4);
    h.set_cksum();
    assert_ne!(h.as_ustar().unwrap().prefix[0], 0, "the test needs a ustar prefix");
    let mut b = Builder::new(Vec::new());
    b.append(&h, &b"abcd"[..]).unwrap();
    let idx = index(&b.into_inner().unwrap()).unwrap();
    assert_eq!(idx.entries[0].path, path);
}

#[test]
fn pax_path_linkpath_and_gnu_long_names() {
    let long = format!("{}/{}", "d".repeat(150), "f".repeat(150));
    let mut b = Builder::new(Vec::new());
    b.append_pax_extensions([("path", long.as_bytes()), ("linkpath", long.as_bytes())]).unwrap();
    let mut link = Header::new_ustar();
    link.set_path("short").unwrap();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    link.set_cksum();
    b.append(&link, std::io::empty()).unwrap();
    let gnu_start = b.get_ref().len() as u64;
    let mut gnu = Header::new_gnu();
    gnu.set_entry_type(tar::EntryType::Symlink);
    gnu.set_size(0);
    b.append_link(&mut gnu, format!("gnu/{long}"), &long).unwrap();
    b.append_data(&mut file_header("x", 2), format!("gnu2/{long}"), &b"hi"[..]).unwrap();
    let bytes = b.into_inner().unwrap();

    let idx = index(&bytes).unwrap();
    let e = &idx.entries;
    assert_eq!((e[0].path.as_str(), e[0].link.as_deref()), (long.as_str(), Some(long.as_str())));
    assert_eq!(e[0].header_offset, 0, "header_offset is the pax header");
    assert_eq!((e[1].path.clone(), e[1].link.as_deref()), (format!("gnu/{long}"), Some(long.as_str())));
    assert_eq!(e[1].header_offset, gnu_start, "header_offset is the first GNU long-name header");
    assert_eq!((e[2].path.clone(), e[2].size), (format!("gnu2/{long}"), 2));
    assert_agrees_with_tar_crate(&bytes, &idx);

    // With the smallest window every extended header's data lies outside the window that
    // holds its header: the walk asks for both at once, and the entries are the same.
    let block_window = index_tar(&MemSource(bytes.clone()), &IndexOptions { window: 512 }).unwrap();
    assert_eq!(block_window.entries, idx.entries);
    assert!(block_window.reads <= 2 * 6, "{} reads", block_window.reads);
}

#[test]
fn v7_headers_and_space_or_nul_terminated_octal() {
    let mut blocks = Vec::new();
    for (name, typeflag, size_field) in [
        (&b"olddir/"[..], 0u8, &b"00000000000\0"[..]),
        (b"old.txt", b'0', b"     5 \0\0\0\0\0"),
        (b"spaced", 0, b"00000000003 "),
    ] {
        let mut h = Header::new_old();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.as_old_mut().size.copy_from_slice(size_field);
        h.as_old_mut().mtime.copy_from_slice(b"00000000000\0");
        h.as_mut_bytes()[156] = typeflag;
        h.set_cksum();
        blocks.extend_from_slice(h.as_bytes());
        if !name.ends_with(b"/") {
            blocks.extend_from_slice(&[b'x'; 512]);
        }
    }
    let idx = index(&blocks).unwrap();
    let summary: Vec<_> = idx.entries.iter().map(|e| (e.path.as_str(), e.kind, e.size, e.offset)).collect();
    assert_eq!(
        summary,
        [
            ("olddir", EntryType::Dir, 0, 512),
            ("old.txt", EntryType::File, 5, 1024),
            ("spaced", EntryType::File, 3, 2048)
        ]
    );
    assert_eq!(idx.stopped, None, "EOF at a block boundary ends the archive");
}

#[test]
fn truncated_body_keeps_complete_entries_and_names_the_cut_one() {
    let bytes = abc_tar();
    let idx = index(&bytes).unwrap();
    let b = idx.find("b").unwrap().clone();
    let cut = index(&bytes[..(b.offset + 2000) as usize]).unwrap();
    assert_eq!(cut.entries.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["a"]);
    let msg = cut.stopped.unwrap().to_string();
    assert!(msg.contains("entry b") && msg.contains(&b.offset.to_string()) && msg.contains("truncated"), "{msg}");
}

#[test]
fn truncated_header_and_bad_checksum_say_where() {
    let bytes = abc_tar();
    let c_header = index(&bytes).unwrap().find("c").unwrap().header_offset;
    let cut = index(&bytes[..(c_header + 100) as usize]).unwrap();
    assert_eq!(cut.entries.len(), 2);
    assert_eq!(cut.stopped, Some(TarError::TruncatedHeader { offset: c_header, file_len: c_header + 100 }));

    let mut damaged = bytes.clone();
    damaged[c_header as usize + 3] ^= 0x40;
    let idx = index(&damaged).unwrap();
    assert_eq!(idx.entries.len(), 2);
    let msg = idx.stopped.unwrap().to_string();
    assert!(msg.contains(&format!("byte offset {c_header}")) && msg.contains("checksum"), "{msg}");
}

#[test]
fn end_of_archive_by_zero_blocks_or_block_boundary() {
    let bytes = abc_tar();
    let c = index(&bytes).unwrap().find("c").unwrap().clone();
    let at_boundary = index(&bytes[..(c.offset + 512) as usize]).unwrap();
    assert_eq!((at_boundary.entries.len(), at_boundary.stopped), (3, None));
    let mut trailing = bytes.clone();
    trailing.extend_from_slice(b"garbage after the end-of-archive blocks");
    assert_eq!(index(&trailing).unwrap().stopped, None);
}

#[test]
fn files_that_are_not_tars_are_named() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &abc_tar()).unwrap();
    let cases: [(Vec<u8>, &str); 5] = [
        (gz.finish().unwrap(), "a gzip file; almapkg reads plain .tar"),
        (b"%PDF-1.7\n".repeat(100), "a PDF document"),
        (b"\x89PNG\r\n\x1a\n".to_vec(), "a PNG image"),
        (Vec::new(), "the file is empty"),
        (b"just text".to_vec(), "only 9 bytes"),
    ];
    for (bytes, expected) in cases {
        let msg = index(&bytes).unwrap_err().to_string();
        assert!(msg.starts_with("not a tar archive") && msg.contains(expected), "{msg}");
    }
    let mut bad_first = abc_tar();
    bad_first[0] ^= 1;
    assert_eq!(
        index(&bad_first).unwrap_err().to_string(),
        "not a tar archive (the first 512 bytes are not a valid tar header)"
    );
}

/// A tar written block by block into a sparse file: gigabytes of apparent size, kilobytes on disk.
struct SparseTar {
    path: PathBuf,
    file: File,
    pos: u64,
}

impl SparseTar {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("almapkg-{name}-{}.tar", std::process::id()));
        let file = File::create(&path).unwrap();
        SparseTar { path, file, pos: 0 }
    }
    fn block(&mut self, bytes: &[u8]) {
        self.file.write_at(bytes, self.pos).unwrap();
        self.pos += (bytes.len() as u64).div_ceil(512) * 512;
    }
    /// Appends an entry of `size` bytes starting with `data` (the rest are holes); returns
    /// the data offset.
    fn entry(&mut self, path: &str, size: u64, data: &[u8]) -> u64 {
        self.block(file_header(path, size).as_bytes());
        let offset = self.pos;
        self.file.write_at(data, self.pos).unwrap();
        self.pos += size.div_ceil(512) * 512;
        offset
    }
    fn finish(&self) -> FileSource {
        self.file.set_len(self.pos + 1024).unwrap();
        FileSource::open(&self.path).unwrap()
    }
}

impl Drop for SparseTar {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[test]
fn entries_past_4_and_8_gib_in_a_sparse_file() {
    let mut tar = SparseTar::new("huge");
    tar.entry("first", 5 * GIB, b"");
    let past_4g = tar.entry("past-4g.txt", 5, b"four!");
    tar.entry("base256", 9 * GIB, b"");
    let pax = b"20 size=10000000000\n";
    let mut h = file_header("pax", pax.len() as u64);
    h.set_entry_type(tar::EntryType::XHeader);
    h.set_cksum();
    tar.block(h.as_bytes());
    tar.block(pax);
    tar.entry("pax-sized", 0, b"");
    tar.pos += 10_000_000_000u64.div_ceil(512) * 512;
    let tail = tar.entry("tail.txt", 4, b"tail");
    let src = tar.finish();

    let idx = index_tar(&src, &IndexOptions::default()).unwrap();
    assert_eq!(idx.stopped, None);
    let sizes: Vec<_> = idx.entries.iter().map(|e| (e.path.as_str(), e.size)).collect();
    assert_eq!(
        sizes,
        [("first", 5 * GIB), ("past-4g.txt", 5), ("base256", 9 * GIB), ("pax-sized", 10_000_000_000), ("tail.txt", 4)]
    );
    assert!(past_4g > 4 * GIB && tail > 23 * GIB);
    let at = |path: &str| idx.find(path).unwrap().offset;
    assert_eq!((at("past-4g.txt"), at("tail.txt")), (past_4g, tail));
    assert_eq!(src.read_at(past_4g, 5).unwrap(), b"four!");
    assert_eq!(src.read_at(tail, 4).unwrap(), b"tail");
}

#[test]
fn indexing_reads_per_window_not_per_header() {
    let mut tar = SparseTar::new("packed");
    for half in 0..2 {
        for i in 0..150 {
            tar.entry(&format!("small/{half}/{i}.txt"), 1000, b"small");
        }
        tar.entry(&format!("large{half}.fits"), 300 << 20, b"");
    }
    let file = tar.finish();
    let tar_len = file.len();
    let src = CountingSource::new(file);

    let idx = index_tar(&src, &IndexOptions::default()).unwrap();
    assert_eq!((idx.entries.len(), idx.stopped.clone()), (302, None));
    assert_eq!(idx.reads, src.reads.get());
    // Windows growing ×4 (16 KiB, 64 KiB, 256 KiB...) over packed small entries, at the start
    // and after each large entry (jumped over, then a small read).
    assert!(src.reads.get() <= 8, "{} reads", src.reads.get());
    assert!(src.bytes.get() <= 3 << 20 && tar_len > 600 << 20, "{} bytes read", src.bytes.get());

    src.reads.set(0);
    let small_window = index_tar(&src, &IndexOptions { window: 64 << 10 }).unwrap();
    assert_eq!(small_window.entries.len(), 302);
    // 150 entries of 1.5 KiB per half: 4 windows of 64 KiB each, plus one per large entry.
    assert!(src.reads.get() <= 12, "{} reads", src.reads.get());
}

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: corpus directory {} is absent", dir.display());
        None
    }
}

#[test]
fn corpus_real_tar_and_wrong_files() {
    let Some(dir) = corpus() else { return };
    let tgz = std::fs::read(dir.join("fits-quirks/radio/NGC0925.bima.mmom0.image.tar.gz")).unwrap();
    assert!(index(&tgz).unwrap_err().to_string().contains("gzip"));
    let mut tar_bytes = Vec::new();
    let mut gunzip = flate2::read::GzDecoder::new(tgz.as_slice());
    std::io::Read::read_to_end(&mut gunzip, &mut tar_bytes).unwrap();
    let idx = index(&tar_bytes).unwrap();
    assert!(idx.entries.len() > 3 && idx.stopped.is_none());
    assert_agrees_with_tar_crate(&tar_bytes, &idx);

    let fits = std::fs::read(dir.join("fits-quirks/astropy/arange.fits")).unwrap();
    assert!(index(&fits).unwrap_err().to_string().contains("a FITS file"));
}

/// The corpus stores the pipeline's `index.html -> t1-1.html` symlink as a 9-byte file holding
/// its target (as git does); the tar is built with it as a real symlink, as in a weblog tarball.
#[test]
fn corpus_weblog_symlink_resolves() {
    let Some(dir) = corpus() else { return };
    let weblog = dir.join("weblog/2017.1.00685.S-qa_partial");
    let target = std::fs::read_to_string(weblog.join("index.html")).unwrap();
    let mut b = Builder::new(Vec::new());
    b.append_path_with_name(weblog.join("t1-1.html"), "weblog/t1-1.html").unwrap();
    let mut link = Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    b.append_link(&mut link, "weblog/index.html", target.trim()).unwrap();
    let idx = index(&b.into_inner().unwrap()).unwrap();
    assert_eq!(idx.find("weblog/index.html").map(|e| e.kind), Some(EntryType::Symlink));
    let resolved = idx.resolve_link("weblog/index.html").map(|e| e.path.as_str());
    assert_eq!(resolved, Some("weblog/t1-1.html"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Damage anywhere never panics, and every listed entry lies inside the file.
    #[test]
    fn damaged_tars_never_panic(
        flips in proptest::collection::vec((0usize..6656, any::<u8>()), 1..8),
        cut in 0usize..7000,
    ) {
        let mut bytes = abc_tar();
        for (at, value) in flips {
            if let Some(b) = bytes.get_mut(at) {
                *b = value;
            }
        }
        bytes.truncate(cut);
        // Any window size: the walk stops for bytes in different places.
        for window in [512, 1 << 20] {
            if let Ok(idx) = index_tar(&MemSource(bytes.clone()), &IndexOptions { window }) {
                for e in idx.entries {
                    prop_assert!(e.offset + e.size <= bytes.len() as u64);
                }
            }
        }
    }
}
