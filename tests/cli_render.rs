//! `almapkg render`: a generated package's product, read in place from its tar, to a PNG.

use almapkg::generator::{write_package, PackageSpec};
use std::path::PathBuf;
use std::process::Command;

fn package(test: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("almapkg-cli-render-{test}-{}", std::process::id()));
    let files = write_package(&dir, &PackageSpec::default()).expect("generate the package");
    let tar = files.into_iter().find(|f| f.to_string_lossy().ends_with("_001_of_001.tar")).expect("a product tar");
    (dir, tar)
}

fn almapkg(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_almapkg")).args(args).output().expect("run almapkg")
}

#[test]
fn renders_a_product_from_inside_its_tar() {
    let (dir, tar) = package("ok");
    let out = dir.join("out.png");
    let spec = format!("{}::{}", tar.display(), "HD_163296_sci.spw25_27_29_31.cont.I.tt0.pbcor.fits");
    let run = almapkg(&[
        "render",
        &spec.replace("::HD", "::member.uid___A001_X1465_X2a12.HD"),
        "--cmap",
        "viridis",
        "--stretch",
        "asinh",
        "--limits",
        "zscale",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&out).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert!(info.width > 32 && info.width == info.height);
    let colours: std::collections::HashSet<&[u8]> = buf.chunks(4).collect();
    assert!(colours.len() > 50, "a rendered sky, not a flat image ({} colours)", colours.len());
    assert!(buf.chunks(4).any(|p| p[0] != p[1]), "viridis is not grey");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_options_are_refused_with_a_message() {
    let (dir, tar) = package("bad");
    let spec =
        format!("{}::member.uid___A001_X1465_X2a12.HD_163296_sci.spw25_27_29_31.cont.I.tt0.pbcor.fits", tar.display());
    for (args, message) in [
        (vec!["--cmap", "nope"], "unknown colormap"),
        (vec!["--stretch", "wobbly"], "unknown stretch"),
        (vec!["--limits", "12"], "bad --limits"),
        (vec!["--plane", "99"], "plane"),
    ] {
        let out = dir.join("bad.png");
        let mut all = vec!["render", spec.as_str(), "-o", out.to_str().unwrap()];
        all.extend(args);
        let run = almapkg(&all);
        assert!(!run.status.success());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(message), "{message}: {stderr}");
    }
    let run = almapkg(&["render", spec.as_str()]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("missing -o"));
    std::fs::remove_dir_all(dir).ok();
}
