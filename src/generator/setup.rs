//! The observation being faked: one project, one science goal, one group and two member OUSs
//! (12m and 7m) observing the same targets with a Band 6 disk-chemistry setup.

/// ALMA project code.
pub const PROJECT: &str = "2019.1.00123.S";
pub const SCIENCE_GOAL: &str = "uid___A001_X1465_X2a10";
pub const GROUP: &str = "uid___A001_X1465_X2a11";
/// Pipeline recipe, part of every per-OUS file name since Cycle 5.
pub const RECIPE: &str = "hifa_calimage";
pub const CASA_VERSION: &str = "6.1.1.15";
pub const PIPELINE_VERSION: &str = "2020.1.0.40";
/// Tar member mtime: the archive's packaging date, 2020-03-12T08:15:00Z.
pub const MTIME: u64 = 1_583_999_700;
pub const SPEED_OF_LIGHT_KMS: f64 = 299_792.458;

/// A spectral window: id, the line placed at its centre and its channels.
#[derive(Clone, Debug)]
pub struct Spw {
    pub id: u32,
    pub line: &'static str,
    pub rest_hz: f64,
    pub channel_hz: f64,
}

/// A field and what the pipeline imaged it for.
#[derive(Clone, Debug)]
pub struct Source {
    /// The field name in the OT; product names use its CASA-quoted, sanitised form.
    pub field: String,
    pub intent: Intent,
    pub ra_deg: f64,
    pub dec_deg: f64,
    /// Systemic LSRK velocity (km/s).
    pub vlsr: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    Science,
    Bandpass,
    Phase,
    Check,
}

impl Intent {
    /// The token used in product names (`filenamer._known_intents`).
    pub fn token(self) -> &'static str {
        match self {
            Intent::Science => "sci",
            Intent::Bandpass => "bp",
            Intent::Phase => "ph",
            Intent::Check => "chk",
        }
    }

    /// The `INTENT` header keyword value.
    pub fn header(self) -> &'static str {
        match self {
            Intent::Science => "TARGET",
            Intent::Bandpass => "BANDPASS",
            Intent::Phase => "PHASE",
            Intent::Check => "CHECK",
        }
    }
}

impl Source {
    /// The name as it appears in products: CASA quotes names with characters outside
    /// `[A-Za-z0-9_+-]`, and sanitising turns each quote into `_` (`"G012.80"` → `_G012.80_`).
    pub fn product_name(&self) -> String {
        let plain = self.field.chars().all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c));
        let quoted = if plain { self.field.to_string() } else { format!("\"{}\"", self.field) };
        quoted.chars().map(|c| if c.is_ascii_alphanumeric() || "_.+-".contains(c) { c } else { '_' }).collect()
    }
}

/// Imaging geometry of one array.
#[derive(Clone, Debug)]
pub struct Imaging {
    pub imsize: u64,
    pub cube_imsize: u64,
    pub cell_arcsec: f64,
    pub beam_arcsec: (f64, f64, f64),
    pub dish_m: f64,
    pub channels: u64,
}

/// A member OUS: the delivery unit, with its execution blocks and spws.
#[derive(Clone, Debug)]
pub struct Member {
    pub mous: &'static str,
    pub array: &'static str,
    pub ebs: Vec<&'static str>,
    pub spws: Vec<Spw>,
    pub imaging: Imaging,
    pub antennas: Vec<&'static str>,
    pub date_obs: &'static str,
    /// `pipeline-YYYYMMDDTHHMMSS`, the weblog root folder.
    pub pipeline_run: &'static str,
    /// `casa-YYYYMMDD-HHMMSS.log`.
    pub casa_log: &'static str,
}

impl Member {
    /// `member.<MOUS>`: the archive prefix of per-OUS files.
    pub fn prefix(&self) -> String {
        format!("member.{}", self.mous)
    }

    /// `member.<MOUS>.hifa_calimage`.
    pub fn recipe_prefix(&self) -> String {
        format!("member.{}.{RECIPE}", self.mous)
    }

    /// `<project>/science_goal…/group…/member…`, repeated by every tar of the delivery.
    pub fn tree(&self) -> String {
        format!("{PROJECT}/science_goal.{SCIENCE_GOAL}/group.{GROUP}/member.{}", self.mous)
    }

    /// The `spw25_27_29_31` token of aggregate products.
    pub fn all_spws_token(&self) -> String {
        let ids: Vec<String> = self.spws.iter().map(|s| s.id.to_string()).collect();
        format!("spw{}", ids.join("_"))
    }
}

/// Targets and calibrators of the science goal.
pub fn sources() -> Vec<Source> {
    vec![
        Source {
            field: "HD_163296".into(),
            intent: Intent::Science,
            ra_deg: 269.088_700,
            dec_deg: -21.956_211,
            vlsr: 5.8,
        },
        Source {
            field: "G012.80".into(),
            intent: Intent::Science,
            ra_deg: 273.555_500,
            dec_deg: -17.929_300,
            vlsr: 35.0,
        },
        Source {
            field: "J1924-2914".into(),
            intent: Intent::Bandpass,
            ra_deg: 291.212_733,
            dec_deg: -29.241_700,
            vlsr: 0.0,
        },
        Source {
            field: "J1751-1950".into(),
            intent: Intent::Phase,
            ra_deg: 267.876_600,
            dec_deg: -19.845_000,
            vlsr: 0.0,
        },
        Source {
            field: "J1755-2232".into(),
            intent: Intent::Check,
            ra_deg: 268.846_900,
            dec_deg: -22.546_700,
            vlsr: 0.0,
        },
    ]
}

fn band6_spws(ids: [u32; 4], channel_hz: f64) -> Vec<Spw> {
    let lines = [
        ("12CO_2-1", 230.538e9),
        ("13CO_2-1", 220.398_684e9),
        ("C18O_2-1", 219.560_354e9),
        ("H2CO_3(0,3)-2(0,2)", 218.222_192e9),
    ];
    ids.iter().zip(lines).map(|(id, (line, rest_hz))| Spw { id: *id, line, rest_hz, channel_hz }).collect()
}

/// The two member OUSs: 12m (spws 25–31) and 7m (spws 16–22), as ALMA numbers them.
pub fn members() -> Vec<Member> {
    vec![
        Member {
            mous: "uid___A001_X1465_X2a12",
            array: "12m",
            ebs: vec!["uid___A002_Xe1d2cb_X1a3f", "uid___A002_Xe1f219_X6d0e"],
            spws: band6_spws([25, 27, 29, 31], 488_281.25),
            imaging: Imaging {
                imsize: 96,
                cube_imsize: 40,
                cell_arcsec: 0.4,
                beam_arcsec: (1.21, 0.98, -84.3),
                dish_m: 12.0,
                channels: 30,
            },
            antennas: vec!["DA41", "DA42", "DA44", "DA45", "DA46", "DV03", "DV07", "DV11", "DV15", "DV18"],
            date_obs: "2019-10-28T21:04:38.112000",
            pipeline_run: "pipeline-20200214T093518",
            casa_log: "casa-20200214-093511.log",
        },
        Member {
            mous: "uid___A001_X1465_X2a14",
            array: "7m",
            ebs: vec!["uid___A002_Xe0b7ea_X2c51"],
            spws: band6_spws([16, 18, 20, 22], 488_281.25),
            imaging: Imaging {
                imsize: 64,
                cube_imsize: 28,
                cell_arcsec: 1.2,
                beam_arcsec: (7.12, 4.63, 81.7),
                dish_m: 7.0,
                channels: 30,
            },
            antennas: vec!["CM01", "CM03", "CM05", "CM07", "CM08", "CM09", "CM10", "CM11", "CM12"],
            date_obs: "2019-10-09T19:47:02.400000",
            pipeline_run: "pipeline-20200221T141107",
            casa_log: "casa-20200221-141102.log",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_names_are_quoted_then_sanitised_like_casa() {
        let names: Vec<String> = sources().iter().map(Source::product_name).collect();
        assert_eq!(names[0], "HD_163296");
        assert_eq!(names[1], "_G012.80_");
        assert_eq!(names[2], "J1924-2914");
    }
}
