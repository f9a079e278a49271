//! Inflating a nested `.tgz` (the weblog, auxproducts...) in batches for the worker, which stores
//! each batch in Cache Storage before asking for the next: memory stays bounded and the
//! page stays responsive (the worker yields between batches, so Cancel gets through).

use super::JsFile;
use crate::source::{SourceReader, SubSource};
use crate::tgz::{Item, Limits, TgzStream};
use wasm_bindgen::prelude::*;

/// An entry of a dropped file, owned, so that a stream over it can outlive one call.
pub(crate) type EntrySource = SubSource<JsFile>;

/// Reads of the compressed weblog are made in 4 MiB windows: one `Blob.slice` per window.
const WINDOW: u64 = 4 << 20;

pub(crate) struct NestedStream {
    stream: TgzStream<SourceReader<EntrySource>>,
    total: u64,
}

impl NestedStream {
    pub(crate) fn new(source: EntrySource, limits: Limits) -> Self {
        let total = source.len;
        NestedStream { stream: TgzStream::new(SourceReader::new(source, WINDOW), limits), total }
    }

    /// The next batch as `{items: [{path, offset, length} | {path, size} | {path, target}],
    /// pack, done, read, total}`: the files' bytes end to end in one `pack` (one copy into
    /// JS for the whole batch, and what the weblog stores as one entry), each file at
    /// `offset`, `length` bytes long; skipped files by their size; links by their target.
    pub(crate) fn next(&mut self, max_bytes: u64) -> Result<JsValue, JsError> {
        let items = self.stream.next_batch(max_bytes).map_err(|e| JsError::new(&e.to_string()))?;
        let list = js_sys::Array::new();
        let mut pack: Vec<u8> = Vec::new();
        for item in items {
            let obj = js_sys::Object::new();
            let path = match item {
                Item::File { path, data } => {
                    set(&obj, "offset", &(pack.len() as f64).into())?;
                    set(&obj, "length", &(data.len() as f64).into())?;
                    pack.extend_from_slice(&data);
                    path
                }
                Item::Skipped { path, size } => {
                    set(&obj, "size", &(size as f64).into())?;
                    path
                }
                Item::Link { path, target } => {
                    set(&obj, "target", &target.into())?;
                    path
                }
                Item::Dir { .. } => continue,
            };
            set(&obj, "path", &path.into())?;
            list.push(&obj);
        }
        let out = js_sys::Object::new();
        set(&out, "items", &list)?;
        set(&out, "pack", &js_sys::Uint8Array::from(&pack[..]).into())?;
        set(&out, "done", &self.stream.is_done().into())?;
        set(&out, "read", &(self.stream.compressed_read() as f64).into())?;
        set(&out, "total", &(self.total as f64).into())?;
        Ok(out.into())
    }
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| JsError::new("could not build a result"))
}
