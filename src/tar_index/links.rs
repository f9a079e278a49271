//! Looking entries up by path, following symbolic and hard links inside the archive, and
//! judging whether a stored path is safe to write to disk.

use super::{EntryType, TarEntry, TarIndex};

/// Links followed before giving up: a loop (`a -> b -> a`) must end, not hang the page.
const MAX_LINK_HOPS: usize = 40;

/// Lexical normalisation shared by indexing and lookups: no leading `./`, no trailing `/`.
/// The root directory entry `./` becomes `.`.
pub fn normalise_path(path: &str) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/');
    }
    let trimmed = p.trim_end_matches('/');
    match (trimmed.is_empty(), p.is_empty()) {
        (false, _) => trimmed.to_string(),
        (true, true) => ".".to_string(),
        (true, false) => "/".to_string(),
    }
}

/// True when `path` can be written under an output directory without escaping it: relative,
/// no `..` component, no NUL, no backslash (a separator on Windows), not empty.
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains(['\0', '\\'])
        && !path.split('/').any(|c| c == "..")
        && path.get(1..2) != Some(":")
}

impl TarIndex {
    /// The entry stored at `path` (normalised like the index). When a tar holds the same
    /// path twice, the later one wins, as when extracting.
    pub fn find(&self, path: &str) -> Option<&TarEntry> {
        let path = normalise_path(path);
        self.entries.iter().rev().find(|e| e.path == path)
    }

    /// The path `path` designates once every symbolic or hard link met along it (in any
    /// component) is followed. Symlink targets are relative to the link's directory, hard-link
    /// targets to the archive root. `None` for a loop or an absolute symlink target, which
    /// points outside the archive.
    pub fn resolve_path(&self, path: &str) -> Option<String> {
        let mut pending: Vec<String> = components(path).rev().collect();
        let mut done: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            match part.as_str() {
                "." => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => done.push(part),
            }
            let Some(entry) = self.find(&done.join("/")) else {
                continue;
            };
            let Some(target) = entry.link.as_deref().filter(|_| is_link(entry)) else {
                continue;
            };
            hops += 1;
            if hops > MAX_LINK_HOPS || (entry.kind == EntryType::Symlink && target.starts_with('/')) {
                return None;
            }
            match entry.kind {
                EntryType::Symlink => {
                    done.pop();
                }
                _ => done.clear(),
            }
            pending.extend(components(target).rev());
        }
        Some(if done.is_empty() { ".".to_string() } else { done.join("/") })
    }

    /// The entry `path` finally designates, following links (see [`TarIndex::resolve_path`]).
    pub fn resolve_link(&self, path: &str) -> Option<&TarEntry> {
        self.find(&self.resolve_path(path)?)
    }
}

fn is_link(entry: &TarEntry) -> bool {
    matches!(entry.kind, EntryType::Symlink | EntryType::Hardlink)
}

fn components(path: &str) -> impl DoubleEndedIterator<Item = String> + '_ {
    path.split('/').filter(|c| !c.is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: EntryType, link: Option<&str>) -> TarEntry {
        TarEntry {
            path: path.into(),
            kind,
            size: 0,
            offset: 0,
            header_offset: 0,
            link: link.map(str::to_string),
            mtime: 0,
        }
    }

    fn index(entries: Vec<TarEntry>) -> TarIndex {
        TarIndex { entries, stopped: None, reads: 0 }
    }

    #[test]
    fn normalises_dot_slash_and_trailing_slash() {
        assert_eq!(normalise_path("./a/b/"), "a/b");
        assert_eq!(normalise_path("././a"), "a");
        assert_eq!(normalise_path("./"), ".");
        assert_eq!(normalise_path("/"), "/");
        assert_eq!(normalise_path("/abs/x"), "/abs/x");
    }

    #[test]
    fn safe_paths() {
        assert!(is_safe_path("a/b.fits"));
        assert!(is_safe_path("a..b/c"));
        for bad in ["", "/etc/passwd", "a/../../x", "..", "c:/x", "a\\..\\b", "a\0b"] {
            assert!(!is_safe_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn follows_relative_symlinks_hard_links_and_directory_links() {
        let idx = index(vec![
            entry("w/t1-1.html", EntryType::File, None),
            entry("w/index.html", EntryType::Symlink, Some("t1-1.html")),
            entry("w/up.html", EntryType::Symlink, Some("../w/./index.html")),
            entry("copy.html", EntryType::Hardlink, Some("./w/t1-1.html")),
            entry("alias", EntryType::Symlink, Some("w")),
        ]);
        for p in ["w/index.html", "w/up.html", "copy.html", "alias/index.html", "./w/t1-1.html"] {
            assert_eq!(idx.resolve_link(p).map(|e| e.path.as_str()), Some("w/t1-1.html"), "{p}");
        }
        assert!(idx.resolve_link("w/missing").is_none());
    }

    #[test]
    fn link_loops_and_absolute_targets_end() {
        let idx = index(vec![
            entry("a", EntryType::Symlink, Some("b")),
            entry("b", EntryType::Symlink, Some("a")),
            entry("abs", EntryType::Symlink, Some("/etc/passwd")),
        ]);
        assert!(idx.resolve_link("a").is_none());
        assert!(idx.resolve_link("abs").is_none());
    }

    #[test]
    fn later_duplicate_wins() {
        let mut second = entry("x", EntryType::File, None);
        second.offset = 99;
        let idx = index(vec![entry("x", EntryType::File, None), second]);
        assert_eq!(idx.find("./x").map(|e| e.offset), Some(99));
    }
}
