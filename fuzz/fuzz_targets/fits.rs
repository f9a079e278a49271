//! FITS headers, plane decoding (BITPIX, BSCALE/BZERO, BLANK; whole or pushed in chunks),
//! coordinates, beams, spectra, plane statistics and rendering over arbitrary bytes.
#![no_main]

use almapkg::fits::coords::Coords;
use almapkg::fits::{beams, header_json, open_image, stats::plane_stats};
use almapkg::render::{limits, render_rgba, summarize, zscale, LimitMode, RenderSettings};
use almapkg::source::{MemSource, ReadAt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = MemSource(data.to_vec());
    let Ok(hdu) = open_image(&src) else { return };
    let _ = header_json(&hdu.header);
    let coords = Coords::from_header(&hdu.header);
    let _ = coords.pixel_to_world(1.0, 1.0);
    let _ = coords.channel_velocity_kms(0.0);
    let _ = beams::header_beam(&hdu.header);
    let _ = beams::read_beams_table(&src, &hdu);
    let last = hdu.plane_count().saturating_sub(1);
    let _ = hdu.pixel_spectrum(&src, 0, 0, 0);
    let _ = hdu.pixel_spectrum_part(&src, 0, 0, 0, 1..u64::MAX);
    // The browser's path: the plane's bytes pushed in chunks (sizes taken from the input).
    if let (Ok((offset, len)), Ok(mut fill)) = (hdu.plane_range(0), hdu.plane_fill()) {
        let chunk = u64::from(data.first().copied().unwrap_or(1)).max(1);
        let mut at = offset;
        while at < offset.saturating_add(len).min(src.len()) {
            let Ok(bytes) = src.read_at(at, chunk.min(src.len() - at)) else { break };
            if fill.push(&bytes).is_err() {
                break;
            }
            at += chunk;
        }
        let _ = fill.finish();
    }
    for plane in [0, last] {
        let Ok(plane) = hdu.read_plane(&src, plane) else { continue };
        let _ = plane_stats(&plane);
        let _ = zscale(&plane);
        let summary = summarize(&plane);
        let (lo, hi) = limits(&plane, &summary, LimitMode::Percentile(99.5));
        let settings = RenderSettings { lo, hi, ..RenderSettings::default() };
        let _ = render_rgba(&plane, &settings, &summary);
    }
});
