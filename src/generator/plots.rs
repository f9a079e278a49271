//! Small PNG plots for the weblog, drawn pixel by pixel and encoded with the `png` crate.

use super::sky::Rng;

/// An RGB canvas with a white background and a framed plot area.
pub struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

/// The plot area inside the frame: left, top, right, bottom.
const MARGIN: (u32, u32, u32, u32) = (24, 10, 8, 20);

impl Canvas {
    pub fn new(width: u32, height: u32) -> Self {
        let mut c = Canvas { width, height, pixels: vec![255; (width * height * 3) as usize] };
        c.frame();
        c
    }

    fn set(&mut self, x: u32, y: u32, rgb: [u8; 3]) {
        if x < self.width && y < self.height {
            let i = ((y * self.width + x) * 3) as usize;
            self.pixels[i..i + 3].copy_from_slice(&rgb);
        }
    }

    fn frame(&mut self) {
        let (l, t, r, b) = MARGIN;
        let (x1, y1) = (self.width - r, self.height - b);
        for x in l..=x1 {
            self.set(x, t, [0, 0, 0]);
            self.set(x, y1, [0, 0, 0]);
            if (x - l) % 20 == 0 {
                for d in 1..4 {
                    self.set(x, y1 + d, [0, 0, 0]);
                }
            }
        }
        for y in t..=y1 {
            self.set(l, y, [0, 0, 0]);
            self.set(x1, y, [0, 0, 0]);
            if (y1 - y) % 20 == 0 {
                for d in 1..4 {
                    self.set(l - d, y, [0, 0, 0]);
                }
            }
        }
    }

    /// Plots a point given in unit coordinates (0..1 on both axes, y up) as a 2×2 dot.
    pub fn point(&mut self, u: f64, v: f64, rgb: [u8; 3]) {
        let (l, t, r, b) = MARGIN;
        let w = (self.width - l - r) as f64;
        let h = (self.height - t - b) as f64;
        if !(0.0..=1.0).contains(&u) || !(0.0..=1.0).contains(&v) {
            return;
        }
        let x = l + (u * (w - 2.0)) as u32 + 1;
        let y = t + ((1.0 - v) * (h - 2.0)) as u32 + 1;
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            self.set(x + dx, y + dy, rgb);
        }
    }

    /// A nearest-neighbour downscale, as the weblog's `thumbs/` hold.
    pub fn thumbnail(&self, width: u32, height: u32) -> Canvas {
        let mut t = Canvas { width, height, pixels: vec![255; (width * height * 3) as usize] };
        for y in 0..height {
            for x in 0..width {
                let (sx, sy) = (x * self.width / width, y * self.height / height);
                let i = ((sy * self.width + sx) * 3) as usize;
                t.set(x, y, [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]);
            }
        }
        t
    }

    pub fn to_png(&self) -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, self.width, self.height);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc.write_header()?;
            writer.write_image_data(&self.pixels)?;
        }
        Ok(out)
    }
}

/// The kinds of diagnostic plot the generator draws.
#[derive(Clone, Copy)]
pub enum PlotKind {
    /// Calibrated amplitude against uv distance: a flat point-source line plus scatter.
    AmpVsUvDist,
    /// Bandpass amplitude against channel: a ripple with edge roll-off.
    BandpassAmp,
    /// Gain phase against time: slow drifts per antenna.
    PhaseVsTime,
}

/// Draws one plot; the four spws get the weblog's usual colours.
pub fn draw(kind: PlotKind, seed: u64) -> Canvas {
    let colours = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40]];
    let mut rng = Rng::new(seed);
    let mut c = Canvas::new(200, 150);
    for (s, rgb) in colours.iter().enumerate() {
        let offset = s as f64 * 0.03;
        for k in 0..60 {
            let u = k as f64 / 59.0;
            let v = match kind {
                PlotKind::AmpVsUvDist => 0.6 + offset - 0.05 * u + 0.04 * rng.gaussian(),
                PlotKind::BandpassAmp => {
                    let edge = (1.0 - (-(u * 25.0)).exp()) * (1.0 - (-((1.0 - u) * 25.0)).exp());
                    0.15 + 0.65 * edge + 0.03 * (u * 40.0).sin() + offset + 0.01 * rng.gaussian()
                }
                PlotKind::PhaseVsTime => 0.5 + 0.2 * (u * 5.0 + s as f64).sin() + 0.03 * rng.gaussian(),
            };
            c.point(u, v, *rgb);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plots_are_decodable_pngs_of_the_right_size() {
        let png_bytes = draw(PlotKind::AmpVsUvDist, 3).to_png().expect("encodes");
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let reader = decoder.read_info().expect("decodes");
        assert_eq!((reader.info().width, reader.info().height), (200, 150));
        let thumb = draw(PlotKind::BandpassAmp, 3).thumbnail(100, 75);
        assert_eq!(thumb.pixels.len(), 100 * 75 * 3);
    }
}
