//! `almapkg stats`: JSON output on a small cube and a clear failure on bad input.

mod fits_support;

use fits_support::{card, f32_data, fits};
use std::process::Command;

fn stats(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_almapkg")).arg("stats").args(args).output().unwrap()
}

#[test]
fn json_report_of_a_plane() {
    let dir = std::env::temp_dir().join(format!("almapkg-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cube.fits");
    let extra = [card("CTYPE3", "'FREQ    '"), card("CRVAL3", "1.0E11"), card("BMAJ", "0.001"), card("BMIN", "0.0005")];
    let data = f32_data([1.0, 2.0, 3.0, 4.0, f32::NAN, 10.0, 20.0, 30.0]);
    std::fs::write(&path, fits(-32, &[2, 2, 2], &extra, &data)).unwrap();
    let out = stats(&[path.to_str().unwrap(), "--plane", "1", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["min"].as_f64(), v["max"].as_f64(), v["median"].as_f64()), (Some(10.0), Some(30.0), Some(20.0)));
    assert_eq!((v["nan"].as_u64(), v["finite"].as_u64(), v["bitpix"].as_i64()), (Some(1), Some(3), Some(-32)));
    assert_eq!(v["naxis"], serde_json::json!([2, 2, 2]));
    assert_eq!(v["beam"]["bmaj_arcsec"].as_f64(), Some(3.6));
    assert_eq!(v["ctype"][2], "FREQ");
    assert_eq!(v["crval"][2].as_f64(), Some(1.0e11));

    let out = stats(&[path.to_str().unwrap(), "--plane", "2"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("plane 2 does not exist"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_fails_with_a_message() {
    let out = stats(&["/nonexistent/file.fits"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("almapkg: "));
    assert!(!stats(&[]).status.success());
}
