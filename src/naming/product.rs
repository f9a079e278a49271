//! Parsing of FITS product names such as
//! `member.uid___A001_X15a0_Xee.Sgr_A_star_sci.spw25.cube.I.pbcor.fits`.
//!
//! The source name may itself hold dots, `+`, `-` and leading or trailing `_`
//! (`_G012.80__sci.spw16…`), so the name is never split naively: the parser anchors on
//! `_<intent>.spw<digits>` (or `.spw<digits>` for names without an intent), takes the
//! prefix from the front, and classifies the dot-separated tokens after the spw list.

use serde::{Deserialize, Serialize};

use super::split_uid;

/// The fields of a FITS product name. Unknown tokens are kept in `tokens`, never an error.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ProductName {
    /// The MOUS uid (without `member.`); the EB uid for per-EB check-source images; the
    /// group uid for external `group.…` products.
    pub mous: Option<String>,
    pub source: String,
    pub intent: Option<String>,
    pub spws: Vec<u32>,
    /// `mfs`, `cont`, `cube` or `repBW`.
    pub specmode: Option<String>,
    pub stokes: Option<String>,
    /// `tt0` or `tt1` for multi-term (mtmfs) images.
    pub taylor: Option<String>,
    /// `pbcor`, `pb`, `mask`, `alpha`, `alpha.error`, `sd`, `sd.weight`, `image`, ...
    pub imagetype: String,
    /// `selfcal` or `regcal`.
    pub datatype: Option<String>,
    pub manual: bool,
    pub gzip: bool,
    /// Tokens with no field of their own (band `B6`, version `v2`, stage `s36_0`,
    /// `iter1`, `group`, `lp_<pi>`, `session_1`, anything unknown), in name order.
    pub tokens: Vec<String>,
}

/// Intents in product names (`filenamer._known_intents`, plus spellings seen in documents).
/// `pol_leak` comes before `pol` only for readability: anchors include the `.spw` that follows.
const INTENTS: &[&str] = &["sci", "bp", "ph", "flux", "chk", "check", "amp", "pol_leak", "pol", "pang", "plk"];
const SPECMODES: &[&str] = &["mfs", "cont", "cube", "repBW"];
const DATATYPES: &[&str] = &["selfcal", "regcal"];
const STOKES: &[&str] = &["I", "Q", "U", "V", "IQUV", "IQ", "IV", "QU", "UV", "XXYY", "XX", "YY", "RR", "LL", "RRLL"];
const LAYERS: &[&str] = &[
    "pbcor", "pb", "mask", "alpha", "error", "sd", "weight", "image", "residual", "psf", "model", "flux", "sumwt",
    "POLI", "POLA",
];

/// Parse a FITS product file name (no folders). Never fails: names that follow no ALMA
/// pattern still get a source (the stem before the known trailing tokens).
pub(super) fn parse(name: &str) -> ProductName {
    let mut product = ProductName::default();
    let stem = strip_extension(name, &mut product);
    let rest = strip_prefix(stem, &mut product);
    match find_anchor(rest) {
        Some(anchor) => {
            product.source = rest[..anchor.source_end].to_string();
            product.intent = anchor.intent.map(str::to_string);
            let after = &rest[anchor.spw_start..];
            let mut tokens = after.split('.');
            if let Some(spw) = tokens.next() {
                read_spws(spw, &mut product);
            }
            tokens.for_each(|t| read_token(t, &mut product));
        }
        None => parse_without_anchor(rest, &mut product),
    }
    product.imagetype = imagetype_of(&product.tokens);
    product.tokens.retain(|t| !LAYERS.contains(&t.as_str()));
    if product.source.is_empty() {
        product.source = stem.to_string();
    }
    product
}

/// Drop `.fits` / `.fits.gz` (any case), recording gzip.
fn strip_extension<'a>(name: &'a str, product: &mut ProductName) -> &'a str {
    let mut stem = name;
    if let Some(s) = strip_suffix_ci(stem, ".gz") {
        product.gzip = true;
        stem = s;
    }
    strip_suffix_ci(stem, ".fits").unwrap_or(stem)
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// Strip the leading prefixes (`member.`, `group.`, a uid, `lp_<pi>`, `session_N`, the
/// intermediate stage `s36_0`) and return what follows.
fn strip_prefix<'a>(stem: &'a str, product: &mut ProductName) -> &'a str {
    let mut rest = stem.strip_prefix("member.").unwrap_or(stem);
    if let Some(r) = rest.strip_prefix("group.") {
        product.tokens.push("group".to_string());
        rest = r;
    }
    if let Some((uid, r)) = split_uid(rest) {
        product.mous = Some(uid.to_string());
        rest = r.strip_prefix('.').unwrap_or(r);
    }
    while let Some((token, r)) = rest.split_once('.') {
        let is_prefix_token = token.starts_with("lp_")
            || token.strip_prefix("session_").is_some_and(|n| !n.is_empty())
            || is_stage_token(token);
        if !is_prefix_token || find_anchor(r).is_none() && find_anchor(rest).is_some() {
            break;
        }
        product.tokens.push(token.to_string());
        rest = r;
    }
    rest
}

/// `s36_0`: the pipeline stage of an intermediate (not delivered) image.
pub(crate) fn is_stage_token(token: &str) -> bool {
    let Some((stage, sub)) = token.strip_prefix('s').and_then(|t| t.split_once('_')) else {
        return false;
    };
    is_number(stage) && is_number(sub)
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

struct Anchor {
    source_end: usize,
    intent: Option<&'static str>,
    spw_start: usize,
}

/// The first `_<intent>.spw<digit>` in `rest`; failing that, the first `.spw<digit>`.
/// (Every file name of a package goes through here, so nothing is allocated.)
fn find_anchor(rest: &str) -> Option<Anchor> {
    let mut first_spw = None;
    let mut best: Option<Anchor> = None;
    for dot in spw_dots(rest) {
        first_spw.get_or_insert(dot);
        for intent in INTENTS {
            let Some(head) = rest[..dot].strip_suffix(intent).and_then(|h| h.strip_suffix('_')) else {
                continue;
            };
            if best.as_ref().is_none_or(|b| head.len() < b.source_end) {
                best = Some(Anchor { source_end: head.len(), intent: Some(*intent), spw_start: dot + 1 });
            }
        }
    }
    best.or_else(|| first_spw.map(|dot| Anchor { source_end: dot, intent: None, spw_start: dot + 1 }))
}

/// The positions of the dots followed by `spw<digit>` or `virtspw<digit>`, in order.
fn spw_dots(rest: &str) -> impl Iterator<Item = usize> + '_ {
    rest.match_indices('.').map(|(at, _)| at).filter(|&at| {
        let after = &rest[at + 1..];
        let digits = after.strip_prefix("spw").or_else(|| after.strip_prefix("virtspw"));
        digits.is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// `spw25_27_29` → [25, 27, 29]; a malformed list is kept whole as a token.
fn read_spws(token: &str, product: &mut ProductName) {
    let list = token.strip_prefix("virtspw").or_else(|| token.strip_prefix("spw")).unwrap_or(token);
    let ids: Option<Vec<u32>> = list.split('_').map(|n| n.parse().ok()).collect();
    match ids {
        Some(ids) if !list.is_empty() => product.spws = ids,
        _ => product.tokens.push(token.to_string()),
    }
}

/// Put one token after the spw list into its field; unknown tokens and layers go to
/// `tokens` (layers are turned into the imagetype afterwards).
fn read_token(token: &str, product: &mut ProductName) {
    if let Some(mode) = SPECMODES.iter().find(|m| m.eq_ignore_ascii_case(token)) {
        set_once(&mut product.specmode, mode, token, &mut product.tokens);
    } else if DATATYPES.contains(&token) {
        set_once(&mut product.datatype, token, token, &mut product.tokens);
    } else if STOKES.contains(&token) {
        set_once(&mut product.stokes, token, token, &mut product.tokens);
    } else if is_taylor(token) {
        set_once(&mut product.taylor, token, token, &mut product.tokens);
    } else if token == "manual" {
        product.manual = true;
    } else if !token.is_empty() {
        product.tokens.push(token.to_string());
    }
}

/// Fill an empty field; a second value for the same field is kept as an unknown token.
fn set_once(field: &mut Option<String>, value: &str, token: &str, tokens: &mut Vec<String>) {
    if field.is_none() {
        *field = Some(value.to_string());
    } else {
        tokens.push(token.to_string());
    }
}

fn is_taylor(token: &str) -> bool {
    token.strip_prefix("tt").is_some_and(is_number)
}

/// Names with no spw anchor (external `group.….lp_<pi>.…` products, renamed files): read
/// known tokens from the end; everything before them is the source.
fn parse_without_anchor(rest: &str, product: &mut ProductName) {
    let mut source_end = rest.len();
    let mut trailing = Vec::new();
    for token in rest.rsplit('.') {
        if !is_known_trailing(token) || token.len() >= source_end {
            break;
        }
        trailing.push(token);
        source_end -= token.len() + 1;
    }
    product.source = rest[..source_end].to_string();
    trailing.iter().rev().for_each(|t| read_token(t, product));
}

fn is_known_trailing(token: &str) -> bool {
    SPECMODES.contains(&token)
        || DATATYPES.contains(&token)
        || STOKES.contains(&token)
        || LAYERS.contains(&token)
        || is_taylor(token)
        || token == "manual"
}

/// The image type from the layer tokens: the last layer wins (`image.pbcor` is a pbcor),
/// with the two-token layers `alpha.error` and `sd.weight`; no layer means a plain image.
fn imagetype_of(tokens: &[String]) -> String {
    let layers: Vec<&str> = tokens.iter().map(String::as_str).filter(|t| LAYERS.contains(t)).collect();
    match layers.as_slice() {
        [.., "alpha", "error"] => "alpha.error".to_string(),
        [.., "sd", "weight"] => "sd.weight".to_string(),
        [.., last] => (*last).to_string(),
        [] => "image".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_tokens() {
        assert!(is_stage_token("s36_0"));
        assert!(!is_stage_token("s36"));
        assert!(!is_stage_token("spw2_3"));
    }

    #[test]
    fn anchor_prefers_first_intent() {
        let a = find_anchor("_G012.80__sci.spw16.cont").map(|a| a.source_end);
        assert_eq!(a, Some(9));
        assert!(find_anchor("M_sci.spwX").is_none());
    }

    #[test]
    fn imagetype_composites() {
        let t = |v: &[&str]| imagetype_of(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(t(&["image", "pbcor"]), "pbcor");
        assert_eq!(t(&["alpha", "error"]), "alpha.error");
        assert_eq!(t(&["sd", "weight"]), "sd.weight");
        assert_eq!(t(&["v2"]), "image");
    }
}
