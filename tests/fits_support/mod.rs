//! A tiny FITS writer for tests: cards padded to 80 characters, header and data padded to
//! 2880-byte blocks.
#![allow(dead_code)]

/// `KEY     = value` with the value right-aligned in columns 11-30 (strings as given).
pub fn card(key: &str, value: &str) -> String {
    format!("{key:<8}= {value:>20}")
}

/// A header + data unit: `cards` (without END), then `data` padded with zeros.
pub fn hdu(cards: &[String], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in cards.iter().map(String::as_str).chain(["END"]) {
        out.extend(format!("{c:<80}").bytes().take(80));
    }
    pad(&mut out, b' ');
    out.extend_from_slice(data);
    pad(&mut out, 0);
    out
}

fn pad(v: &mut Vec<u8>, with: u8) {
    while !v.len().is_multiple_of(2880) {
        v.push(with);
    }
}

/// Mandatory primary cards for an image of `shape` with `bitpix`.
pub fn image_cards(bitpix: i64, shape: &[u64]) -> Vec<String> {
    let mut cards =
        vec![card("SIMPLE", "T"), card("BITPIX", &bitpix.to_string()), card("NAXIS", &shape.len().to_string())];
    for (i, n) in shape.iter().enumerate() {
        cards.push(card(&format!("NAXIS{}", i + 1), &n.to_string()));
    }
    cards
}

/// A complete single-HDU FITS file.
pub fn fits(bitpix: i64, shape: &[u64], extra: &[String], data: &[u8]) -> Vec<u8> {
    let mut cards = image_cards(bitpix, shape);
    cards.extend_from_slice(extra);
    hdu(&cards, data)
}

/// Big-endian f32 data.
pub fn f32_data(values: impl IntoIterator<Item = f32>) -> Vec<u8> {
    values.into_iter().flat_map(f32::to_be_bytes).collect()
}

/// The corpus directory, or `None` (with a note) when it is absent.
pub fn corpus() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} is absent; skipping the corpus test", dir.display());
        None
    }
}
