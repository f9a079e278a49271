//! The kind of a file, matched on the end of its name.
//!
//! Real names repeat tokens (`….hifa_calimage.calimage.pipeline_manifest.xml`) and change
//! prefix between eras (`member.`, none, `PPR_<uid>.xml`), so only suffixes are reliable.

use super::Kind;

/// Suffix rules, checked in order against the lower-cased name: the first match wins, so
/// the longer, more specific suffixes come first.
const SUFFIXES: &[(&str, Kind)] = &[
    (".asdm.sdm.tar", Kind::AsdmTar),
    ("_auxiliary.tar", Kind::AuxiliaryTar),
    ("weblog.tgz", Kind::Weblog),
    ("weblog.tar.gz", Kind::Weblog),
    ("casa_commands.log", Kind::CasaCommands),
    ("cont.dat", Kind::ContDat),
    ("flux.csv", Kind::FluxCsv),
    ("antennapos.csv", Kind::Antennapos),
    ("antennapos.json", Kind::Antennapos),
    ("caltables.tgz", Kind::Caltables),
    ("caltables.tar.gz", Kind::Caltables),
    (".calibration.tgz", Kind::Caltables),
    (".flagversions.tgz", Kind::Flagversions),
    (".flagversions.tar.gz", Kind::Flagversions),
    ("calapply.txt", Kind::Calapply),
    ("auxproducts.tgz", Kind::Auxproducts),
    ("auxproducts.tar.gz", Kind::Auxproducts),
    ("scriptforpi.py", Kind::ScriptForPi),
    ("casa_pipescript.py", Kind::Pipescript),
    ("casa_piperestorescript.py", Kind::Restorescript),
    ("pprequest.xml", Kind::Ppr),
    ("scriptforcalibration.py", Kind::ScriptForCalibration),
    ("scriptforsdcalibration.py", Kind::ScriptForCalibration),
    ("scriptforimaging.py", Kind::ScriptForImaging),
    ("scriptforimagingprep.py", Kind::ScriptForImaging),
    ("qa2_report.pdf", Kind::Qa2Report),
    ("qa2_report.html", Kind::Qa2Report),
    ("pipeline_manifest.xml", Kind::Manifest),
    ("aquareport.xml", Kind::Aquareport),
    (".fits", Kind::Image),
    (".fits.gz", Kind::Image),
    ("readme.txt", Kind::Readme),
];

/// The kind of a file name (no folders).
pub(super) fn kind_of(name: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    if let Some(kind) = special_kind(&lower) {
        return kind;
    }
    SUFFIXES.iter().find(|(suffix, _)| lower.ends_with(suffix)).map_or(Kind::Other, |&(_, kind)| kind)
}

/// Kinds that a plain suffix cannot express.
fn special_kind(lower: &str) -> Option<Kind> {
    if lower == "readme" {
        Some(Kind::Readme)
    } else if is_numbered_product_tar(lower) {
        Some(Kind::ProductTar)
    } else if lower.contains("flag") && lower.ends_with("template.txt") {
        // <EB>.flagtemplate.txt, <EB>_flagtemplate.txt, flagtsystemplate, flagtargetstemplate
        Some(Kind::Flagtemplate)
    } else if lower.starts_with("ppr") && lower.ends_with(".xml") {
        // Cycle 4: PPR_<uid>.xml
        Some(Kind::Ppr)
    } else if lower.starts_with("casa-") && lower.ends_with(".log")
        || lower.starts_with("casapy") && lower.ends_with(".log")
    {
        Some(Kind::CasaLog)
    } else if lower.contains("pipeline_stats") && lower.ends_with(".json") {
        Some(Kind::PipelineStats)
    } else if lower.ends_with(".png") && lower.contains("_qa2_part") {
        // manual packages ship the QA2 report as numbered PNG parts
        Some(Kind::Qa2Report)
    } else {
        None
    }
}

/// `<project>_<MOUS>_001_of_003.tar` (also the Cycle 0 `<project>_<date>_001_of_002.tar`).
fn is_numbered_product_tar(lower: &str) -> bool {
    let Some(stem) = lower.strip_suffix(".tar") else {
        return false;
    };
    let mut parts = stem.rsplit('_');
    let numbered = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numbered(parts.next()) && parts.next() == Some("of") && numbered(parts.next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_tar() {
        assert!(is_numbered_product_tar("2017.1.01419.s_uid___a001_x1284_x1ef2_001_of_001.tar"));
        assert!(!is_numbered_product_tar("x_of_001.tar"));
        assert!(!is_numbered_product_tar("001_of_001.tgz"));
    }

    #[test]
    fn suffix_order() {
        assert_eq!(kind_of("member.uid___A001_X1_X2.hifa_calimage.casa_commands.log"), Kind::CasaCommands);
        assert_eq!(kind_of("casa-20221005-173548286714693.log"), Kind::CasaLog);
        assert_eq!(kind_of("uid___A002_X1_X2.ms.auxcalapply.txt"), Kind::Calapply);
        assert_eq!(kind_of("x.pb.fits.gz"), Kind::Image);
        assert_eq!(kind_of("random.txt"), Kind::Other);
    }
}
