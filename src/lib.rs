//! almapkg core: everything that understands ALMA packages, with no web types.
//!
//! - [`source`]: random-access byte sources (`read_at`), the only way bytes come in.
//! - [`tar_index`]: the index of a tar built from its headers alone.
//! - [`naming`] and [`package`]: what each file is, by the ALMA naming conventions.
//! - [`fits`], [`plane`] and [`render`]: FITS headers, planes, scaling and colour maps.
//! - [`text`]: parsers for the text files of a delivery (cont.dat, casa_commands.log).
//!
//! The core never panics on input: every parser returns errors as values, because a panic
//! in WebAssembly kills the module and the user's session with it.

pub mod fits;
pub mod naming;
pub mod package;
pub mod plane;
pub mod render;
pub mod source;
pub mod tar_index;
pub mod text;
pub mod tgz;

#[cfg(not(target_arch = "wasm32"))]
pub mod generator;

#[cfg(target_arch = "wasm32")]
mod web;
