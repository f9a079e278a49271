//! Benchmark mode: a multi-GB product tar written sparse. Tar and FITS headers are real, and
//! the central rows of each FITS file's first plane hold a real source (within a small byte
//! budget); every other byte is a hole (seek past, then `set_len`), so the disk holds a few
//! MB. Entries of 8 GiB or more carry their size in a pax `size` record, as ustar's octal
//! field stops at 8 GiB.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tar::{EntryType, Header};

use super::fits_writer::{Data, FitsBuilder, BLOCK};
use super::image_header::{product_header, FreqAxis, HeaderSpec};
use super::setup::{members, Intent, Source, MTIME, PROJECT};
use super::sky::{Grid, Rng};

const GIB: u64 = 1 << 30;
/// Largest size the ustar octal field holds (8 GiB - 1).
const USTAR_MAX_SIZE: u64 = 8 * GIB - 1;
/// Real pixel bytes written across the whole tar; past it, entries get headers only.
const PIXEL_BUDGET: u64 = 8 << 20;
/// Rows of the first plane written for real, around its centre.
const REAL_ROWS: u64 = 16;

/// One FITS entry of the benchmark tar.
struct Entry {
    name: String,
    source: Source,
    n: u64,
    channels: u64,
}

/// Writes `<project>_<MOUS>_001_of_001.tar` of about `gb` GB (10⁹ bytes) in `entries` entries.
pub fn write_large(out_dir: &Path, gb: u64, entries: u64, seed: u64) -> io::Result<PathBuf> {
    let member = members().into_iter().next().ok_or_else(|| io::Error::other("no member defined"))?;
    let path = out_dir.join(format!("{PROJECT}_{}_001_of_001.tar", member.mous));
    let mut file = File::create(&path)?;
    let mut pos = 0u64;
    let mut budget = PIXEL_BUDGET;
    let mut rng = Rng::new(seed);
    let product_dir = format!("{}/product/", member.tree());
    pos = write_block(&mut file, pos, &ustar_header(&product_dir, 0, EntryType::Directory)?)?;
    for entry in plan(gb, entries) {
        let spw = member.spws[(entry.channels % 4) as usize].clone();
        let freq = FreqAxis {
            crval_hz: spw.rest_hz,
            cdelt_hz: spw.channel_hz,
            channels: entry.channels,
            rest_hz: spw.rest_hz,
        };
        let spec = HeaderSpec {
            member: &member,
            source: &entry.source,
            grid: Grid { n: entry.n, cell_arcsec: 0.02 },
            freq,
            specmode: if entry.channels > 1 { "cube" } else { "cont" },
            spw_list: spw.id.to_string(),
            image_type: "pbcorimage",
            bunit: "Jy/beam",
            with_beam: true,
            stats: (-0.01, 0.5, 0.002),
        };
        let fits = product_header(&spec);
        let header = fits.header_bytes();
        let size = header.len() as u64 + padded(fits.data_len(), BLOCK);
        let tar_path = format!("{product_dir}{}", entry.name);
        if size > USTAR_MAX_SIZE {
            pos = write_block(&mut file, pos, &pax_size_entry(&tar_path, size)?)?;
        }
        let ustar_size = if size > USTAR_MAX_SIZE { 0 } else { size };
        pos = write_block(&mut file, pos, &ustar_header(&tar_path, ustar_size, EntryType::Regular)?)?;
        write_at(&mut file, pos, &header)?;
        let rows = central_rows(&fits, entry.n, &mut rng, &mut budget)?;
        if let Some((offset, bytes)) = rows {
            write_at(&mut file, pos + header.len() as u64 + offset, &bytes)?;
        }
        pos += padded(size, 512);
    }
    write_at(&mut file, pos, &[0u8; 1024])?;
    file.set_len(pos + 1024)?;
    Ok(path)
}

/// Entry shapes: the first entry is a big 1024×1024 cube holding about half the total
/// (so 10 GB gives an entry beyond 4 GiB, 20 GB one beyond 8 GiB); every fifth is a
/// 4096×4096 continuum image; the rest are cubes sharing what remains.
fn plan(gb: u64, entries: u64) -> Vec<Entry> {
    let total = gb.saturating_mul(1_000_000_000);
    let plane_1k = 1024 * 1024 * 4;
    let big_channels = (total / 2).div_ceil(plane_1k).max(1);
    let others = entries.saturating_sub(1).max(1);
    let conts = entries.saturating_sub(1) / 5;
    let rest = total.saturating_sub(big_channels * plane_1k).saturating_sub(conts * 4096 * 4096 * 4);
    let per_cube = rest.div_ceil(others.saturating_sub(conts).max(1) * plane_1k).max(1);
    (0..entries)
        .map(|k| {
            let source = Source {
                field: format!("G{:03}.{:02}", 10 + k / 4, (k * 7) % 100),
                intent: Intent::Science,
                ra_deg: 270.0 + k as f64 * 0.01,
                dec_deg: -20.0,
                vlsr: 20.0,
            };
            let (n, channels) = match k {
                0 => (1024, big_channels),
                _ if k % 5 == 0 => (4096, 1),
                _ => (1024, per_cube),
            };
            let specmode = if channels > 1 { "cube" } else { "cont.I.tt0" };
            let spw = 25 + 2 * (channels % 4);
            let name = format!(
                "member.uid___A001_X1465_X2a12.{}_sci.spw{spw}.{specmode}{}.pbcor.fits",
                source.product_name(),
                if channels > 1 { ".I" } else { "" }
            );
            Entry { name, source, n, channels }
        })
        .collect()
}

/// Rows around the centre of the first plane with a Gaussian source, if the budget allows:
/// (offset in the data unit, big-endian float32 bytes).
fn central_rows(fits: &FitsBuilder, n: u64, rng: &mut Rng, budget: &mut u64) -> io::Result<Option<(u64, Vec<u8>)>> {
    let bytes = REAL_ROWS * n * 4;
    if bytes > *budget || bytes > fits.data_len() {
        return Ok(None);
    }
    *budget -= bytes;
    let first_row = n / 2 - REAL_ROWS / 2;
    let mut values = Vec::with_capacity((REAL_ROWS * n) as usize);
    for j in first_row..first_row + REAL_ROWS {
        for i in 0..n {
            let (dx, dy) = (i as f64 - n as f64 / 2.0, j as f64 - n as f64 / 2.0);
            values.push((0.5 * (-(dx * dx + dy * dy) / 18.0).exp() + 0.002 * rng.gaussian()) as f32);
        }
    }
    Ok(Some((first_row * n * 4, Data::F32(&values).to_be_bytes())))
}

fn padded(len: u64, block: u64) -> u64 {
    len.div_ceil(block) * block
}

fn write_at(file: &mut File, pos: u64, bytes: &[u8]) -> io::Result<()> {
    file.seek(SeekFrom::Start(pos))?;
    file.write_all(bytes)
}

fn write_block(file: &mut File, pos: u64, bytes: &[u8]) -> io::Result<u64> {
    write_at(file, pos, bytes)?;
    Ok(pos + bytes.len() as u64)
}

fn ustar_header(path: &str, size: u64, kind: EntryType) -> io::Result<Vec<u8>> {
    let mut h = Header::new_ustar();
    h.set_path(path)?;
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(if kind == EntryType::Directory { 0o755 } else { 0o644 });
    h.set_mtime(MTIME);
    h.set_cksum();
    Ok(h.as_bytes().to_vec())
}

/// A pax extended header (`x`) whose `size` record overrides the ustar size that follows.
pub fn pax_size_entry(path: &str, size: u64) -> io::Result<Vec<u8>> {
    let record = pax_record("size", &size.to_string());
    let base = path.rsplit('/').next().unwrap_or(path);
    let name: String = format!("PaxHeaders/{base}").chars().take(99).collect();
    let mut out = ustar_header(&name, record.len() as u64, EntryType::XHeader)?;
    let mut body = record.into_bytes();
    body.resize(padded(body.len() as u64, 512) as usize, 0);
    out.extend(body);
    Ok(out)
}

/// `"<len> key=value\n"` where `<len>` counts the whole record, itself included.
fn pax_record(key: &str, value: &str) -> String {
    let payload = format!(" {key}={value}\n");
    let mut len = payload.len() + 1;
    while format!("{len}{payload}").len() != len {
        len += 1;
    }
    format!("{len}{payload}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_record_counts_its_own_length() {
        assert_eq!(pax_record("size", "9663676416"), "19 size=9663676416\n");
        assert_eq!(pax_record("size", "1"), "9 size=1\n");
    }

    #[test]
    fn huge_entries_get_a_pax_size_the_tar_crate_reads() {
        let size = 9 * GIB;
        let mut bytes = pax_size_entry("a/b.fits", size).expect("pax");
        bytes.extend(ustar_header("a/b.fits", 0, EntryType::Regular).expect("ustar"));
        let mut archive = tar::Archive::new(std::io::Cursor::new(bytes));
        let entry = archive.entries().expect("entries").next().expect("one entry").expect("parses");
        assert_eq!(entry.header().entry_size().ok(), Some(0));
        assert_eq!(entry.size(), size);
    }

    #[test]
    fn plan_puts_half_the_bytes_in_one_cube_beyond_4_gib_for_10_gb() {
        let p = plan(10, 50);
        assert_eq!(p.len(), 50);
        assert!(p[0].channels * 1024 * 1024 * 4 > 4 * GIB);
        assert_eq!(p[5].n, 4096);
    }
}
