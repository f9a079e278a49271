//! What a file in an ALMA delivery is, from its path alone.
//!
//! [`classify`] never fails: unknown names become [`Kind::Other`] and unknown product tokens
//! are kept in [`ProductName::tokens`], because real deliveries keep surprising us (names
//! from Cycle 4 to 12 differ in prefix, token order and compression).

mod explain;
mod kind;
mod product;

use serde::{Deserialize, Serialize};

pub use explain::{explain_kind, explain_token};
pub(crate) use product::is_stage_token;
pub use product::ProductName;

/// The folder-level role of a file in a member OUS (`product/`, `calibration/`, ...).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Product,
    Calibration,
    Log,
    Qa,
    Script,
    Readme,
    Raw,
    Container,
    Other,
}

/// What a file is, by its name.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Image,
    ProductTar,
    AuxiliaryTar,
    AsdmTar,
    Readme,
    Weblog,
    CasaCommands,
    CasaLog,
    ContDat,
    FluxCsv,
    Antennapos,
    Caltables,
    Flagversions,
    Calapply,
    Flagtemplate,
    Auxproducts,
    ScriptForPi,
    Pipescript,
    Restorescript,
    Ppr,
    ScriptForCalibration,
    ScriptForImaging,
    Qa2Report,
    Manifest,
    Aquareport,
    PipelineStats,
    Other,
}

/// The classification of one path: its file name, role, kind and, for FITS images, the
/// parsed product name (flattened into the same JSON object).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Classification {
    /// The file name (last path component).
    pub name: String,
    pub role: Role,
    pub kind: Kind,
    /// Present exactly when `kind` is [`Kind::Image`].
    #[serde(flatten)]
    pub image: Option<ProductName>,
}

/// Classify a path or a bare file name. Never panics, never fails.
pub fn classify(path: &str) -> Classification {
    let trimmed = path.trim_end_matches(['/', '\\']);
    let (folders, name) = match trimmed.rfind(['/', '\\']) {
        Some(cut) => (&trimmed[..cut], &trimmed[cut + 1..]),
        None => ("", trimmed),
    };
    let kind = kind::kind_of(name);
    let image = (kind == Kind::Image).then(|| product::parse(name));
    Classification { name: name.to_string(), role: role_of(folders, kind), kind, image }
}

/// The role: the README and outer tars are recognised by kind; otherwise the nearest role
/// folder in the path decides, and a loose file (no role folder) gets the usual role of its kind.
fn role_of(folders: &str, kind: Kind) -> Role {
    match kind {
        Kind::Readme => return Role::Readme,
        Kind::ProductTar | Kind::AuxiliaryTar | Kind::AsdmTar => return Role::Container,
        _ => {}
    }
    folders.rsplit(['/', '\\']).find_map(role_of_folder).unwrap_or_else(|| usual_role(kind))
}

fn role_of_folder(folder: &str) -> Option<Role> {
    match folder {
        "product" => Some(Role::Product),
        "calibration" => Some(Role::Calibration),
        "log" => Some(Role::Log),
        "qa" => Some(Role::Qa),
        "script" => Some(Role::Script),
        "raw" => Some(Role::Raw),
        _ => None,
    }
}

/// Where a file of this kind normally sits in a member OUS.
fn usual_role(kind: Kind) -> Role {
    use Kind::*;
    match kind {
        Image => Role::Product,
        ProductTar | AuxiliaryTar | AsdmTar => Role::Container,
        Readme => Role::Readme,
        Weblog | Qa2Report | Aquareport => Role::Qa,
        CasaCommands | CasaLog => Role::Log,
        ContDat | FluxCsv | Antennapos | Caltables | Flagversions | Calapply | Flagtemplate | Auxproducts => {
            Role::Calibration
        }
        ScriptForPi | Pipescript | Restorescript | Ppr | ScriptForCalibration | ScriptForImaging => Role::Script,
        Manifest | PipelineStats | Other => Role::Other,
    }
}

/// The member/EB uid at the start of `s` (`uid___A001_X12a3_Xe9`), with the text after it.
///
/// ALMA uids are `uid___A<digits>_X<alnum>_X<alnum>`; anything else is not a uid.
pub(crate) fn split_uid(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix("uid___")?;
    let end = body.find(['.', '/']).unwrap_or(body.len());
    let mut parts = body[..end].split('_');
    let archive = parts.next()?.strip_prefix('A')?;
    let ok = !archive.is_empty()
        && archive.bytes().all(|b| b.is_ascii_digit())
        && parts.by_ref().take(2).filter(|p| is_x_part(p)).count() == 2
        && parts.next().is_none();
    ok.then(|| s.split_at(end + "uid___".len()))
}

fn is_x_part(part: &str) -> bool {
    part.strip_prefix('X').is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_split() {
        assert_eq!(split_uid("uid___A001_X12a3_Xe9.rest"), Some(("uid___A001_X12a3_Xe9", ".rest")));
        assert_eq!(split_uid("uid___A002_Xd28a9e_X71b8"), Some(("uid___A002_Xd28a9e_X71b8", "")));
        assert_eq!(split_uid("uid___A001_X12a3"), None);
        assert_eq!(split_uid("uid___A001_X12a3_Xe9_X1"), None);
        assert_eq!(split_uid("uid___B001_X1_X2"), None);
    }

    #[test]
    fn role_from_nearest_folder_or_kind() {
        assert_eq!(classify("a/product/x.fits").role, Role::Product);
        assert_eq!(classify("a/calibration/x.fits").role, Role::Calibration);
        assert_eq!(classify("x.fits").role, Role::Product);
        assert_eq!(classify("cont.dat").role, Role::Calibration);
        assert_eq!(classify("qa\\x.weblog.tgz").role, Role::Qa);
        assert_eq!(classify("script/README").role, Role::Readme);
        assert_eq!(classify("raw/p_uid___A002_X1_X2.asdm.sdm.tar").role, Role::Container);
        assert_eq!(classify("raw/uid___A002_X1_X2.asdm.sdm/ASDM.xml").role, Role::Raw);
    }
}
