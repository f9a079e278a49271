//! The cont.dat parser (all three formats) over arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = almapkg::text::cont_dat::parse(&text) {
        let _ = e.to_string();
    }
});
