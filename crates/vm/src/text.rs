//! The text form of [`DataValue`], for people: printing and parsing.
//!
//! Printing then parsing gives back the same value. Parsing is strict about
//! structure but accepts more spellings than the printer uses (hex
//! naturals, a trailing comma, comments, `\u{..}` escapes).
//!
//! ```text
//! value    = nat | bytes | string | tuple | option | function
//! nat      = "0" | [1-9] [0-9]*        ; decimal, at most 1000 digits
//!          | "0x" [0-9a-fA-F]+         ; hexadecimal, any size
//! bytes    = 'x"' ([0-9a-fA-F] [0-9a-fA-F])* '"'
//! string   = '"' (char | escape)* '"'  ; a byte string holding UTF-8
//! escape   = '\"' | '\\' | '\n' | '\r' | '\t' | '\0' | '\u{' hex{1,6} '}'
//! tuple    = "(" [ value ("," value)* [","] ] ")"
//! option   = "#" u64 ":" value         ; alternative index, then its value
//! function = "fn" "(" u64 "," bytes ")" ; VM number, then code
//! u64      = a nat below 2^64
//! ```
//!
//! Whitespace (space, tab, CR, LF) and `//` comments to the end of a line may
//! stand between any two tokens. The printer writes naturals below 2^128 in
//! decimal and larger ones in hex, byte strings that are UTF-8 without
//! control characters (other than `\n`, `\r`, `\t`) as strings and others
//! as `x"..."`, and VM numbers in hex.
//!
//! ```
//! use avm_vm::{text, DataValue, VmId};
//! let v = DataValue::tuple([
//!     DataValue::nat(42u8),
//!     DataValue::option(1, DataValue::string("hello\n")),
//!     DataValue::function(VmId::ALU, [0xc0, 0xde]),
//!     DataValue::bytes([0xff, 0x00]),
//! ]);
//! let s = text::print(&v);
//! assert_eq!(s, r#"(42, #1:"hello\n", fn(0x300001, x"c0de"), x"ff00")"#);
//! assert_eq!(text::parse(&s).unwrap(), v);
//! ```

use std::fmt;
use std::str::FromStr;

use num_bigint::BigUint;
use thiserror::Error;

use crate::codec::Limits;
use crate::value::{DataValue, VmId};

/// The longest decimal literal accepted (decimal parsing is quadratic; hex is
/// linear and has no such limit).
pub const MAX_DECIMAL_DIGITS: usize = 1000;

/// Why parsing failed, and where.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{kind} at byte {offset}")]
pub struct ParseError {
    /// The byte offset in the source where the problem was found.
    pub offset: usize,
    /// What the problem is.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// The 1-based line and column (in characters) of the error in `source`.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        let before = &source[..floor_char_boundary(source, self.offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What went wrong in parsing.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    /// The source ends where more was expected.
    #[error("unexpected end, expected {0}")]
    UnexpectedEnd(&'static str),
    /// Something else stands where this was expected.
    #[error("expected {0}")]
    Expected(&'static str),
    /// A decimal number starts with 0.
    #[error("leading zero in a decimal number")]
    LeadingZero,
    /// A decimal number is longer than [`MAX_DECIMAL_DIGITS`].
    #[error("decimal number longer than {MAX_DECIMAL_DIGITS} digits (write it in hex)")]
    LongDecimal,
    /// A VM number or option index does not fit in 64 bits.
    #[error("number over 64 bits")]
    Overflow,
    /// A hex byte string has an odd number of digits.
    #[error("odd number of hex digits")]
    OddHex,
    /// An escape in a string is not one of the grammar's.
    #[error("unknown escape")]
    BadEscape,
    /// Text follows the value.
    #[error("text after the value")]
    Trailing,
    /// Values nest deeper than the limit.
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
    /// The source is longer than the limit.
    #[error("source of {size} bytes over the limit of {max}")]
    TooLarge {
        /// The source's length.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The source holds more values than the limit.
    #[error("more than {0} values")]
    TooManyValues(usize),
}

/// The text form of `value`.
pub fn print(value: &DataValue) -> String {
    let mut out = String::new();
    write_value(value, &mut out).expect("writing to a String cannot fail");
    out
}

/// Parses one value that must fill `source` (but for whitespace and
/// comments), under default [`Limits`].
pub fn parse(source: &str) -> Result<DataValue, ParseError> {
    parse_with(source, &Limits::default())
}

/// Parses one value that must fill `source`, under `limits`.
pub fn parse_with(source: &str, limits: &Limits) -> Result<DataValue, ParseError> {
    if source.len() > limits.max_size {
        return Err(ParseError {
            offset: limits.max_size,
            kind: ParseErrorKind::TooLarge {
                size: source.len(),
                max: limits.max_size,
            },
        });
    }
    let mut parser = Parser {
        src: source.as_bytes(),
        pos: 0,
        limits,
        values: 0,
    };
    let value = parser.value(1)?;
    parser.skip_space();
    if parser.pos != parser.src.len() {
        return Err(parser.error(ParseErrorKind::Trailing));
    }
    Ok(value)
}

impl fmt::Display for DataValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_value(self, f)
    }
}

impl FromStr for DataValue {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

fn write_value(value: &DataValue, out: &mut impl fmt::Write) -> fmt::Result {
    match value {
        DataValue::Nat(n) => {
            if n.bits() <= 128 {
                write!(out, "{n}")
            } else {
                write!(out, "{n:#x}")
            }
        }
        DataValue::Bytes(bytes) => write_bytes(bytes, out),
        DataValue::Tuple(items) => {
            out.write_char('(')?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_str(", ")?;
                }
                write_value(item, out)?;
            }
            out.write_char(')')
        }
        DataValue::Option { index, value } => {
            write!(out, "#{index}:")?;
            write_value(value, out)
        }
        DataValue::Function { vm, code } => {
            write!(out, "fn({vm}, ")?;
            write_hex(code, out)?;
            out.write_char(')')
        }
    }
}

fn write_bytes(bytes: &[u8], out: &mut impl fmt::Write) -> fmt::Result {
    match std::str::from_utf8(bytes) {
        Ok(s)
            if !s
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            out.write_char('"')?;
            for c in s.chars() {
                match c {
                    '"' => out.write_str("\\\"")?,
                    '\\' => out.write_str("\\\\")?,
                    '\n' => out.write_str("\\n")?,
                    '\r' => out.write_str("\\r")?,
                    '\t' => out.write_str("\\t")?,
                    c => out.write_char(c)?,
                }
            }
            out.write_char('"')
        }
        _ => write_hex(bytes, out),
    }
}

fn write_hex(bytes: &[u8], out: &mut impl fmt::Write) -> fmt::Result {
    out.write_str("x\"")?;
    for b in bytes {
        write!(out, "{b:02x}")?;
    }
    out.write_char('"')
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    limits: &'a Limits,
    values: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError {
            offset: self.pos,
            kind,
        }
    }

    fn expected(&self, what: &'static str) -> ParseError {
        if self.pos >= self.src.len() {
            self.error(ParseErrorKind::UnexpectedEnd(what))
        } else {
            self.error(ParseErrorKind::Expected(what))
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips space, then consumes `token` or fails naming `what`.
    fn expect(&mut self, token: u8, what: &'static str) -> Result<(), ParseError> {
        self.skip_space();
        if self.peek() == Some(token) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    fn value(&mut self, depth: usize) -> Result<DataValue, ParseError> {
        self.skip_space();
        if depth > self.limits.max_depth {
            return Err(self.error(ParseErrorKind::TooDeep(self.limits.max_depth)));
        }
        self.values += 1;
        if self.values > self.limits.max_values {
            return Err(self.error(ParseErrorKind::TooManyValues(self.limits.max_values)));
        }
        match self.peek() {
            Some(b'0'..=b'9') => Ok(DataValue::Nat(self.nat()?)),
            Some(b'x') if self.src.get(self.pos + 1) == Some(&b'"') => {
                self.pos += 1;
                Ok(DataValue::Bytes(self.hex_string()?))
            }
            Some(b'"') => Ok(DataValue::Bytes(self.string()?)),
            Some(b'(') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek() == Some(b')') {
                        self.pos += 1;
                        return Ok(DataValue::Tuple(items));
                    }
                    items.push(self.value(depth + 1)?);
                    self.skip_space();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b')') => {}
                        _ => return Err(self.expected("',' or ')'")),
                    }
                }
            }
            Some(b'#') => {
                self.pos += 1;
                let index = self.u64()?;
                self.expect(b':', "':' after the option index")?;
                let value = self.value(depth + 1)?;
                Ok(DataValue::option(index, value))
            }
            Some(b'f') if self.src[self.pos..].starts_with(b"fn") => {
                self.pos += 2;
                self.expect(b'(', "'(' after fn")?;
                self.skip_space();
                let vm = VmId(self.u64()?);
                self.expect(b',', "',' after the VM number")?;
                self.skip_space();
                if !self.src[self.pos..].starts_with(b"x\"") {
                    return Err(self.expected("code as x\"...\""));
                }
                self.pos += 1;
                let code = self.hex_string()?;
                self.expect(b')', "')' after the code")?;
                Ok(DataValue::Function { vm, code })
            }
            _ => Err(self.expected("a value")),
        }
    }

    fn digits(&mut self, hex: bool) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            let ok = if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            };
            if !ok {
                break;
            }
            self.pos += 1;
        }
        let src = self.src;
        &src[start..self.pos]
    }

    fn nat(&mut self) -> Result<BigUint, ParseError> {
        let start = self.pos;
        if self.src[self.pos..].starts_with(b"0x") {
            self.pos += 2;
            let digits = self.digits(true);
            if digits.is_empty() {
                return Err(self.expected("hex digits"));
            }
            return Ok(BigUint::parse_bytes(digits, 16).expect("hex digits parse"));
        }
        let digits = self.digits(false);
        if digits.len() > 1 && digits[0] == b'0' {
            return Err(ParseError {
                offset: start,
                kind: ParseErrorKind::LeadingZero,
            });
        }
        if digits.len() > MAX_DECIMAL_DIGITS {
            return Err(ParseError {
                offset: start,
                kind: ParseErrorKind::LongDecimal,
            });
        }
        Ok(BigUint::parse_bytes(digits, 10).expect("decimal digits parse"))
    }

    fn u64(&mut self) -> Result<u64, ParseError> {
        self.skip_space();
        let start = self.pos;
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.expected("a number"));
        }
        let n = self.nat()?;
        u64::try_from(&n).map_err(|_| ParseError {
            offset: start,
            kind: ParseErrorKind::Overflow,
        })
    }

    /// Parses `"hexpairs"`; the `x` is already consumed.
    fn hex_string(&mut self) -> Result<Vec<u8>, ParseError> {
        self.pos += 1; // the opening quote
        let start = self.pos;
        let digits = self.digits(true);
        let mut bytes = Vec::with_capacity(digits.len() / 2);
        for pair in digits.chunks(2) {
            if pair.len() < 2 {
                return Err(ParseError {
                    offset: start,
                    kind: ParseErrorKind::OddHex,
                });
            }
            bytes.push(hex_value(pair[0]) << 4 | hex_value(pair[1]));
        }
        if self.peek() != Some(b'"') {
            return Err(self.expected("'\"' closing the byte string"));
        }
        self.pos += 1;
        Ok(bytes)
    }

    fn string(&mut self) -> Result<Vec<u8>, ParseError> {
        self.pos += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.expected("'\"' closing the string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let at = self.pos;
                    self.pos += 1;
                    let bad = ParseError {
                        offset: at,
                        kind: ParseErrorKind::BadEscape,
                    };
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'0') => '\0',
                        Some(b'u') => {
                            self.pos += 1;
                            if self.peek() != Some(b'{') {
                                return Err(bad);
                            }
                            self.pos += 1;
                            let digits = self.digits(true);
                            if digits.is_empty() || digits.len() > 6 || self.peek() != Some(b'}') {
                                return Err(bad);
                            }
                            let code = digits
                                .iter()
                                .fold(0u32, |acc, &d| acc << 4 | u32::from(hex_value(d)));
                            char::from_u32(code).ok_or(bad)?
                        }
                        _ => return Err(bad),
                    };
                    self.pos += 1;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }
}

fn hex_value(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        _ => d - b'A' + 10,
    }
}
