//! Inflating a nested `.tgz` (the weblog, auxproducts...) in batches for the worker, which stores
//! each batch in Cache Storage before asking for the next: memory stays bounded and the
//! page stays responsive (the worker yields between batches, so Cancel gets through).
//!
//! The compressed bytes are read in windows of [`WINDOW`] bytes. The worker reads the next
//! windows ahead, asynchronously, while a batch inflates, and hands them in ([`FedSource`]);
//! a window not handed in yet is read synchronously.

use super::JsFile;
use crate::source::{ReadAt, SourceError, SourceReader, SubSource};
use crate::tgz::{Item, Limits, TgzStream};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// An entry of a dropped file, owned, so that a stream over it can outlive one call.
pub(crate) type EntrySource = SubSource<JsFile>;

/// Reads of the compressed archive are made in 4 MiB windows (www/weblog-store.js reads
/// ahead in the same windows).
const WINDOW: u64 = 4 << 20;

/// Windows read ahead by the worker, by offset in the entry, until the inflater needs them.
type Fed = Rc<RefCell<HashMap<u64, Vec<u8>>>>;

/// The compressed entry: windows handed in by the worker first, else a synchronous read.
pub(crate) struct FedSource {
    inner: EntrySource,
    fed: Fed,
}

impl ReadAt for FedSource {
    fn len(&self) -> u64 {
        self.inner.len
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        match self.fed.borrow_mut().remove(&offset) {
            Some(bytes) if bytes.len() as u64 == len => Ok(bytes),
            _ => self.inner.read_at(offset, len),
        }
    }
}

type Stream = TgzStream<SourceReader<FedSource>>;

pub(crate) struct NestedStream {
    /// Made at the first batch, not at open: making it reads the gzip header, which should
    /// come from a window read ahead. Till then, what it is made of.
    stream: Option<Stream>,
    start: Option<(SourceReader<FedSource>, Limits)>,
    fed: Fed,
    total: u64,
    /// The last batch's files end to end, kept here (and reused) so the batch can be handed
    /// to JS as a view rather than a copy.
    pack: Vec<u8>,
}

impl NestedStream {
    pub(crate) fn new(source: EntrySource, limits: Limits) -> Self {
        let total = source.len;
        let fed = Fed::default();
        let reader = SourceReader::new(FedSource { inner: source, fed: fed.clone() }, WINDOW);
        NestedStream { stream: None, start: Some((reader, limits)), fed, total, pack: Vec::new() }
    }

    /// Takes a window the worker has read ahead: `bytes` at `offset` in the entry.
    pub(crate) fn feed(&mut self, offset: u64, bytes: Vec<u8>) {
        let read = self.stream.as_ref().map_or(0, Stream::compressed_read);
        if offset.is_multiple_of(WINDOW) && offset >= read {
            self.fed.borrow_mut().insert(offset, bytes);
        }
    }

    /// The next batch as `{items: [{path, offset, length} | {path, size} | {path, target}],
    /// pack, done, read, total}`: the files' bytes end to end in one `pack` (what the weblog
    /// stores as one entry), each file at `offset`, `length` bytes long; skipped files by
    /// their size; links by their target.
    ///
    /// `pack` is a *view* of wasm memory, valid only until the next call into wasm: the
    /// worker copies it at once (into a `Blob`, or slices of it), which saves a 16 MiB copy
    /// per batch.
    pub(crate) fn next(&mut self, max_bytes: u64) -> Result<JsValue, JsError> {
        if let Some((reader, limits)) = self.start.take() {
            self.stream = Some(TgzStream::new(reader, limits));
        }
        let stream = self.stream.as_mut().ok_or_else(|| JsError::new("the archive stream failed"))?;
        let items = stream.next_batch(max_bytes).map_err(|e| JsError::new(&e.to_string()))?;
        let list = js_sys::Array::new();
        let pack = &mut self.pack;
        pack.clear();
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
        // SAFETY: the worker copies the view before it calls into wasm again (see above).
        let view = unsafe { js_sys::Uint8Array::view(&self.pack) };
        set(&out, "pack", &view.into())?;
        set(&out, "done", &stream.is_done().into())?;
        set(&out, "read", &(stream.compressed_read() as f64).into())?;
        set(&out, "total", &(self.total as f64).into())?;
        Ok(out.into())
    }
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| JsError::new("could not build a result"))
}
