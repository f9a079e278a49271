//! Parsers for the text files of a delivery.
//!
//! - [`cont_dat`]: the continuum frequency ranges (`cont.dat`, three format versions).
//! - [`casa_commands`]: the CASA commands the pipeline ran (`*.casa_commands.log`), with the
//!   link from a product file to the `tclean` call that made it.

pub mod casa_commands;
pub mod cont_dat;

use std::fmt;

/// Why a text file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// What was being parsed (e.g. `cont.dat`).
    pub file_kind: &'static str,
    /// 1-based line number, or 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file_kind, self.message)
        } else {
            write!(f, "{} line {}: {}", self.file_kind, self.line, self.message)
        }
    }
}

impl std::error::Error for TextError {}
