//! `almapkg render FILE.fits|PACKAGE.tar::PATH [--plane N] [--stretch S] [--limits L] [--cmap C] -o OUT.png`:
//! the same rendering as the page, to a PNG file.

use crate::args::Args;
use crate::input::open_fits;
use almapkg::render::{self, LimitMode, RenderSettings, Stretch};

pub fn run(args: &[String]) -> Result<(), String> {
    let mut a = Args::parse(args, &["--plane", "--stretch", "--limits", "--cmap", "-o"], &["--invert"])?;
    let spec = a.positional(0, "FILE.fits or PACKAGE.tar::PATH")?;
    let out = a.value("-o").ok_or("missing -o OUT.png")?;
    let plane_index: u64 = a.number("--plane")?.unwrap_or(0);
    let stretch = match a.value("--stretch") {
        Some(s) => Stretch::from_name(&s)
            .ok_or_else(|| format!("unknown stretch {s:?}; one of {}", Stretch::names().join(", ")))?,
        None => Stretch::Linear,
    };
    let mode = parse_limits(&a.value("--limits").unwrap_or_else(|| "99.5".into()))?;
    let colormap = a.value("--cmap").unwrap_or_else(|| "grey".into());
    if !render::colormap_names().contains(&colormap.as_str()) {
        return Err(format!("unknown colormap {colormap:?}; one of {}", render::colormap_names().join(", ")));
    }
    let (_, plane) = open_fits(&spec, plane_index)?;
    let summary = render::summarize(&plane);
    let (lo, hi) = render::limits(&plane, &summary, mode);
    let settings = RenderSettings {
        lo,
        hi,
        stretch,
        stretch_param: stretch.default_param(),
        colormap,
        invert: a.flag("--invert"),
        nan_rgba: [64, 0, 64, 255],
    };
    let rgba = render::render_rgba(&plane, &settings, &summary);
    write_png(&out, plane.width as u32, plane.height as u32, &rgba)?;
    eprintln!("{out}: {}x{} plane {plane_index}, limits {lo} .. {hi}", plane.width, plane.height);
    Ok(())
}

/// `minmax`, `zscale`, a percentile such as `99.5`, or manual `LO,HI`.
fn parse_limits(text: &str) -> Result<LimitMode, String> {
    let bad = || format!("bad --limits {text:?}: use minmax, zscale, a percentile (90..99.99) or LO,HI");
    Ok(match text {
        "minmax" => LimitMode::MinMax,
        "zscale" => LimitMode::ZScale,
        t if t.contains(',') => {
            let (lo, hi) = t.split_once(',').ok_or_else(bad)?;
            LimitMode::Manual(lo.trim().parse().map_err(|_| bad())?, hi.trim().parse().map_err(|_| bad())?)
        }
        t => {
            let p: f64 = t.trim_end_matches('%').parse().map_err(|_| bad())?;
            if !(50.0..=100.0).contains(&p) {
                return Err(bad());
            }
            LimitMode::Percentile(p)
        }
    })
}

fn write_png(path: &str, width: u32, height: u32, rgba: &[u8]) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(|e| format!("{path}: {e}"))?;
    w.write_image_data(rgba).map_err(|e| format!("{path}: {e}"))
}
