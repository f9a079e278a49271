//! The wasm-bindgen face of the core, used only by `www/worker.js`.
//!
//! The worker owns the dropped `File`s and hands us a synchronous `read(id, offset, len)`
//! (FileReaderSync over `Blob.slice`), so every core reader runs unchanged on a [`JsFile`].
//! Where the browser reads faster asynchronously (a whole plane, a long spectrum) the worker
//! reads and pushes the bytes in ([`TarReading`], [`planes::PlaneLoad`],
//! `spectrum_reads`/`decode_pixels`).
//! Results go back as plain JS objects (through JSON text); pixel buffers as typed arrays.

mod image;
mod kept;
mod nested;
mod planes;
mod tar_reading;
mod warm;

use crate::fits::coords;
use crate::package::FileRef;
use crate::source::{check_range, ReadAt, SourceError};
use crate::tar_index::{index_tar, CompactIndex, IndexOptions, TarEntry};
use kept::{compact_to_js, package_view, Entries};
use serde::Serialize;
pub use tar_reading::TarReading;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The largest single `Blob.slice` read.
const READ_SLICE: usize = 8 << 20;

/// One dropped file, read through the worker's callback.
#[derive(Clone)]
pub(crate) struct JsFile {
    read: js_sys::Function,
    id: u32,
    len: u64,
}

impl ReadAt for JsFile {
    fn len(&self) -> u64 {
        self.len
    }

    /// Large reads go in 8 MiB slices copied straight into one buffer: the browser reads a
    /// 64 MiB plane that way in ~160 ms, against ~250 ms as a single slice.
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, SourceError> {
        check_range(offset, len, self.len)?;
        let size = usize::try_from(len).map_err(|_| SourceError::Io(format!("a read of {len} bytes is too large")))?;
        let mut out = vec![0u8; size];
        for (i, chunk) in out.chunks_mut(READ_SLICE).enumerate() {
            let at = offset + (i * READ_SLICE) as u64;
            let args = (JsValue::from(self.id), JsValue::from(at as f64), JsValue::from(chunk.len() as f64));
            let value =
                self.read.call3(&JsValue::NULL, &args.0, &args.1, &args.2).map_err(|e| SourceError::Io(js_text(&e)))?;
            let bytes: js_sys::Uint8Array =
                value.dyn_into().map_err(|_| SourceError::Io("the reader returned no bytes".into()))?;
            if bytes.length() as usize != chunk.len() {
                return Err(SourceError::Io(format!(
                    "short read: {} of {} bytes at offset {at} (was the file changed?)",
                    bytes.length(),
                    chunk.len()
                )));
            }
            bytes.copy_to(chunk);
        }
        Ok(out)
    }
}

/// The text of a thrown JS value (an Error's message, or the value itself).
fn js_text(v: &JsValue) -> String {
    v.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| v.as_string())
        .unwrap_or_else(|| format!("{v:?}"))
}

/// Converts to a plain JS object (maps as objects, 64-bit integers as Numbers).
///
/// Through a JSON string and the browser's own `JSON.parse`: for large results (the package
/// model of thousands of files, a tar's entries) that is several times faster than building
/// the objects one property at a time across the wasm boundary. NaN becomes null.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("could not pass a result to the page"))
}

/// `value` as JSON text in a JS string.
pub(crate) fn json_text<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    serde_json::to_string(value).map(JsValue::from).map_err(|e| JsError::new(&e.to_string()))
}

pub(crate) struct Container {
    pub(crate) file: JsFile,
    name: String,
    /// A tar's entries (None for a loose file).
    entries: Option<Entries>,
}

/// What the worker learns about a dropped file; its entries go along as `columns`, the
/// compact index of `kept.rs` (a loose file as a one-entry index).
#[derive(Serialize)]
struct Opened {
    kind: &'static str,
    size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped: Option<String>,
}

/// Everything the worker has open: the dropped files, their indexes, the image on show.
#[wasm_bindgen]
pub struct Session {
    read: js_sys::Function,
    containers: Vec<Container>,
    image: Option<image::ImageState>,
    /// Images opened so far: each gets the next number, so late reads for a closed image
    /// are recognised and dropped.
    images_opened: u32,
    nested: Option<nested::NestedStream>,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new(read: js_sys::Function) -> Session {
        Session { read, containers: Vec::new(), image: None, images_opened: 0, nested: None }
    }

    /// Adds a dropped file. Tars are indexed from their headers — by `reading`, the walk the
    /// worker made with asynchronous reads, or else here with synchronous ones — unless
    /// `known` holds the entries of this very file from an earlier visit (same name, size and
    /// modification time): then nothing is read. Anything else is one loose file.
    pub fn add_file(
        &mut self,
        id: u32,
        name: String,
        size: f64,
        known: JsValue,
        reading: Option<TarReading>,
    ) -> Result<JsValue, JsError> {
        let file = JsFile { read: self.read.clone(), id, len: size as u64 };
        let is_tar = name.to_ascii_lowercase().ends_with(".tar");
        let (entries, opened, columns) = if is_tar && kept::is_kept_index(&known) {
            // A kept index goes back to the page as it came.
            (Some(Entries::Kept(known.clone())), Opened { kind: "tar", size: file.len, stopped: None }, known)
        } else if is_tar {
            let index = match reading {
                Some(reading) => reading.finish(),
                None => index_tar(&file, &IndexOptions::default()),
            };
            let index = index.map_err(|e| JsError::new(&e.to_string()))?;
            let columns = compact_to_js(&CompactIndex::new(&index.entries))?;
            let stopped = index.stopped.as_ref().map(|e| e.to_string());
            (Some(Entries::Read(index.entries)), Opened { kind: "tar", size: file.len, stopped }, columns)
        } else {
            let columns = compact_to_js(&CompactIndex::new(&[TarEntry::loose(&name, file.len)]))?;
            (None, Opened { kind: "file", size: file.len, stopped: None }, columns)
        };
        self.containers.push(Container { file, name, entries });
        let out = to_js(&opened)?;
        js_sys::Reflect::set(&out, &JsValue::from_str("columns"), &columns)
            .map_err(|_| JsError::new("could not pass the entries to the page"))?;
        Ok(out)
    }

    /// Forgets every file (the package was closed).
    pub fn clear(&mut self) {
        self.containers.clear();
        self.image = None;
        self.nested = None;
    }

    /// The package model of everything open, as `{ head, products }` JSON texts (see
    /// `kept::package_view`; for the page, and to keep with the index): member OUSs,
    /// products, every file classified, with plain-language explanations of each token and
    /// kind that occurs.
    pub fn package(&self) -> Result<JsValue, JsError> {
        let mut files = Vec::new();
        for (ci, c) in self.containers.iter().enumerate() {
            match &c.entries {
                Some(entries) => files.extend(entries.files(ci)?),
                None => files.push(FileRef { path: c.name.clone(), size: c.file.len, container: ci, entry: 0 }),
            }
        }
        let names: Vec<String> = self.containers.iter().map(|c| c.name.clone()).collect();
        package_view(&files, &names)
    }

    fn container(&self, id: u32) -> Result<&Container, JsError> {
        self.containers
            .iter()
            .find(|c| c.file.id == id)
            .ok_or_else(|| JsError::new(&format!("no open file with id {id}")))
    }

    /// Opens a FITS image (plain or .fits.gz) in a container: its headers only, so the
    /// worker can start reading the first plane before `image_meta` describes the image.
    pub fn open_image(&mut self, container: u32, offset: f64, size: f64, name: String) -> Result<(), JsError> {
        let serial = self.images_opened.wrapping_add(1);
        self.images_opened = serial;
        // The image shown before is closed even if this one fails to open: a request for a
        // plane sent along with the open then fails too, instead of showing the old image.
        self.image = None;
        let c = self.container(container)?;
        let state = image::ImageState::open(&c.file, offset as u64, size as u64, &name, serial)
            .map_err(|e| JsError::new(&e))?;
        self.image = Some(state);
        Ok(())
    }

    /// What the viewer shows of the open image: shape, units, WCS, beams, header.
    pub fn image_meta(&mut self) -> Result<JsValue, JsError> {
        let (c, image) = self.image_parts()?;
        image.meta(&c.file)
    }

    fn image_parts(&mut self) -> Result<(&Container, &mut image::ImageState), JsError> {
        let image = self.image.as_mut().ok_or_else(|| JsError::new("no image is open"))?;
        let c = self
            .containers
            .iter()
            .find(|c| c.file.id == image.container)
            .ok_or_else(|| JsError::new("the image's file was closed"))?;
        Ok((c, image))
    }

    /// Reads and decodes one plane (only its bytes); returns its size and statistics.
    pub fn load_plane(&mut self, channel: f64, stokes: f64) -> Result<JsValue, JsError> {
        let (c, image) = self.image_parts()?;
        image.load_plane(&c.file, channel as u64, stokes as u64).map_err(|e| JsError::new(&e))
    }

    /// A plane for the worker to read itself (several `Blob` slices in flight, each pushed
    /// into the returned load, then handed to `plane_keep`), or undefined when the plane is
    /// in memory already or is read by `load_plane` itself (gzip, strided preview).
    pub fn plane_start(&mut self, channel: f64, stokes: f64) -> Result<Option<planes::PlaneLoad>, JsError> {
        let (_, image) = self.image_parts()?;
        image.plane_load((channel as u64, stokes as u64)).map_err(|e| JsError::new(&e))
    }

    /// Keeps a plane read by the worker (read ahead, or about to be shown by `load_plane`).
    pub fn plane_keep(&mut self, load: planes::PlaneLoad) -> Result<(), JsError> {
        let (_, image) = self.image_parts()?;
        image.keep(load).map_err(|e| JsError::new(&e))
    }

    /// Renders the loaded plane to RGBA with the given display settings, with about as many
    /// pixels as a box of `box_width` × `box_height` device pixels (a strided view of larger
    /// planes).
    pub fn render(&mut self, settings: JsValue, box_width: f64, box_height: f64) -> Result<JsValue, JsError> {
        let (_, image) = self.image_parts()?;
        image.render(settings, box_width, box_height)
    }

    /// The colour bar for the given settings, `width` pixels wide.
    pub fn colorbar(&mut self, settings: JsValue, width: u32) -> Result<js_sys::Uint8Array, JsError> {
        let (_, image) = self.image_parts()?;
        image.colorbar(settings, width)
    }

    /// The value at FITS pixel (x, y) of the open cube in channels `from` to `from + count`
    /// (the worker asks in parts, so the plot fills in while a long spectrum is read).
    pub fn spectrum(&mut self, x: f64, y: f64, from: f64, count: f64) -> Result<js_sys::Float32Array, JsError> {
        let (c, image) = self.image_parts()?;
        let values =
            image.spectrum(&c.file, x as u64, y as u64, from as u64, count as u64).map_err(|e| JsError::new(&e))?;
        Ok(js_sys::Float32Array::from(&values[..]))
    }

    /// For a spectrum whose channels each need a read: `{offsets, len}`, where the pixels of
    /// channels `from` to `from + count` at (x, y) lie in the image's file, for the worker's
    /// pool of readers; undefined when `spectrum` itself does better (small planes, gzip).
    pub fn spectrum_reads(&mut self, x: f64, y: f64, from: f64, count: f64) -> Result<JsValue, JsError> {
        let (_, image) = self.image_parts()?;
        let offsets =
            image.spectrum_offsets(x as u64, y as u64, from as u64, count as u64).map_err(|e| JsError::new(&e))?;
        match offsets {
            None => Ok(JsValue::UNDEFINED),
            Some(offsets) => to_js(&SpectrumReads { offsets, len: image.pixel_bytes() }),
        }
    }

    /// The values of pixels fetched as `spectrum_reads` said (their bytes end to end).
    pub fn decode_pixels(&mut self, bytes: &[u8]) -> Result<js_sys::Float32Array, JsError> {
        let (_, image) = self.image_parts()?;
        Ok(js_sys::Float32Array::from(&image.decode_pixels(bytes)[..]))
    }

    /// Starts the moment maps of the open cube (see `fits::moments`); returns its channels.
    pub fn moments_start(&mut self) -> Result<f64, JsError> {
        let (_, image) = self.image_parts()?;
        image.moments_start().map(|n| n as f64).map_err(|e| JsError::new(&e))
    }

    /// A read of `channel` for the moment maps, for the worker to do (see `plane_start`).
    pub fn moments_load(&mut self, channel: f64) -> Result<planes::PlaneLoad, JsError> {
        let (_, image) = self.image_parts()?;
        image.moments_load(channel as u64).map_err(|e| JsError::new(&e))
    }

    /// Adds the next channel, once read; returns `[done, total]`.
    pub fn moments_add(&mut self, load: planes::PlaneLoad) -> Result<Vec<f64>, JsError> {
        let (_, image) = self.image_parts()?;
        let (done, total) = image.moments_add(load).map_err(|e| JsError::new(&e))?;
        Ok(vec![done as f64, total as f64])
    }

    /// Shows a finished map (`moment0` or `peak`) as the plane on display.
    pub fn moments_show(&mut self, kind: &str) -> Result<JsValue, JsError> {
        let (_, image) = self.image_parts()?;
        image.moments_show(kind).map_err(|e| JsError::new(&e))
    }

    /// Starts inflating a nested .tgz entry (weblog, auxproducts...); batches come from `tgz_next`.
    /// `limits` may be undefined or a partial `tgz::Limits` object.
    pub fn tgz_open(&mut self, container: u32, offset: f64, size: f64, limits: JsValue) -> Result<(), JsError> {
        let file = self.container(container)?.file.clone();
        let source = nested::EntrySource { inner: file, start: offset as u64, len: size as u64 };
        let limits: crate::tgz::Limits = if limits.is_undefined() || limits.is_null() {
            crate::tgz::Limits::default()
        } else {
            serde_wasm_bindgen::from_value(limits).map_err(|e| JsError::new(&format!("bad weblog limits: {e}")))?
        };
        self.nested = Some(nested::NestedStream::new(source, limits));
        Ok(())
    }

    /// Hands in a window of the compressed entry read ahead by the worker (`bytes` at
    /// `offset` in the entry, aligned as the stream reads).
    pub fn tgz_feed(&mut self, offset: f64, bytes: Vec<u8>) -> Result<(), JsError> {
        let stream = self.nested.as_mut().ok_or_else(|| JsError::new("no .tgz is being read"))?;
        stream.feed(offset as u64, bytes);
        Ok(())
    }

    /// The next batch of about `max_bytes` of inflated files.
    pub fn tgz_next(&mut self, max_bytes: f64) -> Result<JsValue, JsError> {
        let stream = self.nested.as_mut().ok_or_else(|| JsError::new("no .tgz is being read"))?;
        let batch = stream.next(max_bytes as u64);
        if batch.is_err() {
            self.nested = None;
        }
        batch
    }

    /// The readout at 0-based FITS pixel (x, y) of the loaded plane.
    pub fn pixel(&mut self, x: f64, y: f64) -> Result<JsValue, JsError> {
        let (_, image) = self.image_parts()?;
        image.pixel(x, y)
    }
}

#[derive(Serialize)]
struct SpectrumReads {
    offsets: Vec<u64>,
    len: u64,
}

/// The `tclean` call of casa_commands.log that made the product `file_name`, or null.
#[wasm_bindgen]
pub fn tclean_for_image(casa_commands: &str, file_name: &str) -> Result<JsValue, JsError> {
    to_js(&crate::text::casa_commands::parse(casa_commands).tclean_for_image(file_name))
}

/// Parses a text file of the delivery: `kind` is `cont_dat` or `casa_commands`.
#[wasm_bindgen]
pub fn parse_text(kind: &str, text: &str) -> Result<JsValue, JsError> {
    match kind {
        "cont_dat" => to_js(&crate::text::cont_dat::parse(text).map_err(|e| JsError::new(&e.to_string()))?),
        "casa_commands" => to_js(&crate::text::casa_commands::parse(text)),
        other => Err(JsError::new(&format!("no parser for {other}"))),
    }
}
