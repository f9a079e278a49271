//! Builders of damaged inputs, byte by byte. Tar headers are written by hand (not with the
//! `tar` crate) so that any field can hold garbage; FITS headers card by card.

use std::io::Write;

/// Deterministic pseudo-random bytes (a linear congruential generator, no dependency).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (state >> 56) as u8
        })
        .collect()
}

/// A ustar header block with the given raw 12-byte size field, type flag and link name, and
/// a correct checksum.
pub fn raw_header(name: &str, size_field: &[u8], typeflag: u8, link: &str) -> Vec<u8> {
    let mut h = vec![0u8; 512];
    put(&mut h, 0, name.as_bytes(), 100);
    put(&mut h, 100, b"0000644\0", 8);
    put(&mut h, 108, b"0000000\0", 8);
    put(&mut h, 116, b"0000000\0", 8);
    put(&mut h, 124, size_field, 12);
    put(&mut h, 136, b"14000000000\0", 12);
    h[156] = typeflag;
    put(&mut h, 157, link.as_bytes(), 100);
    put(&mut h, 257, b"ustar\0", 6);
    put(&mut h, 263, b"00", 2);
    set_checksum(&mut h);
    h
}

fn put(block: &mut [u8], at: usize, bytes: &[u8], width: usize) {
    let n = bytes.len().min(width);
    block[at..at + n].copy_from_slice(&bytes[..n]);
}

fn set_checksum(h: &mut [u8]) {
    h[148..156].fill(b' ');
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
}

/// A header with a raw size field and no data (the size may lie).
pub fn raw_entry(name: &str, size_field: &[u8], typeflag: u8, link: &str) -> Vec<u8> {
    raw_header(name, size_field, typeflag, link)
}

/// A header of type `typeflag` followed by `data` padded to a whole block.
pub fn ext_entry(typeflag: u8, data: &[u8]) -> Vec<u8> {
    let name = if typeflag == b'L' { "././@LongLink" } else { "PaxHeader" };
    padded(raw_header(name, format!("{:011o}\0", data.len()).as_bytes(), typeflag, ""), data)
}

/// A regular file entry: header and data padded to a whole block.
pub fn file_entry(name: &str, data: &[u8]) -> Vec<u8> {
    padded(raw_header(name, format!("{:011o}\0", data.len()).as_bytes(), b'0', ""), data)
}

fn padded(mut header: Vec<u8>, data: &[u8]) -> Vec<u8> {
    header.extend_from_slice(data);
    header.resize(header.len().div_ceil(512) * 512, 0);
    header
}

/// The two zero blocks that end a tar.
pub fn end_of_tar() -> Vec<u8> {
    vec![0; 1024]
}

/// A pax extended header holding one record `key=value`.
pub fn pax(key: &str, value: &str) -> Vec<u8> {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    if format!("{len}{body}").len() != len {
        len += 1;
    }
    ext_entry(b'x', format!("{len}{body}").as_bytes())
}

/// The first entry of `tar` with one header byte changed, so its checksum no longer matches.
pub fn corrupt_checksum(mut tar: Vec<u8>) -> Vec<u8> {
    if let Some(first) = tar.first_mut() {
        *first ^= 0x20;
    }
    tar
}

/// One FITS card padded to 80 bytes.
pub fn card(text: &str) -> Vec<u8> {
    format!("{text:<80}").into_bytes()
}

/// A primary HDU: `SIMPLE = T`, `cards`, END, padded; then `data` padded with zeros.
pub fn fits_file(cards: &[&str], data: &[u8]) -> Vec<u8> {
    let mut out = card("SIMPLE  =                    T");
    cards.iter().for_each(|c| out.extend(card(c)));
    out.extend(card("END"));
    out.resize(out.len().div_ceil(2880) * 2880, b' ');
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(2880) * 2880, 0);
    out
}

/// A FITS header whose data stop after `data_len` bytes (a cut download).
pub fn img_cut(cards: &[&str], data_len: usize) -> Vec<u8> {
    let mut out = fits_file(cards, &[]);
    out.resize(out.len() + data_len, 0);
    out
}

/// A primary header with no END card, one block long.
pub fn no_end(cards: &[&str]) -> Vec<u8> {
    let mut out = card("SIMPLE  =                    T");
    cards.iter().for_each(|c| out.extend(card(c)));
    out.resize(2880, b' ');
    out
}

/// A header of `n` COMMENT cards after a dataless primary: 100 000 cards is the reader's
/// limit.
pub fn many_cards(n: usize) -> Vec<u8> {
    let mut h = card("SIMPLE  = T");
    h.extend(card("BITPIX  = 8").iter().chain(&card("NAXIS   = 0")));
    h.extend((0..n).flat_map(|i| card(&format!("COMMENT {i}"))));
    h.extend(card("END"));
    h.resize(h.len().div_ceil(2880) * 2880, b' ');
    h
}

/// A small valid 2-D float image (8 × 8).
pub fn small_fits() -> Vec<u8> {
    fits_file(&["BITPIX  = -32", "NAXIS   = 2", "NAXIS1  = 8", "NAXIS2  = 8"], &[0x3f; 8 * 8 * 4])
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// The start of a zip archive (a local file header).
pub fn zip_bytes() -> Vec<u8> {
    let mut z = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    z.extend(random_bytes(600));
    z
}

/// The start of a PNG image.
pub fn png_bytes() -> Vec<u8> {
    let mut p = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    p.extend(random_bytes(600));
    p
}
