//! Opening what the user names on the command line: a plain file, or `PACKAGE.tar::PATH`,
//! an entry inside a tar read in place (never extracted).

use almapkg::source::{FileSource, ReadAt};
use std::path::Path;

/// Opens a file, or an entry of a tar written `PACKAGE.tar::PATH`.
pub fn open_input(spec: &str) -> Result<Box<dyn ReadAt>, String> {
    // TODO(tar_index): support PACKAGE.tar::PATH
    FileSource::open(Path::new(spec))
        .map(|s| Box::new(s) as Box<dyn ReadAt>)
        .map_err(|e| e.to_string())
}
