//! Name classification against real ALMA names (conventions document and archive responses).

use std::path::Path;

use almapkg::naming::{classify, explain_kind, explain_token, Kind, ProductName, Role};
use proptest::prelude::*;

fn image(name: &str) -> ProductName {
    let c = classify(name);
    assert_eq!(c.kind, Kind::Image, "{name}");
    c.image.unwrap_or_else(|| panic!("no product fields for {name}"))
}

#[path = "naming/exact.rs"]
mod exact;
use exact::EXACT;

#[test]
fn exact_fields_of_representative_names() {
    for &(name, mous, source, intent, spws, specmode, stokes, taylor, imagetype, datatype, manual, gzip, tokens) in
        EXACT
    {
        let p = image(name);
        let got = (
            p.mous.as_deref(),
            p.source.as_str(),
            p.intent.as_deref(),
            p.spws.as_slice(),
            p.specmode.as_deref(),
            p.stokes.as_deref(),
            p.taylor.as_deref(),
            p.imagetype.as_str(),
            p.datatype.as_deref(),
            p.manual,
            p.gzip,
        );
        assert_eq!(
            got,
            (mous, source, intent, spws, specmode, stokes, taylor, imagetype, datatype, manual, gzip),
            "{name}"
        );
        assert_eq!(p.tokens, tokens, "{name}");
    }
}

#[test]
fn kinds_of_every_family() {
    let cases: &[(&str, Kind, Role)] = &[
        ("2017.1.01419.S_uid___A001_X1284_X1ef2_001_of_001.tar", Kind::ProductTar, Role::Container),
        ("2017.1.01185.S_uid___A001_X12a3_Xe9_auxiliary.tar", Kind::AuxiliaryTar, Role::Container),
        ("uid___A002_X7d44e7_X956.asdm.sdm.tar", Kind::AsdmTar, Role::Container),
        ("2016.1.01435.S_uid___A002_Xba0af7_X6409.asdm.sdm.tar", Kind::AsdmTar, Role::Container),
        ("2011.0.00121.S_2012-08-16_001_of_002.tar", Kind::ProductTar, Role::Container),
        ("member.uid___A001_X12a3_Xe9.README.txt", Kind::Readme, Role::Readme),
        ("p/member.uid___A001_X1_X2/README", Kind::Readme, Role::Readme),
        ("qa/member.uid___A001_X3360_X28.hifa_calimage.weblog.tgz", Kind::Weblog, Role::Qa),
        ("uid___A001_X87c_X69.weblog.tgz", Kind::Weblog, Role::Qa),
        ("log/member.uid___A001_X3360_X28.hifa_calimage.casa_commands.log", Kind::CasaCommands, Role::Log),
        ("uid___A001_X87c_X69.casa_commands.log", Kind::CasaCommands, Role::Log),
        ("log/casa-20221005-173548286714693.log", Kind::CasaLog, Role::Log),
        ("calibration/uid___A001_X87c_X69.cont.dat", Kind::ContDat, Role::Calibration),
        ("cont.dat", Kind::ContDat, Role::Calibration),
        ("calibration/flux.csv", Kind::FluxCsv, Role::Calibration),
        ("calibration/antennapos.csv", Kind::Antennapos, Role::Calibration),
        ("uid___A002_Xd28a9e_X71b8.antennapos.json", Kind::Antennapos, Role::Calibration),
        ("member.uid___A001_X1_X2.session_1.caltables.tgz", Kind::Caltables, Role::Calibration),
        ("member.uid___A001_X1_X2.session_1.auxcaltables.tgz", Kind::Caltables, Role::Calibration),
        ("uid___A001_X1_X2.session_1.caltables.tar.gz", Kind::Caltables, Role::Calibration),
        ("uid___A002_X1_X2.ms.flagversions.tgz", Kind::Flagversions, Role::Calibration),
        ("uid___A002_X1_X2.ms.flagversions.tar.gz", Kind::Flagversions, Role::Calibration),
        ("uid___A002_X1_X2.ms.calapply.txt", Kind::Calapply, Role::Calibration),
        ("uid___A002_X1_X2_targets.ms.auxcalapply.txt", Kind::Calapply, Role::Calibration),
        ("uid___A002_Xca0142_X2006.flagtemplate.txt", Kind::Flagtemplate, Role::Calibration),
        ("uid___A002_X1_X2_flagtemplate.txt", Kind::Flagtemplate, Role::Calibration),
        ("uid___A002_X1_X2_flagtargetstemplate.txt", Kind::Flagtemplate, Role::Calibration),
        ("uid___A002_X1_X2.flagtsystemplate.txt", Kind::Flagtemplate, Role::Calibration),
        ("member.uid___A001_X3360_X28.hifa_calimage.auxproducts.tgz", Kind::Auxproducts, Role::Calibration),
        ("member.uid___A001_X12a3_Xe9.scriptForPI.py", Kind::ScriptForPi, Role::Script),
        ("scriptForPI.py", Kind::ScriptForPi, Role::Script),
        ("member.uid___A001_X1_X2.hifa_calimage.casa_pipescript.py", Kind::Pipescript, Role::Script),
        ("casa_piperestorescript.py", Kind::Restorescript, Role::Script),
        ("member.uid___A001_X1_X2.hifa_calimage.pprequest.xml", Kind::Ppr, Role::Script),
        ("PPR_uid___A001_X87c_X6a.xml", Kind::Ppr, Role::Script),
        ("uid___A002_X8fd70d_X1484.ms.scriptForCalibration.py", Kind::ScriptForCalibration, Role::Script),
        ("uid___A002_X1_X2.ms.scriptForSDCalibration.py", Kind::ScriptForCalibration, Role::Script),
        ("member.uid___A001_X12a3_Xe9.scriptForImaging.py", Kind::ScriptForImaging, Role::Script),
        ("member.uid___A001_X12a3_Xe9.scriptForImagingPrep.py", Kind::ScriptForImaging, Role::Script),
        ("member.uid___A001_X12a3_Xe9.qa2_report.pdf", Kind::Qa2Report, Role::Qa),
        ("member.uid___A001_X12a3_Xe9.qa2_report.html", Kind::Qa2Report, Role::Qa),
        ("member.uid___A001_X1289_X1a1.hifa_calimage.calimage.pipeline_manifest.xml", Kind::Manifest, Role::Other),
        ("member.uid___A001_X1_X2.hifa_calimage.pipeline_aquareport.xml", Kind::Aquareport, Role::Qa),
        ("pipeline_stats_uid___A001_X1_X2.json", Kind::PipelineStats, Role::Other),
        ("member.uid___A001_X12a3_Xe9.calimage.product_rename.txt", Kind::Other, Role::Other),
        ("raw/uid___A002_X1_X2.asdm.sdm/ASDM.xml", Kind::Other, Role::Raw),
    ];
    for &(name, kind, role) in cases {
        let c = classify(name);
        assert_eq!((c.kind, c.role), (kind, role), "{name}");
        assert_eq!(c.image.is_some(), kind == Kind::Image, "{name}");
    }
}

#[test]
fn json_shape_is_flat() {
    let c = classify("a/product/member.uid___A001_X1_X2.Src_sci.spw25.cube.I.pbcor.fits");
    let v = serde_json::to_value(&c).unwrap_or_else(|e| panic!("{e}"));
    for key in [
        "name",
        "role",
        "kind",
        "mous",
        "source",
        "intent",
        "spws",
        "specmode",
        "stokes",
        "taylor",
        "imagetype",
        "datatype",
        "manual",
        "gzip",
        "tokens",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["kind"], "image");
    assert_eq!(v["role"], "product");
    let back: almapkg::naming::Classification = serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, c);
    let plain = serde_json::to_value(classify("x/flux.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plain, serde_json::json!({"name": "flux.csv", "role": "calibration", "kind": "flux_csv"}));
}

#[test]
fn explanations() {
    for token in [
        "pbcor",
        "pb",
        "mask",
        "mfs",
        "cont",
        "cube",
        "repBW",
        "tt0",
        "tt1",
        "alpha",
        "alpha.error",
        "selfcal",
        "regcal",
        "manual",
        "sd",
        "sd.weight",
        "sci",
        "bp",
        "ph",
        "flux",
        "chk",
        "pol",
        "pang",
        "plk",
        "I",
        "IQUV",
        "spw25_27",
        "iter1",
        "s36_0",
        "v2",
        "B6",
    ] {
        assert!(explain_token(token).is_some_and(|t| !t.is_empty()), "{token}");
    }
    assert_eq!(explain_token("NGC_628"), None);
    assert!(!explain_kind(Kind::Weblog).is_empty());
}

/// Every file name listed in the real archive responses of the corpus.
fn corpus_names() -> Option<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/text/alma-archive-responses");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(_) => {
            println!("corpus not found at {}: skipped", dir.display());
            return None;
        }
    };
    let mut names = Vec::new();
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for url in text.split("dataPortal/").skip(1) {
            let name: String = url.chars().take_while(|c| !matches!(c, '<' | '"' | ' ' | '\n' | '\t')).collect();
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    Some(names)
}

#[test]
fn every_real_archive_name_is_sensible() {
    let Some(names) = corpus_names() else { return };
    assert!(names.len() > 40, "expected many names, got {}", names.len());
    for name in &names {
        let c = classify(name);
        if name.ends_with(".fits") || name.ends_with(".fits.gz") {
            let p = c.image.unwrap_or_else(|| panic!("{name}"));
            assert!(!p.source.is_empty() && p.intent.is_some() && !p.spws.is_empty(), "{name}: {p:?}");
            assert!(p.mous.is_some() && p.specmode.is_some() && p.stokes.is_some(), "{name}: {p:?}");
            assert!(matches!(p.imagetype.as_str(), "pbcor" | "pb"), "{name}: {p:?}");
        }
        let expected = [
            (".tar", Role::Container),
            ("README.txt", Role::Readme),
            ("scriptForPI.py", Role::Script),
            ("qa2_report.pdf", Role::Qa),
            (".fits", Role::Product),
        ];
        for (suffix, role) in expected {
            if name.ends_with(suffix) && !name.starts_with("DataLink") {
                assert_eq!(c.role, role, "{name}");
            }
        }
    }
    let kinds: Vec<Kind> = names.iter().map(|n| classify(n).kind).collect();
    for kind in [
        Kind::ProductTar,
        Kind::AuxiliaryTar,
        Kind::AsdmTar,
        Kind::Readme,
        Kind::ScriptForPi,
        Kind::ScriptForCalibration,
        Kind::ScriptForImaging,
        Kind::Qa2Report,
        Kind::Caltables,
        Kind::Image,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} among the corpus names");
    }
}

#[test]
fn real_flagtemplate_names() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/text");
    let Ok(dir) = std::fs::read_dir(base.join("calibration/ALMA-IMF")) else {
        println!("corpus not found: skipped");
        return;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert_eq!(classify(&name).kind, Kind::Flagtemplate, "{name}");
    }
}

proptest! {
    #[test]
    fn classify_never_panics(s in "\\PC{0,80}") {
        let c = classify(&s);
        prop_assert_eq!(c.image.is_some(), c.kind == Kind::Image);
    }

    #[test]
    fn classify_survives_mutated_real_names(index in 0usize..30, cut in 0usize..120, insert in "[._a-z0-9/]{0,6}") {
        let name = EXACT[index % EXACT.len()].0;
        let at = name.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(name.len());
        let mutated = format!("{}{}{}", &name[..at], insert, &name[at..]);
        let _ = classify(&mutated);
        let _ = classify(&name[..at]);
    }
}
