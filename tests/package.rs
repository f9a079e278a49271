//! The package model from synthetic path lists shaped like real deliveries.

use almapkg::naming::Kind;
use almapkg::package::{build, FileRef};

const TREE: &str = "2019.1.01234.S/science_goal.uid___A001_X1465_X1/group.uid___A001_X1465_X2";
const M12: &str = "member.uid___A001_X1465_X3";
const M7: &str = "member.uid___A001_X1465_X4";

fn refs(container: usize, paths: &[String]) -> Vec<FileRef> {
    paths
        .iter()
        .enumerate()
        .map(|(entry, path)| FileRef { path: path.clone(), size: 100 + entry as u64, container, entry })
        .collect()
}

fn in_member(member: &str, rest: &str) -> String {
    format!("{TREE}/{member}/{rest}")
}

fn two_member_delivery() -> (Vec<FileRef>, Vec<String>) {
    let product = |m: &str, f: &str| in_member(m, &format!("product/{m}.{f}"));
    let tar1: Vec<String> = vec![
        format!("{TREE}/"),
        product(M12, "NGC_628_sci.spw25.cube.I.pbcor.fits"),
        product(M12, "NGC_628_sci.spw25.cube.I.pb.fits.gz"),
        product(M12, "NGC_628_sci.spw25.cube.I.mask.fits.gz"),
        product(M12, "NGC_628_sci.spw25_27.cont.I.tt0.pbcor.fits"),
        product(M12, "NGC_628_sci.spw25_27.cont.I.tt1.pbcor.fits"),
        product(M12, "NGC_628_sci.spw25_27.cont.I.pb.tt0.fits.gz"),
        product(M12, "NGC_628_sci.spw25_27.cont.I.alpha.fits"),
        product(M12, "NGC_628_sci.spw25_27.cont.I.alpha.error.fits"),
        product(M12, "J0139+1753_bp.spw25.mfs.I.pbcor.fits"),
        product(M7, "NGC_628_sci.spw16.cube.I.pbcor.fits"),
        product(M7, "NGC_628_sci.spw16.cube.I.pb.fits.gz"),
    ];
    let aux: Vec<String> = vec![
        in_member(M12, &format!("{M12}.README.txt")),
        in_member(M12, &format!("qa/{M12}.hifa_calimage.weblog.tgz")),
        in_member(M12, &format!("log/{M12}.hifa_calimage.casa_commands.log")),
        in_member(M12, &format!("calibration/{M12}.hifa_calimage.auxproducts.tgz")),
        in_member(M7, &format!("qa/{M7}.hifa_calimage.weblog.tgz")),
        in_member(M7, "calibration/uid___A001_X1465_X4.cont.dat"),
        in_member(M7, "script/scriptForPI.py"),
    ];
    let mut files = refs(0, &tar1);
    files.extend(refs(1, &aux));
    let names = vec![
        "2019.1.01234.S_uid___A001_X1465_X3_001_of_001.tar".to_string(),
        "2019.1.01234.S_uid___A001_X1465_X3_auxiliary.tar".to_string(),
    ];
    (files, names)
}

#[test]
fn two_members_across_product_and_auxiliary_tars() {
    let (files, names) = two_member_delivery();
    let package = build(&files, &names);
    assert_eq!(package.projects, ["2019.1.01234.S"]);
    assert!(package.loose.is_empty());
    assert_eq!(package.containers[0].kind, Kind::ProductTar);
    assert_eq!(package.containers[1].kind, Kind::AuxiliaryTar);
    assert_eq!(package.members.len(), 2);

    let m12 = &package.members[0];
    assert_eq!(m12.uid, "uid___A001_X1465_X3");
    assert_eq!(m12.group.as_deref(), Some("uid___A001_X1465_X2"));
    assert_eq!(m12.science_goal.as_deref(), Some("uid___A001_X1465_X1"));
    assert_eq!(m12.path, format!("{TREE}/{M12}"));
    assert!(m12.readme.as_deref().is_some_and(|r| r.ends_with("README.txt")));
    assert_eq!(m12.weblogs.len(), 1);
    assert_eq!(m12.casa_commands.len(), 1);
    assert_eq!(m12.files.len(), 13);
    assert!(m12.files.iter().any(|f| f.container == 1 && f.classification.kind == Kind::Auxproducts));

    let summary = &m12.summary;
    assert_eq!(summary.product_count, 3);
    assert_eq!(summary.sources, ["J0139+1753", "NGC_628"]);
    assert_eq!(summary.source_count, 2);
    assert_eq!(summary.spws, [25, 27]);
    assert_eq!(summary.cycle, Some(7));
    assert_eq!(summary.total_bytes, m12.files.iter().map(|f| f.size).sum::<u64>());

    let sources: Vec<(&str, Option<&str>)> =
        m12.products.iter().map(|p| (p.name.source.as_str(), p.name.specmode.as_deref())).collect();
    assert_eq!(sources, [("J0139+1753", Some("mfs")), ("NGC_628", Some("cube")), ("NGC_628", Some("cont"))]);
    let cube = &m12.products[1];
    assert!(cube.primary.ends_with("cube.I.pbcor.fits"));
    let roles: Vec<&str> = cube.companions.iter().map(|c| c.role.as_str()).collect();
    assert_eq!(roles.len(), 2);
    assert!(roles.contains(&"pb") && roles.contains(&"mask"));
    let cont = &m12.products[2];
    assert!(cont.primary.ends_with("cont.I.tt0.pbcor.fits"));
    let mut roles: Vec<&str> = cont.companions.iter().map(|c| c.role.as_str()).collect();
    roles.sort_unstable();
    assert_eq!(roles, ["alpha", "alpha.error", "pb", "tt1"]);

    let m7 = &package.members[1];
    assert_eq!(m7.uid, "uid___A001_X1465_X4");
    assert_eq!(m7.products.len(), 1);
    assert_eq!(m7.products[0].companions.len(), 1);
    assert_eq!(m7.cont_dat.len(), 1);
    assert_eq!(m7.readme, None);
    assert_eq!(m7.summary.spws, [16]);
}

#[test]
fn doubled_project_folder_and_extra_leading_folder() {
    let path = "downloads/2025.1.00236.S/2025.1.00236.S/science_goal.uid___A001_X3833_X4da5/group.uid___A001_X3833_X4da6/member.uid___A001_X3833_X4da7/product/member.uid___A001_X3833_X4da7.Src_sci.spw25.cube.I.pbcor.fits";
    let package = build(&refs(0, &[path.to_string()]), &["x.tar".to_string()]);
    assert_eq!(package.projects, ["2025.1.00236.S"]);
    let member = &package.members[0];
    assert_eq!(member.uid, "uid___A001_X3833_X4da7");
    assert_eq!(member.summary.cycle, Some(12));
    assert_eq!(member.products.len(), 1);
}

#[test]
fn loose_files_and_partial_trees() {
    let paths = [
        "member.uid___A001_X12a3_Xe9.README.txt".to_string(),
        "member.uid___A001_X12a3_Xe9.50_kms_cloud_sci.spw0_4_8_12.cube.I.manual.image.pbcor.fits".to_string(),
        "member.uid___A001_X1_X2/qa/member.uid___A001_X1_X2.hifa_calimage.weblog.tgz".to_string(),
    ];
    let package = build(&refs(0, &paths), &[]);
    assert_eq!(package.loose.len(), 2);
    assert_eq!(package.loose[0].classification.kind, Kind::Readme);
    assert_eq!(package.loose[1].classification.kind, Kind::Image);
    assert_eq!(package.members.len(), 1);
    let member = &package.members[0];
    assert_eq!((member.project.as_deref(), member.summary.cycle), (None, None));
    assert_eq!(member.weblogs.len(), 1);
    assert!(package.projects.is_empty());
}

#[test]
fn json_shape() {
    let (files, names) = two_member_delivery();
    let v = serde_json::to_value(build(&files, &names)).unwrap_or_else(|e| panic!("{e}"));
    for key in ["projects", "members", "loose", "containers"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let member = &v["members"][0];
    for key in [
        "uid",
        "project",
        "science_goal",
        "group",
        "path",
        "readme",
        "weblogs",
        "cont_dat",
        "casa_commands",
        "auxproducts",
        "products",
        "summary",
    ] {
        assert!(member.get(key).is_some(), "{key}");
    }
    assert!(
        member["auxproducts"][0].as_str().is_some_and(|p| p.ends_with(".auxproducts.tgz")),
        "{}",
        member["auxproducts"]
    );
    // The page's copy of the model (kept, and passed on every re-open) lists no member's
    // files: every path with its whole classification was over half its size.
    assert!(member.get("files").is_none(), "members carry no file list");
    let product = &member["products"][0];
    for key in ["primary", "companions", "source", "spws"] {
        assert!(product.get(key).is_some(), "{key}");
    }
}
