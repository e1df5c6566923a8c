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

/// The most chars of a source line an excerpt shows: a longer line is cut to a window
/// around the span, so a huge line never reaches the terminal whole.
pub const MAX_EXCERPT: usize = 100;

/// The most chars of a message or label: one quoting a huge name is cut in the middle.
pub const MAX_MESSAGE: usize = 200;

impl Diagnostic {
    /// A diagnostic whose message and label are cut to [`MAX_MESSAGE`] chars.
    pub fn new(message: String, span: Span, label: Option<String>, file: &str) -> Self {
        Diagnostic {
            message: shorten(message, MAX_MESSAGE),
            span,
            label: label.map(|l| shorten(l, MAX_MESSAGE)),
            file: file.to_owned(),
        }
    }

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
    ///
    /// A line longer than [`MAX_EXCERPT`] chars is shown as a window around the span,
    /// with `…` where it was cut.
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
        let (shown, marks) = excerpt(text, start - line_start, end - line_start);
        let gutter = " ".repeat(line.to_string().len());

        let mut out = format!("error: {}\n", self.message);
        let _ = writeln!(out, "{gutter}--> {}:{line}:{col}", self.file);
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{line} | {shown}");
        let _ = write!(out, "{gutter} | {marks}");
        if let Some(label) = &self.label {
            let _ = write!(out, " {label}");
        }
        out.push('\n');
        out
    }
}

/// `text` if it has at most `max` chars, else its start and end around a `…`, `max`
/// chars in all: how a message quotes something of any length.
pub fn shorten(text: String, max: usize) -> String {
    let len = text.chars().count();
    if len <= max {
        return text;
    }
    let tail = max / 3;
    let head = max - tail - 1;
    let mut out: String = text.chars().take(head).collect();
    out.push('…');
    out.extend(text.chars().skip(len - tail));
    out
}

/// What an excerpt shows of the line `text` for its bytes `start..end`, and the line of
/// carets under it (spaces, and tabs where the text has them, up to the span). A line of
/// more than [`MAX_EXCERPT`] chars is cut to a window of that many around `start`, with
/// `…` where it was cut. `start..end` must lie on char boundaries of `text`.
pub fn excerpt(text: &str, start: usize, end: usize) -> (String, String) {
    let col = text[..start].chars().count();
    let len = col + text[start..].chars().count();
    let from = if len <= MAX_EXCERPT {
        0
    } else {
        col.saturating_sub(MAX_EXCERPT / 4).min(len - MAX_EXCERPT)
    };
    let to = len.min(from + MAX_EXCERPT);
    let (mut shown, mut marks) = (String::new(), String::new());
    if from > 0 {
        shown.push('…');
        marks.push(' ');
    }
    for (i, c) in text.chars().enumerate().skip(from).take(to - from) {
        shown.push(c);
        if i < col {
            marks.push(if c == '\t' { '\t' } else { ' ' });
        }
    }
    if to < len {
        shown.push('…');
    }
    let width = text[start..end].chars().count().min(to - col).max(1);
    marks.push_str(&"^".repeat(width));
    (shown, marks)
}

/// The most diagnostics one call of [`crate::parse`] or [`crate::assemble`] returns; one
/// more then says how many were left out.
pub const MAX_DIAGNOSTICS: usize = 100;

/// `errors`, sorted by place, as diagnostics in `file`: the first [`MAX_DIAGNOSTICS`],
/// then one saying how many more there were (those past the end of `errors`, plus
/// `uncounted` the caller dropped without keeping them).
pub(crate) fn diagnostics<E: core::fmt::Display>(
    errors: Vec<(E, Span, Option<String>)>,
    uncounted: usize,
    file: &str,
) -> Vec<Diagnostic> {
    let more = errors.len().saturating_sub(MAX_DIAGNOSTICS) + uncounted;
    let first_left_out = errors.get(MAX_DIAGNOSTICS).map(|(_, span, _)| *span);
    let mut out: Vec<Diagnostic> = errors
        .into_iter()
        .take(MAX_DIAGNOSTICS)
        .map(|(err, span, label)| Diagnostic::new(err.to_string(), span, label, file))
        .collect();
    if more > 0 {
        let span = first_left_out.unwrap_or_else(|| out.last().map_or(Span::new(0, 0), |d| d.span));
        out.push(Diagnostic::new(
            format!(
                "{more} more error{} not shown",
                if more == 1 { "" } else { "s" }
            ),
            span,
            None,
            file,
        ));
    }
    out
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

    #[test]
    fn long_line_shows_a_window_around_the_span() {
        let src = format!("{}BAD{}", "a".repeat(10_000), "b".repeat(10_000));
        let d = diag(10_000..10_003, Some("here"));
        let out = d.render(&src);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], " --> prog.s:1:10001");
        let shown = lines[3].strip_prefix("1 | ").unwrap();
        let marks = lines[4].strip_prefix("  | ").unwrap();
        assert_eq!(shown.chars().count(), MAX_EXCERPT + 2, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        // The carets stand under the span.
        let caret = marks.find('^').unwrap();
        assert_eq!(&marks[caret..], "^^^ here");
        let under: String = shown.chars().skip(caret).take(3).collect();
        assert_eq!(under, "BAD");
    }

    #[test]
    fn long_line_window_at_the_ends() {
        let src = format!("X{}", "a".repeat(1000));
        let out = diag(0..1, None).render(&src);
        assert!(
            out.contains(&format!("1 | X{}…\n", "a".repeat(MAX_EXCERPT - 1))),
            "{out}"
        );
        let out = diag(1001..1001, None).render(&src);
        let shown = format!("1 | …{}\n", "a".repeat(MAX_EXCERPT));
        let marks = format!("  | {}^\n", " ".repeat(MAX_EXCERPT + 1));
        assert!(out.ends_with(&format!("{shown}{marks}")), "{out}");
        // A span running past the window gets carets to its edge only.
        let out = diag(0..1001, None).render(&src);
        assert!(
            out.ends_with(&format!("| {}\n", "^".repeat(MAX_EXCERPT))),
            "{out}"
        );
    }

    #[test]
    fn long_messages_and_labels_are_cut_in_the_middle() {
        let name = "é".repeat(100_000);
        let d = Diagnostic::new(
            format!("unknown `{name}`"),
            Span::new(0, 1),
            Some(name),
            "f",
        );
        assert_eq!(d.message.chars().count(), MAX_MESSAGE);
        assert!(d.message.starts_with("unknown `éé") && d.message.ends_with("éé`"));
        assert!(d.message.contains('…'));
        assert_eq!(d.label.unwrap().chars().count(), MAX_MESSAGE);
        let short = Diagnostic::new("short".into(), Span::new(0, 0), None, "f");
        assert_eq!(short.message, "short");
    }

    #[test]
    fn diagnostics_stop_at_the_limit_and_count_the_rest() {
        let errors: Vec<(&str, Span, Option<String>)> = (0..MAX_DIAGNOSTICS + 5)
            .map(|i| ("bad", Span::new(i, i + 1), None))
            .collect();
        let out = diagnostics(errors, 10, "f");
        assert_eq!(out.len(), MAX_DIAGNOSTICS + 1);
        let last = out.last().unwrap();
        assert_eq!(last.message, "15 more errors not shown");
        assert_eq!(last.span, Span::new(MAX_DIAGNOSTICS, MAX_DIAGNOSTICS + 1));
        let few = diagnostics(vec![("bad", Span::new(0, 1), None)], 0, "f");
        assert_eq!(few.len(), 1);
    }
}
