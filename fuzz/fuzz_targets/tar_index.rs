//! The tar index over arbitrary bytes (ustar, pax, GNU headers), then link resolution and
//! lookups over every path it found.
#![no_main]

use almapkg::source::MemSource;
use almapkg::tar_index::{index_tar, IndexOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = MemSource(data.to_vec());
    let opts = IndexOptions { window: 1024, ..IndexOptions::default() };
    let Ok(index) = index_tar(&src, &opts) else { return };
    if let Some(err) = &index.stopped {
        let _ = err.to_string();
    }
    for entry in index.entries.iter().take(64) {
        let _ = index.resolve_link(&entry.path);
        if let Some(target) = &entry.link {
            let _ = index.resolve_path(target);
        }
    }
});
