//! The image on show in the worker: its header, the plane currently loaded and its summary.
//! Holding the plane here is what lets stretch, limits and colormap change without a re-read.

use super::planes::{Filling, PlaneLoad, Summarised};
use super::{to_js, JsFile};
use crate::fits::{
    self, beams,
    coords::{self, Coords},
    moments::Moments,
    ImageHdu,
};
use crate::plane::{Plane, PlaneCache, PlaneKey};
use crate::render::{self, LimitMode, RenderSettings, Stretch};
use crate::source::SubSource;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The most pixels a plane may have to be shown at full resolution: its values, its RGBA
/// and the page's bitmap take ~12 bytes a pixel. Larger planes are shown as a strided
/// preview, with a notice, rather than exhausting memory.
const MAX_DISPLAY_PIXELS: u64 = 8192 * 8192;

/// Decoded planes kept besides the one on show (read ahead, or shown before): 256 MiB of
/// values, e.g. 64 planes of 1024² or 4 of 4096².
const PLANE_CACHE_BYTES: u64 = 256 << 20;

pub(crate) struct ImageState {
    pub(crate) container: u32,
    start: u64,
    len: u64,
    gz: bool,
    /// Which image of the session this is: reads started for an earlier one are dropped.
    serial: u32,
    hdu: ImageHdu,
    coords: Coords,
    plane: Option<Summarised>,
    /// The channel plane on show (None for a moment map or before the first plane).
    shown: Option<PlaneKey>,
    cache: PlaneCache<Summarised>,
    channel: u64,
    stokes: u64,
    /// 1, or the step of the strided preview shown for planes over the memory budget.
    stride: u64,
    moments: Option<Moments>,
    /// The RGBA of the last render, reused so re-stretching allocates nothing.
    rgba: Vec<u8>,
    /// The limits mode of the last render: planes read ahead get their limits in that mode
    /// as they arrive, so showing them computes no percentile.
    last_mode: Option<LimitMode>,
    /// Unit of the plane on show when it is a derived map (moment 0: BUNIT·km/s).
    unit: Option<String>,
}

/// Display settings as the page sends them.
#[derive(Deserialize)]
struct Settings {
    stretch: Stretch,
    limits: String,
    colormap: String,
    invert: bool,
    lo: f64,
    hi: f64,
}

#[derive(Serialize)]
struct Meta {
    shape: Vec<u64>,
    bitpix: i64,
    bunit: Option<String>,
    object: Option<String>,
    beam: Option<beams::Beam>,
    /// Per-channel beams from a BEAMS table (CASAMBM cubes), when there is one.
    beams: Option<Vec<beams::Beam>>,
    stokes_names: Vec<String>,
    pixel_arcsec: Option<f64>,
    frame: String,
    specsys: Option<String>,
    channels: u64,
    stokes_count: u64,
    spectral: Vec<SpectralChannel>,
    colormaps: &'static [&'static str],
    stretches: Vec<Stretch>,
    header: serde_json::Value,
}

#[derive(Serialize)]
struct SpectralChannel {
    freq_ghz: Option<f64>,
    vel_kms: Option<f64>,
}

#[derive(Serialize)]
struct PlaneInfo {
    width: usize,
    height: usize,
    /// Pixels of the full plane per pixel shown (1 unless this is a preview).
    stride: u64,
    channel: u64,
    unit: Option<String>,
    min: f64,
    max: f64,
    finite: u64,
    nan: u64,
}

#[derive(Serialize)]
struct PixelInfo {
    x: u64,
    y: u64,
    value: Option<f32>,
    bunit: Option<String>,
    ra: Option<String>,
    dec: Option<String>,
    ra_deg: Option<f64>,
    dec_deg: Option<f64>,
    freq_ghz: Option<f64>,
    vel_kms: Option<f64>,
}

impl ImageState {
    pub(crate) fn open(file: &JsFile, start: u64, len: u64, name: &str, serial: u32) -> Result<ImageState, String> {
        let src = SubSource { inner: file, start, len };
        let gz = name.to_ascii_lowercase().ends_with(".gz");
        let hdu = if gz { fits::gz::open_gz_image(&src) } else { fits::open_image(&src) }.map_err(|e| e.to_string())?;
        let coords = Coords::from_header(&hdu.header);
        let pixels = hdu.width().saturating_mul(hdu.height());
        let stride = if gz { 1 } else { (pixels as f64 / MAX_DISPLAY_PIXELS as f64).sqrt().ceil().max(1.0) as u64 };
        Ok(ImageState {
            container: file.id,
            start,
            len,
            gz,
            serial,
            hdu,
            coords,
            plane: None,
            shown: None,
            cache: PlaneCache::new(PLANE_CACHE_BYTES),
            channel: 0,
            stokes: 0,
            stride,
            moments: None,
            rgba: Vec::new(),
            last_mode: None,
            unit: None,
        })
    }

    /// The Stokes parameter of each plane along the Stokes axis (CRVAL: 1 I, 2 Q, 3 U, 4 V,
    /// -1.. -8 the correlations RR LL RL LR XX YY XY YX).
    fn stokes_names(&self) -> Vec<String> {
        let Some(axis) = self.hdu.stokes_axis() else { return vec!["I".into()] };
        let h = &self.hdu.header;
        let n = axis + 1;
        let (crval, cdelt, crpix) = (
            h.get_f64(&format!("CRVAL{n}")).unwrap_or(1.0),
            h.get_f64(&format!("CDELT{n}")).unwrap_or(1.0),
            h.get_f64(&format!("CRPIX{n}")).unwrap_or(1.0),
        );
        (0..self.hdu.stokes_count())
            .map(|i| {
                let code = (crval + (i as f64 + 1.0 - crpix) * cdelt).round() as i64;
                let names = ["YX", "XY", "YY", "XX", "LR", "RL", "LL", "RR", "", "I", "Q", "U", "V"];
                usize::try_from(code + 8)
                    .ok()
                    .and_then(|k| names.get(k))
                    .filter(|s| !s.is_empty())
                    .map_or(format!("{code}"), |s| s.to_string())
            })
            .collect()
    }

    pub(crate) fn meta(&self, file: &JsFile) -> Result<JsValue, JsError> {
        let h = &self.hdu.header;
        let channels = self.hdu.channels();
        let spectral = (0..channels.min(100_000))
            .map(|c| SpectralChannel {
                freq_ghz: self.coords.channel_frequency_hz(c as f64).map(|f| f / 1e9),
                vel_kms: self.coords.channel_velocity_kms(c as f64),
            })
            .collect();
        to_js(&Meta {
            shape: self.hdu.shape.clone(),
            bitpix: self.hdu.bitpix.value(),
            bunit: self.coords.bunit(),
            object: h.get_str("OBJECT"),
            beam: beams::header_beam(h),
            beams: if self.gz {
                None
            } else {
                beams::read_beams_table(&SubSource { inner: file, start: self.start, len: self.len }, &self.hdu)
                    .ok()
                    .flatten()
            },
            stokes_names: self.stokes_names(),
            pixel_arcsec: h.get_f64("CDELT2").map(|d| d.abs() * 3600.0),
            frame: self.coords.frame(),
            specsys: self.coords.specsys(),
            channels,
            stokes_count: self.hdu.stokes_count(),
            spectral,
            colormaps: render::colormap_names(),
            stretches: Stretch::ALL.to_vec(),
            header: fits::header_json(h),
        })
    }

    /// Shows plane (`channel`, `stokes`): from memory when it was read ahead or shown
    /// before, else read here (one synchronous read, or the inflating reader of .fits.gz).
    pub(crate) fn load_plane(&mut self, file: &JsFile, channel: u64, stokes: u64) -> Result<JsValue, String> {
        let key = (channel, stokes);
        let shown = match self.cache.take(key) {
            Some(kept) => kept,
            None => Summarised::new(self.read_plane(file, key)?, None),
        };
        self.channel = channel;
        self.stokes = stokes;
        self.unit = self.coords.bunit();
        self.show(shown, Some(key))
    }

    fn read_plane(&self, file: &JsFile, (channel, stokes): PlaneKey) -> Result<Plane, String> {
        let src = SubSource { inner: file, start: self.start, len: self.len };
        let index = self.hdu.plane_index(channel, stokes).map_err(|e| e.to_string())?;
        if self.gz {
            fits::gz::read_gz_plane(&src, &self.hdu, index)
        } else if self.stride > 1 {
            self.hdu.read_plane_preview(&src, index, self.stride)
        } else {
            self.hdu.read_plane(&src, index)
        }
        .map_err(|e| e.to_string())
    }

    /// A read of plane `key` for the worker to do itself, or None when the plane is in
    /// memory already or must be read here (gzip streams, strided previews).
    pub(crate) fn plane_load(&self, key: PlaneKey) -> Result<Option<PlaneLoad>, String> {
        if self.gz || self.stride > 1 || self.cache.contains(key) {
            return Ok(None);
        }
        self.load_for(key, true).map(Some)
    }

    /// A read of plane `key` for the worker, wherever the plane is; summarised as it is
    /// read if it is to be shown.
    fn load_for(&self, key: PlaneKey, summarise: bool) -> Result<PlaneLoad, String> {
        let index = self.hdu.plane_index(key.0, key.1).map_err(|e| e.to_string())?;
        let (offset, len) = self.hdu.plane_range(index).map_err(|e| e.to_string())?;
        if offset.checked_add(len).is_none_or(|end| end > self.len) {
            return Err(format!("plane {index} lies past the end of the file ({} bytes): is it truncated?", self.len));
        }
        let fill = self.hdu.plane_fill().map_err(|e| e.to_string())?;
        let filling = Filling::new(fill, summarise);
        Ok(PlaneLoad { serial: self.serial, key, container: self.container, offset: self.start + offset, len, filling })
    }

    /// Keeps a plane the worker has read (for this image) until it is shown.
    pub(crate) fn keep(&mut self, load: PlaneLoad) -> Result<(), String> {
        if load.serial != self.serial {
            return Ok(());
        }
        let (key, plane, summary) = load.finish().map_err(|e| e.to_string())?;
        let mut kept = Summarised::new(plane, summary);
        if let Some(mode) = self.last_mode {
            kept.limits(mode);
        }
        self.cache.insert(key, kept.bytes(), kept);
        Ok(())
    }

    /// Makes `plane` the one on show and describes it; the channel plane it replaces is
    /// kept, so stepping back costs nothing.
    fn show(&mut self, shown: Summarised, key: Option<PlaneKey>) -> Result<JsValue, String> {
        let (plane, summary) = (&shown.plane, &shown.summary);
        let info = PlaneInfo {
            width: plane.width,
            height: plane.height,
            stride: self.stride,
            channel: self.channel,
            unit: self.unit.clone(),
            min: summary.min,
            max: summary.max,
            finite: summary.finite,
            nan: summary.nan,
        };
        if let (Some(old), Some(kept)) = (self.shown, self.plane.take()) {
            if self.stride == 1 {
                self.cache.insert(old, kept.bytes(), kept);
            }
        }
        self.plane = Some(shown);
        self.shown = key;
        to_js(&info).map_err(|_| "could not describe the plane".to_string())
    }

    /// Starts moment maps of the current Stokes plane; returns the number of channels. The
    /// worker then reads each channel (`moments_load`) and adds it (`moments_add`).
    pub(crate) fn moments_start(&mut self) -> Result<u64, String> {
        if self.gz {
            return Err("moment maps of gzipped cubes are not available: open the pbcor cube".into());
        }
        if self.stride > 1 {
            return Err("moment maps of planes this large are not available here (memory budget)".into());
        }
        self.moments = Some(Moments::new(&self.hdu, &self.coords, self.stokes).map_err(|e| e.to_string())?);
        Ok(self.hdu.channels())
    }

    /// A read of `channel` of the Stokes plane being integrated.
    pub(crate) fn moments_load(&self, channel: u64) -> Result<PlaneLoad, String> {
        let m = self.moments.as_ref().ok_or("no moment map is being computed")?;
        self.load_for((channel, m.stokes()), false)
    }

    /// Adds the next channel, read by the worker; returns (done, total).
    pub(crate) fn moments_add(&mut self, load: PlaneLoad) -> Result<(u64, u64), String> {
        if load.serial != self.serial {
            return Err("the image was closed while its moment maps were computed".into());
        }
        let (_, plane, _) = load.finish().map_err(|e| e.to_string())?;
        let m = self.moments.as_mut().ok_or("no moment map is being computed")?;
        m.add(&plane).map_err(|e| e.to_string())
    }

    /// Shows the finished map: `moment0` or `peak`.
    pub(crate) fn moments_show(&mut self, kind: &str) -> Result<JsValue, String> {
        let m = self.moments.as_ref().filter(|m| m.is_done()).ok_or("the moment maps are not finished")?;
        let bunit = self.coords.bunit().unwrap_or_default();
        let (plane, unit) = match kind {
            "moment0" if m.has_velocity() => (m.moment0(), format!("{bunit}.km/s")),
            "moment0" => (m.moment0(), format!("{bunit} (sum over channels)")),
            "peak" => (m.peak(), bunit),
            other => return Err(format!("unknown map {other:?}")),
        };
        self.unit = Some(unit);
        self.show(Summarised::new(plane, None), None)
    }

    /// The spectrum at pixel (x, y) of the plane on show, channels `from` to `from + count`.
    pub(crate) fn spectrum(&self, file: &JsFile, x: u64, y: u64, from: u64, count: u64) -> Result<Vec<f32>, String> {
        if self.gz {
            return Err("spectra of gzipped cubes are not available: each one would inflate the whole cube".into());
        }
        let src = SubSource { inner: file, start: self.start, len: self.len };
        let part = from..from.saturating_add(count);
        self.hdu
            .pixel_spectrum_part(&src, x * self.stride, y * self.stride, self.stokes, part)
            .map_err(|e| e.to_string())
    }

    /// Where the pixels of channels `from` to `from + count` at (x, y) lie in the file, for
    /// the worker's readers to fetch in parallel (`decode_pixels` then makes the values);
    /// None when the core does better itself (planes close enough to share reads, gzip).
    pub(crate) fn spectrum_offsets(&self, x: u64, y: u64, from: u64, count: u64) -> Result<Option<Vec<u64>>, String> {
        if self.gz || !self.hdu.spectrum_reads_each_channel() {
            return Ok(None);
        }
        let part = from..from.saturating_add(count);
        let offsets = self.hdu.pixel_offsets(x * self.stride, y * self.stride, self.stokes, part);
        Ok(Some(offsets.map_err(|e| e.to_string())?.into_iter().map(|o| self.start + o).collect()))
    }

    /// Bytes per pixel, and the values of pixels fetched by the worker.
    pub(crate) fn pixel_bytes(&self) -> u64 {
        self.hdu.bitpix.bytes()
    }

    pub(crate) fn decode_pixels(&self, bytes: &[u8]) -> Vec<f32> {
        self.hdu.decode_pixels(bytes)
    }

    fn settings(&mut self, value: JsValue) -> Result<RenderSettings, JsError> {
        let s: Settings =
            serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad display settings: {e}")))?;
        let shown = self.plane.as_mut().ok_or_else(|| JsError::new("no plane is loaded"))?;
        let mode = match s.limits.as_str() {
            "minmax" => LimitMode::MinMax,
            "zscale" => LimitMode::ZScale,
            "manual" => LimitMode::Manual(s.lo, s.hi),
            p => LimitMode::Percentile(p.parse().map_err(|_| JsError::new(&format!("unknown limits {p:?}")))?),
        };
        let (lo, hi) = shown.limits(mode);
        self.last_mode = Some(mode);
        Ok(RenderSettings {
            lo,
            hi,
            stretch: s.stretch,
            stretch_param: s.stretch.default_param(),
            colormap: s.colormap,
            invert: s.invert,
            nan_rgba: [64, 0, 64, 255],
        })
    }

    /// Renders into the buffer kept here and returns a *view* of it (no copy): the worker
    /// puts it on an OffscreenCanvas at once, before anything else can touch wasm memory.
    ///
    /// Only as many pixels as the screen shows are drawn: the plane drawn fitted in a box of
    /// `box_width` × `box_height` device pixels (the canvas, or the plane's extent at the
    /// current zoom), every `step`-th pixel is rendered (the page draws the bitmap scaled by
    /// `step`, and asks again with more pixels when the user zooms in). Limits and histogram
    /// still come from the whole plane.
    pub(crate) fn render(&mut self, value: JsValue, box_width: f64, box_height: f64) -> Result<JsValue, JsError> {
        let settings = self.settings(value)?;
        let Summarised { plane, summary, .. } =
            self.plane.as_ref().ok_or_else(|| JsError::new("no plane is loaded"))?;
        let max = render::fit_pixels(plane.width, plane.height, box_width, box_height);
        let step = render::preview_stride(plane.width, plane.height, max);
        let (width, height) = (plane.width.div_ceil(step), plane.height.div_ceil(step));
        self.rgba.resize(width * height * 4, 0);
        render::render_strided_into(plane, step, &settings, summary, &mut self.rgba);
        // SAFETY: the view is used by the worker synchronously, before the next call into
        // wasm (which could grow memory or change the buffer).
        let view = unsafe { js_sys::Uint8ClampedArray::view(&self.rgba) };
        let out = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(k), v).map(|_| ());
        set("rgba", &view.into()).map_err(|_| JsError::new("could not return pixels"))?;
        set("lo", &settings.lo.into()).map_err(|_| JsError::new("could not return limits"))?;
        set("hi", &settings.hi.into()).map_err(|_| JsError::new("could not return limits"))?;
        set("width", &(width as f64).into()).map_err(|_| JsError::new("could not return the size"))?;
        set("height", &(height as f64).into()).map_err(|_| JsError::new("could not return the size"))?;
        set("step", &(step as f64).into()).map_err(|_| JsError::new("could not return the size"))?;
        Ok(out.into())
    }

    pub(crate) fn colorbar(&mut self, value: JsValue, width: u32) -> Result<js_sys::Uint8Array, JsError> {
        let settings = self.settings(value)?;
        Ok(js_sys::Uint8Array::from(&render::colorbar_rgba(&settings, width as usize, 1)[..]))
    }

    pub(crate) fn pixel(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        let plane = &self.plane.as_ref().ok_or_else(|| JsError::new("no plane is loaded"))?.plane;
        let (xi, yi) = (x.max(0.0) as u64, y.max(0.0) as u64);
        let (fx, fy) = (x * self.stride as f64, y * self.stride as f64);
        let world = self.coords.pixel_to_world(fx, fy);
        let ch = self.channel as f64;
        to_js(&PixelInfo {
            x: xi * self.stride,
            y: yi * self.stride,
            value: plane.get(xi as usize, yi as usize),
            bunit: self.unit.clone(),
            ra: world.map(|(ra, _)| coords::format_ra(ra)),
            dec: world.map(|(_, dec)| coords::format_dec(dec)),
            ra_deg: world.map(|w| w.0),
            dec_deg: world.map(|w| w.1),
            freq_ghz: self.coords.channel_frequency_hz(ch).map(|f| f / 1e9),
            vel_kms: self.coords.channel_velocity_kms(ch),
        })
    }
}
