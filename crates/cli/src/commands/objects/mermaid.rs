//! A chart as a Mermaid sequence diagram (`sequenceDiagram`), for Markdown that renders it.

use super::chart::{Chart, Row};
use std::fmt::Write;

/// The diagram's source, one statement a line.
pub fn render(chart: &Chart) -> String {
    let mut out = String::from("sequenceDiagram\n");
    for name in &chart.lifelines {
        let _ = writeln!(out, "    participant {name}");
    }
    for row in &chart.rows {
        let _ = match row {
            Row::Message {
                from,
                to,
                label,
                reply,
            } => writeln!(
                out,
                "    {}{}{}: {}",
                chart.lifelines[*from],
                if *reply { "-->>" } else { "->>" },
                chart.lifelines[*to],
                escape(label)
            ),
            Row::Note { first, last, text } => {
                let over = if first == last {
                    chart.lifelines[*first].clone()
                } else {
                    format!("{},{}", chart.lifelines[*first], chart.lifelines[*last])
                };
                writeln!(out, "    Note over {over}: {}", escape(text))
            }
        };
    }
    out
}

/// Text safe after a Mermaid `:`: the characters Mermaid reads as syntax (`;` ends a
/// statement, `#` starts an entity, `<` and `>` may be taken as HTML, `%` as a comment)
/// become entity codes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' | ';' | '<' | '>' | '%' | '{' | '}' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
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
    fn ping_pong_renders_as_a_sequence_diagram() {
        let text = render(&Chart::of(&ping_pong()));
        let expected = "\
sequenceDiagram
    participant driver
    participant obj1
    participant obj2
    Note over obj1: created (abababab.., c1)
    Note over obj2: created (abababab.., c1)
    Note over driver,obj2: tx1 begins (c1)
    driver->>obj1: 2
    obj1->>obj2: \"ping\"
    obj2-->>obj1: \"pong\"
    obj1-->>driver: none
    Note over driver,obj2: tx1 commits [c1]
";
        assert_eq!(text, expected);
    }

    #[test]
    fn syntax_characters_are_escaped() {
        assert_eq!(escape("a;b#c<d>e%f\ng"), "a#59;b#35;c#60;d#62;e#37;f g");
        assert_eq!(escape("plain: (1, \"x\")"), "plain: (1, \"x\")");
    }
}
