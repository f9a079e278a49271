//! Stretch functions: how a value normalised to [0, 1] between the limits becomes a position
//! on the colour map. Definitions follow astropy.visualization (the scripting reference) and
//! DS9 (the log exponent), so an image looks the same here as in those tools.

use serde::{Deserialize, Serialize};

/// The stretch applied between the display limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stretch {
    Linear,
    Sqrt,
    /// `log(a x + 1) / log(a + 1)`, DS9's log with exponent `a` (default 1000).
    Log,
    /// `asinh(x / a) / asinh(1 / a)`, softening `a` (default 0.1), as astropy.
    Asinh,
    /// `x^a` with gamma `a` (default 2).
    Power,
    /// `sinh(x / a) / sinh(1 / a)`, `a` (default 1/3), as astropy.
    Sinh,
    Squared,
    /// Histogram equalisation: the cumulative distribution of the finite pixels between the
    /// limits, taken from the plane's histogram.
    HistEq,
}

impl Stretch {
    /// Every stretch, in the order the page and the CLI offer them.
    pub const ALL: [Stretch; 8] = [
        Stretch::Linear,
        Stretch::Sqrt,
        Stretch::Log,
        Stretch::Asinh,
        Stretch::Power,
        Stretch::Sinh,
        Stretch::Squared,
        Stretch::HistEq,
    ];

    /// The name used in settings, the CLI and JSON (`"histeq"` for `HistEq`).
    pub fn name(self) -> &'static str {
        match self {
            Stretch::Linear => "linear",
            Stretch::Sqrt => "sqrt",
            Stretch::Log => "log",
            Stretch::Asinh => "asinh",
            Stretch::Power => "power",
            Stretch::Sinh => "sinh",
            Stretch::Squared => "squared",
            Stretch::HistEq => "histeq",
        }
    }

    pub fn from_name(name: &str) -> Option<Stretch> {
        Stretch::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn names() -> Vec<&'static str> {
        Stretch::ALL.iter().map(|s| s.name()).collect()
    }

    /// The parameter used when the settings give none (0) or an unusable one.
    pub fn default_param(self) -> f64 {
        match self {
            Stretch::Log => 1000.0,
            Stretch::Asinh => 0.1,
            Stretch::Power => 2.0,
            Stretch::Sinh => 1.0 / 3.0,
            Stretch::Linear | Stretch::Sqrt | Stretch::Squared | Stretch::HistEq => 0.0,
        }
    }

    /// The parameter actually used: `param` when it is finite and positive, else the default.
    /// Sinh's is kept at or above 1/500 so that `sinh(1/a)` stays finite in f64.
    pub fn effective_param(self, param: f64) -> f64 {
        let p = if param.is_finite() && param > 0.0 { param } else { self.default_param() };
        match self {
            Stretch::Sinh => p.max(1.0 / 500.0),
            _ => p,
        }
    }

    /// Applies the stretch to `x` in [0, 1] (clamped), returning a value in [0, 1].
    ///
    /// `HistEq` is not a closed-form function (it needs the histogram) and is the identity
    /// here; the lookup-table builder handles it. Called once per lookup-table entry, never
    /// per pixel.
    pub fn apply(self, x: f64, param: f64) -> f64 {
        let x = if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) };
        let a = self.effective_param(param);
        let y = match self {
            Stretch::Linear | Stretch::HistEq => x,
            Stretch::Sqrt => x.sqrt(),
            Stretch::Squared => x * x,
            Stretch::Power => x.powf(a),
            Stretch::Log => (a * x).ln_1p() / a.ln_1p(),
            Stretch::Asinh => (x / a).asinh() / (1.0 / a).asinh(),
            Stretch::Sinh => (x / a).sinh() / (1.0 / a).sinh(),
        };
        if y.is_finite() {
            y.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Stretch;

    #[test]
    fn names_match_the_serialised_form() {
        for s in Stretch::ALL {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.name()));
            assert_eq!(Stretch::from_name(s.name()), Some(s));
        }
        assert_eq!(Stretch::from_name("nope"), None);
    }
}
