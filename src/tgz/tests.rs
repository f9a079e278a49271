use super::*;
use flate2::write::GzEncoder;
use flate2::Compression;

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// A weblog-like tgz: pages, a symlink index.html, a hard link, a long (pax) name.
fn sample_tgz() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, path, data).unwrap();
    };
    add("pipeline-20230101T000000/html/t1-1.html", b"<html>home</html>");
    add("pipeline-20230101T000000/html/casa-20230101-000000.log", b"log");
    let long = format!("pipeline-20230101T000000/html/stage1/{}.png", "x".repeat(150));
    add(&long, &[0x89, b'P', b'N', b'G']);
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    b.append_link(&mut link, "pipeline-20230101T000000/html/index.html", "t1-1.html").unwrap();
    let mut hard = tar::Header::new_gnu();
    hard.set_entry_type(tar::EntryType::Link);
    hard.set_size(0);
    b.append_link(
        &mut hard,
        "pipeline-20230101T000000/html/stage1/casa.log",
        "pipeline-20230101T000000/html/casa-20230101-000000.log",
    )
    .unwrap();
    gzip(&b.into_inner().unwrap())
}

#[test]
fn reads_files_links_and_long_names_in_batches() {
    let tgz = sample_tgz();
    let mut s = TgzStream::new(&tgz[..], Limits::default());
    let mut items = Vec::new();
    while !s.is_done() {
        items.extend(s.next_batch(1).unwrap());
    }
    assert_eq!(s.compressed_read(), tgz.len() as u64);
    assert!(items.contains(&Item::Link {
        path: "pipeline-20230101T000000/html/index.html".into(),
        target: "pipeline-20230101T000000/html/t1-1.html".into()
    }));
    assert!(items.contains(&Item::Link {
        path: "pipeline-20230101T000000/html/stage1/casa.log".into(),
        target: "pipeline-20230101T000000/html/casa-20230101-000000.log".into()
    }));
    let long = items.iter().find(|i| matches!(i, Item::File { path, .. } if path.ends_with(".png"))).unwrap();
    assert!(matches!(long, Item::File { path, data } if path.len() > 150 && data.len() == 4));
}

#[test]
fn refuses_names_that_escape() {
    assert_eq!(safe_path("./a/b"), Some("a/b".into()));
    assert_eq!(safe_path("a/../b"), Some("b".into()));
    assert_eq!(safe_path("../etc/passwd"), None);
    assert_eq!(safe_path("/etc/passwd"), None);
    assert_eq!(resolve_relative("html/index.html", "../../x"), None);

    let mut block = [0u8; 512];
    block[..13].copy_from_slice(b"../etc/passwd");
    let mut h = tar::Header::from_byte_slice(&block).clone();
    h.set_size(0);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    let mut raw = h.as_bytes().to_vec();
    raw.extend([0u8; 1024]);
    let err = TgzStream::new(&gzip(&raw)[..], Limits::default()).read_all().unwrap_err();
    assert_eq!(err, TgzError::UnsafePath { name: "../etc/passwd".into() });
    assert!(err.to_string().contains("leaves the archive folder"));
}

#[test]
fn stops_a_gzip_bomb() {
    let mut b = tar::Builder::new(Vec::new());
    let zeros = vec![0u8; 64 << 20];
    let mut h = tar::Header::new_gnu();
    h.set_size(zeros.len() as u64);
    h.set_cksum();
    b.append_data(&mut h, "bomb.bin", &zeros[..]).unwrap();
    let tgz = gzip(&b.into_inner().unwrap());
    let limits = Limits { max_ratio: 100, ..Limits::default() };
    let err = TgzStream::new(&tgz[..], limits).read_all().unwrap_err();
    assert!(matches!(err, TgzError::Bomb { .. }), "{err}");
    let limits = Limits { max_total_bytes: 1 << 20, ..Limits::default() };
    assert!(matches!(TgzStream::new(&tgz[..], limits).read_all(), Err(TgzError::TooLarge { .. })));
}

#[test]
fn reports_damage_clearly() {
    let err = TgzStream::new(&b"this is not gzip at all"[..], Limits::default()).read_all().unwrap_err();
    assert_eq!(err, TgzError::NotGzip);
    let tgz = sample_tgz();
    let cut = &tgz[..tgz.len() / 2];
    let err = TgzStream::new(cut, Limits::default()).read_all().unwrap_err();
    assert!(matches!(err, TgzError::EndsEarly { .. } | TgzError::Corrupt { .. }), "{err}");
    assert!(TgzStream::new(&b""[..], Limits::default()).read_all().is_err(), "an empty file is not a tgz");
}

#[test]
fn large_files_can_be_listed_without_keeping_them() {
    let tgz = sample_tgz();
    let limits = Limits { max_kept_bytes: 4, ..Limits::default() };
    let items = TgzStream::new(&tgz[..], limits).read_all().unwrap();
    assert!(items.contains(&Item::Skipped { path: "pipeline-20230101T000000/html/t1-1.html".into(), size: 17 }));
    assert!(items.iter().any(|i| matches!(i, Item::File { data, .. } if data.len() == 3)), "small files are kept");
    assert!(items.iter().any(|i| matches!(i, Item::Link { .. })), "links still listed after a skipped file");
}
