//! The reader: source text to S-expressions with spans.
//!
//! One pass over the bytes, bounded: a source over [`MAX_SOURCE`] bytes is
//! refused before reading, lists nest at most [`MAX_DEPTH`] deep (kept with
//! an explicit stack, so no input recurses), and an integer literal has at
//! most [`MAX_INT_DIGITS`] digits. Every error is collected and reading goes
//! on, so one run reports all of them.

use avm_asm::Span;
use num_bigint::BigInt;
use num_traits::Num;

use avm_asm::{FloatFormat, FloatLit};

use crate::types::IntType;

/// The largest source accepted, in bytes.
pub const MAX_SOURCE: usize = 1 << 20;
/// The deepest nesting of lists.
pub const MAX_DEPTH: usize = 64;
/// The most digits an integer literal may have (a 1024-bit number has 309 in decimal).
pub const MAX_INT_DIGITS: usize = 320;

/// An S-expression with the span of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sexp {
    /// What it is.
    pub kind: SexpKind,
    /// Where it was written (a list: from `(` to `)`).
    pub span: Span,
}

/// The kinds of S-expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SexpKind {
    /// `(a b c)`.
    List(Vec<Sexp>),
    /// An integer literal such as `42`, `-7`, `0xff` or `255u8`.
    Int {
        /// Its value.
        value: BigInt,
        /// The type its suffix names, if any.
        suffix: Option<IntType>,
    },
    /// A float literal such as `0.05`, `-1.5e3` or `2.5f32`.
    Float {
        /// The number's text, without the suffix (valid float syntax).
        text: String,
        /// The format its suffix names, if any.
        suffix: Option<FloatFormat>,
    },
    /// A symbol: a name, an operator or a keyword such as `true`.
    Symbol(String),
    /// A string literal `"..."`, as bytes.
    Bytes(Vec<u8>),
}

impl Sexp {
    /// The symbol's name, if this is a symbol.
    pub fn symbol(&self) -> Option<&str> {
        match &self.kind {
            SexpKind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn list(&self) -> Option<&[Sexp]> {
        match &self.kind {
            SexpKind::List(items) => Some(items),
            _ => None,
        }
    }
}

/// A reading error: what and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// What is wrong.
    pub message: String,
    /// The text at fault.
    pub span: Span,
}

fn err(message: impl Into<String>, span: Span) -> ReadError {
    ReadError {
        message: message.into(),
        span,
    }
}

/// A comment with its span, kept so that the formatter can print it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `;`, without the line end.
    pub text: String,
    /// From the `;` to the end of the line.
    pub span: Span,
}

/// What [`read`] found: the top-level S-expressions and the comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Read {
    /// The top-level forms in source order.
    pub forms: Vec<Sexp>,
    /// Every comment in source order.
    pub comments: Vec<Comment>,
}

/// Reads every top-level S-expression of `source`, or every error found.
pub fn read(source: &str) -> Result<Read, Vec<ReadError>> {
    if source.len() > MAX_SOURCE {
        return Err(vec![err(
            format!(
                "the source is {} bytes; at most {MAX_SOURCE} are accepted",
                source.len()
            ),
            Span::new(0, 0),
        )]);
    }
    let bytes = source.as_bytes();
    let mut errors = Vec::new();
    let mut comments = Vec::new();
    // Open lists: where each started and what it holds so far.
    let mut stack: Vec<(usize, Vec<Sexp>)> = Vec::new();
    let mut top = Vec::new();
    // Lists too deep are skipped whole: how many opens are pending inside one.
    let mut skipping = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let atom = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b';' => {
                let end = memchr_newline(bytes, i);
                comments.push(Comment {
                    text: source[i + 1..end].to_owned(),
                    span: Span::new(i, end),
                });
                i = end;
                continue;
            }
            b'(' => {
                i += 1;
                if skipping > 0 {
                    skipping += 1;
                } else if stack.len() >= MAX_DEPTH {
                    errors.push(err(
                        format!("lists nest more than {MAX_DEPTH} deep"),
                        Span::new(start, i),
                    ));
                    skipping = 1;
                } else {
                    stack.push((start, Vec::new()));
                }
                continue;
            }
            b')' => {
                i += 1;
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                match stack.pop() {
                    Some((open, items)) => Sexp {
                        kind: SexpKind::List(items),
                        span: Span::new(open, i),
                    },
                    None => {
                        errors.push(err("unmatched `)`", Span::new(start, i)));
                        continue;
                    }
                }
            }
            b'"' => {
                let (end, result) = string(source, i);
                i = end;
                match result {
                    Ok(bytes) => Sexp {
                        kind: SexpKind::Bytes(bytes),
                        span: Span::new(start, i),
                    },
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                }
            }
            _ => {
                while i < bytes.len() && !is_delimiter(bytes[i]) {
                    i += 1;
                }
                // Token boundaries are ASCII, so the slice is on char boundaries.
                let text = &source[start..i];
                if text == "x" && bytes.get(i) == Some(&b'"') {
                    let (end, result) = string(source, i);
                    i = end;
                    let span = Span::new(start, i);
                    match result.and_then(|s| hex(&s, span)) {
                        Ok(bytes) => {
                            let sexp = Sexp {
                                kind: SexpKind::Bytes(bytes),
                                span,
                            };
                            if skipping == 0 {
                                match stack.last_mut() {
                                    Some((_, items)) => items.push(sexp),
                                    None => top.push(sexp),
                                }
                            }
                        }
                        Err(e) => errors.push(e),
                    }
                    continue;
                }
                match atom(text, Span::new(start, i)) {
                    Ok(sexp) => sexp,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                }
            }
        };
        if skipping > 0 {
            continue;
        }
        match stack.last_mut() {
            Some((_, items)) => items.push(atom),
            None => top.push(atom),
        }
    }
    for (open, _) in stack.iter().rev() {
        errors.push(err("this `(` is never closed", Span::new(*open, open + 1)));
    }
    if errors.is_empty() {
        Ok(Read {
            forms: top,
            comments,
        })
    } else {
        errors.sort_by_key(|e| e.span.start);
        Err(errors)
    }
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b'"' | b';')
}

/// Reads the string literal starting at the `"` at `start`: where it ends, and its bytes.
fn string(source: &str, start: usize) -> (usize, Result<Vec<u8>, ReadError>) {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut bad = None;
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let result = match bad {
                    Some(e) => Err(e),
                    None => Ok(out),
                };
                return (i + 1, result);
            }
            b'\\' => {
                let esc = bytes.get(i + 1).copied();
                let (byte, len) = match esc {
                    Some(b'n') => (Some(b'\n'), 2),
                    Some(b't') => (Some(b'\t'), 2),
                    Some(b'\\') => (Some(b'\\'), 2),
                    Some(b'"') => (Some(b'"'), 2),
                    Some(b'x') => {
                        let hex = source.get(i + 2..i + 4);
                        (hex.and_then(|h| u8::from_str_radix(h, 16).ok()), 4)
                    }
                    _ => (None, 2),
                };
                match byte {
                    Some(b) => out.push(b),
                    None => {
                        let end = (i + len).min(bytes.len());
                        bad.get_or_insert(err(
                            "unknown escape: use \\n, \\t, \\\\, \\\" or \\xHH",
                            Span::new(i, end),
                        ));
                    }
                }
                i += len;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    (
        bytes.len(),
        Err(err(
            "this string is never closed",
            Span::new(start, start + 1),
        )),
    )
}

/// The bytes of the hex digits of `x"..."`, in pairs, spaces allowed between pairs.
fn hex(text: &[u8], span: Span) -> Result<Vec<u8>, ReadError> {
    let digits: Vec<u8> = text.iter().copied().filter(|c| *c != b' ').collect();
    let bad = || {
        err(
            "`x\"...\"` holds pairs of hex digits, e.g. x\"de ad\"",
            span,
        )
    };
    if !digits.len().is_multiple_of(2) {
        return Err(bad());
    }
    digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).map_err(|_| bad())?;
            u8::from_str_radix(pair, 16).map_err(|_| bad())
        })
        .collect()
}

/// An atom: an integer literal if it starts like one, else a symbol.
fn atom(text: &str, span: Span) -> Result<Sexp, ReadError> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if !unsigned.starts_with(|c: char| c.is_ascii_digit()) {
        if let Some(c) = text.chars().find(|c| !is_symbol_char(*c)) {
            return Err(err(format!("`{c}` cannot be part of a name"), span));
        }
        return Ok(Sexp {
            kind: SexpKind::Symbol(text.to_owned()),
            span,
        });
    }
    let hex = unsigned.starts_with("0x");
    if !hex && unsigned.contains(['.', 'e', 'E']) {
        return float(text, span);
    }
    let (value, suffix) = integer(text).ok_or_else(|| {
        err(
            format!("`{text}` is not an integer: write digits, 0x and hex digits, then an optional type such as u8 or i64"),
            span,
        )
    })?;
    Ok(Sexp {
        kind: SexpKind::Int { value, suffix },
        span,
    })
}

/// The most digits of a float literal's exponent (so `1e99999999` is refused, not computed).
const MAX_EXPONENT_DIGITS: usize = 4;

/// A float literal: `[-]DIGITS[.DIGITS][e[+|-]DIGITS][format]`.
fn float(text: &str, span: Span) -> Result<Sexp, ReadError> {
    let bad = || {
        err(
            format!("`{text}` is not a number: write digits, a fraction or an exponent, then an optional format such as f32"),
            span,
        )
    };
    let (number, suffix) = match FloatFormat::ALL.iter().find(|f| text.ends_with(f.prefix())) {
        Some(f) => (&text[..text.len() - f.prefix().len()], Some(*f)),
        None => (text, None),
    };
    let exponent = number.split(['e', 'E']).nth(1).unwrap_or("");
    let exponent_digits = exponent.trim_start_matches(['+', '-']).len();
    if number.len() > MAX_INT_DIGITS || exponent_digits > MAX_EXPONENT_DIGITS {
        return Err(bad());
    }
    FloatLit::new(number).ok_or_else(bad)?;
    Ok(Sexp {
        kind: SexpKind::Float {
            text: number.to_owned(),
            suffix,
        },
        span,
    })
}

fn is_symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+-*/%<>=!?_.:&|^~@$".contains(c)
}

/// Parses `[-]digits[suffix]` or `[-]0xHEX[suffix]`.
fn integer(text: &str) -> Option<(BigInt, Option<IntType>)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (radix, rest) = match rest.strip_prefix("0x") {
        Some(hex) => (16, hex),
        None => (10, rest),
    };
    let digits_end = rest
        .find(|c: char| !c.is_digit(radix) && c != '_')
        .unwrap_or(rest.len());
    let (digits, suffix) = rest.split_at(digits_end);
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    if digits.is_empty() || digits.len() > MAX_INT_DIGITS {
        return None;
    }
    let suffix = match suffix {
        "" => None,
        s => Some(IntType::from_name(s)?),
    };
    let magnitude = BigInt::from_str_radix(&digits, radix).ok()?;
    Some((if negative { -magnitude } else { magnitude }, suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(src: &str) -> Vec<Sexp> {
        read(src).unwrap().forms
    }

    #[test]
    fn reads_nested_lists_with_spans() {
        let forms = read_ok("(a (b 1) \"x\") ; note\n42u8");
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].span, Span::new(0, 13));
        let items = forms[0].list().unwrap();
        assert_eq!(items[0].symbol(), Some("a"));
        assert_eq!(items[1].span, Span::new(3, 8));
        assert_eq!(items[2].kind, SexpKind::Bytes(b"x".to_vec()));
        assert_eq!(
            forms[1].kind,
            SexpKind::Int {
                value: 42.into(),
                suffix: Some(IntType::new(8, false))
            }
        );
    }

    #[test]
    fn reads_hex_negative_and_underscored_integers() {
        let forms = read_ok("0xff -12 1_000i32");
        let values: Vec<_> = forms
            .iter()
            .map(|f| match &f.kind {
                SexpKind::Int { value, .. } => value.clone(),
                _ => panic!("not an int"),
            })
            .collect();
        assert_eq!(values, vec![255.into(), (-12).into(), 1000.into()]);
        // `-` alone and `-x` are symbols.
        assert_eq!(read_ok("- -x")[1].symbol(), Some("-x"));
    }

    #[test]
    fn reports_every_error_in_order() {
        let errors = read("(a ))\n(b \"\\q\" 12zz\n(c").unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 5, "{messages:?}");
        assert!(messages[0].contains("unmatched"));
        assert!(messages[1].contains("never closed"));
        assert!(messages[2].contains("escape"));
        assert!(messages[3].contains("not an integer"));
        assert!(messages[4].contains("never closed"));
    }

    #[test]
    fn floats_read_with_their_format() {
        let forms = read_ok("0.05 -1.5e3 2.5f32");
        assert_eq!(
            forms[0].kind,
            SexpKind::Float {
                text: "0.05".into(),
                suffix: None
            }
        );
        assert_eq!(
            forms[1].kind,
            SexpKind::Float {
                text: "-1.5e3".into(),
                suffix: None
            }
        );
        assert_eq!(
            forms[2].kind,
            SexpKind::Float {
                text: "2.5".into(),
                suffix: Some(FloatFormat::F32)
            }
        );
        assert!(read("1.").is_err() && read("1e99999").is_err() && read("1.5x").is_err());
    }

    #[test]
    fn hex_strings_read_as_bytes() {
        let forms = read_ok("(f x\"de ad\" \"a\\x00\")");
        let items = forms[0].list().unwrap();
        assert_eq!(items[1].kind, SexpKind::Bytes(vec![0xde, 0xad]));
        assert_eq!(items[2].kind, SexpKind::Bytes(vec![b'a', 0]));
        assert!(read("x\"abc\"").is_err());
        assert!(read("x\"zz\"").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "(".repeat(100_000) + &")".repeat(100_000);
        let errors = read(&src).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("nest"));
    }

    #[test]
    fn oversized_sources_and_literals_are_refused() {
        assert!(read(&" ".repeat(MAX_SOURCE + 1)).is_err());
        assert!(read(&"9".repeat(MAX_INT_DIGITS + 1)).is_err());
        assert!(read(&"9".repeat(MAX_INT_DIGITS)).is_ok());
    }

    #[test]
    fn non_ascii_is_reported_not_a_panic() {
        let errors = read("(é ü)").unwrap_err();
        assert_eq!(errors.len(), 2);
    }
}
