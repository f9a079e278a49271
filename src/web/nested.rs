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

    /// The next batch as `{items: [{path, data} | {path, size} | {path, target}], done, read, total}`.
    pub(crate) fn next(&mut self, max_bytes: u64) -> Result<JsValue, JsError> {
        let items = self.stream.next_batch(max_bytes).map_err(|e| JsError::new(&e.to_string()))?;
        let list = js_sys::Array::new();
        for item in items {
            let obj = js_sys::Object::new();
            let (path, value, key) = match item {
                Item::File { path, data } => (path, js_sys::Uint8Array::from(&data[..]).into(), "data"),
                Item::Skipped { path, size } => (path, JsValue::from(size as f64), "size"),
                Item::Link { path, target } => (path, JsValue::from(target), "target"),
                Item::Dir { .. } => continue,
            };
            set(&obj, "path", &path.into())?;
            set(&obj, key, &value)?;
            list.push(&obj);
        }
        let out = js_sys::Object::new();
        set(&out, "items", &list)?;
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
