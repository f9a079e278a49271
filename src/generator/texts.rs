//! Text files of the auxiliary tar: README, cont.dat, flux/antenna tables, flag templates,
//! calapply lists, scripts, the PPR, a CASA log and a tiny QA2 report PDF.

use super::products::{cube_axis, line_half_width, model_of};
use super::setup::{Intent, Member, Source, CASA_VERSION, PIPELINE_VERSION, PROJECT, RECIPE, SPEED_OF_LIGHT_KMS};
use super::sky::radio_velocity;

/// The member README, modelled on the archive's "ALMA Member ObsUnitSet README".
pub fn readme(member: &Member) -> String {
    format!(
        "ALMA Member ObsUnitSet README
=============================
A brief description of the main actions, categories and files of the ALMA data at the Member Observing Unit Set (OUS) level.

Project: {PROJECT}    Member OUS: {mous} ({array} array)


HOW TO
======
* Get the FITS products:
     Download and untar the product/*001_of_001.tar file or download files individually from the 'product' category

* Check the quality or processing of the data:
     Download and untar the auxiliary/*auxiliary.tar or download the qa/*.qa2_report.pdf and qa/*.weblog.tgz individually
     from the 'auxiliary' category

* Create the calibrated Measurement Sets (MS):
     1) Download and untar the *auxiliary.tar and *asdm.tar files
     2) Install the latest CASA software (or for manually reduced data the CASA version specified in the QA2 report)
     3) Change into the 'script' subdirectory, and run 'casa --pipeline -c *scriptForPI.py' 

     A more detailed description of how to create the calibrated MS can be found in the 'Instructions' section
     of qa/*.qa2_report.pdf.


DATA CATEGORIES
===============
* auxiliary                             calibration tables, scripts, logs and quality assurance reports

* product                               FITS products for science targets and calibrators (potentially incomplete)

* raw                                   uncalibrated raw data that were used to make the final products

* raw (semipass)                        uncalibrated raw data that are flawed or incomplete and were not used

* external                              externally contributed data products (may be present in some cases)


FILES
=====
Depending on the type of data or processing, not all of the following files may be present.

Main science imaging products:

     product/*_sci*cont*pbcor.fits      primary beam corrected aggregate interferometric continuum images
     product/*_sci*cube*pbcor.fits      primary beam corrected, continuum subtracted interferometric spectral line cubes
     product/*sd.im.fits                single-dish images

Main quality reports:

     qa/*.qa2_report.{{pdf,html}}         QA2 data quality evaluation report and instructions for calibrating
     qa/*.weblog.tgz                    pipeline web log (untar and open html/index.html)

Additional imaging products:

     product/*_sci*mfs*pbcor.fits       primary beam corrected per-spw continuum images
     product/*pb.fits.gz                primary beam response images
     product/*mask.fits.gz              clean masks
     product/*alpha*.fits               spectral index and spectral index error images
     product/*_bp*, *_ph*, *_chk*       calibrator and check source images

Calibration and processing:

     calibration/*caltables.tgz         calibration tables
     calibration/*flagversions.tgz      flag versions of the measurement sets
     calibration/*calapply.txt          calibration application commands
     calibration/*auxproducts.tgz       cont.dat, flux.csv, antennapos.csv and flagging templates
     log/*casa_commands.log             CASA commands run by the pipeline
     log/casa-*.log                     CASA log of the pipeline run
     script/*scriptForPI.py             script to restore the calibrated measurement sets
     script/*casa_pipescript.py         pipeline script
     script/*casa_piperestorescript.py  pipeline restore script
     script/*pprequest.xml              pipeline processing request
",
        mous = member.mous,
        array = member.array
    )
}

/// `cont.dat` (v2): per science field and spw, the line-free ranges of the cube's band.
pub fn cont_dat(member: &Member, sources: &[Source]) -> String {
    let mut out = String::new();
    for source in sources.iter().filter(|s| s.intent == Intent::Science) {
        out.push_str(&format!("Field: {}\n\n", source.field));
        for spw in &member.spws {
            out.push_str(&format!("SpectralWindow: {}\n", spw.id));
            for (lo, hi) in line_free_ranges(member, source, spw) {
                out.push_str(&format!("{:.10}~{:.10}GHz LSRK\n", lo / 1e9, hi / 1e9));
            }
            out.push('\n');
        }
    }
    out
}

/// Runs of channels whose velocity lies outside the field's line: (low, high) edges in Hz.
pub fn line_free_ranges(member: &Member, source: &Source, spw: &super::setup::Spw) -> Vec<(f64, f64)> {
    let axis = cube_axis(member, source, spw);
    let half = line_half_width(&model_of(source)).unwrap_or(0.0);
    let mut ranges: Vec<(f64, f64)> = Vec::new();
    let mut previous_free = false;
    for c in 0..axis.channels {
        let f = axis.crval_hz + axis.cdelt_hz * c as f64;
        let free = (radio_velocity(f, spw.rest_hz) - source.vlsr).abs() > half;
        let (lo, hi) = (f - axis.cdelt_hz / 2.0, f + axis.cdelt_hz / 2.0);
        match ranges.last_mut() {
            Some(last) if free && previous_free => last.1 = hi,
            _ if free => ranges.push((lo, hi)),
            _ => {}
        }
        previous_free = free;
    }
    ranges
}

/// `flux.csv`: calibrator flux densities per EB and spw.
pub fn flux_csv(member: &Member, sources: &[Source]) -> String {
    let mut out = String::from("ms,field,spw,I,Q,U,V,spix,uvmin,uvmax,comment\n");
    for eb in &member.ebs {
        for (field_id, source) in sources.iter().enumerate().filter(|(_, s)| s.intent != Intent::Science) {
            if let Some((jy, _, _)) = model_of(source).point(225e9) {
                for spw in &member.spws {
                    let f = spw.rest_hz * (1.0 - source.vlsr / SPEED_OF_LIGHT_KMS);
                    let i = jy * (f / 225e9).powf(-0.7);
                    out.push_str(&format!(
                        "{eb}.ms,{field_id},{},{i:.6},0.0,0.0,0.0,-0.700,0.0,0.0,\"# field={} intents={} origin=DB age=-3.0 queried_at=2020-02-14 09:36:02 UTC\"\n",
                        spw.id,
                        source.field,
                        source.intent.header()
                    ));
                }
            }
        }
    }
    out
}

/// `antennapos.csv`: antenna position corrections (m).
pub fn antennapos_csv(member: &Member) -> String {
    let mut out = String::from("name,antenna,xoff,yoff,zoff,comment\n");
    for eb in &member.ebs {
        for (k, ant) in member.antennas.iter().enumerate().filter(|(k, _)| k % 3 == 1) {
            let d = (k as f64 + 1.0) * 1.7e-4;
            out.push_str(&format!("{eb}.ms,{ant},{d:.6e},{:.6e},{:.6e},\n", -d / 2.0, d / 3.0));
        }
    }
    out
}

/// `<EB>.flagtemplate.txt`: flagdata commands with the standard comment header.
pub fn flagtemplate(member: &Member, eb: &str) -> String {
    let spws: Vec<String> = member.spws.iter().map(|s| s.id.to_string()).collect();
    let ant = member.antennas.get(3).copied().unwrap_or("DA41");
    format!(
        "#\n# User flagging commands file for the calibration pipeline\n#\n# Examples\n# Note: Do not put spaces inside the reason string !\n#\n# mode='manual' correlation='YY' antenna='DV01;DV08;DA43;DA48&DV23' spw='21:1920~2880' autocorr=False reason='bad_channels'\n# mode='manual' spw='25:0~3;122~127' reason='stage8_2'\n# mode='manual' antenna='DV07' timerange='2013/01/31/08:09:55.248~2013/01/31/08:10:01.296' reason='quack'\n#\nmode='manual' spw='{}' antenna='{ant}' correlation='YY' reason='tsysflag_tsys_freq'  # {eb}\n",
        spws.join(",")
    )
}

/// `<EB>.ms.calapply.txt`: the applycal commands for one EB.
pub fn calapply(member: &Member, eb: &str) -> String {
    let spw = member.all_spws_token();
    let tables = [
        format!("{eb}.ms.h_tsyscal.s6_1.tsyscal.tbl"),
        format!("{eb}.ms.hifa_wvrgcalflag.s9_2.wvrcal.tbl"),
        format!("{eb}.ms.hifa_antpos.s8_1.ants.tbl"),
        format!("{eb}.ms.hifa_bandpassflag.s12_5.{spw}.channel.solintinf.bcal.tbl"),
        format!("{eb}.ms.hifa_timegaincal.s16_3.{spw}.solintint.gpcal.tbl"),
        format!("{eb}.ms.hifa_gfluxscale.s15_4.{spw}.solintinf.gacal.tbl"),
    ];
    let list: Vec<String> = tables.iter().map(|t| format!("'{t}'")).collect();
    format!(
        "# Apply file for {eb}.ms\napplycal(vis='{eb}.ms', field='', intent='', spw='', antenna='0~{}&', gaintable=[{}], gainfield=['', '', '', '', '', ''], spwmap=[], interp=['linear,linearflag', '', '', 'linear,linearflag', 'linear', 'linear'], calwt=[False, False, False, False, False, True], parang=False, applymode='calflagstrict', flagbackup=False)\n",
        member.antennas.len().saturating_sub(1),
        list.join(", ")
    )
}

/// `member.<MOUS>.scriptForPI.py`: restores the calibrated MSs from the ASDMs.
pub fn script_for_pi(member: &Member) -> String {
    format!(
        "# ALMA Data Reduction Script\n# scriptForPI for {PROJECT} member OUS {mous}\n# Restores the calibrated measurement sets using the pipeline.\n\nimport os\nimport sys\nimport glob\n\nprint('# Running scriptForPI for MOUS {mous}')\nif os.path.exists('../calibrated'):\n    sys.exit('ERROR: the directory calibrated already exists.')\nos.makedirs('../calibrated/working')\nos.chdir('../calibrated/working')\nfor asdm in glob.glob('../../raw/*.asdm.sdm'):\n    os.symlink(asdm, os.path.basename(asdm).replace('.asdm.sdm', ''))\nexecfile('../../script/{prefix}.casa_piperestorescript.py')\nprint('# Calibration complete; the calibrated MS are in calibrated/working')\n",
        mous = member.mous,
        prefix = member.recipe_prefix()
    )
}

/// `….casa_piperestorescript.py`: the pipeline's restore script.
pub fn piperestorescript(member: &Member) -> String {
    let vis: Vec<String> = member.ebs.iter().map(|e| format!("'{e}'")).collect();
    format!(
        "__rethrow_casa_exceptions = True\nh_init()\ntry:\n    hifa_restoredata (vis=[{}], session=['session_1'], ocorr_mode='ca')\nfinally:\n    h_save()\n",
        vis.join(", ")
    )
}

/// `….pprequest.xml`: the pipeline processing request.
pub fn pprequest(member: &Member) -> String {
    let ebs: String = member
        .ebs
        .iter()
        .map(|eb| format!("        <AsdmIdentifier>\n            <asdmRef>{eb}</asdmRef>\n            <asdmDiskName>{eb}</asdmDiskName>\n        </AsdmIdentifier>\n"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SciPipeRequest>\n    <ProjectSummary>\n        <ProposalCode>{PROJECT}</ProposalCode>\n        <ProcessingRecipe>{RECIPE}</ProcessingRecipe>\n    </ProjectSummary>\n    <ProjectStructure>\n        <OUSStatusRef entityId=\"{}\"/>\n    </ProjectStructure>\n    <ProcessingRequests>\n        <RecipeName>{RECIPE}</RecipeName>\n        <DataSet>\n            <RelativePath>{}</RelativePath>\n            <SchedBlockRef entityId=\"uid://A001/X1465/X2a0f\"/>\n{ebs}        </DataSet>\n    </ProcessingRequests>\n</SciPipeRequest>\n",
        member.mous.replace("uid___", "uid://").replace('_', "/"),
        member.tree()
    )
}

/// `casa-YYYYMMDD-HHMMSS.log`: the CASA log of the pipeline session (abridged).
pub fn casa_log(member: &Member) -> String {
    let mut out = String::new();
    let date = member.pipeline_run.trim_start_matches("pipeline-");
    let stamp =
        format!("{}-{}-{} {}:{}:{}", &date[0..4], &date[4..6], &date[6..8], &date[9..11], &date[11..13], &date[13..15]);
    out.push_str(&format!("{stamp}\tINFO\t::casa\tCASA Version {CASA_VERSION}\n"));
    out.push_str(&format!(
        "{stamp}\tINFO\t::casa\tPipeline version {PIPELINE_VERSION} running {RECIPE} for {}\n",
        member.mous
    ));
    for stage in super::stages::stages() {
        out.push_str(&format!(
            "{stamp}\tINFO\t{}::pipeline.infrastructure.basetask::casa\tStarting execution for stage {}\n",
            stage.task, stage.number
        ));
    }
    out
}

/// A one-page PDF saying what a QA2 report would: valid structure, computed xref offsets.
pub fn qa2_report_pdf(member: &Member) -> Vec<u8> {
    let text = format!("ALMA QA2 Report {PROJECT} {} ({} array): QA2 PASS", member.mous, member.array);
    let stream = format!("BT /F1 11 Tf 40 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for off in offsets {
        pdf.push_str(&format!("{off:010} 00000 n \n"));
    }
    pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    pdf.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::super::setup::{members, sources};
    use super::*;

    #[test]
    fn cont_dat_excludes_the_line_channels() {
        let member = &members()[0];
        let text = cont_dat(member, &sources());
        assert!(text.starts_with("Field: HD_163296\n\nSpectralWindow: 25\n"));
        assert!(text.contains("Field: G012.80\n"));
        // Two line-free ranges per spw: below and above the line.
        let spw = &member.spws[0];
        let ranges = line_free_ranges(member, &sources()[0], spw);
        assert_eq!(ranges.len(), 2);
        let line = spw.rest_hz * (1.0 - 5.8 / SPEED_OF_LIGHT_KMS);
        assert!(ranges[0].1 < line && ranges[1].0 > line);
    }
}
