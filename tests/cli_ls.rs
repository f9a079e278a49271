//! The `ls` and `extract` sub-commands, run as the built binary on generated tars.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tar::{Builder, EntryType, Header};

/// A temporary directory removed at the end of the test.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("almapkg-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn almapkg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_almapkg")).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Big enough to need several 8 MiB chunks, with a pattern that catches misplaced chunks.
fn big_data() -> &'static [u8] {
    static DATA: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DATA.get_or_init(|| (0..20_000_003u32).map(|i| (i % 251) as u8).collect())
}

fn link_header(kind: EntryType) -> Header {
    let mut h = Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(0);
    h
}

/// A package tar: a directory, a text file, a big cube, a symlink, and a link into `other.tar`.
fn write_package(dir: &TempDir) -> (String, String) {
    let mut b = Builder::new(Vec::new());
    let mut d = link_header(EntryType::Directory);
    b.append_data(&mut d, "pkg/", std::io::empty()).unwrap();
    let mut h = Header::new_gnu();
    h.set_size(6);
    b.append_data(&mut h, "pkg/README.txt", &b"hello\n"[..]).unwrap();
    let big = big_data();
    h.set_size(big.len() as u64);
    b.append_data(&mut h, "pkg/product/cube.fits", big).unwrap();
    b.append_link(&mut link_header(EntryType::Symlink), "pkg/latest.fits", "product/cube.fits").unwrap();
    b.append_link(&mut link_header(EntryType::Symlink), "pkg/weblog.html", "../other/index.html").unwrap();
    let package = dir.path("package.tar");
    std::fs::write(&package, b.into_inner().unwrap()).unwrap();

    let mut b = Builder::new(Vec::new());
    h.set_size(4);
    b.append_data(&mut h, "other/index.html", &b"<p/>"[..]).unwrap();
    h.set_size(3);
    b.append_data(&mut h, "other/README.txt", &b"two"[..]).unwrap();
    let other = dir.path("other.tar");
    std::fs::write(&other, b.into_inner().unwrap()).unwrap();
    (package, other)
}

#[test]
fn ls_json_lists_every_entry_of_every_tar() {
    let dir = TempDir::new("json");
    let (package, other) = write_package(&dir);
    let out = almapkg(&["ls", &package, &other, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 7);
    let dir_entry = &lines[0];
    assert_eq!((dir_entry["path"].as_str(), dir_entry["type"].as_str()), (Some("pkg"), Some("dir")));
    let cube = &lines[2];
    assert_eq!(cube["path"], "pkg/product/cube.fits");
    assert_eq!(cube["type"], "file");
    assert_eq!(cube["size"], 20_000_003);
    assert_eq!(cube["tar"].as_str(), Some(package.as_str()));
    let cube_offset = cube["offset"].as_u64().unwrap();
    let bytes = std::fs::read(&package).unwrap();
    assert_eq!(&bytes[cube_offset as usize..][..5], &big_data()[..5]);
    assert!(cube.get("link").is_none());
    // The classification fields of `almapkg classify` come with every file and link.
    assert_eq!(
        (cube["role"].as_str(), cube["kind"].as_str(), cube["name"].as_str()),
        (Some("product"), Some("image"), Some("cube.fits"))
    );
    assert_eq!(lines[1]["kind"], "readme");
    assert!(dir_entry.get("kind").is_none(), "directories are not classified");
    let link = &lines[3];
    assert_eq!((link["type"].as_str(), link["link"].as_str()), (Some("symlink"), Some("product/cube.fits")));
    assert_eq!(lines[6]["tar"].as_str(), Some(other.as_str()));
}

#[test]
fn ls_table_is_aligned() {
    let dir = TempDir::new("table");
    let (package, _) = write_package(&dir);
    let out = almapkg(&["ls", &package]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[3].starts_with("symlink ") && lines[3].ends_with("pkg/latest.fits -> product/cube.fits"));
    let path_column: Vec<usize> = lines.iter().map(|l| l.find("pkg").unwrap()).collect();
    assert!(path_column.iter().all(|&c| c == path_column[0]), "{text}");
}

#[test]
fn ls_rejects_a_file_that_is_not_a_tar() {
    let dir = TempDir::new("nottar");
    let fits = dir.path("image.fits");
    std::fs::write(&fits, format!("{:<2880}", "SIMPLE  =                    T")).unwrap();
    let out = almapkg(&["ls", &fits]);
    assert_eq!(out.status.code(), Some(1));
    let expected = format!("almapkg: {fits}: not a tar archive (it looks like a FITS file");
    assert!(stderr(&out).starts_with(&expected), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn ls_lists_a_damaged_tar_then_reports_where() {
    let dir = TempDir::new("damaged");
    let (package, _) = write_package(&dir);
    let bytes = std::fs::read(&package).unwrap();
    let cut = dir.path("cut.tar");
    std::fs::write(&cut, &bytes[..1_000_000]).unwrap();
    let out = almapkg(&["ls", &cut, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2, "pkg and README.txt");
    let msg = stderr(&out);
    assert!(msg.contains("entry pkg/product/cube.fits") && msg.contains("offset 2048"), "{msg}");
}

#[test]
fn extract_by_path_basename_link_and_spec() {
    let dir = TempDir::new("extract");
    let (package, other) = write_package(&dir);
    let out_file = dir.path("out.fits");
    for args in [
        vec![package.as_str(), "pkg/product/cube.fits"],
        vec![package.as_str(), "cube.fits"],
        vec![package.as_str(), "./pkg/latest.fits"],
        vec!["PLACEHOLDER"],
    ] {
        let spec = format!("{package}::pkg/latest.fits");
        let args: Vec<&str> = args.into_iter().map(|a| if a == "PLACEHOLDER" { spec.as_str() } else { a }).collect();
        let _ = std::fs::remove_file(&out_file);
        let out = almapkg(&[&["extract"], args.as_slice(), &["-o", &out_file]].concat());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(std::fs::read(&out_file).unwrap() == big_data(), "{args:?}");
    }
    let out = almapkg(&["extract", &package, &other, "pkg/weblog.html", "-o", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, b"<p/>", "a link into the other tar of the package");
}

#[test]
fn extract_explains_what_it_cannot_do() {
    let dir = TempDir::new("extract-errors");
    let (package, other) = write_package(&dir);
    let cases: [(Vec<&str>, &str); 4] = [
        (vec![&package, &other, "README.txt", "-o", "-"], "README.txt matches 2 entries"),
        (vec![&package, "missing.fits", "-o", "-"], "missing.fits: no such entry in"),
        (vec![&package, "pkg", "-o", "-"], "pkg is a directory"),
        (vec![&package, "cube.fits"], "extract needs -o OUT"),
    ];
    for (args, expected) in cases {
        let out = almapkg(&[&["extract"], args.as_slice()].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
    }
    assert!(Path::new(&package).exists());
}
