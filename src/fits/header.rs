//! FITS header cards and keyword lookup.
//!
//! Cards are parsed here rather than by fitsrs: the header viewer needs every card verbatim
//! with its comment (fitsrs keeps only keyword values), fitsrs 0.4.1 panics on a lone-quote
//! value (`OBJECT  = '`), cannot parse an IMAGE extension header on its own, and keeps
//! offsets in `usize`. The card grammar itself (FITS 4.0 §4) is small.

use super::FitsError;
use std::io::Read;

/// Length of one header card.
pub const CARD_LEN: usize = 80;
/// Length of one FITS block: headers and data units are padded to it.
pub const BLOCK_LEN: u64 = 2880;
/// Most cards we accept in one header (thousands of HISTORY cards are common; millions are not).
pub const MAX_CARDS: u64 = 100_000;
/// Most header bytes we accept.
pub const MAX_HEADER_BYTES: u64 = 30_000_000;

/// One 80-character header card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Keyword, trimmed (`HIERARCH` keywords keep their full dotted/spaced name).
    pub key: String,
    /// Value as written: strings unquoted with `''` unescaped and trailing blanks removed;
    /// `None` for commentary cards (COMMENT, HISTORY, blank) and for cards without `= `.
    pub value: Option<String>,
    /// The comment after `/`, or the text of a commentary card.
    pub comment: Option<String>,
    /// The card exactly as stored (bytes above 0x7F shown as Latin-1).
    pub raw: String,
}

/// The cards of one HDU header, END excluded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    pub cards: Vec<Card>,
}

impl Card {
    /// Whether the value was written as a quoted string.
    pub fn is_string(&self) -> bool {
        self.raw.get(10..).is_some_and(|v| v.trim_start().starts_with('\''))
    }
}

impl Header {
    /// The first card with this keyword (case-sensitive, as FITS keywords are upper case).
    pub fn card(&self, key: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.key == key)
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.card(key).and_then(|c| c.value.as_deref())
    }

    /// A numeric value; accepts Fortran `D` exponents. `None` when absent or not a number.
    pub fn get_f64(&self, key: &str) -> Option<f64> {
        let card = self.card(key)?;
        if card.is_string() {
            return None;
        }
        parse_f64(card.value.as_deref()?)
    }

    /// An integer value; a float with an integral value (`CRPIX4 = 1.`) is accepted too.
    pub fn get_i64(&self, key: &str) -> Option<i64> {
        let card = self.card(key)?;
        if card.is_string() {
            return None;
        }
        let v = card.value.as_deref()?.trim();
        v.parse::<i64>().ok().or_else(|| {
            let f = parse_f64(v)?;
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
        })
    }

    /// A string value, with CONTINUE long-string cards joined (the `&` convention).
    pub fn get_str(&self, key: &str) -> Option<String> {
        let start = self.cards.iter().position(|c| c.key == key)?;
        let first = self.cards.get(start)?;
        if !first.is_string() {
            return first.value.clone();
        }
        let mut text = first.value.clone()?;
        for card in self.cards.iter().skip(start + 1) {
            if !text.ends_with('&') || card.key != "CONTINUE" {
                break;
            }
            text.pop();
            text.push_str(&continue_text(card));
        }
        Some(text)
    }

    /// A logical value (`T` or `F`).
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        match self.value(key)?.trim() {
            "T" => Some(true),
            "F" => Some(false),
            _ => None,
        }
    }
}

/// The string carried by a CONTINUE card (its value starts in column 11 without `= `).
fn continue_text(card: &Card) -> String {
    let body = card.raw.get(10..).unwrap_or("");
    match parse_string(body) {
        Some((s, _)) => s,
        None => String::new(),
    }
}

fn parse_f64(text: &str) -> Option<f64> {
    let t = text.trim();
    t.parse::<f64>().ok().or_else(|| t.replace(['D', 'd'], "E").parse::<f64>().ok())
}

/// Parses a quoted string at the start of `body` (after blanks): returns the unescaped
/// string (trailing blanks removed) and the text after the closing quote, or `None` when
/// the closing quote is missing.
fn parse_string(body: &str) -> Option<(String, &str)> {
    let s = body.trim_start().strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if let Some((_, '\'')) = chars.peek() {
                chars.next();
                out.push('\'');
                continue;
            }
            let rest = s.get(i + 1..).unwrap_or("");
            return Some((out.trim_end().to_string(), rest));
        }
        out.push(c);
    }
    None
}

/// Splits ` / comment` off the text after a value.
fn comment_after(rest: &str) -> Option<String> {
    rest.split_once('/').map(|(_, c)| c.trim().to_string()).filter(|c| !c.is_empty())
}

/// Parses one card; `number` (1-based) is only used in error messages.
pub fn parse_card(bytes: &[u8], number: u64) -> Result<Card, FitsError> {
    let raw: String = bytes.iter().map(|&b| b as char).collect();
    let (key, body) = split_key(&raw);
    let Some(body) = body else {
        let text = raw.get(8..).unwrap_or("").trim_end();
        let comment = (!text.trim().is_empty()).then(|| text.to_string());
        return Ok(Card { key, value: None, comment, raw });
    };
    if body.trim_start().starts_with('\'') {
        let (value, rest) = parse_string(body).ok_or_else(|| FitsError::BadCard {
            number,
            key: key.clone(),
            reason: "has an unterminated string".into(),
        })?;
        let comment = comment_after(rest);
        return Ok(Card { key, value: Some(value), comment, raw });
    }
    let (value, comment) = match body.split_once('/') {
        Some((v, c)) => (v.trim().to_string(), Some(c.trim().to_string()).filter(|c| !c.is_empty())),
        None => (body.trim().to_string(), None),
    };
    let value = (!value.is_empty()).then_some(value);
    Ok(Card { key, value, comment, raw })
}

/// Splits a card into its keyword and, when it has a value indicator, the text after it.
fn split_key(raw: &str) -> (String, Option<&str>) {
    if raw.starts_with("HIERARCH ") {
        if let Some((k, v)) = raw.split_once('=') {
            return (k.trim().to_string(), Some(v));
        }
    }
    let key = raw.get(..8).unwrap_or(raw).trim_end().to_string();
    match raw.get(8..10) {
        Some("= ") => (key, raw.get(10..)),
        _ => (key, None),
    }
}

/// Reads one header from `reader` (which must be at the first card), checking that the
/// first card is `SIMPLE` (primary) or `XTENSION` (extension).
///
/// Returns the header and its length in bytes, padding included (a multiple of 2880).
/// `reader` should buffer (a `SourceReader` with a 64 KiB window, or a gzip decoder):
/// the header is consumed one 2880-byte block at a time.
pub fn read_header<R: Read>(reader: &mut R, primary: bool) -> Result<(Header, u64), FitsError> {
    let mut cards = Vec::new();
    let mut block = vec![0u8; BLOCK_LEN as usize];
    let mut consumed: u64 = 0;
    loop {
        if consumed >= MAX_HEADER_BYTES || cards.len() as u64 >= MAX_CARDS {
            return Err(FitsError::HeaderTooLarge { cards: cards.len() as u64, bytes: consumed });
        }
        let filled = read_block(reader, &mut block)?;
        if filled < block.len() {
            if consumed == 0 {
                check_first_card(block.get(..filled.min(CARD_LEN)).unwrap_or(&[]), primary)?;
            }
            return Err(FitsError::NoEnd { searched_bytes: consumed + filled as u64 });
        }
        for card_bytes in block.chunks_exact(CARD_LEN) {
            let number = consumed / CARD_LEN as u64 + 1;
            if number == 1 {
                check_first_card(card_bytes, primary)?;
            }
            consumed += CARD_LEN as u64;
            if card_bytes.starts_with(b"END") && card_bytes.get(3..8).is_some_and(|b| b.iter().all(|&c| c == b' ')) {
                let len = consumed.div_ceil(BLOCK_LEN) * BLOCK_LEN;
                return Ok((Header { cards }, len));
            }
            cards.push(parse_card(card_bytes, number)?);
        }
    }
}

/// Fills `block` as far as the stream goes; returns the number of bytes read.
fn read_block<R: Read>(reader: &mut R, block: &mut [u8]) -> Result<usize, FitsError> {
    let mut filled = 0;
    while filled < block.len() {
        let Some(rest) = block.get_mut(filled..) else {
            break;
        };
        match reader.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(e)),
        }
    }
    Ok(filled)
}

/// Maps an I/O error from a reader (our `SourceReader` or a gzip decoder) to a FitsError.
pub(crate) fn io_error(e: std::io::Error) -> FitsError {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            FitsError::Gzip(format!("gzip ends early: the compressed stream is cut short ({e})"))
        }
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            FitsError::Gzip(format!("the gzip stream is corrupt: {e}"))
        }
        _ => FitsError::Source(crate::source::SourceError::Io(e.to_string())),
    }
}

fn check_first_card(card: &[u8], primary: bool) -> Result<(), FitsError> {
    let expected: &[u8] = if primary { b"SIMPLE  =" } else { b"XTENSION=" };
    if card.starts_with(expected) {
        return Ok(());
    }
    if card.is_empty() {
        return Err(FitsError::NotFits { first_card: "missing: the file is empty".into() });
    }
    let shown: String = card.iter().take(40).map(|&b| if (32..127).contains(&b) { b as char } else { '?' }).collect();
    Err(FitsError::NotFits { first_card: format!("\"{}\"", shown.trim_end()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(text: &str) -> Vec<u8> {
        format!("{text:<80}").into_bytes()
    }

    #[test]
    fn parses_values_strings_and_comments() {
        let c = parse_card(&card("OBJECT  = 'O''Brien  ' / the name"), 1).unwrap();
        assert_eq!(c.value.as_deref(), Some("O'Brien"));
        assert_eq!(c.comment.as_deref(), Some("the name"));
        let c = parse_card(&card("CDELT1  = -1.5D-03 / deg"), 1).unwrap();
        let h = Header { cards: vec![c] };
        assert_eq!(h.get_f64("CDELT1"), Some(-1.5e-3));
        let c = parse_card(&card("HISTORY hello / world"), 1).unwrap();
        assert_eq!((c.key.as_str(), c.value.as_ref()), ("HISTORY", None));
        assert_eq!(c.comment.as_deref(), Some("hello / world"));
    }

    #[test]
    fn lone_quote_is_an_error_not_a_panic() {
        let e = parse_card(&card("OBJECT  = '"), 37).unwrap_err();
        assert_eq!(e.to_string(), "card 37 (OBJECT) has an unterminated string");
    }

    #[test]
    fn continue_strings_are_joined() {
        let cards = ["LONG    = 'abc&'", "CONTINUE  'def&'", "CONTINUE  'gh'", "OTHER   = 1"];
        let h =
            Header { cards: cards.iter().enumerate().map(|(i, c)| parse_card(&card(c), i as u64).unwrap()).collect() };
        assert_eq!(h.get_str("LONG").as_deref(), Some("abcdefgh"));
        assert_eq!(h.get_i64("OTHER"), Some(1));
    }
}
