//! Turns the tokens of one line into items.

use crate::ast::{
    DataValue, Directive, Instruction, Item, ItemKind, Operand, OperandKind, Site, SiteTarget,
};
use crate::error::SyntaxError;
use crate::lexer::{Tok, Token};
use crate::literal::{FloatLit, IntLit};
use crate::reg::{Reg, RegFamily};
use crate::span::{Name, Span, Spanned};

/// Words that look like names but are operands of their own.
pub(crate) const RESERVED: [&str; 3] = ["inf", "nan", "st0"];

type PResult<T> = Result<T, (SyntaxError, Span)>;

/// Parses the tokens of one line, pushing its items (a label, then a statement) to `items`.
/// `line_end` is the file offset where the line ends, for "found end of line" spans.
pub(crate) fn parse_line(
    tokens: &[Token<'_>],
    line_end: usize,
    items: &mut Vec<Item>,
) -> PResult<()> {
    let mut p = LineParser {
        tokens,
        pos: 0,
        eol: Span::new(line_end, line_end),
    };
    if let [Token {
        tok: Tok::Ident(name),
        span,
    }, Token {
        tok: Tok::Colon,
        span: colon,
    }, ..] = tokens
    {
        let name = p.def_name(name, *span)?;
        items.push(Item {
            kind: ItemKind::Label(name),
            span: span.to(*colon),
        });
        p.pos = 2;
    }
    let Some(first) = p.peek() else {
        return Ok(());
    };
    let start = first.span;
    let kind = match first.tok {
        Tok::Dot => ItemKind::Directive(p.directive()?),
        Tok::Ident(_) => ItemKind::Instruction(p.instruction()?),
        _ => return Err(p.expected("a label, directive or instruction")),
    };
    if let Some(extra) = p.peek() {
        let found = extra.tok.describe();
        return Err((
            SyntaxError::Expected {
                expected: "end of line",
                found,
            },
            extra.span,
        ));
    }
    let end = tokens.get(p.pos.wrapping_sub(1)).map_or(start, |t| t.span);
    items.push(Item {
        kind,
        span: start.to(end),
    });
    Ok(())
}

struct LineParser<'t, 'a> {
    tokens: &'t [Token<'a>],
    pos: usize,
    eol: Span,
}

impl<'t, 'a> LineParser<'t, 'a> {
    fn peek(&self) -> Option<&'t Token<'a>> {
        self.tokens.get(self.pos)
    }

    fn peek_tok(&self) -> Option<&'t Tok<'a>> {
        self.peek().map(|t| &t.tok)
    }

    fn next(&mut self) -> Option<&'t Token<'a>> {
        let token = self.tokens.get(self.pos)?;
        self.pos += 1;
        Some(token)
    }

    /// An "expected X, found <next token>" error at the next token (or the line end).
    fn expected(&self, expected: &'static str) -> (SyntaxError, Span) {
        let (found, span) = match self.peek() {
            Some(t) => (t.tok.describe(), t.span),
            None => ("end of line".to_owned(), self.eol),
        };
        (SyntaxError::Expected { expected, found }, span)
    }

    /// Consumes an identifier, or fails with "expected `what`".
    fn ident(&mut self, what: &'static str) -> PResult<(&'a str, Span)> {
        match self.peek() {
            Some(Token {
                tok: Tok::Ident(name),
                span,
            }) => {
                self.pos += 1;
                Ok((name, *span))
            }
            _ => Err(self.expected(what)),
        }
    }

    fn name(&mut self, what: &'static str) -> PResult<Name> {
        let (name, span) = self.ident(what)?;
        Ok(Spanned::new(name.to_owned(), span))
    }

    /// A name being defined (label, data, constant): reserved words are refused.
    fn def_name(&self, name: &str, span: Span) -> PResult<Name> {
        if RESERVED.contains(&name) {
            return Err((SyntaxError::ReservedName(name.to_owned()), span));
        }
        Ok(Spanned::new(name.to_owned(), span))
    }

    fn expect(&mut self, tok: Tok<'static>, what: &'static str) -> PResult<Span> {
        match self.peek() {
            Some(t) if t.tok == tok => {
                self.pos += 1;
                Ok(t.span)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// Whether the next token is a `.` touching the previous token.
    fn adjacent_dot(&self) -> bool {
        match (
            self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)),
            self.peek(),
        ) {
            (Some(prev), Some(dot)) => dot.tok == Tok::Dot && dot.span.start == prev.span.end,
            _ => false,
        }
    }

    /// An identifier that must touch the previous token (after a `.`).
    fn adjacent_name(&mut self, what: &'static str) -> PResult<Name> {
        let prev_end = self.tokens[self.pos - 1].span.end;
        match self.peek() {
            Some(t) if t.span.start == prev_end => self.name(what),
            _ => Err(self.expected(what)),
        }
    }

    fn directive(&mut self) -> PResult<Directive> {
        let dot = self.expect(Tok::Dot, "`.`")?;
        let name = self.adjacent_name("a directive name right after `.`")?;
        Ok(match name.node.as_str() {
            "isa" => {
                let mut ids = Vec::new();
                while self.peek().is_some() {
                    let id = self.name("an ISA extension id")?;
                    if !is_isa_id(&id.node) {
                        return Err((SyntaxError::BadIsaId(id.node), id.span));
                    }
                    ids.push(id);
                }
                if ids.is_empty() {
                    return Err((SyntaxError::EmptyIsa, dot.to(name.span)));
                }
                Directive::Isa(ids)
            }
            "import" => {
                let lib = self.name("a library name")?;
                let lib_id = match self.peek() {
                    None => None,
                    Some(_) => {
                        let id = self.name("a library id")?;
                        if !id.node.to_ascii_lowercase().starts_with("alu1") {
                            return Err((SyntaxError::BadLibId(id.node), id.span));
                        }
                        Some(id)
                    }
                };
                Directive::Import { name: lib, lib_id }
            }
            "entry" => {
                let name = self.name("an entry name")?;
                let target = match self.peek() {
                    None => None,
                    Some(_) => Some(self.position("a label or code offset")?),
                };
                Directive::Entry { name, target }
            }
            "bytes" => match self.next() {
                Some(Token {
                    tok: Tok::Bytes(bytes),
                    span,
                }) => Directive::Bytes(Spanned::new(bytes.clone(), *span)),
                _ => {
                    self.pos -= 1;
                    return Err(self.expected("a string literal"));
                }
            },
            "data" => {
                let (name, span) = self.ident("a data name")?;
                let name = self.def_name(name, span)?;
                let value = match self.peek() {
                    Some(Token {
                        tok: Tok::Bytes(bytes),
                        span,
                    }) => {
                        self.pos += 1;
                        Spanned::new(DataValue::Bytes(bytes.clone()), *span)
                    }
                    _ => {
                        let int = self.int("a string or integer literal")?;
                        Spanned::new(DataValue::Int(int.node), int.span)
                    }
                };
                Directive::Data { name, value }
            }
            "const" => {
                let (name, span) = self.ident("a constant name")?;
                let name = self.def_name(name, span)?;
                let value = self.int("an integer literal")?;
                Directive::Const { name, value }
            }
            other => {
                let err = SyntaxError::UnknownDirective(other.to_owned());
                return Err((err, dot.to(name.span)));
            }
        })
    }

    /// A label name or an integer offset, e.g. the target of `.entry`.
    fn position(&mut self, what: &'static str) -> PResult<Spanned<SiteTarget>> {
        match self.peek() {
            Some(Token {
                tok: Tok::Ident(name),
                span,
            }) => {
                self.pos += 1;
                Ok(Spanned::new(SiteTarget::Ident((*name).to_owned()), *span))
            }
            _ => {
                let int = self.int(what)?;
                Ok(Spanned::new(SiteTarget::Int(int.node), int.span))
            }
        }
    }

    /// An integer literal with an optional `-`.
    fn int(&mut self, what: &'static str) -> PResult<Spanned<IntLit>> {
        let minus = match self.peek() {
            Some(Token {
                tok: Tok::Minus,
                span,
            }) => {
                self.pos += 1;
                Some(*span)
            }
            _ => None,
        };
        match self.peek() {
            Some(Token {
                tok: Tok::Int(mag),
                span,
            }) => {
                self.pos += 1;
                let lit = IntLit::new(minus.is_some(), mag.clone())
                    .ok_or((SyntaxError::IntTooLarge, *span))?;
                Ok(Spanned::new(lit, minus.unwrap_or(*span).to(*span)))
            }
            _ => Err(self.expected(what)),
        }
    }

    fn instruction(&mut self) -> PResult<Instruction> {
        let mnemonic = self.name("a mnemonic")?;
        if mnemonic.node.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err((SyntaxError::UppercaseMnemonic(mnemonic.node), mnemonic.span));
        }
        let mut flags = Vec::new();
        while self.adjacent_dot() {
            self.pos += 1;
            let flag = self.adjacent_name("a flag name right after `.`")?;
            if flags.len() == 2 {
                return Err((SyntaxError::TooManyFlags, flag.span));
            }
            flags.push(flag);
        }
        let mut operands = Vec::new();
        if self.peek().is_some() {
            loop {
                operands.push(self.operand()?);
                if self.peek().is_none() {
                    break;
                }
                self.expect(Tok::Comma, "`,` or end of line")?;
            }
        }
        Ok(Instruction {
            mnemonic,
            flags,
            operands,
        })
    }

    fn operand(&mut self) -> PResult<Operand> {
        let Some(first) = self.next() else {
            return Err(self.expected("an operand"));
        };
        let start = first.span;
        let kind = match &first.tok {
            Tok::Ident("st0") => OperandKind::Reg(Reg::St0),
            Tok::Ident("inf") => OperandKind::Float(FloatLit::from_lexer("inf")),
            Tok::Ident("nan") => return Err((SyntaxError::NaN, start)),
            Tok::Ident("data") if self.peek_tok() == Some(&Tok::LBracket) => self.data_ref()?,
            Tok::Ident(name) if self.peek_tok() == Some(&Tok::LBracket) => {
                OperandKind::Reg(self.register(name, start)?)
            }
            Tok::Ident(name) if self.peek_tok() == Some(&Tok::At) => {
                return self.site(SiteTarget::Ident((*name).to_owned()), start);
            }
            Tok::Ident(name) => OperandKind::Ident((*name).to_owned()),
            Tok::Int(mag) => {
                let lit =
                    IntLit::new(false, mag.clone()).ok_or((SyntaxError::IntTooLarge, start))?;
                if self.peek_tok() == Some(&Tok::At) {
                    return self.site(SiteTarget::Int(lit), start);
                }
                OperandKind::Int(lit)
            }
            Tok::Float(text) => OperandKind::Float(FloatLit::from_lexer(text)),
            Tok::Bytes(bytes) => OperandKind::Bytes(bytes.clone()),
            Tok::Minus => {
                let Some(number) = self.next() else {
                    return Err(self.expected("a number after `-`"));
                };
                let span = start.to(number.span);
                match &number.tok {
                    Tok::Int(mag) => {
                        let lit = IntLit::new(true, mag.clone())
                            .ok_or((SyntaxError::IntTooLarge, span))?;
                        if self.peek_tok() == Some(&Tok::At) {
                            return self.site(SiteTarget::Int(lit), span);
                        }
                        OperandKind::Int(lit)
                    }
                    Tok::Float(text) => OperandKind::Float(FloatLit::from_lexer(text).negated()),
                    Tok::Ident("inf") => OperandKind::Float(FloatLit::from_lexer("-inf")),
                    Tok::Ident("nan") => return Err((SyntaxError::NaN, span)),
                    _ => {
                        self.pos -= 1;
                        return Err(self.expected("a number after `-`"));
                    }
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.expected("an operand"));
            }
        };
        let end = self.tokens[self.pos - 1].span;
        Ok(Operand {
            kind,
            span: start.to(end),
        })
    }

    /// `name[idx]`, with `self.pos` at the `[`.
    fn register(&mut self, name: &str, name_span: Span) -> PResult<Reg> {
        let family = RegFamily::from_prefix(name)
            .ok_or_else(|| (SyntaxError::UnknownRegister(name.to_owned()), name_span))?;
        self.expect(Tok::LBracket, "`[`")?;
        let idx = match self.next() {
            Some(Token {
                tok: Tok::Int(mag),
                span,
            }) => match mag.as_slice() {
                [] => 0,
                [idx] if *idx < family.count() => *idx,
                _ => {
                    let err = SyntaxError::RegIndexRange {
                        name: name.to_owned(),
                        max: family.count() - 1,
                    };
                    return Err((err, *span));
                }
            },
            _ => {
                self.pos -= 1;
                return Err(self.expected("a register index"));
            }
        };
        self.expect(Tok::RBracket, "`]`")?;
        Ok(family.reg(idx))
    }

    /// The rest of `data[START]` or `data[START..END]`, with `self.pos` at the `[`.
    fn data_ref(&mut self) -> PResult<OperandKind> {
        self.expect(Tok::LBracket, "`[`")?;
        let start = self.offset("a data offset")?;
        let end = if self.peek_tok() == Some(&Tok::Dot) {
            self.pos += 1;
            self.expect(Tok::Dot, "`..`")?;
            Some(self.offset("the end offset of a data range")?)
        } else {
            None
        };
        self.expect(Tok::RBracket, "`]` or `..`")?;
        Ok(OperandKind::DataRef { start, end })
    }

    /// An unsigned integer literal.
    fn offset(&mut self, what: &'static str) -> PResult<IntLit> {
        match self.peek() {
            Some(Token {
                tok: Tok::Int(mag),
                span,
            }) => {
                self.pos += 1;
                IntLit::new(false, mag.clone()).ok_or((SyntaxError::IntTooLarge, *span))
            }
            _ => Err(self.expected(what)),
        }
    }

    /// The rest of `target @ lib`, with `self.pos` at the `@`.
    fn site(&mut self, target: SiteTarget, target_span: Span) -> PResult<Operand> {
        self.expect(Tok::At, "`@`")?;
        let lib = self.name("a library name after `@`")?;
        let span = target_span.to(lib.span);
        Ok(Operand {
            kind: OperandKind::Site(Site {
                target: Spanned::new(target, target_span),
                lib,
            }),
            span,
        })
    }
}

/// Whether `id` is 2 to 8 characters of `A-Z0-9` starting with a letter.
fn is_isa_id(id: &str) -> bool {
    (2..=8).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests;
