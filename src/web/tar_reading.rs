//! A tar whose headers the worker walks with asynchronous Blob reads: the core's
//! [`TarWalk`] says which bytes it needs, the worker reads them and hands them in. Each read
//! costs about a millisecond whatever its size, mostly waiting, so the worker walks every
//! dropped tar at once; the finished walk goes to `Session::add_file`.

use crate::tar_index::{IndexOptions, TarError, TarIndex, TarWalk};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct TarReading {
    walk: TarWalk,
}

#[wasm_bindgen]
impl TarReading {
    /// A walk over a tar of `size` bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(size: f64) -> TarReading {
        TarReading { walk: TarWalk::new(size as u64, &IndexOptions::default()) }
    }

    /// The next read as `[offset, length]`, or `undefined` once the walk is over.
    pub fn next_read(&mut self) -> Option<Box<[f64]>> {
        self.walk.next_read().map(|r| Box::from([r.offset as f64, r.len as f64]))
    }

    /// The bytes of the last read, which started at `offset`.
    pub fn supply(&mut self, offset: f64, bytes: Vec<u8>) {
        self.walk.supply(offset as u64, bytes);
    }

    /// The last read, at `offset`, failed (or the user cancelled): the walk ends there.
    pub fn fail(&mut self, offset: f64, message: &str) {
        self.walk.fail(offset as u64, message);
    }

    /// How far into the file the walk is, in bytes (for progress).
    pub fn position(&self) -> f64 {
        self.walk.position() as f64
    }
}

impl TarReading {
    pub(crate) fn finish(self) -> Result<TarIndex, TarError> {
        self.walk.finish()
    }
}
