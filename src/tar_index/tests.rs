//! Unit tests on hand-made blocks; archive-level tests live in `tests/tar_index.rs`.

use super::*;
use crate::source::MemSource;

fn header(path: &str, typeflag: u8, size: u64) -> Block {
    let mut h = tar::Header::new_gnu();
    h.set_path(path).unwrap();
    h.set_size(size);
    h.as_mut_bytes()[156] = typeflag;
    h.set_cksum();
    *h.as_bytes()
}

fn archive(blocks: &[Block]) -> MemSource {
    MemSource(blocks.concat())
}

#[test]
fn next_header_pads_and_never_overflows() {
    assert_eq!(next_header(512, 0), Some(512));
    assert_eq!(next_header(512, 1), Some(1024));
    assert_eq!(next_header(512, 512), Some(1024));
    assert_eq!(next_header(512, u64::MAX), None);
    assert_eq!(next_header(u64::MAX - 10, 1), None);
}

#[test]
fn huge_declared_size_stops_with_the_entry_named() {
    let src = archive(&[header("ok", b'0', 0), header("big", b'0', 1 << 40), [0; 512]]);
    let idx = index_tar(&src, &IndexOptions::default()).unwrap();
    assert_eq!(idx.entries.len(), 1);
    let msg = idx.stopped.unwrap().to_string();
    assert!(msg.contains("entry big") && msg.contains("offset 1024"), "{msg}");
}

#[test]
fn extended_header_without_entry_is_reported() {
    let mut pax = [0u8; 512];
    pax[..10].copy_from_slice(b"10 path=a\n");
    let src = archive(&[header("ok", b'0', 0), header("pax", b'x', 10), pax]);
    let idx = index_tar(&src, &IndexOptions::default()).unwrap();
    assert_eq!(idx.stopped, Some(TarError::DanglingExtension { offset: 512 }));
}

#[test]
fn oversized_long_name_is_refused() {
    let src = archive(&[header("ok", b'0', 0), header("././@LongLink", b'L', 1 << 20)]);
    let idx = index_tar(&src, &IndexOptions::default()).unwrap();
    let msg = idx.stopped.unwrap().to_string();
    assert!(msg.contains("GNU long name at byte offset 512"), "{msg}");
}

#[test]
fn global_pax_header_is_skipped() {
    let mut pax = [0u8; 512];
    pax[..13].copy_from_slice(b"13 comment=x\n");
    let src = archive(&[header("g", b'g', 13), pax, header("f", b'0', 0), [0; 512], [0; 512]]);
    let idx = index_tar(&src, &IndexOptions::default()).unwrap();
    assert_eq!(idx.entries.len(), 1);
    assert_eq!(idx.entries[0].header_offset, 1024);
    assert_eq!(idx.stopped, None);
}

#[test]
fn bad_size_field_is_a_damaged_header() {
    let mut bad = header("bad", b'0', 0);
    bad[124..136].copy_from_slice(b"12x45670000\0");
    let mut h = tar::Header::new_old();
    *h.as_mut_bytes() = bad;
    h.set_cksum();
    let src = archive(&[header("ok", b'0', 0), *h.as_bytes()]);
    let msg = index_tar(&src, &IndexOptions::default()).unwrap().stopped.unwrap().to_string();
    assert!(msg.contains("bad size field") && msg.contains("offset 512"), "{msg}");
}
