//! Nested `.tgz` extraction (weblogs, auxproducts) with small limits so that a bomb is
//! caught by the limits, not by the fuzzer's memory cap.
#![no_main]

use almapkg::tgz::{Limits, TgzStream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_total_bytes: 64 << 20,
        max_entries: 10_000,
        max_file_bytes: 16 << 20,
        max_ratio: 1000,
        max_kept_bytes: 1 << 20,
    };
    let mut stream = TgzStream::new(data, limits);
    while !stream.is_done() {
        match stream.next_batch(1 << 20) {
            Ok(_) => {}
            Err(e) => {
                let _ = e.to_string();
                break;
            }
        }
    }
});
