//! `almapkg stats FILE.fits|PACKAGE.tar::PATH [--plane N] [--json]`: header summary and
//! statistics of one plane (scaling and blanks applied).

use crate::args::Args;
use crate::input::open_input;
use almapkg::fits::{self, beams, coords::Coords, stats::plane_stats, ImageHdu};
use almapkg::source::ReadAt;
use serde_json::{json, Value};

pub fn run(args: &[String]) -> Result<(), String> {
    let mut args = Args::parse(args, &["--plane"], &["--json"])?;
    let spec = args.positional(0, "a file: usage: almapkg stats FILE.fits|PACKAGE.tar::PATH [--plane N] [--json]")?;
    let plane = args.number("--plane")?.unwrap_or(0);
    let src = open_input(&spec)?;
    let gz = spec.to_ascii_lowercase().ends_with(".gz");
    let report = report(src.as_ref(), gz, plane).map_err(|e| format!("{spec}: {e}"))?;
    if args.flag("--json") {
        println!("{report}");
    } else {
        print_plain(&report);
    }
    Ok(())
}

/// Everything `stats` prints, as one JSON object.
fn report(src: &dyn ReadAt, gz: bool, plane: u64) -> Result<Value, fits::FitsError> {
    let hdu = if gz { fits::gz::open_gz_image(src)? } else { fits::open_image(src)? };
    let data = if gz { fits::gz::read_gz_plane(src, &hdu, plane)? } else { hdu.read_plane(src, plane)? };
    let s = plane_stats(&data);
    let h = &hdu.header;
    let coords = Coords::from_header(h);
    let axis_values = |prefix: &str, num: bool| -> Vec<Value> {
        (1..=hdu.shape.len())
            .map(|i| {
                let key = format!("{prefix}{i}");
                if num {
                    json!(h.get_f64(&key))
                } else {
                    json!(h.get_str(&key))
                }
            })
            .collect()
    };
    let beam = if gz {
        None
    } else {
        beams::read_beams_table(src, &hdu)?.and_then(|b| b.get(plane_channel(&hdu, plane)).copied())
    };
    Ok(json!({
        "bitpix": hdu.bitpix.value(),
        "naxis": hdu.shape,
        "bunit": coords.bunit(),
        "object": h.get_str("OBJECT"),
        "plane": plane,
        "min": finite(s.min), "max": finite(s.max), "mean": finite(s.mean),
        "std": finite(s.std), "median": finite(s.median),
        "nan": s.nan, "finite": s.finite,
        "beam": beam.or_else(|| beams::header_beam(h)),
        "ctype": axis_values("CTYPE", false),
        "crval": axis_values("CRVAL", true),
        "restfrq_hz": coords.restfrq_hz(),
        "specsys": coords.specsys(),
        "frame": coords.frame(),
    }))
}

/// The channel that plane `plane` shows (for picking its beam in a multi-beam cube).
fn plane_channel(hdu: &ImageHdu, plane: u64) -> usize {
    let per_channel = (0..hdu.channels()).position(|c| hdu.plane_index(c, 0).ok() == Some(plane));
    per_channel.unwrap_or(0)
}

/// JSON has no NaN: statistics of an all-blank plane print as null.
fn finite(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::Null
    }
}

/// Order of the plain-text lines (JSON objects are printed with sorted keys).
const PLAIN_ORDER: [&str; 18] = [
    "bitpix",
    "naxis",
    "bunit",
    "object",
    "plane",
    "min",
    "max",
    "mean",
    "std",
    "median",
    "nan",
    "finite",
    "beam",
    "ctype",
    "crval",
    "restfrq_hz",
    "specsys",
    "frame",
];

fn print_plain(report: &Value) {
    let width = PLAIN_ORDER.iter().map(|k| k.len()).max().unwrap_or(0);
    for key in PLAIN_ORDER {
        let Some(value) = report.get(key) else {
            continue;
        };
        let shown = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        println!("{key:<width$}  {shown}");
    }
}
