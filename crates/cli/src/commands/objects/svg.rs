//! A chart as a standalone SVG picture: lifelines with their names on top, solid arrows for
//! calls, dashed ones for returns, notes in boxes. Open it in any browser.

use super::chart::{Chart, Row};
use std::fmt::Write;

/// Horizontal distance between lifelines.
const LANE: usize = 260;
/// Vertical distance between rows.
const ROW: usize = 34;
/// Margin around everything.
const MARGIN: usize = 20;
/// Height of a name box.
const HEAD: usize = 32;
/// Width of one character of the 12 px monospace font, for sizing boxes.
const CHAR: usize = 7;

/// The whole SVG document.
pub fn render(chart: &Chart) -> String {
    let lanes = chart.lifelines.len();
    let width = 2 * MARGIN + lanes * LANE;
    let top = MARGIN + HEAD;
    let bottom = top + (chart.rows.len() + 1) * ROW;
    let height = bottom + HEAD + MARGIN;
    let x = |lane: usize| MARGIN + lane * LANE + LANE / 2;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="12">
<defs>
  <marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>
</defs>
<style>.label {{ paint-order: stroke; stroke: white; stroke-width: 4px; }}</style>
<rect width="100%" height="100%" fill="white"/>"##
    );
    for (lane, name) in chart.lifelines.iter().enumerate() {
        let cx = x(lane);
        let _ = writeln!(
            out,
            r##"<line x1="{cx}" y1="{top}" x2="{cx}" y2="{bottom}" stroke="#999" stroke-dasharray="4 3"/>"##
        );
        for y in [MARGIN, bottom] {
            head(&mut out, cx, y, name);
        }
    }
    for (i, row) in chart.rows.iter().enumerate() {
        let y = top + (i + 1) * ROW;
        match row {
            Row::Message {
                from,
                to,
                label,
                reply,
            } => message(&mut out, x(*from), x(*to), y, label, *reply),
            Row::Note { first, last, text } => {
                let (left, right) = (x(*first) - LANE / 2 + 10, x(*last) + LANE / 2 - 10);
                let w = (right - left).max(text.chars().count() * CHAR + 12);
                let left = (left + right) / 2 - w / 2;
                let _ = writeln!(
                    out,
                    r##"<rect x="{left}" y="{}" width="{w}" height="22" fill="#fff8c4" stroke="#c9b94b"/><text x="{}" y="{}" text-anchor="middle">{}</text>"##,
                    y - 15,
                    left + w / 2,
                    y,
                    escape(text)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// A name box centred on `cx`, its top at `y`.
fn head(out: &mut String, cx: usize, y: usize, name: &str) {
    let w = (name.chars().count() * CHAR + 24).min(LANE - 10);
    let _ = writeln!(
        out,
        r##"<rect x="{}" y="{y}" width="{w}" height="{HEAD}" rx="4" fill="#eaeefb" stroke="#5566aa"/><text x="{cx}" y="{}" text-anchor="middle" font-weight="bold">{}</text>"##,
        cx - w / 2,
        y + HEAD / 2 + 4,
        escape(name)
    );
}

/// An arrow from `x1` to `x2` at height `y` with its label above; a message to oneself
/// is a loop on the right.
fn message(out: &mut String, x1: usize, x2: usize, y: usize, label: &str, reply: bool) {
    let dash = if reply {
        r#" stroke-dasharray="6 4""#
    } else {
        ""
    };
    let label = escape(label);
    if x1 == x2 {
        let _ = writeln!(
            out,
            r##"<path d="M{x1},{} h40 v16 h-40" fill="none" stroke="#333"{dash} marker-end="url(#head)"/><text class="label" x="{}" y="{}">{label}</text>"##,
            y - 8,
            x1 + 46,
            y + 4,
        );
        return;
    }
    let _ = writeln!(
        out,
        r##"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#333"{dash} marker-end="url(#head)"/><text class="label" x="{}" y="{}" text-anchor="middle">{label}</text>"##,
        (x1 + x2) / 2,
        y - 5,
    );
}

/// Text safe inside an SVG element: the XML specials become entities, control characters
/// (not allowed in XML 1.0) spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::chart::tests::ping_pong;
    use super::*;

    #[test]
    fn ping_pong_draws_lifelines_arrows_and_notes() {
        let svg = render(&Chart::of(&ping_pong()));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        // Three lifelines, each with a name box on top and at the bottom.
        assert_eq!(svg.matches("stroke-dasharray=\"4 3\"").count(), 3);
        assert_eq!(svg.matches(">obj2</text>").count(), 2);
        // Two calls (solid) and two returns (dashed), all with heads.
        assert_eq!(svg.matches("marker-end=\"url(#head)\"").count(), 4);
        assert_eq!(svg.matches("stroke-dasharray=\"6 4\"").count(), 2);
        assert!(svg.contains(">&quot;ping&quot;</text>"));
        assert!(svg.contains(">tx1 begins (c1)</text>"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<a & 'b'>\"\u{7}"),
            "&lt;a &amp; &apos;b&apos;&gt;&quot; "
        );
    }
}
