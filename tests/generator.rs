//! The generated package: deterministic, small, and shaped like a real ALMA delivery.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use almapkg::generator::{write_package, PackageSpec, Size};
use flate2::read::GzDecoder;

const TREE: &str = "2019.1.00123.S/science_goal.uid___A001_X1465_X2a10/group.uid___A001_X1465_X2a11";

fn out_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("almapkg-gen-test-{}-{name}", std::process::id()))
}

/// The small package, generated once for all tests.
fn small() -> &'static Vec<PathBuf> {
    static PATHS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PATHS.get_or_init(|| write_package(&out_dir("a"), &PackageSpec::default()).expect("small package"))
}

/// A tar's regular-file contents, and its link entries (name → (type, target)).
struct TarContents {
    files: BTreeMap<String, Vec<u8>>,
    links: BTreeMap<String, (tar::EntryType, String)>,
}

fn read_tar(bytes: &[u8]) -> TarContents {
    let mut archive = tar::Archive::new(bytes);
    let mut contents = TarContents { files: BTreeMap::new(), links: BTreeMap::new() };
    for entry in archive.entries().expect("tar parses") {
        let mut entry = entry.expect("entry parses");
        let name = entry.path().expect("path").to_string_lossy().into_owned();
        let kind = entry.header().entry_type();
        if kind.is_file() {
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("entry body");
            contents.files.insert(name, data);
        } else if kind.is_symlink() || kind.is_hard_link() {
            let target = entry.link_name().expect("link").expect("has target").to_string_lossy().into_owned();
            contents.links.insert(name, (kind, target));
        }
    }
    contents
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip decodes");
    out
}

fn tar_named(suffix: &str) -> TarContents {
    let path = small().iter().find(|p| p.to_string_lossy().ends_with(suffix)).expect("tar written");
    read_tar(&std::fs::read(path).expect("readable"))
}

#[test]
fn two_runs_give_identical_bytes() {
    let again = write_package(&out_dir("b"), &PackageSpec::default()).expect("second run");
    assert_eq!(small().len(), again.len());
    for (a, b) in small().iter().zip(&again) {
        assert_eq!(a.file_name(), b.file_name());
        assert!(std::fs::read(a).ok() == std::fs::read(b).ok(), "{} differs between runs", a.display());
    }
}

#[test]
fn small_package_fits_in_5_mb() {
    let total: u64 = small().iter().map(|p| std::fs::metadata(p).expect("exists").len()).sum();
    assert!(total <= 5_000_000, "small package is {total} bytes");
    assert_eq!(small().len(), 6, "two members × (product tar, auxiliary tar, README)");
}

#[test]
fn product_tar_repeats_the_tree_and_uses_archive_names() {
    let tar = tar_named("uid___A001_X1465_X2a12_001_of_001.tar");
    let product = format!("{TREE}/member.uid___A001_X1465_X2a12/product/");
    assert!(tar.files.keys().all(|k| k.starts_with(&product)), "every product under {product}");
    let m = "member.uid___A001_X1465_X2a12";
    for name in [
        format!("{m}._G012.80__sci.spw25_27_29_31.cont.I.tt0.pbcor.fits"),
        format!("{m}._G012.80__sci.spw25_27_29_31.cont.I.tt1.pbcor.fits"),
        format!("{m}._G012.80__sci.spw25_27_29_31.cont.I.pb.tt0.fits.gz"),
        format!("{m}._G012.80__sci.spw25_27_29_31.cont.I.alpha.fits"),
        format!("{m}._G012.80__sci.spw25_27_29_31.cont.I.alpha.error.fits"),
        format!("{m}._G012.80__sci.spw25_27_29_31.cont.I.mask.fits.gz"),
        format!("{m}.HD_163296_sci.spw29.mfs.I.pbcor.fits"),
        format!("{m}.HD_163296_sci.spw25.cube.I.pbcor.fits"),
        format!("{m}.HD_163296_sci.spw25.cube.I.pb.fits.gz"),
        format!("{m}.HD_163296_sci.spw25.cube.I.mask.fits.gz"),
        format!("{m}.J1924-2914_bp.spw27.mfs.I.pbcor.fits"),
        format!("{m}.J1751-1950_ph.spw31.mfs.I.pbcor.fits"),
        "uid___A002_Xe1d2cb_X1a3f.J1755-2232_chk.spw25_27_29_31.mfs.I.pbcor.fits".to_string(),
    ] {
        assert!(tar.files.contains_key(&format!("{product}{name}")), "missing {name}");
    }
    let seven = tar_named("uid___A001_X1465_X2a14_001_of_001.tar");
    assert!(seven.files.keys().any(|k| k.ends_with("HD_163296_sci.spw16.cube.I.pbcor.fits")), "7m uses spws 16–22");
}

#[test]
fn auxiliary_tar_has_the_member_folders() {
    let tar = tar_named("uid___A001_X1465_X2a12_auxiliary.tar");
    let root = format!("{TREE}/member.uid___A001_X1465_X2a12");
    let (m, p) = ("member.uid___A001_X1465_X2a12", "member.uid___A001_X1465_X2a12.hifa_calimage");
    for path in [
        format!("calibration/{p}.auxproducts.tgz"),
        format!("calibration/{m}.session_1.caltables.tgz"),
        "calibration/uid___A002_Xe1d2cb_X1a3f.ms.flagversions.tgz".to_string(),
        "calibration/uid___A002_Xe1d2cb_X1a3f.ms.calapply.txt".to_string(),
        format!("log/{p}.casa_commands.log"),
        "log/casa-20200214-093511.log".to_string(),
        format!("qa/{p}.weblog.tgz"),
        format!("qa/{m}.qa2_report.pdf"),
        format!("script/{m}.scriptForPI.py"),
        format!("script/{p}.casa_pipescript.py"),
        format!("script/{p}.casa_piperestorescript.py"),
        format!("script/{p}.pprequest.xml"),
        format!("{m}.README.txt"),
    ] {
        assert!(tar.files.contains_key(&format!("{root}/{path}")), "missing {path}");
    }
    let aux = read_tar(&gunzip(&tar.files[&format!("{root}/calibration/{p}.auxproducts.tgz")]));
    let cont = String::from_utf8(aux.files["cont.dat"].clone()).expect("text");
    assert!(cont.starts_with("Field: HD_163296\n\nSpectralWindow: 25\n"), "{cont}");
    assert!(aux.files.contains_key("flux.csv") && aux.files.contains_key("antennapos.csv"));
    assert!(aux.files.contains_key("uid___A002_Xe1d2cb_X1a3f.flagtemplate.txt"));
    let log = String::from_utf8(tar.files[&format!("{root}/log/{p}.casa_commands.log")].clone()).expect("text");
    assert!(log.starts_with("raise Error('The casa commands log is not executable!')"));
    assert!(
        log.contains("imagename='uid___A001_X1465_X2a12.s32_0.HD_163296_sci.spw25.cube.I.iter1'"),
        "tclean per product"
    );
    let pdf = &tar.files[&format!("{root}/qa/{m}.qa2_report.pdf")];
    assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"));
}

#[test]
fn weblog_has_symlink_hard_link_and_decodable_pngs() {
    let tar = tar_named("uid___A001_X1465_X2a12_auxiliary.tar");
    let key = tar.files.keys().find(|k| k.ends_with(".weblog.tgz")).expect("weblog");
    let weblog = read_tar(&gunzip(&tar.files[key]));
    let html = "pipeline-20200214T093518/html/";
    assert!(weblog.files.keys().chain(weblog.links.keys()).all(|k| k.starts_with(html)), "all under {html}");
    assert_eq!(weblog.links[&format!("{html}index.html")], (tar::EntryType::Symlink, "t1-1.html".to_string()));
    assert_eq!(
        weblog.links[&format!("{html}casa-20200214-093511.log")],
        (tar::EntryType::Link, format!("{html}casapy.log"))
    );
    for page in [
        "t1-1.html",
        "t1-4.html",
        "t2-1.html",
        "stage1/t2-4m_details.html",
        "casa_commands.log",
        "resources/css/pipeline.css",
        "resources/js/pipeline.js",
    ] {
        assert!(weblog.files.contains_key(&format!("{html}{page}")), "missing {page}");
    }
    let js = String::from_utf8(weblog.files[&format!("{html}resources/js/pipeline.js")].clone()).expect("text");
    assert!(js.contains("XMLHttpRequest") && js.contains("history.pushState") && js.contains("localStorage"));
    let pngs: Vec<&String> = weblog.files.keys().filter(|k| k.ends_with(".png")).collect();
    assert!(pngs.iter().any(|k| k.contains("/thumbs/")) && pngs.len() >= 4);
    for name in pngs {
        let decoder = png::Decoder::new(std::io::Cursor::new(weblog.files[name].clone()));
        let mut reader = decoder.read_info().expect("PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        reader.next_frame(&mut buf).expect("PNG decodes");
    }
    for (name, body) in &weblog.files {
        let text = String::from_utf8_lossy(body);
        assert!(!text.contains("http://") && !text.contains("https://"), "external URL in {name}");
    }
}

/// Checks the FITS structure and returns NAXISn.
fn check_fits(name: &str, bytes: &[u8]) -> Vec<u64> {
    assert_eq!(bytes.len() % 2880, 0, "{name}: not a multiple of 2880");
    let mut naxes = Vec::new();
    let mut header_len = None;
    for (i, card) in bytes.chunks(80).enumerate() {
        assert!(card.iter().all(|b| (32..127).contains(b)), "{name}: card {i} not ASCII");
        let card = std::str::from_utf8(card).expect("ascii");
        let value = || card[10..30].trim().parse::<i64>().expect("integer value");
        match &card[..8] {
            "BITPIX  " => assert_eq!(value(), -32, "{name}"),
            k if k.starts_with("NAXIS") && k.trim() != "NAXIS" => naxes.push(value() as u64),
            "END     " => {
                header_len = Some((i as u64 * 80 + 80).div_ceil(2880) * 2880);
                break;
            }
            _ => {}
        }
    }
    let header_len = header_len.unwrap_or_else(|| panic!("{name}: no END card"));
    let data: u64 = naxes.iter().product::<u64>() * 4;
    assert_eq!(bytes.len() as u64, header_len + data.div_ceil(2880) * 2880, "{name}: data size");
    naxes
}

#[test]
fn fits_products_are_valid_4d_float32() {
    let tar = tar_named("uid___A001_X1465_X2a12_001_of_001.tar");
    for (name, bytes) in &tar.files {
        let fits = if name.ends_with(".gz") { gunzip(bytes) } else { bytes.clone() };
        let naxes = check_fits(name, &fits);
        assert_eq!(naxes.len(), 4, "{name}");
        if name.contains(".cube.") {
            assert!(naxes[2] >= 20, "{name}: cube with channels");
        } else {
            assert_eq!(&naxes[2..], &[1, 1], "{name}: mfs/cont have length-1 FREQ and STOKES");
        }
    }
}

#[test]
fn weblog_from_a_directory_keeps_its_symlink() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/weblog/2017.1.00685.S-qa_partial");
    if !dir.is_dir() {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    }
    let spec = PackageSpec { weblog_from: Some(dir), ..PackageSpec::default() };
    let paths = write_package(&out_dir("w"), &spec).expect("package");
    let aux = paths.iter().find(|p| p.to_string_lossy().ends_with("X2a12_auxiliary.tar")).expect("aux");
    let tar = read_tar(&std::fs::read(aux).expect("read"));
    let key = tar.files.keys().find(|k| k.ends_with(".weblog.tgz")).expect("weblog");
    let weblog = read_tar(&gunzip(&tar.files[key]));
    assert_eq!(weblog.links["pipeline-20200214T093518/html/index.html"].1, "t1-1.html");
    assert!(weblog.files.contains_key("pipeline-20200214T093518/html/t1-4.html"));
}

#[test]
fn large_mode_writes_a_sparse_tar_of_the_requested_size() {
    let dir = out_dir("large");
    let spec = PackageSpec { size: Size::Large { gb: 5, entries: 20 }, ..PackageSpec::default() };
    let paths = write_package(&dir, &spec).expect("large package");
    let meta = std::fs::metadata(&paths[0]).expect("written");
    assert!(meta.len() >= 5_000_000_000, "apparent size {}", meta.len());
    assert!(meta.blocks() * 512 < 64 << 20, "disk usage {} bytes", meta.blocks() * 512);
    let mut archive = tar::Archive::new(std::fs::File::open(&paths[0]).expect("open"));
    let mut fits = 0;
    for entry in archive.entries_with_seek().expect("tar parses") {
        let mut entry = entry.expect("entry");
        if entry.header().entry_type().is_file() {
            let mut head = vec![0; 2880];
            entry.read_exact(&mut head).expect("FITS header");
            assert!(head.starts_with(b"SIMPLE  =                    T"));
            fits += 1;
        }
    }
    assert_eq!(fits, 20);
    std::fs::remove_dir_all(&dir).ok();
}
