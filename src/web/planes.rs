//! Planes on their way to the screen: read by the worker ([`PlaneLoad`]) and kept, with
//! what showing them needs, until shown ([`Summarised`]). A plane read by the worker is
//! decoded and summarised slice by slice as its bytes land, so both are done, hidden behind
//! the read, when its last byte arrives.

use crate::fits::{FitsError, PlaneFill};
use crate::plane::{Plane, PlaneKey};
use crate::render::{self, LimitMode, PlaneSummary, SummaryBuilder};
use wasm_bindgen::prelude::*;

/// One plane being read by the worker itself, as several `Blob` slices in flight at once
/// (faster than one synchronous read), each decoded as it lands.
#[wasm_bindgen]
pub struct PlaneLoad {
    pub(crate) serial: u32,
    pub(crate) key: PlaneKey,
    pub(crate) container: u32,
    pub(crate) offset: u64,
    pub(crate) len: u64,
    pub(crate) filling: Filling,
}

#[wasm_bindgen]
impl PlaneLoad {
    /// The file (container id) holding the plane.
    #[wasm_bindgen(getter)]
    pub fn container(&self) -> u32 {
        self.container
    }

    /// Byte offset of the plane in its file.
    #[wasm_bindgen(getter)]
    pub fn offset(&self) -> f64 {
        self.offset as f64
    }

    /// Bytes to read.
    #[wasm_bindgen(getter)]
    pub fn len(&self) -> f64 {
        self.len as f64
    }

    /// Allocates the plane's memory now: call it once the reads are issued, so that growing
    /// wasm memory happens while the browser reads (see `PlaneFill::reserve`).
    pub fn reserve(&mut self) {
        self.filling.fill.reserve();
    }

    /// Decodes and summarises the next bytes of the plane, in file order.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.filling.push(bytes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// A *view* of the plane's own memory where the next `len` bytes can be copied (float32
    /// planes without scaling), then `commit`ted: one copy fewer than `push`. Undefined when
    /// the plane cannot take them so (`push` them instead). The view is valid only until the
    /// next call into wasm: the worker fills it at once.
    pub fn room(&mut self, len: usize) -> Option<js_sys::Uint8Array> {
        let room = self.filling.fill.room(len)?;
        // SAFETY: see above; nothing touches wasm memory between this and the copy.
        Some(unsafe { js_sys::Uint8Array::view_mut_raw(room.as_mut_ptr(), room.len()) })
    }

    /// Decodes and summarises the `len` bytes just copied into `room`.
    pub fn commit(&mut self, len: usize) -> Result<(), JsError> {
        self.filling.commit(len).map_err(|e| JsError::new(&e.to_string()))
    }
}

impl PlaneLoad {
    /// The plane and its summary (if it was made), once every byte has been pushed.
    pub(crate) fn finish(self) -> Result<(PlaneKey, Plane, Option<PlaneSummary>), FitsError> {
        let (plane, summary) = self.filling.finish()?;
        Ok((self.key, plane, summary))
    }
}

/// A plane being decoded, and summarised unless it is only summed (moment maps), as its
/// bytes arrive.
pub(crate) struct Filling {
    fill: PlaneFill,
    summary: Option<SummaryBuilder>,
}

impl Filling {
    pub(crate) fn new(fill: PlaneFill, summarise: bool) -> Self {
        Filling { fill, summary: summarise.then(SummaryBuilder::new) }
    }

    /// Decodes the next bytes, in file order, and summarises the values they held.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Result<(), FitsError> {
        let before = self.fill.decoded().len();
        self.fill.push(bytes)?;
        self.summarise_from(before);
        Ok(())
    }

    /// Decodes in place the next `len` bytes, copied into the fill's room, and summarises them.
    pub(crate) fn commit(&mut self, len: usize) -> Result<(), FitsError> {
        let before = self.fill.decoded().len();
        self.fill.decode_in_place(len)?;
        self.summarise_from(before);
        Ok(())
    }

    /// Adds the values decoded from the `from`-th on to the summary, if one is made.
    fn summarise_from(&mut self, from: usize) {
        if let Some(summary) = &mut self.summary {
            summary.add(self.fill.decoded().get(from..).unwrap_or_default());
        }
    }

    /// The plane and its summary, once every byte has been pushed.
    pub(crate) fn finish(self) -> Result<(Plane, Option<PlaneSummary>), FitsError> {
        let plane = self.fill.finish()?;
        let pixels = (plane.width as u64).saturating_mul(plane.height as u64);
        Ok((plane, self.summary.map(|s| s.finish(pixels))))
    }
}

/// A plane with what showing it needs: its summary (extremes, histogram) and the display
/// limits last computed for it, so re-stretching, or stepping onto a plane read ahead,
/// computes no percentile again.
pub(crate) struct Summarised {
    pub(crate) plane: Plane,
    pub(crate) summary: PlaneSummary,
    limits: Option<(LimitMode, (f64, f64))>,
}

impl Summarised {
    /// `plane` with its summary, made here unless given.
    pub(crate) fn new(plane: Plane, summary: Option<PlaneSummary>) -> Self {
        let summary = summary.unwrap_or_else(|| render::summarize(&plane));
        Summarised { plane, summary, limits: None }
    }

    /// The display limits in `mode`, computed once per mode.
    pub(crate) fn limits(&mut self, mode: LimitMode) -> (f64, f64) {
        match self.limits {
            Some((m, limits)) if m == mode => limits,
            _ => {
                let limits = render::limits(&self.plane, &self.summary, mode);
                self.limits = Some((mode, limits));
                limits
            }
        }
    }

    /// Memory held: the values and the summary's histogram.
    pub(crate) fn bytes(&self) -> u64 {
        (self.plane.data.len() as u64 * 4).saturating_add(render::SUMMARY_BINS as u64 * 8)
    }
}
