//! The bad-input matrix of issue #7 as data: every damaged or hostile input, with the
//! fragments its message must contain. One list feeds the core tests (tests/bad_input.rs),
//! the CLI tests (tests/cli_bad_input.rs) and, through `make-package --bad-inputs DIR`, the
//! browser tests (tests/e2e/bad-input.test.mjs), so that the three can never drift apart.

pub mod builders;
mod cases;

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use cases::bad_inputs;

/// Which reader an input is meant for, and so how a test presents it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Opened as a package (a `.tar`).
    Tar,
    /// A FITS image, loose or as an entry of a good tar.
    Fits,
    /// A `.fits.gz` image, loose or as an entry of a good tar.
    FitsGz,
    /// A nested archive: the pipeline weblog `qa/*.weblog.tgz` inside a tar.
    Tgz,
}

/// One row of the matrix.
#[derive(Clone, Debug)]
pub struct BadInput {
    /// What is wrong, in a few words ("cut inside a body").
    pub name: &'static str,
    /// The file name it is written and dropped under; its extension fits the layer.
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub layer: Layer,
    /// Fragments every reader's message must contain (what is wrong and where).
    pub expect: &'static [&'static str],
}

/// A broken or non-FITS file of the shared corpus (../shared/corpus, never copied into the
/// repository), with what opening it as FITS must say.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CorpusInput {
    /// Path relative to the corpus directory.
    pub path: &'static str,
    pub layer: Layer,
    pub expect: &'static [&'static str],
}

/// The deliberately broken or non-FITS files listed in ../shared/corpus/README.md.
pub const CORPUS_BAD_INPUTS: &[CorpusInput] = &[
    CorpusInput { path: "fits-quirks/misc/empty2.fits", layer: Layer::Fits, expect: &["the file is empty"] },
    CorpusInput { path: "fits-quirks/sunpy/not_actually_fits.fits", layer: Layer::Fits, expect: &["not a FITS file"] },
    CorpusInput { path: "fits-quirks/sunpy/test_ana.fz", layer: Layer::Fits, expect: &["not a FITS file"] },
    CorpusInput { path: "fits-quirks/astropy/idcompspec.fits", layer: Layer::Fits, expect: &["not a FITS file"] },
    CorpusInput { path: "fits-quirks/astropy/group_invalid.fits", layer: Layer::Fits, expect: &["not supported"] },
];

/// One line of `cases.json`: a generated file (`source: "generated"`, `file` relative to the
/// directory) or a corpus file (`source: "corpus"`, `file` relative to the corpus).
#[derive(Serialize)]
struct CaseLine<'a> {
    name: &'a str,
    file: &'a str,
    layer: Layer,
    expect: &'a [&'a str],
    source: &'static str,
}

/// Writes every generated case's file into `dir` (created if needed) and `dir/cases.json`
/// listing them and the corpus rows; returns the paths written.
pub fn write_bad_inputs(dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let cases = bad_inputs();
    let mut paths = Vec::new();
    for case in &cases {
        let path = dir.join(&case.file_name);
        std::fs::write(&path, &case.bytes)?;
        paths.push(path);
    }
    let generated = cases.iter().map(|c| CaseLine {
        name: c.name,
        file: &c.file_name,
        layer: c.layer,
        expect: c.expect,
        source: "generated",
    });
    let corpus = CORPUS_BAD_INPUTS.iter().map(|c| CaseLine {
        name: c.path,
        file: c.path,
        layer: c.layer,
        expect: c.expect,
        source: "corpus",
    });
    let lines: Vec<CaseLine> = generated.chain(corpus).collect();
    let json = serde_json::to_string_pretty(&lines).map_err(io::Error::other)?;
    let list = dir.join("cases.json");
    std::fs::write(&list, json)?;
    paths.push(list);
    Ok(paths)
}

/// A file name for a case: its name in lower case, words joined by `-`, and the layer's
/// extension.
fn file_name(name: &str, layer: Layer) -> String {
    let slug: String =
        name.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let slug = slug.split('-').filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-");
    let ext = match layer {
        Layer::Tar => "tar",
        Layer::Fits => "fits",
        Layer::FitsGz => "fits.gz",
        Layer::Tgz => "weblog.tgz",
    };
    format!("{slug}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_case_and_the_list() {
        let dir = std::env::temp_dir().join(format!("almapkg-bad-inputs-{}", std::process::id()));
        write_bad_inputs(&dir).unwrap();
        let list: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
        assert_eq!(list.len(), bad_inputs().len() + CORPUS_BAD_INPUTS.len());
        for case in bad_inputs() {
            assert_eq!(std::fs::read(dir.join(&case.file_name)).unwrap(), case.bytes, "{}", case.name);
        }
        assert_eq!(list[0]["layer"], "tar");
        assert!(list.iter().any(|c| c["layer"] == "fits_gz" && c["source"] == "generated"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn file_names_are_slugs_with_the_layer_extension() {
        assert_eq!(file_name("NAXISn product overflows", Layer::Fits), "naxisn-product-overflows.fits");
        assert_eq!(file_name("a -- b", Layer::Tgz), "a-b.weblog.tgz");
    }
}
