//! A tar's index in the compact form kept between visits and handed to the page.
//!
//! Re-opening a package seen before must show it within a few milliseconds, and what costs
//! there is parsing and objects made per entry more than bytes. As JSON, 5 000 entries of a
//! delivery are 1.5 MB to parse into 5 000 objects; here they are the paths, sorted, joined
//! as one UTF-8 buffer (the page decodes and splits it in one call each: no object per path
//! but the path itself), and the numbers in columns that pass as typed arrays. IndexedDB and
//! `postMessage` copy such buffers at memory speed.
//!
//! (Front-coding the paths, which share their first ~150 characters, made the kept form five
//! times smaller, but reading them back cost more in the browser than the bytes it saved.)
//!
//! Only what the page and the package model use is kept: the header offset and time of each
//! entry are not (`almapkg ls` reads the tar itself).

use super::{EntryType, TarEntry};

/// What follows each path in [`CompactIndex::paths`]; no path holds it (see [`tree_path`]).
pub const PATH_END: u8 = 0;

/// The entries of one tar, sorted by path (stably: of two entries with one path, the later
/// in the tar stays later, and is the one shown). Sorted as JS compares strings (by UTF-16
/// code units), so that the page can search them as they come.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CompactIndex {
    /// Every path, UTF-8, each followed by [`PATH_END`].
    pub paths: Vec<u8>,
    /// Per entry: its [`EntryType`] as [`kind_code`] numbers it.
    pub kinds: Vec<u8>,
    /// Per entry: data size in bytes (exact as f64 up to 2^53 bytes).
    pub sizes: Vec<f64>,
    /// Per entry: byte offset of its data in the tar.
    pub offsets: Vec<f64>,
    /// Link targets: (entry number, target as stored), for the few entries that are links.
    pub links: Vec<(u32, String)>,
}

/// An entry read back from a [`CompactIndex`]: what the package model needs (the offsets
/// are for the page).
#[derive(Debug, Clone, PartialEq)]
pub struct CompactEntry {
    pub path: String,
    pub kind: EntryType,
    pub size: u64,
}

/// The number an entry type is kept as; `www/listing.js` names them in this order.
fn kind_code(kind: EntryType) -> u8 {
    match kind {
        EntryType::File => 0,
        EntryType::Dir => 1,
        EntryType::Symlink => 2,
        EntryType::Hardlink => 3,
        EntryType::Other => 4,
    }
}

fn kind_of(code: u8) -> Option<EntryType> {
    [EntryType::File, EntryType::Dir, EntryType::Symlink, EntryType::Hardlink, EntryType::Other]
        .get(code as usize)
        .copied()
}

/// `path` as the page's tree shows it: without empty parts (as `normalPath` in
/// `www/listing.js`), and never holding [`PATH_END`] (a NUL could only come from a
/// malformed extended header).
fn tree_path(path: &str) -> String {
    let plain = !path.starts_with('/') && !path.ends_with('/') && !path.contains("//") && !path.contains('\0');
    if plain {
        return path.to_string();
    }
    let joined = path.split('/').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("/");
    if joined.contains('\0') {
        joined.replace('\0', "\u{FFFD}")
    } else {
        joined
    }
}

impl CompactIndex {
    /// The compact form of `entries` (in tar order). An entry left with no path (`/`) is
    /// left out: nothing could show it.
    pub fn new(entries: &[TarEntry]) -> CompactIndex {
        let mut sorted: Vec<(String, &TarEntry)> =
            entries.iter().map(|e| (tree_path(&e.path), e)).filter(|(p, _)| !p.is_empty()).collect();
        // By bytes, which is the UTF-16 order unless a path holds a character at U+E000 or
        // above (they sort between the two halves of a surrogate pair): ten times faster.
        // (In UTF-8 those characters, and only they, start with a byte from 0xEE up.)
        if sorted.iter().any(|(p, _)| p.bytes().any(|b| b >= 0xEE)) {
            sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        } else {
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let mut out = CompactIndex::default();
        for (i, (path, entry)) in sorted.iter().enumerate() {
            out.paths.extend_from_slice(path.as_bytes());
            out.paths.push(PATH_END);
            out.kinds.push(kind_code(entry.kind));
            out.sizes.push(entry.size as f64);
            out.offsets.push(entry.offset as f64);
            if let Some(link) = &entry.link {
                out.links.push((i as u32, link.clone()));
            }
        }
        out
    }

    /// The entries, in path order (links aside); an error when the columns do not fit
    /// together (a kept index damaged in storage).
    pub fn entries(&self) -> Result<Vec<CompactEntry>, String> {
        let paths: Vec<&[u8]> =
            self.paths.strip_suffix(&[PATH_END]).map(|p| p.split(|&b| b == PATH_END).collect()).unwrap_or_default();
        let n = paths.len();
        if [self.kinds.len(), self.sizes.len(), self.offsets.len()].iter().any(|&l| l != n) {
            return Err(format!("it lists {n} paths for {} entries", self.kinds.len()));
        }
        let number = |i: usize, v: f64| {
            if v >= 0.0 && v.fract() == 0.0 {
                Ok(v as u64)
            } else {
                Err(format!("entry {i} has a bad size"))
            }
        };
        paths
            .iter()
            .enumerate()
            .map(|(i, path)| {
                Ok(CompactEntry {
                    path: String::from_utf8(path.to_vec()).map_err(|_| format!("entry {i} has a broken path"))?,
                    kind: kind_of(self.kinds[i]).ok_or_else(|| format!("entry {i} has an unknown type"))?,
                    size: number(i, self.sizes[i])?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: EntryType, size: u64, offset: u64) -> TarEntry {
        TarEntry {
            path: path.into(),
            kind,
            size,
            offset,
            header_offset: offset.saturating_sub(512),
            link: None,
            mtime: 7,
        }
    }

    fn round_trip(entries: &[TarEntry]) -> Vec<CompactEntry> {
        CompactIndex::new(entries).entries().expect("reads back")
    }

    #[test]
    fn entries_come_back_sorted_with_their_numbers() {
        let entries = [
            entry("p/member.uid___A/product/b.fits", EntryType::File, 10, 1536),
            entry("p/member.uid___A", EntryType::Dir, 0, 512),
            entry("p/member.uid___A/product/a.fits", EntryType::File, 1 << 40, 5 << 32),
        ];
        let back = round_trip(&entries);
        let paths: Vec<&str> = back.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["p/member.uid___A", "p/member.uid___A/product/a.fits", "p/member.uid___A/product/b.fits"]);
        assert_eq!((back[1].size, back[1].kind), (1 << 40, EntryType::File));
        assert_eq!(CompactIndex::new(&entries).offsets, [512.0, (5u64 << 32) as f64, 1536.0]);
        assert_eq!(back[0].kind, EntryType::Dir);
    }

    #[test]
    fn paths_are_joined_as_utf8_and_sorted_as_js_sorts() {
        // U+FF01 sorts before U+1D538 by code point but after it by UTF-16 unit (a JS sort).
        let entries = [
            entry("données/\u{FF01}", EntryType::File, 2, 0),
            entry("données/𝔸", EntryType::File, 2, 0),
            entry("données/é", EntryType::File, 1, 0),
        ];
        let compact = CompactIndex::new(&entries);
        assert_eq!(String::from_utf8(compact.paths.clone()).unwrap(), "données/é\0données/𝔸\0données/\u{FF01}\0");
        let paths: Vec<String> = round_trip(&entries).into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["données/é", "données/𝔸", "données/\u{FF01}"]);
    }

    #[test]
    fn duplicates_keep_tar_order_and_odd_paths_are_normalised() {
        let entries = [
            entry("a//b.fits/", EntryType::File, 1, 512),
            entry("a/c\0d", EntryType::File, 3, 512),
            entry("/", EntryType::Dir, 0, 0),
            entry("a/b.fits", EntryType::File, 2, 2048),
        ];
        let back = round_trip(&entries);
        let paths: Vec<(&str, u64)> = back.iter().map(|e| (e.path.as_str(), e.size)).collect();
        assert_eq!(paths, [("a/b.fits", 1), ("a/b.fits", 2), ("a/c\u{FFFD}d", 3)]);
    }

    #[test]
    fn links_keep_their_targets() {
        let mut link = entry("a/latest.fits", EntryType::Symlink, 0, 0);
        link.link = Some("b.fits".into());
        let compact = CompactIndex::new(&[entry("a/b.fits", EntryType::File, 1, 512), link]);
        assert_eq!(compact.links, [(1, "b.fits".to_string())]);
        assert_eq!(round_trip(&[]).len(), 0);
    }

    #[test]
    fn a_damaged_index_is_an_error_not_a_panic() {
        let good = CompactIndex::new(&[entry("a/b", EntryType::File, 1, 0), entry("a/c", EntryType::File, 1, 0)]);
        let mut bad = good.clone();
        bad.paths.pop();
        assert!(bad.entries().is_err(), "no NUL after the last path");
        let mut bad = good.clone();
        bad.paths[1] = 0;
        assert!(bad.entries().is_err(), "one path too many");
        let mut bad = good.clone();
        bad.paths[0] = 0xFF;
        assert!(bad.entries().is_err(), "not UTF-8");
        let mut bad = good.clone();
        bad.kinds[0] = 9;
        assert!(bad.entries().is_err());
        let mut bad = good;
        bad.sizes[0] = -1.0;
        assert!(bad.entries().is_err());
    }
}
