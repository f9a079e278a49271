//! Deterministic tar and gzip writing: fixed mtimes, owners and modes, so the same spec gives
//! the same bytes on every run. Parent directories get their own entries, as `tar`/Python's
//! `tarfile` write them when a whole tree is added.

use std::collections::BTreeSet;
use std::io::{self, Write};

use flate2::{Compression, GzBuilder};
use tar::{Builder, EntryType, Header};

use super::setup::MTIME;

/// A tar being written, remembering which directories already have entries.
pub struct TarWriter<W: Write> {
    builder: Builder<W>,
    dirs: BTreeSet<String>,
}

impl<W: Write> TarWriter<W> {
    pub fn new(out: W) -> Self {
        TarWriter { builder: Builder::new(out), dirs: BTreeSet::new() }
    }

    /// A regular file, after entries for any parent directory not yet written.
    pub fn file(&mut self, path: &str, data: &[u8]) -> io::Result<()> {
        self.parents(path)?;
        let mut h = header(EntryType::Regular, 0o644, data.len() as u64);
        self.builder.append_data(&mut h, path, data)
    }

    /// A symbolic link (the weblog's `index.html` → `t1-1.html`).
    pub fn symlink(&mut self, path: &str, target: &str) -> io::Result<()> {
        self.parents(path)?;
        let mut h = header(EntryType::Symlink, 0o777, 0);
        self.builder.append_link(&mut h, path, target)
    }

    /// A hard link to an earlier member, named by its full path in this tar.
    pub fn hard_link(&mut self, path: &str, target: &str) -> io::Result<()> {
        self.parents(path)?;
        let mut h = header(EntryType::Link, 0o644, 0);
        self.builder.append_link(&mut h, path, target)
    }

    fn parents(&mut self, path: &str) -> io::Result<()> {
        let mut prefix = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            prefix.push_str(part);
            prefix.push('/');
            if self.dirs.insert(prefix.clone()) {
                let mut h = header(EntryType::Directory, 0o755, 0);
                self.builder.append_data(&mut h, &prefix, io::empty())?;
            }
        }
        Ok(())
    }

    /// Writes the two zero blocks that end a tar and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        self.builder.into_inner()
    }
}

fn header(kind: EntryType, mode: u32, size: u64) -> Header {
    let mut h = Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(MTIME);
    h.set_uid(0);
    h.set_gid(0);
    // Names cannot fail for these short ASCII strings; an error would only drop the name.
    let _ = h.set_username("almadata");
    let _ = h.set_groupname("almadata");
    h
}

/// Gzip with a fixed header mtime, so compressed bytes are reproducible.
pub fn gzip(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc = GzBuilder::new().mtime(MTIME as u32).write(Vec::new(), Compression::best());
    enc.write_all(data)?;
    enc.finish()
}

/// A `.tgz` of text files, in order (the nested archives of calibration/).
pub fn tgz(files: &[(String, String)]) -> io::Result<Vec<u8>> {
    let mut tar = TarWriter::new(Vec::new());
    for (path, text) in files {
        tar.file(path, text.as_bytes())?;
    }
    gzip(&tar.finish()?)
}
