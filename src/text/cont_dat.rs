//! `cont.dat`: the continuum (line-free) frequency ranges found by `hif_findcont`.
//!
//! Three versions exist (`pipeline/infrastructure/contfilehandler.py`):
//! - v1: a bare field-name line, `SPW<id>` lines, then `<lo>~<hi>GHz` ranges (TOPO);
//! - v2: `Field: <name>`, `SpectralWindow: <id>`, then `<lo>~<hi>GHz <FRAME>` lines, with
//!   the single words `ALL` and `NONE`;
//! - v3 (PL2024+): `SpectralWindow: <id> <spw name>` and an optional `Flags:` line; an spw
//!   listed without ranges means findcont found nothing (treated as all continuum).
//!
//! Hand-edited files exist (a range without unit or frame in ALMA-IMF data): a missing unit
//! means GHz and a missing frame means TOPO, as in the pipeline reader.

use serde::Serialize;

use super::TextError;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ContDat {
    /// 1, 2 or 3 (see the module documentation).
    pub version: u8,
    pub fields: Vec<FieldRanges>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct FieldRanges {
    pub field: String,
    pub spws: Vec<SpwRanges>,
}

#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct SpwRanges {
    pub spw: u32,
    /// The spw name (v3 only), e.g. `X1913589666#ALMA_RB_06#BB_2#SW-01#FULL_RES`.
    pub name: Option<String>,
    /// v3 flags: `ALLCONT`, `LOWBANDWIDTH`, `LOWSPREAD`.
    pub flags: Vec<String>,
    pub ranges: Vec<FreqRange>,
    /// `ALL`: the whole spw is continuum.
    pub all: bool,
    /// `NONE`: no continuum was found.
    pub none: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct FreqRange {
    pub lo_ghz: f64,
    pub hi_ghz: f64,
    /// Spectral reference frame: `LSRK`, `SOURCE`, `TOPO`, ...
    pub frame: String,
}

/// Parse a cont.dat file of any version.
pub fn parse(text: &str) -> Result<ContDat, TextError> {
    let mut parser = Parser::default();
    for (index, raw) in text.lines().enumerate() {
        parser.line(raw.trim(), index + 1)?;
    }
    parser.finish()
}

#[derive(Default)]
struct Parser {
    fields: Vec<FieldRanges>,
    saw_field_keyword: bool,
    saw_v3: bool,
    saw_spw: bool,
}

impl Parser {
    fn line(&mut self, line: &str, number: usize) -> Result<(), TextError> {
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        if let Some(name) = line.strip_prefix("Field:") {
            self.saw_field_keyword = true;
            self.start_field(name.trim());
        } else if let Some(rest) = line.strip_prefix("SpectralWindow:") {
            let (id, name) = split_word(rest.trim());
            self.saw_v3 |= !name.is_empty();
            self.start_spw(parse_spw_id(id, number)?, name, number)?;
        } else if let Some(id) = v1_spw_id(line) {
            self.start_spw(id, "", number)?;
        } else if let Some(flags) = line.strip_prefix("Flags:") {
            self.saw_v3 = true;
            let spw = self.current_spw(number, "a Flags: line")?;
            spw.flags.extend(flags.split([' ', ',', '|']).filter(|f| !f.is_empty()).map(str::to_string));
        } else if line == "ALL" {
            self.current_spw(number, "ALL")?.all = true;
        } else if line == "NONE" {
            self.current_spw(number, "NONE")?.none = true;
        } else if line.contains('~') {
            let range = parse_range(line, number)?;
            self.current_spw(number, "a frequency range")?.ranges.push(range);
        } else {
            // v1: a bare line names the field
            self.start_field(line);
        }
        Ok(())
    }

    fn start_field(&mut self, name: &str) {
        self.fields.push(FieldRanges { field: name.to_string(), spws: Vec::new() });
    }

    fn start_spw(&mut self, spw: u32, name: &str, number: usize) -> Result<(), TextError> {
        self.saw_spw = true;
        let field =
            self.fields.last_mut().ok_or_else(|| error(number, "spectral window before any field name".into()))?;
        field.spws.push(SpwRanges { spw, name: (!name.is_empty()).then(|| name.to_string()), ..SpwRanges::default() });
        Ok(())
    }

    fn current_spw(&mut self, number: usize, what: &str) -> Result<&mut SpwRanges, TextError> {
        self.fields
            .last_mut()
            .and_then(|f| f.spws.last_mut())
            .ok_or_else(|| error(number, format!("{what} before any spectral window line")))
    }

    fn finish(self) -> Result<ContDat, TextError> {
        if !self.saw_spw && !self.fields.is_empty() {
            return Err(error(0, "no SpectralWindow or SPW line found: not a cont.dat file".into()));
        }
        let version = match (self.saw_v3, self.saw_field_keyword) {
            (true, _) => 3,
            (false, true) => 2,
            (false, false) => 1,
        };
        let mut fields = self.fields;
        if version == 1 {
            set_default_frame(&mut fields, "TOPO");
        }
        Ok(ContDat { version, fields })
    }
}

/// v1 ranges carry no frame: they are TOPO.
fn set_default_frame(fields: &mut [FieldRanges], frame: &str) {
    let ranges = fields.iter_mut().flat_map(|f| f.spws.iter_mut()).flat_map(|s| s.ranges.iter_mut());
    ranges.for_each(|r| r.frame = frame.to_string());
}

fn split_word(s: &str) -> (&str, &str) {
    match s.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (s, ""),
    }
}

fn parse_spw_id(id: &str, number: usize) -> Result<u32, TextError> {
    id.parse().map_err(|_| error(number, format!("spectral window id {id:?} is not a number")))
}

/// `SPW16` (v1).
fn v1_spw_id(line: &str) -> Option<u32> {
    line.strip_prefix("SPW")?.trim().parse().ok()
}

/// `216.056793~216.082937GHz LSRK` (unit and frame optional).
fn parse_range(line: &str, number: usize) -> Result<FreqRange, TextError> {
    let (freqs, frame) = split_word(line);
    let bad = || error(number, format!("cannot read the frequency range {line:?}"));
    let (lo, hi) = freqs.split_once('~').ok_or_else(bad)?;
    let (hi, unit) = split_unit(hi);
    let (lo, lo_unit) = split_unit(lo);
    let scale = unit_to_ghz(unit).ok_or_else(bad)?;
    let lo_scale = if lo_unit.is_empty() { scale } else { unit_to_ghz(lo_unit).ok_or_else(bad)? };
    let lo: f64 = lo.parse().map_err(|_| bad())?;
    let hi: f64 = hi.parse().map_err(|_| bad())?;
    Ok(FreqRange {
        lo_ghz: lo * lo_scale,
        hi_ghz: hi * scale,
        frame: if frame.is_empty() { "TOPO" } else { frame }.to_string(),
    })
}

fn split_unit(s: &str) -> (&str, &str) {
    let cut = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    s.split_at(cut)
}

fn unit_to_ghz(unit: &str) -> Option<f64> {
    match unit.to_ascii_lowercase().as_str() {
        "" | "ghz" => Some(1.0),
        "mhz" => Some(1e-3),
        "khz" => Some(1e-6),
        "hz" => Some(1e-9),
        _ => None,
    }
}

fn error(line: usize, message: String) -> TextError {
    TextError { file_kind: "cont.dat", line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_units_and_defaults() {
        let r = parse_range("230.3~230.5", 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.lo_ghz, r.hi_ghz, r.frame.as_str()), (230.3, 230.5, "TOPO"));
        let r = parse_range("100~200MHz SOURCE", 1).unwrap_or_else(|e| panic!("{e}"));
        assert!((r.hi_ghz - 0.2).abs() < 1e-12 && r.frame == "SOURCE");
        assert!(parse_range("1~xGHz", 3).is_err());
    }
}
