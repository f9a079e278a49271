//! Opening what the user names on the command line: a plain file, or `PACKAGE.tar::PATH`,
//! an entry inside a tar read in place (never extracted); and finding an entry in tars.

use almapkg::source::{FileSource, ReadAt, SubSource};
use almapkg::tar_index::{index_tar, EntryType, IndexOptions, TarEntry, TarIndex};
use std::path::Path;

/// A tar file on disk and its index.
pub struct IndexedTar {
    pub name: String,
    pub file: FileSource,
    pub index: TarIndex,
}

/// Opens and indexes a tar. Damage after some entries is left in `index.stopped` for the
/// caller to report; errors read `NAME: what is wrong`.
pub fn open_tar(name: &str) -> Result<IndexedTar, String> {
    let file = FileSource::open(Path::new(name)).map_err(|e| e.to_string())?;
    let index = index_tar(&file, &IndexOptions::default()).map_err(|e| format!("{name}: {e}"))?;
    Ok(IndexedTar { name: name.to_string(), file, index })
}

/// Opens every tar, warning on stderr about damaged ones: their complete entries stay usable.
pub fn open_tars(names: &[String]) -> Result<Vec<IndexedTar>, String> {
    let tars = names.iter().map(|n| open_tar(n)).collect::<Result<Vec<_>, _>>()?;
    for tar in &tars {
        if let Some(problem) = &tar.index.stopped {
            eprintln!("almapkg: warning: {}: {problem} (entries after that point are missing)", tar.name);
        }
    }
    Ok(tars)
}

/// Finds the file `path` designates in `tars`: an exact path (links followed, even into
/// another tar of the package), else a unique base name.
pub fn locate<'a>(tars: &'a [IndexedTar], path: &str) -> Result<(&'a IndexedTar, &'a TarEntry), String> {
    let found = match find_exact(tars, path) {
        Some(found) => found,
        None => {
            if let Some(link) = find_broken_link(tars, path) {
                return Err(format!(
                    "{path} is a link to {link}, which does not lead to a file in the package \
                     (missing target, a loop of links, or a path outside the package)"
                ));
            }
            find_by_basename(tars, path)?
        }
    };
    match found.1.kind {
        EntryType::File => Ok(found),
        EntryType::Dir => Err(format!("{path} is a directory, not a file")),
        EntryType::Symlink | EntryType::Hardlink => {
            Err(format!("{path} is a link to {}, which is not in the package", found.1.link.as_deref().unwrap_or("?")))
        }
        EntryType::Other => Err(format!("{path} is not a regular file (device, FIFO or sparse file)")),
    }
}

/// The target of `path` when it is stored as a link that resolves to nothing.
fn find_broken_link<'a>(tars: &'a [IndexedTar], path: &str) -> Option<&'a str> {
    tars.iter().find_map(|t| t.index.find(path)).and_then(|e| e.link.as_deref())
}

fn find_exact<'a>(tars: &'a [IndexedTar], path: &str) -> Option<(&'a IndexedTar, &'a TarEntry)> {
    tars.iter().find_map(|tar| {
        let resolved = tar.index.resolve_path(path)?;
        std::iter::once(tar).chain(tars).find_map(|t| t.index.find(&resolved).map(|e| (t, e)))
    })
}

fn find_by_basename<'a>(tars: &'a [IndexedTar], name: &str) -> Result<(&'a IndexedTar, &'a TarEntry), String> {
    let names: Vec<&str> = tars.iter().map(|t| t.name.as_str()).collect();
    let not_found = || format!("{name}: no such entry in {}", names.join(", "));
    if name.contains('/') {
        return Err(not_found());
    }
    let matches: Vec<&str> = tars
        .iter()
        .flat_map(|t| &t.index.entries)
        .filter(|e| e.kind != EntryType::Dir && e.path.rsplit('/').next() == Some(name))
        .map(|e| e.path.as_str())
        .collect();
    match matches.as_slice() {
        [] => Err(not_found()),
        [only] => find_exact(tars, only).ok_or_else(not_found),
        many => Err(format!(
            "{name} matches {} entries ({}{}): give the full path",
            many.len(),
            many.iter().take(5).copied().collect::<Vec<_>>().join(", "),
            if many.len() > 5 { ", ..." } else { "" }
        )),
    }
}

/// Opens a file, or an entry of a tar written `PACKAGE.tar::PATH`.
pub fn open_input(spec: &str) -> Result<Box<dyn ReadAt>, String> {
    let Some((tar_name, path)) = split_spec(spec) else {
        return FileSource::open(Path::new(spec)).map(|s| Box::new(s) as Box<dyn ReadAt>).map_err(|e| e.to_string());
    };
    let tars = open_tars(&[tar_name.to_string()])?;
    let (start, len) = locate(&tars, path).map(|(_, e)| (e.offset, e.size))?;
    let file = tars.into_iter().next().map(|t| t.file).ok_or_else(|| format!("{tar_name}: cannot open"))?;
    Ok(Box::new(SubSource { inner: file, start, len }))
}

/// Splits `PACKAGE.tar::PATH` at the first `::` whose left side is an existing file; `None`
/// for a plain path (including one that itself contains `::`).
fn split_spec(spec: &str) -> Option<(&str, &str)> {
    if Path::new(spec).exists() {
        return None;
    }
    spec.match_indices("::")
        .map(|(at, sep)| (&spec[..at], &spec[at + sep.len()..]))
        .find(|(tar, _)| Path::new(tar).is_file())
}

/// Opens a FITS image — a file or a tar entry, plain or `.fits.gz` — and reads one plane.
pub fn open_fits(spec: &str, plane: u64) -> Result<(almapkg::fits::ImageHdu, almapkg::plane::Plane), String> {
    use almapkg::fits;
    let src = open_input(spec)?;
    let src = src.as_ref();
    let read = || -> Result<_, fits::FitsError> {
        if spec.to_ascii_lowercase().ends_with(".gz") {
            let hdu = fits::gz::open_gz_image(src)?;
            let data = fits::gz::read_gz_plane(src, &hdu, plane)?;
            Ok((hdu, data))
        } else {
            let hdu = fits::open_image(src)?;
            let data = hdu.read_plane(src, plane)?;
            Ok((hdu, data))
        }
    };
    read().map_err(|e| format!("{spec}: {e}"))
}
