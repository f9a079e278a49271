//! The ALMA product-name classifier and the package summary over arbitrary path lists.
#![no_main]

use almapkg::naming::classify;
use almapkg::package::{build, FileRef};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files: Vec<FileRef> = text
        .split('\n')
        .enumerate()
        .map(|(i, path)| {
            let _ = classify(path);
            FileRef { path: path.to_string(), size: i as u64, container: 0, entry: i }
        })
        .collect();
    let _ = build(&files, &["fuzz.tar".to_string()]);
});
