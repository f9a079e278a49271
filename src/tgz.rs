//! Streaming reader for the gzip-compressed tars nested inside a delivery: the weblog
//! (`qa/*.weblog.tgz`), `auxproducts.tgz` (holds cont.dat), caltables and flagversions.
//!
//! Unlike the outer tars these cannot be indexed by seeking: gzip must be inflated from the
//! start. [`TgzStream`] inflates in batches so that the caller (the worker) can hand each
//! batch on (to Cache Storage) before asking for the next, keeping memory bounded. It guards
//! against hostile archives: bounded sizes and entry counts, a bound on the expansion ratio
//! (gzip bombs), and names that would escape the archive root.

use flate2::read::MultiGzDecoder;
use std::fmt;
use std::io::Read;

/// Bounds that stop a hostile or damaged archive before it exhausts memory. The page can
/// set them (missing fields keep their defaults).
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Total bytes of all entries once inflated.
    pub max_total_bytes: u64,
    /// Number of entries (files, directories, links).
    pub max_entries: u64,
    /// Largest single file held in memory.
    pub max_file_bytes: u64,
    /// Inflated bytes per compressed byte, beyond the first MiB.
    pub max_ratio: u64,
    /// Files larger than this (but within `max_file_bytes`) are inflated and discarded,
    /// listed as [`Item::Skipped`] (listing a caltables.tgz needs names and sizes, not
    /// hundreds of MB of tables).
    pub max_kept_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total_bytes: 8 << 30,
            max_entries: 500_000,
            max_file_bytes: 1 << 30,
            max_ratio: 1000,
            max_kept_bytes: 1 << 30,
        }
    }
}

/// One member of the nested archive, with its path normalised (no leading `./`).
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    File {
        path: String,
        data: Vec<u8>,
    },
    /// A file larger than [`Limits::max_kept_bytes`]: its name and size only.
    Skipped {
        path: String,
        size: u64,
    },
    Dir {
        path: String,
    },
    /// A symbolic or hard link, its target resolved to a path from the archive root.
    Link {
        path: String,
        target: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TgzError {
    NotGzip,
    Corrupt {
        detail: String,
        at: u64,
    },
    EndsEarly {
        at: u64,
    },
    BadHeader {
        at: u64,
        detail: String,
    },
    UnsafePath {
        name: String,
    },
    /// `what` names the thing (and the entry), `limit` comes with its unit.
    TooLarge {
        what: String,
        limit: String,
    },
    Bomb {
        inflated: u64,
        compressed: u64,
    },
}

impl fmt::Display for TgzError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TgzError::NotGzip => write!(f, "not a gzip file (a .tgz must start with the gzip signature 1f 8b)"),
            TgzError::Corrupt { detail, at } => write!(f, "the gzip data is corrupt near inflated byte {at}: {detail}"),
            TgzError::EndsEarly { at } => write!(f, "the archive ends early, after {at} inflated bytes (an interrupted download?)"),
            TgzError::BadHeader { at, detail } => write!(f, "bad tar header at inflated byte {at}: {detail}"),
            TgzError::UnsafePath { name } => write!(f, "refused entry {name:?}: its name leaves the archive folder (absolute or '..')"),
            TgzError::TooLarge { what, limit } => write!(f, "stopped: {what} exceeds the limit of {limit}"),
            TgzError::Bomb { inflated, compressed } => write!(
                f,
                "stopped: {inflated} bytes inflated from only {compressed} compressed bytes; this looks like a decompression bomb"
            ),
        }
    }
}

impl std::error::Error for TgzError {}

/// Counts the compressed bytes the decoder has consumed (for progress and the bomb check).
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Entry data are read in chunks of this size, so memory follows the inflated bytes.
const BODY_CHUNK: u64 = 1 << 20;

/// Extended-header values that apply to the next entry (pax `x`, GNU `L` and `K`).
#[derive(Default)]
struct Pending {
    path: Option<String>,
    link: Option<String>,
    size: Option<u64>,
}

pub struct TgzStream<R: Read> {
    gz: MultiGzDecoder<Counted<R>>,
    limits: Limits,
    inflated: u64,
    entries: u64,
    done: bool,
}

impl<R: Read> TgzStream<R> {
    pub fn new(reader: R, limits: Limits) -> Self {
        TgzStream {
            gz: MultiGzDecoder::new(Counted { inner: reader, count: 0 }),
            limits,
            inflated: 0,
            entries: 0,
            done: false,
        }
    }

    /// Compressed bytes consumed so far.
    pub fn compressed_read(&self) -> u64 {
        self.gz.get_ref().count
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Reads entries until about `max_bytes` of file data are gathered or the archive ends.
    pub fn next_batch(&mut self, max_bytes: u64) -> Result<Vec<Item>, TgzError> {
        let mut batch = Vec::new();
        let mut bytes = 0u64;
        while !self.done && bytes < max_bytes.max(1) {
            if let Some(item) = self.next_item()? {
                if let Item::File { data, .. } = &item {
                    bytes += data.len() as u64;
                }
                batch.push(item);
            }
        }
        Ok(batch)
    }

    /// Reads every remaining entry (for small archives such as auxproducts.tgz).
    pub fn read_all(mut self) -> Result<Vec<Item>, TgzError> {
        let mut all = Vec::new();
        while !self.done {
            all.extend(self.next_batch(u64::MAX)?);
        }
        Ok(all)
    }

    /// Fills `buf` completely; `Ok(false)` on a clean end of data before the first byte.
    fn fill(&mut self, buf: &mut [u8]) -> Result<bool, TgzError> {
        let mut got = 0;
        while got < buf.len() {
            match self.gz.read(&mut buf[got..]) {
                Ok(0) if got == 0 => return Ok(false),
                Ok(0) => return Err(TgzError::EndsEarly { at: self.inflated }),
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Err(TgzError::EndsEarly { at: self.inflated })
                }
                Err(e) if self.inflated == 0 && got == 0 && e.to_string().contains("gzip header") => {
                    return Err(TgzError::NotGzip)
                }
                Err(e) => return Err(TgzError::Corrupt { detail: e.to_string(), at: self.inflated }),
            }
        }
        self.inflated += got as u64;
        self.check_ratio()?;
        Ok(true)
    }

    fn check_ratio(&self) -> Result<(), TgzError> {
        let compressed = self.compressed_read();
        if self.inflated > self.limits.max_total_bytes {
            return Err(TgzError::TooLarge {
                what: format!("the inflated size ({} bytes so far)", self.inflated),
                limit: format!("{} bytes", self.limits.max_total_bytes),
            });
        }
        if self.inflated > (1 << 20) && self.inflated / compressed.max(1) > self.limits.max_ratio {
            return Err(TgzError::Bomb { inflated: self.inflated, compressed });
        }
        Ok(())
    }

    /// Reads `size` bytes of entry data plus the padding to the next 512-byte block.
    /// `what` names the entry for the message when `size` is over `limit`.
    fn body(&mut self, size: u64, limit: u64, what: impl FnOnce() -> String) -> Result<Vec<u8>, TgzError> {
        if size > limit {
            return Err(TgzError::TooLarge { what: what(), limit: format!("{limit} bytes") });
        }
        // Grow with the data actually inflated, one chunk at a time, never to the size the
        // header declares: a tiny hostile archive may declare a 1 GiB file.
        let mut data = Vec::new();
        let mut left = size;
        while left > 0 {
            let start = data.len();
            let chunk = left.min(BODY_CHUNK);
            data.resize(start + chunk as usize, 0);
            let Some(buf) = data.get_mut(start..) else { break };
            if !self.fill(buf)? {
                return Err(TgzError::EndsEarly { at: self.inflated });
            }
            left -= chunk;
        }
        let pad = (512 - size % 512) % 512;
        let mut skip = [0u8; 512];
        if pad > 0 && !self.fill(&mut skip[..pad as usize])? {
            return Err(TgzError::EndsEarly { at: self.inflated });
        }
        Ok(data)
    }

    /// Inflates and discards `size` bytes of entry data and its padding, 64 KiB at a time.
    fn skip(&mut self, size: u64) -> Result<(), TgzError> {
        let mut left = size.div_ceil(512) * 512;
        let mut buf = vec![0u8; 64 << 10];
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            if !self.fill(&mut buf[..n])? {
                return Err(TgzError::EndsEarly { at: self.inflated });
            }
            left -= n as u64;
        }
        Ok(())
    }

    fn next_item(&mut self) -> Result<Option<Item>, TgzError> {
        let mut pending = Pending::default();
        loop {
            let at = self.inflated;
            let mut block = [0u8; 512];
            if !self.fill(&mut block)? || block.iter().all(|&b| b == 0) {
                self.done = true;
                return Ok(None);
            }
            self.entries += 1;
            if self.entries > self.limits.max_entries {
                return Err(TgzError::TooLarge {
                    what: "the number of entries".into(),
                    limit: format!("{} entries", self.limits.max_entries),
                });
            }
            let header = parse_header(&block, at)?;
            let size = pending.size.take().unwrap_or(header.size);
            match header.typeflag {
                b'x' => apply_pax(&self.body(size, 1 << 20, || format!("a pax header ({size} bytes)"))?, &mut pending),
                b'L' => {
                    pending.path = Some(c_string(&self.body(size, 64 << 10, || format!("a long name ({size} bytes)"))?))
                }
                b'K' => {
                    pending.link =
                        Some(c_string(&self.body(size, 64 << 10, || format!("a long link name ({size} bytes)"))?))
                }
                b'g' => {
                    self.body(size, 1 << 20, || format!("a pax global header ({size} bytes)"))?;
                }
                flag => {
                    let name = pending.path.take().unwrap_or(header.name);
                    let path = safe_path(&name).ok_or(TgzError::UnsafePath { name: name.clone() })?;
                    let link = pending.link.take().unwrap_or(header.link);
                    return self.member(flag, path, link, size).map(Some);
                }
            }
        }
    }

    fn member(&mut self, flag: u8, path: String, link: String, size: u64) -> Result<Item, TgzError> {
        match flag {
            b'0' | 0 | b'7' if size > self.limits.max_kept_bytes && size <= self.limits.max_file_bytes => {
                self.skip(size)?;
                Ok(Item::Skipped { path, size })
            }
            b'0' | 0 | b'7' => {
                let data = self.body(size, self.limits.max_file_bytes, || format!("file {path} ({size} bytes)"))?;
                Ok(Item::File { data, path })
            }
            b'5' => {
                self.body(size, 1 << 20, || format!("directory entry {path} ({size} bytes)"))?;
                Ok(Item::Dir { path })
            }
            b'1' | b'2' => {
                let target = if flag == b'2' { resolve_relative(&path, &link) } else { safe_path(&link) };
                let target = target.ok_or(TgzError::UnsafePath { name: link })?;
                Ok(Item::Link { path, target })
            }
            _ => {
                // FIFOs, devices, sparse files...: skipped, listed as directories would mislead.
                self.body(size, self.limits.max_file_bytes, || format!("entry {path} ({size} bytes)"))?;
                Ok(Item::Dir { path })
            }
        }
    }
}

struct Header {
    typeflag: u8,
    name: String,
    link: String,
    size: u64,
}

/// Parses one 512-byte header with the `tar` crate, checking the checksum first.
fn parse_header(block: &[u8; 512], at: u64) -> Result<Header, TgzError> {
    let h = tar::Header::from_byte_slice(block);
    let stored = h.cksum().map_err(|e| TgzError::BadHeader { at, detail: format!("unreadable checksum ({e})") })?;
    let computed: u32 =
        block.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u32::from(b) }).sum();
    if stored != computed {
        return Err(TgzError::BadHeader {
            at,
            detail: format!("checksum {stored} does not match the header's bytes ({computed})"),
        });
    }
    let size = h.entry_size().map_err(|e| TgzError::BadHeader { at, detail: format!("unreadable size ({e})") })?;
    let name = String::from_utf8_lossy(&h.path_bytes()).into_owned();
    let link = h.link_name_bytes().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    Ok(Header { typeflag: block[156], name, link, size })
}

fn apply_pax(data: &[u8], pending: &mut Pending) {
    for ext in tar::PaxExtensions::new(data).flatten() {
        let value = || String::from_utf8_lossy(ext.value_bytes()).into_owned();
        match ext.key() {
            Ok("path") => pending.path = Some(value()),
            Ok("linkpath") => pending.link = Some(value()),
            Ok("size") => pending.size = value().trim().parse().ok(),
            _ => {}
        }
    }
}

fn c_string(data: &[u8]) -> String {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    String::from_utf8_lossy(&data[..end]).into_owned()
}

/// Normalises a member name to a relative path inside the archive, or `None` if it would
/// leave it (absolute, or more `..` than folders).
pub fn safe_path(name: &str) -> Option<String> {
    if name.starts_with('/') || name.contains('\\') || name.contains('\0') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Resolves a symlink target relative to the link's folder.
fn resolve_relative(link_path: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let dir = link_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    safe_path(&if dir.is_empty() { target.to_string() } else { format!("{dir}/{target}") })
}

#[cfg(test)]
mod tests;
