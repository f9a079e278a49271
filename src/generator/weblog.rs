//! The pipeline weblog: `pipeline-YYYYMMDDTHHMMSS/html/…` packed as a `.tgz`, with the
//! `index.html` symlink, per-stage detail pages with PNG plots and thumbnails, the CASA log
//! and its hard link, and the resources. Or a given directory packed instead.

use std::fs;
use std::io;
use std::path::Path;

use super::plots::{draw, PlotKind};
use super::setup::{Member, CASA_VERSION, PIPELINE_VERSION, PROJECT};
use super::stages::{stages, Stage};
use super::tarball::{gzip, TarWriter};
use super::weblog_assets::{PIPELINE_CSS, PIPELINE_JS};

/// Files copied from the auxiliary material into the weblog's `html/`.
pub struct WeblogInputs<'a> {
    pub casa_commands_log: &'a str,
    pub casa_log: &'a str,
    pub pipescript: &'a str,
    pub restorescript: &'a str,
}

/// Stages that get plots: (stage number, plot kind, file name).
const PLOTS: [(u32, PlotKind, &str); 3] = [
    (12, PlotKind::BandpassAmp, "bandpass_amp_vs_chan.png"),
    (16, PlotKind::PhaseVsTime, "gaincal_phase_vs_time.png"),
    (17, PlotKind::AmpVsUvDist, "applycal_amp_vs_uvdist.png"),
];

/// The generated weblog as a gzipped tar.
pub fn weblog_tgz(member: &Member, inputs: &WeblogInputs<'_>) -> io::Result<Vec<u8>> {
    let root = format!("{}/html", member.pipeline_run);
    let mut tar = TarWriter::new(Vec::new());
    let page = |name: &str| format!("{root}/{name}");
    tar.file(&page("t1-1.html"), home_page(member).as_bytes())?;
    tar.symlink(&page("index.html"), "t1-1.html")?;
    tar.file(
        &page("t1-3.html"),
        layout(
            "By Topic",
            "t1-3",
            member,
            "<h2>By Topic</h2><p>All stages passed their QA checks with the scores shown on the By Task page.</p>",
        )
        .as_bytes(),
    )?;
    tar.file(&page("t1-4.html"), task_summary(member).as_bytes())?;
    tar.file(&page("t2-1.html"), session_page(member).as_bytes())?;
    tar.file(&page("qa_notes.html"), b"<p>QA2 PASS. No QA notes.</p>\n")?;
    for stage in stages() {
        stage_folder(&mut tar, &root, member, &stage)?;
    }
    tar.file(&page("casapy.log"), inputs.casa_log.as_bytes())?;
    tar.hard_link(&page(member.casa_log), &page("casapy.log"))?;
    tar.file(&page("casa_commands.log"), inputs.casa_commands_log.as_bytes())?;
    tar.file(&page("casa_pipescript.py"), inputs.pipescript.as_bytes())?;
    tar.file(&page("casa_piperestorescript.py"), inputs.restorescript.as_bytes())?;
    tar.file(&page("resources/css/pipeline.css"), PIPELINE_CSS.as_bytes())?;
    tar.file(&page("resources/js/pipeline.js"), PIPELINE_JS.as_bytes())?;
    tar.file(&page("resources/img/almalogo.png"), &logo()?)?;
    gzip(&tar.finish()?)
}

fn png_error(e: png::EncodingError) -> io::Error {
    io::Error::other(e.to_string())
}

fn logo() -> io::Result<Vec<u8>> {
    draw(PlotKind::PhaseVsTime, 0).thumbnail(40, 30).to_png().map_err(png_error)
}

fn stage_folder<W: io::Write>(tar: &mut TarWriter<W>, root: &str, member: &Member, stage: &Stage) -> io::Result<()> {
    let dir = format!("{root}/stage{}", stage.number);
    let mut figures = String::new();
    for (number, kind, name) in PLOTS.iter().filter(|(n, _, _)| *n == stage.number) {
        let plot = draw(*kind, u64::from(*number) ^ u64::from(member.spws.first().map_or(0, |s| s.id)));
        tar.file(&format!("{dir}/{name}"), &plot.to_png().map_err(png_error)?)?;
        tar.file(&format!("{dir}/thumbs/{name}"), &plot.thumbnail(100, 75).to_png().map_err(png_error)?)?;
        figures.push_str(&format!(
            "<div class=\"thumbnail\"><a href=\"{name}\"><img src=\"thumbs/{name}\" alt=\"{name}\"></a><br>{name}</div>\n"
        ));
    }
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{n}. {call}</title>\n<link href=\"../resources/css/pipeline.css\" rel=\"stylesheet\" type=\"text/css\"></head>\n<body>\n<h1>{n}. {call}</h1>\n<p>{comment}</p>\n<table><tr><th>QA score</th><td class=\"{class}\">{score:.2}</td></tr><tr><th>Measurement sets</th><td>{ebs}</td></tr></table>\n{figures}<p><a href=\"casapy.log\">View CASA log for this stage</a> | <a href=\"../t1-4.html\">Back to By Task</a></p>\n</body>\n</html>\n",
        n = stage.number,
        call = stage.call(),
        comment = stage.comment.replace("\n# ", " "),
        class = score_class(stage.score),
        score = stage.score,
        ebs = member.ebs.join(", ")
    );
    tar.file(&format!("{dir}/t2-4m_details.html"), body.as_bytes())?;
    tar.file(
        &format!("{dir}/casapy.log"),
        format!("INFO\t{}\tstage {} completed\n", stage.task, stage.number).as_bytes(),
    )
}

fn score_class(score: f64) -> &'static str {
    if score >= 0.9 {
        "qa-good"
    } else if score >= 0.66 {
        "qa-warn"
    } else {
        "qa-bad"
    }
}

/// Page skeleton with the weblog's navigation bar; `page` selects the active tab.
fn layout(title: &str, page: &str, member: &Member, body: &str) -> String {
    let tab = |href: &str, label: &str| {
        let active = if href.starts_with(page) { " class=\"active\"" } else { "" };
        format!("<li{active}><a href=\"{href}\">{label}</a></li>")
    };
    let ready = page.replace('-', "_");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<script src=\"resources/js/pipeline.js\"></script>\n<link href=\"resources/css/pipeline.css\" rel=\"stylesheet\" type=\"text/css\">\n<title>{PROJECT} - {title}</title>\n</head>\n<body>\n<nav class=\"navbar\"><img alt=\"ALMA\" src=\"resources/img/almalogo.png\"/><ul style=\"display:flex;list-style:none\">{}{}{}</ul><p class=\"navbar-projectcode\">{PROJECT} {}</p></nav>\n<div id=\"app-container\">\n<script>\ndocument.addEventListener('DOMContentLoaded', function () {{ var p = pipeline.pages.{ready}; if (p) {{ p.ready(); }} }});\n</script>\n{body}\n</div>\n</body>\n</html>\n",
        tab("t1-1.html", "Home"),
        tab("t1-3.html", "By Topic"),
        tab("t1-4.html", "By Task"),
        member.mous
    )
}

fn home_page(member: &Member) -> String {
    let ous = member.mous.replace("uid___", "uid://").replace('_', "/");
    let rows: String = member
        .ebs
        .iter()
        .map(|eb| {
            format!(
                "<tr><td><a href=\"t2-1.html?ms={eb}.ms\">{eb}.ms</a></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                member.date_obs,
                member.antennas.len(),
                member.spws.len()
            )
        })
        .collect();
    let body = format!(
        "<h2>Observation Overview</h2>\n<table summary=\"Data Details\">\n<tr><th>Project</th><td>{PROJECT}</td></tr>\n<tr><th>OUS Status Entity id</th><td>{ous}</td></tr>\n<tr><th>Array</th><td>{}</td></tr>\n<tr><th>Observation Start</th><td>{}&nbsp;UTC</td></tr>\n</table>\n<h2>Pipeline Summary</h2>\n<table>\n<tr><th>Pipeline Version</th><td>{PIPELINE_VERSION} (Pipeline-CASA6-P1-B)</td></tr>\n<tr><th>CASA Version</th><td>{CASA_VERSION}</td></tr>\n<tr><th>Pipeline Start</th><td>{}</td></tr>\n<tr><th>Pipeline log</th><td><a href=\"casapy.log\">casapy.log</a>, <a href=\"casa_commands.log\">casa_commands.log</a>, <a href=\"casa_pipescript.py\">casa_pipescript.py</a></td></tr>\n</table>\n<div id=\"qa_notes\" data-href=\"qa_notes.html\"></div>\n<h2>Observation Summary</h2>\n<table summary=\"Measurement Set Summaries\">\n<tr><th>Measurement Set</th><th>Start</th><th>Antennas</th><th>Science spws</th></tr>\n{rows}</table>\n",
        member.array,
        member.date_obs,
        member.pipeline_run.trim_start_matches("pipeline-")
    );
    layout("Home", "t1-1", member, &body)
}

fn task_summary(member: &Member) -> String {
    let rows: String = stages()
        .iter()
        .map(|s| {
            format!(
                "<tr data-score=\"{score:.2}\"><td>{n}</td><td><a class=\"stage-link\" data-stage=\"{n}\" href=\"stage{n}/t2-4m_details.html\">{call}</a></td><td class=\"{class}\">{score:.2}</td></tr>\n",
                n = s.number,
                call = s.call(),
                class = score_class(s.score),
                score = s.score
            )
        })
        .collect();
    let body = format!(
        "<h2>Task Summary</h2>\n<label><input type=\"checkbox\" id=\"only-warnings\"> Show only stages with QA score below 0.9</label>\n<table summary=\"Task summary\">\n<tr><th>Stage</th><th>Task</th><th>QA Score</th></tr>\n{rows}</table>\n<div id=\"stage-details\"></div>\n"
    );
    layout("By Task", "t1-4", member, &body)
}

fn session_page(member: &Member) -> String {
    let spws: String = member
        .spws
        .iter()
        .map(|s| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{:.4} GHz</td><td>{:.3} kHz</td></tr>\n",
                s.id,
                s.line,
                s.rest_hz / 1e9,
                s.channel_hz / 1e3
            )
        })
        .collect();
    let body = format!("<h2>Session session_1</h2>\n<table>\n<tr><th>spw</th><th>Line</th><th>Rest frequency</th><th>Channel width</th></tr>\n{spws}</table>\n<p><a href=\"t1-1.html\">Back to Home</a></p>\n");
    layout("Session", "t2-1", member, &body)
}

/// Packs an existing weblog directory (as `pipeline-…/html/…`), keeping its symlinks.
pub fn weblog_from_dir(member: &Member, dir: &Path) -> io::Result<Vec<u8>> {
    let mut tar = TarWriter::new(Vec::new());
    let root = format!("{}/html", member.pipeline_run);
    add_dir(&mut tar, dir, &root)?;
    gzip(&tar.finish()?)
}

fn add_dir<W: io::Write>(tar: &mut TarWriter<W>, dir: &Path, prefix: &str) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            tar.symlink(&name, &fs::read_link(entry.path())?.to_string_lossy())?;
        } else if let Some(target) = link_placeholder(dir, &entry.path())? {
            tar.symlink(&name, &target)?;
        } else if kind.is_dir() {
            add_dir(tar, &entry.path(), &name)?;
        } else {
            tar.file(&name, &fs::read(entry.path())?)?;
        }
    }
    Ok(())
}

/// A symlink that lost its link-ness when copied (git without symlink support, some
/// downloads) becomes a tiny file holding just the target's name. Such a file naming a
/// sibling is packed back as the symlink the pipeline wrote (`index.html` → `t1-1.html`).
fn link_placeholder(dir: &Path, path: &Path) -> io::Result<Option<String>> {
    if fs::metadata(path)?.len() > 255 {
        return Ok(None);
    }
    let text = fs::read_to_string(path).unwrap_or_default();
    let target = text.trim();
    let plausible = !target.is_empty() && !target.contains(['<', '\n', '/']) && dir.join(target).is_file();
    Ok(plausible.then(|| target.to_string()))
}
