//! Splits one source line into tokens, decoding literals on the way.

use crate::error::SyntaxError;
use crate::literal::parse_int;
use crate::span::Span;

/// A token of one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// `[A-Za-z_][A-Za-z0-9_]*`.
    Ident(&'a str),
    /// An unsigned integer literal's little-endian magnitude.
    Int(Vec<u8>),
    /// An unsigned float literal's text.
    Float(&'a str),
    /// A decoded `"..."` or `x"..."` literal.
    Bytes(Vec<u8>),
    Colon,
    Comma,
    Dot,
    LBracket,
    RBracket,
    At,
    Minus,
}

impl Tok<'_> {
    /// How the token is named in "expected ..., found ..." messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("`{name}`"),
            Tok::Int(_) => "an integer literal".into(),
            Tok::Float(_) => "a float literal".into(),
            Tok::Bytes(_) => "a string literal".into(),
            Tok::Colon => "`:`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Dot => "`.`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::At => "`@`".into(),
            Tok::Minus => "`-`".into(),
        }
    }
}

/// A token with its span in the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) tok: Tok<'a>,
    pub(crate) span: Span,
}

/// A lexing error with the span of its culprit.
pub(crate) type LexError = (SyntaxError, Span);

/// Tokenizes `line` (without its `\n`), which starts at byte `base` of the file. A `;`
/// outside a string ends the line.
pub(crate) fn lex_line(line: &str, base: usize) -> Result<Vec<Token<'_>>, LexError> {
    Lexer {
        line,
        bytes: line.as_bytes(),
        base,
        pos: 0,
    }
    .run()
}

struct Lexer<'a> {
    line: &'a str,
    bytes: &'a [u8],
    base: usize,
    pos: usize,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn peek_at(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.line.get(pos..).and_then(|s| s.chars().next())
    }

    /// An error about the single character at `pos`.
    fn char_error(&self, err: SyntaxError, pos: usize) -> LexError {
        let len = self.char_at(pos).map_or(0, char::len_utf8);
        (err, self.span(pos, pos + len))
    }

    fn skip_while(&mut self, pred: impl Fn(u8) -> bool) {
        while self.peek_at(self.pos).is_some_and(&pred) {
            self.pos += 1;
        }
    }

    fn run(mut self) -> Result<Vec<Token<'a>>, LexError> {
        let mut tokens = Vec::new();
        while let Some(ch) = self.char_at(self.pos) {
            let start = self.pos;
            if ch.is_whitespace() {
                self.pos += ch.len_utf8();
                continue;
            }
            let tok = match ch {
                ';' => break,
                ':' | ',' | '.' | '[' | ']' | '@' | '-' => {
                    self.pos += 1;
                    match ch {
                        ':' => Tok::Colon,
                        ',' => Tok::Comma,
                        '.' => Tok::Dot,
                        '[' => Tok::LBracket,
                        ']' => Tok::RBracket,
                        '@' => Tok::At,
                        _ => Tok::Minus,
                    }
                }
                '"' => Tok::Bytes(self.string()?),
                'x' if self.peek_at(start + 1) == Some(b'"') => {
                    self.pos += 1;
                    Tok::Bytes(self.hex_string()?)
                }
                'A'..='Z' | 'a'..='z' | '_' => {
                    self.skip_while(is_ident_byte);
                    Tok::Ident(&self.line[start..self.pos])
                }
                '0'..='9' => self.number()?,
                other => return Err(self.char_error(SyntaxError::UnexpectedChar(other), start)),
            };
            tokens.push(Token {
                tok,
                span: self.span(start, self.pos),
            });
        }
        Ok(tokens)
    }

    fn number(&mut self) -> Result<Tok<'a>, LexError> {
        let start = self.pos;
        let radix_prefix = self.peek_at(start) == Some(b'0')
            && matches!(self.peek_at(start + 1), Some(b'x' | b'X' | b'b' | b'B'));
        let mut is_float = false;
        if radix_prefix {
            self.pos += 2;
            self.skip_while(is_ident_byte);
        } else {
            let digit_or_underscore = |b: u8| b.is_ascii_digit() || b == b'_';
            self.skip_while(digit_or_underscore);
            let digit_at = |this: &Self, pos| this.peek_at(pos).is_some_and(|b| b.is_ascii_digit());
            if self.peek_at(self.pos) == Some(b'.') && digit_at(self, self.pos + 1) {
                self.pos += 1;
                self.skip_while(digit_or_underscore);
                is_float = true;
            }
            if matches!(self.peek_at(self.pos), Some(b'e' | b'E')) {
                let mut after = self.pos + 1;
                if matches!(self.peek_at(after), Some(b'+' | b'-')) {
                    after += 1;
                }
                if digit_at(self, after) {
                    self.pos = after;
                    self.skip_while(digit_or_underscore);
                    is_float = true;
                }
            }
            if let Some(b) = self.peek_at(self.pos).filter(|&b| is_ident_byte(b)) {
                let kind = if is_float { "float" } else { "decimal" };
                let err = SyntaxError::BadDigit(char::from(b), kind);
                return Err(self.char_error(err, self.pos));
            }
        }
        let text = &self.line[start..self.pos];
        if is_float {
            return match text.find('_') {
                Some(at) => Err(self.char_error(SyntaxError::FloatUnderscore, start + at)),
                None => Ok(Tok::Float(text)),
            };
        }
        parse_int(text)
            .map(Tok::Int)
            .map_err(|(err, at)| match err {
                SyntaxError::BadDigit(..) => self.char_error(err, start + at),
                _ => (err, self.span(start, self.pos)),
            })
    }

    /// A `"..."` literal; `self.pos` is at the opening quote.
    fn string(&mut self) -> Result<Vec<u8>, LexError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(ch) = self.char_at(self.pos) {
            let at = self.pos;
            self.pos += ch.len_utf8();
            match ch {
                '"' => return Ok(out),
                '\\' => out.push(self.escape(at)?),
                _ => out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
        Err((SyntaxError::UnterminatedString, self.span(open, open + 1)))
    }

    /// The escape whose backslash is at `backslash`; `self.pos` is just after it.
    fn escape(&mut self, backslash: usize) -> Result<u8, LexError> {
        let Some(ch) = self.char_at(self.pos) else {
            return Err((
                SyntaxError::UnterminatedString,
                self.span(backslash, self.pos),
            ));
        };
        self.pos += ch.len_utf8();
        Ok(match ch {
            'n' => b'\n',
            't' => b'\t',
            'r' => b'\r',
            '0' => 0,
            '\\' => b'\\',
            '"' => b'"',
            'x' => {
                let hex = |pos| self.peek_at(pos).and_then(|b| char::from(b).to_digit(16));
                match (hex(self.pos), hex(self.pos + 1)) {
                    (Some(hi), Some(lo)) => {
                        self.pos += 2;
                        (hi * 16 + lo) as u8
                    }
                    (Some(_), None) => {
                        return Err((
                            SyntaxError::BadHexEscape,
                            self.span(backslash, self.pos + 1),
                        ))
                    }
                    (None, _) => {
                        return Err((SyntaxError::BadHexEscape, self.span(backslash, self.pos)))
                    }
                }
            }
            other => {
                return Err((
                    SyntaxError::UnknownEscape(other),
                    self.span(backslash, self.pos),
                ))
            }
        })
    }

    /// An `x"..."` literal; `self.pos` is at the opening quote, after the `x`.
    fn hex_string(&mut self) -> Result<Vec<u8>, LexError> {
        let open = self.pos - 1;
        self.pos += 1;
        let mut out = Vec::new();
        // The high nibble waiting for its pair, and where it was written.
        let mut pending: Option<(u8, usize)> = None;
        while let Some(ch) = self.char_at(self.pos) {
            let at = self.pos;
            self.pos += ch.len_utf8();
            if let Some(d) = ch.to_digit(16) {
                match pending.take() {
                    Some((hi, _)) => out.push(hi * 16 + d as u8),
                    None => pending = Some((d as u8, at)),
                }
                continue;
            }
            if let Some((_, lone)) = pending {
                if ch == '"' || ch == ' ' || ch == '\t' {
                    return Err(self.char_error(SyntaxError::OddHexDigits, lone));
                }
            }
            match ch {
                '"' => return Ok(out),
                ' ' | '\t' => {}
                other => return Err(self.char_error(SyntaxError::BadHexStringChar(other), at)),
            }
        }
        Err((SyntaxError::UnterminatedString, self.span(open, open + 2)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(line: &str) -> Vec<Tok<'_>> {
        lex_line(line, 0)
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    fn err(line: &str) -> (SyntaxError, std::ops::Range<usize>) {
        let (e, span) = lex_line(line, 0).unwrap_err();
        (e, span.range())
    }

    #[test]
    fn punctuation_and_idents() {
        assert_eq!(
            toks("l_1: add.uc a64[2], x @ lib ; comment , ]"),
            vec![
                Tok::Ident("l_1"),
                Tok::Colon,
                Tok::Ident("add"),
                Tok::Dot,
                Tok::Ident("uc"),
                Tok::Ident("a64"),
                Tok::LBracket,
                Tok::Int(vec![2]),
                Tok::RBracket,
                Tok::Comma,
                Tok::Ident("x"),
                Tok::At,
                Tok::Ident("lib"),
            ]
        );
        assert_eq!(toks("-5"), vec![Tok::Minus, Tok::Int(vec![5])]);
        assert_eq!(toks("  \t\r"), vec![]);
    }

    #[test]
    fn spans_are_file_offsets() {
        let t = lex_line("ab  cd", 100).unwrap();
        assert_eq!(t[0].span, Span::new(100, 102));
        assert_eq!(t[1].span, Span::new(104, 106));
    }

    #[test]
    fn numbers() {
        assert_eq!(toks("0xff"), vec![Tok::Int(vec![0xff])]);
        assert_eq!(toks("0b101"), vec![Tok::Int(vec![5])]);
        assert_eq!(toks("1_000"), vec![Tok::Int(vec![0xe8, 3])]);
        assert_eq!(toks("1.5"), vec![Tok::Float("1.5")]);
        assert_eq!(toks("2.0e-3"), vec![Tok::Float("2.0e-3")]);
        assert_eq!(toks("1e5"), vec![Tok::Float("1e5")]);
        assert_eq!(toks("1E+5"), vec![Tok::Float("1E+5")]);
        // A dot not followed by a digit is punctuation.
        assert_eq!(toks("1."), vec![Tok::Int(vec![1]), Tok::Dot]);
    }

    #[test]
    fn number_errors() {
        assert_eq!(err("  12ab"), (SyntaxError::BadDigit('a', "decimal"), 4..5));
        assert_eq!(err("1.5x"), (SyntaxError::BadDigit('x', "float"), 3..4));
        assert_eq!(err("12e"), (SyntaxError::BadDigit('e', "decimal"), 2..3));
        assert_eq!(
            err("0x1g"),
            (SyntaxError::BadDigit('g', "hexadecimal"), 3..4)
        );
        assert_eq!(err("0b"), (SyntaxError::NoDigits("binary"), 0..2));
        assert_eq!(err("1_0.5"), (SyntaxError::FloatUnderscore, 1..2));
        let big = format!("0x1{}", "0".repeat(2048));
        assert_eq!(err(&big), (SyntaxError::IntTooLarge, 0..big.len()));
    }

    #[test]
    fn strings() {
        assert_eq!(toks(r#""hello\n""#), vec![Tok::Bytes(b"hello\n".to_vec())]);
        assert_eq!(
            toks(r#""\t\r\0\\\"\x7F\xff;""#),
            vec![Tok::Bytes(b"\t\r\0\\\"\x7f\xff;".to_vec())]
        );
        assert_eq!(toks("\"é\""), vec![Tok::Bytes("é".as_bytes().to_vec())]);
        assert_eq!(toks(r#""""#), vec![Tok::Bytes(vec![])]);
    }

    #[test]
    fn string_errors() {
        assert_eq!(err(r#"  "abc"#), (SyntaxError::UnterminatedString, 2..3));
        assert_eq!(err(r#""abc\"#), (SyntaxError::UnterminatedString, 4..5));
        assert_eq!(err(r#""a\qb""#), (SyntaxError::UnknownEscape('q'), 2..4));
        assert_eq!(err(r#""a\é""#), (SyntaxError::UnknownEscape('é'), 2..5));
        assert_eq!(err(r#""\x4""#), (SyntaxError::BadHexEscape, 1..4));
        assert_eq!(err(r#""\xg0""#), (SyntaxError::BadHexEscape, 1..3));
    }

    #[test]
    fn hex_strings() {
        assert_eq!(
            toks(r#"x"de ad  BE	ef""#),
            vec![Tok::Bytes(vec![0xde, 0xad, 0xbe, 0xef])]
        );
        assert_eq!(toks(r#"x"""#), vec![Tok::Bytes(vec![])]);
        assert_eq!(toks("x \"\""), vec![Tok::Ident("x"), Tok::Bytes(vec![])]);
    }

    #[test]
    fn hex_string_errors() {
        assert_eq!(err(r#"x"abc""#), (SyntaxError::OddHexDigits, 4..5));
        assert_eq!(err(r#"x"a bc""#), (SyntaxError::OddHexDigits, 2..3));
        assert_eq!(err(r#"x"ag""#), (SyntaxError::BadHexStringChar('g'), 3..4));
        assert_eq!(err(r#" x"ab"#), (SyntaxError::UnterminatedString, 1..3));
    }

    #[test]
    fn unexpected_chars() {
        assert_eq!(err("a # b"), (SyntaxError::UnexpectedChar('#'), 2..3));
        assert_eq!(err("ü"), (SyntaxError::UnexpectedChar('ü'), 0..2));
        assert_eq!(err("+1"), (SyntaxError::UnexpectedChar('+'), 0..1));
    }
}
