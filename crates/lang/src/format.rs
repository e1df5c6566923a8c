//! The canonical layout of Alma source, for `avm fmt`.
//!
//! A list that fits in [`WIDTH`] columns (and holds no comment) is printed
//! on one line; otherwise its head and first operand stay on the opening
//! line and every other item goes on a line of its own, indented two
//! columns deeper (`cond` clauses line up under the first, and so do the
//! items of a list whose head is a list, such as the bindings of `let`).
//! Atoms keep their text (`0xff` stays `0xff`); comments keep their text,
//! each on a line of its own before what followed it.
//! Top-level forms are separated by one blank line. Formatting formatted
//! text changes nothing.

use crate::reader::{read, Comment, ReadError, Sexp, SexpKind};

/// The line width a list is kept within when it is printed on one line.
pub const WIDTH: usize = 80;

/// The canonical layout of `source`, or the errors that keep it from being read.
pub fn format(source: &str) -> Result<String, Vec<ReadError>> {
    let read = read(source)?;
    let mut f = Formatter {
        source,
        comments: &read.comments,
        next: 0,
        out: String::new(),
    };
    for (i, form) in read.forms.iter().enumerate() {
        if i > 0 {
            f.out.push('\n');
        }
        f.comments_before(form.span.start, 0);
        f.sexp(form, 0);
        f.out.push('\n');
    }
    if f.next < f.comments.len() && !read.forms.is_empty() {
        f.out.push('\n');
    }
    f.comments_before(usize::MAX, 0);
    Ok(f.out)
}

struct Formatter<'a> {
    source: &'a str,
    comments: &'a [Comment],
    /// The first comment not printed yet.
    next: usize,
    out: String,
}

impl Formatter<'_> {
    /// Prints every comment starting before `pos`, each on its own line.
    fn comments_before(&mut self, pos: usize, indent: usize) {
        while let Some(c) = self.comments.get(self.next) {
            if c.span.start >= pos {
                break;
            }
            self.out.push_str(&" ".repeat(indent));
            self.out.push(';');
            self.out.push_str(c.text.trim_end());
            self.out.push('\n');
            self.next += 1;
            // A blank line after a top-level comment block stays.
            if indent == 0 && blank_line_after(self.source, c.span.end) {
                self.out.push('\n');
            }
        }
    }

    fn has_comment_in(&self, sexp: &Sexp) -> bool {
        self.comments[self.next..]
            .iter()
            .take_while(|c| c.span.start < sexp.span.end)
            .any(|c| c.span.start > sexp.span.start)
    }

    /// The one-line form of `sexp`, if it has no comment and fits in `room` columns.
    fn flat(&self, sexp: &Sexp, room: usize) -> Option<String> {
        if self.has_comment_in(sexp) {
            return None;
        }
        let mut text = String::new();
        self.flat_into(sexp, &mut text, room)?;
        Some(text)
    }

    fn flat_into(&self, sexp: &Sexp, text: &mut String, room: usize) -> Option<()> {
        match &sexp.kind {
            SexpKind::List(items) => {
                text.push('(');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    self.flat_into(item, text, room)?;
                    if text.len() > room {
                        return None;
                    }
                }
                text.push(')');
            }
            _ => text.push_str(&self.source[sexp.span.range()]),
        }
        (text.len() <= room).then_some(())
    }

    fn sexp(&mut self, sexp: &Sexp, indent: usize) {
        let items = match &sexp.kind {
            SexpKind::List(items) => items,
            _ => {
                self.out.push_str(&self.source[sexp.span.range()]);
                return;
            }
        };
        let flat = if breaks_always(items) {
            None
        } else {
            self.flat(sexp, WIDTH.saturating_sub(indent))
        };
        if let Some(text) = flat {
            self.out.push_str(&text);
            return;
        }
        self.out.push('(');
        // `cond` clauses line up under the first one, and so do the items of a
        // list whose head is a list (the bindings of `let`); other items go two deeper.
        let inner = match items.first().map(|h| &h.kind) {
            Some(SexpKind::Symbol(s)) if s == "cond" => indent + 6,
            Some(SexpKind::List(_)) => indent + 1,
            _ => indent + 2,
        };
        let mut rest = items.iter();
        if let Some(head) = rest.next() {
            self.sexp(head, indent + 1);
            if matches!(head.kind, SexpKind::Symbol(_)) {
                if let Some(first) = items.get(1) {
                    if self
                        .comments
                        .get(self.next)
                        .is_none_or(|c| c.span.start > first.span.start)
                    {
                        // A first operand whose items line up (the bindings of
                        // `let`) is laid out from the column it starts at.
                        let lines_up = first
                            .list()
                            .and_then(|l| l.first())
                            .is_some_and(|h| h.list().is_some());
                        let column = indent + 2 + head.span.range().len();
                        self.out.push(' ');
                        self.sexp(first, if lines_up { column } else { inner });
                        rest.next();
                    }
                }
            }
        }
        for item in rest {
            self.out.push('\n');
            self.comments_before(item.span.start, inner);
            self.out.push_str(&" ".repeat(inner));
            self.sexp(item, inner);
        }
        if self
            .comments
            .get(self.next)
            .is_some_and(|c| c.span.start < sexp.span.end)
        {
            self.out.push('\n');
            self.comments_before(sexp.span.end, inner);
            self.out.push_str(&" ".repeat(inner));
        }
        self.out.push(')');
    }
}

/// The forms whose body goes on lines of its own when it holds a list.
const BODY_FORMS: [&str; 9] = [
    "define", "let", "for", "while", "when", "unless", "cond", "begin", "tx",
];

/// Whether a list is a body form with a list in its body, or a function definition.
fn breaks_always(items: &[Sexp]) -> bool {
    let Some(head) = items.first().and_then(Sexp::symbol) else {
        return false;
    };
    let is_function = head == "define" && items.get(1).is_some_and(|s| s.list().is_some());
    BODY_FORMS.contains(&head) && (is_function || items.iter().skip(2).any(|s| s.list().is_some()))
}

/// Whether the text after `pos` has an empty line before anything else.
fn blank_line_after(source: &str, pos: usize) -> bool {
    let rest = source[pos..].trim_start_matches([' ', '\t', '\r']);
    rest.strip_prefix('\n')
        .is_some_and(|r| r.trim_start_matches([' ', '\t', '\r']).starts_with('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_stay_on_one_line_and_long_ones_break() {
        let src = "(define   (main (n u64))\n\n\n   (+ n 1))";
        assert_eq!(format(src).unwrap(), "(define (main (n u64))\n  (+ n 1))\n");
        assert_eq!(format("(f   (g 1)\n 2)").unwrap(), "(f (g 1) 2)\n");
        let long = format!("(define (main (n u64)) (let ((x {})) x))", "1".repeat(70));
        let out = format(&long).unwrap();
        assert_eq!(
            out,
            format!(
                "(define (main (n u64))\n  (let ((x {}))\n    x))\n",
                "1".repeat(70)
            )
        );
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn let_bindings_line_up_under_the_first() {
        let src = "(define (main)\n  (let ((a (choose (range 0 20))) ; the first\n \
                   (b (choose (range 0 20))) (c (choose (range 0 20))))\n    (+ a b c)))\n";
        let out = format(src).unwrap();
        assert_eq!(
            out,
            "(define (main)\n  (let ((a (choose (range 0 20)))\n        ; the first\n        \
             (b (choose (range 0 20)))\n        (c (choose (range 0 20))))\n    (+ a b c)))\n"
        );
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn comments_are_kept_on_their_own_lines() {
        let src = "; top\n\n(define (main) ; why\n  1)\n; end\n";
        let out = format(src).unwrap();
        assert_eq!(out, "; top\n\n(define (main)\n  ; why\n  1)\n\n; end\n");
        assert_eq!(format(&out).unwrap(), out);
    }
}
