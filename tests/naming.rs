//! Name classification against real ALMA names (conventions document and archive responses).

use std::path::Path;

use almapkg::naming::{classify, explain_kind, explain_token, Kind, ProductName, Role};
use proptest::prelude::*;

fn image(name: &str) -> ProductName {
    let c = classify(name);
    assert_eq!(c.kind, Kind::Image, "{name}");
    c.image
        .unwrap_or_else(|| panic!("no product fields for {name}"))
}

/// (name, mous, source, intent, spws, specmode, stokes, taylor, imagetype, datatype, manual, gzip, tokens)
type Expected<'a> = (
    &'a str,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    &'a [u32],
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    bool,
    bool,
    &'a [&'a str],
);

const EXACT: &[Expected] = &[
    ("member.uid___A001_X15a0_Xee.Sgr_A_star_sci.spw25.cube.I.pbcor.fits", Some("uid___A001_X15a0_Xee"), "Sgr_A_star", Some("sci"), &[25], Some("cube"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("uid___A001_X87c_X69._G012.80__sci.spw16_18_20_22.cont.I.tt0.pbcor.fits", Some("uid___A001_X87c_X69"), "_G012.80_", Some("sci"), &[16, 18, 20, 22], Some("cont"), Some("I"), Some("tt0"), "pbcor", None, false, false, &[]),
    ("uid___A001_X87c_X69.NGC_628_sci.spw17_19_21_23.cont.I.tt1.pbcor.fits", Some("uid___A001_X87c_X69"), "NGC_628", Some("sci"), &[17, 19, 21, 23], Some("cont"), Some("I"), Some("tt1"), "pbcor", None, false, false, &[]),
    ("uid___A001_X87c_X69.NGC_628_sci.spw17_19_21_23.cont.I.pb.tt0.fits", Some("uid___A001_X87c_X69"), "NGC_628", Some("sci"), &[17, 19, 21, 23], Some("cont"), Some("I"), Some("tt0"), "pb", None, false, false, &[]),
    ("uid___A001_X87c_X69.NGC_628_sci.spw17_19_21_23.cont.I.alpha.fits", Some("uid___A001_X87c_X69"), "NGC_628", Some("sci"), &[17, 19, 21, 23], Some("cont"), Some("I"), None, "alpha", None, false, false, &[]),
    ("uid___A001_X87c_X69.NGC_628_sci.spw17_19_21_23.cont.I.alpha.error.fits", Some("uid___A001_X87c_X69"), "NGC_628", Some("sci"), &[17, 19, 21, 23], Some("cont"), Some("I"), None, "alpha.error", None, false, false, &[]),
    ("member.uid___A001_X133d_X1.G0.02467-0.0727_sci.spw29.cube.I.pb.fits.gz", Some("uid___A001_X133d_X1"), "G0.02467-0.0727", Some("sci"), &[29], Some("cube"), Some("I"), None, "pb", None, false, true, &[]),
    ("member.uid___A001_X1465_X1.__035.522-00.274__sci.spw5_17_19_23.mfs.I.mask.fits.gz", Some("uid___A001_X1465_X1"), "__035.522-00.274_", Some("sci"), &[5, 17, 19, 23], Some("mfs"), Some("I"), None, "mask", None, false, true, &[]),
    ("member.uid___A001_X1_X2.J0139+1753_bp.spw25.mfs.I.pbcor.fits", Some("uid___A001_X1_X2"), "J0139+1753", Some("bp"), &[25], Some("mfs"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("member.uid___A001_X1_X2.04287+1801_ph.spw31.mfs.I.pbcor.fits", Some("uid___A001_X1_X2"), "04287+1801", Some("ph"), &[31], Some("mfs"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("uid___A002_Xd28a9e_X71b8.J1733-1304_chk.spw25.mfs.I.pbcor.fits", Some("uid___A002_Xd28a9e_X71b8"), "J1733-1304", Some("chk"), &[25], Some("mfs"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("member.uid___A001_X1_X2.3C279_pol.spw17.mfs.IQUV.POLI.fits", Some("uid___A001_X1_X2"), "3C279", Some("pol"), &[17], Some("mfs"), Some("IQUV"), None, "POLI", None, false, false, &[]),
    ("member.uid___A001_X1_X2.J1924-2914_pang.spw17.mfs.I.pbcor.fits", Some("uid___A001_X1_X2"), "J1924-2914", Some("pang"), &[17], Some("mfs"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("member.uid___A001_X1_X2.J1924-2914_plk.spw17.mfs.I.pbcor.fits", Some("uid___A001_X1_X2"), "J1924-2914", Some("plk"), &[17], Some("mfs"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("member.uid___A001_X1_X2.Ceres_flux.spw17.mfs.I.pbcor.fits", Some("uid___A001_X1_X2"), "Ceres", Some("flux"), &[17], Some("mfs"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("member.uid___A001_X3845_Xa2f.M83_sci.spw25.cube.I.selfcal.pbcor.fits", Some("uid___A001_X3845_Xa2f"), "M83", Some("sci"), &[25], Some("cube"), Some("I"), None, "pbcor", Some("selfcal"), false, false, &[]),
    ("uid___A001_X3845_Xa2f.M83_sci.spw25_27.cont.regcal.I.tt0.pbcor.fits", Some("uid___A001_X3845_Xa2f"), "M83", Some("sci"), &[25, 27], Some("cont"), Some("I"), Some("tt0"), "pbcor", Some("regcal"), false, false, &[]),
    ("member.uid___A001_X1_X2.Src_sci.spw25.repBW.I.pbcor.fits", Some("uid___A001_X1_X2"), "Src", Some("sci"), &[25], Some("repBW"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("Mira_sci.spw0_1_2_3.mfs.I.manual.B6.image.pbcor.fits", None, "Mira", Some("sci"), &[0, 1, 2, 3], Some("mfs"), Some("I"), None, "pbcor", None, true, false, &["B6"]),
    ("IRCp10216_sci.spw0.cube.IQUV.manual.pbcor.fits", None, "IRCp10216", Some("sci"), &[0], Some("cube"), Some("IQUV"), None, "pbcor", None, true, false, &[]),
    ("S255_IR_sci.spw29.cube.I.pbcor.fits", None, "S255_IR", Some("sci"), &[29], Some("cube"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("member.uid___A001_X15aa_X29e.M275_sci.spw17.cube.I.sd.fits", Some("uid___A001_X15aa_X29e"), "M275", Some("sci"), &[17], Some("cube"), Some("I"), None, "sd", None, false, false, &[]),
    ("member.uid___A001_X15aa_X29e.M275_sci.spw17.cube.I.sd.weight.fits", Some("uid___A001_X15aa_X29e"), "M275", Some("sci"), &[17], Some("cube"), Some("I"), None, "sd.weight", None, false, false, &[]),
    ("Radio_Peak_of_IRAS_19132+1035.spw19.I.sd.fits", None, "Radio_Peak_of_IRAS_19132+1035", None, &[19], None, Some("I"), None, "sd", None, false, false, &[]),
    ("member.uid___A001_X1_X2.Src_sci.spw25.cube.I.pbcor.v2.fits", Some("uid___A001_X1_X2"), "Src", Some("sci"), &[25], Some("cube"), Some("I"), None, "pbcor", None, false, false, &["v2"]),
    ("uid___A001_X15a0_Xcc.s36_0.Sgr_A_star_sci.spw16_18_20_22_24_26.cont.I.iter1.image.tt0.pbcor.fits", Some("uid___A001_X15a0_Xcc"), "Sgr_A_star", Some("sci"), &[16, 18, 20, 22, 24, 26], Some("cont"), Some("I"), Some("tt0"), "pbcor", None, false, false, &["s36_0", "iter1"]),
    ("group.uid___A001_X1590_X30a9.lp_slongmore.cmz_mosaic.icrs.12m7mTP.HNCO.cube.pbcor.fits", Some("uid___A001_X1590_X30a9"), "cmz_mosaic.icrs.12m7mTP.HNCO", None, &[], Some("cube"), None, None, "pbcor", None, false, false, &["group", "lp_slongmore"]),
    ("member.uid___A001_X12a3_Xe9.50_kms_cloud_sci.spw0_1_2_3_4_5_6_7_8_9_10_11_12_13_14_15.mfs.I.manual.pb.fits.gz", Some("uid___A001_X12a3_Xe9"), "50_kms_cloud", Some("sci"), &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], Some("mfs"), Some("I"), None, "pb", None, true, true, &[]),
    ("member.uid___A001_X88a_X2b.Per33_L1448_IRS3B_sci.spw31.cube.I.pbcor.fits", Some("uid___A001_X88a_X2b"), "Per33_L1448_IRS3B", Some("sci"), &[31], Some("cube"), Some("I"), None, "pbcor", None, false, false, &[]),
    ("member.uid___A001_X1_X2.Odd_sci.spw1.cube.I.pbcor.fits", Some("uid___A001_X1_X2"), "Odd", Some("sci"), &[1], Some("cube"), Some("I"), None, "pbcor", None, false, false, &[]),
];

#[test]
fn exact_fields_of_representative_names() {
    for &(
        name,
        mous,
        source,
        intent,
        spws,
        specmode,
        stokes,
        taylor,
        imagetype,
        datatype,
        manual,
        gzip,
        tokens,
    ) in EXACT
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
            (
                mous, source, intent, spws, specmode, stokes, taylor, imagetype, datatype, manual,
                gzip
            ),
            "{name}"
        );
        assert_eq!(p.tokens, tokens, "{name}");
    }
}

#[test]
fn kinds_of_every_family() {
    let cases: &[(&str, Kind, Role)] = &[
        (
            "2017.1.01419.S_uid___A001_X1284_X1ef2_001_of_001.tar",
            Kind::ProductTar,
            Role::Container,
        ),
        (
            "2017.1.01185.S_uid___A001_X12a3_Xe9_auxiliary.tar",
            Kind::AuxiliaryTar,
            Role::Container,
        ),
        (
            "uid___A002_X7d44e7_X956.asdm.sdm.tar",
            Kind::AsdmTar,
            Role::Container,
        ),
        (
            "2016.1.01435.S_uid___A002_Xba0af7_X6409.asdm.sdm.tar",
            Kind::AsdmTar,
            Role::Container,
        ),
        (
            "2011.0.00121.S_2012-08-16_001_of_002.tar",
            Kind::ProductTar,
            Role::Container,
        ),
        (
            "member.uid___A001_X12a3_Xe9.README.txt",
            Kind::Readme,
            Role::Readme,
        ),
        (
            "p/member.uid___A001_X1_X2/README",
            Kind::Readme,
            Role::Readme,
        ),
        (
            "qa/member.uid___A001_X3360_X28.hifa_calimage.weblog.tgz",
            Kind::Weblog,
            Role::Qa,
        ),
        ("uid___A001_X87c_X69.weblog.tgz", Kind::Weblog, Role::Qa),
        (
            "log/member.uid___A001_X3360_X28.hifa_calimage.casa_commands.log",
            Kind::CasaCommands,
            Role::Log,
        ),
        (
            "uid___A001_X87c_X69.casa_commands.log",
            Kind::CasaCommands,
            Role::Log,
        ),
        (
            "log/casa-20221005-173548286714693.log",
            Kind::CasaLog,
            Role::Log,
        ),
        (
            "calibration/uid___A001_X87c_X69.cont.dat",
            Kind::ContDat,
            Role::Calibration,
        ),
        ("cont.dat", Kind::ContDat, Role::Calibration),
        ("calibration/flux.csv", Kind::FluxCsv, Role::Calibration),
        (
            "calibration/antennapos.csv",
            Kind::Antennapos,
            Role::Calibration,
        ),
        (
            "uid___A002_Xd28a9e_X71b8.antennapos.json",
            Kind::Antennapos,
            Role::Calibration,
        ),
        (
            "member.uid___A001_X1_X2.session_1.caltables.tgz",
            Kind::Caltables,
            Role::Calibration,
        ),
        (
            "member.uid___A001_X1_X2.session_1.auxcaltables.tgz",
            Kind::Caltables,
            Role::Calibration,
        ),
        (
            "uid___A001_X1_X2.session_1.caltables.tar.gz",
            Kind::Caltables,
            Role::Calibration,
        ),
        (
            "uid___A002_X1_X2.ms.flagversions.tgz",
            Kind::Flagversions,
            Role::Calibration,
        ),
        (
            "uid___A002_X1_X2.ms.flagversions.tar.gz",
            Kind::Flagversions,
            Role::Calibration,
        ),
        (
            "uid___A002_X1_X2.ms.calapply.txt",
            Kind::Calapply,
            Role::Calibration,
        ),
        (
            "uid___A002_X1_X2_targets.ms.auxcalapply.txt",
            Kind::Calapply,
            Role::Calibration,
        ),
        (
            "uid___A002_Xca0142_X2006.flagtemplate.txt",
            Kind::Flagtemplate,
            Role::Calibration,
        ),
        (
            "uid___A002_X1_X2_flagtemplate.txt",
            Kind::Flagtemplate,
            Role::Calibration,
        ),
        (
            "uid___A002_X1_X2_flagtargetstemplate.txt",
            Kind::Flagtemplate,
            Role::Calibration,
        ),
        (
            "uid___A002_X1_X2.flagtsystemplate.txt",
            Kind::Flagtemplate,
            Role::Calibration,
        ),
        (
            "member.uid___A001_X3360_X28.hifa_calimage.auxproducts.tgz",
            Kind::Auxproducts,
            Role::Calibration,
        ),
        (
            "member.uid___A001_X12a3_Xe9.scriptForPI.py",
            Kind::ScriptForPi,
            Role::Script,
        ),
        ("scriptForPI.py", Kind::ScriptForPi, Role::Script),
        (
            "member.uid___A001_X1_X2.hifa_calimage.casa_pipescript.py",
            Kind::Pipescript,
            Role::Script,
        ),
        (
            "casa_piperestorescript.py",
            Kind::Restorescript,
            Role::Script,
        ),
        (
            "member.uid___A001_X1_X2.hifa_calimage.pprequest.xml",
            Kind::Ppr,
            Role::Script,
        ),
        ("PPR_uid___A001_X87c_X6a.xml", Kind::Ppr, Role::Script),
        (
            "uid___A002_X8fd70d_X1484.ms.scriptForCalibration.py",
            Kind::ScriptForCalibration,
            Role::Script,
        ),
        (
            "uid___A002_X1_X2.ms.scriptForSDCalibration.py",
            Kind::ScriptForCalibration,
            Role::Script,
        ),
        (
            "member.uid___A001_X12a3_Xe9.scriptForImaging.py",
            Kind::ScriptForImaging,
            Role::Script,
        ),
        (
            "member.uid___A001_X12a3_Xe9.scriptForImagingPrep.py",
            Kind::ScriptForImaging,
            Role::Script,
        ),
        (
            "member.uid___A001_X12a3_Xe9.qa2_report.pdf",
            Kind::Qa2Report,
            Role::Qa,
        ),
        (
            "member.uid___A001_X12a3_Xe9.qa2_report.html",
            Kind::Qa2Report,
            Role::Qa,
        ),
        (
            "member.uid___A001_X1289_X1a1.hifa_calimage.calimage.pipeline_manifest.xml",
            Kind::Manifest,
            Role::Other,
        ),
        (
            "member.uid___A001_X1_X2.hifa_calimage.pipeline_aquareport.xml",
            Kind::Aquareport,
            Role::Qa,
        ),
        (
            "pipeline_stats_uid___A001_X1_X2.json",
            Kind::PipelineStats,
            Role::Other,
        ),
        (
            "member.uid___A001_X12a3_Xe9.calimage.product_rename.txt",
            Kind::Other,
            Role::Other,
        ),
        (
            "raw/uid___A002_X1_X2.asdm.sdm/ASDM.xml",
            Kind::Other,
            Role::Raw,
        ),
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
    let back: almapkg::naming::Classification =
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, c);
    let plain = serde_json::to_value(classify("x/flux.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        plain,
        serde_json::json!({"name": "flux.csv", "role": "calibration", "kind": "flux_csv"})
    );
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
        assert!(
            explain_token(token).is_some_and(|t| !t.is_empty()),
            "{token}"
        );
    }
    assert_eq!(explain_token("NGC_628"), None);
    assert!(!explain_kind(Kind::Weblog).is_empty());
}

/// Every file name listed in the real archive responses of the corpus.
fn corpus_names() -> Option<Vec<String>> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/text/alma-archive-responses");
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
            let name: String = url
                .chars()
                .take_while(|c| !matches!(c, '<' | '"' | ' ' | '\n' | '\t'))
                .collect();
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
            assert!(
                !p.source.is_empty() && p.intent.is_some() && !p.spws.is_empty(),
                "{name}: {p:?}"
            );
            assert!(
                p.mous.is_some() && p.specmode.is_some() && p.stokes.is_some(),
                "{name}: {p:?}"
            );
            assert!(
                matches!(p.imagetype.as_str(), "pbcor" | "pb"),
                "{name}: {p:?}"
            );
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
