//! A deterministic fake ALMA archive delivery, for tests, benchmarks and the page's sample.
//!
//! Project `2019.1.00123.S`, one science goal, one group and two member OUSs (12m and 7m),
//! each delivered as the archive does: `<project>_<MOUS>_001_of_001.tar` (FITS products),
//! `<project>_<MOUS>_auxiliary.tar` (calibration, logs, QA with the weblog, scripts) and a
//! loose `member.<MOUS>.README.txt`. Same spec, same bytes: fixed mtimes and a seeded PRNG.
//! `Size::Large` instead writes a multi-GB sparse product tar for benchmarks.

pub mod bad_inputs;
pub mod fits_writer;
mod image_header;
mod large;
mod plots;
mod products;
pub mod setup;
mod sky;
mod stages;
mod tarball;
mod texts;
mod weblog;
mod weblog_assets;

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use setup::{members, sources, Member, PROJECT};
use tarball::{tgz, TarWriter};

/// How big a package to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Size {
    /// The sample package: both members, all tars ≤ 5 MB together.
    Small,
    /// A benchmark product tar of about `gb` GB in `entries` FITS entries, written sparse.
    Large { gb: u64, entries: u64 },
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct PackageSpec {
    pub size: Size,
    /// Pack this directory as the weblog instead of the generated one.
    pub weblog_from: Option<PathBuf>,
    pub seed: u64,
}

impl Default for PackageSpec {
    fn default() -> Self {
        PackageSpec { size: Size::Small, weblog_from: None, seed: 20_191_028 }
    }
}

/// Writes the package into `out_dir` (created if needed) and returns the paths written.
pub fn write_package(out_dir: &Path, spec: &PackageSpec) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(out_dir)?;
    match spec.size {
        Size::Small => members().iter().try_fold(Vec::new(), |mut paths, member| {
            paths.extend(write_member(out_dir, member, spec)?);
            Ok(paths)
        }),
        Size::Large { gb, entries } => large::write_large(out_dir, gb, entries, spec.seed).map(|p| vec![p]),
    }
}

/// The three files the archive serves for one member OUS.
fn write_member(out_dir: &Path, member: &Member, spec: &PackageSpec) -> io::Result<Vec<PathBuf>> {
    let product_tar = out_dir.join(format!("{PROJECT}_{}_001_of_001.tar", member.mous));
    let aux_tar = out_dir.join(format!("{PROJECT}_{}_auxiliary.tar", member.mous));
    let readme = out_dir.join(format!("{}.README.txt", member.prefix()));
    write_products_tar(&product_tar, member, spec.seed)?;
    write_auxiliary_tar(&aux_tar, member, spec)?;
    fs::write(&readme, texts::readme(member))?;
    Ok(vec![product_tar, aux_tar, readme])
}

fn write_products_tar(path: &Path, member: &Member, seed: u64) -> io::Result<()> {
    let products = products::member_products(member, &sources(), seed).map_err(io::Error::other)?;
    let mut tar = TarWriter::new(BufWriter::new(File::create(path)?));
    for p in &products {
        tar.file(&format!("{}/product/{}", member.tree(), p.name), &p.bytes)?;
    }
    tar.finish()?.flush()
}

fn write_auxiliary_tar(path: &Path, member: &Member, spec: &PackageSpec) -> io::Result<()> {
    let sources = sources();
    let runs = products::imaging_runs(member, &sources);
    let commands = stages::casa_commands_log(member, &runs);
    let casa_log = texts::casa_log(member);
    let pipescript = stages::pipescript(member);
    let restore = texts::piperestorescript(member);
    let weblog = match &spec.weblog_from {
        Some(dir) => weblog::weblog_from_dir(member, dir)?,
        None => {
            let inputs = weblog::WeblogInputs {
                casa_commands_log: &commands,
                casa_log: &casa_log,
                pipescript: &pipescript,
                restorescript: &restore,
            };
            weblog::weblog_tgz(member, &inputs)?
        }
    };
    let (m, p, tree) = (member.prefix(), member.recipe_prefix(), member.tree());
    let mut tar = TarWriter::new(BufWriter::new(File::create(path)?));
    tar.file(&format!("{tree}/calibration/{p}.auxproducts.tgz"), &auxproducts(member)?)?;
    tar.file(&format!("{tree}/calibration/{m}.session_1.caltables.tgz"), &caltables(member)?)?;
    for eb in &member.ebs {
        tar.file(&format!("{tree}/calibration/{eb}.ms.flagversions.tgz"), &flagversions(eb)?)?;
        tar.file(&format!("{tree}/calibration/{eb}.ms.calapply.txt"), texts::calapply(member, eb).as_bytes())?;
    }
    tar.file(&format!("{tree}/log/{}", member.casa_log), casa_log.as_bytes())?;
    tar.file(&format!("{tree}/log/{p}.casa_commands.log"), commands.as_bytes())?;
    tar.file(&format!("{tree}/qa/{p}.weblog.tgz"), &weblog)?;
    tar.file(&format!("{tree}/qa/{m}.qa2_report.pdf"), &texts::qa2_report_pdf(member))?;
    tar.file(&format!("{tree}/script/{m}.scriptForPI.py"), texts::script_for_pi(member).as_bytes())?;
    tar.file(&format!("{tree}/script/{p}.casa_pipescript.py"), pipescript.as_bytes())?;
    tar.file(&format!("{tree}/script/{p}.casa_piperestorescript.py"), restore.as_bytes())?;
    tar.file(&format!("{tree}/script/{p}.pprequest.xml"), texts::pprequest(member).as_bytes())?;
    tar.file(&format!("{tree}/{m}.README.txt"), texts::readme(member).as_bytes())?;
    tar.finish()?.flush()
}

/// `auxproducts.tgz`: cont.dat, flux.csv, antennapos.csv and the flag templates, flat.
fn auxproducts(member: &Member) -> io::Result<Vec<u8>> {
    let sources = sources();
    let files: Vec<(String, String)> = [
        ("cont.dat".to_string(), texts::cont_dat(member, &sources)),
        ("flux.csv".to_string(), texts::flux_csv(member, &sources)),
        ("antennapos.csv".to_string(), texts::antennapos_csv(member)),
    ]
    .into_iter()
    .chain(member.ebs.iter().map(|eb| (format!("{eb}.flagtemplate.txt"), texts::flagtemplate(member, eb))))
    .collect();
    tgz(&files)
}

/// `session_1.caltables.tgz`: one small CASA table per calibration step and EB.
fn caltables(member: &Member) -> io::Result<Vec<u8>> {
    let spw = member.all_spws_token();
    let mut files = Vec::new();
    for eb in &member.ebs {
        for table in [
            format!("{eb}.ms.h_tsyscal.s6_1.tsyscal.tbl"),
            format!("{eb}.ms.hifa_bandpassflag.s12_5.{spw}.channel.solintinf.bcal.tbl"),
            format!("{eb}.ms.hifa_timegaincal.s16_3.{spw}.solintint.gpcal.tbl"),
        ] {
            files.push((
                format!("{table}/table.info"),
                format!("Type = Calibration\nSubType = {}\n", table.rsplit('.').nth(1).unwrap_or("G Jones")),
            ));
            files.push((
                format!("{table}/table.dat"),
                format!("casacore table {table} ({} antennas)\n", member.antennas.len()),
            ));
        }
    }
    tgz(&files)
}

/// `<EB>.ms.flagversions.tgz`: the flag version list and one flag table per version.
fn flagversions(eb: &str) -> io::Result<Vec<u8>> {
    let versions = ["Original", "before_tsysflag", "applycal_1", "statwt_1"];
    let list: String = versions.iter().map(|v| format!("{v} : flags saved by the pipeline\n")).collect();
    let mut files = vec![(format!("{eb}.ms.flagversions/FLAG_VERSION_LIST"), list)];
    for v in versions {
        files.push((format!("{eb}.ms.flagversions/flags.{v}/table.dat"), format!("flag table {v}\n")));
    }
    tgz(&files)
}
