//! Planes on their way to the screen: read by the worker ([`PlaneLoad`]) and kept, with
//! what showing them needs, until shown ([`Summarised`]).

use crate::fits::{FitsError, PlaneFill};
use crate::plane::{Plane, PlaneKey};
use crate::render::{self, LimitMode, PlaneSummary};
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
    pub(crate) fill: PlaneFill,
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

    /// Decodes the next bytes of the plane, in file order.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.fill.push(bytes).map_err(|e| JsError::new(&e.to_string()))
    }
}

impl PlaneLoad {
    /// The plane, once every byte has been pushed.
    pub(crate) fn finish(self) -> Result<(PlaneKey, Plane), FitsError> {
        Ok((self.key, self.fill.finish()?))
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
    /// Summarises `plane`, and computes its limits in `mode` (the mode on screen) if given.
    pub(crate) fn new(plane: Plane, mode: Option<LimitMode>) -> Self {
        let summary = render::summarize(&plane);
        let mut out = Summarised { plane, summary, limits: None };
        if let Some(mode) = mode {
            out.limits(mode);
        }
        out
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
