//! cont.dat and casa_commands.log parsers on the real corpus files and synthetic versions.

use std::path::{Path, PathBuf};

use almapkg::text::{casa_commands, cont_dat};

fn corpus(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/text").join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("corpus not found at {}: skipped", dir.display());
        None
    }
}

#[test]
fn all_real_cont_dat_files_parse() {
    let Some(dir) = corpus("cont.dat/ALMA-IMF") else {
        return;
    };
    let mut count = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(entry.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let parsed = cont_dat::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.version, 2, "{name}");
        let field_prefix = name.split('.').next().unwrap_or_default();
        assert!(parsed.fields.iter().all(|f| f.field.starts_with(field_prefix)), "{name}");
        let spws = parsed.fields.iter().flat_map(|f| &f.spws);
        for spw in spws {
            assert!(!spw.ranges.is_empty() || spw.all || spw.none, "{name} spw {}", spw.spw);
            for r in &spw.ranges {
                assert!(r.lo_ghz > 80.0 && r.lo_ghz <= r.hi_ghz && r.hi_ghz < 300.0, "{name}: {r:?}");
                assert!(r.frame == "LSRK" || r.frame == "TOPO", "{name}: {r:?}");
            }
        }
        count += 1;
    }
    assert_eq!(count, 55);
}

#[test]
fn real_v2_example_exactly() {
    let Some(dir) = corpus("cont.dat/ALMA-IMF") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("G012.80.B6.7m.cont.dat")).unwrap_or_default();
    let parsed = cont_dat::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let first = &parsed.fields[0];
    assert_eq!(first.field, "G012.80");
    assert_eq!(first.spws[0].spw, 16);
    let r = &first.spws[0].ranges[0];
    assert_eq!((r.lo_ghz, r.hi_ghz, r.frame.as_str()), (216.056793, 216.082937, "LSRK"));
    assert_eq!(first.spws[0].ranges.len(), 3);
}

#[test]
fn v1_synthetic() {
    let text = "G012.80\nSPW16\n216.05~216.08GHz\n216.09~216.24GHz\nSPW18\nNONE\n";
    let parsed = cont_dat::parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.version, 1);
    assert_eq!(parsed.fields.len(), 1);
    let spws = &parsed.fields[0].spws;
    assert_eq!(spws.len(), 2);
    assert_eq!(spws[0].ranges.len(), 2);
    assert!(spws[0].ranges.iter().all(|r| r.frame == "TOPO"));
    assert!(spws[1].none);
}

#[test]
fn v3_synthetic_with_flags_all_and_empty_spw() {
    let text = "Field: hh666\n\nSpectralWindow: 19 X1913589666#ALMA_RB_06#BB_2#SW-01#FULL_RES\n\n\
        SpectralWindow: 25 X1913589666#ALMA_RB_06#BB_1#SW-01#FULL_RES\nFlags: ALLCONT\n\
        219.3452433728~219.8069245935GHz LSRK\n\nField: Jupiter\n\nSpectralWindow: 27 X1#BB_3\nALL\n\n\
        SpectralWindow: 29 X1#BB_4\n230.1~230.2GHz SOURCE\n";
    let parsed = cont_dat::parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.version, 3);
    let v = serde_json::to_value(&parsed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v["fields"][0]["spws"][0],
        serde_json::json!({"spw": 19, "name": "X1913589666#ALMA_RB_06#BB_2#SW-01#FULL_RES",
            "flags": [], "ranges": [], "all": false, "none": false})
    );
    assert_eq!(v["fields"][0]["spws"][1]["flags"], serde_json::json!(["ALLCONT"]));
    assert_eq!(v["fields"][0]["spws"][1]["ranges"][0]["lo_ghz"], 219.3452433728);
    assert_eq!(v["fields"][1]["spws"][0]["all"], true);
    assert_eq!(v["fields"][1]["spws"][1]["ranges"][0]["frame"], "SOURCE");
}

#[test]
fn cont_dat_errors_say_where() {
    let e = cont_dat::parse("Field: a\n\nSpectralWindow: x\n").err().map(|e| e.to_string());
    assert_eq!(e.as_deref(), Some("cont.dat line 3: spectral window id \"x\" is not a number"));
    let e = cont_dat::parse("Field: a\n1~2GHz LSRK\n").err().map(|e| e.to_string());
    assert!(e.is_some_and(|m| m.contains("line 2")));
    assert!(cont_dat::parse("hello world\nnothing here\n").is_err());
    assert!(cont_dat::parse("Field: a\nSpectralWindow: 1\n1~zzz LSRK\n").is_err());
}

fn casa_log(part: &str) -> Option<String> {
    let dir = corpus("casa_commands.log/2017.1.00685.S")?;
    std::fs::read_to_string(dir.join(format!("casa_commands.log.{part}-excerpt"))).ok()
}

#[test]
fn real_head_excerpt_stages() {
    let Some(text) = casa_log("head") else { return };
    let log = casa_commands::parse(&text);
    let first = &log.stages[0];
    assert_eq!(first.index, 1);
    assert!(first.task_call.starts_with("hifa_importdata(vis=['uid___A002_Xd16a1e_X4327'"));
    assert_eq!(first.description, "If required, ASDMs are converted to MeasurementSets.");
    assert_eq!(first.calls.len(), 7);
    let call = &first.calls[0];
    assert_eq!(call.task, "importasdm");
    assert_eq!(call.line, 16);
    assert!(call.text.contains("asis='Antenna CalAtmosphere CalWVR ExecBlock"));
    assert!(call.text.ends_with("with_pointing_correction=False)"));
    assert_eq!(call.string_argument("vis"), Some("uid___A002_Xd3c7c2_Xb7f9.ms"));
    assert_eq!(log.stages[1].task_call, "hifa_flagdata(pipelinemode=\"automatic\")");
    assert!(log.stages[1].calls.iter().all(|c| c.task == "flagdata"));
}

#[test]
fn real_tail_excerpt_and_tclean_lookup() {
    let Some(text) = casa_log("tail") else { return };
    let log = casa_commands::parse(&text);
    assert_eq!(log.stages[0].index, 0, "the excerpt starts mid-stage");
    let names: Vec<&str> = log.stages.iter().skip(1).map(|s| s.task_call.as_str()).collect();
    assert!(names.contains(&"hif_makeimlist(per_eb=True, intent='CHECK')"));
    assert!(names.contains(&"hifa_exportdata(pipelinemode=\"automatic\")"));
    let product = "member.uid___A001_X1284_X1141.J0329-2357_ph.spw22.mfs.I.pbcor.fits";
    let call = log.tclean_for_image(product).unwrap_or_else(|| panic!("no tclean for {product}"));
    assert_eq!(call.line, 23, "the iter1 call, not the iter0 dirty image");
    assert_eq!(call.string_argument("imagename"), Some("uid___A001_X1284_X1141.s19_0.J0329-2357_ph.spw22.mfs.I.iter1"));
    assert!(call.text.contains("usemask='auto-multithresh'"), "hyphen wrap re-joined");
    let pb = "a/product/uid___A001_X1284_X1141.J0329-2357_ph.spw24.mfs.I.pb.fits.gz";
    assert_eq!(log.tclean_for_image(pb).map(|c| c.line), Some(88));
    assert!(log.tclean_for_image("member.uid___A001_X1284_X1141.J0329-2357_ph.spw99.mfs.I.pbcor.fits").is_none());
}

#[test]
fn selfcal_token_moved_by_the_archive_still_matches() {
    let text = "# hif_makeimages(pipelinemode=\"automatic\")\n#\n# Compute clean map.\n#\n\
        tclean(vis=['a.ms'], imagename='uid___A001_X1_X2.s20_0.M83_sci.spw25.cube.selfcal.I.iter1',\n       specmode='cube')\n";
    let log = casa_commands::parse(text);
    assert_eq!(log.stages[0].description, "Compute clean map.");
    let call = log.tclean_for_image("member.uid___A001_X1_X2.M83_sci.spw25.cube.I.selfcal.pbcor.fits");
    assert_eq!(call.map(|c| c.line), Some(5));
    assert!(call.is_some_and(|c| c.text.ends_with("specmode='cube')")));
}
