//! Diagnostics and their rustc-like plain-text rendering.
//!
//! Rendering is hand-written rather than done with `ariadne`: ariadne 0.6 colors the
//! `error:` header of a custom (lowercase) report kind even with colors disabled, and
//! draws no caret for an empty span (e.g. "found end of line"), so its output could not be
//! both plain and testable.

use core::fmt::Write as _;

use thiserror::Error;

use crate::span::Span;

/// An error in an assembly source file: what, where, and an optional note at the span.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// What is wrong, e.g. "unknown register `a7`".
    pub message: String,
    /// The source bytes at fault (may be empty, e.g. at the end of a line).
    pub span: Span,
    /// A note printed after the carets, e.g. "first defined at 3:1".
    pub label: Option<String>,
    /// The file name shown in `file:line:col`.
    pub file: String,
}

impl Diagnostic {
    /// The 1-based line and column (counted in chars) where the span starts in `source`.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        LineIndex::new(source).line_col(self.span.start)
    }

    /// The diagnostic as rustc-like plain text, e.g.
    ///
    /// ```text
    /// error: unknown register `a7`
    ///  --> prog.s:2:5
    ///   |
    /// 2 |     a7[1]
    ///   |     ^^
    /// ```
    pub fn render(&self, source: &str) -> String {
        self.render_with(&LineIndex::new(source))
    }

    fn render_with(&self, index: &LineIndex<'_>) -> String {
        let (line, col) = index.line_col(self.span.start);
        let text = index.line_text(line);
        let line_start = index.starts[line - 1];
        let start = index.clamp(self.span.start);
        let end = index
            .clamp(self.span.end)
            .min(line_start + text.len())
            .max(start);
        let pad: String = index.source[line_start..start]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = index.source[start..end].chars().count().max(1);
        let gutter = " ".repeat(line.to_string().len());

        let mut out = format!("error: {}\n", self.message);
        let _ = writeln!(out, "{gutter}--> {}:{line}:{col}", self.file);
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{line} | {text}");
        let _ = write!(out, "{gutter} | {pad}{}", "^".repeat(width));
        if let Some(label) = &self.label {
            let _ = write!(out, " {label}");
        }
        out.push('\n');
        out
    }
}

/// Renders every diagnostic in order, separated by blank lines.
pub fn render_all(diags: &[Diagnostic], source: &str) -> String {
    let index = LineIndex::new(source);
    let rendered: Vec<String> = diags.iter().map(|d| d.render_with(&index)).collect();
    rendered.join("\n")
}

/// Where each line starts, to turn byte offsets into line and column.
pub(crate) struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        let starts = core::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { source, starts }
    }

    /// `offset` moved into the source and back onto a char boundary.
    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The 1-based line and char column of `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.starts.partition_point(|&s| s <= offset);
        let col = self.source[self.starts[line - 1]..offset].chars().count() + 1;
        (line, col)
    }

    /// The text of 1-based `line`, without its line break.
    fn line_text(&self, line: usize) -> &'a str {
        let start = self.starts[line - 1];
        let end = self
            .starts
            .get(line)
            .map_or(self.source.len(), |next| next - 1);
        let text = &self.source[start..end];
        text.strip_suffix('\r').unwrap_or(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(span: core::ops::Range<usize>, label: Option<&str>) -> Diagnostic {
        Diagnostic {
            message: "bad thing".into(),
            span: span.into(),
            label: label.map(Into::into),
            file: "prog.s".into(),
        }
    }

    #[test]
    fn line_col_counts_chars() {
        let src = "ab\né x\n\nlast";
        assert_eq!(diag(0..1, None).line_col(src), (1, 1));
        assert_eq!(diag(2..2, None).line_col(src), (1, 3));
        assert_eq!(diag(3..4, None).line_col(src), (2, 1));
        assert_eq!(diag(6..7, None).line_col(src), (2, 3));
        assert_eq!(diag(8..8, None).line_col(src), (3, 1));
        assert_eq!(diag(9..13, None).line_col(src), (4, 1));
        // Out of range or inside a char: clamped, never a panic.
        assert_eq!(diag(4..4, None).line_col(src), (2, 1));
        assert_eq!(diag(999..1000, None).line_col(src), (4, 5));
        assert_eq!(diag(0..0, None).line_col(""), (1, 1));
    }

    #[test]
    fn render_points_at_span() {
        let src = "start:\n    add.Uc a64[0]\n";
        let d = diag(15..17, Some("here"));
        assert_eq!(
            d.render(src),
            "error: bad thing\n --> prog.s:2:9\n  |\n2 |     add.Uc a64[0]\n  |         ^^ here\n"
        );
    }

    #[test]
    fn render_empty_span_and_tabs_and_crlf() {
        let src = "\tput a64[0],\r\n";
        let d = diag(11..11, None);
        assert_eq!(
            d.render(src),
            "error: bad thing\n --> prog.s:1:12\n  |\n1 | \tput a64[0],\n  | \t          ^\n"
        );
    }

    #[test]
    fn render_multiline_span_stops_at_line_end() {
        let src = "abc\ndef";
        assert!(diag(1..6, None).render(src).ends_with("1 | abc\n  |  ^^\n"));
    }

    #[test]
    fn render_wide_gutter_and_all() {
        let src = "\n".repeat(10) + "x";
        let d = diag(10..11, None);
        assert_eq!(
            d.render(&src),
            "error: bad thing\n  --> prog.s:11:1\n   |\n11 | x\n   | ^\n"
        );
        let all = render_all(&[d.clone(), d.clone()], &src);
        assert_eq!(all, format!("{}\n{}", d.render(&src), d.render(&src)));
        assert_eq!(render_all(&[], &src), "");
    }
}
