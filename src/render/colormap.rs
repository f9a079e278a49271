//! Colour maps by name: the perceptual and astronomical favourites, taken from `colorous`
//! (d3-scale-chromatic), plus plain grey and the classic black-red-yellow-white "hot".

use colorous::Gradient;

/// How a colour map turns a position in [0, 1] into a colour.
#[derive(Clone, Copy)]
enum Palette {
    /// Black to white.
    Grey,
    /// Black, red, yellow, white (matplotlib's `hot`, DS9's `heat` look).
    Hot,
    /// A `colorous` gradient, low end first.
    Gradient(Gradient),
    /// A `colorous` gradient read backwards, so dark colours sit at the low end.
    Reversed(Gradient),
}

/// The colour maps offered, by name, in the order the UI lists them.
const COLORMAPS: [(&str, Palette); 20] = [
    ("grey", Palette::Grey),
    ("hot", Palette::Hot),
    ("viridis", Palette::Gradient(colorous::VIRIDIS)),
    ("inferno", Palette::Gradient(colorous::INFERNO)),
    ("magma", Palette::Gradient(colorous::MAGMA)),
    ("plasma", Palette::Gradient(colorous::PLASMA)),
    ("cividis", Palette::Gradient(colorous::CIVIDIS)),
    ("turbo", Palette::Gradient(colorous::TURBO)),
    ("cubehelix", Palette::Gradient(colorous::CUBEHELIX)),
    ("rainbow", Palette::Gradient(colorous::RAINBOW)),
    ("sinebow", Palette::Gradient(colorous::SINEBOW)),
    ("heat", Palette::Reversed(colorous::YELLOW_ORANGE_RED)),
    ("blues", Palette::Reversed(colorous::BLUES)),
    ("greens", Palette::Reversed(colorous::GREENS)),
    ("warm", Palette::Gradient(colorous::WARM)),
    ("cool", Palette::Gradient(colorous::COOL)),
    ("rdbu", Palette::Gradient(colorous::RED_BLUE)),
    ("rdylbu", Palette::Gradient(colorous::RED_YELLOW_BLUE)),
    ("spectral", Palette::Gradient(colorous::SPECTRAL)),
    ("piyg", Palette::Gradient(colorous::PINK_GREEN)),
];

/// Name of every colour map [`colormap_rgb`] and the renderer accept.
pub fn colormap_names() -> &'static [&'static str] {
    const NAMES: [&str; COLORMAPS.len()] = {
        let mut names = [""; COLORMAPS.len()];
        let mut i = 0;
        while i < COLORMAPS.len() {
            names[i] = COLORMAPS[i].0;
            i += 1;
        }
        names
    };
    &NAMES
}

/// A resolved colour map, looked up once per render.
#[derive(Clone, Copy)]
pub(crate) struct Colormap(Palette);

impl Colormap {
    /// The map called `name` (case-insensitive, "gray" accepted), or `None`.
    pub(crate) fn by_name(name: &str) -> Option<Colormap> {
        let name = name.trim();
        let name = if name.eq_ignore_ascii_case("gray") { "grey" } else { name };
        COLORMAPS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, p)| Colormap(p))
    }

    /// The map called `name`, or grey for unknown names (a typo must not blank the image).
    pub(crate) fn by_name_or_grey(name: &str) -> Colormap {
        Colormap::by_name(name).unwrap_or(Colormap(Palette::Grey))
    }

    /// The colour at position `t` (clamped to [0, 1]; NaN is the low end).
    pub(crate) fn rgb(self, t: f64) -> [u8; 3] {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let from_colorous = |c: colorous::Color| [c.r, c.g, c.b];
        match self.0 {
            Palette::Grey => {
                let g = to_byte(t);
                [g, g, g]
            }
            Palette::Hot => [to_byte(t / 0.365), to_byte((t - 0.365) / 0.381), to_byte((t - 0.746) / 0.254)],
            Palette::Gradient(g) => from_colorous(g.eval_continuous(t)),
            Palette::Reversed(g) => from_colorous(g.eval_continuous(1.0 - t)),
        }
    }
}

/// The colour of colour map `name` at position `t` in [0, 1], or `None` for unknown names.
pub fn colormap_rgb(name: &str, t: f64) -> Option<[u8; 3]> {
    Colormap::by_name(name).map(|c| c.rgb(t))
}

/// A fraction (clamped to [0, 1]) as a colour channel.
fn to_byte(x: f64) -> u8 {
    (x.clamp(0.0, 1.0) * 255.0).round() as u8
}
