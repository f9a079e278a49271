//! A small FITS writer: header cards, 2880-byte padding and big-endian data for every BITPIX.
//!
//! Public so that tests elsewhere can build FITS files with exactly the cards they need.
//! Values are formatted the way CASA writes them (`%20.12E` floats, quoted strings padded to
//! 8 characters), so generated headers look like the pipeline's.

/// The size of a FITS block: headers and data units are padded to a multiple of it.
pub const BLOCK: u64 = 2880;
/// The length of one header card.
pub const CARD: usize = 80;

/// Pixel data of one HDU, in one of the six FITS types.
pub enum Data<'a> {
    U8(&'a [u8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    F32(&'a [f32]),
    F64(&'a [f64]),
}

impl Data<'_> {
    /// The BITPIX value that announces this data type.
    pub fn bitpix(&self) -> i64 {
        match self {
            Data::U8(_) => 8,
            Data::I16(_) => 16,
            Data::I32(_) => 32,
            Data::I64(_) => 64,
            Data::F32(_) => -32,
            Data::F64(_) => -64,
        }
    }

    /// Big-endian bytes, unpadded.
    pub fn to_be_bytes(&self) -> Vec<u8> {
        match self {
            Data::U8(v) => v.to_vec(),
            Data::I16(v) => v.iter().flat_map(|x| x.to_be_bytes()).collect(),
            Data::I32(v) => v.iter().flat_map(|x| x.to_be_bytes()).collect(),
            Data::I64(v) => v.iter().flat_map(|x| x.to_be_bytes()).collect(),
            Data::F32(v) => v.iter().flat_map(|x| x.to_be_bytes()).collect(),
            Data::F64(v) => v.iter().flat_map(|x| x.to_be_bytes()).collect(),
        }
    }
}

/// Builds one primary HDU: mandatory cards first, then whatever the caller adds.
#[derive(Clone, Debug)]
pub struct FitsBuilder {
    cards: Vec<String>,
    bitpix: i64,
    naxes: Vec<u64>,
}

impl FitsBuilder {
    /// A primary header with `SIMPLE`, `BITPIX`, `NAXIS`, `NAXISn` and `EXTEND` already set.
    pub fn primary(bitpix: i64, naxes: &[u64]) -> Self {
        let mut b = FitsBuilder { cards: Vec::new(), bitpix, naxes: naxes.to_vec() };
        b = b.logical("SIMPLE", true, "Standard FITS");
        b = b.int("BITPIX", bitpix, if bitpix == -32 { "Floating point (32 bit)" } else { "" });
        b = b.int("NAXIS", naxes.len() as i64, "");
        for (i, n) in naxes.iter().enumerate() {
            b = b.int(&format!("NAXIS{}", i + 1), *n as i64, "");
        }
        b.logical("EXTEND", true, "")
    }

    pub fn logical(self, key: &str, value: bool, comment: &str) -> Self {
        let v = format!("{:>20}", if value { "T" } else { "F" });
        self.raw(value_card(key, &v, comment))
    }

    pub fn int(self, key: &str, value: i64, comment: &str) -> Self {
        self.raw(value_card(key, &format!("{value:>20}"), comment))
    }

    /// A float in CASA's `%20.12E` style; non-finite values are not FITS, so they are skipped.
    pub fn float(self, key: &str, value: f64, comment: &str) -> Self {
        if !value.is_finite() {
            return self;
        }
        self.raw(value_card(key, &format!("{:>20}", fits_float(value)), comment))
    }

    /// A string value: quotes doubled, padded to 8 characters, cut to fit one card.
    pub fn string(self, key: &str, value: &str, comment: &str) -> Self {
        let escaped: String = value.replace('\'', "''").chars().take(66).collect();
        self.raw(value_card(key, &format!("'{escaped:<8}'"), comment))
    }

    pub fn comment(self, text: &str) -> Self {
        self.raw(format!("COMMENT {text}"))
    }

    pub fn history(self, text: &str) -> Self {
        self.raw(format!("HISTORY {text}"))
    }

    /// Adds a card as given, cut or padded to 80 characters.
    pub fn raw(mut self, card: String) -> Self {
        self.cards.push(pad_card(&card));
        self
    }

    /// The header bytes: cards, `END`, blank padding to a multiple of 2880.
    pub fn header_bytes(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.cards.iter().flat_map(|c| c.bytes()).collect();
        out.extend(pad_card("END").bytes());
        pad_to_block(&mut out, b' ');
        out
    }

    /// Bytes of the data unit before padding: the product of NAXISn times |BITPIX|/8.
    pub fn data_len(&self) -> u64 {
        let pixels: u64 = if self.naxes.is_empty() { 0 } else { self.naxes.iter().product() };
        pixels * (self.bitpix.unsigned_abs() / 8)
    }

    /// The whole HDU: header then data padded with zeros. The caller gives as many values as
    /// NAXISn announce; a mismatch is a bug in the caller, reported as an error.
    pub fn to_bytes(&self, data: Data<'_>) -> Result<Vec<u8>, String> {
        if data.bitpix() != self.bitpix {
            return Err(format!("data of BITPIX {} for a header of BITPIX {}", data.bitpix(), self.bitpix));
        }
        let body = data.to_be_bytes();
        if body.len() as u64 != self.data_len() {
            return Err(format!("{} data bytes for a header announcing {}", body.len(), self.data_len()));
        }
        let mut out = self.header_bytes();
        out.extend(body);
        pad_to_block(&mut out, 0);
        Ok(out)
    }
}

/// `1.569650000000E+02`: twelve decimals and a signed two-digit exponent, as CASA writes.
pub fn fits_float(v: f64) -> String {
    let s = format!("{v:.12E}");
    match s.split_once('E') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}E{sign}{digits:0>2}")
        }
        None => s,
    }
}

fn value_card(key: &str, value: &str, comment: &str) -> String {
    let key: String = key.chars().take(8).collect();
    if comment.is_empty() {
        format!("{key:<8}= {value}")
    } else {
        format!("{key:<8}= {value} /{comment}")
    }
}

fn pad_card(card: &str) -> String {
    let ascii: String = card.chars().map(|c| if c.is_ascii() { c } else { '?' }).take(CARD).collect();
    format!("{ascii:<CARD$}")
}

/// Pads to the next multiple of 2880 bytes.
pub fn pad_to_block(bytes: &mut Vec<u8>, fill: u8) {
    let rem = bytes.len() as u64 % BLOCK;
    if rem != 0 {
        bytes.resize(bytes.len() + (BLOCK - rem) as usize, fill);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_cards_of_80_ending_in_end_padded_to_2880() {
        let h = FitsBuilder::primary(-32, &[4, 3, 2, 1]).string("OBJECT", "It's", "").header_bytes();
        assert_eq!(h.len() % 2880, 0);
        let cards: Vec<&[u8]> = h.chunks(80).collect();
        assert_eq!(&cards[0][..30], b"SIMPLE  =                    T");
        assert_eq!(&cards[1][..30], b"BITPIX  =                  -32");
        assert_eq!(&cards[8][..21], b"OBJECT  = 'It''s   ' ");
        assert_eq!(&cards[9][..8], b"END     ");
    }

    #[test]
    fn floats_look_like_casa() {
        assert_eq!(fits_float(156.965), "1.569650000000E+02");
        assert_eq!(fits_float(-2.777777777778e-4), "-2.777777777778E-04");
    }

    #[test]
    fn data_is_big_endian_and_padded_for_every_bitpix() {
        let b = FitsBuilder::primary(16, &[2]);
        let out = b.to_bytes(Data::I16(&[1, -2])).expect("sizes match");
        assert_eq!(out.len(), 5760);
        assert_eq!(&out[2880..2884], &[0, 1, 0xff, 0xfe]);
        for (bitpix, data) in [
            (8, Data::U8(&[1])),
            (32, Data::I32(&[1])),
            (64, Data::I64(&[1])),
            (-32, Data::F32(&[1.0])),
            (-64, Data::F64(&[1.0])),
        ] {
            let b = FitsBuilder::primary(bitpix, &[1]);
            assert_eq!(b.data_len(), bitpix.unsigned_abs() / 8);
            assert!(b.to_bytes(data).is_ok());
        }
        assert!(FitsBuilder::primary(-32, &[3]).to_bytes(Data::F32(&[1.0])).is_err());
    }
}
